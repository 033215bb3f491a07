// object/codec: the canonical bytes of blob (memory) and commit objects. Every field
// round-trips, equal values encode to equal bytes (docs/format.md "Canonical form"), and
// decoding refuses — with Corruption, never a crash or a read past the end — truncations,
// wrong tags and versions, trailing bytes and corrupted fields.
#include <catch2/catch.hpp>

#include <cstdint>
#include <functional>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "object/codec.h"
#include "repo/validate.h"
#include "util/coding.h"

using namespace gitmem;

namespace {

ObjectId IdOf(uint8_t seed) {
  ObjectId id;
  for (size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<uint8_t>(seed + 7 * i);
  return id;
}

// A record with every field away from its default, normalised as the repository would.
Memory FullMemory() {
  Memory m;
  m.id = "m-1";
  m.content = "hello";
  m.type = MemoryType::kProcedural;
  m.agent_id = "agent-7";
  m.session_id = "s1";
  m.timestamp_us = 1700000000123456;
  m.importance = 0.25f;
  m.confidence = 0.75f;
  m.tags = {"beta", "alpha"};
  m.scope = Scope::kGlobal;
  m.provenance.author = "alice";
  m.provenance.content_hash = IdOf(3);
  m.metadata = R"({"b": [true, null], "a": 1})";
  m.relations = {{RelationType::kContradicts, "m-9", 0.5f}, {RelationType::kBuildsOn, "m-2", 1.0f}};
  const Status s = NormalizeMemory(&m, RepositoryOptions{});
  INFO(s.ToString());
  REQUIRE(s.ok());
  return m;
}

CommitInfo FullCommit() {
  CommitInfo c;
  c.tree = IdOf(11);
  c.parents = {IdOf(21), IdOf(31)};
  c.author = "bob";
  c.message = "merge feature\n\nwith a body";
  c.timestamp_us = -42;  // before the epoch: the zig-zag path
  c.generation = std::numeric_limits<uint64_t>::max();
  c.memory_count = 1000;
  c.added = 3;
  c.modified = 128;
  c.removed = 0x100000000ull;
  c.changed_ids = {"a", "b", std::string(130, 'c')};
  c.changed_ids_truncated = true;
  return c;
}

void CheckSameCommit(const CommitInfo& a, const CommitInfo& b) {
  CHECK(a.tree == b.tree);
  CHECK(a.parents == b.parents);
  CHECK(a.author == b.author);
  CHECK(a.message == b.message);
  CHECK(a.timestamp_us == b.timestamp_us);
  CHECK(a.generation == b.generation);
  CHECK(a.memory_count == b.memory_count);
  CHECK(a.added == b.added);
  CHECK(a.modified == b.modified);
  CHECK(a.removed == b.removed);
  CHECK(a.changed_ids == b.changed_ids);
  CHECK(a.changed_ids_truncated == b.changed_ids_truncated);
}

// Offsets of single-byte fields in FullMemory()'s encoding, laid out as docs/format.md says.
struct MemoryOffsets {
  size_t type, scope, first_relation_type;
};
MemoryOffsets OffsetsOf(const Memory& m) {
  std::string b = "B\x01";
  PutLengthPrefixed(&b, m.id);
  PutLengthPrefixed(&b, m.content);
  MemoryOffsets o;
  o.type = b.size();
  b.push_back(0);
  PutLengthPrefixed(&b, m.agent_id);
  PutLengthPrefixed(&b, m.session_id);
  PutVarint64(&b, ZigZag(m.timestamp_us));
  PutFloat(&b, m.importance);
  PutFloat(&b, m.confidence);
  PutVarint64(&b, m.tags.size());
  for (const auto& t : m.tags) PutLengthPrefixed(&b, t);
  o.scope = b.size();
  b.push_back(0);
  PutLengthPrefixed(&b, m.provenance.author);
  b.append(32, '\0');
  PutLengthPrefixed(&b, m.metadata);
  PutVarint64(&b, m.relations.size());
  o.first_relation_type = b.size();
  return o;
}

std::string WithByte(std::string bytes, size_t at, uint8_t value) {
  bytes.at(at) = static_cast<char>(value);
  return bytes;
}

}  // namespace

TEST_CASE("A memory round-trips through its encoding with every field", "[codec]") {
  const Memory m = FullMemory();
  const std::string bytes = EncodeMemory(m);
  CHECK(bytes.substr(0, 2) == std::string("B\x01"));
  auto decoded = DecodeMemory(bytes);
  INFO(decoded.status().ToString());
  REQUIRE(decoded.ok());
  const Memory& d = *decoded;
  CHECK(d.id == m.id);
  CHECK(d.content == m.content);
  CHECK(d.type == MemoryType::kProcedural);
  CHECK(d.agent_id == m.agent_id);
  CHECK(d.session_id == m.session_id);
  CHECK(d.timestamp_us == m.timestamp_us);
  CHECK(d.importance == m.importance);
  CHECK(d.confidence == m.confidence);
  CHECK(d.tags == std::vector<std::string>{"alpha", "beta"});
  CHECK(d.scope == Scope::kGlobal);
  CHECK(d.provenance.author == "alice");
  CHECK(d.provenance.content_hash == IdOf(3));
  CHECK(d.metadata == R"({"a":1,"b":[true,null]})");
  REQUIRE(d.relations.size() == 2);
  CHECK(d.relations[0] == Relation{RelationType::kBuildsOn, "m-2", 1.0f});
  CHECK(d.relations[1] == Relation{RelationType::kContradicts, "m-9", 0.5f});
  CHECK(d == m);
  CHECK(EncodeMemory(d) == bytes);
}

TEST_CASE("A default memory and one with empty strings and no tags round-trip", "[codec]") {
  Memory m;
  m.content = "x";
  REQUIRE(NormalizeMemory(&m, RepositoryOptions{}).ok());
  auto d = DecodeMemory(EncodeMemory(m));
  REQUIRE(d.ok());
  CHECK(*d == m);
  CHECK(d->id.empty());
  CHECK(d->tags.empty());
  CHECK(d->relations.empty());
  CHECK(d->metadata == "{}");
}

TEST_CASE("Every memory type, scope and relation type round-trips", "[codec]") {
  for (uint8_t t = 0; t <= 3; ++t) {
    for (uint8_t s = 0; s <= 2; ++s) {
      Memory m = FullMemory();
      m.type = static_cast<MemoryType>(t);
      m.scope = static_cast<Scope>(s);
      m.relations = {{static_cast<RelationType>(t), "target", 0.0f}};
      auto d = DecodeMemory(EncodeMemory(m));
      INFO("type " << int(t) << " scope " << int(s));
      REQUIRE(d.ok());
      CHECK(*d == m);
    }
  }
}

TEST_CASE("The embedding is not part of a memory's encoding", "[codec]") {
  Memory m = FullMemory();
  const std::string without = EncodeMemory(m);
  m.embedding = {0.1f, 0.2f, 0.3f};
  CHECK(EncodeMemory(m) == without);
  auto d = DecodeMemory(without);
  REQUIRE(d.ok());
  CHECK(d->embedding.empty());
}

TEST_CASE("Equal memories encode to equal bytes once normalised", "[codec]") {
  Memory a = FullMemory();
  Memory b;
  b.id = a.id;
  b.content = a.content;
  b.type = a.type;
  b.agent_id = a.agent_id;
  b.session_id = a.session_id;
  b.timestamp_us = a.timestamp_us;
  b.importance = a.importance;
  b.confidence = a.confidence;
  b.tags = {"alpha", "beta", "alpha", "beta"};  // another order, with duplicates
  b.scope = a.scope;
  b.provenance = a.provenance;
  b.metadata = "{ \"a\" : 1 ,\n \"b\" : [ true , null ] }";  // spaces, same object
  b.relations = {a.relations[1], a.relations[0]};            // reversed
  REQUIRE(NormalizeMemory(&b, RepositoryOptions{}).ok());
  CHECK(EncodeMemory(b) == EncodeMemory(a));

  SECTION("-0.0 encodes as 0.0") {
    Memory z = FullMemory();
    Memory nz = FullMemory();
    z.importance = 0.0f;
    nz.importance = -0.0f;
    z.relations[0].strength = 0.0f;
    nz.relations[0].strength = -0.0f;
    REQUIRE(NormalizeMemory(&z, RepositoryOptions{}).ok());
    REQUIRE(NormalizeMemory(&nz, RepositoryOptions{}).ok());
    CHECK(EncodeMemory(nz) == EncodeMemory(z));
  }
  SECTION("relations with the same target sort by type") {
    Memory x = FullMemory();
    Memory y = FullMemory();
    x.relations = {{RelationType::kReferences, "t", 1.0f}, {RelationType::kSimilar, "t", 1.0f}};
    y.relations = {{RelationType::kSimilar, "t", 1.0f}, {RelationType::kReferences, "t", 1.0f}};
    REQUIRE(NormalizeMemory(&x, RepositoryOptions{}).ok());
    REQUIRE(NormalizeMemory(&y, RepositoryOptions{}).ok());
    CHECK(EncodeMemory(x) == EncodeMemory(y));
    CHECK(x.relations[0].type == RelationType::kSimilar);
  }
}

TEST_CASE("Changing any one field of a memory changes its encoding", "[codec]") {
  const Memory base = FullMemory();
  const std::string bytes = EncodeMemory(base);
  const std::vector<std::pair<const char*, std::function<void(Memory&)>>> edits = {
      {"id", [](Memory& m) { m.id = "m-2"; }},
      {"content", [](Memory& m) { m.content = "hellO"; }},
      {"type", [](Memory& m) { m.type = MemoryType::kState; }},
      {"agent_id", [](Memory& m) { m.agent_id = "agent-8"; }},
      {"session_id", [](Memory& m) { m.session_id = ""; }},
      {"timestamp", [](Memory& m) { m.timestamp_us += 1; }},
      {"importance", [](Memory& m) { m.importance = 0.5f; }},
      {"confidence", [](Memory& m) { m.confidence = 1.0f; }},
      {"tags", [](Memory& m) { m.tags.push_back("gamma"); }},
      {"scope", [](Memory& m) { m.scope = Scope::kPrivate; }},
      {"author", [](Memory& m) { m.provenance.author = "alicE"; }},
      {"content_hash", [](Memory& m) { m.provenance.content_hash.bytes[31] ^= 1; }},
      {"metadata", [](Memory& m) { m.metadata = R"({"a":2,"b":[true,null]})"; }},
      {"relation type", [](Memory& m) { m.relations[0].type = RelationType::kSimilar; }},
      {"relation target", [](Memory& m) { m.relations[0].target_id = "m-3"; }},
      {"relation strength", [](Memory& m) { m.relations[0].strength = 0.9f; }},
      {"relations", [](Memory& m) { m.relations.pop_back(); }},
  };
  for (const auto& [what, edit] : edits) {
    INFO(what);
    Memory m = base;
    edit(m);
    const std::string changed = EncodeMemory(m);
    CHECK(changed != bytes);
    auto d = DecodeMemory(changed);
    REQUIRE(d.ok());
    CHECK(*d == m);
  }
}

TEST_CASE("A commit round-trips through its encoding with every field", "[codec]") {
  CommitInfo c = FullCommit();
  c.id = IdOf(99);
  const std::string bytes = EncodeCommit(c);
  CHECK(bytes.substr(0, 2) == std::string("C\x01"));
  auto d = DecodeCommit(bytes);
  INFO(d.status().ToString());
  REQUIRE(d.ok());
  CheckSameCommit(*d, c);
  CHECK(d->id.is_zero());  // the caller sets it
  CHECK(EncodeCommit(*d) == bytes);

  SECTION("the id is not encoded") {
    CommitInfo other = c;
    other.id = IdOf(1);
    CHECK(EncodeCommit(other) == bytes);
  }
  SECTION("a root commit with empty fields") {
    CommitInfo root;
    root.tree = IdOf(5);
    root.generation = 1;
    auto r = DecodeCommit(EncodeCommit(root));
    REQUIRE(r.ok());
    CheckSameCommit(*r, root);
    CHECK(r->parents.empty());
    CHECK_FALSE(r->changed_ids_truncated);
  }
  SECTION("the extremes of the timestamp") {
    for (int64_t ts : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max(), int64_t{0}}) {
      CommitInfo x = c;
      x.timestamp_us = ts;
      auto r = DecodeCommit(EncodeCommit(x));
      REQUIRE(r.ok());
      CHECK(r->timestamp_us == ts);
    }
  }
  SECTION("parent order is kept") {
    CommitInfo swapped = c;
    std::swap(swapped.parents[0], swapped.parents[1]);
    CHECK(EncodeCommit(swapped) != bytes);
    auto r = DecodeCommit(EncodeCommit(swapped));
    REQUIRE(r.ok());
    CHECK(r->parents == swapped.parents);
  }
}

