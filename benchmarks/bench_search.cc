// bench_search: gitmem search beside raw FAISS (the same FAISS build gitmem links) and
// SQLite FTS5, on the same data in the same run.
//
//   bench_search --benchmark_format=json [--benchmark_filter=...]
//   GITMEM_BENCH_MAX_N=100000 bench_search     (skip the 1M cases, for a quick look)
//
// Vectors: 384-d, L2-normalised, a Gaussian mixture around 1,000 centres (real embeddings
// have structure; i.i.d. noise defeats every approximate index). Memories carry them as
// caller-supplied embeddings. Latency benchmarks run one query per iteration and report
// the median as counter "p50_us"; recall@10 is against exact search. Queries run on one
// OpenMP thread; index builds (raw and gitmem) on every core.
//
//   GITMEM_BENCH_EF=16     efSearch of both sides (default 64)
//   GITMEM_BENCH_EFC=16    efConstruction of both sides' builds (default 80; for reopen runs)
#include <benchmark/benchmark.h>
#include <faiss/IndexFlat.h>
#include <faiss/IndexHNSW.h>
#include <fmt/format.h>
#include <omp.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>

#include "gitmem/gitmem.hpp"

namespace fs = std::filesystem;
using namespace gitmem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr size_t kDim = 384;
constexpr int kQueries = 200;

// HNSW efSearch for both sides (GITMEM_BENCH_EF; default 64, the library's default).
int Ef() {
  const char* v = std::getenv("GITMEM_BENCH_EF");
  return v ? std::atoi(v) : 64;
}

// HNSW efConstruction for both sides' builds (GITMEM_BENCH_EFC; default 80, the library's
// default). Only for reopen measurements at sizes whose efConstruction-80 build does not
// fit the time at hand: the segment's size and layout depend on M, not on efConstruction.
int EfConstruction() {
  const char* v = std::getenv("GITMEM_BENCH_EFC");
  return v ? std::atoi(v) : 80;
}

int64_t MaxN() {
  const char* v = std::getenv("GITMEM_BENCH_MAX_N");
  return v ? std::atoll(v) : 1'000'000;
}

fs::path BenchDir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("gitmem-bench-search-" + std::to_string(::getpid())) / name;
  fs::remove_all(p);
  fs::create_directories(p);
  return p;
}

double Seconds(Clock::time_point a) { return std::chrono::duration<double>(Clock::now() - a).count(); }

void Normalize(float* v) {
  double s = 0;
  for (size_t i = 0; i < kDim; ++i) s += double(v[i]) * v[i];
  const float inv = static_cast<float>(1.0 / std::sqrt(s));
  for (size_t i = 0; i < kDim; ++i) v[i] *= inv;
}

// n vectors around 1,000 centres (sigma chosen so neighbours are close but not equal).
std::vector<float> Mixture(size_t n, uint64_t seed) {
  std::mt19937_64 rng(1234);
  std::normal_distribution<float> g(0.f, 1.f);
  static std::vector<float> centres;
  if (centres.empty()) {
    centres.resize(1000 * kDim);
    for (auto& x : centres) x = g(rng);
    for (size_t c = 0; c < 1000; ++c) Normalize(centres.data() + c * kDim);
  }
  std::mt19937_64 r2(seed);
  std::vector<float> out(n * kDim);
  for (size_t i = 0; i < n; ++i) {
    const size_t c = r2() % 1000;
    for (size_t j = 0; j < kDim; ++j) out[i * kDim + j] = centres[c * kDim + j] + 0.06f * g(r2);
    Normalize(out.data() + i * kDim);
  }
  return out;
}

std::string MemId(size_t i) {
  char b[32];
  std::snprintf(b, sizeof b, "m%09zu", i);
  return b;
}

// Index builds (raw and gitmem alike) use every core; queries run on one thread. Both
// sides' HNSW builds are FAISS's own OpenMP-parallel insertion.
struct BuildThreads {
  BuildThreads() { omp_set_num_threads(omp_get_num_procs()); }
  ~BuildThreads() { omp_set_num_threads(1); }
};

