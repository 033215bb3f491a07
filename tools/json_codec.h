// gitmem values as JSON: what `--json` prints and what the MCP tools return.
//
// One shape everywhere, so a script written against the command line reads MCP results
// unchanged. Timestamps appear twice: "timestamp" (RFC 3339 UTC) and "timestamp_us".
#pragma once

#include <nlohmann/json.hpp>

#include "gitmem/memory.hpp"
#include "gitmem/repository.hpp"

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
Json ToJson(const Repository::FsckReport& r);
Json ToJson(const Status& s);

/// Parses metadata text (a JSON object) for display; on failure returns the text itself.
Json MetadataJson(const std::string& text);

/// "added" / "modified" / "removed".
const char* KindName(DiffEntry::Kind k);

}  // namespace gitmem::cli