TEST_CASE("ObjectTypeOf reads the type tag", "[codec]") {
  auto type_of = [](std::string_view bytes) {
    auto r = ObjectTypeOf(bytes);
    INFO(r.status().ToString());
    REQUIRE(r.ok());
    return *r;
  };
  CHECK(type_of(EncodeMemory(FullMemory())) == ObjectType::kBlob);
  CHECK(type_of(EncodeCommit(FullCommit())) == ObjectType::kCommit);
  CHECK(type_of(std::string("T\x01\x00\x00", 4)) == ObjectType::kTree);  // the empty tree

  for (std::string_view bad : {std::string_view(""), std::string_view("B"), std::string_view("X\x01"),
                               std::string_view("b\x01"), std::string_view("\0\x01", 2)}) {
    INFO("bytes '" << std::string(bad) << "'");
    auto r = ObjectTypeOf(bad);
    CHECK(r.status().IsCorruption());
  }
}

TEST_CASE("Decoding refuses every strict prefix of an encoding", "[codec]") {
  const std::string memory = EncodeMemory(FullMemory());
  for (size_t n = 0; n < memory.size(); ++n) {
    INFO("memory prefix of " << n << " of " << memory.size() << " bytes");
    // A copy of just the prefix: a sanitizer build catches any read past its end.
    const std::string prefix = memory.substr(0, n);
    CHECK(DecodeMemory(prefix).status().IsCorruption());
  }
  const std::string commit = EncodeCommit(FullCommit());
  for (size_t n = 0; n < commit.size(); ++n) {
    INFO("commit prefix of " << n << " of " << commit.size() << " bytes");
    const std::string prefix = commit.substr(0, n);
    CHECK(DecodeCommit(prefix).status().IsCorruption());
  }
}

