"""Merge, cherry-pick, revert, merge bases and fork from Python."""

import pytest

import gitmem


@pytest.fixture
def diverged(repo):
    """main and feature both changed memory x (and each changed something else)."""
    repo.add("x base", id="x", importance=0.5)
    repo.add("y base", id="y")
    repo.add("z base", id="z")
    repo.commit("base")
    repo.branch("feature")
    repo.add("x on main", id="x", importance=0.2, timestamp=5_000_000)
    repo.add("only main", id="m")
    repo.commit("main work")
    repo.add("x on feature", id="x", importance=0.9, timestamp=9_000_000, branch="feature")
    repo.add("only feature", id="f", branch="feature")
    repo.commit("feature work", branch="feature")
    return repo


def test_fast_forward(repo):
    repo.add("one", id="a")
    repo.commit("one")
    repo.branch("feature")
    repo.add("two", id="b", branch="feature")
    head = repo.commit("two", branch="feature")
    r = repo.merge("feature")
    assert isinstance(r, gitmem.MergeResult)
    assert r.fast_forward and r.commit == head and r.conflicts == ()
    assert repo.get("b").content == "two"
    assert repo.merge("feature").up_to_date


def test_clean_three_way_merge_has_two_parents(repo):
    repo.add("one", id="a")
    repo.commit("one")
    repo.branch("feature")
    repo.add("main side", id="m")
    main_head = repo.commit("main")
    repo.add("feature side", id="f", branch="feature")
    feat_head = repo.commit("feature", branch="feature")
    r = repo.merge("feature", message="merge it")
    assert not r.fast_forward and r.conflicts == ()
    c = repo.show(r.commit)
    assert c.parents == (main_head, feat_head)
    assert c.message == "merge it"
    assert repo.log()[0].parents == (main_head, feat_head)
    assert {m.id for m in repo.list()} == {"a", "m", "f"}
    assert repo.merge_bases("main", "feature") == [feat_head]


def test_fail_strategy_raises_with_conflicts_and_changes_nothing(diverged, unchanged):
    with unchanged(diverged):
        with pytest.raises(gitmem.ConflictError) as ei:
            diverged.merge("feature")
    (c,) = ei.value.conflicts
    assert isinstance(c, gitmem.Conflict)
    assert c.id == "x" and c.kind == "both_modified"
    assert c.base.content == "x base"
    assert c.ours.content == "x on main"
    assert c.theirs.content == "x on feature"
    assert diverged.merge_bases("main", "feature") == [diverged.resolve("main~1")]


@pytest.mark.parametrize(
    "strategy, expected",
    [("ours", "x on main"), ("theirs", "x on feature"), ("newest", "x on feature"),
     ("most_important", "x on feature")],
)
def test_strategies(diverged, strategy, expected):
    r = diverged.merge("feature", strategy=strategy)
    assert r.commit is not None
    assert [c.id for c in r.conflicts] == ["x"]
    assert r.conflicts[0].resolution.content == expected
    assert diverged.get("x").content == expected
    assert {m.id for m in diverged.list()} == {"x", "y", "z", "m", "f"}
    assert len(diverged.show(r.commit).parents) == 2


def test_modify_delete_conflict(repo):
    repo.add("keep me", id="k")
    repo.commit("base")
    repo.branch("feature")
    repo.delete("k", branch="feature")
    repo.commit("delete", branch="feature")
    repo.add("changed", id="k")
    repo.commit("change")
    with pytest.raises(gitmem.ConflictError) as ei:
        repo.merge("feature")
    (c,) = ei.value.conflicts
    assert c.kind == "modified_deleted" and c.theirs is None and c.ours.content == "changed"
    repo.merge("feature", strategy="theirs")
    assert "k" not in repo


@pytest.mark.parametrize(
    "answer, expected",
    [("theirs", "x on feature"), ("ours", "x on main"), ("base", "x base"), (None, None),
     ({"content": "merged by hand", "tags": ["manual"]}, "merged by hand")],
)
def test_resolver_callback(diverged, answer, expected):
    seen = []

    def resolve(conflict):
        seen.append(conflict)
        return answer

    r = diverged.merge("feature", resolver=resolve)
    assert [c.id for c in seen] == ["x"] and seen[0].ours.content == "x on main"
    assert r.commit is not None
    if expected is None:
        assert "x" not in diverged
    else:
        assert diverged.get("x").content == expected


