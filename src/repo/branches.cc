// Repository: branches, tags, HEAD, reset.
#include <fmt/format.h>

#include "repo/repo_impl.h"
#include "repo/validate.h"

namespace gitmem {

namespace {
struct NamedRef {
  std::string name;
  ObjectId target;
};

/// Every ref of one kind ("refs/heads/" or "refs/tags/") with its short name, in name
/// order. `what` names the kind in corruption errors.
Result<std::vector<NamedRef>> ScanRefs(const Repository::Impl& impl, std::string_view kind,
                                       std::optional<std::string_view> (*parse)(std::string_view),
                                       std::string_view what) {
  std::vector<NamedRef> out;
  auto it = impl.store->Scan(Cf::kRefs, keys::RefPrefix(impl.options.name, kind));
  for (; it->Valid(); it->Next()) {
    auto key = keys::ParseRefKey(it->key());
    auto name = key ? parse(key->ref) : std::nullopt;
    if (!name) return Status::Corruption(fmt::format("{} ref: malformed key", what));
    if (it->value().size() != 32) return Status::Corruption(fmt::format("{} '{}': bad value", what, *name));
    out.push_back({std::string(*name), IdFromBytes(it->value())});
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  return out;
}
}  // namespace

Status Repository::CreateBranch(std::string_view name, std::string_view at) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(name, "branch"));
  std::lock_guard<std::mutex> lock(impl_->store->RepoLock(impl_->options.name));
  GITMEM_ASSIGN_OR_RETURN(bool exists, impl_->BranchUsable(name));
  if (exists) return Status::AlreadyExists(fmt::format("branch '{}' already exists", name));
  auto target = impl_->ResolveCommit(at);
  if (!target.ok()) {
    if (at.empty() && target.status().IsNotFound())
      return Status::InvalidArgument(
          fmt::format("branch '{}': HEAD has no commits yet; commit before branching", name));
    return target.status();
  }
  WriteBatch batch(*impl_->store);
  batch.Put(Cf::kRefs, impl_->RefKey(Impl::BranchRef(name)), IdView(*target));
  return impl_->store->Write(&batch, impl_->options.sync);
}

Status Repository::DeleteBranch(std::string_view name) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(name, "branch"));
  std::lock_guard<std::mutex> repo_lock(impl_->store->RepoLock(impl_->options.name));
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, name));
  GITMEM_ASSIGN_OR_RETURN(std::string current, impl_->CurrentBranch());
  if (current == name)
    return Status::InvalidArgument(fmt::format("branch '{}' is checked out; check out another first", name));
  GITMEM_ASSIGN_OR_RETURN(auto head, impl_->ReadRef(Impl::BranchRef(name)));
  if (!head) return Status::NotFound(fmt::format("branch '{}' does not exist", name));
  WriteBatch batch(*impl_->store);
  batch.Delete(Cf::kRefs, impl_->RefKey(Impl::BranchRef(name)));
  GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(name));
  // The generation record stays (a branch made later under this name starts after it), so
  // the deleted entries never lie inside a generation that is read again.
  impl_->ClearStaging(name, staged, &batch);
  return impl_->store->Write(&batch, impl_->options.sync);
}

Status Repository::RenameBranch(std::string_view from, std::string_view to) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(from, "branch"));
  GITMEM_RETURN_IF_ERROR(ValidateRefName(to, "branch"));
  if (from == to) return Status::Ok();
  std::lock_guard<std::mutex> repo_lock(impl_->store->RepoLock(impl_->options.name));
  // Lock both branches in a fixed order so two renames cannot deadlock.
  const bool from_first = from < to;
  std::lock_guard<std::mutex> l1(impl_->store->BranchLock(impl_->options.name, from_first ? from : to));
  std::lock_guard<std::mutex> l2(impl_->store->BranchLock(impl_->options.name, from_first ? to : from));
  GITMEM_ASSIGN_OR_RETURN(bool from_ok, impl_->BranchUsable(from));
  if (!from_ok) return Status::NotFound(fmt::format("branch '{}' does not exist", from));
  GITMEM_ASSIGN_OR_RETURN(bool to_exists, impl_->BranchUsable(to));
  if (to_exists) return Status::AlreadyExists(fmt::format("branch '{}' already exists", to));
  GITMEM_ASSIGN_OR_RETURN(auto head, impl_->ReadRef(Impl::BranchRef(from)));
  GITMEM_ASSIGN_OR_RETURN(std::string current, impl_->CurrentBranch());
  WriteBatch batch(*impl_->store);
  if (head) {
    batch.Delete(Cf::kRefs, impl_->RefKey(Impl::BranchRef(from)));
    batch.Put(Cf::kRefs, impl_->RefKey(Impl::BranchRef(to)), IdView(*head));
  }
  GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(from));
  GITMEM_ASSIGN_OR_RETURN(uint64_t to_generation, impl_->StagingGeneration(to));
  for (auto& s : staged.entries) {
    batch.Put(Cf::kStaging, keys::StagingKey(impl_->options.name, to, to_generation, s.id),
              s.blob ? keys::StagedPutValue(*s.blob) : keys::StagedDeleteValue());
  }
  impl_->ClearStaging(from, staged, &batch);
  if (current == from) batch.Put(Cf::kRefs, impl_->RefKey(keys::kHead), keys::SymbolicRef(to));
  return impl_->store->Write(&batch, impl_->options.sync);
}

