// gitmem._core — the compiled half of the Python package.
//
// This module is deliberately thin: it converts between Python values and gitmem's C++
// value types and calls the engine with the GIL released. Everything Pythonic (keyword
// arguments, datetimes, dataclasses, JSON metadata) lives in the pure-Python package
// gitmem/, which is the only caller of this module.
//
// Values cross the boundary by name: the engine's result types are read-only classes
// (_core.Memory, _core.Commit, ...) whose attributes gitmem/_types.py reads by the names
// of its dataclass fields, and records, patches and filters come in as dicts.
//
// Thread safety: a _core.Repository may be used from many Python threads at once. Each
// call takes a reference to the engine's Repository under a short mutex and then runs
// without the GIL; close() drops the handle's reference, so a call in flight on another
// thread finishes safely and the store is released when the last call returns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "gitmem/embedder.hpp"
#include "gitmem/gitmem.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/search.hpp"

namespace py = pybind11;

namespace {

using gitmem::Status;

// ---- errors ------------------------------------------------------------------------

/// A non-ok Status on its way to Python; the translator below turns it into the
/// matching gitmem.errors class.
class StatusError : public std::exception {
 public:
  explicit StatusError(Status s) : status_(std::move(s)) {}
  const char* what() const noexcept override { return status_.message().c_str(); }
  const Status& status() const { return status_; }

 private:
  Status status_;
};

[[noreturn]] void Throw(Status s) { throw StatusError(std::move(s)); }

void Check(const Status& s) {
  if (!s.ok()) Throw(s);
}

template <typename T>
T Unwrap(gitmem::Result<T>&& r) {
  if (!r.ok()) Throw(std::move(r).status());
  return std::move(r).value();
}

const char* ErrorClassName(Status::Code code) {
  switch (code) {
    case Status::Code::kNotFound: return "NotFoundError";
    case Status::Code::kAlreadyExists: return "AlreadyExistsError";
    case Status::Code::kInvalidArgument: return "InvalidArgumentError";
    case Status::Code::kConflict: return "ConflictError";
    case Status::Code::kCorruption: return "CorruptionError";
    case Status::Code::kIoError: return "StorageError";
    case Status::Code::kPermissionDenied: return "PermissionDeniedError";
    case Status::Code::kBusy: return "BusyError";
    default: return "InternalError";
  }
}

/// Raises the Python exception for a Status. REQUIRES: the GIL is held.
void SetPythonError(const Status& s) {
  // gitmem.errors is imported by gitmem/__init__.py before this module, so this is a
  // dictionary lookup in sys.modules, not a file import.
  py::module_ errors = py::module_::import("gitmem.errors");
  py::object cls = errors.attr(ErrorClassName(s.code()));
  py::object exc = cls(s.message());
  PyErr_SetObject(cls.ptr(), exc.ptr());
}

// ---- values out ----------------------------------------------------------------------

/// float32 -> the Python float with the shortest decimal form (0.7f -> 0.7, not
/// 0.699999988079071), so values read back look like the values written.
double Widen(float f) {
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof(buf) - 1, f);
  if (ec != std::errc()) return f;
  *end = '\0';
  return std::strtod(buf, nullptr);
}

std::string_view ToName(gitmem::DiffEntry::Kind k) {
  switch (k) {
    case gitmem::DiffEntry::Kind::kAdded: return "added";
    case gitmem::DiffEntry::Kind::kModified: return "modified";
    default: return "removed";
  }
}
template <typename E>
std::string_view ToName(E e) {
  return gitmem::ToString(e);
}

py::object HexOrNone(const gitmem::ObjectId& id) {
  return id.is_zero() ? py::object(py::none()) : py::object(py::str(id.hex()));
}

std::vector<std::string> Hexes(const std::vector<gitmem::ObjectId>& ids) {
  std::vector<std::string> out;
  out.reserve(ids.size());
  for (const auto& id : ids) out.push_back(id.hex());
  return out;
}

// Getters for fields whose Python value is not the C++ one: an enum by name, a float32
// widened, an object id as hex (None for zero where "none" is meaningful).
template <typename T, typename E>
auto Name(E T::*f) {
  return [f](const T& v) { return std::string(ToName(v.*f)); };
}
template <typename T>
auto Float(float T::*f) {
  return [f](const T& v) { return Widen(v.*f); };
}
template <typename T>
auto Hex(gitmem::ObjectId T::*f) {
  return [f](const T& v) { return (v.*f).hex(); };
}
template <typename T>
auto HexOrNoneOf(gitmem::ObjectId T::*f) {
  return [f](const T& v) { return HexOrNone(v.*f); };
}