double P50(std::vector<double> v) {
  if (v.empty()) return 0;
  std::nth_element(v.begin(), v.begin() + v.size() / 2, v.end());
  return v[v.size() / 2];
}

// A repository holding n memories with the given vectors, committed in chunks.
std::unique_ptr<Repository> MakeVectorRepo(const fs::path& dir, const std::vector<float>& vecs, size_t n,
                                           size_t flat_max, double* import_s) {
  RepositoryOptions o;
  o.embedding_dimension = kDim;
  o.search.flat_max = flat_max;
  o.search.hnsw_ef_search = Ef();
  o.search.hnsw_ef_construction = EfConstruction();
  auto repo = std::move(Repository::Init(o, dir.string())).value();
  const auto t0 = Clock::now();
  const size_t chunk = 50'000;
  for (size_t start = 0; start < n; start += chunk) {
    std::vector<Memory> ms;
    for (size_t i = start; i < std::min(n, start + chunk); ++i) {
      Memory m;
      m.id = MemId(i);
      m.content = "memory " + std::to_string(i);
      m.timestamp_us = 1'700'000'000'000'000 + static_cast<int64_t>(i);
      m.embedding.assign(vecs.begin() + i * kDim, vecs.begin() + (i + 1) * kDim);
      ms.push_back(std::move(m));
    }
    if (!repo->PutMany(ms).ok()) std::abort();
    CommitOptions co;
    co.message = "import";
    if (!repo->Commit(co).ok()) std::abort();
  }
  if (import_s) *import_s = Seconds(t0);
  return repo;
}

// ---- shared fixtures ----------------------------------------------------------------

struct VecData {
  size_t n;
  std::vector<float> base, queries;
  std::vector<std::vector<int64_t>> truth;  // exact top-10 per query
};

VecData& Data(size_t n) {
  static std::map<size_t, std::unique_ptr<VecData>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<VecData>();
    slot->n = n;
    slot->base = Mixture(n, 42);
    slot->queries = Mixture(kQueries, 4242);
    faiss::IndexFlatIP flat(kDim);
    flat.add(n, slot->base.data());
    std::vector<float> D(kQueries * 10);
    std::vector<faiss::Index::idx_t> I(kQueries * 10);
    flat.search(kQueries, slot->queries.data(), 10, D.data(), I.data());
    for (int q = 0; q < kQueries; ++q) slot->truth.emplace_back(I.begin() + q * 10, I.begin() + (q + 1) * 10);
  }
  return *slot;
}

double Recall(const std::vector<std::vector<int64_t>>& got, const VecData& d) {
  double hit = 0;
  for (int q = 0; q < kQueries; ++q) {
    std::set<int64_t> t(d.truth[q].begin(), d.truth[q].end());
    for (auto id : got[q]) hit += t.count(id);
  }
  return hit / (kQueries * 10.0);
}

int64_t IdNumber(const std::string& id) { return std::atoll(id.c_str() + 1); }

struct GitmemFixture {
  fs::path dir;
  std::unique_ptr<Repository> repo;
  double import_s = 0, index_build_s = 0;
};
std::map<std::pair<size_t, bool>, std::unique_ptr<GitmemFixture>> g_gitmem;

GitmemFixture& Gitmem(size_t n, bool hnsw) {
  auto& slot = g_gitmem[{n, hnsw}];
  if (!slot) {
    slot = std::make_unique<GitmemFixture>();
    slot->dir = BenchDir(fmt::format("vec-{}-{}", n, hnsw ? "hnsw" : "flat"));
    slot->repo = MakeVectorRepo(slot->dir, Data(n).base, n, hnsw ? 20000 : n + 1, &slot->import_s);
    BuildThreads threads;
    const auto t0 = Clock::now();
    auto info = slot->repo->IndexInfo();  // builds the exact index (first use) ...
    if (!info.ok()) std::abort();
    // ... and the background worker its graphs: build_s is until the index is complete.
    if (!slot->repo->WaitForIndex().ok()) std::abort();
    slot->index_build_s = Seconds(t0);
  }
  return *slot;
}

