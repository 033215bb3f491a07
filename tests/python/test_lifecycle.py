"""init / open / close / context manager / options / errors / fsck / module surface."""

import pathlib

import pytest

import gitmem


def test_init_open_round_trip(tmp_path):
    path = tmp_path / "store"
    with gitmem.Repository.init(path, name="acme/agent", description="d") as r:
        assert r.name == "acme/agent" and r.path == str(path) and r.head == "main"
        r.add("x", id="x")
        r.commit("c")
    with gitmem.Repository.open(path) as r:  # the only repository
        assert r.name == "acme/agent" and r.get("x").content == "x"
    with gitmem.Repository.open(str(path), name="acme/agent") as r:
        assert len(r) == 1
    assert gitmem.Repository.list_repositories(path) == ["acme/agent"]


def test_init_options(tmp_path):
    with gitmem.Repository.init(tmp_path, default_branch="trunk", author="bot",
                                max_content_bytes=10) as r:
        assert r.head == "trunk"
        with pytest.raises(gitmem.InvalidArgumentError, match="10 bytes"):
            r.add("more than ten bytes")
        mid = r.add("short")
        assert r.get(mid).author == "bot"


def test_auto_commit(tmp_path):
    with gitmem.Repository.init(tmp_path, auto_commit=True) as r:
        r.add("x", id="x")
        assert r.staged() == [] and len(r.log()) == 1
        r.delete("x")
        assert len(r.log()) == 2


def test_init_errors(tmp_path):
    gitmem.Repository.init(tmp_path).close()
    with pytest.raises(gitmem.AlreadyExistsError):
        gitmem.Repository.init(tmp_path)
    with pytest.raises(gitmem.InvalidArgumentError, match="owner/name"):
        gitmem.Repository.init(tmp_path / "other", name="noslash")
    with pytest.raises(gitmem.InvalidArgumentError):
        gitmem.Repository.init(tmp_path / "other", default_branch="a..b")
    with pytest.raises(TypeError):
        gitmem.Repository.init(42)


def test_open_errors(tmp_path):
    gitmem.Repository.init(tmp_path, name="a/one").close()
    with pytest.raises(gitmem.NotFoundError):
        gitmem.Repository.open(tmp_path, name="a/two")
    gitmem.Repository.init(tmp_path, name="a/two").close()
    with pytest.raises(gitmem.InvalidArgumentError, match="several"):
        gitmem.Repository.open(tmp_path)
    with pytest.raises(gitmem.GitmemError):
        gitmem.Repository.open(tmp_path / "missing")


def test_several_repositories_share_a_store(tmp_path):
    with gitmem.Repository.init(tmp_path, name="a/one") as one, \
            gitmem.Repository.init(tmp_path, name="a/two") as two:
        one.add("in one", id="x")
        assert "x" not in two
    assert gitmem.Repository.list_repositories(tmp_path) == ["a/one", "a/two"]


def test_context_manager_closes(tmp_path):
    with gitmem.Repository.init(tmp_path) as r:
        r.add("x")
        assert not r.closed
    assert r.closed
    assert "closed" in repr(r)
    for call in (lambda: len(r), lambda: r.add("y"), lambda: r.log(), lambda: r.head,
                 lambda: r.commit("c"), lambda: r.get("x")):
        with pytest.raises(gitmem.InvalidArgumentError, match="closed"):
            call()
    r.close()  # idempotent
    # the store was released: it can be opened again, and the staged write survived
    with gitmem.Repository.open(tmp_path) as again:
        assert len(again) == 1


def test_context_manager_closes_on_error(tmp_path):
    with pytest.raises(RuntimeError):
        with gitmem.Repository.init(tmp_path) as r:
            raise RuntimeError("boom")
    assert r.closed


def test_read_only(tmp_path):
    with gitmem.Repository.init(tmp_path) as r:
        r.add("x", id="x")
        r.commit("c")
    with gitmem.Repository.open(tmp_path, read_only=True) as ro:
        assert ro.get("x").content == "x"
        with pytest.raises(gitmem.PermissionDeniedError):
            ro.add("y")
        with pytest.raises(gitmem.PermissionDeniedError):
            ro.branch("b")


def test_fsck(committed):
    report = committed.fsck()
    assert isinstance(report, gitmem.FsckReport)
    assert report.ok and report.problems == () and report.commits == 2
    assert report.objects_checked >= report.commits + report.trees + report.blobs - 1
    assert "ok=True" in repr(report)


def test_repr_and_pathlike(tmp_path):
    with gitmem.Repository.init(pathlib.Path(tmp_path)) as r:
        assert repr(r) == f"<gitmem.Repository 'local/memory' at '{tmp_path}' head='main'>"


def test_constructor_is_internal():
    with pytest.raises(TypeError):
        gitmem.Repository("/tmp/x")


def test_exception_hierarchy():
    assert issubclass(gitmem.NotFoundError, KeyError)
    assert issubclass(gitmem.InvalidArgumentError, ValueError)
    assert issubclass(gitmem.StorageError, OSError)
    for cls in (gitmem.NotFoundError, gitmem.AlreadyExistsError, gitmem.InvalidArgumentError,
                gitmem.ConflictError, gitmem.PermissionDeniedError, gitmem.CorruptionError,
                gitmem.BusyError, gitmem.StorageError, gitmem.InternalError):
        assert issubclass(cls, gitmem.GitmemError)
        assert not issubclass(cls, RuntimeError)
    e = gitmem.NotFoundError("memory 'x' not found")
    assert str(e) == "memory 'x' not found" and e.code == "not found"


def test_package_surface():
    assert gitmem.__version__.count(".") == 2
    pkg = pathlib.Path(gitmem.__file__).parent
    assert (pkg / "py.typed").exists() and (pkg / "_core.pyi").exists()
    for name in gitmem.__all__:
        assert hasattr(gitmem, name)
