// Store: one RocksDB database holding many repositories. The only code in gitmem that
// talks to RocksDB lives in src/store/.
//
// Column families: objects (id -> canonical bytes, shared by every repository), refs
// (repo \0 ref name -> commit id or "ref: <name>"), meta (repository records, counters),
// staging (per-branch generations of staged changes), sessions (session index),
// vectors (embeddings) and indexes (search indexes; both derived data).
//
// Thread safety: all methods are safe to call concurrently. A Store is opened once per
// path per process (Open returns the shared instance) because RocksDB allows one writer
// process; other processes open it read-only.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "gitmem/memory.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

// kVectors: (embedder id, content hash) -> float32 vector; kIndexes: search index
// manifests, shared index segments and the doc-number map (derived data, see docs/search.md).
enum class Cf : int { kObjects = 0, kRefs, kMeta, kStaging, kSessions, kVectors, kIndexes, kCount };

struct StoreOptions {
  bool read_only = false;
  bool create_if_missing = false;
  size_t block_cache_bytes = 256u << 20;
};

class Snapshot;
class SortedPuts;
class Store;

/// Sorted key/value pairs of one column family in a table file built outside the
/// database, for Store::Write to ingest whole: a bulk load skips the write-ahead log and
/// the memtable. The file lives in the store's `ingest/` folder until it is ingested (or
/// this object dies, which removes it).
class TableFile {
 public:
  ~TableFile();
  TableFile(TableFile&&) noexcept;
  TableFile& operator=(TableFile&&) noexcept;
  /// REQUIRES: keys strictly increase.
  Status Put(std::string_view key, std::string_view value);
  /// Completes the file (Store::Write does it when the caller has not).
  Status Finish();
  uint64_t entries() const;

 private:
  friend class Store;
  struct Rep;
  explicit TableFile(std::unique_ptr<Rep> rep);
  std::unique_ptr<Rep> rep_;
};

/// A set of writes applied atomically by Store::Write.
class WriteBatch {
 public:
  explicit WriteBatch(const Store& store);
  ~WriteBatch();
  WriteBatch(WriteBatch&&) noexcept;
  WriteBatch& operator=(WriteBatch&&) noexcept;
  void Put(Cf cf, std::string_view key, std::string_view value);
  void Delete(Cf cf, std::string_view key);
  /// From this size on, PutSorted ingests a table file instead of filling the batch.
  static constexpr uint64_t kBulkBytes = 16u << 20;
  /// Adds `puts` in key order (a key put twice keeps one of its values: callers put
  /// equal values, as objects are). Below kBulkBytes they become batch puts; above, a
  /// table file built on a background thread while the caller goes on, which
  /// Store::Write waits for and ingests.
  void PutSorted(Cf cf, SortedPuts puts);
  size_t Count() const;
  size_t ByteSize() const;

 private:
  friend class Store;
  struct Rep;
  std::unique_ptr<Rep> rep_;
};

/// Puts of one column family gathered for WriteBatch::PutSorted, which writes them in
/// key order: RocksDB's memtable inserts ordered keys far faster than random ones (its
/// skiplist reuses the previous insertion point), object ids are random SHA-256 values,
/// and a table file needs them sorted anyway.
class SortedPuts {
 public:
  void Reserve(size_t entries, size_t key_bytes);
  void Add(std::string_view key, std::string value);
  size_t size() const { return values_.size(); }
  uint64_t bytes() const { return bytes_; }

 private:
  friend class WriteBatch;
  // Keys live in one arena; sorting moves small records holding each key's first 16
  // bytes, so most comparisons never touch the arena.
  struct Slot {
    uint64_t head0, head1;
    uint64_t offset;
    uint32_t length, index;
  };
  std::string_view key(const Slot& s) const { return std::string_view(arena_).substr(s.offset, s.length); }
  /// The slots in key order, each key once.
  std::vector<Slot> SortedUnique() const;
  std::string arena_;
  std::vector<Slot> slots_;
  std::vector<std::string> values_;
  uint64_t bytes_ = 0;
};

