# The search engine's third-party libraries: FAISS (+ BLAS/LAPACK and OpenMP) and libstemmer.
# Included from src/CMakeLists.txt, which links both PRIVATE into `gitmem_core`.
#
# FAISS: the AVX2 build made by scripts/build_faiss.sh (.cache/faiss/install) when it is
# there and this CPU has AVX2; otherwise Debian's baseline libfaiss. Both are FAISS 1.7.3
# static archives with the same API; the choice is printed at configure time and compiled
# into the core as GITMEM_FAISS_VARIANT ("avx2" or "generic").

set(GITMEM_FAISS_AVX2_DIR "${PROJECT_SOURCE_DIR}/.cache/faiss/install"
    CACHE PATH "Where scripts/build_faiss.sh installs the AVX2 FAISS build")
option(GITMEM_USE_FAISS_AVX2 "Link the AVX2 FAISS build when present and supported" ON)

find_package(OpenMP REQUIRED COMPONENTS CXX)
if(NOT DEFINED BLA_VENDOR)
  set(BLA_VENDOR OpenBLAS)
endif()
find_package(BLAS REQUIRED)
find_package(LAPACK REQUIRED)

set(_gitmem_cpu_has_avx2 OFF)
if(CMAKE_SYSTEM_PROCESSOR MATCHES "x86_64|AMD64" AND EXISTS "/proc/cpuinfo")
  file(STRINGS "/proc/cpuinfo" _gitmem_avx2_flags REGEX "^flags.* avx2( |$)" LIMIT_COUNT 1)
  if(_gitmem_avx2_flags)
    set(_gitmem_cpu_has_avx2 ON)
  endif()
endif()

set(GITMEM_FAISS_VARIANT "generic")
if(GITMEM_USE_FAISS_AVX2 AND _gitmem_cpu_has_avx2
   AND EXISTS "${GITMEM_FAISS_AVX2_DIR}/lib/libfaiss_avx2.a"
   AND EXISTS "${GITMEM_FAISS_AVX2_DIR}/include/faiss/Index.h")
  set(GITMEM_FAISS_LIBRARY "${GITMEM_FAISS_AVX2_DIR}/lib/libfaiss_avx2.a")
  set(GITMEM_FAISS_INCLUDE_DIR "${GITMEM_FAISS_AVX2_DIR}/include")
  set(GITMEM_FAISS_VARIANT "avx2")
else()
  find_path(GITMEM_FAISS_INCLUDE_DIR faiss/Index.h REQUIRED)
  find_library(GITMEM_FAISS_LIBRARY NAMES libfaiss.a faiss REQUIRED)
endif()
message(STATUS "gitmem: FAISS ${GITMEM_FAISS_VARIANT}: ${GITMEM_FAISS_LIBRARY}")

add_library(gitmem_faiss INTERFACE)
target_include_directories(gitmem_faiss SYSTEM INTERFACE "${GITMEM_FAISS_INCLUDE_DIR}")
target_link_libraries(gitmem_faiss INTERFACE
  "${GITMEM_FAISS_LIBRARY}" OpenMP::OpenMP_CXX ${LAPACK_LIBRARIES} ${BLAS_LIBRARIES})
if(GITMEM_FAISS_VARIANT STREQUAL "avx2")
  # FAISS's headers select the SIMD code paths of inline helpers by these macros.
  target_compile_options(gitmem_faiss INTERFACE -mavx2 -mfma -mf16c -mpopcnt)
endif()

find_path(GITMEM_STEMMER_INCLUDE_DIR libstemmer.h REQUIRED)
find_library(GITMEM_STEMMER_LIBRARY NAMES stemmer REQUIRED)
add_library(gitmem_stemmer INTERFACE)
target_include_directories(gitmem_stemmer SYSTEM INTERFACE "${GITMEM_STEMMER_INCLUDE_DIR}")
target_link_libraries(gitmem_stemmer INTERFACE "${GITMEM_STEMMER_LIBRARY}")
