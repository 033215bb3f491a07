// Which memories a SearchFilter admits: the one implementation of its rules, used by
// search and by listing.
#pragma once

#include <nlohmann/json.hpp>

#include <vector>

#include "gitmem/filter.hpp"
#include "gitmem/memory.hpp"
#include "gitmem/status.hpp"

namespace gitmem {

/// A SearchFilter checked once (metadata values parsed) and ready to test memories.
/// Holds a pointer to the filter, which must outlive it.
class CompiledFilter {
 public:
  /// kInvalidArgument naming the field ("filter.metadata[i]", "filter.min_importance").
  static Result<CompiledFilter> Compile(const SearchFilter& filter);

  bool empty() const { return filter_->empty(); }
  /// Every set condition of the filter holds for `m`.
  bool Matches(const Memory& m) const;

 private:
  explicit CompiledFilter(const SearchFilter* f) : filter_(f) {}
  const SearchFilter* filter_;
  std::vector<nlohmann::json> meta_values_;  // parsed value of each metadata condition
};

}  // namespace gitmem
