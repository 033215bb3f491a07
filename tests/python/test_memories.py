"""add / add_many / update / delete / get / list / count, and their bad inputs."""

import math
from datetime import datetime, timezone

import pytest

import gitmem


def test_add_returns_id_and_get_reads_every_field(repo):
    mid = repo.add(
        "the user prefers dark mode",
        type="procedural",
        agent_id="assistant",
        session_id="s1",
        tags=["ui", "pref", "ui"],
        importance=0.7,
        confidence=0.25,
        scope="private",
        metadata={"source": "chat", "n": 3, "nested": {"a": [1, 2]}},
        relations=[("similar", "other", 0.5), {"type": "builds_on", "target_id": "base"},
                   gitmem.Relation("references", "doc")],
        timestamp=datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc),
        author="alice",
    )
    assert isinstance(mid, str) and len(mid) == 36  # UUIDv7
    m = repo.get(mid)
    assert isinstance(m, gitmem.MemoryItem)
    assert (m.id, m.content, m.type, m.agent_id, m.session_id) == (
        mid, "the user prefers dark mode", "procedural", "assistant", "s1")
    assert m.tags == ("pref", "ui")  # sorted, unique
    assert m.importance == 0.7 and m.confidence == 0.25
    assert m.scope == "private"
    assert m.metadata == {"source": "chat", "n": 3, "nested": {"a": [1, 2]}}
    assert {(r.type, r.target_id, r.strength) for r in m.relations} == {
        ("similar", "other", 0.5), ("builds_on", "base", 1.0), ("references", "doc", 1.0)}
    assert m.timestamp == datetime(2024, 5, 1, 12, 0, tzinfo=timezone.utc)
    assert m.author == "alice"
    assert len(m.content_hash) == 64
    assert m.to_dict()["tags"] == ["pref", "ui"]
    assert "dark mode" in repr(m)


def test_defaults(repo):
    m = repo.get(repo.add("x"))
    assert (m.type, m.scope, m.importance, m.confidence, m.tags, m.metadata, m.relations) == (
        "semantic", "shared", 0.5, 1.0, (), {}, ())
    assert m.author == "gitmem" and m.agent_id == "" and m.session_id == ""
    assert m.timestamp.tzinfo is not None


def test_same_id_is_an_upsert(repo):
    assert repo.add("v1", id="k") == "k"
    assert repo.add("v2", id="k") == "k"
    assert len(repo) == 1 and repo.get("k").content == "v2"


def test_metadata_as_json_text(repo):
    assert repo.get(repo.add("x", metadata='{"b": 1, "a": 2}')).metadata == {"a": 2, "b": 1}


def test_unicode_round_trip(repo):
    text = "Zoë lives in Zürich 🏔️ — 東京"
    assert repo.get(repo.add(text, tags=["ünï"])).content == text


def test_add_many_is_one_batch(repo):
    ids = repo.add_many([{"content": "a", "id": "1"}, "b", {"content": "c", "tags": ["t"]}])
    assert ids[0] == "1" and len(ids) == 3
    assert len(repo) == 3 and len(repo.staged()) == 3
    assert repo.get(ids[2]).tags == ("t",)
    assert repo.add_many([]) == []


def test_add_many_all_or_nothing(repo, unchanged):
    repo.add("keep", id="keep")
    with unchanged(repo):
        with pytest.raises(gitmem.InvalidArgumentError, match=r"memories\[1\]: content"):
            repo.add_many([{"content": "ok"}, {"content": ""}])
    with unchanged(repo):
        with pytest.raises(gitmem.InvalidArgumentError, match=r"records\[1\]: importance"):
            repo.add_many([{"content": "ok"}, {"content": "bad", "importance": -1}])
    with unchanged(repo):
        with pytest.raises(TypeError, match="unknown fields"):
            repo.add_many([{"content": "ok", "colour": "red"}])
    with unchanged(repo):
        with pytest.raises(TypeError, match="'content' is required"):
            repo.add_many([{"id": "x"}])
    with unchanged(repo):
        with pytest.raises(TypeError):
            repo.add_many("not a list")
    with unchanged(repo):
        with pytest.raises(TypeError):
            repo.add_many([42])


