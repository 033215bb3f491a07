// `gitmem fsck`, `gc` and `stats`: checking, cleaning and measuring the store.
#include <map>
#include <memory>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "progress.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

struct FsckArgs {
  bool all = false, all_objects = false;
};

int RunFsck(const Context& ctx, const FsckArgs& o) {
  if (o.all_objects && !o.all) return ctx.Usage("fsck", "--all-objects needs --all");
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  Result<gitmem::FsckReport> report = Status::Internal("unset");
  if (o.all) {
    ProgressBar bar("fsck", "objects");
    FsckOptions fo;
    fo.all_objects = o.all_objects;
    fo.progress = bar.Callback();
    report = (*repo)->FsckAll(fo);
  } else {
    report = (*repo)->Fsck();
  }
  if (!report.ok()) return ctx.Fail(report.status());
  if (ctx.options.json) {
    Json j = ToJson(*report);
    j["scope"] = o.all ? "store" : "repository";
    ctx.PrintJson(j);
  } else {
    std::string text = "checked " + std::to_string(report->objects_checked) + " objects (" +
                       std::to_string(report->commits) + " commits, " + std::to_string(report->trees) +
                       " tree nodes, " + std::to_string(report->blobs) + " memories)" +
                       (o.all ? " in the whole store" : "") + "\n";
    for (const auto& p : report->problems) text += ctx.Paint("problem: ", style::kRed) + p + "\n";
    text += report->ok() ? "ok\n" : std::to_string(report->problems.size()) + " problems found\n";
    Out(text);
  }
  if (!report->ok()) {
    std::cout.flush();
    std::cerr << "gitmem: fsck found " << report->problems.size() << " problems\n";
    return 1;
  }
  return 0;
}

struct GcArgs {
  bool dry_run = false;
};

int RunGc(const Context& ctx, const GcArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  ProgressBar bar("gc", "objects");
  GcOptions go;
  go.dry_run = o.dry_run;
  go.progress = bar.Callback();
  auto r = (*repo)->Gc(go);
  bar.Finish();
  if (!r.ok()) return ctx.Fail(r.status());
  if (ctx.options.json) {
    Json j = ToJson(*r);
    j["dry_run"] = o.dry_run;
    ctx.PrintJson(j);
    return 0;
  }
  Out(std::string(o.dry_run ? "Would free " : "Freed ") + std::to_string(r->objects_freed) + " object" +
      (r->objects_freed == 1 ? "" : "s") + " (" + HumanBytes(r->bytes_freed) + ") of " +
      std::to_string(r->objects_scanned) + " scanned; " + std::to_string(r->objects_reachable) + " reachable" +
      (r->session_entries_freed > 0 ? "; " + std::to_string(r->session_entries_freed) + " session index entries"
                                    : std::string()) +
      (r->index_bytes_freed > 0 ? "; search index data " + HumanBytes(r->index_bytes_freed) + " (" +
                                      std::to_string(r->index_snapshots_freed) + " snapshots, " +
                                      std::to_string(r->vectors_freed) + " vectors)"
                                : std::string()) +
      "\n");
  return 0;
}

int RunStats(const Context& ctx, const ReadFlags& at) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  ListOptions lo;
  lo.at = at.Get();
  GITMEM_TRY_OR_FAIL(ctx, memories, (*repo)->List(lo));
  std::map<std::string, uint64_t> by_type, by_scope, by_tag, by_agent;
  std::set<std::string> sessions;
  for (const auto& t : kTypes) by_type[t] = 0;
  for (const auto& s : kScopes) by_scope[s] = 0;
  for (const auto& m : *memories) {
    ++by_type[std::string(ToString(m.type))];
    ++by_scope[std::string(ToString(m.scope))];
    for (const auto& t : m.tags) ++by_tag[t];
    ++by_agent[m.agent_id.empty() ? "(none)" : m.agent_id];
    if (!m.session_id.empty()) sessions.insert(m.session_id);
  }
  auto branches = (*repo)->ListBranches();
  auto tags = (*repo)->ListTags();
  LogOptions log;
  log.first_parent = false;
  auto commits = (*repo)->Log(log);
  if (!branches.ok()) return ctx.Fail(branches.status());
  if (!tags.ok()) return ctx.Fail(tags.status());
  if (!commits.ok()) return ctx.Fail(commits.status());
  if (ctx.options.json) {
    ctx.PrintJson({{"memories", memories->size()},
                   {"sessions", sessions.size()},
                   {"commits", commits->size()},
                   {"branches", branches->size()},
                   {"tags", tags->size()},
                   {"by_type", by_type},
                   {"by_scope", by_scope},
                   {"by_tag", by_tag},
                   {"by_agent", by_agent}});
    return 0;
  }
  auto table = [&](const std::string& title, const std::map<std::string, uint64_t>& counts) {
    std::string t = ctx.Paint(title, style::kBold) + "\n";
    std::vector<std::pair<std::string, uint64_t>> rows(counts.begin(), counts.end());
    std::stable_sort(rows.begin(), rows.end(), [](auto& a, auto& b) { return a.second > b.second; });
    for (auto& [k, n] : rows) {
      std::string num = std::to_string(n);
      t += "  " + std::string(num.size() < 8 ? 8 - num.size() : 0, ' ') + num + "  " + k + "\n";
    }
    return t;
  };
  std::string text = "memories " + std::to_string(memories->size()) + ", sessions " + std::to_string(sessions.size()) +
                     ", commits " + std::to_string(commits->size()) + " (from HEAD), branches " +
                     std::to_string(branches->size()) + ", tags " + std::to_string(tags->size()) + "\n";
  text += table("by type", by_type) + table("by scope", by_scope);
  if (!by_tag.empty()) text += table("by tag", by_tag);
  text += table("by agent", by_agent);
  Out(text);
  return 0;
}

}  // namespace

void AddFsck(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] =
      Define(app, out, "fsck", "Verify every object reachable from the repository (exit 1 on problems)", RunFsck);
  cmd->add_flag("--all", o->all, "The whole store: every repository's refs and staged changes, and their records");
  cmd->add_flag("--all-objects", o->all_objects, "With --all: also verify unreachable objects");
}

void AddGc(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] =
      Define(app, out, "gc", "Free the objects that no branch, tag or staged change of any repository reaches", RunGc);
  cmd->add_flag("-n,--dry-run", o->dry_run, "Only report what would be freed");
  cmd->footer("Safe while other readers and writers work; covers every repository in the store.\n");
}

void AddStats(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, at] = Define(app, out, "stats", "Counts of memories by type, scope, tag and agent", RunStats);
  at->Add(cmd);
}

}  // namespace gitmem::cli
