"""Search from Python: modes, filters, paging, time travel, caller vectors, a Python
callable as embedder, numpy dtype / shape errors, and threads searching while one writes."""

import threading
from datetime import datetime, timezone

import numpy as np
import pytest

import gitmem


@pytest.fixture
def notes(repo):
    repo.add("the user drinks green tea every morning", id="tea", agent_id="a1", session_id="s1",
             tags=["drink", "habit"], importance=0.9, metadata={"project": "apollo", "n": 1},
             timestamp=1_000_000)
    repo.add("the meeting with Alice is on Friday", id="meet", agent_id="a2", session_id="s2",
             type="episodic", tags=["calendar"], importance=0.3, metadata={"project": "zeus"},
             timestamp=2_000_000)
    repo.add("the user prefers dark mode in every editor", id="dark", agent_id="a1",
             session_id="s1", tags=["ui", "habit"], importance=0.6, scope="private",
             metadata={"project": "apollo", "n": 2}, timestamp=3_000_000)
    repo.commit("notes")
    return repo


def ids(hits):
    return [h.id for h in hits]


@pytest.mark.parametrize("mode", ["hybrid", "keyword", "vector"])
def test_modes_find_the_relevant_memory(notes, mode):
    hits = notes.search("green tea", mode=mode, k=3)
    assert hits and hits[0].id == "tea"
    h = hits[0]
    assert isinstance(h, gitmem.Hit)
    assert isinstance(h.score, float)
    assert h.memory.content == "the user drinks green tea every morning"
    assert [x.score for x in hits] == sorted((x.score for x in hits), reverse=True)


def test_filters(notes):
    q = "the user"
    assert set(ids(notes.search(q, agent_id="a1"))) <= {"tea", "dark"}
    assert ids(notes.search("meeting Friday", agent_id="a1")) != ["meet"]
    assert set(ids(notes.search(q, tags_any=["calendar", "ui"]))) <= {"meet", "dark"}
    assert set(ids(notes.search(q, tags_all=["ui", "habit"]))) == {"dark"} or \
        set(ids(notes.search(q, tags_all=["ui", "habit"]))) <= {"dark"}
    assert set(ids(notes.search("meeting", type="episodic"))) <= {"meet"}
    assert set(ids(notes.search(q, scope=["private"]))) <= {"dark"}
    assert set(ids(notes.search(q, min_importance=0.5))) <= {"tea", "dark"}
    assert set(ids(notes.search(q, metadata={"project": "apollo"}))) <= {"tea", "dark"}
    assert set(ids(notes.search(q, metadata={"n": 2}))) <= {"dark"}
    assert set(ids(notes.search(q, session_id="s2"))) <= {"meet"}
    t = datetime.fromtimestamp(2.5, tz=timezone.utc)
    assert set(ids(notes.search(q, since=2_000_000))) <= {"meet", "dark"}
    assert set(ids(notes.search(q, until=t))) <= {"tea", "meet"}
    # A filtered query still fills k when enough memories match.
    assert len(notes.search("editor", mode="vector", k=2, agent_id="a1")) == 2


def test_paging_and_k(notes):
    all3 = ids(notes.search("the user meeting tea", mode="vector", k=3))
    assert len(all3) == 3
    assert ids(notes.search("the user meeting tea", mode="vector", k=1, offset=1)) == all3[1:2]
    assert notes.search("the user meeting tea", mode="vector", k=2, offset=5) == []


def test_time_travel_and_staged(notes):
    first = notes.log()[0].id
    notes.add("green tea is a favourite drink", id="tea2")
    assert "tea2" in ids(notes.search("green tea", k=5))          # staged changes are searchable
    assert "tea2" not in ids(notes.search("green tea", k=5, at=first))
    notes.delete("tea")
    assert "tea" not in ids(notes.search("green tea", k=5))
    assert "tea" in ids(notes.search("green tea", k=5, at=first))


def test_branches_are_separate(notes):
    notes.branch("exp")
    notes.add("a secret experiment about green tea", id="exp1", branch="exp")
    notes.commit("exp", branch="exp")
    assert "exp1" not in ids(notes.search("secret experiment", k=5))
    assert "exp1" in ids(notes.search("secret experiment", k=5, at="exp"))


