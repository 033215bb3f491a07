// Bad input: each is rejected with a message naming the field (and limit), and changes
// nothing — staged changes, refs, log and counts are compared before and after.
#include <catch2/catch.hpp>

#include <cmath>

#include "test_util.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::TempDir;

namespace {

struct Snapshot {
  size_t staged, log, branches, tags;
  uint64_t count;
  std::string head;
  bool operator==(const Snapshot&) const = default;
};

Snapshot Take(Repository& r) {
  return {r.Staged()->size(),   r.Log()->size(), r.ListBranches()->size(),
          r.ListTags()->size(), *r.Count(),      r.Resolve("HEAD")->hex()};
}

void ExpectRejected(Repository& repo, const Status& s, std::string_view needle) {
  INFO(s.ToString());
  CHECK(s.IsInvalidArgument());
  CHECK(s.message().find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("invalid memories are rejected and change nothing", "[repo][bad-input]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("seed", "seed memory")).ok());
  CommitOptions co;
  co.message = "seed";
  REQUIRE(repo->Commit(co).ok());
  const Snapshot before = Take(*repo);

  auto put = [&](Memory m) { return repo->Put(m).status(); };
  ExpectRejected(*repo, put(MakeMemory("x", "")), "content: must not be empty");
  ExpectRejected(*repo, put(MakeMemory("x", std::string(64 * 1024 + 1, 'a'))), "65536");
  ExpectRejected(*repo, put(MakeMemory("x", "bad \xc3\x28 utf8")), "content: not valid UTF-8");
  ExpectRejected(*repo, put(MakeMemory("x", "overlong \xc0\xaf")), "content: not valid UTF-8");
  ExpectRejected(*repo, put(MakeMemory("x", "surrogate \xed\xa0\x80")), "content: not valid UTF-8");
  ExpectRejected(*repo, put(MakeMemory("bad\xff", "ok")), "id: not valid UTF-8");
  ExpectRejected(*repo, put(MakeMemory(std::string(300, 'i'), "ok")), "id:");
  {
    Memory m = MakeMemory("x", "ok");
    m.importance = 1.5f;
    ExpectRejected(*repo, put(m), "importance");
    m.importance = NAN;
    ExpectRejected(*repo, put(m), "importance");
    m.importance = 0.5f;
    m.confidence = -0.1f;
    ExpectRejected(*repo, put(m), "confidence");
  }
  {
    Memory m = MakeMemory("x", "ok");
    m.metadata = "{not json";
    ExpectRejected(*repo, put(m), "metadata: not valid JSON");
    m.metadata = "[1, 2]";
    ExpectRejected(*repo, put(m), "metadata: must be a JSON object");
    m.metadata = "{\"k\": \"" + std::string(17 * 1024, 'v') + "\"}";
    ExpectRejected(*repo, put(m), "16384");
  }
  {
    Memory m = MakeMemory("x", "ok");
    m.tags = {""};
    ExpectRejected(*repo, put(m), "tags");
    m.tags = {"ok"};
    m.relations = {{RelationType::kSimilar, "y", 2.0f}};
    ExpectRejected(*repo, put(m), "relations.strength");
    m.relations = {{RelationType::kSimilar, "y", 0.5f}, {RelationType::kSimilar, "y", 0.6f}};
    ExpectRejected(*repo, put(m), "duplicate");
    m.relations = {};
    m.type = static_cast<MemoryType>(9);
    ExpectRejected(*repo, put(m), "type");
  }
  {
    // One bad record in a batch: nothing of the batch is written.
    std::vector<Memory> batch{MakeMemory("good-1", "fine"), MakeMemory("bad", ""), MakeMemory("good-2", "fine")};
    auto r = repo->PutMany(batch);
    ExpectRejected(*repo, r.status(), "memories[1]: content");
    CHECK(repo->Get("good-1").status().IsNotFound());
  }
  {
    MemoryPatch p;
    p.importance = 7.0f;
    ExpectRejected(*repo, repo->Update("seed", p), "importance");
    CHECK(repo->Get("seed")->importance == 0.5f);
  }
  CHECK(Take(*repo) == before);
}

TEST_CASE("unknown refs and bad names are rejected and change nothing", "[repo][bad-input]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("seed", "seed memory")).ok());
  CommitOptions co;
  co.message = "seed";
  REQUIRE(repo->Commit(co).ok());
  const Snapshot before = Take(*repo);

  CHECK(repo->Get("seed", {"no-such-branch"}).status().IsNotFound());
  CHECK(repo->Get("seed", {"deadbeef"}).status().IsNotFound());
  CHECK(repo->DiffRevs({"main"}, {"nope"}).status().IsNotFound());
  CHECK(repo->Show("HEAD~x").status().IsInvalidArgument());
  CHECK(repo->CreateBranch("x", "nope").IsNotFound());
  for (const char* bad : {"", "a..b", "-x", "x/", "has space", "a~1", "HEAD", "x.lock", "a:b"})
    CHECK(repo->CreateBranch(bad).IsInvalidArgument());
  CHECK(repo->CreateTag("bad tag").IsInvalidArgument());
  WriteOptions w;
  w.branch = "missing";
  CHECK(repo->Put(MakeMemory("x", "y"), w).status().IsNotFound());
  CommitOptions bad_commit;
  bad_commit.message = "bad \xff";
  bad_commit.allow_empty = true;
  CHECK(repo->Commit(bad_commit).status().IsInvalidArgument());
  RepositoryOptions o;
  o.name = "no-slash";
  CHECK(Repository::Init(o, dir.path()).status().IsInvalidArgument());
  o.name = "a/b/c";
  CHECK(Repository::Init(o, dir.path()).status().IsInvalidArgument());
  CHECK(Take(*repo) == before);
}
