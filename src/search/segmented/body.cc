// The shared parts of the segmented indexes' bytes (see the header).
#include "search/segmented/body.h"

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

void PutPart(std::string* out, std::string_view segment, const Tombstones* dead) {
  PutLengthPrefixed(out, segment);
  const size_t count = dead ? dead->count : 0;
  PutVarint64(out, count);
  if (count > 0)
    for (uint64_t w : dead->bits) PutFixed64(out, w);
}

}  // namespace gitmem::segmented