def test_bad_queries_raise_value_error_and_change_nothing(notes, unchanged):
    with unchanged(notes):
        with pytest.raises(ValueError, match="k"):
            notes.search("tea", k=0)
        with pytest.raises(ValueError, match="mode"):
            notes.search("tea", mode="fuzzy")
        with pytest.raises(gitmem.InvalidArgumentError):
            notes.search(None, mode="keyword")
        with pytest.raises(ValueError, match="float32"):
            notes.search(vector=np.ones(384, dtype=np.float64), mode="vector")
        with pytest.raises(ValueError, match=r"1-d"):
            notes.search(vector=np.ones((1, 384), dtype=np.float32), mode="vector")
        with pytest.raises(ValueError, match="384"):
            notes.search(vector=np.ones(5, dtype=np.float32), mode="vector")
        with pytest.raises(ValueError):
            notes.search(vector=np.full(384, np.nan, dtype=np.float32), mode="vector")
        with pytest.raises(TypeError):
            notes.search("tea", k="3")
        with pytest.raises(TypeError):
            notes.search(vector="not a vector", mode="vector")
        with pytest.raises(ValueError):
            notes.search("tea", min_importance=2)


def test_caller_embeddings_and_query_vectors(tmp_path):
    with gitmem.Repository.init(tmp_path / "s", dim=4) as r:
        r.add("alpha", id="a", embedding=np.array([1, 0, 0, 0], dtype=np.float32))
        r.add("beta", id="b", embedding=[0.0, 1.0, 0.0, 0.0])
        r.add("gamma", id="c", embedding=np.array([0.6, 0.8, 0, 0], dtype=np.float32))
        r.commit("vectors")
        hits = r.search(vector=np.array([0, 1, 0, 0], dtype=np.float32), mode="vector", k=3)
        assert ids(hits) == ["b", "c", "a"]
        assert hits[0].score == pytest.approx(1.0, abs=1e-5)
        assert ids(r.search(vector=[1.0, 0.0, 0.0, 0.0], mode="vector", k=1)) == ["a"]


def test_bad_embeddings_change_nothing(tmp_path, unchanged):
    with gitmem.Repository.init(tmp_path / "s", dim=4) as r:
        r.add("alpha", id="a", embedding=np.array([1, 0, 0, 0], dtype=np.float32))
        r.commit("one")
        with unchanged(r):
            with pytest.raises(ValueError, match="float32"):
                r.add("x", embedding=np.ones(4, dtype=np.float64))
            with pytest.raises(ValueError, match=r"shape \(dim,\)"):
                r.add("x", embedding=np.ones((2, 4), dtype=np.float32))
            with pytest.raises(ValueError, match="4"):
                r.add("x", embedding=np.ones(3, dtype=np.float32))
            with pytest.raises(ValueError):
                r.add("x", embedding=np.array([np.inf, 0, 0, 0], dtype=np.float32))
            with pytest.raises(ValueError):
                r.add("x", embedding=np.zeros(4, dtype=np.float32))
            with pytest.raises(ValueError):
                r.add_many([{"content": "ok"}, {"content": "x", "embedding": np.ones(3, np.float32)}])
            with pytest.raises(ValueError, match="numbers"):
                r.add("x", embedding=["a", "b", "c", "d"])


class Keywords:
    """A toy embedder: one dimension per keyword, plus a constant so no vector is zero."""

    words = ["tea", "coffee", "meeting", "editor", "music", "cat", "dog"]
    dimension = 8
    id = "test/keywords-v1"

    def __init__(self):
        self.calls = 0
        self.threads = set()

    def __call__(self, texts):
        self.calls += 1
        self.threads.add(threading.get_ident())
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for i, t in enumerate(texts):
            for j, w in enumerate(self.words):
                if w in t.lower():
                    out[i, j] = 1.0
            out[i, 7] = 0.1
        return out / np.linalg.norm(out, axis=1, keepdims=True)


def test_python_callable_embedder(tmp_path):
    emb = Keywords()
    path = tmp_path / "s"
    with gitmem.Repository.init(path, embedder=emb, dim=8) as r:
        r.add("I like tea", id="t")
        r.add("A dog barked", id="d")
        r.add("Coffee after the meeting", id="c")
        r.commit("three")
        assert ids(r.search("dog", mode="vector", k=1)) == ["d"]
        assert ids(r.search("a meeting", mode="vector", k=1)) == ["c"]
        assert emb.calls > 0
    # Reopened with the same embedder: the recorded dimension and vectors are reused.
    with gitmem.Repository.open(path, embedder=emb) as r:
        assert ids(r.search("tea please", mode="vector", k=1)) == ["t"]


