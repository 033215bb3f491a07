// C ABI: merge, cherry-pick, revert (results and conflicts), merge bases, fork, info.
#include "capi_internal.h"

using namespace gitmem::capi;

namespace {

int ToMergeOptions(const gitmem_merge_options* in, gitmem::MergeOptions* o) {
  GITMEM_OPTIONS_IN(in, GITMEM_MERGE_OPTIONS_VERSION, "merge_options");
  if (in->strategy < GITMEM_MERGE_FAIL || in->strategy > GITMEM_MERGE_CALLBACK)
    return Invalid("strategy: " + std::to_string(in->strategy) + " is not a gitmem_merge_strategy (0 to 5)");
  if (in->strategy == GITMEM_MERGE_CALLBACK && in->resolver == nullptr)
    return Invalid("resolver: must not be NULL with GITMEM_MERGE_CALLBACK");
  if (in->strategy != GITMEM_MERGE_CALLBACK && in->resolver != nullptr)
    return Invalid("strategy: a resolver needs GITMEM_MERGE_CALLBACK");
  o->into = Str(in->into);
  o->strategy = static_cast<gitmem::MergeStrategy>(in->strategy);
  o->message = Str(in->message);
  o->author = Str(in->author);
  o->timestamp_us = in->timestamp_us;
  o->allow_fast_forward = in->no_fast_forward == 0;
  if (in->resolver != nullptr) {
    gitmem_merge_resolver_fn fn = in->resolver;
    void* payload = in->resolver_payload;
    o->resolver = [fn, payload](const gitmem::MergeConflict& c) -> gitmem::Result<std::optional<gitmem::Memory>> {
      gitmem_conflict conflict(c);
      gitmem_memory* keep = nullptr;
      const int rc = fn(&keep, &conflict, payload);
      std::unique_ptr<gitmem_memory> owned(keep);
      if (rc != 0)
        return gitmem::Status::InvalidArgument("resolver: the callback returned " + std::to_string(rc) +
                                               " for memory '" + c.id + "'");
      if (!owned) return std::optional<gitmem::Memory>();
      return std::optional<gitmem::Memory>(std::move(owned->m));
    };
  }
  return GITMEM_OK;
}

using MergeFn = gitmem::Result<gitmem::MergeResult> (gitmem::Repository::*)(std::string_view,
                                                                            const gitmem::MergeOptions&);

int RunMerge(MergeFn fn, const char* what, gitmem_merge_result** out, gitmem_repo* repo, const char* rev,
             const gitmem_merge_options* opts) {
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  if (rev == nullptr || *rev == '\0') return Invalid(std::string(what) + ": must not be empty");
  gitmem::MergeOptions o;
  GITMEM_RETURN_IF_NOT_OK(ToMergeOptions(opts, &o));
  GITMEM_RETURN_IF_NOT_OK(Deliver(out, ((*repo->repo).*fn)(rev, o)));
  if ((*out)->r.has_conflicts())
    return SetError(GITMEM_ECONFLICT, std::string(what) + " '" + rev +
                                          "': " + std::to_string((*out)->r.conflicts.size()) +
                                          " conflict(s); nothing changed (see the result's conflicts)");
  return GITMEM_OK;
}

}  // namespace

