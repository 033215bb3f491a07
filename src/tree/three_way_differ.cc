#include "tree/three_way_differ.h"

#include <unordered_map>

#include "tree/diff.h"

namespace gitmem::tree {

Result<ThreeWayDiff> DiffThreeWay(const NodeSource& source, const ObjectId& base, const ObjectId& ours,
                                  const ObjectId& theirs) {
  ThreeWayDiff out;
  std::unordered_map<std::string, std::optional<ObjectId>> ours_changes;
  GITMEM_RETURN_IF_ERROR(DiffNodes(source, base, ours, [&](const Change& ch) {
    ours_changes.emplace(ch.key, ch.new_value);
    return Status::Ok();
  }));
  GITMEM_RETURN_IF_ERROR(DiffNodes(source, base, theirs, [&](const Change& ch) {
    auto it = ours_changes.find(ch.key);
    if (it == ours_changes.end()) {
      out.edits.push_back({ch.key, ch.new_value});
    } else if (it->second != ch.new_value) {
      out.conflicts.push_back({ch.key, ch.old_value, it->second, ch.new_value});
    }
    return Status::Ok();
  }));
  return out;
}

}  // namespace gitmem::tree
