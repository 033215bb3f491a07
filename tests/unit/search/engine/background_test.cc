// Background indexing (SearchIndexOptions::background_indexing): a search never waits for
// an approximate graph and answers exactly meanwhile; the worker's progress is visible and
// can be waited for; closing stops it; a writer killed mid-build leaves a store whose
// index a later open completes.
#include <signal.h>
#include <sys/wait.h>
#include <catch2/catch.hpp>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

#include "repo/indexed_corpus.h"
#include "repo/writer_process.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::IndexedText;
using gitmem::testing::kIndexed;
using gitmem::testing::kIndexedWords;
using gitmem::testing::MustCommit;
using gitmem::testing::MustSearch;
using gitmem::testing::NewTestRepo;
using gitmem::testing::SpawnWriter;
using gitmem::testing::TempDir;

namespace {

// Small vectors and segments, so graphs take a moment rather than minutes; efSearch at
// least the corpus size, so a finished graph finds the exact top k and results can be
// compared id by id with the exact scan that answers before it.
RepositoryOptions SmallIndex() {
  RepositoryOptions o;
  o.embedding_dimension = 32;
  o.search.flat_max = 500;
  o.search.delta_max = 512;
  o.search.hnsw_ef_search = static_cast<int>(kIndexed);
  return o;
}

void Import(Repository& repo) {
  std::vector<Memory> batch(kIndexed);
  for (size_t i = 0; i < batch.size(); ++i) {
    batch[i].id = "i-" + std::to_string(i);
    batch[i].content = IndexedText(i);
  }
  REQUIRE_OK(repo.PutMany(batch));
  MustCommit(repo, "import");
}

std::vector<std::string> Ids(Repository& repo, SearchMode mode, std::string query, int k) {
  SearchOptions so;
  so.query = std::move(query);
  so.mode = mode;
  so.k = k;
  so.include_memories = false;
  std::vector<std::string> ids;
  for (const auto& h : MustSearch(repo, so)) ids.push_back(h.id);
  return ids;
}

}  // namespace

TEST_CASE("a search during a background graph build equals the search after it", "[search][background]") {
  TempDir dir;
  auto repo = NewTestRepo(dir, SmallIndex());
  Import(*repo);
  auto during = repo->IndexInfo();
  REQUIRE_OK(during);
  CHECK(during->documents == kIndexed);
  const auto vec_during = Ids(*repo, SearchMode::kVector, "memory about word7", 50);
  const auto hybrid_during = Ids(*repo, SearchMode::kHybrid, "memory about word7", 50);
  const auto kw_during = Ids(*repo, SearchMode::kKeyword, "word7", 200);
  CHECK(kw_during.size() == kIndexed / kIndexedWords);

  REQUIRE_OK(repo->WaitForIndex("", INT64_MAX));  // no limit, however it is written
  REQUIRE_OK(repo->WaitForIndex("", 0));          // complete: no wait needed
  auto after = repo->IndexInfo();
  REQUIRE_OK(after);
  CHECK(after->vectors_awaiting_graph == 0);
  CHECK_FALSE(after->indexing);
  CHECK(Ids(*repo, SearchMode::kVector, "memory about word7", 50) == vec_during);
  CHECK(Ids(*repo, SearchMode::kHybrid, "memory about word7", 50) == hybrid_during);
  CHECK(Ids(*repo, SearchMode::kKeyword, "word7", 200) == kw_during);
  // The graph was built here in the background, not at the search: the first info saw
  // vectors waiting for it (unless this machine built it within the first search).
  INFO("vectors awaiting their graph during the first search: " << during->vectors_awaiting_graph);
  CHECK((during->vectors_awaiting_graph > 0 || during->indexing));
}

TEST_CASE("the index built in the background is persisted and loaded by the next open", "[search][background]") {
  TempDir dir;
  std::vector<std::string> before;
  {
    auto repo = NewTestRepo(dir, SmallIndex());
    Import(*repo);
    REQUIRE_OK(repo->WaitForIndex("", 600000));
    before = Ids(*repo, SearchMode::kVector, "memory about word3", 20);
  }
  auto repo = std::move(Repository::Open(SmallIndex(), dir.path())).value();
  auto info = repo->IndexInfo();
  REQUIRE_OK(info);
  CHECK(info->source == "loaded");
  CHECK(info->vectors_awaiting_graph == 0);
  CHECK(Ids(*repo, SearchMode::kVector, "memory about word3", 20) == before);
}

TEST_CASE("closing a repository stops its background build", "[search][background]") {
  TempDir dir;
  RepositoryOptions o = SmallIndex();
  o.embedding_dimension = 256;  // a graph of seconds, not a moment
  {
    auto repo = NewTestRepo(dir, o);
    Import(*repo);
    REQUIRE_OK(repo->IndexInfo());  // the exact index is there; the worker builds the graph
  }                                 // the destructor cancels the build between two chunks and joins the worker
  // The close did not wait for the graph: the next open finds it still to be built,
  // answers exactly meanwhile, and its worker completes it.
  auto repo = std::move(Repository::Open(o, dir.path())).value();
  auto info = repo->IndexInfo();
  REQUIRE_OK(info);
  CHECK(info->source == "loaded");
  CHECK(info->vectors_awaiting_graph == kIndexed);
  CHECK(Ids(*repo, SearchMode::kKeyword, "word9", 500).size() == kIndexed / kIndexedWords);
  REQUIRE_OK(repo->WaitForIndex());
  CHECK(repo->IndexInfo()->vectors_awaiting_graph == 0);
  CHECK(repo->Fsck()->ok());
}

TEST_CASE("a writer killed while its index is built leaves a store a reopen indexes completely",
          "[search][background][crash]") {
  TempDir dir;
  const std::string store = dir.sub("store");
  pid_t pid;
  FILE* in = SpawnWriter(store, "1", "index", &pid);
  char line[256];
  REQUIRE(std::fgets(line, sizeof line, in) != nullptr);  // "commit <hex>"
  REQUIRE(std::string(line).rfind("commit ", 0) == 0);
  REQUIRE(std::fgets(line, sizeof line, in) != nullptr);  // "indexing <n>": the worker is at it
  REQUIRE(std::string(line).rfind("indexing ", 0) == 0);
  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  fclose(in);
  CHECK(WIFSIGNALED(status));

  auto repo = std::move(Repository::Open({}, store)).value();
  CHECK(repo->Fsck()->ok());
  CHECK(repo->Count().value() == kIndexed);
  for (size_t w = 0; w < kIndexedWords; w += 7)
    CHECK(Ids(*repo, SearchMode::kKeyword, "word" + std::to_string(w), 500).size() == kIndexed / kIndexedWords);
  const auto exact = Ids(*repo, SearchMode::kVector, "indexed memory about word11", static_cast<int>(kIndexed));
  CHECK(exact.size() == kIndexed);
  REQUIRE_OK(repo->WaitForIndex());
  CHECK(repo->IndexInfo()->vectors_awaiting_graph == 0);
}
