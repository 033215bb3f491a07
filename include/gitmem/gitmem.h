/* gitmem C ABI — stable interface for C and for any language with an FFI.
 *
 * Conventions (libgit2, SQLite, FAISS c_api):
 *  - Fallible functions return int: GITMEM_OK (0) or a negative gitmem_error_code.
 *    Out-parameters come first. gitmem_error_last() gives the calling thread's last
 *    message, which names the offending field ("content: must not be empty").
 *  - Everything the library allocates has a gitmem_<type>_free; passing NULL is a no-op.
 *  - Options structs start with `unsigned int version`; initialise them with their
 *    GITMEM_<X>_OPTIONS_INIT macro (or gitmem_<x>_options_init) and only then set fields.
 *    A NULL options pointer means the defaults. Structs only ever grow at the end.
 *  - Iterators: gitmem_<x>_new / gitmem_<x>_next (GITMEM_ITEROVER at the end) / _free.
 *    Each item _next hands out is owned by the caller and freed with its own _free.
 *  - Strings are NUL-terminated UTF-8. A `const char *` a getter returns is borrowed: it
 *    stays valid until the handle it came from is freed (or, for a builder, changed).
 *  - Object ids cross the boundary as 64 lowercase hex digits; a caller's buffer for one
 *    holds GITMEM_OID_HEXSIZE + 1 bytes.
 *  - No C++ type or exception crosses this boundary.
 *
 * Ownership: iterators keep their repository alive (shared ownership), so handles may be
 * freed in any order. Value handles (gitmem_memory, gitmem_commit, entries, reports) are
 * self-contained copies that refer to no repository at all.
 *
 * Thread safety: a gitmem_repo may be shared between threads (as gitmem::Repository may).
 * Every other handle is a plain value: use one from one thread at a time. Error messages
 * are per thread.
 */
#ifndef GITMEM_GITMEM_H
#define GITMEM_GITMEM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(GITMEM_BUILDING)
#    define GITMEM_EXTERN __declspec(dllexport)
#  else
#    define GITMEM_EXTERN __declspec(dllimport)
#  endif
#else
#  define GITMEM_EXTERN __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GITMEM_VERSION_MAJOR 0
#define GITMEM_VERSION_MINOR 1
#define GITMEM_VERSION_PATCH 0

/** The library's version, "major.minor.patch". */
GITMEM_EXTERN const char *gitmem_version(void);

/* ==== errors ========================================================================= */

/** Return codes. Every failure also sets the thread's gitmem_error_last() message. */
typedef enum gitmem_error_code {
  GITMEM_OK = 0,
  GITMEM_ENOTFOUND = -1,  /**< no such repository, memory, branch, tag or commit */
  GITMEM_EEXISTS = -2,    /**< the repository, branch or tag already exists */
  GITMEM_EINVALID = -3,   /**< bad input; the message names the field and the limit */
  GITMEM_ECONFLICT = -4,  /**< a concurrent writer won a compare-and-swap */
  GITMEM_ECORRUPT = -5,   /**< the store is damaged */
  GITMEM_EIO = -6,        /**< the file system or RocksDB failed */
  GITMEM_EPERM = -7,      /**< e.g. a write to a repository opened read-only */
  GITMEM_EBUSY = -8,      /**< the store is locked by another process */
  GITMEM_EINTERNAL = -9,  /**< a bug in gitmem, or out of memory */
  GITMEM_ITEROVER = -31   /**< an iterator has no more items (not an error) */
} gitmem_error_code;

/** The message of the last failed call on this thread ("" when none). The pointer stays
 *  valid until the next failing call on this thread. */
GITMEM_EXTERN const char *gitmem_error_last(void);
/** The code of the last failed call on this thread (GITMEM_OK when none). */
GITMEM_EXTERN int gitmem_error_last_code(void);
/** Forgets this thread's last error. */
GITMEM_EXTERN void gitmem_error_clear(void);

/** Frees a string the library allocated (NULL is a no-op). */
GITMEM_EXTERN void gitmem_string_free(char *str);

/* ==== string lists =================================================================== */

