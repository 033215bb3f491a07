// Copy-on-write tombstones, shared by the vector index (src/search/vector/) and the keyword
// index (src/search/keyword/): both keep, per immutable segment, a bitmap of dead positions
// that branches share until one of them writes.
//
// Thread safety: the caller owns `parts` exclusively (indexes are mutated by one thread,
// then published). A bitmap is cloned unless this index holds the only reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <type_traits>
#include <vector>

namespace gitmem::segmented {

/// One tombstone bit per segment position. An index may extend it with bookkeeping of
/// its own (the keyword index sums the dead documents' lengths).
struct Tombstones {
  std::vector<uint64_t> bits;
  size_t count = 0;
  bool test(size_t pos) const { return (bits[pos >> 6] >> (pos & 63)) & 1; }
};

/// Marks `doc` dead in the newest segment of `parts` that holds it live. `Part` has
/// `segment` (shared_ptr to a segment with Find(doc) -> position or -1, and size()) and
/// `dead` (shared_ptr<const T>, T a Tombstones; null = none dead). `on_dead(tombstones&,
/// segment, pos)` runs on the writable bitmap for extra bookkeeping. Returns false when no
/// segment holds `doc` live.
template <class Part, class OnDead>
bool MarkDeadCopyOnWrite(std::vector<Part>& parts, uint64_t doc, OnDead&& on_dead) {
  using Tomb = std::remove_const_t<typename decltype(Part::dead)::element_type>;
  for (auto it = parts.rbegin(); it != parts.rend(); ++it) {
    const int64_t pos = it->segment->Find(doc);
    if (pos < 0) continue;
    const auto p = static_cast<size_t>(pos);
    if (it->dead && it->dead->test(p)) continue;
    std::shared_ptr<Tomb> t;
    if (it->dead && it->dead.use_count() == 1) {
      t = std::const_pointer_cast<Tomb>(it->dead);  // ours alone: write in place
    } else if (it->dead) {
      t = std::make_shared<Tomb>(*it->dead);  // shared with another branch: clone
    } else {
      t = std::make_shared<Tomb>();
      t->bits.assign((it->segment->size() + 63) / 64, 0);
    }
    t->bits[p >> 6] |= uint64_t{1} << (p & 63);
    ++t->count;
    on_dead(*t, *it->segment, p);
    it->dead = std::move(t);
    return true;
  }
  return false;
}

}  // namespace gitmem::segmented
