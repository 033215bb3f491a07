// Repository::Fsck — verifies every object reachable from the repository's refs and
// staged changes, reading raw bytes from the store (never the node cache).
#include <fmt/format.h>

#include <map>
#include <set>

#include "object/codec.h"
#include "repo/repo_impl.h"
#include "util/hash.h"

namespace gitmem {

namespace {


class Checker {
 public:
  Checker(const Store& store, Repository::FsckReport* report) : store_(store), r_(report) {}

  // Loads an object, checks its hash; false (with a problem recorded) when unusable.
  bool Load(const ObjectId& id, std::string_view what, std::string* bytes) {
    Status s = store_.Get(Cf::kObjects, IdView(id), bytes);
    if (!s.ok()) {
      r_->problems.push_back(fmt::format("{} {}: {}", what, id.hex(), s.IsNotFound() ? "missing" : s.ToString()));
      return false;
    }
    ++r_->objects_checked;
    if (!(Sha256(*bytes) == id)) {
      r_->problems.push_back(fmt::format("{} {}: hash does not match its bytes", what, id.hex()));
      return false;
    }
    return true;
  }

  void Commit(const ObjectId& root) {
    std::vector<ObjectId> stack{root};
    while (!stack.empty()) {
      ObjectId id = stack.back();
      stack.pop_back();
      if (!seen_.insert(id).second) continue;
      std::string bytes;
      if (!Load(id, "commit", &bytes)) continue;
      auto c = DecodeCommit(bytes);
      if (!c.ok()) {
        r_->problems.push_back(fmt::format("commit {}: {}", id.hex(), c.status().message()));
        continue;
      }
      ++r_->commits;
      auto count = Tree(c->tree, std::nullopt, nullptr, nullptr);
      if (count && *count != c->memory_count)
        r_->problems.push_back(fmt::format("commit {}: records {} memories, its tree holds {}", id.hex(),
                                           c->memory_count, *count));
      for (const ObjectId& p : c->parents) stack.push_back(p);
    }
  }

  // Checks a subtree; returns its memory count, or nullopt when it is broken. `level`,
  // `lower` and `upper` are what the parent entry promises (exclusive lower, inclusive upper).
  std::optional<uint64_t> Tree(const ObjectId& id, std::optional<uint32_t> level, const std::string* lower,
                               const std::string* upper) {
    // Commits share most subtrees: check each once, then only the promises the parent
    // makes about it (its problems were recorded the first time).
    if (auto it = checked_.find(id); it != checked_.end()) {
      const TreeFacts& f = it->second;
      if (!f.count) return std::nullopt;
      auto problem = [&](std::string_view what) {
        r_->problems.push_back(fmt::format("tree {}: {}", id.hex(), what));
        return std::nullopt;
      };
      if (level && f.level != *level) return problem("level differs from its parent's promise");
      if (f.first) {
        if (lower && !(*lower < *f.first)) return problem("keys overlap the previous sibling");
        if (upper && *f.last != *upper) return problem("last key differs from the parent entry");
      }
      return f.count;
    }
    TreeFacts& facts = checked_[id];  // stays "broken" unless the checks below pass
    std::string bytes;
    if (!Load(id, "tree", &bytes)) return std::nullopt;
    auto node = tree::DecodeNode(bytes);
    if (!node.ok()) {
      r_->problems.push_back(fmt::format("tree {}: {}", id.hex(), node.status().message()));
      return std::nullopt;
    }
    ++r_->trees;
    const auto& es = node->entries;
    auto problem = [&](std::string_view what) {
      r_->problems.push_back(fmt::format("tree {}: {}", id.hex(), what));
      return std::nullopt;
    };
    if (level && node->level != *level) return problem("level differs from its parent's promise");
    if (!es.empty()) {
      if (lower && !(*lower < es.front().key)) return problem("keys overlap the previous sibling");
      if (upper && es.back().key != *upper) return problem("last key differs from the parent entry");
    }
    uint64_t total = 0;
    const std::string* prev = lower;
    for (const auto& e : es) {
      if (node->is_leaf()) {
        Blob(e.ref, e.key);
        total += 1;
      } else {
        auto n = Tree(e.ref, node->level - 1, prev, &e.key);
        if (n && *n != e.count) problem(fmt::format("subtree count of '{}' is {}, subtree holds {}", e.key, e.count, *n));
        total += e.count;
      }
      prev = &e.key;
    }
    facts.level = node->level;
    if (!es.empty()) {
      facts.first = es.front().key;
      facts.last = es.back().key;
    }
    facts.count = total;
    return total;
  }

  void Blob(const ObjectId& id, std::string_view key) {
    if (!seen_.insert(id).second) return;
    std::string bytes;
    if (!Load(id, "blob", &bytes)) return;
    auto m = DecodeMemory(bytes);
    if (!m.ok()) {
      r_->problems.push_back(fmt::format("blob {}: {}", id.hex(), m.status().message()));
      return;
    }
    ++r_->blobs;
    if (!key.empty() && m->id != key)
      r_->problems.push_back(fmt::format("blob {}: holds memory '{}' under key '{}'", id.hex(), m->id, key));
  }

 private:
  struct TreeFacts {
    uint32_t level = 0;
    std::optional<std::string> first, last;  // keys; none for an empty tree
    std::optional<uint64_t> count;           // none: the subtree is broken
  };
  const Store& store_;
  Repository::FsckReport* r_;
  std::set<ObjectId> seen_;
  std::map<ObjectId, TreeFacts> checked_;
};

}  // namespace

Result<Repository::FsckReport> Repository::Fsck() const {
  FsckReport report;
  Checker check(*impl_->store, &report);
  const std::string prefix = impl_->RefKey("refs/");
  auto snap = impl_->store->GetSnapshot();
  auto it = impl_->store->Scan(Cf::kRefs, prefix, snap.get());
  for (; it->Valid(); it->Next()) {
    if (it->value().size() != 32) {
      report.problems.push_back(fmt::format("ref '{}': bad value", it->key().substr(impl_->options.name.size() + 1)));
      continue;
    }
    ObjectId id;
    std::copy(it->value().begin(), it->value().end(), id.bytes.begin());
    check.Commit(id);
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  const std::string staging_prefix = impl_->options.name + std::string(1, '\0');
  auto st = impl_->store->Scan(Cf::kStaging, staging_prefix, snap.get());
  for (; st->Valid(); st->Next()) {
    std::string_view v = st->value();
    if (v.size() == 33 && v[0] == 'P') {
      ObjectId id;
      std::copy(v.begin() + 1, v.end(), id.bytes.begin());
      check.Blob(id, {});
    } else if (v.size() != 1 || v[0] != 'D') {
      report.problems.push_back("staged change: bad value");
    }
  }
  GITMEM_RETURN_IF_ERROR(st->status());
  return report;
}

}  // namespace gitmem
