// Hashing: SHA-256 for object ids (OpenSSL) and a fast, stable 64-bit hash for tree chunk
// boundaries. Both are part of the on-disk format: never change their output.
#pragma once

#include <cstdint>
#include <string_view>

#include "gitmem/memory.hpp"

namespace gitmem {

ObjectId Sha256(std::string_view data);

/// Stable 64-bit hash (wyhash-style multiply-mix over 8-byte words) seeded by `seed`.
uint64_t StableHash64(std::string_view data, uint64_t seed);

}  // namespace gitmem