TEST_CASE("Decoding refuses a wrong type tag, version or trailing bytes", "[codec]") {
  const std::string memory = EncodeMemory(FullMemory());
  const std::string commit = EncodeCommit(FullCommit());

  SECTION("type tag") {
    for (uint8_t tag : {uint8_t('C'), uint8_t('T'), uint8_t('b'), uint8_t(0), uint8_t(0xff)}) {
      INFO("tag " << int(tag));
      CHECK(DecodeMemory(WithByte(memory, 0, tag)).status().IsCorruption());
    }
    for (uint8_t tag : {uint8_t('B'), uint8_t('T'), uint8_t('c'), uint8_t(0), uint8_t(0xff)}) {
      INFO("tag " << int(tag));
      CHECK(DecodeCommit(WithByte(commit, 0, tag)).status().IsCorruption());
    }
    // Each decoder refuses the other's object.
    CHECK(DecodeMemory(commit).status().IsCorruption());
    CHECK(DecodeCommit(memory).status().IsCorruption());
  }
  SECTION("version") {
    for (uint8_t version : {uint8_t(0), uint8_t(2), uint8_t(0x81), uint8_t(0xff)}) {
      INFO("version " << int(version));
      CHECK(DecodeMemory(WithByte(memory, 1, version)).status().IsCorruption());
      CHECK(DecodeCommit(WithByte(commit, 1, version)).status().IsCorruption());
    }
  }
  SECTION("trailing bytes") {
    for (const std::string tail : {std::string(1, '\0'), std::string("x"), std::string(40, '\xff')}) {
      INFO("tail of " << tail.size() << " bytes");
      CHECK(DecodeMemory(memory + tail).status().IsCorruption());
      CHECK(DecodeCommit(commit + tail).status().IsCorruption());
    }
  }
}

