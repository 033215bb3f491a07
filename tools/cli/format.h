// Human-readable rendering of memories, commits and diffs for the command line.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "context.h"

namespace gitmem::cli {

/// The first line of `text`, cut to at most `max_chars` code points ("…" marks a cut).
std::string Preview(std::string_view text, size_t max_chars = 72);

/// "id  [type] preview  #tag #tag" on one line.
std::string MemoryLine(const Context& ctx, const Memory& m);

/// Every field of a memory, one per line, content last.
std::string MemoryDetails(const Context& ctx, const Memory& m);

/// Branch and tag names pointing at each commit, as git's "(HEAD -> main, tag: v1)".
using Decorations = std::map<ObjectId, std::vector<std::string>>;
Decorations LoadDecorations(const Repository& repo);
std::string Decorate(const Context& ctx, const Decorations& d, const ObjectId& id);

/// "+2 ~1 -0" coloured.
std::string ChangeCounts(const Context& ctx, uint64_t added, uint64_t modified, uint64_t removed);

/// One diff entry: "+ id  preview", "- id  preview", or "~ id" followed by changed fields.
std::string DiffEntryText(const Context& ctx, const DiffEntry& e);

}  // namespace gitmem::cli
