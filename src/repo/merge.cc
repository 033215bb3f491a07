// Repository: merge bases, merge (fast-forward and three-way), cherry-pick, revert.
//
// A three-way merge diffs the base against each side (tree::DiffThreeWay, whose node by
// node diffs cost about the changes), settles the keys both sides changed differently,
// and applies the source's remaining changes to the target's tree with tree::ApplyEdits:
// the merge costs about the changes, never N.
#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "object/codec.h"
#include "repo/repo_impl.h"
#include "repo/validate.h"
#include "tree/three_way_differ.h"
#include "util/hash.h"
#include "util/text.h"

namespace gitmem {

namespace {

constexpr std::string_view kStrategyNames[] = {"fail", "ours", "theirs", "newest", "most_important", "callback"};

// The value a virtual merge base holds for a key its merge bases disagree about: no blob
// has this id (it is never written), so both sides differ from it and any real
// difference between them is reported as a conflict.
const ObjectId& AmbiguousBase() {
  static const ObjectId id = [] {
    ObjectId x;
    x.bytes.fill(0xff);
    return x;
  }();
  return id;
}

struct CommitNode {
  uint64_t generation;
  std::vector<ObjectId> parents;
};

// Finds merge bases by painting down from both commits in generation order (highest
// first): a commit reached from both sides is a base unless a base above it already
// made it stale. Generation order guarantees that every descendant of a commit is
// handled before it, so the result holds no base that is an ancestor of another.
class BaseFinder {
 public:
  explicit BaseFinder(const Repository::Impl& impl) : impl_(impl) {}

  Result<std::vector<ObjectId>> Find(const ObjectId& a, const ObjectId& b) {
    if (a == b) return std::vector<ObjectId>{a};
    constexpr uint8_t kA = 1, kB = 2, kStale = 4;
    std::unordered_map<ObjectId, uint8_t, tree::ObjectIdHash> flags;
    std::vector<std::pair<uint64_t, ObjectId>> heap;  // max-heap on (generation, id)
    auto push = [&](const ObjectId& id) -> Status {
      GITMEM_ASSIGN_OR_RETURN(const CommitNode* n, Node(id));
      heap.emplace_back(n->generation, id);
      std::push_heap(heap.begin(), heap.end());
      return Status::Ok();
    };
    flags[a] = kA;
    flags[b] = kB;
    GITMEM_RETURN_IF_ERROR(push(a));
    GITMEM_RETURN_IF_ERROR(push(b));
    std::vector<std::pair<uint64_t, ObjectId>> found;
    auto live = [&] {
      for (const auto& [g, id] : heap)
        if (!(flags[id] & kStale)) return true;
      return false;
    };
    while (!heap.empty() && live()) {
      std::pop_heap(heap.begin(), heap.end());
      const auto [gen, id] = heap.back();
      heap.pop_back();
      uint8_t f = flags[id];
      if ((f & (kA | kB)) == (kA | kB) && !(f & kStale)) {
        found.emplace_back(gen, id);
        f |= kStale;
        flags[id] = f;
      }
      GITMEM_ASSIGN_OR_RETURN(const CommitNode* n, Node(id));
      const std::vector<ObjectId> parents = n->parents;
      for (const ObjectId& p : parents) {
        uint8_t& pf = flags[p];
        const uint8_t nf = pf | f;
        if (nf != pf) {
          pf = nf;
          GITMEM_RETURN_IF_ERROR(push(p));
        }
      }
    }
    std::sort(found.begin(), found.end(), [](const auto& x, const auto& y) {
      return x.first != y.first ? x.first > y.first : x.second < y.second;
    });
    found.erase(std::unique(found.begin(), found.end()), found.end());
    std::vector<ObjectId> out;
    for (auto& [g, id] : found) out.push_back(id);
    return out;
  }

 private:
  Result<const CommitNode*> Node(const ObjectId& id) {
    auto it = nodes_.find(id);
    if (it != nodes_.end()) return &it->second;
    GITMEM_ASSIGN_OR_RETURN(CommitInfo c, impl_.LoadCommit(id));
    auto [pos, _] = nodes_.emplace(id, CommitNode{c.generation, std::move(c.parents)});
    return &pos->second;
  }

