// gitmem values as JSON: what `gitmem --json` prints, what the MCP tools return and what a
// JSON Lines export holds (docs/format.md, "JSON Lines").
//
// One shape everywhere, so a script written against the command line reads MCP results
// unchanged. Fields appear in declaration order; timestamps appear twice, as "timestamp"
// (RFC 3339 UTC) and "timestamp_us"; absent ids and memories are null. The one other
// shape is the JSON Lines record (MemoryLine): its keys are sorted and it carries only
// "timestamp_us", as exports have always been written.
//
// FromJson reads what ToJson writes. Absent or null fields keep the value's defaults;
// unknown fields are ignored; derived fields ("timestamp", counts, "ok", "status") are not
// read. A malformed field is kInvalidArgument naming it by its path, e.g.
// "relations[1].type: 'likes' is not one of similar, contradicts, builds_on, references".
//
// Thread safety: plain functions over values.
#pragma once

#include <nlohmann/json.hpp>

#include <string>
#include <string_view>
#include <vector>

#include "gitmem/memory.hpp"
#include "gitmem/merge.hpp"
#include "gitmem/repository.hpp"
#include "gitmem/search.hpp"

namespace gitmem::json {

/// Objects keep their fields in the order written.
using Json = nlohmann::ordered_json;

// ---- scalars ----------------------------------------------------------------------------

/// A float in [0, 1] as the shortest decimal that reads back to the same float
/// (0.7f prints as 0.7, not 0.699999988079071).
Json FloatJson(float v);
/// Metadata text (a JSON object) as JSON; text that does not parse stays a string.
Json MetadataJson(const std::string& text);
/// The hex id, or null for the zero id.
Json IdOrNull(const ObjectId& id);
/// "added" / "modified" / "removed".
const char* KindName(DiffEntry::Kind k);
/// "vector" / "keyword" / "hybrid".
const char* ModeName(SearchMode m);

// ---- memories ---------------------------------------------------------------------------

Json ToJson(const Memory& m);
Status FromJson(const Json& j, Memory* m);
/// One JSON Lines record of an export, without the newline: keys sorted, no "timestamp".
std::string MemoryLine(const Memory& m);
/// Reads a JSON Lines record. Object-valued metadata is stored as its dump, so records
/// parsed with sorted keys store canonical metadata.
Status FromJson(const nlohmann::json& j, Memory* m);
/// {"code": "invalid_argument", "message": ...}: how errors appear in --json and MCP.
Json ToJson(const Status& s);

// ---- history, branches and tags ---------------------------------------------------------

Json ToJson(const CommitInfo& c);
Status FromJson(const Json& j, CommitInfo* c);
Json ToJson(const DiffEntry& e);
Status FromJson(const Json& j, DiffEntry* e);
/// {"added", "modified", "removed", "entries"}; the counts are derived and not read back.
Json ToJson(const Diff& d);
Status FromJson(const Json& j, Diff* d);
Json ToJson(const MemoryVersion& v);
Status FromJson(const Json& j, MemoryVersion* v);
Json ToJson(const StagedChange& s);
Status FromJson(const Json& j, StagedChange* s);
Json ToJson(const BranchInfo& b);
Status FromJson(const Json& j, BranchInfo* b);
Json ToJson(const TagInfo& t);
Status FromJson(const Json& j, TagInfo* t);

// ---- merge ------------------------------------------------------------------------------

/// A conflict; once `settled`, also "resolution" and "deleted".
Json ToJson(const MergeConflict& c, bool settled);
Status FromJson(const Json& j, MergeConflict* c);
/// What `merge --json` (and cherry-pick, revert) prints and merge_branch returns:
/// {"operation", "source", "into", "strategy", "status", "commit", "fast_forward",
///  "up_to_date", "merge_bases", "changes_applied", "conflicts": [...]}. "status" is one of
/// "up_to_date", "fast_forward", "merged", "conflicts".
Json MergeJson(std::string_view operation, std::string_view source, std::string_view into, MergeStrategy strategy,
               const MergeResult& r);
/// Reads the MergeResult part of MergeJson's output.
Status FromJson(const Json& j, MergeResult* r);

// ---- search -----------------------------------------------------------------------------

/// What `search --json` prints and search_memories returns:
/// {"query", "mode", "k", "offset", "count", "hits": [{"rank", "score", "id", "memory"}]}.
Json SearchJson(const SearchOptions& options, const std::vector<SearchHit>& hits);
/// Reads the hits of SearchJson's output.
Status FromJson(const Json& j, std::vector<SearchHit>* hits);
Json ToJson(const SearchIndexInfo& i);
Status FromJson(const Json& j, SearchIndexInfo* i);

// ---- repository and maintenance reports -------------------------------------------------

Json ToJson(const RepositoryInfo& i);
Status FromJson(const Json& j, RepositoryInfo* i);
Json ToJson(const FsckReport& r);
Status FromJson(const Json& j, FsckReport* r);
Json ToJson(const GcReport& r);
Status FromJson(const Json& j, GcReport* r);
Json ToJson(const ImportReport& r);
Status FromJson(const Json& j, ImportReport* r);

// ---- lists -----------------------------------------------------------------------------

/// A JSON array of ToJson(item) for each item.
template <class T>
Json ToJsonArray(const std::vector<T>& items) {
  Json list = Json::array();
  for (const T& item : items) list.push_back(ToJson(item));
  return list;
}

}  // namespace gitmem::json
