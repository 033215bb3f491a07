#include "json_codec.h"

#include <charconv>
#include <cstdlib>

#include "timestamp.h"

namespace gitmem::cli {

Json FloatJson(float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return static_cast<double>(v);
  return std::strtod(std::string(buf, end).c_str(), nullptr);
}

Json MetadataJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return text;
  return j;
}

const char* KindName(DiffEntry::Kind k) {
  switch (k) {
    case DiffEntry::Kind::kAdded: return "added";
    case DiffEntry::Kind::kModified: return "modified";
    case DiffEntry::Kind::kRemoved: return "removed";
  }
  return "?";
}

Json ToJson(const Memory& m) {
  Json relations = Json::array();
  for (const Relation& r : m.relations)
    relations.push_back({{"type", std::string(ToString(r.type))},
                         {"target_id", r.target_id},
                         {"strength", FloatJson(r.strength)}});
  return {
      {"id", m.id},
      {"content", m.content},
      {"type", std::string(ToString(m.type))},
      {"agent_id", m.agent_id},
      {"session_id", m.session_id},
      {"timestamp", FormatUtc(m.timestamp_us)},
      {"timestamp_us", m.timestamp_us},
      {"importance", FloatJson(m.importance)},
      {"confidence", FloatJson(m.confidence)},
      {"tags", m.tags},
      {"scope", std::string(ToString(m.scope))},
      {"metadata", MetadataJson(m.metadata)},
      {"relations", relations},
      {"provenance", {{"author", m.provenance.author}, {"content_hash", m.provenance.content_hash.hex()}}},
  };
}

Json ToJson(const CommitInfo& c) {
  Json parents = Json::array();
  for (const ObjectId& p : c.parents) parents.push_back(p.hex());
  return {
      {"id", c.id.hex()},
      {"tree", c.tree.hex()},
      {"parents", parents},
      {"author", c.author},
      {"message", c.message},
      {"timestamp", FormatUtc(c.timestamp_us)},
      {"timestamp_us", c.timestamp_us},
      {"generation", c.generation},
      {"memory_count", c.memory_count},
      {"added", c.added},
      {"modified", c.modified},
      {"removed", c.removed},
      {"changed_ids", c.changed_ids},
      {"changed_ids_truncated", c.changed_ids_truncated},
  };
}

Json ToJson(const DiffEntry& e) {
  Json j = {{"kind", KindName(e.kind)}, {"id", e.id}};
  j["old"] = e.old_memory ? ToJson(*e.old_memory) : Json(nullptr);
  j["new"] = e.new_memory ? ToJson(*e.new_memory) : Json(nullptr);
  return j;
}

Json ToJson(const Diff& d) {
  Json entries = Json::array();
  for (const DiffEntry& e : d.entries) entries.push_back(ToJson(e));
  return {{"added", d.added()}, {"modified", d.modified()}, {"removed", d.removed()}, {"entries", entries}};
}

Json ToJson(const MemoryVersion& v) {
  return {{"commit", ToJson(v.commit)},
          {"deleted", !v.memory.has_value()},
          {"memory", v.memory ? ToJson(*v.memory) : Json(nullptr)}};
}

Json ToJson(const StagedChange& s) {
  return {{"id", s.id}, {"deleted", s.deleted}, {"memory", s.memory ? ToJson(*s.memory) : Json(nullptr)}};
}

Json ToJson(const BranchInfo& b) {
  return {{"name", b.name},
          {"head", b.head.is_zero() ? Json(nullptr) : Json(b.head.hex())},
          {"current", b.is_current},
          {"staged", b.staged}};
}

Json ToJson(const TagInfo& t) { return {{"name", t.name}, {"target", t.target.hex()}}; }

Json ToJson(const FsckReport& r) {
  return {{"ok", r.ok()},
          {"objects_checked", r.objects_checked},
          {"commits", r.commits},
          {"trees", r.trees},
          {"blobs", r.blobs},
          {"problems", r.problems}};
}

Json ToJson(const Status& s) {
  std::string code = StatusCodeName(s.code());
  for (char& c : code)
    if (c == ' ') c = '_';
  return {{"code", code}, {"message", s.message()}};
}

