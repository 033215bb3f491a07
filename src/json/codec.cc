// The JSON codec (codec.h): memories in the display form and as JSON Lines records, and
// every other value type in the display form, each with the reader of what it writes.
#include <charconv>
#include <cstdlib>

#include "json/fields.h"
#include "util/text.h"

namespace gitmem::json {

// ---- memories and statuses --------------------------------------------------

namespace {

Json OptionalMemory(const std::optional<Memory>& m) { return m ? ToJson(*m) : Json(nullptr); }

double ShortestDouble(float v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return static_cast<double>(v);
  return std::strtod(std::string(buf, end).c_str(), nullptr);
}

// Both forms from one list of fields. `J` decides the key order: nlohmann::json sorts
// them (the JSON Lines record), Json keeps this order (the display form, which also
// spells the time out).
template <class J>
J MemoryFields(const Memory& m, bool with_utc) {
  J relations = J::array();
  for (const Relation& r : m.relations)
    relations.push_back({{"type", std::string(ToString(r.type))},
                         {"target_id", r.target_id},
                         {"strength", ShortestDouble(r.strength)}});
  J metadata = J::parse(m.metadata, nullptr, /*allow_exceptions=*/false);
  if (metadata.is_discarded()) metadata = m.metadata;
  J j = {{"id", m.id},
         {"content", m.content},
         {"type", std::string(ToString(m.type))},
         {"agent_id", m.agent_id},
         {"session_id", m.session_id}};
  if (with_utc) j["timestamp"] = FormatTimestamp(m.timestamp_us);
  j["timestamp_us"] = m.timestamp_us;
  j["importance"] = ShortestDouble(m.importance);
  j["confidence"] = ShortestDouble(m.confidence);
  j["tags"] = m.tags;
  j["scope"] = std::string(ToString(m.scope));
  j["metadata"] = std::move(metadata);
  j["relations"] = std::move(relations);
  j["provenance"] = {{"author", m.provenance.author}, {"content_hash", m.provenance.content_hash.hex()}};
  return j;
}

// provenance.content_hash is not read: the repository recomputes it from the content.
template <class J>
Status ReadMemory(const J& j, const std::string& path, Memory* m) {
  Fields<J> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &m->id));
  GITMEM_RETURN_IF_ERROR(f.String("content", &m->content));
  GITMEM_RETURN_IF_ERROR(f.String("agent_id", &m->agent_id));
  GITMEM_RETURN_IF_ERROR(f.String("session_id", &m->session_id));
  GITMEM_RETURN_IF_ERROR(f.Name("type", &m->type, ParseMemoryType));
  GITMEM_RETURN_IF_ERROR(f.Name("scope", &m->scope, ParseScope));
  GITMEM_RETURN_IF_ERROR(f.Int("timestamp_us", &m->timestamp_us));
  GITMEM_RETURN_IF_ERROR(f.Number("importance", &m->importance));
  GITMEM_RETURN_IF_ERROR(f.Number("confidence", &m->confidence));
  GITMEM_RETURN_IF_ERROR(f.Strings("tags", &m->tags));
  if (const J* v = f.Find("metadata")) {
    if (v->is_string())
      m->metadata = v->template get<std::string>();
    else if (v->is_object())
      m->metadata = v->dump();
    else
      return f.Error("metadata", "expected a JSON object");
  }
  if (const J* v = f.Find("relations")) {
    if (!v->is_array()) return f.Error("relations", "expected an array");
    for (size_t i = 0; i < v->size(); ++i) {
      Relation r;
      GITMEM_RETURN_IF_ERROR(Read((*v)[i], f.Below("relations", i), &r));
      m->relations.push_back(std::move(r));
    }
  }
  if (const J* v = f.Find("provenance")) {
    Fields<J> p(*v, f.Below("provenance"));
    GITMEM_RETURN_IF_ERROR(p.Object());
    GITMEM_RETURN_IF_ERROR(p.String("author", &m->provenance.author));
  }
  return Status::Ok();
}

}  // namespace

Json FloatJson(float v) { return ShortestDouble(v); }

Json MetadataJson(const std::string& text) {
  Json j = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return text;
  return j;
}

Json IdOrNull(const ObjectId& id) { return id.is_zero() ? Json(nullptr) : Json(id.hex()); }

template <class J>
Status Read(const J& j, const std::string& path, Relation* r) {
  Fields<J> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Required("type"));
  GITMEM_RETURN_IF_ERROR(f.Name("type", &r->type, ParseRelationType));
  GITMEM_RETURN_IF_ERROR(f.Required("target_id"));
  GITMEM_RETURN_IF_ERROR(f.String("target_id", &r->target_id));
  return f.Number("strength", &r->strength);
}
template Status Read(const Json&, const std::string&, Relation*);
template Status Read(const nlohmann::json&, const std::string&, Relation*);

