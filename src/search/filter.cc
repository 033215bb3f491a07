#include "search/filter.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

namespace gitmem {

Result<CompiledFilter> CompiledFilter::Compile(const SearchFilter& f) {
  CompiledFilter c(&f);
  for (size_t i = 0; i < f.metadata.size(); ++i) {
    auto j = nlohmann::json::parse(f.metadata[i].second, nullptr, false);
    if (j.is_discarded())
      return Status::InvalidArgument(
          fmt::format("filter.metadata[{}]: value for key '{}' is not JSON text (quote strings: \"\\\"x\\\"\")", i,
                      f.metadata[i].first));
    c.meta_values_.push_back(std::move(j));
  }
  if (f.min_importance && !std::isfinite(*f.min_importance))
    return Status::InvalidArgument("filter.min_importance: must be finite");
  return c;
}

namespace {

bool HasTag(const Memory& m, const std::string& t) {
  return std::binary_search(m.tags.begin(), m.tags.end(), t) ||
         std::find(m.tags.begin(), m.tags.end(), t) != m.tags.end();
}

}  // namespace

bool CompiledFilter::Matches(const Memory& m) const {
  const SearchFilter& f = *filter_;
  if (!f.types.empty() && std::find(f.types.begin(), f.types.end(), m.type) == f.types.end()) return false;
  if (!f.scopes.empty() && std::find(f.scopes.begin(), f.scopes.end(), m.scope) == f.scopes.end()) return false;
  if (f.agent_id && m.agent_id != *f.agent_id) return false;
  if (f.session_id && m.session_id != *f.session_id) return false;
  if (f.from_us && m.timestamp_us < *f.from_us) return false;
  if (f.until_us && m.timestamp_us >= *f.until_us) return false;
  if (f.min_importance && m.importance < *f.min_importance) return false;
  if (!f.tags_any.empty() && std::none_of(f.tags_any.begin(), f.tags_any.end(), [&](auto& t) { return HasTag(m, t); }))
    return false;
  for (const auto& t : f.tags_all)
    if (!HasTag(m, t)) return false;
  if (!f.metadata.empty()) {
    auto j = nlohmann::json::parse(m.metadata, nullptr, false);
    if (j.is_discarded() || !j.is_object()) return false;
    for (size_t i = 0; i < f.metadata.size(); ++i) {
      auto it = j.find(f.metadata[i].first);
      if (it == j.end() || *it != meta_values_[i]) return false;
    }
  }
  return true;
}

}  // namespace gitmem
