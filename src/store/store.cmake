# The store is the only part of the core that uses RocksDB, so its library is linked here.
# PUBLIC: internal consumers (tests, benchmarks) reach RocksDB through the store's headers.
target_link_libraries(gitmem_core PUBLIC gitmem_rocksdb)
