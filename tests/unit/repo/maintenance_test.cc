// Maintenance: store-wide fsck on corrupted data, gc (also while a writer works), and
// export / import round trips (JSON Lines and bundles) with bad input.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <thread>

#include "object/codec.h"
#include "repo/repo_impl.h"
#include "store/store.h"
#include "test_util.h"
#include "util/hash.h"

using namespace gitmem;
using gitmem::testing::MakeMemory;
using gitmem::testing::MustSearch;
using gitmem::testing::TempDir;

namespace {

std::shared_ptr<Store> OpenStore(const std::string& path) {
  auto store = Store::Open(path, {});
  REQUIRE(store.ok());
  return *store;
}

uint64_t ObjectCount(const std::string& path) {
  uint64_t n = 0;
  auto store = OpenStore(path);
  for (auto it = store->Scan(Cf::kObjects, {}); it->Valid(); it->Next()) ++n;
  return n;
}

ObjectId CommitOk(Repository& repo, const std::string& branch = {}, std::string message = "c") {
  CommitOptions co;
  co.branch = branch;
  co.message = std::move(message);
  auto r = repo.Commit(co);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

Memory RichMemory(int i) {
  Memory m = MakeMemory("mem-" + std::to_string(i), "content number " + std::to_string(i) + " with ünïcode");
  m.type = static_cast<MemoryType>(i % 4);
  m.agent_id = "agent-" + std::to_string(i % 3);
  m.session_id = i % 2 ? "session-1" : "";
  m.timestamp_us = 1'700'000'000'000'000 + i;
  m.importance = 0.1f * static_cast<float>(i % 10);
  m.confidence = 0.7f;
  m.tags = {"t" + std::to_string(i % 5), "common"};
  m.scope = static_cast<Scope>(i % 3);
  m.metadata = R"({"n":)" + std::to_string(i) + R"(,"nested":{"k":[1,2.5,"x"]}})";
  if (i > 0) m.relations = {{RelationType::kBuildsOn, "mem-" + std::to_string(i - 1), 0.3f}};
  return m;
}

}  // namespace

TEST_CASE("fsck finds an object whose bytes were corrupted, store-wide and per repository", "[fsck]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  for (int i = 0; i < 50; ++i) REQUIRE(repo->Put(RichMemory(i)).ok());
  CommitOk(*repo);
  RepositoryOptions other;
  other.name = "other/repo";
  auto repo2 = std::move(Repository::Init(other, dir.path())).value();
  REQUIRE(repo2->Put(MakeMemory("x", "in the other repository")).ok());
  CommitOk(*repo2);

  auto clean = Repository::FsckStore(dir.path());
  REQUIRE(clean.ok());
  INFO((clean->problems.empty() ? "" : clean->problems[0]));
  CHECK(clean->ok());
  CHECK(clean->commits == 2);
  CHECK(clean->blobs == 51);
  CHECK(clean->objects_checked >= 51 + 2 + 2);

  // Garbage under an existing blob's key.
  auto m = repo->Get("mem-7");
  REQUIRE(m.ok());
  const ObjectId victim = Sha256(EncodeMemory(*m));
  auto store = OpenStore(dir.path());
  std::string original;
  REQUIRE(store->Get(Cf::kObjects, IdView(victim), &original).ok());
  WriteBatch wb(*store);
  wb.Put(Cf::kObjects, IdView(victim), "garbage bytes, not a blob");
  REQUIRE(store->Write(&wb, false).ok());

  auto bad = repo->FsckAll();
  REQUIRE(bad.ok());
  REQUIRE(bad->problems.size() == 1);
  CHECK(bad->problems[0].find(victim.hex()) != std::string::npos);
  CHECK(bad->problems[0].find("hash does not match") != std::string::npos);
  auto per_repo = repo->Fsck();
  CHECK_FALSE(per_repo->ok());
  CHECK(repo2->Fsck()->ok());  // the other repository does not reach it

  // A missing object and a broken ref are found too.
  WriteBatch del(*store);
  del.Delete(Cf::kObjects, IdView(victim));
  del.Put(Cf::kRefs, std::string("other/repo\0refs/heads/broken", 28), "short");
  REQUIRE(store->Write(&del, false).ok());
  auto missing = Repository::FsckStore(dir.path());
  REQUIRE(missing.ok());
  REQUIRE(missing->problems.size() == 2);
  bool saw_missing = false, saw_ref = false;
  for (auto& p : missing->problems) {
    saw_missing |= p.find("missing") != std::string::npos && p.find(victim.hex()) != std::string::npos;
    saw_ref |= p.find("broken") != std::string::npos;
  }
  CHECK(saw_missing);
  CHECK(saw_ref);

  // Repair, and check every object in the store, reachable or not.
  WriteBatch fix(*store);
  fix.Put(Cf::kObjects, IdView(victim), original);
  fix.Delete(Cf::kRefs, std::string("other/repo\0refs/heads/broken", 28));
  fix.Put(Cf::kObjects, IdView(Sha256("unreachable")), "corrupt and unreachable");
  REQUIRE(store->Write(&fix, false).ok());
  CHECK(Repository::FsckStore(dir.path())->ok());
  FsckOptions all;
  all.all_objects = true;
  auto full = Repository::FsckStore(dir.path(), all);
  REQUIRE(full.ok());
  REQUIRE(full->problems.size() == 1);
  CHECK(full->problems[0].find("unreachable") != std::string::npos);
}

TEST_CASE("gc frees what a deleted branch alone reached; the rest stays readable", "[gc]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  for (int i = 0; i < 300; ++i) REQUIRE(repo->Put(RichMemory(i)).ok());
  CommitOk(*repo, "main", "base");
  REQUIRE(repo->CreateBranch("scratch").ok());
  WriteOptions on_scratch;
  on_scratch.branch = "scratch";
  for (int i = 0; i < 200; ++i)
    REQUIRE(repo->Put(MakeMemory("scratch-" + std::to_string(i), "unique " + std::to_string(i)), on_scratch).ok());
  CommitOk(*repo, "scratch");
  for (int i = 0; i < 10; ++i)
    REQUIRE(repo->Put(MakeMemory("scratch-" + std::to_string(i), "unique v2 " + std::to_string(i)), on_scratch).ok());
  CommitOk(*repo, "scratch");
  // A staged (uncommitted) memory on main must survive gc.
  REQUIRE(repo->Put(MakeMemory("staged", "waiting for a commit")).ok());

  // Nothing unreachable yet.
  auto nothing = repo->Gc();
  REQUIRE(nothing.ok());
  CHECK(nothing->objects_freed == 0);

  // A fork keeps the branch alive after the origin deletes it.
  auto fork = std::move(repo->Fork("fork/copy")).value();
  REQUIRE(repo->DeleteBranch("scratch").ok());
  const uint64_t before = ObjectCount(dir.path());
  auto kept = repo->Gc();
  REQUIRE(kept.ok());
  CHECK(kept->objects_freed == 0);
  CHECK(fork->Get("scratch-5", {"scratch"})->content == "unique v2 5");

  REQUIRE(fork->DeleteBranch("scratch").ok());
  GcOptions dry;
  dry.dry_run = true;
  auto preview = repo->Gc(dry);
  REQUIRE(preview.ok());
  CHECK(preview->objects_freed >= 210 + 2);  // 210 blobs, 2 commits, their tree nodes
  CHECK(ObjectCount(dir.path()) == before);

  std::vector<std::pair<uint64_t, uint64_t>> progress;
  GcOptions go;
  go.progress = [&](uint64_t done, uint64_t total) { progress.emplace_back(done, total); };
  auto freed = repo->Gc(go);
  REQUIRE(freed.ok());
  CHECK(freed->objects_freed == preview->objects_freed);
  CHECK(freed->bytes_freed > 0);
  CHECK(freed->objects_scanned == before);
  CHECK(freed->objects_reachable == before - freed->objects_freed);
  CHECK(ObjectCount(dir.path()) == before - freed->objects_freed);
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back().first == progress.back().second);