/** An immutable list of strings (repository names, ids written by put_many). */
typedef struct gitmem_strlist gitmem_strlist;
GITMEM_EXTERN size_t gitmem_strlist_count(const gitmem_strlist *list);
/** The i-th string, or NULL when i is out of range. */
GITMEM_EXTERN const char *gitmem_strlist_get(const gitmem_strlist *list, size_t i);
GITMEM_EXTERN void gitmem_strlist_free(gitmem_strlist *list);

/* ==== enums ========================================================================== */

#define GITMEM_OID_HEXSIZE 64

typedef enum gitmem_memory_type {
  GITMEM_MEMORY_EPISODIC = 0,
  GITMEM_MEMORY_SEMANTIC = 1,
  GITMEM_MEMORY_PROCEDURAL = 2,
  GITMEM_MEMORY_STATE = 3
} gitmem_memory_type;

typedef enum gitmem_scope {
  GITMEM_SCOPE_PRIVATE = 0, /**< the owning agent only */
  GITMEM_SCOPE_SHARED = 1,  /**< repository members */
  GITMEM_SCOPE_GLOBAL = 2   /**< any reader */
} gitmem_scope;

typedef enum gitmem_relation_type {
  GITMEM_RELATION_SIMILAR = 0,
  GITMEM_RELATION_CONTRADICTS = 1,
  GITMEM_RELATION_BUILDS_ON = 2,
  GITMEM_RELATION_REFERENCES = 3
} gitmem_relation_type;

/** Lowercase names ("episodic", "shared", "builds_on"); NULL for an unknown value. */
GITMEM_EXTERN const char *gitmem_memory_type_name(int type);
GITMEM_EXTERN const char *gitmem_scope_name(int scope);
GITMEM_EXTERN const char *gitmem_relation_type_name(int type);

/* ==== repositories =================================================================== */

/** An open repository of a store. Safe to share between threads. */
typedef struct gitmem_repo gitmem_repo;

#define GITMEM_REPO_OPTIONS_VERSION 1
/** How a repository is created or opened. NULL strings and zero sizes mean the default. */
typedef struct gitmem_repo_options {
  unsigned int version;       /**< GITMEM_REPO_OPTIONS_VERSION */
  const char *name;           /**< "owner/name"; default "local/memory" */
  const char *default_branch; /**< init only; default "main" */
  const char *description;    /**< init only; default "" */
  int auto_commit;            /**< non-zero: every write commits at once */
  const char *default_author; /**< author when a call names none; default "gitmem" */
  size_t max_content_bytes;   /**< default 64 KiB */
  size_t max_metadata_bytes;  /**< default 16 KiB */
  int sync;                   /**< non-zero: fsync the WAL on every state change */
  int read_only;              /**< non-zero: open read-only; writes fail with EPERM */
  size_t node_cache_bytes;    /**< default 256 MiB, shared by the store's repositories */
} gitmem_repo_options;
#define GITMEM_REPO_OPTIONS_INIT {GITMEM_REPO_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, 0, 0, 0}
GITMEM_EXTERN int gitmem_repo_options_init(gitmem_repo_options *opts, unsigned int version);

/** Creates a repository in the store at `path` (created when missing). EEXISTS when the
 *  repository already exists. */
GITMEM_EXTERN int gitmem_repo_init(gitmem_repo **out, const char *path, const gitmem_repo_options *opts);
/** Opens an existing repository of the store at `path`. ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_repo_open(gitmem_repo **out, const char *path, const gitmem_repo_options *opts);
/** Names of the repositories in the store at `path`, sorted. */
GITMEM_EXTERN int gitmem_repo_list(gitmem_strlist **out, const char *path);
/** Closes a repository. Iterators still open keep it alive until they are freed. */
GITMEM_EXTERN void gitmem_repo_free(gitmem_repo *repo);
/** "owner/name" (borrowed; valid while the handle lives). */
GITMEM_EXTERN const char *gitmem_repo_name(const gitmem_repo *repo);

/* ==== memories ======================================================================= */

/** One memory record: read from a repository, or built with gitmem_memory_new and the
 *  setters before gitmem_memory_put. */
typedef struct gitmem_memory gitmem_memory;

/** A new record with the defaults: no id (put generates a UUIDv7), type semantic, scope
 *  shared, importance 0.5, confidence 1, metadata "{}", timestamp 0 (put uses now). */
