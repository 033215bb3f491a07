// json/codec: every value type survives ToJson then FromJson, the display form's field
// order and the JSON Lines record are what --json, MCP and exports have always written, and
// every malformed field is rejected with an error that names it.
#include <catch2/catch.hpp>

#include <string>
#include <utility>
#include <vector>

#include "json/codec.h"

using namespace gitmem;
using gitmem::json::FromJson;
using gitmem::json::Json;
using gitmem::json::ToJson;

namespace {

ObjectId Id(uint8_t b) {
  ObjectId id;
  id.bytes.fill(b);
  return id;
}

Memory FullMemory(std::string id = "m1") {
  Memory m;
  m.id = std::move(id);
  m.content = "the user prefers tea";
  m.type = MemoryType::kEpisodic;
  m.agent_id = "agent";
  m.session_id = "s1";
  m.timestamp_us = 1763714790123456;
  m.importance = 0.7f;
  m.confidence = 0.25f;
  m.tags = {"drink", "pref"};
  m.scope = Scope::kGlobal;
  m.metadata = R"({"a":1,"b":"x"})";
  m.relations = {{RelationType::kBuildsOn, "m0", 0.3f}, {RelationType::kSimilar, "m2", 1.0f}};
  m.provenance.author = "alice";
  m.provenance.content_hash = Id(7);
  return m;
}

CommitInfo FullCommit() {
  CommitInfo c;
  c.id = Id(1);
  c.tree = Id(2);
  c.parents = {Id(3), Id(4)};
  c.author = "bob";
  c.message = "merge";
  c.timestamp_us = 1763714790000000;
  c.generation = 5;
  c.memory_count = 9;
  c.added = 1;
  c.modified = 2;
  c.removed = 3;
  c.changed_ids = {"a", "b"};
  c.changed_ids_truncated = true;
  return c;
}

template <class T>
T RoundTrip(const Json& j) {
  T out{};
  Status s = FromJson(Json::parse(j.dump()), &out);
  INFO(s.message());
  REQUIRE(s.ok());
  return out;
}

// The content hash is not read back (the repository recomputes it).
Memory WithoutHash(Memory m) {
  m.provenance.content_hash = ObjectId{};
  return m;
}

void CheckRejected(const Json& j, Status (*read)(const Json&), const std::string& message) {
  Status s = read(j);
  INFO(j.dump());
  CHECK(s.code() == Status::Code::kInvalidArgument);
  CHECK(s.message() == message);
}

Status ReadMemory(const Json& j) {
  Memory m;
  return FromJson(j, &m);
}

}  // namespace

TEST_CASE("json: a memory's display form, in field order") {
  CHECK(ToJson(FullMemory()).dump() ==
        R"({"id":"m1","content":"the user prefers tea","type":"episodic","agent_id":"agent","session_id":"s1",)"
        R"("timestamp":"2025-11-21T08:46:30.123456Z","timestamp_us":1763714790123456,"importance":0.7,)"
        R"("confidence":0.25,"tags":["drink","pref"],"scope":"global","metadata":{"a":1,"b":"x"},)"
        R"("relations":[{"type":"builds_on","target_id":"m0","strength":0.3},)"
        R"({"type":"similar","target_id":"m2","strength":1.0}],)"
        R"("provenance":{"author":"alice","content_hash":")" +
            Id(7).hex() + R"("}})");
}

TEST_CASE("json: a memory's JSON Lines record has sorted keys and no RFC 3339 time") {
  Memory m = FullMemory();
  m.metadata = R"({"z":1,"a":2})";
  CHECK(json::MemoryLine(m) ==
        R"({"agent_id":"agent","confidence":0.25,"content":"the user prefers tea","id":"m1","importance":0.7,)"
        R"("metadata":{"a":2,"z":1},"provenance":{"author":"alice","content_hash":")" +
            Id(7).hex() +
            R"("},"relations":[{"strength":0.3,"target_id":"m0","type":"builds_on"},)"
            R"({"strength":1.0,"target_id":"m2","type":"similar"}],"scope":"global","session_id":"s1",)"
            R"("tags":["drink","pref"],"timestamp_us":1763714790123456,"type":"episodic"})");
  Memory back;
  REQUIRE(FromJson(nlohmann::json::parse(json::MemoryLine(m)), &back).ok());
  m.metadata = R"({"a":2,"z":1})";  // read back in canonical form
  CHECK(back == WithoutHash(m));
}

