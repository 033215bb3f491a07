# Every third-party library gitmem builds against, found once for all targets.
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED COMPONENTS Crypto)
find_package(fmt 9 REQUIRED)
find_package(nlohmann_json 3.11 REQUIRED)

# RocksDB: Debian's shared library (its CMake package pulls in the static archive's deps).
find_path(ROCKSDB_INCLUDE_DIR rocksdb/db.h REQUIRED)
find_library(ROCKSDB_LIBRARY NAMES rocksdb REQUIRED)
add_library(gitmem_rocksdb INTERFACE)
target_include_directories(gitmem_rocksdb SYSTEM INTERFACE ${ROCKSDB_INCLUDE_DIR})
target_link_libraries(gitmem_rocksdb INTERFACE ${ROCKSDB_LIBRARY})
