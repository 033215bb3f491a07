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
#if defined(GITMEM_BUILDING)
#define GITMEM_EXTERN __declspec(dllexport)
#else
#define GITMEM_EXTERN __declspec(dllimport)
#endif
#else
#define GITMEM_EXTERN __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GITMEM_VERSION_MAJOR 0
#define GITMEM_VERSION_MINOR 1
#define GITMEM_VERSION_PATCH 0

/** The library's version, "major.minor.patch". */
GITMEM_EXTERN const char* gitmem_version(void);

/* ==== errors ========================================================================= */

/** Return codes. Every failure also sets the thread's gitmem_error_last() message. */
typedef enum gitmem_error_code {
  GITMEM_OK = 0,
  GITMEM_ENOTFOUND = -1, /**< no such repository, memory, branch, tag or commit */
  GITMEM_EEXISTS = -2,   /**< the repository, branch or tag already exists */
  GITMEM_EINVALID = -3,  /**< bad input; the message names the field and the limit */
  GITMEM_ECONFLICT = -4, /**< a concurrent writer won a compare-and-swap */
  GITMEM_ECORRUPT = -5,  /**< the store is damaged */
  GITMEM_EIO = -6,       /**< the file system or RocksDB failed */
  GITMEM_EPERM = -7,     /**< e.g. a write to a repository opened read-only */
  GITMEM_EBUSY = -8,     /**< the store is locked by another process */
  GITMEM_EINTERNAL = -9, /**< a bug in gitmem, or out of memory */
  GITMEM_ITEROVER = -31  /**< an iterator has no more items (not an error) */
} gitmem_error_code;

/** The message of the last failed call on this thread ("" when none). The pointer stays
 *  valid until the next failing call on this thread. */
GITMEM_EXTERN const char* gitmem_error_last(void);
/** The code of the last failed call on this thread (GITMEM_OK when none). */
GITMEM_EXTERN int gitmem_error_last_code(void);
/** Forgets this thread's last error. */
GITMEM_EXTERN void gitmem_error_clear(void);

/** Frees a string the library allocated (NULL is a no-op). */
GITMEM_EXTERN void gitmem_string_free(char* str);

/* ==== string lists =================================================================== */

/** An immutable list of strings (repository names, ids written by put_many). */
typedef struct gitmem_strlist gitmem_strlist;
GITMEM_EXTERN size_t gitmem_strlist_count(const gitmem_strlist* list);
/** The i-th string, or NULL when i is out of range. */
GITMEM_EXTERN const char* gitmem_strlist_get(const gitmem_strlist* list, size_t i);
GITMEM_EXTERN void gitmem_strlist_free(gitmem_strlist* list);

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
GITMEM_EXTERN const char* gitmem_memory_type_name(int type);
GITMEM_EXTERN const char* gitmem_scope_name(int scope);
GITMEM_EXTERN const char* gitmem_relation_type_name(int type);

/* ==== repositories =================================================================== */

/** An open repository of a store. Safe to share between threads. */
typedef struct gitmem_repo gitmem_repo;

/* ==== embedders ======================================================================= */

/** Embeds `n` NUL-terminated UTF-8 texts into `out`: n * dimension floats, row-major (text
 *  i at out[i * dimension]). Returns 0 on success; any other value fails the call that
 *  needed the vectors with GITMEM_EINVALID ("embedder: ..."). It may be called from any
 *  thread that calls into the library, and from several at once. */
typedef int (*gitmem_embed_fn)(const char* const* texts, size_t n, float* out, void* payload);

/** A caller's embedding model, set in gitmem_repo_options.embedder. The library copies
 *  `id`; `payload` must stay valid until the repository (and every iterator and fork
 *  made from it) is freed. */
typedef struct gitmem_embedder {
  /** Stable identifier of the model and its parameters: stored vectors are keyed by it. */
  const char* id;
  size_t dimension; /**< length of every vector `embed` writes (> 0) */
  gitmem_embed_fn embed;
  void* payload; /**< passed to `embed` as its last argument */
} gitmem_embedder;

#define GITMEM_REPO_OPTIONS_VERSION 2
/** How a repository is created or opened. NULL strings and zero sizes mean the default. */
typedef struct gitmem_repo_options {
  unsigned int version;       /**< GITMEM_REPO_OPTIONS_VERSION */
  const char* name;           /**< "owner/name"; default "local/memory" */
  const char* default_branch; /**< init only; default "main" */
  const char* description;    /**< init only; default "" */
  int auto_commit;            /**< non-zero: every write commits at once */
  const char* default_author; /**< author when a call names none; default "gitmem" */
  size_t max_content_bytes;   /**< default 64 KiB */
  size_t max_metadata_bytes;  /**< default 16 KiB */
  int sync;                   /**< non-zero: fsync the WAL on every state change */
  int read_only;              /**< non-zero: open read-only; writes fail with EPERM */
  size_t node_cache_bytes;    /**< default 256 MiB, shared by the store's repositories */
  /* version 2 */
  /** Vector length, fixed per repository: init records it (0 = the embedder's dimension,
   *  384 for the built-in embedder); open uses the recorded one. */
  size_t embedding_dimension;
  /** NULL = the built-in hashing embedder; otherwise copied (see gitmem_embedder). */
  const gitmem_embedder* embedder;
} gitmem_repo_options;
#define GITMEM_REPO_OPTIONS_INIT \
  { GITMEM_REPO_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, 0, 0, 0, 0, 0, 0, NULL }
GITMEM_EXTERN int gitmem_repo_options_init(gitmem_repo_options* opts, unsigned int version);

/** Creates a repository in the store at `path` (created when missing). EEXISTS when the
 *  repository already exists. */
GITMEM_EXTERN int gitmem_repo_init(gitmem_repo** out, const char* path, const gitmem_repo_options* opts);
/** Opens an existing repository of the store at `path`. ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_repo_open(gitmem_repo** out, const char* path, const gitmem_repo_options* opts);
/** Names of the repositories in the store at `path`, sorted. */
GITMEM_EXTERN int gitmem_repo_list(gitmem_strlist** out, const char* path);
/** Closes a repository. Iterators still open keep it alive until they are freed. */
GITMEM_EXTERN void gitmem_repo_free(gitmem_repo* repo);
/** "owner/name" (borrowed; valid while the handle lives). */
GITMEM_EXTERN const char* gitmem_repo_name(const gitmem_repo* repo);

/* ==== memories ======================================================================= */

/** One memory record: read from a repository, or built with gitmem_memory_new and the
 *  setters before gitmem_memory_put. */
typedef struct gitmem_memory gitmem_memory;

/** A new record with the defaults: no id (put generates a UUIDv7), type semantic, scope
 *  shared, importance 0.5, confidence 1, metadata "{}", timestamp 0 (put uses now). */