void VectorSearchGitmem(benchmark::State& state, GitmemFixture& f, const VecData& d, std::string rev, bool memories) {
  std::vector<double> lat;
  std::vector<std::vector<int64_t>> got(kQueries);
  int q = 0;
  for (auto _ : state) {
    SearchOptions o;
    o.mode = SearchMode::kVector;
    o.k = 10;
    o.at.rev = rev;
    o.include_memories = memories;
    o.query_vector.assign(d.queries.begin() + q * kDim, d.queries.begin() + (q + 1) * kDim);
    const auto t0 = Clock::now();
    auto r = f.repo->Search(o);
    lat.push_back(Seconds(t0) * 1e6);
    if (!r.ok()) {
      state.SkipWithError(r.status().ToString().c_str());
      return;
    }
    got[q].clear();
    for (auto& h : *r) got[q].push_back(IdNumber(h.id));
    q = (q + 1) % kQueries;
  }
  state.counters["p50_us"] = P50(lat);
  if (lat.size() >= static_cast<size_t>(kQueries)) state.counters["recall@10"] = Recall(got, d);
}

// ---- exact ---------------------------------------------------------------------------

void BM_Exact_RawFaiss(benchmark::State& state) {
  const VecData& d = Data(state.range(0));
  faiss::IndexFlatIP flat(kDim);
  flat.add(d.n, d.base.data());
  std::vector<double> lat;
  std::vector<float> D(10);
  std::vector<faiss::Index::idx_t> I(10);
  int q = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    flat.search(1, d.queries.data() + q * kDim, 10, D.data(), I.data());
    lat.push_back(Seconds(t0) * 1e6);
    q = (q + 1) % kQueries;
  }
  state.counters["p50_us"] = P50(lat);
}

// range(2): 0 = search main's working state (reads main's staging first), 1 = "HEAD"
// (the head commit, no staging read).
std::string Rev(int64_t v) { return v ? "HEAD" : "main"; }

void BM_Exact_Gitmem(benchmark::State& state) {
  VectorSearchGitmem(state, Gitmem(state.range(0), false), Data(state.range(0)), Rev(state.range(2)), state.range(1));
}

// ---- HNSW ----------------------------------------------------------------------------

struct RawHnsw {
  std::unique_ptr<faiss::IndexHNSWFlat> index;
  double build_s = 0;
};

RawHnsw& Raw(size_t n) {
  static std::map<size_t, std::unique_ptr<RawHnsw>> cache;
  auto& slot = cache[n];
  if (!slot) {
    slot = std::make_unique<RawHnsw>();
    const VecData& d = Data(n);
    slot->index = std::make_unique<faiss::IndexHNSWFlat>(kDim, 32, faiss::METRIC_INNER_PRODUCT);
    slot->index->hnsw.efConstruction = EfConstruction();
    // FAISS 1.7.3 sizes the HNSW candidate queue with hnsw.efSearch and reads
    // SearchParametersHNSW::efSearch only in its stop test, so the parameter alone leaves
    // the walk at the default efSearch of 16. Setting both runs raw FAISS at the efSearch
    // gitmem is asked for (the first measurement compared raw at 16 with gitmem at 64).
    slot->index->hnsw.efSearch = Ef();
    BuildThreads threads;
    const auto t0 = Clock::now();
    slot->index->add(n, d.base.data());
    slot->build_s = Seconds(t0);
  }
  return *slot;
}

