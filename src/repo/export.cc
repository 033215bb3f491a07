// Repository: export and import — JSON Lines of the memories at a revision, and bundles
// with the full history (docs/format.md, "Bundle" and "JSON Lines").
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <unordered_set>

#include "json/codec.h"
#include "object/codec.h"
#include "repo/maintenance.h"
#include "repo/validate.h"
#include "util/coding.h"
#include "util/hash.h"
#include "util/parallel.h"
#include "util/text.h"

namespace gitmem {

namespace {

using namespace std::string_literals;

constexpr std::string_view kBundleMagic = "gitmem bundle 1\n";
constexpr std::string_view kBundleEnd = "gitmem bundle end\n";

void SortUnique(std::vector<ObjectId>* v) {
  std::sort(v->begin(), v->end());
  v->erase(std::unique(v->begin(), v->end()), v->end());
}

Status WriteFileError(std::string_view path) { return Status::IoError(fmt::format("export: cannot write '{}'", path)); }

// Buffered reader over a bundle file.
class BundleReader {
 public:
  explicit BundleReader(std::string_view path) : in_(std::string(path), std::ios::binary) {}
  bool ok() const { return static_cast<bool>(in_); }
  bool Bytes(size_t n, std::string* out) {
    out->resize(n);
    in_.read(out->data(), static_cast<std::streamsize>(n));
    offset_ += n;
    return static_cast<size_t>(in_.gcount()) == n;
  }
  bool Varint(uint64_t* v) {
    *v = 0;
    for (int shift = 0; shift <= 63; shift += 7) {
      const int c = in_.get();
      if (c == EOF) return false;
      ++offset_;
      *v |= static_cast<uint64_t>(c & 0x7f) << shift;
      if (!(c & 0x80)) return true;
    }
    return false;
  }
  bool Lp(std::string* out, size_t limit) {
    uint64_t n;
    return Varint(&n) && n <= limit && Bytes(n, out);
  }
  bool Id(ObjectId* id) {
    std::string b;
    if (!Bytes(32, &b)) return false;
    *id = IdFromBytes(b);
    return true;
  }
  uint64_t offset() const { return offset_; }