GITMEM_EXTERN int gitmem_memory_new(gitmem_memory** out);
/** A deep copy. */
GITMEM_EXTERN int gitmem_memory_dup(gitmem_memory** out, const gitmem_memory* memory);
GITMEM_EXTERN void gitmem_memory_free(gitmem_memory* memory);

/* Setters copy their arguments. Values are checked when the record is written (except the
 * enums, checked here); a NULL string is EINVALID. */
GITMEM_EXTERN int gitmem_memory_set_id(gitmem_memory* memory, const char* id);
GITMEM_EXTERN int gitmem_memory_set_content(gitmem_memory* memory, const char* content);
GITMEM_EXTERN int gitmem_memory_set_type(gitmem_memory* memory, gitmem_memory_type type);
GITMEM_EXTERN int gitmem_memory_set_agent_id(gitmem_memory* memory, const char* agent_id);
GITMEM_EXTERN int gitmem_memory_set_session_id(gitmem_memory* memory, const char* session_id);
/** UTC microseconds since the Unix epoch; 0 = the time of the write. */
GITMEM_EXTERN int gitmem_memory_set_timestamp_us(gitmem_memory* memory, int64_t timestamp_us);
GITMEM_EXTERN int gitmem_memory_set_importance(gitmem_memory* memory, float importance);
GITMEM_EXTERN int gitmem_memory_set_confidence(gitmem_memory* memory, float confidence);
/** Replaces the tags (count 0 clears them; `tags` may then be NULL). */
GITMEM_EXTERN int gitmem_memory_set_tags(gitmem_memory* memory, const char* const* tags, size_t count);
GITMEM_EXTERN int gitmem_memory_add_tag(gitmem_memory* memory, const char* tag);
GITMEM_EXTERN int gitmem_memory_set_scope(gitmem_memory* memory, gitmem_scope scope);
/** A JSON object text (stored canonically: sorted keys, no spaces). */
GITMEM_EXTERN int gitmem_memory_set_metadata(gitmem_memory* memory, const char* metadata_json);
GITMEM_EXTERN int gitmem_memory_add_relation(gitmem_memory* memory, gitmem_relation_type type, const char* target_id,
                                             float strength);
GITMEM_EXTERN int gitmem_memory_clear_relations(gitmem_memory* memory);
/** Provenance author; "" (the default) = the writer (write options' author). */
GITMEM_EXTERN int gitmem_memory_set_author(gitmem_memory* memory, const char* author);
/** A vector for the content supplied by the caller, used instead of the embedder when the
 *  record is written: `count` floats of the repository's dimension, finite, not all zero
 *  (checked on write). Copied; count 0 clears it (`vector` may then be NULL). Vectors are
 *  write-only: records read back have none. */
GITMEM_EXTERN int gitmem_memory_set_embedding(gitmem_memory* memory, const float* vector, size_t count);
/** The vector set on a builder (NULL when none); `count` (may be NULL) receives its length. */
GITMEM_EXTERN const float* gitmem_memory_embedding(const gitmem_memory* memory, size_t* count);

/* Getters. Strings are borrowed from the handle; a NULL handle gives NULL / 0. */
GITMEM_EXTERN const char* gitmem_memory_id(const gitmem_memory* memory);
GITMEM_EXTERN const char* gitmem_memory_content(const gitmem_memory* memory);
GITMEM_EXTERN gitmem_memory_type gitmem_memory_get_type(const gitmem_memory* memory);
GITMEM_EXTERN const char* gitmem_memory_agent_id(const gitmem_memory* memory);
GITMEM_EXTERN const char* gitmem_memory_session_id(const gitmem_memory* memory);
GITMEM_EXTERN int64_t gitmem_memory_timestamp_us(const gitmem_memory* memory);
GITMEM_EXTERN float gitmem_memory_importance(const gitmem_memory* memory);
GITMEM_EXTERN float gitmem_memory_confidence(const gitmem_memory* memory);
GITMEM_EXTERN size_t gitmem_memory_tag_count(const gitmem_memory* memory);
/** The i-th tag (sorted once written), or NULL when out of range. */
GITMEM_EXTERN const char* gitmem_memory_tag(const gitmem_memory* memory, size_t i);
GITMEM_EXTERN gitmem_scope gitmem_memory_get_scope(const gitmem_memory* memory);
GITMEM_EXTERN const char* gitmem_memory_metadata(const gitmem_memory* memory);
GITMEM_EXTERN size_t gitmem_memory_relation_count(const gitmem_memory* memory);
/** The i-th relation; ENOTFOUND when i is out of range. Any out pointer may be NULL. */
GITMEM_EXTERN int gitmem_memory_relation(gitmem_relation_type* type, const char** target_id, float* strength,
                                         const gitmem_memory* memory, size_t i);
/** Provenance: who wrote the record, and the SHA-256 (hex) of its content as written
 *  (64 zeros for a record not yet written). */
GITMEM_EXTERN const char* gitmem_memory_author(const gitmem_memory* memory);
GITMEM_EXTERN const char* gitmem_memory_content_hash(const gitmem_memory* memory);

/** A partial update: only the fields set on the patch change. */
typedef struct gitmem_patch gitmem_patch;
GITMEM_EXTERN int gitmem_patch_new(gitmem_patch** out);
GITMEM_EXTERN void gitmem_patch_free(gitmem_patch* patch);
GITMEM_EXTERN int gitmem_patch_set_content(gitmem_patch* patch, const char* content);
GITMEM_EXTERN int gitmem_patch_set_type(gitmem_patch* patch, gitmem_memory_type type);
GITMEM_EXTERN int gitmem_patch_set_agent_id(gitmem_patch* patch, const char* agent_id);
GITMEM_EXTERN int gitmem_patch_set_session_id(gitmem_patch* patch, const char* session_id);
GITMEM_EXTERN int gitmem_patch_set_importance(gitmem_patch* patch, float importance);
GITMEM_EXTERN int gitmem_patch_set_confidence(gitmem_patch* patch, float confidence);
/** Replaces the tags (count 0 sets an empty list). */
GITMEM_EXTERN int gitmem_patch_set_tags(gitmem_patch* patch, const char* const* tags, size_t count);
GITMEM_EXTERN int gitmem_patch_set_scope(gitmem_patch* patch, gitmem_scope scope);
GITMEM_EXTERN int gitmem_patch_set_metadata(gitmem_patch* patch, const char* metadata_json);
/** The first add_relation (or clear_relations) makes the patch replace all relations. */
GITMEM_EXTERN int gitmem_patch_add_relation(gitmem_patch* patch, gitmem_relation_type type, const char* target_id,
                                            float strength);
GITMEM_EXTERN int gitmem_patch_clear_relations(gitmem_patch* patch);

