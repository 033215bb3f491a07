// bench_core: gitmem's core operations beside raw RocksDB, in the same run.
//
//   bench_core --benchmark_format=json [--benchmark_filter=...]
//   GITMEM_BENCH_MAX_N=10000 bench_core      (skip the 1M cases, for a quick look)
//
// Counters: "new_bytes" = bytes of objects a commit added (blobs + tree nodes + commit).
// Ratios against the raw baseline are computed by benchmarks/ratios.py from the JSON.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <unordered_set>

#include "bench_util.h"
#include "gitmem/gitmem.hpp"
#include "object/codec.h"
#include "repo/repo_impl.h"
#include "store/store.h"
#include "tree/prolly_tree.h"

namespace fs = std::filesystem;
using namespace gitmem;
using namespace gitmem::bench;

namespace {

std::unique_ptr<Repository> NewRepo(const fs::path& dir) {
  RepositoryOptions o;
  o.auto_commit = true;  // PutMany commits the batch as one commit
  auto r = Repository::Init(o, dir.string());
  if (!r.ok()) std::abort();
  return std::move(r).value();
}

// A repository and a raw DB holding the same N records, built once per N.
struct Fixture {
  fs::path dir;
  std::unique_ptr<Repository> repo;    // auto_commit: imports commit at once
  std::unique_ptr<Repository> stager;  // the same repository, staging writes
  std::unique_ptr<rocksdb::DB> raw;
  std::vector<std::string> ids;
};

// Closed before main returns: RocksDB's own statics must outlive the databases.
std::map<int64_t, std::unique_ptr<Fixture>>& Fixtures() {
  static std::map<int64_t, std::unique_ptr<Fixture>> fixtures;
  return fixtures;
}

Fixture& FixtureFor(int64_t n) {
  auto& f = Fixtures()[n];
  if (!f) {
    f = std::make_unique<Fixture>();
    f->dir = BenchDir("fixture-" + std::to_string(n));
    auto records = Records(static_cast<uint64_t>(n));
    f->repo = NewRepo(f->dir / "gitmem");
    Check(f->repo->PutMany(records).status());
    f->stager = std::move(Repository::Open({}, (f->dir / "gitmem").string())).value();
    f->raw = OpenRaw(f->dir / "raw");
    RawImport(f->raw.get(), records);
    // Reads are measured in a steady state: both databases flushed and fully compacted.
    SteadyState(f->dir / "gitmem");
    if (!f->raw->Flush(rocksdb::FlushOptions()).ok()) std::abort();
    if (!f->raw->CompactRange(rocksdb::CompactRangeOptions(), nullptr, nullptr).ok()) std::abort();
    for (auto& r : records) f->ids.push_back(r.id);
  }
  return *f;
}

// ---- the user's path ---------------------------------------------------------------------
// What a user does: stage an import (PutMany), commit it, then work at once — no flush, no
// compaction, whatever RocksDB still holds in memtables and deletion markers. The figures
// above this section are taken in a steady state (SteadyState) instead.

struct UserPath {
  fs::path dir;
  std::unique_ptr<Repository> repo;
  std::vector<std::string> ids;
};

std::map<int64_t, std::unique_ptr<UserPath>>& UserPaths() {
  static std::map<int64_t, std::unique_ptr<UserPath>> paths;
  return paths;
}

UserPath& UserPathFor(int64_t n) {
  auto& u = UserPaths()[n];
  if (!u) {
    u = std::make_unique<UserPath>();
    u->dir = BenchDir("user-path-" + std::to_string(n));
    auto records = Records(static_cast<uint64_t>(n));
    u->repo = std::move(Repository::Init({}, (u->dir / "gitmem").string())).value();
    Check(u->repo->PutMany(records).status());
    CommitOptions co;
    co.message = "import";
    Check(u->repo->Commit(co).status());
    for (auto& r : records) u->ids.push_back(r.id);
  }
  return *u;
}

// A 10-change commit on main (5 updates, 5 new memories), staging included.
void BM_UserPath_Commit10(benchmark::State& state) {
  UserPath& u = UserPathFor(state.range(0));
  std::mt19937_64 rng(static_cast<uint64_t>(state.range(0)));
  uint64_t next_new = 0;
  Latencies lat;
  CommitOptions co;
  co.message = "ten";
  for (auto _ : state) {
    std::vector<Memory> changes;
    for (int i = 0; i < 10; ++i)
      changes.push_back(
          Memory{.id = i % 2 == 0 ? u.ids[rng() % u.ids.size()] : "user-new-" + std::to_string(next_new++),
                 .content = Text(rng())});
    lat.Time([&] {
      Check(u.repo->PutMany(changes).status());
      Check(u.repo->Commit(co).status());
    });
  }
  lat.Report(state);
}

void BM_UserPath_CreateBranch(benchmark::State& state) {
  UserPath& u = UserPathFor(state.range(0));
  uint64_t i = 0;
  Latencies lat;
  for (auto _ : state) {
    const std::string name = "user-b-" + std::to_string(i++);
    lat.Time([&] { Check(u.repo->CreateBranch(name)); });
  }
  lat.Report(state);
  for (uint64_t j = 0; j < i; ++j) Check(u.repo->DeleteBranch("user-b-" + std::to_string(j)));
}

// Listing 100 branches (created here on first use), each with a few staged changes.
void BM_UserPath_ListBranches(benchmark::State& state) {
  UserPath& u = UserPathFor(state.range(0));
  for (int b = 0; b < 100; ++b) {
    const std::string name = "list-" + std::to_string(b);
    if (!u.repo->CreateBranch(name).ok()) continue;
    WriteOptions w;
    w.branch = name;
    Check(u.repo->Put(Memory{.id = "staged-" + name, .content = Text(b)}, w).status());
  }
  Latencies lat;
  size_t listed = 0;
  for (auto _ : state) {
    lat.Time([&] {
      auto branches = u.repo->ListBranches();
      Check(branches.status());
      listed = branches->size();
    });
  }
  state.counters["branches"] = static_cast<double>(listed);
  lat.Report(state);
}

// The diff of main's last commit and a branch 100 changes ahead of it.
void BM_UserPath_Diff100(benchmark::State& state) {
  UserPath& u = UserPathFor(state.range(0));
  const std::string branch = "user-diff";
  if (u.repo->CreateBranch(branch).ok()) {
    WriteOptions w;
    w.branch = branch;
    std::vector<Memory> changes;
    for (int i = 0; i < 50; ++i) changes.push_back(Memory{.id = u.ids[i * 97 % u.ids.size()], .content = Text(i + 1)});
    for (int i = 0; i < 50; ++i) changes.push_back(Memory{.id = "user-diff-" + std::to_string(i), .content = Text(i)});
    Check(u.repo->PutMany(changes, w).status());
    CommitOptions co;
    co.branch = branch;
    co.message = "diff";
    Check(u.repo->Commit(co).status());
  }
  Latencies lat;
  size_t changes = 0;
  for (auto _ : state) {
    lat.Time([&] {
      auto d = u.repo->DiffRevs({"main~0"}, {branch + "~0"});
      Check(d.status());
      changes = d->entries.size();
    });
  }
  state.counters["changes"] = static_cast<double>(changes);
  lat.Report(state);
}

// ---- import ----------------------------------------------------------------------------

void BM_Import_Raw(benchmark::State& state) {
  const auto records = Records(static_cast<uint64_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = BenchDir("raw-import");
    auto db = OpenRaw(dir);
    state.ResumeTiming();
    RawImport(db.get(), records);
    state.PauseTiming();
    db.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_Import_Gitmem(benchmark::State& state) {
  const auto records = Records(static_cast<uint64_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = BenchDir("gitmem-import");
    auto repo = NewRepo(dir);
    state.ResumeTiming();
    Check(repo->PutMany(records).status());
    state.PauseTiming();
    repo.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

// ---- commit ----------------------------------------------------------------------------

// Bytes of the tree nodes reachable from `root` that `old_nodes` does not hold.
uint64_t NewNodeBytes(const tree::NodeSource& src, const ObjectId& root,
                      const std::unordered_set<ObjectId, tree::ObjectIdHash>& old_nodes) {
  if (old_nodes.count(root)) return 0;
  auto node = src.Load(root);
  uint64_t bytes = tree::EncodeNode(**node).size();
  if (!(*node)->is_leaf())
    for (const auto& e : (*node)->entries) bytes += NewNodeBytes(src, e.ref, old_nodes);
  return bytes;
}

void CollectNodes(const tree::NodeSource& src, const ObjectId& root,
                  std::unordered_set<ObjectId, tree::ObjectIdHash>* out) {
  if (!out->insert(root).second) return;
  auto node = src.Load(root);
  if (!(*node)->is_leaf())
    for (const auto& e : (*node)->entries) CollectNodes(src, e.ref, out);
}

// Commits k changed memories: k/2 updates of random existing ids and k/2 new ones (agents
// mostly append; updates land anywhere in the tree). Staging is outside the timing.
void BM_Commit(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int k = static_cast<int>(state.range(1));
  Fixture& f = FixtureFor(n);
  const std::string branch = "commit-" + std::to_string(k);
  (void)f.repo->CreateBranch(branch);  // exists already on a second run of this case
  WriteOptions w;
  w.branch = branch;
  CommitOptions co;
  co.branch = branch;
  co.message = "bench";
  std::mt19937_64 rng(static_cast<uint64_t>(n * 31 + k));
  uint64_t next_new = 0, measured = 0, new_bytes = 0;
  auto store = *Store::Open((f.dir / "gitmem").string(), {});
  tree::NodeCache cache(512u << 20);
  StoreNodeSource source(store.get(), &cache);
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Memory> changes;
    for (int i = 0; i < k; ++i) {
      Memory m;
      m.id = i % 2 == 0 ? f.ids[rng() % f.ids.size()] : "new-" + std::to_string(k) + "-" + std::to_string(next_new++);
      m.content = Text(rng());
      changes.push_back(std::move(m));
    }
    Check(f.stager->PutMany(changes, w).status());
    const CommitInfo before = *f.stager->Show(branch);
    state.ResumeTiming();
    auto c = f.stager->Commit(co);
    state.PauseTiming();
    Check(c.status());
    if (measured < 3) {  // what the commit added: new nodes, the k blobs, the commit object
      const CommitInfo after = *f.stager->Show(c->hex());
      std::unordered_set<ObjectId, tree::ObjectIdHash> old_nodes;
      CollectNodes(source, before.tree, &old_nodes);
      uint64_t bytes = NewNodeBytes(source, after.tree, old_nodes) + EncodeCommit(after).size();
      for (const Memory& m : changes) bytes += EncodeMemory(*f.stager->Get(m.id, {branch})).size();
      new_bytes += bytes;
      ++measured;
    }
    state.ResumeTiming();
  }
  state.counters["new_bytes"] = static_cast<double>(new_bytes) / static_cast<double>(measured);
}

// Diff of two commits 100 changes apart (50 updates, 25 deletions, 25 additions).
void BM_Diff(benchmark::State& state) {
  const int64_t n = state.range(0);
  Fixture& f = FixtureFor(n);
  const std::string branch = "diff-bench";
  const ObjectId a = *f.repo->Resolve("main");
  if (f.repo->CreateBranch(branch).ok()) {
    WriteOptions w;
    w.branch = branch;
    std::mt19937_64 rng(99);
    std::vector<Memory> changes;
    for (int i = 0; i < 50; ++i) changes.push_back(Memory{.id = f.ids[rng() % f.ids.size()], .content = Text(rng())});
    for (int i = 0; i < 25; ++i) changes.push_back(Memory{.id = "diff-new-" + std::to_string(i), .content = Text(i)});
    Check(f.stager->PutMany(changes, w).status());
    for (int i = 0; i < 25; ++i) {
      const std::string& id = f.ids[rng() % f.ids.size()];
      if (f.stager->Get(id, {branch}).ok()) Check(f.stager->Delete(id, w));
    }
    CommitOptions co;
    co.branch = branch;
    co.message = "diff bench";
    Check(f.stager->Commit(co).status());
  }
  const ObjectId b = *f.repo->Resolve(branch);
  size_t changes = 0;
  for (auto _ : state) {
    auto d = f.repo->DiffRevs({a.hex()}, {b.hex()});
    Check(d.status());
    changes = d->entries.size();
    benchmark::DoNotOptimize(changes);
  }
  state.counters["changes"] = static_cast<double>(changes);
}

void BM_CreateBranch(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  uint64_t i = 0;
  std::vector<std::string> made;
  for (auto _ : state) {
    std::string name = "b-" + std::to_string(i++);
    Check(f.repo->CreateBranch(name));
    made.push_back(std::move(name));
  }
  for (const auto& name : made) Check(f.repo->DeleteBranch(name));
}

void BM_Get_Raw(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  std::mt19937_64 rng(1);
  std::string value;
  for (auto _ : state) {
    const std::string& id = f.ids[rng() % f.ids.size()];
    if (!f.raw->Get(rocksdb::ReadOptions(), id, &value).ok()) std::abort();
    auto m = DecodeMemory(value);  // the raw side decodes too: both return a record
    benchmark::DoNotOptimize(m);
  }
}

void BM_Get_Gitmem(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  std::mt19937_64 rng(1);
  for (auto _ : state) {
    auto m = f.repo->Get(f.ids[rng() % f.ids.size()]);
    if (!m.ok()) std::abort();
    benchmark::DoNotOptimize(m);
  }
}

void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {10'000LL, 1'000'000LL})
    if (n <= MaxN()) b->Arg(n);
}

void CommitSizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {10'000LL, 1'000'000LL})
    if (n <= MaxN())
      for (int64_t k : {10, 100}) b->Args({n, k});
}

void ImportSizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {100'000LL, 1'000'000LL})
    if (n <= MaxN()) b->Arg(n);
}

}  // namespace

// The user's path first, each size's import made when its first case runs.
BENCHMARK(BM_UserPath_Commit10)->Apply(Sizes)->Iterations(300)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UserPath_CreateBranch)->Apply(Sizes)->Iterations(300)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UserPath_ListBranches)->Apply(Sizes)->Iterations(300)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_UserPath_Diff100)->Apply(Sizes)->Iterations(300)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Import_Raw)->Apply(ImportSizes)->Iterations(1)->Repetitions(2)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Import_Gitmem)->Apply(ImportSizes)->Iterations(1)->Repetitions(2)->Unit(benchmark::kMillisecond);
// Reads first: right after the fixture's full compaction, before the write benchmarks
// leave flushes and compactions running in the background.
BENCHMARK(BM_Get_Raw)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Get_Gitmem)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Commit)->Apply(CommitSizes)->Iterations(200)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Diff)->Apply(Sizes)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_CreateBranch)->Apply(Sizes)->Iterations(2000)->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  Fixtures().clear();
  UserPaths().clear();
  fs::remove_all(bench::BenchRoot());
  return 0;
}