  auto fsck = Repository::FsckStore(dir.path());
  REQUIRE(fsck.ok());
  INFO((fsck->problems.empty() ? "" : fsck->problems[0]));
  CHECK(fsck->ok());
  CHECK(repo->List()->size() == 301);  // 300 committed + 1 staged
  CHECK(repo->Get("staged")->content == "waiting for a commit");
  CHECK(repo->Log()->size() == 1);
  CHECK(fork->List({{"main"}})->size() == 301 - 1);  // the fork has no staged changes
  CHECK(repo->Session("session-1")->size() == 150);

  auto again = repo->Gc();
  REQUIRE(again.ok());
  CHECK(again->objects_freed == 0);
}

TEST_CASE("gc while a writer commits and stages loses nothing", "[gc]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  for (int i = 0; i < 100; ++i) REQUIRE(repo->Put(MakeMemory("base-" + std::to_string(i), "b")).ok());
  CommitOk(*repo);
  std::atomic<bool> stop{false};
  std::vector<std::string> acked;
  std::thread writer([&] {
    WriteOptions wo;
    wo.branch = "work";
    for (int round = 0; !stop.load() || round < 20; ++round) {
      // Alternate between a new branch with unique data and deleting it: garbage appears
      // while gc runs.
      if (!repo->CreateBranch("work").ok()) return;
      for (int i = 0; i < 5; ++i) {
        const std::string id = "w-" + std::to_string(round) + "-" + std::to_string(i);
        if (!repo->Put(MakeMemory(id, "tmp " + id), wo).ok()) return;
      }
      CommitOptions co;
      co.branch = "work";
      co.message = "work";
      if (!repo->Commit(co).ok()) return;
      if (!repo->DeleteBranch("work").ok()) return;
      const std::string keep = "keep-" + std::to_string(round);
      if (!repo->Put(MakeMemory(keep, "kept " + keep)).ok()) return;  // staged on main
      acked.push_back(keep);
      if (round % 4 == 3) {
        CommitOptions mc;
        mc.message = "keep";
        if (!repo->Commit(mc).ok()) return;
      }
    }
  });
  uint64_t freed = 0;
  for (int i = 0; i < 10; ++i) {
    auto r = repo->Gc();
    REQUIRE(r.ok());
    freed += r->objects_freed;
  }
  stop = true;
  writer.join();
  auto last = repo->Gc();
  REQUIRE(last.ok());
  auto fsck = Repository::FsckStore(dir.path());
  REQUIRE(fsck.ok());
  INFO((fsck->problems.empty() ? "" : fsck->problems[0]));
  CHECK(fsck->ok());
  REQUIRE(acked.size() >= 20);
  for (const auto& id : acked) {
    INFO(id);
    CHECK(repo->Get(id).ok());
  }
  CHECK(freed + last->objects_freed > 0);
}

