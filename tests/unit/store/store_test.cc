// store/Store: the RocksDB wrapper under everything. Open/create and the per-path shared
// instance, point reads and writes on every column family, prefix scans, snapshots,
// batches, the bulk (table file) path of PutSorted, read-only instances, reopening, and
// the staging-empty hint.
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>
#include <catch2/catch.hpp>

#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "store/store.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::TempDir;

namespace {

constexpr Cf kAllCfs[] = {Cf::kObjects, Cf::kRefs, Cf::kMeta, Cf::kStaging, Cf::kSessions, Cf::kVectors, Cf::kIndexes};

std::shared_ptr<Store> MustOpen(const std::string& path, bool create = true, bool read_only = false) {
  StoreOptions o;
  o.create_if_missing = create;
  o.read_only = read_only;
  o.block_cache_bytes = 8u << 20;
  auto r = Store::Open(path, o);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

void MustWrite(Store& store, WriteBatch& batch, bool sync = false) {
  const Status s = store.Write(&batch, sync);
  INFO(s.ToString());
  REQUIRE(s.ok());
}

void PutOne(Store& store, Cf cf, std::string_view key, std::string_view value) {
  WriteBatch b(store);
  b.Put(cf, key, value);
  MustWrite(store, b);
}

void DeleteOne(Store& store, Cf cf, std::string_view key) {
  WriteBatch b(store);
  b.Delete(cf, key);
  MustWrite(store, b);
}

/// The value at `key`, or "<absent>" when Get says NotFound (any other error fails).
std::string GetOr(const Store& store, Cf cf, std::string_view key, const Snapshot* snap = nullptr) {
  std::string v;
  const Status s = store.Get(cf, key, &v, snap);
  if (s.IsNotFound()) return "<absent>";
  INFO(s.ToString());
  REQUIRE(s.ok());
  return v;
}

using Pairs = std::vector<std::pair<std::string, std::string>>;

Pairs Drain(std::unique_ptr<StoreIterator> it) {
  Pairs out;
  for (; it->Valid(); it->Next()) out.emplace_back(std::string(it->key()), std::string(it->value()));
  INFO(it->status().ToString());
  REQUIRE(it->status().ok());
  return out;
}

std::vector<std::string> Keys(const Pairs& pairs) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : pairs) keys.push_back(k);
  return keys;
}

std::string S(const char* data, size_t n) { return std::string(data, n); }

}  // namespace

TEST_CASE("Store::Open creates a store only when asked to", "[store]") {
  TempDir dir;
  StoreOptions o;
  auto missing = Store::Open(dir.sub("db"), o);
  CHECK(missing.status().IsNotFound());
  CHECK_FALSE(std::filesystem::exists(dir.sub("db")));

  auto store = MustOpen(dir.sub("db"));
  CHECK_FALSE(store->read_only());
  CHECK(std::filesystem::exists(std::filesystem::path(dir.sub("db")) / "CURRENT"));
  CHECK(std::filesystem::equivalent(store->path(), dir.sub("db")));
}

TEST_CASE("Store::Open returns the one open instance per path", "[store]") {
  TempDir dir;
  auto a = MustOpen(dir.sub("db"));
  auto b = MustOpen(dir.sub("db"), /*create=*/false);
  CHECK(a.get() == b.get());
  // Another spelling of the same path is the same store.
  std::filesystem::create_directories(dir.sub("other"));
  auto c = MustOpen(dir.sub("other") + "/../db", /*create=*/false);
  CHECK(a.get() == c.get());
  // Asking for read-only while this process has it open for writing returns the writer.
  auto ro = MustOpen(dir.sub("db"), /*create=*/false, /*read_only=*/true);
  CHECK(ro.get() == a.get());
  CHECK_FALSE(ro->read_only());
  PutOne(*ro, Cf::kMeta, "k", "v");
  CHECK(GetOr(*a, Cf::kMeta, "k") == "v");

  auto other = MustOpen(dir.sub("db2"));
  CHECK(other.get() != a.get());
}

