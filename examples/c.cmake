# The C quickstart (the C ABI from C) and the ctypes example (the C ABI from Python's
# standard library), both run by the tests.
add_executable(quickstart_c quickstart.c)
set_target_properties(quickstart_c PROPERTIES C_STANDARD 99 C_STANDARD_REQUIRED ON C_EXTENSIONS OFF)
target_compile_options(quickstart_c PRIVATE -Wall -Wextra -pedantic)
target_link_libraries(quickstart_c PRIVATE gitmem::gitmem)

if(GITMEM_BUILD_TESTS)
  set(_gitmem_c_store "${CMAKE_CURRENT_BINARY_DIR}/quickstart-c-store")
  add_test(NAME example_quickstart_c_clean COMMAND ${CMAKE_COMMAND} -E rm -rf "${_gitmem_c_store}")
  set_tests_properties(example_quickstart_c_clean PROPERTIES FIXTURES_SETUP gitmem_quickstart_c_store)
  add_test(NAME example_quickstart_c COMMAND quickstart_c "${_gitmem_c_store}")
  set_tests_properties(example_quickstart_c PROPERTIES FIXTURES_REQUIRED gitmem_quickstart_c_store
    PASS_REGULAR_EXPRESSION "main now holds 4 memories")

  set(_gitmem_ctypes_tmp "${CMAKE_CURRENT_BINARY_DIR}/ffi-ctypes-tmp")
  file(MAKE_DIRECTORY "${_gitmem_ctypes_tmp}")
  add_test(NAME example_ffi_ctypes
    COMMAND /usr/bin/python3 "${CMAKE_CURRENT_SOURCE_DIR}/ffi_ctypes.py" "$<TARGET_FILE:gitmem>" "${_gitmem_ctypes_tmp}")
  set_tests_properties(example_ffi_ctypes PROPERTIES PASS_REGULAR_EXPRESSION "main now holds 4 memories")
  gitmem_foreign_host_test(example_ffi_ctypes)
endif()
