// An in-memory node store for tree tests: every node written is kept, nothing else.
#pragma once

#include <map>
#include <memory>
#include <string>

#include "tree/node_source.h"
#include "tree/prolly_tree.h"

namespace gitmem::tree::testing {

class MemNodes final : public NodeSource, public NodeSink {
 public:
  MemNodes() { nodes_[EmptyTreeId()] = std::make_shared<const Node>(); }
  Result<NodePtr> Load(const ObjectId& id) const override {
    auto it = nodes_.find(id);
    if (it == nodes_.end()) return Status::Corruption("missing node");
    return it->second;
  }
  void Store(const ObjectId& id, std::string, NodePtr node) override { nodes_[id] = std::move(node); }

 private:
  std::map<ObjectId, NodePtr> nodes_;
};

}  // namespace gitmem::tree::testing