def test_update_changes_only_given_fields(repo):
    mid = repo.add("old", tags=["a"], importance=0.2, metadata={"x": 1}, agent_id="ag")
    repo.update(mid, content="new", importance=0.9)
    m = repo.get(mid)
    assert (m.content, m.importance, m.tags, m.metadata, m.agent_id) == ("new", 0.9, ("a",), {"x": 1}, "ag")
    repo.update(mid, tags=[], metadata={}, type="state", scope="global", relations=[("contradicts", "z")])
    m = repo.get(mid)
    assert (m.tags, m.metadata, m.type, m.scope) == ((), {}, "state", "global")
    assert m.relations == (gitmem.Relation("contradicts", "z", 1.0),)
    repo.update(mid, agent_id="b", session_id="s", confidence=0.5, author="bob")
    m = repo.get(mid)
    assert (m.agent_id, m.session_id, m.confidence, m.author) == ("b", "s", 0.5, "bob")


def test_update_bad_inputs_change_nothing(repo, unchanged):
    mid = repo.add("x", id="x")
    with unchanged(repo):
        with pytest.raises(gitmem.NotFoundError):
            repo.update("missing", content="y")
    with unchanged(repo):
        with pytest.raises(TypeError, match="unexpected fields"):
            repo.update(mid, colour="red")
    with unchanged(repo):
        with pytest.raises(TypeError, match="at least one field"):
            repo.update(mid)
    with unchanged(repo):
        with pytest.raises(gitmem.InvalidArgumentError, match="content"):
            repo.update(mid, content="")
    with unchanged(repo):
        with pytest.raises(gitmem.InvalidArgumentError, match="type"):
            repo.update(mid, type="dream")
    with unchanged(repo):
        with pytest.raises(gitmem.NotFoundError):
            repo.update(mid, content="y", branch="nope")


def test_delete(repo, unchanged):
    mid = repo.add("x")
    repo.commit("c")
    repo.delete(mid)
    assert mid not in repo and len(repo) == 0
    assert [(s.id, s.deleted) for s in repo.staged()] == [(mid, True)]
    assert repo.get(mid, at="HEAD").content == "x"  # the commit still has it
    with unchanged(repo):
        with pytest.raises(gitmem.NotFoundError):
            repo.delete(mid)
    with unchanged(repo):
        with pytest.raises(KeyError):
            repo.delete("never")


def test_get_missing_is_a_key_error(repo):
    with pytest.raises(gitmem.NotFoundError) as e:
        repo.get("nope")
    assert isinstance(e.value, KeyError) and isinstance(e.value, gitmem.GitmemError)
    assert str(e.value) == "memory 'nope' not found"
    assert "nope" not in repo and 42 not in repo


def test_list_pages_in_id_order(repo):
    repo.add_many([{"content": f"m{i}", "id": f"id{i:02d}"} for i in range(25)])
    assert [m.id for m in repo.list()] == [f"id{i:02d}" for i in range(25)]
    assert [m.id for m in repo.list(offset=20)] == [f"id{i:02d}" for i in range(20, 25)]
    assert [m.id for m in repo.list(offset=3, limit=2)] == ["id03", "id04"]
    assert repo.list(limit=0) == [] and repo.list(offset=100) == []
    assert len(repo) == 25 == repo.count()
    with pytest.raises(gitmem.InvalidArgumentError):
        repo.list(offset=-1)
    with pytest.raises(gitmem.InvalidArgumentError):
        repo.list(limit=-5)
    with pytest.raises(TypeError):
        repo.list(limit="3")


