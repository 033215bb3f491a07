#include "store/keys.h"

#include "util/coding.h"

namespace gitmem::keys {

namespace {

constexpr char kSep = '\0';
constexpr std::string_view kRepoMetaTag = "repo";
constexpr std::string_view kSymbolicPrefix = "ref: refs/heads/";
constexpr std::string_view kSegmentDirName = "search-segments";
constexpr std::string_view kSegmentFileSuffix = ".gmvs";
constexpr size_t kIdBytes = 32;

std::string Join(std::string_view a, std::string_view b) {
  std::string k;
  k.reserve(a.size() + 1 + b.size());
  k.append(a).push_back(kSep);
  k.append(b);
  return k;
}

// Splits at the first separator: (before, after). nullopt when there is none.
std::optional<std::pair<std::string_view, std::string_view>> SplitFirst(std::string_view key) {
  const size_t nul = key.find(kSep);
  if (nul == std::string_view::npos) return std::nullopt;
  return std::make_pair(key.substr(0, nul), key.substr(nul + 1));
}

}  // namespace

std::optional<ObjectId> ParseObjectKey(std::string_view key) {
  if (key.size() != kIdBytes) return std::nullopt;
  return IdFromBytes(key);
}

// ---- refs ---------------------------------------------------------------------------------

std::string BranchRef(std::string_view branch) { return std::string(kHeadsPrefix).append(branch); }
std::string TagRef(std::string_view tag) { return std::string(kTagsPrefix).append(tag); }

std::optional<std::string_view> ParseBranchRef(std::string_view full_ref) {
  if (!full_ref.starts_with(kHeadsPrefix) || full_ref.size() == kHeadsPrefix.size()) return std::nullopt;
  return full_ref.substr(kHeadsPrefix.size());
}

std::optional<std::string_view> ParseTagRef(std::string_view full_ref) {
  if (!full_ref.starts_with(kTagsPrefix) || full_ref.size() == kTagsPrefix.size()) return std::nullopt;
  return full_ref.substr(kTagsPrefix.size());
}

std::string RefKey(std::string_view repo, std::string_view full_ref) { return Join(repo, full_ref); }
std::string RefPrefix(std::string_view repo, std::string_view ref_prefix) { return Join(repo, ref_prefix); }

std::optional<RefKeyParts> ParseRefKey(std::string_view key) {
  auto parts = SplitFirst(key);
  if (!parts || parts->first.empty() || parts->second.empty()) return std::nullopt;
  return RefKeyParts{parts->first, parts->second};
}

std::string SymbolicRef(std::string_view branch) { return std::string(kSymbolicPrefix).append(branch); }

std::optional<std::string_view> ParseSymbolicRef(std::string_view value) {
  if (!value.starts_with(kSymbolicPrefix)) return std::nullopt;
  return value.substr(kSymbolicPrefix.size());
}

// ---- meta ---------------------------------------------------------------------------------

std::string RepoMetaKey(std::string_view repo) { return Join(kRepoMetaTag, repo); }
std::string RepoMetaPrefix() { return Join(kRepoMetaTag, {}); }

std::optional<std::string_view> ParseRepoMetaKey(std::string_view key) {
  auto parts = SplitFirst(key);
  if (!parts || parts->first != kRepoMetaTag || parts->second.empty()) return std::nullopt;
  return parts->second;
}

std::string StoreFormatKey() { return "format"; }

// ---- staging ------------------------------------------------------------------------------

std::string StagingGenerationKey(std::string_view repo, std::string_view branch) {
  std::string k = Join(repo, branch);
  k.push_back(kSep);
  return k;
}

std::string StagingGenerationValue(uint64_t generation) {
  std::string v;
  PutFixed64BE(&v, generation);
  return v;
}

std::optional<uint64_t> ParseStagingGenerationValue(std::string_view value) {
  uint64_t g = 0;
  if (value.size() != 8 || !GetFixed64BE(&value, &g)) return std::nullopt;
  return g;
}

std::string StagingPrefix(std::string_view repo, std::string_view branch, uint64_t generation) {
  std::string k = StagingGenerationKey(repo, branch);
  PutFixed64BE(&k, generation);
  return k;
}

std::string StagingKey(std::string_view repo, std::string_view branch, uint64_t generation, std::string_view id) {
  return StagingPrefix(repo, branch, generation).append(id);
}

std::string StagingRepoPrefix(std::string_view repo) { return Join(repo, {}); }

namespace {
// repo \0 branch \0 rest, with both names non-empty.
std::optional<std::pair<StagingKeyParts, std::string_view>> SplitStagingKey(std::string_view key) {
  auto a = SplitFirst(key);
  if (!a || a->first.empty()) return std::nullopt;
  auto b = SplitFirst(a->second);
  if (!b || b->first.empty()) return std::nullopt;
  return std::make_pair(StagingKeyParts{a->first, b->first, std::nullopt, {}}, b->second);
}
}  // namespace

std::optional<StagingKeyParts> ParseStagingKey(std::string_view key) {
  auto split = SplitStagingKey(key);
  if (!split) return std::nullopt;
  auto [parts, rest] = *split;
  if (rest.empty()) return parts;  // the generation record
  uint64_t g = 0;
  if (rest.size() <= 8 || rest[0] != kSep || !GetFixed64BE(&rest, &g) || rest.find(kSep) != std::string_view::npos)
    return std::nullopt;
  parts.generation = g;
  parts.id = rest;
  return parts;
}

std::optional<StagingKeyParts> ParseFormat1StagingKey(std::string_view key) {
  auto split = SplitStagingKey(key);
  if (!split || split->second.empty() || split->second.find(kSep) != std::string_view::npos) return std::nullopt;
  auto [parts, id] = *split;
  parts.generation = 0;
  parts.id = id;
  return parts;
}

std::string StagedPutValue(const ObjectId& blob) { return std::string("P").append(IdView(blob)); }
std::string StagedDeleteValue() { return "D"; }

std::optional<std::optional<ObjectId>> ParseStagedValue(std::string_view value) {
  if (value.size() == 1 + kIdBytes && value[0] == 'P') return std::optional<ObjectId>(IdFromBytes(value.substr(1)));
  if (value.size() == 1 && value[0] == 'D') return std::optional<ObjectId>();
  return std::nullopt;
}

// ---- sessions -----------------------------------------------------------------------------

std::string SessionKey(std::string_view session_id, int64_t timestamp_us, const ObjectId& blob,
                       std::string_view memory_id) {
  std::string k = SessionPrefix(session_id);
  PutFixed64BE(&k, static_cast<uint64_t>(timestamp_us));
  k.append(IdView(blob));
  k.append(memory_id);
  return k;
}

std::string SessionPrefix(std::string_view session_id) { return Join(session_id, {}); }

std::optional<SessionKeyParts> ParseSessionKey(std::string_view key) {
  auto parts = SplitFirst(key);
  if (!parts || parts->first.empty()) return std::nullopt;
  std::string_view rest = parts->second;
  SessionKeyParts out;
  out.session_id = parts->first;
  uint64_t ts = 0;
  if (!GetFixed64BE(&rest, &ts) || rest.size() < kIdBytes) return std::nullopt;
  out.timestamp_us = static_cast<int64_t>(ts);
  out.blob = IdFromBytes(rest);
  out.memory_id = rest.substr(kIdBytes);
  if (out.memory_id.empty()) return std::nullopt;
  return out;
}

// ---- vectors ------------------------------------------------------------------------------

std::string VectorKey(std::string_view embedder_id, const ObjectId& content_hash) {
  return Join(embedder_id, IdView(content_hash));
}

std::optional<VectorKeyParts> ParseVectorKey(std::string_view key) {
  // The hash is raw bytes that may hold \0: it is the last 32 bytes, after a separator.
  if (key.size() < 1 + kIdBytes + 1 || key[key.size() - kIdBytes - 1] != kSep) return std::nullopt;
  const std::string_view embedder = key.substr(0, key.size() - kIdBytes - 1);
  if (embedder.find(kSep) != std::string_view::npos) return std::nullopt;
  return VectorKeyParts{embedder, IdFromBytes(key.substr(key.size() - kIdBytes))};
}

// ---- indexes ------------------------------------------------------------------------------

std::string IndexKindPrefix(IndexKeyKind kind) { return std::string(1, static_cast<char>(kind)); }

std::string SegmentChunkPrefix(SegmentKind kind, std::string_view segment_key) {
  std::string k = IndexKindPrefix(IndexKeyKind::kSegment);
  k.push_back(static_cast<char>(kind));
  k.append(segment_key);
  return k;
}

std::string SegmentChunkKey(SegmentKind kind, std::string_view segment_key, uint32_t chunk) {
  std::string k = SegmentChunkPrefix(kind, segment_key);
  PutFixed32BE(&k, chunk);
  return k;
}

std::optional<SegmentChunkKeyParts> ParseSegmentChunkKey(std::string_view key) {
  if (key.size() < 1 + 1 + 1 + 4 || key[0] != static_cast<char>(IndexKeyKind::kSegment)) return std::nullopt;
  const char kind = key[1];
  if (kind != static_cast<char>(SegmentKind::kVector) && kind != static_cast<char>(SegmentKind::kKeyword))
    return std::nullopt;
  std::string_view chunk_bytes = key.substr(key.size() - 4);
  SegmentChunkKeyParts out;
  out.kind = static_cast<SegmentKind>(kind);
  out.segment_key = key.substr(2, key.size() - 2 - 4);
  GetFixed32BE(&chunk_bytes, &out.chunk);
  return out;
}

std::string IndexManifestKey(std::string_view embedder_id, const ObjectId& tree) {
  return IndexKindPrefix(IndexKeyKind::kManifest).append(Join(embedder_id, IdView(tree)));
}

std::optional<IndexManifestKeyParts> ParseIndexManifestKey(std::string_view key) {
  if (key.empty() || key[0] != static_cast<char>(IndexKeyKind::kManifest)) return std::nullopt;
  auto parts = ParseVectorKey(key.substr(1));  // the same shape: embedder-id \0 id
  if (!parts) return std::nullopt;
  return IndexManifestKeyParts{parts->embedder_id, parts->content_hash};
}

std::string IndexBranchKey(std::string_view repo, std::string_view branch) {
  return IndexKindPrefix(IndexKeyKind::kBranch).append(Join(repo, branch));
}

std::string IndexBranchPrefix(std::string_view repo) { return IndexBranchKey(repo, {}); }

std::optional<IndexBranchKeyParts> ParseIndexBranchKey(std::string_view key) {
  if (key.empty() || key[0] != static_cast<char>(IndexKeyKind::kBranch)) return std::nullopt;
  auto parts = SplitFirst(key.substr(1));
  if (!parts || parts->first.empty() || parts->second.empty()) return std::nullopt;
  return IndexBranchKeyParts{parts->first, parts->second};
}

std::string DocKey(uint64_t doc) {
  std::string k = IndexKindPrefix(IndexKeyKind::kDoc);
  PutFixed64BE(&k, doc);
  return k;
}

std::optional<uint64_t> ParseDocKey(std::string_view key) {
  if (key.size() != 1 + 8 || key[0] != static_cast<char>(IndexKeyKind::kDoc)) return std::nullopt;
  key.remove_prefix(1);
  uint64_t doc = 0;
  GetFixed64BE(&key, &doc);
  return doc;
}

// ---- segment files ------------------------------------------------------------------------

std::string SegmentDir(std::string_view store_path) {
  return std::string(store_path).append("/").append(kSegmentDirName);
}

std::string SegmentFileName(std::string_view segment_key) {
  return std::string(segment_key).append(kSegmentFileSuffix);
}

std::optional<std::string_view> ParseSegmentFileName(std::string_view file_name) {
  if (file_name.size() <= kSegmentFileSuffix.size() || !file_name.ends_with(kSegmentFileSuffix)) return std::nullopt;
  return file_name.substr(0, file_name.size() - kSegmentFileSuffix.size());
}

}  // namespace gitmem::keys