void BM_Hnsw_RawFaiss(benchmark::State& state) {
  const size_t n = state.range(0);
  if (static_cast<int64_t>(n) > MaxN()) return state.SkipWithError("skipped: GITMEM_BENCH_MAX_N");
  const VecData& d = Data(n);
  RawHnsw& raw = Raw(n);
  faiss::SearchParametersHNSW p;
  p.efSearch = Ef();
  std::vector<double> lat;
  std::vector<std::vector<int64_t>> got(kQueries);
  std::vector<float> D(10);
  std::vector<faiss::Index::idx_t> I(10);
  int q = 0;
  for (auto _ : state) {
    const auto t0 = Clock::now();
    raw.index->search(1, d.queries.data() + q * kDim, 10, D.data(), I.data(), &p);
    lat.push_back(Seconds(t0) * 1e6);
    got[q].assign(I.begin(), I.end());
    q = (q + 1) % kQueries;
  }
  state.counters["p50_us"] = P50(lat);
  state.counters["recall@10"] = Recall(got, d);
  state.counters["build_s"] = raw.build_s;
  state.counters["build_vec_per_s"] = n / raw.build_s;
  state.counters["ef"] = Ef();
}

void BM_Hnsw_Gitmem(benchmark::State& state) {
  const size_t n = state.range(0);
  if (static_cast<int64_t>(n) > MaxN()) return state.SkipWithError("skipped: GITMEM_BENCH_MAX_N");
  GitmemFixture& f = Gitmem(n, true);
  VectorSearchGitmem(state, f, Data(n), Rev(state.range(2)), state.range(1));
  state.counters["import_s"] = f.import_s;
  state.counters["build_s"] = f.index_build_s;  // loads blobs + vectors, then builds HNSW
  // What the searched state holds: one segment and no delta means no exact scan per query.
  if (auto info = f.repo->IndexInfo(); info.ok()) {
    state.counters["segments"] = info->vector_segments;
    state.counters["delta"] = info->vector_delta;
  }
  state.counters["build_vec_per_s"] = n / f.index_build_s;
}

// Raw FAISS and gitmem alternating query by query (raw, gitmem, raw, ...), so both see the
// same machine load: on a shared machine, load drifts between two benchmarks run a minute
// apart by more than the difference being measured. 5 passes over the 200 queries.
void BM_Hnsw_AB(benchmark::State& state) {
  const size_t n = state.range(0);
  if (static_cast<int64_t>(n) > MaxN()) return state.SkipWithError("skipped: GITMEM_BENCH_MAX_N");
  const VecData& d = Data(n);
  RawHnsw& raw = Raw(n);
  GitmemFixture& f = Gitmem(n, true);
  faiss::SearchParametersHNSW p;
  p.efSearch = Ef();
  std::vector<double> lat_raw, lat_gm;
  std::vector<std::vector<int64_t>> got_raw(kQueries), got_gm(kQueries);
  std::vector<float> D(10);
  std::vector<faiss::Index::idx_t> I(10);
  for (auto _ : state) {
    for (int pass = 0; pass < 5; ++pass) {
      for (int q = 0; q < kQueries; ++q) {
        auto t0 = Clock::now();
        raw.index->search(1, d.queries.data() + q * kDim, 10, D.data(), I.data(), &p);
        lat_raw.push_back(Seconds(t0) * 1e6);
        got_raw[q].assign(I.begin(), I.end());
        SearchOptions o;
        o.mode = SearchMode::kVector;
        o.k = 10;
        o.at.rev = "HEAD";
        o.include_memories = false;
        o.query_vector.assign(d.queries.begin() + q * kDim, d.queries.begin() + (q + 1) * kDim);
        t0 = Clock::now();
        auto r = f.repo->Search(o);
        lat_gm.push_back(Seconds(t0) * 1e6);
        if (!r.ok()) return state.SkipWithError(r.status().ToString().c_str());
        got_gm[q].clear();
        for (auto& h : *r) got_gm[q].push_back(IdNumber(h.id));
      }
    }
  }
  state.counters["raw_p50_us"] = P50(lat_raw);
  state.counters["gitmem_p50_us"] = P50(lat_gm);
  state.counters["ratio"] = P50(lat_gm) / P50(lat_raw);
  state.counters["raw_recall@10"] = Recall(got_raw, d);
  state.counters["gitmem_recall@10"] = Recall(got_gm, d);
  state.counters["ef"] = Ef();
}

