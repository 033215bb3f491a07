// Repository: opening, memories (put / update / delete / get / list / count), commit.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <map>

#include "object/codec.h"
#include "repo/repo_impl.h"
#include "repo/validate.h"
#include "search/filter.h"
#include "util/coding.h"
#include "util/hash.h"
#include "util/parallel.h"
#include "util/text.h"

namespace gitmem {

using namespace std::string_literals;

// ---- node source and sink -----------------------------------------------------------

Result<tree::NodePtr> StoreNodeSource::Load(const ObjectId& id) const {
  if (tree::NodePtr hit = cache_->Find(id)) return hit;
  // An unborn branch's tree is empty without ever having been written.
  if (id == tree::EmptyTreeId()) return std::make_shared<const tree::Node>();
  std::string bytes;
  Status s = store_->Get(Cf::kObjects, IdView(id), &bytes);
  if (s.IsNotFound()) return Status::Corruption(fmt::format("tree node {} is missing", id.short_hex()));
  GITMEM_RETURN_IF_ERROR(s);
  GITMEM_ASSIGN_OR_RETURN(tree::Node node, tree::DecodeNode(bytes));
  auto ptr = std::make_shared<const tree::Node>(std::move(node));
  cache_->Insert(id, ptr);
  return ptr;
}

void BatchNodeSink::Store(const ObjectId& id, std::string bytes, tree::NodePtr node) {
  nodes_.Add(IdView(id), std::move(bytes));
  cache_->Insert(id, std::move(node));
}

void BatchNodeSink::AddTo(WriteBatch* batch) {
  batch->PutSorted(Cf::kObjects, std::move(nodes_));
  nodes_ = SortedPuts();
}

// ---- Impl basics --------------------------------------------------------------------

Repository::Impl::Impl(std::shared_ptr<Store> s, RepositoryOptions o)
    : store(std::move(s)),
      options(std::move(o)),
      node_cache(options.node_cache_bytes),
      source(store.get(), &node_cache) {}

Result<std::optional<std::string>> Repository::Impl::ReadRefValue(std::string_view full_ref,
                                                                  const Snapshot* snap) const {
  const std::string key = RefKey(full_ref);
  // The cache serves reads of the current state only, and only while no ref write runs.
  const std::optional<uint64_t> stable = snap ? std::nullopt : store->StableRefVersion();
  const bool cacheable = stable.has_value();
  const uint64_t version = stable.value_or(0);
  if (cacheable) {
    MutexLock lock(&ref_cache_mu);
    if (ref_cache_version == version) {
      auto it = ref_cache.find(key);
      if (it != ref_cache.end()) return it->second;
    }
  }
  std::string v;
  Status s = store->Get(Cf::kRefs, key, &v, snap);
  if (!s.ok() && !s.IsNotFound()) return s;
  std::optional<std::string> value;
  if (s.ok()) value = std::move(v);
  // Cache only what was read while no ref write began: then it is the state at `version`.
  if (cacheable && store->StableRefVersion() == stable) {
    MutexLock lock(&ref_cache_mu);
    if (ref_cache_version != version) {
      ref_cache.clear();
      ref_cache_version = version;
    }
    if (ref_cache.size() < 4096) ref_cache.emplace(key, value);
  }
  return value;
}

Result<std::optional<ObjectId>> Repository::Impl::ReadRef(std::string_view full_ref, const Snapshot* snap) const {
  GITMEM_ASSIGN_OR_RETURN(auto v, ReadRefValue(full_ref, snap));
  if (!v) return std::optional<ObjectId>();
  if (v->size() != 32) return Status::Corruption(fmt::format("ref '{}': bad value", full_ref));
  return std::optional<ObjectId>(IdFromBytes(*v));
}

Result<std::string> Repository::Impl::CurrentBranch() const {
  GITMEM_ASSIGN_OR_RETURN(auto v, ReadRefValue(keys::kHead, nullptr));
  if (!v) return Status::Corruption("HEAD: missing");
  auto branch = keys::ParseSymbolicRef(*v);
  if (!branch) return Status::Corruption("HEAD: not a branch reference");
  return std::string(*branch);
}

Result<std::string> Repository::Impl::BranchOrCurrent(std::string_view branch) const {
  if (branch.empty()) return CurrentBranch();
  GITMEM_RETURN_IF_ERROR(ValidateRefName(branch, "branch"));
  GITMEM_ASSIGN_OR_RETURN(bool usable, BranchUsable(branch));
  if (!usable) return Status::NotFound(fmt::format("branch '{}' does not exist", branch));
  return std::string(branch);
}

Result<bool> Repository::Impl::BranchUsable(std::string_view branch) const {
  GITMEM_ASSIGN_OR_RETURN(auto head, ReadRef(BranchRef(branch)));
  if (head) return true;
  GITMEM_ASSIGN_OR_RETURN(std::string current, CurrentBranch());
  return current == branch;
}

Result<CommitInfo> Repository::Impl::LoadCommit(const ObjectId& id) const {
  std::string bytes;
  Status s = store->Get(Cf::kObjects, IdView(id), &bytes);
  if (s.IsNotFound()) return Status::NotFound(fmt::format("commit {} not found", id.short_hex()));
  GITMEM_RETURN_IF_ERROR(s);
  GITMEM_ASSIGN_OR_RETURN(CommitInfo c, DecodeCommit(bytes));
  c.id = id;
  return c;
}

Result<ObjectId> Repository::Impl::TreeOfCommit(const ObjectId& commit) const {
  {
    MutexLock lock(&commit_tree_mu);
    auto it = commit_tree.find(commit);
    if (it != commit_tree.end()) return it->second;
  }
  GITMEM_ASSIGN_OR_RETURN(CommitInfo c, LoadCommit(commit));
  MutexLock lock(&commit_tree_mu);
  if (commit_tree.size() >= 65536) commit_tree.clear();  // a bound, not an LRU: refills cheaply
  commit_tree.emplace(commit, c.tree);
  return c.tree;
}

Result<Memory> Repository::Impl::LoadBlob(const ObjectId& id) const {
  std::string bytes;
  Status s = store->Get(Cf::kObjects, IdView(id), &bytes);
  if (s.IsNotFound()) return Status::Corruption(fmt::format("blob {} is missing", id.short_hex()));
  GITMEM_RETURN_IF_ERROR(s);
  return DecodeMemory(bytes);
}

Status Repository::Impl::CheckWritable() const {
  if (store->read_only()) return Status::PermissionDenied("repository: opened read-only");
  return Status::Ok();
}

// ---- staging ------------------------------------------------------------------------

Result<uint64_t> Repository::Impl::StagingGeneration(std::string_view branch, const Snapshot* snap) const {
  std::string v;
  Status s = store->Get(Cf::kStaging, keys::StagingGenerationKey(options.name, branch), &v, snap);
  if (s.IsNotFound()) return uint64_t{0};
  GITMEM_RETURN_IF_ERROR(s);
  auto generation = keys::ParseStagingGenerationValue(v);
  if (!generation) return Status::Corruption(fmt::format("branch '{}': bad staging generation", branch));
  return *generation;
}

Result<Repository::Impl::Staging> Repository::Impl::ReadStaged(std::string_view branch, const Snapshot* snap) const {
  Staging out;
  GITMEM_ASSIGN_OR_RETURN(out.generation, StagingGeneration(branch, snap));
  auto it = store->Scan(Cf::kStaging, keys::StagingPrefix(options.name, branch, out.generation), snap);
  for (; it->Valid(); it->Next()) {
    auto key = keys::ParseStagingKey(it->key());
    if (!key) return Status::Corruption("staged change: malformed key");
    StagedEntry e;
    e.key.assign(it->key());
    e.id.assign(key->id);
    auto change = keys::ParseStagedValue(it->value());
    if (!change) return Status::Corruption(fmt::format("staged change '{}': bad value", e.id));
    e.blob = *change;
    out.entries.push_back(std::move(e));
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  return out;
}

void Repository::Impl::ClearStaging(std::string_view branch, const Staging& staging, WriteBatch* batch) const {
  for (const StagedEntry& e : staging.entries) batch->Delete(Cf::kStaging, e.key);
  batch->Put(Cf::kStaging, keys::StagingGenerationKey(options.name, branch),
             keys::StagingGenerationValue(staging.generation + 1));
}

Result<std::optional<ObjectId>> Repository::Impl::WorkingBlob(std::string_view branch, std::string_view id) const {
  // Staging first, then the ref: a commit clears staging and moves the ref atomically,
  // so this order never misses a change that is being committed.
  GITMEM_ASSIGN_OR_RETURN(uint64_t generation, StagingGeneration(branch));
  std::string v;
  Status s = store->Get(Cf::kStaging, keys::StagingKey(options.name, branch, generation, id), &v);
  if (s.ok()) {
    auto change = keys::ParseStagedValue(v);
    return change ? *change : std::optional<ObjectId>();
  }
  if (!s.IsNotFound()) return s;
  GITMEM_ASSIGN_OR_RETURN(auto head, ReadRef(BranchRef(branch)));
  if (!head) return std::optional<ObjectId>();
  GITMEM_ASSIGN_OR_RETURN(ObjectId tree, TreeOfCommit(*head));
  return tree::Lookup(source, tree, id);
}

// ---- writes -------------------------------------------------------------------------

Status Repository::Impl::Prepare(Memory* m, const std::string& author) const {
  GITMEM_RETURN_IF_ERROR(NormalizeMemory(m, options));
  if (m->id.empty()) m->id = NewUuidV7();
  if (m->timestamp_us == 0) m->timestamp_us = NowMicros();
  if (m->provenance.author.empty()) m->provenance.author = author;
  GITMEM_RETURN_IF_ERROR(ValidateAuthor(m->provenance.author));
  m->provenance.content_hash = Sha256(m->content);
  return SearchValidate(*m);  // a caller-supplied embedding (search.cc)
}

Result<std::vector<std::string>> Repository::Impl::WriteLocked(const std::string& branch,
                                                               std::span<const Memory> memories,
                                                               const std::vector<std::string>& deletes,
                                                               const std::string& author) {
  WriteBatch batch(*store);
  SortedPuts blobs, sessions, vectors;
  blobs.Reserve(memories.size(), memories.size() * sizeof(ObjectId));
  std::vector<tree::Edit> edits;
  edits.reserve(memories.size() + deletes.size());
  std::vector<std::string> ids;
  ids.reserve(memories.size());
  // A chunk at a time, its work spread over the cores: validating, encoding and hashing
  // dominate a large import, and reusing one chunk's records keeps its memory small.
  constexpr size_t kChunk = 65536;
  std::vector<Memory> chunk(std::min(kChunk, memories.size()));
  std::vector<Status> statuses(chunk.size());
  std::vector<std::string> encoded(chunk.size()), session_keys(chunk.size());
  std::vector<ObjectId> blob_ids(chunk.size());
  for (size_t start = 0; start < memories.size(); start += kChunk) {
    const size_t n = std::min(kChunk, memories.size() - start);
    ParallelFor(n, 4096, [&](size_t k) { chunk[k] = memories[start + k]; });
    // Ids are generated in input order, so a batch's ids sort like its records.
    for (size_t k = 0; k < n; ++k)
      if (chunk[k].id.empty()) chunk[k].id = NewUuidV7();
    ParallelFor(n, 4096, [&](size_t k) {
      statuses[k] = Prepare(&chunk[k], author);
      if (!statuses[k].ok()) return;
      encoded[k] = EncodeMemory(chunk[k]);
      blob_ids[k] = Sha256(encoded[k]);
      session_keys[k] = chunk[k].session_id.empty()
                            ? std::string()
                            : keys::SessionKey(chunk[k].session_id, chunk[k].timestamp_us, blob_ids[k], chunk[k].id);
    });
    for (size_t k = 0; k < n; ++k) {
      if (statuses[k].ok()) continue;
      if (memories.size() == 1) return statuses[k];
      return Status(statuses[k].code(), fmt::format("memories[{}]: {}", start + k, statuses[k].message()));
    }
    for (size_t k = 0; k < n; ++k) {
      if (!session_keys[k].empty()) sessions.Add(session_keys[k], {});
      blobs.Add(IdView(blob_ids[k]), std::move(encoded[k]));
      SearchStage(chunk[k], &vectors);  // its caller-supplied embedding, if any (search.cc)
      edits.push_back({chunk[k].id, blob_ids[k]});
      ids.push_back(chunk[k].id);
    }
  }
  // A large import's blobs become a table file, built while the tree is.
  batch.PutSorted(Cf::kObjects, std::move(blobs));
  batch.PutSorted(Cf::kSessions, std::move(sessions));
  batch.PutSorted(Cf::kVectors, std::move(vectors));
  for (const std::string& id : deletes) edits.push_back({id, std::nullopt});

  if (options.auto_commit) {
    // Staged changes of the branch ride along, so auto_commit never strands them; in
    // this batch the last write of an id wins, as it would in staging.
    GITMEM_ASSIGN_OR_RETURN(auto staged, ReadStaged(branch));
    if (!staged.entries.empty()) ClearStaging(branch, staged, &batch);
    std::vector<tree::Edit> sorted;
    sorted.reserve(staged.entries.size() + edits.size());
    for (auto& s : staged.entries) sorted.push_back({std::move(s.id), s.blob});
    for (auto& e : edits) sorted.push_back(std::move(e));
    auto by_key = [](const tree::Edit& a, const tree::Edit& b) { return a.key < b.key; };
    if (!std::is_sorted(sorted.begin(), sorted.end(), by_key)) std::stable_sort(sorted.begin(), sorted.end(), by_key);
    auto last_of_each = [](auto& a, auto& b) { return a.key == b.key; };
    // Keep the last of each run of equal keys: reverse, keep the first, reverse back.
    std::reverse(sorted.begin(), sorted.end());
    sorted.erase(std::unique(sorted.begin(), sorted.end(), last_of_each), sorted.end());
    std::reverse(sorted.begin(), sorted.end());
    CommitOptions co;
    co.author = author;
    co.message = sorted.size() == 1 ? fmt::format("{} {}", sorted[0].value ? "put" : "delete", sorted[0].key)
                                    : fmt::format("write {} memories", sorted.size());
    // An upsert of an identical record is a no-op, not an error.
    GITMEM_RETURN_IF_ERROR(CommitLocked(branch, std::move(sorted), co, &batch, NoChange::kKeepHead).status());
    return ids;
  }
  GITMEM_ASSIGN_OR_RETURN(uint64_t generation, StagingGeneration(branch));
  for (const auto& e : edits) {
    batch.Put(Cf::kStaging, keys::StagingKey(options.name, branch, generation, e.key),
              e.value ? keys::StagedPutValue(*e.value) : keys::StagedDeleteValue());
  }
  GITMEM_RETURN_IF_ERROR(store->Write(&batch, options.sync));
  return ids;
}

Result<ObjectId> Repository::Impl::CommitLocked(const std::string& branch, std::vector<tree::Edit> edits,
                                                const CommitOptions& opts, WriteBatch* batch, NoChange if_unchanged) {
  GITMEM_ASSIGN_OR_RETURN(auto head, ReadRef(BranchRef(branch)));
  ObjectId base_tree = tree::EmptyTreeId();
  std::vector<ObjectId> parents;
  if (head) {
    GITMEM_ASSIGN_OR_RETURN(base_tree, TreeOfCommit(*head));
    parents.push_back(*head);
  }
  BatchNodeSink sink(&node_cache);
  tree::OverlaySource fresh(&source, &sink);  // new nodes stay readable until written
  GITMEM_ASSIGN_OR_RETURN(tree::EditResult er, tree::ApplyEdits(fresh, &fresh, base_tree, edits));
  if (er.changes.empty() && !opts.allow_empty && head && if_unchanged == NoChange::kKeepHead) {
    GITMEM_RETURN_IF_ERROR(store->Write(batch, options.sync));  // clears what rode along
    return *head;
  }
  if (er.changes.empty() && !opts.allow_empty)
    return Status::InvalidArgument(
        fmt::format("commit: nothing to commit on branch '{}' (the staged changes change nothing)", branch));
  GITMEM_ASSIGN_OR_RETURN(uint64_t count, tree::CountEntries(fresh, er.root));
  sink.AddTo(batch);
  return WriteCommitLocked(branch, parents, er.root, er.changes, count, opts, batch);
}

Result<ObjectId> Repository::Impl::WriteCommitLocked(const std::string& branch, const std::vector<ObjectId>& parents,
                                                     const ObjectId& root, const std::vector<tree::Change>& changes,
                                                     uint64_t memory_count, const CommitOptions& opts,
                                                     WriteBatch* batch) {
  CommitInfo c;
  c.parents = parents;
  c.generation = 1;
  for (const ObjectId& p : parents) {
    GITMEM_ASSIGN_OR_RETURN(CommitInfo pc, LoadCommit(p));
    c.generation = std::max(c.generation, pc.generation + 1);
  }
  if (root == tree::EmptyTreeId()) batch->Put(Cf::kObjects, IdView(root), tree::EmptyTreeBytes());
  c.tree = root;
  c.author = opts.author.empty() ? options.default_author : opts.author;
  c.message = opts.message;
  c.timestamp_us = opts.timestamp_us ? opts.timestamp_us : NowMicros();
  c.memory_count = memory_count;
  for (const tree::Change& ch : changes) {
    if (!ch.old_value)
      ++c.added;
    else if (!ch.new_value)
      ++c.removed;
    else
      ++c.modified;
    if (c.changed_ids.size() < CommitInfo::kMaxSummaryIds)
      c.changed_ids.push_back(ch.key);
    else
      c.changed_ids_truncated = true;
  }
  const std::string bytes = EncodeCommit(c);
  const ObjectId id = Sha256(bytes);
  batch->Put(Cf::kObjects, IdView(id), bytes);
  batch->Put(Cf::kRefs, RefKey(BranchRef(branch)), IdView(id));
  GITMEM_RETURN_IF_ERROR(store->Write(batch, options.sync));
  SearchAfterCommit(branch, changes.size());
  return id;
}

// ---- Repository: open ----------------------------------------------------------------

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::~Repository() = default;

const std::string& Repository::name() const { return impl_->options.name; }
const RepositoryOptions& Repository::options() const { return impl_->options; }

Result<std::unique_ptr<Repository>> Repository::Init(const RepositoryOptions& options, std::string_view path) {
  GITMEM_RETURN_IF_ERROR(ValidateRepoName(options.name));
  GITMEM_RETURN_IF_ERROR(ValidateRefName(options.default_branch, "default branch"));
  if (options.read_only) return Status::InvalidArgument("init: a repository cannot be created read-only");
  StoreOptions so;
  so.create_if_missing = true;
  GITMEM_ASSIGN_OR_RETURN(auto store, Store::Open(path, so));
  auto impl = std::make_unique<Impl>(store, options);
  {
    std::lock_guard<std::mutex> lock(store->RepoLock(options.name));
    std::string existing;
    Status s = store->Get(Cf::kMeta, keys::RepoMetaKey(options.name), &existing);
    if (s.ok()) return Status::AlreadyExists(fmt::format("repository '{}' already exists", options.name));
    if (!s.IsNotFound()) return s;
    nlohmann::json meta = {{"name", options.name},
                           {"description", options.description},
                           {"default_branch", options.default_branch},
                           {"visibility", "private"},
                           {"created_at_us", NowMicros()},
                           {"stars", 0},
                           {"forks", 0},
                           {"watchers", 0}};
    GITMEM_RETURN_IF_ERROR(impl->SearchInit(&meta));  // embedding dimension (search.cc)
    WriteBatch batch(*store);
    batch.Put(Cf::kMeta, keys::RepoMetaKey(options.name), meta.dump());
    batch.Put(Cf::kRefs, impl->RefKey(keys::kHead), keys::SymbolicRef(options.default_branch));
    GITMEM_RETURN_IF_ERROR(store->Write(&batch, true));
  }
  return std::unique_ptr<Repository>(new Repository(std::move(impl)));
}

Result<std::unique_ptr<Repository>> Repository::Open(const RepositoryOptions& options, std::string_view path) {
  GITMEM_RETURN_IF_ERROR(ValidateRepoName(options.name));
  StoreOptions so;
  so.read_only = options.read_only;
  GITMEM_ASSIGN_OR_RETURN(auto store, Store::Open(path, so));
  std::string meta;
  Status s = store->Get(Cf::kMeta, keys::RepoMetaKey(options.name), &meta);
  if (s.IsNotFound())
    return Status::NotFound(fmt::format("repository '{}' not found in store '{}'", options.name, path));
  GITMEM_RETURN_IF_ERROR(s);
  return std::unique_ptr<Repository>(new Repository(std::make_unique<Impl>(store, options)));
}

Result<std::vector<std::string>> Repository::ListRepositories(std::string_view path) {
  StoreOptions so;
  so.read_only = false;
  auto store = Store::Open(path, so);
  if (!store.ok() && store.status().code() == Status::Code::kBusy) {
    so.read_only = true;
    store = Store::Open(path, so);
  }
  if (!store.ok()) return store.status();
  std::vector<std::string> names;
  auto it = (*store)->Scan(Cf::kMeta, keys::RepoMetaPrefix());
  for (; it->Valid(); it->Next())
    if (auto name = keys::ParseRepoMetaKey(it->key())) names.emplace_back(*name);
  GITMEM_RETURN_IF_ERROR(it->status());
  return names;
}

Status Repository::Refresh() { return impl_->store->Refresh(); }

// ---- Repository: memories -------------------------------------------------------------

Result<std::string> Repository::Put(const Memory& memory, const WriteOptions& options) {
  GITMEM_ASSIGN_OR_RETURN(auto ids, PutMany(std::span<const Memory>(&memory, 1), options));
  return ids[0];
}

Result<std::vector<std::string>> Repository::PutMany(std::span<const Memory> memories, const WriteOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.branch));
  const std::string author = options.author.empty() ? impl_->options.default_author : options.author;
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  return impl_->WriteLocked(branch, memories, {}, author);
}

