// gc's share of the search index data (docs/architecture.md, "gc"): manifests of trees
// nothing reaches, branch pointers of deleted branches, segments (chunks and files) no
// remaining manifest names, and stored vectors whose content no reachable memory has.
//
// As with objects, index data is read at gc's first snapshot S (IndexSweep::Scan) and
// deleted only if it is still garbage by what is reachable at S2, while writes are
// paused (Decide). gc holds Store::GcLock throughout, so no manifest, segment or branch
// pointer is written in between; vectors can be (a commit stores the embeddings it was
// given), but a vector written after S is not in the sweep, so it is never a candidate.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "store/store.h"

namespace gitmem::search {

/// What gc knows is reachable, at the snapshot it decides by.
struct IndexLiveness {
  std::function<bool(const ObjectId& tree)> tree;
  std::function<Result<bool>(std::string_view repo, std::string_view branch)> branch;
  std::function<bool(const ObjectId& content_hash)> content;
};

struct IndexGarbage {
  std::vector<std::string> index_keys;   // `indexes` family
  std::vector<std::string> vector_keys;  // `vectors` family
  std::vector<std::string> files;        // segment files: removed after the keys
  uint64_t snapshots = 0;                // manifests and branch pointers
  uint64_t vectors = 0;
  uint64_t bytes = 0;
  bool empty() const { return index_keys.empty() && vector_keys.empty() && files.empty(); }
};

/// The search index data of a store at one snapshot, as gc and fsck need it.
class IndexSweep {
 public:
  /// Reads the index data at `snap`; vectors whose content `content_live` accepts are
  /// not candidates, and without `content_live` vectors are not read at all.
  static Result<IndexSweep> Scan(const Store& store, const Snapshot* snap,
                                 const std::function<bool(const ObjectId&)>& content_live = {});
  /// The garbage among what Scan read, by `live`.
  Result<IndexGarbage> Decide(const IndexLiveness& live) const;
  /// fsck's findings: manifests that do not decode and segments a manifest names that
  /// are stored neither as a file nor as chunks.
  std::vector<std::string> Problems() const;

 private:
  struct Pointer {
    std::string key, repo, branch;
    uint64_t bytes;
  };
  struct Manifest {
    std::string key;
    ObjectId tree;
    uint64_t bytes;
    bool decodes;
    bool lists_segments;
    std::vector<std::string> segments;  // kind + key
  };
  struct Segment {
    std::vector<std::string> chunk_keys;
    uint64_t bytes = 0;
  };
  struct File {
    std::string path, segment;  // segment: "v" + key; empty for a leftover temporary file
    uint64_t bytes;
  };
  struct Vector {
    std::string key;
    ObjectId content;
    uint64_t bytes;
  };
  std::vector<Pointer> pointers_;
  std::vector<Manifest> manifests_;
  std::map<std::string, Segment> segments_;  // kind + key
  std::vector<File> files_;
  std::vector<Vector> vectors_;
};

}  // namespace gitmem::search