TEST_CASE("Put, Get and Delete work on every column family, each its own key space", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  WriteBatch batch(*store);
  for (Cf cf : kAllCfs) batch.Put(cf, "key", "value-" + std::to_string(static_cast<int>(cf)));
  MustWrite(*store, batch);

  for (Cf cf : kAllCfs) {
    INFO("cf " << static_cast<int>(cf));
    CHECK(GetOr(*store, cf, "key") == "value-" + std::to_string(static_cast<int>(cf)));
    CHECK(GetOr(*store, cf, "absent") == "<absent>");
    CHECK(GetOr(*store, cf, "ke") == "<absent>");
    CHECK(GetOr(*store, cf, "key2") == "<absent>");
  }

  // Overwrite in one family, delete in another: the rest keep their values.
  PutOne(*store, Cf::kRefs, "key", "new");
  DeleteOne(*store, Cf::kStaging, "key");
  for (Cf cf : kAllCfs) {
    INFO("cf " << static_cast<int>(cf));
    const std::string want = cf == Cf::kRefs      ? "new"
                             : cf == Cf::kStaging ? "<absent>"
                                                  : "value-" + std::to_string(static_cast<int>(cf));
    CHECK(GetOr(*store, cf, "key") == want);
  }

  // A deleted key reads NotFound; deleting an absent key is fine.
  std::string v;
  CHECK(store->Get(Cf::kStaging, "key", &v).IsNotFound());
  DeleteOne(*store, Cf::kStaging, "never-written");
  CHECK(store->Get(Cf::kStaging, "never-written", &v).IsNotFound());

  // Keys and values are bytes: NUL, 0xff and empty values.
  const std::string key = S("a\0b\xff", 4);
  const std::string value = S("\0\0\xfe", 3);
  PutOne(*store, Cf::kObjects, key, value);
  PutOne(*store, Cf::kObjects, "empty", "");
  CHECK(GetOr(*store, Cf::kObjects, key) == value);
  CHECK(GetOr(*store, Cf::kObjects, S("a\0b", 3)) == "<absent>");
  CHECK(GetOr(*store, Cf::kObjects, "empty").empty());
}

TEST_CASE("A batch applies every write in order, and nothing before Write", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  PutOne(*store, Cf::kMeta, "old-1", "o1");
  PutOne(*store, Cf::kMeta, "old-2", "o2");

  WriteBatch batch(*store);
  CHECK(batch.Count() == 0);
  std::map<std::pair<Cf, std::string>, std::string> want;
  for (int i = 0; i < 50; ++i) {
    const Cf cf = kAllCfs[i % 7];
    const std::string key = "k" + std::to_string(i);
    batch.Put(cf, key, "v" + std::to_string(i));
    want[{cf, key}] = "v" + std::to_string(i);
  }
  batch.Delete(Cf::kMeta, "old-1");
  want[{Cf::kMeta, "old-1"}] = "<absent>";
  want[{Cf::kMeta, "old-2"}] = "o2";
  batch.Put(Cf::kRefs, "put-then-delete", "x");
  batch.Delete(Cf::kRefs, "put-then-delete");
  want[{Cf::kRefs, "put-then-delete"}] = "<absent>";
  batch.Delete(Cf::kRefs, "delete-then-put");
  batch.Put(Cf::kRefs, "delete-then-put", "y");
  want[{Cf::kRefs, "delete-then-put"}] = "y";
  batch.Put(Cf::kRefs, "twice", "first");
  batch.Put(Cf::kRefs, "twice", "second");
  want[{Cf::kRefs, "twice"}] = "second";
  CHECK(batch.Count() == 50 + 1 + 2 + 2 + 2);
  CHECK(batch.ByteSize() > 0);

  // Nothing is visible until Write.
  CHECK(GetOr(*store, Cf::kObjects, "k0") == "<absent>");
  CHECK(GetOr(*store, Cf::kMeta, "old-1") == "o1");
  auto before = store->GetSnapshot();

  MustWrite(*store, batch, /*sync=*/true);
  for (const auto& [where, value] : want) {
    INFO("cf " << static_cast<int>(where.first) << " key " << where.second);
    CHECK(GetOr(*store, where.first, where.second) == value);
  }
  // A snapshot taken before the write sees none of it.
  for (const auto& [where, value] : want) {
    INFO("cf " << static_cast<int>(where.first) << " key " << where.second);
    const std::string old = where.second == "old-1" ? "o1" : where.second == "old-2" ? "o2" : "<absent>";
    CHECK(GetOr(*store, where.first, where.second, before.get()) == old);
  }
}