Status Repository::Update(std::string_view id, const MemoryPatch& patch, const WriteOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.branch));
  const std::string author = options.author.empty() ? impl_->options.default_author : options.author;
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto blob, impl_->WorkingBlob(branch, id));
  if (!blob) return Status::NotFound(fmt::format("memory '{}' not found on branch '{}'", id, branch));
  GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(*blob));
  if (patch.content) m.content = *patch.content;
  if (patch.type) m.type = *patch.type;
  if (patch.agent_id) m.agent_id = *patch.agent_id;
  if (patch.session_id) m.session_id = *patch.session_id;
  if (patch.importance) m.importance = *patch.importance;
  if (patch.confidence) m.confidence = *patch.confidence;
  if (patch.tags) m.tags = *patch.tags;
  if (patch.scope) m.scope = *patch.scope;
  if (patch.metadata) m.metadata = *patch.metadata;
  if (patch.relations) m.relations = *patch.relations;
  m.provenance.author = author;
  return impl_->WriteLocked(branch, std::span<const Memory>(&m, 1), {}, author).status();
}

Status Repository::Delete(std::string_view id, const WriteOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.branch));
  const std::string author = options.author.empty() ? impl_->options.default_author : options.author;
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto blob, impl_->WorkingBlob(branch, id));
  if (!blob) return Status::NotFound(fmt::format("memory '{}' not found on branch '{}'", id, branch));
  return impl_->WriteLocked(branch, {}, {std::string(id)}, author).status();
}

