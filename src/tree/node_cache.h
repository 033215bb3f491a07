// A sharded LRU cache of decoded tree nodes, bounded in bytes. Nodes are immutable and
// addressed by content, so a cached node can never be stale.
//
// Thread safety: all methods are safe to call concurrently; a lookup locks one shard.
#pragma once

#include <array>
#include <list>
#include <mutex>
#include <unordered_map>

#include "tree/node_source.h"

namespace gitmem::tree {

class NodeCache {
 public:
  explicit NodeCache(size_t capacity_bytes) : shard_capacity_(capacity_bytes / kShards + 1) {}
  NodePtr Find(const ObjectId& id);
  void Insert(const ObjectId& id, NodePtr node);

 private:
  static constexpr size_t kShards = 16;
  struct Shard {
    std::mutex mu;
    std::list<std::pair<ObjectId, NodePtr>> lru;  // front = most recent
    std::unordered_map<ObjectId, std::list<std::pair<ObjectId, NodePtr>>::iterator, ObjectIdHash> map;
    size_t bytes = 0;
  };
  Shard& ShardFor(const ObjectId& id) { return shards_[id.bytes[31] % kShards]; }
  static size_t Charge(const Node& node);
  size_t shard_capacity_;
  std::array<Shard, kShards> shards_;
};

}  // namespace gitmem::tree
