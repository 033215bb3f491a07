// Reciprocal rank fusion (Cormack, Clarke & Buettcher, SIGIR 2009):
//
//   score(doc) = sum over lists L containing doc of  weight_L / (k + rank_L(doc)),
//
// ranks starting at 1, k = 60 by default. Ordered by fused score descending; ties go to
// the document with the better (smaller) best rank, then to the smaller doc number, so
// the order is fully deterministic.
//
// Thread safety: pure function.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "gitmem/status.hpp"

namespace gitmem::search {

struct FusedHit {
  uint64_t doc;
  double score;
  uint32_t best_rank;  ///< smallest 1-based rank over the lists
  friend bool operator==(const FusedHit&, const FusedHit&) = default;
};

struct RrfOptions {
  double k = 60.0;
  /// One weight per list; empty means 1.0 for every list.
  std::vector<double> weights;
  /// Keep at most this many results (0 = all).
  size_t limit = 0;
};

/// Fuses ranked lists of doc numbers (best first; a doc repeated within one list counts
/// at its first rank). kInvalidArgument when k <= 0, a weight is negative or not finite,
/// or weights.size() does not match the number of lists.
Result<std::vector<FusedHit>> FuseRrf(std::span<const std::vector<uint64_t>> lists, const RrfOptions& options = {});

}  // namespace gitmem::search