// Search on a branch where 1% of the memories changed, beside the same search on main.
void BM_Hnsw_Branch1pct(benchmark::State& state) {
  const size_t n = state.range(0);
  GitmemFixture& f = Gitmem(n, true);
  static bool made = false;
  if (!made) {
    made = true;
    if (!f.repo->CreateBranch("b1").ok()) std::abort();
    auto fresh = Mixture(n / 100, 777);
    std::vector<Memory> ms;
    for (size_t j = 0; j < n / 100; ++j) {
      Memory m;
      const size_t i = j * 100 + 7;
      m.id = MemId(i);
      m.content = "changed memory " + std::to_string(i);
      m.embedding.assign(fresh.begin() + j * kDim, fresh.begin() + (j + 1) * kDim);
      ms.push_back(std::move(m));
    }
    WriteOptions wo;
    wo.branch = "b1";
    if (!f.repo->PutMany(ms, wo).ok()) std::abort();
    CommitOptions co;
    co.branch = "b1";
    co.message = "1%";
    if (!f.repo->Commit(co).ok()) std::abort();
    ReadOptions at;
    at.rev = "b1";
    const auto t0 = Clock::now();
    auto info = f.repo->IndexInfo(at);
    if (!info.ok()) std::abort();
    state.counters["catchup_ms"] = Seconds(t0) * 1e3;
  }
  // Both at their head commits ("~0"), so neither pays a staging read.
  VectorSearchGitmem(state, f, Data(n), state.range(1) ? "b1~0" : "main~0", false);
}

// ---- reopen a big repository -------------------------------------------------------------

void BM_ReopenFirstSearch(benchmark::State& state) {
  const size_t n = std::min<int64_t>(state.range(0), MaxN());
  state.counters["n"] = n;
  fs::path dir;
  {
    GitmemFixture& f = Gitmem(n, true);  // index built and persisted on first use
    dir = f.dir;
    f.repo.reset();  // close: the store's last user goes away
  }
  for (auto _ : state) {
    const auto t0 = Clock::now();
    RepositoryOptions o;
    o.search.hnsw_ef_search = Ef();
    auto repo = Repository::Open(o, dir.string());
    if (!repo.ok()) return state.SkipWithError(repo.status().ToString().c_str());
    state.counters["open_s"] = Seconds(t0);  // Repository::Open (RocksDB open, WAL replay)
    SearchOptions so;
    so.mode = SearchMode::kVector;
    so.k = 10;
    so.query_vector.assign(Data(n).queries.begin(), Data(n).queries.begin() + kDim);
    auto r = (*repo)->Search(so);
    const double s = Seconds(t0);
    if (!r.ok() || r->size() != 10) return state.SkipWithError("first search failed");
    auto info = (*repo)->IndexInfo();
    state.counters["first_search_s"] = s;  // open + load the index + one search
    state.counters["rebuilt"] = info.ok() && info->source != "loaded";
    state.counters["efC"] = EfConstruction();
    // Hand the repository back to the fixture for later benchmarks.
    Gitmem(n, true).repo = std::move(repo).value();
  }
}

// ---- keyword ---------------------------------------------------------------------------

std::string Text(uint64_t i) {
  static std::vector<std::string> vocab;
  if (vocab.empty()) {
    std::mt19937_64 r(5);
    const char* syl[] = {"ka", "lo", "mi", "ten", "ra", "su", "bo", "ve", "xi", "dar", "pel", "on", "ut", "gri"};
    for (int w = 0; w < 5000; ++w) {
      std::string s;
      const int k = 2 + r() % 3;
      for (int j = 0; j < k; ++j) s += syl[r() % 14];
      vocab.push_back(s);
    }
  }
  std::mt19937_64 rng(i * 7919 + 1);
  // Zipf-like: word rank ~ exp(uniform) gives a heavy head and a long tail.
  std::string s;
  while (s.size() < 200) {
    const double u = std::uniform_real_distribution<double>(0, std::log(5000.0))(rng);
    s += vocab[static_cast<size_t>(std::exp(u)) - 1];
    s.push_back(' ');
  }
  return s;
}

