// SearchEngine: per-tree index states, catch-up by tree diff, persistence (see the header).
#include "search/engine/search_engine.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <unordered_map>

#include "search/engine/manifest.h"
#include "store/keys.h"
#include "util/hash.h"

namespace gitmem::search {

namespace {

constexpr uint64_t kDocSeed = 0x6769746d656d4431ull;  // "gitmemD1" (format constant)
constexpr size_t kChunkBytes = 64u << 20;
constexpr size_t kEmbedBatch = 512;
constexpr int kMaxAncestors = 32;

std::string_view FloatBytes(std::span<const float> v) {
  return {reinterpret_cast<const char*>(v.data()), v.size() * sizeof(float)};
}

size_t ResolveDimension(const RepositoryOptions& o) {
  if (o.embedding_dimension != 0) return o.embedding_dimension;
  if (o.embedder) return o.embedder->dimension();
  return 384;
}

Result<std::shared_ptr<Embedder>> MakeEmbedder(const RepositoryOptions& o, size_t dim) {
  if (o.embedder) {
    if (o.embedder->dimension() != dim)
      return Status::InvalidArgument(
          fmt::format("embedder: dimension {} does not match the repository's embedding dimension {}",
                      o.embedder->dimension(), dim));
    return o.embedder;
  }
  DefaultEmbedderOptions eo;
  eo.dimension = dim;
  auto e = NewDefaultEmbedder(eo);
  if (!e.ok()) return Status::InvalidArgument("embedding_dimension: " + e.status().message());
  return std::shared_ptr<Embedder>(std::move(e).value());
}

}  // namespace

// ---- creation ---------------------------------------------------------------------------

Result<std::string> SearchEngine::MetaJson(const RepositoryOptions& options) {
  const size_t dim = ResolveDimension(options);
  GITMEM_ASSIGN_OR_RETURN(auto emb, MakeEmbedder(options, dim));
  nlohmann::json j = {{"dimension", dim}, {"embedder", emb->id()}};
  return j.dump();
}

SearchEngine::SearchEngine(std::unique_ptr<const RepoReader> repo, const RepositoryOptions& options)
    : repo_(std::move(repo)), options_(options.search) {}

Result<std::unique_ptr<SearchEngine>> SearchEngine::Create(std::unique_ptr<const RepoReader> repo,
                                                           const RepositoryOptions& o) {
  std::unique_ptr<SearchEngine> e(new SearchEngine(std::move(repo), o));
  size_t dim = ResolveDimension(o);
  std::string meta;
  Status s = e->repo_->store().Get(Cf::kMeta, keys::RepoMetaKey(e->repo_->name()), &meta);
  if (s.ok()) {
    auto j = nlohmann::json::parse(meta, nullptr, false);
    if (!j.is_discarded() && j.contains("search") && j["search"].contains("dimension") &&
        j["search"]["dimension"].is_number_unsigned()) {
      const size_t recorded = j["search"]["dimension"].get<size_t>();
      if (o.embedding_dimension != 0 && o.embedding_dimension != recorded)
        return Status::InvalidArgument(
            fmt::format("embedding_dimension: {} does not match the repository's recorded dimension {}",
                        o.embedding_dimension, recorded));
      dim = recorded;
    }
  } else if (!s.IsNotFound()) {
    return s;
  }
  GITMEM_ASSIGN_OR_RETURN(e->embedder_, MakeEmbedder(o, dim));
  e->embedder_id_ = e->embedder_->id();
  e->dim_ = dim;
  e->vopts_.dimension = dim;
  e->vopts_.flat_max = o.search.flat_max;
  e->vopts_.hnsw_m = o.search.hnsw_m;
  e->vopts_.hnsw_ef_construction = o.search.hnsw_ef_construction;
  e->vopts_.hnsw_ef_search = o.search.hnsw_ef_search;
  e->vopts_.delta_max = o.search.delta_max;
  e->kopts_.delta_max = o.search.delta_max;
  e->vopts_.build_graphs = !o.search.background_indexing;
  e->writable_ = !e->repo_->store().read_only();
  GITMEM_ASSIGN_OR_RETURN(auto empty, e->NewEmptyState());
  empty->tree = tree::EmptyTreeId();
  empty->source = "build";
  e->empty_ = std::move(empty);
  return e;
}

SearchEngine::~SearchEngine() {
  StopWorker();
  if (!writable_) return;
  std::vector<std::pair<std::string, IndexStatePtr>> behind;
  {
    MutexLock lock(&mu_);
    for (auto& [b, st] : branch_)
      if (st->unpersisted > 0) behind.emplace_back(b, st);
  }
  for (auto& [b, st] : behind) (void)Persist(b, st);  // derived data: a failure only costs a catch-up
}

Result<std::shared_ptr<IndexState>> SearchEngine::NewEmptyState() const {
  GITMEM_ASSIGN_OR_RETURN(auto v, index::VectorIndex::Create(vopts_));
  GITMEM_ASSIGN_OR_RETURN(auto k, Bm25Index::Create(kopts_));
  return std::make_shared<IndexState>(std::move(v), std::move(k));
}

// ---- keys ---------------------------------------------------------------------------------

std::string SearchEngine::VectorKey(const ObjectId& content_hash) const {
  return keys::VectorKey(embedder_id_, content_hash);
}

uint64_t SearchEngine::DocOf(std::string_view id) { return StableHash64(id, kDocSeed); }

Status SearchEngine::ValidateEmbedding(const Memory& m) const {
  if (m.embedding.empty()) return Status::Ok();
  return index::ValidateVector(m.embedding, dim_, "embedding", /*nonzero=*/true);
}

void SearchEngine::StageEmbedding(const Memory& m, SortedPuts* puts) const {
  if (m.embedding.empty()) return;
  puts->Add(VectorKey(m.provenance.content_hash), std::string(FloatBytes(m.embedding)));
}

Result<std::string> SearchEngine::IdOf(uint64_t doc) const {
  {
    MutexLock lock(&mu_);
    auto it = doc_ids_.find(doc);
    if (it != doc_ids_.end()) return it->second;
  }
  std::string id;
  Status s = repo_->store().Get(Cf::kIndexes, keys::DocKey(doc), &id);
  if (s.IsNotFound()) return Status::Corruption(fmt::format("search index: doc {} has no memory id", doc));
  GITMEM_RETURN_IF_ERROR(s);
  MutexLock lock(&mu_);
  doc_ids_.emplace(doc, id);
  return id;
}

Status SearchEngine::RegisterDoc(uint64_t doc, const std::string& id, SortedPuts* puts) {
  MutexLock lock(&mu_);
  auto [it, inserted] = doc_ids_.emplace(doc, id);
  if (!inserted) {
    if (it->second != id)
      return Status::Internal(
          fmt::format("search index: memory ids '{}' and '{}' hash to the same doc number", it->second, id));
    return Status::Ok();
  }
  if (puts) puts->Add(keys::DocKey(doc), id);
  return Status::Ok();
}

// ---- cache ------------------------------------------------------------------------------

IndexStatePtr SearchEngine::Cached(const ObjectId& tree) {
  MutexLock lock(&mu_);
  if (tree == tree::EmptyTreeId()) return empty_;
  auto it = lru_map_.find(tree);
  if (it == lru_map_.end()) return nullptr;
  lru_.splice(lru_.begin(), lru_, it->second);
  return *it->second;
}

void SearchEngine::Remember(const IndexStatePtr& state) {
  MutexLock lock(&mu_);
  auto it = lru_map_.find(state->tree);
  if (it != lru_map_.end()) {
    *it->second = state;
    lru_.splice(lru_.begin(), lru_, it->second);
    return;
  }
  lru_.push_front(state);
  lru_map_[state->tree] = lru_.begin();
  const size_t cap = std::max<size_t>(options_.cache_entries, 1);
  while (lru_.size() > cap) {
    lru_map_.erase(lru_.back()->tree);
    lru_.pop_back();
  }
}

// ---- states -------------------------------------------------------------------------------

Result<IndexStatePtr> SearchEngine::StateFor(const ReadTarget& st, const tree::NodeSource& src) {
  GITMEM_ASSIGN_OR_RETURN(IndexStatePtr base, CommitState(st.commit, st.branch));
  if (base->tree == st.tree) return base;
  // A working state: the base commit's state plus the staged changes, on a copy.
  if (IndexStatePtr hit = Cached(st.tree)) return hit;
  MutexLock build(&build_mu_);
  if (IndexStatePtr hit = Cached(st.tree)) return hit;
  auto next = std::make_shared<IndexState>(*base);
  next->tree = st.tree;
  next->source = "catch-up";
  GITMEM_RETURN_IF_ERROR(ApplyDiff(next.get(), base->tree, st.tree, src));
  next->unpersisted = 0;  // never persisted: staged states are cheap to rederive
  IndexStatePtr out = std::move(next);
  Remember(out);
  return out;
}

void SearchEngine::NoteBranch(const std::string& branch, const IndexStatePtr& state) {
  if (branch.empty()) return;
  MutexLock lock(&mu_);
  branch_[branch] = state;
}

Result<IndexStatePtr> SearchEngine::CommitState(const ObjectId& commit, const std::string& branch) {
  if (commit.is_zero()) return empty_;
  GITMEM_ASSIGN_OR_RETURN(ObjectId tree, repo_->TreeOfCommit(commit));
  {
    MutexLock lock(&mu_);
    if (!branch.empty()) {
      auto it = branch_.find(branch);
      if (it != branch_.end() && it->second->tree == tree) return it->second;
    }
  }
  if (IndexStatePtr hit = Cached(tree)) {
    NoteBranch(branch, hit);
    return hit;
  }
  IndexStatePtr result;
  {
    MutexLock build(&build_mu_);
    if (IndexStatePtr hit = Cached(tree)) {
      NoteBranch(branch, hit);
      return hit;
    }
    GITMEM_ASSIGN_OR_RETURN(IndexStatePtr loaded, Load(tree));
    if (loaded) {
      auto s = std::make_shared<IndexState>(*loaded);
      s->commit = commit;
      result = std::move(s);
    } else {
      GITMEM_ASSIGN_OR_RETURN(IndexStatePtr base, Nearest(commit, branch));
      auto next = std::make_shared<IndexState>(*base);
      next->commit = commit;
      next->tree = tree;
      next->source = base == empty_ ? "build" : "catch-up";
      GITMEM_RETURN_IF_ERROR(ApplyDiff(next.get(), base->tree, tree, repo_->nodes()));
      result = std::move(next);
    }
    Remember(result);
    NoteBranch(branch, result);
  }
  if (!branch.empty() && writable_ && result->unpersisted >= options_.persist_every)
    GITMEM_RETURN_IF_ERROR(Persist(branch, result));
  if (result->vec.VectorsAwaitingGraph() > 0) Schedule(branch);
  return result;
}

Result<IndexStatePtr> SearchEngine::Nearest(const ObjectId& commit, const std::string& branch) {
  // 1. The branch's own latest state, in memory or persisted.
  if (!branch.empty()) {
    {
      MutexLock lock(&mu_);
      auto it = branch_.find(branch);
      if (it != branch_.end()) return it->second;
    }
    std::string v;
    Status s = repo_->store().Get(Cf::kIndexes, keys::IndexBranchKey(repo_->name(), branch), &v);
    if (s.ok() && v.size() == 64) {
      const ObjectId t = IdFromBytes(v);
      if (IndexStatePtr hit = Cached(t)) return hit;
      GITMEM_ASSIGN_OR_RETURN(IndexStatePtr loaded, Load(t));
      if (loaded) return loaded;
    } else if (!s.ok() && !s.IsNotFound()) {
      return s;
    }
  }
  // 2. A first-parent ancestor with an index.
  ObjectId c = commit;
  for (int i = 0; i < kMaxAncestors; ++i) {
    GITMEM_ASSIGN_OR_RETURN(CommitInfo info, repo_->LoadCommit(c));
    if (i > 0) {
      if (IndexStatePtr hit = Cached(info.tree)) return hit;
      GITMEM_ASSIGN_OR_RETURN(IndexStatePtr loaded, Load(info.tree));
      if (loaded) return loaded;
    }
    if (info.parents.empty()) break;
    c = info.parents[0];
  }
  // 3. Any other branch's state, in memory, then persisted.
  {
    MutexLock lock(&mu_);
    if (!branch_.empty()) {
      // The biggest one: most likely to be close to any commit of the repository.
      IndexStatePtr best;
      for (auto& [b, st] : branch_)
        if (!best || st->vec.size() > best->vec.size()) best = st;
      return best;
    }
  }
  auto it = repo_->store().Scan(Cf::kIndexes, keys::IndexBranchPrefix(repo_->name()));
  for (; it->Valid(); it->Next()) {
    if (it->value().size() != 64) continue;
    GITMEM_ASSIGN_OR_RETURN(IndexStatePtr loaded, Load(IdFromBytes(it->value())));
    if (loaded) return loaded;
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  return empty_;
}

Status SearchEngine::ApplyDiff(IndexState* state, const ObjectId& from, const ObjectId& to, const tree::NodeSource& src,
                               const ProgressFn& progress) {
  std::vector<tree::Change> changes;
  GITMEM_RETURN_IF_ERROR(tree::DiffTrees(src, from, to, [&](const tree::Change& ch) {
    changes.push_back(ch);
    return Status::Ok();
  }));
  state->changes_applied = changes.size();
  state->unpersisted += changes.size();
  if (changes.empty()) return Status::Ok();

  // What a catch-up stores (doc-number map, computed vectors) goes in sorted puts: a
  // first build of N memories writes N of each, which a big import turns into an ingested
  // table file instead of a write-ahead log that every later open would replay.
  std::optional<WriteBatch> batch;
  SortedPuts doc_puts, vector_puts;
  if (writable_) batch.emplace(repo_->store());
  auto write = [&]() -> Status {
    if (!batch || doc_puts.size() + vector_puts.size() == 0) return Status::Ok();
    batch->PutSorted(Cf::kIndexes, std::move(doc_puts));
    batch->PutSorted(Cf::kVectors, std::move(vector_puts));
    return repo_->store().Write(&*batch, false);
  };
  struct Pending {
    uint64_t doc;
    ObjectId hash;
    std::string content;
  };
  std::vector<Pending> pending;
  for (size_t i = 0; i < changes.size(); ++i) {
    const tree::Change& ch = changes[i];
    if (progress && i % 4096 == 0) progress(i, changes.size());
    const uint64_t doc = DocOf(ch.key);
    GITMEM_RETURN_IF_ERROR(RegisterDoc(doc, ch.key, batch ? &doc_puts : nullptr));
    if (!ch.new_value) {
      Status s = state->vec.Remove(doc);
      if (!s.ok() && !s.IsNotFound()) return s;
      s = state->kw.Remove(doc);
      if (!s.ok() && !s.IsNotFound()) return s;
      continue;
    }
    GITMEM_ASSIGN_OR_RETURN(Memory m, repo_->LoadBlob(*ch.new_value));
    GITMEM_RETURN_IF_ERROR(state->kw.Add(doc, m.content, m.tags));
    if (ch.old_value && state->vec.Contains(doc)) {
      // Same content (e.g. only tags changed): the vector stays, nothing is embedded.
      GITMEM_ASSIGN_OR_RETURN(Memory old, repo_->LoadBlob(*ch.old_value));
      if (old.provenance.content_hash == m.provenance.content_hash) continue;
    }
    pending.push_back({doc, m.provenance.content_hash, std::move(m.content)});
  }
  if (pending.empty()) return write();

  // Vectors: stored ones first (keyed by embedder id + content hash); the rest embedded in
  // batches, each distinct content once, and stored for next time.
  const size_t d = dim_;
  std::vector<uint64_t> docs(pending.size());
  std::vector<float> vecs(pending.size() * d);
  std::unordered_map<ObjectId, size_t, tree::ObjectIdHash> first_of;  // hash -> pending index
  std::vector<size_t> to_embed;
  std::vector<std::pair<size_t, size_t>> copies;  // (dst, src) for repeated content
  std::string value;
  for (size_t i = 0; i < pending.size(); ++i) {
    docs[i] = pending[i].doc;
    auto [it, fresh] = first_of.emplace(pending[i].hash, i);
    if (!fresh) {
      copies.emplace_back(i, it->second);
      continue;
    }
    Status s = repo_->store().Get(Cf::kVectors, VectorKey(pending[i].hash), &value);
    if (s.ok() && value.size() == d * sizeof(float)) {
      std::memcpy(vecs.data() + i * d, value.data(), value.size());
    } else if (s.ok() || s.IsNotFound()) {
      to_embed.push_back(i);
    } else {
      return s;
    }
  }
  for (size_t start = 0; start < to_embed.size(); start += kEmbedBatch) {
    const size_t n = std::min(kEmbedBatch, to_embed.size() - start);
    std::vector<std::string_view> texts(n);
    std::vector<float> out(n * d);
    for (size_t j = 0; j < n; ++j) texts[j] = pending[to_embed[start + j]].content;
    GITMEM_RETURN_IF_ERROR(embedder_->Embed(texts, out));
    for (size_t j = 0; j < n; ++j) {
      const size_t i = to_embed[start + j];
      std::span<const float> v(out.data() + j * d, d);
      Status s = index::ValidateVector(v, d, "embedder output", false);
      if (!s.ok()) return Status::Internal(fmt::format("embedder '{}': {}", embedder_id_, s.message()));
      std::copy(v.begin(), v.end(), vecs.begin() + i * d);
      if (batch) vector_puts.Add(VectorKey(pending[i].hash), std::string(FloatBytes(v)));
    }
  }
  for (auto [dst, srci] : copies)
    std::copy(vecs.begin() + srci * d, vecs.begin() + (srci + 1) * d, vecs.begin() + dst * d);
  // An all-zero embedding (e.g. a custom embedder's for an empty text) cannot be normalised;
  // such memories are left out of the vector index (still found by keyword search).
  std::vector<uint64_t> keep_docs;
  std::vector<float> keep_vecs;
  keep_docs.reserve(docs.size());
  keep_vecs.reserve(vecs.size());
  for (size_t i = 0; i < docs.size(); ++i) {
    const float* v = vecs.data() + i * d;
    if (std::all_of(v, v + d, [](float x) { return x == 0.0f; })) {
      Status s = state->vec.Remove(docs[i]);
      if (!s.ok() && !s.IsNotFound()) return s;
      continue;
    }
    keep_docs.push_back(docs[i]);
    keep_vecs.insert(keep_vecs.end(), v, v + d);
  }
  vecs.clear();
  vecs.shrink_to_fit();
  GITMEM_RETURN_IF_ERROR(state->vec.AddBatch(keep_docs, keep_vecs));
  return write();
}

Status SearchEngine::Reindex(const std::string& branch, const ProgressFn& progress) {
  GITMEM_ASSIGN_OR_RETURN(auto head, repo_->BranchHead(branch));
  if (!head) return Status::Ok();  // unborn: nothing to index
  GITMEM_ASSIGN_OR_RETURN(ObjectId tree, repo_->TreeOfCommit(*head));
  IndexStatePtr out;
  {
    MutexLock build(&build_mu_);
    GITMEM_ASSIGN_OR_RETURN(auto fresh, NewEmptyState());
    fresh->commit = *head;
    fresh->tree = tree;
    GITMEM_RETURN_IF_ERROR(ApplyDiff(fresh.get(), tree::EmptyTreeId(), tree, repo_->nodes(), progress));
    // An explicit rebuild builds its graph here, where the caller waits for it.
    fresh->vec.set_build_graphs(true);
    GITMEM_RETURN_IF_ERROR(fresh->vec.Compact(true, head->hex()));
    fresh->vec.set_build_graphs(vopts_.build_graphs);
    GITMEM_RETURN_IF_ERROR(fresh->kw.Compact(true));
    fresh->source = "reindex";
    fresh->unpersisted = std::max<uint64_t>(fresh->unpersisted, 1);
    out = std::move(fresh);
    Remember(out);
    MutexLock lock(&mu_);
    branch_[branch] = out;
  }
  if (writable_) GITMEM_RETURN_IF_ERROR(Persist(branch, out));
  return Status::Ok();
}

Status SearchEngine::Flush(const std::string& branch) {
  if (!writable_) return Status::Ok();
  IndexStatePtr st;
  {
    MutexLock lock(&mu_);
    auto it = branch_.find(branch);
    if (it == branch_.end() || it->second->unpersisted == 0) return Status::Ok();
    st = it->second;
  }
  return Persist(branch, st);
}

// ---- persistence ------------------------------------------------------------------------

Status SearchEngine::WriteKeywordSegment(const Bm25Segment& seg, SortedPuts* puts) {
  const std::string key = seg.Key();
  std::string probe;
  // Segments are content-addressed: one already stored is this one. No cache of what is
  // stored: gc may have dropped a segment this object wrote earlier.
  Status s = repo_->store().Get(Cf::kIndexes, keys::SegmentChunkKey(keys::SegmentKind::kKeyword, key, 0), &probe);
  if (!s.IsNotFound()) return s;
  const std::string bytes = seg.Serialize();
  uint32_t chunk = 0;
  for (size_t off = 0; off < bytes.size() || chunk == 0; off += kChunkBytes, ++chunk) {
    puts->Add(keys::SegmentChunkKey(keys::SegmentKind::kKeyword, key, chunk),
              std::string(std::string_view(bytes).substr(off, kChunkBytes)));
    if (bytes.empty()) break;
  }
  return Status::Ok();
}

Result<std::string> SearchEngine::ReadSegment(keys::SegmentKind kind, std::string_view key) const {
  std::string out;
  auto it = repo_->store().Scan(Cf::kIndexes, keys::SegmentChunkPrefix(kind, key));
  size_t chunks = 0;
  for (; it->Valid(); it->Next()) {
    // The prefix also matches the chunks of a longer key that starts with this one.
    auto parts = keys::ParseSegmentChunkKey(it->key());
    if (!parts || parts->segment_key != key) continue;
    out.append(it->value());
    ++chunks;
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  if (chunks == 0) return Status::NotFound(fmt::format("search index: segment {} is missing", key));
  return out;
}

std::string SearchEngine::SegmentPath(std::string_view key) const {
  return keys::SegmentDir(repo_->store().path()) + "/" + keys::SegmentFileName(key);
}

Status SearchEngine::WriteVectorFile(const index::VectorSegment& seg, const std::string& key) {
  const std::string path = SegmentPath(key);
  std::error_code ec;
  // A file under its final name is complete (WriteFile renames it into place), and its
  // name is the content address, so an existing one is this segment. A mapped segment
  // is written again when gc has removed its file (the mapping outlives the file).
  if (std::filesystem::exists(path, ec)) return Status::Ok();
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  if (ec) return Status::IoError(fmt::format("search index: cannot create '{}': {}", path, ec.message()));
  return seg.WriteFile(path);
}

Status SearchEngine::Persist(const std::string& branch, const IndexStatePtr& state) {
  // gc must see a manifest and the segments it names together: it runs either before the
  // segments are checked or after the manifest is written.
  std::lock_guard<std::mutex> no_gc(repo_->store().GcLock());
  WriteBatch batch(repo_->store());
  SortedPuts segment_puts;
  ManifestValue value;
  // Vector segments are files, written and flushed before the batch that names them;
  // keyword segments go in sorted puts, so big ones are ingested (no write-ahead log) in
  // the same Store::Write, before its batch (the manifest).
  for (const auto& seg : state->vec.segments()) {
    GITMEM_ASSIGN_OR_RETURN(std::string key, seg->Key());
    GITMEM_RETURN_IF_ERROR(WriteVectorFile(*seg, key));
    value.vector_segments.push_back(std::move(key));
  }
  for (const auto& seg : state->kw.segments()) {
    GITMEM_RETURN_IF_ERROR(WriteKeywordSegment(*seg, &segment_puts));
    value.keyword_segments.push_back(seg->Key());
  }
  batch.PutSorted(Cf::kIndexes, std::move(segment_puts));
  GITMEM_ASSIGN_OR_RETURN(const std::string vman, state->vec.SerializeManifest());
  const std::string kman = state->kw.SerializeManifest();
  value.vector_manifest = vman;
  value.keyword_manifest = kman;
  value.commit = state->commit;
  value.lists_segments = true;
  GITMEM_RETURN_IF_ERROR(DropReplacedManifest(branch, state->tree, &batch));
  batch.Put(Cf::kIndexes, keys::IndexManifestKey(embedder_id_, state->tree), EncodeManifestValue(value));
  std::string ptr(IdView(state->tree));
  ptr.append(IdView(state->commit));
  batch.Put(Cf::kIndexes, keys::IndexBranchKey(repo_->name(), branch), ptr);
  GITMEM_RETURN_IF_ERROR(repo_->store().Write(&batch, false));
  // Later states of this branch count their changes from here. The state object is
  // shared and immutable to readers; only this counter changes, under mu_.
  MutexLock lock(&mu_);
  auto it = branch_.find(branch);
  if (it != branch_.end() && it->second == state) {
    auto copy = std::make_shared<IndexState>(*state);
    copy->unpersisted = 0;
    it->second = copy;
    auto lit = lru_map_.find(state->tree);
    if (lit != lru_map_.end()) *lit->second = copy;
  }
  return Status::Ok();
}

// The branch's previous manifest goes with the new one unless another branch's pointer
// names the same tree. Past commits are searched by catch-up from a kept state, and
// manifests left behind would pile up: one per persist, each holding up to delta_max
// vectors. REQUIRES: the store's GcLock (persists of every branch are serialised on it).
Status SearchEngine::DropReplacedManifest(const std::string& branch, const ObjectId& tree, WriteBatch* batch) {
  const std::string own = keys::IndexBranchKey(repo_->name(), branch);
  std::string old;
  Status s = repo_->store().Get(Cf::kIndexes, own, &old);
  if (s.IsNotFound() || old.size() != 64) return Status::Ok();
  GITMEM_RETURN_IF_ERROR(s);
  const ObjectId old_tree = IdFromBytes(old);
  if (old_tree == tree) return Status::Ok();
  auto it = repo_->store().Scan(Cf::kIndexes, keys::IndexKindPrefix(keys::IndexKeyKind::kBranch));
  for (; it->Valid(); it->Next())
    if (it->key() != own && it->value().size() == 64 && IdFromBytes(it->value()) == old_tree) return Status::Ok();
  GITMEM_RETURN_IF_ERROR(it->status());
  batch->Delete(Cf::kIndexes, keys::IndexManifestKey(embedder_id_, old_tree));
  return Status::Ok();
}

Result<IndexStatePtr> SearchEngine::Load(const ObjectId& tree) {
  std::string manifest;
  Status s = repo_->store().Get(Cf::kIndexes, keys::IndexManifestKey(embedder_id_, tree), &manifest);
  if (s.IsNotFound()) return IndexStatePtr();
  GITMEM_RETURN_IF_ERROR(s);
  GITMEM_ASSIGN_OR_RETURN(ManifestValue value, DecodeManifestValue(manifest));
  auto vload = [this](std::string_view key) -> Result<std::shared_ptr<const index::VectorSegment>> {
    const std::string k(key);
    {
      MutexLock lock(&mu_);
      auto it = vseg_cache_.find(k);
      if (it != vseg_cache_.end())
        if (auto p = it->second.lock()) return p;
    }
    // A segment file (mapped, searched in place); stores written before segment files
    // existed keep their segments as chunks in the indexes family.
    auto mapped = index::VectorSegment::Map(SegmentPath(k), k);
    if (!mapped.ok() && !mapped.status().IsNotFound()) return mapped.status();
    std::shared_ptr<const index::VectorSegment> seg;
    if (mapped.ok()) {
      seg = std::move(mapped).value();
    } else {
      GITMEM_ASSIGN_OR_RETURN(std::string bytes, ReadSegment(keys::SegmentKind::kVector, k));
      GITMEM_ASSIGN_OR_RETURN(seg, index::VectorSegment::Deserialize(bytes));
    }
    MutexLock lock(&mu_);
    vseg_cache_[k] = seg;
    return seg;
  };
  auto kload = [this](std::string_view key) -> Result<std::shared_ptr<const Bm25Segment>> {
    const std::string k(key);
    {
      MutexLock lock(&mu_);
      auto it = kseg_cache_.find(k);
      if (it != kseg_cache_.end())
        if (auto p = it->second.lock()) return p;
    }
    GITMEM_ASSIGN_OR_RETURN(std::string bytes, ReadSegment(keys::SegmentKind::kKeyword, k));
    GITMEM_ASSIGN_OR_RETURN(auto seg, Bm25Segment::Deserialize(bytes));
    MutexLock lock(&mu_);
    kseg_cache_[k] = seg;
    return seg;
  };
  // A segment gone (a reader whose manifest gc has since dropped) is NotFound: derived
  // data, so the state is rebuilt from another one instead.
  auto v = index::VectorIndex::DeserializeManifest(value.vector_manifest, vload);
  if (v.status().IsNotFound()) return IndexStatePtr();
  GITMEM_RETURN_IF_ERROR(v.status());
  auto k = Bm25Index::DeserializeManifest(value.keyword_manifest, kload);
  if (k.status().IsNotFound()) return IndexStatePtr();
  GITMEM_RETURN_IF_ERROR(k.status());
  if (v->options().dimension != dim_) return IndexStatePtr();  // another dimension: ignore
  auto st = std::make_shared<IndexState>(std::move(v).value(), std::move(k).value());
  st->vec.set_build_graphs(vopts_.build_graphs);  // a process setting, not part of the manifest
  st->commit = value.commit;
  st->tree = tree;
  st->source = "loaded";
  return IndexStatePtr(std::move(st));
}

}  // namespace gitmem::search
