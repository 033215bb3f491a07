"""Shared fixtures: a fresh repository per test, and a helper that captures everything a
failed call must leave unchanged."""

import pytest

import gitmem


@pytest.fixture
def repo(tmp_path):
    with gitmem.Repository.init(tmp_path / "store") as r:
        yield r


@pytest.fixture
def committed(repo):
    """A repository with two commits on main: m1, m2 then m3 (and m1 updated)."""
    repo.add("the user likes tea", id="m1", session_id="s1", agent_id="a1")
    repo.add("the user lives in Paris", id="m2", session_id="s1", agent_id="a1")
    repo.commit("first", timestamp=1_000_000)
    repo.add("the user likes green tea", id="m1", session_id="s1", agent_id="a1")
    repo.add("the meeting is on Friday", id="m3", session_id="s2", agent_id="a2")
    repo.commit("second", timestamp=2_000_000)
    return repo


def state(repo):
    """Everything observable about a repository's state."""
    return (
        len(repo),
        [(m.id, m.content, m.metadata, m.tags) for m in repo.list()],
        [c.id for c in repo.log()],
        [(s.id, s.deleted, s.memory.content if s.memory else None) for s in repo.staged()],
        [(b.name, b.head, b.is_current, b.staged) for b in repo.branches()],
        [(t.name, t.target) for t in repo.tags()],
        repo.head,
    )


@pytest.fixture
def unchanged():
    """`with unchanged(repo): bad call` asserts the call changed nothing."""
    import contextlib

    @contextlib.contextmanager
    def check(repo):
        before = state(repo)
        yield
        assert state(repo) == before

    return check