TEST_CASE("json: metadata text that is not JSON stays a string") {
  Memory m = FullMemory();
  m.metadata = "not json";
  CHECK(ToJson(m)["metadata"] == "not json");
  CHECK(RoundTrip<Memory>(ToJson(m)).metadata == "not json");
}

TEST_CASE("json: absent and null fields keep a memory's defaults") {
  Memory m;
  REQUIRE(FromJson(Json::parse(R"({"content":"c","type":null,"tags":null})"), &m).ok());
  CHECK(m == [] {
    Memory d;
    d.content = "c";
    return d;
  }());
}

TEST_CASE("json: every value type round-trips") {
  const Memory memory = FullMemory();
  CHECK(RoundTrip<Memory>(ToJson(memory)) == WithoutHash(memory));

  const CommitInfo commit = FullCommit();
  const CommitInfo c = RoundTrip<CommitInfo>(ToJson(commit));
  CHECK(c.id == commit.id);
  CHECK(c.tree == commit.tree);
  CHECK(c.parents == commit.parents);
  CHECK(c.author == commit.author);
  CHECK(c.message == commit.message);
  CHECK(c.timestamp_us == commit.timestamp_us);
  CHECK(c.generation == commit.generation);
  CHECK(c.memory_count == commit.memory_count);
  CHECK((c.added == 1 && c.modified == 2 && c.removed == 3));
  CHECK(c.changed_ids == commit.changed_ids);
  CHECK(c.changed_ids_truncated);

  Diff diff;
  diff.entries.push_back({DiffEntry::Kind::kAdded, "a", std::nullopt, FullMemory("a")});
  diff.entries.push_back({DiffEntry::Kind::kModified, "b", FullMemory("b"), FullMemory("b")});
  diff.entries.push_back({DiffEntry::Kind::kRemoved, "c", FullMemory("c"), std::nullopt});
  const Json dj = ToJson(diff);
  CHECK((dj["added"] == 1 && dj["modified"] == 1 && dj["removed"] == 1));
  const Diff d = RoundTrip<Diff>(dj);
  REQUIRE(d.entries.size() == 3);
  for (size_t i = 0; i < 3; ++i) {
    CHECK(d.entries[i].kind == diff.entries[i].kind);
    CHECK(d.entries[i].id == diff.entries[i].id);
    CHECK(d.entries[i].old_memory.has_value() == diff.entries[i].old_memory.has_value());
    CHECK(d.entries[i].new_memory.has_value() == diff.entries[i].new_memory.has_value());
  }
  CHECK(*d.entries[1].new_memory == WithoutHash(*diff.entries[1].new_memory));

  const MemoryVersion v = RoundTrip<MemoryVersion>(ToJson(MemoryVersion{commit, memory}));
  CHECK(v.commit.id == commit.id);
  CHECK(v.memory == WithoutHash(memory));
  CHECK(ToJson(MemoryVersion{commit, std::nullopt})["deleted"] == true);
  CHECK_FALSE(RoundTrip<MemoryVersion>(ToJson(MemoryVersion{commit, std::nullopt})).memory);

  const StagedChange s = RoundTrip<StagedChange>(ToJson(StagedChange{"x", true, std::nullopt}));
  CHECK((s.id == "x" && s.deleted && !s.memory));

  const BranchInfo b = RoundTrip<BranchInfo>(ToJson(BranchInfo{"main", Id(9), true, 4}));
  CHECK((b.name == "main" && b.head == Id(9) && b.is_current && b.staged == 4));
  CHECK(ToJson(BranchInfo{"unborn", ObjectId{}, false, 0})["head"].is_null());
  CHECK(RoundTrip<BranchInfo>(ToJson(BranchInfo{"unborn", ObjectId{}, false, 0})).head.is_zero());

  const TagInfo t = RoundTrip<TagInfo>(ToJson(TagInfo{"v1", Id(5)}));
  CHECK((t.name == "v1" && t.target == Id(5)));

  MergeResult merge;
  merge.commit = Id(6);
  merge.merge_bases = {Id(1), Id(2)};
  merge.changes_applied = 3;
  MergeConflict conflict;
  conflict.id = "k";
  conflict.kind = MergeConflict::Kind::kModifiedDeleted;
  conflict.base = FullMemory("k");
  conflict.ours = FullMemory("k");
  conflict.base_ambiguous = true;
  conflict.resolution = FullMemory("k");
  merge.conflicts = {conflict};
  const Json mj = json::MergeJson("merge", "feature", "main", MergeStrategy::kOurs, merge);
  CHECK(mj["status"] == "merged");
  CHECK(mj["conflicts"][0]["settled"] == true);
  const MergeResult m = RoundTrip<MergeResult>(mj);
  CHECK(m.commit == merge.commit);
  CHECK(m.merge_bases == merge.merge_bases);
  CHECK(m.changes_applied == 3);
  REQUIRE(m.conflicts.size() == 1);
  CHECK(m.conflicts[0].kind == MergeConflict::Kind::kModifiedDeleted);
  CHECK(m.conflicts[0].base_ambiguous);
  CHECK(m.conflicts[0].ours == WithoutHash(*conflict.ours));
  CHECK_FALSE(m.conflicts[0].theirs);
  CHECK(m.conflicts[0].resolution == WithoutHash(*conflict.resolution));

  SearchOptions so;
  so.query = "tea";
  so.offset = 2;
  std::vector<SearchHit> hits = {{"a", 0.5, FullMemory("a")}, {"b", 0.25, std::nullopt}};
  const Json sj = json::SearchJson(so, hits);
  CHECK((sj["hits"][0]["rank"] == 3 && sj["count"] == 2 && sj["mode"] == "hybrid"));
  const auto h = RoundTrip<std::vector<SearchHit>>(sj);
  REQUIRE(h.size() == 2);
  CHECK((h[0].id == "a" && h[0].score == 0.5 && h[0].memory == WithoutHash(*hits[0].memory)));
  CHECK((h[1].id == "b" && !h[1].memory));

  SearchIndexInfo index{Id(1), Id(2), 10, 1, 2, 3, 4, "catch-up", 7, 5, true};
  const Json ij = ToJson(index);
  CHECK((ij["vectors_awaiting_graph"] == 5 && ij["indexing"] == true));
  const SearchIndexInfo i = RoundTrip<SearchIndexInfo>(ij);
  CHECK((i.commit == index.commit && i.tree == index.tree && i.documents == 10 && i.vector_segments == 1 &&
         i.keyword_segments == 2 && i.vector_delta == 3 && i.keyword_delta == 4 && i.source == "catch-up" &&
         i.changes_applied == 7 && i.vectors_awaiting_graph == 5 && i.indexing));

  RepositoryInfo info{"me/mem", "notes", "main", "private", 1763714790000000, 1, 2, 3, "up/stream"};
  const RepositoryInfo ri = RoundTrip<RepositoryInfo>(ToJson(info));
  CHECK((ri.name == info.name && ri.description == info.description && ri.default_branch == "main" &&
         ri.visibility == "private" && ri.created_at_us == info.created_at_us && ri.stars == 1 && ri.forks == 2 &&
         ri.watchers == 3 && ri.upstream == "up/stream"));
  CHECK(ToJson(RepositoryInfo{})["upstream"].is_null());

  FsckReport fsck;
  fsck.objects_checked = 4;
  fsck.commits = 1;
  fsck.trees = 2;
  fsck.blobs = 1;
  fsck.problems = {"blob x: hash mismatch"};
  CHECK(ToJson(fsck)["ok"] == false);
  const auto f = RoundTrip<FsckReport>(ToJson(fsck));
  CHECK((f.objects_checked == 4 && f.commits == 1 && f.trees == 2 && f.blobs == 1 && f.problems == fsck.problems));

  GcReport gc{10, 8, 2, 100, 1, 3, 4, 500};
  const GcReport g = RoundTrip<GcReport>(ToJson(gc));
  CHECK((g.objects_scanned == 10 && g.objects_reachable == 8 && g.objects_freed == 2 && g.bytes_freed == 100 &&
         g.session_entries_freed == 1 && g.index_snapshots_freed == 3 && g.vectors_freed == 4 &&
         g.index_bytes_freed == 500));

  const ImportReport r = RoundTrip<ImportReport>(ToJson(ImportReport{5, 6, 7, Id(3)}));
  CHECK((r.memories == 5 && r.objects == 6 && r.refs == 7 && r.commit == Id(3)));
  CHECK(ToJson(ImportReport{})["commit"].is_null());
}