/// The engine's result types as read-only classes of _core. Attribute names are the
/// field names of gitmem/_types.py's dataclasses.
void BindValues(py::module_& m) {
  using namespace gitmem;
  py::class_<Relation>(m, "Relation")
      .def_property_readonly("type", Name(&Relation::type))
      .def_readonly("target_id", &Relation::target_id)
      .def_property_readonly("strength", Float(&Relation::strength));
  py::class_<Memory>(m, "Memory")
      .def_readonly("id", &Memory::id)
      .def_readonly("content", &Memory::content)
      .def_property_readonly("type", Name(&Memory::type))
      .def_readonly("agent_id", &Memory::agent_id)
      .def_readonly("session_id", &Memory::session_id)
      .def_readonly("timestamp_us", &Memory::timestamp_us)
      .def_property_readonly("importance", Float(&Memory::importance))
      .def_property_readonly("confidence", Float(&Memory::confidence))
      .def_readonly("tags", &Memory::tags)
      .def_property_readonly("scope", Name(&Memory::scope))
      .def_property_readonly("author", [](const Memory& x) { return x.provenance.author; })
      .def_property_readonly("content_hash", [](const Memory& x) { return x.provenance.content_hash.hex(); })
      .def_readonly("metadata", &Memory::metadata)  // JSON text
      .def_readonly("relations", &Memory::relations);
  py::class_<CommitInfo>(m, "Commit")
      .def_property_readonly("id", Hex(&CommitInfo::id))
      .def_property_readonly("tree", Hex(&CommitInfo::tree))
      .def_property_readonly("parents", [](const CommitInfo& c) { return Hexes(c.parents); })
      .def_readonly("author", &CommitInfo::author)
      .def_readonly("message", &CommitInfo::message)
      .def_readonly("timestamp_us", &CommitInfo::timestamp_us)
      .def_readonly("generation", &CommitInfo::generation)
      .def_readonly("memory_count", &CommitInfo::memory_count)
      .def_readonly("added", &CommitInfo::added)
      .def_readonly("modified", &CommitInfo::modified)
      .def_readonly("removed", &CommitInfo::removed)
      .def_readonly("changed_ids", &CommitInfo::changed_ids)
      .def_readonly("changed_ids_truncated", &CommitInfo::changed_ids_truncated);
  py::class_<DiffEntry>(m, "DiffEntry")
      .def_property_readonly("kind", Name(&DiffEntry::kind))
      .def_readonly("id", &DiffEntry::id)
      .def_readonly("old", &DiffEntry::old_memory)
      .def_readonly("new", &DiffEntry::new_memory);
  py::class_<MemoryVersion>(m, "Version")
      .def_readonly("commit", &MemoryVersion::commit)
      .def_readonly("memory", &MemoryVersion::memory);
  py::class_<StagedChange>(m, "StagedChange")
      .def_readonly("id", &StagedChange::id)
      .def_readonly("deleted", &StagedChange::deleted)
      .def_readonly("memory", &StagedChange::memory);
  py::class_<BranchInfo>(m, "Branch")
      .def_readonly("name", &BranchInfo::name)
      .def_property_readonly("head", HexOrNoneOf(&BranchInfo::head))
      .def_readonly("is_current", &BranchInfo::is_current)
      .def_readonly("staged", &BranchInfo::staged);
  py::class_<TagInfo>(m, "Tag")
      .def_readonly("name", &TagInfo::name)
      .def_property_readonly("target", Hex(&TagInfo::target));
  py::class_<FsckReport>(m, "FsckReport")
      .def_readonly("objects_checked", &FsckReport::objects_checked)
      .def_readonly("commits", &FsckReport::commits)
      .def_readonly("trees", &FsckReport::trees)
      .def_readonly("blobs", &FsckReport::blobs)
      .def_readonly("problems", &FsckReport::problems);
  py::class_<GcReport>(m, "GcReport")
      .def_readonly("objects_scanned", &GcReport::objects_scanned)
      .def_readonly("objects_reachable", &GcReport::objects_reachable)
      .def_readonly("objects_freed", &GcReport::objects_freed)
      .def_readonly("bytes_freed", &GcReport::bytes_freed)
      .def_readonly("session_entries_freed", &GcReport::session_entries_freed)
      .def_readonly("index_snapshots_freed", &GcReport::index_snapshots_freed)
      .def_readonly("vectors_freed", &GcReport::vectors_freed)
      .def_readonly("index_bytes_freed", &GcReport::index_bytes_freed);
  py::class_<RepositoryInfo>(m, "RepositoryInfo")
      .def_readonly("name", &RepositoryInfo::name)
      .def_readonly("description", &RepositoryInfo::description)
      .def_readonly("default_branch", &RepositoryInfo::default_branch)
      .def_readonly("visibility", &RepositoryInfo::visibility)
      .def_readonly("created_at_us", &RepositoryInfo::created_at_us)
      .def_readonly("stars", &RepositoryInfo::stars)
      .def_readonly("forks", &RepositoryInfo::forks)
      .def_readonly("watchers", &RepositoryInfo::watchers)
      .def_readonly("upstream", &RepositoryInfo::upstream);
  py::class_<ImportReport>(m, "ImportReport")
      .def_readonly("memories", &ImportReport::memories)
      .def_readonly("objects", &ImportReport::objects)
      .def_readonly("refs", &ImportReport::refs)
      .def_property_readonly("commit", HexOrNoneOf(&ImportReport::commit));
  py::class_<SearchHit>(m, "Hit")
      .def_readonly("id", &SearchHit::id)
      .def_readonly("score", &SearchHit::score)
      .def_readonly("memory", &SearchHit::memory);
  py::class_<MergeConflict>(m, "Conflict")
      .def_property_readonly("kind", Name(&MergeConflict::kind))
      .def_readonly("id", &MergeConflict::id)
      .def_readonly("base", &MergeConflict::base)
      .def_readonly("ours", &MergeConflict::ours)
      .def_readonly("theirs", &MergeConflict::theirs)
      .def_readonly("base_ambiguous", &MergeConflict::base_ambiguous)
      .def_readonly("resolution", &MergeConflict::resolution);
  py::class_<MergeResult>(m, "MergeResult")
      .def_property_readonly("commit", HexOrNoneOf(&MergeResult::commit))
      .def_readonly("fast_forward", &MergeResult::fast_forward)
      .def_readonly("up_to_date", &MergeResult::up_to_date)
      .def_readonly("conflicts", &MergeResult::conflicts)
      .def_property_readonly("merge_bases", [](const MergeResult& r) { return Hexes(r.merge_bases); })
      .def_readonly("changes_applied", &MergeResult::changes_applied);
}

