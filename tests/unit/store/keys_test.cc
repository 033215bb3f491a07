// The key module: every Make round-trips through its Parse, prefixes are prefixes of the
// keys they cover, numeric parts sort in numeric order, and malformed keys are rejected.
#include <catch2/catch.hpp>

#include <string>

#include "store/keys.h"
#include "util/hash.h"

using namespace gitmem;
using namespace std::string_literals;

namespace {

ObjectId Id(std::string_view seed) { return Sha256(seed); }

// An id whose bytes hold \0 and the separator-like bytes parsers must not trip over.
ObjectId AwkwardId() {
  ObjectId id;
  for (size_t i = 0; i < id.bytes.size(); ++i) id.bytes[i] = static_cast<uint8_t>(i % 3 == 0 ? 0 : i);
  return id;
}

}  // namespace

TEST_CASE("keys: object keys are the id's 32 bytes", "[keys]") {
  const ObjectId id = Id("x");
  auto parsed = keys::ParseObjectKey(IdView(id));
  REQUIRE(parsed);
  CHECK(*parsed == id);
  CHECK_FALSE(keys::ParseObjectKey("short"));
  CHECK_FALSE(keys::ParseObjectKey(std::string(33, 'a')));
}

TEST_CASE("keys: refs round-trip and name their parts", "[keys]") {
  const std::string k = keys::RefKey("acme/agent", keys::BranchRef("feature/x"));
  auto p = keys::ParseRefKey(k);
  REQUIRE(p);
  CHECK(p->repo == "acme/agent");
  CHECK(p->ref == "refs/heads/feature/x");
  CHECK(keys::ParseBranchRef(p->ref) == std::optional<std::string_view>("feature/x"));
  CHECK_FALSE(keys::ParseTagRef(p->ref));
  CHECK(keys::ParseTagRef(keys::TagRef("v1")) == std::optional<std::string_view>("v1"));
  CHECK(k.starts_with(keys::RefPrefix("acme/agent")));
  CHECK(k.starts_with(keys::RefPrefix("acme/agent", keys::kHeadsPrefix)));
  CHECK_FALSE(k.starts_with(keys::RefPrefix("acme/agent", keys::kTagsPrefix)));
  // A repository whose name extends another's is not under the other's prefix.
  CHECK_FALSE(keys::RefKey("acme/agent2", "HEAD").starts_with(keys::RefPrefix("acme/agent")));

  CHECK(keys::ParseSymbolicRef(keys::SymbolicRef("main")) == std::optional<std::string_view>("main"));
  CHECK_FALSE(keys::ParseSymbolicRef("ref: refs/tags/v1"));
  CHECK_FALSE(keys::ParseSymbolicRef(IdView(Id("c"))));

  CHECK_FALSE(keys::ParseRefKey("no-separator"));
  CHECK_FALSE(keys::ParseRefKey("\0HEAD"s));
  CHECK_FALSE(keys::ParseRefKey("repo\0"s));
  CHECK_FALSE(keys::ParseBranchRef("refs/heads/"));
}

TEST_CASE("keys: repository records", "[keys]") {
  const std::string k = keys::RepoMetaKey("acme/agent");
  CHECK(k == "repo\0acme/agent"s);  // docs/format.md
  CHECK(k.starts_with(keys::RepoMetaPrefix()));
  CHECK(keys::ParseRepoMetaKey(k) == std::optional<std::string_view>("acme/agent"));
  CHECK_FALSE(keys::ParseRepoMetaKey("repo\0"s));
  CHECK_FALSE(keys::ParseRepoMetaKey("other\0acme/agent"s));
  CHECK_FALSE(keys::ParseRepoMetaKey("repo"));
}