Json ToJson(const Memory& m) { return MemoryFields<Json>(m, /*with_utc=*/true); }

std::string MemoryLine(const Memory& m) {
  return MemoryFields<nlohmann::json>(m, /*with_utc=*/false)
      .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

Status Read(const Json& j, const std::string& path, Memory* m) { return ReadMemory(j, path, m); }
Status FromJson(const Json& j, Memory* m) { return ReadMemory(j, "", m); }
Status FromJson(const nlohmann::json& j, Memory* m) { return ReadMemory(j, "", m); }

Json ToJson(const Status& s) {
  std::string code = StatusCodeName(s.code());
  for (char& c : code)
    if (c == ' ') c = '_';
  return {{"code", code}, {"message", s.message()}};
}

// ---- commits, diffs, versions, staged changes, branches, tags ---------------

namespace {

Result<DiffEntry::Kind> ParseKind(std::string_view s) {
  for (auto k : {DiffEntry::Kind::kAdded, DiffEntry::Kind::kModified, DiffEntry::Kind::kRemoved})
    if (s == KindName(k)) return k;
  return Status::InvalidArgument(fmt::format("kind: '{}' is not one of added, modified, removed", s));
}

}  // namespace

const char* KindName(DiffEntry::Kind k) {
  switch (k) {
    case DiffEntry::Kind::kAdded: return "added";
    case DiffEntry::Kind::kModified: return "modified";
    case DiffEntry::Kind::kRemoved: return "removed";
  }
  return "?";
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
      {"timestamp", FormatTimestamp(c.timestamp_us)},
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

Status Read(const Json& j, const std::string& path, CommitInfo* c) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Id("id", &c->id));
  GITMEM_RETURN_IF_ERROR(f.Id("tree", &c->tree));
  GITMEM_RETURN_IF_ERROR(f.Ids("parents", &c->parents));
  GITMEM_RETURN_IF_ERROR(f.String("author", &c->author));
  GITMEM_RETURN_IF_ERROR(f.String("message", &c->message));
  GITMEM_RETURN_IF_ERROR(f.Int("timestamp_us", &c->timestamp_us));
  GITMEM_RETURN_IF_ERROR(f.Count("generation", &c->generation));
  GITMEM_RETURN_IF_ERROR(f.Count("memory_count", &c->memory_count));
  GITMEM_RETURN_IF_ERROR(f.Count("added", &c->added));
  GITMEM_RETURN_IF_ERROR(f.Count("modified", &c->modified));
  GITMEM_RETURN_IF_ERROR(f.Count("removed", &c->removed));
  GITMEM_RETURN_IF_ERROR(f.Strings("changed_ids", &c->changed_ids));
  return f.Bool("changed_ids_truncated", &c->changed_ids_truncated);
}
Status FromJson(const Json& j, CommitInfo* c) { return Read(j, "", c); }

Json ToJson(const DiffEntry& e) {
  return {{"kind", KindName(e.kind)},
          {"id", e.id},
          {"old", OptionalMemory(e.old_memory)},
          {"new", OptionalMemory(e.new_memory)}};
}

Status Read(const Json& j, const std::string& path, DiffEntry* e) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Required("kind"));
  GITMEM_RETURN_IF_ERROR(f.Name("kind", &e->kind, ParseKind));
  GITMEM_RETURN_IF_ERROR(f.String("id", &e->id));
  GITMEM_RETURN_IF_ERROR(f.Optional("old", &e->old_memory));
  return f.Optional("new", &e->new_memory);
}
Status FromJson(const Json& j, DiffEntry* e) { return Read(j, "", e); }

Json ToJson(const Diff& d) {
  Json entries = Json::array();
  for (const DiffEntry& e : d.entries) entries.push_back(ToJson(e));
  return {{"added", d.added()}, {"modified", d.modified()}, {"removed", d.removed()}, {"entries", entries}};
}

Status FromJson(const Json& j, Diff* d) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  return f.List("entries", &d->entries);
}

Json ToJson(const MemoryVersion& v) {
  return {{"commit", ToJson(v.commit)}, {"deleted", !v.memory.has_value()}, {"memory", OptionalMemory(v.memory)}};
}

Status FromJson(const Json& j, MemoryVersion* v) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Required("commit"));
  GITMEM_RETURN_IF_ERROR(Read(j["commit"], f.Below("commit"), &v->commit));
  return f.Optional("memory", &v->memory);
}

Json ToJson(const StagedChange& s) {
  return {{"id", s.id}, {"deleted", s.deleted}, {"memory", OptionalMemory(s.memory)}};
}