  const Repository::Impl& impl_;
  std::unordered_map<ObjectId, CommitNode, tree::ObjectIdHash> nodes_;
};

// The tree to merge against: the single base's tree, or for several bases (criss-cross
// merges) a virtual base made by merging the bases pairwise (recursively, against their
// own merge base), where keys the bases disagree about hold AmbiguousBase(). Virtual
// nodes live in `overlay` only and are never written.
Result<ObjectId> BaseTree(const Repository::Impl& impl, const std::vector<ObjectId>& bases,
                          tree::OverlaySource* overlay, int depth) {
  if (bases.empty()) return tree::EmptyTreeId();
  GITMEM_ASSIGN_OR_RETURN(ObjectId acc, impl.TreeOfCommit(bases[0]));
  for (size_t i = 1; i < bases.size(); ++i) {
    GITMEM_ASSIGN_OR_RETURN(ObjectId other, impl.TreeOfCommit(bases[i]));
    ObjectId inner = tree::EmptyTreeId();
    if (depth < 8) {
      BaseFinder finder(impl);
      GITMEM_ASSIGN_OR_RETURN(auto inner_bases, finder.Find(bases[0], bases[i]));
      GITMEM_ASSIGN_OR_RETURN(inner, BaseTree(impl, inner_bases, overlay, depth + 1));
    }
    GITMEM_ASSIGN_OR_RETURN(tree::ThreeWayDiff tw, tree::DiffThreeWay(*overlay, inner, acc, other));
    for (const tree::ThreeWayConflict& c : tw.conflicts) tw.edits.push_back({c.key, AmbiguousBase()});
    std::sort(tw.edits.begin(), tw.edits.end(), [](const auto& x, const auto& y) { return x.key < y.key; });
    GITMEM_ASSIGN_OR_RETURN(auto er, tree::ApplyEdits(*overlay, overlay, acc, tw.edits));
    acc = er.root;
  }
  return acc;
}

// What a merge, cherry-pick or revert combines.
struct MergeInput {
  std::string branch;
  std::optional<ObjectId> ours_head;  // empty: unborn branch
  ObjectId ours_tree, base_tree, theirs_tree;
  int64_t ours_time = 0, theirs_time = 0;
  std::vector<ObjectId> parents;  // of the commit to write
  bool always_commit = false;     // merges record a commit even when the tree is unchanged
  std::string default_message;
};

Result<std::optional<Memory>> LoadOptional(const Repository::Impl& impl, const std::optional<ObjectId>& id) {
  if (!id || *id == AmbiguousBase()) return std::optional<Memory>();
  GITMEM_ASSIGN_OR_RETURN(Memory m, impl.LoadBlob(*id));
  return std::optional<Memory>(std::move(m));
}

// Settles one conflict by the strategy; returns the kept value (empty optional = delete)
// or nullopt-of-optional when unresolved (kFail).
using Settled = std::optional<std::optional<ObjectId>>;
Settled Keep(const std::optional<ObjectId>& v) { return Settled(std::in_place, v); }

Settled ByStrategy(MergeStrategy strategy, const tree::ThreeWayConflict& rc, const MergeConflict& mc,
                   const MergeInput& in) {
  switch (strategy) {
    case MergeStrategy::kOurs: return Keep(rc.ours);
    case MergeStrategy::kTheirs: return Keep(rc.theirs);
    case MergeStrategy::kNewest: {
      const int64_t to = mc.ours ? mc.ours->timestamp_us : in.ours_time;
      const int64_t tt = mc.theirs ? mc.theirs->timestamp_us : in.theirs_time;
      if (tt > to) return Keep(rc.theirs);
      if (to > tt) return Keep(rc.ours);
      return Keep(in.theirs_time > in.ours_time ? rc.theirs : rc.ours);
    }
    case MergeStrategy::kMostImportant: {
      if (!mc.ours) return Keep(rc.theirs);  // a deletion never beats a kept memory
      if (!mc.theirs) return Keep(rc.ours);
      return Keep(mc.theirs->importance > mc.ours->importance ? rc.theirs : rc.ours);
    }
    default: return std::nullopt;
  }
}

MergeConflict::Kind ConflictKind(tree::ThreeWayConflict::Kind k) {
  switch (k) {
    case tree::ThreeWayConflict::Kind::kModifiedDeleted: return MergeConflict::Kind::kModifiedDeleted;
    case tree::ThreeWayConflict::Kind::kDeletedModified: return MergeConflict::Kind::kDeletedModified;
    case tree::ThreeWayConflict::Kind::kBothModified: break;
  }
  return MergeConflict::Kind::kBothModified;
}

Status CheckMergeOptions(const MergeOptions& o) {
  if (static_cast<uint8_t>(o.strategy) > static_cast<uint8_t>(MergeStrategy::kCallback))
    return Status::InvalidArgument(fmt::format("strategy: {} is not a merge strategy", static_cast<int>(o.strategy)));
  if (o.strategy == MergeStrategy::kCallback && !o.resolver)
    return Status::InvalidArgument("strategy: 'callback' needs MergeOptions::resolver");
  if (o.message.size() > 64 * 1024) return Status::InvalidArgument("message: exceeds the limit of 65536 bytes");
  if (!IsValidUtf8(o.message)) return Status::InvalidArgument("message: not valid UTF-8");
  if (!o.author.empty()) GITMEM_RETURN_IF_ERROR(ValidateAuthor(o.author));
  return Status::Ok();
}

// The common tail of merge, cherry-pick and revert. REQUIRES: the branch lock is held.
Result<MergeResult> RunThreeWay(Repository::Impl& impl, const MergeInput& in, const MergeOptions& opts,
                                const std::vector<ObjectId>& bases, tree::OverlaySource* overlay) {
  MergeResult result;
  result.merge_bases = bases;
  GITMEM_ASSIGN_OR_RETURN(tree::ThreeWayDiff tw,
                          tree::DiffThreeWay(*overlay, in.base_tree, in.ours_tree, in.theirs_tree));

  const std::string author = opts.author.empty() ? impl.options.default_author : opts.author;
  WriteBatch batch(*impl.store);
  std::vector<tree::Edit> edits = std::move(tw.edits);
  size_t settled_by_map = 0;
  bool unresolved = false;
  for (const tree::ThreeWayConflict& rc : tw.conflicts) {
    MergeConflict mc;
    mc.id = rc.key;
    mc.kind = ConflictKind(rc.kind());
    mc.base_ambiguous = rc.base && *rc.base == AmbiguousBase();
    GITMEM_ASSIGN_OR_RETURN(mc.base, LoadOptional(impl, rc.base));
    GITMEM_ASSIGN_OR_RETURN(mc.ours, LoadOptional(impl, rc.ours));
    GITMEM_ASSIGN_OR_RETURN(mc.theirs, LoadOptional(impl, rc.theirs));

    // A memory chosen by the caller (explicit resolution or callback) becomes a blob.
    std::optional<Memory> chosen;
    bool by_caller = false;
    auto given = opts.resolutions.find(rc.key);
    if (given != opts.resolutions.end()) {
      chosen = given->second;
      by_caller = true;
      ++settled_by_map;
    } else if (opts.strategy == MergeStrategy::kCallback) {
      auto r = opts.resolver(mc);
      if (!r.ok())
        return Status(r.status().code(), fmt::format("merge resolver for '{}': {}", rc.key, r.status().message()));
      chosen = std::move(r).value();
      by_caller = true;
    }
    std::optional<ObjectId> keep;
    if (by_caller) {
      if (chosen) {
        if (chosen->id != rc.key)
          return Status::InvalidArgument(
              fmt::format("resolution of '{}': the memory's id is '{}'", rc.key, chosen->id));
        Memory m = *chosen;
        GITMEM_RETURN_IF_ERROR(impl.Prepare(&m, author));
        const std::string bytes = EncodeMemory(m);
        keep = Sha256(bytes);
        batch.Put(Cf::kObjects, IdView(*keep), bytes);
        mc.resolution = std::move(m);
      }
    } else {
      auto by = ByStrategy(opts.strategy, rc, mc, in);
      if (!by) {
        unresolved = true;
        result.conflicts.push_back(std::move(mc));
        continue;
      }
      keep = *by;
      mc.resolution = keep == rc.ours ? mc.ours : mc.theirs;
    }
    if (keep != rc.ours) edits.push_back({rc.key, keep});
    result.conflicts.push_back(std::move(mc));
  }
  if (settled_by_map != opts.resolutions.size()) {
    for (const auto& resolution : opts.resolutions) {
      const std::string& id = resolution.first;  // not a structured binding: Clang 14 cannot capture one
      const bool is_conflict = std::any_of(tw.conflicts.begin(), tw.conflicts.end(),
                                           [&](const tree::ThreeWayConflict& c) { return c.key == id; });
      if (!is_conflict)
        return Status::InvalidArgument(fmt::format("resolutions: '{}' is not a conflict of this merge", id));
    }
  }
  if (unresolved) return result;  // kFail: report, change nothing

  std::sort(edits.begin(), edits.end(), [](const auto& x, const auto& y) { return x.key < y.key; });
  BatchNodeSink sink(&impl.node_cache);
  tree::OverlaySource fresh(&impl.source, &sink);
  GITMEM_ASSIGN_OR_RETURN(tree::EditResult er, tree::ApplyEdits(fresh, &fresh, in.ours_tree, edits));
  result.changes_applied = er.changes.size();
  if (er.changes.empty() && !in.always_commit) {
    result.up_to_date = true;
    return result;
  }
  GITMEM_ASSIGN_OR_RETURN(uint64_t count, tree::CountEntries(fresh, er.root));
  sink.AddTo(&batch);
  CommitOptions co;
  co.message = opts.message.empty() ? in.default_message : opts.message;
  co.author = author;
  co.timestamp_us = opts.timestamp_us;
  GITMEM_ASSIGN_OR_RETURN(result.commit,
                          impl.WriteCommitLocked(in.branch, in.parents, er.root, er.changes, count, co, &batch));
  return result;
}

// Moves a branch ref to `to` (fast-forward). REQUIRES: the branch lock is held.
Status MoveRef(Repository::Impl& impl, const std::string& branch, const ObjectId& to) {
  WriteBatch batch(*impl.store);
  batch.Put(Cf::kRefs, impl.RefKey(Repository::Impl::BranchRef(branch)), IdView(to));
  return impl.store->Write(&batch, impl.options.sync);
}

}  // namespace

std::string_view ToString(MergeStrategy s) noexcept {
  const auto i = static_cast<size_t>(s);
  return i < std::size(kStrategyNames) ? kStrategyNames[i] : "invalid";
}

Result<MergeStrategy> ParseMergeStrategy(std::string_view s) {
  for (size_t i = 0; i < std::size(kStrategyNames); ++i)
    if (kStrategyNames[i] == s) return static_cast<MergeStrategy>(i);
  return Status::InvalidArgument(
      fmt::format("strategy: '{}' is not one of fail, ours, theirs, newest, most_important, callback", s));
}

std::string_view ToString(MergeConflict::Kind k) noexcept {
  switch (k) {
    case MergeConflict::Kind::kBothModified: return "both_modified";
    case MergeConflict::Kind::kModifiedDeleted: return "modified_deleted";
    case MergeConflict::Kind::kDeletedModified: return "deleted_modified";
  }
  return "invalid";
}

Result<std::vector<ObjectId>> Repository::MergeBases(std::string_view a, std::string_view b) const {
  GITMEM_ASSIGN_OR_RETURN(ObjectId ca, impl_->ResolveCommit(a));
  GITMEM_ASSIGN_OR_RETURN(ObjectId cb, impl_->ResolveCommit(b));
  BaseFinder finder(*impl_);
  return finder.Find(ca, cb);
}

Result<MergeResult> Repository::Merge(std::string_view source, const MergeOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_RETURN_IF_ERROR(CheckMergeOptions(options));
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.into));
  if (source.empty()) return Status::InvalidArgument("source: name a branch, tag or commit to merge");
  GITMEM_ASSIGN_OR_RETURN(ObjectId theirs, impl_->ResolveCommit(source));
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto ours, impl_->ReadRef(Impl::BranchRef(branch)));
  MergeResult result;
  if (!ours) {  // an unborn branch takes the source as it is
    GITMEM_RETURN_IF_ERROR(MoveRef(*impl_, branch, theirs));
    result.commit = theirs;
    result.fast_forward = true;
    return result;
  }
  if (*ours == theirs) {
    result.up_to_date = true;
    result.merge_bases = {theirs};
    return result;
  }
  BaseFinder finder(*impl_);
  GITMEM_ASSIGN_OR_RETURN(auto bases, finder.Find(*ours, theirs));
  if (bases.size() == 1 && bases[0] == theirs) {
    result.up_to_date = true;
    result.merge_bases = bases;
    return result;
  }
  if (bases.size() == 1 && bases[0] == *ours && options.allow_fast_forward) {
    GITMEM_RETURN_IF_ERROR(MoveRef(*impl_, branch, theirs));
    result.commit = theirs;
    result.fast_forward = true;
    result.merge_bases = bases;
    return result;
  }
  tree::OverlaySource overlay(&impl_->source);
  MergeInput in;
  in.branch = branch;
  in.ours_head = ours;
  GITMEM_ASSIGN_OR_RETURN(CommitInfo oc, impl_->LoadCommit(*ours));
  GITMEM_ASSIGN_OR_RETURN(CommitInfo tc, impl_->LoadCommit(theirs));
  in.ours_tree = oc.tree;
  in.theirs_tree = tc.tree;
  in.ours_time = oc.timestamp_us;
  in.theirs_time = tc.timestamp_us;
  GITMEM_ASSIGN_OR_RETURN(in.base_tree, BaseTree(*impl_, bases, &overlay, 0));
  in.parents = {*ours, theirs};
  in.always_commit = true;
  in.default_message = fmt::format("Merge {} into {}", source, branch);
  return RunThreeWay(*impl_, in, options, bases, &overlay);
}