TEST_CASE("keys: staging keys and values", "[keys]") {
  const std::string k = keys::StagingKey("acme/agent", "main", 0x0102, "mem-1");
  CHECK(k == "acme/agent\0main\0\0\0\0\0\0\0\x01\x02mem-1"s);  // docs/format.md
  CHECK(k.starts_with(keys::StagingPrefix("acme/agent", "main", 0x0102)));
  CHECK(k.starts_with(keys::StagingGenerationKey("acme/agent", "main")));
  CHECK(k.starts_with(keys::StagingRepoPrefix("acme/agent")));
  CHECK_FALSE(k.starts_with(keys::StagingPrefix("acme/agent", "main", 0x0101)));
  CHECK_FALSE(
      keys::StagingKey("acme/agent", "main2", 0, "m").starts_with(keys::StagingGenerationKey("acme/agent", "main")));
  // Every key of a generation sorts before every key of the next one.
  CHECK(keys::StagingKey("r", "b", 1, "\xff\xff") < keys::StagingPrefix("r", "b", 2));
  CHECK(keys::StagingKey("r", "b", 255, "z") < keys::StagingPrefix("r", "b", 256));
  auto p = keys::ParseStagingKey(k);
  REQUIRE(p);
  CHECK(p->repo == "acme/agent");
  CHECK(p->branch == "main");
  CHECK(p->generation == std::optional<uint64_t>(0x0102));
  CHECK(p->id == "mem-1");

  const std::string record_key = keys::StagingGenerationKey("acme/agent", "main");
  auto record = keys::ParseStagingKey(record_key);
  REQUIRE(record);
  CHECK(record->branch == "main");
  CHECK_FALSE(record->generation);
  CHECK(keys::ParseStagingGenerationValue(keys::StagingGenerationValue(7)) == std::optional<uint64_t>(7));
  CHECK_FALSE(keys::ParseStagingGenerationValue("1234567"));

  CHECK_FALSE(keys::ParseStagingKey("acme/agent\0main"s));
  CHECK_FALSE(keys::ParseStagingKey("\0main\0"s));
  CHECK_FALSE(keys::ParseStagingKey(keys::StagingPrefix("r", "b", 3)));  // no id
  // The layout of store format 1 is not an entry of this one, and only its own parser reads it.
  const std::string v1 = "acme/agent\0main\0mem-1"s;
  CHECK_FALSE(keys::ParseStagingKey(v1));
  auto old = keys::ParseFormat1StagingKey(v1);
  REQUIRE(old);
  CHECK(old->branch == "main");
  CHECK(old->id == "mem-1");
  CHECK_FALSE(keys::ParseFormat1StagingKey(k));

  const ObjectId blob = AwkwardId();
  auto put = keys::ParseStagedValue(keys::StagedPutValue(blob));
  REQUIRE(put);
  REQUIRE(*put);
  CHECK(**put == blob);
  auto del = keys::ParseStagedValue(keys::StagedDeleteValue());
  REQUIRE(del);
  CHECK_FALSE(*del);
  CHECK_FALSE(keys::ParseStagedValue(""));
  CHECK_FALSE(keys::ParseStagedValue("X"));
  CHECK_FALSE(keys::ParseStagedValue("P" + std::string(31, 'a')));
  CHECK_FALSE(keys::ParseStagedValue("DD"));
}

TEST_CASE("keys: session keys sort by time and round-trip", "[keys]") {
  const ObjectId blob = AwkwardId();
  for (int64_t ts : {int64_t{0}, int64_t{1}, int64_t{1700000000000000}, INT64_MAX}) {
    const std::string k = keys::SessionKey("s1", ts, blob, "mem\0ory"s);
    CHECK(k.starts_with(keys::SessionPrefix("s1")));
    auto p = keys::ParseSessionKey(k);
    REQUIRE(p);
    CHECK(p->session_id == "s1");
    CHECK(p->timestamp_us == ts);
    CHECK(p->blob == blob);
    CHECK(p->memory_id == "mem\0ory"s);
  }
  // Big-endian timestamps: byte order is time order.
  CHECK(keys::SessionKey("s", 255, blob, "z") < keys::SessionKey("s", 256, blob, "a"));
  CHECK(keys::SessionKey("s", 1, blob, "z") < keys::SessionKey("s", 1000000, blob, "a"));
  CHECK_FALSE(keys::ParseSessionKey("s1"));
  CHECK_FALSE(keys::ParseSessionKey("s1\0"s + std::string(8 + 32, 'x')));  // no memory id
  CHECK_FALSE(keys::ParseSessionKey("s1\0"s + std::string(20, 'x')));
  CHECK_FALSE(keys::ParseSessionKey("\0"s + std::string(8 + 32 + 1, 'x')));
}

