// RepoReader: everything the search subsystem reads from a repository. The engine sees a
// repository only through this interface (the repository adapts itself to it, see
// src/repo/search.cc), so search depends on the store, the tree and the public types, and
// never on how a repository keeps its refs, caches and locks.
//
// Thread safety: every method may be called from many threads at once.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "gitmem/memory.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/status.hpp"
#include "store/store.h"
#include "tree/node_source.h"

namespace gitmem::search {

/// What a read resolved to: a commit's tree, or a branch's working state (its head tree
/// with the staged changes applied in memory).
struct ReadTarget {
  std::string branch;  ///< set for a branch working state
  ObjectId commit;     ///< zero for an unborn branch
  ObjectId tree;
};

class RepoReader {
 public:
  virtual ~RepoReader() = default;

  /// The repository's name (its meta record and branch pointers are keyed by it).
  virtual const std::string& name() const = 0;
  /// The store the repository lives in; the indexes persist into its `indexes` and
  /// `vectors` column families and its segment folder.
  virtual Store& store() const = 0;
  /// The committed tree nodes, through the repository's node cache.
  virtual const tree::NodeSource& nodes() const = 0;

  /// The head commit of `branch`; nullopt for an unborn branch.
  virtual Result<std::optional<ObjectId>> BranchHead(std::string_view branch) const = 0;
  virtual Result<CommitInfo> LoadCommit(const ObjectId& commit) const = 0;
  virtual Result<ObjectId> TreeOfCommit(const ObjectId& commit) const = 0;
  virtual Result<Memory> LoadBlob(const ObjectId& blob) const = 0;
  /// Resolves a read at `snap`. Working-state nodes go to `overlay` (whose base must be
  /// nodes()), which must outlive their use. kNotFound for an unborn HEAD.
  virtual Result<ReadTarget> Resolve(const ReadOptions& at, tree::OverlaySource* overlay,
                                     const Snapshot* snap) const = 0;
};

}  // namespace gitmem::search