#define GITMEM_WRITE_OPTIONS_VERSION 1
typedef struct gitmem_write_options {
  unsigned int version; /**< GITMEM_WRITE_OPTIONS_VERSION */
  const char* branch;   /**< NULL or "" = HEAD's branch */
  const char* author;   /**< NULL or "" = the repository's default author */
} gitmem_write_options;
#define GITMEM_WRITE_OPTIONS_INIT \
  { GITMEM_WRITE_OPTIONS_VERSION, NULL, NULL }
GITMEM_EXTERN int gitmem_write_options_init(gitmem_write_options* opts, unsigned int version);

/** No time travel (the default of as_of_us). */
#define GITMEM_AS_OF_NONE INT64_MIN

#define GITMEM_READ_OPTIONS_VERSION 1
/** Where a read looks. */
typedef struct gitmem_read_options {
  unsigned int version; /**< GITMEM_READ_OPTIONS_VERSION */
  /** NULL or "" = HEAD's branch; a branch name = its working state (head + staged); a tag;
   *  "HEAD"; a commit id or unique prefix (>= 4 hex digits); any of those + "~N". */
  const char* rev;
  /** Time travel: the newest commit on rev's first-parent history at or before this UTC
   *  microsecond time (staged changes excluded). GITMEM_AS_OF_NONE = no time travel. */
  int64_t as_of_us;
} gitmem_read_options;
#define GITMEM_READ_OPTIONS_INIT \
  { GITMEM_READ_OPTIONS_VERSION, NULL, GITMEM_AS_OF_NONE }
GITMEM_EXTERN int gitmem_read_options_init(gitmem_read_options* opts, unsigned int version);

/** Writes a record (an upsert when its id exists); staged unless auto_commit. `out_id`
 *  (may be NULL) receives the id, to free with gitmem_string_free. */
GITMEM_EXTERN int gitmem_memory_put(char** out_id, gitmem_repo* repo, const gitmem_memory* memory,
                                    const gitmem_write_options* opts);
/** Writes `count` records in one atomic batch, all or nothing. `out_ids` may be NULL. */
GITMEM_EXTERN int gitmem_memory_put_many(gitmem_strlist** out_ids, gitmem_repo* repo,
                                         const gitmem_memory* const* memories, size_t count,
                                         const gitmem_write_options* opts);
/** Applies a patch to an existing memory; ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_memory_update(gitmem_repo* repo, const char* id, const gitmem_patch* patch,
                                       const gitmem_write_options* opts);
/** Removes a memory; ENOTFOUND when it does not exist. */
GITMEM_EXTERN int gitmem_memory_delete(gitmem_repo* repo, const char* id, const gitmem_write_options* opts);
/** Reads one memory; ENOTFOUND when it does not exist at that revision. */
GITMEM_EXTERN int gitmem_memory_get(gitmem_memory** out, gitmem_repo* repo, const char* id,
                                    const gitmem_read_options* at);
/** How many memories a revision holds. */
GITMEM_EXTERN int gitmem_memory_count(uint64_t* out, gitmem_repo* repo, const gitmem_read_options* at);

/* ---- listing memories ---------------------------------------------------------------- */

#define GITMEM_LIST_OPTIONS_VERSION 1
typedef struct gitmem_list_options {
  unsigned int version; /**< GITMEM_LIST_OPTIONS_VERSION */
  const char* rev;      /**< as gitmem_read_options.rev */
  int64_t as_of_us;     /**< as gitmem_read_options.as_of_us */
  uint64_t offset;      /**< position in id order (O(log N) to skip) */
  uint64_t limit;       /**< UINT64_MAX = no limit */
} gitmem_list_options;
#define GITMEM_LIST_OPTIONS_INIT \
  { GITMEM_LIST_OPTIONS_VERSION, NULL, GITMEM_AS_OF_NONE, 0, UINT64_MAX }
GITMEM_EXTERN int gitmem_list_options_init(gitmem_list_options* opts, unsigned int version);

/** An iterator over memories (a listing or a session). It reads one consistent state when
 *  created. */
typedef struct gitmem_list gitmem_list;
/** Memories in id order. */
GITMEM_EXTERN int gitmem_list_new(gitmem_list** out, gitmem_repo* repo, const gitmem_list_options* opts);
/** The next memory (the caller frees it), or GITMEM_ITEROVER. */
GITMEM_EXTERN int gitmem_list_next(gitmem_memory** out, gitmem_list* list);
/** Items not yet returned by next. */
GITMEM_EXTERN size_t gitmem_list_remaining(const gitmem_list* list);
GITMEM_EXTERN void gitmem_list_free(gitmem_list* list);

/** The memories of one session at a revision, oldest first, as a gitmem_list. */
GITMEM_EXTERN int gitmem_session_list(gitmem_list** out, gitmem_repo* repo, const char* session_id,
                                      const gitmem_read_options* at);

/* ==== commits and history ============================================================= */

#define GITMEM_COMMIT_OPTIONS_VERSION 1
typedef struct gitmem_commit_options {
  unsigned int version; /**< GITMEM_COMMIT_OPTIONS_VERSION */
  const char* branch;   /**< NULL or "" = HEAD's branch */
  const char* message;  /**< NULL = "" */
  const char* author;   /**< NULL or "" = the repository's default author */
  int64_t timestamp_us; /**< 0 = now */
  int allow_empty;      /**< non-zero: commit even when nothing is staged */
} gitmem_commit_options;
#define GITMEM_COMMIT_OPTIONS_INIT \
  { GITMEM_COMMIT_OPTIONS_VERSION, NULL, NULL, NULL, 0, 0 }
GITMEM_EXTERN int gitmem_commit_options_init(gitmem_commit_options* opts, unsigned int version);

/** Records a branch's staged changes. `out_id` (may be NULL) receives the new commit's id:
 *  a buffer of GITMEM_OID_HEXSIZE + 1 bytes. EINVALID when nothing is staged. */
GITMEM_EXTERN int gitmem_commit_create(char* out_id, gitmem_repo* repo, const gitmem_commit_options* opts);