GITMEM_EXTERN int gitmem_memory_new(gitmem_memory **out);
/** A deep copy. */
GITMEM_EXTERN int gitmem_memory_dup(gitmem_memory **out, const gitmem_memory *memory);
GITMEM_EXTERN void gitmem_memory_free(gitmem_memory *memory);

/* Setters copy their arguments. Values are checked when the record is written (except the
 * enums, checked here); a NULL string is EINVALID. */
GITMEM_EXTERN int gitmem_memory_set_id(gitmem_memory *memory, const char *id);
GITMEM_EXTERN int gitmem_memory_set_content(gitmem_memory *memory, const char *content);
GITMEM_EXTERN int gitmem_memory_set_type(gitmem_memory *memory, gitmem_memory_type type);
GITMEM_EXTERN int gitmem_memory_set_agent_id(gitmem_memory *memory, const char *agent_id);
GITMEM_EXTERN int gitmem_memory_set_session_id(gitmem_memory *memory, const char *session_id);
/** UTC microseconds since the Unix epoch; 0 = the time of the write. */
GITMEM_EXTERN int gitmem_memory_set_timestamp_us(gitmem_memory *memory, int64_t timestamp_us);
GITMEM_EXTERN int gitmem_memory_set_importance(gitmem_memory *memory, float importance);
GITMEM_EXTERN int gitmem_memory_set_confidence(gitmem_memory *memory, float confidence);
/** Replaces the tags (count 0 clears them; `tags` may then be NULL). */
GITMEM_EXTERN int gitmem_memory_set_tags(gitmem_memory *memory, const char *const *tags, size_t count);
GITMEM_EXTERN int gitmem_memory_add_tag(gitmem_memory *memory, const char *tag);
GITMEM_EXTERN int gitmem_memory_set_scope(gitmem_memory *memory, gitmem_scope scope);
/** A JSON object text (stored canonically: sorted keys, no spaces). */
GITMEM_EXTERN int gitmem_memory_set_metadata(gitmem_memory *memory, const char *metadata_json);
GITMEM_EXTERN int gitmem_memory_add_relation(gitmem_memory *memory, gitmem_relation_type type,
                                             const char *target_id, float strength);
GITMEM_EXTERN int gitmem_memory_clear_relations(gitmem_memory *memory);
/** Provenance author; "" (the default) = the writer (write options' author). */
GITMEM_EXTERN int gitmem_memory_set_author(gitmem_memory *memory, const char *author);

/* Getters. Strings are borrowed from the handle; a NULL handle gives NULL / 0. */
GITMEM_EXTERN const char *gitmem_memory_id(const gitmem_memory *memory);
GITMEM_EXTERN const char *gitmem_memory_content(const gitmem_memory *memory);
GITMEM_EXTERN gitmem_memory_type gitmem_memory_get_type(const gitmem_memory *memory);
GITMEM_EXTERN const char *gitmem_memory_agent_id(const gitmem_memory *memory);
GITMEM_EXTERN const char *gitmem_memory_session_id(const gitmem_memory *memory);
GITMEM_EXTERN int64_t gitmem_memory_timestamp_us(const gitmem_memory *memory);
GITMEM_EXTERN float gitmem_memory_importance(const gitmem_memory *memory);
GITMEM_EXTERN float gitmem_memory_confidence(const gitmem_memory *memory);
GITMEM_EXTERN size_t gitmem_memory_tag_count(const gitmem_memory *memory);
/** The i-th tag (sorted once written), or NULL when out of range. */
GITMEM_EXTERN const char *gitmem_memory_tag(const gitmem_memory *memory, size_t i);
GITMEM_EXTERN gitmem_scope gitmem_memory_get_scope(const gitmem_memory *memory);
GITMEM_EXTERN const char *gitmem_memory_metadata(const gitmem_memory *memory);
GITMEM_EXTERN size_t gitmem_memory_relation_count(const gitmem_memory *memory);
/** The i-th relation; ENOTFOUND when i is out of range. Any out pointer may be NULL. */
GITMEM_EXTERN int gitmem_memory_relation(gitmem_relation_type *type, const char **target_id, float *strength,
                                         const gitmem_memory *memory, size_t i);