TEST_CASE("keys: vector keys round-trip with any hash bytes", "[keys]") {
  const ObjectId h = AwkwardId();
  const std::string k = keys::VectorKey("gitmem-hash-v1/384", h);
  auto p = keys::ParseVectorKey(k);
  REQUIRE(p);
  CHECK(p->embedder_id == "gitmem-hash-v1/384");
  CHECK(p->content_hash == h);
  CHECK_FALSE(keys::ParseVectorKey(IdView(h)));
  CHECK_FALSE(keys::ParseVectorKey("e" + std::string(IdView(h))));  // no separator
  CHECK_FALSE(keys::ParseVectorKey("a\0b\0"s + std::string(IdView(h))));
}

TEST_CASE("keys: index keys of every kind round-trip", "[keys]") {
  const ObjectId tree = AwkwardId();
  SECTION("segment chunks") {
    for (auto kind : {keys::SegmentKind::kVector, keys::SegmentKind::kKeyword}) {
      for (uint32_t chunk : {0u, 1u, 255u, 256u, UINT32_MAX}) {
        const std::string k = keys::SegmentChunkKey(kind, "0123abcd", chunk);
        CHECK(k.starts_with(keys::SegmentChunkPrefix(kind, "0123abcd")));
        CHECK(k.starts_with(keys::IndexKindPrefix(keys::IndexKeyKind::kSegment)));
        auto p = keys::ParseSegmentChunkKey(k);
        REQUIRE(p);
        CHECK(p->kind == kind);
        CHECK(p->segment_key == "0123abcd");
        CHECK(p->chunk == chunk);
      }
    }
    CHECK(keys::SegmentChunkKey(keys::SegmentKind::kKeyword, "k", 255) <
          keys::SegmentChunkKey(keys::SegmentKind::kKeyword, "k", 256));
    CHECK_FALSE(keys::ParseSegmentChunkKey("sv"));
    CHECK_FALSE(keys::ParseSegmentChunkKey("sxkey\0\0\0\0"s));  // unknown kind
    CHECK_FALSE(keys::ParseSegmentChunkKey("mvkey\0\0\0\0"s));  // not a segment key
  }
  SECTION("manifests") {
    const std::string k = keys::IndexManifestKey("emb", tree);
    auto p = keys::ParseIndexManifestKey(k);
    REQUIRE(p);
    CHECK(p->embedder_id == "emb");
    CHECK(p->tree == tree);
    CHECK(k.starts_with(keys::IndexKindPrefix(keys::IndexKeyKind::kManifest)));
    CHECK_FALSE(keys::ParseIndexManifestKey("m"));
    CHECK_FALSE(keys::ParseIndexManifestKey("b" + k.substr(1)));
  }
  SECTION("branch pointers") {
    const std::string k = keys::IndexBranchKey("acme/agent", "main");
    CHECK(k.starts_with(keys::IndexBranchPrefix("acme/agent")));
    CHECK_FALSE(keys::IndexBranchKey("acme/agent2", "main").starts_with(keys::IndexBranchPrefix("acme/agent")));
    auto p = keys::ParseIndexBranchKey(k);
    REQUIRE(p);
    CHECK(p->repo == "acme/agent");
    CHECK(p->branch == "main");
    CHECK_FALSE(keys::ParseIndexBranchKey("bacme/agent"));
    CHECK_FALSE(keys::ParseIndexBranchKey("bacme/agent\0"s));
    CHECK_FALSE(keys::ParseIndexBranchKey("macme/agent\0main"s));
  }
  SECTION("doc numbers") {
    for (uint64_t doc : {uint64_t{0}, uint64_t{1}, uint64_t{0x0102030405060708}, UINT64_MAX}) {
      auto p = keys::ParseDocKey(keys::DocKey(doc));
      REQUIRE(p);
      CHECK(*p == doc);
    }
    CHECK(keys::DocKey(255) < keys::DocKey(256));
    CHECK_FALSE(keys::ParseDocKey("d1234567"));
    CHECK_FALSE(keys::ParseDocKey("x12345678"));
  }
}

TEST_CASE("keys: segment file names", "[keys]") {
  CHECK(keys::SegmentDir("/tmp/store") == "/tmp/store/search-segments");
  const std::string name = keys::SegmentFileName("0a1b");
  CHECK(name == "0a1b.gmvs");
  CHECK(keys::ParseSegmentFileName(name) == std::optional<std::string_view>("0a1b"));
  CHECK_FALSE(keys::ParseSegmentFileName(".gmvs"));
  CHECK_FALSE(keys::ParseSegmentFileName("0a1b.gmvs.tmp"));
  CHECK_FALSE(keys::ParseSegmentFileName("0a1b"));
}
