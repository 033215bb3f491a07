// C ABI: merge, cherry-pick, revert (results and conflicts), merge bases, fork, info.
#include "capi_internal.h"

using namespace gitmem::capi;

namespace {

int ToMergeOptions(const gitmem_merge_options* in, gitmem::MergeOptions* o) {
  if (in == nullptr) return GITMEM_OK;
  if (int rc = CheckVersion(in->version, GITMEM_MERGE_OPTIONS_VERSION, "merge_options"); rc != GITMEM_OK)
    return rc;
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
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  if (rev == nullptr || *rev == '\0') return Invalid(std::string(what) + ": must not be empty");
  gitmem::MergeOptions o;
  if (int rc = ToMergeOptions(opts, &o); rc != GITMEM_OK) return rc;
  auto r = ((*repo->repo).*fn)(rev, o);
  if (!r.ok()) return FromStatus(r.status());
  auto result = std::make_unique<gitmem_merge_result>();
  result->r = std::move(*r);
  result->commit_hex = result->r.commit.hex();
  const bool conflicted = result->r.has_conflicts();
  const size_t n = result->r.conflicts.size();
  *out = result.release();
  if (conflicted)
    return SetError(GITMEM_ECONFLICT, std::string(what) + " '" + rev + "': " + std::to_string(n) +
                                          " conflict(s); nothing changed (see the result's conflicts)");
  return GITMEM_OK;
}

}  // namespace

extern "C" {

int gitmem_merge_options_init(gitmem_merge_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_MERGE_OPTIONS_VERSION, "merge_options"); rc != GITMEM_OK) return rc;
  const gitmem_merge_options init = GITMEM_MERGE_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

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

const char* gitmem_merge_result_commit(const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  return result ? result->commit_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_merge_result_fast_forward(const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  return result && result->r.fast_forward ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

int gitmem_merge_result_up_to_date(const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  return result && result->r.up_to_date ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_merge_result_changes_applied(const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  return result ? result->r.changes_applied : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_merge_result_conflict_count(const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  return result ? result->r.conflicts.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_merge_result_free(gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  delete result;
  GITMEM_CAPI_CATCH_VOID
}

int gitmem_conflict_iter_new(gitmem_conflict_iter** out, const gitmem_merge_result* result) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(result, "result");
  auto it = std::make_unique<gitmem_conflict_iter>();
  it->items = result->r.conflicts;
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_conflict_iter_next(gitmem_conflict** out, gitmem_conflict_iter* iter) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(iter, "iter");
  gitmem::MergeConflict c;
  if (!iter->Next(&c)) return GITMEM_ITEROVER;
  *out = new gitmem_conflict(c);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_conflict_iter_free(gitmem_conflict_iter* iter) {
  GITMEM_CAPI_TRY
  delete iter;
  GITMEM_CAPI_CATCH_VOID
}

gitmem_conflict_kind gitmem_conflict_get_kind(const gitmem_conflict* conflict) {
  GITMEM_CAPI_TRY
  return conflict ? conflict->kind : GITMEM_CONFLICT_BOTH_MODIFIED;
  GITMEM_CAPI_CATCH_RETURN(GITMEM_CONFLICT_BOTH_MODIFIED)
}

const char* gitmem_conflict_id(const gitmem_conflict* conflict) {
  GITMEM_CAPI_TRY
  return conflict ? conflict->id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

#define GITMEM_CONFLICT_MEMORY(fn, field)                         \
  const gitmem_memory* fn(const gitmem_conflict* conflict) {      \
    GITMEM_CAPI_TRY                                               \
    return conflict && conflict->field ? &*conflict->field : nullptr; \
    GITMEM_CAPI_CATCH_RETURN(nullptr)                             \
  }
GITMEM_CONFLICT_MEMORY(gitmem_conflict_base, base)
GITMEM_CONFLICT_MEMORY(gitmem_conflict_ours, ours)
GITMEM_CONFLICT_MEMORY(gitmem_conflict_theirs, theirs)
GITMEM_CONFLICT_MEMORY(gitmem_conflict_resolution, resolution)
#undef GITMEM_CONFLICT_MEMORY

int gitmem_conflict_base_ambiguous(const gitmem_conflict* conflict) {
  GITMEM_CAPI_TRY
  return conflict && conflict->base_ambiguous ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_conflict_free(gitmem_conflict* conflict) {
  GITMEM_CAPI_TRY
  delete conflict;
  GITMEM_CAPI_CATCH_VOID
}

int gitmem_merge_bases(gitmem_strlist** out, gitmem_repo* repo, const char* a, const char* b) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(a, "a");
  GITMEM_REQUIRE(b, "b");
  auto bases = repo->repo->MergeBases(a, b);
  if (!bases.ok()) return FromStatus(bases.status());
  auto list = std::make_unique<gitmem_strlist>();
  for (const auto& id : *bases) list->items.push_back(id.hex());
  *out = list.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_repo_fork(gitmem_repo** out, gitmem_repo* repo, const char* new_name) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(new_name, "new_name");
  auto fork = repo->repo->Fork(new_name);
  if (!fork.ok()) return FromStatus(fork.status());
  auto handle = std::make_unique<gitmem_repo>();
  handle->repo = std::shared_ptr<gitmem::Repository>(std::move(*fork));
  *out = handle.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_repo_info_get(gitmem_repo_info** out, gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  auto info = repo->repo->Info();
  if (!info.ok()) return FromStatus(info.status());
  auto handle = std::make_unique<gitmem_repo_info>();
  handle->i = std::move(*info);
  *out = handle.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

#define GITMEM_INFO_STRING(fn, field)                   \
  const char* fn(const gitmem_repo_info* info) {        \
    GITMEM_CAPI_TRY                                     \
    return info ? info->i.field.c_str() : nullptr;      \
    GITMEM_CAPI_CATCH_RETURN(nullptr)                   \
  }
#define GITMEM_INFO_NUMBER(type, fn, field)             \
  type fn(const gitmem_repo_info* info) {               \
    GITMEM_CAPI_TRY                                     \
    return info ? info->i.field : 0;                    \
    GITMEM_CAPI_CATCH_RETURN(0)                         \
  }
GITMEM_INFO_STRING(gitmem_repo_info_name, name)
GITMEM_INFO_STRING(gitmem_repo_info_description, description)
GITMEM_INFO_STRING(gitmem_repo_info_default_branch, default_branch)
GITMEM_INFO_STRING(gitmem_repo_info_visibility, visibility)
GITMEM_INFO_STRING(gitmem_repo_info_upstream, upstream)
GITMEM_INFO_NUMBER(int64_t, gitmem_repo_info_created_at_us, created_at_us)
GITMEM_INFO_NUMBER(uint64_t, gitmem_repo_info_stars, stars)
GITMEM_INFO_NUMBER(uint64_t, gitmem_repo_info_forks, forks)
GITMEM_INFO_NUMBER(uint64_t, gitmem_repo_info_watchers, watchers)
#undef GITMEM_INFO_STRING
#undef GITMEM_INFO_NUMBER

void gitmem_repo_info_free(gitmem_repo_info* info) {
  GITMEM_CAPI_TRY
  delete info;
  GITMEM_CAPI_CATCH_VOID
}

}  // extern "C"