/** Provenance: who wrote the record, and the SHA-256 (hex) of its content as written
 *  (64 zeros for a record not yet written). */
GITMEM_EXTERN const char *gitmem_memory_author(const gitmem_memory *memory);
GITMEM_EXTERN const char *gitmem_memory_content_hash(const gitmem_memory *memory);

/** A partial update: only the fields set on the patch change. */
typedef struct gitmem_patch gitmem_patch;
GITMEM_EXTERN int gitmem_patch_new(gitmem_patch **out);
GITMEM_EXTERN void gitmem_patch_free(gitmem_patch *patch);
GITMEM_EXTERN int gitmem_patch_set_content(gitmem_patch *patch, const char *content);
GITMEM_EXTERN int gitmem_patch_set_type(gitmem_patch *patch, gitmem_memory_type type);
GITMEM_EXTERN int gitmem_patch_set_agent_id(gitmem_patch *patch, const char *agent_id);
GITMEM_EXTERN int gitmem_patch_set_session_id(gitmem_patch *patch, const char *session_id);
GITMEM_EXTERN int gitmem_patch_set_importance(gitmem_patch *patch, float importance);
GITMEM_EXTERN int gitmem_patch_set_confidence(gitmem_patch *patch, float confidence);
/** Replaces the tags (count 0 sets an empty list). */
GITMEM_EXTERN int gitmem_patch_set_tags(gitmem_patch *patch, const char *const *tags, size_t count);
GITMEM_EXTERN int gitmem_patch_set_scope(gitmem_patch *patch, gitmem_scope scope);
GITMEM_EXTERN int gitmem_patch_set_metadata(gitmem_patch *patch, const char *metadata_json);
/** The first add_relation (or clear_relations) makes the patch replace all relations. */
GITMEM_EXTERN int gitmem_patch_add_relation(gitmem_patch *patch, gitmem_relation_type type, const char *target_id,
                                            float strength);
GITMEM_EXTERN int gitmem_patch_clear_relations(gitmem_patch *patch);

#define GITMEM_WRITE_OPTIONS_VERSION 1
typedef struct gitmem_write_options {
  unsigned int version; /**< GITMEM_WRITE_OPTIONS_VERSION */
  const char *branch;   /**< NULL or "" = HEAD's branch */
  const char *author;   /**< NULL or "" = the repository's default author */
} gitmem_write_options;
#define GITMEM_WRITE_OPTIONS_INIT {GITMEM_WRITE_OPTIONS_VERSION, NULL, NULL}
GITMEM_EXTERN int gitmem_write_options_init(gitmem_write_options *opts, unsigned int version);

/** No time travel (the default of as_of_us). */
#define GITMEM_AS_OF_NONE INT64_MIN

#define GITMEM_READ_OPTIONS_VERSION 1
/** Where a read looks. */
typedef struct gitmem_read_options {
  unsigned int version; /**< GITMEM_READ_OPTIONS_VERSION */
  /** NULL or "" = HEAD's branch; a branch name = its working state (head + staged); a tag;
   *  "HEAD"; a commit id or unique prefix (>= 4 hex digits); any of those + "~N". */
  const char *rev;
  /** Time travel: the newest commit on rev's first-parent history at or before this UTC
   *  microsecond time (staged changes excluded). GITMEM_AS_OF_NONE = no time travel. */
  int64_t as_of_us;
} gitmem_read_options;
#define GITMEM_READ_OPTIONS_INIT {GITMEM_READ_OPTIONS_VERSION, NULL, GITMEM_AS_OF_NONE}
GITMEM_EXTERN int gitmem_read_options_init(gitmem_read_options *opts, unsigned int version);

/** Writes a record (an upsert when its id exists); staged unless auto_commit. `out_id`
 *  (may be NULL) receives the id, to free with gitmem_string_free. */
GITMEM_EXTERN int gitmem_memory_put(char **out_id, gitmem_repo *repo, const gitmem_memory *memory,
                                    const gitmem_write_options *opts);
