// bench_merge: merge, fork, fsck, gc, export and import, beside raw RocksDB.
//
//   bench_merge [--benchmark_filter=...]
//   GITMEM_BENCH_MAX_N=10000 bench_merge      (skip the 1M cases, for a quick look)
//
// Merge: two branches off a base of N memories, each committing 100 changes (50 updates
// of random existing ids, 50 new ids; the sides touch different ids), then one merges
// the other (a three-way merge; the setup is outside the timing).
// Import: the JSON Lines that ExportJsonl wrote for the N memories, imported into an
// empty store, against two raw baselines in the same run: RawJsonl parses the same lines
// with nlohmann-json and puts each line under its id in one RocksDB WriteBatch;
// RawRecords puts already-built records' canonical bytes (no parsing), like bench_core.
#include <benchmark/benchmark.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>

#include "bench_util.h"
#include "gitmem/gitmem.hpp"

namespace fs = std::filesystem;
using namespace gitmem;
using namespace gitmem::bench;

namespace {

// A repository of N memories with 10 branches (and its JSON Lines export); built once per N.
struct Fixture {
  fs::path dir;
  std::unique_ptr<Repository> repo;
  fs::path jsonl;
  uint64_t n = 0;
  int merges = 0;
};

// Closed explicitly at the end of main: RocksDB must not outlive its own statics.
std::map<int64_t, std::unique_ptr<Fixture>>& Fixtures() {
  static auto* fixtures = new std::map<int64_t, std::unique_ptr<Fixture>>();
  return *fixtures;
}

Fixture& FixtureFor(int64_t n) {
  auto& f = Fixtures()[n];
  if (!f) {
    f = std::make_unique<Fixture>();
    f->n = static_cast<uint64_t>(n);
    f->dir = BenchDir("fixture-" + std::to_string(n));
    RepositoryOptions o;
    o.auto_commit = true;
    f->repo = std::move(Repository::Init(o, (f->dir / "store").string())).value();
    {
      auto records = Records(f->n);
      Check(f->repo->PutMany(records).status());
    }
    for (int b = 1; b < 10; ++b) Check(f->repo->CreateBranch("branch-" + std::to_string(b)));
    // Whatever N, nothing is read from a memtable: a bulk import's objects land in
    // table files, a small one's would otherwise still sit in the memtable.
    SteadyState(f->dir / "store");
  }
  return *f;
}

// The fixture's memories as JSON Lines, written by ExportJsonl on first use.
const fs::path& JsonlFor(Fixture& f) {
  if (f.jsonl.empty()) {
    f.jsonl = f.dir / "memories.jsonl";
    Check(f.repo->ExportJsonl(f.jsonl.string()).status());
  }
  return f.jsonl;
}

// 100 changes on `branch`: 50 updates of existing ids from `rng`, 50 new ids.
void CommitChanges(Repository& repo, const std::string& branch, uint64_t n, std::mt19937_64& rng,
                   const std::string& tag, int parity = 0) {
  std::vector<Memory> ms;
  for (int i = 0; i < 50; ++i) {
    Memory m;
    m.id = IdOf((rng() % (n / 2)) * 2 + static_cast<uint64_t>(parity));
    m.content = "updated on " + branch + " " + std::to_string(i);
    ms.push_back(std::move(m));
  }
  for (int i = 0; i < 50; ++i) {
    Memory m;
    m.id = "new-" + tag + "-" + std::to_string(i);
    m.content = "new on " + branch;
    ms.push_back(std::move(m));
  }
  WriteOptions wo;
  wo.branch = branch;
  Check(repo.PutMany(ms, wo).status());  // auto_commit: one commit
}

// One three-way merge on fresh branches off main: returns its wall time in seconds
// (the branches' setup and removal are not timed) and adds the changes it applied.
double TimedMerge(Fixture& f, std::mt19937_64& rng, uint64_t* changes) {
  Repository& repo = *f.repo;
  const std::string a = "ours-" + std::to_string(f.merges), b = "theirs-" + std::to_string(f.merges);
  ++f.merges;
  Check(repo.CreateBranch(a, "main"));
  Check(repo.CreateBranch(b, "main"));
  // Disjoint updates: ours takes even ids, theirs odd ids.
  std::mt19937_64 ra(rng()), rb(rng());
  CommitChanges(repo, a, f.n, ra, a, 0);
  CommitChanges(repo, b, f.n, rb, b, 1);
  MergeOptions mo;
  mo.into = a;
  const auto start = std::chrono::steady_clock::now();
  auto r = repo.Merge(b, mo);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  Check(r.status());
  if (r->has_conflicts() || r->fast_forward) std::abort();
  *changes += r->changes_applied;
  Check(repo.DeleteBranch(a));
  Check(repo.DeleteBranch(b));
  return seconds;
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

void BM_Merge3Way(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  std::mt19937_64 rng(42);
  uint64_t changes = 0;
  for (auto _ : state) state.SetIterationTime(TimedMerge(f, rng, &changes));
  state.counters["changes_applied"] = benchmark::Counter(static_cast<double>(changes) / state.iterations());
}

// The 1M / 10k merge ratio. This machine's speed drifts by tens of percent from one
// minute to the next, so timing the two sizes in separate runs measures the drift as
// much as the scaling: here each iteration merges at both sizes back to back (taking
// turns at going first) and the ratio is of the two medians.
void BM_MergeScaling(benchmark::State& state) {
  if (MaxN() < 1'000'000) {
    state.SkipWithError("needs N = 1,000,000 (GITMEM_BENCH_MAX_N)");
    return;
  }
  Fixture& small = FixtureFor(10'000);
  Fixture& big = FixtureFor(1'000'000);
  std::mt19937_64 rng(7);
  uint64_t changes = 0;
  std::vector<double> ts, tb;
  for (auto _ : state) {
    if (ts.size() % 2 == 0) {
      ts.push_back(TimedMerge(small, rng, &changes));
      tb.push_back(TimedMerge(big, rng, &changes));
    } else {
      tb.push_back(TimedMerge(big, rng, &changes));
      ts.push_back(TimedMerge(small, rng, &changes));
    }
    state.SetIterationTime(tb.back());
  }
  const double ms = Median(ts), mb = Median(tb);
  state.counters["p50_10k_ms"] = ms * 1e3;
  state.counters["p50_1M_ms"] = mb * 1e3;
  state.counters["ratio_p50"] = mb / ms;
}

void BM_Fork(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  int i = 0;
  for (auto _ : state) {
    auto fork = f.repo->Fork("fork/copy-" + std::to_string(i++));
    Check(fork.status());
  }
  auto branches = f.repo->ListBranches();
  state.counters["branches"] = static_cast<double>(branches->size());
}

void BM_FsckStore(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  uint64_t objects = 0;
  for (auto _ : state) {
    auto r = f.repo->FsckAll();
    Check(r.status());
    if (!r->ok()) std::abort();
    objects += r->objects_checked;
  }
  state.counters["objects"] = static_cast<double>(objects) / state.iterations();
  state.counters["objects_per_s"] = benchmark::Counter(static_cast<double>(objects), benchmark::Counter::kIsRate);
}

void BM_Gc(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  uint64_t scanned = 0, freed = 0;
  std::mt19937_64 rng(7);
  for (auto _ : state) {
    state.PauseTiming();
    // Garbage to collect: a branch with 100 unique changes, then deleted.
    Check(f.repo->CreateBranch("garbage", "main"));
    CommitChanges(*f.repo, "garbage", f.n, rng, "garbage-" + std::to_string(freed));
    Check(f.repo->DeleteBranch("garbage"));
    state.ResumeTiming();
    auto r = f.repo->Gc();
    Check(r.status());
    scanned += r->objects_scanned;
    freed += r->objects_freed;
  }
  state.counters["objects_scanned"] = static_cast<double>(scanned) / state.iterations();
  state.counters["objects_freed"] = static_cast<double>(freed) / state.iterations();
  state.counters["objects_per_s"] = benchmark::Counter(static_cast<double>(scanned), benchmark::Counter::kIsRate);
}

void BM_ExportJsonl(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  for (auto _ : state) {
    auto r = f.repo->ExportJsonl((f.dir / "export.jsonl").string());
    Check(r.status());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_ImportJsonl_Gitmem(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  const fs::path& jsonl = JsonlFor(f);
  uint64_t progress_calls = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = BenchDir("import");
    auto repo = std::move(Repository::Init({}, dir.string())).value();
    ImportOptions io;
    io.progress = [&](uint64_t, uint64_t) { ++progress_calls; };
    state.ResumeTiming();
    auto r = repo->ImportJsonl(jsonl.string(), io);
    state.PauseTiming();
    Check(r.status());
    if (r->memories != f.n) std::abort();
    repo.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.counters["progress_calls"] = static_cast<double>(progress_calls) / state.iterations();
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_ImportJsonl_RawJsonl(benchmark::State& state) {
  Fixture& f = FixtureFor(state.range(0));
  const fs::path& jsonl = JsonlFor(f);
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = BenchDir("raw-import");
    auto db = OpenRaw(dir);
    state.ResumeTiming();
    std::ifstream in(jsonl);
    std::string line;
    rocksdb::WriteBatch batch;
    while (std::getline(in, line)) {
      auto j = nlohmann::json::parse(line);
      batch.Put(j["id"].get<std::string>(), line);
    }
    if (!db->Write(rocksdb::WriteOptions(), &batch).ok()) std::abort();
    state.PauseTiming();
    db.reset();
    fs::remove_all(dir);
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}

void BM_ImportJsonl_RawRecords(benchmark::State& state) {
  const auto records = Records(static_cast<uint64_t>(state.range(0)));
  for (auto _ : state) {
    state.PauseTiming();
    auto dir = BenchDir("raw-records");
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

void Sizes(benchmark::internal::Benchmark* b) {
  for (int64_t n : {int64_t{10'000}, int64_t{1'000'000}})
    if (n <= MaxN()) b->Arg(n);
}

}  // namespace

BENCHMARK(BM_Merge3Way)->Apply(Sizes)->Iterations(20)->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK(BM_MergeScaling)->Iterations(41)->Unit(benchmark::kMillisecond)->UseManualTime();
BENCHMARK(BM_Fork)->Apply(Sizes)->Iterations(100)->Unit(benchmark::kMicrosecond)->UseRealTime();
BENCHMARK(BM_FsckStore)->Apply(Sizes)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_Gc)->Apply(Sizes)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ExportJsonl)->Apply(Sizes)->Iterations(1)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportJsonl_RawJsonl)->Apply(Sizes)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportJsonl_RawRecords)->Apply(Sizes)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_ImportJsonl_Gitmem)->Apply(Sizes)->Iterations(2)->Unit(benchmark::kMillisecond)->UseRealTime();

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  for (auto& [n, f] : Fixtures()) {
    f->repo.reset();
    fs::remove_all(f->dir);
  }
  Fixtures().clear();
  fs::remove_all(bench::BenchRoot());
  return 0;
}
