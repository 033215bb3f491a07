// Commits, diffs, versions, staged changes, branches and tags as JSON.
#include "json/fields.h"
#include "util/text.h"

namespace gitmem::json {

namespace {

Json OptionalMemory(const std::optional<Memory>& m) { return m ? ToJson(*m) : Json(nullptr); }

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
  return {{"kind", KindName(e.kind)}, {"id", e.id}, {"old", OptionalMemory(e.old_memory)},
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

}  // namespace gitmem::json
