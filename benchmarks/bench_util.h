// Shared by the benchmark programs: the generated records, the raw RocksDB baseline's
// database, scratch directories and the GITMEM_BENCH_MAX_N switch.
#pragma once

#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>
#include <unistd.h>

#include <benchmark/benchmark.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "gitmem/gitmem.hpp"
#include "object/codec.h"
#include "store/store.h"

namespace gitmem::bench {

/// The largest N to run (GITMEM_BENCH_MAX_N=10000 skips the 1M cases for a quick look).
inline int64_t MaxN() {
  const char* v = std::getenv("GITMEM_BENCH_MAX_N");
  return v ? std::atoll(v) : 1'000'000;
}

/// This process's scratch folder; the program removes it before exiting.
inline std::filesystem::path BenchRoot() {
  return std::filesystem::temp_directory_path() / ("gitmem-bench-" + std::to_string(::getpid()));
}

/// An empty folder under BenchRoot().
inline std::filesystem::path BenchDir(const std::string& name) {
  std::filesystem::path p = BenchRoot() / name;
  std::filesystem::remove_all(p);
  std::filesystem::create_directories(p);
  return p;
}

/// Benchmarks stop at the first failure: a figure from a failed run would be meaningless.
inline void Check(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "bench: %s\n", s.ToString().c_str());
    std::abort();
  }
}

/// ~200-byte texts with some variety, like an agent's notes.
inline std::string Text(uint64_t i) {
  static const char* kWords[] = {"user",     "prefers",  "meeting", "project", "deadline", "coffee", "python",
                                 "travel",   "budget",   "review",  "design",  "database", "weekly", "report",
                                 "customer", "feedback", "release", "memory",  "agent",    "branch"};
  std::mt19937_64 rng(i);
  std::string s = "note " + std::to_string(i) + ":";
  while (s.size() < 200) {
    s.push_back(' ');
    s += kWords[rng() % 20];
  }
  return s;
}

/// Record ids sort in record order.
inline std::string IdOf(uint64_t i) {
  char id[40];
  std::snprintf(id, sizeof id, "mem-%010llu", static_cast<unsigned long long>(i));
  return id;
}

inline std::vector<Memory> Records(uint64_t n) {
  std::vector<Memory> out(n);
  for (uint64_t i = 0; i < n; ++i) {
    out[i].id = IdOf(i);
    out[i].content = Text(i);
    out[i].agent_id = "bench-agent";
    out[i].session_id = "s" + std::to_string(i / 100);
    out[i].timestamp_us = 1'700'000'000'000'000 + static_cast<int64_t>(i);
    out[i].tags = {"bench"};
  }
  return out;
}

/// The raw baseline's database, configured like gitmem's objects column family.
inline std::unique_ptr<rocksdb::DB> OpenRaw(const std::filesystem::path& dir) {
  rocksdb::Options o;
  o.create_if_missing = true;
  o.write_buffer_size = 128u << 20;
  o.max_write_buffer_number = 4;
  o.compression = rocksdb::kLZ4Compression;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = rocksdb::NewLRUCache(256u << 20);
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  rocksdb::DB* db = nullptr;
  if (!rocksdb::DB::Open(o, dir.string(), &db).ok()) std::abort();
  return std::unique_ptr<rocksdb::DB>(db);
}

/// The raw baseline of an import: each record's canonical bytes under its id, in one
/// WriteBatch.
inline void RawImport(rocksdb::DB* db, const std::vector<Memory>& records) {
  rocksdb::WriteBatch batch;
  for (const Memory& m : records) {
    Memory copy = m;
    copy.metadata = "{}";
    batch.Put(m.id, EncodeMemory(copy));
  }
  if (!db->Write(rocksdb::WriteOptions(), &batch).ok()) std::abort();
}

/// Per-operation latencies of a benchmark loop, reported as the counters p50_us, p95_us
/// and p99_us (Google Benchmark's own figures are means).
class Latencies {
 public:
  /// Times `op` and records it.
  template <class F>
  void Time(F&& op) {
    const auto start = std::chrono::steady_clock::now();
    op();
    samples_.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - start).count());
  }
  void Report(benchmark::State& state) {
    if (samples_.empty()) return;
    std::sort(samples_.begin(), samples_.end());
    auto at = [&](double q) {
      return samples_[std::min(samples_.size() - 1, static_cast<size_t>(q * samples_.size()))];
    };
    state.counters["p50_us"] = at(0.50);
    state.counters["p95_us"] = at(0.95);
    state.counters["p99_us"] = at(0.99);
  }

 private:
  std::vector<double> samples_;
};

/// Puts a gitmem store in a steady state for measuring reads: memtables flushed and the
/// families a repository reads fully compacted, so whatever N is, nothing is read from a
/// memtable and no background compaction competes.
inline void SteadyState(const std::filesystem::path& store_path) {
  auto store = *Store::Open(store_path.string(), {});
  Check(store->Flush());
  for (Cf cf : {Cf::kObjects, Cf::kRefs, Cf::kStaging, Cf::kSessions}) Check(store->Compact(cf));
}

}  // namespace gitmem::bench