TEST_CASE("JSON Lines export and import round-trip every field", "[export]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.sub("a"))).value();
  std::vector<Memory> mems;
  for (int i = 0; i < 120; ++i) mems.push_back(RichMemory(i));
  REQUIRE(repo->PutMany(mems).ok());
  const ObjectId c = CommitOk(*repo);
  const std::string file = dir.sub("memories.jsonl");
  std::vector<std::pair<uint64_t, uint64_t>> progress;
  ExportOptions eo;
  eo.progress = [&](uint64_t d, uint64_t t) { progress.emplace_back(d, t); };
  auto n = repo->ExportJsonl(file, eo);
  REQUIRE(n.ok());
  CHECK(*n == 120);
  REQUIRE_FALSE(progress.empty());
  CHECK(progress.back() == std::pair<uint64_t, uint64_t>{120, 120});

  auto copy = std::move(Repository::Init({}, dir.sub("b"))).value();
  auto r = copy->ImportJsonl(file);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->memories == 120);
  auto a = repo->List();
  auto b = copy->List();
  REQUIRE(a->size() == b->size());
  for (size_t i = 0; i < a->size(); ++i) {
    INFO((*a)[i].id);
    CHECK((*a)[i] == (*b)[i]);
  }
  // Same records, same tree.
  CHECK(copy->Show("HEAD")->tree == repo->Show(c.hex())->tree);
  CHECK(copy->Session("session-1")->size() == 60);
  CHECK(copy->FsckAll()->ok());

  // A small repository in a bigger store exports through point reads.
  RepositoryOptions small;
  small.name = "small/one";
  auto tiny = std::move(Repository::Init(small, dir.sub("a"))).value();
  REQUIRE(tiny->Put(RichMemory(1)).ok());
  REQUIRE(tiny->Put(RichMemory(2)).ok());
  CommitOk(*tiny);
  REQUIRE(tiny->ExportJsonl(dir.sub("tiny.jsonl")).value() == 2);
  auto tiny_copy = std::move(Repository::Init(small, dir.sub("b"))).value();
  REQUIRE(tiny_copy->ImportJsonl(dir.sub("tiny.jsonl")).ok());
  CHECK(tiny_copy->List().value() == tiny->List().value());

  // Importing the same file again changes nothing; into a non-empty branch, it merges in.
  auto again = copy->ImportJsonl(file);
  REQUIRE(again.ok());
  CHECK(again->commit.is_zero());
  {
    std::ofstream extra(dir.sub("extra.jsonl"));
    extra << R"({"id":"mem-3","content":"updated by import","timestamp_us":5})"
          << "\n\n"
          << R"({"content":"no id: one is generated"})"
          << "\n";
  }
  ImportOptions io;
  io.message = "extra";
  auto more = copy->ImportJsonl(dir.sub("extra.jsonl"), io);
  REQUIRE(more.ok());
  CHECK(more->memories == 2);
  CHECK(copy->Count().value() == 121);
  CHECK(copy->Get("mem-3")->content == "updated by import");
  CHECK(copy->Show("HEAD")->message == "extra");
  CHECK(copy->Show("HEAD")->parents.size() == 1);
}

