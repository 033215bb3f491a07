// C ABI: stores and repositories (init, open, list, close), revisions, fsck.
#include <span>

#include "capi_internal.h"
#include "gitmem/embedder.hpp"

using namespace gitmem::capi;
using gitmem::RepositoryOptions;

namespace {

/// A caller's C embedding callback behind gitmem::Embedder.
class CEmbedder final : public gitmem::Embedder {
 public:
  CEmbedder(std::string id, size_t dim, gitmem_embed_fn fn, void* payload)
      : id_(std::move(id)), dim_(dim), fn_(fn), payload_(payload) {}
  std::string id() const override { return id_; }
  size_t dimension() const override { return dim_; }
  gitmem::Status Embed(std::span<const std::string_view> texts, std::span<float> out) const override {
    if (out.size() != texts.size() * dim_)
      return gitmem::Status::InvalidArgument("embedder: output has the wrong size");
    if (texts.empty()) return gitmem::Status::Ok();
    std::vector<std::string> owned(texts.begin(), texts.end());  // NUL-terminated copies
    std::vector<const char*> ptrs;
    ptrs.reserve(owned.size());
    for (const auto& t : owned) ptrs.push_back(t.c_str());
    const int rc = fn_(ptrs.data(), ptrs.size(), out.data(), payload_);
    if (rc != 0)
      return gitmem::Status::InvalidArgument("embedder: the callback returned " + std::to_string(rc));
    return gitmem::Status::Ok();
  }

 private:
  std::string id_;
  size_t dim_;
  gitmem_embed_fn fn_;
  void* payload_;
};

int ToRepositoryOptions(const gitmem_repo_options* in, RepositoryOptions* out) {
  if (in == nullptr) return GITMEM_OK;
  if (int rc = CheckVersion(in->version, GITMEM_REPO_OPTIONS_VERSION, "repo_options"); rc != GITMEM_OK) return rc;
  if (in->name) out->name = in->name;
  if (in->default_branch) out->default_branch = in->default_branch;
  if (in->description) out->description = in->description;
  out->auto_commit = in->auto_commit != 0;
  if (in->default_author) out->default_author = in->default_author;
  if (in->max_content_bytes) out->max_content_bytes = in->max_content_bytes;
  if (in->max_metadata_bytes) out->max_metadata_bytes = in->max_metadata_bytes;
  out->sync = in->sync != 0;
  out->read_only = in->read_only != 0;
  if (in->node_cache_bytes) out->node_cache_bytes = in->node_cache_bytes;
  if (in->version >= 2) {
    out->embedding_dimension = in->embedding_dimension;
    if (const gitmem_embedder* e = in->embedder) {
      if (e->id == nullptr || *e->id == '\0') return Invalid("embedder.id: must not be empty");
      if (e->dimension == 0) return Invalid("embedder.dimension: must be at least 1");
      if (e->embed == nullptr) return Invalid("embedder.embed: must not be NULL");
      if (in->embedding_dimension != 0 && in->embedding_dimension != e->dimension)
        return Invalid("embedding_dimension: does not match embedder.dimension");
      out->embedder = std::make_shared<CEmbedder>(e->id, e->dimension, e->embed, e->payload);
    }
  }
  return GITMEM_OK;
}

using OpenFn = gitmem::Result<std::unique_ptr<gitmem::Repository>> (*)(const RepositoryOptions&,
                                                                        std::string_view);

int OpenWith(OpenFn fn, gitmem_repo** out, const char* path, const gitmem_repo_options* opts) {
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(path, "path");
  if (*path == '\0') return Invalid("path: must not be empty");
  RepositoryOptions options;
  if (int rc = ToRepositoryOptions(opts, &options); rc != GITMEM_OK) return rc;
  auto repo = fn(options, path);
  if (!repo.ok()) return FromStatus(repo.status());
  auto handle = std::make_unique<gitmem_repo>();
  handle->repo = std::shared_ptr<gitmem::Repository>(std::move(*repo));
  *out = handle.release();
  return GITMEM_OK;
}

}  // namespace

extern "C" {

int gitmem_repo_options_init(gitmem_repo_options* opts, unsigned int version) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(opts, "opts");
  if (int rc = CheckVersion(version, GITMEM_REPO_OPTIONS_VERSION, "repo_options"); rc != GITMEM_OK) return rc;
  const gitmem_repo_options init = GITMEM_REPO_OPTIONS_INIT;
  *opts = init;
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_repo_init(gitmem_repo** out, const char* path, const gitmem_repo_options* opts) {
  GITMEM_CAPI_TRY
  return OpenWith(&gitmem::Repository::Init, out, path, opts);
  GITMEM_CAPI_CATCH
}

int gitmem_repo_open(gitmem_repo** out, const char* path, const gitmem_repo_options* opts) {
  GITMEM_CAPI_TRY
  return OpenWith(&gitmem::Repository::Open, out, path, opts);
  GITMEM_CAPI_CATCH
}

int gitmem_repo_list(gitmem_strlist** out, const char* path) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(path, "path");
  if (*path == '\0') return Invalid("path: must not be empty");
  auto names = gitmem::Repository::ListRepositories(path);
  if (!names.ok()) return FromStatus(names.status());
  auto list = std::make_unique<gitmem_strlist>();
  list->items = std::move(*names);
  *out = list.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

void gitmem_repo_free(gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  delete repo;
  GITMEM_CAPI_CATCH_VOID
}

const char* gitmem_repo_name(const gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  return repo ? repo->repo->name().c_str() : nullptr;
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

int gitmem_repo_resolve(char* out_id, gitmem_repo* repo, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out_id, "out_id");
  GITMEM_REQUIRE(repo, "repo");
  auto id = repo->repo->Resolve(Str(rev));
  if (!id.ok()) return FromStatus(id.status());
  CopyHex(out_id, *id);
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

// ---- fsck ---------------------------------------------------------------------------------

int gitmem_fsck_run(gitmem_fsck** out, gitmem_repo* repo) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out, "out");
  *out = nullptr;
  GITMEM_REQUIRE(repo, "repo");
  auto report = repo->repo->Fsck();
  if (!report.ok()) return FromStatus(report.status());
  auto handle = std::make_unique<gitmem_fsck>();
  handle->r = std::move(*report);
  *out = handle.release();
  return GITMEM_OK;
  GITMEM_CAPI_CATCH
}

int gitmem_fsck_ok(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report && report->r.ok() ? 1 : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_fsck_objects_checked(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report ? report->r.objects_checked : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_fsck_commits(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report ? report->r.commits : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_fsck_trees(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report ? report->r.trees : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

uint64_t gitmem_fsck_blobs(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report ? report->r.blobs : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

size_t gitmem_fsck_problem_count(const gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  return report ? report->r.problems.size() : 0;
  GITMEM_CAPI_CATCH_RETURN(0)
}

const char* gitmem_fsck_problem(const gitmem_fsck* report, size_t i) {
  GITMEM_CAPI_TRY
  if (report == nullptr || i >= report->r.problems.size()) return nullptr;
  return report->r.problems[i].c_str();
  GITMEM_CAPI_CATCH_RETURN(nullptr)
}

void gitmem_fsck_free(gitmem_fsck* report) {
  GITMEM_CAPI_TRY
  delete report;
  GITMEM_CAPI_CATCH_VOID
}

}  // extern "C"