/** Writes `count` records in one atomic batch, all or nothing. `out_ids` may be NULL. */
GITMEM_EXTERN int gitmem_memory_put_many(gitmem_strlist **out_ids, gitmem_repo *repo,
                                         const gitmem_memory *const *memories, size_t count,
                                         const gitmem_write_options *opts);
/** Applies a patch to an existing memory; ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_memory_update(gitmem_repo *repo, const char *id, const gitmem_patch *patch,
                                       const gitmem_write_options *opts);
/** Removes a memory; ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_memory_delete(gitmem_repo *repo, const char *id, const gitmem_write_options *opts);
/** Reads one memory; ENOTFOUND when it does not exist at that revision. */
GITMEM_EXTERN int gitmem_memory_get(gitmem_memory **out, gitmem_repo *repo, const char *id,
                                    const gitmem_read_options *at);
/** How many memories a revision holds. */
GITMEM_EXTERN int gitmem_memory_count(uint64_t *out, gitmem_repo *repo, const gitmem_read_options *at);

/* ---- listing memories ---------------------------------------------------------------- */

#define GITMEM_LIST_OPTIONS_VERSION 1
typedef struct gitmem_list_options {
  unsigned int version; /**< GITMEM_LIST_OPTIONS_VERSION */
  const char *rev;      /**< as gitmem_read_options.rev */
  int64_t as_of_us;     /**< as gitmem_read_options.as_of_us */
  uint64_t offset;      /**< position in id order (O(log N) to skip) */
  uint64_t limit;       /**< UINT64_MAX = no limit */
} gitmem_list_options;
#define GITMEM_LIST_OPTIONS_INIT {GITMEM_LIST_OPTIONS_VERSION, NULL, GITMEM_AS_OF_NONE, 0, UINT64_MAX}
GITMEM_EXTERN int gitmem_list_options_init(gitmem_list_options *opts, unsigned int version);

/** An iterator over memories (a listing or a session). It reads one consistent state when
 *  created. */
typedef struct gitmem_list gitmem_list;
/** Memories in id order. */
GITMEM_EXTERN int gitmem_list_new(gitmem_list **out, gitmem_repo *repo, const gitmem_list_options *opts);
/** The next memory (the caller frees it), or GITMEM_ITEROVER. */
GITMEM_EXTERN int gitmem_list_next(gitmem_memory **out, gitmem_list *list);
/** Items not yet returned by next. */
GITMEM_EXTERN size_t gitmem_list_remaining(const gitmem_list *list);
GITMEM_EXTERN void gitmem_list_free(gitmem_list *list);

/** The memories of one session at a revision, oldest first, as a gitmem_list. */
GITMEM_EXTERN int gitmem_session_list(gitmem_list **out, gitmem_repo *repo, const char *session_id,
                                      const gitmem_read_options *at);

/* ==== commits and history ============================================================= */

#define GITMEM_COMMIT_OPTIONS_VERSION 1
typedef struct gitmem_commit_options {
  unsigned int version; /**< GITMEM_COMMIT_OPTIONS_VERSION */
  const char *branch;   /**< NULL or "" = HEAD's branch */
  const char *message;  /**< NULL = "" */
  const char *author;   /**< NULL or "" = the repository's default author */
  int64_t timestamp_us; /**< 0 = now */
  int allow_empty;      /**< non-zero: commit even when nothing is staged */
} gitmem_commit_options;
#define GITMEM_COMMIT_OPTIONS_INIT {GITMEM_COMMIT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0}
GITMEM_EXTERN int gitmem_commit_options_init(gitmem_commit_options *opts, unsigned int version);

/** Records a branch's staged changes. `out_id` (may be NULL) receives the new commit's id:
 *  a buffer of GITMEM_OID_HEXSIZE + 1 bytes. EINVALID when nothing is staged. */
GITMEM_EXTERN int gitmem_commit_create(char *out_id, gitmem_repo *repo, const gitmem_commit_options *opts);