TEST_CASE("JSON Lines import bad input names the line and the field, changes nothing", "[export]") {
  TempDir dir;
  auto repo = std::move(Repository::Init({}, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("a", "existing")).ok());
  const ObjectId head = CommitOk(*repo);
  const uint64_t objects = ObjectCount(dir.path());
  auto write = [&](const std::string& name, const std::string& text) {
    std::ofstream(dir.sub(name)) << text;
    return dir.sub(name);
  };
  const std::string good = R"({"id":"x","content":"fine"})";
  struct Case {
    std::string text, want1, want2;
  };
  const std::vector<Case> cases = {
      {good + "\n" + good + "\n{not json\n", "line 3", "JSON"},
      {good + "\n" + R"({"id":"y","content":"c","importance":"high"})" + "\n", "line 2", "importance"},
      {R"({"id":"y","content":"c","importance":1.5})"
       "\n",
       "line 1", "importance"},
      {R"({"id":"y","content":""})"
       "\n",
       "line 1", "content"},
      {R"({"id":"y","content":"c","type":"dream"})"
       "\n",
       "line 1", "type"},
      {R"({"id":"y","content":"c","tags":[1]})"
       "\n",
       "line 1", "tags"},
      {R"({"id":"y","content":"c","relations":[{"type":"likes","target_id":"a"}]})"
       "\n",
       "line 1", "relation"},
      {R"([1,2,3])"
       "\n",
       "line 1", "object"},
  };
  for (size_t i = 0; i < cases.size(); ++i) {
    auto r = repo->ImportJsonl(write("bad" + std::to_string(i) + ".jsonl", cases[i].text));
    INFO(i << ": " << r.status().ToString());
    CHECK(r.status().IsInvalidArgument());
    CHECK(r.status().message().find(cases[i].want1) != std::string::npos);
    CHECK(r.status().message().find(cases[i].want2) != std::string::npos);
  }
  CHECK(repo->ImportJsonl(dir.sub("does-not-exist.jsonl")).status().IsNotFound());
  ImportOptions io;
  io.branch = "no-such-branch";
  CHECK(repo->ImportJsonl(write("ok.jsonl", good + "\n"), io).status().IsNotFound());
  CHECK(repo->Resolve("main").value() == head);
  CHECK(ObjectCount(dir.path()) == objects);
  CHECK(repo->Count().value() == 1);
}