BAD_ADDS = [
    (dict(content=""), gitmem.InvalidArgumentError, "content"),
    (dict(content="x" * (64 * 1024 + 1)), gitmem.InvalidArgumentError, "65536"),
    (dict(content="a\0b"), gitmem.InvalidArgumentError, "NUL"),
    (dict(content="\ud800"), gitmem.InvalidArgumentError, "UTF-8"),
    (dict(content=123), TypeError, "content"),
    (dict(content=b"bytes"), TypeError, "content"),
    (dict(content="x", type="dream"), gitmem.InvalidArgumentError, "type"),
    (dict(content="x", scope="public"), gitmem.InvalidArgumentError, "scope"),
    (dict(content="x", importance=1.5), gitmem.InvalidArgumentError, "importance"),
    (dict(content="x", importance=math.nan), gitmem.InvalidArgumentError, "importance"),
    (dict(content="x", confidence=-0.1), gitmem.InvalidArgumentError, "confidence"),
    (dict(content="x", importance="high"), TypeError, "importance"),
    (dict(content="x", importance=True), TypeError, "importance"),
    (dict(content="x", tags="single"), TypeError, "tags"),
    (dict(content="x", tags=[1]), TypeError, "tags"),
    (dict(content="x", tags=[""]), gitmem.InvalidArgumentError, "tags"),
    (dict(content="x", tags=[f"t{i}" for i in range(300)]), gitmem.InvalidArgumentError, "tags"),
    (dict(content="x", metadata=[1, 2]), TypeError, "metadata"),
    (dict(content="x", metadata="[1, 2]"), gitmem.InvalidArgumentError, "metadata"),
    (dict(content="x", metadata="{not json"), gitmem.InvalidArgumentError, "metadata"),
    (dict(content="x", metadata={"f": object()}), gitmem.InvalidArgumentError, "metadata"),
    (dict(content="x", metadata={"f": math.inf}), gitmem.InvalidArgumentError, "metadata"),
    (dict(content="x", metadata={"big": "y" * 17000}), gitmem.InvalidArgumentError, "metadata"),
    (dict(content="x", relations=[("friend", "y")]), gitmem.InvalidArgumentError, "relation"),
    (dict(content="x", relations=[("similar", "y", 3)]), gitmem.InvalidArgumentError, "strength"),
    (dict(content="x", relations=[("similar", "y"), ("similar", "y")]), gitmem.InvalidArgumentError, "duplicate"),
    (dict(content="x", relations=["similar"]), TypeError, "relations"),
    (dict(content="x", relations=[{"type": "similar"}]), TypeError, "relations"),
    (dict(content="x", id=""), gitmem.InvalidArgumentError, "id"),
    (dict(content="x", id="i" * 300), gitmem.InvalidArgumentError, "id"),
    (dict(content="x", id=7), TypeError, "id"),
    (dict(content="x", agent_id="a" * 2000), gitmem.InvalidArgumentError, "agent_id"),
    (dict(content="x", timestamp=-1), gitmem.InvalidArgumentError, "timestamp"),
    (dict(content="x", timestamp="yesterday"), TypeError, "timestamp"),
    (dict(content="x", branch="no-such-branch"), gitmem.NotFoundError, "no-such-branch"),
    (dict(content="x", branch="bad..name"), gitmem.InvalidArgumentError, "branch"),
    (dict(content="x", author="a\nb"), gitmem.InvalidArgumentError, "author"),
]


@pytest.mark.parametrize("kwargs,exc,match", BAD_ADDS, ids=[str(i) for i in range(len(BAD_ADDS))])
def test_bad_add_raises_and_changes_nothing(committed, unchanged, kwargs, exc, match):
    with unchanged(committed):
        with pytest.raises(exc, match=match):
            committed.add(**kwargs)


def test_keyword_only_options(repo):
    with pytest.raises(TypeError):
        repo.add("x", "id")  # id must be a keyword
    with pytest.raises(TypeError):
        repo.get("x", "main")
    assert len(repo) == 0


def test_invalid_argument_is_a_value_error(repo):
    with pytest.raises(ValueError):
        repo.add("x", importance=2)
