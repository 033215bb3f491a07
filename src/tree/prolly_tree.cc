#include "tree/prolly_tree.h"

#include <map>

#include "util/hash.h"

namespace gitmem::tree {

const ObjectId& EmptyTreeId() {
  static const ObjectId id = Sha256(EmptyTreeBytes());
  return id;
}

std::string EmptyTreeBytes() { return EncodeNode(Node{}); }

namespace {

// Chunks descriptors level by level until one node remains; returns its id.
ObjectId BuildUp(std::vector<Entry> level_entries, uint32_t level, NodeSink* sink) {
  for (;;) {
    std::vector<Entry> parents;
    Chunker chunker(level, sink, &parents);
    for (Entry& e : level_entries) chunker.Add(std::move(e));
    chunker.Finish();
    if (parents.size() == 1) return parents[0].ref;
    level_entries = std::move(parents);
    ++level;
  }
}

// Descends from a root to the node at `level` that holds (or would hold) a key, and steps
// from node to node along that level.
class LevelCursor {
 public:
  LevelCursor(const NodeSource& source, uint32_t level) : source_(source), level_(level) {}

  Status Seek(const ObjectId& root_id, const NodePtr& root, std::string_view key) {
    path_.clear();
    NodePtr node = root;
    ObjectId id = root_id;
    while (node->level > level_) {
      size_t i = node->LowerBound(key);
      if (i == node->entries.size()) i = node->entries.size() - 1;
      path_.push_back({node, i});
      id = node->entries[i].ref;
      GITMEM_ASSIGN_OR_RETURN(node, source_.Load(id));
    }
    node_ = node;
    id_ = id;
    return Status::Ok();
  }

  bool HasNext() const {
    for (const auto& f : path_)
      if (f.index + 1 < f.node->entries.size()) return true;
    return false;
  }

  // REQUIRES: HasNext()
  Status Next() {
    while (path_.back().index + 1 >= path_.back().node->entries.size()) path_.pop_back();
    ++path_.back().index;
    ObjectId id = path_.back().node->entries[path_.back().index].ref;
    GITMEM_ASSIGN_OR_RETURN(NodePtr node, source_.Load(id));
    while (node->level > level_) {
      path_.push_back({node, 0});
      id = node->entries[0].ref;
      GITMEM_ASSIGN_OR_RETURN(node, source_.Load(id));
    }
    node_ = node;
    id_ = id;
    return Status::Ok();
  }

  const NodePtr& node() const { return node_; }
  const ObjectId& id() const { return id_; }

