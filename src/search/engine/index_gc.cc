// gc's share of the search index data (see the header).
#include "search/engine/index_gc.h"

#include <fmt/format.h>

#include <filesystem>
#include <unordered_set>

#include "search/engine/manifest.h"
#include "store/keys.h"

namespace gitmem::search {

namespace {

// A segment's name in gc's maps: its kind's byte, then its key.
std::string SegmentTag(keys::SegmentKind kind, std::string_view key) {
  return static_cast<char>(kind) + std::string(key);
}

}  // namespace

Result<IndexSweep> IndexSweep::Scan(const Store& store, const Snapshot* snap,
                                    const std::function<bool(const ObjectId&)>& content_live) {
  IndexSweep sweep;
  // Branch pointers: a branch's latest persisted state.
  auto bt = store.Scan(Cf::kIndexes, keys::IndexKindPrefix(keys::IndexKeyKind::kBranch), snap);
  for (; bt->Valid(); bt->Next()) {
    auto parts = keys::ParseIndexBranchKey(bt->key());
    if (!parts) continue;
    sweep.pointers_.push_back({std::string(bt->key()), std::string(parts->repo), std::string(parts->branch),
                               bt->key().size() + bt->value().size()});
  }
  GITMEM_RETURN_IF_ERROR(bt->status());
  // Manifests and the segments they name.
  auto mt = store.Scan(Cf::kIndexes, keys::IndexKindPrefix(keys::IndexKeyKind::kManifest), snap);
  for (; mt->Valid(); mt->Next()) {
    const std::string_view key = mt->key();
    auto parts = keys::ParseIndexManifestKey(key);
    if (!parts) continue;
    auto v = DecodeManifestValue(mt->value());
    Manifest m{std::string(key), parts->tree, key.size() + mt->value().size(), v.ok(), false, {}};
    if (v.ok() && v->lists_segments) {
      m.lists_segments = true;
      for (const auto& k : v->vector_segments) m.segments.push_back(SegmentTag(keys::SegmentKind::kVector, k));
      for (const auto& k : v->keyword_segments) m.segments.push_back(SegmentTag(keys::SegmentKind::kKeyword, k));
    }
    sweep.manifests_.push_back(std::move(m));
  }
  GITMEM_RETURN_IF_ERROR(mt->status());
  // Segment chunks.
  auto st = store.Scan(Cf::kIndexes, keys::IndexKindPrefix(keys::IndexKeyKind::kSegment), snap);
  for (; st->Valid(); st->Next()) {
    const std::string_view key = st->key();
    auto parts = keys::ParseSegmentChunkKey(key);
    if (!parts) continue;
    Segment& seg = sweep.segments_[SegmentTag(parts->kind, parts->segment_key)];
    seg.chunk_keys.emplace_back(key);
    seg.bytes += key.size() + st->value().size();
  }
  GITMEM_RETURN_IF_ERROR(st->status());
  // Segment files; anything else in their folder is a temporary file a crash left.
  std::error_code ec;
  const std::filesystem::path dir = keys::SegmentDir(store.path());
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    const auto segment = keys::ParseSegmentFileName(name);
    sweep.files_.push_back(
        {it->path().string(), segment ? SegmentTag(keys::SegmentKind::kVector, *segment) : "", it->file_size(ec)});
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status::IoError("gc: cannot list '" + dir.string() + "': " + ec.message());
  // Stored embeddings.
  if (!content_live) return sweep;
  auto vt = store.Scan(Cf::kVectors, {}, snap);
  for (; vt->Valid(); vt->Next()) {
    const std::string_view key = vt->key();
    auto parts = keys::ParseVectorKey(key);
    if (!parts) continue;
    const ObjectId content = parts->content_hash;
    if (!content_live(content)) sweep.vectors_.push_back({std::string(key), content, key.size() + vt->value().size()});
  }
  GITMEM_RETURN_IF_ERROR(vt->status());
  return sweep;
}

Result<IndexGarbage> IndexSweep::Decide(const IndexLiveness& live) const {
  IndexGarbage g;
  for (const Pointer& p : pointers_) {
    GITMEM_ASSIGN_OR_RETURN(bool alive, live.branch(p.repo, p.branch));
    if (alive) continue;
    g.index_keys.push_back(p.key);
    ++g.snapshots;
    g.bytes += p.bytes;
  }
  std::unordered_set<std::string> used;
  bool all_listed = true;
  for (const Manifest& m : manifests_) {
    if (live.tree(m.tree)) {
      used.insert(m.segments.begin(), m.segments.end());
      all_listed = all_listed && m.lists_segments;
      continue;
    }
    g.index_keys.push_back(m.key);
    ++g.snapshots;
    g.bytes += m.bytes;
  }
  // A live manifest from before segment lists may name any segment: keep them all.
  for (const auto& [tag, seg] : segments_) {
    if (!all_listed || used.count(tag)) continue;
    g.index_keys.insert(g.index_keys.end(), seg.chunk_keys.begin(), seg.chunk_keys.end());
    g.bytes += seg.bytes;
  }
  for (const File& f : files_) {
    if (!f.segment.empty() && (!all_listed || used.count(f.segment))) continue;
    g.files.push_back(f.path);
    g.bytes += f.bytes;
  }
  for (const Vector& v : vectors_) {
    if (live.content(v.content)) continue;
    g.vector_keys.push_back(v.key);
    ++g.vectors;
    g.bytes += v.bytes;
  }
  return g;
}

std::vector<std::string> IndexSweep::Problems() const {
  std::vector<std::string> problems;
  std::unordered_set<std::string> files;
  for (const File& f : files_) files.insert(f.segment);
  for (const Manifest& m : manifests_) {
    if (!m.decodes) {
      problems.push_back(fmt::format("search index of tree {}: malformed manifest", m.tree.hex()));
      continue;
    }
    for (const std::string& tag : m.segments) {
      const bool vector = tag[0] == static_cast<char>(keys::SegmentKind::kVector);
      if (segments_.count(tag) || (vector && files.count(tag))) continue;
      problems.push_back(
          fmt::format("search index of tree {}: {} segment {} is missing (derived data: reindex rebuilds it)",
                      m.tree.hex(), vector ? "vector" : "keyword", tag.substr(1)));
    }
  }
  return problems;
}

}  // namespace gitmem::search