/// Iterates keys of one column family that start with a prefix, in key order.
class StoreIterator {
 public:
  virtual ~StoreIterator() = default;
  virtual bool Valid() const = 0;
  virtual void Next() = 0;
  virtual std::string_view key() const = 0;
  virtual std::string_view value() const = 0;
  virtual Status status() const = 0;
};

class Store {
 public:
  /// Opens (or returns the already open) store at `path`.
  static Result<std::shared_ptr<Store>> Open(std::string_view path, const StoreOptions& options);
  ~Store();

  const std::string& path() const { return path_; }
  bool read_only() const { return read_only_; }

  /// NotFound when the key is absent.
  Status Get(Cf cf, std::string_view key, std::string* value, const Snapshot* snap = nullptr) const;
  /// Ingests the batch's table files, then applies its puts and deletes atomically
  /// (gc never runs in between). A crash between the two leaves only unreferenced
  /// objects behind, which gc removes.
  Status Write(WriteBatch* batch, bool sync);
  /// A new, empty table file of `cf` (see TableFile).
  Result<TableFile> NewTableFile(Cf cf) const;
  /// Iterator over keys starting with `prefix` (all keys when empty). Bounded: it never
  /// reads past the prefix's last key, so deleted keys after it cost nothing.
  std::unique_ptr<StoreIterator> Scan(Cf cf, std::string_view prefix, const Snapshot* snap = nullptr) const;
  /// Iterator starting at the first key >= `start` that still has `prefix`.
  std::unique_ptr<StoreIterator> ScanFrom(Cf cf, std::string_view prefix, std::string_view start,
                                          const Snapshot* snap = nullptr) const;
  std::unique_ptr<Snapshot> GetSnapshot() const;

  /// Catches a read-only store up with the writer's latest state.
  Status Refresh();

  /// For caches of refs: the number of completed writes to the refs family, when no such
  /// write is in flight (nullopt while one is). A value cached under version V is current
  /// as long as this still returns V.
  std::optional<uint64_t> StableRefVersion() const {
    const uint64_t done = ref_writes_done_.load(std::memory_order_acquire);
    const uint64_t begun = ref_writes_begun_.load(std::memory_order_acquire);
    return begun == done ? std::optional<uint64_t>(done) : std::nullopt;
  }

  /// A mutex per (repository, branch): writers to one branch serialise on it.
  std::mutex& BranchLock(std::string_view repo, std::string_view branch);
  /// Serialises changes to repository-wide records (HEAD, refs created or renamed).
  std::mutex& RepoLock(std::string_view repo);
  /// Held by gc for its whole run, and by writers that gc must see all or nothing of:
  /// imports that write in several batches, and search index persists (segment files
  /// are written before the batch whose manifest names them).
  std::mutex& GcLock();

  /// Blocks every Write (of every thread) until the returned lock is released: gc holds it
  /// while it re-marks and deletes. The holder writes with WritePaused.
  std::unique_lock<std::shared_mutex> PauseWrites();
  /// Write for the holder of PauseWrites().
  Status WritePaused(WriteBatch* batch, bool sync);
  /// Compacts a column family (after gc, to give the space back).
  Status Compact(Cf cf);

  /// Approximate bytes on disk of a column family.
  uint64_t ApproximateSize(Cf cf) const;
  /// Flushes memtables (tests and benchmarks use it to measure on-disk size).
  Status Flush();

  struct Impl;

 private:
  friend class WriteBatch;
  Store() = default;
  std::unique_ptr<Impl> impl_;
  std::string path_;
  bool read_only_ = false;
  std::shared_mutex write_gate_;  // Write holds it shared, PauseWrites exclusive
  std::atomic<uint64_t> ref_writes_begun_{0}, ref_writes_done_{0};
  mutable std::mutex locks_mu_;
  std::unordered_map<std::string, std::unique_ptr<std::mutex>> locks_;
};

/// A consistent view of the store at one moment.
class Snapshot {
 public:
  virtual ~Snapshot() = default;
};

}  // namespace gitmem
