// gc's share of the search index data (see the header).
#include "repo/index_gc.h"

#include <fmt/format.h>

#include <filesystem>
#include <unordered_set>

#include "repo/repo_impl.h"
#include "repo/search_engine.h"

namespace gitmem::maint {

namespace {

constexpr std::string_view kSegmentSuffix = ".gmvs";

}  // namespace

Result<IndexSweep> IndexSweep::Scan(const Store& store, const Snapshot* snap,
                                    const std::function<bool(const ObjectId&)>& content_live) {
  IndexSweep sweep;
  // "b" repo \0 branch -> a branch's latest persisted state.
  auto bt = store.Scan(Cf::kIndexes, "b", snap);
  for (; bt->Valid(); bt->Next()) {
    const std::string_view name = bt->key().substr(1);
    const size_t nul = name.find('\0');
    if (nul == std::string_view::npos) continue;
    sweep.pointers_.push_back({std::string(bt->key()), std::string(name.substr(0, nul)),
                               std::string(name.substr(nul + 1)), bt->key().size() + bt->value().size()});
  }
  GITMEM_RETURN_IF_ERROR(bt->status());
  // "m" embedder-id \0 tree-id -> a manifest and the segments it names.
  auto mt = store.Scan(Cf::kIndexes, "m", snap);
  for (; mt->Valid(); mt->Next()) {
    const std::string_view key = mt->key();
    if (key.size() < 1 + 1 + 32) continue;
    auto v = SearchEngine::DecodeManifestValue(mt->value());
    Manifest m{std::string(key), IdFromBytes(key.substr(key.size() - 32)), key.size() + mt->value().size(),
               v.ok(), false, {}};
    if (v.ok() && v->lists_segments) {
      m.lists_segments = true;
      for (const auto& k : v->vector_segments) m.segments.push_back("v" + k);
      for (const auto& k : v->keyword_segments) m.segments.push_back("k" + k);
    }
    sweep.manifests_.push_back(std::move(m));
  }
  GITMEM_RETURN_IF_ERROR(mt->status());
  // "s" kind segment-key be32(chunk) -> segment bytes.
  auto st = store.Scan(Cf::kIndexes, "s", snap);
  for (; st->Valid(); st->Next()) {
    const std::string_view key = st->key();
    if (key.size() < 1 + 1 + 4) continue;
    Segment& seg = sweep.segments_[std::string(key.substr(1, key.size() - 5))];
    seg.chunk_keys.emplace_back(key);
    seg.bytes += key.size() + st->value().size();
  }
  GITMEM_RETURN_IF_ERROR(st->status());
  // Segment files; anything else in their folder is a temporary file a crash left.
  std::error_code ec;
  const std::filesystem::path dir = SearchEngine::SegmentDir(store.path());
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    const std::string name = it->path().filename().string();
    const bool segment = name.size() > kSegmentSuffix.size() && name.ends_with(kSegmentSuffix);
    const std::string stem = segment ? name.substr(0, name.size() - kSegmentSuffix.size()) : "";
    sweep.files_.push_back({it->path().string(), segment ? "v" + stem : "", it->file_size(ec)});
  }
  if (ec && ec != std::errc::no_such_file_or_directory)
    return Status::IoError("gc: cannot list '" + dir.string() + "': " + ec.message());
  // vectors: embedder-id \0 content-hash -> an embedding.
  if (!content_live) return sweep;
  auto vt = store.Scan(Cf::kVectors, {}, snap);
  for (; vt->Valid(); vt->Next()) {
    const std::string_view key = vt->key();
    if (key.size() < 1 + 32) continue;
    const ObjectId content = IdFromBytes(key.substr(key.size() - 32));
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
      if (segments_.count(tag) || (tag[0] == 'v' && files.count(tag))) continue;
      problems.push_back(fmt::format(
          "search index of tree {}: {} segment {} is missing (derived data: reindex rebuilds it)", m.tree.hex(),
          tag[0] == 'v' ? "vector" : "keyword", tag.substr(1)));
    }
  }
  return problems;
}

}  // namespace gitmem::maint