const char* ModeName(SearchMode m) {
  switch (m) {
    case SearchMode::kVector: return "vector";
    case SearchMode::kKeyword: return "keyword";
    case SearchMode::kHybrid: return "hybrid";
  }
  return "?";
}

namespace {
Json OptionalMemory(const std::optional<Memory>& m) { return m ? ToJson(*m) : Json(nullptr); }
Json OptionalId(const ObjectId& id) { return id.is_zero() ? Json(nullptr) : Json(id.hex()); }
}  // namespace

Json ToJson(const MergeConflict& c, bool settled) {
  Json j = {{"id", c.id},
            {"kind", std::string(ToString(c.kind))},
            {"base", OptionalMemory(c.base)},
            {"ours", OptionalMemory(c.ours)},
            {"theirs", OptionalMemory(c.theirs)},
            {"base_ambiguous", c.base_ambiguous},
            {"settled", settled}};
  if (settled) {
    j["resolution"] = OptionalMemory(c.resolution);
    j["deleted"] = !c.resolution.has_value();
  }
  return j;
}

Json ToJson(const GcReport& r) {
  return {{"objects_scanned", r.objects_scanned},
          {"objects_reachable", r.objects_reachable},
          {"objects_freed", r.objects_freed},
          {"bytes_freed", r.bytes_freed},
          {"session_entries_freed", r.session_entries_freed},
          {"index_snapshots_freed", r.index_snapshots_freed},
          {"vectors_freed", r.vectors_freed},
          {"index_bytes_freed", r.index_bytes_freed}};
}

Json ToJson(const RepositoryInfo& i) {
  return {{"name", i.name},
          {"description", i.description},
          {"default_branch", i.default_branch},
          {"visibility", i.visibility},
          {"created_at", FormatUtc(i.created_at_us)},
          {"created_at_us", i.created_at_us},
          {"stars", i.stars},
          {"forks", i.forks},
          {"watchers", i.watchers},
          {"upstream", i.upstream.empty() ? Json(nullptr) : Json(i.upstream)}};
}

Json ToJson(const ImportReport& r) {
  return {{"memories", r.memories}, {"objects", r.objects}, {"refs", r.refs}, {"commit", OptionalId(r.commit)}};
}

Json ToJson(const SearchIndexInfo& i) {
  return {{"commit", OptionalId(i.commit)},
          {"tree", i.tree.hex()},
          {"documents", i.documents},
          {"vector_segments", i.vector_segments},
          {"keyword_segments", i.keyword_segments},
          {"vector_delta", i.vector_delta},
          {"keyword_delta", i.keyword_delta},
          {"source", i.source},
          {"changes_applied", i.changes_applied}};
}

Json SearchJson(const SearchOptions& options, const std::vector<SearchHit>& hits) {
  Json list = Json::array();
  uint64_t rank = options.offset;
  for (const SearchHit& h : hits) {
    list.push_back({{"rank", ++rank}, {"score", h.score}, {"id", h.id}, {"memory", OptionalMemory(h.memory)}});
  }
  return {{"query", options.query},
          {"mode", ModeName(options.mode)},
          {"k", options.k},
          {"offset", options.offset},
          {"count", hits.size()},
          {"hits", std::move(list)}};
}

Json MergeJson(std::string_view operation, std::string_view source, std::string_view into,
               MergeStrategy strategy, const MergeResult& r) {
  const char* status = r.has_conflicts() ? "conflicts"
                       : r.up_to_date    ? "up_to_date"
                       : r.fast_forward  ? "fast_forward"
                                         : "merged";
  Json bases = Json::array();
  for (const ObjectId& b : r.merge_bases) bases.push_back(b.hex());
  Json conflicts = Json::array();
  for (const MergeConflict& c : r.conflicts) conflicts.push_back(ToJson(c, !r.has_conflicts()));
  return {{"operation", std::string(operation)},
          {"source", std::string(source)},
          {"into", std::string(into)},
          {"strategy", std::string(ToString(strategy))},
          {"status", status},
          {"commit", OptionalId(r.commit)},
          {"fast_forward", r.fast_forward},
          {"up_to_date", r.up_to_date},
          {"merge_bases", std::move(bases)},
          {"changes_applied", r.changes_applied},
          {"conflicts", std::move(conflicts)}};
}

}  // namespace gitmem::cli
