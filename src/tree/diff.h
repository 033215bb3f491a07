// Two-way diffs of prolly trees: the changes that turn tree `a` into tree `b`, in key order.
//
// Two walks with the same result. DiffTrees moves two lazy cursors and skips subtrees
// whose ids are equal. DiffNodes compares the trees level by level, expanding only the
// runs of differing entries; the three-way differ of merges uses it
// (tree/three_way_differ.h).
#pragma once

#include <functional>
#include <optional>
#include <string>

#include "tree/node_source.h"

namespace gitmem::tree {

/// A change that took effect: old and new values (empty = absent).
struct Change {
  std::string key;
  std::optional<ObjectId> old_value;
  std::optional<ObjectId> new_value;
};

/// Calls `fn` for every key whose value differs between trees `a` and `b` (old = a,
/// new = b), in key order. Subtrees with equal ids are skipped: O(changes log N).
Status DiffTrees(const NodeSource& source, const ObjectId& a, const ObjectId& b,
                 const std::function<Status(const Change&)>& fn);

/// Calls `fn` for every key whose value differs between trees `a` and `b`, in key order,
/// like DiffTrees, but compares the trees node by node: equal entries (same last key,
/// same child) are skipped without loading anything, and only the runs of differing
/// entries are expanded a level down. A change costs about one node per level per side,
/// whatever sits beside it in the tree.
Status DiffNodes(const NodeSource& source, const ObjectId& a, const ObjectId& b,
                 const std::function<Status(const Change&)>& fn);

}  // namespace gitmem::tree
