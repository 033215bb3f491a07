// `gitmem search`, `gitmem reindex` and `gitmem index status|wait`.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>

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

// ---- gitmem index status | wait ------------------------------------------------------

struct IndexArgs {
  std::string branch;
  std::string timeout;  // wait: seconds; empty = no limit
};

/// How often `index wait` redraws its bar: the length of each WaitForIndex call.
constexpr int64_t kPollMs = 200;

Result<SearchIndexInfo> BranchIndex(const Repository& repo, const std::string& branch) {
  ReadOptions at;
  at.rev = branch;
  return repo.IndexInfo(at);
}

/// Vectors whose approximate graph is built (or that need none), of all `i.documents`.
uint64_t VectorsWithGraph(const SearchIndexInfo& i) {
  return i.documents - std::min(i.documents, i.vectors_awaiting_graph);
}

bool Complete(const SearchIndexInfo& i) { return !i.indexing && i.vectors_awaiting_graph == 0; }

std::string Plural(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

void PrintIndex(const Context& ctx, const std::string& branch, const SearchIndexInfo& i) {
  if (ctx.options.json) {
    Json j = {{"branch", branch}};
    j["index"] = ToJson(i);
    ctx.PrintJson(j);
    return;
  }
  auto row = [&](const std::string& k, const std::string& v) {
    std::string key = k;
    key.resize(16, ' ');
    return ctx.Paint(key, style::kBold) + v + "\n";
  };
  std::string text = row("branch", branch + (i.commit.is_zero() ? " (no commits)" : " at " + ShortId(i.commit)));
  text += row("memories", std::to_string(i.documents) + " indexed (source: " + i.source + ")");
  text += row("segments", std::to_string(i.vector_segments) + " vector, " + std::to_string(i.keyword_segments) +
                              " keyword; in the delta " + Plural(i.vector_delta, "vector", "vectors") + ", " +
                              Plural(i.keyword_delta, "document", "documents"));
  text += row("graphs", ProgressBar::Meter(VectorsWithGraph(i), i.documents, 30) + "  " +
                            std::to_string(VectorsWithGraph(i)) + "/" + std::to_string(i.documents) + " vectors");
  text += row("awaiting graph", Plural(i.vectors_awaiting_graph, "vector", "vectors") +
                                    (i.vectors_awaiting_graph > 0 ? " (searched exactly meanwhile)" : ""));
  text += row("worker", i.indexing ? ctx.Paint("indexing", style::kYellow) : std::string("idle"));
  Out(text);
}

int RunIndexStatus(const Context& ctx, const IndexArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  const std::string name = BranchOrHead(**repo, o.branch);
  GITMEM_TRY_OR_FAIL(ctx, info, BranchIndex(**repo, name));
  PrintIndex(ctx, name, *info);
  return 0;
}

int RunIndexWait(const Context& ctx, const IndexArgs& o) {
  using Clock = std::chrono::steady_clock;
  const double seconds = o.timeout.empty() ? -1 : std::strtod(o.timeout.c_str(), nullptr);  // checked by kSeconds
  // A billion seconds (31 years) and more: no limit, and no overflow of the clock.
  const bool limited = seconds >= 0 && seconds < 1e9;
  const auto deadline =
      Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(limited ? seconds : 0));
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  const std::string name = BranchOrHead(**repo, o.branch);
  ProgressBar bar("indexing " + name, "vectors");
  for (;;) {
    // Each round: how far the graphs are (for the bar), then a short wait.
    GITMEM_TRY_OR_FAIL(ctx, info, BranchIndex(**repo, name));
    bar.Update(VectorsWithGraph(*info), info->documents);
    int64_t slice = kPollMs;
    if (limited) {
      const auto left = std::chrono::ceil<std::chrono::milliseconds>(deadline - Clock::now()).count();
      if (left <= 0) {
        if (Complete(*info)) break;  // finished as the time ran out
        bar.Finish();
        return ctx.Fail(Status::Busy("the search index of branch '" + name + "' is still being built after " +
                                     o.timeout + " s (" + std::to_string(info->vectors_awaiting_graph) + " of " +
                                     std::to_string(info->documents) +
                                     " vectors await their graph; searches scan them exactly meanwhile)"));
      }
      slice = std::min<int64_t>(slice, left);
    }
    Status s = (*repo)->WaitForIndex(name, slice);
    if (s.ok()) break;
    if (s.code() != Status::Code::kBusy) {
      bar.Finish();
      return ctx.Fail(s);
    }
  }
  bar.Finish();
  GITMEM_TRY_OR_FAIL(ctx, info, BranchIndex(**repo, name));
  if (ctx.options.json) {
    PrintIndex(ctx, name, *info);
  } else {
    Out("Search index of branch " + name + " is up to date: " + Plural(info->documents, "memory", "memories") +
        ", every vector has its graph\n");
  }
  return 0;
}

/// A number of seconds: finite and >= 0.
const CLI::Validator kSeconds(
    [](std::string& v) -> std::string {
      char* end = nullptr;
      const double d = std::strtod(v.c_str(), &end);
      if (v.empty() || end == v.c_str() || *end != '\0' || !std::isfinite(d) || d < 0)
        return "'" + v + "' is not a number of seconds >= 0 (leave --timeout out to wait without a limit)";
      return {};
    },
    "");

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

void AddIndex(CLI::App& app, std::vector<Command>* out) {
  CLI::App* index = app.add_subcommand("index", "Show or wait for the background search indexer");
  index->require_subcommand(1);
  auto [status, so] =
      Define(*index, out, "status", "Show a branch's search index: segments, graphs still being built, worker",
             RunIndexStatus);
  status->add_option("--branch", so->branch, "Branch (default: HEAD's)");
  status->footer(
      "Prints documents, segments, the vectors whose approximate (HNSW) graph the background\n"
      "worker is still building (searches scan them exactly meanwhile) and whether it is busy;\n"
      "--json prints {\"branch\", \"index\"}.");
  auto [wait, wo] =
      Define(*index, out, "wait", "Wait until the background indexer has finished a branch", RunIndexWait);
  wait->add_option("--branch", wo->branch, "Branch (default: HEAD's)");
  wait->add_option("--timeout", wo->timeout, "Give up after SECONDS (default: no limit)")
      ->check(kSeconds)
      ->type_name("SECONDS");
  wait->footer(
      "Draws a progress bar on a terminal while graphs are built. Exit 0 when the index is\n"
      "complete, 1 when --timeout passes first (the indexer keeps working).\n"
      "Examples:\n"
      "  gitmem import big.jsonl && gitmem index wait\n"
      "  gitmem index wait --branch main --timeout 30\n");
}

}  // namespace gitmem::cli
