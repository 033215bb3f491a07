#include "repo/validate.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>

#include "util/text.h"

namespace gitmem {

namespace {

Status CheckText(std::string_view value, std::string_view field, size_t max_bytes, bool allow_empty) {
  if (!allow_empty && value.empty()) return Status::InvalidArgument(fmt::format("{}: must not be empty", field));
  if (value.size() > max_bytes)
    return Status::InvalidArgument(
        fmt::format("{}: {} bytes exceeds the limit of {} bytes", field, value.size(), max_bytes));
  if (!IsValidUtf8(value)) return Status::InvalidArgument(fmt::format("{}: not valid UTF-8", field));
  if (value.find('\0') != std::string_view::npos)
    return Status::InvalidArgument(fmt::format("{}: must not contain NUL bytes", field));
  return Status::Ok();
}

Status CheckUnit(float* v, std::string_view field) {
  if (!std::isfinite(*v) || *v < 0.0f || *v > 1.0f)
    return Status::InvalidArgument(fmt::format("{}: {} is outside [0, 1]", field, *v));
  if (*v == 0.0f) *v = 0.0f;  // -0.0 and 0.0 must encode alike
  return Status::Ok();
}

Status CanonicalizeMetadata(std::string* metadata, const RepositoryOptions& options) {
  if (metadata->size() > options.max_metadata_bytes)
    return Status::InvalidArgument(
        fmt::format("metadata: {} bytes exceeds the limit of {} bytes", metadata->size(), options.max_metadata_bytes));
  nlohmann::json j = nlohmann::json::parse(*metadata, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Status::InvalidArgument("metadata: not valid JSON");
  if (!j.is_object()) return Status::InvalidArgument("metadata: must be a JSON object");
  try {
    *metadata = j.dump();  // keys sorted, no spaces: the canonical form
  } catch (const nlohmann::json::exception&) {
    return Status::InvalidArgument("metadata: strings must be valid UTF-8");
  }
  if (metadata->size() > options.max_metadata_bytes)
    return Status::InvalidArgument(
        fmt::format("metadata: {} bytes exceeds the limit of {} bytes", metadata->size(), options.max_metadata_bytes));
  return Status::Ok();
}

}  // namespace

Status NormalizeMemory(Memory* m, const RepositoryOptions& options) {
  if (!m->id.empty()) GITMEM_RETURN_IF_ERROR(CheckText(m->id, "id", kMaxIdBytes, false));
  GITMEM_RETURN_IF_ERROR(CheckText(m->content, "content", options.max_content_bytes, false));
  if (static_cast<uint8_t>(m->type) > 3) return Status::InvalidArgument("type: unknown memory type");
  if (static_cast<uint8_t>(m->scope) > 2) return Status::InvalidArgument("scope: unknown scope");
  GITMEM_RETURN_IF_ERROR(CheckText(m->agent_id, "agent_id", kMaxShortFieldBytes, true));
  GITMEM_RETURN_IF_ERROR(CheckText(m->session_id, "session_id", kMaxShortFieldBytes, true));
  GITMEM_RETURN_IF_ERROR(CheckUnit(&m->importance, "importance"));
  GITMEM_RETURN_IF_ERROR(CheckUnit(&m->confidence, "confidence"));
  if (m->timestamp_us < 0) return Status::InvalidArgument("timestamp: must not be before 1970");

  if (m->tags.size() > kMaxTags)
    return Status::InvalidArgument(fmt::format("tags: {} tags exceeds the limit of {}", m->tags.size(), kMaxTags));
  for (const auto& t : m->tags) GITMEM_RETURN_IF_ERROR(CheckText(t, "tags", kMaxTagBytes, false));
  std::sort(m->tags.begin(), m->tags.end());
  m->tags.erase(std::unique(m->tags.begin(), m->tags.end()), m->tags.end());

  if (m->metadata.empty() || m->metadata == "{}") {
    m->metadata = "{}";  // the common case skips the JSON round trip
  } else {
    GITMEM_RETURN_IF_ERROR(CanonicalizeMetadata(&m->metadata, options));
  }

  if (m->relations.size() > kMaxRelations)
    return Status::InvalidArgument(
        fmt::format("relations: {} relations exceeds the limit of {}", m->relations.size(), kMaxRelations));
  for (auto& r : m->relations) {
    GITMEM_RETURN_IF_ERROR(CheckText(r.target_id, "relations.target_id", kMaxIdBytes, false));
    if (static_cast<uint8_t>(r.type) > 3) return Status::InvalidArgument("relations.type: unknown relation type");
    GITMEM_RETURN_IF_ERROR(CheckUnit(&r.strength, "relations.strength"));
  }
  std::sort(m->relations.begin(), m->relations.end(), [](const Relation& a, const Relation& b) {
    return std::tie(a.target_id, a.type) < std::tie(b.target_id, b.type);
  });
  auto dup = std::adjacent_find(m->relations.begin(), m->relations.end(), [](const Relation& a, const Relation& b) {
    return a.target_id == b.target_id && a.type == b.type;
  });
  if (dup != m->relations.end())
    return Status::InvalidArgument(
        fmt::format("relations: duplicate {} relation to '{}'", ToString(dup->type), dup->target_id));
  return Status::Ok();
}

Status ValidateRefName(std::string_view name, std::string_view what) {
  auto bad = [&](std::string_view why) {
    return Status::InvalidArgument(fmt::format("{} name '{}': {}", what, name, why));
  };
  if (name.empty()) return Status::InvalidArgument(fmt::format("{} name: must not be empty", what));
  if (name.size() > kMaxRefNameBytes) return bad(fmt::format("longer than {} bytes", kMaxRefNameBytes));
  if (!IsValidUtf8(name)) return bad("not valid UTF-8");
  if (name == "HEAD" || name == "@") return bad("reserved name");
  if (name.front() == '-' || name.front() == '/' || name.back() == '/' || name.back() == '.')
    return bad("must not start with '-' or '/', or end with '/' or '.'");
  if (name.find("..") != std::string_view::npos || name.find("//") != std::string_view::npos ||
      name.find("@{") != std::string_view::npos)
    return bad("must not contain '..', '//' or '@{'");
  if (name.ends_with(".lock")) return bad("must not end with '.lock'");
  for (unsigned char c : name)
    if (c < 0x20 || c == 0x7f || c == ' ' || c == '~' || c == '^' || c == ':' || c == '?' || c == '*' || c == '[' ||
        c == '\\')
      return bad("must not contain spaces, control characters or any of ~^:?*[\\");
  return Status::Ok();
}

Status ValidateRepoName(std::string_view name) {
  const size_t slash = name.find('/');
  auto part_ok = [](std::string_view p) {
    return !p.empty() && p.size() <= 100 && p != "." && p != ".." && std::all_of(p.begin(), p.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.';
    });
  };
  if (slash == std::string_view::npos || !part_ok(name.substr(0, slash)) || !part_ok(name.substr(slash + 1)))
    return Status::InvalidArgument(
        fmt::format("repository name '{}': expected owner/name, each 1-100 of letters, digits, '-', '_', '.'", name));
  return Status::Ok();
}

}  // namespace gitmem

namespace gitmem {
Status ValidateAuthor(std::string_view author) {
  if (author.empty()) return Status::InvalidArgument("author: must not be empty");
  if (author.size() > kMaxShortFieldBytes)
    return Status::InvalidArgument(
        fmt::format("author: {} bytes exceeds the limit of {} bytes", author.size(), kMaxShortFieldBytes));
  if (!IsValidUtf8(author)) return Status::InvalidArgument("author: not valid UTF-8");
  for (unsigned char c : author)
    if (c < 0x20) return Status::InvalidArgument("author: must not contain control characters");
  return Status::Ok();
}
}  // namespace gitmem
