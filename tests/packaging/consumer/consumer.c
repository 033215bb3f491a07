/* The smallest useful gitmem program: init, write, commit, read back. */
#include <stdio.h>
#include <string.h>

#include <gitmem/gitmem.h>

int main(int argc, char** argv) {
  gitmem_repo* repo = NULL;
  gitmem_memory *m = NULL, *got = NULL;
  char commit[GITMEM_OID_HEXSIZE + 1];
  int ok;
  if (argc != 2) {
    fprintf(stderr, "usage: consumer <store directory>\n");
    return 2;
  }
  if (gitmem_repo_init(&repo, argv[1], NULL) != GITMEM_OK || gitmem_memory_new(&m) != GITMEM_OK ||
      gitmem_memory_set_id(m, "hello") != GITMEM_OK ||
      gitmem_memory_set_content(m, "Hello from an installed gitmem.") != GITMEM_OK ||
      gitmem_memory_put(NULL, repo, m, NULL) != GITMEM_OK || gitmem_commit_create(commit, repo, NULL) != GITMEM_OK ||
      gitmem_memory_get(&got, repo, "hello", NULL) != GITMEM_OK) {
    fprintf(stderr, "consumer: %s\n", gitmem_error_last());
    gitmem_memory_free(m);
    gitmem_repo_free(repo);
    return 1;
  }
  ok = strcmp(gitmem_memory_content(got), "Hello from an installed gitmem.") == 0;
  printf("gitmem %s, commit %.12s\n", gitmem_version(), commit);
  printf("consumer: %s\n", ok ? "ok" : "wrong content");
  gitmem_memory_free(got);
  gitmem_memory_free(m);
  gitmem_repo_free(repo);
  return ok ? 0 : 1;
}
