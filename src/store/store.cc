#include "store/store.h"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/sst_file_writer.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <filesystem>
#include <future>
#include <map>
#include <vector>

#include "store/format.h"
#include "store/keys.h"

namespace gitmem {

namespace {

const char* const kCfNames[] = {"objects", "refs", "meta", "staging", "sessions", "vectors", "indexes"};

rocksdb::Slice ToSlice(std::string_view s) { return rocksdb::Slice(s.data(), s.size()); }
std::string_view ToView(const rocksdb::Slice& s) { return std::string_view(s.data(), s.size()); }

Status FromRocks(const rocksdb::Status& s, std::string_view what) {
  if (s.ok()) return Status::Ok();
  const std::string msg = fmt::format("{}: {}", what, s.ToString());
  if (s.IsNotFound()) return Status::NotFound(msg);
  if (s.IsCorruption()) return Status::Corruption(msg);
  if (s.IsBusy() || s.IsTryAgain()) return Status::Busy(msg);
  if (s.IsInvalidArgument()) return Status::InvalidArgument(msg);
  return Status::IoError(msg);
}

// A secondary (read-only) instance has no snapshots, but it only changes on Refresh(),
// so reading it without one is already consistent: those snapshots hold nullptr.
class RocksSnapshot final : public Snapshot {
 public:
  RocksSnapshot(rocksdb::DB* db, bool secondary) : db_(db), snap_(secondary ? nullptr : db->GetSnapshot()) {}
  ~RocksSnapshot() override {
    if (snap_) db_->ReleaseSnapshot(snap_);
  }
  const rocksdb::Snapshot* get() const { return snap_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

const rocksdb::Snapshot* Unwrap(const Snapshot* s) { return s ? static_cast<const RocksSnapshot*>(s)->get() : nullptr; }

class PrefixIterator final : public StoreIterator {
 public:
  PrefixIterator(rocksdb::DB& db, rocksdb::ColumnFamilyHandle* cf, const rocksdb::Snapshot* snap,
                 std::string_view prefix, std::string_view start)
      : prefix_(prefix), bound_(PrefixSuccessor(prefix)), bound_slice_(bound_) {
    rocksdb::ReadOptions ro;
    ro.snapshot = snap;
    if (!bound_.empty()) ro.iterate_upper_bound = &bound_slice_;  // read by the iterator for its whole life
    it_.reset(db.NewIterator(ro, cf));
    it_->Seek(ToSlice(start));
  }
  bool Valid() const override { return it_->Valid() && it_->key().starts_with(ToSlice(prefix_)); }
  void Next() override { it_->Next(); }
  std::string_view key() const override { return ToView(it_->key()); }
  std::string_view value() const override { return ToView(it_->value()); }
  Status status() const override { return FromRocks(it_->status(), "store scan"); }

 private:
  // The smallest key greater than every key with `prefix`; empty when there is none (an
  // empty prefix, or one of 0xff bytes only).
  static std::string PrefixSuccessor(std::string_view prefix) {
    std::string s(prefix);
    while (!s.empty() && static_cast<unsigned char>(s.back()) == 0xff) s.pop_back();
    if (!s.empty()) s.back() = static_cast<char>(static_cast<unsigned char>(s.back()) + 1);
    return s;
  }

  std::string prefix_, bound_;
  rocksdb::Slice bound_slice_;
  std::unique_ptr<rocksdb::Iterator> it_;
};

std::mutex g_registry_mu;
std::map<std::string, std::weak_ptr<Store>>& Registry() {
  static std::map<std::string, std::weak_ptr<Store>> r;
  return r;
}

rocksdb::ColumnFamilyOptions CfOptions(Cf cf, const std::shared_ptr<rocksdb::Cache>& cache) {
  rocksdb::ColumnFamilyOptions o;
  rocksdb::BlockBasedTableOptions t;
  t.block_cache = cache;
  t.filter_policy.reset(rocksdb::NewBloomFilterPolicy(10));
  t.cache_index_and_filter_blocks = false;
  if (cf == Cf::kObjects) {
    // Objects are written once and read by id: big memtables and a large write buffer
    // make bulk imports cheap; point lookups go through the bloom filter.
    o.write_buffer_size = 128u << 20;
    o.max_write_buffer_number = 4;
    o.compression = rocksdb::kLZ4Compression;
    o.optimize_filters_for_hits = false;
  } else if (cf == Cf::kVectors || cf == Cf::kIndexes) {
    // Float data does not compress; index segments are large values written once, kept
    // in blob files so compactions do not rewrite them.
    o.write_buffer_size = 64u << 20;
    o.compression = rocksdb::kNoCompression;
    if (cf == Cf::kIndexes) {
      o.enable_blob_files = true;
      o.min_blob_size = 64u << 10;
      o.blob_file_size = 256u << 20;
    }
  } else {
    o.write_buffer_size = 16u << 20;
  }
  o.table_factory.reset(rocksdb::NewBlockBasedTableFactory(t));
  return o;
}

}  // namespace

struct Store::Impl {
  std::string secondary_dir;  // a read-only instance's scratch folder, removed on close
  std::unique_ptr<rocksdb::DB> db;
  std::vector<rocksdb::ColumnFamilyHandle*> handles;  // index = Cf; [kCount] = default
  std::shared_ptr<rocksdb::Cache> cache;
  rocksdb::ColumnFamilyHandle* cf(Cf c) const { return handles[static_cast<int>(c)]; }
  ~Impl() {
    if (db) {
      // Flushed memtables leave no write-ahead log for the next open to replay (a large
      // log is seconds of it); a crash instead of a close still replays it, losing nothing.
      if (secondary_dir.empty()) {
        rocksdb::FlushOptions fo;
        std::vector<rocksdb::ColumnFamilyHandle*> families(handles.begin(), handles.end() - 1);
        (void)db->Flush(fo, families);
      }
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close();
    }
    std::error_code ec;
    if (!secondary_dir.empty()) std::filesystem::remove_all(secondary_dir, ec);
  }
};

// ---- table files ----------------------------------------------------------------------

struct TableFile::Rep {
  Rep(const rocksdb::Options& o, Cf c, std::string p) : writer(rocksdb::EnvOptions(), o), cf(c), path(std::move(p)) {}
  ~Rep() {
    if (!ingested) {
      if (opened && !finished) (void)writer.Finish();  // closes the file; the error is moot
      std::error_code ec;
      std::filesystem::remove(path, ec);
    }
  }
  rocksdb::SstFileWriter writer;
  Cf cf;
  std::string path;
  uint64_t entries = 0;
  bool opened = false, finished = false, ingested = false;
};

TableFile::TableFile(std::unique_ptr<Rep> rep) : rep_(std::move(rep)) {}
TableFile::~TableFile() = default;
TableFile::TableFile(TableFile&&) noexcept = default;
TableFile& TableFile::operator=(TableFile&&) noexcept = default;
uint64_t TableFile::entries() const { return rep_->entries; }

Status TableFile::Put(std::string_view key, std::string_view value) {
  ++rep_->entries;
  return FromRocks(rep_->writer.Put(ToSlice(key), ToSlice(value)), "table file put");
}

Status TableFile::Finish() {
  if (rep_->finished) return Status::Ok();
  rep_->finished = true;
  return FromRocks(rep_->writer.Finish(), "table file finish");
}

namespace {
std::filesystem::path IngestDir(const std::string& store_path) { return std::filesystem::path(store_path) / "ingest"; }
}  // namespace

Result<TableFile> Store::NewTableFile(Cf cf) const {
  if (read_only_) return Status::PermissionDenied("store: opened read-only");
  static std::atomic<uint64_t> counter{0};
  std::error_code ec;
  std::filesystem::create_directories(IngestDir(path_), ec);
  if (ec) return Status::IoError(fmt::format("store: cannot create '{}': {}", IngestDir(path_).string(), ec.message()));
  const std::string path = (IngestDir(path_) / fmt::format("{}-{}.sst", ::getpid(), counter.fetch_add(1))).string();
  auto rep = std::make_unique<TableFile::Rep>(impl_->db->GetOptions(impl_->cf(cf)), cf, path);
  GITMEM_RETURN_IF_ERROR(FromRocks(rep->writer.Open(path), "table file open"));
  rep->opened = true;
  return TableFile(std::move(rep));
}

// ---- write batches ----------------------------------------------------------------------

using TableFiles = Result<std::vector<TableFile>>;

struct WriteBatch::Rep {
  explicit Rep(const Store* s) : store(s) {}
  const Store* store;
  rocksdb::WriteBatch batch;
  std::vector<std::future<TableFiles>> tables;  // ingested before `batch` is written
  bool touches_refs = false;                    // ref caches must see this write (Store::StableRefVersion)
};

WriteBatch::WriteBatch(const Store& store) : rep_(std::make_unique<Rep>(&store)) {}
WriteBatch::~WriteBatch() {
  // A background table build uses the store and writes a file into it: it ends before
  // the batch does (std::async's future would wait too; this says so explicitly).
  if (rep_)
    for (auto& t : rep_->tables)
      if (t.valid()) t.wait();
}
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&& other) noexcept {
  if (rep_)
    for (auto& t : rep_->tables)
      if (t.valid()) t.wait();
  rep_ = std::move(other.rep_);
  return *this;
}
size_t WriteBatch::Count() const { return rep_->batch.Count(); }
size_t WriteBatch::ByteSize() const { return rep_->batch.GetDataSize(); }

void WriteBatch::Put(Cf cf, std::string_view key, std::string_view value) {
  // Put on a WriteBatch fails only past its 4 GiB limit, which Store::Write reports.
  rep_->touches_refs |= cf == Cf::kRefs;
  (void)rep_->batch.Put(rep_->store->impl_->cf(cf), ToSlice(key), ToSlice(value));
}

void WriteBatch::Delete(Cf cf, std::string_view key) {
  rep_->touches_refs |= cf == Cf::kRefs;
  (void)rep_->batch.Delete(rep_->store->impl_->cf(cf), ToSlice(key));
}

void SortedPuts::Reserve(size_t entries, size_t key_bytes) {
  slots_.reserve(entries);
  values_.reserve(entries);
  arena_.reserve(key_bytes);
}

void SortedPuts::Add(std::string_view key, std::string value) {
  auto head = [&](size_t from) {
    uint64_t h = 0;
    for (size_t b = from; b < from + 8; ++b) h = (h << 8) | (b < key.size() ? static_cast<uint8_t>(key[b]) : 0);
    return h;
  };
  slots_.push_back(
      {head(0), head(8), arena_.size(), static_cast<uint32_t>(key.size()), static_cast<uint32_t>(values_.size())});
  arena_.append(key);
  bytes_ += key.size() + value.size();
  values_.push_back(std::move(value));
}

std::vector<SortedPuts::Slot> SortedPuts::SortedUnique() const {
  std::vector<Slot> order = slots_;
  std::sort(order.begin(), order.end(), [&](const Slot& a, const Slot& b) {
    if (a.head0 != b.head0) return a.head0 < b.head0;
    if (a.head1 != b.head1) return a.head1 < b.head1;
    return key(a) < key(b);
  });
  order.erase(std::unique(order.begin(), order.end(), [&](const Slot& a, const Slot& b) { return key(a) == key(b); }),
              order.end());
  return order;
}

void WriteBatch::PutSorted(Cf cf, SortedPuts puts) {
  if (puts.bytes_ < kBulkBytes) {
    for (const auto& slot : puts.SortedUnique()) Put(cf, puts.key(slot), puts.values_[slot.index]);
    return;
  }
  rep_->touches_refs |= cf == Cf::kRefs;
  const Store* store = rep_->store;
  rep_->tables.push_back(std::async(std::launch::async, [store, cf, puts = std::move(puts)]() -> TableFiles {
    const auto order = puts.SortedUnique();
    auto write = [&](size_t begin, size_t end) -> Result<TableFile> {
      GITMEM_ASSIGN_OR_RETURN(TableFile file, store->NewTableFile(cf));
      for (size_t i = begin; i < end; ++i) {
        // Values are read in key order, which is random in memory: fetch ahead.
        if (i + 16 < end) __builtin_prefetch(&puts.values_[order[i + 16].index]);
        if (i + 8 < end) {
          const std::string& ahead = puts.values_[order[i + 8].index];
          for (size_t off = 0; off < ahead.size(); off += 64) __builtin_prefetch(ahead.data() + off);
        }
        GITMEM_RETURN_IF_ERROR(file.Put(puts.key(order[i]), puts.values_[order[i].index]));
      }
      GITMEM_RETURN_IF_ERROR(file.Finish());
      return file;
    };
    // Two files of disjoint key ranges, built at once: in a large import the table
    // build is the longest stretch after encoding (measured: 1M import 2.95 s -> 2.76 s).
    const size_t half = order.size() / 2;
    if (half == 0) {  // one huge put: one file (an empty one cannot be finished)
      GITMEM_ASSIGN_OR_RETURN(TableFile only, write(0, order.size()));
      std::vector<TableFile> files;
      files.push_back(std::move(only));
      return files;
    }
    auto upper = std::async(std::launch::async, write, half, order.size());
    Result<TableFile> lower = write(0, half);
    Result<TableFile> upper_file = upper.get();
    if (!lower.ok()) return lower.status();
    if (!upper_file.ok()) return upper_file.status();
    std::vector<TableFile> files;
    files.push_back(std::move(lower).value());
    files.push_back(std::move(upper_file).value());
    return files;
  }));
}

Result<std::shared_ptr<Store>> Store::Open(std::string_view path_in, const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::path p(path_in);
  if (options.create_if_missing) std::filesystem::create_directories(p, ec);
  if (!std::filesystem::exists(p / "CURRENT", ec)) {
    if (!options.create_if_missing) return Status::NotFound(fmt::format("store: no gitmem store at '{}'", path_in));
  }
  const std::string key = std::filesystem::weakly_canonical(p, ec).string();

  std::lock_guard<std::mutex> lock(g_registry_mu);
  if (auto existing = Registry()[key].lock()) {
    if (existing->read_only_ && !options.read_only)
      return Status::Busy(fmt::format("store: '{}' is open read-only in this process", path_in));
    return existing;
  }

  auto impl = std::make_unique<Impl>();
  impl->cache = rocksdb::NewLRUCache(options.block_cache_bytes);
  rocksdb::DBOptions dbo;
  dbo.create_if_missing = options.create_if_missing;
  dbo.create_missing_column_families = !options.read_only;  // new families in newer versions
  dbo.max_background_jobs = 2;
  dbo.keep_log_file_num = 2;  // every open rotates RocksDB's LOG; keep the pile small
  dbo.bytes_per_sync = 1 << 20;
  std::vector<rocksdb::ColumnFamilyDescriptor> cfs;
  for (int i = 0; i < static_cast<int>(Cf::kCount); ++i)
    cfs.emplace_back(kCfNames[i], CfOptions(static_cast<Cf>(i), impl->cache));
  cfs.emplace_back(rocksdb::kDefaultColumnFamilyName, rocksdb::ColumnFamilyOptions());

  rocksdb::DB* raw = nullptr;
  rocksdb::Status s;
  if (options.read_only) {
    // A secondary instance follows a writer in another process (TryCatchUpWithPrimary).
    dbo.max_open_files = -1;
    const std::string secondary = (p / ".secondary" / std::to_string(::getpid())).string();
    std::filesystem::create_directories(secondary, ec);
    impl->secondary_dir = secondary;
    s = rocksdb::DB::OpenAsSecondary(dbo, key, secondary, cfs, &impl->handles, &raw);
  } else {
    s = rocksdb::DB::Open(dbo, key, cfs, &impl->handles, &raw);
  }
  if (!s.ok()) {
    if (s.IsIOError() && s.ToString().find("lock") != std::string::npos)
      return Status::Busy(
          fmt::format("store: '{}' is open for writing by another process; open it read-only", path_in));
    return FromRocks(s, fmt::format("store: open '{}'", path_in));
  }
  impl->db.reset(raw);
  // Table files of a bulk write that a crash interrupted were never ingested.
  if (!options.read_only) std::filesystem::remove_all(IngestDir(key), ec);

  std::shared_ptr<Store> store(new Store());
  store->impl_ = std::move(impl);
  store->path_ = key;
  store->read_only_ = options.read_only;
  GITMEM_RETURN_IF_ERROR(options.read_only ? CheckStoreFormat(*store) : UpgradeStoreFormat(*store));
  Registry()[key] = store;
  return store;
}

Store::~Store() = default;

Status Store::Get(Cf cf, std::string_view key, std::string* value, const Snapshot* snap) const {
  rocksdb::ReadOptions ro;
  ro.snapshot = Unwrap(snap);
  rocksdb::PinnableSlice slice;
  auto s = impl_->db->Get(ro, impl_->cf(cf), ToSlice(key), &slice);
  if (s.IsNotFound()) return Status::NotFound("key not found");
  if (!s.ok()) return FromRocks(s, "store get");
  value->assign(slice.data(), slice.size());
  return Status::Ok();
}

Status Store::Write(WriteBatch* batch, bool sync) {
  if (read_only_) return Status::PermissionDenied("store: opened read-only");
  // Every table first: one that failed to build leaves the store unchanged.
  std::vector<TableFile> tables;
  for (auto& t : batch->rep_->tables) {
    TableFiles r = t.get();
    if (!r.ok()) return r.status();
    for (TableFile& f : *r) tables.push_back(std::move(f));
  }
  batch->rep_->tables.clear();
  // The gate spans ingestion and the batch, so gc sees both or neither.
  std::shared_lock<std::shared_mutex> gate(write_gate_);
  if (!tables.empty()) {
    // One ingestion for all families: it is atomic across them.
    std::map<Cf, rocksdb::IngestExternalFileArg> by_cf;
    for (TableFile& t : tables) {
      if (t.entries() == 0) continue;
      GITMEM_RETURN_IF_ERROR(t.Finish());
      auto& arg = by_cf[t.rep_->cf];
      arg.column_family = impl_->cf(t.rep_->cf);
      arg.external_files.push_back(t.rep_->path);
      arg.options.move_files = true;
    }
    std::vector<rocksdb::IngestExternalFileArg> args;
    for (auto& [cf, arg] : by_cf) args.push_back(std::move(arg));
    if (!args.empty()) GITMEM_RETURN_IF_ERROR(FromRocks(impl_->db->IngestExternalFiles(args), "store ingest"));
    for (TableFile& t : tables) t.rep_->ingested = t.entries() > 0;
  }
  return WritePaused(batch, sync);
}

std::unique_lock<std::shared_mutex> Store::PauseWrites() { return std::unique_lock<std::shared_mutex>(write_gate_); }

Status Store::Compact(Cf cf) {
  if (read_only_) return Status::PermissionDenied("store: opened read-only");
  rocksdb::CompactRangeOptions co;
  return FromRocks(impl_->db->CompactRange(co, impl_->cf(cf), nullptr, nullptr), "store compact");
}

Status Store::WritePaused(WriteBatch* batch, bool sync) {
  if (read_only_) return Status::PermissionDenied("store: opened read-only");
  rocksdb::WriteOptions wo;
  wo.sync = sync;
  const bool refs = batch->rep_->touches_refs;
  if (refs) ref_writes_begun_.fetch_add(1, std::memory_order_acq_rel);
  Status s = FromRocks(impl_->db->Write(wo, &batch->rep_->batch), "store write");
  if (refs) ref_writes_done_.fetch_add(1, std::memory_order_acq_rel);
  return s;
}

std::unique_ptr<StoreIterator> Store::Scan(Cf cf, std::string_view prefix, const Snapshot* snap) const {
  return ScanFrom(cf, prefix, prefix, snap);
}

std::unique_ptr<StoreIterator> Store::ScanFrom(Cf cf, std::string_view prefix, std::string_view start,
                                               const Snapshot* snap) const {
  return std::make_unique<PrefixIterator>(*impl_->db, impl_->cf(cf), Unwrap(snap), prefix,
                                          start.empty() ? prefix : start);
}

std::unique_ptr<Snapshot> Store::GetSnapshot() const {
  return std::make_unique<RocksSnapshot>(impl_->db.get(), read_only_);
}

Status Store::Refresh() {
  if (!read_only_) return Status::Ok();
  ref_writes_begun_.fetch_add(1, std::memory_order_acq_rel);
  Status s = FromRocks(impl_->db->TryCatchUpWithPrimary(), "store refresh");
  ref_writes_done_.fetch_add(1, std::memory_order_acq_rel);
  return s;
}

std::mutex& Store::BranchLock(std::string_view repo, std::string_view branch) {
  std::string key;
  key.append(repo).push_back('\0');
  key.append(branch);
  std::lock_guard<std::mutex> lock(locks_mu_);
  auto& m = locks_[key];
  if (!m) m = std::make_unique<std::mutex>();
  return *m;
}

std::mutex& Store::RepoLock(std::string_view repo) { return BranchLock(repo, std::string_view("\0", 1)); }

std::mutex& Store::GcLock() { return BranchLock(std::string_view("\0gc", 3), "gc"); }

uint64_t Store::ApproximateSize(Cf cf) const {
  uint64_t live = 0, mem = 0;
  impl_->db->GetIntProperty(impl_->cf(cf), rocksdb::DB::Properties::kLiveSstFilesSize, &live);
  impl_->db->GetIntProperty(impl_->cf(cf), rocksdb::DB::Properties::kCurSizeAllMemTables, &mem);
  return live + mem;
}

Status Store::Flush() {
  rocksdb::FlushOptions fo;
  std::vector<rocksdb::ColumnFamilyHandle*> hs(impl_->handles.begin(),
                                               impl_->handles.begin() + static_cast<int>(Cf::kCount));
  return FromRocks(impl_->db->Flush(fo, hs), "store flush");
}

}  // namespace gitmem
