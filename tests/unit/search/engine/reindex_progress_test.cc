// Repository::Reindex reports progress: monotonic, ending at (N, N).
#include <catch2/catch.hpp>

#include "gitmem/search.hpp"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustCommit;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

TEST_CASE("reindex reports progress up to every memory of the branch", "[search]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  std::vector<Memory> batch;
  for (int i = 0; i < 5000; ++i) batch.push_back(MakeMemory("m" + std::to_string(i), "note " + std::to_string(i)));
  REQUIRE(repo->PutMany(batch).ok());
  MustCommit(*repo, "bulk");
  std::vector<std::pair<uint64_t, uint64_t>> reports;
  REQUIRE(repo->Reindex("", [&](uint64_t done, uint64_t total) { reports.emplace_back(done, total); }).ok());
  REQUIRE(!reports.empty());
  CHECK(reports.back() == std::pair<uint64_t, uint64_t>{5000, 5000});
  for (size_t i = 1; i < reports.size(); ++i) CHECK(reports[i - 1].first <= reports[i].first);
  SearchOptions so;
  so.query = "note 42";
  so.mode = SearchMode::kKeyword;
  CHECK(!repo->Search(so)->empty());
}
