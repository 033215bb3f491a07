// Repository: staging, commits, reads at revisions, time travel, log, diff, history,
// sessions, persistence.
#include <catch2/catch.hpp>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustCommit;
using gitmem::testing::NewTestRepo;
using gitmem::testing::TempDir;

TEST_CASE("init, put, stage, commit, get", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  CHECK(repo->CurrentBranch() == "main");
  CHECK(repo->Log()->empty());

  Memory m = MakeMemory("pref-1", "User prefers dark mode");
  m.type = MemoryType::kSemantic;
  m.agent_id = "agent-a";
  m.session_id = "s1";
  m.tags = {"ui", "PREFERENCE", "ui"};
  m.importance = 0.8f;
  m.metadata = R"({"b": 1, "a": [1, 2]})";
  m.relations = {{RelationType::kReferences, "other", 0.5f}};
  auto id = repo->Put(m);
  REQUIRE(id.ok());
  CHECK(*id == "pref-1");

  // Staged: visible on the branch's working state, not at HEAD's commit.
  auto got = repo->Get("pref-1");
  REQUIRE(got.ok());
  CHECK(got->content == "User prefers dark mode");
  CHECK(got->tags == std::vector<std::string>{"PREFERENCE", "ui"});
  CHECK(got->metadata == R"({"a":[1,2],"b":1})");
  CHECK(got->provenance.author == "gitmem");
  CHECK(got->timestamp_us > 0);
  CHECK(repo->Staged()->size() == 1);
  CHECK(*repo->Count() == 1);
  CHECK(repo->Get("pref-1", {"HEAD"}).status().IsNotFound());

  const ObjectId c1 = MustCommit(*repo, "first");
  CHECK(repo->Staged()->empty());
  auto show = repo->Show("HEAD");
  REQUIRE(show.ok());
  CHECK(show->id == c1);
  CHECK(show->message == "first");
  CHECK(show->parents.empty());
  CHECK(show->generation == 1);
  CHECK(show->memory_count == 1);
  CHECK(show->added == 1);
  CHECK(show->changed_ids == std::vector<std::string>{"pref-1"});
  CHECK(repo->Get("pref-1", {"HEAD"})->content == "User prefers dark mode");
  CHECK(repo->Get("pref-1", {c1.hex()})->content == "User prefers dark mode");
  CHECK(repo->Get("pref-1", {c1.hex().substr(0, 8)})->content == "User prefers dark mode");

  // Nothing staged: commit refuses, allow_empty commits.
  CommitOptions co;
  co.message = "empty";
  CHECK(repo->Commit(co).status().IsInvalidArgument());
  co.allow_empty = true;
  CHECK(repo->Commit(co).ok());
  CHECK(repo->Log()->size() == 2);
}

TEST_CASE("generated ids are time-ordered UUIDv7", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  std::vector<std::string> ids;
  for (int i = 0; i < 50; ++i) ids.push_back(*repo->Put(MakeMemory("", "note " + std::to_string(i))));
  CHECK(std::is_sorted(ids.begin(), ids.end()));
  CHECK(ids[0].size() == 36);
  CHECK(ids[0][14] == '7');
  auto list = repo->List();
  REQUIRE(list->size() == 50);
  CHECK(list->front().content == "note 0");
}