// ---- values in -----------------------------------------------------------------------

template <typename E>
E ParseEnum(gitmem::Result<E> r) {
  return Unwrap(std::move(r));
}

/// d[key] as a T; TypeError naming the key when it is missing.
template <typename T>
T Need(const py::dict& d, const char* key) {
  if (!d.contains(key)) throw py::type_error(std::string("_core: missing field '") + key + "'");
  return d[key].cast<T>();
}

/// d[key] as a T, or nullopt when it is missing or None.
template <typename T>
std::optional<T> Opt(const py::dict& d, const char* key) {
  if (!d.contains(key)) return std::nullopt;
  py::object v = d[key];
  if (v.is_none()) return std::nullopt;
  return v.cast<T>();
}

/// Relations: dicts with type, target_id and strength.
std::vector<gitmem::Relation> RelationsIn(const py::handle& h) {
  std::vector<gitmem::Relation> out;
  for (py::handle item : h) {
    auto d = item.cast<py::dict>();
    gitmem::Relation r;
    r.type = ParseEnum(gitmem::ParseRelationType(Need<std::string>(d, "type")));
    r.target_id = Need<std::string>(d, "target_id");
    r.strength = Need<float>(d, "strength");
    out.push_back(std::move(r));
  }
  return out;
}

/// A 1-d float32 array (gitmem/ checks dtype and shape first) or None -> a vector.
std::vector<float> VectorIn(const py::handle& h) {
  if (h.is_none()) return {};
  auto a = py::array_t<float, py::array::c_style | py::array::forcecast>::ensure(h);
  if (!a) throw py::error_already_set();
  if (a.ndim() != 1) throw py::value_error("_core: a vector is a 1-d float32 array");
  return std::vector<float>(a.data(), a.data() + a.size());
}

/// A memory record: a dict with every field add() takes (metadata as JSON text,
/// timestamp as timestamp_us) and, optionally, an embedding.
gitmem::Memory MemoryIn(const py::handle& h) {
  auto d = h.cast<py::dict>();
  gitmem::Memory m;
  m.id = Need<std::string>(d, "id");
  m.content = Need<std::string>(d, "content");
  m.type = ParseEnum(gitmem::ParseMemoryType(Need<std::string>(d, "type")));
  m.agent_id = Need<std::string>(d, "agent_id");
  m.session_id = Need<std::string>(d, "session_id");
  m.timestamp_us = Need<int64_t>(d, "timestamp_us");
  m.importance = Need<float>(d, "importance");
  m.confidence = Need<float>(d, "confidence");
  m.tags = Need<std::vector<std::string>>(d, "tags");
  m.scope = ParseEnum(gitmem::ParseScope(Need<std::string>(d, "scope")));
  m.metadata = Need<std::string>(d, "metadata");
  m.relations = RelationsIn(Need<py::object>(d, "relations"));
  if (d.contains("embedding")) m.embedding = VectorIn(d["embedding"]);
  return m;
}

/// A patch: a dict of the fields to change (a missing or None field keeps its value).
gitmem::MemoryPatch PatchIn(const py::dict& d) {
  gitmem::MemoryPatch p;
  p.content = Opt<std::string>(d, "content");
  if (auto t = Opt<std::string>(d, "type")) p.type = ParseEnum(gitmem::ParseMemoryType(*t));
  p.agent_id = Opt<std::string>(d, "agent_id");
  p.session_id = Opt<std::string>(d, "session_id");
  p.importance = Opt<float>(d, "importance");
  p.confidence = Opt<float>(d, "confidence");
  p.tags = Opt<std::vector<std::string>>(d, "tags");
  if (auto sc = Opt<std::string>(d, "scope")) p.scope = ParseEnum(gitmem::ParseScope(*sc));
  p.metadata = Opt<std::string>(d, "metadata");
  if (auto r = Opt<py::object>(d, "relations")) p.relations = RelationsIn(*r);
  return p;
}

