// Transfer types of the C++ API: options and report of moving memories in and out of a
// repository, as JSON Lines (ExportJsonl / ImportJsonl) or as bundles of objects and refs
// (ExportBundle / ImportBundle; docs/format.md).
//
// Thread safety: plain values. A ProgressFn is called on the thread that made the call.
#pragma once

#include <cstdint>
#include <string>

#include "gitmem/memory.hpp"
#include "gitmem/options.hpp"

namespace gitmem {

struct ExportOptions {
  std::string rev;  ///< JSONL: what to export (ReadOptions::rev); "" = HEAD's working state
  ProgressFn progress;
};

struct ImportOptions {
  std::string branch;   ///< "" = HEAD's branch
  std::string message;  ///< "" = "import <n> memories from <file>"
  std::string author;   ///< "" = RepositoryOptions::default_author
  ProgressFn progress;
  /// Bundles: move a ref that already exists at another commit (otherwise kConflict).
  bool force = false;
};

struct ImportReport {
  uint64_t memories = 0;  ///< JSONL: records read
  uint64_t objects = 0;   ///< bundle: objects read
  uint64_t refs = 0;      ///< bundle: refs set
  ObjectId commit;        ///< JSONL: the commit made (zero when nothing changed)
};

}  // namespace gitmem
