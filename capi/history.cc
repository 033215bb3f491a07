// C ABI: commit, show, log, diff, history of one memory, staged changes.
#include "capi_internal.h"

using namespace gitmem::capi;

namespace {

template <typename Iter>
std::unique_ptr<Iter> NewIter(const gitmem_repo* repo) {
  auto it = std::make_unique<Iter>();
  it->repo = repo->repo;
  return it;
}

const std::string* At(const std::vector<std::string>& v, size_t i) { return i < v.size() ? &v[i] : nullptr; }

}  // namespace

extern "C" {

// ---- commit ---------------------------------------------------------------------------------

int gitmem_commit_options_init(gitmem_commit_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_COMMIT_OPTIONS_VERSION, "commit_options"); rc != GITMEM_OK) return rc;
  const gitmem_commit_options init = GITMEM_COMMIT_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_commit_create(char* out_id, gitmem_repo* repo, const gitmem_commit_options* opts) {
  GITMEM_CAPI_TRY
  if (out_id) *out_id = '\0';
  GITMEM_REQUIRE(repo, "repo");
  gitmem::CommitOptions co;
  if (opts) {
    if (int rc = CheckVersion(opts->version, GITMEM_COMMIT_OPTIONS_VERSION, "commit_options"); rc != GITMEM_OK)
      return rc;
    co.branch = Str(opts->branch);
    co.message = Str(opts->message);
    co.author = Str(opts->author);
    co.timestamp_us = opts->timestamp_us;
    co.allow_empty = opts->allow_empty != 0;
  }
  auto id = repo->repo->Commit(co);
  if (!id.ok()) return FromStatus(id.status());
  if (out_id) CopyHex(out_id, *id);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_commit_show(gitmem_commit** out, gitmem_repo* repo, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(rev, "rev");
  auto c = repo->repo->Show(rev);
  if (!c.ok()) return FromStatus(c.status());
  *out = new gitmem_commit(std::move(*c));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_commit_dup(gitmem_commit** out, const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(commit, "commit");
  *out = new gitmem_commit(*commit);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_commit_free(gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  delete commit;
  GITMEM_CAPI_CATCH_VOID
}

const char* gitmem_commit_id(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->id_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_commit_tree(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->tree_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

size_t gitmem_commit_parent_count(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->parents_hex.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

const char* gitmem_commit_parent(const gitmem_commit* commit, size_t i) {
  GITMEM_CAPI_TRY
  const std::string* s = commit ? At(commit->parents_hex, i) : nullptr;
  return s ? s->c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_commit_author(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.author.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_commit_message(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.message.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int64_t gitmem_commit_timestamp_us(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.timestamp_us : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_commit_generation(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.generation : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_commit_memory_count(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.memory_count : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_commit_added(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.added : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_commit_modified(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.modified : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_commit_removed(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.removed : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_commit_changed_id_count(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit ? commit->c.changed_ids.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

const char* gitmem_commit_changed_id(const gitmem_commit* commit, size_t i) {
  GITMEM_CAPI_TRY
  const std::string* s = commit ? At(commit->c.changed_ids, i) : nullptr;
  return s ? s->c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_commit_changed_ids_truncated(const gitmem_commit* commit) {
  GITMEM_CAPI_TRY
  return commit && commit->c.changed_ids_truncated ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

// ---- log ------------------------------------------------------------------------------------

int gitmem_log_options_init(gitmem_log_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_LOG_OPTIONS_VERSION, "log_options"); rc != GITMEM_OK) return rc;
  const gitmem_log_options init = GITMEM_LOG_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_log_new(gitmem_log** out, gitmem_repo* repo, const gitmem_log_options* opts) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  gitmem::LogOptions lo;
  if (opts) {
    if (int rc = CheckVersion(opts->version, GITMEM_LOG_OPTIONS_VERSION, "log_options"); rc != GITMEM_OK) return rc;
    lo.rev = Str(opts->rev);
    lo.first_parent = opts->first_parent != 0;
    lo.offset = opts->offset;
    lo.limit = opts->limit;
  }
  auto commits = repo->repo->Log(lo);
  if (!commits.ok()) return FromStatus(commits.status());
  auto it = NewIter<gitmem_log>(repo);
  it->items = std::move(*commits);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_log_next(gitmem_commit** out, gitmem_log* log) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(log, "log");
  gitmem::CommitInfo c;
  if (!log->Next(&c)) return GITMEM_ITEROVER;
  *out = new gitmem_commit(std::move(c));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_log_free(gitmem_log* log) {
  GITMEM_CAPI_TRY
  delete log;
  GITMEM_CAPI_CATCH_VOID
}

// ---- diff -----------------------------------------------------------------------------------

int gitmem_diff_new(gitmem_diff** out, gitmem_repo* repo, const gitmem_read_options* from,
                    const gitmem_read_options* to) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  gitmem::ReadOptions a, b;
  if (int rc = ToReadOptions(from, "from", &a); rc != GITMEM_OK) return rc;
  if (int rc = ToReadOptions(to, "to", &b); rc != GITMEM_OK) return rc;
  auto diff = repo->repo->DiffRevs(a, b);
  if (!diff.ok()) return FromStatus(diff.status());
  auto it = NewIter<gitmem_diff>(repo);
  it->added = diff->added();
  it->modified = diff->modified();
  it->removed = diff->removed();
  it->items = std::move(diff->entries);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_diff_next(gitmem_diff_entry** out, gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(diff, "diff");
  gitmem::DiffEntry e;
  if (!diff->Next(&e)) return GITMEM_ITEROVER;
  auto entry = std::make_unique<gitmem_diff_entry>();
  switch (e.kind) {
    case gitmem::DiffEntry::Kind::kAdded: entry->kind = GITMEM_DIFF_ADDED; break;
    case gitmem::DiffEntry::Kind::kModified: entry->kind = GITMEM_DIFF_MODIFIED; break;
    case gitmem::DiffEntry::Kind::kRemoved: entry->kind = GITMEM_DIFF_REMOVED; break;
  }
  entry->id = std::move(e.id);
  if (e.old_memory) entry->old_memory.emplace(std::move(*e.old_memory));
  if (e.new_memory) entry->new_memory.emplace(std::move(*e.new_memory));
  *out = entry.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

size_t gitmem_diff_count(const gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  return diff ? diff->items.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_diff_added(const gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  return diff ? diff->added : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_diff_modified(const gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  return diff ? diff->modified : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_diff_removed(const gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  return diff ? diff->removed : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_diff_free(gitmem_diff* diff) {
  GITMEM_CAPI_TRY
  delete diff;
  GITMEM_CAPI_CATCH_VOID
}

gitmem_diff_kind gitmem_diff_entry_kind(const gitmem_diff_entry* entry) {
  GITMEM_CAPI_TRY
  return entry ? entry->kind : GITMEM_DIFF_ADDED;
  GITMEM_CAPI_CATCH_RETURN(GITMEM_DIFF_ADDED)
}

const char* gitmem_diff_entry_id(const gitmem_diff_entry* entry) {
  GITMEM_CAPI_TRY
  return entry ? entry->id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const gitmem_memory* gitmem_diff_entry_old_memory(const gitmem_diff_entry* entry) {
  GITMEM_CAPI_TRY
  return entry && entry->old_memory ? &*entry->old_memory : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const gitmem_memory* gitmem_diff_entry_new_memory(const gitmem_diff_entry* entry) {
  GITMEM_CAPI_TRY
  return entry && entry->new_memory ? &*entry->new_memory : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

void gitmem_diff_entry_free(gitmem_diff_entry* entry) {
  GITMEM_CAPI_TRY
  delete entry;
  GITMEM_CAPI_CATCH_VOID
}

// ---- history of one memory --------------------------------------------------------------------

int gitmem_history_new(gitmem_history** out, gitmem_repo* repo, const char* id, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(id, "id");
  if (*id == '\0') return Invalid("id: must not be empty");
  auto versions = repo->repo->History(id, Str(rev));
  if (!versions.ok()) return FromStatus(versions.status());
  auto it = NewIter<gitmem_history>(repo);
  it->items = std::move(*versions);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_history_next(gitmem_history_entry** out, gitmem_history* history) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(history, "history");
  gitmem::MemoryVersion v;
  if (!history->Next(&v)) return GITMEM_ITEROVER;
  *out = new gitmem_history_entry(std::move(v));
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_history_free(gitmem_history* history) {
  GITMEM_CAPI_TRY
  delete history;
  GITMEM_CAPI_CATCH_VOID
}

const gitmem_commit* gitmem_history_entry_commit(const gitmem_history_entry* entry) {
  GITMEM_CAPI_TRY
  return entry ? &entry->commit : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const gitmem_memory* gitmem_history_entry_memory(const gitmem_history_entry* entry) {
  GITMEM_CAPI_TRY
  return entry && entry->memory ? &*entry->memory : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

void gitmem_history_entry_free(gitmem_history_entry* entry) {
  GITMEM_CAPI_TRY
  delete entry;
  GITMEM_CAPI_CATCH_VOID
}

// ---- staged changes ---------------------------------------------------------------------------

int gitmem_staged_new(gitmem_staged** out, gitmem_repo* repo, const char* branch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  auto changes = repo->repo->Staged(Str(branch));
  if (!changes.ok()) return FromStatus(changes.status());
  auto it = NewIter<gitmem_staged>(repo);
  it->items = std::move(*changes);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_staged_next(gitmem_staged_entry** out, gitmem_staged* staged) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(staged, "staged");
  gitmem::StagedChange c;
  if (!staged->Next(&c)) return GITMEM_ITEROVER;
  auto entry = std::make_unique<gitmem_staged_entry>();
  entry->id = std::move(c.id);
  entry->deleted = c.deleted;
  if (c.memory) entry->memory.emplace(std::move(*c.memory));
  *out = entry.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

size_t gitmem_staged_count(const gitmem_staged* staged) {
  GITMEM_CAPI_TRY
  return staged ? staged->items.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_staged_free(gitmem_staged* staged) {
  GITMEM_CAPI_TRY
  delete staged;
  GITMEM_CAPI_CATCH_VOID
}

const char* gitmem_staged_entry_id(const gitmem_staged_entry* entry) {
  GITMEM_CAPI_TRY
  return entry ? entry->id.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_staged_entry_deleted(const gitmem_staged_entry* entry) {
  GITMEM_CAPI_TRY
  return entry && entry->deleted ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

const gitmem_memory* gitmem_staged_entry_memory(const gitmem_staged_entry* entry) {
  GITMEM_CAPI_TRY
  return entry && entry->memory ? &*entry->memory : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

void gitmem_staged_entry_free(gitmem_staged_entry* entry) {
  GITMEM_CAPI_TRY
  delete entry;
  GITMEM_CAPI_CATCH_VOID
}

int gitmem_staged_discard(gitmem_repo* repo, const char* branch) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  return FromStatus(repo->repo->DiscardStaged(Str(branch)));
  GITMEM_CAPI_CATCH
}

}  // extern "C"
