// Prolly tree: determinism under any write order, edits against rebuilds, lookups,
// positions, diff, and the O(k log N) cost of edits.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <random>
#include <set>

#include "tree/node_cache.h"
#include "tree/prolly_tree.h"
#include "util/hash.h"

using namespace gitmem;
using namespace gitmem::tree;

namespace {

// An in-memory node store that also counts what each operation wrote.
class MemStore final : public NodeSource, public NodeSink {
 public:
  Result<NodePtr> Load(const ObjectId& id) const override {
    auto it = nodes_.find(id);
    if (it == nodes_.end()) return Status::Corruption("missing node");
    return it->second;
  }
  void Store(const ObjectId& id, std::string bytes, NodePtr node) override {
    REQUIRE(Sha256(bytes) == id);
    written_bytes += bytes.size();
    ++written_nodes;
    nodes_[id] = std::move(node);
  }
  size_t written_bytes = 0, written_nodes = 0;

 private:
  std::map<ObjectId, NodePtr> nodes_;
};

ObjectId ValueFor(const std::string& key, int version = 0) { return Sha256(key + "#" + std::to_string(version)); }

std::string Key(int i) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "mem-%08d", i);
  return buf;
}

ObjectId Build(MemStore& s, const std::map<std::string, ObjectId>& m) {
  std::vector<Entry> es;
  for (auto& [k, v] : m) es.push_back({k, v, 1});
  auto r = BuildTree(es, &s);
  REQUIRE(r.ok());
  return *r;
}

ObjectId ApplyAll(MemStore& s, ObjectId root, std::vector<Edit> edits) {
  std::sort(edits.begin(), edits.end(), [](auto& a, auto& b) { return a.key < b.key; });
  auto r = ApplyEdits(s, &s, root, edits);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return r->root;
}

std::map<std::string, ObjectId> ReadAll(MemStore& s, ObjectId root) {
  std::map<std::string, ObjectId> out;
  Cursor c(s, root);
  REQUIRE(c.SeekFirst().ok());
  while (c.Valid()) {
    out[c.entry().key] = c.entry().ref;
    REQUIRE(c.Next().ok());
  }
  return out;
}

}  // namespace

TEST_CASE("empty tree is an empty leaf with a fixed id", "[tree]") {
  MemStore s;
  auto r = BuildTree({}, &s);
  REQUIRE(r.ok());
  CHECK(*r == EmptyTreeId());
  CHECK(*CountEntries(s, *r) == 0);
}

TEST_CASE("the same set gives the same root whatever the order of writes", "[tree][property]") {
  std::mt19937 rng(42);
  for (int trial = 0; trial < 25; ++trial) {
    const int n = 200 + static_cast<int>(rng() % 3000);
    std::map<std::string, ObjectId> target;
    std::vector<std::string> keys;
    for (int i = 0; i < n; ++i) {
      std::string k = Key(static_cast<int>(rng() % 1000000));
      if (target.emplace(k, ValueFor(k)).second) keys.push_back(k);
    }
    MemStore s;
    const ObjectId expected = Build(s, target);

    // Insert in a random order, in random batch sizes, with decoys inserted and removed
    // and values overwritten on the way.
    std::shuffle(keys.begin(), keys.end(), rng);
    ObjectId root = EmptyTreeId();
    REQUIRE(BuildTree({}, &s).ok());
    size_t pos = 0;
    while (pos < keys.size()) {
      const size_t batch = 1 + rng() % 300;
      std::map<std::string, std::optional<ObjectId>> edits;
      for (size_t j = 0; j < batch && pos < keys.size(); ++j, ++pos)
        edits[keys[pos]] = ValueFor(keys[pos], rng() % 2 ? 0 : 7);
      for (int d = 0; d < 5; ++d) edits["decoy-" + std::to_string(rng() % 50)] = ValueFor("decoy");
      std::vector<Edit> ev;
      for (auto& [k, v] : edits) ev.push_back({k, v});
      root = ApplyAll(s, root, ev);
    }
    // Fix the overwritten values and drop the decoys.
    std::vector<Edit> fix;
    for (auto& [k, v] : target) fix.push_back({k, v});
    for (int d = 0; d < 50; ++d) fix.push_back({"decoy-" + std::to_string(d), std::nullopt});
    root = ApplyAll(s, root, fix);
    CHECK(root == expected);
    CHECK(ReadAll(s, root) == target);
  }
}

