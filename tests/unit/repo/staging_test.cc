// Staged changes live in per-branch generations (store/keys.h): clearing them never leaves
// deleted keys where a later read of the branch's staging has to step over them, and a
// store of the format before generations is upgraded on its first writable open.
#include <fmt/format.h>
#include <rocksdb/perf_context.h>
#include <rocksdb/perf_level.h>
#include <catch2/catch.hpp>

#include "store/format.h"
#include "store/keys.h"
#include "store/store.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustCommit;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

namespace {

// Deleted entries RocksDB stepped over on this thread while `work` ran. Deleted refs count
// too: listing branches steps over the ref of each branch deleted or renamed since the
// last compaction (one here), which is O(branches), not O(memories).
template <class F>
uint64_t DeletedKeysSteppedOver(F&& work) {
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kEnableCount);
  rocksdb::get_perf_context()->Reset();
  work();
  const uint64_t n = rocksdb::get_perf_context()->internal_delete_skipped_count;
  rocksdb::SetPerfLevel(rocksdb::PerfLevel::kDisable);
  return n;
}

std::vector<Memory> Batch(std::string_view prefix, int n) {
  std::vector<Memory> out;
  for (int i = 0; i < n; ++i) out.push_back(MakeMemory(fmt::format("{}{:05}", prefix, i), "memory"));
  return out;
}

// The usual work after an import: stage a few changes, look at them, branch, diff, commit.
void WorkAfterImport(Repository& repo, std::string_view round) {
  REQUIRE_OK(repo.PutMany(Batch(fmt::format("z-{}-", round), 10)));
  CHECK(repo.Staged()->size() == 10);
  CHECK(repo.ListBranches().ok());
  REQUIRE_OK(repo.CreateBranch(fmt::format("branch-{}", round)));
  CHECK(repo.DiffRevs({"main~0"}, {"main"})->added() == 10);
  CHECK(repo.Get(fmt::format("z-{}-00003", round)).ok());
  MustCommit(repo, fmt::format("round {}", round));
}

}  // namespace

TEST_CASE("after an import is committed, staging reads step over no deleted key", "[repo][staging]") {
  TempDir dir;
  {
    auto repo = NewTestRepo(dir);
    // Ids that sort before and after the ones staged later.
    REQUIRE_OK(repo->PutMany(Batch("a", 3000)));
    REQUIRE_OK(repo->PutMany(Batch("zz", 3000)));
    MustCommit(*repo, "import");
    CHECK(DeletedKeysSteppedOver([&] { WorkAfterImport(*repo, "1"); }) == 0);
    CHECK(DeletedKeysSteppedOver([&] { WorkAfterImport(*repo, "2"); }) == 0);
    // Discard, delete and rename clear staging the same way.
    REQUIRE_OK(repo->PutMany(Batch("b", 500)));
    REQUIRE_OK(repo->DiscardStaged(""));
    WriteOptions on_side;
    on_side.branch = "branch-1";
    REQUIRE_OK(repo->PutMany(Batch("c", 500), on_side));
    REQUIRE_OK(repo->RenameBranch("branch-1", "side"));
    CHECK(repo->Staged("side")->size() == 500);
    REQUIRE_OK(repo->DeleteBranch("side"));
    REQUIRE_OK(repo->CreateBranch("side"));
    CHECK(DeletedKeysSteppedOver([&] {
            CHECK(repo->Staged("")->empty());
            CHECK(repo->Staged("side")->empty());
            auto branches = repo->ListBranches();
            REQUIRE(branches.ok());
            for (const auto& b : *branches) CHECK(b.staged == 0);
          }) <= 1);
    CHECK(repo->Fsck()->ok());
  }
  // A new process knows nothing of what this one cleared.
  auto repo = std::move(Repository::Open({}, dir.path())).value();
  CHECK(DeletedKeysSteppedOver([&] { WorkAfterImport(*repo, "3"); }) <= 1);
  CHECK(repo->Count().value() == 6030);
}

TEST_CASE("a store of format 1 is upgraded by its first writable open", "[repo][staging]") {
  TempDir dir;
  const std::string name = RepositoryOptions{}.name;
  {
    auto repo = NewTestRepo(dir);
    REQUIRE_OK(repo->Put(MakeMemory("kept", "committed")));
    MustCommit(*repo);
    REQUIRE_OK(repo->Put(MakeMemory("staged", "staged before the upgrade")));
  }
  {  // Rewrite the store as format 1 left it: staged changes at repo \0 branch \0 id.
    auto store = std::move(Store::Open(dir.path(), {})).value();
    std::string value;
    const std::string key = keys::StagingKey(name, "main", 1, "staged");  // the commit cleared generation 0
    REQUIRE_OK(store->Get(Cf::kStaging, key, &value));
    WriteBatch batch(*store);
    batch.Delete(Cf::kStaging, key);
    batch.Delete(Cf::kStaging, keys::StagingGenerationKey(name, "main"));
    batch.Put(Cf::kStaging, name + std::string(1, '\0') + "main" + std::string(1, '\0') + "staged", value);
    batch.Delete(Cf::kMeta, keys::StoreFormatKey());
    REQUIRE_OK(store->Write(&batch, true));
  }
  StoreOptions read_only;
  read_only.read_only = true;
  auto ro = Store::Open(dir.path(), read_only);
  CHECK(ro.status().IsInvalidArgument());
  CHECK(ro.status().message().find("format 1") != std::string::npos);

  auto repo = std::move(Repository::Open({}, dir.path())).value();
  auto staged = repo->Staged();
  REQUIRE(staged.ok());
  REQUIRE(staged->size() == 1);
  CHECK((*staged)[0].id == "staged");
  CHECK(repo->Get("staged")->content == "staged before the upgrade");
  CHECK(repo->Fsck()->ok());
  MustCommit(*repo);
  CHECK(repo->Count().value() == 2);
}