TEST_CASE("json: a status as code and message") {
  CHECK(ToJson(Status::InvalidArgument("x: bad")).dump() == R"({"code":"invalid_argument","message":"x: bad"})");
}

TEST_CASE("json: each malformed memory field is named") {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"([1])", "expected a JSON object"},
      {R"({"id":1})", "id: expected a string"},
      {R"({"content":[]})", "content: expected a string"},
      {R"({"agent_id":false})", "agent_id: expected a string"},
      {R"({"session_id":2})", "session_id: expected a string"},
      {R"({"type":3})", "type: expected a string"},
      {R"({"type":"dream"})", "type: 'dream' is not one of episodic, semantic, procedural, state"},
      {R"({"scope":"team"})", "scope: 'team' is not one of private, shared, global"},
      {R"({"timestamp_us":1.5})", "timestamp_us: expected an integer"},
      {R"({"importance":"high"})", "importance: expected a number"},
      {R"({"confidence":true})", "confidence: expected a number"},
      {R"({"tags":"a"})", "tags: expected an array of strings"},
      {R"({"tags":[1]})", "tags: expected an array of strings"},
      {R"({"metadata":[1]})", "metadata: expected a JSON object"},
      {R"({"relations":{}})", "relations: expected an array"},
      {R"({"relations":[1]})", "relations[0]: expected a JSON object"},
      {R"({"relations":[{"target_id":"a"}]})", "relations[0].type: required"},
      {R"({"relations":[{"type":"similar","target_id":"a"},{"type":"likes","target_id":"a"}]})",
       "relations[1].type: 'likes' is not one of similar, contradicts, builds_on, references"},
      {R"({"relations":[{"type":"similar"}]})", "relations[0].target_id: required"},
      {R"({"relations":[{"type":"similar","target_id":5}]})", "relations[0].target_id: expected a string"},
      {R"({"relations":[{"type":"similar","target_id":"a","strength":"x"}]})",
       "relations[0].strength: expected a number"},
      {R"({"provenance":"alice"})", "provenance: expected a JSON object"},
      {R"({"provenance":{"author":1}})", "provenance.author: expected a string"},
  };
  for (const auto& [text, message] : cases) CheckRejected(Json::parse(text), ReadMemory, message);
}