TEST_CASE("Scan returns a prefix's keys in order and stops at its end", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  const std::vector<std::string> keys = {"a",  "ab", S("ab\0x", 4), "abc", "abd", S("ab\xff", 3),
                                         "ac", "b",  S("\xff", 1)};
  WriteBatch batch(*store);
  for (auto it = keys.rbegin(); it != keys.rend(); ++it) batch.Put(Cf::kStaging, *it, "v:" + *it);
  batch.Put(Cf::kSessions, "abz", "other family");
  MustWrite(*store, batch);

  const std::vector<std::string> ab = {"ab", S("ab\0x", 4), "abc", "abd", S("ab\xff", 3)};
  const Pairs scanned = Drain(store->Scan(Cf::kStaging, "ab"));
  CHECK(Keys(scanned) == ab);
  for (const auto& [k, v] : scanned) CHECK(v == "v:" + k);

  CHECK(Keys(Drain(store->Scan(Cf::kStaging, ""))) == keys);  // bytewise order, 0xff last
  CHECK(Keys(Drain(store->Scan(Cf::kStaging, "abc"))) == std::vector<std::string>{"abc"});
  CHECK(Drain(store->Scan(Cf::kStaging, "abe")).empty());
  CHECK(Drain(store->Scan(Cf::kStaging, "zzz")).empty());
  CHECK(Keys(Drain(store->Scan(Cf::kSessions, "ab"))) == std::vector<std::string>{"abz"});
  CHECK(Drain(store->Scan(Cf::kRefs, "")).empty());

  SECTION("deleted keys disappear from scans") {
    DeleteOne(*store, Cf::kStaging, "abc");
    CHECK(Keys(Drain(store->Scan(Cf::kStaging, "ab"))) ==
          std::vector<std::string>{"ab", S("ab\0x", 4), "abd", S("ab\xff", 3)});
  }
}

TEST_CASE("ScanFrom starts at the first key at or after start, within the prefix", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  WriteBatch batch(*store);
  for (const char* k : {"p/1", "p/2", "p/3", "p/5", "q/0"}) batch.Put(Cf::kIndexes, k, k);
  MustWrite(*store, batch);

  using V = std::vector<std::string>;
  CHECK(Keys(Drain(store->ScanFrom(Cf::kIndexes, "p/", "p/2"))) == V{"p/2", "p/3", "p/5"});
  CHECK(Keys(Drain(store->ScanFrom(Cf::kIndexes, "p/", "p/4"))) == V{"p/5"});
  CHECK(Keys(Drain(store->ScanFrom(Cf::kIndexes, "p/", "p/"))) == V{"p/1", "p/2", "p/3", "p/5"});
  CHECK(Keys(Drain(store->ScanFrom(Cf::kIndexes, "p/", ""))) == V{"p/1", "p/2", "p/3", "p/5"});
  CHECK(Drain(store->ScanFrom(Cf::kIndexes, "p/", "p/6")).empty());  // does not run into q/
  CHECK(Keys(Drain(store->ScanFrom(Cf::kIndexes, "", "p/3"))) == V{"p/3", "p/5", "q/0"});
}