 private:
  struct Frame {
    NodePtr node;
    size_t index;
  };
  const NodeSource& source_;
  uint32_t level_;
  std::vector<Frame> path_;
  NodePtr node_;
  ObjectId id_;
};

struct LevelEdit {
  std::string key;
  std::optional<Entry> entry;  // empty = remove
};

struct LevelResult {
  std::vector<Entry> removed;  // descriptors of the old nodes rewritten
  std::vector<Entry> fresh;    // descriptors of the nodes that replace them
};

// Rewrites the nodes of one level touched by `edits`. Re-chunking starts at the first
// touched node (its start is a boundary of old and new alike) and runs until the new
// chunking ends a node exactly where an old node ended, past the last edit there.
Status ApplyLevel(const NodeSource& source, NodeSink* sink, const ObjectId& root_id, const NodePtr& root,
                  uint32_t level, const std::vector<LevelEdit>& edits, std::vector<Change>* changes,
                  LevelResult* result) {
  LevelCursor cursor(source, level);
  size_t ei = 0;
  while (ei < edits.size()) {
    GITMEM_RETURN_IF_ERROR(cursor.Seek(root_id, root, edits[ei].key));
    Chunker chunker(level, sink, &result->fresh);
    for (;;) {
      const Node& node = *cursor.node();
      result->removed.push_back(
          {node.entries.empty() ? std::string() : node.entries.back().key, cursor.id(), node.total_count()});
      const bool last = !cursor.HasNext();
      const std::string* last_key = node.entries.empty() ? nullptr : &node.entries.back().key;
      auto edit_here = [&] { return ei < edits.size() && (last || last_key == nullptr || edits[ei].key <= *last_key); };
      size_t j = 0;
      while (j < node.entries.size() || edit_here()) {
        const bool take_edit = edit_here() && (j == node.entries.size() || edits[ei].key <= node.entries[j].key);
        if (!take_edit) {
          chunker.Add(node.entries[j++]);
          continue;
        }
        const LevelEdit& ed = edits[ei++];
        const bool replaces = j < node.entries.size() && node.entries[j].key == ed.key;
        if (changes != nullptr) {
          std::optional<ObjectId> old_value;
          if (replaces) old_value = node.entries[j].ref;
          std::optional<ObjectId> new_value;
          if (ed.entry) new_value = ed.entry->ref;
          if (old_value != new_value) changes->push_back({ed.key, old_value, new_value});
        }
        if (ed.entry) chunker.Add(*ed.entry);
        if (replaces) ++j;
      }
      if (chunker.at_boundary()) break;
      if (last) {
        chunker.Finish();
        break;
      }
      GITMEM_RETURN_IF_ERROR(cursor.Next());
    }
  }
  return Status::Ok();
}

// Turns one level's rewrite into the edits of the level above, dropping no-ops.
std::vector<LevelEdit> ParentEdits(const LevelResult& r) {
  std::map<std::string, std::optional<Entry>> m;
  std::map<std::string, Entry> old;
  for (const Entry& e : r.removed) {
    m[e.key] = std::nullopt;
    old[e.key] = e;
  }
  for (const Entry& e : r.fresh) m[e.key] = e;
  std::vector<LevelEdit> out;
  out.reserve(m.size());
  for (auto& [key, entry] : m) {
    auto it = old.find(key);
    if (entry && it != old.end() && it->second == *entry) continue;
    out.push_back({key, std::move(entry)});
  }
  return out;
}

}  // namespace

Result<ObjectId> BuildTree(std::vector<Entry> entries, NodeSink* sink) {
  if (entries.empty()) {
    sink->Store(EmptyTreeId(), EmptyTreeBytes(), std::make_shared<const Node>());
    return EmptyTreeId();
  }
  for (size_t i = 1; i < entries.size(); ++i)
    if (!(entries[i - 1].key < entries[i].key))
      return Status::InvalidArgument("tree: build input keys must be strictly increasing");
  for (Entry& e : entries) e.count = 1;
  return BuildUp(std::move(entries), 0, sink);
}

Result<EditResult> ApplyEdits(const NodeSource& source, NodeSink* sink, const ObjectId& root_id,
                              const std::vector<Edit>& edits) {
  for (size_t i = 1; i < edits.size(); ++i)
    if (!(edits[i - 1].key < edits[i].key))
      return Status::InvalidArgument("tree: edit keys must be strictly increasing");
  EditResult result{root_id, {}};
  if (edits.empty()) return result;
  GITMEM_ASSIGN_OR_RETURN(NodePtr root, source.Load(root_id));
  // New nodes must be readable while the edit runs (collapsing a one-child root).
  OverlaySource overlay(&source, sink);
  sink = &overlay;

  std::vector<LevelEdit> level_edits;
  level_edits.reserve(edits.size());
  for (const Edit& e : edits) {
    std::optional<Entry> entry;
    if (e.value) entry = Entry{e.key, *e.value, 1};
    level_edits.push_back({e.key, std::move(entry)});
  }

  if (root->entries.empty()) {  // empty tree: build from the insertions
    std::vector<Entry> entries;
    for (LevelEdit& e : level_edits) {
      if (!e.entry) continue;
      result.changes.push_back({e.key, std::nullopt, e.entry->ref});
      entries.push_back(std::move(*e.entry));
    }
    GITMEM_ASSIGN_OR_RETURN(result.root, BuildTree(std::move(entries), sink));
    return result;
  }

  for (uint32_t level = 0;; ++level) {
    LevelResult lr;
    GITMEM_RETURN_IF_ERROR(
        ApplyLevel(source, sink, root_id, root, level, level_edits, level == 0 ? &result.changes : nullptr, &lr));
    if (level < root->level) {
      level_edits = ParentEdits(lr);
      if (level_edits.empty()) return result;  // nothing above changes
      continue;
    }
    // The root's level: the fresh nodes are the whole level.
    if (lr.fresh.empty()) {
      sink->Store(EmptyTreeId(), EmptyTreeBytes(), std::make_shared<const Node>());
      result.root = EmptyTreeId();
    } else if (lr.fresh.size() == 1) {
      // A root with one child is not canonical: the child is the root.
      ObjectId id = lr.fresh[0].ref;
      for (;;) {
        GITMEM_ASSIGN_OR_RETURN(NodePtr node, overlay.Load(id));
        if (node->is_leaf() || node->entries.size() != 1) break;
        id = node->entries[0].ref;
      }
      result.root = id;
    } else {
      result.root = BuildUp(std::move(lr.fresh), level + 1, sink);
    }
    return result;
  }
}

Result<std::optional<ObjectId>> Lookup(const NodeSource& source, const ObjectId& root, std::string_view key) {
  GITMEM_ASSIGN_OR_RETURN(NodePtr node, source.Load(root));
  for (;;) {
    const size_t i = node->LowerBound(key);
    if (i == node->entries.size()) return std::optional<ObjectId>();
    const Entry& e = node->entries[i];
    if (node->is_leaf()) return e.key == key ? std::optional<ObjectId>(e.ref) : std::nullopt;
    GITMEM_ASSIGN_OR_RETURN(node, source.Load(e.ref));
  }
}

Result<uint64_t> CountEntries(const NodeSource& source, const ObjectId& root) {
  GITMEM_ASSIGN_OR_RETURN(NodePtr node, source.Load(root));
  return node->total_count();
}

Result<uint64_t> Rank(const NodeSource& source, const ObjectId& root, std::string_view key) {
  GITMEM_ASSIGN_OR_RETURN(NodePtr node, source.Load(root));
  uint64_t rank = 0;
  for (;;) {
    const size_t i = node->LowerBound(key);
    if (node->is_leaf()) return rank + i;
    for (size_t k = 0; k < i; ++k) rank += node->entries[k].count;
    if (i == node->entries.size()) return rank;
    GITMEM_ASSIGN_OR_RETURN(node, source.Load(node->entries[i].ref));
  }
}

// ---- Cursor ------------------------------------------------------------------------

Status Cursor::Descend(const Entry& child) {
  ObjectId id = child.ref;
  for (;;) {
    GITMEM_ASSIGN_OR_RETURN(NodePtr node, source_.Load(id));
    path_.push_back({node, id, 0});
    if (node->is_leaf()) break;
    id = node->entries[0].ref;
  }
  valid_ = !path_.back().node->entries.empty();
  return Status::Ok();
}

Status Cursor::SeekFirst() {
  path_.clear();
  return Descend(Entry{{}, root_, 0});
}

Status Cursor::SeekKey(std::string_view key) {
  path_.clear();
  ObjectId id = root_;
  for (;;) {
    GITMEM_ASSIGN_OR_RETURN(NodePtr node, source_.Load(id));
    size_t i = node->LowerBound(key);
    path_.push_back({node, id, i});
    if (i == node->entries.size()) {  // past the end of this subtree
      if (node->is_leaf() || node->entries.empty()) break;
      path_.back().index = node->entries.size() - 1;
      id = node->entries.back().ref;
      continue;
    }
    if (node->is_leaf()) break;
    id = node->entries[i].ref;
  }
  Frame& leaf = path_.back();
  valid_ = leaf.index < leaf.node->entries.size();
  if (!valid_ && !leaf.node->entries.empty()) {
    leaf.index = leaf.node->entries.size() - 1;
    valid_ = true;
    return Next();
  }
  return Status::Ok();
}

Status Cursor::SeekPosition(uint64_t position) {
  path_.clear();
  ObjectId id = root_;
  for (;;) {
    GITMEM_ASSIGN_OR_RETURN(NodePtr node, source_.Load(id));
    if (node->is_leaf()) {
      path_.push_back({node, id, static_cast<size_t>(position)});
      valid_ = position < node->entries.size();
      return Status::Ok();
    }
    size_t i = 0;
    while (i < node->entries.size() && position >= node->entries[i].count) {
      position -= node->entries[i].count;
      ++i;
    }
    if (i == node->entries.size()) {
      path_.push_back({node, id, i});
      valid_ = false;
      return Status::Ok();
    }
    path_.push_back({node, id, i});
    id = node->entries[i].ref;
  }
}

Status Cursor::Next() {
  if (!valid_) return Status::Ok();
  return SkipSubtreeAt(path_.size());  // depth past the leaf: advance one entry
}

// Moves past the subtree rooted at path_[depth] (depth == path_.size() means one leaf entry).
Status Cursor::SkipSubtreeAt(size_t depth) {
  path_.resize(depth);
  while (!path_.empty()) {
    Frame& f = path_.back();
    if (f.index + 1 < f.node->entries.size()) {
      ++f.index;
      if (f.node->is_leaf()) return Status::Ok();
      const Entry child = f.node->entries[f.index];
      return Descend(child);
    }
    path_.pop_back();
  }
  valid_ = false;
  return Status::Ok();
}

}  // namespace gitmem::tree
