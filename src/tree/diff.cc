#include "tree/diff.h"

#include <vector>

namespace gitmem::tree {

namespace {

// A cursor for diffing that does not descend until it must: it stands either on a leaf
// entry or "pending" at the start of a child subtree of an internal node. Two pending
// cursors on equal subtree ids skip them without reading a node.
class LazyCursor {
 public:
  explicit LazyCursor(const NodeSource& source) : source_(source) {}

  Status Init(const ObjectId& root) {
    GITMEM_ASSIGN_OR_RETURN(NodePtr node, source_.Load(root));
    path_.push_back({std::move(node), 0});
    end_ = path_.back().node->entries.empty();
    return Status::Ok();
  }
  bool end() const { return end_; }
  bool pending() const { return !path_.back().node->is_leaf(); }
  // REQUIRES: pending(). Level and id of the subtree the cursor stands at the start of.
  uint32_t pending_level() const { return path_.back().node->level - 1; }
  const Entry& entry() const { return path_.back().node->entries[path_.back().index]; }

  // REQUIRES: pending(). Steps into the subtree, at its first entry.
  Status Expand() {
    GITMEM_ASSIGN_OR_RETURN(NodePtr child, source_.Load(entry().ref));
    path_.push_back({std::move(child), 0});
    return Status::Ok();
  }

  // Moves past the current leaf entry or pending subtree.
  void Advance() {
    while (!path_.empty()) {
      Frame& f = path_.back();
      if (++f.index < f.node->entries.size()) return;
      path_.pop_back();
    }
    end_ = true;
  }

 private:
  struct Frame {
    NodePtr node;
    size_t index;
  };
  const NodeSource& source_;
  std::vector<Frame> path_;
  bool end_ = false;
};

// Emits every leaf entry left in `c` as a one-sided change.
Status Drain(LazyCursor& c, bool is_old, const std::function<Status(const Change&)>& fn) {
  while (!c.end()) {
    if (c.pending()) {
      GITMEM_RETURN_IF_ERROR(c.Expand());
      continue;
    }
    const Entry& e = c.entry();
    GITMEM_RETURN_IF_ERROR(is_old ? fn({e.key, e.ref, std::nullopt}) : fn({e.key, std::nullopt, e.ref}));
    c.Advance();
  }
  return Status::Ok();
}

// One level's entries over a key range, pointing into nodes that `nodes` keeps alive:
// diffing big trees touches thousands of entries, and copying their keys would cost
// more than comparing them.
struct LevelRun {
  std::vector<const Entry*> entries;
  std::vector<NodePtr> nodes;

