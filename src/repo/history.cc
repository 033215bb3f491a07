// Repository: revisions, log, show, diff, history of one memory, sessions.
#include <fmt/format.h>

#include <queue>
#include <set>
#include <unordered_set>

#include "repo/repo_impl.h"
#include "repo/validate.h"
#include "util/text.h"

namespace gitmem {

namespace {

// Splits "rev~N" into ("rev", N). "rev~" means N = 1.
Result<std::pair<std::string_view, uint64_t>> SplitAncestry(std::string_view rev) {
  const size_t tilde = rev.find('~');
  if (tilde == std::string_view::npos) return std::pair{rev, uint64_t{0}};
  std::string_view n = rev.substr(tilde + 1);
  uint64_t steps = n.empty() ? 1 : 0;
  for (char c : n) {
    if (c < '0' || c > '9' || steps > 1'000'000'000)
      return Status::InvalidArgument(fmt::format("revision '{}': expected a number after '~'", rev));
    steps = steps * 10 + static_cast<uint64_t>(c - '0');
  }
  return std::pair{rev.substr(0, tilde), steps};
}

}  // namespace

Result<ObjectId> Repository::Impl::ResolveCommit(std::string_view rev_in) const {
  GITMEM_ASSIGN_OR_RETURN(auto split, SplitAncestry(rev_in));
  auto [rev, steps] = split;
  std::optional<ObjectId> id;
  if (rev.empty() || rev == "HEAD" || rev == "@") {
    GITMEM_ASSIGN_OR_RETURN(std::string branch, CurrentBranch());
    GITMEM_ASSIGN_OR_RETURN(id, ReadRef(BranchRef(branch)));
    if (!id) return Status::NotFound(fmt::format("HEAD: branch '{}' has no commits yet", branch));
  } else {
    if (ValidateRefName(rev, "revision").ok()) {
      GITMEM_ASSIGN_OR_RETURN(id, ReadRef(BranchRef(rev)));
      if (!id) {
        GITMEM_ASSIGN_OR_RETURN(id, ReadRef(TagRef(rev)));
      }
      if (!id) {
        GITMEM_ASSIGN_OR_RETURN(std::string current, CurrentBranch());
        if (current == rev) return Status::NotFound(fmt::format("branch '{}' has no commits yet", rev));
      }
    }
    if (!id && rev.size() == 64 && IsHexDigits(rev)) {
      // A full id: one point lookup, no iterator over the objects.
      ObjectId full = *ObjectId::FromHex(rev);
      std::string bytes;
      Status s = store->Get(Cf::kObjects, IdView(full), &bytes);
      if (s.ok() && !bytes.empty() && bytes[0] == 'C')
        id = full;
      else if (!s.ok() && !s.IsNotFound())
        return s;
    } else if (!id && rev.size() >= 4 && rev.size() < 64 && IsHexDigits(rev)) {
      // A full id or a unique prefix of a commit id.
      std::string lower(rev);
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      std::string prefix_bytes;
      for (size_t i = 0; i + 1 < lower.size(); i += 2) {
        uint8_t b;
        HexDecode(lower.substr(i, 2), &b, 1);
        prefix_bytes.push_back(static_cast<char>(b));
      }
      auto it = store->Scan(Cf::kObjects, prefix_bytes);
      for (; it->Valid(); it->Next()) {
        if (it->key().size() != 32 || it->value().empty() || it->value()[0] != 'C') continue;
        ObjectId cand;
        std::copy(it->key().begin(), it->key().end(), cand.bytes.begin());
        if (!cand.hex().starts_with(lower)) continue;
        if (id) return Status::InvalidArgument(fmt::format("revision '{}': ambiguous commit prefix", rev));
        id = cand;
      }
      GITMEM_RETURN_IF_ERROR(it->status());
    }
    if (!id) return Status::NotFound(fmt::format("revision '{}': no such branch, tag or commit", rev));
  }
  for (uint64_t i = 0; i < steps; ++i) {
    GITMEM_ASSIGN_OR_RETURN(CommitInfo c, LoadCommit(*id));
    if (c.parents.empty())
      return Status::NotFound(fmt::format("revision '{}': history has only {} ancestors", rev_in, i));
    id = c.parents[0];
  }
  return *id;
}

Result<std::string> Repository::Impl::WorkingBranchOf(const ReadOptions& at) const {
  // A branch name alone (or nothing) reads the branch's working state.
  if (at.as_of_us) return std::string();
  if (at.rev.empty()) return CurrentBranch();
  if (!ValidateRefName(at.rev, "revision").ok()) return std::string();  // "HEAD", "x~2", ids
  GITMEM_ASSIGN_OR_RETURN(bool usable, BranchUsable(at.rev));
  return usable ? at.rev : std::string();
}

Result<ReadState> Repository::Impl::ResolveRead(const ReadOptions& at, tree::OverlaySource* overlay,
                                                const Snapshot* snap) const {
  ReadState st;
  st.tree = tree::EmptyTreeId();
  GITMEM_ASSIGN_OR_RETURN(std::string branch, WorkingBranchOf(at));
  if (!branch.empty()) {
    st.branch = branch;
    GITMEM_ASSIGN_OR_RETURN(auto staged, ReadStaged(branch, snap));
    GITMEM_ASSIGN_OR_RETURN(auto head, ReadRef(BranchRef(branch), snap));
    if (head) {
      st.commit = *head;
      GITMEM_ASSIGN_OR_RETURN(CommitInfo c, LoadCommit(*head));
      st.tree = c.tree;
    }
    if (!staged.entries.empty()) {
      if (overlay == nullptr) return Status::Internal("working state read without an overlay");
      std::vector<tree::Edit> edits;
      for (auto& s : staged.entries) edits.push_back({std::move(s.id), s.blob});
      GITMEM_ASSIGN_OR_RETURN(auto er, tree::ApplyEdits(*overlay, overlay, st.tree, edits));
      st.tree = er.root;
    }
    return st;
  }
  const std::string_view rev = at.rev;
  auto resolved = ResolveCommit(rev);
  if (!resolved.ok() && at.as_of_us && rev.empty()) return resolved.status();
  GITMEM_RETURN_IF_ERROR(resolved.status());
  ObjectId id = *resolved;
  GITMEM_ASSIGN_OR_RETURN(CommitInfo c, LoadCommit(id));
  if (at.as_of_us) {
    while (c.timestamp_us > *at.as_of_us) {
      if (c.parents.empty())
        return Status::NotFound(fmt::format("no commit on '{}' at or before {}", rev.empty() ? "HEAD" : rev,
                                            FormatTimestamp(*at.as_of_us)));
      id = c.parents[0];
      GITMEM_ASSIGN_OR_RETURN(c, LoadCommit(id));
    }
  }
  st.commit = id;
  st.tree = c.tree;
  return st;
}

Result<ObjectId> Repository::Resolve(std::string_view rev) const { return impl_->ResolveCommit(rev); }

Result<CommitInfo> Repository::Show(std::string_view rev) const {
  GITMEM_ASSIGN_OR_RETURN(ObjectId id, impl_->ResolveCommit(rev));
  return impl_->LoadCommit(id);
}

Result<std::vector<CommitInfo>> Repository::Log(const LogOptions& options) const {
  std::vector<CommitInfo> out;
  auto start = impl_->ResolveCommit(options.rev);
  if (!start.ok()) {
    // An unborn branch has an empty log.
    if (start.status().IsNotFound() && (options.rev.empty() || options.rev == "HEAD")) return out;
    return start.status();
  }
  uint64_t skipped = 0;
  auto emit = [&](CommitInfo c) {
    if (skipped < options.offset) {
      ++skipped;
      return true;
    }
    out.push_back(std::move(c));
    return out.size() < options.limit;
  };
  if (options.first_parent) {
    std::optional<ObjectId> id = *start;
    while (id && options.limit > 0) {
      GITMEM_ASSIGN_OR_RETURN(CommitInfo c, impl_->LoadCommit(*id));
      id = c.parents.empty() ? std::nullopt : std::optional<ObjectId>(c.parents[0]);
      if (!emit(std::move(c))) break;
    }
    return out;
  }
  // Whole DAG, newest first (timestamp, then generation, then id for a total order).
  auto newer = [](const CommitInfo& a, const CommitInfo& b) {
    return std::tie(a.timestamp_us, a.generation, a.id) < std::tie(b.timestamp_us, b.generation, b.id);
  };
  std::priority_queue<CommitInfo, std::vector<CommitInfo>, decltype(newer)> queue(newer);
  std::set<ObjectId> seen{*start};
  GITMEM_ASSIGN_OR_RETURN(CommitInfo first, impl_->LoadCommit(*start));
  queue.push(std::move(first));
  while (!queue.empty() && options.limit > 0) {
    CommitInfo c = queue.top();
    queue.pop();
    for (const ObjectId& p : c.parents) {
      if (!seen.insert(p).second) continue;
      GITMEM_ASSIGN_OR_RETURN(CommitInfo pc, impl_->LoadCommit(p));
      queue.push(std::move(pc));
    }
    if (!emit(std::move(c))) break;
  }
  return out;
}

Result<Diff> Repository::DiffRevs(const ReadOptions& a, const ReadOptions& b) const {
  auto snap = impl_->store->GetSnapshot();
  tree::OverlaySource overlay(&impl_->source);
  GITMEM_ASSIGN_OR_RETURN(ReadState sa, impl_->ResolveRead(a, &overlay, snap.get()));
  GITMEM_ASSIGN_OR_RETURN(ReadState sb, impl_->ResolveRead(b, &overlay, snap.get()));
  Diff diff;
  Status s = tree::DiffTrees(overlay, sa.tree, sb.tree, [&](const tree::Change& ch) -> Status {
    DiffEntry e;
    e.id = ch.key;
    e.kind = !ch.old_value   ? DiffEntry::Kind::kAdded
             : !ch.new_value ? DiffEntry::Kind::kRemoved
                             : DiffEntry::Kind::kModified;
    if (ch.old_value) {
      GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(*ch.old_value));
      e.old_memory = std::move(m);
    }
    if (ch.new_value) {
      GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(*ch.new_value));
      e.new_memory = std::move(m);
    }
    diff.entries.push_back(std::move(e));
    return Status::Ok();
  });
  GITMEM_RETURN_IF_ERROR(s);
  return diff;
}

