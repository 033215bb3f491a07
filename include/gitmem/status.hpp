// Status and Result<T>: how every fallible gitmem call reports failure.
//
// Thread safety: Status and Result are values; distinct objects may be used from
// different threads freely, one object needs external synchronisation like any value.
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

#include "gitmem/export.hpp"

namespace gitmem {

/// Outcome of an operation. Success carries no allocation (LevelDB's rule).
class GITMEM_EXPORT Status {
 public:
  enum class Code : int {
    kOk = 0,
    kNotFound = 1,
    kAlreadyExists = 2,
    kInvalidArgument = 3,
    kConflict = 4,
    kCorruption = 5,
    kIoError = 6,
    kPermissionDenied = 7,
    kBusy = 8,
    kInternal = 9,
  };

  Status() noexcept = default;
  Status(Code code, std::string_view message);

  static Status Ok() noexcept { return Status(); }
  static Status NotFound(std::string_view msg) { return {Code::kNotFound, msg}; }
  static Status AlreadyExists(std::string_view msg) { return {Code::kAlreadyExists, msg}; }
  static Status InvalidArgument(std::string_view msg) { return {Code::kInvalidArgument, msg}; }
  static Status Conflict(std::string_view msg) { return {Code::kConflict, msg}; }
  static Status Corruption(std::string_view msg) { return {Code::kCorruption, msg}; }
  static Status IoError(std::string_view msg) { return {Code::kIoError, msg}; }
  static Status PermissionDenied(std::string_view msg) { return {Code::kPermissionDenied, msg}; }
  static Status Busy(std::string_view msg) { return {Code::kBusy, msg}; }
  static Status Internal(std::string_view msg) { return {Code::kInternal, msg}; }

  [[nodiscard]] bool ok() const noexcept { return state_ == nullptr; }
  [[nodiscard]] Code code() const noexcept { return state_ ? state_->code : Code::kOk; }
  /// The message alone, without the code name ("" on success).
  [[nodiscard]] const std::string& message() const noexcept;
  /// "invalid argument: content: ..." — the code name followed by the message.
  [[nodiscard]] std::string ToString() const;

  bool IsNotFound() const noexcept { return code() == Code::kNotFound; }
  bool IsInvalidArgument() const noexcept { return code() == Code::kInvalidArgument; }
  bool IsConflict() const noexcept { return code() == Code::kConflict; }
  bool IsAlreadyExists() const noexcept { return code() == Code::kAlreadyExists; }
  bool IsCorruption() const noexcept { return code() == Code::kCorruption; }

 private:
  struct State {
    Code code;
    std::string message;
  };
  std::shared_ptr<const State> state_;
};

/// Name of a status code, e.g. "not found".
GITMEM_EXPORT const char* StatusCodeName(Status::Code code) noexcept;

/// Either a value or a non-ok Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}         // NOLINT(google-explicit-constructor)
  Result(Status status) : v_(std::move(status)) {}  // NOLINT(google-explicit-constructor)

  bool ok() const noexcept { return std::holds_alternative<T>(v_); }
  const Status& status() const& {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(v_);
  }
  Status status() && { return ok() ? Status() : std::get<Status>(std::move(v_)); }

  // REQUIRES: ok()
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> v_;
};

}  // namespace gitmem

#define GITMEM_CONCAT_INNER_(a, b) a##b
#define GITMEM_CONCAT_(a, b) GITMEM_CONCAT_INNER_(a, b)

/// Returns the status from the enclosing function when `expr` is not ok.
#define GITMEM_RETURN_IF_ERROR(expr)                 \
  do {                                               \
    ::gitmem::Status gitmem_status_ = (expr);        \
    if (!gitmem_status_.ok()) return gitmem_status_; \
  } while (0)

/// `GITMEM_ASSIGN_OR_RETURN(auto x, Foo());` — binds the value or returns the error.
#define GITMEM_ASSIGN_OR_RETURN(lhs, expr) \
  GITMEM_ASSIGN_OR_RETURN_IMPL_(GITMEM_CONCAT_(gitmem_result_, __LINE__), lhs, expr)
#define GITMEM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                  \
  if (!tmp.ok()) return std::move(tmp).status();      \
  lhs = std::move(tmp).value()