TEST_CASE("update, delete, upsert and the diff between commits", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  REQUIRE(repo->Put(MakeMemory("a", "alpha")).ok());
  REQUIRE(repo->Put(MakeMemory("b", "beta")).ok());
  REQUIRE(repo->Put(MakeMemory("c", "gamma")).ok());
  const ObjectId c1 = MustCommit(*repo, "three");

  MemoryPatch p;
  p.content = "alpha v2";
  p.importance = 0.9f;
  REQUIRE(repo->Update("a", p).ok());
  REQUIRE(repo->Delete("b").ok());
  REQUIRE(repo->Put(MakeMemory("d", "delta")).ok());
  CHECK(repo->Update("zzz", p).IsNotFound());
  CHECK(repo->Delete("zzz").IsNotFound());

  // Working state vs HEAD, before committing.
  auto wd = repo->DiffRevs({"HEAD"}, {"main"});
  REQUIRE(wd.ok());
  CHECK(wd->added() == 1);
  CHECK(wd->modified() == 1);
  CHECK(wd->removed() == 1);

  const ObjectId c2 = MustCommit(*repo, "edit");
  auto d = repo->DiffRevs({c1.hex()}, {c2.hex()});
  REQUIRE(d.ok());
  REQUIRE(d->entries.size() == 3);
  CHECK(d->entries[0].id == "a");
  CHECK(d->entries[0].kind == DiffEntry::Kind::kModified);
  CHECK(d->entries[0].old_memory->content == "alpha");
  CHECK(d->entries[0].new_memory->content == "alpha v2");
  CHECK(d->entries[1].id == "b");
  CHECK(d->entries[1].kind == DiffEntry::Kind::kRemoved);
  CHECK(!d->entries[1].new_memory);
  CHECK(d->entries[2].id == "d");
  CHECK(d->entries[2].kind == DiffEntry::Kind::kAdded);
  auto show = repo->Show("HEAD");
  CHECK(show->added == 1);
  CHECK(show->modified == 1);
  CHECK(show->removed == 1);
  CHECK(show->memory_count == 3);
  CHECK(show->parents == std::vector<ObjectId>{c1});
  CHECK(repo->Show("HEAD~1")->id == c1);
  CHECK(repo->Show("main~1")->id == c1);
  CHECK(repo->Show("HEAD~5").status().IsNotFound());

  // An upsert with the same content is no change at all.
  auto same = *repo->Get("c");
  REQUIRE(repo->Put(same).ok());
  CommitOptions co;
  co.message = "noop";
  CHECK(repo->Commit(co).status().IsInvalidArgument());
}

TEST_CASE("history of one memory and the commit that introduced each version", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  REQUIRE(repo->Put(MakeMemory("x", "v1")).ok());
  REQUIRE(repo->Put(MakeMemory("other", "o")).ok());
  const ObjectId c1 = MustCommit(*repo, "add x");
  REQUIRE(repo->Put(MakeMemory("other", "o2")).ok());
  MustCommit(*repo, "touch other");
  MemoryPatch p;
  p.content = "v2";
  REQUIRE(repo->Update("x", p).ok());
  const ObjectId c3 = MustCommit(*repo, "x v2");
  REQUIRE(repo->Delete("x").ok());
  const ObjectId c4 = MustCommit(*repo, "drop x");

  auto h = repo->History("x");
  REQUIRE(h.ok());
  REQUIRE(h->size() == 3);
  CHECK((*h)[0].commit.id == c4);
  CHECK(!(*h)[0].memory);
  CHECK((*h)[1].commit.id == c3);
  CHECK((*h)[1].memory->content == "v2");
  CHECK((*h)[2].commit.id == c1);
  CHECK((*h)[2].memory->content == "v1");
  CHECK(repo->History("never")->empty());
}

TEST_CASE("time travel by commit timestamp", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  REQUIRE(repo->Put(MakeMemory("m", "early")).ok());
  MustCommit(*repo, "t1", {}, 1'000'000);
  MemoryPatch p;
  p.content = "late";
  REQUIRE(repo->Update("m", p).ok());
  MustCommit(*repo, "t2", {}, 2'000'000);

  ReadOptions at;
  at.as_of_us = 1'500'000;
  CHECK(repo->Get("m", at)->content == "early");
  at.as_of_us = 2'000'000;
  CHECK(repo->Get("m", at)->content == "late");
  at.as_of_us = 10;
  CHECK(repo->Get("m", at).status().IsNotFound());
  ListOptions lo;
  lo.at.as_of_us = 1'500'000;
  CHECK(repo->List(lo)->front().content == "early");
}

