# Tests whose host process is not built by this project (python3, the packaging test's
# consumer) load an ASan-instrumented libgitmem in sanitizer builds; ASan must then be
# preloaded into that process, and leaks of the foreign host are not ours to report.
set(GITMEM_ASAN_HOST_ENV "")
if(CMAKE_CXX_FLAGS MATCHES "-fsanitize=[^ ]*address")
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
                  OUTPUT_VARIABLE GITMEM_ASAN_RUNTIME OUTPUT_STRIP_TRAILING_WHITESPACE)
  # libstdc++ too: a host that does not link it (python3) leaves ASan's __cxa_throw
  # interceptor without the real function, and the first C++ exception aborts.
  execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libstdc++.so
                  OUTPUT_VARIABLE GITMEM_LIBSTDCXX OUTPUT_STRIP_TRAILING_WHITESPACE)
  set(GITMEM_ASAN_HOST_ENV "LD_PRELOAD=${GITMEM_ASAN_RUNTIME} ${GITMEM_LIBSTDCXX}" "ASAN_OPTIONS=detect_leaks=0")
endif()

# Marks a test whose process is a foreign host of libgitmem (see above).
function(gitmem_foreign_host_test name)
  if(GITMEM_ASAN_HOST_ENV)
    set_property(TEST ${name} APPEND PROPERTY ENVIRONMENT ${GITMEM_ASAN_HOST_ENV})
  endif()
endfunction()
