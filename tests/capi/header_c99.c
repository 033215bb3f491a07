/* Compiled with -std=c99 -Wall -Wextra -pedantic -Werror (and as C++11) by ctest:
 * gitmem.h must stand alone, and its option initialisers must be valid C99. */
#include "gitmem/gitmem.h"

int main(void) {
  gitmem_repo_options repo_opts = GITMEM_REPO_OPTIONS_INIT;
  gitmem_write_options write_opts = GITMEM_WRITE_OPTIONS_INIT;
  gitmem_read_options read_opts = GITMEM_READ_OPTIONS_INIT;
  gitmem_list_options list_opts = GITMEM_LIST_OPTIONS_INIT;
  gitmem_commit_options commit_opts = GITMEM_COMMIT_OPTIONS_INIT;
  gitmem_log_options log_opts = GITMEM_LOG_OPTIONS_INIT;
  (void)repo_opts;
  (void)write_opts;
  (void)read_opts;
  (void)list_opts;
  (void)commit_opts;
  (void)log_opts;
  return GITMEM_OK;
}
