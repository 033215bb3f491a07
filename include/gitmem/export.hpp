// Symbol visibility for the shared library: everything is hidden unless marked.
#pragma once

#if defined(_WIN32)
#if defined(GITMEM_BUILDING)
#define GITMEM_EXPORT __declspec(dllexport)
#else
#define GITMEM_EXPORT __declspec(dllimport)
#endif
#else
#define GITMEM_EXPORT __attribute__((visibility("default")))
#endif