TEST_CASE("list pages by position; count at revisions", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  std::vector<Memory> batch;
  for (int i = 0; i < 500; ++i) {
    char id[16];
    std::snprintf(id, sizeof id, "k%04d", i);
    batch.push_back(MakeMemory(id, "content " + std::to_string(i)));
  }
  REQUIRE(repo->PutMany(batch).ok());
  MustCommit(*repo, "bulk");
  ListOptions lo;
  lo.offset = 250;
  lo.limit = 3;
  auto page = repo->List(lo);
  REQUIRE(page->size() == 3);
  CHECK((*page)[0].id == "k0250");
  CHECK((*page)[2].id == "k0252");
  REQUIRE(repo->Delete("k0000").ok());
  CHECK(*repo->Count() == 499);
  CHECK(*repo->Count({"HEAD"}) == 500);
  lo.offset = 0;
  lo.limit = 1;
  CHECK(repo->List(lo)->front().id == "k0001");  // staged delete visible in the working state
}

TEST_CASE("sessions list one conversation in time order", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  for (int i = 0; i < 5; ++i) {
    Memory m = MakeMemory("turn-" + std::to_string(i), "said " + std::to_string(i));
    m.session_id = i < 3 ? "s1" : "s2";
    m.timestamp_us = 1000 + (10 - i);  // written out of time order
    REQUIRE(repo->Put(m).ok());
  }
  auto s1 = repo->Session("s1");
  REQUIRE(s1->size() == 3);
  CHECK((*s1)[0].id == "turn-2");
  CHECK((*s1)[2].id == "turn-0");
  MustCommit(*repo, "s");
  MemoryPatch p;
  p.content = "said 0 again";
  REQUIRE(repo->Update("turn-0", p).ok());
  REQUIRE(repo->Delete("turn-1").ok());
  s1 = repo->Session("s1");
  REQUIRE(s1->size() == 2);  // one version per memory, deletions gone
  CHECK(repo->Session("s1", {"HEAD"})->size() == 3);
  CHECK(repo->Session("").status().IsInvalidArgument());
}

TEST_CASE("auto_commit commits every write", "[repo]") {
  TempDir dir;
  RepositoryOptions o;
  o.auto_commit = true;
  auto repo = NewTestRepo(dir, o);
  REQUIRE(repo->Put(MakeMemory("a", "one")).ok());
  REQUIRE(repo->Put(MakeMemory("b", "two")).ok());
  REQUIRE(repo->Delete("a").ok());
  CHECK(repo->Log()->size() == 3);
  CHECK(repo->Staged()->empty());
  CHECK(*repo->Count({"HEAD"}) == 1);
}

TEST_CASE("state survives closing and reopening; many repositories per store", "[repo]") {
  TempDir dir;
  ObjectId head;
  {
    auto repo = NewTestRepo(dir);
    REQUIRE(repo->Put(MakeMemory("a", "kept")).ok());
    head = MustCommit(*repo, "c");
    REQUIRE(repo->Put(MakeMemory("b", "staged survives")).ok());
    RepositoryOptions other;
    other.name = "team/shared";
    auto r2 = Repository::Init(other, dir.path());
    REQUIRE(r2.ok());
    CHECK(Repository::Init(other, dir.path()).status().IsAlreadyExists());
  }
  auto repo = Repository::Open({}, dir.path());
  REQUIRE(repo.ok());
  CHECK((*repo)->Resolve("main").value() == head);
  CHECK((*repo)->Get("b")->content == "staged survives");
  CHECK(*Repository::ListRepositories(dir.path()) == std::vector<std::string>{"local/memory", "team/shared"});
  RepositoryOptions missing;
  missing.name = "no/such";
  CHECK(Repository::Open(missing, dir.path()).status().IsNotFound());
  CHECK(Repository::Open({}, dir.sub("nothing-here")).status().IsNotFound());
  auto fsck = (*repo)->Fsck();
  REQUIRE(fsck.ok());
  CHECK(fsck->ok());
  CHECK(fsck->commits == 1);
}