TEST_CASE("Decoding refuses out-of-range fields and impossible counts", "[codec]") {
  const Memory m = FullMemory();
  const std::string memory = EncodeMemory(m);
  const MemoryOffsets at = OffsetsOf(m);
  REQUIRE(static_cast<uint8_t>(memory[at.type]) == 2);
  REQUIRE(static_cast<uint8_t>(memory[at.scope]) == 2);
  REQUIRE(static_cast<uint8_t>(memory[at.first_relation_type]) == 2);  // builds_on sorts first

  CHECK(DecodeMemory(WithByte(memory, at.type, 4)).status().IsCorruption());
  CHECK(DecodeMemory(WithByte(memory, at.type, 0xff)).status().IsCorruption());
  CHECK(DecodeMemory(WithByte(memory, at.scope, 3)).status().IsCorruption());
  CHECK(DecodeMemory(WithByte(memory, at.scope, 0x80)).status().IsCorruption());
  CHECK(DecodeMemory(WithByte(memory, at.first_relation_type, 4)).status().IsCorruption());
  // The id's length byte turned into a varint running into the id: far past the end.
  CHECK(DecodeMemory(WithByte(memory, 2, 0xff)).status().IsCorruption());

  const std::string commit = EncodeCommit(FullCommit());
  // The summary flag is the last byte: 0 or 1 only.
  CHECK(DecodeCommit(WithByte(commit, commit.size() - 1, 2)).status().IsCorruption());
  CHECK(DecodeCommit(WithByte(commit, commit.size() - 1, 0)).ok());
  // The parent count follows the tree id: 127 parents cannot fit.
  REQUIRE(static_cast<uint8_t>(commit[2 + 32]) == 2);
  CHECK(DecodeCommit(WithByte(commit, 2 + 32, 0x7f)).status().IsCorruption());

  SECTION("counts far beyond the record") {
    std::string b = "B\x01";
    PutLengthPrefixed(&b, "id");
    PutLengthPrefixed(&b, "c");
    b.push_back(1);
    PutLengthPrefixed(&b, "");
    PutLengthPrefixed(&b, "");
    PutVarint64(&b, 0);
    PutFloat(&b, 0.5f);
    PutFloat(&b, 1.0f);
    PutVarint64(&b, std::numeric_limits<uint64_t>::max());  // tags
    CHECK(DecodeMemory(b).status().IsCorruption());

    std::string c = "C\x01";
    c.append(32, '\0');
    PutVarint64(&c, uint64_t{1} << 60);  // parents
    CHECK(DecodeCommit(c).status().IsCorruption());
  }
}

