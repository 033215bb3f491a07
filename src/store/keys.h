// Every key gitmem writes, one maker and one parser per kind (as LevelDB's db/dbformat.h and
// db/filename.h do). No key is assembled or taken apart anywhere else; docs/format.md and
// docs/search.md describe the same layouts byte by byte.
//
//   family    key                                          value
//   objects   id (32 bytes)                                the object's bytes
//   refs      repo \0 full-ref                             commit id | "ref: refs/heads/<b>"
//   meta      "repo" \0 owner/name                         repository record (JSON)
//   staging   repo \0 branch \0                            be64(generation)
//             repo \0 branch \0 be64(generation) memory-id 'P' blob-id | 'D'
//   meta      "format"                                     be32(store format)
//   sessions  session \0 be64(timestamp_us) blob memory-id (empty)
//   vectors   embedder-id \0 content-hash                  float32 vector
//   indexes   's' kind segment-key be32(chunk)             segment bytes (kind 'v' | 'k')
//             'm' embedder-id \0 tree-id                   index manifest
//             'b' repo \0 branch                           tree-id commit-id
//             'd' be64(doc)                                memory id
//   <store>/search-segments/<segment-key>.gmvs              a vector segment file
//
// Repository, branch, tag and session names never contain \0 (validation rejects it), so
// \0 separates parts unambiguously. Parsers return nullopt for a malformed key; the views
// they return point into the key.
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "gitmem/memory.hpp"