 private:
  std::ifstream in_;
  uint64_t offset_ = 0;
};

struct BundleHeader {
  std::string repo, head;
  std::vector<std::pair<std::string, ObjectId>> refs;
  uint64_t objects = 0;
};

Status ReadHeader(BundleReader* r, std::string_view path, BundleHeader* h) {
  auto bad = [&](std::string_view what) {
    return Status::Corruption(fmt::format("bundle '{}': {} (at byte {})", path, what, r->offset()));
  };
  std::string magic;
  if (!r->Bytes(kBundleMagic.size(), &magic) || magic != kBundleMagic) return bad("not a gitmem bundle");
  if (!r->Lp(&h->repo, 4096)) return bad("truncated repository name");
  if (!r->Lp(&h->head, 4096)) return bad("truncated HEAD");
  uint64_t nrefs;
  if (!r->Varint(&nrefs) || nrefs > (1u << 24)) return bad("bad ref count");
  for (uint64_t i = 0; i < nrefs; ++i) {
    std::string name;
    ObjectId id;
    if (!r->Lp(&name, 4096) || !r->Id(&id)) return bad("truncated ref");
    auto short_name = keys::ParseBranchRef(name);
    if (!short_name) short_name = keys::ParseTagRef(name);
    if (!short_name || !ValidateRefName(*short_name, "ref").ok())
      return bad(fmt::format("ref '{}': not a branch or tag name", name));
    h->refs.emplace_back(std::move(name), id);
  }
  if (!r->Varint(&h->objects)) return bad("bad object count");
  return Status::Ok();
}

}  // namespace

// ---- JSON Lines ----------------------------------------------------------------------

Result<uint64_t> Repository::ExportJsonl(std::string_view path, const ExportOptions& options) const {
  auto snap = impl_->store->GetSnapshot();
  tree::OverlaySource overlay(&impl_->source);
  ReadOptions at;
  at.rev = options.rev;
  GITMEM_ASSIGN_OR_RETURN(ReadState st, impl_->ResolveRead(at, &overlay, snap.get()));
  GITMEM_ASSIGN_OR_RETURN(uint64_t total, tree::CountEntries(overlay, st.tree));
  std::FILE* f = std::fopen(std::string(path).c_str(), "wb");
  if (!f) return WriteFileError(path);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  // Memories go out in id order, a chunk at a time. A chunk's blobs are fetched in blob-id
  // order: by one forward scan of the objects family when they are dense in it (a whole
  // repository), else by point reads.
  const uint64_t objects_estimate = std::max<uint64_t>(1, impl_->store->ApproximateSize(Cf::kObjects) / 256);
  const size_t chunk = static_cast<size_t>(std::max<uint64_t>(65536, (total + 3) / 4));
  tree::Cursor cursor(overlay, st.tree);
  GITMEM_RETURN_IF_ERROR(cursor.SeekFirst());
  uint64_t n = 0;
  std::vector<ObjectId> blobs;
  std::vector<std::string> lines;
  std::vector<uint32_t> order;
  while (cursor.Valid()) {
    blobs.clear();
    while (cursor.Valid() && blobs.size() < chunk) {
      blobs.push_back(cursor.entry().ref);
      GITMEM_RETURN_IF_ERROR(cursor.Next());
    }
    lines.assign(blobs.size(), std::string());
    order.resize(blobs.size());
    for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
    std::sort(order.begin(), order.end(), [&](uint32_t x, uint32_t y) { return blobs[x] < blobs[y]; });
    auto render = [&](uint32_t i, std::string_view bytes) -> Status {
      GITMEM_ASSIGN_OR_RETURN(Memory m, DecodeMemory(bytes));
      lines[i] = json::MemoryLine(m);
      lines[i].push_back('\n');
      return Status::Ok();
    };
    const bool dense = blobs.size() * 64 >= objects_estimate;
    if (dense) {
      auto it = impl_->store->ScanFrom(Cf::kObjects, {}, IdView(blobs[order[0]]), snap.get());
      size_t k = 0;
      for (; it->Valid() && k < order.size(); it->Next()) {
        while (k < order.size() && IdView(blobs[order[k]]) < it->key()) {
          return Status::Corruption(fmt::format("blob {} is missing", blobs[order[k]].short_hex()));
        }
        while (k < order.size() && IdView(blobs[order[k]]) == it->key())
          GITMEM_RETURN_IF_ERROR(render(order[k++], it->value()));
      }
      GITMEM_RETURN_IF_ERROR(it->status());
      if (k < order.size()) return Status::Corruption(fmt::format("blob {} is missing", blobs[order[k]].short_hex()));
    } else {
      std::string bytes;
      for (uint32_t i : order) {
        Status s = impl_->store->Get(Cf::kObjects, IdView(blobs[i]), &bytes, snap.get());
        if (s.IsNotFound()) return Status::Corruption(fmt::format("blob {} is missing", blobs[i].short_hex()));
        GITMEM_RETURN_IF_ERROR(s);
        GITMEM_RETURN_IF_ERROR(render(i, bytes));
      }
    }
    for (const std::string& line : lines)
      if (std::fwrite(line.data(), 1, line.size(), f) != line.size()) return WriteFileError(path);
    n += lines.size();
    if (options.progress) options.progress(n, total);
  }
  if (std::fflush(f) != 0) return WriteFileError(path);
  if (options.progress) options.progress(n, total);
  return n;
}

Result<ImportReport> Repository::ImportJsonl(std::string_view path, const ImportOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  GITMEM_ASSIGN_OR_RETURN(std::string branch, impl_->BranchOrCurrent(options.branch));
  if (!options.author.empty()) GITMEM_RETURN_IF_ERROR(ValidateAuthor(options.author));
  if (!IsValidUtf8(options.message)) return Status::InvalidArgument("message: not valid UTF-8");
  const std::string author = options.author.empty() ? impl_->options.default_author : options.author;

  // Read the whole file, split it into lines.
  std::string text;
  {
    std::ifstream in{std::string(path), std::ios::binary};
    if (!in) return Status::NotFound(fmt::format("import: cannot read '{}'", path));
    in.seekg(0, std::ios::end);
    text.resize(static_cast<size_t>(in.tellg()));
    in.seekg(0);
    in.read(text.data(), static_cast<std::streamsize>(text.size()));
    if (!in) return Status::IoError(fmt::format("import: cannot read '{}'", path));
  }
  struct Line {
    std::string_view text;
    uint64_t number;
  };
  std::vector<Line> lines;
  for (size_t pos = 0, number = 1; pos < text.size(); ++number) {
    size_t end = text.find('\n', pos);
    if (end == std::string::npos) end = text.size();
    std::string_view l(text.data() + pos, end - pos);
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.find_first_not_of(" \t") != std::string_view::npos) lines.push_back({l, number});
    pos = end + 1;
  }