namespace {

// Cherry-pick (reverse = false) or revert (reverse = true) of one commit.
Result<MergeResult> PickOne(Repository::Impl& impl, std::string_view rev, const MergeOptions& options, bool reverse) {
  GITMEM_RETURN_IF_ERROR(impl.CheckWritable());
  GITMEM_RETURN_IF_ERROR(CheckMergeOptions(options));
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl.BranchOrCurrent(options.into));
  if (rev.empty()) return Status::InvalidArgument("commit: name the commit to apply");
  GITMEM_ASSIGN_OR_RETURN(ObjectId id, impl.ResolveCommit(rev));
  GITMEM_ASSIGN_OR_RETURN(CommitInfo c, impl.LoadCommit(id));
  ObjectId parent_tree = tree::EmptyTreeId();
  if (!c.parents.empty()) {
    GITMEM_ASSIGN_OR_RETURN(parent_tree, impl.TreeOfCommit(c.parents[0]));
  }
  std::lock_guard<std::mutex> lock(impl.store->BranchLock(impl.options.name, branch));
  GITMEM_ASSIGN_OR_RETURN(auto ours, impl.ReadRef(Repository::Impl::BranchRef(branch)));
  MergeInput in;
  in.branch = branch;
  in.ours_head = ours;
  in.ours_tree = tree::EmptyTreeId();
  if (ours) {
    GITMEM_ASSIGN_OR_RETURN(CommitInfo oc, impl.LoadCommit(*ours));
    in.ours_tree = oc.tree;
    in.ours_time = oc.timestamp_us;
    in.parents = {*ours};
  }
  in.theirs_time = c.timestamp_us;
  in.base_tree = reverse ? c.tree : parent_tree;
  in.theirs_tree = reverse ? parent_tree : c.tree;
  const std::string first_line = c.message.substr(0, c.message.find('\n'));
  in.default_message = reverse ? fmt::format("Revert {}: {}", id.short_hex(), first_line)
                               : fmt::format("Cherry-pick {}: {}", id.short_hex(), first_line);
  tree::OverlaySource overlay(&impl.source);
  std::vector<ObjectId> bases;
  if (!reverse && !c.parents.empty()) bases.push_back(c.parents[0]);
  if (reverse) bases.push_back(id);
  return RunThreeWay(impl, in, options, bases, &overlay);
}

}  // namespace

Result<MergeResult> Repository::CherryPick(std::string_view commit, const MergeOptions& options) {
  return PickOne(*impl_, commit, options, false);
}

Result<MergeResult> Repository::Revert(std::string_view commit, const MergeOptions& options) {
  return PickOne(*impl_, commit, options, true);
}

}  // namespace gitmem