def test_resolver_returning_memory_item(diverged):
    r = diverged.merge("feature", resolver=lambda c: c.theirs)
    assert diverged.get("x").content == "x on feature" and r.commit


def test_resolver_exception_propagates_and_changes_nothing(diverged, unchanged):
    class Boom(Exception):
        pass

    def resolve(c):
        raise Boom("no")

    with unchanged(diverged):
        with pytest.raises(Boom):
            diverged.merge("feature", resolver=resolve)
        with pytest.raises(ValueError):
            diverged.merge("feature", resolver=lambda c: "mine")
        with pytest.raises(ValueError):
            diverged.merge("feature", resolver=lambda c: {"id": "other", "content": "x"})


def test_bad_merge_inputs_change_nothing(diverged, unchanged):
    with unchanged(diverged):
        with pytest.raises(ValueError, match="strategy"):
            diverged.merge("feature", strategy="mine")
        with pytest.raises(ValueError, match="strategy"):
            diverged.merge("feature", strategy="ours", resolver=lambda c: None)
        with pytest.raises(gitmem.NotFoundError):
            diverged.merge("no-such-branch")
        with pytest.raises(gitmem.NotFoundError):
            diverged.merge("feature", into="no-such-branch")
        with pytest.raises(TypeError):
            diverged.merge("feature", resolver=42)
        with pytest.raises(ValueError):
            diverged.merge("")


def test_merge_into_another_branch(diverged):
    r = diverged.merge("main", into="feature", strategy="ours")
    assert diverged.get("x", at="feature").content == "x on feature"
    assert diverged.get("m", at="feature").content == "only main"
    assert diverged.head == "main" and r.commit == diverged.resolve("feature")


def test_cherry_pick_and_revert(repo):
    repo.add("one", id="a")
    repo.commit("one")
    repo.branch("feature")
    repo.add("picked", id="p", branch="feature")
    pick = repo.commit("to pick", branch="feature")
    repo.add("not picked", id="q", branch="feature")
    repo.commit("not this", branch="feature")
    r = repo.cherry_pick(pick)
    assert r.commit and repo.get("p").content == "picked" and "q" not in repo
    assert len(repo.show(r.commit).parents) == 1
    r2 = repo.revert(r.commit)
    assert "p" not in repo and len(repo.show(r2.commit).parents) == 1


def test_cherry_pick_conflict(repo):
    repo.add("v1", id="a")
    repo.commit("one")
    repo.branch("feature")
    repo.add("v2 feature", id="a", branch="feature")
    pick = repo.commit("feature change", branch="feature")
    repo.add("v2 main", id="a")
    repo.commit("main change")
    with pytest.raises(gitmem.ConflictError) as ei:
        repo.cherry_pick(pick)
    assert ei.value.conflicts[0].id == "a"
    repo.cherry_pick(pick, strategy="theirs")
    assert repo.get("a").content == "v2 feature"


def test_fork(repo):
    repo.add("shared memory", id="s")
    head = repo.commit("one")
    repo.branch("exp")
    with repo.fork("someone/copy") as f:
        assert isinstance(f, gitmem.Repository)
        assert f.name == "someone/copy"
        assert f.resolve("main") == head
        assert {b.name for b in f.branches()} == {"main", "exp"}
        assert f.info().upstream == repo.name
        f.add("only in the fork", id="o")
        f.commit("fork work")
        assert "o" not in repo
    assert repo.info().forks == 1
    assert sorted(gitmem.Repository.list_repositories(repo.path)) == ["local/memory", "someone/copy"]
    with pytest.raises(gitmem.AlreadyExistsError):
        repo.fork("someone/copy")
    with pytest.raises(ValueError):
        repo.fork("not a valid name!")


def test_info(repo):
    i = repo.info()
    assert isinstance(i, gitmem.RepositoryInfo)
    assert i.name == "local/memory" and i.default_branch == "main" and i.upstream == ""
