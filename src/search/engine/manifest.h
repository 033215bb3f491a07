// The value of an index manifest record (`indexes` family, keys::IndexManifestKey): the
// vector and keyword index manifests of one tree, its commit, and the segments they name.
// The engine writes it on persist; gc and fsck read only the segment lists.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "gitmem/memory.hpp"
#include "gitmem/status.hpp"

namespace gitmem::search {

/// The manifests are views into the bytes decoded (or serialised): they can hold megabytes
/// of delta vectors, and gc and fsck only want the segment lists.
struct ManifestValue {
  std::string_view vector_manifest, keyword_manifest;
  ObjectId commit;
  /// False for manifests written before they listed their segments.
  bool lists_segments = false;
  std::vector<std::string> vector_segments, keyword_segments;  // segment keys
};

std::string EncodeManifestValue(const ManifestValue& v);
/// kCorruption for malformed bytes.
Result<ManifestValue> DecodeManifestValue(std::string_view bytes);

}  // namespace gitmem::search