TEST_CASE("A snapshot sees the store as it was when taken", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  PutOne(*store, Cf::kRefs, "r/a", "1");
  PutOne(*store, Cf::kRefs, "r/b", "1");
  auto snap = store->GetSnapshot();

  WriteBatch batch(*store);
  batch.Put(Cf::kRefs, "r/a", "2");
  batch.Delete(Cf::kRefs, "r/b");
  batch.Put(Cf::kRefs, "r/c", "2");
  MustWrite(*store, batch);
  auto later = store->GetSnapshot();
  PutOne(*store, Cf::kRefs, "r/d", "3");

  CHECK(GetOr(*store, Cf::kRefs, "r/a", snap.get()) == "1");
  CHECK(GetOr(*store, Cf::kRefs, "r/b", snap.get()) == "1");
  CHECK(GetOr(*store, Cf::kRefs, "r/c", snap.get()) == "<absent>");
  CHECK(Drain(store->Scan(Cf::kRefs, "r/", snap.get())) == Pairs{{"r/a", "1"}, {"r/b", "1"}});
  CHECK(Drain(store->ScanFrom(Cf::kRefs, "r/", "r/b", snap.get())) == Pairs{{"r/b", "1"}});

  CHECK(Drain(store->Scan(Cf::kRefs, "r/", later.get())) == Pairs{{"r/a", "2"}, {"r/c", "2"}});
  CHECK(Drain(store->Scan(Cf::kRefs, "r/")) == Pairs{{"r/a", "2"}, {"r/c", "2"}, {"r/d", "3"}});
  CHECK(GetOr(*store, Cf::kRefs, "r/d", later.get()) == "<absent>");
  CHECK(GetOr(*store, Cf::kRefs, "r/d") == "3");
}

TEST_CASE("PutSorted below the bulk threshold fills the batch in key order", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  SortedPuts puts;
  puts.Reserve(5, 64);
  for (const char* k :
       {"obj-3", "obj-1", "obj-2", "obj-1", "a-much-longer-key-than-16-bytes-2", "a-much-longer-key-than-16-bytes-1"})
    puts.Add(k, std::string("v:") + k);
  CHECK(puts.size() == 6);
  CHECK(puts.bytes() < WriteBatch::kBulkBytes);

  WriteBatch batch(*store);
  batch.PutSorted(Cf::kObjects, std::move(puts));
  CHECK(batch.Count() == 5);  // the repeated key once
  MustWrite(*store, batch);
  CHECK(Drain(store->Scan(Cf::kObjects, "")) ==
        Pairs{{"a-much-longer-key-than-16-bytes-1", "v:a-much-longer-key-than-16-bytes-1"},
              {"a-much-longer-key-than-16-bytes-2", "v:a-much-longer-key-than-16-bytes-2"},
              {"obj-1", "v:obj-1"},
              {"obj-2", "v:obj-2"},
              {"obj-3", "v:obj-3"}});
}

TEST_CASE("PutSorted at or above the bulk threshold ingests a table file with the batch", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  PutOne(*store, Cf::kObjects, "existing", "kept");
  constexpr size_t kValueBytes = 64u << 10;
  const size_t count = WriteBatch::kBulkBytes / kValueBytes + 2;  // just past the threshold

  // Keys in reverse order, one of them twice.
  auto key_of = [](size_t i) {
    char buf[16];
    std::snprintf(buf, sizeof(buf), "obj-%06zu", i);
    return std::string(buf);
  };
  auto value_of = [&](size_t i) { return std::string(kValueBytes, static_cast<char>('a' + i % 26)); };
  SortedPuts puts;
  for (size_t i = count; i-- > 0;) puts.Add(key_of(i), value_of(i));
  puts.Add(key_of(7), value_of(7));
  REQUIRE(puts.bytes() >= WriteBatch::kBulkBytes);

  WriteBatch batch(*store);
  batch.PutSorted(Cf::kObjects, std::move(puts));
  CHECK(batch.Count() == 0);  // a table file, not batch puts
  batch.Put(Cf::kRefs, "head", "with the bulk data");
  batch.Delete(Cf::kObjects, "existing");  // the batch applies after the ingestion

  CHECK(GetOr(*store, Cf::kObjects, key_of(0)) == "<absent>");
  MustWrite(*store, batch);

  const Pairs all = Drain(store->Scan(Cf::kObjects, ""));
  REQUIRE(all.size() == count);
  for (size_t i = 0; i < count; ++i) {
    INFO("entry " << i);
    CHECK(all[i].first == key_of(i));
    CHECK(all[i].second == value_of(i));
  }
  CHECK(GetOr(*store, Cf::kRefs, "head") == "with the bulk data");
  CHECK(GetOr(*store, Cf::kObjects, "existing") == "<absent>");
  // The table files were moved into the database.
  const auto ingest = std::filesystem::path(store->path()) / "ingest";
  CHECK((!std::filesystem::exists(ingest) || std::filesystem::is_empty(ingest)));

  SECTION("the data survives a reopen") {
    const std::string path = store->path();
    store.reset();
    auto reopened = MustOpen(path, /*create=*/false);
    CHECK(GetOr(*reopened, Cf::kObjects, key_of(count - 1)) == value_of(count - 1));
    CHECK(Drain(reopened->Scan(Cf::kObjects, "")).size() == count);
  }
}