Result<std::vector<BranchInfo>> Repository::ListBranches() const {
  GITMEM_ASSIGN_OR_RETURN(std::string current, impl_->CurrentBranch());
  GITMEM_ASSIGN_OR_RETURN(auto refs, ScanRefs(*impl_, keys::kHeadsPrefix, keys::ParseBranchRef, "branch"));
  std::vector<BranchInfo> out;
  bool saw_current = false;
  for (auto& r : refs) {
    BranchInfo b;
    b.name = std::move(r.name);
    b.head = r.target;
    b.is_current = b.name == current;
    saw_current |= b.is_current;
    out.push_back(std::move(b));
  }
  if (!saw_current) {  // the unborn branch HEAD points at
    BranchInfo b;
    b.name = current;
    b.is_current = true;
    out.insert(std::lower_bound(out.begin(), out.end(), b,
                                [](const BranchInfo& x, const BranchInfo& y) { return x.name < y.name; }),
               b);
  }
  for (auto& b : out) {
    GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(b.name));
    b.staged = staged.entries.size();
  }
  return out;
}

Status Repository::Checkout(std::string_view branch) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(branch, "branch"));
  std::lock_guard<std::mutex> lock(impl_->store->RepoLock(impl_->options.name));
  GITMEM_ASSIGN_OR_RETURN(bool usable, impl_->BranchUsable(branch));
  if (!usable) return Status::NotFound(fmt::format("branch '{}' does not exist", branch));
  WriteBatch batch(*impl_->store);
  batch.Put(Cf::kRefs, impl_->RefKey(keys::kHead), keys::SymbolicRef(branch));
  return impl_->store->Write(&batch, impl_->options.sync);
}

std::string Repository::CurrentBranch() const {
  auto b = impl_->CurrentBranch();
  return b.ok() ? *b : std::string();
}

Status Repository::Reset(std::string_view branch_in, std::string_view rev) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(branch_in));
  GITMEM_ASSIGN_OR_RETURN(ObjectId target, impl_->ResolveCommit(rev));
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  WriteBatch batch(*impl_->store);
  batch.Put(Cf::kRefs, impl_->RefKey(Impl::BranchRef(branch)), IdView(target));
  return impl_->store->Write(&batch, impl_->options.sync);
}

Status Repository::CreateTag(std::string_view name, std::string_view at) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(name, "tag"));
  std::lock_guard<std::mutex> lock(impl_->store->RepoLock(impl_->options.name));
  GITMEM_ASSIGN_OR_RETURN(auto existing, impl_->ReadRef(Impl::TagRef(name)));
  if (existing) return Status::AlreadyExists(fmt::format("tag '{}' already exists", name));
  GITMEM_ASSIGN_OR_RETURN(ObjectId target, impl_->ResolveCommit(at));
  WriteBatch batch(*impl_->store);
  batch.Put(Cf::kRefs, impl_->RefKey(Impl::TagRef(name)), IdView(target));
  return impl_->store->Write(&batch, impl_->options.sync);
}

Status Repository::DeleteTag(std::string_view name) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRefName(name, "tag"));
  std::lock_guard<std::mutex> lock(impl_->store->RepoLock(impl_->options.name));
  GITMEM_ASSIGN_OR_RETURN(auto existing, impl_->ReadRef(Impl::TagRef(name)));
  if (!existing) return Status::NotFound(fmt::format("tag '{}' does not exist", name));
  WriteBatch batch(*impl_->store);
  batch.Delete(Cf::kRefs, impl_->RefKey(Impl::TagRef(name)));
  return impl_->store->Write(&batch, impl_->options.sync);
}

Result<std::vector<TagInfo>> Repository::ListTags() const {
  GITMEM_ASSIGN_OR_RETURN(auto refs, ScanRefs(*impl_, keys::kTagsPrefix, keys::ParseTagRef, "tag"));
  std::vector<TagInfo> out;
  for (auto& r : refs) {
    TagInfo t;
    t.name = std::move(r.name);
    t.target = r.target;
    out.push_back(std::move(t));
  }
  return out;
}

}  // namespace gitmem
