// gitmem._core — the compiled half of the Python package.
//
// This module is deliberately thin: it converts between Python values and gitmem's C++
// value types and calls the engine with the GIL released. Everything Pythonic (keyword
// arguments, datetimes, dataclasses, JSON metadata) lives in the pure-Python package
// gitmem/, which is the only caller of this module.
//
// Data crosses the boundary as plain tuples in a fixed field order (see the *_FIELDS
// comments below and gitmem/_types.py, which must agree with them).
//
// Thread safety: a _core.Repository may be used from many Python threads at once. Each
// call takes a reference to the engine's Repository under a short mutex and then runs
// without the GIL; close() drops the handle's reference, so a call in flight on another
// thread finishes safely and the store is released when the last call returns.
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <charconv>
#include <cstdlib>
#include <exception>
#include <memory>
#include <mutex>
#include <span>
#include <string_view>
#include <optional>
#include <string>
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

std::string_view KindName(gitmem::DiffEntry::Kind k) {
  switch (k) {
    case gitmem::DiffEntry::Kind::kAdded: return "added";
    case gitmem::DiffEntry::Kind::kModified: return "modified";
    default: return "removed";
  }
}

// MEMORY_FIELDS: (id, content, type, agent_id, session_id, timestamp_us, importance,
// confidence, tags, scope, author, content_hash, metadata_json,
// relations [(type, target_id, strength), ...])
py::tuple MemoryOut(const gitmem::Memory& m) {
  py::list relations;
  for (const auto& r : m.relations)
    relations.append(py::make_tuple(py::str(std::string(gitmem::ToString(r.type))), r.target_id,
                                    Widen(r.strength)));
  py::tuple tags(m.tags.size());
  for (size_t i = 0; i < m.tags.size(); ++i) tags[i] = py::str(m.tags[i]);
  return py::make_tuple(m.id, m.content, std::string(gitmem::ToString(m.type)), m.agent_id,
                        m.session_id, m.timestamp_us, Widen(m.importance), Widen(m.confidence),
                        std::move(tags), std::string(gitmem::ToString(m.scope)),
                        m.provenance.author, m.provenance.content_hash.hex(), m.metadata,
                        std::move(relations));
}

py::object OptionalMemoryOut(const std::optional<gitmem::Memory>& m) {
  return m ? py::object(MemoryOut(*m)) : py::object(py::none());
}

py::object HexOrNone(const gitmem::ObjectId& id) {
  return id.is_zero() ? py::object(py::none()) : py::object(py::str(id.hex()));
}

// COMMIT_FIELDS: (id, tree, parents, author, message, timestamp_us, generation,
// memory_count, added, modified, removed, changed_ids, changed_ids_truncated)
py::tuple CommitOut(const gitmem::CommitInfo& c) {
  py::tuple parents(c.parents.size());
  for (size_t i = 0; i < c.parents.size(); ++i) parents[i] = py::str(c.parents[i].hex());
  py::tuple changed(c.changed_ids.size());
  for (size_t i = 0; i < c.changed_ids.size(); ++i) changed[i] = py::str(c.changed_ids[i]);
  return py::make_tuple(c.id.hex(), c.tree.hex(), std::move(parents), c.author, c.message,
                        c.timestamp_us, c.generation, c.memory_count, c.added, c.modified,
                        c.removed, std::move(changed), c.changed_ids_truncated);
}

template <typename T, typename F>
py::list ListOut(const std::vector<T>& items, F&& f) {
  py::list out(items.size());
  for (size_t i = 0; i < items.size(); ++i) out[i] = f(items[i]);
  return out;
}

// ---- values in -----------------------------------------------------------------------

template <typename E>
E ParseEnum(gitmem::Result<E> r) {
  return Unwrap(std::move(r));
}