TEST_CASE("PutSorted with one put above the bulk threshold", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  SortedPuts puts;
  puts.Add("huge", std::string(WriteBatch::kBulkBytes, 'h'));
  WriteBatch batch(*store);
  batch.PutSorted(Cf::kIndexes, std::move(puts));
  CHECK(batch.Count() == 0);
  MustWrite(*store, batch);
  const std::string v = GetOr(*store, Cf::kIndexes, "huge");
  CHECK(v.size() == WriteBatch::kBulkBytes);
  CHECK(v.find_first_not_of('h') == std::string::npos);
}

TEST_CASE("A closed store reopens with its data", "[store]") {
  TempDir dir;
  std::string path;
  {
    auto store = MustOpen(dir.sub("db"));
    path = store->path();
    WriteBatch batch(*store);
    for (Cf cf : kAllCfs) batch.Put(cf, "persisted", std::to_string(static_cast<int>(cf)));
    batch.Put(Cf::kMeta, "deleted", "x");
    MustWrite(*store, batch, /*sync=*/true);
    DeleteOne(*store, Cf::kMeta, "deleted");
  }
  auto store = MustOpen(path, /*create=*/false);
  for (Cf cf : kAllCfs) CHECK(GetOr(*store, cf, "persisted") == std::to_string(static_cast<int>(cf)));
  CHECK(GetOr(*store, Cf::kMeta, "deleted") == "<absent>");
}

TEST_CASE("A read-only store reads but cannot write", "[store]") {
  TempDir dir;
  std::string path;
  {
    auto store = MustOpen(dir.sub("db"));
    path = store->path();
    PutOne(*store, Cf::kRefs, "r", "1");
  }
  auto ro = MustOpen(path, /*create=*/false, /*read_only=*/true);
  CHECK(ro->read_only());
  CHECK(GetOr(*ro, Cf::kRefs, "r") == "1");
  CHECK(Drain(ro->Scan(Cf::kRefs, "")) == Pairs{{"r", "1"}});
  auto snap = ro->GetSnapshot();
  CHECK(GetOr(*ro, Cf::kRefs, "r", snap.get()) == "1");
  CHECK(ro->Refresh().ok());

  WriteBatch batch(*ro);
  batch.Put(Cf::kRefs, "r", "2");
  CHECK(ro->Write(&batch, false).code() == Status::Code::kPermissionDenied);
  CHECK(ro->WritePaused(&batch, false).code() == Status::Code::kPermissionDenied);
  CHECK(ro->NewTableFile(Cf::kObjects).status().code() == Status::Code::kPermissionDenied);
  CHECK(ro->Compact(Cf::kRefs).code() == Status::Code::kPermissionDenied);
  CHECK(GetOr(*ro, Cf::kRefs, "r") == "1");

  // While this process holds it read-only, it cannot also open it for writing.
  StoreOptions writable;
  CHECK(Store::Open(path, writable).status().code() == Status::Code::kBusy);
  // A read-only open returns the same read-only instance.
  auto ro2 = MustOpen(path, /*create=*/false, /*read_only=*/true);
  CHECK(ro2.get() == ro.get());

  snap.reset();
  ro.reset();
  ro2.reset();
  auto rw = MustOpen(path, /*create=*/false);
  CHECK_FALSE(rw->read_only());
  PutOne(*rw, Cf::kRefs, "r", "2");
  CHECK(GetOr(*rw, Cf::kRefs, "r") == "2");
}