/** A commit as read back from the store. */
typedef struct gitmem_commit gitmem_commit;
/** Reads the commit a revision names ("show"). */
GITMEM_EXTERN int gitmem_commit_show(gitmem_commit** out, gitmem_repo* repo, const char* rev);
GITMEM_EXTERN int gitmem_commit_dup(gitmem_commit** out, const gitmem_commit* commit);
GITMEM_EXTERN void gitmem_commit_free(gitmem_commit* commit);
GITMEM_EXTERN const char* gitmem_commit_id(const gitmem_commit* commit);
GITMEM_EXTERN const char* gitmem_commit_tree(const gitmem_commit* commit);
GITMEM_EXTERN size_t gitmem_commit_parent_count(const gitmem_commit* commit);
/** The i-th parent's id (hex), or NULL when out of range. */
GITMEM_EXTERN const char* gitmem_commit_parent(const gitmem_commit* commit, size_t i);
GITMEM_EXTERN const char* gitmem_commit_author(const gitmem_commit* commit);
GITMEM_EXTERN const char* gitmem_commit_message(const gitmem_commit* commit);
GITMEM_EXTERN int64_t gitmem_commit_timestamp_us(const gitmem_commit* commit);
/** 1 + the largest parent generation; a root commit has 1. */
GITMEM_EXTERN uint64_t gitmem_commit_generation(const gitmem_commit* commit);
/** Memories in the commit's tree. */
GITMEM_EXTERN uint64_t gitmem_commit_memory_count(const gitmem_commit* commit);
/** Changes against the first parent. */
GITMEM_EXTERN uint64_t gitmem_commit_added(const gitmem_commit* commit);
GITMEM_EXTERN uint64_t gitmem_commit_modified(const gitmem_commit* commit);
GITMEM_EXTERN uint64_t gitmem_commit_removed(const gitmem_commit* commit);
/** Ids changed against the first parent (at most 64 are recorded). */
GITMEM_EXTERN size_t gitmem_commit_changed_id_count(const gitmem_commit* commit);
GITMEM_EXTERN const char* gitmem_commit_changed_id(const gitmem_commit* commit, size_t i);
/** Non-zero when more ids changed than the commit lists. */
GITMEM_EXTERN int gitmem_commit_changed_ids_truncated(const gitmem_commit* commit);

/** Resolves a revision to a commit id: `out_id` is a buffer of GITMEM_OID_HEXSIZE + 1
 *  bytes. ENOTFOUND for an unborn branch. */
GITMEM_EXTERN int gitmem_repo_resolve(char* out_id, gitmem_repo* repo, const char* rev);

/* ---- log ------------------------------------------------------------------------------ */

#define GITMEM_LOG_OPTIONS_VERSION 1
typedef struct gitmem_log_options {
  unsigned int version; /**< GITMEM_LOG_OPTIONS_VERSION */
  const char* rev;      /**< NULL or "" = HEAD */
  int first_parent;     /**< non-zero (the default): first parents only; 0: the whole DAG */
  uint64_t offset;      /**< commits to skip */
  uint64_t limit;       /**< UINT64_MAX = no limit */
} gitmem_log_options;
#define GITMEM_LOG_OPTIONS_INIT \
  { GITMEM_LOG_OPTIONS_VERSION, NULL, 1, 0, UINT64_MAX }
GITMEM_EXTERN int gitmem_log_options_init(gitmem_log_options* opts, unsigned int version);

/** Commits newest first. An unborn HEAD gives an empty log. */
typedef struct gitmem_log gitmem_log;
GITMEM_EXTERN int gitmem_log_new(gitmem_log** out, gitmem_repo* repo, const gitmem_log_options* opts);
GITMEM_EXTERN int gitmem_log_next(gitmem_commit** out, gitmem_log* log);
GITMEM_EXTERN void gitmem_log_free(gitmem_log* log);

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
GITMEM_EXTERN int gitmem_diff_new(gitmem_diff** out, gitmem_repo* repo, const gitmem_read_options* from,
                                  const gitmem_read_options* to);
GITMEM_EXTERN int gitmem_diff_next(gitmem_diff_entry** out, gitmem_diff* diff);
GITMEM_EXTERN size_t gitmem_diff_count(const gitmem_diff* diff);
GITMEM_EXTERN size_t gitmem_diff_added(const gitmem_diff* diff);
GITMEM_EXTERN size_t gitmem_diff_modified(const gitmem_diff* diff);
GITMEM_EXTERN size_t gitmem_diff_removed(const gitmem_diff* diff);
GITMEM_EXTERN void gitmem_diff_free(gitmem_diff* diff);
GITMEM_EXTERN gitmem_diff_kind gitmem_diff_entry_kind(const gitmem_diff_entry* entry);
GITMEM_EXTERN const char* gitmem_diff_entry_id(const gitmem_diff_entry* entry);
/** The record before (NULL for ADDED) and after (NULL for REMOVED); borrowed. */
GITMEM_EXTERN const gitmem_memory* gitmem_diff_entry_old_memory(const gitmem_diff_entry* entry);
GITMEM_EXTERN const gitmem_memory* gitmem_diff_entry_new_memory(const gitmem_diff_entry* entry);
GITMEM_EXTERN void gitmem_diff_entry_free(gitmem_diff_entry* entry);

/* ---- history of one memory ------------------------------------------------------------ */

/** Every committed version of one memory on rev's first-parent history, newest first. */
typedef struct gitmem_history gitmem_history;
typedef struct gitmem_history_entry gitmem_history_entry;
/** `rev` NULL or "" = HEAD. An unborn HEAD gives an empty history. */
GITMEM_EXTERN int gitmem_history_new(gitmem_history** out, gitmem_repo* repo, const char* id, const char* rev);
GITMEM_EXTERN int gitmem_history_next(gitmem_history_entry** out, gitmem_history* history);
GITMEM_EXTERN void gitmem_history_free(gitmem_history* history);
/** The commit that introduced this version (borrowed). */
GITMEM_EXTERN const gitmem_commit* gitmem_history_entry_commit(const gitmem_history_entry* entry);
/** The record, or NULL when that commit deleted the memory (borrowed). */
GITMEM_EXTERN const gitmem_memory* gitmem_history_entry_memory(const gitmem_history_entry* entry);
GITMEM_EXTERN void gitmem_history_entry_free(gitmem_history_entry* entry);

/* ---- staged changes ------------------------------------------------------------------- */

/** The changes staged on a branch and not yet committed, in id order. */
typedef struct gitmem_staged gitmem_staged;
typedef struct gitmem_staged_entry gitmem_staged_entry;
/** `branch` NULL or "" = HEAD's branch. */
GITMEM_EXTERN int gitmem_staged_new(gitmem_staged** out, gitmem_repo* repo, const char* branch);
GITMEM_EXTERN int gitmem_staged_next(gitmem_staged_entry** out, gitmem_staged* staged);
GITMEM_EXTERN size_t gitmem_staged_count(const gitmem_staged* staged);
GITMEM_EXTERN void gitmem_staged_free(gitmem_staged* staged);
GITMEM_EXTERN const char* gitmem_staged_entry_id(const gitmem_staged_entry* entry);
/** Non-zero when the change deletes the memory. */
GITMEM_EXTERN int gitmem_staged_entry_deleted(const gitmem_staged_entry* entry);
/** The staged record, or NULL for a deletion (borrowed). */
GITMEM_EXTERN const gitmem_memory* gitmem_staged_entry_memory(const gitmem_staged_entry* entry);
GITMEM_EXTERN void gitmem_staged_entry_free(gitmem_staged_entry* entry);
/** Drops a branch's staged changes (`branch` NULL or "" = HEAD's). */
GITMEM_EXTERN int gitmem_staged_discard(gitmem_repo* repo, const char* branch);

