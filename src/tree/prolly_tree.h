// Operations on prolly trees: build, edit, point lookup, ordered cursor (diffs: tree/diff.h).
//
// A tree is named by its root node id. The empty tree is an empty leaf (EmptyTreeId()).
// The shape of a tree depends only on its entries, never on the order of the writes
// that produced it: equal sets of memories have equal root ids.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tree/chunker.h"
#include "tree/diff.h"
#include "tree/node_source.h"

namespace gitmem::tree {

/// Id of the empty tree (an empty leaf node).
const ObjectId& EmptyTreeId();
/// Canonical bytes of the empty tree, for writing it to a store.
std::string EmptyTreeBytes();

/// Builds a tree from entries sorted by strictly increasing key; returns the root id.
/// Every node made goes to `sink`.
Result<ObjectId> BuildTree(std::vector<Entry> sorted_leaf_entries, NodeSink* sink);

/// One change to a tree: set `key` to `value`, or remove it when `value` is empty.
struct Edit {
  std::string key;
  std::optional<ObjectId> value;
};

struct EditResult {
  ObjectId root;
  std::vector<Change> changes;  ///< edits that changed something, in key order
};

/// Applies edits (sorted by strictly increasing key) to the tree `root`. Only the nodes on
/// the paths to the edited keys are rewritten: O(k log N) new nodes for k edits.
Result<EditResult> ApplyEdits(const NodeSource& source, NodeSink* sink, const ObjectId& root,
                              const std::vector<Edit>& edits);

/// The value stored under `key`, or nullopt.
Result<std::optional<ObjectId>> Lookup(const NodeSource& source, const ObjectId& root, std::string_view key);
Result<uint64_t> CountEntries(const NodeSource& source, const ObjectId& root);
/// Number of keys strictly less than `key`.
Result<uint64_t> Rank(const NodeSource& source, const ObjectId& root, std::string_view key);

/// Walks a tree's leaf entries in key order.
class Cursor {
 public:
  Cursor(const NodeSource& source, ObjectId root) : source_(source), root_(root) {}
  Status SeekFirst();
  /// Positions at the first key >= key.
  Status SeekKey(std::string_view key);
  /// Positions at the entry with this 0-based index; O(log N) through subtree counts.
  Status SeekPosition(uint64_t position);
  bool Valid() const { return valid_; }
  const Entry& entry() const { return path_.back().node->entries[path_.back().index]; }
  Status Next();

 private:
  struct Frame {
    NodePtr node;
    ObjectId id;
    size_t index;
  };
  Status Descend(const Entry& child);  // pushes the leftmost path below `child`
  Status SkipSubtreeAt(size_t depth);  // moves past the node at path_[depth]

  const NodeSource& source_;
  ObjectId root_;
  std::vector<Frame> path_;  // path_[0] is the root, path_.back() a leaf
  bool valid_ = false;
};

}  // namespace gitmem::tree
