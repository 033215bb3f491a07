// VectorIndex compaction: flushing the delta, rebuilding segments with many dead vectors,
// and size-tiered merging.
#include "search/vector/internal.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_map>

#include "search/segmented/compaction.h"
#include "search/segmented/tombstones.h"
#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::index {

bool VectorIndex::NeedsCompaction() const { return segmented::NeedsCompaction(parts_, delta_->docs.size(), options_); }

Status VectorIndex::MaybeCompact() {
  if (!options_.auto_compact || !NeedsCompaction()) return Status::Ok();
  return Compact(false);
}

Status VectorIndex::Compact(bool full, const std::string& origin) {
  const size_t d = options_.dimension;
  // Replaces parts `which` (and the delta) by one segment of their live vectors.
  auto merge = [&](const std::vector<size_t>& which, bool with_delta) -> Status {
    std::vector<uint64_t> docs;
    std::vector<float> data;
    for (size_t w : which) {
      const Part& p = parts_[w];
      for (size_t pos = 0; pos < p.segment->size(); ++pos) {
        if (p.dead && p.dead->test(pos)) continue;
        docs.push_back(p.segment->doc(pos));
        const float* v = p.segment->vector(pos);
        data.insert(data.end(), v, v + d);
      }
    }
    if (with_delta) {
      docs.insert(docs.end(), delta_->docs.begin(), delta_->docs.end());
      data.insert(data.end(), delta_->data.begin(), delta_->data.end());
    }
    std::shared_ptr<const VectorSegment> seg;
    if (!docs.empty()) {
      GITMEM_ASSIGN_OR_RETURN(seg, VectorSegment::Build(options_, docs, data, origin));
    }
    segmented::ReplaceParts(&parts_, which, std::move(seg));
    if (with_delta) delta_ = std::make_shared<Delta>();
    return Status::Ok();
  };
  return segmented::Compact(parts_, delta_->docs.size(), options_, full, merge);
}

}  // namespace gitmem::index
