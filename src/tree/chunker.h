// Content-defined chunking of one tree level (in the manner of Dolt's prolly trees).
//
// Entries arrive in key order; after each one the chunker decides whether the current
// node ends there. The decision depends only on the entry's key hash and on how many
// bytes the node already holds, and the state resets at every boundary — so the same
// entry sequence always chunks the same way, and after an edit the chunking falls back
// into step with the old one within a node or two. The size-aware rule: no boundary
// below kMinNodeBytes; above it the per-byte boundary probability grows linearly, so node
// sizes follow a Rayleigh distribution with mean about 1.2 KB; a node never exceeds
// kMaxNodeBytes.
#pragma once

#include <cstdint>
#include <vector>

#include "tree/node_source.h"

namespace gitmem::tree {

inline constexpr size_t kMinNodeBytes = 384;
inline constexpr size_t kNodeScaleBytes = 640;
inline constexpr size_t kMaxNodeBytes = 4096;

/// True when a node that held `before` bytes and grows to `after` bytes by adding an entry
/// with key hash `key_hash` ends after that entry.
bool IsBoundary(uint64_t key_hash, size_t before, size_t after);
/// The key hash used for boundary decisions at a level.
uint64_t BoundaryHash(std::string_view key, uint32_t level);

class Chunker {
 public:
  /// New nodes go to `sink`; each node's descriptor (last key, id, count) to `out`.
  Chunker(uint32_t level, NodeSink* sink, std::vector<Entry>* out) : level_(level), sink_(sink), out_(out) {}

  void Add(Entry e);
  /// Emits the last, partial node (the end of a level is always a boundary).
  void Finish();
  /// True at a boundary: nothing buffered.
  bool at_boundary() const { return node_.entries.empty(); }

 private:
  void Emit();
  uint32_t level_;
  NodeSink* sink_;
  std::vector<Entry>* out_;
  Node node_;
  size_t bytes_ = 0;
};

}  // namespace gitmem::tree