/* ==== branches and tags ================================================================ */

/** Creates a branch at `at` (NULL or "" = HEAD's commit). */
GITMEM_EXTERN int gitmem_branch_create(gitmem_repo* repo, const char* name, const char* at);
/** Deletes a branch and its staged changes; EINVALID for the checked-out branch. */
GITMEM_EXTERN int gitmem_branch_delete(gitmem_repo* repo, const char* name);
GITMEM_EXTERN int gitmem_branch_rename(gitmem_repo* repo, const char* from, const char* to);
/** Points HEAD at a branch. */
GITMEM_EXTERN int gitmem_branch_checkout(gitmem_repo* repo, const char* name);
/** The branch HEAD points at; free with gitmem_string_free. */
GITMEM_EXTERN int gitmem_branch_current(char** out, gitmem_repo* repo);
/** Moves a branch (NULL or "" = HEAD's) to the commit `rev` names; staged changes stay. */
GITMEM_EXTERN int gitmem_branch_reset(gitmem_repo* repo, const char* branch, const char* rev);

typedef struct gitmem_branch gitmem_branch;
typedef struct gitmem_branch_iter gitmem_branch_iter;
/** Every branch, sorted by name (including an unborn current branch). */
GITMEM_EXTERN int gitmem_branch_iter_new(gitmem_branch_iter** out, gitmem_repo* repo);
GITMEM_EXTERN int gitmem_branch_iter_next(gitmem_branch** out, gitmem_branch_iter* iter);
GITMEM_EXTERN void gitmem_branch_iter_free(gitmem_branch_iter* iter);
GITMEM_EXTERN const char* gitmem_branch_name(const gitmem_branch* branch);
/** Head commit id (hex); 64 zeros for an unborn branch. */
GITMEM_EXTERN const char* gitmem_branch_head(const gitmem_branch* branch);
GITMEM_EXTERN int gitmem_branch_is_current(const gitmem_branch* branch);
/** Staged changes waiting for a commit. */
GITMEM_EXTERN size_t gitmem_branch_staged(const gitmem_branch* branch);
GITMEM_EXTERN void gitmem_branch_free(gitmem_branch* branch);

/** Creates a tag at `at` (NULL or "" = HEAD's commit). */
GITMEM_EXTERN int gitmem_tag_create(gitmem_repo* repo, const char* name, const char* at);
GITMEM_EXTERN int gitmem_tag_delete(gitmem_repo* repo, const char* name);
typedef struct gitmem_tag gitmem_tag;
typedef struct gitmem_tag_iter gitmem_tag_iter;
/** Every tag, sorted by name. */
GITMEM_EXTERN int gitmem_tag_iter_new(gitmem_tag_iter** out, gitmem_repo* repo);
GITMEM_EXTERN int gitmem_tag_iter_next(gitmem_tag** out, gitmem_tag_iter* iter);
GITMEM_EXTERN void gitmem_tag_iter_free(gitmem_tag_iter* iter);
GITMEM_EXTERN const char* gitmem_tag_name(const gitmem_tag* tag);
GITMEM_EXTERN const char* gitmem_tag_target(const gitmem_tag* tag);
GITMEM_EXTERN void gitmem_tag_free(gitmem_tag* tag);

/* ==== maintenance ====================================================================== */

/** The result of verifying every object reachable from a repository's refs and staging. */
typedef struct gitmem_fsck gitmem_fsck;
GITMEM_EXTERN int gitmem_fsck_run(gitmem_fsck** out, gitmem_repo* repo);
/** Non-zero when no problem was found. */
GITMEM_EXTERN int gitmem_fsck_ok(const gitmem_fsck* report);
GITMEM_EXTERN uint64_t gitmem_fsck_objects_checked(const gitmem_fsck* report);
GITMEM_EXTERN uint64_t gitmem_fsck_commits(const gitmem_fsck* report);
GITMEM_EXTERN uint64_t gitmem_fsck_trees(const gitmem_fsck* report);
GITMEM_EXTERN uint64_t gitmem_fsck_blobs(const gitmem_fsck* report);
GITMEM_EXTERN size_t gitmem_fsck_problem_count(const gitmem_fsck* report);
GITMEM_EXTERN const char* gitmem_fsck_problem(const gitmem_fsck* report, size_t i);
GITMEM_EXTERN void gitmem_fsck_free(gitmem_fsck* report);

/** Progress of long work: `done` of `total` units (objects or memories). Called on the
 *  thread that made the call. */
typedef void (*gitmem_progress_fn)(uint64_t done, uint64_t total, void* payload);

#define GITMEM_FSCK_OPTIONS_VERSION 1
typedef struct gitmem_fsck_options {
  unsigned int version;        /**< GITMEM_FSCK_OPTIONS_VERSION */
  int all_objects;             /**< non-zero: also hash-check every unreachable object */
  gitmem_progress_fn progress; /**< may be NULL */
  void* progress_payload;
} gitmem_fsck_options;
#define GITMEM_FSCK_OPTIONS_INIT \
  { GITMEM_FSCK_OPTIONS_VERSION, 0, NULL, NULL }
GITMEM_EXTERN int gitmem_fsck_options_init(gitmem_fsck_options* opts, unsigned int version);
/** Store-wide fsck of the store at `path`: every object reachable from any ref or staged
 *  change of any repository, every ref and repository record. */
GITMEM_EXTERN int gitmem_fsck_store(gitmem_fsck** out, const char* path, const gitmem_fsck_options* opts);
/** The same check over `repo`'s store. */
GITMEM_EXTERN int gitmem_fsck_all(gitmem_fsck** out, gitmem_repo* repo, const gitmem_fsck_options* opts);

#define GITMEM_GC_OPTIONS_VERSION 1
typedef struct gitmem_gc_options {
  unsigned int version;        /**< GITMEM_GC_OPTIONS_VERSION */
  int dry_run;                 /**< non-zero: only report what would be freed */
  gitmem_progress_fn progress; /**< may be NULL */
  void* progress_payload;
} gitmem_gc_options;
#define GITMEM_GC_OPTIONS_INIT \
  { GITMEM_GC_OPTIONS_VERSION, 0, NULL, NULL }
GITMEM_EXTERN int gitmem_gc_options_init(gitmem_gc_options* opts, unsigned int version);

#define GITMEM_GC_REPORT_VERSION 2
/** What gc freed. The caller sets `version` (GITMEM_GC_REPORT_INIT); gc fills the rest
 *  (a version 1 report ends at `session_entries_freed`). */