Status FromJson(const Json& j, StagedChange* s) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &s->id));
  GITMEM_RETURN_IF_ERROR(f.Bool("deleted", &s->deleted));
  return f.Optional("memory", &s->memory);
}

Json ToJson(const BranchInfo& b) {
  return {{"name", b.name}, {"head", IdOrNull(b.head)}, {"current", b.is_current}, {"staged", b.staged}};
}

Status FromJson(const Json& j, BranchInfo* b) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("name", &b->name));
  GITMEM_RETURN_IF_ERROR(f.Id("head", &b->head));
  GITMEM_RETURN_IF_ERROR(f.Bool("current", &b->is_current));
  return f.Count("staged", &b->staged);
}

Json ToJson(const TagInfo& t) { return {{"name", t.name}, {"target", t.target.hex()}}; }

Status FromJson(const Json& j, TagInfo* t) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("name", &t->name));
  return f.Id("target", &t->target);
}

// ---- merge conflicts and results --------------------------------------------

namespace {

Result<MergeConflict::Kind> ParseConflictKind(std::string_view s) {
  for (auto k : {MergeConflict::Kind::kBothModified, MergeConflict::Kind::kModifiedDeleted,
                 MergeConflict::Kind::kDeletedModified})
    if (s == ToString(k)) return k;
  return Status::InvalidArgument(fmt::format("kind: '{}' is not a conflict kind", s));
}

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

Status Read(const Json& j, const std::string& path, MergeConflict* c) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &c->id));
  GITMEM_RETURN_IF_ERROR(f.Name("kind", &c->kind, ParseConflictKind));
  GITMEM_RETURN_IF_ERROR(f.Optional("base", &c->base));
  GITMEM_RETURN_IF_ERROR(f.Optional("ours", &c->ours));
  GITMEM_RETURN_IF_ERROR(f.Optional("theirs", &c->theirs));
  GITMEM_RETURN_IF_ERROR(f.Bool("base_ambiguous", &c->base_ambiguous));
  return f.Optional("resolution", &c->resolution);
}
Status FromJson(const Json& j, MergeConflict* c) { return Read(j, "", c); }

Json MergeJson(std::string_view operation, std::string_view source, std::string_view into, MergeStrategy strategy,
               const MergeResult& r) {
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
          {"commit", IdOrNull(r.commit)},
          {"fast_forward", r.fast_forward},
          {"up_to_date", r.up_to_date},
          {"merge_bases", std::move(bases)},
          {"changes_applied", r.changes_applied},
          {"conflicts", std::move(conflicts)}};
}

Status FromJson(const Json& j, MergeResult* r) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Id("commit", &r->commit));
  GITMEM_RETURN_IF_ERROR(f.Bool("fast_forward", &r->fast_forward));
  GITMEM_RETURN_IF_ERROR(f.Bool("up_to_date", &r->up_to_date));
  GITMEM_RETURN_IF_ERROR(f.Ids("merge_bases", &r->merge_bases));
  GITMEM_RETURN_IF_ERROR(f.Count("changes_applied", &r->changes_applied));
  return f.List("conflicts", &r->conflicts);
}

// ---- search results and index descriptions ----------------------------------

const char* ModeName(SearchMode m) {
  switch (m) {
    case SearchMode::kVector: return "vector";
    case SearchMode::kKeyword: return "keyword";
    case SearchMode::kHybrid: return "hybrid";
  }
  return "?";
}

Json SearchJson(const SearchOptions& options, const std::vector<SearchHit>& hits) {
  Json list = Json::array();
  uint64_t rank = options.offset;
  for (const SearchHit& h : hits)
    list.push_back(
        {{"rank", ++rank}, {"score", h.score}, {"id", h.id}, {"memory", h.memory ? ToJson(*h.memory) : Json(nullptr)}});
  return {{"query", options.query},   {"mode", ModeName(options.mode)}, {"k", options.k},
          {"offset", options.offset}, {"count", hits.size()},           {"hits", std::move(list)}};
}

Status Read(const Json& j, const std::string& path, SearchHit* h) {
  Fields<Json> f(j, path);
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("id", &h->id));
  GITMEM_RETURN_IF_ERROR(f.Number("score", &h->score));
  return f.Optional("memory", &h->memory);
}

Status FromJson(const Json& j, std::vector<SearchHit>* hits) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  return f.List("hits", hits);
}

Json ToJson(const SearchIndexInfo& i) {
  return {{"commit", IdOrNull(i.commit)},
          {"tree", i.tree.hex()},
          {"documents", i.documents},
          {"vector_segments", i.vector_segments},
          {"keyword_segments", i.keyword_segments},
          {"vector_delta", i.vector_delta},
          {"keyword_delta", i.keyword_delta},
          {"source", i.source},
          {"changes_applied", i.changes_applied},
          {"vectors_awaiting_graph", i.vectors_awaiting_graph},
          {"indexing", i.indexing}};
}

