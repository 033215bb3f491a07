// Crash safety: a child process writes and commits; the parent kills it with SIGKILL
// after a random number of acknowledgements, reopens the store, runs fsck, and checks
// that every acknowledged commit and staged memory is there.
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <random>
#include <thread>
#include <vector>

#include "test_util.h"
#include "writer_process.h"

using namespace gitmem;
using gitmem::testing::SpawnWriter;
using gitmem::testing::TempDir;

namespace {

// Reopens the store after a kill: fsck is clean, every acknowledged commit exists and
// every acknowledged put is in the branch's working state (committed or staged).
std::unique_ptr<Repository> ReopenAndCheck(const std::string& store, const std::vector<std::string>& commits,
                                           const std::vector<std::string>& ids) {
  auto repo = Repository::Open({}, store);
  INFO(repo.status().ToString());
  REQUIRE(repo.ok());
  auto fsck = (*repo)->Fsck();
  REQUIRE(fsck.ok());
  INFO((fsck->problems.empty() ? std::string() : fsck->problems.front()));
  CHECK(fsck->ok());
  for (const auto& hex : commits) {
    INFO(hex);
    CHECK((*repo)->Show(hex).ok());
  }
  for (const auto& id : ids) {
    INFO(id);
    CHECK((*repo)->Get(id).ok());
  }
  return std::move(repo).value();
}

}  // namespace

TEST_CASE("SIGKILL at random points loses no acknowledged write", "[repo][crash]") {
  TempDir dir;
  const std::string store = dir.sub("store");
  std::mt19937 rng(20261121);
  std::vector<std::string> acked_commits, acked_staged;

  for (int round = 0; round < 8; ++round) {
    pid_t pid;
    FILE* in = SpawnWriter(store, std::to_string(round), "", &pid);

    // Read a random number of acknowledgements, then kill the writer mid-stream.
    const int kill_after = 5 + static_cast<int>(rng() % 120);
    char line[256];
    int seen = 0;
    std::vector<std::string> round_staged;
    while (seen < kill_after && std::fgets(line, sizeof line, in)) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      if (s.rfind("commit ", 0) == 0) {
        acked_commits.push_back(s.substr(7));
        round_staged.clear();  // committed now
      } else if (s.rfind("staged ", 0) == 0) {
        acked_staged.push_back(s.substr(7));
      }
      ++seen;
    }
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(in);
    REQUIRE(seen == kill_after);
    CHECK(WIFSIGNALED(status));

    auto repo = ReopenAndCheck(store, acked_commits, acked_staged);
    // The branch head is the last acknowledged commit or a later one.
    if (!acked_commits.empty()) {
      auto log = repo->Log();
      REQUIRE(log.ok());
      bool found = false;
      for (const auto& c : *log) found |= c.id.hex() == acked_commits.back();
      CHECK(found);
    }
  }
}

TEST_CASE("SIGKILL during bulk writes loses no acknowledged write", "[repo][crash][bulk]") {
  TempDir dir;
  const std::string store = dir.sub("store");
  std::mt19937 rng(20261122);
  std::vector<std::string> acked_commits, acked_ids;

  for (int round = 0; round < 4; ++round) {
    pid_t pid;
    FILE* in = SpawnWriter(store, std::to_string(round), "bulk", &pid);

    // A few acknowledgements, then a kill at a random moment of the next bulk write
    // (encoding, building table files, ingesting them, or writing the batch).
    const int kill_after = static_cast<int>(rng() % 3);
    char line[256];
    for (int seen = 0; seen < kill_after && std::fgets(line, sizeof line, in); ++seen) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      if (s.rfind("commit ", 0) == 0) {
        acked_commits.push_back(s.substr(7));
      } else if (s.rfind("bulk ", 0) == 0) {
        const size_t space = s.find(' ', 5);
        acked_ids.push_back(s.substr(5, space - 5));
        acked_ids.push_back(s.substr(space + 1));
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(rng() % 700));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    fclose(in);
    CHECK(WIFSIGNALED(status));

    ReopenAndCheck(store, acked_commits, acked_ids);
    // Table files the killed writer never ingested are gone.
    const auto ingest = std::filesystem::path(store) / "ingest";
    CHECK((!std::filesystem::exists(ingest) || std::filesystem::is_empty(ingest)));
  }
}
