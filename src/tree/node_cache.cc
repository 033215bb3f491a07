#include "tree/node_cache.h"

namespace gitmem::tree {

size_t NodeCache::Charge(const Node& node) {
  size_t n = sizeof(Node) + 64;
  for (const Entry& e : node.entries) n += sizeof(Entry) + e.key.capacity();
  return n;
}

NodePtr NodeCache::Find(const ObjectId& id) {
  Shard& s = ShardFor(id);
  std::lock_guard<std::mutex> lock(s.mu);
  auto it = s.map.find(id);
  if (it == s.map.end()) return nullptr;
  s.lru.splice(s.lru.begin(), s.lru, it->second);
  return it->second->second;
}

void NodeCache::Insert(const ObjectId& id, NodePtr node) {
  const size_t charge = Charge(*node);
  Shard& s = ShardFor(id);
  std::lock_guard<std::mutex> lock(s.mu);
  if (s.map.count(id)) return;
  s.lru.emplace_front(id, std::move(node));
  s.map.emplace(id, s.lru.begin());
  s.bytes += charge;
  while (s.bytes > shard_capacity_ && s.lru.size() > 1) {
    auto& victim = s.lru.back();
    s.bytes -= Charge(*victim.second);
    s.map.erase(victim.first);
    s.lru.pop_back();
  }
}

}  // namespace gitmem::tree
