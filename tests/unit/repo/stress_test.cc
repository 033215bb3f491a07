// Concurrent writers (8 threads on shared and separate branches; every acknowledged
// memory is checked afterwards) and a reader in another process that follows a writer.
//
// GITMEM_STRESS_OPS sets the operations per thread (default 10,000; use fewer under a
// sanitizer, e.g. GITMEM_STRESS_OPS=1000).
#include <catch2/catch.hpp>

#include <signal.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <map>
#include <thread>

#include "test_util.h"
#include "writer_process.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::SpawnWriter;
using gitmem::testing::TempDir;

namespace {
int StressOps() {
  const char* v = std::getenv("GITMEM_STRESS_OPS");
  return v ? std::max(10, std::atoi(v)) : 10000;
}
}  // namespace

TEST_CASE("8 writers on shared and separate branches lose no acknowledged write", "[stress]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("root", "root")).ok());
  CommitOptions first;
  first.message = "root";
  REQUIRE(repo->Commit(first).ok());
  const int kThreads = 8, ops = StressOps();
  auto branch_of = [](int t) { return t < 4 ? std::string("shared") : "own-" + std::to_string(t); };
  REQUIRE(repo->CreateBranch("shared").ok());
  for (int t = 4; t < kThreads; ++t) REQUIRE(repo->CreateBranch(branch_of(t)).ok());

  // What each thread had acknowledged: id -> content (empty = deleted).
  std::vector<std::map<std::string, std::string>> expected(kThreads);
  std::vector<std::string> failures(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::mt19937 rng(t);
      WriteOptions wo;
      wo.branch = branch_of(t);
      auto& mine = expected[t];
      std::vector<std::string> live;
      for (int i = 0; i < ops; ++i) {
        const int op = static_cast<int>(rng() % 1000);
        Status s;
        if (op < 800 || live.empty()) {
          const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
          const std::string content = "thread " + std::to_string(t) + " op " + std::to_string(i);
          s = repo->Put(MakeMemory(id, content), wo).status();
          if (s.ok()) mine[id] = content, live.push_back(id);
        } else if (op < 900) {
          const std::string& id = live[rng() % live.size()];
          MemoryPatch p;
          p.content = "updated by " + std::to_string(t) + " at " + std::to_string(i);
          s = repo->Update(id, p, wo);
          if (s.ok()) mine[id] = *p.content;
        } else if (op < 997) {
          const size_t k = rng() % live.size();
          const std::string id = live[k];
          s = repo->Delete(id, wo);
          if (s.ok()) {
            mine[id].clear();
            live.erase(live.begin() + static_cast<long>(k));
          }
        } else {
          CommitOptions co;
          co.branch = wo.branch;
          co.message = "t" + std::to_string(t);
          s = repo->Commit(co).status();
          // Another writer of a shared branch may have committed everything already.
          if (s.IsInvalidArgument()) s = Status::Ok();
        }
        if (!s.ok()) {
          failures[t] = s.ToString();
          return;
        }
      }
    });
  }
  for (auto& th : threads) th.join();
  for (int t = 0; t < kThreads; ++t) {
    INFO("thread " << t);
    CHECK(failures[t].empty());
  }
  // Commit what is still staged, then check every acknowledged write on every branch.
  for (const std::string b : {"shared", "own-4", "own-5", "own-6", "own-7"}) {
    CommitOptions co;
    co.branch = b;
    co.message = "final";
    auto r = repo->Commit(co);
    CHECK((r.ok() || r.status().IsInvalidArgument()));
  }
  std::map<std::string, uint64_t> live_per_branch;
  for (int t = 0; t < kThreads; ++t) {
    ReadOptions at;
    at.rev = branch_of(t);
    for (const auto& [id, content] : expected[t]) {
      auto m = repo->Get(id, at);
      if (content.empty()) {
        if (!m.status().IsNotFound()) FAIL_CHECK(id << " should be deleted on " << at.rev);
      } else if (!m.ok() || m->content != content) {
        FAIL_CHECK(id << " on " << at.rev << ": " << (m.ok() ? m->content : m.status().ToString()));
      } else {
        ++live_per_branch[at.rev];
      }
    }
  }
  for (const auto& [branch, n] : live_per_branch) {
    INFO(branch);
    CHECK(repo->Count({branch}).value() == n + 1);  // + "root"
    CHECK(repo->Staged(branch)->empty());
  }
  auto fsck = repo->FsckAll();
  REQUIRE(fsck.ok());
  CHECK(fsck->ok());
}

TEST_CASE("a read-only process follows a writing process after Refresh", "[stress]") {
  TempDir dir;
  const std::string store = dir.sub("store");
  pid_t pid;
  FILE* in = SpawnWriter(store, "7", "", &pid);  // writes and acknowledges until killed

  std::vector<std::string> commits, staged;
  auto read_acks = [&](size_t commits_wanted) {
    char line[256];
    while (commits.size() < commits_wanted && std::fgets(line, sizeof line, in)) {
      std::string s(line);
      if (!s.empty() && s.back() == '\n') s.pop_back();
      if (s.rfind("commit ", 0) == 0)
        commits.push_back(s.substr(7));
      else if (s.rfind("staged ", 0) == 0)
        staged.push_back(s.substr(7));
    }
    return commits.size() == commits_wanted;
  };
  REQUIRE(read_acks(3));

  RepositoryOptions ro;
  ro.read_only = true;
  auto reader = Repository::Open(ro, store);
  INFO(reader.status().ToString());
  REQUIRE(reader.ok());
  auto& r = **reader;
  for (const auto& c : commits) CHECK(r.Show(c).ok());
  CHECK(r.Put(MakeMemory("x", "y")).status().code() == Status::Code::kPermissionDenied);
  const size_t seen_then = commits.size();

  // The writer goes on; the reader sees the new commits only after a refresh.
  REQUIRE(read_acks(seen_then + 10));
  REQUIRE(r.Refresh().ok());
  for (const auto& c : commits) {
    INFO(c);
    CHECK(r.Show(c).ok());
  }
  for (const auto& id : staged) {
    INFO(id);
    CHECK(r.Get(id).ok());
  }
  CHECK(r.Log()->size() >= commits.size());

  kill(pid, SIGKILL);
  int status = 0;
  waitpid(pid, &status, 0);
  fclose(in);
}
