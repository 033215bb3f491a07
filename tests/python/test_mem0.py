"""gitmem.Memory: mem0's basic Memory API over a repository."""

import os

import pytest

import gitmem


@pytest.fixture
def mem(tmp_path):
    with gitmem.Memory(tmp_path / "mem0") as m:
        yield m


def test_add_string_and_messages(mem):
    r = mem.add("I like tea", user_id="alice")
    assert [(x["memory"], x["event"], x["role"]) for x in r["results"]] == [("I like tea", "ADD", "user")]
    r = mem.add(
        [
            {"role": "system", "content": "you are helpful"},
            {"role": "user", "content": "I live in Paris", "name": "alice"},
            {"role": "assistant", "content": "Noted: Paris."},
        ],
        user_id="alice", agent_id="helper", run_id="run1", metadata={"topic": "home"},
    )
    assert [x["memory"] for x in r["results"]] == ["I live in Paris", "Noted: Paris."]
    assert r["results"][0]["actor_id"] == "alice"
    assert len(mem.repo.log()) == 2  # one commit per add
    got = mem.get(r["results"][0]["id"])
    assert got["memory"] == "I live in Paris" and got["user_id"] == "alice"
    assert got["agent_id"] == "helper" and got["run_id"] == "run1"
    assert got["metadata"] == {"topic": "home"} and got["role"] == "user"
    assert got["created_at"] and got["updated_at"] is None and len(got["hash"]) == 64


def test_add_dict_message(mem):
    r = mem.add({"role": "user", "content": "single"}, agent_id="a")
    assert r["results"][0]["memory"] == "single"
    assert mem.add([{"role": "system", "content": "only system"}], user_id="u") == {"results": []}


def test_bad_adds_change_nothing(mem):
    mem.add("seed", user_id="alice")
    log = mem.repo.log()
    for kwargs, exc in [
        (dict(messages="x"), gitmem.InvalidArgumentError),  # no user/agent/run id
        (dict(messages="x", user_id="has space"), gitmem.InvalidArgumentError),
        (dict(messages="x", user_id="   "), gitmem.InvalidArgumentError),
        (dict(messages="x", user_id="u", infer=True), gitmem.InvalidArgumentError),
        (dict(messages=42, user_id="u"), gitmem.InvalidArgumentError),
        (dict(messages=[{"role": "user"}], user_id="u"), gitmem.InvalidArgumentError),
        (dict(messages=[{"content": "ok"}, {"content": ""}], user_id="u"), gitmem.InvalidArgumentError),
        (dict(messages="x", user_id="u", metadata=["no"]), TypeError),
        (dict(messages="x", user_id=5), TypeError),
    ]:
        with pytest.raises(exc):
            mem.add(**kwargs)
        assert mem.repo.log() == log and mem.repo.staged() == [] and len(mem.repo) == 1


def test_get_all_filters(mem):
    mem.add("a1", user_id="alice")
    mem.add("a2", user_id="alice", agent_id="bot", metadata={"k": "v"})
    mem.add("b1", user_id="bob", run_id="r1")
    assert sorted(x["memory"] for x in mem.get_all(user_id="alice")["results"]) == ["a1", "a2"]
    assert [x["memory"] for x in mem.get_all(agent_id="bot")["results"]] == ["a2"]
    assert [x["memory"] for x in mem.get_all(run_id="r1")["results"]] == ["b1"]
    assert [x["memory"] for x in mem.get_all(user_id="alice", filters={"k": "v"})["results"]] == ["a2"]
    assert len(mem.get_all()["results"]) == 3
    assert len(mem.get_all(limit=2)["results"]) == 2
    assert mem.get_all(user_id="nobody") == {"results": []}
    with pytest.raises(gitmem.InvalidArgumentError):
        mem.get_all(limit=-1)


def test_update_delete_history(mem):
    mid = mem.add("I like tea", user_id="alice")["results"][0]["id"]
    assert mem.update(mid, "I like green tea") == {"message": "Memory updated successfully!"}
    got = mem.get(mid)
    assert got["memory"] == "I like green tea" and got["updated_at"] is not None
    assert got["user_id"] == "alice"
    assert mem.delete(mid) == {"message": "Memory deleted successfully!"}
    assert mem.get(mid) is None
    h = mem.history(mid)
    assert [(e["event"], e["old_memory"], e["new_memory"]) for e in h] == [
        ("ADD", None, "I like tea"),
        ("UPDATE", "I like tea", "I like green tea"),
        ("DELETE", "I like green tea", None),
    ]
    assert [e["is_deleted"] for e in h] == [False, False, True]
    assert all(e["memory_id"] == mid and len(e["id"]) == 64 for e in h)
    assert len(mem.repo.log()) == 3
    assert mem.history("unknown") == []


def test_missing_ids(mem):
    mem.add("x", user_id="u")
    log = mem.repo.log()
    assert mem.get("missing") is None
    with pytest.raises(gitmem.NotFoundError):
        mem.update("missing", "y")
    with pytest.raises(gitmem.NotFoundError):
        mem.delete("missing")
    with pytest.raises(gitmem.InvalidArgumentError):
        mem.update(mem.get_all()["results"][0]["id"], "")
    assert mem.repo.log() == log and mem.repo.staged() == []


def test_delete_all_and_reset(mem):
    mem.add("a", user_id="alice")
    mem.add("b", user_id="alice")
    mem.add("c", user_id="bob")
    with pytest.raises(gitmem.InvalidArgumentError):
        mem.delete_all()
    mem.delete_all(user_id="alice")
    assert [x["memory"] for x in mem.get_all()["results"]] == ["c"]
    n = len(mem.repo.log())
    mem.delete_all(user_id="nobody")  # nothing to delete: no empty commit
    assert len(mem.repo.log()) == n
    mem.reset()
    assert mem.get_all() == {"results": []}
    assert mem.repo.log()[0].message == "mem0: reset"
    assert len(mem.repo.log()[1:]) == n  # history is kept


def test_search_is_scoped_and_commits_nothing(mem):
    # (tests/python/test_search.py covers search in depth)
    mem.add("I like oolong tea", user_id="alice")
    n = len(mem.repo.log())
    r = mem.search("oolong", user_id="alice")
    assert r["results"][0]["memory"] == "I like oolong tea"
    assert mem.search("oolong", user_id="bob") == {"results": []}
    assert len(mem.repo.log()) == n


def test_temporary_store_is_removed():
    m = gitmem.Memory()
    path = m.repo.path
    m.add("x", user_id="u")
    assert os.path.isdir(path)
    m.close()
    assert not os.path.exists(path)
    m.close()  # idempotent


def test_reopen_keeps_memories(tmp_path):
    with gitmem.Memory(tmp_path) as m:
        mid = m.add("persist me", user_id="u")["results"][0]["id"]
    with gitmem.Memory(tmp_path) as m:
        assert m.get(mid)["memory"] == "persist me"
        assert "gitmem.Memory" in repr(m)


def test_threads_share_a_memory(mem):
    import threading

    def work(t):
        for i in range(10):
            mem.add(f"{t}-{i}", user_id=f"u{t}")

    threads = [threading.Thread(target=work, args=(t,)) for t in range(4)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert len(mem.get_all()["results"]) == 40
    assert len(mem.repo.log()) == 40
