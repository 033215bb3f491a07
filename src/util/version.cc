#include "gitmem/repository.hpp"

namespace gitmem {
const char* Version() noexcept { return "0.1.0"; }
}  // namespace gitmem
