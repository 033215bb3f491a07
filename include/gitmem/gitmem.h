/* gitmem C ABI — stable interface for C and for any language with an FFI.
 *
 * Conventions: functions return int (GITMEM_OK = 0, negative codes on failure) with
 * out-parameters first; gitmem_error_last() gives the calling thread's last message;
 * everything the library allocates has a gitmem_<type>_free (NULL is a no-op). No C++
 * type or exception crosses this boundary. Thread safety: handles may be shared between
 * threads as the C++ Repository may; error messages are per thread.
 */
#ifndef GITMEM_GITMEM_H
#define GITMEM_GITMEM_H

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#  if defined(GITMEM_BUILDING)
#    define GITMEM_EXTERN __declspec(dllexport)
#  else
#    define GITMEM_EXTERN __declspec(dllimport)
#  endif
#else
#  define GITMEM_EXTERN __attribute__((visibility("default")))
#endif

#ifdef __cplusplus
extern "C" {
#endif

#define GITMEM_VERSION_MAJOR 0
#define GITMEM_VERSION_MINOR 1
#define GITMEM_VERSION_PATCH 0

/** The library's version, "major.minor.patch". */
GITMEM_EXTERN const char *gitmem_version(void);

#ifdef __cplusplus
}
#endif

#endif /* GITMEM_GITMEM_H */