namespace gitmem {

// ---- objects ------------------------------------------------------------------------------

/// An object id as the 32-byte key it has in the objects column family.
inline std::string_view IdView(const ObjectId& id) {
  return {reinterpret_cast<const char*>(id.bytes.data()), id.bytes.size()};
}

/// REQUIRES: b.size() >= 32.
inline ObjectId IdFromBytes(std::string_view b) {
  ObjectId id;
  std::copy(b.begin(), b.begin() + 32, id.bytes.begin());
  return id;
}

namespace keys {

std::optional<ObjectId> ParseObjectKey(std::string_view key);

// ---- refs ---------------------------------------------------------------------------------

inline constexpr std::string_view kHead = "HEAD";
inline constexpr std::string_view kRefsPrefix = "refs/";  ///< every ref but HEAD
inline constexpr std::string_view kHeadsPrefix = "refs/heads/";
inline constexpr std::string_view kTagsPrefix = "refs/tags/";

/// Full ref names: "refs/heads/<branch>", "refs/tags/<tag>".
std::string BranchRef(std::string_view branch);
std::string TagRef(std::string_view tag);
/// The branch (tag) a full ref name names; nullopt for another kind of ref.
std::optional<std::string_view> ParseBranchRef(std::string_view full_ref);
std::optional<std::string_view> ParseTagRef(std::string_view full_ref);

/// repo \0 full-ref.
std::string RefKey(std::string_view repo, std::string_view full_ref);
/// The keys of `repo`'s refs whose name starts with `ref_prefix` start with this.
std::string RefPrefix(std::string_view repo, std::string_view ref_prefix = {});
struct RefKeyParts {
  std::string_view repo, ref;
};
std::optional<RefKeyParts> ParseRefKey(std::string_view key);

/// HEAD's value: "ref: refs/heads/<branch>".
std::string SymbolicRef(std::string_view branch);
/// The branch a symbolic ref value names; nullopt when `value` is not one.
std::optional<std::string_view> ParseSymbolicRef(std::string_view value);

// ---- meta ---------------------------------------------------------------------------------

/// "repo" \0 owner/name: a repository's record.
std::string RepoMetaKey(std::string_view repo);
/// Every repository record's key starts with this.
std::string RepoMetaPrefix();
/// The repository name of a record key.
std::optional<std::string_view> ParseRepoMetaKey(std::string_view key);
/// "format": the store's format version (store/format.h).
std::string StoreFormatKey();

// ---- staging ------------------------------------------------------------------------------
// A branch's staged changes belong to its current generation. Clearing them (commit, discard,
// branch delete or rename) moves the branch to the next generation in the same write and
// deletes the old generation's entries. Those deletions sort before every later generation,
// so a read of what is staged seeks past them and never steps over a dead key, whatever
// RocksDB has compacted. Generations stay below 2^56, so an entry's generation begins with a
// 0 byte, which no memory id does: a key of the layout before generations
// (repo \0 branch \0 memory-id, store format 1) cannot be mistaken for one.

/// repo \0 branch \0: the branch's current generation (absent = 0).
std::string StagingGenerationKey(std::string_view repo, std::string_view branch);
std::string StagingGenerationValue(uint64_t generation);
std::optional<uint64_t> ParseStagingGenerationValue(std::string_view value);

/// repo \0 branch \0 be64(generation) memory-id.
std::string StagingKey(std::string_view repo, std::string_view branch, uint64_t generation, std::string_view id);
/// repo \0 branch \0 be64(generation): every staged change of one generation.
std::string StagingPrefix(std::string_view repo, std::string_view branch, uint64_t generation);
/// repo \0: every staging key of one repository.
std::string StagingRepoPrefix(std::string_view repo);
struct StagingKeyParts {
  std::string_view repo, branch;
  /// nullopt for the branch's generation record (which has no id).
  std::optional<uint64_t> generation;
  std::string_view id;
};
std::optional<StagingKeyParts> ParseStagingKey(std::string_view key);
/// A staged change of store format 1 (repo \0 branch \0 memory-id), which opening the
/// store for writing migrates (store/format.h); `generation` is 0.
std::optional<StagingKeyParts> ParseFormat1StagingKey(std::string_view key);

/// A staged change's value: 'P' blob-id (put) or 'D' (delete).
std::string StagedPutValue(const ObjectId& blob);
std::string StagedDeleteValue();
/// nullopt = malformed; an engaged empty optional = a staged delete.
std::optional<std::optional<ObjectId>> ParseStagedValue(std::string_view value);

// ---- sessions -----------------------------------------------------------------------------

/// session \0 be64(timestamp_us) blob memory-id: one memory version in the session index,
/// ordered by time within a session.
std::string SessionKey(std::string_view session_id, int64_t timestamp_us, const ObjectId& blob,
                       std::string_view memory_id);
/// session \0: every entry of one session.
std::string SessionPrefix(std::string_view session_id);
struct SessionKeyParts {
  std::string_view session_id;
  int64_t timestamp_us = 0;
  ObjectId blob;
  std::string_view memory_id;
};
std::optional<SessionKeyParts> ParseSessionKey(std::string_view key);

// ---- vectors ------------------------------------------------------------------------------

/// embedder-id \0 content-hash: the embedding of one content by one embedder.
std::string VectorKey(std::string_view embedder_id, const ObjectId& content_hash);
struct VectorKeyParts {
  std::string_view embedder_id;
  ObjectId content_hash;
};
std::optional<VectorKeyParts> ParseVectorKey(std::string_view key);

// ---- indexes ------------------------------------------------------------------------------

/// The first byte of every key in the indexes family.
enum class IndexKeyKind : char { kSegment = 's', kManifest = 'm', kBranch = 'b', kDoc = 'd' };
/// Every key of one kind starts with this.
std::string IndexKindPrefix(IndexKeyKind kind);

/// Which index a segment belongs to.
enum class SegmentKind : char { kVector = 'v', kKeyword = 'k' };

/// 's' kind segment-key be32(chunk): one chunk of a stored segment.
std::string SegmentChunkKey(SegmentKind kind, std::string_view segment_key, uint32_t chunk);
/// 's' kind segment-key: every chunk of one segment.
std::string SegmentChunkPrefix(SegmentKind kind, std::string_view segment_key);
struct SegmentChunkKeyParts {
  SegmentKind kind = SegmentKind::kVector;
  std::string_view segment_key;
  uint32_t chunk = 0;
};
std::optional<SegmentChunkKeyParts> ParseSegmentChunkKey(std::string_view key);

/// 'm' embedder-id \0 tree-id: the persisted index of one tree.
std::string IndexManifestKey(std::string_view embedder_id, const ObjectId& tree);
struct IndexManifestKeyParts {
  std::string_view embedder_id;
  ObjectId tree;
};
std::optional<IndexManifestKeyParts> ParseIndexManifestKey(std::string_view key);

/// 'b' repo \0 branch: a branch's latest persisted index.
std::string IndexBranchKey(std::string_view repo, std::string_view branch);
/// 'b' repo \0: the pointers of one repository's branches.
std::string IndexBranchPrefix(std::string_view repo);
struct IndexBranchKeyParts {
  std::string_view repo, branch;
};
std::optional<IndexBranchKeyParts> ParseIndexBranchKey(std::string_view key);

/// 'd' be64(doc): the memory id of a doc number.
std::string DocKey(uint64_t doc);
std::optional<uint64_t> ParseDocKey(std::string_view key);

// ---- segment files ------------------------------------------------------------------------

/// The folder of a store's vector segment files.
std::string SegmentDir(std::string_view store_path);
/// <segment-key>.gmvs
std::string SegmentFileName(std::string_view segment_key);
/// The segment key of a segment file's name; nullopt for any other file (e.g. a temporary
/// file a crash left).
std::optional<std::string_view> ParseSegmentFileName(std::string_view file_name);

}  // namespace keys
}  // namespace gitmem
