// Out-of-line parts of the public value types (include/gitmem/memory.hpp, history.hpp).
#include <fmt/format.h>

#include <algorithm>

#include "gitmem/history.hpp"
#include "gitmem/memory.hpp"
#include "util/text.h"

namespace gitmem {

std::string ObjectId::hex() const { return HexEncode(bytes.data(), bytes.size()); }

bool ObjectId::is_zero() const {
  return std::all_of(bytes.begin(), bytes.end(), [](uint8_t b) { return b == 0; });
}

Result<ObjectId> ObjectId::FromHex(std::string_view hex) {
  ObjectId id;
  if (!HexDecode(hex, id.bytes.data(), id.bytes.size()))
    return Status::InvalidArgument(fmt::format("object id: expected 64 hex digits, got '{}'", hex));
  return id;
}

namespace {
constexpr std::string_view kTypeNames[] = {"episodic", "semantic", "procedural", "state"};
constexpr std::string_view kScopeNames[] = {"private", "shared", "global"};
constexpr std::string_view kRelationNames[] = {"similar", "contradicts", "builds_on", "references"};

template <typename E, size_t N>
Result<E> ParseName(std::string_view s, const std::string_view (&names)[N], std::string_view field) {
  for (size_t i = 0; i < N; ++i)
    if (names[i] == s) return static_cast<E>(i);
  std::string allowed;
  for (size_t i = 0; i < N; ++i) allowed += (i ? ", " : "") + std::string(names[i]);
  return Status::InvalidArgument(fmt::format("{}: '{}' is not one of {}", field, s, allowed));
}
}  // namespace

std::string_view ToString(MemoryType t) noexcept { return kTypeNames[static_cast<int>(t) & 3]; }
std::string_view ToString(Scope s) noexcept {
  const int i = static_cast<int>(s);
  return i < 3 ? kScopeNames[i] : "invalid";
}
std::string_view ToString(RelationType r) noexcept { return kRelationNames[static_cast<int>(r) & 3]; }

Result<MemoryType> ParseMemoryType(std::string_view s) { return ParseName<MemoryType>(s, kTypeNames, "type"); }
Result<Scope> ParseScope(std::string_view s) { return ParseName<Scope>(s, kScopeNames, "scope"); }
Result<RelationType> ParseRelationType(std::string_view s) {
  return ParseName<RelationType>(s, kRelationNames, "relation type");
}

size_t Diff::added() const {
  return std::count_if(entries.begin(), entries.end(),
                       [](const DiffEntry& e) { return e.kind == DiffEntry::Kind::kAdded; });
}
size_t Diff::modified() const {
  return std::count_if(entries.begin(), entries.end(),
                       [](const DiffEntry& e) { return e.kind == DiffEntry::Kind::kModified; });
}
size_t Diff::removed() const {
  return std::count_if(entries.begin(), entries.end(),
                       [](const DiffEntry& e) { return e.kind == DiffEntry::Kind::kRemoved; });
}

}  // namespace gitmem
