# examples/quickstart.py, run by the tests against the build tree's Python package.
if(GITMEM_BUILD_TESTS AND TARGET gitmem_python)
  add_test(NAME example_quickstart_py
    COMMAND ${Python3_EXECUTABLE} ${CMAKE_CURRENT_SOURCE_DIR}/quickstart.py
            ${CMAKE_CURRENT_BINARY_DIR}/quickstart-py-store)
  set_tests_properties(example_quickstart_py PROPERTIES
    ENVIRONMENT "PYTHONPATH=${GITMEM_PYTHON_DIR};PYTHONDONTWRITEBYTECODE=1")
  gitmem_foreign_host_test(example_quickstart_py)
endif()
