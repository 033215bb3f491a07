// `gitmem merge`, `cherry-pick` and `revert`.
#include <iostream>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "reads.h"

namespace gitmem::cli {

namespace {

// --strategy: the engine's names, with '-' for '_' as people type them on a command line.
const std::vector<std::string> kStrategies = {"fail", "ours", "theirs", "newest", "most-important", "most_important"};

struct MergeFlags {
  std::string into, strategy = "fail", author;
  std::vector<std::string> messages;
  void Add(CLI::App* cmd, bool message) {
    cmd->add_option("--into", into, "Branch to change (default: HEAD's)")->type_name("BRANCH");
    cmd->add_option("-s,--strategy", strategy,
                    "How to settle memories both sides changed: fail (report them, change nothing), ours, theirs, "
                    "newest, most-important")
        ->check(OneOf({"fail", "ours", "theirs", "newest", "most-important"}))
        ->capture_default_str()
        ->type_name("STRATEGY");
    if (message)
      cmd->add_option("-m,--message", messages, "Commit message (default: a generated one)")->allow_extra_args(false);
    cmd->add_option("--author", author, "Author of the commit");
  }
  MergeOptions Get() const {
    MergeOptions mo;
    mo.into = into;
    std::string s = strategy;
    for (char& c : s)
      if (c == '-') c = '_';
    mo.strategy = *ParseMergeStrategy(s);
    for (const auto& m : messages) mo.message += (mo.message.empty() ? "" : "\n\n") + m;
    mo.author = author;
    return mo;
  }
};

std::string Side(const Context& ctx, const std::optional<Memory>& m, const char* absent) {
  return m ? Preview(m->content, 60) : ctx.Paint(absent, style::kDim);
}

// Which side a settled conflict kept: "ours", "theirs", "deleted" or "merged".
std::string Kept(const MergeConflict& c) {
  if (!c.resolution) return "deleted";
  const Json r = ToJson(*c.resolution);
  if (c.ours && ToJson(*c.ours) == r) return "ours";
  if (c.theirs && ToJson(*c.theirs) == r) return "theirs";
  return "merged";
}

std::string ConflictText(const Context& ctx, const MergeConflict& c, bool settled) {
  std::string t = settled ? ctx.Paint("settled", style::kGreen) + " (" + std::string(ToString(c.kind)) +
                                "): " + ctx.Paint(c.id, style::kYellow) + " -> " + Kept(c) + "\n"
                          : ctx.Paint("CONFLICT", style::kRed) + " (" + std::string(ToString(c.kind)) +
                                "): " + ctx.Paint(c.id, style::kYellow) + "\n";
  t += "  base:   " +
       (c.base_ambiguous ? ctx.Paint("(the merge bases disagree)", style::kDim)
                         : Side(ctx, c.base, "(not in the base)")) +
       "\n";
  t += "  ours:   " + Side(ctx, c.ours, "(deleted)") + "\n";
  t += "  theirs: " + Side(ctx, c.theirs, "(deleted)") + "\n";
  return t;
}

std::string Changed(uint64_t n) { return std::to_string(n) + (n == 1 ? " memory changed" : " memories changed"); }

// merge, cherry-pick and revert share their output.
int Report(const Context& ctx, Repository& repo, std::string_view op, const std::string& source,
           const std::string& into, const MergeOptions& mo, const std::optional<ObjectId>& old_head,
           const MergeResult& r) {
  if (ctx.options.json) ctx.PrintJson(MergeJson(op, source, into, mo.strategy, r));
  const std::string what = std::string(op) == "merge" ? "merge of '" + source + "' into '" + into + "'"
                                                      : std::string(op) + " of " + source + " onto '" + into + "'";
  if (r.has_conflicts()) {
    if (!ctx.options.json) {
      std::string text;
      for (const MergeConflict& c : r.conflicts) text += ConflictText(ctx, c, false);
      Out(text);
    }
    return ctx.Fail(Status::Conflict(what + " stopped: " + std::to_string(r.conflicts.size()) + " conflict" +
                                     (r.conflicts.size() == 1 ? "" : "s") +
                                     ", nothing changed; choose --strategy ours|theirs|newest|most-important"));
  }
  if (ctx.options.json) return 0;
  std::string text;
  if (r.up_to_date) {
    text = "Already up to date.\n";
  } else if (r.fast_forward) {
    text = "Updating " + (old_head ? ShortId(*old_head) : std::string("(no commits)")) + ".." + ShortId(r.commit) +
           "\nFast-forward: " + into + " now at " + ShortId(r.commit) + ", " + Changed(r.changes_applied) + "\n";
  } else {
    auto c = repo.Show(r.commit.hex());
    text = "[" + into + " " + ctx.Paint(ShortId(r.commit), style::kYellow) + "] " +
           (c.ok() ? FirstLine(c->message) : std::string()) + "\n " + Changed(r.changes_applied);
    if (!r.conflicts.empty())
      text += "; " + std::to_string(r.conflicts.size()) + (r.conflicts.size() == 1 ? " conflict" : " conflicts") +
              " settled by the '" + std::string(ToString(mo.strategy)) + "' strategy";
    text += "\n";
    for (const MergeConflict& k : r.conflicts) text += ConflictText(ctx, k, true);
  }
  Out(text);
  return 0;
}

// The arguments of merge, cherry-pick and revert; `op` names the command.
struct MergeArgs {
  std::string op, source;
  MergeFlags f;
  bool no_ff = false;
};

int RunMergeLike(const Context& ctx, const MergeArgs& o) {
  MergeOptions mo = o.f.Get();
  mo.allow_fast_forward = !o.no_ff;
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  const std::string into = BranchOrHead(**repo, mo.into);
  std::optional<ObjectId> old_head;
  if (auto h = (*repo)->Resolve(into); h.ok()) old_head = *h;
  auto r = o.op == "merge"         ? (*repo)->Merge(o.source, mo)
           : o.op == "cherry-pick" ? (*repo)->CherryPick(o.source, mo)
                                   : (*repo)->Revert(o.source, mo);
  if (!r.ok()) return ctx.Fail(r.status());
  return Report(ctx, **repo, o.op, o.source, into, mo, old_head, *r);
}

void AddMergeLike(CLI::App& app, std::vector<Command>* out, const std::string& op) {
  const char* help = op == "merge"         ? "Join another branch's history into a branch (three-way, by memory)"
                     : op == "cherry-pick" ? "Apply the change one commit made to a branch, as a new commit"
                                           : "Undo the change one commit made, with a new commit";
  auto [cmd, o] = Define(app, out, op, help, RunMergeLike);
  o->op = op;
  cmd->add_option(op == "merge" ? "source" : "commit", o->source,
                  op == "merge" ? "Branch, tag or commit to merge" : "Commit (id, prefix, branch, tag, REV~N)")
      ->required();
  o->f.Add(cmd, true);
  if (op == "merge") {
    cmd->add_flag("--no-ff", o->no_ff, "Always write a merge commit, even when a fast-forward would do");
    cmd->footer(
        "With --strategy fail (the default) a merge that meets conflicts prints each one (base, ours,\n"
        "theirs), changes nothing and exits 1; run it again with a strategy to settle them:\n"
        "  ours / theirs       keep the target's / the source's version\n"
        "  newest              the later memory (by timestamp)\n"
        "  most-important      the higher importance (a deletion never beats a kept memory)\n"
        "Examples:\n"
        "  gitmem merge experiment\n"
        "  gitmem merge experiment --into main --strategy newest -m \"adopt the experiment\"\n");
  }
}

}  // namespace

void AddMerge(CLI::App& app, std::vector<Command>* out) { AddMergeLike(app, out, "merge"); }
void AddCherryPick(CLI::App& app, std::vector<Command>* out) { AddMergeLike(app, out, "cherry-pick"); }
void AddRevert(CLI::App& app, std::vector<Command>* out) { AddMergeLike(app, out, "revert"); }

}  // namespace gitmem::cli