TEST_CASE("A scan stops at the end of its prefix, whatever was deleted after it", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  PutOne(*store, Cf::kStaging, "a1", "x");
  for (int i = 0; i < 1000; ++i) PutOne(*store, Cf::kStaging, "b" + std::to_string(i), "x");
  for (int i = 0; i < 1000; ++i) DeleteOne(*store, Cf::kStaging, "b" + std::to_string(i));
  PutOne(*store, Cf::kStaging, "c", "x");
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  auto it = store->Scan(Cf::kStaging, "a");
  REQUIRE(it->Valid());
  it->Next();
  CHECK_FALSE(it->Valid());
  CHECK(it->status().ok());
  CHECK(rocksdb::get_perf_context()->internal_delete_skipped_count == 0);
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  // A prefix of 0xff bytes has no successor: the scan still ends with the keys.
  PutOne(*store, Cf::kStaging, "\xff\xff", "y");
  auto top = store->Scan(Cf::kStaging, "\xff");
  REQUIRE(top->Valid());
  CHECK(top->value() == "y");
  top->Next();
  CHECK_FALSE(top->Valid());
}

TEST_CASE("Ref writes advance the stable ref version; other writes do not", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  const auto v0 = store->StableRefVersion();
  REQUIRE(v0.has_value());
  PutOne(*store, Cf::kObjects, "o", "x");
  PutOne(*store, Cf::kStaging, "s", "x");
  CHECK(store->StableRefVersion() == v0);
  PutOne(*store, Cf::kRefs, "r", "x");
  CHECK(store->StableRefVersion() == *v0 + 1);
  DeleteOne(*store, Cf::kRefs, "r");
  CHECK(store->StableRefVersion() == *v0 + 2);
}

TEST_CASE("Branch, repository and gc locks are one mutex per name", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  CHECK(&store->BranchLock("r", "main") == &store->BranchLock("r", "main"));
  CHECK(&store->BranchLock("r", "main") != &store->BranchLock("r", "dev"));
  CHECK(&store->BranchLock("r", "main") != &store->BranchLock("r2", "main"));
  CHECK(&store->RepoLock("r") == &store->RepoLock("r"));
  CHECK(&store->RepoLock("r") != &store->RepoLock("r2"));
  CHECK(&store->RepoLock("r") != &store->BranchLock("r", ""));
  CHECK(&store->GcLock() == &store->GcLock());
  CHECK(&store->GcLock() != &store->RepoLock("r"));
}

TEST_CASE("Writes go through while the writer holds the pause, and maintenance calls work", "[store]") {
  TempDir dir;
  auto store = MustOpen(dir.sub("db"));
  {
    auto pause = store->PauseWrites();
    WriteBatch batch(*store);
    batch.Put(Cf::kObjects, "during-pause", std::string(4096, 'p'));
    const Status s = store->WritePaused(&batch, false);
    INFO(s.ToString());
    REQUIRE(s.ok());
  }
  CHECK(GetOr(*store, Cf::kObjects, "during-pause").size() == 4096);
  REQUIRE(store->Flush().ok());
  CHECK(store->ApproximateSize(Cf::kObjects) > 0);
  REQUIRE(store->Compact(Cf::kObjects).ok());
  CHECK(GetOr(*store, Cf::kObjects, "during-pause").size() == 4096);
  CHECK(store->Refresh().ok());  // a writer is always current
}
