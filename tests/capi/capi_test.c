/* The C ABI, tested from C: every function, every bad input (error code, a message that
 * names the field, nothing changed), and every allocation freed (run under ASan by the
 * sanitize preset). Usage: gitmem_capi_test <scratch directory>. */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gitmem/gitmem.h"

static int failures = 0;

#define CHECK(cond)                                                                                                 \
  do {                                                                                                              \
    if (!(cond)) {                                                                                                  \
      fprintf(stderr, "%s:%d: CHECK(%s) failed; last error: %s\n", __FILE__, __LINE__, #cond, gitmem_error_last()); \
      ++failures;                                                                                                   \
    }                                                                                                               \
  } while (0)

#define CHECK_OK(expr)                                                                                     \
  do {                                                                                                     \
    int rc_ = (expr);                                                                                      \
    if (rc_ != GITMEM_OK) {                                                                                \
      fprintf(stderr, "%s:%d: %s returned %d: %s\n", __FILE__, __LINE__, #expr, rc_, gitmem_error_last()); \
      ++failures;                                                                                          \
    }                                                                                                      \
  } while (0)

/* A failing call: the code, and a message that mentions `needle` (the field). */
#define CHECK_ERR(expr, code, needle)                                                                           \
  do {                                                                                                          \
    int rc_;                                                                                                    \
    gitmem_error_clear();                                                                                       \
    rc_ = (expr);                                                                                               \
    if (rc_ != (code)) {                                                                                        \
      fprintf(stderr, "%s:%d: %s returned %d, expected %d (%s)\n", __FILE__, __LINE__, #expr, rc_, (int)(code), \
              gitmem_error_last());                                                                             \
      ++failures;                                                                                               \
    } else if (gitmem_error_last_code() != (code) || strstr(gitmem_error_last(), (needle)) == NULL) {           \
      fprintf(stderr, "%s:%d: %s: message '%s' (code %d) does not name '%s'\n", __FILE__, __LINE__, #expr,      \
              gitmem_error_last(), gitmem_error_last_code(), (needle));                                         \
      ++failures;                                                                                               \
    }                                                                                                           \
  } while (0)

#define CHECK_STR(a, b)                                                                                         \
  do {                                                                                                          \
    const char *a_ = (a), *b_ = (b);                                                                            \
    if (a_ == NULL || b_ == NULL || strcmp(a_, b_) != 0) {                                                      \
      fprintf(stderr, "%s:%d: %s == %s failed: '%s' vs '%s'\n", __FILE__, __LINE__, #a, #b, a_ ? a_ : "(null)", \
              b_ ? b_ : "(null)");                                                                              \
      ++failures;                                                                                               \
    }                                                                                                           \
  } while (0)

/* ---- helpers ----------------------------------------------------------------------------- */

static int remove_entry(const char* path, const struct stat* sb, int flag, struct FTW* ftw) {
  (void)sb;
  (void)flag;
  (void)ftw;
  return remove(path);
}

/* A fingerprint of everything a bad call could have changed. */
typedef struct state {
  uint64_t count;
  size_t staged;
  char head[GITMEM_OID_HEXSIZE + 1];
  size_t branches;
  size_t tags;
  char current[64];
} state;

static void take_state(state* s, gitmem_repo* repo) {
  gitmem_staged* staged = NULL;
  gitmem_branch_iter* bi = NULL;
  gitmem_tag_iter* ti = NULL;
  gitmem_branch* b = NULL;
  gitmem_tag* t = NULL;
  char* current = NULL;
  memset(s, 0, sizeof *s);
  CHECK_OK(gitmem_memory_count(&s->count, repo, NULL));
  CHECK_OK(gitmem_staged_new(&staged, repo, NULL));
  s->staged = gitmem_staged_count(staged);
  gitmem_staged_free(staged);
  if (gitmem_repo_resolve(s->head, repo, "HEAD") != GITMEM_OK) strcpy(s->head, "unborn");
  CHECK_OK(gitmem_branch_iter_new(&bi, repo));
  while (gitmem_branch_iter_next(&b, bi) == GITMEM_OK) {
    ++s->branches;
    gitmem_branch_free(b);
  }
  gitmem_branch_iter_free(bi);
  CHECK_OK(gitmem_tag_iter_new(&ti, repo));
  while (gitmem_tag_iter_next(&t, ti) == GITMEM_OK) {
    ++s->tags;
    gitmem_tag_free(t);
  }
  gitmem_tag_iter_free(ti);
  CHECK_OK(gitmem_branch_current(&current, repo));
  if (current) strncpy(s->current, current, sizeof s->current - 1);
  gitmem_string_free(current);
}

static void check_same_state(gitmem_repo* repo, const state* before, int line) {
  state after;
  take_state(&after, repo);
  if (after.count != before->count || after.staged != before->staged || strcmp(after.head, before->head) != 0 ||
      after.branches != before->branches || after.tags != before->tags || strcmp(after.current, before->current) != 0) {
    fprintf(stderr, "line %d: a failed call changed the repository\n", line);
    ++failures;
  }
}

#define UNCHANGED(repo, before) check_same_state((repo), (before), __LINE__)

/* The content of memory `id` on HEAD's branch ("" when missing), in buf. */
static const char* content_of(gitmem_repo* repo, const char* id, char* buf, size_t size) {
  gitmem_memory* m = NULL;
  buf[0] = '\0';
  if (gitmem_memory_get(&m, repo, id, NULL) == GITMEM_OK) {
    strncpy(buf, gitmem_memory_content(m), size - 1);
    buf[size - 1] = '\0';
  }
  gitmem_memory_free(m);
  return buf;
}

static gitmem_memory* make_memory(const char* id, const char* content, const char* session) {
  gitmem_memory* m = NULL;
  CHECK_OK(gitmem_memory_new(&m));
  if (id) CHECK_OK(gitmem_memory_set_id(m, id));
  CHECK_OK(gitmem_memory_set_content(m, content));
  CHECK_OK(gitmem_memory_set_agent_id(m, "agent-1"));
  if (session) CHECK_OK(gitmem_memory_set_session_id(m, session));
  return m;
}

static void put(gitmem_repo* repo, const char* id, const char* content, const char* session) {
  gitmem_memory* m = make_memory(id, content, session);
  CHECK_OK(gitmem_memory_put(NULL, repo, m, NULL));
  gitmem_memory_free(m);
}

static void commit_at(gitmem_repo* repo, const char* message, int64_t ts, char* out_id) {
  gitmem_commit_options co = GITMEM_COMMIT_OPTIONS_INIT;
  co.message = message;
  co.author = "tester";
  co.timestamp_us = ts;
  CHECK_OK(gitmem_commit_create(out_id, repo, &co));
}

static size_t drain_list(gitmem_list* list) {
  size_t n = 0;
  gitmem_memory* m = NULL;
  while (gitmem_list_next(&m, list) == GITMEM_OK) {
    ++n;
    gitmem_memory_free(m);
  }
  return n;
}

/* ---- sections ------------------------------------------------------------------------------ */

static void test_basics(void) {
  char expected[32];
  gitmem_strlist* list = NULL;
  sprintf(expected, "%d.%d.%d", GITMEM_VERSION_MAJOR, GITMEM_VERSION_MINOR, GITMEM_VERSION_PATCH);
  CHECK_STR(gitmem_version(), expected);

  gitmem_error_clear();
  CHECK_STR(gitmem_error_last(), "");
  CHECK(gitmem_error_last_code() == GITMEM_OK);

  CHECK_STR(gitmem_memory_type_name(GITMEM_MEMORY_PROCEDURAL), "procedural");
  CHECK(gitmem_memory_type_name(4) == NULL);
  CHECK_STR(gitmem_scope_name(GITMEM_SCOPE_GLOBAL), "global");
  CHECK(gitmem_scope_name(-1) == NULL);
  CHECK_STR(gitmem_relation_type_name(GITMEM_RELATION_BUILDS_ON), "builds_on");
  CHECK(gitmem_relation_type_name(9) == NULL);

  /* NULL is a no-op for every free function. */
  gitmem_string_free(NULL);
  gitmem_strlist_free(NULL);
  gitmem_repo_free(NULL);
  gitmem_memory_free(NULL);
  gitmem_patch_free(NULL);
  gitmem_list_free(NULL);
  gitmem_commit_free(NULL);
  gitmem_log_free(NULL);
  gitmem_diff_free(NULL);
  gitmem_diff_entry_free(NULL);
  gitmem_history_free(NULL);
  gitmem_history_entry_free(NULL);
  gitmem_staged_free(NULL);
  gitmem_staged_entry_free(NULL);
  gitmem_branch_iter_free(NULL);
  gitmem_branch_free(NULL);
  gitmem_tag_iter_free(NULL);
  gitmem_tag_free(NULL);
  gitmem_fsck_free(NULL);

  /* Getters on NULL handles give NULL / 0. */
  CHECK(gitmem_strlist_count(NULL) == 0);
  CHECK(gitmem_strlist_get(NULL, 0) == NULL);
  CHECK(gitmem_repo_name(NULL) == NULL);
  CHECK(gitmem_memory_id(NULL) == NULL);
  CHECK(gitmem_commit_id(NULL) == NULL);
  CHECK(gitmem_list_remaining(NULL) == 0);
  (void)list;

  /* Options initialisers. */
  {
    gitmem_repo_options ro;
    gitmem_write_options wo;
    gitmem_read_options rd;
    gitmem_list_options lo;
    gitmem_commit_options co;
    gitmem_log_options go;
    CHECK_OK(gitmem_repo_options_init(&ro, GITMEM_REPO_OPTIONS_VERSION));
    CHECK(ro.version == GITMEM_REPO_OPTIONS_VERSION && ro.name == NULL && ro.auto_commit == 0);
    CHECK_OK(gitmem_write_options_init(&wo, GITMEM_WRITE_OPTIONS_VERSION));
    CHECK(wo.version == 1 && wo.branch == NULL);
    CHECK_OK(gitmem_read_options_init(&rd, GITMEM_READ_OPTIONS_VERSION));
    CHECK(rd.as_of_us == GITMEM_AS_OF_NONE);
    CHECK_OK(gitmem_list_options_init(&lo, GITMEM_LIST_OPTIONS_VERSION));
    CHECK(lo.limit == UINT64_MAX && lo.offset == 0 && lo.as_of_us == GITMEM_AS_OF_NONE);
    CHECK_OK(gitmem_commit_options_init(&co, GITMEM_COMMIT_OPTIONS_VERSION));
    CHECK(co.allow_empty == 0 && co.timestamp_us == 0);
    CHECK_OK(gitmem_log_options_init(&go, GITMEM_LOG_OPTIONS_VERSION));
    CHECK(go.first_parent == 1 && go.limit == UINT64_MAX);

    CHECK_ERR(gitmem_repo_options_init(NULL, 1), GITMEM_EINVALID, "opts");
    CHECK_ERR(gitmem_repo_options_init(&ro, 0), GITMEM_EINVALID, "repo_options.version");
    CHECK_ERR(gitmem_write_options_init(&wo, 2), GITMEM_EINVALID, "write_options.version");
    CHECK_ERR(gitmem_read_options_init(&rd, 0), GITMEM_EINVALID, "read_options.version");
    CHECK_ERR(gitmem_list_options_init(&lo, 7), GITMEM_EINVALID, "list_options.version");
    CHECK_ERR(gitmem_commit_options_init(&co, 0), GITMEM_EINVALID, "commit_options.version");
    CHECK_ERR(gitmem_log_options_init(&go, 0), GITMEM_EINVALID, "log_options.version");
    CHECK_ERR(gitmem_log_options_init(NULL, 1), GITMEM_EINVALID, "opts");
  }
}

static void test_open(const char* store, gitmem_repo** out) {
  gitmem_repo *repo = NULL, *other = NULL;
  gitmem_strlist* names = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;

  /* Bad inputs. */
  CHECK_ERR(gitmem_repo_init(NULL, store, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_repo_init(&repo, NULL, NULL), GITMEM_EINVALID, "path");
  CHECK(repo == NULL);
  CHECK_ERR(gitmem_repo_init(&repo, "", NULL), GITMEM_EINVALID, "path");
  opts.name = "no-slash";
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "repository name");
  opts.name = "agents/notes";
  opts.default_branch = "bad branch";
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "default branch");
  opts.default_branch = NULL;
  opts.version = 0;
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "repo_options.version");
  opts.version = GITMEM_REPO_OPTIONS_VERSION;
  opts.read_only = 1;
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "read-only");
  opts.read_only = 0;
  CHECK(repo == NULL);
  CHECK_ERR(gitmem_repo_open(&repo, store, &opts), GITMEM_ENOTFOUND, "store"); /* no store yet */
  CHECK_ERR(gitmem_repo_open(&repo, NULL, &opts), GITMEM_EINVALID, "path");
  CHECK_ERR(gitmem_repo_list(NULL, store), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_repo_list(&names, NULL), GITMEM_EINVALID, "path");
  CHECK_ERR(gitmem_repo_list(&names, ""), GITMEM_EINVALID, "path");

  /* Init, then a second repository in the same store. */
  opts.description = "notes of the agents";
  opts.default_author = "agent-1";
  opts.max_content_bytes = 1024;
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  CHECK(repo != NULL);
  CHECK_STR(gitmem_repo_name(repo), "agents/notes");
  CHECK_ERR(gitmem_repo_init(&other, store, &opts), GITMEM_EEXISTS, "agents/notes");
  CHECK(other == NULL);
  CHECK_OK(gitmem_repo_init(&other, store, NULL)); /* the default name */
  CHECK_STR(gitmem_repo_name(other), "local/memory");
  gitmem_repo_free(other);
  other = NULL;
  CHECK_OK(gitmem_repo_open(&other, store, NULL));
  CHECK_STR(gitmem_repo_name(other), "local/memory");
  gitmem_repo_free(other);

  CHECK_OK(gitmem_repo_list(&names, store));
  CHECK(gitmem_strlist_count(names) == 2);
  CHECK_STR(gitmem_strlist_get(names, 0), "agents/notes");
  CHECK_STR(gitmem_strlist_get(names, 1), "local/memory");
  CHECK(gitmem_strlist_get(names, 2) == NULL);
  gitmem_strlist_free(names);
  *out = repo;
}