TEST_CASE("deleting everything returns the empty tree; shrinking collapses the root", "[tree]") {
  MemStore s;
  std::map<std::string, ObjectId> m;
  for (int i = 0; i < 5000; ++i) m[Key(i)] = ValueFor(Key(i));
  ObjectId root = Build(s, m);
  std::vector<Edit> del;
  for (int i = 0; i < 4990; ++i) del.push_back({Key(i), std::nullopt});
  root = ApplyAll(s, root, del);
  std::map<std::string, ObjectId> rest;
  for (int i = 4990; i < 5000; ++i) rest[Key(i)] = ValueFor(Key(i));
  CHECK(root == Build(s, rest));
  std::vector<Edit> del2;
  for (int i = 4990; i < 5000; ++i) del2.push_back({Key(i), std::nullopt});
  CHECK(ApplyAll(s, root, del2) == EmptyTreeId());
}

TEST_CASE("lookup, rank and seek by position", "[tree]") {
  MemStore s;
  std::map<std::string, ObjectId> m;
  for (int i = 0; i < 20000; i += 2) m[Key(i)] = ValueFor(Key(i));
  const ObjectId root = Build(s, m);
  CHECK(*CountEntries(s, root) == 10000);
  CHECK(**Lookup(s, root, Key(1234)) == ValueFor(Key(1234)));
  CHECK(!Lookup(s, root, Key(1235))->has_value());
  CHECK(!Lookup(s, root, "zzz")->has_value());
  CHECK(*Rank(s, root, Key(1234)) == 617);
  CHECK(*Rank(s, root, Key(1235)) == 618);
  CHECK(*Rank(s, root, "zzz") == 10000);
  for (uint64_t p : {0ull, 1ull, 617ull, 5000ull, 9999ull}) {
    Cursor c(s, root);
    REQUIRE(c.SeekPosition(p).ok());
    REQUIRE(c.Valid());
    CHECK(c.entry().key == Key(static_cast<int>(2 * p)));
  }
  Cursor end(s, root);
  REQUIRE(end.SeekPosition(10000).ok());
  CHECK(!end.Valid());
  Cursor k(s, root);
  REQUIRE(k.SeekKey(Key(1235)).ok());
  CHECK(k.entry().key == Key(1236));
}

TEST_CASE("diff reports exactly the changed keys and skips shared subtrees", "[tree]") {
  MemStore s;
  std::map<std::string, ObjectId> m;
  for (int i = 0; i < 50000; ++i) m[Key(i)] = ValueFor(Key(i));
  const ObjectId a = Build(s, m);
  std::mt19937 rng(7);
  std::map<std::string, std::optional<ObjectId>> edits;
  for (int i = 0; i < 100; ++i) {
    const int k = static_cast<int>(rng() % 60000);
    edits[Key(k)] = (rng() % 3 == 0) ? std::nullopt : std::optional<ObjectId>(ValueFor(Key(k), 1));
  }
  std::vector<Edit> ev;
  for (auto& [k, v] : edits) ev.push_back({k, v});
  const ObjectId b = ApplyAll(s, a, ev);

  std::map<std::string, std::pair<std::optional<ObjectId>, std::optional<ObjectId>>> expected;
  for (auto& [k, v] : edits) {
    std::optional<ObjectId> old;
    if (m.count(k)) old = m[k];
    if (old != v) expected[k] = {old, v};
  }
  std::map<std::string, std::pair<std::optional<ObjectId>, std::optional<ObjectId>>> got;
  size_t calls = 0;
  REQUIRE(DiffTrees(s, a, b, [&](const Change& c) {
            got[c.key] = {c.old_value, c.new_value};
            ++calls;
            return Status::Ok();
          }).ok());
  CHECK(got == expected);
  CHECK(calls == expected.size());
}