def test_embedder_errors(tmp_path):
    with pytest.raises(TypeError):
        gitmem.Repository.init(tmp_path / "a", embedder="not callable")
    with pytest.raises(ValueError):
        gitmem.Repository.init(tmp_path / "b", dim=0)

    def wrong_dtype(texts):
        return np.ones((len(texts), 4), dtype=np.float64)

    def wrong_shape(texts):
        return np.ones((len(texts), 3), dtype=np.float32)

    def raises(texts):
        raise RuntimeError("model not loaded")

    for fn, msg in ((wrong_dtype, "float32"), (wrong_shape, r"expected \(\d+, 4\)"),
                    (raises, "model not loaded")):
        with gitmem.Repository.init(tmp_path / fn.__name__, embedder=fn, dim=4) as r:
            with pytest.raises(ValueError, match=msg):
                r.add("some text")
                r.commit("c")
                r.search("some", mode="vector")


def test_reindex_and_index_info(notes):
    notes.reindex()
    info = notes.index_info()
    assert info["documents"] == 3
    assert info["commit"] == notes.log()[0].id
    assert ids(notes.search("green tea", k=1)) == ["tea"]


def test_threads_search_while_another_writes(tmp_path):
    with gitmem.Repository.init(tmp_path / "s") as r:
        for i in range(50):
            r.add(f"base memory number {i} about topic {i % 5}", id=f"base{i}")
        r.commit("base")
        errors = []
        stop = threading.Event()

        def searcher():
            try:
                while not stop.is_set():
                    hits = r.search("memory about topic 3", k=5)
                    assert hits and all(h.memory is not None for h in hits)
                    assert len({h.id for h in hits}) == len(hits)
            except BaseException as e:  # noqa: BLE001 - reported below
                errors.append(e)

        threads = [threading.Thread(target=searcher) for _ in range(4)]
        for t in threads:
            t.start()
        try:
            for i in range(20):
                r.add(f"new memory {i} about topic 3", id=f"new{i}")
                if i % 5 == 4:
                    r.commit(f"batch {i}")
        finally:
            stop.set()
            for t in threads:
                t.join()
        assert not errors, errors
        assert "new19" in ids(r.search("new memory 19 about topic 3", k=50))


def test_threads_with_python_embedder(tmp_path):
    emb = Keywords()
    with gitmem.Repository.init(tmp_path / "s", embedder=emb, dim=8) as r:
        r.add("tea time", id="t")
        r.commit("c")
        errors = []

        def work(n):
            try:
                for i in range(10):
                    assert r.search("tea", mode="vector", k=1)[0].id == "t"
                    r.add(f"dog {n} {i}", branch="main")
            except BaseException as e:  # noqa: BLE001
                errors.append(e)

        threads = [threading.Thread(target=work, args=(n,)) for n in range(3)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert not errors, errors
        assert len(r) == 31


def test_mem0_search(tmp_path):
    with gitmem.Memory(tmp_path / "m") as m:
        m.add("I love green tea", user_id="alice")
        m.add("I am allergic to peanuts", user_id="alice", metadata={"kind": "health"})
        m.add("I love green tea too", user_id="bob")
        m.add("Green tea notes from the run", agent_id="helper", run_id="r1")
        res = m.search("green tea", user_id="alice")
        assert set(res) == {"results"}
        rs = res["results"]
        assert rs and rs[0]["memory"] == "I love green tea"
        assert all(r["user_id"] == "alice" for r in rs)
        for r in rs:
            assert {"id", "memory", "score", "metadata", "created_at", "hash"} <= set(r)
            assert isinstance(r["score"], float)
        assert m.search("peanuts", user_id="alice", filters={"kind": "health"})["results"][0][
            "memory"] == "I am allergic to peanuts"
        assert m.search("tea", user_id="alice", filters={"kind": "other"})["results"] == []
        assert [r["memory"] for r in m.search("tea", agent_id="helper")["results"]] == [
            "Green tea notes from the run"]
        assert m.search("tea", run_id="r1", limit=1)["results"][0]["run_id"] == "r1"
        assert len(m.search("tea", user_id="alice", limit=1)["results"]) == 1
        with pytest.raises(ValueError):
            m.search("tea")
        with pytest.raises(ValueError):
            m.search("tea", user_id="alice", limit=0)
