// C ABI: branches (create, delete, rename, list, checkout, current, reset) and tags.
#include "capi_internal.h"

using namespace gitmem::capi;

// `gitmem_<kind>_create(repo, name, at)` and `gitmem_<kind>_delete(repo, name)`: branches
// and tags are named refs made and removed alike.
#define GITMEM_DEFINE_REF_CREATE_DELETE(kind, Kind)                                 \
  int gitmem_##kind##_create(gitmem_repo* repo, const char* name, const char* at) { \
    GITMEM_CAPI_TRY                                                                 \
    GITMEM_REQUIRE(repo, "repo");                                                   \
    GITMEM_REQUIRE(name, "name");                                                   \
    return FromStatus(repo->repo->Create##Kind(name, Str(at)));                     \
    GITMEM_CAPI_CATCH                                                               \
  }                                                                                 \
  int gitmem_##kind##_delete(gitmem_repo* repo, const char* name) {                 \
    GITMEM_CAPI_TRY                                                                 \
    GITMEM_REQUIRE(repo, "repo");                                                   \
    GITMEM_REQUIRE(name, "name");                                                   \
    return FromStatus(repo->repo->Delete##Kind(name));                              \
    GITMEM_CAPI_CATCH                                                               \
  }

extern "C" {

GITMEM_DEFINE_REF_CREATE_DELETE(branch, Branch)

int gitmem_branch_rename(gitmem_repo* repo, const char* from, const char* to) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(from, "from");
  GITMEM_REQUIRE(to, "to");
  return FromStatus(repo->repo->RenameBranch(from, to));
  GITMEM_CAPI_CATCH
}

int gitmem_branch_checkout(gitmem_repo* repo, const char* name) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(name, "name");
  return FromStatus(repo->repo->Checkout(name));
  GITMEM_CAPI_CATCH
}

int gitmem_branch_current(char** out, gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE_OUT_REPO(out, repo);
  // Repository::CurrentBranch() reports a failure to read HEAD as "".
  std::string name = repo->repo->CurrentBranch();
  if (name.empty()) return SetError(GITMEM_ECORRUPT, "HEAD: could not be read");
  *out = DupString(name);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_branch_reset(gitmem_repo* repo, const char* branch, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(rev, "rev");
  return FromStatus(repo->repo->Reset(Str(branch), rev));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_REPO_ITER(branch_iter, branch, ListBranches())

GITMEM_DEFINE_GETTER(branch, const char*, name, nullptr, self->b.name.c_str())
GITMEM_DEFINE_GETTER(branch, const char*, head, nullptr, self->head_hex.c_str())
GITMEM_DEFINE_GETTER(branch, int, is_current, 0, self->b.is_current)
GITMEM_DEFINE_GETTER(branch, size_t, staged, 0, self->b.staged)
GITMEM_DEFINE_FREE(branch)

// ---- tags -----------------------------------------------------------------------------------

GITMEM_DEFINE_REF_CREATE_DELETE(tag, Tag)

GITMEM_DEFINE_REPO_ITER(tag_iter, tag, ListTags())

GITMEM_DEFINE_GETTER(tag, const char*, name, nullptr, self->t.name.c_str())
GITMEM_DEFINE_GETTER(tag, const char*, target, nullptr, self->target_hex.c_str())
GITMEM_DEFINE_FREE(tag)

}  // extern "C"
