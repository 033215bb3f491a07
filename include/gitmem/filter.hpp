// SearchFilter: which memories a search (SearchOptions::filter) or a listing
// (ListOptions::filter) admits. One set of rules serves both.
//
// Thread safety: a plain value.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "gitmem/memory.hpp"

namespace gitmem {

/// Which memories a search returns or a listing yields. Every set condition must hold;
/// an empty list or an unset optional does not filter.
struct SearchFilter {
  std::vector<MemoryType> types;      ///< type is one of these
  std::vector<std::string> tags_any;  ///< has at least one of these tags
  std::vector<std::string> tags_all;  ///< has every one of these tags
  std::optional<std::string> agent_id;
  std::optional<std::string> session_id;
  std::vector<Scope> scopes;            ///< scope is one of these
  std::optional<int64_t> from_us;       ///< timestamp_us >= from_us
  std::optional<int64_t> until_us;      ///< timestamp_us < until_us
  std::optional<float> min_importance;  ///< importance >= min_importance
  /// Top-level metadata keys and the JSON values they must equal, e.g.
  /// {"project", "\"apollo\""} or {"priority", "3"}. The value is JSON text.
  std::vector<std::pair<std::string, std::string>> metadata;

  bool empty() const {
    return types.empty() && tags_any.empty() && tags_all.empty() && !agent_id && !session_id && scopes.empty() &&
           !from_us && !until_us && !min_importance && metadata.empty();
  }
};

}  // namespace gitmem
