#include "store/store.h"

#include <fmt/format.h>
#include <rocksdb/db.h>
#include <rocksdb/filter_policy.h>
#include <rocksdb/table.h>
#include <rocksdb/write_batch.h>

#include <filesystem>
#include <map>
#include <vector>

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
  RocksSnapshot(rocksdb::DB* db, bool secondary)
      : db_(db), snap_(secondary ? nullptr : db->GetSnapshot()) {}
  ~RocksSnapshot() override {
    if (snap_) db_->ReleaseSnapshot(snap_);
  }
  const rocksdb::Snapshot* get() const { return snap_; }

 private:
  rocksdb::DB* db_;
  const rocksdb::Snapshot* snap_;
};

const rocksdb::Snapshot* Unwrap(const Snapshot* s) {
  return s ? static_cast<const RocksSnapshot*>(s)->get() : nullptr;
}

class PrefixIterator final : public StoreIterator {
 public:
  PrefixIterator(std::unique_ptr<rocksdb::Iterator> it, std::string prefix)
      : it_(std::move(it)), prefix_(std::move(prefix)) {}
  bool Valid() const override { return it_->Valid() && it_->key().starts_with(ToSlice(prefix_)); }
  void Next() override { it_->Next(); }
  std::string_view key() const override { return ToView(it_->key()); }
  std::string_view value() const override { return ToView(it_->value()); }
  Status status() const override { return FromRocks(it_->status(), "store scan"); }

 private:
  std::unique_ptr<rocksdb::Iterator> it_;
  std::string prefix_;
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
      for (auto* h : handles) db->DestroyColumnFamilyHandle(h);
      db->Close();
    }
    std::error_code ec;
    if (!secondary_dir.empty()) std::filesystem::remove_all(secondary_dir, ec);
  }
};

struct WriteBatch::Rep {
  Rep(const Store::Impl* s, size_t reserve) : store(s), batch(reserve) {}
  const Store::Impl* store;
  rocksdb::WriteBatch batch;
  bool touches_refs = false;  // ref caches must see this write (Store::StableRefVersion)
};

WriteBatch::WriteBatch(const Store& store, size_t reserve_bytes)
    : rep_(std::make_unique<Rep>(store.impl_.get(), reserve_bytes)) {}
WriteBatch::~WriteBatch() = default;
WriteBatch::WriteBatch(WriteBatch&&) noexcept = default;
WriteBatch& WriteBatch::operator=(WriteBatch&&) noexcept = default;
size_t WriteBatch::Count() const { return rep_->batch.Count(); }
size_t WriteBatch::ByteSize() const { return rep_->batch.GetDataSize(); }

void WriteBatch::Put(Cf cf, std::string_view key, std::string_view value) {
  // Put on a WriteBatch fails only past its 4 GiB limit, which Store::Write reports.
  rep_->touches_refs |= cf == Cf::kRefs;
  (void)rep_->batch.Put(rep_->store->cf(cf), ToSlice(key), ToSlice(value));
}

void WriteBatch::Delete(Cf cf, std::string_view key) {
  rep_->touches_refs |= cf == Cf::kRefs;
  (void)rep_->batch.Delete(rep_->store->cf(cf), ToSlice(key));
}

Result<std::shared_ptr<Store>> Store::Open(std::string_view path_in, const StoreOptions& options) {
  std::error_code ec;
  std::filesystem::path p(path_in);
  if (options.create_if_missing) std::filesystem::create_directories(p, ec);
  if (!std::filesystem::exists(p / "CURRENT", ec)) {
    if (!options.create_if_missing)
      return Status::NotFound(fmt::format("store: no gitmem store at '{}'", path_in));
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
      return Status::Busy(fmt::format(
          "store: '{}' is open for writing by another process; open it read-only", path_in));
    return FromRocks(s, fmt::format("store: open '{}'", path_in));
  }
  impl->db.reset(raw);

  std::shared_ptr<Store> store(new Store());
  store->impl_ = std::move(impl);
  store->path_ = key;
  store->read_only_ = options.read_only;
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
  std::shared_lock<std::shared_mutex> gate(write_gate_);
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
  rocksdb::ReadOptions ro;
  ro.snapshot = Unwrap(snap);
  std::unique_ptr<rocksdb::Iterator> it(impl_->db->NewIterator(ro, impl_->cf(cf)));
  it->Seek(ToSlice(start.empty() ? prefix : start));
  return std::make_unique<PrefixIterator>(std::move(it), std::string(prefix));
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

namespace {
std::string BranchKey(std::string_view repo, std::string_view branch) {
  std::string key(repo);
  key.push_back('\0');
  key.append(branch);
  return key;
}
}  // namespace

void Store::MarkStagingDirty(std::string_view repo, std::string_view branch) {
  std::lock_guard<std::mutex> lock(locks_mu_);
  staging_empty_since_.erase(BranchKey(repo, branch));
}

void Store::MarkStagingEmpty(std::string_view repo, std::string_view branch) {
  const uint64_t seq = impl_->db->GetLatestSequenceNumber();
  std::lock_guard<std::mutex> lock(locks_mu_);
  staging_empty_since_[BranchKey(repo, branch)] = seq;
}

bool Store::StagingKnownEmpty(std::string_view repo, std::string_view branch, const Snapshot* snap) const {
  std::lock_guard<std::mutex> lock(locks_mu_);
  auto it = staging_empty_since_.find(BranchKey(repo, branch));
  if (it == staging_empty_since_.end()) return false;
  const rocksdb::Snapshot* rs = Unwrap(snap);
  return rs == nullptr ? snap == nullptr : rs->GetSequenceNumber() >= it->second;
}

std::mutex& Store::RepoLock(std::string_view repo) { return BranchLock(repo, std::string_view("\0", 1)); }

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