gitmem::ReadOptions ReadIn(std::string rev, std::optional<int64_t> as_of_us) {
  gitmem::ReadOptions r;
  r.rev = std::move(rev);
  r.as_of_us = as_of_us;
  return r;
}

// ---- embedder: a Python callable behind gitmem::Embedder ------------------------------

/// Calls `fn(list[str])`, which returns an (n, dimension) float32 array. The engine calls
/// Embed without the GIL (every engine call here releases it), so Embed takes it.
class PyEmbedder final : public gitmem::Embedder {
 public:
  PyEmbedder(py::object fn, std::string id, size_t dim)
      : fn_(new py::object(std::move(fn))), id_(std::move(id)), dim_(dim) {}
  ~PyEmbedder() override {
    if (!Py_IsInitialized() || _Py_IsFinalizing()) {
      fn_->release();  // the interpreter is gone: leak the reference, never touch it
      delete fn_;
      return;
    }
    py::gil_scoped_acquire gil;
    delete fn_;
  }
  std::string id() const override { return id_; }
  size_t dimension() const override { return dim_; }

  Status Embed(std::span<const std::string_view> texts, std::span<float> out) const override {
    if (out.size() != texts.size() * dim_) return Status::InvalidArgument("embedder: output span has the wrong size");
    if (texts.empty()) return Status::Ok();
    py::gil_scoped_acquire gil;
    try {
      py::list batch(texts.size());
      for (size_t i = 0; i < texts.size(); ++i)
        batch[i] = py::reinterpret_steal<py::object>(
            PyUnicode_DecodeUTF8(texts[i].data(), static_cast<Py_ssize_t>(texts[i].size()), "replace"));
      py::object r = (*fn_)(batch);
      py::module_ np = py::module_::import("numpy");
      py::object f32 = np.attr("dtype")("float32");
      if (py::isinstance<py::array>(r) && !py::object(r.attr("dtype")).equal(f32))
        return Status::InvalidArgument("embedder: the callable returned dtype " +
                                       py::str(r.attr("dtype")).cast<std::string>() + "; expected float32");
      py::array_t<float, py::array::c_style> a = np.attr("ascontiguousarray")(r, "float32");
      if (a.ndim() != 2 || static_cast<size_t>(a.shape(0)) != texts.size() || static_cast<size_t>(a.shape(1)) != dim_)
        return Status::InvalidArgument("embedder: the callable returned shape " +
                                       py::str(a.attr("shape")).cast<std::string>() + "; expected (" +
                                       std::to_string(texts.size()) + ", " + std::to_string(dim_) + ")");
      std::copy(a.data(), a.data() + a.size(), out.begin());
      return Status::Ok();
    } catch (py::error_already_set& e) {
      return Status::InvalidArgument(std::string("embedder: the callable raised ") + e.what());
    } catch (const std::exception& e) {
      return Status::InvalidArgument(std::string("embedder: ") + e.what());
    }
  }

 private:
  py::object* fn_;  // deleted with the GIL held
  std::string id_;
  size_t dim_;
};

// ---- the handle -------------------------------------------------------------------------

class RepoHandle {
 public:
  RepoHandle(std::unique_ptr<gitmem::Repository> repo, std::string path)
      : repo_(std::move(repo)), path_(std::move(path)), name_(repo_->name()) {}
  RepoHandle(const RepoHandle&) = delete;
  RepoHandle& operator=(const RepoHandle&) = delete;
  /// Called with the GIL held (object deallocation): drop the engine without it, so a
  /// Python embedder running on an engine thread can finish while the store closes.
  ~RepoHandle() {
    std::shared_ptr<gitmem::Repository> r;
    r.swap(repo_);
    if (r && PyGILState_Check()) {
      py::gil_scoped_release nogil;
      r.reset();
    }
  }

  /// The open repository, or InvalidArgumentError once closed.
  std::shared_ptr<gitmem::Repository> get() const {
    std::lock_guard<std::mutex> lock(mu_);
    if (!repo_) Throw(Status::InvalidArgument("repository: operation on a closed repository"));
    return repo_;
  }

  void close() {
    std::shared_ptr<gitmem::Repository> r;
    {
      std::lock_guard<std::mutex> lock(mu_);
      r.swap(repo_);
    }
    py::gil_scoped_release nogil;
    r.reset();  // closes the store when no other call or handle uses it
  }

  bool closed() const {
    std::lock_guard<std::mutex> lock(mu_);
    return repo_ == nullptr;
  }

  const std::string& path() const { return path_; }
  const std::string& name() const { return name_; }

 private:
  mutable std::mutex mu_;
  std::shared_ptr<gitmem::Repository> repo_;
  std::string path_;
  std::string name_;
};

