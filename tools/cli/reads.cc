#include "reads.h"

#include <algorithm>

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

bool MemoryFilter::Any() const {
  return !type.empty() || !tag.empty() || !agent.empty() || !session.empty() || !scope.empty();
}

bool MemoryFilter::Match(const Memory& m) const {
  if (!type.empty() && ToString(m.type) != type) return false;
  if (!scope.empty() && ToString(m.scope) != scope) return false;
  if (!agent.empty() && m.agent_id != agent) return false;
  if (!session.empty() && m.session_id != session) return false;
  if (!tag.empty() && std::find(m.tags.begin(), m.tags.end(), tag) == m.tags.end()) return false;
  return true;
}

Result<std::vector<Memory>> ListMatching(const Repository& repo, const ReadOptions& at, const MemoryFilter& filter,
                                         uint64_t offset, uint64_t limit) {
  ListOptions lo;
  lo.at = at;
  if (!filter.Any()) {  // the repository pages for us
    lo.offset = offset;
    lo.limit = limit;
    return repo.List(lo);
  }
  GITMEM_ASSIGN_OR_RETURN(auto all, repo.List(lo));
  std::vector<Memory> out;
  uint64_t skipped = 0;
  for (auto& m : all) {
    if (!filter.Match(m)) continue;
    if (skipped++ < offset) continue;
    if (out.size() >= limit) break;
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace gitmem::cli
