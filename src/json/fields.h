// Reading the fields of one JSON object for FromJson: each reader leaves its output alone
// when the field is absent or null, and an error names the field by its path from the
// top ("provenance.author", "relations[2].strength").
#pragma once

#include <fmt/format.h>

#include <optional>
#include <string>
#include <vector>

#include "json/codec.h"

namespace gitmem::json {

/// The readers of the value types, at `path` ("" at the top, "entries[3]." below).
Status Read(const Json& j, const std::string& path, Memory* m);
Status Read(const Json& j, const std::string& path, CommitInfo* c);
Status Read(const Json& j, const std::string& path, MergeConflict* c);
Status Read(const Json& j, const std::string& path, DiffEntry* e);
Status Read(const Json& j, const std::string& path, SearchHit* h);
/// Instantiated for Json and nlohmann::json.
template <class J>
Status Read(const J& j, const std::string& path, Relation* r);

template <class J>
class Fields {
 public:
  /// REQUIRES: `path` is "" or ends in '.'.
  Fields(const J& j, std::string path) : j_(j), path_(std::move(path)) {}

  /// kInvalidArgument unless the value is an object.
  Status Object() const {
    if (j_.is_object()) return Status::Ok();
    if (path_.empty()) return Status::InvalidArgument("expected a JSON object");
    return Status::InvalidArgument(fmt::format("{}: expected a JSON object", path_.substr(0, path_.size() - 1)));
  }

  /// The field's value, or nullptr when absent or null.
  const J* Find(const char* name) const {
    auto it = j_.find(name);
    return it == j_.end() || it->is_null() ? nullptr : &*it;
  }

  Status Error(const char* name, std::string_view what) const {
    return Status::InvalidArgument(fmt::format("{}{}: {}", path_, name, what));
  }

  /// The path of a field below this object, for nested readers: "relations[2]." .
  std::string Below(const char* name, size_t index) const { return fmt::format("{}{}[{}].", path_, name, index); }
  std::string Below(const char* name) const { return fmt::format("{}{}.", path_, name); }

  Status Required(const char* name) const { return Find(name) ? Status::Ok() : Error(name, "required"); }

  Status String(const char* name, std::string* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_string()) return Error(name, "expected a string");
    *out = v->template get<std::string>();
    return Status::Ok();
  }

  Status Int(const char* name, int64_t* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_number_integer()) return Error(name, "expected an integer");
    *out = v->template get<int64_t>();
    return Status::Ok();
  }

  template <class U>
  Status Count(const char* name, U* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_number_unsigned()) return Error(name, "expected a non-negative integer");
    *out = static_cast<U>(v->template get<uint64_t>());
    return Status::Ok();
  }

  template <class F>
  Status Number(const char* name, F* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_number()) return Error(name, "expected a number");
    *out = v->template get<F>();
    return Status::Ok();
  }

  Status Bool(const char* name, bool* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_boolean()) return Error(name, "expected true or false");
    *out = v->template get<bool>();
    return Status::Ok();
  }

  Status Strings(const char* name, std::vector<std::string>* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_array()) return Error(name, "expected an array of strings");
    std::vector<std::string> items;
    for (const J& s : *v) {
      if (!s.is_string()) return Error(name, "expected an array of strings");
      items.push_back(s.template get<std::string>());
    }
    *out = std::move(items);
    return Status::Ok();
  }

  /// 64 hex digits; null or absent leaves the zero id.
  Status Id(const char* name, ObjectId* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_string()) return Error(name, "expected a 64-digit hex id");
    auto id = ObjectId::FromHex(v->template get<std::string>());
    if (!id.ok()) return Error(name, "expected a 64-digit hex id");
    *out = *id;
    return Status::Ok();
  }

  Status Ids(const char* name, std::vector<ObjectId>* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_array()) return Error(name, "expected an array of hex ids");
    std::vector<ObjectId> ids;
    for (const J& s : *v) {
      auto id = s.is_string() ? ObjectId::FromHex(s.template get<std::string>())
                              : Result<ObjectId>(Status::InvalidArgument("not a string"));
      if (!id.ok()) return Error(name, "expected an array of hex ids");
      ids.push_back(*id);
    }
    *out = std::move(ids);
    return Status::Ok();
  }

  /// A name `parse` knows (ParseMemoryType, ParseScope, ...); its complaint is kept,
  /// under this field's name.
  template <class E, class Parse>
  Status Name(const char* name, E* out, Parse parse) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_string()) return Error(name, "expected a string");
    auto e = parse(v->template get<std::string>());
    if (!e.ok()) {
      const std::string& why = e.status().message();
      const size_t colon = why.find(": ");
      return Error(name, colon == std::string::npos ? why : why.substr(colon + 2));
    }
    *out = *e;
    return Status::Ok();
  }

  /// An object read by Read(value, path, T*) into `out` (null or absent: nullopt).
  template <class T>
  Status Optional(const char* name, std::optional<T>* out) const {
    const J* v = Find(name);
    if (!v) {
      out->reset();
      return Status::Ok();
    }
    T t{};
    GITMEM_RETURN_IF_ERROR(Read(*v, Below(name), &t));
    *out = std::move(t);
    return Status::Ok();
  }

  /// An array of objects, each read by Read(value, path, T*).
  template <class T>
  Status List(const char* name, std::vector<T>* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_array()) return Error(name, "expected an array");
    std::vector<T> items;
    for (size_t i = 0; i < v->size(); ++i) {
      T t{};
      GITMEM_RETURN_IF_ERROR(Read((*v)[i], Below(name, i), &t));
      items.push_back(std::move(t));
    }
    *out = std::move(items);
    return Status::Ok();
  }

 private:
  const J& j_;
  std::string path_;
};

}  // namespace gitmem::json