Result<Memory> Repository::Get(std::string_view id, const ReadOptions& at) const {
  std::optional<ObjectId> blob;
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->WorkingBranchOf(at));
  if (!branch.empty()) {  // one staging lookup, then the head tree: no overlay needed
    GITMEM_ASSIGN_OR_RETURN(blob, impl_->WorkingBlob(branch, id));
  } else {
    GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(at, nullptr));
    GITMEM_ASSIGN_OR_RETURN(blob, tree::Lookup(impl_->source, st.tree, id));
  }
  if (!blob) return Status::NotFound(fmt::format("memory '{}' not found", id));
  return impl_->LoadBlob(*blob);
}

Result<std::vector<Memory>> Repository::List(const ListOptions& options) const {
  auto snap = impl_->store->GetSnapshot();
  tree::OverlaySource overlay(&impl_->source);
  GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(options.at, &overlay, snap.get()));
  std::vector<Memory> out;
  tree::Cursor cursor(overlay, st.tree);
  if (options.filter.empty()) {
    GITMEM_RETURN_IF_ERROR(cursor.SeekPosition(options.offset));
    for (uint64_t n = 0; n < options.limit && cursor.Valid(); ++n) {
      GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(cursor.entry().ref));
      out.push_back(std::move(m));
      GITMEM_RETURN_IF_ERROR(cursor.Next());
    }
    return out;
  }
  // Whether a memory passes depends on its record, so the state is read from the start
  // and offset / limit count the memories that pass.
  GITMEM_ASSIGN_OR_RETURN(CompiledFilter filter, CompiledFilter::Compile(options.filter));
  GITMEM_RETURN_IF_ERROR(cursor.SeekFirst());
  for (uint64_t skipped = 0; out.size() < options.limit && cursor.Valid();) {
    GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(cursor.entry().ref));
    GITMEM_RETURN_IF_ERROR(cursor.Next());
    if (!filter.Matches(m)) continue;
    if (skipped < options.offset) {
      ++skipped;
      continue;
    }
    out.push_back(std::move(m));
  }
  return out;
}