TEST_CASE("an edit of k keys writes O(k log N) nodes", "[tree]") {
  MemStore s;
  std::map<std::string, ObjectId> m;
  for (int i = 0; i < 100000; ++i) m[Key(i)] = ValueFor(Key(i));
  const ObjectId root = Build(s, m);
  s.written_nodes = 0;
  s.written_bytes = 0;
  std::vector<Edit> ev;
  for (int i = 0; i < 10; ++i) ev.push_back({Key(i * 9973), ValueFor(Key(i * 9973), 2)});
  ApplyAll(s, root, ev);
  // Depth is about 4 here: 10 paths can touch at most ~10 nodes per level (plus resync
  // neighbours); a rebuild would write thousands.
  CHECK(s.written_nodes <= 10 * 4 * 2);
  CHECK(s.written_nodes >= 10);
}

TEST_CASE("node sizes stay within the chunker's bounds", "[tree]") {
  MemStore s;
  std::map<std::string, ObjectId> m;
  for (int i = 0; i < 30000; ++i) m[Key(i)] = ValueFor(Key(i));
  s.written_bytes = 0;
  s.written_nodes = 0;
  Build(s, m);
  const double mean = static_cast<double>(s.written_bytes) / static_cast<double>(s.written_nodes);
  CHECK(mean > 700);
  CHECK(mean < 2500);
}

TEST_CASE("node decoding rejects malformed bytes", "[tree]") {
  Node n;
  n.level = 0;
  n.entries.push_back({"a", ValueFor("a"), 1});
  n.entries.push_back({"b", ValueFor("b"), 1});
  std::string bytes = EncodeNode(n);
  CHECK(DecodeNode(bytes).ok());
  CHECK(DecodeNode(bytes.substr(0, bytes.size() - 1)).status().IsCorruption());
  CHECK(DecodeNode(bytes + "x").status().IsCorruption());
  Node bad = n;
  std::swap(bad.entries[0], bad.entries[1]);
  CHECK(DecodeNode(EncodeNode(bad)).status().IsCorruption());
}

TEST_CASE("diff equals a naive diff for arbitrary pairs of trees", "[tree][property]") {
  std::mt19937 rng(1234);
  for (int trial = 0; trial < 30; ++trial) {
    MemStore s;
    auto random_map = [&](int n, int key_space) {
      std::map<std::string, ObjectId> m;
      for (int i = 0; i < n; ++i) {
        const std::string k = Key(static_cast<int>(rng() % key_space));
        m[k] = ValueFor(k, static_cast<int>(rng() % 3));
      }
      return m;
    };
    // Pairs of every shape: related (edits of one base) and unrelated, sizes from 0 to 20k.
    std::map<std::string, ObjectId> ma = random_map(static_cast<int>(rng() % 20000), 40000);
    std::map<std::string, ObjectId> mb;
    if (trial % 2 == 0) {
      mb = ma;
      for (int i = 0, n = static_cast<int>(rng() % 300); i < n; ++i) {
        const std::string k = Key(static_cast<int>(rng() % 40000));
        if (rng() % 2)
          mb.erase(k);
        else
          mb[k] = ValueFor(k, 9);
      }
    } else {
      mb = random_map(static_cast<int>(rng() % 3000), 40000);
    }
    const ObjectId a = Build(s, ma), b = Build(s, mb);
    std::vector<Change> expected;
    std::set<std::string> keys;
    for (auto& [k, v] : ma) keys.insert(k);
    for (auto& [k, v] : mb) keys.insert(k);
    for (const auto& k : keys) {
      std::optional<ObjectId> va, vb;
      if (ma.count(k)) va = ma[k];
      if (mb.count(k)) vb = mb[k];
      if (va != vb) expected.push_back({k, va, vb});
    }
    std::vector<Change> got;
    REQUIRE(DiffTrees(s, a, b, [&](const Change& c) {
              got.push_back(c);
              return Status::Ok();
            }).ok());
    REQUIRE(got.size() == expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      CHECK(got[i].key == expected[i].key);
      CHECK(got[i].old_value == expected[i].old_value);
      CHECK(got[i].new_value == expected[i].new_value);
    }
  }
}
