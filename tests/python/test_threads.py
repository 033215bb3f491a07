"""Many Python threads calling into one repository."""

import threading
from concurrent.futures import ThreadPoolExecutor

import gitmem


def test_concurrent_writers_and_readers(repo):
    repo.add("seed", id="seed")
    repo.commit("seed")
    n_threads, per_thread = 8, 50
    errors = []
    barrier = threading.Barrier(n_threads + 2)

    def writer(t):
        barrier.wait()
        for i in range(per_thread):
            repo.add(f"thread {t} memory {i}", id=f"t{t}-{i}", session_id=f"s{t}")
        repo.add_many([{"content": f"batch {t}-{i}", "id": f"b{t}-{i}"} for i in range(10)])

    def reader():
        barrier.wait()
        for _ in range(50):
            try:
                assert repo.get("seed", at="HEAD").content == "seed"
                assert len(repo) >= 1
                repo.list(limit=20)
                repo.log()
                repo.diff("HEAD")
            except Exception as e:  # pragma: no cover - reported below
                errors.append(e)

    threads = [threading.Thread(target=writer, args=(t,)) for t in range(n_threads)]
    threads += [threading.Thread(target=reader) for _ in range(2)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    assert errors == []
    assert len(repo) == 1 + n_threads * (per_thread + 10)
    repo.commit("all threads")
    assert repo.count(at="HEAD") == 1 + n_threads * (per_thread + 10)
    assert [m.id for m in repo.session("s3")] == [f"t3-{i}" for i in range(per_thread)]
    assert repo.fsck().ok


def test_concurrent_commits_on_separate_branches(committed):
    names = [f"branch{i}" for i in range(6)]
    for n in names:
        committed.branch(n)

    def work(n):
        for i in range(5):
            committed.add(f"{n} {i}", id=f"{n}-{i}", branch=n)
            committed.commit(f"{n} commit {i}", branch=n)
        return n

    with ThreadPoolExecutor(max_workers=6) as pool:
        assert sorted(pool.map(work, names)) == names
    for n in names:
        assert len(committed.log(n)) == 2 + 5
        assert committed.count(at=n) == 3 + 5
    assert committed.fsck().ok


def test_close_while_other_threads_work(tmp_path):
    repo = gitmem.Repository.init(tmp_path)
    started = threading.Event()
    outcomes = []

    def worker():
        started.set()
        try:
            for i in range(2000):
                repo.add(f"m{i}")
        except gitmem.InvalidArgumentError as e:  # closed under us: a clean error
            outcomes.append(str(e))
        else:
            outcomes.append("finished")

    th = threading.Thread(target=worker)
    th.start()
    started.wait()
    repo.close()
    th.join()
    assert outcomes and (outcomes[0] == "finished" or "closed" in outcomes[0])
    with gitmem.Repository.open(tmp_path) as again:
        assert again.fsck().ok