/** A commit as read back from the store. */
typedef struct gitmem_commit gitmem_commit;
/** Reads the commit a revision names ("show"). */
GITMEM_EXTERN int gitmem_commit_show(gitmem_commit **out, gitmem_repo *repo, const char *rev);
GITMEM_EXTERN int gitmem_commit_dup(gitmem_commit **out, const gitmem_commit *commit);
GITMEM_EXTERN void gitmem_commit_free(gitmem_commit *commit);
GITMEM_EXTERN const char *gitmem_commit_id(const gitmem_commit *commit);
GITMEM_EXTERN const char *gitmem_commit_tree(const gitmem_commit *commit);
GITMEM_EXTERN size_t gitmem_commit_parent_count(const gitmem_commit *commit);
/** The i-th parent's id (hex), or NULL when out of range. */
GITMEM_EXTERN const char *gitmem_commit_parent(const gitmem_commit *commit, size_t i);
GITMEM_EXTERN const char *gitmem_commit_author(const gitmem_commit *commit);
GITMEM_EXTERN const char *gitmem_commit_message(const gitmem_commit *commit);
GITMEM_EXTERN int64_t gitmem_commit_timestamp_us(const gitmem_commit *commit);
/** 1 + the largest parent generation; a root commit has 1. */
GITMEM_EXTERN uint64_t gitmem_commit_generation(const gitmem_commit *commit);
/** Memories in the commit's tree. */
GITMEM_EXTERN uint64_t gitmem_commit_memory_count(const gitmem_commit *commit);
/** Changes against the first parent. */
GITMEM_EXTERN uint64_t gitmem_commit_added(const gitmem_commit *commit);
GITMEM_EXTERN uint64_t gitmem_commit_modified(const gitmem_commit *commit);
GITMEM_EXTERN uint64_t gitmem_commit_removed(const gitmem_commit *commit);
/** Ids changed against the first parent (at most 64 are recorded). */
GITMEM_EXTERN size_t gitmem_commit_changed_id_count(const gitmem_commit *commit);
GITMEM_EXTERN const char *gitmem_commit_changed_id(const gitmem_commit *commit, size_t i);
/** Non-zero when more ids changed than the commit lists. */
GITMEM_EXTERN int gitmem_commit_changed_ids_truncated(const gitmem_commit *commit);

/** Resolves a revision to a commit id: `out_id` is a buffer of GITMEM_OID_HEXSIZE + 1
 *  bytes. ENOTFOUND for an unborn branch. */
GITMEM_EXTERN int gitmem_repo_resolve(char *out_id, gitmem_repo *repo, const char *rev);

/* ---- log ------------------------------------------------------------------------------ */

#define GITMEM_LOG_OPTIONS_VERSION 1
typedef struct gitmem_log_options {
  unsigned int version; /**< GITMEM_LOG_OPTIONS_VERSION */
  const char *rev;      /**< NULL or "" = HEAD */
  int first_parent;     /**< non-zero (the default): first parents only; 0: the whole DAG */
  uint64_t offset;      /**< commits to skip */
  uint64_t limit;       /**< UINT64_MAX = no limit */
} gitmem_log_options;
#define GITMEM_LOG_OPTIONS_INIT {GITMEM_LOG_OPTIONS_VERSION, NULL, 1, 0, UINT64_MAX}
GITMEM_EXTERN int gitmem_log_options_init(gitmem_log_options *opts, unsigned int version);

/** Commits newest first. An unborn HEAD gives an empty log. */
typedef struct gitmem_log gitmem_log;
GITMEM_EXTERN int gitmem_log_new(gitmem_log **out, gitmem_repo *repo, const gitmem_log_options *opts);
GITMEM_EXTERN int gitmem_log_next(gitmem_commit **out, gitmem_log *log);
GITMEM_EXTERN void gitmem_log_free(gitmem_log *log);

/* ---- diff ----------------------------------------------------------------------------- */

typedef enum gitmem_diff_kind {
  GITMEM_DIFF_ADDED = 0,
  GITMEM_DIFF_MODIFIED = 1,
  GITMEM_DIFF_REMOVED = 2
} gitmem_diff_kind;

/** The changes from state `from` to state `to`, in id order. */
typedef struct gitmem_diff gitmem_diff;
typedef struct gitmem_diff_entry gitmem_diff_entry;
/** NULL `from` / `to` = HEAD's branch working state. */
GITMEM_EXTERN int gitmem_diff_new(gitmem_diff **out, gitmem_repo *repo, const gitmem_read_options *from,
                                  const gitmem_read_options *to);
