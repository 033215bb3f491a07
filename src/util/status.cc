#include "gitmem/status.hpp"

namespace gitmem {

Status::Status(Code code, std::string_view message) {
  if (code != Code::kOk) state_ = std::make_shared<const State>(State{code, std::string(message)});
}

const std::string& Status::message() const noexcept {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

std::string Status::ToString() const {
  if (ok()) return "ok";
  return std::string(StatusCodeName(code())) + ": " + state_->message;
}

const char* StatusCodeName(Status::Code code) noexcept {
  switch (code) {
    case Status::Code::kOk: return "ok";
    case Status::Code::kNotFound: return "not found";
    case Status::Code::kAlreadyExists: return "already exists";
    case Status::Code::kInvalidArgument: return "invalid argument";
    case Status::Code::kConflict: return "conflict";
    case Status::Code::kCorruption: return "corruption";
    case Status::Code::kIoError: return "io error";
    case Status::Code::kPermissionDenied: return "permission denied";
    case Status::Code::kBusy: return "busy";
    case Status::Code::kInternal: return "internal error";
  }
  return "unknown";
}

}  // namespace gitmem
