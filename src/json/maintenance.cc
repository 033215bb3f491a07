// The repository's record and the fsck, gc and import reports as JSON.
#include "json/fields.h"
#include "util/text.h"

namespace gitmem::json {

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

Json ToJson(const Repository::FsckReport& r) {
  return {{"ok", r.ok()},
          {"objects_checked", r.objects_checked},
          {"commits", r.commits},
          {"trees", r.trees},
          {"blobs", r.blobs},
          {"problems", r.problems}};
}

Status FromJson(const Json& j, Repository::FsckReport* r) {
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