GITMEM_EXTERN int gitmem_diff_next(gitmem_diff_entry **out, gitmem_diff *diff);
GITMEM_EXTERN size_t gitmem_diff_count(const gitmem_diff *diff);
GITMEM_EXTERN size_t gitmem_diff_added(const gitmem_diff *diff);
GITMEM_EXTERN size_t gitmem_diff_modified(const gitmem_diff *diff);
GITMEM_EXTERN size_t gitmem_diff_removed(const gitmem_diff *diff);
GITMEM_EXTERN void gitmem_diff_free(gitmem_diff *diff);
GITMEM_EXTERN gitmem_diff_kind gitmem_diff_entry_kind(const gitmem_diff_entry *entry);
GITMEM_EXTERN const char *gitmem_diff_entry_id(const gitmem_diff_entry *entry);
/** The record before (NULL for ADDED) and after (NULL for REMOVED); borrowed. */
GITMEM_EXTERN const gitmem_memory *gitmem_diff_entry_old_memory(const gitmem_diff_entry *entry);
GITMEM_EXTERN const gitmem_memory *gitmem_diff_entry_new_memory(const gitmem_diff_entry *entry);
GITMEM_EXTERN void gitmem_diff_entry_free(gitmem_diff_entry *entry);

/* ---- history of one memory ------------------------------------------------------------ */

/** Every committed version of one memory on rev's first-parent history, newest first. */
typedef struct gitmem_history gitmem_history;
typedef struct gitmem_history_entry gitmem_history_entry;
/** `rev` NULL or "" = HEAD. An unborn HEAD gives an empty history. */
GITMEM_EXTERN int gitmem_history_new(gitmem_history **out, gitmem_repo *repo, const char *id, const char *rev);
GITMEM_EXTERN int gitmem_history_next(gitmem_history_entry **out, gitmem_history *history);
GITMEM_EXTERN void gitmem_history_free(gitmem_history *history);
/** The commit that introduced this version (borrowed). */
GITMEM_EXTERN const gitmem_commit *gitmem_history_entry_commit(const gitmem_history_entry *entry);
/** The record, or NULL when that commit deleted the memory (borrowed). */
GITMEM_EXTERN const gitmem_memory *gitmem_history_entry_memory(const gitmem_history_entry *entry);
GITMEM_EXTERN void gitmem_history_entry_free(gitmem_history_entry *entry);

/* ---- staged changes ------------------------------------------------------------------- */

/** The changes staged on a branch and not yet committed, in id order. */
typedef struct gitmem_staged gitmem_staged;
typedef struct gitmem_staged_entry gitmem_staged_entry;
/** `branch` NULL or "" = HEAD's branch. */
GITMEM_EXTERN int gitmem_staged_new(gitmem_staged **out, gitmem_repo *repo, const char *branch);
GITMEM_EXTERN int gitmem_staged_next(gitmem_staged_entry **out, gitmem_staged *staged);
GITMEM_EXTERN size_t gitmem_staged_count(const gitmem_staged *staged);
GITMEM_EXTERN void gitmem_staged_free(gitmem_staged *staged);
GITMEM_EXTERN const char *gitmem_staged_entry_id(const gitmem_staged_entry *entry);
/** Non-zero when the change deletes the memory. */
GITMEM_EXTERN int gitmem_staged_entry_deleted(const gitmem_staged_entry *entry);
/** The staged record, or NULL for a deletion (borrowed). */
GITMEM_EXTERN const gitmem_memory *gitmem_staged_entry_memory(const gitmem_staged_entry *entry);
GITMEM_EXTERN void gitmem_staged_entry_free(gitmem_staged_entry *entry);
/** Drops a branch's staged changes (`branch` NULL or "" = HEAD's). */
GITMEM_EXTERN int gitmem_staged_discard(gitmem_repo *repo, const char *branch);

/* ==== branches and tags ================================================================ */

