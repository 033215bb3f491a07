// The three-way differ: which of theirs' changes become edits of ours, which are dropped
// because ours already has them, and which conflict, with their kinds.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "tree/prolly_tree.h"
#include "tree/test_nodes.h"
#include "tree/three_way_differ.h"
#include "util/hash.h"

using namespace gitmem;
using namespace gitmem::tree;
using gitmem::tree::testing::MemNodes;

namespace {

ObjectId V(const std::string& s) { return Sha256(s); }

// A base of 200 keys (several nodes, so changes land in different subtrees), and the
// tree that `edits` (sorted by key) make of it.
class Trees {
 public:
  Trees() {
    std::vector<Edit> entries;
    for (int i = 0; i < 200; ++i) {
      const std::string key = "k" + std::to_string(1000 + i);
      entries.push_back({key, V(key)});
    }
    auto r = ApplyEdits(nodes, &nodes, EmptyTreeId(), entries);
    REQUIRE(r.ok());
    base = r->root;
  }
  ObjectId With(const std::vector<Edit>& edits) {
    auto r = ApplyEdits(nodes, &nodes, base, edits);
    REQUIRE(r.ok());
    return r->root;
  }
  ThreeWayDiff Diff(const ObjectId& ours, const ObjectId& theirs) {
    auto r = DiffThreeWay(nodes, base, ours, theirs);
    REQUIRE(r.ok());
    return std::move(r).value();
  }

  MemNodes nodes;
  ObjectId base;
};

}  // namespace

TEST_CASE("three-way differ: only ours changed", "[tree]") {
  Trees t;
  const ObjectId ours = t.With({{"k1005", V("ours")}, {"k1100", std::nullopt}, {"k9999", V("new")}});
  ThreeWayDiff d = t.Diff(ours, t.base);
  CHECK(d.edits.empty());  // ours' tree already holds its own changes
  CHECK(d.conflicts.empty());
}

TEST_CASE("three-way differ: only theirs changed", "[tree]") {
  Trees t;
  const ObjectId theirs = t.With({{"k1005", V("theirs")}, {"k1100", std::nullopt}, {"k9999", V("new")}});
  ThreeWayDiff d = t.Diff(t.base, theirs);
  REQUIRE(d.edits.size() == 3);
  CHECK(d.edits[0].key == "k1005");
  CHECK(d.edits[0].value == V("theirs"));
  CHECK(d.edits[1].key == "k1100");
  CHECK(!d.edits[1].value);
  CHECK(d.edits[2].key == "k9999");
  CHECK(d.edits[2].value == V("new"));
  CHECK(d.conflicts.empty());
}

TEST_CASE("three-way differ: both sides made the same change", "[tree]") {
  Trees t;
  const std::vector<Edit> same = {{"k1005", V("same")}, {"k1100", std::nullopt}, {"k9999", V("new")}};
  ThreeWayDiff d = t.Diff(t.With(same), t.With(same));
  CHECK(d.edits.empty());
  CHECK(d.conflicts.empty());
}

TEST_CASE("three-way differ: different changes of one key conflict", "[tree]") {
  Trees t;
  const ObjectId ours = t.With({{"k1005", V("ours")}, {"k1010", V("ours only")}, {"k9999", V("ours new")}});
  const ObjectId theirs = t.With({{"k1005", V("theirs")}, {"k1150", V("theirs only")}, {"k9999", V("theirs new")}});
  ThreeWayDiff d = t.Diff(ours, theirs);
  REQUIRE(d.edits.size() == 1);  // theirs' change of a key ours left alone
  CHECK(d.edits[0].key == "k1150");
  REQUIRE(d.conflicts.size() == 2);
  const ThreeWayConflict& modified = d.conflicts[0];
  CHECK(modified.key == "k1005");
  CHECK(modified.base == V("k1005"));
  CHECK(modified.ours == V("ours"));
  CHECK(modified.theirs == V("theirs"));
  CHECK(modified.kind() == ThreeWayConflict::Kind::kBothModified);
  const ThreeWayConflict& added = d.conflicts[1];  // added on both sides, differently
  CHECK(added.key == "k9999");
  CHECK(!added.base);
  CHECK(added.kind() == ThreeWayConflict::Kind::kBothModified);
}

TEST_CASE("three-way differ: delete against modify", "[tree]") {
  Trees t;
  const ObjectId ours = t.With({{"k1005", std::nullopt}, {"k1100", V("ours")}});
  const ObjectId theirs = t.With({{"k1005", V("theirs")}, {"k1100", std::nullopt}});
  ThreeWayDiff d = t.Diff(ours, theirs);
  CHECK(d.edits.empty());
  REQUIRE(d.conflicts.size() == 2);
  CHECK(d.conflicts[0].key == "k1005");
  CHECK(!d.conflicts[0].ours);
  CHECK(d.conflicts[0].theirs == V("theirs"));
  CHECK(d.conflicts[0].kind() == ThreeWayConflict::Kind::kDeletedModified);
  CHECK(d.conflicts[1].key == "k1100");
  CHECK(d.conflicts[1].ours == V("ours"));
  CHECK(!d.conflicts[1].theirs);
  CHECK(d.conflicts[1].kind() == ThreeWayConflict::Kind::kModifiedDeleted);
}
