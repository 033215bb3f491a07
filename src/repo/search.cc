// Repository::Search / Reindex / IndexInfo, the search hooks of the write path, and the
// RepoReader through which the search engine (src/search/engine/) reads this repository.
#include "gitmem/search.hpp"
#include "repo/repo_impl.h"
#include "search/engine/repo_reader.h"
#include "search/engine/search_engine.h"

namespace gitmem {

namespace {

// Repository::Impl as the search engine sees it. Impl owns the engine, which owns this
// adapter, so `impl_` outlives it.
class ImplReader final : public search::RepoReader {
 public:
  explicit ImplReader(const Repository::Impl* impl) : impl_(impl) {}

  const std::string& name() const override { return impl_->options.name; }
  Store& store() const override { return *impl_->store; }
  const tree::NodeSource& nodes() const override { return impl_->source; }
  Result<std::optional<ObjectId>> BranchHead(std::string_view branch) const override {
    return impl_->ReadRef(Repository::Impl::BranchRef(branch));
  }
  Result<CommitInfo> LoadCommit(const ObjectId& commit) const override { return impl_->LoadCommit(commit); }
  Result<ObjectId> TreeOfCommit(const ObjectId& commit) const override { return impl_->TreeOfCommit(commit); }
  Result<Memory> LoadBlob(const ObjectId& blob) const override { return impl_->LoadBlob(blob); }
  Result<search::ReadTarget> Resolve(const ReadOptions& at, tree::OverlaySource* overlay,
                                     const Snapshot* snap) const override {
    GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(at, overlay, snap));
    return search::ReadTarget{std::move(st.branch), st.commit, st.tree};
  }

 private:
  const Repository::Impl* impl_;
};

}  // namespace

// ---- Impl hooks ---------------------------------------------------------------------------

Result<search::SearchEngine*> Repository::Impl::Search() const {
  std::call_once(search_once, [this] {
    auto e = search::SearchEngine::Create(std::make_unique<ImplReader>(this), options);
    if (e.ok())
      search_engine = std::move(e).value();
    else
      search_status = std::move(e).status();
  });
  if (!search_engine) return search_status;
  return search_engine.get();
}

Status Repository::Impl::SearchValidate(const Memory& m) const {
  if (m.embedding.empty()) return Status::Ok();
  GITMEM_ASSIGN_OR_RETURN(search::SearchEngine * e, Search());
  return e->ValidateEmbedding(m);
}

void Repository::Impl::SearchStage(const Memory& m, SortedPuts* puts) const {
  if (search_engine) search_engine->StageEmbedding(m, puts);
}

void Repository::Impl::SearchAfterCommit(const std::string& branch, size_t changes) const {
  // Small commits are caught up by the search that needs them, in milliseconds.
  if (!options.search.background_indexing || changes < options.search.delta_max) return;
  auto engine = Search();
  if (engine.ok()) (*engine)->Schedule(branch);
}

Result<std::string> Repository::Impl::SearchMetaJson() const { return search::SearchEngine::MetaJson(options); }

// ---- the public API -------------------------------------------------------------------------

Result<std::vector<SearchHit>> Repository::Search(const SearchOptions& o) const {
  GITMEM_ASSIGN_OR_RETURN(CompiledFilter filter, search::SearchEngine::CheckQuery(o));
  GITMEM_ASSIGN_OR_RETURN(search::SearchEngine * engine, impl_->Search());
  return engine->Search(o, filter);
}

Status Repository::Reindex(std::string_view branch_in, const ProgressFn& progress) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(branch_in));
  GITMEM_ASSIGN_OR_RETURN(search::SearchEngine * engine, impl_->Search());
  GITMEM_RETURN_IF_ERROR(engine->Reindex(branch, progress));
  if (progress) {  // the last report: everything (an unborn branch has nothing to report)
    auto head = Show(branch);
    if (head.ok()) progress(head->memory_count, head->memory_count);
  }
  return Status::Ok();
}

Result<SearchIndexInfo> Repository::IndexInfo(const ReadOptions& at) const {
  GITMEM_ASSIGN_OR_RETURN(search::SearchEngine * engine, impl_->Search());
  return engine->Info(at);
}

Status Repository::WaitForIndex(std::string_view branch_in, int64_t timeout_ms) const {
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(branch_in));
  GITMEM_ASSIGN_OR_RETURN(search::SearchEngine * engine, impl_->Search());
  return engine->WaitIdle(branch, timeout_ms);
}

}  // namespace gitmem
