// Bulk writes: a write of more than WriteBatch::kBulkBytes puts its objects and session
// entries into table files that the store ingests before the batch that moves the ref.
// These tests write past that size and check the result is the same as a small write's.
#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "store/store.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

namespace {

// ~300-byte records: 70,000 of them pass the bulk threshold (16 MiB) comfortably.
constexpr size_t kBulkCount = 70000;

std::vector<Memory> BulkRecords(size_t n, const std::string& prefix) {
  std::vector<Memory> out(n);
  for (size_t i = 0; i < n; ++i) {
    out[i].id = prefix + std::to_string(i);
    out[i].content = "bulk record " + std::to_string(i) + " " + std::string(260, static_cast<char>('a' + i % 26));
    out[i].session_id = "session-" + std::to_string(i / 1000);
    out[i].timestamp_us = 1'700'000'000'000'000 + static_cast<int64_t>(i);
  }
  return out;
}

size_t IngestLeftovers(const TempDir& dir) {
  const auto ingest = std::filesystem::path(dir.path()) / "ingest";
  if (!std::filesystem::exists(ingest)) return 0;
  return static_cast<size_t>(std::distance(std::filesystem::directory_iterator(ingest), {}));
}

}  // namespace

TEST_CASE("a bulk write is as readable, checkable and collectable as a small one", "[repo][bulk]") {
  static_assert(kBulkCount * 300 > WriteBatch::kBulkBytes);
  TempDir dir;
  auto repo = NewTestRepo(dir);
  auto records = BulkRecords(kBulkCount, "m-");
  // A record given twice: one memory, one blob, one session entry.
  records[1] = records[0];
  const size_t memories = kBulkCount - 1;

  SECTION("staged, then committed") {
    auto ids = repo->PutMany(records);
    REQUIRE_OK(ids);
    REQUIRE(ids->size() == kBulkCount);
    auto staged = repo->Staged();
    REQUIRE_OK(staged);
    CHECK(staged->size() == memories);
    gitmem::testing::MustCommit(*repo, "bulk");
  }
  SECTION("committed by auto_commit") {
    RepositoryOptions o;
    o.auto_commit = true;
    auto r = Repository::Open(o, dir.path());
    REQUIRE_OK(r);
    REQUIRE_OK((*r)->PutMany(records));
  }

  CHECK(IngestLeftovers(dir) == 0);
  auto count = repo->Count();
  REQUIRE_OK(count);
  CHECK(*count == memories);
  for (size_t i : {size_t{0}, size_t{2}, size_t{12345}, kBulkCount - 1}) {
    auto m = repo->Get(records[i].id);
    REQUIRE_OK(m);
    CHECK(m->content == records[i].content);
  }
  auto session = repo->Session("session-7");
  REQUIRE_OK(session);
  REQUIRE(session->size() == 1000);
  CHECK(session->front().id == "m-7000");

  auto fsck = repo->Fsck();
  REQUIRE_OK(fsck);
  CHECK(fsck->ok());
  CHECK(fsck->blobs == memories);
  auto gc = repo->Gc();
  REQUIRE_OK(gc);
  CHECK(gc->objects_freed == 0);

  // What was ingested survives a reopen of the store.
  repo.reset();
  auto reopened = Repository::Open({}, dir.path());
  REQUIRE_OK(reopened);
  auto again = (*reopened)->Get(records[kBulkCount / 2].id);
  REQUIRE_OK(again);
  CHECK(again->content == records[kBulkCount / 2].content);
}

TEST_CASE("a bulk write with one bad record changes nothing", "[repo][bulk]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  auto records = BulkRecords(kBulkCount, "m-");
  records[kBulkCount - 3].importance = 2.0;  // out of range, late in the last chunk
  auto r = repo->PutMany(records);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("memories[69997]: importance") != std::string::npos);
  auto staged = repo->Staged();
  REQUIRE_OK(staged);
  CHECK(staged->empty());
  CHECK(IngestLeftovers(dir) == 0);
  auto gc = repo->Gc({});
  REQUIRE_OK(gc);
  CHECK(gc->objects_scanned == 0);  // not one object was written
}

TEST_CASE("gc after deleting a bulk-written branch frees its blobs and session entries", "[repo][bulk]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  REQUIRE_OK(repo->Put(gitmem::testing::MakeMemory("keep", "on main")));
  gitmem::testing::MustCommit(*repo, "main");
  REQUIRE_OK(repo->CreateBranch("bulk"));
  WriteOptions wo;
  wo.branch = "bulk";
  REQUIRE_OK(repo->PutMany(BulkRecords(kBulkCount, "b-"), wo));
  gitmem::testing::MustCommit(*repo, "bulk", "bulk");
  REQUIRE_OK(repo->DeleteBranch("bulk"));
  auto gc = repo->Gc();
  REQUIRE_OK(gc);
  CHECK(gc->objects_freed >= kBulkCount);
  CHECK(gc->session_entries_freed == kBulkCount);
  auto fsck = repo->Fsck();
  REQUIRE_OK(fsck);
  CHECK(fsck->ok());
  auto kept = repo->Get("keep");
  REQUIRE_OK(kept);
}