static void test_memories(gitmem_repo* repo) {
  gitmem_memory *m = NULL, *got = NULL, *copy = NULL;
  gitmem_patch* patch = NULL;
  char* id = NULL;
  char buf[256];
  const char* tags[] = {"preference", "food", "preference"};
  gitmem_relation_type rtype;
  const char* rtarget = NULL;
  float rstrength = 0;
  state before;
  gitmem_write_options wo = GITMEM_WRITE_OPTIONS_INIT;
  gitmem_read_options ro = GITMEM_READ_OPTIONS_INIT;

  /* A record with every field. */
  CHECK_OK(gitmem_memory_new(&m));
  CHECK_STR(gitmem_memory_id(m), "");
  CHECK(gitmem_memory_get_type(m) == GITMEM_MEMORY_SEMANTIC);
  CHECK(gitmem_memory_get_scope(m) == GITMEM_SCOPE_SHARED);
  CHECK(gitmem_memory_importance(m) == 0.5f && gitmem_memory_confidence(m) == 1.0f);
  CHECK_STR(gitmem_memory_metadata(m), "{}");
  CHECK_STR(gitmem_memory_content_hash(m), "0000000000000000000000000000000000000000000000000000000000000000");
  CHECK_OK(gitmem_memory_set_id(m, "pref-food"));
  CHECK_OK(gitmem_memory_set_content(m, "The user is vegetarian."));
  CHECK_OK(gitmem_memory_set_type(m, GITMEM_MEMORY_EPISODIC));
  CHECK_OK(gitmem_memory_set_agent_id(m, "agent-1"));
  CHECK_OK(gitmem_memory_set_session_id(m, "s1"));
  CHECK_OK(gitmem_memory_set_timestamp_us(m, 1000));
  CHECK_OK(gitmem_memory_set_importance(m, 0.75f));
  CHECK_OK(gitmem_memory_set_confidence(m, 0.25f));
  CHECK_OK(gitmem_memory_set_tags(m, tags, 3));
  CHECK_OK(gitmem_memory_add_tag(m, "diet"));
  CHECK(gitmem_memory_tag_count(m) == 4);
  CHECK_OK(gitmem_memory_set_scope(m, GITMEM_SCOPE_GLOBAL));
  CHECK_OK(gitmem_memory_set_metadata(m, "{ \"source\": \"chat\", \"a\": 1 }"));
  CHECK_OK(gitmem_memory_add_relation(m, GITMEM_RELATION_SIMILAR, "zzz", 0.5f));
  CHECK_OK(gitmem_memory_clear_relations(m));
  CHECK(gitmem_memory_relation_count(m) == 0);
  CHECK_OK(gitmem_memory_add_relation(m, GITMEM_RELATION_BUILDS_ON, "pref-drink", 0.5f));
  CHECK_OK(gitmem_memory_set_author(m, "alice"));

  /* Setter bad inputs leave the record unchanged. */
  CHECK_ERR(gitmem_memory_set_type(m, (gitmem_memory_type)7), GITMEM_EINVALID, "type");
  CHECK(gitmem_memory_get_type(m) == GITMEM_MEMORY_EPISODIC);
  CHECK_ERR(gitmem_memory_set_scope(m, (gitmem_scope)3), GITMEM_EINVALID, "scope");
  CHECK(gitmem_memory_get_scope(m) == GITMEM_SCOPE_GLOBAL);
  CHECK_ERR(gitmem_memory_set_content(m, NULL), GITMEM_EINVALID, "content");
  CHECK_STR(gitmem_memory_content(m), "The user is vegetarian.");
  CHECK_ERR(gitmem_memory_set_id(NULL, "x"), GITMEM_EINVALID, "memory");
  CHECK_ERR(gitmem_memory_set_tags(m, NULL, 2), GITMEM_EINVALID, "tags");
  {
    const char* bad_tags[] = {"ok", NULL};
    CHECK_ERR(gitmem_memory_set_tags(m, bad_tags, 2), GITMEM_EINVALID, "tags[1]");
  }
  CHECK(gitmem_memory_tag_count(m) == 4);
  CHECK_ERR(gitmem_memory_add_tag(m, NULL), GITMEM_EINVALID, "tag");
  CHECK_ERR(gitmem_memory_add_relation(m, (gitmem_relation_type)9, "x", 0.5f), GITMEM_EINVALID, "relations.type");
  CHECK_ERR(gitmem_memory_add_relation(m, GITMEM_RELATION_SIMILAR, NULL, 0.5f), GITMEM_EINVALID, "relations.target_id");
  CHECK(gitmem_memory_relation_count(m) == 1);
  CHECK_ERR(gitmem_memory_set_author(m, NULL), GITMEM_EINVALID, "author");
  CHECK_ERR(gitmem_memory_set_metadata(m, NULL), GITMEM_EINVALID, "metadata");
  CHECK_ERR(gitmem_memory_set_agent_id(m, NULL), GITMEM_EINVALID, "agent_id");
  CHECK_ERR(gitmem_memory_set_session_id(m, NULL), GITMEM_EINVALID, "session_id");
  CHECK_ERR(gitmem_memory_set_timestamp_us(NULL, 1), GITMEM_EINVALID, "memory");
  CHECK_ERR(gitmem_memory_set_importance(NULL, 1), GITMEM_EINVALID, "memory");
  CHECK_ERR(gitmem_memory_set_confidence(NULL, 1), GITMEM_EINVALID, "memory");
  CHECK_ERR(gitmem_memory_clear_relations(NULL), GITMEM_EINVALID, "memory");
  CHECK_ERR(gitmem_memory_new(NULL), GITMEM_EINVALID, "out");

  CHECK_OK(gitmem_memory_dup(&copy, m));
  CHECK_STR(gitmem_memory_id(copy), "pref-food");
  CHECK_ERR(gitmem_memory_dup(&got, NULL), GITMEM_EINVALID, "memory");

  /* Write bad inputs: each names its field and changes nothing. */
  take_state(&before, repo);
  CHECK_ERR(gitmem_memory_put(&id, NULL, m, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_memory_put(&id, repo, NULL, NULL), GITMEM_EINVALID, "memory");
  CHECK(id == NULL);
  CHECK_OK(gitmem_memory_set_content(copy, ""));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "content");
  {
    char big[2048];
    memset(big, 'y', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    CHECK_OK(gitmem_memory_set_content(copy, big)); /* over the 1024-byte limit of this repo */
    CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "content");
  }
  CHECK_OK(gitmem_memory_set_content(copy, "fine"));
  CHECK_OK(gitmem_memory_set_importance(copy, 1.5f));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "importance");
  CHECK_OK(gitmem_memory_set_importance(copy, NAN));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "importance");
  CHECK_OK(gitmem_memory_set_importance(copy, 0.5f));
  CHECK_OK(gitmem_memory_set_confidence(copy, -0.1f));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "confidence");
  CHECK_OK(gitmem_memory_set_confidence(copy, 1.0f));
  CHECK_OK(gitmem_memory_set_metadata(copy, "[1, 2]"));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "metadata");
  CHECK_OK(gitmem_memory_set_metadata(copy, "{not json"));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "metadata");
  CHECK_OK(gitmem_memory_set_metadata(copy, "{}"));
  CHECK_OK(gitmem_memory_add_tag(copy, ""));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "tags");
  CHECK_OK(gitmem_memory_set_tags(copy, NULL, 0));
  CHECK_OK(gitmem_memory_add_relation(copy, GITMEM_RELATION_SIMILAR, "other", 2.0f));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "relations.strength");
  CHECK_OK(gitmem_memory_clear_relations(copy));
  CHECK_OK(gitmem_memory_set_timestamp_us(copy, -5));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "timestamp");
  CHECK_OK(gitmem_memory_set_timestamp_us(copy, 0));
  CHECK_OK(gitmem_memory_set_author(copy, "bad\nauthor"));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "author");
  CHECK_OK(gitmem_memory_set_author(copy, ""));
  CHECK_OK(gitmem_memory_set_id(copy, "bad\xff-id"));
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, NULL), GITMEM_EINVALID, "id");
  CHECK_OK(gitmem_memory_set_id(copy, "pref-food"));
  wo.branch = "no-such-branch";
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, &wo), GITMEM_ENOTFOUND, "no-such-branch");
  wo.branch = "bad..name";
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, &wo), GITMEM_EINVALID, "branch name");
  wo.branch = NULL;
  wo.version = 0;
  CHECK_ERR(gitmem_memory_put(&id, repo, copy, &wo), GITMEM_EINVALID, "write_options.version");
  wo.version = GITMEM_WRITE_OPTIONS_VERSION;
  CHECK(id == NULL);
  UNCHANGED(repo, &before);
  CHECK_ERR(gitmem_memory_get(&got, repo, "pref-food", NULL), GITMEM_ENOTFOUND, "pref-food");

  /* Put, then read every field back. */
  CHECK_OK(gitmem_memory_put(&id, repo, m, NULL));
  CHECK_STR(id, "pref-food");
  gitmem_string_free(id);
  id = NULL;
  CHECK_OK(gitmem_memory_get(&got, repo, "pref-food", NULL));
  CHECK_STR(gitmem_memory_id(got), "pref-food");
  CHECK_STR(gitmem_memory_content(got), "The user is vegetarian.");
  CHECK(gitmem_memory_get_type(got) == GITMEM_MEMORY_EPISODIC);
  CHECK_STR(gitmem_memory_agent_id(got), "agent-1");
  CHECK_STR(gitmem_memory_session_id(got), "s1");
  CHECK(gitmem_memory_timestamp_us(got) == 1000);
  CHECK(gitmem_memory_importance(got) == 0.75f);
  CHECK(gitmem_memory_confidence(got) == 0.25f);
  CHECK(gitmem_memory_tag_count(got) == 3); /* sorted, without duplicates */
  CHECK_STR(gitmem_memory_tag(got, 0), "diet");
  CHECK_STR(gitmem_memory_tag(got, 1), "food");
  CHECK_STR(gitmem_memory_tag(got, 2), "preference");
  CHECK(gitmem_memory_tag(got, 3) == NULL);
  CHECK(gitmem_memory_get_scope(got) == GITMEM_SCOPE_GLOBAL);
  CHECK_STR(gitmem_memory_metadata(got), "{\"a\":1,\"source\":\"chat\"}");
  CHECK(gitmem_memory_relation_count(got) == 1);
  CHECK_OK(gitmem_memory_relation(&rtype, &rtarget, &rstrength, got, 0));
  CHECK(rtype == GITMEM_RELATION_BUILDS_ON && rstrength == 0.5f);
  CHECK_STR(rtarget, "pref-drink");
  CHECK_OK(gitmem_memory_relation(NULL, NULL, NULL, got, 0));
  CHECK_ERR(gitmem_memory_relation(&rtype, &rtarget, &rstrength, got, 1), GITMEM_ENOTFOUND, "relation");
  CHECK_ERR(gitmem_memory_relation(&rtype, &rtarget, &rstrength, NULL, 0), GITMEM_EINVALID, "memory");
  CHECK_STR(gitmem_memory_author(got), "alice");
  CHECK(strlen(gitmem_memory_content_hash(got)) == GITMEM_OID_HEXSIZE);
  CHECK(strcmp(gitmem_memory_content_hash(got), gitmem_memory_content_hash(m)) != 0);
  gitmem_memory_free(got);
  got = NULL;

  /* An upsert with the same id; a generated id; the author of the write options. */
  CHECK_OK(gitmem_memory_set_content(m, "The user is vegan."));
  CHECK_OK(gitmem_memory_put(NULL, repo, m, NULL));
  CHECK_STR(content_of(repo, "pref-food", buf, sizeof buf), "The user is vegan.");
  gitmem_memory_free(copy);
  copy = make_memory(NULL, "Generated id", NULL);
  wo.author = "bob";
  CHECK_OK(gitmem_memory_put(&id, repo, copy, &wo));
  wo.author = NULL;
  CHECK(id != NULL && strlen(id) == 36); /* a UUID */
  CHECK_OK(gitmem_memory_get(&got, repo, id, NULL));
  CHECK_STR(gitmem_memory_author(got), "bob");
  CHECK(gitmem_memory_timestamp_us(got) > 0);
  gitmem_memory_free(got);
  got = NULL;
  CHECK_OK(gitmem_memory_delete(repo, id, NULL));
  gitmem_string_free(id);
  id = NULL;
  gitmem_memory_free(copy);

  /* Get bad inputs. */
  CHECK_ERR(gitmem_memory_get(NULL, repo, "pref-food", NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_memory_get(&got, NULL, "pref-food", NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_memory_get(&got, repo, NULL, NULL), GITMEM_EINVALID, "id");
  CHECK_ERR(gitmem_memory_get(&got, repo, "missing", NULL), GITMEM_ENOTFOUND, "missing");
  ro.version = 0;
  CHECK_ERR(gitmem_memory_get(&got, repo, "pref-food", &ro), GITMEM_EINVALID, "read_options.version");
  ro.version = GITMEM_READ_OPTIONS_VERSION;
  ro.rev = "nope";
  CHECK_ERR(gitmem_memory_get(&got, repo, "pref-food", &ro), GITMEM_ENOTFOUND, "nope");
  ro.rev = NULL;
  CHECK(got == NULL);

  /* Update with a patch. */
  CHECK_OK(gitmem_patch_new(&patch));
  CHECK_ERR(gitmem_patch_new(NULL), GITMEM_EINVALID, "out");
  take_state(&before, repo);
  CHECK_OK(gitmem_patch_set_importance(patch, 2.0f));
  CHECK_ERR(gitmem_memory_update(repo, "pref-food", patch, NULL), GITMEM_EINVALID, "importance");
  CHECK_ERR(gitmem_memory_update(repo, "missing", patch, NULL), GITMEM_ENOTFOUND, "missing");
  CHECK_ERR(gitmem_memory_update(repo, NULL, patch, NULL), GITMEM_EINVALID, "id");
  CHECK_ERR(gitmem_memory_update(repo, "pref-food", NULL, NULL), GITMEM_EINVALID, "patch");
  CHECK_ERR(gitmem_memory_update(NULL, "pref-food", patch, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_patch_set_type(patch, (gitmem_memory_type)-1), GITMEM_EINVALID, "type");
  CHECK_ERR(gitmem_patch_set_scope(patch, (gitmem_scope)9), GITMEM_EINVALID, "scope");
  CHECK_ERR(gitmem_patch_set_content(patch, NULL), GITMEM_EINVALID, "content");
  CHECK_ERR(gitmem_patch_set_content(NULL, "x"), GITMEM_EINVALID, "patch");
  CHECK_ERR(gitmem_patch_set_tags(patch, NULL, 1), GITMEM_EINVALID, "tags");
  CHECK_ERR(gitmem_patch_add_relation(patch, (gitmem_relation_type)5, "x", 1.0f), GITMEM_EINVALID, "relations.type");
  UNCHANGED(repo, &before);
  CHECK_STR(content_of(repo, "pref-food", buf, sizeof buf), "The user is vegan.");

  CHECK_OK(gitmem_patch_set_importance(patch, 0.9f));
  CHECK_OK(gitmem_patch_set_content(patch, "The user is vegetarian again."));
  CHECK_OK(gitmem_patch_set_type(patch, GITMEM_MEMORY_SEMANTIC));
  CHECK_OK(gitmem_patch_set_agent_id(patch, "agent-2"));
  CHECK_OK(gitmem_patch_set_session_id(patch, "s1"));
  CHECK_OK(gitmem_patch_set_confidence(patch, 0.5f));
  CHECK_OK(gitmem_patch_set_tags(patch, tags, 1));
  CHECK_OK(gitmem_patch_set_scope(patch, GITMEM_SCOPE_PRIVATE));
  CHECK_OK(gitmem_patch_set_metadata(patch, "{\"v\":2}"));
  CHECK_OK(gitmem_patch_add_relation(patch, GITMEM_RELATION_CONTRADICTS, "old-pref", 0.3f));
  CHECK_OK(gitmem_patch_clear_relations(patch)); /* relations: replaced by an empty list */
  wo.author = "carol";
  CHECK_OK(gitmem_memory_update(repo, "pref-food", patch, &wo));
  wo.author = NULL;
  CHECK_OK(gitmem_memory_get(&got, repo, "pref-food", NULL));
  CHECK_STR(gitmem_memory_content(got), "The user is vegetarian again.");
  CHECK(gitmem_memory_get_type(got) == GITMEM_MEMORY_SEMANTIC);
  CHECK_STR(gitmem_memory_agent_id(got), "agent-2");
  CHECK(gitmem_memory_importance(got) == 0.9f && gitmem_memory_confidence(got) == 0.5f);
  CHECK(gitmem_memory_tag_count(got) == 1);
  CHECK_STR(gitmem_memory_tag(got, 0), "preference");
  CHECK(gitmem_memory_get_scope(got) == GITMEM_SCOPE_PRIVATE);
  CHECK_STR(gitmem_memory_metadata(got), "{\"v\":2}");
  CHECK(gitmem_memory_relation_count(got) == 0);
  CHECK(gitmem_memory_timestamp_us(got) == 1000); /* kept */
  CHECK_STR(gitmem_memory_author(got), "carol");
  gitmem_memory_free(got);
  got = NULL;
  gitmem_patch_free(patch);

  /* Delete bad inputs. */
  take_state(&before, repo);
  CHECK_ERR(gitmem_memory_delete(repo, "missing", NULL), GITMEM_ENOTFOUND, "missing");
  CHECK_ERR(gitmem_memory_delete(repo, NULL, NULL), GITMEM_EINVALID, "id");
  CHECK_ERR(gitmem_memory_delete(NULL, "pref-food", NULL), GITMEM_EINVALID, "repo");
  UNCHANGED(repo, &before);

  gitmem_memory_free(m);
}

static void test_put_many(gitmem_repo* repo) {
  gitmem_memory* batch[3];
  gitmem_strlist* ids = NULL;
  state before;
  uint64_t n = 0;
  batch[0] = make_memory("task-1", "Book a table for Friday.", "s1");
  batch[1] = make_memory("task-2", "Order flowers.", "s1");
  batch[2] = make_memory("task-3", "Call the bakery.", "s1");

  take_state(&before, repo);
  CHECK_OK(gitmem_memory_set_content(batch[1], ""));
  CHECK_ERR(gitmem_memory_put_many(&ids, repo, (const gitmem_memory* const*)batch, 3, NULL), GITMEM_EINVALID,
            "memories[1]: content");
  CHECK(ids == NULL);
  CHECK_ERR(gitmem_memory_put_many(&ids, repo, NULL, 3, NULL), GITMEM_EINVALID, "memories");
  CHECK_ERR(gitmem_memory_put_many(&ids, NULL, (const gitmem_memory* const*)batch, 3, NULL), GITMEM_EINVALID, "repo");
  {
    const gitmem_memory* with_null[2];
    with_null[0] = batch[0];
    with_null[1] = NULL;
    CHECK_ERR(gitmem_memory_put_many(&ids, repo, with_null, 2, NULL), GITMEM_EINVALID, "memories[1]");
  }
  UNCHANGED(repo, &before);

  CHECK_OK(gitmem_memory_set_content(batch[1], "Order flowers."));
  CHECK_OK(gitmem_memory_put_many(&ids, repo, (const gitmem_memory* const*)batch, 3, NULL));
  CHECK(gitmem_strlist_count(ids) == 3);
  CHECK_STR(gitmem_strlist_get(ids, 2), "task-3");
  gitmem_strlist_free(ids);
  CHECK_OK(gitmem_memory_put_many(NULL, repo, (const gitmem_memory* const*)batch, 1, NULL));
  CHECK_OK(gitmem_memory_count(&n, repo, NULL));
  CHECK(n == 4);
  CHECK_ERR(gitmem_memory_count(NULL, repo, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_memory_count(&n, NULL, NULL), GITMEM_EINVALID, "repo");
  gitmem_memory_free(batch[0]);
  gitmem_memory_free(batch[1]);
  gitmem_memory_free(batch[2]);
}

static void test_staged_and_commit(gitmem_repo* repo, char* c1) {
  gitmem_staged* staged = NULL;
  gitmem_staged_entry* e = NULL;
  gitmem_commit_options co = GITMEM_COMMIT_OPTIONS_INIT;
  gitmem_commit* c = NULL;
  state before;
  size_t n = 0, deleted = 0;
  char head[GITMEM_OID_HEXSIZE + 1];

  /* A deletion of a memory that is only staged removes it from staging's view. */
  put(repo, "scratch", "to be deleted", NULL);
  CHECK_OK(gitmem_memory_delete(repo, "scratch", NULL));

  /* Staged: pref-food, task-1..3, and the deletions of scratch and of the generated id. */
  CHECK_OK(gitmem_staged_new(&staged, repo, NULL));
  CHECK(gitmem_staged_count(staged) == 6);
  while (gitmem_staged_next(&e, staged) == GITMEM_OK) {
    ++n;
    if (gitmem_staged_entry_deleted(e)) {
      ++deleted;
      CHECK(gitmem_staged_entry_memory(e) == NULL);
    } else {
      CHECK_STR(gitmem_memory_id(gitmem_staged_entry_memory(e)), gitmem_staged_entry_id(e));
    }
    gitmem_staged_entry_free(e);
  }
  CHECK(e == NULL);
  CHECK(n == 6 && deleted == 2);
  CHECK(gitmem_staged_next(&e, staged) == GITMEM_ITEROVER);
  gitmem_staged_free(staged);
  CHECK_ERR(gitmem_staged_new(&staged, repo, "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_staged_new(NULL, repo, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_staged_new(&staged, NULL, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_staged_next(NULL, staged), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_staged_next(&e, NULL), GITMEM_EINVALID, "staged");

  /* Commit bad inputs. */
  take_state(&before, repo);
  CHECK_ERR(gitmem_commit_create(c1, NULL, &co), GITMEM_EINVALID, "repo");
  co.author = "bad\x01author";
  CHECK_ERR(gitmem_commit_create(c1, repo, &co), GITMEM_EINVALID, "author");
  co.author = NULL;
  co.message = "bad \xc3 utf-8";
  CHECK_ERR(gitmem_commit_create(c1, repo, &co), GITMEM_EINVALID, "message");
  co.message = NULL;
  co.branch = "nope";
  CHECK_ERR(gitmem_commit_create(c1, repo, &co), GITMEM_ENOTFOUND, "nope");
  co.branch = NULL;
  co.version = 9;
  CHECK_ERR(gitmem_commit_create(c1, repo, &co), GITMEM_EINVALID, "commit_options.version");
  co.version = GITMEM_COMMIT_OPTIONS_VERSION;
  UNCHANGED(repo, &before);
  CHECK(c1[0] == '\0');

  /* Session 1 of the agent: commit at a fixed time. */
  commit_at(repo, "session 1: preferences and tasks", 1000000, c1);
  CHECK(strlen(c1) == GITMEM_OID_HEXSIZE);
  CHECK_OK(gitmem_staged_new(&staged, repo, ""));
  CHECK(gitmem_staged_count(staged) == 0);
  CHECK(gitmem_staged_next(&e, staged) == GITMEM_ITEROVER);
  gitmem_staged_free(staged);

  take_state(&before, repo);
  CHECK_ERR(gitmem_commit_create(NULL, repo, NULL), GITMEM_EINVALID, "nothing staged");
  UNCHANGED(repo, &before);

  CHECK_OK(gitmem_repo_resolve(head, repo, "HEAD"));
  CHECK_STR(head, c1);
  CHECK_OK(gitmem_repo_resolve(head, repo, NULL));
  CHECK_STR(head, c1);
  {
    char prefix[9];
    memcpy(prefix, c1, 8);
    prefix[8] = '\0';
    CHECK_OK(gitmem_repo_resolve(head, repo, prefix));
    CHECK_STR(head, c1);
  }
  CHECK_ERR(gitmem_repo_resolve(head, repo, "HEAD~1"), GITMEM_ENOTFOUND, "HEAD~1");
  CHECK_ERR(gitmem_repo_resolve(head, repo, "main~x"), GITMEM_EINVALID, "main~x");
  CHECK_ERR(gitmem_repo_resolve(NULL, repo, "HEAD"), GITMEM_EINVALID, "out_id");
  CHECK_ERR(gitmem_repo_resolve(head, NULL, "HEAD"), GITMEM_EINVALID, "repo");

  CHECK_OK(gitmem_commit_show(&c, repo, "main"));
  CHECK_STR(gitmem_commit_id(c), c1);
  CHECK(strlen(gitmem_commit_tree(c)) == GITMEM_OID_HEXSIZE);
  CHECK(gitmem_commit_parent_count(c) == 0);
  CHECK(gitmem_commit_parent(c, 0) == NULL);
  CHECK_STR(gitmem_commit_author(c), "tester");
  CHECK_STR(gitmem_commit_message(c), "session 1: preferences and tasks");
  CHECK(gitmem_commit_timestamp_us(c) == 1000000);
  CHECK(gitmem_commit_generation(c) == 1);
  CHECK(gitmem_commit_memory_count(c) == 4);
  CHECK(gitmem_commit_added(c) == 4 && gitmem_commit_modified(c) == 0 && gitmem_commit_removed(c) == 0);
  CHECK(gitmem_commit_changed_id_count(c) == 4);
  CHECK_STR(gitmem_commit_changed_id(c, 0), "pref-food");
  CHECK(gitmem_commit_changed_id(c, 4) == NULL);
  CHECK(gitmem_commit_changed_ids_truncated(c) == 0);
  {
    gitmem_commit* d = NULL;
    CHECK_OK(gitmem_commit_dup(&d, c));
    CHECK_STR(gitmem_commit_id(d), c1);
    gitmem_commit_free(d);
    CHECK_ERR(gitmem_commit_dup(&d, NULL), GITMEM_EINVALID, "commit");
    CHECK_ERR(gitmem_commit_dup(NULL, c), GITMEM_EINVALID, "out");
  }
  gitmem_commit_free(c);
  c = NULL;
  CHECK_ERR(gitmem_commit_show(&c, repo, "v9"), GITMEM_ENOTFOUND, "v9");
  CHECK_ERR(gitmem_commit_show(&c, repo, NULL), GITMEM_EINVALID, "rev");
  CHECK_ERR(gitmem_commit_show(NULL, repo, "HEAD"), GITMEM_EINVALID, "out");
  CHECK(c == NULL);
}

/* Session 2: the agent learns more, changes a memory, and forgets one. */
static void test_session2(gitmem_repo* repo, char* c2, char* c3) {
  gitmem_patch* patch = NULL;
  gitmem_commit_options co = GITMEM_COMMIT_OPTIONS_INIT;
  put(repo, "pref-drink", "The user likes green tea.", "s2");
  put(repo, "note-1", "Friday is the user's birthday.", "s2");
  CHECK_OK(gitmem_patch_new(&patch));
  CHECK_OK(gitmem_patch_set_content(patch, "Book a table for Friday at 8pm."));
  CHECK_OK(gitmem_patch_set_session_id(patch, "s2"));
  CHECK_OK(gitmem_memory_update(repo, "task-1", patch, NULL));
  gitmem_patch_free(patch);
  CHECK_OK(gitmem_memory_delete(repo, "task-3", NULL));
  commit_at(repo, "session 2: drinks and a birthday", 2000000, c2);

  /* An empty commit needs allow_empty. */
  co.message = "checkpoint";
  co.allow_empty = 1;
  co.timestamp_us = 3000000;
  CHECK_OK(gitmem_commit_create(c3, repo, &co));
}

static void test_reads(gitmem_repo* repo, const char* c1, const char* c2) {
  gitmem_list* list = NULL;
  gitmem_list_options lo = GITMEM_LIST_OPTIONS_INIT;
  gitmem_read_options ro = GITMEM_READ_OPTIONS_INIT;
  gitmem_memory* m = NULL;
  uint64_t n = 0;
  state before;

  CHECK_OK(gitmem_list_new(&list, repo, NULL));
  CHECK(gitmem_list_remaining(list) == 5);
  CHECK_OK(gitmem_list_next(&m, list));
  CHECK_STR(gitmem_memory_id(m), "note-1"); /* id order */
  gitmem_memory_free(m);
  CHECK(gitmem_list_remaining(list) == 4);
  CHECK(drain_list(list) == 4);
  CHECK(gitmem_list_next(&m, list) == GITMEM_ITEROVER);
  CHECK(m == NULL);
  gitmem_list_free(list);

  /* Paging. */
  lo.offset = 1;
  lo.limit = 2;
  CHECK_OK(gitmem_list_new(&list, repo, &lo));
  CHECK_OK(gitmem_list_next(&m, list));
  CHECK_STR(gitmem_memory_id(m), "pref-drink");
  gitmem_memory_free(m);
  CHECK(drain_list(list) == 1);
  gitmem_list_free(list);

  /* Time travel: a revision, and a timestamp. */
  lo.offset = 0;
  lo.limit = UINT64_MAX;
  lo.rev = c1;
  CHECK_OK(gitmem_list_new(&list, repo, &lo));
  CHECK(drain_list(list) == 4);
  gitmem_list_free(list);
  lo.rev = NULL;
  lo.as_of_us = 1500000;
  CHECK_OK(gitmem_list_new(&list, repo, &lo));
  CHECK(drain_list(list) == 4);
  gitmem_list_free(list);
  lo.as_of_us = 10;
  CHECK_ERR(gitmem_list_new(&list, repo, &lo), GITMEM_ENOTFOUND, "no commit");
  lo.as_of_us = GITMEM_AS_OF_NONE;
  lo.rev = "nope";
  CHECK_ERR(gitmem_list_new(&list, repo, &lo), GITMEM_ENOTFOUND, "nope");
  lo.rev = NULL;
  lo.version = 0;
  CHECK_ERR(gitmem_list_new(&list, repo, &lo), GITMEM_EINVALID, "list_options.version");
  CHECK_ERR(gitmem_list_new(NULL, repo, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_list_new(&list, NULL, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_list_next(NULL, list), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_list_next(&m, NULL), GITMEM_EINVALID, "list");
  CHECK(list == NULL);

  ro.rev = "HEAD~2";
  CHECK_OK(gitmem_memory_get(&m, repo, "task-1", &ro));
  CHECK_STR(gitmem_memory_content(m), "Book a table for Friday.");
  gitmem_memory_free(m);
  CHECK_OK(gitmem_memory_get(&m, repo, "task-3", &ro)); /* deleted later, there at c1 */
  gitmem_memory_free(m);
  CHECK_OK(gitmem_memory_count(&n, repo, &ro));
  CHECK(n == 4);
  ro.rev = NULL;
  ro.as_of_us = 2500000;
  CHECK_OK(gitmem_memory_get(&m, repo, "task-1", &ro));
  CHECK_STR(gitmem_memory_content(m), "Book a table for Friday at 8pm.");
  gitmem_memory_free(m);
  m = NULL;
  ro.as_of_us = 1999999;
  CHECK_ERR(gitmem_memory_get(&m, repo, "note-1", &ro), GITMEM_ENOTFOUND, "note-1");
  ro.as_of_us = 0;
  CHECK_ERR(gitmem_memory_count(&n, repo, &ro), GITMEM_ENOTFOUND, "no commit");
  ro.as_of_us = GITMEM_AS_OF_NONE;
  ro.rev = c2;
  CHECK_OK(gitmem_memory_count(&n, repo, &ro));
  CHECK(n == 5);
  ro.rev = NULL;

  /* Sessions, oldest first. */
  CHECK_OK(gitmem_session_list(&list, repo, "s2", NULL));
  CHECK(gitmem_list_remaining(list) == 3); /* pref-drink, note-1 and the updated task-1 */
  CHECK(drain_list(list) == 3);
  gitmem_list_free(list);
  ro.rev = c1;
  CHECK_OK(gitmem_session_list(&list, repo, "s2", &ro));
  CHECK(gitmem_list_remaining(list) == 0);
  gitmem_list_free(list);
  CHECK_OK(gitmem_session_list(&list, repo, "s1", &ro));
  CHECK(gitmem_list_remaining(list) == 4);
  CHECK_OK(gitmem_list_next(&m, list));
  CHECK_STR(gitmem_memory_id(m), "pref-food"); /* timestamp 1000, the oldest */
  gitmem_memory_free(m);
  gitmem_list_free(list);
  list = NULL;
  ro.rev = NULL;
  take_state(&before, repo);
  CHECK_ERR(gitmem_session_list(&list, repo, "", NULL), GITMEM_EINVALID, "session_id");
  CHECK_ERR(gitmem_session_list(&list, repo, NULL, NULL), GITMEM_EINVALID, "session_id");
  CHECK_ERR(gitmem_session_list(NULL, repo, "s1", NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_session_list(&list, NULL, "s1", NULL), GITMEM_EINVALID, "repo");
  ro.version = 3;
  CHECK_ERR(gitmem_session_list(&list, repo, "s1", &ro), GITMEM_EINVALID, "read_options.version");
  UNCHANGED(repo, &before);
  CHECK(list == NULL);
}

static void test_log_history(gitmem_repo* repo, const char* c1, const char* c2, const char* c3) {
  gitmem_log* log = NULL;
  gitmem_commit* c = NULL;
  gitmem_log_options lo = GITMEM_LOG_OPTIONS_INIT;
  gitmem_history* h = NULL;
  gitmem_history_entry* e = NULL;
  size_t n = 0;

  CHECK_OK(gitmem_log_new(&log, repo, NULL));
  CHECK_OK(gitmem_log_next(&c, log));
  CHECK_STR(gitmem_commit_id(c), c3);
  CHECK(gitmem_commit_generation(c) == 3);
  CHECK(gitmem_commit_parent_count(c) == 1);
  CHECK_STR(gitmem_commit_parent(c, 0), c2);
  gitmem_commit_free(c);
  CHECK_OK(gitmem_log_next(&c, log));
  CHECK_STR(gitmem_commit_id(c), c2);
  CHECK(gitmem_commit_added(c) == 2 && gitmem_commit_modified(c) == 1 && gitmem_commit_removed(c) == 1);
  gitmem_commit_free(c);
  CHECK_OK(gitmem_log_next(&c, log));
  CHECK_STR(gitmem_commit_id(c), c1);
  gitmem_commit_free(c);
  CHECK(gitmem_log_next(&c, log) == GITMEM_ITEROVER);
  CHECK(c == NULL);
  gitmem_log_free(log);

  /* Paged, and the whole DAG. */
  lo.offset = 1;
  lo.limit = 1;
  lo.first_parent = 0;
  CHECK_OK(gitmem_log_new(&log, repo, &lo));
  CHECK_OK(gitmem_log_next(&c, log));
  CHECK_STR(gitmem_commit_id(c), c2);
  gitmem_commit_free(c);
  CHECK(gitmem_log_next(&c, log) == GITMEM_ITEROVER);
  gitmem_log_free(log);
  lo.offset = 0;
  lo.limit = UINT64_MAX;
  lo.first_parent = 1;
  lo.rev = c2;
  CHECK_OK(gitmem_log_new(&log, repo, &lo));
  while (gitmem_log_next(&c, log) == GITMEM_OK) {
    ++n;
    gitmem_commit_free(c);
  }
  CHECK(n == 2);
  gitmem_log_free(log);
  log = NULL;
  lo.rev = "nope";
  CHECK_ERR(gitmem_log_new(&log, repo, &lo), GITMEM_ENOTFOUND, "nope");
  lo.rev = NULL;
  lo.version = 0;
  CHECK_ERR(gitmem_log_new(&log, repo, &lo), GITMEM_EINVALID, "log_options.version");
  CHECK_ERR(gitmem_log_new(NULL, repo, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_log_new(&log, NULL, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_log_next(NULL, log), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_log_next(&c, NULL), GITMEM_EINVALID, "log");
  CHECK(log == NULL);

  /* History of one memory: added in c1, changed in c2. And of one deleted in c2. */
  CHECK_OK(gitmem_history_new(&h, repo, "task-1", NULL));
  CHECK_OK(gitmem_history_next(&e, h));
  CHECK_STR(gitmem_commit_id(gitmem_history_entry_commit(e)), c2);
  CHECK_STR(gitmem_memory_content(gitmem_history_entry_memory(e)), "Book a table for Friday at 8pm.");
  gitmem_history_entry_free(e);
  CHECK_OK(gitmem_history_next(&e, h));
  CHECK_STR(gitmem_commit_id(gitmem_history_entry_commit(e)), c1);
  CHECK_STR(gitmem_memory_content(gitmem_history_entry_memory(e)), "Book a table for Friday.");
  gitmem_history_entry_free(e);
  CHECK(gitmem_history_next(&e, h) == GITMEM_ITEROVER);
  gitmem_history_free(h);
  CHECK_OK(gitmem_history_new(&h, repo, "task-3", "main"));
  CHECK_OK(gitmem_history_next(&e, h));
  CHECK(gitmem_history_entry_memory(e) == NULL); /* the deletion */
  CHECK_STR(gitmem_commit_id(gitmem_history_entry_commit(e)), c2);
  gitmem_history_entry_free(e);
  gitmem_history_free(h);
  h = NULL;
  CHECK(gitmem_history_entry_commit(NULL) == NULL && gitmem_history_entry_memory(NULL) == NULL);
  CHECK_ERR(gitmem_history_new(&h, repo, "task-1", "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_history_new(&h, repo, NULL, NULL), GITMEM_EINVALID, "id");
  CHECK_ERR(gitmem_history_new(&h, repo, "", NULL), GITMEM_EINVALID, "id");
  CHECK_ERR(gitmem_history_new(NULL, repo, "x", NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_history_new(&h, NULL, "x", NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_history_next(NULL, h), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_history_next(&e, NULL), GITMEM_EINVALID, "history");
  CHECK(h == NULL);
}

static void test_branches(gitmem_repo* repo, const char* c1, const char* c3) {
  gitmem_branch_iter* bi = NULL;
  gitmem_branch* b = NULL;
  gitmem_diff* diff = NULL;
  gitmem_diff_entry* e = NULL;
  gitmem_read_options from = GITMEM_READ_OPTIONS_INIT, to = GITMEM_READ_OPTIONS_INIT;
  char* current = NULL;
  char head[GITMEM_OID_HEXSIZE + 1];
  char buf[256];
  state before;
  int saw_added = 0, saw_modified = 0, saw_removed = 0;

  /* Bad inputs. */
  take_state(&before, repo);
  CHECK_ERR(gitmem_branch_create(repo, "bad name", NULL), GITMEM_EINVALID, "branch name");
  CHECK_ERR(gitmem_branch_create(repo, "main", NULL), GITMEM_EEXISTS, "main");
  CHECK_ERR(gitmem_branch_create(repo, "x", "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_create(repo, NULL, NULL), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_branch_create(NULL, "x", NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_branch_checkout(repo, "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_checkout(repo, NULL), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_branch_checkout(repo, "HEAD"), GITMEM_EINVALID, "branch name");
  CHECK_ERR(gitmem_branch_delete(repo, "main"), GITMEM_EINVALID, "checked out");
  CHECK_ERR(gitmem_branch_delete(repo, "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_delete(repo, NULL), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_branch_rename(repo, "nope", "other"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_rename(repo, "main", "bad~name"), GITMEM_EINVALID, "branch name");
  CHECK_ERR(gitmem_branch_rename(repo, NULL, "x"), GITMEM_EINVALID, "from");
  CHECK_ERR(gitmem_branch_rename(repo, "main", NULL), GITMEM_EINVALID, "to");
  CHECK_ERR(gitmem_branch_reset(repo, NULL, "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_reset(repo, "nope", "HEAD"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_branch_reset(repo, NULL, NULL), GITMEM_EINVALID, "rev");
  CHECK_ERR(gitmem_branch_current(NULL, repo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_branch_current(&current, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_branch_iter_new(NULL, repo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_branch_iter_new(&bi, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_branch_iter_next(NULL, bi), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_branch_iter_next(&b, NULL), GITMEM_EINVALID, "iter");
  UNCHANGED(repo, &before);

  /* The agent tries an idea on `experiment`. */
  CHECK_OK(gitmem_branch_create(repo, "experiment", NULL));
  CHECK_OK(gitmem_branch_create(repo, "old", c1));
  CHECK_OK(gitmem_branch_checkout(repo, "experiment"));
  CHECK_OK(gitmem_branch_current(&current, repo));
  CHECK_STR(current, "experiment");
  gitmem_string_free(current);
  current = NULL;
  {
    gitmem_patch* patch = NULL;
    CHECK_OK(gitmem_patch_new(&patch));
    CHECK_OK(gitmem_patch_set_content(patch, "The user likes jasmine tea."));
    CHECK_OK(gitmem_memory_update(repo, "pref-drink", patch, NULL));
    gitmem_patch_free(patch);
  }
  CHECK_OK(gitmem_memory_delete(repo, "note-1", NULL));
  put(repo, "idea-1", "Suggest a tea house for the birthday.", "s3");
  commit_at(repo, "experiment: tea ideas", 4000000, NULL);
  CHECK_STR(content_of(repo, "pref-drink", buf, sizeof buf), "The user likes jasmine tea.");

  /* Diff main -> experiment. */
  from.rev = "main";
  to.rev = "experiment";
  CHECK_OK(gitmem_diff_new(&diff, repo, &from, &to));
  CHECK(gitmem_diff_count(diff) == 3);
  CHECK(gitmem_diff_added(diff) == 1 && gitmem_diff_modified(diff) == 1 && gitmem_diff_removed(diff) == 1);
  while (gitmem_diff_next(&e, diff) == GITMEM_OK) {
    const char* id = gitmem_diff_entry_id(e);
    switch (gitmem_diff_entry_kind(e)) {
      case GITMEM_DIFF_ADDED:
        saw_added = strcmp(id, "idea-1") == 0 && gitmem_diff_entry_old_memory(e) == NULL &&
                    gitmem_diff_entry_new_memory(e) != NULL;
        break;
      case GITMEM_DIFF_MODIFIED:
        saw_modified =
            strcmp(id, "pref-drink") == 0 &&
            strcmp(gitmem_memory_content(gitmem_diff_entry_old_memory(e)), "The user likes green tea.") == 0 &&
            strcmp(gitmem_memory_content(gitmem_diff_entry_new_memory(e)), "The user likes jasmine tea.") == 0;
        break;
      case GITMEM_DIFF_REMOVED:
        saw_removed = strcmp(id, "note-1") == 0 && gitmem_diff_entry_new_memory(e) == NULL &&
                      gitmem_diff_entry_old_memory(e) != NULL;
        break;
    }
    gitmem_diff_entry_free(e);
  }
  CHECK(saw_added && saw_modified && saw_removed);
  CHECK(gitmem_diff_next(&e, diff) == GITMEM_ITEROVER);
  gitmem_diff_free(diff);
  diff = NULL;
  /* NULL sides = HEAD's working state: no difference with itself. */
  CHECK_OK(gitmem_diff_new(&diff, repo, NULL, NULL));
  CHECK(gitmem_diff_count(diff) == 0);
  gitmem_diff_free(diff);
  diff = NULL;
  /* Diff against a point in time. */
  from.rev = "main";
  from.as_of_us = 1500000;
  to.rev = "main";
  CHECK_OK(gitmem_diff_new(&diff, repo, &from, &to));
  CHECK(gitmem_diff_added(diff) == 2 && gitmem_diff_modified(diff) == 1 && gitmem_diff_removed(diff) == 1);
  gitmem_diff_free(diff);
  diff = NULL;
  from.as_of_us = GITMEM_AS_OF_NONE;
  from.rev = "nope";
  CHECK_ERR(gitmem_diff_new(&diff, repo, &from, &to), GITMEM_ENOTFOUND, "nope");
  from.rev = "main";
  to.version = 0;
  CHECK_ERR(gitmem_diff_new(&diff, repo, &from, &to), GITMEM_EINVALID, "to.version");
  to.version = GITMEM_READ_OPTIONS_VERSION;
  CHECK_ERR(gitmem_diff_new(NULL, repo, &from, &to), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_diff_new(&diff, NULL, &from, &to), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_diff_next(NULL, diff), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_diff_next(&e, NULL), GITMEM_EINVALID, "diff");
  CHECK(diff == NULL);
  CHECK(gitmem_diff_entry_id(NULL) == NULL && gitmem_diff_entry_old_memory(NULL) == NULL);

  /* Main is untouched. */
  {
    gitmem_read_options at_main = GITMEM_READ_OPTIONS_INIT;
    gitmem_memory* m = NULL;
    at_main.rev = "main";
    CHECK_OK(gitmem_memory_get(&m, repo, "pref-drink", &at_main));
    CHECK_STR(gitmem_memory_content(m), "The user likes green tea.");
    gitmem_memory_free(m);
  }

  /* Listing, with staged counts. */
  put(repo, "idea-2", "staged only", NULL);
  CHECK_OK(gitmem_branch_iter_new(&bi, repo));
  {
    const char* expected[] = {"experiment", "main", "old"};
    size_t i = 0;
    while (gitmem_branch_iter_next(&b, bi) == GITMEM_OK) {
      if (i < 3) CHECK_STR(gitmem_branch_name(b), expected[i]);
      CHECK(gitmem_branch_is_current(b) == (i == 0));
      CHECK(gitmem_branch_staged(b) == (i == 0 ? 1u : 0u));
      if (i == 1) CHECK_STR(gitmem_branch_head(b), c3);
      if (i == 2) CHECK_STR(gitmem_branch_head(b), c1);
      gitmem_branch_free(b);
      ++i;
    }
    CHECK(i == 3);
  }
  CHECK(gitmem_branch_iter_next(&b, bi) == GITMEM_ITEROVER);
  gitmem_branch_iter_free(bi);
  CHECK_ERR(gitmem_staged_discard(repo, "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_staged_discard(NULL, NULL), GITMEM_EINVALID, "repo");
  CHECK_OK(gitmem_staged_discard(repo, NULL));
  CHECK_ERR(gitmem_memory_get(NULL, repo, "idea-2", NULL), GITMEM_EINVALID, "out");
  CHECK_STR(content_of(repo, "idea-2", buf, sizeof buf), "");

  /* Rename, reset, delete. */
  CHECK_OK(gitmem_branch_rename(repo, "experiment", "tea"));
  CHECK_OK(gitmem_branch_current(&current, repo));
  CHECK_STR(current, "tea");
  gitmem_string_free(current);
  CHECK_OK(gitmem_branch_reset(repo, "tea", "tea~1"));
  CHECK_OK(gitmem_repo_resolve(head, repo, "tea"));
  CHECK_STR(head, c3);
  CHECK_OK(gitmem_branch_reset(repo, NULL, c1));
  CHECK_OK(gitmem_repo_resolve(head, repo, "HEAD"));
  CHECK_STR(head, c1);
  CHECK_OK(gitmem_branch_checkout(repo, "main"));
  CHECK_OK(gitmem_branch_delete(repo, "tea"));
  CHECK_OK(gitmem_branch_delete(repo, "old"));
  CHECK_ERR(gitmem_repo_resolve(head, repo, "tea"), GITMEM_ENOTFOUND, "tea");
  CHECK(gitmem_branch_name(NULL) == NULL && gitmem_branch_head(NULL) == NULL);
}

static void test_tags(gitmem_repo* repo, const char* c1, const char* c3) {
  gitmem_tag_iter* ti = NULL;
  gitmem_tag* t = NULL;
  state before;
  char head[GITMEM_OID_HEXSIZE + 1];
  size_t n = 0;

  CHECK_OK(gitmem_tag_create(repo, "v1", c1));
  CHECK_OK(gitmem_tag_create(repo, "v2", NULL));
  take_state(&before, repo);
  CHECK_ERR(gitmem_tag_create(repo, "v1", NULL), GITMEM_EEXISTS, "v1");
  CHECK_ERR(gitmem_tag_create(repo, "bad:tag", NULL), GITMEM_EINVALID, "tag name");
  CHECK_ERR(gitmem_tag_create(repo, "v3", "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_tag_create(repo, NULL, NULL), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_tag_create(NULL, "v3", NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_tag_delete(repo, "v9"), GITMEM_ENOTFOUND, "v9");
  CHECK_ERR(gitmem_tag_delete(repo, NULL), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_tag_iter_new(NULL, repo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_tag_iter_new(&ti, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_tag_iter_next(NULL, ti), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_tag_iter_next(&t, NULL), GITMEM_EINVALID, "iter");
  UNCHANGED(repo, &before);

  CHECK_OK(gitmem_repo_resolve(head, repo, "v1"));
  CHECK_STR(head, c1);
  CHECK_OK(gitmem_tag_iter_new(&ti, repo));
  while (gitmem_tag_iter_next(&t, ti) == GITMEM_OK) {
    CHECK_STR(gitmem_tag_name(t), n == 0 ? "v1" : "v2");
    CHECK_STR(gitmem_tag_target(t), n == 0 ? c1 : c3);
    gitmem_tag_free(t);
    ++n;
  }
  CHECK(n == 2);
  gitmem_tag_iter_free(ti);
  CHECK_OK(gitmem_tag_delete(repo, "v2"));
  CHECK_ERR(gitmem_tag_delete(repo, "v2"), GITMEM_ENOTFOUND, "v2");
  CHECK(gitmem_tag_name(NULL) == NULL && gitmem_tag_target(NULL) == NULL);
}

static void test_fsck(gitmem_repo* repo) {
  gitmem_fsck* report = NULL;
  CHECK_OK(gitmem_fsck_run(&report, repo));
  CHECK(gitmem_fsck_ok(report) == 1);
  CHECK(gitmem_fsck_problem_count(report) == 0);
  CHECK(gitmem_fsck_problem(report, 0) == NULL);
  CHECK(gitmem_fsck_commits(report) >= 3);
  CHECK(gitmem_fsck_trees(report) >= 1);
  CHECK(gitmem_fsck_blobs(report) >= 5);
  CHECK(gitmem_fsck_objects_checked(report) >=
        gitmem_fsck_commits(report) + gitmem_fsck_trees(report) + gitmem_fsck_blobs(report));
  gitmem_fsck_free(report);
  report = NULL;
  CHECK_ERR(gitmem_fsck_run(NULL, repo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_fsck_run(&report, NULL), GITMEM_EINVALID, "repo");
  CHECK(gitmem_fsck_ok(NULL) == 0);
}

/* Iterators keep their repository alive: free the repository first, then use them. */
static void test_free_order(const char* store) {
  gitmem_repo* repo = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_list* list = NULL;
  gitmem_log* log = NULL;
  gitmem_memory* m = NULL;
  gitmem_commit* c = NULL;
  opts.name = "agents/notes";
  CHECK_OK(gitmem_repo_open(&repo, store, &opts));
  CHECK_OK(gitmem_list_new(&list, repo, NULL));
  CHECK_OK(gitmem_log_new(&log, repo, NULL));
  CHECK_OK(gitmem_memory_get(&m, repo, "pref-food", NULL));
  gitmem_repo_free(repo);
  CHECK(drain_list(list) == 5);
  CHECK_OK(gitmem_log_next(&c, log));
  CHECK(strlen(gitmem_commit_id(c)) == GITMEM_OID_HEXSIZE);
  gitmem_commit_free(c);
  gitmem_log_free(log);
  CHECK_STR(gitmem_memory_id(m), "pref-food");
  gitmem_memory_free(m);
  gitmem_list_free(list);
}

/* auto_commit: every write is a commit. Read-only: every write is EPERM. */
static void test_modes(const char* store) {
  gitmem_repo* repo = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_commit* c = NULL;
  gitmem_memory* m = NULL;
  gitmem_patch* patch = NULL;
  state before;
  char head[GITMEM_OID_HEXSIZE + 1];
  opts.name = "agents/auto";
  opts.auto_commit = 1;
  opts.sync = 1;
  opts.max_metadata_bytes = 64;
  opts.node_cache_bytes = 1 << 20;
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  put(repo, "a", "auto-committed", NULL);
  CHECK_OK(gitmem_commit_show(&c, repo, "HEAD"));
  CHECK_STR(gitmem_commit_message(c), "put a");
  CHECK_STR(gitmem_commit_author(c), "gitmem");
  gitmem_commit_free(c);
  m = make_memory("b", "big metadata", NULL);
  CHECK_OK(
      gitmem_memory_set_metadata(m, "{\"k\":\"0123456789012345678901234567890123456789012345678901234567890123\"}"));
  CHECK_ERR(gitmem_memory_put(NULL, repo, m, NULL), GITMEM_EINVALID, "metadata");
  gitmem_memory_free(m);
  gitmem_repo_free(repo);
  repo = NULL;

  opts.auto_commit = 0;
  opts.read_only = 1;
  CHECK_OK(gitmem_repo_open(&repo, store, &opts));
  /* (Counting needs a RocksDB snapshot, which a read-only store does not support yet:
   * the fingerprint of this repository is taken by a read-write handle below.) */
  CHECK_OK(gitmem_repo_resolve(head, repo, "HEAD"));
  m = make_memory("c", "never written", NULL);
  CHECK_ERR(gitmem_memory_put(NULL, repo, m, NULL), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_memory_put_many(NULL, repo, (const gitmem_memory* const*)&m, 1, NULL), GITMEM_EPERM, "read-only");
  gitmem_memory_free(m);
  CHECK_OK(gitmem_patch_new(&patch));
  CHECK_ERR(gitmem_memory_update(repo, "a", patch, NULL), GITMEM_EPERM, "read-only");
  gitmem_patch_free(patch);
  CHECK_ERR(gitmem_memory_delete(repo, "a", NULL), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_commit_create(NULL, repo, NULL), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_branch_create(repo, "x", NULL), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_branch_checkout(repo, "main"), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_tag_create(repo, "t", NULL), GITMEM_EPERM, "read-only");
  CHECK_ERR(gitmem_staged_discard(repo, NULL), GITMEM_EPERM, "read-only");
  gitmem_repo_free(repo);
  repo = NULL;
  opts.read_only = 0;
  CHECK_OK(gitmem_repo_open(&repo, store, &opts));
  take_state(&before, repo);
  CHECK_STR(before.head, head);
  CHECK(before.count == 1 && before.staged == 0 && before.branches == 1 && before.tags == 0);
  CHECK_STR(before.current, "main");
  gitmem_repo_free(repo);
}

/* ---- search ----------------------------------------------------------------------------- */

/* A toy embedder for dimension 4: one axis per keyword, plus a constant. */
static int toy_embed(const char* const* texts, size_t n, float* out, void* payload) {
  size_t i;
  int* calls = (int*)payload;
  ++*calls;
  for (i = 0; i < n; ++i) {
    float* v = out + i * 4;
    v[0] = strstr(texts[i], "tea") ? 1.0f : 0.0f;
    v[1] = strstr(texts[i], "dog") ? 1.0f : 0.0f;
    v[2] = strstr(texts[i], "code") ? 1.0f : 0.0f;
    v[3] = 0.1f;
  }
  return 0;
}

static int failing_embed(const char* const* texts, size_t n, float* out, void* payload) {
  (void)texts;
  (void)n;
  (void)out;
  (void)payload;
  return 7;
}

/* Runs a search and copies the ids of the hits (at most 8) into ids; returns the count. */
static size_t search_ids(gitmem_repo* repo, const gitmem_search_options* so, char ids[8][32]) {
  gitmem_search_iter* it = NULL;
  gitmem_search_hit* hit = NULL;
  size_t n = 0;
  if (gitmem_search(&it, repo, so) != GITMEM_OK) {
    fprintf(stderr, "search failed: %s\n", gitmem_error_last());
    ++failures;
    return 0;
  }
  while (gitmem_search_iter_next(&hit, it) == GITMEM_OK) {
    if (n < 8) {
      strncpy(ids[n], gitmem_search_hit_id(hit), 31);
      ids[n][31] = '\0';
    }
    ++n;
    gitmem_search_hit_free(hit);
  }
  gitmem_search_iter_free(it);
  return n;
}

static void test_search(const char* store) {
  gitmem_repo* repo = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_embedder emb;
  gitmem_search_options so = GITMEM_SEARCH_OPTIONS_INIT;
  gitmem_search_iter* it = NULL;
  gitmem_search_hit* hit = NULL;
  gitmem_memory* m = NULL;
  char ids[8][32];
  char c1[GITMEM_OID_HEXSIZE + 1];
  int calls = 0;
  size_t len = 0;
  state before;
  const float qv[4] = {0.0f, 1.0f, 0.0f, 0.0f};
  const float bad_nan[4] = {NAN, 0.0f, 0.0f, 0.0f};
  const float zeros[4] = {0.0f, 0.0f, 0.0f, 0.0f};
  const float mine[4] = {0.0f, 0.0f, 1.0f, 0.0f};
  const char* tags[2] = {"pets", "home"};
  const char* meta_keys[1] = {"project"};
  const char* meta_values[1] = {"\"apollo\""};
  gitmem_memory_type episodic = GITMEM_MEMORY_EPISODIC;
  gitmem_scope private_scope = GITMEM_SCOPE_PRIVATE;
  gitmem_index_info index = GITMEM_INDEX_INFO_INIT;
  gitmem_index_info bad_index = GITMEM_INDEX_INFO_INIT;
  gitmem_read_options at = GITMEM_READ_OPTIONS_INIT;

  /* options init */
  CHECK_OK(gitmem_search_options_init(&so, GITMEM_SEARCH_OPTIONS_VERSION));
  CHECK(so.k == 10 && so.mode == GITMEM_SEARCH_HYBRID && so.include_memories == 1 && so.min_importance < 0);
  CHECK_ERR(gitmem_search_options_init(&so, 99), GITMEM_EINVALID, "search_options.version");
  CHECK_ERR(gitmem_search_options_init(NULL, 1), GITMEM_EINVALID, "opts");

  /* a repository with a C embedder */
  emb.id = "test/toy-v1";
  emb.dimension = 4;
  emb.embed = toy_embed;
  emb.payload = &calls;
  opts.name = "agents/search";
  opts.embedder = &emb;
  emb.id = "";
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "embedder.id");
  emb.id = "test/toy-v1";
  emb.dimension = 0;
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "embedder.dimension");
  emb.dimension = 4;
  emb.embed = NULL;
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "embedder.embed");
  emb.embed = toy_embed;
  opts.embedding_dimension = 8;
  CHECK_ERR(gitmem_repo_init(&repo, store, &opts), GITMEM_EINVALID, "embedding_dimension");
  opts.embedding_dimension = 0;
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  if (repo == NULL) return;

  m = make_memory("tea", "green tea every morning", "s1");
  CHECK_OK(gitmem_memory_set_tags(m, tags + 1, 1));
  CHECK_OK(gitmem_memory_set_metadata(m, "{\"project\":\"apollo\"}"));
  CHECK_OK(gitmem_memory_put(NULL, repo, m, NULL));
  gitmem_memory_free(m);
  m = make_memory("dog", "the dog sleeps on the sofa", "s2");
  CHECK_OK(gitmem_memory_set_tags(m, tags, 2));
  CHECK_OK(gitmem_memory_set_type(m, GITMEM_MEMORY_EPISODIC));
  CHECK_OK(gitmem_memory_set_importance(m, 0.9f));
  CHECK_OK(gitmem_memory_put(NULL, repo, m, NULL));
  gitmem_memory_free(m);
  /* a caller's vector instead of the embedder */
  m = make_memory("mine", "a private note", "s1");
  CHECK_OK(gitmem_memory_set_scope(m, GITMEM_SCOPE_PRIVATE));
  CHECK_OK(gitmem_memory_set_embedding(m, mine, 4));
  CHECK(gitmem_memory_embedding(m, &len) != NULL && len == 4);
  CHECK_ERR(gitmem_memory_set_embedding(m, NULL, 4), GITMEM_EINVALID, "embedding");
  CHECK_ERR(gitmem_memory_set_embedding(NULL, mine, 4), GITMEM_EINVALID, "memory");
  CHECK_OK(gitmem_memory_put(NULL, repo, m, NULL));
  gitmem_memory_free(m);
  commit_at(repo, "three memories", 0, c1);

  /* bad vectors on write change nothing */
  take_state(&before, repo);
  m = make_memory("bad", "bad vector", NULL);
  CHECK_OK(gitmem_memory_set_embedding(m, mine, 3));
  CHECK_ERR(gitmem_memory_put(NULL, repo, m, NULL), GITMEM_EINVALID, "4");
  CHECK_OK(gitmem_memory_set_embedding(m, bad_nan, 4));
  CHECK_ERR(gitmem_memory_put(NULL, repo, m, NULL), GITMEM_EINVALID, "embedding");
  CHECK_OK(gitmem_memory_set_embedding(m, NULL, 0));
  CHECK(gitmem_memory_embedding(m, &len) == NULL && len == 0);
  gitmem_memory_free(m);
  UNCHANGED(repo, &before);

  /* vector search with a query vector */
  so.mode = GITMEM_SEARCH_VECTOR;
  so.query_vector = qv;
  so.query_vector_len = 4;
  so.k = 3;
  CHECK(search_ids(repo, &so, ids) == 3);
  CHECK_STR(ids[0], "dog");
  /* the embedder embeds the query text */
  so.query_vector = NULL;
  so.query_vector_len = 0;
  so.query = "code";
  CHECK(search_ids(repo, &so, ids) == 3);
  CHECK_STR(ids[0], "mine");
  CHECK(calls > 0);
  /* keyword and hybrid, with hit details */
  so.mode = GITMEM_SEARCH_KEYWORD;
  so.query = "sofa";
  CHECK_OK(gitmem_search(&it, repo, &so));
  CHECK(gitmem_search_iter_remaining(it) == 1);
  CHECK_OK(gitmem_search_iter_next(&hit, it));
  CHECK_STR(gitmem_search_hit_id(hit), "dog");
  CHECK(gitmem_search_hit_score(hit) > 0.0);
  CHECK_STR(gitmem_memory_content(gitmem_search_hit_memory(hit)), "the dog sleeps on the sofa");
  gitmem_search_hit_free(hit);
  CHECK(gitmem_search_iter_next(&hit, it) == GITMEM_ITEROVER && hit == NULL);
  gitmem_search_iter_free(it);
  so.mode = GITMEM_SEARCH_HYBRID;
  so.query = "green tea";
  so.include_memories = 0;
  CHECK_OK(gitmem_search(&it, repo, &so));
  CHECK_OK(gitmem_search_iter_next(&hit, it));
  CHECK_STR(gitmem_search_hit_id(hit), "tea");
  CHECK(gitmem_search_hit_memory(hit) == NULL);
  gitmem_search_hit_free(hit);
  gitmem_search_iter_free(it);
  so.include_memories = 1;
  /* filters */
  so.mode = GITMEM_SEARCH_VECTOR;
  so.query = "tea dog code";
  so.tags_any = tags;
  so.tags_any_count = 1;
  CHECK(search_ids(repo, &so, ids) == 1);
  CHECK_STR(ids[0], "dog");
  so.tags_any_count = 0;
  so.tags_all = tags;
  so.tags_all_count = 2;
  CHECK(search_ids(repo, &so, ids) == 1);
  so.tags_all_count = 0;
  so.types = &episodic;
  so.type_count = 1;
  CHECK(search_ids(repo, &so, ids) == 1);
  so.type_count = 0;
  so.scopes = &private_scope;
  so.scope_count = 1;
  CHECK(search_ids(repo, &so, ids) == 1);
  CHECK_STR(ids[0], "mine");
  so.scope_count = 0;
  so.session_id = "s1";
  CHECK(search_ids(repo, &so, ids) == 2);
  so.session_id = NULL;
  so.agent_id = "nobody";
  CHECK(search_ids(repo, &so, ids) == 0);
  so.agent_id = NULL;
  so.min_importance = 0.8f;
  CHECK(search_ids(repo, &so, ids) == 1);
  so.min_importance = -1.0f;
  so.metadata_keys = meta_keys;
  so.metadata_values = meta_values;
  so.metadata_count = 1;
  CHECK(search_ids(repo, &so, ids) == 1);
  CHECK_STR(ids[0], "tea");
  so.metadata_count = 0;
  so.until_us = 1;
  CHECK(search_ids(repo, &so, ids) == 0);
  so.until_us = GITMEM_TIME_NONE;
  so.from_us = 1;
  CHECK(search_ids(repo, &so, ids) == 3);
  so.from_us = GITMEM_TIME_NONE;
  /* paging and revisions */
  so.k = 1;
  so.offset = 2;
  CHECK(search_ids(repo, &so, ids) == 1);
  so.offset = 0;
  so.k = 3;
  so.rev = c1;
  CHECK(search_ids(repo, &so, ids) == 3);
  so.rev = NULL;
  CHECK_OK(gitmem_repo_reindex(repo, NULL));
  CHECK(search_ids(repo, &so, ids) == 3);

  /* the index's statistics, after waiting for the background indexer */
  CHECK_OK(gitmem_wait_for_index(repo, NULL, -1));
  CHECK_OK(gitmem_wait_for_index(repo, "main", 60000));
  CHECK_OK(gitmem_index_info_get(&index, repo, NULL));
  CHECK(index.documents == 3 && index.vectors_awaiting_graph == 0 && index.indexing == 0);
  CHECK_STR(index.commit, c1);
  CHECK(strlen(index.tree) == GITMEM_OID_HEXSIZE && strlen(index.source) > 0);
  CHECK(index.vector_segments + index.vector_delta > 0 && index.keyword_segments + index.keyword_delta > 0);
  at.rev = c1;
  CHECK_OK(gitmem_index_info_get(&index, repo, &at));
  CHECK(index.documents == 3);
  CHECK_STR(index.commit, c1);

  /* bad searches */
  take_state(&before, repo);
  so.k = 0;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "k");
  CHECK(it == NULL);
  so.k = 3;
  so.mode = 7;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "mode");
  so.mode = GITMEM_SEARCH_VECTOR;
  so.query_vector = qv;
  so.query_vector_len = 3;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "4");
  so.query_vector = zeros;
  so.query_vector_len = 4;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "zero");
  so.query_vector = bad_nan;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "query");
  so.query_vector = NULL;
  so.query_vector_len = 4;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "query_vector");
  so.query_vector_len = 0;
  so.mode = GITMEM_SEARCH_KEYWORD;
  so.query = NULL;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "query");
  so.query = "tea";
  so.tags_any = NULL;
  so.tags_any_count = 2;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "tags_any");
  so.tags_any_count = 0;
  so.types = NULL;
  so.type_count = 1;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "types");
  so.type_count = 0;
  so.rrf_k = -1;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "rrf_k");
  so.rrf_k = 60;
  so.min_importance = NAN;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "min_importance");
  so.min_importance = -1.0f;
  so.version = 99;
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "search_options.version");
  so.version = GITMEM_SEARCH_OPTIONS_VERSION;
  so.rev = "no-such-branch";
  CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_ENOTFOUND, "no-such-branch");
  so.rev = NULL;
  CHECK_ERR(gitmem_search(&it, repo, NULL), GITMEM_EINVALID, "opts");
  CHECK_ERR(gitmem_search(NULL, repo, &so), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_search(&it, NULL, &so), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_search_iter_next(NULL, it), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_search_iter_next(&hit, NULL), GITMEM_EINVALID, "iter");
  CHECK_ERR(gitmem_repo_reindex(NULL, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_repo_reindex(repo, "no-such-branch"), GITMEM_ENOTFOUND, "no-such-branch");
  CHECK_ERR(gitmem_index_info_get(NULL, repo, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_index_info_get(&bad_index, NULL, NULL), GITMEM_EINVALID, "repo");
  bad_index.version = GITMEM_INDEX_INFO_VERSION + 1;
  CHECK_ERR(gitmem_index_info_get(&bad_index, repo, NULL), GITMEM_EINVALID, "index_info");
  bad_index.version = GITMEM_INDEX_INFO_VERSION;
  at.rev = "no-such-branch";
  CHECK_ERR(gitmem_index_info_get(&bad_index, repo, &at), GITMEM_ENOTFOUND, "no-such-branch");
  at.rev = NULL;
  at.version = 0;
  CHECK_ERR(gitmem_index_info_get(&bad_index, repo, &at), GITMEM_EINVALID, "read_options");
  at.version = GITMEM_READ_OPTIONS_VERSION;
  CHECK(bad_index.documents == 0 && bad_index.commit[0] == '\0' && bad_index.source[0] == '\0');
  CHECK_ERR(gitmem_wait_for_index(NULL, NULL, -1), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_wait_for_index(repo, "no-such-branch", -1), GITMEM_ENOTFOUND, "no-such-branch");
  CHECK_ERR(gitmem_wait_for_index(repo, "bad..name", 0), GITMEM_EINVALID, "branch");
  /* a failed wait leaves no error behind for the next one */
  CHECK_OK(gitmem_wait_for_index(repo, NULL, -1));
  CHECK(gitmem_search_hit_id(NULL) == NULL && gitmem_search_hit_memory(NULL) == NULL);
  CHECK(gitmem_search_iter_remaining(NULL) == 0 && gitmem_search_hit_score(NULL) == 0.0);
  gitmem_search_iter_free(NULL);
  gitmem_search_hit_free(NULL);
  UNCHANGED(repo, &before);

  /* hits outlive the repository handle */
  so.mode = GITMEM_SEARCH_KEYWORD;
  so.query = "sofa";
  CHECK_OK(gitmem_search(&it, repo, &so));
  gitmem_repo_free(repo);
  CHECK_OK(gitmem_search_iter_next(&hit, it));
  CHECK_STR(gitmem_search_hit_id(hit), "dog");
  gitmem_search_hit_free(hit);
  gitmem_search_iter_free(it);

  /* a failing embedder fails the call that needs a vector, naming the embedder */
  emb.embed = failing_embed;
  opts.name = "agents/failing-embedder";
  repo = NULL;
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  if (repo) {
    so.mode = GITMEM_SEARCH_VECTOR;
    so.query = "anything";
    m = make_memory("x", "some text", NULL);
    if (gitmem_memory_put(NULL, repo, m, NULL) == GITMEM_OK) {
      CHECK_ERR(gitmem_search(&it, repo, &so), GITMEM_EINVALID, "embedder");
    } else {
      CHECK(strstr(gitmem_error_last(), "embedder") != NULL);
    }
    gitmem_memory_free(m);
    gitmem_repo_free(repo);
  }
}

/* ---- merge, fork, info -------------------------------------------------------------------- */

static int resolver_calls = 0;

/* Keeps "theirs" with a changed content; deletes when payload is non-NULL. */
static int keep_merged(gitmem_memory** out, const gitmem_conflict* c, void* payload) {
  ++resolver_calls;
  if (payload != NULL) return 0; /* leave *out NULL: delete */
  if (gitmem_memory_dup(out, gitmem_conflict_theirs(c)) != GITMEM_OK) return 1;
  return gitmem_memory_set_content(*out, "resolved by callback");
}

static int abort_merge(gitmem_memory** out, const gitmem_conflict* c, void* payload) {
  (void)out;
  (void)c;
  (void)payload;
  return 42;
}

/* main and feature both change "x" after a common base. */
static gitmem_repo* diverged_repo(const char* store, const char* name) {
  gitmem_repo* repo = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_write_options wo = GITMEM_WRITE_OPTIONS_INIT;
  gitmem_commit_options co = GITMEM_COMMIT_OPTIONS_INIT;
  gitmem_memory* m = NULL;
  opts.name = name;
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  if (repo == NULL) return NULL;
  put(repo, "x", "x base", NULL);
  put(repo, "y", "y base", NULL);
  commit_at(repo, "base", 0, NULL);
  CHECK_OK(gitmem_branch_create(repo, "feature", NULL));
  put(repo, "x", "x on main", NULL);
  commit_at(repo, "main work", 0, NULL);
  wo.branch = "feature";
  m = make_memory("x", "x on feature", NULL);
  CHECK_OK(gitmem_memory_set_importance(m, 0.9f));
  CHECK_OK(gitmem_memory_put(NULL, repo, m, &wo));
  gitmem_memory_free(m);
  m = make_memory("f", "only feature", NULL);
  CHECK_OK(gitmem_memory_put(NULL, repo, m, &wo));
  gitmem_memory_free(m);
  co.branch = "feature";
  co.message = "feature work";
  CHECK_OK(gitmem_commit_create(NULL, repo, &co));
  return repo;
}

static void test_merge(const char* store) {
  gitmem_repo* repo = diverged_repo(store, "agents/merge");
  gitmem_repo* fork = NULL;
  gitmem_merge_options mo = GITMEM_MERGE_OPTIONS_INIT;
  gitmem_merge_result* r = NULL;
  gitmem_conflict_iter* ci = NULL;
  gitmem_conflict* c = NULL;
  gitmem_strlist* bases = NULL;
  gitmem_commit* commit = NULL;
  gitmem_repo_info* info = NULL;
  state before;
  char buf[64], base[GITMEM_OID_HEXSIZE + 1], head[GITMEM_OID_HEXSIZE + 1], pick[GITMEM_OID_HEXSIZE + 1];
  if (repo == NULL) return;

  CHECK_OK(gitmem_merge_options_init(&mo, GITMEM_MERGE_OPTIONS_VERSION));
  CHECK(mo.strategy == GITMEM_MERGE_FAIL && mo.resolver == NULL);
  CHECK_ERR(gitmem_merge_options_init(&mo, 0), GITMEM_EINVALID, "merge_options.version");

  /* merge bases */
  CHECK_OK(gitmem_merge_bases(&bases, repo, "main", "feature"));
  CHECK(gitmem_strlist_count(bases) == 1);
  CHECK_OK(gitmem_repo_resolve(base, repo, "main~1"));
  CHECK_STR(gitmem_strlist_get(bases, 0), base);
  gitmem_strlist_free(bases);
  CHECK_ERR(gitmem_merge_bases(&bases, repo, "main", "nope"), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_merge_bases(&bases, repo, NULL, "main"), GITMEM_EINVALID, "a");

  /* FAIL: ECONFLICT, the conflicts, nothing changed */
  take_state(&before, repo);
  CHECK_ERR(gitmem_merge(&r, repo, "feature", NULL), GITMEM_ECONFLICT, "conflict");
  CHECK(r != NULL);
  CHECK(gitmem_merge_result_conflict_count(r) == 1);
  CHECK_STR(gitmem_merge_result_commit(r), "0000000000000000000000000000000000000000000000000000000000000000");
  CHECK(gitmem_merge_result_fast_forward(r) == 0 && gitmem_merge_result_up_to_date(r) == 0);
  CHECK_OK(gitmem_conflict_iter_new(&ci, r));
  gitmem_merge_result_free(r);
  r = NULL;
  CHECK_OK(gitmem_conflict_iter_next(&c, ci));
  CHECK_STR(gitmem_conflict_id(c), "x");
  CHECK(gitmem_conflict_get_kind(c) == GITMEM_CONFLICT_BOTH_MODIFIED);
  CHECK_STR(gitmem_memory_content(gitmem_conflict_base(c)), "x base");
  CHECK_STR(gitmem_memory_content(gitmem_conflict_ours(c)), "x on main");
  CHECK_STR(gitmem_memory_content(gitmem_conflict_theirs(c)), "x on feature");
  CHECK(gitmem_conflict_resolution(c) == NULL);
  CHECK(gitmem_conflict_base_ambiguous(c) == 0);
  gitmem_conflict_free(c);
  CHECK(gitmem_conflict_iter_next(&c, ci) == GITMEM_ITEROVER);
  gitmem_conflict_iter_free(ci);
  UNCHANGED(repo, &before);

  /* bad inputs change nothing */
  mo.strategy = 9;
  CHECK_ERR(gitmem_merge(&r, repo, "feature", &mo), GITMEM_EINVALID, "strategy");
  CHECK(r == NULL);
  mo.strategy = GITMEM_MERGE_CALLBACK;
  CHECK_ERR(gitmem_merge(&r, repo, "feature", &mo), GITMEM_EINVALID, "resolver");
  mo.strategy = GITMEM_MERGE_OURS;
  mo.resolver = keep_merged;
  CHECK_ERR(gitmem_merge(&r, repo, "feature", &mo), GITMEM_EINVALID, "strategy");
  mo.resolver = NULL;
  mo.version = 0;
  CHECK_ERR(gitmem_merge(&r, repo, "feature", &mo), GITMEM_EINVALID, "merge_options.version");
  mo.version = GITMEM_MERGE_OPTIONS_VERSION;
  CHECK_ERR(gitmem_merge(&r, repo, "no-such", &mo), GITMEM_ENOTFOUND, "no-such");
  CHECK_ERR(gitmem_merge(&r, repo, "", &mo), GITMEM_EINVALID, "source");
  CHECK_ERR(gitmem_merge(&r, repo, NULL, &mo), GITMEM_EINVALID, "source");
  CHECK_ERR(gitmem_merge(NULL, repo, "feature", &mo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_merge(&r, NULL, "feature", &mo), GITMEM_EINVALID, "repo");
  mo.strategy = GITMEM_MERGE_CALLBACK;
  mo.resolver = abort_merge;
  CHECK_ERR(gitmem_merge(&r, repo, "feature", &mo), GITMEM_EINVALID, "resolver");
  CHECK(r == NULL);
  UNCHANGED(repo, &before);

  /* a resolver callback */
  mo.resolver = keep_merged;
  mo.message = "merge feature";
  mo.author = "merger";
  CHECK_OK(gitmem_merge(&r, repo, "feature", &mo));
  CHECK(resolver_calls == 1);
  CHECK(gitmem_merge_result_conflict_count(r) == 1);
  CHECK(gitmem_merge_result_changes_applied(r) >= 2);
  CHECK_OK(gitmem_commit_show(&commit, repo, gitmem_merge_result_commit(r)));
  CHECK(gitmem_commit_parent_count(commit) == 2);
  CHECK_STR(gitmem_commit_message(commit), "merge feature");
  CHECK_STR(gitmem_commit_author(commit), "merger");
  gitmem_commit_free(commit);
  CHECK_OK(gitmem_conflict_iter_new(&ci, r));
  CHECK_OK(gitmem_conflict_iter_next(&c, ci));
  CHECK_STR(gitmem_memory_content(gitmem_conflict_resolution(c)), "resolved by callback");
  gitmem_conflict_free(c);
  gitmem_conflict_iter_free(ci);
  gitmem_merge_result_free(r);
  r = NULL;
  CHECK_STR(content_of(repo, "x", buf, sizeof buf), "resolved by callback");
  CHECK_STR(content_of(repo, "f", buf, sizeof buf), "only feature");
  /* again: up to date */
  CHECK_OK(gitmem_merge(&r, repo, "feature", NULL));
  CHECK(gitmem_merge_result_up_to_date(r) == 1);
  gitmem_merge_result_free(r);
  r = NULL;
  gitmem_repo_free(repo);

  /* every strategy */
  {
    static const int strategies[4] = {GITMEM_MERGE_OURS, GITMEM_MERGE_THEIRS, GITMEM_MERGE_NEWEST,
                                      GITMEM_MERGE_MOST_IMPORTANT};
    static const char* const expected[4] = {"x on main", "x on feature", "x on feature", "x on feature"};
    static const char* const names[4] = {"agents/merge-ours", "agents/merge-theirs", "agents/merge-newest",
                                         "agents/merge-important"};
    int i;
    for (i = 0; i < 4; ++i) {
      gitmem_merge_options so = GITMEM_MERGE_OPTIONS_INIT;
      repo = diverged_repo(store, names[i]);
      if (repo == NULL) continue;
      so.strategy = strategies[i];
      CHECK_OK(gitmem_merge(&r, repo, "feature", &so));
      CHECK(gitmem_merge_result_conflict_count(r) == 1);
      CHECK_STR(content_of(repo, "x", buf, sizeof buf), expected[i]);
      gitmem_merge_result_free(r);
      r = NULL;
      gitmem_repo_free(repo);
    }
  }

  /* a resolver that deletes; then fast-forward, cherry-pick and revert */
  repo = diverged_repo(store, "agents/merge-delete");
  if (repo == NULL) return;
  {
    gitmem_merge_options so = GITMEM_MERGE_OPTIONS_INIT;
    int marker = 1;
    so.strategy = GITMEM_MERGE_CALLBACK;
    so.resolver = keep_merged;
    so.resolver_payload = &marker;
    CHECK_OK(gitmem_merge(&r, repo, "feature", &so));
    gitmem_merge_result_free(r);
    r = NULL;
    CHECK_STR(content_of(repo, "x", buf, sizeof buf), "");
  }
  CHECK_OK(gitmem_branch_create(repo, "ff", NULL));
  CHECK_OK(gitmem_branch_checkout(repo, "ff"));
  put(repo, "p", "picked", NULL);
  commit_at(repo, "to pick", 0, pick);
  CHECK_OK(gitmem_branch_checkout(repo, "main"));
  CHECK_OK(gitmem_repo_resolve(head, repo, "main"));
  mo = (gitmem_merge_options)GITMEM_MERGE_OPTIONS_INIT;
  mo.into = "feature";
  CHECK_OK(gitmem_cherry_pick(&r, repo, pick, &mo));
  CHECK_OK(gitmem_commit_show(&commit, repo, gitmem_merge_result_commit(r)));
  CHECK(gitmem_commit_parent_count(commit) == 1);
  gitmem_commit_free(commit);
  gitmem_merge_result_free(r);
  r = NULL;
  CHECK_OK(gitmem_revert(&r, repo, "feature", &mo));
  gitmem_merge_result_free(r);
  r = NULL;
  CHECK_ERR(gitmem_cherry_pick(&r, repo, "nope", NULL), GITMEM_ENOTFOUND, "nope");
  CHECK_ERR(gitmem_revert(&r, repo, NULL, NULL), GITMEM_EINVALID, "commit");
  CHECK_OK(gitmem_merge(&r, repo, "ff", NULL));
  CHECK(gitmem_merge_result_fast_forward(r) == 1);
  CHECK_STR(gitmem_merge_result_commit(r), pick);
  gitmem_merge_result_free(r);
  r = NULL;
  CHECK(gitmem_merge_result_commit(NULL) == NULL && gitmem_merge_result_conflict_count(NULL) == 0);
  CHECK(gitmem_merge_result_changes_applied(NULL) == 0);
  CHECK(gitmem_conflict_id(NULL) == NULL && gitmem_conflict_ours(NULL) == NULL);
  CHECK_ERR(gitmem_conflict_iter_new(&ci, NULL), GITMEM_EINVALID, "result");
  CHECK_ERR(gitmem_conflict_iter_next(&c, NULL), GITMEM_EINVALID, "iter");
  gitmem_merge_result_free(NULL);
  gitmem_conflict_free(NULL);
  gitmem_conflict_iter_free(NULL);

  /* fork and info */
  CHECK_OK(gitmem_repo_fork(&fork, repo, "someone/merge-fork"));
  CHECK_STR(gitmem_repo_name(fork), "someone/merge-fork");
  CHECK_OK(gitmem_repo_resolve(head, fork, "main"));
  CHECK_STR(head, pick);
  CHECK_OK(gitmem_repo_info_get(&info, fork));
  CHECK_STR(gitmem_repo_info_name(info), "someone/merge-fork");
  CHECK_STR(gitmem_repo_info_upstream(info), "agents/merge-delete");
  CHECK_STR(gitmem_repo_info_default_branch(info), "main");
  CHECK(gitmem_repo_info_description(info) != NULL && gitmem_repo_info_visibility(info) != NULL);
  CHECK(gitmem_repo_info_created_at_us(info) > 0);
  CHECK(gitmem_repo_info_stars(info) == 0 && gitmem_repo_info_watchers(info) == 0);
  gitmem_repo_info_free(info);
  info = NULL;
  CHECK_OK(gitmem_repo_info_get(&info, repo));
  CHECK(gitmem_repo_info_forks(info) == 1);
  CHECK_STR(gitmem_repo_info_upstream(info), "");
  gitmem_repo_info_free(info);
  info = NULL;
  gitmem_repo_free(fork);
  fork = NULL;
  take_state(&before, repo);
  CHECK_ERR(gitmem_repo_fork(&fork, repo, "someone/merge-fork"), GITMEM_EEXISTS, "someone/merge-fork");
  CHECK_ERR(gitmem_repo_fork(&fork, repo, "bad name"), GITMEM_EINVALID, "name");
  CHECK_ERR(gitmem_repo_fork(&fork, repo, NULL), GITMEM_EINVALID, "new_name");
  CHECK_ERR(gitmem_repo_fork(NULL, repo, "someone/x"), GITMEM_EINVALID, "out");
  CHECK(fork == NULL);
  CHECK_ERR(gitmem_repo_info_get(NULL, repo), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_repo_info_get(&info, NULL), GITMEM_EINVALID, "repo");
  CHECK(gitmem_repo_info_name(NULL) == NULL && gitmem_repo_info_forks(NULL) == 0);
  gitmem_repo_info_free(NULL);
  UNCHANGED(repo, &before);
  gitmem_repo_free(repo);
}

/* ---- maintenance: store fsck, gc, export / import ----------------------------------------- */

static void count_progress(uint64_t done, uint64_t total, void* payload) {
  (void)done;
  (void)total;
  ++*(int*)payload;
}

static void test_maintenance(const char* store, const char* scratch) {
  gitmem_repo *repo = NULL, *other = NULL;
  gitmem_repo_options opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_fsck* report = NULL;
  gitmem_fsck_options fo = GITMEM_FSCK_OPTIONS_INIT;
  gitmem_gc_options go = GITMEM_GC_OPTIONS_INIT;
  gitmem_gc_report gr = GITMEM_GC_REPORT_INIT;
  gitmem_export_options eo = GITMEM_EXPORT_OPTIONS_INIT;
  gitmem_import_options io = GITMEM_IMPORT_OPTIONS_INIT;
  gitmem_import_report ir = GITMEM_IMPORT_REPORT_INIT;
  gitmem_write_options wo = GITMEM_WRITE_OPTIONS_INIT;
  gitmem_commit_options co = GITMEM_COMMIT_OPTIONS_INIT;
  state before;
  char path[4300], bundle[4300], other_store[4300], head[GITMEM_OID_HEXSIZE + 1], head2[GITMEM_OID_HEXSIZE + 1];
  char buf[64];
  uint64_t n = 0;
  int progress = 0, i;
  FILE* f;

  CHECK_OK(gitmem_fsck_options_init(&fo, GITMEM_FSCK_OPTIONS_VERSION));
  CHECK_OK(gitmem_gc_options_init(&go, GITMEM_GC_OPTIONS_VERSION));
  CHECK_OK(gitmem_export_options_init(&eo, GITMEM_EXPORT_OPTIONS_VERSION));
  CHECK_OK(gitmem_import_options_init(&io, GITMEM_IMPORT_OPTIONS_VERSION));
  CHECK_ERR(gitmem_fsck_options_init(&fo, 9), GITMEM_EINVALID, "fsck_options.version");
  CHECK_ERR(gitmem_gc_options_init(NULL, 1), GITMEM_EINVALID, "opts");
  CHECK_ERR(gitmem_export_options_init(&eo, 0), GITMEM_EINVALID, "export_options.version");
  CHECK_ERR(gitmem_import_options_init(&io, 0), GITMEM_EINVALID, "import_options.version");

  opts.name = "agents/maint";
  CHECK_OK(gitmem_repo_init(&repo, store, &opts));
  if (repo == NULL) return;
  put(repo, "keep", "kept memory", "s1");
  put(repo, "other", "another memory", "s1");
  commit_at(repo, "main", 0, NULL);

  /* store-wide fsck, with progress */
  fo.progress = count_progress;
  fo.progress_payload = &progress;
  CHECK_OK(gitmem_fsck_all(&report, repo, &fo));
  CHECK(gitmem_fsck_ok(report) == 1 && gitmem_fsck_commits(report) >= 2);
  gitmem_fsck_free(report);
  report = NULL;
  fo.all_objects = 1;
  CHECK_OK(gitmem_fsck_store(&report, store, &fo));
  CHECK(gitmem_fsck_ok(report) == 1);
  gitmem_fsck_free(report);
  report = NULL;
  CHECK_ERR(gitmem_fsck_store(&report, "", NULL), GITMEM_EINVALID, "path");
  CHECK_ERR(gitmem_fsck_store(NULL, store, NULL), GITMEM_EINVALID, "out");
  CHECK_ERR(gitmem_fsck_all(&report, NULL, NULL), GITMEM_EINVALID, "repo");
  fo.version = 0;
  CHECK_ERR(gitmem_fsck_all(&report, repo, &fo), GITMEM_EINVALID, "fsck_options.version");

  /* gc: a deleted branch with unique data is freed */
  CHECK_OK(gitmem_branch_create(repo, "scratch", NULL));
  wo.branch = "scratch";
  for (i = 0; i < 20; ++i) {
    gitmem_memory* m = NULL;
    char id[32];
    snprintf(id, sizeof id, "scratch-%d", i);
    m = make_memory(id, id, NULL);
    CHECK_OK(gitmem_memory_put(NULL, repo, m, &wo));
    gitmem_memory_free(m);
  }
  co.branch = "scratch";
  co.message = "scratch";
  CHECK_OK(gitmem_commit_create(NULL, repo, &co));
  CHECK_OK(gitmem_branch_delete(repo, "scratch"));
  go.dry_run = 1;
  CHECK_OK(gitmem_gc(&gr, repo, &go));
  n = gr.objects_freed;
  CHECK(n > 20);
  go.dry_run = 0;
  go.progress = count_progress;
  go.progress_payload = &progress;
  CHECK_OK(gitmem_gc(&gr, repo, &go));
  CHECK(gr.objects_freed == n && gr.bytes_freed > 0);
  CHECK(gr.objects_scanned == gr.objects_reachable + gr.objects_freed);
  CHECK_OK(gitmem_gc(NULL, repo, NULL));
  CHECK_OK(gitmem_gc(&gr, repo, NULL));
  CHECK(gr.objects_freed == 0);
  /* a version 1 report ends at session_entries_freed: gc writes nothing past it */
  gr.version = 1;
  gr.index_bytes_freed = 77;
  CHECK_OK(gitmem_gc(&gr, repo, NULL));
  CHECK(gr.index_bytes_freed == 77);
  gr.version = GITMEM_GC_REPORT_VERSION;
  CHECK_ERR(gitmem_gc(&gr, NULL, NULL), GITMEM_EINVALID, "repo");
  gr.version = 0;
  CHECK_ERR(gitmem_gc(&gr, repo, NULL), GITMEM_EINVALID, "gc_report.version");
  gr.version = GITMEM_GC_REPORT_VERSION;
  go.version = 7;
  CHECK_ERR(gitmem_gc(&gr, repo, &go), GITMEM_EINVALID, "gc_options.version");
  CHECK_OK(gitmem_fsck_store(&report, store, NULL));
  CHECK(gitmem_fsck_ok(report) == 1);
  gitmem_fsck_free(report);
  report = NULL;
  CHECK_STR(content_of(repo, "keep", buf, sizeof buf), "kept memory");

  /* JSONL round trip */
  snprintf(path, sizeof path, "%s/maint.jsonl", scratch);
  eo.progress = count_progress;
  eo.progress_payload = &progress;
  CHECK_OK(gitmem_export_jsonl(&n, repo, path, &eo));
  CHECK(n == 2);
  snprintf(other_store, sizeof other_store, "%s/other-store", scratch);
  opts.name = "agents/imported";
  CHECK_OK(gitmem_repo_init(&other, other_store, &opts));
  if (other) {
    io.message = "import";
    CHECK_OK(gitmem_import_jsonl(&ir, other, path, &io));
    CHECK(ir.memories == 2 && strlen(ir.commit) == GITMEM_OID_HEXSIZE);
    CHECK_STR(content_of(other, "keep", buf, sizeof buf), "kept memory");
    CHECK_OK(gitmem_import_jsonl(NULL, other, path, NULL));
    gitmem_repo_free(other);
    other = NULL;
  }
  /* a bad line changes nothing */
  snprintf(path, sizeof path, "%s/bad.jsonl", scratch);
  f = fopen(path, "w");
  if (f) {
    fputs("{\"id\":\"ok\",\"content\":\"fine\"}\n{\"id\":\"bad\",\"content\":\"x\",\"importance\":7}\n", f);
    fclose(f);
  }
  take_state(&before, repo);
  CHECK_ERR(gitmem_import_jsonl(&ir, repo, path, NULL), GITMEM_EINVALID, "importance");
  CHECK_ERR(gitmem_import_jsonl(&ir, repo, NULL, NULL), GITMEM_EINVALID, "path");
  CHECK_ERR(gitmem_import_jsonl(&ir, NULL, path, NULL), GITMEM_EINVALID, "repo");
  io.version = 0;
  CHECK_ERR(gitmem_import_jsonl(&ir, repo, path, &io), GITMEM_EINVALID, "import_options.version");
  io.version = GITMEM_IMPORT_OPTIONS_VERSION;
  ir.version = 0;
  CHECK_ERR(gitmem_import_jsonl(&ir, repo, path, NULL), GITMEM_EINVALID, "import_report.version");
  ir.version = GITMEM_IMPORT_REPORT_VERSION;
  CHECK_ERR(gitmem_export_jsonl(&n, repo, "", NULL), GITMEM_EINVALID, "path");
  CHECK_ERR(gitmem_export_jsonl(&n, NULL, path, NULL), GITMEM_EINVALID, "repo");
  eo.version = 0;
  CHECK_ERR(gitmem_export_jsonl(&n, repo, path, &eo), GITMEM_EINVALID, "export_options.version");
  eo.version = GITMEM_EXPORT_OPTIONS_VERSION;
  UNCHANGED(repo, &before);

  /* bundle round trip: the same commit ids */
  snprintf(bundle, sizeof bundle, "%s/maint.bundle", scratch);
  CHECK_OK(gitmem_export_bundle(&n, repo, bundle, &eo));
  CHECK(n > 0);
  CHECK_OK(gitmem_export_bundle(NULL, repo, bundle, NULL));
  opts.name = "agents/from-bundle";
  CHECK_OK(gitmem_repo_init(&other, other_store, &opts));
  if (other) {
    io.progress = count_progress;
    io.progress_payload = &progress;
    CHECK_OK(gitmem_import_bundle(&ir, other, bundle, &io));
    CHECK(ir.objects == n && ir.refs >= 1);
    CHECK_OK(gitmem_repo_resolve(head, repo, "main"));
    CHECK_OK(gitmem_repo_resolve(head2, other, "main"));
    CHECK_STR(head, head2);
    put(other, "diverge", "diverged", NULL);
    commit_at(other, "diverge", 0, NULL);
    take_state(&before, other);
    CHECK_ERR(gitmem_import_bundle(&ir, other, bundle, NULL), GITMEM_ECONFLICT, "main");
    {
      /* not a bundle: rejected (EINVALID or ECORRUPT, by where the reader stops) */
      int rc = gitmem_import_bundle(&ir, other, path, NULL);
      CHECK(rc == GITMEM_EINVALID || rc == GITMEM_ECORRUPT);
      CHECK(strstr(gitmem_error_last(), "bundle") != NULL);
    }
    UNCHANGED(other, &before);
    io.force = 1;
    CHECK_OK(gitmem_import_bundle(NULL, other, bundle, &io));
    CHECK_OK(gitmem_repo_resolve(head2, other, "main"));
    CHECK_STR(head, head2);
    gitmem_repo_free(other);
  }
  CHECK_ERR(gitmem_export_bundle(&n, NULL, bundle, NULL), GITMEM_EINVALID, "repo");
  CHECK_ERR(gitmem_import_bundle(&ir, repo, "", NULL), GITMEM_EINVALID, "path");
  CHECK(progress > 0);
  gitmem_repo_free(repo);
}

int main(int argc, char** argv) {
  char store[4096];
  char c1[GITMEM_OID_HEXSIZE + 1] = "", c2[GITMEM_OID_HEXSIZE + 1] = "", c3[GITMEM_OID_HEXSIZE + 1] = "";
  gitmem_repo* repo = NULL;

  snprintf(store, sizeof store, "%s/capi-store-XXXXXX", argc > 1 ? argv[1] : "/tmp");
  if (mkdtemp(store) == NULL) {
    perror("mkdtemp");
    return 2;
  }

  test_basics();
  test_open(store, &repo);
  if (repo != NULL) {
    test_memories(repo);
    test_put_many(repo);
    test_staged_and_commit(repo, c1);
    test_session2(repo, c2, c3);
    test_reads(repo, c1, c2);
    test_log_history(repo, c1, c2, c3);
    test_branches(repo, c1, c3);
    test_tags(repo, c1, c3);
    test_fsck(repo);
    gitmem_repo_free(repo);
    test_free_order(store);
    test_modes(store);
    test_search(store);
    test_merge(store);
    test_maintenance(store, store);
  }

  nftw(store, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
  if (failures) {
    fprintf(stderr, "%d check(s) failed\n", failures);
    return 1;
  }
  printf("capi: all checks passed\n");
  return 0;
}
