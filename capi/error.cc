// C ABI: the thread's last error, exception classification, strings and string lists,
// enum names.
#include <cstdlib>
#include <new>
#include <stdexcept>

#include <fmt/format.h>

#include "capi_internal.h"

namespace gitmem::capi {

namespace {

struct LastError {
  int code = GITMEM_OK;
  std::string message;
};

LastError& Last() noexcept {
  thread_local LastError last;
  return last;
}

}  // namespace

int SetError(int code, std::string_view message) noexcept {
  LastError& last = Last();
  last.code = code;
  try {
    last.message.assign(message);
  } catch (...) {
    last.message.clear();  // out of memory: keep the code, drop the text
  }
  return code;
}

int FromStatus(const Status& status) noexcept {
  using Code = Status::Code;
  int code = GITMEM_EINTERNAL;
  switch (status.code()) {
    case Code::kOk: return GITMEM_OK;
    case Code::kNotFound: code = GITMEM_ENOTFOUND; break;
    case Code::kAlreadyExists: code = GITMEM_EEXISTS; break;
    case Code::kInvalidArgument: code = GITMEM_EINVALID; break;
    case Code::kConflict: code = GITMEM_ECONFLICT; break;
    case Code::kCorruption: code = GITMEM_ECORRUPT; break;
    case Code::kIoError: code = GITMEM_EIO; break;
    case Code::kPermissionDenied: code = GITMEM_EPERM; break;
    case Code::kBusy: code = GITMEM_EBUSY; break;
    case Code::kInternal: code = GITMEM_EINTERNAL; break;
  }
  return SetError(code, status.message());
}

int HandleException() noexcept {
  try {
    throw;
  } catch (const std::bad_alloc&) {
    return SetError(GITMEM_EINTERNAL, "out of memory");
  } catch (const std::exception& e) {
    try {
      return SetError(GITMEM_EINTERNAL, std::string("internal error: ") + e.what());
    } catch (...) {
      return SetError(GITMEM_EINTERNAL, "internal error");
    }
  } catch (...) {
    return SetError(GITMEM_EINTERNAL, "internal error: unknown exception");
  }
}

char* DupString(std::string_view s) {
  char* p = static_cast<char*>(std::malloc(s.size() + 1));
  if (p == nullptr) throw std::bad_alloc();
  std::memcpy(p, s.data(), s.size());
  p[s.size()] = '\0';
  return p;
}

int CheckVersion(unsigned int version, unsigned int current, const char* what) noexcept {
  if (version >= 1 && version <= current) return GITMEM_OK;
  try {
    return Invalid(
        fmt::format("{}.version: {} is not supported (expected 1 to {}; initialise the struct "
                    "with its _INIT macro)",
                    what, version, current));
  } catch (...) {
    return Invalid("options.version: not supported");
  }
}

int ToReadOptions(const gitmem_read_options* in, const char* what, ReadOptions* out) noexcept {
  GITMEM_OPTIONS_IN(in, GITMEM_READ_OPTIONS_VERSION, what);
  try {
    out->rev = Str(in->rev);
    if (in->as_of_us != GITMEM_AS_OF_NONE) out->as_of_us = in->as_of_us;
  } catch (...) {
    return HandleException();
  }
  return GITMEM_OK;
}

}  // namespace gitmem::capi

using namespace gitmem::capi;

extern "C" {

// Reading and clearing the thread's record allocates nothing, so none of these throws.
const char* gitmem_error_last(void) { return Last().message.c_str(); }

int gitmem_error_last_code(void) { return Last().code; }

void gitmem_error_clear(void) {
  Last().code = GITMEM_OK;
  Last().message.clear();
}

void gitmem_string_free(char* str) { std::free(str); }

GITMEM_DEFINE_GETTER(strlist, size_t, count, 0, self->items.size())
GITMEM_DEFINE_STRING_AT(strlist, get, self->items)
GITMEM_DEFINE_FREE(strlist)

const char* gitmem_memory_type_name(int type) {
  static const char* const kNames[] = {"episodic", "semantic", "procedural", "state"};
  return type >= 0 && type < 4 ? kNames[type] : nullptr;
}

const char* gitmem_scope_name(int scope) {
  static const char* const kNames[] = {"private", "shared", "global"};
  return scope >= 0 && scope < 3 ? kNames[scope] : nullptr;
}

const char* gitmem_relation_type_name(int type) {
  static const char* const kNames[] = {"similar", "contradicts", "builds_on", "references"};
  return type >= 0 && type < 4 ? kNames[type] : nullptr;
}

}  // extern "C"
