#include "reads.h"

namespace gitmem::cli {

namespace {

Result<Diff> AllAdded(const Repository& repo, const ReadOptions& at) {
  ListOptions lo;
  lo.at = at;
  GITMEM_ASSIGN_OR_RETURN(auto memories, repo.List(lo));
  Diff d;
  for (auto& m : memories) d.entries.push_back({DiffEntry::Kind::kAdded, m.id, std::nullopt, std::move(m)});
  return d;
}

}  // namespace

std::string BranchOrHead(const Repository& repo, const std::string& branch) {
  return branch.empty() ? repo.CurrentBranch() : branch;
}

Result<Diff> DiffStates(const Repository& repo, const ReadOptions& from, const ReadOptions& to) {
  if (from.rev == "HEAD") {
    auto head = repo.Resolve("HEAD");
    if (!head.ok() && head.status().IsNotFound()) return AllAdded(repo, to);
  }
  return repo.DiffRevs(from, to);
}

Result<Diff> CommitDiff(const Repository& repo, const CommitInfo& c) {
  ReadOptions to;
  to.rev = c.id.hex();
  if (c.parents.empty()) return AllAdded(repo, to);
  ReadOptions from;
  from.rev = c.parents[0].hex();
  return repo.DiffRevs(from, to);
}

Result<SearchFilter> MemoryFilter::ToSearchFilter() const {
  SearchFilter f;
  if (!type.empty()) {
    GITMEM_ASSIGN_OR_RETURN(MemoryType t, ParseMemoryType(type));
    f.types = {t};
  }
  if (!scope.empty()) {
    GITMEM_ASSIGN_OR_RETURN(Scope sc, ParseScope(scope));
    f.scopes = {sc};
  }
  if (!tag.empty()) f.tags_any = {tag};
  if (!agent.empty()) f.agent_id = agent;
  if (!session.empty()) f.session_id = session;
  return f;
}

Result<std::vector<Memory>> ListMatching(const Repository& repo, const ReadOptions& at, const MemoryFilter& filter,
                                         uint64_t offset, uint64_t limit) {
  ListOptions lo;
  lo.at = at;
  lo.offset = offset;
  lo.limit = limit;
  GITMEM_ASSIGN_OR_RETURN(lo.filter, filter.ToSearchFilter());
  return repo.List(lo);
}

}  // namespace gitmem::cli
