// Where tree code reads nodes from and writes new nodes to. The tree never talks to
// RocksDB: the repository supplies a source backed by the store and a node cache, and a
// sink that gathers new nodes into the commit's write batch.
#pragma once

#include <cstring>
#include <string>
#include <unordered_map>

#include "tree/node.h"

namespace gitmem::tree {

struct ObjectIdHash {
  size_t operator()(const ObjectId& id) const noexcept {
    size_t h;
    std::memcpy(&h, id.bytes.data(), sizeof h);
    return h;
  }
};

class NodeSource {
 public:
  virtual ~NodeSource() = default;
  virtual Result<NodePtr> Load(const ObjectId& id) const = 0;
};

class NodeSink {
 public:
  virtual ~NodeSink() = default;
  /// Called once per new node, with its canonical bytes and id.
  virtual void Store(const ObjectId& id, std::string bytes, NodePtr node) = 0;
};

/// Nodes made in memory and not (yet) in the store, read before an underlying source:
/// working states (head + staged changes) and commits in progress are trees of this kind.
class OverlaySource final : public NodeSource, public NodeSink {
 public:
  explicit OverlaySource(const NodeSource* base, NodeSink* forward = nullptr) : base_(base), forward_(forward) {}
  Result<NodePtr> Load(const ObjectId& id) const override {
    auto it = nodes_.find(id);
    if (it != nodes_.end()) return it->second;
    return base_->Load(id);
  }
  void Store(const ObjectId& id, std::string bytes, NodePtr node) override {
    nodes_.emplace(id, node);
    if (forward_) forward_->Store(id, std::move(bytes), std::move(node));
  }

 private:
  const NodeSource* base_;
  NodeSink* forward_;
  std::unordered_map<ObjectId, NodePtr, ObjectIdHash> nodes_;
};

}  // namespace gitmem::tree