Result<uint64_t> Repository::Count(const ReadOptions& at) const {
  auto snap = impl_->store->GetSnapshot();
  tree::OverlaySource overlay(&impl_->source);
  GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(at, &overlay, snap.get()));
  return tree::CountEntries(overlay, st.tree);
}

// ---- Repository: commit ----------------------------------------------------------------

Result<ObjectId> Repository::Commit(const CommitOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.branch));
  if (options.message.size() > 64 * 1024) return Status::InvalidArgument("message: exceeds the limit of 65536 bytes");
  if (!IsValidUtf8(options.message)) return Status::InvalidArgument("message: not valid UTF-8");
  if (!options.author.empty()) GITMEM_RETURN_IF_ERROR(ValidateAuthor(options.author));
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(branch));
  if (staged.entries.empty() && !options.allow_empty)
    return Status::InvalidArgument(fmt::format("commit: nothing staged on branch '{}'", branch));
  WriteBatch batch(*impl_->store);
  if (!staged.entries.empty()) impl_->ClearStaging(branch, staged, &batch);
  std::vector<tree::Edit> edits;
  edits.reserve(staged.entries.size());
  for (auto& s : staged.entries) edits.push_back({std::move(s.id), s.blob});
  return impl_->CommitLocked(branch, std::move(edits), options, &batch);
}

Result<std::vector<StagedChange>> Repository::Staged(std::string_view branch_in) const {
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(branch_in));
  GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(branch));
  std::vector<StagedChange> out;
  for (auto& s : staged.entries) {
    StagedChange c;
    c.id = s.id;
    c.deleted = !s.blob;
    if (s.blob) {
      GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(*s.blob));
      c.memory = std::move(m);
    }
    out.push_back(std::move(c));
  }
  return out;
}

Status Repository::DiscardStaged(std::string_view branch_in) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(branch_in));
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto staged, impl_->ReadStaged(branch));
  if (staged.entries.empty()) return Status::Ok();
  WriteBatch batch(*impl_->store);
  impl_->ClearStaging(branch, staged, &batch);
  return impl_->store->Write(&batch, impl_->options.sync);
}

}  // namespace gitmem
