"""commit / log / show / diff / history / session and time travel."""

from datetime import datetime, timezone

import pytest

import gitmem


def test_commit_and_log(committed):
    log = committed.log()
    assert [c.message for c in log] == ["second", "first"]
    second, first = log
    assert isinstance(second, gitmem.Commit) and len(second.id) == 64
    assert second.parents == (first.id,) and first.parents == ()
    assert second.timestamp == datetime(1970, 1, 1, 0, 0, 2, tzinfo=timezone.utc)
    assert second.timestamp_us == 2_000_000
    assert (second.added, second.modified, second.removed) == (1, 1, 0)
    assert set(second.changed_ids) == {"m1", "m3"} and not second.changed_ids_truncated
    assert second.memory_count == 3 and second.generation == 2
    assert second.author == "gitmem" and second.short_id == second.id[:12]
    assert "second" in repr(second)
    assert committed.log(limit=1) == [second]
    assert committed.log(offset=1) == [first]
    assert committed.log(first.id) == [first]
    assert committed.log("main~1") == [first]
    assert committed.log(first_parent=False) == log
    assert committed.staged() == []


def test_commit_options(repo):
    repo.add("x")
    cid = repo.commit("by bob", author="bob", timestamp=datetime(2020, 1, 1, tzinfo=timezone.utc))
    c = repo.show(cid)
    assert c.author == "bob" and c.timestamp.year == 2020
    empty = repo.commit("nothing", allow_empty=True)
    assert repo.show(empty).parents == (cid,)


def test_commit_bad_inputs_change_nothing(committed, unchanged):
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError, match="nothing staged"):
            committed.commit("empty")
    committed.add("staged", id="s")
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError, match="author"):
            committed.commit("x", author="bad\x01author")
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.commit("x", branch="ghost")
    with unchanged(committed):
        with pytest.raises(TypeError):
            committed.commit(42)
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError, match="message"):
            committed.commit("\udcff")


def test_unborn_repository(repo):
    assert repo.log() == [] and len(repo) == 0 and repo.head == "main"
    with pytest.raises(gitmem.NotFoundError):
        repo.show("HEAD")
    with pytest.raises(gitmem.NotFoundError):
        repo.resolve("HEAD")
    assert repo.history("x") == []


def test_show_and_resolve(committed):
    head = committed.log()[0]
    assert committed.show() == head
    assert committed.show(head) == head
    assert committed.show(head.id[:10]) == head
    assert committed.resolve("main") == head.id
    assert committed.resolve("HEAD~1") == head.parents[0]
    with pytest.raises(gitmem.NotFoundError):
        committed.show("0000000000")
    with pytest.raises(gitmem.NotFoundError):
        committed.show("HEAD~5")
    with pytest.raises(gitmem.InvalidArgumentError):
        committed.show("HEAD~x")
    with pytest.raises(gitmem.InvalidArgumentError):
        committed.show("")


def test_diff(committed):
    first, second = committed.log()[1], committed.log()[0]
    d = committed.diff(first, second)
    assert isinstance(d, gitmem.Diff) and len(d) == 2 and bool(d)
    assert [e.id for e in d.added] == ["m3"]
    assert [e.id for e in d.modified] == ["m1"] and d.removed == []
    mod = d.modified[0]
    assert mod.old.content == "the user likes tea" and mod.new.content == "the user likes green tea"
    assert d.added[0].old is None
    back = committed.diff(second.id, "HEAD~1")
    assert [e.id for e in back.removed] == ["m3"] and back.removed[0].new is None
    assert not committed.diff("HEAD", "HEAD")
    assert "added=1" in repr(d)
    # b defaults to HEAD's working state: staged changes show up
    committed.delete("m2")
    assert [e.id for e in committed.diff("HEAD").removed] == ["m2"]
    # times work on either side
    assert [e.id for e in committed.diff(1_500_000, 2_500_000).added] == ["m3"]


def test_diff_bad_inputs(committed):
    with pytest.raises(gitmem.NotFoundError):
        committed.diff("nope", "HEAD")
    with pytest.raises(TypeError):
        committed.diff(None, "HEAD")
    with pytest.raises(TypeError):
        committed.diff(3.5, "HEAD")


def test_history_of_one_memory(committed):
    committed.delete("m1")
    committed.commit("forget m1", timestamp=3_000_000)
    versions = committed.history("m1")
    assert [v.commit.message for v in versions] == ["forget m1", "second", "first"]
    assert versions[0].deleted and versions[0].memory is None
    assert versions[1].memory.content == "the user likes green tea"
    assert versions[2].memory.content == "the user likes tea"
    assert [v.commit.message for v in committed.history("m1", ref="HEAD~1")] == ["second", "first"]
    assert committed.history("never") == []
    assert "deleted" in repr(versions[0])


def test_session(committed):
    # oldest first: m1 was written again (an upsert) after m2
    assert [m.id for m in committed.session("s1")] == ["m2", "m1"]
    assert [m.id for m in committed.session("s2")] == ["m3"]
    assert [m.content for m in committed.session("s1", at="HEAD~1")] == [
        "the user likes tea", "the user lives in Paris"]
    assert committed.session("nobody") == []
    with pytest.raises(gitmem.InvalidArgumentError):
        committed.session("")


def test_time_travel(committed):
    # int microseconds and datetimes both name a point in time
    assert committed.get("m1", at=1_500_000).content == "the user likes tea"
    when = datetime(1970, 1, 1, 0, 0, 1, 500_000, tzinfo=timezone.utc)
    assert committed.get("m1", at=when).content == "the user likes tea"
    assert committed.count(at=when) == 2
    assert [m.id for m in committed.list(at=when)] == ["m1", "m2"]
    assert committed.get("m1", at=2_000_000).content == "the user likes green tea"
    with pytest.raises(gitmem.NotFoundError):
        committed.get("m3", at=when)
    with pytest.raises(gitmem.NotFoundError):
        committed.get("m1", at=10)  # before the first commit
    # revisions
    assert committed.get("m1", at="HEAD~1").content == "the user likes tea"
    assert committed.get("m1", at=committed.log()[1]).content == "the user likes tea"
    with pytest.raises(TypeError):
        committed.get("m1", at=1.5)
    with pytest.raises(TypeError):
        committed.get("m1", at=True)


def test_naive_datetime_is_local_time(committed):
    aware = datetime(1970, 1, 1, 0, 0, 1, 500_000, tzinfo=timezone.utc)
    naive_local = aware.astimezone().replace(tzinfo=None)
    assert committed.get("m1", at=naive_local).content == "the user likes tea"