TEST_CASE("a read-only repository lists, counts, diffs and refuses writes", "[repo][read-only]") {
  TempDir dir;
  ObjectId c1;
  {
    auto repo = NewTestRepo(dir);
    REQUIRE(repo->Put(MakeMemory("a", "first")).ok());
    c1 = MustCommit(*repo, "one");
    REQUIRE(repo->Put(MakeMemory("b", "second")).ok());
    MustCommit(*repo, "two");
  }
  RepositoryOptions ro;
  ro.read_only = true;
  auto reader = Repository::Open(ro, dir.path());
  INFO(reader.status().ToString());
  REQUIRE(reader.ok());
  CHECK(*(*reader)->Count() == 2);
  CHECK((*reader)->List()->size() == 2);
  CHECK((*reader)->DiffRevs({c1.hex()}, {"main"})->added() == 1);
  CHECK((*reader)->Session("none")->empty());
  REQUIRE((*reader)->Refresh().ok());
  CHECK((*reader)->Put(MakeMemory("c", "x")).status().code() == Status::Code::kPermissionDenied);
  CHECK((*reader)->CreateBranch("x").code() == Status::Code::kPermissionDenied);
}

TEST_CASE("two handles on one store see each other's ref moves at once", "[repo][cache]") {
  TempDir dir;
  auto a = NewTestRepo(dir);
  auto b = std::move(Repository::Open({}, dir.path())).value();
  REQUIRE(a->Put(MakeMemory("m", "v1")).ok());
  MustCommit(*a, "one");
  CHECK(b->Get("m", {"HEAD"})->content == "v1");  // b caches HEAD and main here
  REQUIRE(a->Put(MakeMemory("m", "v2")).ok());
  CHECK(b->Get("m")->content == "v2");  // staged, seen through b
  const ObjectId c2 = MustCommit(*a, "two");
  CHECK(b->Get("m", {"HEAD"})->content == "v2");
  CHECK(b->Resolve("main").value() == c2);
  REQUIRE(a->CreateBranch("x").ok());
  REQUIRE(a->Checkout("x").ok());
  CHECK(b->CurrentBranch() == "x");
  REQUIRE(b->Reset("x", "main~1").ok());
  CHECK(a->Get("m", {"x"})->content == "v1");
}

TEST_CASE("auto_commit: an identical upsert is a no-op, not an error", "[repo]") {
  TempDir dir;
  RepositoryOptions o;
  o.auto_commit = true;
  auto repo = NewTestRepo(dir, o);
  Memory m = MakeMemory("a", "same");
  m.timestamp_us = 1000;
  REQUIRE(repo->Put(m).ok());
  const ObjectId head = *repo->Resolve("HEAD");
  REQUIRE(repo->Put(m).ok());
  CHECK(*repo->Resolve("HEAD") == head);
  CHECK(repo->Log()->size() == 1);
}

TEST_CASE("reads after a large commit see an empty staging area, and new staging", "[repo]") {
  TempDir dir;
  auto repo = NewTestRepo(dir);
  std::vector<Memory> batch;
  for (int i = 0; i < 3000; ++i) batch.push_back(MakeMemory("k" + std::to_string(i), "v"));
  REQUIRE(repo->PutMany(batch).ok());
  ListOptions lo;
  auto snap_before = repo->List(lo);  // a working-state read while staged
  CHECK(snap_before->size() == 3000);
  MustCommit(*repo, "bulk");
  CHECK(repo->Staged()->empty());
  CHECK(*repo->Count() == 3000);
  REQUIRE(repo->Put(MakeMemory("late", "staged after the commit")).ok());
  CHECK(repo->Staged()->size() == 1);
  CHECK(*repo->Count() == 3001);
  REQUIRE(repo->CreateBranch("b").ok());
  REQUIRE(repo->RenameBranch("main", "main2").ok());
  CHECK(repo->Staged("main2")->size() == 1);
  REQUIRE(repo->DiscardStaged("main2").ok());
  CHECK(repo->Staged("main2")->empty());
  CHECK(*repo->Count() == 3000);
}
