// C ABI: commit, show, log, diff, history of one memory, staged changes.
#include "capi_internal.h"

using namespace gitmem::capi;

extern "C" {

// ---- commit ---------------------------------------------------------------------------------

GITMEM_DEFINE_OPTIONS_INIT(commit_options, GITMEM_COMMIT_OPTIONS_VERSION, GITMEM_COMMIT_OPTIONS_INIT)

int gitmem_commit_create(char* out_id, gitmem_repo* repo, const gitmem_commit_options* opts) {
  GITMEM_CAPI_TRY
  if (out_id) *out_id = '\0';
  GITMEM_REQUIRE(repo, "repo");
  gitmem::CommitOptions co;
  if (opts) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(opts->version, GITMEM_COMMIT_OPTIONS_VERSION, "commit_options"));
    co.branch = Str(opts->branch);
    co.message = Str(opts->message);
    co.author = Str(opts->author);
    co.timestamp_us = opts->timestamp_us;
    co.allow_empty = opts->allow_empty != 0;
  }
  return Store(repo->repo->Commit(co), [&](const gitmem::ObjectId& id) {
    if (out_id) CopyHex(out_id, id);
  });
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_REPO_DELIVER_STR(commit_show, commit, rev, Show(rev))

GITMEM_DEFINE_DUP(commit)
GITMEM_DEFINE_FREE(commit)
GITMEM_DEFINE_GETTER(commit, const char*, id, nullptr, self->id_hex.c_str())
GITMEM_DEFINE_GETTER(commit, const char*, tree, nullptr, self->tree_hex.c_str())
GITMEM_DEFINE_GETTER(commit, size_t, parent_count, 0, self->parents_hex.size())
GITMEM_DEFINE_STRING_AT(commit, parent, self->parents_hex)
GITMEM_DEFINE_GETTER(commit, const char*, author, nullptr, self->c.author.c_str())
GITMEM_DEFINE_GETTER(commit, const char*, message, nullptr, self->c.message.c_str())
GITMEM_DEFINE_GETTER(commit, int64_t, timestamp_us, 0, self->c.timestamp_us)
GITMEM_DEFINE_GETTER(commit, uint64_t, generation, 0, self->c.generation)
GITMEM_DEFINE_GETTER(commit, uint64_t, memory_count, 0, self->c.memory_count)
GITMEM_DEFINE_GETTER(commit, uint64_t, added, 0, self->c.added)
GITMEM_DEFINE_GETTER(commit, uint64_t, modified, 0, self->c.modified)
GITMEM_DEFINE_GETTER(commit, uint64_t, removed, 0, self->c.removed)
GITMEM_DEFINE_GETTER(commit, size_t, changed_id_count, 0, self->c.changed_ids.size())
GITMEM_DEFINE_STRING_AT(commit, changed_id, self->c.changed_ids)
GITMEM_DEFINE_GETTER(commit, int, changed_ids_truncated, 0, self->c.changed_ids_truncated)

// ---- log ------------------------------------------------------------------------------------

GITMEM_DEFINE_OPTIONS_INIT(log_options, GITMEM_LOG_OPTIONS_VERSION, GITMEM_LOG_OPTIONS_INIT)

int gitmem_log_new(gitmem_log** out, gitmem_repo* repo, const gitmem_log_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  gitmem::LogOptions lo;
  if (opts) {
    GITMEM_RETURN_IF_NOT_OK(CheckVersion(opts->version, GITMEM_LOG_OPTIONS_VERSION, "log_options"));
    lo.rev = Str(opts->rev);
    lo.first_parent = opts->first_parent != 0;
    lo.offset = opts->offset;
    lo.limit = opts->limit;
  }
  return NewIter(out, repo, repo->repo->Log(lo));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(log, commit, log)

// ---- diff -----------------------------------------------------------------------------------

int gitmem_diff_new(gitmem_diff** out, gitmem_repo* repo, const gitmem_read_options* from,
                    const gitmem_read_options* to) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  gitmem::ReadOptions a, b;
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(from, "from", &a));
  GITMEM_RETURN_IF_NOT_OK(ToReadOptions(to, "to", &b));
  return NewIter(out, repo, repo->repo->DiffRevs(a, b));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(diff, diff_entry, diff)
GITMEM_DEFINE_GETTER(diff, size_t, count, 0, self->items.size())
GITMEM_DEFINE_GETTER(diff, size_t, added, 0, self->added)
GITMEM_DEFINE_GETTER(diff, size_t, modified, 0, self->modified)
GITMEM_DEFINE_GETTER(diff, size_t, removed, 0, self->removed)

GITMEM_DEFINE_GETTER(diff_entry, gitmem_diff_kind, kind, GITMEM_DIFF_ADDED, self->kind)
GITMEM_DEFINE_GETTER(diff_entry, const char*, id, nullptr, self->id.c_str())
GITMEM_DEFINE_GETTER(diff_entry, const gitmem_memory*, old_memory, nullptr, ValueOrNull(self->old_memory))
GITMEM_DEFINE_GETTER(diff_entry, const gitmem_memory*, new_memory, nullptr, ValueOrNull(self->new_memory))
GITMEM_DEFINE_FREE(diff_entry)

// ---- history of one memory --------------------------------------------------------------------

int gitmem_history_new(gitmem_history** out, gitmem_repo* repo, const char* id, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  GITMEM_REQUIRE(id, "id");
  if (*id == '\0') return Invalid("id: must not be empty");
  return NewIter(out, repo, repo->repo->History(id, Str(rev)));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(history, history_entry, history)

GITMEM_DEFINE_GETTER(history_entry, const gitmem_commit*, commit, nullptr, &self->commit)
GITMEM_DEFINE_GETTER(history_entry, const gitmem_memory*, memory, nullptr, ValueOrNull(self->memory))
GITMEM_DEFINE_FREE(history_entry)

// ---- staged changes ---------------------------------------------------------------------------

int gitmem_staged_new(gitmem_staged** out, gitmem_repo* repo, const char* branch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  return NewIter(out, repo, repo->repo->Staged(Str(branch)));
  GITMEM_CAPI_CATCH
}

int gitmem_staged_discard(gitmem_repo* repo, const char* branch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  return FromStatus(repo->repo->DiscardStaged(Str(branch)));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_ITER(staged, staged_entry, staged)
GITMEM_DEFINE_GETTER(staged, size_t, count, 0, self->items.size())

GITMEM_DEFINE_GETTER(staged_entry, const char*, id, nullptr, self->id.c_str())
GITMEM_DEFINE_GETTER(staged_entry, int, deleted, 0, self->deleted)
GITMEM_DEFINE_GETTER(staged_entry, const gitmem_memory*, memory, nullptr, ValueOrNull(self->memory))
GITMEM_DEFINE_FREE(staged_entry)

}  // extern "C"