TEST_CASE("a bundle imported into an empty store reproduces the same commits", "[export]") {
  TempDir dir;
  RepositoryOptions ro;
  ro.name = "team/memory";
  auto repo = std::move(Repository::Init(ro, dir.sub("a"))).value();
  for (int i = 0; i < 60; ++i) REQUIRE(repo->Put(RichMemory(i)).ok());
  CommitOk(*repo, "main", "one");
  REQUIRE(repo->CreateBranch("side").ok());
  WriteOptions side;
  side.branch = "side";
  REQUIRE(repo->Put(MakeMemory("s", "side"), side).ok());
  CommitOk(*repo, "side", "side");
  REQUIRE(repo->Put(RichMemory(100)).ok());
  CommitOk(*repo, "main", "two");
  MergeOptions mo;
  mo.into = "main";
  REQUIRE(repo->Merge("side", mo).ok());
  REQUIRE(repo->CreateTag("v1").ok());
  REQUIRE(repo->Checkout("side").ok());

  const std::string file = dir.sub("repo.bundle");
  auto n = repo->ExportBundle(file);
  REQUIRE(n.ok());
  CHECK(*n > 60 + 4);

  auto copy = std::move(Repository::Init(ro, dir.sub("b"))).value();
  uint64_t last_done = 0, last_total = 1;
  ImportOptions io;
  io.progress = [&](uint64_t d, uint64_t t) { last_done = d, last_total = t; };
  auto r = copy->ImportBundle(file, io);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  CHECK(r->objects == *n);
  CHECK(r->refs == 3);
  CHECK(last_done == last_total);
  LogOptions all;
  all.first_parent = false;
  for (const char* rev : {"main", "side", "v1"}) {
    all.rev = rev;
    auto la = repo->Log(all);
    auto lb = copy->Log(all);
    REQUIRE(la->size() == lb->size());
    for (size_t i = 0; i < la->size(); ++i) CHECK((*la)[i].id == (*lb)[i].id);
  }
  CHECK(copy->CurrentBranch() == "side");  // HEAD followed the bundle
  CHECK(Repository::FsckStore(dir.sub("b"))->ok());
  CHECK(copy->ListBranches()->size() == 2);

  // Importing it again is a no-op; a ref that moved elsewhere conflicts unless forced.
  REQUIRE(copy->ImportBundle(file).ok());
  WriteOptions on_main;
  on_main.branch = "main";
  REQUIRE(copy->Put(MakeMemory("new", "only in the copy"), on_main).ok());
  const ObjectId moved = CommitOk(*copy, "main");
  auto conflict = copy->ImportBundle(file);
  CHECK(conflict.status().IsConflict());
  CHECK(conflict.status().message().find("refs/heads/main") != std::string::npos);
  CHECK(copy->Resolve("main").value() == moved);
  io.force = true;
  REQUIRE(copy->ImportBundle(file, io).ok());
  CHECK(copy->Resolve("main").value() == repo->Resolve("main").value());

  // A damaged bundle is refused before anything is written.
  std::string bytes;
  {
    std::ifstream in(file, std::ios::binary);
    bytes.assign(std::istreambuf_iterator<char>(in), {});
  }
  auto empty = std::move(Repository::Init(ro, dir.sub("c"))).value();
  std::ofstream(dir.sub("truncated.bundle"), std::ios::binary) << bytes.substr(0, bytes.size() / 2);
  auto t = empty->ImportBundle(dir.sub("truncated.bundle"));
  CHECK(t.status().IsCorruption());
  std::string flipped = bytes;
  flipped[flipped.size() / 2] ^= 0x5a;
  std::ofstream(dir.sub("flipped.bundle"), std::ios::binary) << flipped;
  auto fl = empty->ImportBundle(dir.sub("flipped.bundle"));
  CHECK(fl.status().IsCorruption());
  std::ofstream(dir.sub("text.bundle")) << "hello";
  CHECK(empty->ImportBundle(dir.sub("text.bundle")).status().message().find("not a gitmem bundle") !=
        std::string::npos);
  CHECK(ObjectCount(dir.sub("c")) == 0);
  CHECK(empty->ListBranches()->size() == 1);  // the unborn main only
}

namespace {

size_t KeyCount(Store& store, Cf cf, std::string_view prefix) {
  size_t n = 0;
  for (auto it = store.Scan(cf, prefix); it->Valid(); it->Next()) ++n;
  return n;
}

size_t SegmentFiles(const std::string& store_path) {
  std::error_code ec;
  size_t n = 0;
  for (std::filesystem::directory_iterator it(store_path + "/search-segments", ec), end; !ec && it != end;
       it.increment(ec))
    ++n;
  return n;
}

RepositoryOptions SmallSegments() {
  RepositoryOptions o;
  o.search.delta_max = 16;  // a few hundred memories make several segments
  return o;
}

std::vector<SearchHit> SearchOk(Repository& repo, const std::string& rev, const std::string& query) {
  SearchOptions o;
  o.query = query;
  o.k = 5;
  o.at.rev = rev;
  return MustSearch(repo, o);
}

}  // namespace