typedef struct gitmem_gc_report {
  unsigned int version;     /**< GITMEM_GC_REPORT_VERSION */
  uint64_t objects_scanned; /**< objects in the store when gc started */
  uint64_t objects_reachable;
  uint64_t objects_freed;
  uint64_t bytes_freed;
  uint64_t session_entries_freed;
  /* version 2 */
  uint64_t index_snapshots_freed; /**< search index manifests and deleted branches' pointers */
  uint64_t vectors_freed;         /**< stored embeddings of contents no memory has */
  uint64_t index_bytes_freed;     /**< search index data freed */
} gitmem_gc_report;
#define GITMEM_GC_REPORT_INIT \
  { GITMEM_GC_REPORT_VERSION, 0, 0, 0, 0, 0, 0, 0, 0 }
/** Removes the objects of the store no ref or staged change of any repository reaches,
 *  and the search index data nothing uses any more. Safe while other threads read and
 *  write. `out` may be NULL. */
GITMEM_EXTERN int gitmem_gc(gitmem_gc_report* out, gitmem_repo* repo, const gitmem_gc_options* opts);

/* ---- export and import ------------------------------------------------------------------ */

#define GITMEM_EXPORT_OPTIONS_VERSION 1
typedef struct gitmem_export_options {
  unsigned int version;        /**< GITMEM_EXPORT_OPTIONS_VERSION */
  const char* rev;             /**< JSONL: what to export; NULL or "" = HEAD's working state */
  gitmem_progress_fn progress; /**< may be NULL */
  void* progress_payload;
} gitmem_export_options;
#define GITMEM_EXPORT_OPTIONS_INIT \
  { GITMEM_EXPORT_OPTIONS_VERSION, NULL, NULL, NULL }
GITMEM_EXTERN int gitmem_export_options_init(gitmem_export_options* opts, unsigned int version);

#define GITMEM_IMPORT_OPTIONS_VERSION 1
typedef struct gitmem_import_options {
  unsigned int version;        /**< GITMEM_IMPORT_OPTIONS_VERSION */
  const char* branch;          /**< JSONL: NULL or "" = HEAD's branch */
  const char* message;         /**< JSONL: NULL or "" = "import <n> memories from <file>" */
  const char* author;          /**< NULL or "" = the repository's default author */
  int force;                   /**< bundles: move refs that exist at another commit */
  gitmem_progress_fn progress; /**< may be NULL */
  void* progress_payload;
} gitmem_import_options;
#define GITMEM_IMPORT_OPTIONS_INIT \
  { GITMEM_IMPORT_OPTIONS_VERSION, NULL, NULL, NULL, 0, NULL, NULL }
GITMEM_EXTERN int gitmem_import_options_init(gitmem_import_options* opts, unsigned int version);

#define GITMEM_IMPORT_REPORT_VERSION 1
/** What an import read. The caller sets `version` (GITMEM_IMPORT_REPORT_INIT). */
typedef struct gitmem_import_report {
  unsigned int version;                /**< GITMEM_IMPORT_REPORT_VERSION */
  uint64_t memories;                   /**< JSONL: records read */
  uint64_t objects;                    /**< bundle: objects read */
  uint64_t refs;                       /**< bundle: refs set */
  char commit[GITMEM_OID_HEXSIZE + 1]; /**< JSONL: the commit made ("" when none) */
} gitmem_import_report;
#define GITMEM_IMPORT_REPORT_INIT                \
  {                                              \
    GITMEM_IMPORT_REPORT_VERSION, 0, 0, 0, { 0 } \
  }

/** Writes the memories at opts->rev as JSON Lines; `out_count` (may be NULL) receives how
 *  many. */
GITMEM_EXTERN int gitmem_export_jsonl(uint64_t* out_count, gitmem_repo* repo, const char* path,
                                      const gitmem_export_options* opts);
/** Reads JSON Lines and commits them in one commit; a bad line changes nothing.
 *  `out` may be NULL. */
GITMEM_EXTERN int gitmem_import_jsonl(gitmem_import_report* out, gitmem_repo* repo, const char* path,
                                      const gitmem_import_options* opts);
/** Writes a bundle (every object reachable from the repository's refs, and the refs);
 *  `out_count` (may be NULL) receives the number of objects. */
GITMEM_EXTERN int gitmem_export_bundle(uint64_t* out_count, gitmem_repo* repo, const char* path,
                                       const gitmem_export_options* opts);
/** Reads a bundle: the same commit ids as where it was written. ECONFLICT for a ref that
 *  exists at another commit unless opts->force. `out` may be NULL. */
GITMEM_EXTERN int gitmem_import_bundle(gitmem_import_report* out, gitmem_repo* repo, const char* path,
                                       const gitmem_import_options* opts);

/* ==== search ============================================================================== */

typedef enum gitmem_search_mode {
  GITMEM_SEARCH_VECTOR = 0,  /**< nearest neighbours of the query vector (or embedded query) */
  GITMEM_SEARCH_KEYWORD = 1, /**< BM25 over content and tags */
  GITMEM_SEARCH_HYBRID = 2   /**< reciprocal rank fusion of both (the default) */
} gitmem_search_mode;

/** "No bound" for gitmem_search_options.from_us / until_us. */
#define GITMEM_TIME_NONE INT64_MIN

#define GITMEM_SEARCH_OPTIONS_VERSION 1
/** A search. Array fields are (pointer, count) pairs; count 0 = no filter. Every set
 *  filter must hold. */
typedef struct gitmem_search_options {
  unsigned int version;      /**< GITMEM_SEARCH_OPTIONS_VERSION */
  const char* query;         /**< query text; required for KEYWORD and HYBRID */
  const float* query_vector; /**< a caller's query vector (VECTOR / HYBRID); NULL = embed query */
  size_t query_vector_len;   /**< must be the repository's dimension when query_vector is set */
  int mode;                  /**< a gitmem_search_mode; default HYBRID */
  int k;                     /**< results per page, > 0; default 10 */
  uint64_t offset;           /**< ranked results to skip */
  const char* rev;           /**< as gitmem_read_options.rev */
  int64_t as_of_us;          /**< as gitmem_read_options.as_of_us */
  const gitmem_memory_type* types;
  size_t type_count; /**< type is one of these */
  const char* const* tags_any;
  size_t tags_any_count; /**< has one of these tags */
  const char* const* tags_all;
  size_t tags_all_count;  /**< has all of these tags */
  const char* agent_id;   /**< NULL = any */
  const char* session_id; /**< NULL = any */
  const gitmem_scope* scopes;
  size_t scope_count;   /**< scope is one of these */
  int64_t from_us;      /**< timestamp >= from_us; GITMEM_TIME_NONE = no bound */
  int64_t until_us;     /**< timestamp < until_us; GITMEM_TIME_NONE = no bound */
  float min_importance; /**< importance >= this; negative = no filter (default -1) */
  /** Metadata: top-level key metadata_keys[i] must equal the JSON value metadata_values[i]
   *  (JSON text: "\"apollo\"", "3", "true"). */
  const char* const* metadata_keys;
  const char* const* metadata_values;
  size_t metadata_count;
  double rrf_k;          /**< hybrid: RRF constant; default 60 */
  double vector_weight;  /**< hybrid: weight of the vector ranking; default 1 */
  double keyword_weight; /**< hybrid: weight of the keyword ranking; default 1 */
  int include_memories;  /**< non-zero (default): hits carry their memory */
} gitmem_search_options;
#define GITMEM_SEARCH_OPTIONS_INIT                                                                                     \
  {                                                                                                                    \
    GITMEM_SEARCH_OPTIONS_VERSION, NULL, NULL, 0, GITMEM_SEARCH_HYBRID, 10, 0, NULL, GITMEM_AS_OF_NONE, NULL, 0, NULL, \
        0, NULL, 0, NULL, NULL, NULL, 0, GITMEM_TIME_NONE, GITMEM_TIME_NONE, -1.0f, NULL, NULL, 0, 60.0, 1.0, 1.0, 1   \
  }
