// Threads sharing one Repository: writers on separate branches and on one branch, with
// readers running alongside; every acknowledged write must be found afterwards.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::TempDir;

TEST_CASE("concurrent writers and readers lose nothing", "[repo][concurrency]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("seed", "seed")).ok());
  CommitOptions co;
  co.message = "seed";
  REQUIRE(repo->Commit(co).ok());
  for (int t = 0; t < 3; ++t) REQUIRE(repo->CreateBranch("w" + std::to_string(t)).ok());

  constexpr int kOps = 150;
  std::atomic<bool> stop{false};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  // Three writers on their own branches, two on main (sharing it).
  for (int t = 0; t < 5; ++t) {
    threads.emplace_back([&, t] {
      const std::string branch = t < 3 ? "w" + std::to_string(t) : "main";
      WriteOptions w;
      w.branch = branch;
      for (int i = 0; i < kOps; ++i) {
        if (!repo->Put(MakeMemory("t" + std::to_string(t) + "-" + std::to_string(i), "x"), w).ok()) ++failures;
        if (i % 10 == 9) {
          CommitOptions c;
          c.branch = branch;
          c.message = "batch";
          auto r = repo->Commit(c);
          // Another writer on main may have committed our staged changes already.
          if (!r.ok() && !r.status().IsInvalidArgument()) ++failures;
        }
      }
    });
  }
  std::thread reader([&] {
    while (!stop) {
      if (!repo->Get("seed").ok()) ++failures;
      if (!repo->Count({"HEAD"}).ok()) ++failures;
      if (!repo->Log().ok()) ++failures;
    }
  });
  for (auto& th : threads) th.join();
  stop = true;
  reader.join();
  CHECK(failures == 0);

  for (int t = 0; t < 5; ++t) {
    const std::string branch = t < 3 ? "w" + std::to_string(t) : "main";
    for (int i = 0; i < kOps; ++i) {
      const std::string id = "t" + std::to_string(t) + "-" + std::to_string(i);
      INFO(id);
      CHECK(repo->Get(id, {branch + "~0"}).ok());  // committed, not only staged
    }
  }
  CHECK(*repo->Count({"w0~0"}) == kOps + 1);
  CHECK(*repo->Count({"main~0"}) == 2 * kOps + 1);
  CHECK(repo->Fsck()->ok());
}