extern "C" {

GITMEM_DEFINE_OPTIONS_INIT(merge_options, GITMEM_MERGE_OPTIONS_VERSION, GITMEM_MERGE_OPTIONS_INIT)

int gitmem_merge(gitmem_merge_result** out, gitmem_repo* repo, const char* source, const gitmem_merge_options* opts) {
  GITMEM_CAPI_TRY
  return RunMerge(&gitmem::Repository::Merge, "source", out, repo, source, opts);
  GITMEM_CAPI_CATCH
}

int gitmem_cherry_pick(gitmem_merge_result** out, gitmem_repo* repo, const char* commit,
                       const gitmem_merge_options* opts) {
  GITMEM_CAPI_TRY
  return RunMerge(&gitmem::Repository::CherryPick, "commit", out, repo, commit, opts);
  GITMEM_CAPI_CATCH
}

int gitmem_revert(gitmem_merge_result** out, gitmem_repo* repo, const char* commit, const gitmem_merge_options* opts) {
  GITMEM_CAPI_TRY
  return RunMerge(&gitmem::Repository::Revert, "commit", out, repo, commit, opts);
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_GETTER(merge_result, const char*, commit, nullptr, self->commit_hex.c_str())
GITMEM_DEFINE_GETTER(merge_result, int, fast_forward, 0, self->r.fast_forward)
GITMEM_DEFINE_GETTER(merge_result, int, up_to_date, 0, self->r.up_to_date)
GITMEM_DEFINE_GETTER(merge_result, uint64_t, changes_applied, 0, self->r.changes_applied)
GITMEM_DEFINE_GETTER(merge_result, size_t, conflict_count, 0, self->r.conflicts.size())
GITMEM_DEFINE_FREE(merge_result)

int gitmem_conflict_iter_new(gitmem_conflict_iter** out, const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT(out);
  GITMEM_REQUIRE(result, "result");
  auto it = std::make_unique<gitmem_conflict_iter>();
  it->items = result->r.conflicts;
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(conflict_iter, conflict, iter)

GITMEM_DEFINE_GETTER(conflict, gitmem_conflict_kind, get_kind, GITMEM_CONFLICT_BOTH_MODIFIED, self->kind)
GITMEM_DEFINE_GETTER(conflict, const char*, id, nullptr, self->id.c_str())
GITMEM_DEFINE_GETTER(conflict, const gitmem_memory*, base, nullptr, ValueOrNull(self->base))
GITMEM_DEFINE_GETTER(conflict, const gitmem_memory*, ours, nullptr, ValueOrNull(self->ours))
GITMEM_DEFINE_GETTER(conflict, const gitmem_memory*, theirs, nullptr, ValueOrNull(self->theirs))
GITMEM_DEFINE_GETTER(conflict, const gitmem_memory*, resolution, nullptr, ValueOrNull(self->resolution))
GITMEM_DEFINE_GETTER(conflict, int, base_ambiguous, 0, self->base_ambiguous)
GITMEM_DEFINE_FREE(conflict)

int gitmem_merge_bases(gitmem_strlist** out, gitmem_repo* repo, const char* a, const char* b) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  GITMEM_REQUIRE(a, "a");
  GITMEM_REQUIRE(b, "b");
  return Store(repo->repo->MergeBases(a, b), [&](const std::vector<gitmem::ObjectId>& bases) {
    auto list = std::make_unique<gitmem_strlist>();
    for (const auto& id : bases) list->items.push_back(id.hex());
    *out = list.release();
  });
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_REPO_DELIVER_STR(repo_fork, repo, new_name, Fork(new_name))

GITMEM_DEFINE_REPO_DELIVER(repo_info_get, repo_info, Info())

GITMEM_DEFINE_GETTER(repo_info, const char*, name, nullptr, self->i.name.c_str())
GITMEM_DEFINE_GETTER(repo_info, const char*, description, nullptr, self->i.description.c_str())
GITMEM_DEFINE_GETTER(repo_info, const char*, default_branch, nullptr, self->i.default_branch.c_str())
GITMEM_DEFINE_GETTER(repo_info, const char*, visibility, nullptr, self->i.visibility.c_str())
GITMEM_DEFINE_GETTER(repo_info, const char*, upstream, nullptr, self->i.upstream.c_str())
GITMEM_DEFINE_GETTER(repo_info, int64_t, created_at_us, 0, self->i.created_at_us)
GITMEM_DEFINE_GETTER(repo_info, uint64_t, stars, 0, self->i.stars)
GITMEM_DEFINE_GETTER(repo_info, uint64_t, forks, 0, self->i.forks)
GITMEM_DEFINE_GETTER(repo_info, uint64_t, watchers, 0, self->i.watchers)
GITMEM_DEFINE_FREE(repo_info)

}  // extern "C"