TEST_CASE("Single-byte corruptions decode to a value or Corruption, never worse", "[codec]") {
  // Not every corruption is detectable (a changed content byte is another valid record);
  // the promise is no crash, no exception and no read past the end (sanitizer builds).
  const std::string memory = EncodeMemory(FullMemory());
  const std::string commit = EncodeCommit(FullCommit());
  size_t memory_refused = 0, commit_refused = 0;
  for (size_t i = 0; i < memory.size(); ++i) {
    for (uint8_t v : {uint8_t(0x00), uint8_t(0x7f), uint8_t(0x80), uint8_t(0xff),
                      uint8_t(static_cast<uint8_t>(memory[i]) ^ 0x01)}) {
      auto r = DecodeMemory(WithByte(memory, i, v));
      INFO("memory byte " << i << " := " << int(v) << ": " << r.status().ToString());
      CHECK((r.ok() || r.status().IsCorruption()));
      memory_refused += !r.ok();
    }
  }
  for (size_t i = 0; i < commit.size(); ++i) {
    for (uint8_t v : {uint8_t(0x00), uint8_t(0x7f), uint8_t(0x80), uint8_t(0xff),
                      uint8_t(static_cast<uint8_t>(commit[i]) ^ 0x01)}) {
      auto r = DecodeCommit(WithByte(commit, i, v));
      INFO("commit byte " << i << " := " << int(v) << ": " << r.status().ToString());
      CHECK((r.ok() || r.status().IsCorruption()));
      commit_refused += !r.ok();
    }
  }
  CHECK(memory_refused > 0);
  CHECK(commit_refused > 0);
}
