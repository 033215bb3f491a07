// C ABI: branches (create, delete, rename, list, checkout, current, reset) and tags.
#include "capi_internal.h"

using namespace gitmem::capi;

extern "C" {

int gitmem_branch_create(gitmem_repo* repo, const char* name, const char* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(name, "name");
  return FromStatus(repo->repo->CreateBranch(name, Str(at)));
  GITMEM_CAPI_CATCH
}

int gitmem_branch_delete(gitmem_repo* repo, const char* name) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(name, "name");
  return FromStatus(repo->repo->DeleteBranch(name));
  GITMEM_CAPI_CATCH
}

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
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
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

int gitmem_branch_iter_new(gitmem_branch_iter** out, gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  auto branches = repo->repo->ListBranches();
  if (!branches.ok()) return FromStatus(branches.status());
  auto it = std::make_unique<gitmem_branch_iter>();
  it->repo = repo->repo;
  it->items = std::move(*branches);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_branch_iter_next(gitmem_branch** out, gitmem_branch_iter* iter) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(iter, "iter");
  gitmem::BranchInfo b;
  if (!iter->Next(&b)) return GITMEM_ITEROVER;
  auto branch = std::make_unique<gitmem_branch>();
  branch->head_hex = b.head.hex();
  branch->b = std::move(b);
  *out = branch.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_branch_iter_free(gitmem_branch_iter* iter) {
  GITMEM_CAPI_TRY
  delete iter;
  GITMEM_CAPI_CATCH_VOID
}

const char* gitmem_branch_name(const gitmem_branch* branch) {
  GITMEM_CAPI_TRY
  return branch ? branch->b.name.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_branch_head(const gitmem_branch* branch) {
  GITMEM_CAPI_TRY
  return branch ? branch->head_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_branch_is_current(const gitmem_branch* branch) {
  GITMEM_CAPI_TRY
  return branch && branch->b.is_current ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_branch_staged(const gitmem_branch* branch) {
  GITMEM_CAPI_TRY
  return branch ? branch->b.staged : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

void gitmem_branch_free(gitmem_branch* branch) {
  GITMEM_CAPI_TRY
  delete branch;
  GITMEM_CAPI_CATCH_VOID
}

// ---- tags -----------------------------------------------------------------------------------

int gitmem_tag_create(gitmem_repo* repo, const char* name, const char* at) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(name, "name");
  return FromStatus(repo->repo->CreateTag(name, Str(at)));
  GITMEM_CAPI_CATCH
}

int gitmem_tag_delete(gitmem_repo* repo, const char* name) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(repo, "repo");
  GITMEM_REQUIRE(name, "name");
  return FromStatus(repo->repo->DeleteTag(name));
  GITMEM_CAPI_CATCH
}

int gitmem_tag_iter_new(gitmem_tag_iter** out, gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  auto tags = repo->repo->ListTags();
  if (!tags.ok()) return FromStatus(tags.status());
  auto it = std::make_unique<gitmem_tag_iter>();
  it->repo = repo->repo;
  it->items = std::move(*tags);
  *out = it.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_tag_iter_next(gitmem_tag** out, gitmem_tag_iter* iter) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(iter, "iter");
  gitmem::TagInfo t;
  if (!iter->Next(&t)) return GITMEM_ITEROVER;
  auto tag = std::make_unique<gitmem_tag>();
  tag->target_hex = t.target.hex();
  tag->t = std::move(t);
  *out = tag.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_tag_iter_free(gitmem_tag_iter* iter) {
  GITMEM_CAPI_TRY
  delete iter;
  GITMEM_CAPI_CATCH_VOID
}

const char* gitmem_tag_name(const gitmem_tag* tag) {
  GITMEM_CAPI_TRY
  return tag ? tag->t.name.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

const char* gitmem_tag_target(const gitmem_tag* tag) {
  GITMEM_CAPI_TRY
  return tag ? tag->target_hex.c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

void gitmem_tag_free(gitmem_tag* tag) {
  GITMEM_CAPI_TRY
  delete tag;
  GITMEM_CAPI_CATCH_VOID
}

}  // extern "C"
