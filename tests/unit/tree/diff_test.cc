// The node-by-node diff (tree::DiffNodes) reports exactly what tree::DiffTrees reports,
// on random trees of different sizes and heights.
#include <catch2/catch.hpp>

#include <map>
#include <random>

#include "tree/diff.h"
#include "tree/prolly_tree.h"
#include "tree/test_nodes.h"
#include "util/hash.h"

using namespace gitmem;
using namespace gitmem::tree;
using gitmem::tree::testing::MemNodes;

namespace {

std::vector<Change> Collect(bool fast, MemNodes& s, const ObjectId& a, const ObjectId& b) {
  std::vector<Change> out;
  auto fn = [&](const Change& c) {
    out.push_back(c);
    return Status::Ok();
  };
  Status st = fast ? DiffNodes(s, a, b, fn) : DiffTrees(s, a, b, fn);
  REQUIRE(st.ok());
  return out;
}

bool Same(const std::vector<Change>& x, const std::vector<Change>& y) {
  if (x.size() != y.size()) return false;
  for (size_t i = 0; i < x.size(); ++i)
    if (x[i].key != y[i].key || x[i].old_value != y[i].old_value || x[i].new_value != y[i].new_value) return false;
  return true;
}

}  // namespace

TEST_CASE("DiffNodes agrees with DiffTrees on random edits", "[merge]") {
  std::mt19937 rng(5);
  MemNodes s;
  for (int round = 0; round < 30; ++round) {
    const int n = std::vector<int>{0, 1, 10, 300, 3000, 20000}[round % 6];
    std::vector<Edit> base;
    for (int i = 0; i < n; ++i) {
      char k[32];
      std::snprintf(k, sizeof k, "k%07d", static_cast<int>(rng() % 1000000));
      base.push_back({k, Sha256(k)});
    }
    std::sort(base.begin(), base.end(), [](auto& x, auto& y) { return x.key < y.key; });
    base.erase(std::unique(base.begin(), base.end(), [](auto& x, auto& y) { return x.key == y.key; }), base.end());
    auto a = ApplyEdits(s, &s, EmptyTreeId(), base);
    REQUIRE(a.ok());
    // b: a few, many or all keys changed, removed or added.
    const int k = std::vector<int>{0, 1, 5, 100, 5000}[round % 5];
    std::map<std::string, std::optional<ObjectId>> edits;
    for (int i = 0; i < k; ++i) {
      const int what = static_cast<int>(rng() % 3);
      char key[32];
      if (what == 0 || base.empty())
        std::snprintf(key, sizeof key, "k%07d", static_cast<int>(rng() % 1000000));
      else
        std::snprintf(key, sizeof key, "%s", base[rng() % base.size()].key.c_str());
      edits[key] = what == 1 ? std::nullopt : std::optional<ObjectId>(Sha256(std::string(key) + "v2"));
    }
    std::vector<Edit> ev;
    for (auto& [key, v] : edits) ev.push_back({key, v});
    auto b = ApplyEdits(s, &s, a->root, ev);
    REQUIRE(b.ok());
    INFO("n=" << n << " k=" << k);
    CHECK(Same(Collect(true, s, a->root, b->root), Collect(false, s, a->root, b->root)));
    CHECK(Same(Collect(true, s, b->root, a->root), Collect(false, s, b->root, a->root)));
    CHECK(Same(Collect(true, s, EmptyTreeId(), b->root), Collect(false, s, EmptyTreeId(), b->root)));
  }
}
