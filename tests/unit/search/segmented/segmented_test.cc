// The segmented-index mechanism both indexes share: size tiers, the compaction plan, and
// the index bytes' header, compaction options and part list.
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

#include "search/segmented/body.h"
#include "search/segmented/compaction.h"
#include "test_util.h"

using namespace gitmem;
using namespace gitmem::segmented;

namespace {

struct FakeSegment {
  size_t n;
  size_t size() const { return n; }
};
struct Part {
  std::shared_ptr<const FakeSegment> segment;
  std::shared_ptr<const Tombstones> dead;
  size_t live() const { return segment->size() - (dead ? dead->count : 0); }
};

const BodyFormat kFormat{"TEST", 1, "test index"};

}  // namespace

TEST_CASE("tiers grow by the merge factor above delta_max", "[search][segmented]") {
  CHECK(Tier(0, 100, 4) == 0);
  CHECK(Tier(100, 100, 4) == 0);
  CHECK(Tier(101, 100, 4) == 1);
  CHECK(Tier(400, 100, 4) == 1);
  CHECK(Tier(401, 100, 4) == 2);
}

TEST_CASE("compaction merges a full tier and flushes a full delta", "[search][segmented]") {
  CompactionPolicy policy{10, 0.5, 3};
  std::vector<Part> parts;
  for (int i = 0; i < 3; ++i) parts.push_back({std::make_shared<FakeSegment>(FakeSegment{5}), nullptr});
  CHECK(NeedsCompaction(parts, 0, policy));
  std::vector<std::pair<std::vector<size_t>, bool>> calls;
  auto merge = [&](const std::vector<size_t>& which, bool with_delta) {
    calls.emplace_back(which, with_delta);
    size_t n = 0;
    for (size_t w : which) n += parts[w].live();
    ReplaceParts(&parts, which, std::make_shared<const FakeSegment>(FakeSegment{n + (with_delta ? 11 : 0)}));
    return Status::Ok();
  };
  REQUIRE_OK(Compact(parts, 10, policy, false, merge));
  REQUIRE(calls.size() == 2);
  CHECK(calls[0] == std::make_pair(std::vector<size_t>{}, true));  // the delta first
  CHECK(calls[1].second == false);
  CHECK(calls[1].first.size() == 3);  // then the three tier-0 segments
  REQUIRE(parts.size() == 2);
  CHECK_FALSE(NeedsCompaction(parts, 0, policy));
}

TEST_CASE("index bytes: header, compaction options and parts round-trip", "[search][segmented]") {
  std::string out;
  PutBodyHeader(&out, kFormat, false);
  PutCompactionOptions(&out, {7, 0.25, 5}, true);
  PutVarint64(&out, 2);
  auto t = std::make_shared<Tombstones>();
  t->bits = {0b101};
  t->count = 2;
  PutPart(&out, "seg-a", t.get());
  PutPart(&out, "seg-b", nullptr);

  std::string_view in = out;
  CHECK(GetBodyHeader(&in, kFormat, true).IsCorruption());  // a manifest, not inline
  in = out;
  REQUIRE_OK(GetBodyHeader(&in, kFormat, false));
  CompactionPolicy policy;
  bool auto_compact = false;
  REQUIRE(GetCompactionOptions(&in, &policy, &auto_compact));
  CHECK(policy.delta_max == 7);
  CHECK(policy.tombstone_max_fraction == 0.25);
  CHECK(policy.merge_factor == 5);
  CHECK(auto_compact);
  std::vector<std::string> names;
  auto load = [&](std::string_view name) -> Result<std::shared_ptr<const FakeSegment>> {
    names.emplace_back(name);
    return std::make_shared<const FakeSegment>(FakeSegment{3});
  };
  size_t bookkept = 0;
  std::vector<Part> parts;
  REQUIRE_OK(GetParts(
      &in, kFormat, load, [&](Tombstones&, const FakeSegment&) { ++bookkept; }, &parts));
  CHECK(in.empty());
  CHECK(names == std::vector<std::string>{"seg-a", "seg-b"});
  REQUIRE(parts.size() == 2);
  REQUIRE(parts[0].dead);
  CHECK(parts[0].dead->count == 2);
  CHECK(parts[0].live() == 1);
  CHECK_FALSE(parts[1].dead);
  CHECK(bookkept == 1);
}

TEST_CASE("index bytes: malformed input is corruption naming the index", "[search][segmented]") {
  std::string_view bad = "XXXX";
  Status s = GetBodyHeader(&bad, kFormat, true);
  CHECK(s.IsCorruption());
  CHECK(s.message() == "test index: bad magic");
  // A tombstone bit past the segment's end.
  std::string out;
  PutVarint64(&out, 1);
  auto t = std::make_shared<Tombstones>();
  t->bits = {0b1000};
  t->count = 1;
  PutPart(&out, "seg", t.get());
  std::string_view in = out;
  std::vector<Part> parts;
  auto load = [](std::string_view) -> Result<std::shared_ptr<const FakeSegment>> {
    return std::make_shared<const FakeSegment>(FakeSegment{3});
  };
  s = GetParts(
      &in, kFormat, load, [](Tombstones&, const FakeSegment&) {}, &parts);
  CHECK(s.message() == "test index: tombstone count mismatch");
}
