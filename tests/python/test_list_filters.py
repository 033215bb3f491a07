"""repo.list(**filters): the search filter keywords on a plain listing."""
import pytest

import gitmem


@pytest.fixture()
def repo(tmp_path):
    with gitmem.Repository.init(str(tmp_path / "store")) as r:
        r.add("alpha", id="a", type="episodic", agent_id="x", session_id="s1", tags=["t1", "t2"],
              importance=0.9, metadata={"project": "apollo"})
        r.add("beta", id="b", type="semantic", agent_id="y", session_id="s1", tags=["t2"],
              importance=0.2, scope="private")
        r.add("gamma", id="c", type="episodic", agent_id="x", session_id="s2", tags=[],
              importance=0.5, metadata={"project": "gemini"})
        r.commit("three")
        yield r


def ids(items):
    return [m.id for m in items]


def test_each_filter(repo):
    assert ids(repo.list(type="episodic")) == ["a", "c"]
    assert ids(repo.list(type=["semantic", "episodic"])) == ["a", "b", "c"]
    assert ids(repo.list(tags_any=["t1", "zzz"])) == ["a"]
    assert ids(repo.list(tags_all=["t1", "t2"])) == ["a"]
    assert ids(repo.list(agent_id="x")) == ["a", "c"]
    assert ids(repo.list(session_id="s1")) == ["a", "b"]
    assert ids(repo.list(scope="private")) == ["b"]
    assert ids(repo.list(min_importance=0.5)) == ["a", "c"]
    assert ids(repo.list(metadata={"project": "apollo"})) == ["a"]
    assert ids(repo.list(agent_id="x", min_importance=0.6)) == ["a"]


def test_time_range_and_paging(repo):
    items = repo.list()
    ts = sorted(m.timestamp_us for m in items)
    assert ids(repo.list(since=ts[1])) == [m.id for m in items if m.timestamp_us >= ts[1]]
    assert ids(repo.list(until=ts[1])) == [m.id for m in items if m.timestamp_us < ts[1]]
    assert ids(repo.list(type="episodic", offset=1)) == ["c"]
    assert ids(repo.list(type="episodic", limit=1)) == ["a"]


def test_bad_filters_raise_and_change_nothing(repo):
    before = ids(repo.list())
    with pytest.raises(ValueError):
        repo.list(min_importance=2.0)
    with pytest.raises(TypeError):
        repo.list(metadata=["not", "a", "dict"])
    assert ids(repo.list()) == before