TEST_CASE("json: each malformed field of the other types is named") {
  auto commit = [](const Json& j) {
    CommitInfo c;
    return FromJson(j, &c);
  };
  CheckRejected(Json::parse(R"({"id":"abc"})"), commit, "id: expected a 64-digit hex id");
  CheckRejected(Json::parse(R"({"tree":1})"), commit, "tree: expected a 64-digit hex id");
  CheckRejected(Json::parse(R"({"parents":["x"]})"), commit, "parents: expected an array of hex ids");
  CheckRejected(Json::parse(R"({"author":1})"), commit, "author: expected a string");
  CheckRejected(Json::parse(R"({"message":1})"), commit, "message: expected a string");
  CheckRejected(Json::parse(R"({"timestamp_us":"now"})"), commit, "timestamp_us: expected an integer");
  for (const char* field : {"generation", "memory_count", "added", "modified", "removed"})
    CheckRejected(Json{{field, -1}}, commit, std::string(field) + ": expected a non-negative integer");
  CheckRejected(Json::parse(R"({"changed_ids":[1]})"), commit, "changed_ids: expected an array of strings");
  CheckRejected(Json::parse(R"({"changed_ids_truncated":1})"), commit, "changed_ids_truncated: expected true or false");

  auto diff = [](const Json& j) {
    Diff d;
    return FromJson(j, &d);
  };
  CheckRejected(Json::parse(R"({"entries":1})"), diff, "entries: expected an array");
  CheckRejected(Json::parse(R"({"entries":[{"id":"a"}]})"), diff, "entries[0].kind: required");
  CheckRejected(Json::parse(R"({"entries":[{"kind":"moved"}]})"), diff,
                "entries[0].kind: 'moved' is not one of added, modified, removed");
  CheckRejected(Json::parse(R"({"entries":[{"kind":"added","new":{"type":"x"}}]})"), diff,
                "entries[0].new.type: 'x' is not one of episodic, semantic, procedural, state");

  auto version = [](const Json& j) {
    MemoryVersion v;
    return FromJson(j, &v);
  };
  CheckRejected(Json::parse(R"({"memory":null})"), version, "commit: required");
  CheckRejected(Json::parse(R"({"commit":{"id":"z"}})"), version, "commit.id: expected a 64-digit hex id");
  CheckRejected(Json::parse(R"({"commit":{},"memory":[]})"), version, "memory: expected a JSON object");

  auto staged = [](const Json& j) {
    StagedChange s;
    return FromJson(j, &s);
  };
  CheckRejected(Json::parse(R"({"deleted":"yes"})"), staged, "deleted: expected true or false");

  auto branch = [](const Json& j) {
    BranchInfo b;
    return FromJson(j, &b);
  };
  CheckRejected(Json::parse(R"({"name":1})"), branch, "name: expected a string");
  CheckRejected(Json::parse(R"({"head":"1"})"), branch, "head: expected a 64-digit hex id");
  CheckRejected(Json::parse(R"({"current":0})"), branch, "current: expected true or false");
  CheckRejected(Json::parse(R"({"staged":1.5})"), branch, "staged: expected a non-negative integer");

  auto tag = [](const Json& j) {
    TagInfo t;
    return FromJson(j, &t);
  };
  CheckRejected(Json::parse(R"({"target":null,"name":[]})"), tag, "name: expected a string");
  CheckRejected(Json::parse(R"({"target":"v1"})"), tag, "target: expected a 64-digit hex id");

  auto merge = [](const Json& j) {
    MergeResult r;
    return FromJson(j, &r);
  };
  CheckRejected(Json::parse(R"({"fast_forward":1})"), merge, "fast_forward: expected true or false");
  CheckRejected(Json::parse(R"({"merge_bases":"x"})"), merge, "merge_bases: expected an array of hex ids");
  CheckRejected(Json::parse(R"({"conflicts":[{"kind":"odd"}]})"), merge,
                "conflicts[0].kind: 'odd' is not a conflict kind");
  CheckRejected(Json::parse(R"({"conflicts":[{"ours":{"id":1}}]})"), merge, "conflicts[0].ours.id: expected a string");

  auto search = [](const Json& j) {
    std::vector<SearchHit> h;
    return FromJson(j, &h);
  };
  CheckRejected(Json::parse(R"({"hits":[{"score":"high"}]})"), search, "hits[0].score: expected a number");

  auto index = [](const Json& j) {
    SearchIndexInfo i;
    return FromJson(j, &i);
  };
  CheckRejected(Json::parse(R"({"source":1})"), index, "source: expected a string");
  CheckRejected(Json::parse(R"({"documents":-2})"), index, "documents: expected a non-negative integer");
  CheckRejected(Json::parse(R"({"vectors_awaiting_graph":-1})"), index,
                "vectors_awaiting_graph: expected a non-negative integer");
  CheckRejected(Json::parse(R"({"indexing":"yes"})"), index, "indexing: expected true or false");

  auto info = [](const Json& j) {
    RepositoryInfo i;
    return FromJson(j, &i);
  };
  CheckRejected(Json::parse(R"({"upstream":1})"), info, "upstream: expected a string");
  CheckRejected(Json::parse(R"({"created_at_us":"x"})"), info, "created_at_us: expected an integer");
  CheckRejected(Json::parse(R"({"stars":-1})"), info, "stars: expected a non-negative integer");

  auto fsck = [](const Json& j) {
    FsckReport r;
    return FromJson(j, &r);
  };
  CheckRejected(Json::parse(R"({"problems":[1]})"), fsck, "problems: expected an array of strings");

  auto gc = [](const Json& j) {
    GcReport r;
    return FromJson(j, &r);
  };
  CheckRejected(Json::parse(R"({"bytes_freed":"1"})"), gc, "bytes_freed: expected a non-negative integer");

  auto import = [](const Json& j) {
    ImportReport r;
    return FromJson(j, &r);
  };
  CheckRejected(Json::parse(R"({"commit":"c"})"), import, "commit: expected a 64-digit hex id");
  CheckRejected(Json::parse(R"(7)"), import, "expected a JSON object");
}