  // Parse, check, encode and hash every record (on all cores), before writing anything.
  struct Record {
    std::string id, bytes, session_key;
    ObjectId blob;
    Status error;
  };
  std::vector<Record> recs(lines.size());
  const size_t kChunk = 65536;
  for (size_t start = 0; start < lines.size(); start += kChunk) {
    const size_t n = std::min(kChunk, lines.size() - start);
    ParallelFor(n, 2048, [&](size_t k) {
      const size_t i = start + k;
      Record& r = recs[i];
      nlohmann::json j = nlohmann::json::parse(lines[i].text, nullptr, /*allow_exceptions=*/false);
      if (j.is_discarded()) {
        r.error = Status::InvalidArgument("not valid JSON");
        return;
      }
      Memory m;
      r.error = json::FromJson(j, &m);
      if (r.error.ok()) r.error = impl_->Prepare(&m, author);
      if (!r.error.ok()) return;
      r.bytes = EncodeMemory(m);
      r.blob = Sha256(r.bytes);
      if (!m.session_id.empty()) r.session_key = keys::SessionKey(m.session_id, m.timestamp_us, r.blob, m.id);
      r.id = std::move(m.id);
    });
    for (size_t i = start; i < start + n; ++i)
      if (!recs[i].error.ok())
        return Status(recs[i].error.code(),
                      fmt::format("import '{}': line {}: {}", path, lines[i].number, recs[i].error.message()));
    if (options.progress) options.progress(start + n, lines.size());
  }
  text.clear();
  text.shrink_to_fit();

