// Prolly tree nodes: the canonical encoding of a tree level's chunk.
//
// A leaf (level 0) maps memory id -> blob id. An internal node (level > 0) lists its
// children by their last key, with each child's subtree count so that counting and
// seeking by position cost O(log N). Encoding (docs/format.md):
//   'T' 0x01 varint(level) varint(n) n * [lp(key) id(32) (level > 0: varint(count))]
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/memory.hpp"
#include "gitmem/status.hpp"

namespace gitmem::tree {

struct Entry {
  std::string key;     ///< memory id (leaf) or the child's last key (internal)
  ObjectId ref;        ///< blob id (leaf) or child node id (internal)
  uint64_t count = 1;  ///< memories below this entry (1 in a leaf)
  friend bool operator==(const Entry&, const Entry&) = default;
};

struct Node {
  uint32_t level = 0;
  std::vector<Entry> entries;

  bool is_leaf() const { return level == 0; }
  uint64_t total_count() const;
  /// Index of the first entry whose key is >= key (entries.size() when none).
  size_t LowerBound(std::string_view key) const;
};

using NodePtr = std::shared_ptr<const Node>;

/// Bytes one entry adds to a node's encoding (what the chunker measures).
size_t EncodedEntrySize(uint32_t level, const Entry& e);
std::string EncodeNode(const Node& node);
/// Decodes and checks structure: keys strictly increasing, counts consistent, no trailing bytes.
Result<Node> DecodeNode(std::string_view bytes);
/// True when `bytes` starts like a tree node object.
bool IsNodeObject(std::string_view bytes);

}  // namespace gitmem::tree
