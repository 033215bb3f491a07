// The compaction policy both segmented indexes share: the delta becomes a segment when it
// is full, a segment mostly dead is rebuilt without its dead entries, and segments of one
// size tier are merged when `merge_factor` of them accumulate (size-tiered, so an index
// holds O(log N) segments and each entry is rewritten O(log N) times).
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

#include "gitmem/status.hpp"

namespace gitmem::segmented {

/// The compaction fields of both indexes' options (Bm25Options and VectorIndexOptions
/// derive from it).
struct CompactionPolicy {
  /// The delta is flushed into a segment when it holds this many entries.
  size_t delta_max = 4096;
  /// A segment is rebuilt without its dead entries when this fraction of it is dead.
  double tombstone_max_fraction = 0.2;
  /// Segments of one size tier are merged when this many accumulate (size-tiered, so a
  /// branch has O(log N) segments).
  size_t merge_factor = 4;

  /// kInvalidArgument naming the first field out of range.
  Status Validate() const {
    if (delta_max < 1) return Status::InvalidArgument("delta_max: must be >= 1");
    if (!(tombstone_max_fraction > 0.0 && tombstone_max_fraction <= 1.0)) {
      return Status::InvalidArgument("tombstone_max_fraction: must be in (0, 1]");
    }
    if (merge_factor < 2) return Status::InvalidArgument("merge_factor: must be >= 2");
    return Status::Ok();
  }
};

/// The segments of `parts` (each with a `segment` member), in order.
template <class Part>
auto Segments(const std::vector<Part>& parts) {
  std::vector<decltype(Part::segment)> out;
  for (const Part& p : parts) out.push_back(p.segment);
  return out;
}

/// The size tier of a segment with `live` entries: 0 up to delta_max, then one per factor.
inline size_t Tier(size_t live, size_t delta_max, size_t factor) {
  size_t tier = 0, bound = delta_max;
  while (live > bound && tier < 64) {
    bound *= factor;
    ++tier;
  }
  return tier;
}

/// `Part` has `segment` (with size()), `dead` (tombstones with `count`, or null) and live().
template <class Part>
bool MostlyDead(const Part& p, const CompactionPolicy& policy) {
  return p.dead &&
         static_cast<double>(p.dead->count) > policy.tombstone_max_fraction * static_cast<double>(p.segment->size());
}

/// True when a threshold (delta size, dead fraction, tier size) asks for compaction.
template <class Part>
bool NeedsCompaction(const std::vector<Part>& parts, size_t delta_size, const CompactionPolicy& policy) {
  if (delta_size >= policy.delta_max) return true;
  std::unordered_map<size_t, size_t> tiers;
  for (const auto& p : parts) {
    if (MostlyDead(p, policy)) return true;
    if (++tiers[Tier(p.live(), policy.delta_max, policy.merge_factor)] >= policy.merge_factor) return true;
  }
  return false;
}

/// Replaces the parts at positions `which` by `segment` (none when null), placed last; the
/// other parts keep their order.
template <class Part, class SegmentPtr>
void ReplaceParts(std::vector<Part>* parts, const std::vector<size_t>& which, SegmentPtr segment) {
  std::vector<Part> kept;
  for (size_t i = 0; i < parts->size(); ++i)
    if (std::find(which.begin(), which.end(), i) == which.end()) kept.push_back((*parts)[i]);
  if (segment) kept.push_back({std::move(segment), nullptr});
  *parts = std::move(kept);
}

/// Runs a compaction of `parts` (and the delta of `delta_size` entries). `merge(which,
/// with_delta)` replaces the parts at positions `which` (and, when with_delta, the delta)
/// by one segment of their live entries, placed last, keeping the order of the other
/// parts. `full` merges everything into one segment.
template <class Part, class Merge>
Status Compact(const std::vector<Part>& parts, size_t delta_size, const CompactionPolicy& policy, bool full,
               Merge&& merge) {
  if (full) {
    std::vector<size_t> all(parts.size());
    for (size_t i = 0; i < all.size(); ++i) all[i] = i;
    return merge(all, true);
  }
  // 1. Flush the delta when it is full.
  if (delta_size > 0 && delta_size >= policy.delta_max) GITMEM_RETURN_IF_ERROR(merge({}, true));
  // 2. Rebuild parts that are mostly dead.
  for (size_t i = 0; i < parts.size();) {
    if (MostlyDead(parts[i], policy)) {
      GITMEM_RETURN_IF_ERROR(merge({i}, false));
      continue;  // parts shifted; re-examine position i
    }
    ++i;
  }
  // 3. Size-tiered merging.
  for (bool changed = true; changed;) {
    changed = false;
    std::unordered_map<size_t, std::vector<size_t>> tiers;
    for (size_t i = 0; i < parts.size(); ++i)
      tiers[Tier(parts[i].live(), policy.delta_max, policy.merge_factor)].push_back(i);
    size_t best = SIZE_MAX;
    for (const auto& [tier, members] : tiers)
      if (members.size() >= policy.merge_factor) best = std::min(best, tier);
    if (best != SIZE_MAX) {
      GITMEM_RETURN_IF_ERROR(merge(tiers[best], false));
      changed = true;
    }
  }
  return Status::Ok();
}

}  // namespace gitmem::segmented