/// Runs `f(repo)` without the GIL and returns its result.
template <typename F>
auto NoGil(const RepoHandle& h, F&& f) {
  auto repo = h.get();
  py::gil_scoped_release nogil;
  return f(*repo);
}

// A Python progress callable for an operation that runs without the GIL: each call takes
// the GIL. An exception it raises stops further calls and is re-raised (by Rethrow) once
// the operation has returned — the operation itself is not interrupted.
class PyProgress {
 public:
  explicit PyProgress(py::object fn) : fn_(std::move(fn)) {}
  gitmem::ProgressFn fn() {
    if (fn_.is_none()) return {};
    return [this](uint64_t done, uint64_t total) {
      py::gil_scoped_acquire gil;
      if (error_) return;
      try {
        fn_(done, total);
      } catch (py::error_already_set& e) {
        error_ = std::make_unique<py::error_already_set>(std::move(e));
      }
    };
  }
  void Rethrow() {
    if (error_) throw std::move(*error_);
  }

 private:
  py::object fn_;
  std::unique_ptr<py::error_already_set> error_;
};

gitmem::RepositoryOptions OptionsIn(const std::string& name, const std::string& default_branch,
                                    const std::string& description, bool auto_commit, const std::string& author,
                                    size_t max_content_bytes, size_t max_metadata_bytes, bool sync, bool read_only) {
  gitmem::RepositoryOptions o;
  o.name = name;
  o.default_branch = default_branch;
  o.description = description;
  o.auto_commit = auto_commit;
  o.default_author = author;
  o.max_content_bytes = max_content_bytes;
  o.max_metadata_bytes = max_metadata_bytes;
  o.sync = sync;
  o.read_only = read_only;
  return o;
}

/// dim: 0 = the embedder's (or the recorded) dimension; embedder: None for the built-in
/// one, or (callable, id, dimension).
void SearchOptionsIn(gitmem::RepositoryOptions& o, size_t dim, const py::object& embedder) {
  o.embedding_dimension = dim;
  if (embedder.is_none()) return;
  auto t = embedder.cast<py::tuple>();
  if (t.size() != 3) throw py::type_error("_core: an embedder is (callable, id, dimension)");
  o.embedder = std::make_shared<PyEmbedder>(py::reinterpret_borrow<py::object>(t[0]), t[1].cast<std::string>(),
                                            t[2].cast<size_t>());
}

gitmem::WriteOptions WriteIn(std::string branch, std::string author) {
  gitmem::WriteOptions w;
  w.branch = std::move(branch);
  w.author = std::move(author);
  return w;
}

// ---- search --------------------------------------------------------------------------

gitmem::SearchMode ModeIn(std::string_view mode) {
  if (mode == "vector") return gitmem::SearchMode::kVector;
  if (mode == "keyword") return gitmem::SearchMode::kKeyword;
  if (mode == "hybrid") return gitmem::SearchMode::kHybrid;
  Throw(Status::InvalidArgument("mode: '" + std::string(mode) + "' is not one of 'vector', 'keyword', 'hybrid'"));
}

/// A filter: a dict with the SearchFilter field names (types and scopes by name,
/// metadata as (key, JSON text) pairs); a missing or None / empty field does not filter.
gitmem::SearchFilter FilterIn(const py::dict& d) {
  gitmem::SearchFilter f;
  for (auto& x : Opt<std::vector<std::string>>(d, "types").value_or(std::vector<std::string>{}))
    f.types.push_back(ParseEnum(gitmem::ParseMemoryType(x)));
  f.tags_any = Opt<std::vector<std::string>>(d, "tags_any").value_or(std::vector<std::string>{});
  f.tags_all = Opt<std::vector<std::string>>(d, "tags_all").value_or(std::vector<std::string>{});
  f.agent_id = Opt<std::string>(d, "agent_id");
  f.session_id = Opt<std::string>(d, "session_id");
  for (auto& x : Opt<std::vector<std::string>>(d, "scopes").value_or(std::vector<std::string>{}))
    f.scopes.push_back(ParseEnum(gitmem::ParseScope(x)));
  f.from_us = Opt<int64_t>(d, "from_us");
  f.until_us = Opt<int64_t>(d, "until_us");
  f.min_importance = Opt<float>(d, "min_importance");
  using Pairs = std::vector<std::pair<std::string, std::string>>;
  f.metadata = Opt<Pairs>(d, "metadata").value_or(Pairs{});
  return f;
}

// ---- merge ----------------------------------------------------------------------------

