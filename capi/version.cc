// C ABI: version.
#include "gitmem/gitmem.h"
#include "gitmem/repository.hpp"

extern "C" const char* gitmem_version(void) { return gitmem::Version(); }
