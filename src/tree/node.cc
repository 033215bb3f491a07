#include "tree/node.h"

#include <algorithm>

#include "util/coding.h"

namespace gitmem::tree {

namespace {
constexpr char kTag = 'T';
constexpr char kVersion = 1;
size_t VarintLength(uint64_t v) {
  size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}
}  // namespace

uint64_t Node::total_count() const {
  if (is_leaf()) return entries.size();
  uint64_t n = 0;
  for (const Entry& e : entries) n += e.count;
  return n;
}

size_t Node::LowerBound(std::string_view key) const {
  auto it = std::lower_bound(entries.begin(), entries.end(), key,
                             [](const Entry& e, std::string_view k) { return e.key < k; });
  return static_cast<size_t>(it - entries.begin());
}

size_t EncodedEntrySize(uint32_t level, const Entry& e) {
  size_t n = VarintLength(e.key.size()) + e.key.size() + 32;
  if (level > 0) n += VarintLength(e.count);
  return n;
}

std::string EncodeNode(const Node& node) {
  std::string out;
  size_t size = 16;
  for (const Entry& e : node.entries) size += EncodedEntrySize(node.level, e);
  out.reserve(size);
  out.push_back(kTag);
  out.push_back(kVersion);
  PutVarint64(&out, node.level);
  PutVarint64(&out, node.entries.size());
  for (const Entry& e : node.entries) {
    PutLengthPrefixed(&out, e.key);
    out.append(reinterpret_cast<const char*>(e.ref.bytes.data()), 32);
    if (node.level > 0) PutVarint64(&out, e.count);
  }
  return out;
}

bool IsNodeObject(std::string_view bytes) { return bytes.size() >= 2 && bytes[0] == kTag; }

Result<Node> DecodeNode(std::string_view in) {
  if (in.size() < 2 || in[0] != kTag) return Status::Corruption("tree node: bad object tag");
  if (in[1] != kVersion) return Status::Corruption("tree node: unsupported format version");
  in.remove_prefix(2);
  Node node;
  uint64_t level, n;
  if (!GetVarint64(&in, &level) || !GetVarint64(&in, &n) || level > 64)
    return Status::Corruption("tree node: bad header");
  if (n > in.size()) return Status::Corruption("tree node: entry count exceeds node size");
  node.level = static_cast<uint32_t>(level);
  node.entries.resize(n);
  for (uint64_t i = 0; i < n; ++i) {
    Entry& e = node.entries[i];
    std::string_view key, ref;
    if (!GetLengthPrefixed(&in, &key) || !GetBytes(&in, 32, &ref))
      return Status::Corruption("tree node: truncated entry");
    e.key.assign(key);
    std::copy(ref.begin(), ref.end(), e.ref.bytes.begin());
    if (level > 0) {
      if (!GetVarint64(&in, &e.count) || e.count == 0) return Status::Corruption("tree node: bad subtree count");
    }
    if (i > 0 && !(node.entries[i - 1].key < e.key)) return Status::Corruption("tree node: keys out of order");
  }
  if (!in.empty()) return Status::Corruption("tree node: trailing bytes");
  if (level > 0 && n == 0) return Status::Corruption("tree node: empty internal node");
  return node;
}

}  // namespace gitmem::tree
