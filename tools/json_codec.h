// gitmem values as JSON: what `--json` prints and what the MCP tools return.
//
// One shape everywhere, so a script written against the command line reads MCP results
// unchanged. Timestamps appear twice: "timestamp" (RFC 3339 UTC) and "timestamp_us".
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>
#include <vector>

#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"

namespace gitmem::cli {

using Json = nlohmann::ordered_json;

/// A float in [0, 1] as the shortest decimal that reads back to the same float
/// (0.7f prints as 0.7, not 0.699999988079071).
Json FloatJson(float v);

Json ToJson(const Memory& m);
Json ToJson(const CommitInfo& c);
Json ToJson(const DiffEntry& e);
Json ToJson(const Diff& d);
Json ToJson(const MemoryVersion& v);
Json ToJson(const StagedChange& s);
Json ToJson(const BranchInfo& b);
Json ToJson(const TagInfo& t);
Json ToJson(const FsckReport& r);
Json ToJson(const Status& s);
Json ToJson(const MergeConflict& c, bool settled);
Json ToJson(const GcReport& r);
Json ToJson(const RepositoryInfo& i);
Json ToJson(const ImportReport& r);
Json ToJson(const SearchIndexInfo& i);

/// What `search --json` prints and search_memories returns:
/// {"query", "mode", "k", "offset", "hits": [{"rank", "score", "id", "memory"}]}.
Json SearchJson(const SearchOptions& options, const std::vector<SearchHit>& hits);

/// What `merge --json` (and cherry-pick, revert) prints and merge_branch returns:
/// {"operation", "source", "into", "strategy", "status", "commit", "fast_forward",
///  "up_to_date", "merge_bases", "changes_applied", "conflicts": [...]}. "status" is one of
/// "up_to_date", "fast_forward", "merged", "conflicts".
Json MergeJson(std::string_view operation, std::string_view source, std::string_view into,
               MergeStrategy strategy, const MergeResult& r);

/// "vector" / "keyword" / "hybrid".
const char* ModeName(SearchMode m);

/// Parses metadata text (a JSON object) for display; on failure returns the text itself.
Json MetadataJson(const std::string& text);

/// "added" / "modified" / "removed".
const char* KindName(DiffEntry::Kind k);

}  // namespace gitmem::cli
