// VectorIndex serialisation: self-contained bytes and manifests (segment keys instead of
// segment bytes).
#include "search/vector/internal.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <limits>
#include <new>
#include <unordered_map>

#include "search/segmented/body.h"
#include "search/segmented/tombstones.h"
#include "util/coding.h"
#include "util/hash.h"

namespace gitmem::index {

// ---------------------------------------------------------------------------------------
// Serialisation

namespace {

const segmented::BodyFormat kBody{std::string_view(kIndexMagic, 4), kFormatVersion, "vector index"};

}  // namespace

Status VectorIndex::SerializeBody(bool inline_segments, std::string* out) const {
  segmented::PutBodyHeader(out, kBody, inline_segments);
  const auto& o = options_;
  PutVarint64(out, o.dimension);
  out->push_back(o.normalize ? 1 : 0);
  PutVarint64(out, o.flat_max);
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_m));
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_ef_construction));
  PutVarint64(out, static_cast<uint64_t>(o.hnsw_ef_search));
  segmented::PutCompactionOptions(out, o, o.auto_compact);

  PutVarint64(out, parts_.size());
  for (const auto& p : parts_) {
    GITMEM_ASSIGN_OR_RETURN(std::string segment, inline_segments ? p.segment->Serialize() : p.segment->Key());
    segmented::PutPart(out, segment, p.dead.get());
  }
  const Delta& delta = *delta_;
  PutVarint64(out, delta.docs.size());
  for (uint64_t doc : delta.docs) PutFixed64(out, doc);
  for (float f : delta.data) PutFloat(out, f);
  return Status::Ok();
}

Result<std::string> VectorIndex::Serialize() const {
  std::string out;
  GITMEM_RETURN_IF_ERROR(SerializeBody(true, &out));
  return out;
}

Result<std::string> VectorIndex::SerializeManifest() const {
  std::string out;
  GITMEM_RETURN_IF_ERROR(SerializeBody(false, &out));
  return out;
}

Result<VectorIndex> VectorIndex::Deserialize(std::string_view bytes) { return DeserializeBody(bytes, true, nullptr); }

Result<VectorIndex> VectorIndex::DeserializeManifest(std::string_view bytes, const SegmentLoader& load) {
  return DeserializeBody(bytes, false, &load);
}

Result<VectorIndex> VectorIndex::DeserializeBody(std::string_view in, bool inline_segments,
                                                 const SegmentLoader* load_segment) {
  GITMEM_RETURN_IF_ERROR(segmented::GetBodyHeader(&in, kBody, inline_segments));
  std::string_view b1;
  VectorIndexOptions o;
  uint64_t dim, flat_max, m, efc, efs;
  if (!GetVarint64(&in, &dim) || !GetBytes(&in, 1, &b1) || !GetVarint64(&in, &flat_max) || !GetVarint64(&in, &m) ||
      !GetVarint64(&in, &efc) || !GetVarint64(&in, &efs) ||
      !segmented::GetCompactionOptions(&in, &o, &o.auto_compact)) {
    return Corrupt("truncated options");
  }
  o.dimension = dim;
  o.normalize = b1[0] != 0;
  o.flat_max = flat_max;
  o.hnsw_m = static_cast<int>(std::min<uint64_t>(m, 1u << 20));
  o.hnsw_ef_construction = static_cast<int>(std::min<uint64_t>(efc, 1u << 20));
  o.hnsw_ef_search = static_cast<int>(std::min<uint64_t>(efs, 1u << 20));
  auto created = Create(o);
  if (!created.ok()) return Corrupt("options: " + created.status().message());
  VectorIndex index = std::move(created).value();

  auto load = [&](std::string_view bytes) -> Result<std::shared_ptr<const VectorSegment>> {
    std::shared_ptr<const VectorSegment> seg;
    if (inline_segments) {
      GITMEM_ASSIGN_OR_RETURN(seg, VectorSegment::Deserialize(bytes));
    } else {
      GITMEM_ASSIGN_OR_RETURN(seg, (*load_segment)(bytes));
    }
    if (seg && seg->dimension() != o.dimension) return Corrupt("segment dimension differs from the index");
    return seg;
  };
  GITMEM_RETURN_IF_ERROR(segmented::GetParts(
      &in, kBody, load, [](Tombstones&, const VectorSegment&) {}, &index.parts_));
  for (const Part& part : index.parts_) index.live_ += part.live();
  uint64_t nd = 0;
  if (!GetVarint64(&in, &nd) || nd > in.size() / 8) return Corrupt("truncated delta");
  auto delta = std::make_shared<Delta>();
  delta->docs.resize(nd);
  for (auto& doc : delta->docs) GetFixed64(&in, &doc);
  if (in.size() != nd * o.dimension * 4) return Corrupt("delta size mismatch");
  delta->data.resize(nd * o.dimension);
  for (auto& f : delta->data) GetFloat(&in, &f);
  index.live_ += nd;
  index.delta_ = std::move(delta);
  return index;
}

}  // namespace gitmem::index
