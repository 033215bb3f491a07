"""fsck (repository and store-wide), gc, and export / import of JSON Lines and bundles."""

import json

import pytest

import gitmem


def test_fsck_store_wide(committed):
    r = committed.fsck()
    assert r.ok and r.commits == 2
    s = committed.fsck(store=True)
    assert isinstance(s, gitmem.FsckReport) and s.ok and s.objects_checked >= r.objects_checked
    a = committed.fsck(all_objects=True)
    assert a.ok


def _main_and_scratch(repo):
    """One memory on main; a branch "scratch" with 50 memories of its own."""
    repo.add("main memory", id="m")
    repo.commit("main")
    repo.branch("scratch")
    repo.add_many([{"content": f"scratch memory {i}", "id": f"s{i}"} for i in range(50)],
                  branch="scratch")
    repo.commit("scratch work", branch="scratch")


def test_gc_frees_a_deleted_branch(repo):
    _main_and_scratch(repo)
    dry = repo.gc(dry_run=True)
    assert isinstance(dry, gitmem.GcReport) and dry.ok and dry.objects_freed == 0
    repo.delete_branch("scratch")
    would = repo.gc(dry_run=True)
    assert would.objects_freed > 0
    report = repo.gc()
    assert report.ok
    assert report.objects_freed == would.objects_freed > 50
    assert report.bytes_freed > 0
    assert report.objects_scanned == report.objects_reachable + report.objects_freed
    assert repo.fsck(store=True).ok
    assert repo.get("m").content == "main memory"
    assert repo.gc().objects_freed == 0


def test_gc_frees_a_deleted_branch_search_index(tmp_path):
    path = str(tmp_path / "store")
    repo = gitmem.Repository.init(path)
    _main_and_scratch(repo)
    assert repo.search("scratch memory 7", at="scratch")[0].id == "s7"
    repo.close()  # persists the branch's index
    repo = gitmem.Repository.open(path)
    repo.delete_branch("scratch")
    report = repo.gc()
    assert report.objects_freed > 50
    assert report.vectors_freed == 50
    assert report.index_snapshots_freed >= 2
    assert report.index_bytes_freed > 0
    assert repo.search("main memory", at="main")[0].id == "m"
    assert repo.fsck(store=True).ok
    again = repo.gc()
    assert again.objects_freed == 0 and again.index_bytes_freed == 0
    repo.close()


def test_jsonl_round_trip(committed, tmp_path):
    path = tmp_path / "out.jsonl"
    n = committed.export_jsonl(path)
    assert n == len(committed) == 3
    lines = [json.loads(l) for l in path.read_text().splitlines()]
    assert {l["id"] for l in lines} == {"m1", "m2", "m3"}
    first = committed.log()[-1].id
    assert committed.export_jsonl(tmp_path / "old.jsonl", at=first) == 2

    with gitmem.Repository.init(tmp_path / "other") as other:
        rep = other.import_jsonl(path, message="import")
        assert isinstance(rep, gitmem.ImportReport)
        assert rep.memories == 3 and rep.commit == other.log()[0].id
        assert other.log()[0].message == "import"
        for m in committed.list():
            o = other.get(m.id)
            assert (o.content, o.tags, o.metadata, o.session_id, o.agent_id, o.timestamp_us) == (
                m.content, m.tags, m.metadata, m.session_id, m.agent_id, m.timestamp_us)


def test_bad_jsonl_changes_nothing(repo, tmp_path, unchanged):
    repo.add("existing", id="e")
    repo.commit("one")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "ok", "content": "fine"}\n{"id": "bad", "content": "x", "importance": 7}\n')
    with unchanged(repo):
        with pytest.raises(ValueError, match="importance"):
            repo.import_jsonl(bad)
        with pytest.raises(gitmem.GitmemError):
            repo.import_jsonl(tmp_path / "missing.jsonl")
        with pytest.raises(ValueError):
            repo.import_jsonl("")


def test_bundle_round_trip_keeps_commit_ids(committed, tmp_path):
    committed.tag("v1")
    path = tmp_path / "repo.bundle"
    n = committed.export_bundle(path)
    assert n > 0
    with gitmem.Repository.init(tmp_path / "other") as other:
        rep = other.import_bundle(path)
        assert rep.objects == n and rep.refs >= 2
        assert [c.id for c in other.log()] == [c.id for c in committed.log()]
        assert other.resolve("v1") == committed.resolve("v1")
        assert {m.id for m in other.list()} == {"m1", "m2", "m3"}
        assert other.fsck().ok
        # Importing again is a no-op; a diverged ref is a conflict unless forced.
        other.import_bundle(path)
        other.add("diverge", id="d")
        other.commit("diverge")
        with pytest.raises(gitmem.ConflictError):
            other.import_bundle(path)
        other.import_bundle(path, force=True)
        assert other.resolve("main") == committed.resolve("main")


def test_bad_bundle_changes_nothing(repo, tmp_path, unchanged):
    repo.add("existing", id="e")
    repo.commit("one")
    junk = tmp_path / "junk.bundle"
    junk.write_bytes(b"not a bundle at all")
    with unchanged(repo):
        with pytest.raises(gitmem.GitmemError):
            repo.import_bundle(junk)


def test_progress_callbacks(committed, tmp_path):
    def recorder():
        calls = []
        return calls, lambda done, total: calls.append((done, total))

    def finished(calls):
        assert calls, "progress was never called"
        assert all(isinstance(d, int) and isinstance(t, int) and 0 <= d <= t for d, t in calls)
        assert [d for d, _ in calls] == sorted(d for d, _ in calls)
        assert calls[-1][0] == calls[-1][1]

    jsonl, bundle = tmp_path / "out.jsonl", tmp_path / "out.bundle"
    calls, cb = recorder()
    committed.export_jsonl(jsonl, progress=cb)
    finished(calls)
    calls, cb = recorder()
    committed.export_bundle(bundle, progress=cb)
    finished(calls)
    calls, cb = recorder()
    committed.gc(progress=cb)
    finished(calls)
    calls, cb = recorder()
    committed.reindex(progress=cb)
    finished(calls)
    with gitmem.Repository.init(tmp_path / "a") as a, gitmem.Repository.init(tmp_path / "b") as b:
        calls, cb = recorder()
        a.import_jsonl(jsonl, progress=cb)
        finished(calls)
        calls, cb = recorder()
        b.import_bundle(bundle, progress=cb)
        finished(calls)


def test_progress_exception_is_raised_after_the_operation(committed, tmp_path):
    def boom(done, total):
        raise RuntimeError("stop here")

    path = tmp_path / "out.jsonl"
    with pytest.raises(RuntimeError, match="stop here"):
        committed.export_jsonl(path, progress=boom)
    assert len(path.read_text().splitlines()) == 3  # the export itself completed
    with pytest.raises(TypeError, match="progress"):
        committed.gc(progress=42)
