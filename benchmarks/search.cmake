# bench_search (issue 3): gitmem search beside raw FAISS and SQLite FTS5 in the same run,
# and the LoCoMo-format retrieval harness (benchmarks/retrieval/) with its fixture test.
find_package(SQLite3 REQUIRED)

add_executable(bench_search ${CMAKE_CURRENT_LIST_DIR}/bench_search.cc)
target_link_libraries(bench_search PRIVATE gitmem_core benchmark::benchmark SQLite::SQLite3)

add_executable(locomo_eval ${CMAKE_CURRENT_LIST_DIR}/retrieval/locomo_eval.cc)
target_link_libraries(locomo_eval PRIVATE gitmem_core)

if(BUILD_TESTING)
  # Runs the harness on a small LoCoMo-format fixture: the output must have one line per
  # mode and category in the documented format, and hybrid recall@10 must be > 0.
  add_test(NAME retrieval_fixture
           COMMAND locomo_eval ${CMAKE_CURRENT_LIST_DIR}/retrieval/fixture.json
                   --store ${CMAKE_CURRENT_BINARY_DIR}/retrieval_fixture_store --min-hybrid-recall10 0.01)
  set_tests_properties(retrieval_fixture PROPERTIES
    PASS_REGULAR_EXPRESSION "mode=hybrid category=all questions=[1-9][0-9]* recall@5=[0-9.]+ recall@10=[0-9.]+ mrr=[0-9.]+"
    FAIL_REGULAR_EXPRESSION "CHECK FAILED|error:")
endif()
