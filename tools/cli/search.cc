// `gitmem search` and `gitmem reindex`.
#include <cstdio>

#include "gitmem/search.hpp"

#include "commands.h"
#include "format.h"
#include "options.h"
#include "progress.h"
#include "reads.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

struct SearchArgs {
  std::vector<std::string> query;
  std::string mode = "hybrid";
  int k = 10;
  uint64_t offset = 0;
  ReadFlags at;
  std::vector<std::string> types, tags, scopes, meta;
  bool all_tags = false;
  std::string agent, session, since, until, min_importance;
};

int RunSearch(const Context& ctx, const SearchArgs& o) {
  SearchOptions so;
  for (const auto& w : o.query) so.query += (so.query.empty() ? "" : " ") + w;
  so.mode = o.mode == "vector" ? SearchMode::kVector : o.mode == "keyword" ? SearchMode::kKeyword : SearchMode::kHybrid;
  so.k = o.k;
  so.offset = o.offset;
  so.at = o.at.Get();
  SearchFilter& f = so.filter;
  for (const auto& t : o.types) f.types.push_back(*ParseMemoryType(t));
  for (const auto& s : o.scopes) f.scopes.push_back(*ParseScope(s));
  (o.all_tags ? f.tags_all : f.tags_any) = o.tags;
  if (o.all_tags && o.tags.empty()) return ctx.Usage("search", "--all-tags needs at least one --tag");
  if (!o.agent.empty()) f.agent_id = o.agent;
  if (!o.session.empty()) f.session_id = o.session;
  if (!o.since.empty()) f.from_us = ParseTime(o.since);
  if (!o.until.empty()) f.until_us = ParseTime(o.until);
  if (!o.min_importance.empty()) f.min_importance = std::stof(o.min_importance);
  auto meta = ParseMeta(o.meta, Json::object());
  if (!meta.ok()) return ctx.Usage("search", meta.status().message());
  for (auto it = meta->begin(); it != meta->end(); ++it) f.metadata.emplace_back(it.key(), it.value().dump());

  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, hits, (*repo)->Search(so));
  if (ctx.options.json) {
    ctx.PrintJson(SearchJson(so, *hits));
    return 0;
  }
  const size_t width = std::to_string(so.offset + hits->size()).size();
  std::string text;
  uint64_t rank = so.offset;
  for (const SearchHit& h : *hits) {
    std::string r = std::to_string(++rank);
    char score[32];
    std::snprintf(score, sizeof score, "%.4f", h.score);
    text += std::string(width - r.size(), ' ') + r + "  " + ctx.Paint(score, style::kCyan) + "  ";
    text += h.memory ? MemoryLine(ctx, *h.memory) : ctx.Paint(h.id, style::kYellow);
    text += "\n";
  }
  Out(text);
  return 0;
}

int RunReindex(const Context& ctx, const std::string& branch) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  const std::string name = BranchOrHead(**repo, branch);
  ProgressBar bar("reindex", "memories");
  Status s = (*repo)->Reindex(name, bar.Callback());
  bar.Finish();
  if (!s.ok()) return ctx.Fail(s);
  ReadOptions at;
  at.rev = name;
  GITMEM_TRY_OR_FAIL(ctx, info, (*repo)->IndexInfo(at));
  if (ctx.options.json) {
    Json j = {{"branch", name}};
    j["index"] = ToJson(*info);
    ctx.PrintJson(j);
  } else {
    Out("Reindexed branch " + name + ": " + std::to_string(info->documents) +
        (info->documents == 1 ? " memory" : " memories") + " indexed\n");
  }
  return 0;
}

}  // namespace

void AddSearch(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] =
      Define(app, out, "search", "Find memories by meaning (vector), words (keyword) or both (hybrid)", RunSearch);
  cmd->add_option("query", o->query, "What to look for (several words are one query)")->required();
  cmd->add_option("--mode", o->mode, "How to rank")
      ->check(OneOf({"vector", "keyword", "hybrid"}))
      ->capture_default_str();
  cmd->add_option("-k,--k", o->k, "Results per page")->check(CLI::PositiveNumber)->capture_default_str();
  cmd->add_option("--offset", o->offset, "Skip the first N results (paging)");
  o->at.Add(cmd);
  cmd->add_option("-t,--type", o->types, "Only these types (repeatable: any of them)")
      ->check(OneOf(kTypes))
      ->allow_extra_args(false)
      ->type_name("TYPE");
  cmd->add_option("--tag", o->tags, "Only memories with this tag (repeatable: any of them)")
      ->allow_extra_args(false)
      ->type_name("TAG");
  cmd->add_flag("--all-tags", o->all_tags, "Memories must have every --tag, not just one");
  cmd->add_option("--agent", o->agent, "Only this agent's memories")->type_name("ID");
  cmd->add_option("--session", o->session, "Only this session's memories")->type_name("ID");
  cmd->add_option("--scope", o->scopes, "Only these scopes (repeatable)")
      ->check(OneOf(kScopes))
      ->allow_extra_args(false)
      ->type_name("SCOPE");
  cmd->add_option("--since", o->since, "Only memories at or after TIME")->check(kTimeValidator)->type_name("TIME");
  cmd->add_option("--until", o->until, "Only memories before TIME")->check(kTimeValidator)->type_name("TIME");
  cmd->add_option("--min-importance", o->min_importance, "Only memories at least this important")
      ->check(kUnitInterval)
      ->type_name("NUM");
  cmd->add_option("--meta", o->meta, "Metadata key must equal value (repeatable; a JSON value keeps its type)")
      ->allow_extra_args(false)
      ->type_name("KEY=VALUE");
  cmd->footer(
      "Prints rank, score, id and the memory. Scores: cosine similarity (vector), BM25 (keyword),\n"
      "reciprocal rank fusion (hybrid); higher is better.\n"
      "Examples:\n"
      "  gitmem search \"what theme does the user like\"\n"
      "  gitmem search deploy --mode keyword --type procedural -k 5\n"
      "  gitmem search \"user preferences\" --tag ui --tag prefs --all-tags --at v1\n"
      "  gitmem search standup --since 2026-01-01 --meta project=apollo --json\n");
}

void AddReindex(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, branch] =
      Define(app, out, "reindex", "Rebuild a branch's search index from its last commit and save it", RunReindex);
  cmd->add_option("--branch", *branch, "Branch to reindex (default: HEAD's)");
}

}  // namespace gitmem::cli
