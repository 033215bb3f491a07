// C ABI: version.
#include "capi_internal.h"

extern "C" const char* gitmem_version(void) { return gitmem::Version(); }