TEST_CASE("gc drops a deleted branch's search index: snapshots, segments, vectors", "[gc][search]") {
  TempDir dir;
  {
    auto repo = std::move(Repository::Init(SmallSegments(), dir.path())).value();
    for (int i = 0; i < 40; ++i)
      REQUIRE(repo->Put(MakeMemory("m" + std::to_string(i), "main memory " + std::to_string(i))).ok());
    CommitOk(*repo);
    CHECK(SearchOk(*repo, "main", "main memory 7").size() == 5);
    REQUIRE(repo->CreateBranch("scratch").ok());
    WriteOptions wo;
    wo.branch = "scratch";
    for (int i = 0; i < 200; ++i)
      REQUIRE(repo->Put(MakeMemory("s" + std::to_string(i), "scratch note number " + std::to_string(i)), wo).ok());
    CommitOk(*repo, "scratch");
    CHECK(SearchOk(*repo, "scratch", "scratch note 42").size() == 5);
  }  // closing persists both branches' indexes
  auto repo = std::move(Repository::Open({}, dir.path())).value();
  auto store = OpenStore(dir.path());
  const size_t manifests = KeyCount(*store, Cf::kIndexes, "m"), files = SegmentFiles(dir.path());
  const size_t vectors = KeyCount(*store, Cf::kVectors, {});
  REQUIRE(KeyCount(*store, Cf::kIndexes, "b") == 2);
  REQUIRE(files >= 2);  // main's, and the scratch branch's own
  REQUIRE(vectors == 240);

  // Nothing is garbage while the branch exists.
  auto none = repo->Gc();
  REQUIRE(none.ok());
  CHECK(none->objects_freed == 0);
  CHECK(none->index_bytes_freed == 0);

  REQUIRE(repo->DeleteBranch("scratch").ok());
  GcOptions dry;
  dry.dry_run = true;
  auto would = repo->Gc(dry);
  REQUIRE(would.ok());
  CHECK(KeyCount(*store, Cf::kVectors, {}) == vectors);  // a dry run changes nothing
  CHECK(SegmentFiles(dir.path()) == files);
  auto r = repo->Gc();
  REQUIRE(r.ok());
  CHECK(r->objects_freed == would->objects_freed);
  CHECK(r->objects_freed >= 201);  // 200 blobs, the commit, tree nodes
  CHECK(r->vectors_freed == 200);
  CHECK(r->index_snapshots_freed == would->index_snapshots_freed);
  CHECK(r->index_snapshots_freed >= 2);  // the branch pointer and its manifest
  CHECK(r->index_bytes_freed == would->index_bytes_freed);
  CHECK(KeyCount(*store, Cf::kIndexes, "b") == 1);
  CHECK(KeyCount(*store, Cf::kIndexes, "m") < manifests);
  CHECK(KeyCount(*store, Cf::kVectors, {}) == 40);
  CHECK(SegmentFiles(dir.path()) < files);
  CHECK(Repository::FsckStore(dir.path())->ok());

  auto again = repo->Gc();
  REQUIRE(again.ok());
  CHECK(again->objects_freed == 0);
  CHECK(again->index_bytes_freed == 0);
  // main's persisted index survived whole: a fresh open loads it.
  repo.reset();
  repo = std::move(Repository::Open({}, dir.path())).value();
  CHECK(SearchOk(*repo, "main", "main memory 7").front().id == "m7");
  ReadOptions at;
  at.rev = "main";
  auto info = repo->IndexInfo(at);
  REQUIRE(info.ok());
  CHECK(info->source == "loaded");
  CHECK(info->documents == 40);
}