  // Tree edits in id order; the last record of an id wins.
  std::vector<uint32_t> order(recs.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = static_cast<uint32_t>(i);
  std::stable_sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return recs[a].id < recs[b].id; });
  std::vector<tree::Edit> edits;
  edits.reserve(order.size());
  std::vector<uint32_t> kept;
  kept.reserve(order.size());
  for (size_t k = 0; k < order.size(); ++k) {
    if (k + 1 < order.size() && recs[order[k + 1]].id == recs[order[k]].id) continue;
    edits.push_back({recs[order[k]].id, recs[order[k]].blob});
    kept.push_back(order[k]);
  }

  ImportReport report;
  report.memories = lines.size();
  std::lock_guard<std::mutex> lock(impl_->store->BranchLock(impl_->options.name, branch));
  WriteBatch batch(*impl_->store);
  {
    // A large import's blobs and session entries become table files, built while the
    // tree is.
    SortedPuts blobs, sessions;
    for (uint32_t i : kept) {
      Record& r = recs[i];
      if (!r.session_key.empty()) sessions.Add(r.session_key, {});
      blobs.Add(IdView(r.blob), std::move(r.bytes));
    }
    batch.PutSorted(Cf::kObjects, std::move(blobs));
    batch.PutSorted(Cf::kSessions, std::move(sessions));
  }

  GITMEM_ASSIGN_OR_RETURN(auto head, impl_->ReadRef(Impl::BranchRef(branch)));
  ObjectId base = tree::EmptyTreeId();
  if (head) {
    GITMEM_ASSIGN_OR_RETURN(base, impl_->TreeOfCommit(*head));
  }
  BatchNodeSink sink(&impl_->node_cache);
  tree::OverlaySource fresh(&impl_->source, &sink);
  ObjectId root;
  std::vector<tree::Change> changes;
  if (base == tree::EmptyTreeId()) {
    std::vector<tree::Entry> entries;
    entries.reserve(edits.size());
    for (auto& e : edits) {
      changes.push_back({e.key, std::nullopt, e.value});
      entries.push_back({std::move(e.key), *e.value, 1});
    }
    GITMEM_ASSIGN_OR_RETURN(root, tree::BuildTree(std::move(entries), &fresh));
  } else {
    GITMEM_ASSIGN_OR_RETURN(tree::EditResult er, tree::ApplyEdits(fresh, &fresh, base, edits));
    root = er.root;
    changes = std::move(er.changes);
  }
  if (changes.empty()) return report;  // everything was already there
  GITMEM_ASSIGN_OR_RETURN(uint64_t count, tree::CountEntries(fresh, root));
  sink.AddTo(&batch);
  CommitOptions co;
  co.author = author;
  co.message =
      options.message.empty() ? fmt::format("import {} memories from {}", lines.size(), path) : options.message;
  std::vector<ObjectId> parents;
  if (head) parents.push_back(*head);
  GITMEM_ASSIGN_OR_RETURN(report.commit, impl_->WriteCommitLocked(branch, parents, root, changes, count, co, &batch));
  return report;
}

// ---- bundles ---------------------------------------------------------------------------

