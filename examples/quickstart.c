/* gitmem from C: an agent remembers across two sessions, tries an idea on a branch,
 * compares it with main, reads the log, and travels back in time.
 *
 *   quickstart_c <store directory>      (the directory must not hold a gitmem store yet)
 */
#include <stdio.h>
#include <stdlib.h>

#include <gitmem/gitmem.h>

/* Every gitmem call returns GITMEM_OK or a negative code; the message says what was wrong. */
#define TRY(call)                                                               \
  do {                                                                          \
    int rc_ = (call);                                                           \
    if (rc_ != GITMEM_OK) {                                                     \
      fprintf(stderr, "%s failed (%d): %s\n", #call, rc_, gitmem_error_last()); \
      exit(1);                                                                  \
    }                                                                           \
  } while (0)

static void remember(gitmem_repo* repo, const char* id, const char* content, gitmem_memory_type type,
                     const char* session, const char* tag, float importance) {
  gitmem_memory* m = NULL;
  TRY(gitmem_memory_new(&m));
  TRY(gitmem_memory_set_id(m, id));
  TRY(gitmem_memory_set_content(m, content));
  TRY(gitmem_memory_set_type(m, type));
  TRY(gitmem_memory_set_agent_id(m, "assistant"));
  TRY(gitmem_memory_set_session_id(m, session));
  TRY(gitmem_memory_add_tag(m, tag));
  TRY(gitmem_memory_set_importance(m, importance));
  TRY(gitmem_memory_put(NULL, repo, m, NULL));
  gitmem_memory_free(m);
}

static void commit(gitmem_repo* repo, const char* message, char* id) {
  gitmem_commit_options opts = GITMEM_COMMIT_OPTIONS_INIT;
  opts.message = message;
  opts.author = "assistant";
  TRY(gitmem_commit_create(id, repo, &opts));
  printf("[%.12s] %s\n", id, message);
}

static void print_memories(gitmem_repo* repo, const gitmem_list_options* opts) {
  gitmem_list* list = NULL;
  gitmem_memory* m = NULL;
  TRY(gitmem_list_new(&list, repo, opts));
  while (gitmem_list_next(&m, list) == GITMEM_OK) {
    printf("  %-12s %-10s %s\n", gitmem_memory_id(m), gitmem_memory_type_name(gitmem_memory_get_type(m)),
           gitmem_memory_content(m));
    gitmem_memory_free(m);
  }
  gitmem_list_free(list);
}

int main(int argc, char** argv) {
  gitmem_repo* repo = NULL;
  gitmem_repo_options repo_opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_patch* patch = NULL;
  gitmem_diff* diff = NULL;
  gitmem_diff_entry* entry = NULL;
  gitmem_log* log = NULL;
  gitmem_commit* c = NULL;
  gitmem_read_options from = GITMEM_READ_OPTIONS_INIT, to = GITMEM_READ_OPTIONS_INIT;
  gitmem_list_options then = GITMEM_LIST_OPTIONS_INIT;
  char session1[GITMEM_OID_HEXSIZE + 1], session2[GITMEM_OID_HEXSIZE + 1], idea[GITMEM_OID_HEXSIZE + 1];
  int64_t session1_time;
  uint64_t count = 0;
  static const char* kinds[] = {"added", "modified", "removed"};

  if (argc != 2) {
    fprintf(stderr, "usage: %s <store directory>\n", argv[0]);
    return 2;
  }
  printf("gitmem %s\n", gitmem_version());
  repo_opts.name = "demo/assistant";
  TRY(gitmem_repo_init(&repo, argv[1], &repo_opts));

  /* Session 1: the agent learns about its user. */
  remember(repo, "pref-food", "The user is vegetarian.", GITMEM_MEMORY_SEMANTIC, "session-1", "preference", 0.9f);
  remember(repo, "user-city", "The user lives in Lisbon.", GITMEM_MEMORY_SEMANTIC, "session-1", "profile", 0.6f);
  remember(repo, "task-dinner", "Book a dinner for Friday.", GITMEM_MEMORY_EPISODIC, "session-1", "task", 0.7f);
  commit(repo, "session 1: first conversation", session1);
  TRY(gitmem_commit_show(&c, repo, session1));
  session1_time = gitmem_commit_timestamp_us(c);
  gitmem_commit_free(c);

  /* Session 2: more facts, and a correction. */
  remember(repo, "pref-drink", "The user likes green tea.", GITMEM_MEMORY_SEMANTIC, "session-2", "preference", 0.5f);
  TRY(gitmem_patch_new(&patch));
  TRY(gitmem_patch_set_content(patch, "Book a dinner for Friday at 8pm, table for two."));
  TRY(gitmem_memory_update(repo, "task-dinner", patch, NULL));
  gitmem_patch_free(patch);
  commit(repo, "session 2: drinks, dinner details", session2);

  /* An idea, tried on a branch so main stays as it is. */
  TRY(gitmem_branch_create(repo, "experiment", NULL));
  TRY(gitmem_branch_checkout(repo, "experiment"));
  TRY(gitmem_patch_new(&patch));
  TRY(gitmem_patch_set_content(patch, "The user is vegan (since this year)."));
  TRY(gitmem_memory_update(repo, "pref-food", patch, NULL));
  gitmem_patch_free(patch);
  TRY(gitmem_memory_delete(repo, "user-city", NULL));
  remember(repo, "idea-venue", "Suggest the vegan place near the river.", GITMEM_MEMORY_PROCEDURAL, "session-3", "idea",
           0.4f);
  commit(repo, "experiment: vegan venue idea", idea);

  /* What does the experiment change, compared with main? */
  from.rev = "main";
  to.rev = "experiment";
  TRY(gitmem_diff_new(&diff, repo, &from, &to));
  printf("\ndiff main..experiment: %zu added, %zu modified, %zu removed\n", gitmem_diff_added(diff),
         gitmem_diff_modified(diff), gitmem_diff_removed(diff));
  while (gitmem_diff_next(&entry, diff) == GITMEM_OK) {
    const gitmem_memory* old_m = gitmem_diff_entry_old_memory(entry);
    const gitmem_memory* new_m = gitmem_diff_entry_new_memory(entry);
    printf("  %-8s %-12s %s%s%s\n", kinds[gitmem_diff_entry_kind(entry)], gitmem_diff_entry_id(entry),
           old_m ? gitmem_memory_content(old_m) : "", old_m && new_m ? " -> " : "",
           new_m ? gitmem_memory_content(new_m) : "");
    gitmem_diff_entry_free(entry);
  }
  gitmem_diff_free(diff);

  /* The log of the experiment branch. */
  printf("\nlog experiment:\n");
  {
    gitmem_log_options log_opts = GITMEM_LOG_OPTIONS_INIT;
    log_opts.rev = "experiment";
    TRY(gitmem_log_new(&log, repo, &log_opts));
  }
  while (gitmem_log_next(&c, log) == GITMEM_OK) {
    printf("  %.12s %-10s +%llu ~%llu -%llu  %s\n", gitmem_commit_id(c), gitmem_commit_author(c),
           (unsigned long long)gitmem_commit_added(c), (unsigned long long)gitmem_commit_modified(c),
           (unsigned long long)gitmem_commit_removed(c), gitmem_commit_message(c));
    gitmem_commit_free(c);
  }
  gitmem_log_free(log);

  /* Time travel: main as it was after session 1 (by timestamp), and one memory by commit. */
  printf("\nmain as of session 1:\n");
  then.rev = "main";
  then.as_of_us = session1_time;
  print_memories(repo, &then);
  {
    gitmem_read_options at = GITMEM_READ_OPTIONS_INIT;
    gitmem_memory* m = NULL;
    at.rev = session1;
    TRY(gitmem_memory_get(&m, repo, "task-dinner", &at));
    printf("task-dinner at %.12s: %s\n", session1, gitmem_memory_content(m));
    gitmem_memory_free(m);
  }

  /* Back on main, nothing of the experiment is visible. */
  TRY(gitmem_branch_checkout(repo, "main"));
  TRY(gitmem_memory_count(&count, repo, NULL));
  printf("\nmain now holds %llu memories:\n", (unsigned long long)count);
  print_memories(repo, NULL);

  gitmem_repo_free(repo);
  return 0;
}
