# bench_merge: merge, fork, fsck, gc, export / import (issue 5), with raw RocksDB baselines.
add_executable(bench_merge ${CMAKE_CURRENT_LIST_DIR}/bench_merge.cc)
target_link_libraries(bench_merge PRIVATE gitmem_core benchmark::benchmark)
