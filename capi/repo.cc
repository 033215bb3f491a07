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
    if (rc != 0) return gitmem::Status::InvalidArgument("embedder: the callback returned " + std::to_string(rc));
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
  GITMEM_RETURN_IF_NOT_OK(CheckVersion(in->version, GITMEM_REPO_OPTIONS_VERSION, "repo_options"));
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

using OpenFn = gitmem::Result<std::unique_ptr<gitmem::Repository>> (*)(const RepositoryOptions&, std::string_view);

int OpenWith(OpenFn fn, gitmem_repo** out, const char* path, const gitmem_repo_options* opts) {
  GITMEM_REQUIRE_OUT(out);
  GITMEM_REQUIRE(path, "path");
  if (*path == '\0') return Invalid("path: must not be empty");
  RepositoryOptions options;
  GITMEM_RETURN_IF_NOT_OK(ToRepositoryOptions(opts, &options));
  return Deliver(out, fn(options, path));
}

}  // namespace

extern "C" {

GITMEM_DEFINE_OPTIONS_INIT(repo_options, GITMEM_REPO_OPTIONS_VERSION, GITMEM_REPO_OPTIONS_INIT)

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
  GITMEM_REQUIRE_OUT(out);
  GITMEM_REQUIRE(path, "path");
  if (*path == '\0') return Invalid("path: must not be empty");
  return Deliver(out, gitmem::Repository::ListRepositories(path));
  GITMEM_CAPI_CATCH
}

GITMEM_DEFINE_FREE(repo)
GITMEM_DEFINE_GETTER(repo, const char*, name, nullptr, self->repo->name().c_str())

int gitmem_repo_resolve(char* out_id, gitmem_repo* repo, const char* rev) {
  GITMEM_CAPI_TRY
  GITMEM_REQUIRE(out_id, "out_id");
  GITMEM_REQUIRE(repo, "repo");
  return Store(repo->repo->Resolve(Str(rev)), [&](const gitmem::ObjectId& id) { CopyHex(out_id, id); });
  GITMEM_CAPI_CATCH
}

// ---- fsck ---------------------------------------------------------------------------------

GITMEM_DEFINE_REPO_DELIVER(fsck_run, fsck, Fsck())

GITMEM_DEFINE_GETTER(fsck, int, ok, 0, self->r.ok())
GITMEM_DEFINE_GETTER(fsck, uint64_t, objects_checked, 0, self->r.objects_checked)
GITMEM_DEFINE_GETTER(fsck, uint64_t, commits, 0, self->r.commits)
GITMEM_DEFINE_GETTER(fsck, uint64_t, trees, 0, self->r.trees)
GITMEM_DEFINE_GETTER(fsck, uint64_t, blobs, 0, self->r.blobs)
GITMEM_DEFINE_GETTER(fsck, size_t, problem_count, 0, self->r.problems.size())
GITMEM_DEFINE_STRING_AT(fsck, problem, self->r.problems)
GITMEM_DEFINE_FREE(fsck)

}  // extern "C"
