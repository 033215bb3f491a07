"""branch / branches / checkout / delete_branch / rename_branch / head / tag / reset /
staged / discard."""

import pytest

import gitmem


def test_branch_checkout_and_isolation(committed):
    b = committed.branch("experiment")
    assert isinstance(b, gitmem.Branch) and b.name == "experiment" and not b.is_current
    assert b.head == committed.resolve("main")
    committed.checkout("experiment")
    assert committed.head == "experiment"
    committed.update("m2", content="the user moved to Lyon")
    committed.delete("m3")
    committed.commit("on experiment")
    assert committed.get("m2").content == "the user moved to Lyon"
    assert committed.get("m2", at="main").content == "the user lives in Paris"
    assert [m.id for m in committed.list(at="main")] == ["m1", "m2", "m3"]
    committed.checkout("main")
    assert len(committed) == 3 and committed.get("m2").content == "the user lives in Paris"
    d = committed.diff("main", "experiment")
    assert ([e.id for e in d.modified], [e.id for e in d.removed]) == (["m2"], ["m3"])
    names = [(x.name, x.is_current) for x in committed.branches()]
    assert names == [("experiment", False), ("main", True)]


def test_write_to_another_branch(committed):
    committed.branch("side")
    committed.add("only on side", id="side1", branch="side")
    assert "side1" not in committed
    assert committed.get("side1", at="side").content == "only on side"
    assert [s.id for s in committed.staged(branch="side")] == ["side1"]
    assert committed.staged() == []
    assert {b.name: b.staged for b in committed.branches()} == {"main": 0, "side": 1}
    committed.commit("side work", branch="side")
    assert committed.log("side")[0].message == "side work"
    assert committed.log()[0].message == "second"


def test_branch_at(committed):
    b = committed.branch("old", at="HEAD~1")
    assert b.head == committed.log()[1].id
    committed.branch("old2", at=committed.log()[1])
    assert committed.get("m1", at="old2").content == "the user likes tea"


def test_branch_reads_no_other_branch(committed):
    """branch() is O(1): it returns what it made without listing every branch."""

    class NoListing:
        def __init__(self, core):
            self._inner = core

        def list_branches(self):
            raise AssertionError("branch() listed the branches")

        def __getattr__(self, name):
            return getattr(self._inner, name)

    for i in range(3):
        committed.branch(f"b{i}")
    core = committed._core
    committed._core = NoListing(core)
    try:
        b = committed.branch("fresh", at="HEAD~1")
    finally:
        committed._core = core
    assert b == next(x for x in committed.branches() if x.name == "fresh")


def test_branch_errors_change_nothing(committed, unchanged):
    committed.branch("exists")
    for name, exc in [("exists", gitmem.AlreadyExistsError), ("main", gitmem.AlreadyExistsError),
                      ("bad..name", gitmem.InvalidArgumentError), ("HEAD", gitmem.InvalidArgumentError),
                      ("", gitmem.InvalidArgumentError), ("has space", gitmem.InvalidArgumentError)]:
        with unchanged(committed):
            with pytest.raises(exc):
                committed.branch(name)
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.branch("x", at="nowhere")
    with unchanged(committed):
        with pytest.raises(TypeError):
            committed.branch(5)


def test_branch_on_unborn_head(repo, unchanged):
    with unchanged(repo):
        with pytest.raises(gitmem.InvalidArgumentError, match="no commits"):
            repo.branch("early")


def test_checkout_errors(committed, unchanged):
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.checkout("ghost")
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError):
            committed.checkout("a:b")


def test_delete_branch(committed, unchanged):
    committed.branch("tmp")
    committed.add("staged on tmp", branch="tmp")
    committed.delete_branch("tmp")
    assert [b.name for b in committed.branches()] == ["main"]
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.delete_branch("tmp")
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError, match="checked out"):
            committed.delete_branch("main")


def test_rename_branch(committed, unchanged):
    committed.add("staged", id="st")
    committed.rename_branch("main", "trunk")
    assert committed.head == "trunk"
    assert [b.name for b in committed.branches()] == ["trunk"]
    assert [s.id for s in committed.staged()] == ["st"]
    committed.branch("other")
    with unchanged(committed):
        with pytest.raises(gitmem.AlreadyExistsError):
            committed.rename_branch("trunk", "other")
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.rename_branch("ghost", "new")


def test_tags(committed, unchanged):
    t = committed.tag("v1")
    assert isinstance(t, gitmem.Tag) and t.target == committed.resolve("HEAD")
    committed.tag("v0", at="HEAD~1")
    assert [x.name for x in committed.tags()] == ["v0", "v1"]
    assert committed.get("m1", at="v0").content == "the user likes tea"
    assert committed.log("v0")[0].message == "first"
    with unchanged(committed):
        with pytest.raises(gitmem.AlreadyExistsError):
            committed.tag("v1")
    with unchanged(committed):
        with pytest.raises(gitmem.InvalidArgumentError):
            committed.tag("bad~tag")
    committed.delete_tag("v0")
    assert [x.name for x in committed.tags()] == ["v1"]
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.delete_tag("v0")


def test_reset(committed, unchanged):
    first, second = committed.log()[1], committed.log()[0]
    committed.add("staged survives", id="st")
    committed.reset("HEAD~1")
    assert committed.log() == [first]
    assert committed.get("m1").content == "the user likes tea"
    assert "st" in committed  # staged changes are kept
    committed.reset(second)
    assert committed.log()[0] == second
    committed.branch("b2", at=first)
    committed.reset(second, branch="b2")
    assert committed.resolve("b2") == second.id
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.reset("nowhere")
    with unchanged(committed):
        with pytest.raises(gitmem.NotFoundError):
            committed.reset("HEAD", branch="ghost")


def test_staged_and_discard(committed):
    committed.add("new", id="n")
    committed.update("m1", importance=1.0)
    committed.delete("m2")
    staged = committed.staged()
    assert [(s.id, s.deleted) for s in staged] == [("m1", False), ("m2", True), ("n", False)]
    assert staged[0].memory.importance == 1.0 and staged[1].memory is None
    assert "delete" in repr(staged[1])
    committed.discard()
    assert committed.staged() == [] and len(committed) == 3
    assert committed.get("m1").importance == 0.5