GITMEM_EXTERN int gitmem_search_options_init(gitmem_search_options* opts, unsigned int version);

/** The hits of one search, best first (computed when created). */
typedef struct gitmem_search_iter gitmem_search_iter;
typedef struct gitmem_search_hit gitmem_search_hit;
/** Runs a search. EINVALID for k <= 0, an unknown mode, a missing query, a query vector
 *  of the wrong length or with NaN / infinity / all zeros; the message names the field. */
GITMEM_EXTERN int gitmem_search(gitmem_search_iter** out, gitmem_repo* repo, const gitmem_search_options* opts);
GITMEM_EXTERN int gitmem_search_iter_next(gitmem_search_hit** out, gitmem_search_iter* iter);
/** Hits not yet returned by next. */
GITMEM_EXTERN size_t gitmem_search_iter_remaining(const gitmem_search_iter* iter);
GITMEM_EXTERN void gitmem_search_iter_free(gitmem_search_iter* iter);
GITMEM_EXTERN const char* gitmem_search_hit_id(const gitmem_search_hit* hit);
/** Higher is better: cosine similarity (VECTOR), BM25 (KEYWORD), fused RRF score (HYBRID). */
GITMEM_EXTERN double gitmem_search_hit_score(const gitmem_search_hit* hit);
/** The record as stored in the searched state (borrowed); NULL without include_memories. */
GITMEM_EXTERN const gitmem_memory* gitmem_search_hit_memory(const gitmem_search_hit* hit);
GITMEM_EXTERN void gitmem_search_hit_free(gitmem_search_hit* hit);

/** Rebuilds a branch's search index (NULL or "" = HEAD's) from its head commit. */
GITMEM_EXTERN int gitmem_repo_reindex(gitmem_repo* repo, const char* branch);

/** Size of gitmem_index_info.source: the longest name ("catch-up") and its NUL fit. */
#define GITMEM_INDEX_SOURCE_SIZE 16

#define GITMEM_INDEX_INFO_VERSION 1
/** The search index that answers searches of a revision. The caller sets `version`
 *  (GITMEM_INDEX_INFO_INIT); gitmem_index_info_get fills the rest. */
typedef struct gitmem_index_info {
  unsigned int version;                /**< GITMEM_INDEX_INFO_VERSION */
  char commit[GITMEM_OID_HEXSIZE + 1]; /**< the commit the base index reflects ("" when unborn) */
  char tree[GITMEM_OID_HEXSIZE + 1];   /**< the tree searched (a working state's included) */
  uint64_t documents;                  /**< memories indexed */
  uint64_t vector_segments;
  uint64_t keyword_segments;
  uint64_t vector_delta;  /**< vectors not yet in a segment */
  uint64_t keyword_delta; /**< documents not yet in a segment */
  /** How the base index was last obtained in this process: "cached", "loaded", "catch-up",
   *  "build" or "reindex". */
  char source[GITMEM_INDEX_SOURCE_SIZE];
  uint64_t changes_applied; /**< tree changes applied by the last catch-up */
  /** Vectors in segments still waiting for their approximate (HNSW) graph, which the
   *  background worker builds; searches scan them exactly meanwhile. */
  uint64_t vectors_awaiting_graph;
  int indexing; /**< non-zero: the background worker has work queued or running */
} gitmem_index_info;
#define GITMEM_INDEX_INFO_INIT \
  { GITMEM_INDEX_INFO_VERSION, {0}, {0}, 0, 0, 0, 0, 0, {0}, 0, 0, 0 }
/** Fills `out` with the index that answers searches of `at` (NULL = HEAD's working state),
 *  building or catching it up when needed. ENOTFOUND for an unknown revision. */
GITMEM_EXTERN int gitmem_index_info_get(gitmem_index_info* out, gitmem_repo* repo, const gitmem_read_options* at);
/** Waits until the background worker has indexed `branch` (NULL or "" = HEAD's) up to its
 *  head commit, approximate graphs included; returns an error the worker met on the way.
 *  EBUSY when `timeout_ms` milliseconds pass first (negative, or over INT64_MAX / 1000000
 *  (about 292 years): no limit); ENOTFOUND for a branch that does not exist. Waiting
 *  changes nothing. */
GITMEM_EXTERN int gitmem_wait_for_index(gitmem_repo* repo, const char* branch, int64_t timeout_ms);

/* ==== merge, cherry-pick, revert, fork ================================================== */

typedef enum gitmem_merge_strategy {
  GITMEM_MERGE_FAIL = 0,           /**< settle nothing: ECONFLICT with the conflicts */
  GITMEM_MERGE_OURS = 1,           /**< keep the target branch's version */
  GITMEM_MERGE_THEIRS = 2,         /**< take the source's version */
  GITMEM_MERGE_NEWEST = 3,         /**< the later memory timestamp */
  GITMEM_MERGE_MOST_IMPORTANT = 4, /**< the higher importance */
  GITMEM_MERGE_CALLBACK = 5        /**< gitmem_merge_options.resolver decides */
} gitmem_merge_strategy;

typedef enum gitmem_conflict_kind {
  GITMEM_CONFLICT_BOTH_MODIFIED = 0,    /**< changed differently on both sides */
  GITMEM_CONFLICT_MODIFIED_DELETED = 1, /**< ours changed it, theirs deleted it */
  GITMEM_CONFLICT_DELETED_MODIFIED = 2  /**< ours deleted it, theirs changed it */
} gitmem_conflict_kind;

/** One memory the two sides changed in different ways. */
typedef struct gitmem_conflict gitmem_conflict;

