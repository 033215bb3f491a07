#include "search/fusion.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace gitmem::search {

Result<std::vector<FusedHit>> FuseRrf(std::span<const std::vector<uint64_t>> lists, const RrfOptions& options) {
  if (!(options.k > 0.0) || !std::isfinite(options.k)) {
    return Status::InvalidArgument("k: must be a finite number > 0");
  }
  if (!options.weights.empty() && options.weights.size() != lists.size()) {
    return Status::InvalidArgument("weights: " + std::to_string(options.weights.size()) + " weights for " +
                                   std::to_string(lists.size()) + " lists");
  }
  for (double w : options.weights) {
    if (!std::isfinite(w) || w < 0.0) {
      return Status::InvalidArgument("weights: every weight must be a finite number >= 0");
    }
  }
  std::unordered_map<uint64_t, size_t> slot;
  std::vector<FusedHit> hits;
  for (size_t l = 0; l < lists.size(); ++l) {
    const double w = options.weights.empty() ? 1.0 : options.weights[l];
    std::unordered_set<uint64_t> seen;
    uint32_t rank = 0;
    for (uint64_t doc : lists[l]) {
      ++rank;
      if (!seen.insert(doc).second) continue;
      auto [it, inserted] = slot.emplace(doc, hits.size());
      if (inserted) hits.push_back({doc, 0.0, rank});
      FusedHit& h = hits[it->second];
      h.score += w / (options.k + rank);
      h.best_rank = std::min(h.best_rank, rank);
    }
  }
  std::sort(hits.begin(), hits.end(), [](const FusedHit& a, const FusedHit& b) {
    if (a.score != b.score) return a.score > b.score;
    if (a.best_rank != b.best_rank) return a.best_rank < b.best_rank;
    return a.doc < b.doc;
  });
  if (options.limit > 0 && hits.size() > options.limit) hits.resize(options.limit);
  return hits;
}

}  // namespace gitmem::search
