// Repository: fork (a copy of the refs under a new name; objects are shared) and the
// repository's metadata record.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "repo/repo_impl.h"
#include "repo/validate.h"
#include "util/text.h"

namespace gitmem {

namespace {

Result<nlohmann::json> ReadMeta(const Store& store, std::string_view repo, const Snapshot* snap = nullptr) {
  std::string v;
  Status s = store.Get(Cf::kMeta, keys::RepoMetaKey(repo), &v, snap);
  if (s.IsNotFound()) return Status::NotFound(fmt::format("repository '{}' not found", repo));
  GITMEM_RETURN_IF_ERROR(s);
  nlohmann::json j = nlohmann::json::parse(v, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object()) return Status::Corruption(fmt::format("repository '{}': metadata is not a JSON object", repo));
  return j;
}

template <typename T>
T Field(const nlohmann::json& j, const char* key, T fallback) {
  auto it = j.find(key);
  if (it == j.end()) return fallback;
  try {
    return it->template get<T>();
  } catch (const std::exception&) {
    return fallback;
  }
}

}  // namespace

Result<RepositoryInfo> Repository::Info() const {
  GITMEM_ASSIGN_OR_RETURN(nlohmann::json j, ReadMeta(*impl_->store, impl_->options.name));
  RepositoryInfo info;
  info.name = Field<std::string>(j, "name", impl_->options.name);
  info.description = Field<std::string>(j, "description", "");
  info.default_branch = Field<std::string>(j, "default_branch", "main");
  info.visibility = Field<std::string>(j, "visibility", "private");
  info.created_at_us = Field<int64_t>(j, "created_at_us", 0);
  info.stars = Field<uint64_t>(j, "stars", 0);
  info.forks = Field<uint64_t>(j, "forks", 0);
  info.watchers = Field<uint64_t>(j, "watchers", 0);
  info.upstream = Field<std::string>(j, "upstream", "");
  return info;
}

Result<std::unique_ptr<Repository>> Repository::Fork(std::string_view new_name) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(ValidateRepoName(new_name));
  const std::string& src = impl_->options.name;
  if (new_name == src) return Status::AlreadyExists(fmt::format("fork: '{}' is this repository", new_name));
  {
    // Both repositories' records change: lock them in name order.
    const bool src_first = std::string_view(src) < new_name;
    std::lock_guard<std::mutex> l1(impl_->store->RepoLock(src_first ? std::string_view(src) : new_name));
    std::lock_guard<std::mutex> l2(impl_->store->RepoLock(src_first ? new_name : std::string_view(src)));
    std::string existing;
    Status s = impl_->store->Get(Cf::kMeta, keys::RepoMetaKey(new_name), &existing);
    if (s.ok()) return Status::AlreadyExists(fmt::format("fork: repository '{}' already exists", new_name));
    if (!s.IsNotFound()) return s;

    auto snap = impl_->store->GetSnapshot();
    GITMEM_ASSIGN_OR_RETURN(nlohmann::json src_meta, ReadMeta(*impl_->store, src, snap.get()));
    WriteBatch batch(*impl_->store);
    auto it = impl_->store->Scan(Cf::kRefs, keys::RefPrefix(src), snap.get());
    for (; it->Valid(); it->Next()) {
      auto key = keys::ParseRefKey(it->key());
      if (!key) return Status::Corruption(fmt::format("repository '{}': malformed ref key", src));
      batch.Put(Cf::kRefs, keys::RefKey(new_name, key->ref), it->value());
    }
    GITMEM_RETURN_IF_ERROR(it->status());

    nlohmann::json fork_meta = src_meta;
    fork_meta["name"] = std::string(new_name);
    fork_meta["created_at_us"] = NowMicros();
    fork_meta["stars"] = 0;
    fork_meta["forks"] = 0;
    fork_meta["watchers"] = 0;
    fork_meta["upstream"] = src;
    src_meta["forks"] = Field<uint64_t>(src_meta, "forks", 0) + 1;
    batch.Put(Cf::kMeta, keys::RepoMetaKey(new_name), fork_meta.dump());
    batch.Put(Cf::kMeta, keys::RepoMetaKey(src), src_meta.dump());
    GITMEM_RETURN_IF_ERROR(impl_->store->Write(&batch, impl_->options.sync));
  }
  RepositoryOptions o = impl_->options;
  o.name = std::string(new_name);
  return Open(o, impl_->store->path());
}

}  // namespace gitmem