TEST_CASE("an index whose segment is gone is rebuilt, not an error", "[gc][search]") {
  TempDir dir;
  {
    auto repo = std::move(Repository::Init(SmallSegments(), dir.path())).value();
    for (int i = 0; i < 100; ++i)
      REQUIRE(repo->Put(MakeMemory("m" + std::to_string(i), "note " + std::to_string(i))).ok());
    CommitOk(*repo);
    CHECK(SearchOk(*repo, "main", "note 7").size() == 5);
  }
  REQUIRE(SegmentFiles(dir.path()) > 0);
  CHECK(Repository::FsckStore(dir.path())->ok());
  std::filesystem::remove_all(dir.sub("search-segments"));  // what a reader sees after gc
  auto fsck = Repository::FsckStore(dir.path());
  REQUIRE(fsck.ok());
  CHECK(!fsck->ok());
  REQUIRE(!fsck->problems.empty());
  CHECK_THAT(fsck->problems[0], Catch::Contains("vector segment") && Catch::Contains("is missing"));
  {
    auto repo = std::move(Repository::Open({}, dir.path())).value();
    CHECK(SearchOk(*repo, "main", "note 7").front().id == "m7");
    ReadOptions at;
    at.rev = "main";
    auto info = repo->IndexInfo(at);
    REQUIRE(info.ok());
    CHECK(info->source != "loaded");
    CHECK(info->documents == 100);
  }  // closing persists the rebuilt state over the broken one
  CHECK(Repository::FsckStore(dir.path())->ok());
}

TEST_CASE("gc while searches persist indexes: every persisted index stays loadable", "[gc][search]") {
  TempDir dir;
  RepositoryOptions o = SmallSegments();
  o.search.persist_every = 4;  // catch-ups persist often
  auto repo = std::move(Repository::Init(o, dir.path())).value();
  REQUIRE(repo->Put(MakeMemory("base", "base note")).ok());
  CommitOk(*repo);
  std::atomic<bool> stop{false};
  std::string failure;
  int rounds = 0;
  std::thread writer([&] {
    auto fail = [&](const Status& s, const char* what) { failure = std::string(what) + ": " + s.ToString(); };
    for (int round = 0; !stop.load() || round < 12; ++round, ++rounds) {
      // A branch that gets an index and is deleted: its manifests become garbage while
      // main's keep being written.
      if (auto s = repo->CreateBranch("tmp"); !s.ok()) return fail(s, "branch");
      WriteOptions wo;
      wo.branch = "tmp";
      for (int i = 0; i < 6; ++i) {
        const std::string id = "t" + std::to_string(round) + "-" + std::to_string(i);
        if (auto s = repo->Put(MakeMemory(id, "temporary note " + id), wo).status(); !s.ok()) return fail(s, "put tmp");
      }
      CommitOptions tc;
      tc.branch = "tmp";
      if (auto s = repo->Commit(tc).status(); !s.ok()) return fail(s, "commit tmp");
      SearchOptions so;
      so.query = "temporary note";
      so.at.rev = "tmp";
      if (auto s = repo->Search(so).status(); !s.ok()) return fail(s, "search tmp");
      if (auto s = repo->DeleteBranch("tmp"); !s.ok()) return fail(s, "delete tmp");
      for (int i = 0; i < 6; ++i) {
        const std::string id = "m" + std::to_string(round) + "-" + std::to_string(i);
        if (auto s = repo->Put(MakeMemory(id, "lasting note " + id)).status(); !s.ok()) return fail(s, "put main");
      }
      if (auto s = repo->Commit(CommitOptions{}).status(); !s.ok()) return fail(s, "commit main");
      so.query = "lasting note";
      so.at.rev = "main";
      if (auto s = repo->Search(so).status(); !s.ok()) return fail(s, "search main");
    }
  });
  uint64_t index_freed = 0;
  for (int i = 0; i < 8; ++i) {
    auto r = repo->Gc();
    REQUIRE(r.ok());
    index_freed += r->index_snapshots_freed;
  }
  stop = true;
  writer.join();
  INFO(failure);
  REQUIRE(failure.empty());
  auto last = repo->Gc();
  REQUIRE(last.ok());
  CHECK(index_freed + last->index_snapshots_freed > 0);
  repo.reset();  // persists main's latest state
  // Each persist replaced main's previous manifest: one is left, not one per persist.
  CHECK(KeyCount(*OpenStore(dir.path()), Cf::kIndexes, "m") == 1);

  repo = std::move(Repository::Open({}, dir.path())).value();
  ReadOptions at;
  at.rev = "main";
  auto info = repo->IndexInfo(at);
  REQUIRE(info.ok());
  CHECK(info->source == "loaded");
  CHECK(info->documents == static_cast<uint64_t>(rounds) * 6 + 1);
  CHECK(SearchOk(*repo, "main", "lasting note m0-3").front().id == "m0-3");
  CHECK(Repository::FsckStore(dir.path())->ok());
}