/// Merge options; `resolver` (None or a callable taking a _core.Conflict and returning a
/// memory record dict or None) must outlive the engine call.
gitmem::MergeOptions MergeIn(std::string into, const std::string& strategy, std::string message, std::string author,
                             const py::object& resolver, bool allow_fast_forward) {
  gitmem::MergeOptions o;
  o.into = std::move(into);
  o.strategy = ParseEnum(gitmem::ParseMergeStrategy(strategy));
  o.message = std::move(message);
  o.author = std::move(author);
  o.allow_fast_forward = allow_fast_forward;
  if (!resolver.is_none()) {
    PyObject* fn = resolver.ptr();  // borrowed: the caller's frame keeps it alive
    o.resolver = [fn](const gitmem::MergeConflict& c) -> gitmem::Result<std::optional<gitmem::Memory>> {
      py::gil_scoped_acquire gil;
      try {
        py::object r = py::reinterpret_borrow<py::object>(fn)(py::cast(c));
        if (r.is_none()) return std::optional<gitmem::Memory>();
        return std::optional<gitmem::Memory>(MemoryIn(r));
      } catch (py::error_already_set& e) {
        return Status::InvalidArgument(std::string("resolver: ") + e.what());
      } catch (const StatusError& e) {
        return e.status();
      } catch (const std::exception& e) {
        return Status::InvalidArgument(std::string("resolver: ") + e.what());
      }
    };
  }
  return o;
}

}  // namespace

