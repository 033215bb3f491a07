// C ABI: version.
#include "capi_internal.h"

extern "C" const char* gitmem_version(void) {
  GITMEM_CAPI_TRY
  return gitmem::Version();
  GITMEM_CAPI_CATCH_RETURN("")
}