Result<uint64_t> Repository::ExportBundle(std::string_view path, const ExportOptions& options) const {
  auto snap = impl_->store->GetSnapshot();
  std::string head;
  GITMEM_RETURN_IF_ERROR(impl_->store->Get(Cf::kRefs, impl_->RefKey(keys::kHead), &head, snap.get()));
  std::vector<std::pair<std::string, ObjectId>> refs;
  maint::Marker marker(*impl_->store, impl_->source);
  {
    auto it = impl_->store->Scan(Cf::kRefs, keys::RefPrefix(impl_->options.name, keys::kRefsPrefix), snap.get());
    for (; it->Valid(); it->Next()) {
      auto key = keys::ParseRefKey(it->key());
      if (!key || it->value().size() != 32)
        return Status::Corruption(fmt::format("ref '{}': bad value", key ? key->ref : it->key()));
      refs.emplace_back(std::string(key->ref), IdFromBytes(it->value()));
      GITMEM_RETURN_IF_ERROR(marker.MarkCommit(refs.back().second, snap.get()));
    }
    GITMEM_RETURN_IF_ERROR(it->status());
  }
  std::vector<ObjectId> ids(marker.blobs.begin(), marker.blobs.end());
  ids.insert(ids.end(), marker.trees.begin(), marker.trees.end());
  ids.insert(ids.end(), marker.commits.begin(), marker.commits.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  // An unborn repository's empty tree is never written; nothing refers to it then.

  std::FILE* f = std::fopen(std::string(path).c_str(), "wb");
  if (!f) return WriteFileError(path);
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> closer(f, &std::fclose);
  std::string out(kBundleMagic);
  PutLengthPrefixed(&out, impl_->options.name);
  PutLengthPrefixed(&out, head);
  PutVarint64(&out, refs.size());
  for (const auto& [name, id] : refs) {
    PutLengthPrefixed(&out, name);
    out.append(IdView(id));
  }
  PutVarint64(&out, ids.size());
  // The objects, read in id order by one scan of the objects column family.
  auto it = impl_->store->Scan(Cf::kObjects, {}, snap.get());
  uint64_t n = 0;
  for (const ObjectId& id : ids) {
    while (it->Valid() && it->key() < IdView(id)) it->Next();
    GITMEM_RETURN_IF_ERROR(it->status());
    std::string_view bytes;
    std::string empty_tree;
    if (it->Valid() && it->key() == IdView(id)) {
      bytes = it->value();
    } else if (id == tree::EmptyTreeId()) {
      empty_tree = tree::EmptyTreeBytes();
      bytes = empty_tree;
    } else {
      return Status::Corruption(fmt::format("export: object {} is missing", id.hex()));
    }
    out.append(IdView(id));
    PutLengthPrefixed(&out, bytes);
    if (out.size() >= (1u << 20)) {
      if (std::fwrite(out.data(), 1, out.size(), f) != out.size()) return WriteFileError(path);
      out.clear();
    }
    if (options.progress && (++n % 65536) == 0) options.progress(n, ids.size());
  }
  out.append(kBundleEnd);
  if (std::fwrite(out.data(), 1, out.size(), f) != out.size() || std::fflush(f) != 0) return WriteFileError(path);
  if (options.progress) options.progress(ids.size(), ids.size());
  return static_cast<uint64_t>(ids.size());
}

Result<ImportReport> Repository::ImportBundle(std::string_view path, const ImportOptions& options) {
  GITMEM_RETURN_IF_ERROR(impl_->CheckWritable());
  Store& store = *impl_->store;
  // Objects are written in several batches before the refs: gc must not run in between.
  std::lock_guard<std::mutex> no_gc(store.GcLock());
  ImportReport report;

  // Pass 1: check everything — structure, every object's hash, that every object the
  // bundle's commits and trees name is in the bundle or the store, that refs name commits.
  BundleHeader h;
  std::unordered_set<ObjectId, tree::ObjectIdHash> have;
  std::vector<ObjectId> wanted;
  {
    BundleReader r(path);
    if (!r.ok()) return Status::NotFound(fmt::format("import: cannot read '{}'", path));
    GITMEM_RETURN_IF_ERROR(ReadHeader(&r, path, &h));
    auto bad = [&](std::string_view what) {
      return Status::Corruption(fmt::format("bundle '{}': {} (at byte {})", path, what, r.offset()));
    };
    std::string bytes;
    for (uint64_t i = 0; i < h.objects; ++i) {
      ObjectId id;
      if (!r.Id(&id) || !r.Lp(&bytes, 1u << 30)) return bad(fmt::format("object {}: truncated", i));
      if (!(Sha256(bytes) == id)) return bad(fmt::format("object {}: hash does not match its bytes", id.hex()));
      auto type = ObjectTypeOf(bytes);
      if (!type.ok()) return bad(fmt::format("object {}: {}", id.hex(), type.status().message()));
      if (*type == ObjectType::kCommit) {
        auto c = DecodeCommit(bytes);
        if (!c.ok()) return bad(fmt::format("commit {}: {}", id.hex(), c.status().message()));
        wanted.push_back(c->tree);
        wanted.insert(wanted.end(), c->parents.begin(), c->parents.end());
      } else if (*type == ObjectType::kTree) {
        auto node = tree::DecodeNode(bytes);
        if (!node.ok()) return bad(fmt::format("tree {}: {}", id.hex(), node.status().message()));
        for (const auto& e : node->entries) wanted.push_back(e.ref);
      } else {
        auto m = DecodeMemory(bytes);
        if (!m.ok()) return bad(fmt::format("blob {}: {}", id.hex(), m.status().message()));
      }
      have.insert(id);
      if (options.progress && (i + 1) % 65536 == 0) options.progress((i + 1) / 2, h.objects);
    }
    std::string end;
    if (!r.Bytes(kBundleEnd.size(), &end) || end != kBundleEnd) return bad("truncated (no end marker)");
    for (const auto& [name, id] : h.refs) wanted.push_back(id);
    SortUnique(&wanted);
    for (const ObjectId& id : wanted) {
      if (have.count(id) || id == tree::EmptyTreeId()) continue;
      std::string v;
      Status s = store.Get(Cf::kObjects, IdView(id), &v);
      if (s.IsNotFound())
        return Status::Corruption(
            fmt::format("bundle '{}': object {} is neither in the bundle nor in the store", path, id.hex()));
      GITMEM_RETURN_IF_ERROR(s);
    }
  }
  // Refs: check conflicts before writing anything.
  auto check_refs = [&]() -> Status {
    for (const auto& [name, id] : h.refs) {
      GITMEM_ASSIGN_OR_RETURN(auto cur, impl_->ReadRef(name));
      if (cur && !(*cur == id) && !options.force)
        return Status::Conflict(fmt::format("import: ref '{}' exists at {} (the bundle has {}); use force", name,
                                            cur->short_hex(), id.short_hex()));
    }
    return Status::Ok();
  };
  GITMEM_RETURN_IF_ERROR(check_refs());

  // Pass 2: write the objects in bounded batches (content-addressed: a crash before the
  // refs leaves only unreferenced objects, which gc removes; gc cannot run meanwhile).
  {
    BundleReader r(path);
    BundleHeader again;
    GITMEM_RETURN_IF_ERROR(ReadHeader(&r, path, &again));
    WriteBatch batch(store);
    std::string bytes;
    for (uint64_t i = 0; i < h.objects; ++i) {
      ObjectId id;
      if (!r.Id(&id) || !r.Lp(&bytes, 1u << 30))
        return Status::IoError(fmt::format("bundle '{}': changed while being imported", path));
      batch.Put(Cf::kObjects, IdView(id), bytes);
      if (batch.ByteSize() >= (64u << 20)) {
        GITMEM_RETURN_IF_ERROR(store.Write(&batch, false));
        batch = WriteBatch(store);
      }
      if (options.progress && (i + 1) % 65536 == 0) options.progress((h.objects + i + 1) / 2, h.objects);
    }
    GITMEM_RETURN_IF_ERROR(store.Write(&batch, false));
    report.objects = h.objects;
  }

  // The refs, under the repository lock and the locks of the branches they move.
  std::lock_guard<std::mutex> repo_lock(store.RepoLock(impl_->options.name));
  std::vector<std::string> branches;
  for (const auto& [name, id] : h.refs)
    if (auto branch = keys::ParseBranchRef(name)) branches.emplace_back(*branch);
  std::sort(branches.begin(), branches.end());
  std::vector<std::unique_lock<std::mutex>> locks;
  for (const auto& b : branches) locks.emplace_back(store.BranchLock(impl_->options.name, b));
  GITMEM_RETURN_IF_ERROR(check_refs());
  WriteBatch batch(store);
  for (const auto& [name, id] : h.refs) {
    batch.Put(Cf::kRefs, impl_->RefKey(name), IdView(id));
    ++report.refs;
  }
  // HEAD follows the bundle when this repository's HEAD branch has no commits.
  GITMEM_ASSIGN_OR_RETURN(std::string current, impl_->CurrentBranch());
  GITMEM_ASSIGN_OR_RETURN(auto current_head, impl_->ReadRef(Impl::BranchRef(current)));
  auto bundle_head = keys::ParseSymbolicRef(h.head);
  if (!current_head && bundle_head && ValidateRefName(*bundle_head, "branch").ok())
    batch.Put(Cf::kRefs, impl_->RefKey(keys::kHead), h.head);
  GITMEM_RETURN_IF_ERROR(store.Write(&batch, true));
  if (options.progress) options.progress(h.objects, h.objects);
  return report;
}

}  // namespace gitmem