PYBIND11_MODULE(_core, m) {
  m.doc() = "gitmem's compiled core. Use the gitmem package, not this module.";

  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const StatusError& e) {
      SetPythonError(e.status());
    } catch (const py::cast_error& e) {
      // A value of the wrong Python type reached the engine: gitmem/ checks types first,
      // so this is a TypeError from a direct caller of _core.
      PyErr_SetString(PyExc_TypeError, e.what());
    }
  });

  m.def("version", [] { return std::string(gitmem::Version()); });
  BindValues(m);

  m.def(
      "list_repositories",
      [](const std::string& path) {
        py::gil_scoped_release nogil;
        return Unwrap(gitmem::Repository::ListRepositories(path));
      },
      py::arg("path"));

  py::class_<RepoHandle>(m, "Repository")
      .def_static(
          "init",
          [](const std::string& path, const std::string& name, const std::string& default_branch,
             const std::string& description, bool auto_commit, const std::string& author, size_t max_content_bytes,
             size_t max_metadata_bytes, bool sync, size_t dim, const py::object& embedder) {
            auto o = OptionsIn(name, default_branch, description, auto_commit, author, max_content_bytes,
                               max_metadata_bytes, sync, false);
            SearchOptionsIn(o, dim, embedder);
            std::unique_ptr<gitmem::Repository> repo;
            {
              py::gil_scoped_release nogil;
              repo = Unwrap(gitmem::Repository::Init(o, path));
            }
            return std::make_unique<RepoHandle>(std::move(repo), path);
          },
          py::arg("path"), py::arg("name"), py::arg("default_branch"), py::arg("description"), py::arg("auto_commit"),
          py::arg("author"), py::arg("max_content_bytes"), py::arg("max_metadata_bytes"), py::arg("sync"),
          py::arg("dim") = 0, py::arg("embedder") = py::none())
      .def_static(
          "open",
          [](const std::string& path, const std::string& name, bool auto_commit, const std::string& author,
             size_t max_content_bytes, size_t max_metadata_bytes, bool sync, bool read_only,
             const py::object& embedder) {
            auto o = OptionsIn(name, "main", "", auto_commit, author, max_content_bytes, max_metadata_bytes, sync,
                               read_only);
            SearchOptionsIn(o, 0, embedder);
            std::unique_ptr<gitmem::Repository> repo;
            {
              py::gil_scoped_release nogil;
              repo = Unwrap(gitmem::Repository::Open(o, path));
            }
            return std::make_unique<RepoHandle>(std::move(repo), path);
          },
          py::arg("path"), py::arg("name"), py::arg("auto_commit"), py::arg("author"), py::arg("max_content_bytes"),
          py::arg("max_metadata_bytes"), py::arg("sync"), py::arg("read_only"), py::arg("embedder") = py::none())
      .def_property_readonly("path", &RepoHandle::path)
      .def_property_readonly("name", &RepoHandle::name)
      .def_property_readonly("closed", &RepoHandle::closed)
      .def("close", &RepoHandle::close)
      .def("options",
           [](const RepoHandle& h) {
             const auto& o = h.get()->options();
             py::dict d;
             d["name"] = o.name;
             d["auto_commit"] = o.auto_commit;
             d["author"] = o.default_author;
             d["max_content_bytes"] = o.max_content_bytes;
             d["max_metadata_bytes"] = o.max_metadata_bytes;
             d["sync"] = o.sync;
             d["read_only"] = o.read_only;
             d["embedding_dimension"] = o.embedding_dimension;
             return d;
           })

      // ---- memories ----
      .def("put_many",
           [](const RepoHandle& h, const py::list& records, std::string branch, std::string author) {
             std::vector<gitmem::Memory> memories;
             memories.reserve(records.size());
             for (py::handle r : records) memories.push_back(MemoryIn(r));
             auto w = WriteIn(std::move(branch), std::move(author));
             return NoGil(h, [&](gitmem::Repository& repo) {
               return Unwrap(repo.PutMany(std::span<const gitmem::Memory>(memories), w));
             });
           })
      .def("update",
           [](const RepoHandle& h, std::string id, const py::dict& patch, std::string branch, std::string author) {
             auto p = PatchIn(patch);
             auto w = WriteIn(std::move(branch), std::move(author));
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.Update(id, p, w));
               return 0;
             });
           })
      .def("delete",
           [](const RepoHandle& h, std::string id, std::string branch, std::string author) {
             auto w = WriteIn(std::move(branch), std::move(author));
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.Delete(id, w));
               return 0;
             });
           })
      .def("get",
           [](const RepoHandle& h, std::string id, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Get(id, at)); });
           })
      .def("list",
           [](const RepoHandle& h, std::string rev, std::optional<int64_t> as_of, uint64_t offset, uint64_t limit,
              const py::dict& filter) {
             gitmem::ListOptions o;
             o.at = ReadIn(std::move(rev), as_of);
             o.offset = offset;
             o.limit = limit;
             o.filter = FilterIn(filter);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.List(o)); });
           })
      .def("count",
           [](const RepoHandle& h, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Count(at)); });
           })

      // ---- commits and history ----
      .def("commit",
           [](const RepoHandle& h, std::string message, std::string author, std::string branch, int64_t timestamp_us,
              bool allow_empty) {
             gitmem::CommitOptions o;
             o.message = std::move(message);
             o.author = std::move(author);
             o.branch = std::move(branch);
             o.timestamp_us = timestamp_us;
             o.allow_empty = allow_empty;
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Commit(o)).hex(); });
           })
      .def("staged",
           [](const RepoHandle& h, std::string branch) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Staged(branch)); });
           })
      .def("discard_staged",
           [](const RepoHandle& h, std::string branch) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.DiscardStaged(branch));
               return 0;
             });
           })
      .def("log",
           [](const RepoHandle& h, std::string rev, bool first_parent, uint64_t offset, uint64_t limit) {
             gitmem::LogOptions o;
             o.rev = std::move(rev);
             o.first_parent = first_parent;
             o.offset = offset;
             o.limit = limit;
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Log(o)); });
           })
      .def("show",
           [](const RepoHandle& h, std::string rev) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Show(rev)); });
           })
      .def("resolve",
           [](const RepoHandle& h, std::string rev) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Resolve(rev)).hex(); });
           })
      .def("diff",
           [](const RepoHandle& h, std::string rev_a, std::optional<int64_t> as_of_a, std::string rev_b,
              std::optional<int64_t> as_of_b) {
             auto a = ReadIn(std::move(rev_a), as_of_a);
             auto b = ReadIn(std::move(rev_b), as_of_b);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.DiffRevs(a, b)).entries; });
           })
      .def("history",
           [](const RepoHandle& h, std::string id, std::string rev) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.History(id, rev)); });
           })
      .def("session",
           [](const RepoHandle& h, std::string session_id, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Session(session_id, at)); });
           })

      // ---- branches and tags ----
      .def("create_branch",
           [](const RepoHandle& h, std::string name, std::string at) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.CreateBranch(name, at));
               return 0;
             });
           })
      .def("delete_branch",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.DeleteBranch(name));
               return 0;
             });
           })
      .def("rename_branch",
           [](const RepoHandle& h, std::string from, std::string to) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.RenameBranch(from, to));
               return 0;
             });
           })
      .def("list_branches",
           [](const RepoHandle& h) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ListBranches()); });
           })
      .def("checkout",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.Checkout(name));
               return 0;
             });
           })
      .def("current_branch",
           [](const RepoHandle& h) { return NoGil(h, [&](gitmem::Repository& repo) { return repo.CurrentBranch(); }); })
      .def("reset",
           [](const RepoHandle& h, std::string branch, std::string rev) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.Reset(branch, rev));
               return 0;
             });
           })
      .def("create_tag",
           [](const RepoHandle& h, std::string name, std::string at) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.CreateTag(name, at));
               return 0;
             });
           })
      .def("delete_tag",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.DeleteTag(name));
               return 0;
             });
           })
      .def("list_tags",
           [](const RepoHandle& h) {
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ListTags()); });
           })

      // ---- maintenance ----
      .def("fsck",
           [](const RepoHandle& h) { return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Fsck()); }); })
      .def("fsck_all",
           [](const RepoHandle& h, bool all_objects) {
             gitmem::FsckOptions o;
             o.all_objects = all_objects;
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.FsckAll(o)); });
           })
      .def_static("fsck_store",
                  [](const std::string& path, bool all_objects) {
                    gitmem::FsckOptions o;
                    o.all_objects = all_objects;
                    py::gil_scoped_release nogil;
                    return Unwrap(gitmem::Repository::FsckStore(path, o));
                  })
      .def("gc",
           [](const RepoHandle& h, bool dry_run, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::GcOptions o;
             o.dry_run = dry_run;
             o.progress = p.fn();
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Gc(o)); });
             p.Rethrow();
             return r;
           })
      .def("info",
           [](const RepoHandle& h) { return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Info()); }); })
      .def("export_jsonl",
           [](const RepoHandle& h, std::string path, std::string rev, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::ExportOptions o;
             o.rev = std::move(rev);
             o.progress = p.fn();
             auto n = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ExportJsonl(path, o)); });
             p.Rethrow();
             return n;
           })
      .def("import_jsonl",
           [](const RepoHandle& h, std::string path, std::string branch, std::string message, std::string author,
              py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::ImportOptions o;
             o.branch = std::move(branch);
             o.message = std::move(message);
             o.author = std::move(author);
             o.progress = p.fn();
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ImportJsonl(path, o)); });
             p.Rethrow();
             return r;
           })
      .def("export_bundle",
           [](const RepoHandle& h, std::string path, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::ExportOptions o;
             o.progress = p.fn();
             auto n = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ExportBundle(path, o)); });
             p.Rethrow();
             return n;
           })
      .def("import_bundle",
           [](const RepoHandle& h, std::string path, bool force, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::ImportOptions o;
             o.force = force;
             o.progress = p.fn();
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ImportBundle(path, o)); });
             p.Rethrow();
             return r;
           })

      // ---- search ----
      .def("search",
           [](const RepoHandle& h, std::string query, const py::object& vector, std::string mode, int k,
              uint64_t offset, std::string rev, std::optional<int64_t> as_of, const py::dict& filter, double rrf_k,
              double vector_weight, double keyword_weight, bool include_memories) {
             gitmem::SearchOptions o;
             o.query = std::move(query);
             o.query_vector = VectorIn(vector);
             o.mode = ModeIn(mode);
             o.k = k;
             o.offset = offset;
             o.at = ReadIn(std::move(rev), as_of);
             o.filter = FilterIn(filter);
             o.rrf_k = rrf_k;
             o.vector_weight = vector_weight;
             o.keyword_weight = keyword_weight;
             o.include_memories = include_memories;
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Search(o)); });
           })
      .def("reindex",
           [](const RepoHandle& h, std::string branch, py::object progress) {
             PyProgress p(std::move(progress));
             const gitmem::ProgressFn fn = p.fn();
             NoGil(h, [&](gitmem::Repository& repo) {
               Check(repo.Reindex(branch, fn));
               return 0;
             });
             p.Rethrow();
           })
      .def("index_info",
           [](const RepoHandle& h, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             auto i = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.IndexInfo(at)); });
             py::dict d;
             d["commit"] = HexOrNone(i.commit);
             d["tree"] = i.tree.hex();
             d["documents"] = i.documents;
             d["vector_segments"] = i.vector_segments;
             d["keyword_segments"] = i.keyword_segments;
             d["vector_delta"] = i.vector_delta;
             d["keyword_delta"] = i.keyword_delta;
             d["source"] = i.source;
             d["changes_applied"] = i.changes_applied;
             d["vectors_awaiting_graph"] = i.vectors_awaiting_graph;
             d["indexing"] = i.indexing;
             return d;
           })
      .def("wait_for_index",
           [](const RepoHandle& h, std::string branch, int64_t timeout_ms) {
             // Waits without the GIL in slices, taking it between them to let Ctrl-C
             // (or any pending signal handler) interrupt an unbounded wait.
             constexpr int64_t kSliceMs = 100;
             const auto start = std::chrono::steady_clock::now();
             for (;;) {
               int64_t slice = kSliceMs;
               if (timeout_ms >= 0) {
                 const auto spent =
                     std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start)
                         .count();
                 slice = std::clamp<int64_t>(timeout_ms - spent, 0, kSliceMs);
               }
               Status s = NoGil(h, [&](gitmem::Repository& repo) { return repo.WaitForIndex(branch, slice); });
               if (s.code() != Status::Code::kBusy) return Check(s);
               if (timeout_ms >= 0 && std::chrono::steady_clock::now() - start >= std::chrono::milliseconds(timeout_ms))
                 Throw(Status::Busy("search index: still building after " + std::to_string(timeout_ms) + " ms"));
               if (PyErr_CheckSignals() != 0) throw py::error_already_set();
             }
           })

      // ---- merge and fork ----
      .def("merge",
           [](const RepoHandle& h, std::string op, std::string source, std::string into, std::string strategy,
              std::string message, std::string author, const py::object& resolver, bool allow_fast_forward) {
             auto o = MergeIn(std::move(into), strategy, std::move(message), std::move(author), resolver,
                              allow_fast_forward);
             return NoGil(h, [&](gitmem::Repository& repo) {
               if (op == "cherry_pick") return Unwrap(repo.CherryPick(source, o));
               if (op == "revert") return Unwrap(repo.Revert(source, o));
               return Unwrap(repo.Merge(source, o));
             });
           })
      .def("merge_bases",
           [](const RepoHandle& h, std::string a, std::string b) {
             return Hexes(NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.MergeBases(a, b)); }));
           })
      .def("fork", [](const RepoHandle& h, std::string new_name) {
        auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Fork(new_name)); });
        return std::make_unique<RepoHandle>(std::move(r), h.path());
      });
}