/** Decides one conflict: set `*out` to a record the callback made (gitmem_memory_new or
 *  gitmem_memory_dup; its id must be the conflict's; the library takes and frees it) to
 *  keep it, or leave `*out` NULL to delete the memory. Return 0; any other value aborts
 *  the merge (nothing changes; the merge returns EINVALID naming the resolver). */
typedef int (*gitmem_merge_resolver_fn)(gitmem_memory** out, const gitmem_conflict* conflict, void* payload);

#define GITMEM_MERGE_OPTIONS_VERSION 1
typedef struct gitmem_merge_options {
  unsigned int version;              /**< GITMEM_MERGE_OPTIONS_VERSION */
  const char* into;                  /**< target branch; NULL or "" = HEAD's */
  int strategy;                      /**< a gitmem_merge_strategy; default FAIL */
  const char* message;               /**< NULL or "" = the default message */
  const char* author;                /**< NULL or "" = the repository's default author */
  int64_t timestamp_us;              /**< 0 = now */
  int no_fast_forward;               /**< non-zero: always write a merge commit */
  gitmem_merge_resolver_fn resolver; /**< required with GITMEM_MERGE_CALLBACK */
  void* resolver_payload;
} gitmem_merge_options;
#define GITMEM_MERGE_OPTIONS_INIT \
  { GITMEM_MERGE_OPTIONS_VERSION, NULL, GITMEM_MERGE_FAIL, NULL, NULL, 0, 0, NULL, NULL }
GITMEM_EXTERN int gitmem_merge_options_init(gitmem_merge_options* opts, unsigned int version);

/** The outcome of a merge, cherry-pick or revert. */
typedef struct gitmem_merge_result gitmem_merge_result;
/** Merges `source` (a branch, tag or commit) into opts->into. With GITMEM_MERGE_FAIL and
 *  conflicts it returns GITMEM_ECONFLICT, changes nothing and still sets `*out` to a
 *  result listing the conflicts (free it); on any other error `*out` is NULL. */
GITMEM_EXTERN int gitmem_merge(gitmem_merge_result** out, gitmem_repo* repo, const char* source,
                               const gitmem_merge_options* opts);
/** Applies the change one commit made as a new one-parent commit; as gitmem_merge. */
GITMEM_EXTERN int gitmem_cherry_pick(gitmem_merge_result** out, gitmem_repo* repo, const char* commit,
                                     const gitmem_merge_options* opts);
/** Undoes the change one commit made with a new commit; as gitmem_merge. */
GITMEM_EXTERN int gitmem_revert(gitmem_merge_result** out, gitmem_repo* repo, const char* commit,
                                const gitmem_merge_options* opts);
/** The target's new head (hex); 64 zeros when nothing was written. */
GITMEM_EXTERN const char* gitmem_merge_result_commit(const gitmem_merge_result* result);
GITMEM_EXTERN int gitmem_merge_result_fast_forward(const gitmem_merge_result* result);
GITMEM_EXTERN int gitmem_merge_result_up_to_date(const gitmem_merge_result* result);
/** Memories the target's tree changed by. */
GITMEM_EXTERN uint64_t gitmem_merge_result_changes_applied(const gitmem_merge_result* result);
/** Conflicts: unresolved (after ECONFLICT) or settled by the strategy, with resolutions. */
GITMEM_EXTERN size_t gitmem_merge_result_conflict_count(const gitmem_merge_result* result);
GITMEM_EXTERN void gitmem_merge_result_free(gitmem_merge_result* result);

/** An iterator over a result's conflicts (a copy: the result may be freed first). */
typedef struct gitmem_conflict_iter gitmem_conflict_iter;
GITMEM_EXTERN int gitmem_conflict_iter_new(gitmem_conflict_iter** out, const gitmem_merge_result* result);
GITMEM_EXTERN int gitmem_conflict_iter_next(gitmem_conflict** out, gitmem_conflict_iter* iter);
GITMEM_EXTERN void gitmem_conflict_iter_free(gitmem_conflict_iter* iter);
GITMEM_EXTERN gitmem_conflict_kind gitmem_conflict_get_kind(const gitmem_conflict* conflict);
GITMEM_EXTERN const char* gitmem_conflict_id(const gitmem_conflict* conflict);
/** The three versions and the resolution (borrowed); NULL where absent or deleted. */
GITMEM_EXTERN const gitmem_memory* gitmem_conflict_base(const gitmem_conflict* conflict);
GITMEM_EXTERN const gitmem_memory* gitmem_conflict_ours(const gitmem_conflict* conflict);
GITMEM_EXTERN const gitmem_memory* gitmem_conflict_theirs(const gitmem_conflict* conflict);
GITMEM_EXTERN const gitmem_memory* gitmem_conflict_resolution(const gitmem_conflict* conflict);
/** Non-zero when the merge bases of a criss-cross merge disagree about the base. */
GITMEM_EXTERN int gitmem_conflict_base_ambiguous(const gitmem_conflict* conflict);
GITMEM_EXTERN void gitmem_conflict_free(gitmem_conflict* conflict);

/** The best common ancestors of two revisions (hex ids, newest generation first). */
GITMEM_EXTERN int gitmem_merge_bases(gitmem_strlist** out, gitmem_repo* repo, const char* a, const char* b);

/** Forks `repo` to `new_name` ("owner/name") in the same store and opens the fork. */
GITMEM_EXTERN int gitmem_repo_fork(gitmem_repo** out, gitmem_repo* repo, const char* new_name);

/** A repository's record in its store. */
typedef struct gitmem_repo_info gitmem_repo_info;
GITMEM_EXTERN int gitmem_repo_info_get(gitmem_repo_info** out, gitmem_repo* repo);
GITMEM_EXTERN const char* gitmem_repo_info_name(const gitmem_repo_info* info);
GITMEM_EXTERN const char* gitmem_repo_info_description(const gitmem_repo_info* info);
GITMEM_EXTERN const char* gitmem_repo_info_default_branch(const gitmem_repo_info* info);
GITMEM_EXTERN const char* gitmem_repo_info_visibility(const gitmem_repo_info* info);
GITMEM_EXTERN int64_t gitmem_repo_info_created_at_us(const gitmem_repo_info* info);
GITMEM_EXTERN uint64_t gitmem_repo_info_stars(const gitmem_repo_info* info);
GITMEM_EXTERN uint64_t gitmem_repo_info_forks(const gitmem_repo_info* info);
GITMEM_EXTERN uint64_t gitmem_repo_info_watchers(const gitmem_repo_info* info);
/** The repository this one was forked from ("" = none). */
GITMEM_EXTERN const char* gitmem_repo_info_upstream(const gitmem_repo_info* info);
GITMEM_EXTERN void gitmem_repo_info_free(gitmem_repo_info* info);

#ifdef __cplusplus
}
#endif

#endif /* GITMEM_GITMEM_H */
