// The value types of gitmem's records: object ids, memories and their fields, and the
// partial update of a memory.
//
// Thread safety: plain values, no internal synchronisation.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/export.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

/// SHA-256 of an object's canonical bytes.
struct GITMEM_EXPORT ObjectId {
  std::array<uint8_t, 32> bytes{};

  /// 64 lowercase hex digits.
  std::string hex() const;
  /// First `n` hex digits, as git prints abbreviated ids.
  std::string short_hex(size_t n = 12) const { return hex().substr(0, n); }
  bool is_zero() const;
  /// Parses exactly 64 hex digits (either case).
  static Result<ObjectId> FromHex(std::string_view hex);

  friend bool operator==(const ObjectId&, const ObjectId&) = default;
  friend auto operator<=>(const ObjectId&, const ObjectId&) = default;
};

enum class MemoryType : uint8_t { kEpisodic = 0, kSemantic = 1, kProcedural = 2, kState = 3 };
enum class Scope : uint8_t { kPrivate = 0, kShared = 1, kGlobal = 2 };
enum class RelationType : uint8_t { kSimilar = 0, kContradicts = 1, kBuildsOn = 2, kReferences = 3 };

GITMEM_EXPORT std::string_view ToString(MemoryType t) noexcept;
GITMEM_EXPORT std::string_view ToString(Scope s) noexcept;
GITMEM_EXPORT std::string_view ToString(RelationType r) noexcept;
/// Parse the lowercase names ("episodic", "shared", "builds_on", ...).
GITMEM_EXPORT Result<MemoryType> ParseMemoryType(std::string_view s);
GITMEM_EXPORT Result<Scope> ParseScope(std::string_view s);
GITMEM_EXPORT Result<RelationType> ParseRelationType(std::string_view s);

/// A typed link from one memory to another.
struct Relation {
  RelationType type = RelationType::kReferences;
  std::string target_id;
  float strength = 1.0f;  ///< in [0, 1]
  friend bool operator==(const Relation&, const Relation&) = default;
};

/// Who wrote a memory, and the SHA-256 of its content as written.
struct Provenance {
  std::string author;
  ObjectId content_hash;
  friend bool operator==(const Provenance&, const Provenance&) = default;
};

/// One memory record — the content of a blob object.
///
/// On write, an empty `id` asks gitmem for a time-ordered UUIDv7; a zero `timestamp_us`
/// means "now"; tags are kept sorted and without duplicates; `metadata` is a JSON object
/// text, stored in canonical form (sorted keys, no spaces); provenance is filled in.
struct Memory {
  std::string id;
  std::string content;
  MemoryType type = MemoryType::kSemantic;
  std::string agent_id;
  std::string session_id;
  int64_t timestamp_us = 0;  ///< UTC microseconds since the Unix epoch
  float importance = 0.5f;   ///< in [0, 1]
  float confidence = 1.0f;   ///< in [0, 1]
  std::vector<std::string> tags;
  Scope scope = Scope::kShared;
  Provenance provenance;
  std::string metadata = "{}";
  std::vector<Relation> relations;
  /// Write-only input: a vector for this memory's content supplied by the caller (the
  /// repository's dimension, finite, not all zeros), used instead of the embedder. It is
  /// not part of the record (nor of its blob or hash) and reads leave it empty; it is
  /// stored apart, keyed by (embedder id, content hash). Not compared by ==.
  std::vector<float> embedding;

  friend bool operator==(const Memory& a, const Memory& b) {
    return a.id == b.id && a.content == b.content && a.type == b.type && a.agent_id == b.agent_id &&
           a.session_id == b.session_id && a.timestamp_us == b.timestamp_us && a.importance == b.importance &&
           a.confidence == b.confidence && a.tags == b.tags && a.scope == b.scope && a.provenance == b.provenance &&
           a.metadata == b.metadata && a.relations == b.relations;
  }
};

/// A partial update (Repository::Update): fields left empty keep their value.
struct MemoryPatch {
  std::optional<std::string> content;
  std::optional<MemoryType> type;
  std::optional<std::string> agent_id;
  std::optional<std::string> session_id;
  std::optional<float> importance;
  std::optional<float> confidence;
  std::optional<std::vector<std::string>> tags;
  std::optional<Scope> scope;
  std::optional<std::string> metadata;
  std::optional<std::vector<Relation>> relations;
};

}  // namespace gitmem
