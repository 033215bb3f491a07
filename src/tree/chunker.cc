#include "tree/chunker.h"

#include "util/hash.h"

namespace gitmem::tree {

uint64_t BoundaryHash(std::string_view key, uint32_t level) { return StableHash64(key, 0x676974'6d656d00ull + level); }

bool IsBoundary(uint64_t key_hash, size_t before, size_t after) {
  if (after >= kMaxNodeBytes) return true;
  if (after <= kMinNodeBytes) return false;
  // Probability that the boundary falls within this entry's bytes: the integral of the
  // linear hazard (x - min) / scale^2 over [before, after], in 32-bit fixed point.
  const uint64_t a = before > kMinNodeBytes ? before - kMinNodeBytes : 0;
  const uint64_t b = after - kMinNodeBytes;
  const uint64_t num = b * b - a * a;
  const uint64_t den = 2ull * kNodeScaleBytes * kNodeScaleBytes;
  const uint64_t threshold = (num << 32) / den;
  return (key_hash >> 32) < threshold;
}

void Chunker::Add(Entry e) {
  const size_t before = bytes_;
  bytes_ += EncodedEntrySize(level_, e);
  const uint64_t h = BoundaryHash(e.key, level_);
  node_.entries.push_back(std::move(e));
  if (IsBoundary(h, before, bytes_)) Emit();
}

void Chunker::Finish() {
  if (!node_.entries.empty()) Emit();
}

void Chunker::Emit() {
  node_.level = level_;
  Entry desc;
  desc.key = node_.entries.back().key;
  desc.count = node_.total_count();
  std::string bytes = EncodeNode(node_);
  desc.ref = Sha256(bytes);
  auto ptr = std::make_shared<const Node>(std::move(node_));
  sink_->Store(desc.ref, std::move(bytes), std::move(ptr));
  out_->push_back(std::move(desc));
  node_ = Node();
  bytes_ = 0;
}

}  // namespace gitmem::tree
