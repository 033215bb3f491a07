// Canonical encodings of blob (memory record) and commit objects. An object's id is the
// SHA-256 of these bytes, so the encoding of equal values must be equal: fields in a
// fixed order, tags sorted, relations sorted, metadata JSON canonical (docs/format.md).
#pragma once

#include <string>
#include <string_view>

#include "gitmem/history.hpp"
#include "gitmem/memory.hpp"

namespace gitmem {

enum class ObjectType : char { kBlob = 'B', kTree = 'T', kCommit = 'C' };

/// The type tag of an object's bytes, or Corruption.
Result<ObjectType> ObjectTypeOf(std::string_view bytes);

/// REQUIRES: memory is normalised (see NormalizeMemory in repo/validate.h).
std::string EncodeMemory(const Memory& memory);
Result<Memory> DecodeMemory(std::string_view bytes);

std::string EncodeCommit(const CommitInfo& commit);  // ignores commit.id
/// Decodes; the caller sets .id.
Result<CommitInfo> DecodeCommit(std::string_view bytes);

}  // namespace gitmem
