# ctest driver for mcp_e2e.mjs: installs the MCP SDK with npm when node_modules is missing.
# cmake -DNODE=... -DNPM=... -DTEST_DIR=... -DGITMEM=... -P run_mcp_e2e.cmake
if(NOT EXISTS "${TEST_DIR}/node_modules/@modelcontextprotocol/sdk/package.json")
  message(STATUS "installing the MCP SDK: npm ci in ${TEST_DIR}")
  execute_process(COMMAND ${NPM} ci --no-audit --no-fund
    WORKING_DIRECTORY ${TEST_DIR} RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "npm ci failed (${rc})")
  endif()
endif()
execute_process(COMMAND ${NODE} ${TEST_DIR}/mcp_e2e.mjs ${GITMEM}
  WORKING_DIRECTORY ${TEST_DIR} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "mcp_e2e.mjs failed (${rc})")
endif()
