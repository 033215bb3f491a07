"""The background search indexer from Python: index_info() reports the vectors still waiting
for their approximate graph and whether the worker is busy; wait_for_index() waits for it
(BusyError when its timeout passes first); bad arguments change nothing."""

import math

import pytest

import gitmem

INFO_KEYS = {
    "commit", "tree", "documents", "vector_segments", "keyword_segments", "vector_delta",
    "keyword_delta", "source", "changes_applied", "vectors_awaiting_graph", "indexing",
}

# Above the default flat_max (20,000 vectors per exact segment), so the import leaves a
# segment whose HNSW graph the worker builds in the background. Eight dimensions keep the
# import and the graph to a few seconds.
BIG = 20_500


def test_index_info_keys_on_a_small_repository(repo):
    repo.add("green tea every morning", id="tea")
    repo.commit("one")
    repo.wait_for_index()
    info = repo.index_info()
    assert set(info) == INFO_KEYS
    assert info["documents"] == 1
    assert info["commit"] == repo.log()[0].id
    assert info["vectors_awaiting_graph"] == 0
    assert info["indexing"] is False


def test_wait_for_index_returns_on_a_fresh_or_small_repository(repo):
    repo.wait_for_index()  # unborn: nothing to index
    repo.wait_for_index(timeout=math.inf)
    repo.add("the meeting is on Friday", id="meet")
    repo.commit("one")
    repo.wait_for_index(branch="main", timeout=60)
    repo.branch("side")
    repo.wait_for_index(branch="side", timeout=60.5)
    assert repo.index_info(at="side")["documents"] == 1


def test_wait_for_index_after_an_import_bigger_than_a_segment(tmp_path):
    with gitmem.Repository.init(tmp_path / "big", dim=8) as r:
        r.add_many([{"id": f"m{i}", "content": f"memory {i} about word{i % 97}"} for i in range(BIG)])
        commit = r.commit("import")
        info = r.index_info()
        assert info["documents"] == BIG and info["commit"] == commit
        # Either the wait gives up at once (the graph of BIG vectors takes the worker a
        # moment) or, had the worker been that quick, the index is complete.
        try:
            r.wait_for_index(timeout=0)
        except gitmem.BusyError as e:
            assert "still building" in str(e)
        else:
            assert r.index_info()["vectors_awaiting_graph"] == 0
        r.wait_for_index()
        done = r.index_info()
        assert done["vectors_awaiting_graph"] == 0
        assert done["indexing"] is False
        assert done["documents"] == BIG
        assert [h.id for h in r.search("memory 123 about word26", mode="keyword", k=1)] == ["m123"]


def test_wait_for_index_bad_arguments_change_nothing(committed, unchanged):
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError, match="timeout"):
            committed.wait_for_index(timeout=-1)
        with pytest.raises(ValueError, match="timeout"):
            committed.wait_for_index(timeout=-0.001)
        with pytest.raises(ValueError, match="timeout"):
            committed.wait_for_index(timeout=math.nan)
        with pytest.raises(TypeError, match="timeout"):
            committed.wait_for_index(timeout="1")
        with pytest.raises(TypeError, match="timeout"):
            committed.wait_for_index(timeout=True)
        with pytest.raises(gitmem.NotFoundError, match="no-such-branch"):
            committed.wait_for_index(branch="no-such-branch")
        with pytest.raises(gitmem.InvalidArgumentError, match="branch"):
            committed.wait_for_index(branch="bad..name")
        with pytest.raises(TypeError):
            committed.wait_for_index("main")  # keyword-only
    committed.wait_for_index()  # a failed wait leaves nothing behind


def test_index_info_of_an_unknown_revision_changes_nothing(committed, unchanged):
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.index_info(at="no-such-branch")