/** Creates a branch at `at` (NULL or "" = HEAD's commit). */
GITMEM_EXTERN int gitmem_branch_create(gitmem_repo *repo, const char *name, const char *at);
/** Deletes a branch and its staged changes; EINVALID for the checked-out branch. */
GITMEM_EXTERN int gitmem_branch_delete(gitmem_repo *repo, const char *name);
GITMEM_EXTERN int gitmem_branch_rename(gitmem_repo *repo, const char *from, const char *to);
/** Points HEAD at a branch. */
GITMEM_EXTERN int gitmem_branch_checkout(gitmem_repo *repo, const char *name);
/** The branch HEAD points at; free with gitmem_string_free. */
GITMEM_EXTERN int gitmem_branch_current(char **out, gitmem_repo *repo);
/** Moves a branch (NULL or "" = HEAD's) to the commit `rev` names; staged changes stay. */
GITMEM_EXTERN int gitmem_branch_reset(gitmem_repo *repo, const char *branch, const char *rev);

typedef struct gitmem_branch gitmem_branch;
typedef struct gitmem_branch_iter gitmem_branch_iter;
/** Every branch, sorted by name (including an unborn current branch). */
GITMEM_EXTERN int gitmem_branch_iter_new(gitmem_branch_iter **out, gitmem_repo *repo);
GITMEM_EXTERN int gitmem_branch_iter_next(gitmem_branch **out, gitmem_branch_iter *iter);
GITMEM_EXTERN void gitmem_branch_iter_free(gitmem_branch_iter *iter);
GITMEM_EXTERN const char *gitmem_branch_name(const gitmem_branch *branch);
/** Head commit id (hex); 64 zeros for an unborn branch. */
GITMEM_EXTERN const char *gitmem_branch_head(const gitmem_branch *branch);
GITMEM_EXTERN int gitmem_branch_is_current(const gitmem_branch *branch);
/** Staged changes waiting for a commit. */
GITMEM_EXTERN size_t gitmem_branch_staged(const gitmem_branch *branch);
GITMEM_EXTERN void gitmem_branch_free(gitmem_branch *branch);

/** Creates a tag at `at` (NULL or "" = HEAD's commit). */
GITMEM_EXTERN int gitmem_tag_create(gitmem_repo *repo, const char *name, const char *at);
GITMEM_EXTERN int gitmem_tag_delete(gitmem_repo *repo, const char *name);
typedef struct gitmem_tag gitmem_tag;
typedef struct gitmem_tag_iter gitmem_tag_iter;
/** Every tag, sorted by name. */
GITMEM_EXTERN int gitmem_tag_iter_new(gitmem_tag_iter **out, gitmem_repo *repo);
GITMEM_EXTERN int gitmem_tag_iter_next(gitmem_tag **out, gitmem_tag_iter *iter);
GITMEM_EXTERN void gitmem_tag_iter_free(gitmem_tag_iter *iter);
GITMEM_EXTERN const char *gitmem_tag_name(const gitmem_tag *tag);
GITMEM_EXTERN const char *gitmem_tag_target(const gitmem_tag *tag);
GITMEM_EXTERN void gitmem_tag_free(gitmem_tag *tag);

/* ==== maintenance ====================================================================== */

/** The result of verifying every object reachable from a repository's refs and staging. */
typedef struct gitmem_fsck gitmem_fsck;
GITMEM_EXTERN int gitmem_fsck_run(gitmem_fsck **out, gitmem_repo *repo);
/** Non-zero when no problem was found. */
GITMEM_EXTERN int gitmem_fsck_ok(const gitmem_fsck *report);
GITMEM_EXTERN uint64_t gitmem_fsck_objects_checked(const gitmem_fsck *report);
GITMEM_EXTERN uint64_t gitmem_fsck_commits(const gitmem_fsck *report);
GITMEM_EXTERN uint64_t gitmem_fsck_trees(const gitmem_fsck *report);
GITMEM_EXTERN uint64_t gitmem_fsck_blobs(const gitmem_fsck *report);
GITMEM_EXTERN size_t gitmem_fsck_problem_count(const gitmem_fsck *report);
GITMEM_EXTERN const char *gitmem_fsck_problem(const gitmem_fsck *report, size_t i);
GITMEM_EXTERN void gitmem_fsck_free(gitmem_fsck *report);

#ifdef __cplusplus
}
#endif

#endif /* GITMEM_GITMEM_H */