/// RELATION_FIELDS: (type, target_id, strength)
std::vector<gitmem::Relation> RelationsIn(const py::handle& h) {
  std::vector<gitmem::Relation> out;
  for (py::handle item : h) {
    auto t = item.cast<py::tuple>();
    gitmem::Relation r;
    r.type = ParseEnum(gitmem::ParseRelationType(t[0].cast<std::string>()));
    r.target_id = t[1].cast<std::string>();
    r.strength = t[2].cast<float>();
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

// MEMORY_IN_FIELDS (+ optional embedding as a 13th field): (id, content, type, agent_id, session_id, timestamp_us, importance,
// confidence, tags, scope, metadata_json, relations)
gitmem::Memory MemoryIn(const py::handle& h) {
  auto t = h.cast<py::tuple>();
  if (t.size() != 12 && t.size() != 13)
    throw py::type_error("_core: a memory record is a 12-tuple (13 with an embedding)");
  gitmem::Memory m;
  m.id = t[0].cast<std::string>();
  m.content = t[1].cast<std::string>();
  m.type = ParseEnum(gitmem::ParseMemoryType(t[2].cast<std::string>()));
  m.agent_id = t[3].cast<std::string>();
  m.session_id = t[4].cast<std::string>();
  m.timestamp_us = t[5].cast<int64_t>();
  m.importance = t[6].cast<float>();
  m.confidence = t[7].cast<float>();
  m.tags = t[8].cast<std::vector<std::string>>();
  m.scope = ParseEnum(gitmem::ParseScope(t[9].cast<std::string>()));
  m.metadata = t[10].cast<std::string>();
  m.relations = RelationsIn(t[11]);
  if (t.size() == 13) m.embedding = VectorIn(t[12]);
  return m;
}

template <typename T>
std::optional<T> Opt(const py::handle& h) {
  if (h.is_none()) return std::nullopt;
  return h.cast<T>();
}

// PATCH_FIELDS: (content, type, agent_id, session_id, importance, confidence, tags, scope,
// metadata_json, relations), each None to keep the stored value.
gitmem::MemoryPatch PatchIn(const py::tuple& t) {
  if (t.size() != 10) throw py::type_error("_core: a patch is a 10-tuple");
  gitmem::MemoryPatch p;
  p.content = Opt<std::string>(t[0]);
  if (!t[1].is_none()) p.type = ParseEnum(gitmem::ParseMemoryType(t[1].cast<std::string>()));
  p.agent_id = Opt<std::string>(t[2]);
  p.session_id = Opt<std::string>(t[3]);
  p.importance = Opt<float>(t[4]);
  p.confidence = Opt<float>(t[5]);
  p.tags = Opt<std::vector<std::string>>(t[6]);
  if (!t[7].is_none()) p.scope = ParseEnum(gitmem::ParseScope(t[7].cast<std::string>()));
  p.metadata = Opt<std::string>(t[8]);
  if (!t[9].is_none()) p.relations = RelationsIn(t[9]);
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
    if (out.size() != texts.size() * dim_)
      return Status::InvalidArgument("embedder: output span has the wrong size");
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
                                       py::str(r.attr("dtype")).cast<std::string>() +
                                       "; expected float32");
      py::array_t<float, py::array::c_style> a = np.attr("ascontiguousarray")(r, "float32");
      if (a.ndim() != 2 || static_cast<size_t>(a.shape(0)) != texts.size() ||
          static_cast<size_t>(a.shape(1)) != dim_)
        return Status::InvalidArgument(
            "embedder: the callable returned shape " + py::str(a.attr("shape")).cast<std::string>() +
            "; expected (" + std::to_string(texts.size()) + ", " + std::to_string(dim_) + ")");
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
                                    const std::string& description, bool auto_commit,
                                    const std::string& author, size_t max_content_bytes,
                                    size_t max_metadata_bytes, bool sync, bool read_only) {
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
  o.embedder = std::make_shared<PyEmbedder>(py::reinterpret_borrow<py::object>(t[0]),
                                            t[1].cast<std::string>(), t[2].cast<size_t>());
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
  Throw(Status::InvalidArgument("mode: '" + std::string(mode) +
                                "' is not one of 'vector', 'keyword', 'hybrid'"));
}

// FILTER_FIELDS: (types, tags_any, tags_all, agent_id, session_id, scopes, from_us,
// until_us, min_importance, metadata [(key, json_value), ...]); None / [] do not filter.
gitmem::SearchFilter FilterIn(const py::tuple& t) {
  if (t.size() != 10) throw py::type_error("_core: a search filter is a 10-tuple");
  gitmem::SearchFilter f;
  for (auto& x : t[0].cast<std::vector<std::string>>())
    f.types.push_back(ParseEnum(gitmem::ParseMemoryType(x)));
  f.tags_any = t[1].cast<std::vector<std::string>>();
  f.tags_all = t[2].cast<std::vector<std::string>>();
  f.agent_id = Opt<std::string>(t[3]);
  f.session_id = Opt<std::string>(t[4]);
  for (auto& x : t[5].cast<std::vector<std::string>>())
    f.scopes.push_back(ParseEnum(gitmem::ParseScope(x)));
  f.from_us = Opt<int64_t>(t[6]);
  f.until_us = Opt<int64_t>(t[7]);
  f.min_importance = Opt<float>(t[8]);
  f.metadata = t[9].cast<std::vector<std::pair<std::string, std::string>>>();
  return f;
}

// ---- merge ----------------------------------------------------------------------------

std::string_view ConflictKindName(gitmem::MergeConflict::Kind k) {
  return gitmem::ToString(k);
}

// CONFLICT_FIELDS: (kind, id, base, ours, theirs, base_ambiguous, resolution)
py::tuple ConflictOut(const gitmem::MergeConflict& c) {
  return py::make_tuple(std::string(ConflictKindName(c.kind)), c.id, OptionalMemoryOut(c.base),
                        OptionalMemoryOut(c.ours), OptionalMemoryOut(c.theirs), c.base_ambiguous,
                        OptionalMemoryOut(c.resolution));
}

// MERGE_FIELDS: (commit or None, fast_forward, up_to_date, conflicts, merge_bases,
// changes_applied)
py::tuple MergeOut(const gitmem::MergeResult& r) {
  py::list bases;
  for (const auto& b : r.merge_bases) bases.append(b.hex());
  return py::make_tuple(HexOrNone(r.commit), r.fast_forward, r.up_to_date,
                        ListOut(r.conflicts, ConflictOut), bases, r.changes_applied);
}

/// Merge options; `resolver` (None or a callable taking a CONFLICT_FIELDS tuple and
/// returning a MEMORY_IN_FIELDS tuple or None) must outlive the engine call.
gitmem::MergeOptions MergeIn(std::string into, const std::string& strategy, std::string message,
                             std::string author, const py::object& resolver,
                             bool allow_fast_forward) {
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
        py::object r = py::reinterpret_borrow<py::object>(fn)(ConflictOut(c));
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

// IMPORT_FIELDS: (memories, objects, refs, commit or None)
py::tuple ImportOut(const gitmem::ImportReport& r) {
  return py::make_tuple(r.memories, r.objects, r.refs, HexOrNone(r.commit));
}

py::tuple FsckOut(const gitmem::FsckReport& r) {
  return py::make_tuple(r.objects_checked, r.commits, r.trees, r.blobs, r.problems);
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
             const std::string& description, bool auto_commit, const std::string& author,
             size_t max_content_bytes, size_t max_metadata_bytes, bool sync, size_t dim,
             const py::object& embedder) {
            auto o = OptionsIn(name, default_branch, description, auto_commit, author,
                               max_content_bytes, max_metadata_bytes, sync, false);
            SearchOptionsIn(o, dim, embedder);
            std::unique_ptr<gitmem::Repository> repo;
            {
              py::gil_scoped_release nogil;
              repo = Unwrap(gitmem::Repository::Init(o, path));
            }
            return std::make_unique<RepoHandle>(std::move(repo), path);
          },
          py::arg("path"), py::arg("name"), py::arg("default_branch"), py::arg("description"),
          py::arg("auto_commit"), py::arg("author"), py::arg("max_content_bytes"),
          py::arg("max_metadata_bytes"), py::arg("sync"), py::arg("dim") = 0,
          py::arg("embedder") = py::none())
      .def_static(
          "open",
          [](const std::string& path, const std::string& name, bool auto_commit,
             const std::string& author, size_t max_content_bytes, size_t max_metadata_bytes,
             bool sync, bool read_only, const py::object& embedder) {
            auto o = OptionsIn(name, "main", "", auto_commit, author, max_content_bytes,
                               max_metadata_bytes, sync, read_only);
            SearchOptionsIn(o, 0, embedder);
            std::unique_ptr<gitmem::Repository> repo;
            {
              py::gil_scoped_release nogil;
              repo = Unwrap(gitmem::Repository::Open(o, path));
            }
            return std::make_unique<RepoHandle>(std::move(repo), path);
          },
          py::arg("path"), py::arg("name"), py::arg("auto_commit"), py::arg("author"),
          py::arg("max_content_bytes"), py::arg("max_metadata_bytes"), py::arg("sync"),
          py::arg("read_only"), py::arg("embedder") = py::none())
      .def_property_readonly("path", &RepoHandle::path)
      .def_property_readonly("name", &RepoHandle::name)
      .def_property_readonly("closed", &RepoHandle::closed)
      .def("close", &RepoHandle::close)
      .def("options", [](const RepoHandle& h) {
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
           [](const RepoHandle& h, std::string id, const py::tuple& patch, std::string branch,
              std::string author) {
             auto p = PatchIn(patch);
             auto w = WriteIn(std::move(branch), std::move(author));
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.Update(id, p, w)); return 0; });
           })
      .def("delete",
           [](const RepoHandle& h, std::string id, std::string branch, std::string author) {
             auto w = WriteIn(std::move(branch), std::move(author));
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.Delete(id, w)); return 0; });
           })
      .def("get",
           [](const RepoHandle& h, std::string id, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             auto m = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Get(id, at)); });
             return MemoryOut(m);
           })
      .def("list",
           [](const RepoHandle& h, std::string rev, std::optional<int64_t> as_of, uint64_t offset,
              uint64_t limit) {
             gitmem::ListOptions o;
             o.at = ReadIn(std::move(rev), as_of);
             o.offset = offset;
             o.limit = limit;
             auto ms = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.List(o)); });
             return ListOut(ms, MemoryOut);
           })
      .def("count",
           [](const RepoHandle& h, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             return NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Count(at)); });
           })

      // ---- commits and history ----
      .def("commit",
           [](const RepoHandle& h, std::string message, std::string author, std::string branch,
              int64_t timestamp_us, bool allow_empty) {
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
             auto s = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Staged(branch)); });
             return ListOut(s, [](const gitmem::StagedChange& c) {
               return py::make_tuple(c.id, c.deleted, OptionalMemoryOut(c.memory));
             });
           })
      .def("discard_staged",
           [](const RepoHandle& h, std::string branch) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.DiscardStaged(branch)); return 0; });
           })
      .def("log",
           [](const RepoHandle& h, std::string rev, bool first_parent, uint64_t offset, uint64_t limit) {
             gitmem::LogOptions o;
             o.rev = std::move(rev);
             o.first_parent = first_parent;
             o.offset = offset;
             o.limit = limit;
             auto cs = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Log(o)); });
             return ListOut(cs, CommitOut);
           })
      .def("show",
           [](const RepoHandle& h, std::string rev) {
             auto c = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Show(rev)); });
             return CommitOut(c);
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
             auto d = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.DiffRevs(a, b)); });
             return ListOut(d.entries, [](const gitmem::DiffEntry& e) {
               return py::make_tuple(std::string(KindName(e.kind)), e.id, OptionalMemoryOut(e.old_memory),
                                     OptionalMemoryOut(e.new_memory));
             });
           })
      .def("history",
           [](const RepoHandle& h, std::string id, std::string rev) {
             auto vs = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.History(id, rev)); });
             return ListOut(vs, [](const gitmem::MemoryVersion& v) {
               return py::make_tuple(CommitOut(v.commit), OptionalMemoryOut(v.memory));
             });
           })
      .def("session",
           [](const RepoHandle& h, std::string session_id, std::string rev, std::optional<int64_t> as_of) {
             auto at = ReadIn(std::move(rev), as_of);
             auto ms = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Session(session_id, at)); });
             return ListOut(ms, MemoryOut);
           })

      // ---- branches and tags ----
      .def("create_branch",
           [](const RepoHandle& h, std::string name, std::string at) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.CreateBranch(name, at)); return 0; });
           })
      .def("delete_branch",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.DeleteBranch(name)); return 0; });
           })
      .def("rename_branch",
           [](const RepoHandle& h, std::string from, std::string to) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.RenameBranch(from, to)); return 0; });
           })
      .def("list_branches",
           [](const RepoHandle& h) {
             auto bs = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ListBranches()); });
             return ListOut(bs, [](const gitmem::BranchInfo& b) {
               return py::make_tuple(b.name, HexOrNone(b.head), b.is_current, b.staged);
             });
           })
      .def("checkout",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.Checkout(name)); return 0; });
           })
      .def("current_branch",
           [](const RepoHandle& h) {
             return NoGil(h, [&](gitmem::Repository& repo) { return repo.CurrentBranch(); });
           })
      .def("reset",
           [](const RepoHandle& h, std::string branch, std::string rev) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.Reset(branch, rev)); return 0; });
           })
      .def("create_tag",
           [](const RepoHandle& h, std::string name, std::string at) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.CreateTag(name, at)); return 0; });
           })
      .def("delete_tag",
           [](const RepoHandle& h, std::string name) {
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.DeleteTag(name)); return 0; });
           })
      .def("list_tags",
           [](const RepoHandle& h) {
             auto ts = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ListTags()); });
             return ListOut(ts, [](const gitmem::TagInfo& t) { return py::make_tuple(t.name, t.target.hex()); });
           })

      // ---- maintenance ----
      .def("fsck", [](const RepoHandle& h) {
        auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Fsck()); });
        return FsckOut(r);
      })
      .def("fsck_all",
           [](const RepoHandle& h, bool all_objects) {
             gitmem::FsckOptions o;
             o.all_objects = all_objects;
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.FsckAll(o)); });
             return FsckOut(r);
           })
      .def_static("fsck_store",
                  [](const std::string& path, bool all_objects) {
                    gitmem::FsckOptions o;
                    o.all_objects = all_objects;
                    gitmem::FsckReport r;
                    {
                      py::gil_scoped_release nogil;
                      r = Unwrap(gitmem::Repository::FsckStore(path, o));
                    }
                    return FsckOut(r);
                  })
      .def("gc",
           [](const RepoHandle& h, bool dry_run, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::GcOptions o;
             o.dry_run = dry_run;
             o.progress = p.fn();
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Gc(o)); });
             p.Rethrow();
             return py::make_tuple(r.objects_scanned, r.objects_reachable, r.objects_freed,
                                   r.bytes_freed, r.session_entries_freed, r.index_snapshots_freed,
                                   r.vectors_freed, r.index_bytes_freed);
           })
      .def("info",
           [](const RepoHandle& h) {
             auto i = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Info()); });
             return py::make_tuple(i.name, i.description, i.default_branch, i.visibility,
                                   i.created_at_us, i.stars, i.forks, i.watchers, i.upstream);
           })
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
           [](const RepoHandle& h, std::string path, std::string branch, std::string message,
              std::string author, py::object progress) {
             PyProgress p(std::move(progress));
             gitmem::ImportOptions o;
             o.branch = std::move(branch);
             o.message = std::move(message);
             o.author = std::move(author);
             o.progress = p.fn();
             auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.ImportJsonl(path, o)); });
             p.Rethrow();
             return ImportOut(r);
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
             return ImportOut(r);
           })

      // ---- search ----
      .def("search",
           [](const RepoHandle& h, std::string query, const py::object& vector, std::string mode,
              int k, uint64_t offset, std::string rev, std::optional<int64_t> as_of,
              const py::tuple& filter, double rrf_k, double vector_weight, double keyword_weight,
              bool include_memories) {
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
             auto hits = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Search(o)); });
             return ListOut(hits, [](const gitmem::SearchHit& x) {
               return py::make_tuple(x.id, x.score, OptionalMemoryOut(x.memory));
             });
           })
      .def("reindex",
           [](const RepoHandle& h, std::string branch, py::object progress) {
             PyProgress p(std::move(progress));
             const gitmem::ProgressFn fn = p.fn();
             NoGil(h, [&](gitmem::Repository& repo) { Check(repo.Reindex(branch, fn)); return 0; });
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
             return d;
           })

      // ---- merge and fork ----
      .def("merge",
           [](const RepoHandle& h, std::string op, std::string source, std::string into,
              std::string strategy, std::string message, std::string author,
              const py::object& resolver, bool allow_fast_forward) {
             auto o = MergeIn(std::move(into), strategy, std::move(message), std::move(author),
                              resolver, allow_fast_forward);
             auto r = NoGil(h, [&](gitmem::Repository& repo) {
               if (op == "cherry_pick") return Unwrap(repo.CherryPick(source, o));
               if (op == "revert") return Unwrap(repo.Revert(source, o));
               return Unwrap(repo.Merge(source, o));
             });
             return MergeOut(r);
           })
      .def("merge_bases",
           [](const RepoHandle& h, std::string a, std::string b) {
             auto bs = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.MergeBases(a, b)); });
             return ListOut(bs, [](const gitmem::ObjectId& id) { return id.hex(); });
           })
      .def("fork", [](const RepoHandle& h, std::string new_name) {
        auto r = NoGil(h, [&](gitmem::Repository& repo) { return Unwrap(repo.Fork(new_name)); });
        return std::make_unique<RepoHandle>(std::move(r), h.path());
      });
}