std::string QueryText(int q) {
  std::mt19937_64 rng(q + 99);
  std::string t = Text(1'000'000 + q);
  // Three words from a text: mid-frequency terms.
  std::vector<std::string> w;
  size_t p = 0;
  while (p < t.size()) {
    size_t e = t.find(' ', p);
    if (e == std::string::npos) e = t.size();
    if (e > p) w.push_back(t.substr(p, e - p));
    p = e + 1;
  }
  return w[rng() % w.size()] + " " + w[rng() % w.size()] + " " + w[rng() % w.size()];
}

struct KwFixture {
  std::unique_ptr<Repository> repo;
  sqlite3* db = nullptr;
  ~KwFixture() {
    if (db) sqlite3_close(db);
  }
};
std::map<size_t, std::unique_ptr<KwFixture>> g_kw;

KwFixture& Kw(size_t n) {
  auto& slot = g_kw[n];
  if (!slot) {
    slot = std::make_unique<KwFixture>();
    auto dir = BenchDir(fmt::format("kw-{}", n));
    RepositoryOptions o;
    o.search.flat_max = 10'000'000;  // the vector side is not measured here: keep its build cheap
    slot->repo = std::move(Repository::Init(o, dir.string())).value();
    for (size_t start = 0; start < n; start += 50'000) {
      std::vector<Memory> ms;
      for (size_t i = start; i < std::min(n, start + 50'000); ++i) {
        Memory m;
        m.id = MemId(i);
        m.content = Text(i);
        ms.push_back(std::move(m));
      }
      if (!slot->repo->PutMany(ms).ok()) std::abort();
      CommitOptions co;
      co.message = "import";
      if (!slot->repo->Commit(co).ok()) std::abort();
    }
    if (!slot->repo->IndexInfo().ok() || !slot->repo->WaitForIndex().ok()) std::abort();
    sqlite3_open((dir / "fts.db").string().c_str(), &slot->db);
    sqlite3_exec(slot->db,
                 "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;"
                 "CREATE VIRTUAL TABLE t USING fts5(content, tokenize='porter unicode61');"
                 "BEGIN;",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* ins;
    sqlite3_prepare_v2(slot->db, "INSERT INTO t(rowid, content) VALUES(?, ?)", -1, &ins, nullptr);
    for (size_t i = 0; i < n; ++i) {
      const std::string t = Text(i);
      sqlite3_bind_int64(ins, 1, static_cast<int64_t>(i));
      sqlite3_bind_text(ins, 2, t.c_str(), -1, SQLITE_TRANSIENT);
      sqlite3_step(ins);
      sqlite3_reset(ins);
    }
    sqlite3_finalize(ins);
    sqlite3_exec(slot->db, "COMMIT; INSERT INTO t(t) VALUES('optimize');", nullptr, nullptr, nullptr);
  }
  return *slot;
}

void BM_Keyword_Sqlite(benchmark::State& state) {
  KwFixture& f = Kw(state.range(0));
  sqlite3_stmt* st;
  sqlite3_prepare_v2(f.db, "SELECT rowid, bm25(t) FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT 10", -1, &st, nullptr);
  std::vector<double> lat;
  int q = 0;
  size_t results = 0;
  for (auto _ : state) {
    std::string qt = QueryText(q);
    std::string match;
    for (char& c : qt)
      if (c == ' ') c = '\x01';
    size_t p = 0;
    while (p <= qt.size()) {  // OR of the words: BM25's bag-of-words semantics
      size_t e = qt.find('\x01', p);
      if (e == std::string::npos) e = qt.size();
      if (!match.empty()) match += " OR ";
      match += qt.substr(p, e - p);
      p = e + 1;
    }
    const auto t0 = Clock::now();
    sqlite3_bind_text(st, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(st) == SQLITE_ROW) ++results;
    sqlite3_reset(st);
    lat.push_back(Seconds(t0) * 1e6);
    q = (q + 1) % kQueries;
  }
  sqlite3_finalize(st);
  state.counters["p50_us"] = P50(lat);
  state.counters["results"] = results;
}

void BM_Keyword_Gitmem(benchmark::State& state) {
  KwFixture& f = Kw(state.range(0));
  std::vector<double> lat;
  int q = 0;
  for (auto _ : state) {
    SearchOptions o;
    o.mode = SearchMode::kKeyword;
    o.query = QueryText(q);
    o.k = 10;
    o.include_memories = state.range(1);
    o.at.rev = Rev(state.range(2));
    const auto t0 = Clock::now();
    auto r = f.repo->Search(o);
    lat.push_back(Seconds(t0) * 1e6);
    if (!r.ok()) return state.SkipWithError(r.status().ToString().c_str());
    q = (q + 1) % kQueries;
  }
  state.counters["p50_us"] = P50(lat);
}

// ---- the user's path: the first search right after an import ------------------------------
// Import (PutMany + Commit, library defaults, the built-in embedder) and search at once: no
// warm-up, no wait for the background worker. Each mode gets its own import.

constexpr SearchMode kModes[] = {SearchMode::kKeyword, SearchMode::kVector, SearchMode::kHybrid};

std::unique_ptr<Repository> ImportTexts(const fs::path& dir, size_t n, double* import_s) {
  auto repo = std::move(Repository::Init({}, dir.string())).value();
  std::vector<Memory> ms(n);
  for (size_t i = 0; i < n; ++i) {
    ms[i].id = MemId(i);
    ms[i].content = Text(i);
  }
  const auto t0 = Clock::now();
  if (!repo->PutMany(ms).ok()) std::abort();
  CommitOptions co;
  co.message = "import";
  if (!repo->Commit(co).ok()) std::abort();
  *import_s = Seconds(t0);
  return repo;
}

void BM_UserPath_FirstSearch(benchmark::State& state) {
  const size_t n = state.range(0);
  const SearchMode mode = kModes[state.range(1)];
  double import_s = 0, first_s = 0;
  for (auto _ : state) {
    auto dir = BenchDir(fmt::format("first-{}-{}", n, state.range(1)));
    auto repo = ImportTexts(dir, n, &import_s);
    SearchOptions o;
    o.mode = mode;
    o.query = QueryText(0);
    const auto t0 = Clock::now();
    if (!repo->Search(o).ok()) std::abort();
    first_s = Seconds(t0);
    repo.reset();  // stops the background worker mid-graph
    fs::remove_all(dir);
  }
  state.counters["import_s"] = import_s;
  state.counters["first_search_s"] = first_s;
}

// The same with caller-supplied 384-d vectors (MakeVectorRepo: 50,000 per commit).
void BM_UserPath_FirstVectorSearch(benchmark::State& state) {
  const size_t n = state.range(0);
  if (static_cast<int64_t>(n) > MaxN()) return state.SkipWithError("skipped: GITMEM_BENCH_MAX_N");
  const VecData& d = Data(n);
  double import_s = 0, first_s = 0;
  for (auto _ : state) {
    auto dir = BenchDir(fmt::format("first-vec-{}", n));
    auto repo = MakeVectorRepo(dir, d.base, n, RepositoryOptions().search.flat_max, &import_s);
    SearchOptions o;
    o.mode = SearchMode::kVector;
    o.query_vector.assign(d.queries.begin(), d.queries.begin() + kDim);
    const auto t0 = Clock::now();
    if (!repo->Search(o).ok()) std::abort();
    first_s = Seconds(t0);
    repo.reset();
    fs::remove_all(dir);
  }
  state.counters["import_s"] = import_s;
  state.counters["first_search_s"] = first_s;
}

// Keyword, vector and hybrid queries alternating on one repository of n texts with the
// library's defaults, once its index is complete: p50 / p95 / p99 of each, and hybrid's p50
// over the slower part's.
void BM_Modes_AB(benchmark::State& state) {
  const size_t n = state.range(0);
  double import_s = 0;
  auto dir = BenchDir(fmt::format("modes-{}", n));
  auto repo = ImportTexts(dir, n, &import_s);
  const auto t0 = Clock::now();
  if (!repo->IndexInfo().ok() || !repo->WaitForIndex().ok()) std::abort();
  const double build_s = Seconds(t0);
  std::vector<double> lat[3];
  for (auto _ : state) {
    for (int pass = 0; pass < 3; ++pass) {
      for (int q = 0; q < kQueries; ++q) {
        for (int m = 0; m < 3; ++m) {
          SearchOptions o;
          o.mode = kModes[m];
          o.query = QueryText(q);
          const auto t = Clock::now();
          if (!repo->Search(o).ok()) std::abort();
          lat[m].push_back(Seconds(t) * 1e6);
        }
      }
    }
  }
  const char* names[] = {"keyword", "vector", "hybrid"};
  for (int m = 0; m < 3; ++m) {
    std::sort(lat[m].begin(), lat[m].end());
    auto at = [&](double p) { return lat[m][std::min(lat[m].size() - 1, static_cast<size_t>(p * lat[m].size()))]; };
    state.counters[fmt::format("{}_p50_us", names[m])] = at(0.50);
    state.counters[fmt::format("{}_p95_us", names[m])] = at(0.95);
    state.counters[fmt::format("{}_p99_us", names[m])] = at(0.99);
  }
  const double slower = std::max(P50(lat[0]), P50(lat[1]));
  state.counters["hybrid_over_slower_part"] = P50(lat[2]) / slower;
  state.counters["import_s"] = import_s;
  state.counters["index_complete_s"] = build_s;
  repo.reset();
  fs::remove_all(dir);
}

// ---- default embedder ---------------------------------------------------------------------

void BM_DefaultEmbedder(benchmark::State& state) {
  auto emb = std::move(NewDefaultEmbedder()).value();
  std::vector<std::string> texts;
  for (int i = 0; i < 1000; ++i) texts.push_back(Text(i));
  std::vector<std::string_view> views(texts.begin(), texts.end());
  std::vector<float> out(texts.size() * kDim);
  for (auto _ : state) {
    if (!emb->Embed(views, out).ok()) std::abort();
    benchmark::DoNotOptimize(out.data());
  }
  state.SetItemsProcessed(state.iterations() * texts.size());
}

}  // namespace

BENCHMARK(BM_UserPath_FirstSearch)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Args({100'000, 2})
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_UserPath_FirstVectorSearch)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Modes_AB)->Arg(100'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_DefaultEmbedder)->Unit(benchmark::kMillisecond)->MeasureProcessCPUTime();
BENCHMARK(BM_Exact_RawFaiss)->Arg(100'000)->Iterations(kQueries)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Exact_Gitmem)
    ->Args({100'000, 0, 0})
    ->Args({100'000, 0, 1})
    ->Args({100'000, 1, 1})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Hnsw_RawFaiss)
    ->Arg(30'000)
    ->Arg(100'000)
    ->Arg(1'000'000)
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Hnsw_Gitmem)
    ->Args({30'000, 0, 1})
    ->Args({100'000, 0, 0})
    ->Args({100'000, 0, 1})
    ->Args({100'000, 1, 1})
    ->Args({1'000'000, 0, 1})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Hnsw_AB)->Arg(30'000)->Arg(100'000)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Hnsw_Branch1pct)
    ->Args({100'000, 0})
    ->Args({100'000, 1})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_ReopenFirstSearch)->Arg(1'000'000)->Iterations(1)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Keyword_Sqlite)->Arg(100'000)->Iterations(kQueries)->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_Keyword_Gitmem)
    ->Args({100'000, 0, 0})
    ->Args({100'000, 0, 1})
    ->Args({100'000, 1, 1})
    ->Iterations(kQueries)
    ->Unit(benchmark::kMicrosecond);

int main(int argc, char** argv) {
  omp_set_num_threads(1);  // one query at a time, one thread: the same for both sides (builds: BuildThreads)
  benchmark::Initialize(&argc, argv);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  g_gitmem.clear();  // close repositories (and persist indexes) before their folders go
  g_kw.clear();
  fs::remove_all(fs::temp_directory_path() / ("gitmem-bench-search-" + std::to_string(::getpid())));
  return 0;
}