Result<std::vector<MemoryVersion>> Repository::History(std::string_view id, std::string_view rev) const {
  std::vector<MemoryVersion> out;
  auto start = impl_->ResolveCommit(rev);
  if (!start.ok()) {
    if (start.status().IsNotFound() && rev.empty()) return out;
    return start.status();
  }
  GITMEM_ASSIGN_OR_RETURN(CommitInfo c, impl_->LoadCommit(*start));
  GITMEM_ASSIGN_OR_RETURN(auto value, tree::Lookup(impl_->source, c.tree, id));
  for (;;) {
    std::optional<CommitInfo> parent;
    std::optional<ObjectId> parent_value;
    if (!c.parents.empty()) {
      GITMEM_ASSIGN_OR_RETURN(CommitInfo p, impl_->LoadCommit(c.parents[0]));
      // The commit summary lists what changed: skip the lookup when the id is not in it.
      const bool listed =
          c.changed_ids_truncated || std::find(c.changed_ids.begin(), c.changed_ids.end(), id) != c.changed_ids.end();
      if (listed) {
        GITMEM_ASSIGN_OR_RETURN(parent_value, tree::Lookup(impl_->source, p.tree, id));
      } else {
        parent_value = value;
      }
      parent = std::move(p);
    }
    if (value != parent_value) {
      MemoryVersion v;
      v.commit = c;
      if (value) {
        GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(*value));
        v.memory = std::move(m);
      }
      out.push_back(std::move(v));
    }
    if (!parent) break;
    c = std::move(*parent);
    value = parent_value;
  }
  return out;
}

Result<std::vector<Memory>> Repository::Session(std::string_view session_id, const ReadOptions& at) const {
  if (session_id.empty()) return Status::InvalidArgument("session_id: must not be empty");
  auto snap = impl_->store->GetSnapshot();
  tree::OverlaySource overlay(&impl_->source);
  GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(at, &overlay, snap.get()));
  std::vector<Memory> out;
  auto it = impl_->store->Scan(Cf::kSessions, keys::SessionPrefix(session_id), snap.get());
  for (; it->Valid(); it->Next()) {
    auto key = keys::ParseSessionKey(it->key());
    if (!key) return Status::Corruption("session index: bad key");
    const ObjectId blob = key->blob;
    const std::string_view id = key->memory_id;
    // The index spans every branch and version: keep what this tree holds.
    GITMEM_ASSIGN_OR_RETURN(auto current, tree::Lookup(overlay, st.tree, id));
    if (!current || !(*current == blob)) continue;
    GITMEM_ASSIGN_OR_RETURN(Memory m, impl_->LoadBlob(blob));
    out.push_back(std::move(m));
  }
  GITMEM_RETURN_IF_ERROR(it->status());
  return out;
}

}  // namespace gitmem
