// Branches, tags, checkout, reset, log over a DAG.
#include <catch2/catch.hpp>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustCommit;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

TEST_CASE("branches isolate changes; checkout, rename, delete", "[repo][branch]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  CHECK(repo->CreateBranch("early").IsInvalidArgument());  // nothing to branch from yet
  REQUIRE(repo->Put(MakeMemory("a", "on main")).ok());
  const ObjectId base = MustCommit(*repo, "base");

  REQUIRE(repo->CreateBranch("experiment").ok());
  CHECK(repo->CreateBranch("experiment").IsAlreadyExists());
  CHECK(repo->Resolve("experiment").value() == base);

  WriteOptions on_exp;
  on_exp.branch = "experiment";
  REQUIRE(repo->Put(MakeMemory("b", "only on experiment"), on_exp).ok());
  MemoryPatch p;
  p.content = "changed on experiment";
  REQUIRE(repo->Update("a", p, on_exp).ok());
  MustCommit(*repo, "exp", "experiment");

  CHECK(repo->Get("a")->content == "on main");
  CHECK(repo->Get("b").status().IsNotFound());
  CHECK(repo->Get("a", {"experiment"})->content == "changed on experiment");
  auto d = repo->DiffRevs({"main"}, {"experiment"});
  CHECK(d->added() == 1);
  CHECK(d->modified() == 1);

  REQUIRE(repo->Checkout("experiment").ok());
  CHECK(repo->CurrentBranch() == "experiment");
  CHECK(repo->Get("b")->content == "only on experiment");
  CHECK(repo->Checkout("nope").IsNotFound());
  CHECK(repo->DeleteBranch("experiment").IsInvalidArgument());  // checked out

  REQUIRE(repo->RenameBranch("experiment", "exp2").ok());
  CHECK(repo->CurrentBranch() == "exp2");
  auto branches = repo->ListBranches();
  REQUIRE(branches->size() == 2);
  CHECK((*branches)[0].name == "exp2");
  CHECK((*branches)[0].is_current);
  CHECK((*branches)[1].name == "main");

  REQUIRE(repo->Checkout("main").ok());
  REQUIRE(repo->DeleteBranch("exp2").ok());
  CHECK(repo->DeleteBranch("exp2").IsNotFound());
  CHECK(repo->ListBranches()->size() == 1);
}

TEST_CASE("staged changes stay on their branch and move with a rename", "[repo][branch]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("a", "x")).ok());
  MustCommit(*repo, "base");
  REQUIRE(repo->CreateBranch("b1").ok());
  WriteOptions w;
  w.branch = "b1";
  REQUIRE(repo->Put(MakeMemory("s", "staged on b1"), w).ok());
  CHECK(repo->Staged("main")->empty());
  CHECK(repo->Staged("b1")->size() == 1);
  REQUIRE(repo->RenameBranch("b1", "b2").ok());
  CHECK(repo->Staged("b2")->size() == 1);
  CHECK(repo->Get("s", {"b2"})->content == "staged on b1");
  REQUIRE(repo->DiscardStaged("b2").ok());
  CHECK(repo->Get("s", {"b2"}).status().IsNotFound());
}

TEST_CASE("reset moves a branch; tags pin commits", "[repo][branch]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("a", "1")).ok());
  const ObjectId c1 = MustCommit(*repo, "one");
  REQUIRE(repo->CreateTag("v1").ok());
  CHECK(repo->CreateTag("v1").IsAlreadyExists());
  REQUIRE(repo->Put(MakeMemory("a", "2")).ok());
  const ObjectId c2 = MustCommit(*repo, "two");
  CHECK(repo->Get("a", {"v1"})->content == "1");
  CHECK(repo->ListTags()->size() == 1);

  REQUIRE(repo->Reset("", "v1").ok());
  CHECK(repo->Resolve("HEAD").value() == c1);
  CHECK(repo->Get("a")->content == "1");
  REQUIRE(repo->Reset("main", c2.hex()).ok());
  CHECK(repo->Get("a")->content == "2");
  CHECK(repo->Reset("main", "nope").IsNotFound());
  REQUIRE(repo->DeleteTag("v1").ok());
  CHECK(repo->DeleteTag("v1").IsNotFound());
}

TEST_CASE("log: first-parent and whole DAG, paged", "[repo][log]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  for (int i = 0; i < 10; ++i) {
    REQUIRE(repo->Put(MakeMemory("m" + std::to_string(i), "v")).ok());
    MustCommit(*repo, "c" + std::to_string(i));
  }
  LogOptions lo;
  auto all = repo->Log(lo);
  REQUIRE(all->size() == 10);
  CHECK(all->front().message == "c9");
  CHECK(all->back().message == "c0");
  lo.offset = 2;
  lo.limit = 3;
  auto page = repo->Log(lo);
  REQUIRE(page->size() == 3);
  CHECK((*page)[0].message == "c7");
  CHECK((*page)[2].message == "c5");
  lo.first_parent = false;
  auto dag = repo->Log(lo);
  REQUIRE(dag->size() == 3);
  CHECK((*dag)[0].message == "c7");
  lo = {};
  lo.rev = "nope";
  CHECK(repo->Log(lo).status().IsNotFound());
}

TEST_CASE("branch creation writes one ref, whatever the size", "[repo][branch]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  std::vector<Memory> batch;
  for (int i = 0; i < 2000; ++i) batch.push_back(MakeMemory("", "memory " + std::to_string(i)));
  REQUIRE(repo->PutMany(batch).ok());
  MustCommit(*repo, "bulk");
  for (int i = 0; i < 20; ++i) REQUIRE(repo->CreateBranch("b" + std::to_string(i)).ok());
  CHECK(repo->ListBranches()->size() == 21);
  CHECK(*repo->Count({"b7"}) == 2000);
}
