// Repository: store-wide fsck and gc.
//
// Both walk reachability from every ref and staged change of every repository in the
// store. Blobs (the bulk of the objects) are never loaded one by one during the walk:
// their ids are collected from the leaves, sorted, and then met by one sequential scan of
// the objects column family, which is in id order too.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <unordered_map>

#include "object/codec.h"
#include "repo/maintenance.h"
#include "repo/validate.h"
#include "search/engine/index_gc.h"
#include "util/hash.h"

namespace gitmem {

namespace maint {

Status Marker::MarkCommit(const ObjectId& root, const Snapshot* snap) {
  std::vector<ObjectId> stack{root};
  while (!stack.empty()) {
    const ObjectId id = stack.back();
    stack.pop_back();
    if (!commits.insert(id).second) continue;
    std::string bytes;
    Status s = store_.Get(Cf::kObjects, IdView(id), &bytes, snap);
    if (s.IsNotFound()) return Status::Corruption(fmt::format("commit {} is missing", id.hex()));
    GITMEM_RETURN_IF_ERROR(s);
    GITMEM_ASSIGN_OR_RETURN(CommitInfo c, DecodeCommit(bytes));
    GITMEM_RETURN_IF_ERROR(MarkTree(c.tree));
    for (const ObjectId& p : c.parents) stack.push_back(p);
  }
  return Status::Ok();
}

Status Marker::MarkTree(const ObjectId& root) {
  std::vector<ObjectId> stack{root};
  while (!stack.empty()) {
    const ObjectId id = stack.back();
    stack.pop_back();
    if (!trees.insert(id).second) continue;
    GITMEM_ASSIGN_OR_RETURN(tree::NodePtr node, source_.Load(id));
    for (const tree::Entry& e : node->entries) {
      if (node->is_leaf())
        blobs.push_back(e.ref);
      else if (!trees.count(e.ref))
        stack.push_back(e.ref);
    }
  }
  return Status::Ok();
}

Status Marker::MarkRoots(std::string_view repo, const Snapshot* snap) {
  auto it = store_.Scan(Cf::kRefs, repo.empty() ? std::string() : keys::RefPrefix(repo), snap);
  for (; it->Valid(); it->Next()) {
    if (it->value().size() != 32) continue;  // HEAD ("ref: ...")
    GITMEM_RETURN_IF_ERROR(MarkCommit(IdFromBytes(it->value()), snap));
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  auto st = store_.Scan(Cf::kStaging, repo.empty() ? std::string() : keys::StagingRepoPrefix(repo), snap);
  for (; st->Valid(); st->Next()) {
    auto key = keys::ParseStagingKey(st->key());
    if (!key || !key->generation) continue;  // a generation record names no blob
    auto change = keys::ParseStagedValue(st->value());
    if (change && *change) blobs.push_back(**change);
  }
  GITMEM_RETURN_IF_ERROR(st->status());
  if (!repo.empty()) return Status::Ok();
  // A branch's latest persisted search index (docs/search.md: "b" repo \0 branch ->
  // tree-id commit-id) is where catch-up diffs from, so its tree and commit stay while the
  // branch exists, even after a reset left them behind. Derived data: names of objects
  // already gone are skipped. Manifests of other trees are not roots: gc drops those
  // whose tree nothing reaches (index_gc.h).
  auto exists = [&](const ObjectId& id) {
    std::string v;
    return id == tree::EmptyTreeId() || store_.Get(Cf::kObjects, IdView(id), &v, snap).ok();
  };
  auto bt = store_.Scan(Cf::kIndexes, keys::IndexKindPrefix(keys::IndexKeyKind::kBranch), snap);
  for (; bt->Valid(); bt->Next()) {
    auto key = keys::ParseIndexBranchKey(bt->key());
    if (bt->value().size() != 64 || !key) continue;
    GITMEM_ASSIGN_OR_RETURN(bool live, BranchExists(store_, key->repo, key->branch, snap));
    if (!live) continue;
    const ObjectId t = IdFromBytes(bt->value()), c = IdFromBytes(bt->value().substr(32));
    if (!trees.count(t) && exists(t)) GITMEM_RETURN_IF_ERROR(MarkTree(t));
    if (!commits.count(c) && exists(c)) GITMEM_RETURN_IF_ERROR(MarkCommit(c, snap));
  }
  return bt->status();
}

Result<bool> BranchExists(const Store& store, std::string_view repo, std::string_view branch, const Snapshot* snap) {
  std::string v;
  Status s = store.Get(Cf::kRefs, keys::RefKey(repo, keys::BranchRef(branch)), &v, snap);
  if (s.IsNotFound()) return false;
  GITMEM_RETURN_IF_ERROR(s);
  return true;
}

}  // namespace maint

namespace {

void SortUnique(std::vector<ObjectId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

// Store-wide checker: verifies commits and trees as it walks them (each once), collects
// (blob, key) pairs, then verifies the blobs in one sequential scan.
class StoreChecker {
 public:
  StoreChecker(const Store& store, const Snapshot* snap, FsckReport* report) : store_(store), snap_(snap), r_(report) {}

  void Problem(std::string p) { r_->problems.push_back(std::move(p)); }

  bool Load(const ObjectId& id, std::string_view what, std::string* bytes) {
    Status s = store_.Get(Cf::kObjects, IdView(id), bytes, snap_);
    if (!s.ok()) {
      Problem(fmt::format("{} {}: {}", what, id.hex(), s.IsNotFound() ? "missing" : s.ToString()));
      return false;
    }
    ++r_->objects_checked;
    if (!(Sha256(*bytes) == id)) {
      Problem(fmt::format("{} {}: hash does not match its bytes", what, id.hex()));
      return false;
    }
    return true;
  }

  void Commit(const ObjectId& root, std::string_view where) {
    std::vector<ObjectId> stack{root};
    while (!stack.empty()) {
      const ObjectId id = stack.back();
      stack.pop_back();
      if (!commits_.insert(id).second) continue;
      std::string bytes;
      if (!Load(id, "commit", &bytes)) {
        if (id == root) Problem(fmt::format("{}: points at a commit that cannot be read", where));
        continue;
      }
      auto c = DecodeCommit(bytes);
      if (!c.ok()) {
        Problem(fmt::format("commit {}: {}", id.hex(), c.status().message()));
        continue;
      }
      ++r_->commits;
      uint64_t gen = 1;
      for (const ObjectId& p : c->parents) {
        std::string pb;
        if (store_.Get(Cf::kObjects, IdView(p), &pb, snap_).ok()) {
          auto pc = DecodeCommit(pb);
          if (pc.ok()) gen = std::max(gen, pc->generation + 1);
        }
        stack.push_back(p);
      }
      if (c->generation != gen)
        Problem(fmt::format("commit {}: generation {} should be {}", id.hex(), c->generation, gen));
      auto count = Tree(c->tree, std::nullopt, nullptr, nullptr);
      if (count && *count != c->memory_count)
        Problem(fmt::format("commit {}: records {} memories, its tree holds {}", id.hex(), c->memory_count, *count));
    }
  }

  // Checks a subtree against its parent's promises (level, exclusive lower bound, last
  // key); returns its memory count, or nullopt when broken. Each node is checked once;
  // later visits compare the promises with the node's summary.
  std::optional<uint64_t> Tree(const ObjectId& id, std::optional<uint32_t> level, const std::string* lower,
                               const std::string* upper) {
    auto problem = [&](std::string_view what) -> std::optional<uint64_t> {
      Problem(fmt::format("tree {}: {}", id.hex(), what));
      return std::nullopt;
    };
    auto known = trees_.find(id);
    if (known == trees_.end()) {
      Summary sum;
      std::string bytes;
      if (Load(id, "tree", &bytes)) {
        auto node = tree::DecodeNode(bytes);
        if (!node.ok()) {
          Problem(fmt::format("tree {}: {}", id.hex(), node.status().message()));
        } else {
          ++r_->trees;
          sum = Check(id, *node);
        }
      }
      known = trees_.emplace(id, std::move(sum)).first;
    }
    const Summary& s = known->second;
    if (!s.ok) return std::nullopt;
    if (level && s.level != *level) return problem("level differs from its parent's promise");
    if (s.count > 0) {
      if (lower && !(*lower < s.first)) return problem("keys overlap the previous sibling");
      if (upper && s.last != *upper) return problem("last key differs from the parent entry");
    }
    return s.count;
  }

  // Verifies the collected blobs (and, with all_objects, every other object) in one scan.
  Status Blobs(bool all_objects, const ProgressFn& progress) {
    std::sort(blob_refs_.begin(), blob_refs_.end());
    blob_refs_.erase(std::unique(blob_refs_.begin(), blob_refs_.end()), blob_refs_.end());
    size_t i = 0;
    uint64_t done = 0;
    const uint64_t total = blob_refs_.size();
    auto it = store_.Scan(Cf::kObjects, {}, snap_);
    auto missing_until = [&](std::string_view key) {
      while (i < blob_refs_.size() && (key.empty() || IdView(blob_refs_[i].first) < key)) {
        const ObjectId& id = blob_refs_[i].first;
        Problem(fmt::format("blob {}: missing", id.hex()));
        while (i < blob_refs_.size() && blob_refs_[i].first == id) ++i;
      }
    };
    for (; it->Valid(); it->Next()) {
      const std::string_view key = it->key();
      missing_until(key);
      const bool reachable_blob = i < blob_refs_.size() && IdView(blob_refs_[i].first) == key;
      if (reachable_blob) {
        const ObjectId id = blob_refs_[i].first;
        ++r_->objects_checked;
        if (!(Sha256(it->value()) == id)) {
          Problem(fmt::format("blob {}: hash does not match its bytes", id.hex()));
        } else if (auto m = DecodeMemory(it->value()); !m.ok()) {
          Problem(fmt::format("blob {}: {}", id.hex(), m.status().message()));
        } else {
          ++r_->blobs;
          for (size_t j = i; j < blob_refs_.size() && blob_refs_[j].first == id; ++j)
            if (!blob_refs_[j].second.empty() && blob_refs_[j].second != m->id)
              Problem(fmt::format("blob {}: holds memory '{}' under key '{}'", id.hex(), m->id, blob_refs_[j].second));
        }
        while (i < blob_refs_.size() && blob_refs_[i].first == id) ++i;
        if (progress && (++done % 65536) == 0) progress(done, total);
      } else if (all_objects) {
        if (key.size() != 32) {
          Problem("object with a malformed key");
          continue;
        }
        const ObjectId id = IdFromBytes(key);
        if (commits_.count(id) || trees_.count(id)) continue;  // checked on the walk
        ++r_->objects_checked;
        if (!(Sha256(it->value()) == id))
          Problem(fmt::format("object {} (unreachable): hash does not match its bytes", id.hex()));
      }
    }
    GITMEM_RETURN_IF_ERROR(it->status());
    missing_until({});
    if (progress) progress(total, total);
    return Status::Ok();
  }

  void StagedBlob(const ObjectId& id, std::string key) { blob_refs_.emplace_back(id, std::move(key)); }

 private:
  struct Summary {
    bool ok = false;
    uint32_t level = 0;
    std::string first, last;
    uint64_t count = 0;
  };

  Summary Check(const ObjectId& id, const tree::Node& node) {
    Summary sum;
    const auto& es = node.entries;
    sum.level = node.level;
    bool ok = true;
    uint64_t total = 0;
    const std::string* prev = nullptr;
    for (const auto& e : es) {
      if (node.is_leaf()) {
        blob_refs_.emplace_back(e.ref, e.key);
        total += 1;
      } else {
        auto n = Tree(e.ref, node.level - 1, prev, &e.key);
        if (!n)
          ok = false;
        else if (*n != e.count)
          Problem(fmt::format("tree {}: subtree count of '{}' is {}, subtree holds {}", id.hex(), e.key, e.count, *n));
        total += e.count;
      }
      prev = &e.key;
    }
    if (!es.empty()) {
      sum.first = es.front().key;
      sum.last = es.back().key;
    }
    sum.count = total;
    sum.ok = ok;
    return sum;
  }

  const Store& store_;
  const Snapshot* snap_;
  FsckReport* r_;
  std::unordered_set<ObjectId, tree::ObjectIdHash> commits_;
  std::unordered_map<ObjectId, Summary, tree::ObjectIdHash> trees_;
  std::vector<std::pair<ObjectId, std::string>> blob_refs_;
};

// Checks the whole store, or with `only_repo` that repository's refs and staged changes
// and what they reach.
Result<FsckReport> FsckStoreImpl(const Store& store, const FsckOptions& options, std::string_view only_repo = {}) {
  FsckReport report;
  auto snap = store.GetSnapshot();
  StoreChecker check(store, snap.get(), &report);

  // Repository records.
  std::unordered_set<std::string> repos;
  auto mt = store.Scan(Cf::kMeta, keys::RepoMetaPrefix(), snap.get());
  for (; mt->Valid(); mt->Next()) {
    auto key = keys::ParseRepoMetaKey(mt->key());
    if (!key) {
      check.Problem("repository record: malformed key");
      continue;
    }
    std::string name(*key);
    if (!only_repo.empty() && name != only_repo) continue;
    auto j = nlohmann::json::parse(mt->value(), nullptr, /*allow_exceptions=*/false);
    if (!j.is_object()) check.Problem(fmt::format("repository '{}': metadata is not a JSON object", name));
    repos.insert(std::move(name));
  }
  GITMEM_RETURN_IF_ERROR(mt->status());

  // Refs of every repository (or of the one).
  auto it = store.Scan(Cf::kRefs, only_repo.empty() ? std::string() : keys::RefPrefix(only_repo), snap.get());
  for (; it->Valid(); it->Next()) {
    auto key = keys::ParseRefKey(it->key());
    if (!key) {
      check.Problem(fmt::format("ref key '{}': no repository part", it->key()));
      continue;
    }
    const std::string repo(key->repo);
    if (!only_repo.empty() && repo != only_repo) continue;
    const std::string_view ref = key->ref;
    const std::string where = fmt::format("repository '{}' ref '{}'", repo, ref);
    if (!repos.count(repo)) check.Problem(fmt::format("{}: the repository has no record", where));
    const std::string_view v = it->value();
    if (ref == keys::kHead) {
      auto branch = keys::ParseSymbolicRef(v);
      if (!branch || !ValidateRefName(*branch, "branch").ok())
        check.Problem(fmt::format("{}: not a branch reference", where));
      continue;
    }
    if (v.size() != 32) {
      check.Problem(fmt::format("{}: bad value", where));
      continue;
    }
    check.Commit(IdFromBytes(v), where);
  }
  GITMEM_RETURN_IF_ERROR(it->status());

  // Staged changes of every repository.
  auto st =
      store.Scan(Cf::kStaging, only_repo.empty() ? std::string() : keys::StagingRepoPrefix(only_repo), snap.get());
  for (; st->Valid(); st->Next()) {
    auto key = keys::ParseStagingKey(st->key());
    if (!key) {
      if (only_repo.empty()) check.Problem("staged change: malformed key");
      continue;
    }
    if (!only_repo.empty() && key->repo != only_repo) continue;
    if (!key->generation) {
      if (!keys::ParseStagingGenerationValue(st->value()))
        check.Problem(fmt::format("branch '{}' of repository '{}': bad staging generation", key->branch, key->repo));
      continue;
    }
    const std::string id(key->id);
    auto change = keys::ParseStagedValue(st->value());
    if (!change)
      check.Problem(fmt::format("staged change '{}' of repository '{}': bad value", id, key->repo));
    else if (*change)
      check.StagedBlob(**change, id);
  }
  GITMEM_RETURN_IF_ERROR(st->status());

  // Search index data is store-wide (manifests are keyed by tree, not by repository).
  if (only_repo.empty()) {
    GITMEM_ASSIGN_OR_RETURN(search::IndexSweep index, search::IndexSweep::Scan(store, snap.get()));
    for (std::string& p : index.Problems()) check.Problem(std::move(p));
  }

  GITMEM_RETURN_IF_ERROR(check.Blobs(options.all_objects, options.progress));
  return report;
}

}  // namespace

Result<FsckReport> Repository::FsckStore(std::string_view path, const FsckOptions& options) {
  StoreOptions so;
  auto store = Store::Open(path, so);
  if (!store.ok() && store.status().code() == Status::Code::kBusy) {
    so.read_only = true;  // another process writes: check what it has written so far
    store = Store::Open(path, so);
  }
  if (!store.ok()) return store.status();
  return FsckStoreImpl(**store, options);
}

Result<FsckReport> Repository::FsckAll(const FsckOptions& options) const {
  return FsckStoreImpl(*impl_->store, options);
}

Result<FsckReport> Repository::Fsck() const { return FsckStoreImpl(*impl_->store, {}, impl_->options.name); }

Result<GcReport> Repository::Gc(const GcOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  Store& store = *impl_->store;
  // One gc at a time per store; imports and index persists wait (Store::GcLock).
  std::lock_guard<std::mutex> one_gc(store.GcLock());
  GcReport report;

  // Mark at a snapshot; nothing waits for this.
  auto snap = store.GetSnapshot();
  maint::Marker marker(store, impl_->source);
  GITMEM_RETURN_IF_ERROR(marker.MarkRoots({}, snap.get()));
  SortUnique(&marker.blobs);
  // Stored vectors are keyed by content: the contents of reachable memories keep theirs.
  const bool has_vectors = store.Scan(Cf::kVectors, {}, snap.get())->Valid();
  std::vector<ObjectId> live_contents;
  bool contents_known = true;  // a blob that does not decode (fsck reports it) keeps every vector
  auto add_content = [&](std::string_view blob_bytes) {
    auto m = DecodeMemory(blob_bytes);
    if (m.ok())
      live_contents.push_back(m->provenance.content_hash);
    else
      contents_known = false;
  };

  // Sweep the snapshot: an object is a candidate when nothing marked it. Objects written
  // after the snapshot are not in it, so they are never candidates.
  std::vector<ObjectId> candidates;
  std::vector<uint64_t> sizes;
  {
    const uint64_t estimate = store.ApproximateSize(Cf::kObjects) / 256;  // for progress only
    auto it = store.Scan(Cf::kObjects, {}, snap.get());
    size_t bi = 0;
    for (; it->Valid(); it->Next()) {
      ++report.objects_scanned;
      const std::string_view key = it->key();
      if (key.size() != 32) continue;  // not an object id: leave it to fsck
      while (bi < marker.blobs.size() && IdView(marker.blobs[bi]) < key) ++bi;
      if (bi < marker.blobs.size() && IdView(marker.blobs[bi]) == key) {
        if (has_vectors) add_content(it->value());
        continue;
      }
      const ObjectId id = IdFromBytes(key);
      if (marker.trees.count(id) || marker.commits.count(id)) continue;
      candidates.push_back(id);
      sizes.push_back(it->value().size());
      if (options.progress && (report.objects_scanned % 65536) == 0)
        options.progress(report.objects_scanned, std::max(estimate, report.objects_scanned));
    }
    GITMEM_RETURN_IF_ERROR(it->status());
  }
  SortUnique(&live_contents);
  auto content_live = [&](const ObjectId& c) {
    return !contents_known || std::binary_search(live_contents.begin(), live_contents.end(), c);
  };
  GITMEM_ASSIGN_OR_RETURN(search::IndexSweep index_sweep, search::IndexSweep::Scan(store, snap.get(), content_live));
  auto liveness_at = [&](const Snapshot* at) {
    search::IndexLiveness live;
    live.tree = [&](const ObjectId& t) { return marker.trees.count(t) > 0; };
    live.branch = [&store, at](std::string_view repo, std::string_view branch) {
      return maint::BranchExists(store, repo, branch, at);
    };
    live.content = content_live;
    return live;
  };
  GITMEM_ASSIGN_OR_RETURN(search::IndexGarbage index_garbage, index_sweep.Decide(liveness_at(snap.get())));
  report.objects_reachable = report.objects_scanned - candidates.size();
  if ((candidates.empty() && index_garbage.empty()) || options.dry_run) {
    if (options.dry_run) {
      report.objects_freed = candidates.size();
      for (uint64_t s : sizes) report.bytes_freed += s;
      report.index_snapshots_freed = index_garbage.snapshots;
      report.vectors_freed = index_garbage.vectors;
      report.index_bytes_freed = index_garbage.bytes;
    }
    if (options.progress) options.progress(report.objects_scanned, report.objects_scanned);
    return report;
  }

  // Re-mark with writes paused: whatever refs and staged changes gained since the
  // snapshot (new commits, a branch reset to an old commit, a staged blob equal to an
  // unreachable one) is marked now, and only what is still unmarked is deleted. Subtrees
  // marked before are not walked again, so this costs what changed since the snapshot.
  auto paused = store.PauseWrites();
  auto now = store.GetSnapshot();
  const size_t old_blobs = marker.blobs.size();
  GITMEM_RETURN_IF_ERROR(marker.MarkRoots({}, now.get()));
  std::unordered_set<ObjectId, tree::ObjectIdHash> late_blobs(marker.blobs.begin() + old_blobs, marker.blobs.end());
  if (has_vectors) {
    for (const ObjectId& b : late_blobs) {
      std::string bytes;
      Status s = store.Get(Cf::kObjects, IdView(b), &bytes, now.get());
      if (s.IsNotFound()) continue;  // a missing object is fsck's to report
      GITMEM_RETURN_IF_ERROR(s);
      add_content(bytes);
    }
    SortUnique(&live_contents);
  }
  GITMEM_ASSIGN_OR_RETURN(index_garbage, index_sweep.Decide(liveness_at(now.get())));
  std::vector<ObjectId> freed;
  WriteBatch batch(store);
  auto flush_full = [&]() -> Status {
    if (batch.Count() < 100000) return Status::Ok();
    GITMEM_RETURN_IF_ERROR(store.WritePaused(&batch, false));
    batch = WriteBatch(store);
    return Status::Ok();
  };
  for (size_t i = 0; i < candidates.size(); ++i) {
    const ObjectId& id = candidates[i];
    if (late_blobs.count(id) || marker.trees.count(id) || marker.commits.count(id)) continue;
    batch.Delete(Cf::kObjects, IdView(id));
    freed.push_back(id);
    report.bytes_freed += sizes[i];
    GITMEM_RETURN_IF_ERROR(flush_full());
  }
  report.objects_freed = freed.size();
  report.objects_reachable = report.objects_scanned - freed.size();
  // Session index entries whose blob is gone.
  auto ss = store.Scan(Cf::kSessions, {}, now.get());
  for (; ss->Valid(); ss->Next()) {
    auto key = keys::ParseSessionKey(ss->key());
    if (!key) continue;
    if (std::binary_search(freed.begin(), freed.end(), key->blob)) {
      batch.Delete(Cf::kSessions, ss->key());
      ++report.session_entries_freed;
    }
  }
  GITMEM_RETURN_IF_ERROR(ss->status());
  for (const std::string& key : index_garbage.index_keys) {
    batch.Delete(Cf::kIndexes, key);
    GITMEM_RETURN_IF_ERROR(flush_full());
  }
  for (const std::string& key : index_garbage.vector_keys) {
    batch.Delete(Cf::kVectors, key);
    GITMEM_RETURN_IF_ERROR(flush_full());
  }
  GITMEM_RETURN_IF_ERROR(store.WritePaused(&batch, impl_->options.sync));
  // Segment files go once no manifest names them any more (a reader that still maps
  // one keeps its pages until it unmaps).
  for (const std::string& path : index_garbage.files) {
    std::error_code ec;
    std::filesystem::remove(path, ec);
    if (ec) return Status::IoError(fmt::format("gc: cannot remove '{}': {}", path, ec.message()));
  }
  report.index_snapshots_freed = index_garbage.snapshots;
  report.vectors_freed = index_garbage.vectors;
  report.index_bytes_freed = index_garbage.bytes;
  if (options.progress) options.progress(report.objects_scanned, report.objects_scanned);
  return report;
}

}  // namespace gitmem