Status FromJson(const Json& j, SearchIndexInfo* i) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Id("commit", &i->commit));
  GITMEM_RETURN_IF_ERROR(f.Id("tree", &i->tree));
  GITMEM_RETURN_IF_ERROR(f.Count("documents", &i->documents));
  GITMEM_RETURN_IF_ERROR(f.Count("vector_segments", &i->vector_segments));
  GITMEM_RETURN_IF_ERROR(f.Count("keyword_segments", &i->keyword_segments));
  GITMEM_RETURN_IF_ERROR(f.Count("vector_delta", &i->vector_delta));
  GITMEM_RETURN_IF_ERROR(f.Count("keyword_delta", &i->keyword_delta));
  GITMEM_RETURN_IF_ERROR(f.String("source", &i->source));
  GITMEM_RETURN_IF_ERROR(f.Count("changes_applied", &i->changes_applied));
  GITMEM_RETURN_IF_ERROR(f.Count("vectors_awaiting_graph", &i->vectors_awaiting_graph));
  return f.Bool("indexing", &i->indexing);
}

// ---- the repository record and the fsck, gc and import reports --------------

Json ToJson(const RepositoryInfo& i) {
  return {{"name", i.name},
          {"description", i.description},
          {"default_branch", i.default_branch},
          {"visibility", i.visibility},
          {"created_at", FormatTimestamp(i.created_at_us)},
          {"created_at_us", i.created_at_us},
          {"stars", i.stars},
          {"forks", i.forks},
          {"watchers", i.watchers},
          {"upstream", i.upstream.empty() ? Json(nullptr) : Json(i.upstream)}};
}

Status FromJson(const Json& j, RepositoryInfo* i) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.String("name", &i->name));
  GITMEM_RETURN_IF_ERROR(f.String("description", &i->description));
  GITMEM_RETURN_IF_ERROR(f.String("default_branch", &i->default_branch));
  GITMEM_RETURN_IF_ERROR(f.String("visibility", &i->visibility));
  GITMEM_RETURN_IF_ERROR(f.Int("created_at_us", &i->created_at_us));
  GITMEM_RETURN_IF_ERROR(f.Count("stars", &i->stars));
  GITMEM_RETURN_IF_ERROR(f.Count("forks", &i->forks));
  GITMEM_RETURN_IF_ERROR(f.Count("watchers", &i->watchers));
  return f.String("upstream", &i->upstream);
}

Json ToJson(const FsckReport& r) {
  return {{"ok", r.ok()},         {"objects_checked", r.objects_checked},
          {"commits", r.commits}, {"trees", r.trees},
          {"blobs", r.blobs},     {"problems", r.problems}};
}

Status FromJson(const Json& j, FsckReport* r) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Count("objects_checked", &r->objects_checked));
  GITMEM_RETURN_IF_ERROR(f.Count("commits", &r->commits));
  GITMEM_RETURN_IF_ERROR(f.Count("trees", &r->trees));
  GITMEM_RETURN_IF_ERROR(f.Count("blobs", &r->blobs));
  return f.Strings("problems", &r->problems);
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

Status FromJson(const Json& j, GcReport* r) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Count("objects_scanned", &r->objects_scanned));
  GITMEM_RETURN_IF_ERROR(f.Count("objects_reachable", &r->objects_reachable));
  GITMEM_RETURN_IF_ERROR(f.Count("objects_freed", &r->objects_freed));
  GITMEM_RETURN_IF_ERROR(f.Count("bytes_freed", &r->bytes_freed));
  GITMEM_RETURN_IF_ERROR(f.Count("session_entries_freed", &r->session_entries_freed));
  GITMEM_RETURN_IF_ERROR(f.Count("index_snapshots_freed", &r->index_snapshots_freed));
  GITMEM_RETURN_IF_ERROR(f.Count("vectors_freed", &r->vectors_freed));
  return f.Count("index_bytes_freed", &r->index_bytes_freed);
}

Json ToJson(const ImportReport& r) {
  return {{"memories", r.memories}, {"objects", r.objects}, {"refs", r.refs}, {"commit", IdOrNull(r.commit)}};
}

Status FromJson(const Json& j, ImportReport* r) {
  Fields<Json> f(j, "");
  GITMEM_RETURN_IF_ERROR(f.Object());
  GITMEM_RETURN_IF_ERROR(f.Count("memories", &r->memories));
  GITMEM_RETURN_IF_ERROR(f.Count("objects", &r->objects));
  GITMEM_RETURN_IF_ERROR(f.Count("refs", &r->refs));
  return f.Id("commit", &r->commit);
}

}  // namespace gitmem::json
