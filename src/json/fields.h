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
    return Scalar<std::string>(name, out, "expected a string", [](const J& v) { return v.is_string(); });
  }

  Status Int(const char* name, int64_t* out) const {
    return Scalar<int64_t>(name, out, "expected an integer", [](const J& v) { return v.is_number_integer(); });
  }

  template <class U>
  Status Count(const char* name, U* out) const {
    return Scalar<uint64_t>(name, out, "expected a non-negative integer",
                            [](const J& v) { return v.is_number_unsigned(); });
  }

  template <class F>
  Status Number(const char* name, F* out) const {
    return Scalar<F>(name, out, "expected a number", [](const J& v) { return v.is_number(); });
  }

  Status Bool(const char* name, bool* out) const {
    return Scalar<bool>(name, out, "expected true or false", [](const J& v) { return v.is_boolean(); });
  }

  Status Strings(const char* name, std::vector<std::string>* out) const {
    return Array(name, out, "expected an array of strings", [&](const J& s, size_t, std::string* item) {
      if (!s.is_string()) return Error(name, "expected an array of strings");
      *item = s.template get<std::string>();
      return Status::Ok();
    });
  }

  /// 64 hex digits; null or absent leaves the zero id.
  Status Id(const char* name, ObjectId* out) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    auto id = IdOf(*v);
    if (!id.ok()) return Error(name, "expected a 64-digit hex id");
    *out = *id;
    return Status::Ok();
  }

  Status Ids(const char* name, std::vector<ObjectId>* out) const {
    return Array(name, out, "expected an array of hex ids", [&](const J& s, size_t, ObjectId* item) {
      auto id = IdOf(s);
      if (!id.ok()) return Error(name, "expected an array of hex ids");
      *item = *id;
      return Status::Ok();
    });
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
    return Array(name, out, "expected an array",
                 [&](const J& v, size_t i, T* item) { return Read(v, Below(name, i), item); });
  }

 private:
  /// A field of one JSON type (`is` says which), read as T and stored as U; absent or
  /// null leaves `*out`, another type is the error `expected`.
  template <class T, class U, class Is>
  Status Scalar(const char* name, U* out, const char* expected, Is is) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!is(*v)) return Error(name, expected);
    *out = static_cast<U>(v->template get<T>());
    return Status::Ok();
  }

  /// An array whose items `read(item, index, T*)` reads; absent or null leaves `*out`,
  /// which is replaced only when every item was read.
  template <class T, class ReadItem>
  Status Array(const char* name, std::vector<T>* out, const char* expected, ReadItem read) const {
    const J* v = Find(name);
    if (!v) return Status::Ok();
    if (!v->is_array()) return Error(name, expected);
    std::vector<T> items;
    for (size_t i = 0; i < v->size(); ++i) {
      T t{};
      GITMEM_RETURN_IF_ERROR(read((*v)[i], i, &t));
      items.push_back(std::move(t));
    }
    *out = std::move(items);
    return Status::Ok();
  }

  static Result<ObjectId> IdOf(const J& v) {
    if (!v.is_string()) return Status::InvalidArgument("not a string");
    return ObjectId::FromHex(v.template get<std::string>());
  }

  const J& j_;
  std::string path_;
};

}  // namespace gitmem::json
