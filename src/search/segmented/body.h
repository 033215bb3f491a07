// The serialised body both segmented indexes share (docs/search.md, "Serialisation"):
//
//   magic (4) | version (fixed32) | mode (1: 0 = segments inline, 1 = segment keys)
//   | the index's options | part count (varint)
//   | per part: segment bytes or key (length-prefixed), dead count (varint),
//               the tombstone words (fixed64 each) when any is dead
//   | the index's delta
//
// The options and the delta are each index's own; these helpers read and write the rest.
// Readers report malformed input as kCorruption prefixed with the index's name.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/status.hpp"
#include "search/segmented/compaction.h"
#include "search/segmented/tombstones.h"
#include "util/coding.h"

namespace gitmem::segmented {

/// The magic, version and kind of an index's bytes; `name` prefixes corruption messages.
struct BodyFormat {
  std::string_view magic;  // 4 bytes
  uint32_t version;
  std::string_view name;  // e.g. "vector index"
  Status Corrupt(std::string_view what) const;
};

void PutBodyHeader(std::string* out, const BodyFormat& f, bool inline_segments);
/// Consumes the header; kCorruption when it is not `f`'s in the expected mode.
Status GetBodyHeader(std::string_view* in, const BodyFormat& f, bool inline_segments);

/// The compaction fields of an index's options, as both write them: delta_max (varint),
/// tombstone_max_fraction (the double's bits, fixed64), merge_factor (varint), auto_compact
/// (one byte). Get returns false on truncated input.
void PutCompactionOptions(std::string* out, const CompactionPolicy& policy, bool auto_compact);
bool GetCompactionOptions(std::string_view* in, CompactionPolicy* policy, bool* auto_compact);

/// One part: its segment (bytes or key) and its tombstones (null = none dead).
void PutPart(std::string* out, std::string_view segment, const Tombstones* dead);

/// Reads the part list. `load(bytes_or_key)` returns the segment (a Result of a shared_ptr
/// to a segment with size()); `Part` is {segment, dead}. The tombstones get their bits and
/// count; `on_dead(tombstones&, segment)` then adds an index's own bookkeeping.
template <class Part, class Load, class OnDead>
Status GetParts(std::string_view* in, const BodyFormat& f, Load&& load, OnDead&& on_dead, std::vector<Part>* parts) {
  using Tomb = std::remove_const_t<typename decltype(Part::dead)::element_type>;
  uint64_t nparts = 0;
  if (!GetVarint64(in, &nparts) || nparts > in->size()) return f.Corrupt("truncated segment list");
  for (uint64_t i = 0; i < nparts; ++i) {
    std::string_view seg_bytes;
    if (!GetLengthPrefixed(in, &seg_bytes)) return f.Corrupt("truncated segment");
    GITMEM_ASSIGN_OR_RETURN(auto seg, load(seg_bytes));
    if (!seg) return f.Corrupt("segment loader returned nothing");
    const size_t size = seg->size();
    uint64_t dead = 0;
    if (!GetVarint64(in, &dead) || dead > size) return f.Corrupt("truncated tombstones");
    Part part{std::move(seg), nullptr};
    if (dead > 0) {
      auto t = std::make_shared<Tomb>();
      t->bits.resize((size + 63) / 64);
      size_t count = 0;
      for (auto& w : t->bits) {
        if (!GetFixed64(in, &w)) return f.Corrupt("truncated tombstones");
        count += static_cast<size_t>(__builtin_popcountll(w));
      }
      if (count != dead || (size % 64 != 0 && (t->bits.back() >> (size % 64)) != 0))
        return f.Corrupt("tombstone count mismatch");
      t->count = count;
      on_dead(*t, *part.segment);
      part.dead = std::move(t);
    }
    parts->push_back(std::move(part));
  }
  return Status::Ok();
}

}  // namespace gitmem::segmented