  void Append(NodePtr node) {
    for (const Entry& e : node->entries) entries.push_back(&e);
    nodes.push_back(std::move(node));
  }
};

// Diffs two runs of entries of one level that cover the same key range.
Status DiffLevel(const NodeSource& source, uint32_t level, const LevelRun& ra, const LevelRun& rb,
                 const std::function<Status(const Change&)>& fn) {
  const std::vector<const Entry*>& a = ra.entries;
  const std::vector<const Entry*>& b = rb.entries;
  size_t i = 0, j = 0;
  if (level == 0) {
    while (i < a.size() || j < b.size()) {
      if (j == b.size() || (i < a.size() && a[i]->key < b[j]->key)) {
        GITMEM_RETURN_IF_ERROR(fn({a[i]->key, a[i]->ref, std::nullopt}));
        ++i;
      } else if (i == a.size() || b[j]->key < a[i]->key) {
        GITMEM_RETURN_IF_ERROR(fn({b[j]->key, std::nullopt, b[j]->ref}));
        ++j;
      } else {
        if (!(a[i]->ref == b[j]->ref)) GITMEM_RETURN_IF_ERROR(fn({a[i]->key, a[i]->ref, b[j]->ref}));
        ++i, ++j;
      }
    }
    return Status::Ok();
  }
  auto expand = [&](const std::vector<const Entry*>& v, size_t from, size_t to, LevelRun* out) -> Status {
    for (size_t k = from; k < to; ++k) {
      GITMEM_ASSIGN_OR_RETURN(NodePtr n, source.Load(v[k]->ref));
      out->Append(std::move(n));
    }
    return Status::Ok();
  };
  while (i < a.size() || j < b.size()) {
    if (i < a.size() && j < b.size() && a[i]->key == b[j]->key && a[i]->ref == b[j]->ref) {
      ++i, ++j;  // the same subtree on both sides
      continue;
    }
    // The shortest runs on both sides that end at a common last key cover the same keys.
    size_t ia = i, jb = j;
    for (;;) {
      if (ia == a.size() || jb == b.size()) {
        ia = a.size(), jb = b.size();
        break;
      }
      if (a[ia]->key < b[jb]->key)
        ++ia;
      else if (b[jb]->key < a[ia]->key)
        ++jb;
      else {
        ++ia, ++jb;
        break;
      }
    }
    LevelRun ca, cb;
    GITMEM_RETURN_IF_ERROR(expand(a, i, ia, &ca));
    GITMEM_RETURN_IF_ERROR(expand(b, j, jb, &cb));
    GITMEM_RETURN_IF_ERROR(DiffLevel(source, level - 1, ca, cb, fn));
    i = ia, j = jb;
  }
  return Status::Ok();
}

}  // namespace

Status DiffTrees(const NodeSource& source, const ObjectId& a, const ObjectId& b,
                 const std::function<Status(const Change&)>& fn) {
  if (a == b) return Status::Ok();
  LazyCursor ca(source), cb(source);
  GITMEM_RETURN_IF_ERROR(ca.Init(a));
  GITMEM_RETURN_IF_ERROR(cb.Init(b));
  while (!ca.end() && !cb.end()) {
    const bool pa = ca.pending(), pb = cb.pending();
    if (pa && pb && ca.entry().ref == cb.entry().ref) {  // shared subtree: skip unread
      ca.Advance();
      cb.Advance();
      continue;
    }
    // Expand whichever stands higher (both when level with each other) until both are
    // on leaf entries or on shared subtrees.
    if (pa || pb) {
      const int la = pa ? static_cast<int>(ca.pending_level()) : -1;
      const int lb = pb ? static_cast<int>(cb.pending_level()) : -1;
      if (la >= lb) GITMEM_RETURN_IF_ERROR(ca.Expand());
      if (lb >= la) GITMEM_RETURN_IF_ERROR(cb.Expand());
      continue;
    }
    const Entry& ea = ca.entry();
    const Entry& eb = cb.entry();
    if (ea.key < eb.key) {
      GITMEM_RETURN_IF_ERROR(fn({ea.key, ea.ref, std::nullopt}));
      ca.Advance();
    } else if (eb.key < ea.key) {
      GITMEM_RETURN_IF_ERROR(fn({eb.key, std::nullopt, eb.ref}));
      cb.Advance();
    } else {
      if (!(ea.ref == eb.ref)) GITMEM_RETURN_IF_ERROR(fn({ea.key, ea.ref, eb.ref}));
      ca.Advance();
      cb.Advance();
    }
  }
  GITMEM_RETURN_IF_ERROR(Drain(ca, true, fn));
  return Drain(cb, false, fn);
}

Status DiffNodes(const NodeSource& source, const ObjectId& a, const ObjectId& b,
                 const std::function<Status(const Change&)>& fn) {
  if (a == b) return Status::Ok();
  LevelRun ra, rb;
  GITMEM_ASSIGN_OR_RETURN(NodePtr na, source.Load(a));
  GITMEM_ASSIGN_OR_RETURN(NodePtr nb, source.Load(b));
  uint32_t la = na->level, lb = nb->level;
  ra.Append(std::move(na));
  rb.Append(std::move(nb));
  // Bring the taller tree down to the other's height (its levels cover all keys).
  auto lower = [&](LevelRun* run, uint32_t* level) -> Status {
    LevelRun next;
    for (const Entry* x : run->entries) {
      GITMEM_ASSIGN_OR_RETURN(NodePtr n, source.Load(x->ref));
      next.Append(std::move(n));
    }
    *run = std::move(next);
    --*level;
    return Status::Ok();
  };
  while (la > lb) GITMEM_RETURN_IF_ERROR(lower(&ra, &la));
  while (lb > la) GITMEM_RETURN_IF_ERROR(lower(&rb, &lb));
  return DiffLevel(source, la, ra, rb, fn);
}

}  // namespace gitmem::tree
