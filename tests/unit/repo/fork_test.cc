// Fork: refs copied, objects shared, counted on the source, upstream remembered.
#include <catch2/catch.hpp>

#include "store/store.h"
#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::TempDir;

namespace {
uint64_t ObjectCount(const std::string& path) {
  auto store = Store::Open(path, {});
  REQUIRE(store.ok());
  uint64_t n = 0;
  for (auto it = (*store)->Scan(Cf::kObjects, {}); it->Valid(); it->Next()) ++n;
  return n;
}
}  // namespace

TEST_CASE("fork copies refs only, counts the fork and remembers the upstream", "[fork]") {
  TempDir dir;
  RepositoryOptions ro;
  ro.name = "alice/notes";
  ro.description = "alice's notes";
  auto src = std::move(Repository::Init(ro, dir.path())).value();
  REQUIRE(src->Put(MakeMemory("a", "one")).ok());
  CommitOptions co;
  co.message = "first";
  const ObjectId c1 = src->Commit(co).value();
  REQUIRE(src->CreateBranch("idea").ok());
  REQUIRE(src->CreateTag("v1").ok());
  WriteOptions on_idea;
  on_idea.branch = "idea";
  REQUIRE(src->Put(MakeMemory("b", "two"), on_idea).ok());
  co.branch = "idea";
  const ObjectId c2 = src->Commit(co).value();
  REQUIRE(src->Put(MakeMemory("staged", "not copied")).ok());
  const uint64_t objects = ObjectCount(dir.path());

  auto fork = src->Fork("bob/notes");
  INFO(fork.status().ToString());
  REQUIRE(fork.ok());
  auto& f = **fork;
  CHECK(f.name() == "bob/notes");
  CHECK(ObjectCount(dir.path()) == objects);  // nothing copied
  CHECK(f.Resolve("main").value() == c1);
  CHECK(f.Resolve("idea").value() == c2);
  CHECK(f.Resolve("v1").value() == c1);
  CHECK(f.CurrentBranch() == "main");
  CHECK(f.Get("staged").status().IsNotFound());
  CHECK(f.Get("b", {"idea"})->content == "two");

  auto si = src->Info();
  REQUIRE(si.ok());
  CHECK(si->forks == 1);
  CHECK(si->upstream.empty());
  auto fi = f.Info();
  REQUIRE(fi.ok());
  CHECK(fi->upstream == "alice/notes");
  CHECK(fi->forks == 0);
  CHECK(fi->description == "alice's notes");
  CHECK(fi->name == "bob/notes");

  // The two evolve independently.
  REQUIRE(f.Put(MakeMemory("c", "bob's")).ok());
  CommitOptions fco;
  fco.message = "bob";
  REQUIRE(f.Commit(fco).ok());
  CHECK(src->Resolve("main").value() == c1);
  CHECK(src->Get("c").status().IsNotFound());

  // Merging the fork's work back goes through a commit id (objects are shared).
  MergeOptions mo;
  mo.into = "main";
  auto m = src->Merge(f.Resolve("main")->hex(), mo);
  REQUIRE(m.ok());
  CHECK(m->fast_forward);
  CHECK(src->Get("c", {"main"})->content == "bob's");

  auto again = src->Fork("carol/notes");
  REQUIRE(again.ok());
  CHECK(src->Info()->forks == 2);
  auto names = Repository::ListRepositories(dir.path());
  CHECK(names->size() == 3);
  CHECK(Repository::FsckStore(dir.path())->ok());
}

TEST_CASE("fork bad input: clear errors, nothing changed", "[fork]") {
  TempDir dir;
  auto src = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(src->Put(MakeMemory("a", "one")).ok());
  CommitOptions co;
  co.message = "first";
  REQUIRE(src->Commit(co).ok());
  auto bad = src->Fork("no-slash");
  CHECK(bad.status().IsInvalidArgument());
  CHECK(src->Fork("local/memory").status().IsAlreadyExists());
  RepositoryOptions other;
  other.name = "x/y";
  REQUIRE(Repository::Init(other, dir.path()).ok());
  CHECK(src->Fork("x/y").status().IsAlreadyExists());
  CHECK(src->Info()->forks == 0);
  CHECK(Repository::ListRepositories(dir.path())->size() == 2);
}
