// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html),
// as LevelDB's port/thread_annotations.h has them: a field says which mutex guards it, a
// private method which mutex its caller must hold. Under Clang with -Wthread-safety the
// compiler checks them; under GCC they expand to nothing and only document.
#pragma once

#if defined(__clang__)
#define GITMEM_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define GITMEM_THREAD_ANNOTATION(x)
#endif

#define GUARDED_BY(x) GITMEM_THREAD_ANNOTATION(guarded_by(x))
#define PT_GUARDED_BY(x) GITMEM_THREAD_ANNOTATION(pt_guarded_by(x))
#define REQUIRES(...) GITMEM_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define EXCLUDES(...) GITMEM_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))
#define ACQUIRED_AFTER(...) GITMEM_THREAD_ANNOTATION(acquired_after(__VA_ARGS__))
#define NO_THREAD_SAFETY_ANALYSIS GITMEM_THREAD_ANNOTATION(no_thread_safety_analysis)
#define CAPABILITY(x) GITMEM_THREAD_ANNOTATION(capability(x))
#define SCOPED_CAPABILITY GITMEM_THREAD_ANNOTATION(scoped_lockable)
#define ACQUIRE(...) GITMEM_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define RELEASE(...) GITMEM_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
