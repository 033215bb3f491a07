// Maintenance types of the C++ API: the options and reports of fsck (verify objects and
// refs) and gc (free what nothing reaches), side by side.
//
// Thread safety: plain values. A ProgressFn is called on the thread that made the call.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "gitmem/options.hpp"

namespace gitmem {

struct FsckOptions {
  /// Also verify the hash of every object in the store, reachable or not.
  bool all_objects = false;
  ProgressFn progress;
};

/// What an fsck found. Damage is listed in `problems`; an error result instead of a report
/// means the check itself could not run.
struct FsckReport {
  uint64_t objects_checked = 0;
  uint64_t commits = 0, trees = 0, blobs = 0;
  std::vector<std::string> problems;  ///< empty when the store is consistent
  bool ok() const { return problems.empty(); }
};

struct GcOptions {
  /// Only report what would be freed.
  bool dry_run = false;
  ProgressFn progress;
};

struct GcReport {
  uint64_t objects_scanned = 0;  ///< objects in the store when gc started
  uint64_t objects_reachable = 0;
  uint64_t objects_freed = 0;
  uint64_t bytes_freed = 0;            ///< bytes of the freed objects' values
  uint64_t session_entries_freed = 0;  ///< session index entries of freed blobs
  /// Search index manifests of trees nothing reaches, and deleted branches' pointers.
  uint64_t index_snapshots_freed = 0;
  uint64_t vectors_freed = 0;      ///< stored embeddings of contents no memory has
  uint64_t index_bytes_freed = 0;  ///< search index data freed (snapshots, segments, vectors)
};

}  // namespace gitmem
