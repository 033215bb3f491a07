// The three-way differ of merges: given a base tree and two trees derived from it (ours
// and theirs), the changes theirs made that ours did not, and the keys both sides changed
// in different ways. Changes both sides made alike, and changes only ours made, are
// already in ours and need nothing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tree/node_source.h"
#include "tree/prolly_tree.h"

namespace gitmem::tree {

/// A key both sides changed differently: its values in base, ours and theirs (empty =
/// absent).
struct ThreeWayConflict {
  enum class Kind : uint8_t {
    kBothModified,     ///< both sides set it, to different values (an add counts as a set)
    kModifiedDeleted,  ///< ours set it, theirs removed it
    kDeletedModified,  ///< ours removed it, theirs set it
  };
  std::string key;
  std::optional<ObjectId> base, ours, theirs;

  Kind kind() const {
    if (!theirs) return Kind::kModifiedDeleted;
    if (!ours) return Kind::kDeletedModified;
    return Kind::kBothModified;
  }
};

struct ThreeWayDiff {
  std::vector<Edit> edits;                  ///< theirs' clean changes, as edits of ours' tree, in key order
  std::vector<ThreeWayConflict> conflicts;  ///< in key order
};

/// Diffs base→ours and base→theirs (tree::DiffNodes, so each costs about the changes) and
/// classifies every key theirs changed: a clean edit when ours left it alone, nothing when
/// ours made the same change, a conflict otherwise.
Result<ThreeWayDiff> DiffThreeWay(const NodeSource& source, const ObjectId& base, const ObjectId& ours,
                                  const ObjectId& theirs);

}  // namespace gitmem::tree
