// The shared parts of the segmented indexes' bytes (see the header).
#include "search/segmented/body.h"

#include <cstring>

namespace gitmem::segmented {

Status BodyFormat::Corrupt(std::string_view what) const {
  return Status::Corruption(std::string(name) + ": " + std::string(what));
}

void PutBodyHeader(std::string* out, const BodyFormat& f, bool inline_segments) {
  out->append(f.magic);
  PutFixed32(out, f.version);
  out->push_back(inline_segments ? 0 : 1);
}

Status GetBodyHeader(std::string_view* in, const BodyFormat& f, bool inline_segments) {
  std::string_view magic, mode;
  uint32_t version = 0;
  if (!GetBytes(in, 4, &magic) || magic != f.magic) return f.Corrupt("bad magic");
  if (!GetFixed32(in, &version) || version != f.version) return f.Corrupt("unsupported format version");
  if (!GetBytes(in, 1, &mode) || mode[0] != (inline_segments ? 0 : 1)) {
    return f.Corrupt(inline_segments ? "expected a self-contained index, found a manifest"
                                     : "expected a manifest, found a self-contained index");
  }
  return Status::Ok();
}

void PutCompactionOptions(std::string* out, const CompactionPolicy& policy, bool auto_compact) {
  PutVarint64(out, policy.delta_max);
  uint64_t frac_bits;
  std::memcpy(&frac_bits, &policy.tombstone_max_fraction, 8);
  PutFixed64(out, frac_bits);
  PutVarint64(out, policy.merge_factor);
  out->push_back(auto_compact ? 1 : 0);
}

bool GetCompactionOptions(std::string_view* in, CompactionPolicy* policy, bool* auto_compact) {
  uint64_t delta_max, frac_bits, merge_factor;
  std::string_view flag;
  if (!GetVarint64(in, &delta_max) || !GetFixed64(in, &frac_bits) || !GetVarint64(in, &merge_factor) ||
      !GetBytes(in, 1, &flag))
    return false;
  policy->delta_max = delta_max;
  std::memcpy(&policy->tombstone_max_fraction, &frac_bits, 8);
  policy->merge_factor = merge_factor;
  *auto_compact = flag[0] != 0;
  return true;
}

void PutPart(std::string* out, std::string_view segment, const Tombstones* dead) {
  PutLengthPrefixed(out, segment);
  const size_t count = dead ? dead->count : 0;
  PutVarint64(out, count);
  if (count > 0)
    for (uint64_t w : dead->bits) PutFixed64(out, w);
}

}  // namespace gitmem::segmented
