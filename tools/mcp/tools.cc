// The MCP tools: their definitions (what tools/list returns), the check of a call's
// arguments against them, and what each call does.
#include <optional>

#include "gitmem/search.hpp"

#include "cli/reads.h"
#include "cli/timestamp.h"
#include "mcp/tools.h"

namespace gitmem::cli {

namespace {

// ---- tool schemas ---------------------------------------------------------------------

Json Str(const std::string& description) { return {{"type", "string"}, {"description", description}}; }
Json Enum(const std::vector<std::string>& values, const std::string& description) {
  return {{"type", "string"}, {"enum", values}, {"description", description}};
}
Json Unit(const std::string& description) {
  return {{"type", "number"}, {"minimum", 0}, {"maximum", 1}, {"description", description}};
}
Json Int(const std::string& description, int64_t minimum, std::optional<int64_t> maximum = std::nullopt) {
  Json j = {{"type", "integer"}, {"minimum", minimum}, {"description", description}};
  if (maximum) j["maximum"] = *maximum;
  return j;
}
Json Bool(const std::string& description) { return {{"type", "boolean"}, {"description", description}}; }

Json Schema(Json properties, std::vector<std::string> required) {
  Json j = {{"type", "object"}, {"properties", std::move(properties)}};
  if (!required.empty()) j["required"] = required;
  j["additionalProperties"] = false;
  return j;
}

const std::vector<std::string> kTypes = {"episodic", "semantic", "procedural", "state"};
const std::vector<std::string> kScopes = {"private", "shared", "global"};
const std::vector<std::string> kRelationTypes = {"similar", "contradicts", "builds_on", "references"};

const char* kRevHelp =
    "Revision to read: a branch (its last commit plus staged changes), a tag, a commit id or prefix, "
    "HEAD, or any of those followed by ~N. Default: the checked-out branch.";
const char* kAsOfHelp =
    "Time travel: read the newest commit at or before this time (RFC 3339, e.g. 2026-01-31T12:00:00Z).";

Json Tool(const std::string& name, const std::string& title, const std::string& description, Json schema,
          bool read_only, bool destructive = false) {
  Json annotations = {{"title", title}, {"readOnlyHint", read_only}};
  if (!read_only) annotations["destructiveHint"] = destructive;
  return {{"name", name},
          {"title", title},
          {"description", description},
          {"inputSchema", std::move(schema)},
          {"annotations", annotations}};
}

std::string GetStr(const Json& args, const char* key, std::string fallback = {}) {
  return args.contains(key) ? args[key].get<std::string>() : fallback;
}

Result<ReadOptions> ReadAt(const Json& args, const char* rev_key = "rev") {
  ReadOptions r;
  r.rev = GetStr(args, rev_key);
  if (args.contains("as_of")) {
    auto t = ParseTime(args["as_of"].get<std::string>());
    if (!t) return Status::InvalidArgument("as_of: not a time; use RFC 3339 such as 2026-01-31T12:00:00Z");
    r.as_of_us = *t;
  }
  return r;
}

// A tool's answer: the JSON as text (for clients without structured content) and as
// structuredContent.
Json ToolResult(Json structured) {
  Json text = {{"type", "text"}, {"text", structured.dump(-1, ' ', false, Json::error_handler_t::replace)}};
  return {{"content", Json::array({text})}, {"structuredContent", std::move(structured)}, {"isError", false}};
}

}  // namespace

// Checks `args` against the subset of JSON Schema the tools use. "" when valid.
std::string ValidateToolArguments(const Json& schema, const Json& args) {
  if (!args.is_object()) return "arguments: expected an object";
  const Json& props = schema["properties"];
  if (schema.contains("required"))
    for (const auto& r : schema["required"])
      if (!args.contains(r.get<std::string>())) return "missing required argument '" + r.get<std::string>() + "'";
  for (auto it = args.begin(); it != args.end(); ++it) {
    const std::string& key = it.key();
    const Json& v = it.value();
    if (!props.contains(key)) return "unknown argument '" + key + "'";
    const Json& p = props[key];
    const std::string type = p["type"];
    auto fail = [&](const std::string& what) { return "argument '" + key + "': " + what; };
    if (type == "string") {
      if (!v.is_string()) return fail("expected a string");
      if (p.contains("enum")) {
        bool found = false;
        for (const auto& e : p["enum"]) found |= e == v;
        if (!found) return fail("expected one of " + p["enum"].dump());
      }
    } else if (type == "number" || type == "integer") {
      if (!v.is_number() || (type == "integer" && !v.is_number_integer()))
        return fail(type == "integer" ? "expected an integer" : "expected a number");
      const double d = v.get<double>();
      if (p.contains("minimum") && d < p["minimum"].get<double>())
        return fail("below the minimum " + p["minimum"].dump());
      if (p.contains("maximum") && d > p["maximum"].get<double>())
        return fail("above the maximum " + p["maximum"].dump());
    } else if (type == "boolean") {
      if (!v.is_boolean()) return fail("expected true or false");
    } else if (type == "object") {
      if (!v.is_object()) return fail("expected an object");
    } else if (type == "array") {
      if (!v.is_array()) return fail("expected an array");
      const Json& items = p["items"];
      for (const auto& item : v) {
        if (items["type"] == "string" && !item.is_string()) return fail("expected an array of strings");
        if (items["type"] == "object") {
          std::string e = ValidateToolArguments(items, item);
          if (!e.empty()) return fail(e);
        }
      }
    }
  }
  return {};
}

Json ToolError(const Status& s) {
  const std::string message = std::string(StatusCodeName(s.code())) + ": " + s.message();
  return {{"content", Json::array({{{"type", "text"}, {"text", message}}})},
          {"structuredContent", {{"error", ToJson(s)}}},
          {"isError", true}};
}

Json McpServer::ToolList() {
  Json relation = Schema({{"type", Enum(kRelationTypes, "Kind of link")},
                          {"target_id", Str("Id of the linked memory")},
                          {"strength", Unit("Strength of the link in [0, 1] (default 1)")}},
                         {"type", "target_id"});
  Json tools = Json::array();
  tools.push_back(
      Tool("save_memory", "Save a memory",
           "Save a memory (a fact, an event, a procedure or a piece of state). It is staged on the branch until "
           "`commit` records it (unless the server runs with --auto-commit). Giving the id of an existing memory "
           "replaces it. Returns the memory's id.",
           Schema({{"content", Str("The memory's text")},
                   {"type", Enum(kTypes,
                                 "episodic: an event; semantic: a fact; procedural: how to do something; "
                                 "state: current state. Default semantic")},
                   {"tags", {{"type", "array"}, {"items", {{"type", "string"}}}, {"description", "Tags"}}},
                   {"agent_id", Str("Agent writing the memory")},
                   {"session_id", Str("Session the memory belongs to")},
                   {"importance", Unit("Importance in [0, 1], default 0.5")},
                   {"confidence", Unit("Confidence in [0, 1], default 1")},
                   {"scope", Enum(kScopes, "Visibility, default shared")},
                   {"metadata", {{"type", "object"}, {"description", "Free-form JSON object"}}},
                   {"relations", {{"type", "array"}, {"items", relation}, {"description", "Links to other memories"}}},
                   {"id", Str("Id to write (default: a new time-ordered id); an existing id is replaced")},
                   {"branch", Str("Branch to write to (default: the checked-out branch)")}},
                  {"content"}),
           false));
  tools.push_back(
      Tool("get_memory", "Get a memory", "Read one memory by id, optionally at a revision or at a point in time.",
           Schema({{"id", Str("Id of the memory")}, {"rev", Str(kRevHelp)}, {"as_of", Str(kAsOfHelp)}}, {"id"}), true));
  tools.push_back(Tool("delete_memory", "Delete a memory",
                       "Delete a memory. Staged until `commit` (unless --auto-commit); its history stays readable.",
                       Schema({{"id", Str("Id of the memory")},
                               {"branch", Str("Branch to delete from (default: the checked-out branch)")}},
                              {"id"}),
                       false, true));
  tools.push_back(Tool("list_memories", "List memories",
                       "List memories in id order (oldest first for generated ids), optionally filtered, with paging.",
                       Schema({{"rev", Str(kRevHelp)},
                               {"as_of", Str(kAsOfHelp)},
                               {"type", Enum(kTypes, "Only this type")},
                               {"tag", Str("Only memories with this tag")},
                               {"agent_id", Str("Only this agent's memories")},
                               {"session_id", Str("Only this session's memories")},
                               {"scope", Enum(kScopes, "Only this scope")},
                               {"offset", Int("Skip this many (after filtering)", 0)},
                               {"limit", Int("At most this many, default 50", 1, 1000)}},
                              {}),
                       true));
  tools.push_back(Tool("commit", "Commit",
                       "Record the staged memory changes of a branch as a commit with a message. Returns the commit.",
                       Schema({{"message", Str("What changed and why")},
                               {"branch", Str("Branch to commit (default: the checked-out branch)")},
                               {"author", Str("Author of the commit")},
                               {"allow_empty", Bool("Commit even when nothing is staged")}},
                              {"message"}),
                       false));
  tools.push_back(Tool("log", "Commit log", "List commits, newest first.",
                       Schema({{"rev", Str("Where to start (default: HEAD)")},
                               {"limit", Int("At most this many, default 20", 1, 1000)},
                               {"first_parent", Bool("Follow only first parents (default false: the whole graph)")}},
                              {}),
                       true));
  tools.push_back(Tool("diff", "Diff",
                       "The memories added, modified and removed between two states. Defaults: from the last "
                       "commit of the checked-out branch to its working state (the staged changes).",
                       Schema({{"from", Str("From revision (default: HEAD)")},
                               {"to", Str("To revision (default: the checked-out branch with its staged changes)")},
                               {"ids_only", Bool("Only ids and kinds, without the memories")}},
                              {}),
                       true));
  tools.push_back(Tool("create_branch", "Create a branch",
                       "Create a branch (cheap: one reference) to explore changes without touching the current one.",
                       Schema({{"name", Str("Name of the new branch")},
                               {"from", Str("Where it starts (default: HEAD's commit)")},
                               {"checkout", Bool("Check the new branch out")}},
                              {"name"}),
                       false));
  tools.push_back(Tool("checkout_branch", "Check out a branch",
                       "Make a branch the current one: later reads and writes without a branch use it.",
                       Schema({{"name", Str("Branch to check out")}}, {"name"}), false));
  Json strings = {{"type", "array"}, {"items", {{"type", "string"}}}};
  auto list_of = [&](const std::string& description) {
    Json j = strings;
    j["description"] = description;
    return j;
  };
  tools.push_back(
      Tool("search_memories", "Search memories",
           "Find the memories most relevant to a query: by meaning (vector), by words (keyword, BM25) or both "
           "(hybrid, the default). Filters narrow the candidates; rev or as_of search a past state. Returns the "
           "hits best first, each with its rank, score and memory.",
           Schema({{"query", Str("What to look for, in natural language or keywords")},
                   {"k", Int("How many results, default 10", 1, 100)},
                   {"offset", Int("Skip this many ranked results (paging)", 0)},
                   {"mode", Enum({"hybrid", "vector", "keyword"}, "Ranking: hybrid (default), vector or keyword")},
                   {"rev", Str(kRevHelp)},
                   {"as_of", Str(kAsOfHelp)},
                   {"types", list_of("Only these types (any of episodic, semantic, procedural, state)")},
                   {"tags", list_of("Only memories with at least one of these tags")},
                   {"all_tags", list_of("Only memories with every one of these tags")},
                   {"agent_id", Str("Only this agent's memories")},
                   {"session_id", Str("Only this session's memories")},
                   {"scopes", list_of("Only these scopes (any of private, shared, global)")},
                   {"since", Str("Only memories at or after this time (RFC 3339)")},
                   {"until", Str("Only memories before this time (RFC 3339)")},
                   {"min_importance", Unit("Only memories at least this important")},
                   {"metadata",
                    {{"type", "object"},
                     {"description", "Only memories whose metadata has these top-level keys with these values"}}}},
                  {"query"}),
           true));
  tools.push_back(
      Tool("merge_branch", "Merge a branch",
           "Merge a branch (or tag, or commit) into another branch, memory by memory against their common "
           "ancestor. A memory both sides changed differently is a conflict: with strategy fail (the default) "
           "nothing changes and the conflicts come back with the base, ours and theirs versions, so you can "
           "decide and merge again with ours, theirs, newest or most_important.",
           Schema({{"source", Str("Branch, tag or commit to merge")},
                   {"into", Str("Branch to change (default: the checked-out branch)")},
                   {"strategy", Enum({"fail", "ours", "theirs", "newest", "most_important"},
                                     "How to settle conflicts: fail (report them, change nothing), ours (keep the "
                                     "target's), theirs (take the source's), newest, most_important")},
                   {"message", Str("Commit message (default: Merge <source> into <branch>)")},
                   {"author", Str("Author of the merge commit")}},
                  {"source"}),
           false));
  tools.push_back(
      Tool("memory_history", "History of a memory",
           "Every committed version of one memory, newest first, with the commit that made it.",
           Schema({{"id", Str("Id of the memory")}, {"rev", Str("Start from this revision (default: HEAD)")}}, {"id"}),
           true));
  return tools;
}

Json McpServer::CallTool(const std::string& name, const Json& args) {
  Repository& repo = *repo_;
  if (name == "save_memory") {
    // The arguments are a memory's fields (plus "branch", which FromJson ignores).
    Memory m;
    if (Status s = json::FromJson(args, &m); !s.ok()) return ToolError(s);
    WriteOptions wo;
    wo.branch = GetStr(args, "branch");
    auto id = repo.Put(m, wo);
    if (!id.ok()) return ToolError(id.status());
    const std::string branch = BranchOrHead(repo, wo.branch);
    Json out = {{"id", *id}, {"branch", branch}, {"committed", repo.options().auto_commit}};
    if (repo.options().auto_commit)
      if (auto head = repo.Resolve(branch); head.ok()) out["commit"] = head->hex();
    return ToolResult(out);
  }
  if (name == "get_memory") {
    auto at = ReadAt(args);
    if (!at.ok()) return ToolError(at.status());
    auto m = repo.Get(args["id"].get<std::string>(), *at);
    if (!m.ok()) return ToolError(m.status());
    return ToolResult(ToJson(*m));
  }
  if (name == "delete_memory") {
    WriteOptions wo;
    wo.branch = GetStr(args, "branch");
    const std::string id = args["id"];
    Status s = repo.Delete(id, wo);
    if (!s.ok()) return ToolError(s);
    return ToolResult({{"id", id},
                       {"deleted", true},
                       {"branch", BranchOrHead(repo, wo.branch)},
                       {"committed", repo.options().auto_commit}});
  }
  if (name == "list_memories") {
    auto at = ReadAt(args);
    if (!at.ok()) return ToolError(at.status());
    const uint64_t offset = args.value("offset", uint64_t{0});
    const uint64_t limit = args.value("limit", uint64_t{50});
    MemoryFilter filter;
    filter.type = GetStr(args, "type");
    filter.tag = GetStr(args, "tag");
    filter.agent = GetStr(args, "agent_id");
    filter.session = GetStr(args, "session_id");
    filter.scope = GetStr(args, "scope");
    // One more than asked tells whether there are more.
    auto memories = ListMatching(repo, *at, filter, offset, limit + 1);
    if (!memories.ok()) return ToolError(memories.status());
    const bool more = memories->size() > limit;
    if (more) memories->pop_back();
    return ToolResult(
        {{"memories", ToJsonArray(*memories)}, {"count", memories->size()}, {"offset", offset}, {"has_more", more}});
  }
  if (name == "commit") {
    CommitOptions co;
    co.message = args["message"];
    co.branch = GetStr(args, "branch");
    co.author = GetStr(args, "author");
    co.allow_empty = args.value("allow_empty", false);
    auto id = repo.Commit(co);
    if (!id.ok()) return ToolError(id.status());
    auto c = repo.Show(id->hex());
    if (!c.ok()) return ToolError(c.status());
    Json out = ToJson(*c);
    out["branch"] = BranchOrHead(repo, co.branch);
    return ToolResult(out);
  }
  if (name == "log") {
    LogOptions lo;
    lo.rev = GetStr(args, "rev");
    lo.limit = args.value("limit", uint64_t{20});
    lo.first_parent = args.value("first_parent", false);
    auto commits = repo.Log(lo);
    if (!commits.ok()) return ToolError(commits.status());
    return ToolResult({{"commits", ToJsonArray(*commits)}});
  }
  if (name == "diff") {
    ReadOptions a, b;
    a.rev = GetStr(args, "from", "HEAD");
    b.rev = GetStr(args, "to");
    auto d = DiffStates(repo, a, b);
    if (!d.ok()) return ToolError(d.status());
    Json out = ToJson(*d);
    if (args.value("ids_only", false))
      for (auto& e : out["entries"]) {
        e.erase("old");
        e.erase("new");
      }
    return ToolResult(out);
  }
  if (name == "create_branch") {
    const std::string branch = args["name"];
    Status s = repo.CreateBranch(branch, GetStr(args, "from"));
    if (!s.ok()) return ToolError(s);
    const bool checkout = args.value("checkout", false);
    if (checkout) {
      s = repo.Checkout(branch);
      if (!s.ok()) return ToolError(s);
    }
    auto head = repo.Resolve(branch);
    return ToolResult(
        {{"branch", branch}, {"head", head.ok() ? Json(head->hex()) : Json(nullptr)}, {"checked_out", checkout}});
  }
  if (name == "checkout_branch") {
    const std::string branch = args["name"];
    Status s = repo.Checkout(branch);
    if (!s.ok()) return ToolError(s);
    auto head = repo.Resolve(branch);
    return ToolResult({{"branch", branch}, {"head", head.ok() ? Json(head->hex()) : Json(nullptr)}});
  }
  if (name == "search_memories") {
    SearchOptions so;
    so.query = args["query"];
    so.k = args.value("k", 10);
    so.offset = args.value("offset", uint64_t{0});
    const std::string mode = GetStr(args, "mode", "hybrid");
    so.mode = mode == "vector" ? SearchMode::kVector : mode == "keyword" ? SearchMode::kKeyword : SearchMode::kHybrid;
    auto at = ReadAt(args);
    if (!at.ok()) return ToolError(at.status());
    so.at = *at;
    SearchFilter& f = so.filter;
    if (args.contains("types"))
      for (const auto& t : args["types"]) {
        auto type = ParseMemoryType(t.get<std::string>());
        if (!type.ok()) return ToolError(Status::InvalidArgument("types: " + type.status().message()));
        f.types.push_back(*type);
      }
    if (args.contains("scopes"))
      for (const auto& t : args["scopes"]) {
        auto scope = ParseScope(t.get<std::string>());
        if (!scope.ok()) return ToolError(Status::InvalidArgument("scopes: " + scope.status().message()));
        f.scopes.push_back(*scope);
      }
    if (args.contains("tags")) f.tags_any = args["tags"].get<std::vector<std::string>>();
    if (args.contains("all_tags")) f.tags_all = args["all_tags"].get<std::vector<std::string>>();
    if (args.contains("agent_id")) f.agent_id = GetStr(args, "agent_id");
    if (args.contains("session_id")) f.session_id = GetStr(args, "session_id");
    for (const char* key : {"since", "until"}) {
      if (!args.contains(key)) continue;
      auto t = ParseTime(args[key].get<std::string>());
      if (!t)
        return ToolError(
            Status::InvalidArgument(std::string(key) + ": not a time; use RFC 3339 such as 2026-01-31T12:00:00Z"));
      (std::string(key) == "since" ? f.from_us : f.until_us) = *t;
    }
    if (args.contains("min_importance")) f.min_importance = args["min_importance"].get<float>();
    if (args.contains("metadata"))
      for (auto it = args["metadata"].begin(); it != args["metadata"].end(); ++it)
        f.metadata.emplace_back(it.key(), it.value().dump());
    auto hits = repo.Search(so);
    if (!hits.ok()) return ToolError(hits.status());
    return ToolResult(SearchJson(so, *hits));
  }
  if (name == "merge_branch") {
    const std::string source = args["source"];
    MergeOptions mo;
    mo.into = GetStr(args, "into");
    auto strategy = ParseMergeStrategy(GetStr(args, "strategy", "fail"));
    if (!strategy.ok()) return ToolError(strategy.status());
    mo.strategy = *strategy;
    mo.message = GetStr(args, "message");
    mo.author = GetStr(args, "author");
    const std::string into = BranchOrHead(repo, mo.into);
    auto r = repo.Merge(source, mo);
    if (!r.ok()) return ToolError(r.status());
    Json out = MergeJson("merge", source, into, mo.strategy, *r);
    if (r->has_conflicts()) {
      // A failure the model can act on: the conflicts come back in full.
      Json result = ToolResult(out);
      result["isError"] = true;
      Json why = {
          {"type", "text"},
          {"text", "conflict: merging '" + source + "' into '" + into + "' met " + std::to_string(r->conflicts.size()) +
                       " conflicts and changed nothing; call merge_branch again with strategy ours, "
                       "theirs, newest or most_important"}};
      result["content"].insert(result["content"].begin(), std::move(why));
      return result;
    }
    return ToolResult(out);
  }
  if (name == "memory_history") {
    auto versions = repo.History(args["id"].get<std::string>(), GetStr(args, "rev"));
    if (!versions.ok()) return ToolError(versions.status());
    return ToolResult({{"id", args["id"]}, {"versions", ToJsonArray(*versions)}});
  }
  return ToolError(Status::Internal("tool '" + name + "' has no implementation"));
}

}  // namespace gitmem::cli
