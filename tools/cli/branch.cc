// `gitmem branch`, `checkout`, `reset` and `tag`.
#include <memory>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "reads.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

// Prints the branch or tag (`what`) `name` just created and the commit it points at, which
// JSON calls `key`.
int ReportCreated(const Context& ctx, const Repository& repo, const char* what, const char* key,
                  const std::string& name) {
  auto at = repo.Resolve(name);
  if (ctx.options.json)
    ctx.PrintJson({{"created", name}, {key, at.ok() ? Json(at->hex()) : Json(nullptr)}});
  else
    Out("Created " + std::string(what) + " " + name + (at.ok() ? " at " + ShortId(*at) : "") + "\n");
  return 0;
}

struct BranchArgs {
  std::vector<std::string> args;
  bool del = false, move = false, verbose = false;
};

int RunBranch(const Context& ctx, const BranchArgs& o) {
  if (o.del && o.move) return ctx.Usage("branch", "-d and -m cannot be used together");
  const auto& args = o.args;
  if (o.del) {
    if (args.empty()) return ctx.Usage("branch", "-d needs the name of a branch");
    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
    for (const auto& name : args) {
      auto head = (*repo)->Resolve(name);
      GITMEM_CHECK_OR_FAIL(ctx, (*repo)->DeleteBranch(name));
      if (!ctx.options.json) Out("Deleted branch " + name + (head.ok() ? " (was " + ShortId(*head) + ")" : "") + "\n");
    }
    if (ctx.options.json) ctx.PrintJson({{"deleted", args}});
    return 0;
  }
  if (o.move) {
    if (args.empty() || args.size() > 2) return ctx.Usage("branch", "-m takes [OLD] NEW");
    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
    const std::string from = args.size() == 2 ? args[0] : (*repo)->CurrentBranch();
    const std::string& to = args.back();
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->RenameBranch(from, to));
    if (ctx.options.json)
      ctx.PrintJson({{"renamed", from}, {"to", to}});
    else
      Out("Renamed branch " + from + " to " + to + "\n");
    return 0;
  }
  if (!args.empty()) {
    if (args.size() > 2) return ctx.Usage("branch", "expected NAME [START]");
    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
    const std::string start = args.size() == 2 ? args[1] : "";
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->CreateBranch(args[0], start));
    return ReportCreated(ctx, **repo, "branch", "head", args[0]);
  }
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, branches, (*repo)->ListBranches());
  size_t width = 0;
  for (const auto& b : *branches) width = std::max(width, b.name.size());
  return ctx.PrintList(*branches, [&](const BranchInfo& b) {
    std::string name = b.name;
    name.resize(width, ' ');
    std::string line = b.is_current ? "* " + ctx.Paint(name, style::kGreen) : "  " + name;
    line += "  " + ctx.Paint(b.head.is_zero() ? std::string("(no commits)") : ShortId(b.head), style::kYellow);
    if (o.verbose && !b.head.is_zero()) {
      if (auto c = (*repo)->Show(b.head.hex()); c.ok()) line += " " + FirstLine(c->message);
    }
    if (b.staged > 0) line += ctx.Paint("  [" + std::to_string(b.staged) + " staged]", style::kDim);
    return line + "\n";
  });
}

struct CheckoutArgs {
  std::string branch, start;
  bool create = false;
};

int RunCheckout(const Context& ctx, const CheckoutArgs& o) {
  if (!o.start.empty() && !o.create) return ctx.Usage("checkout", "a start point needs -b");
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  if (o.create) {
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->CreateBranch(o.branch, o.start));
  }
  const bool already = (*repo)->CurrentBranch() == o.branch;
  GITMEM_CHECK_OR_FAIL(ctx, (*repo)->Checkout(o.branch));
  if (ctx.options.json) {
    ctx.PrintJson({{"branch", o.branch}, {"created", o.create}});
  } else if (already) {
    Out("Already on '" + o.branch + "'\n");
  } else {
    Out(std::string(o.create ? "Switched to a new branch '" : "Switched to branch '") + o.branch + "'\n");
  }
  return 0;
}

struct ResetArgs {
  std::string rev, branch;
  bool hard = false;
};

int RunReset(const Context& ctx, const ResetArgs& o) {
  if (o.rev.empty() && !o.hard)
    return ctx.Usage("reset", "nothing to do: give a revision, or --hard to drop the staged changes");
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  const std::string branch = BranchOrHead(**repo, o.branch);
  Json result = {{"branch", branch}};
  std::string text;
  if (!o.rev.empty()) {
    GITMEM_TRY_OR_FAIL(ctx, target, (*repo)->Resolve(o.rev));
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->Reset(branch, target->hex()));
    result["head"] = target->hex();
    auto c = (*repo)->Show(target->hex());
    text += "Branch " + branch + " is now at " + ShortId(*target) + (c.ok() ? " " + FirstLine(c->message) : "") + "\n";
  }
  if (o.hard) {
    GITMEM_TRY_OR_FAIL(ctx, staged, (*repo)->Staged(branch));
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->DiscardStaged(branch));
    result["discarded"] = staged->size();
    text += "Dropped " + std::to_string(staged->size()) + " staged change" + (staged->size() == 1 ? "" : "s") +
            " on branch " + branch + "\n";
  }
  if (ctx.options.json)
    ctx.PrintJson(result);
  else
    Out(text);
  return 0;
}

struct TagArgs {
  std::vector<std::string> args;
  bool del = false;
};

int RunTag(const Context& ctx, const TagArgs& o) {
  const auto& args = o.args;
  if (o.del) {
    if (args.empty()) return ctx.Usage("tag", "-d needs the name of a tag");
    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
    for (const auto& name : args) {
      GITMEM_CHECK_OR_FAIL(ctx, (*repo)->DeleteTag(name));
      if (!ctx.options.json) Out("Deleted tag " + name + "\n");
    }
    if (ctx.options.json) ctx.PrintJson({{"deleted", args}});
    return 0;
  }
  if (!args.empty()) {
    if (args.size() > 2) return ctx.Usage("tag", "expected NAME [REV]");
    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->CreateTag(args[0], args.size() == 2 ? args[1] : ""));
    return ReportCreated(ctx, **repo, "tag", "target", args[0]);
  }
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, tags, (*repo)->ListTags());
  return ctx.PrintList(*tags, [&](const TagInfo& t) {
    std::string line = t.name + "  " + ctx.Paint(ShortId(t.target), style::kYellow);
    if (auto c = (*repo)->Show(t.target.hex()); c.ok()) line += " " + FirstLine(c->message);
    return line + "\n";
  });
}

}  // namespace

void AddBranch(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "branch", "List, create, delete or rename branches", RunBranch);
  cmd->add_option("args", o->args, "NAME [START] to create; with -d: NAMES; with -m: [OLD] NEW");
  cmd->add_flag("-d,-D,--delete", o->del, "Delete branches");
  cmd->add_flag("-m,-M,--move", o->move, "Rename a branch (HEAD's when OLD is omitted)");
  cmd->add_flag("-v,--verbose", o->verbose, "With the last commit's message");
  cmd->footer(
      "Examples:\n"
      "  gitmem branch                  # list\n"
      "  gitmem branch experiment       # create at HEAD\n"
      "  gitmem branch old-state v1     # create at a tag or commit\n"
      "  gitmem branch -m experiment trial\n"
      "  gitmem branch -d trial\n");
}

void AddCheckout(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "checkout", "Point HEAD at a branch", RunCheckout);
  cmd->add_option("branch", o->branch, "Branch to check out")->required();
  cmd->add_option("start", o->start, "With -b: where the new branch starts (default: HEAD)");
  cmd->add_flag("-b", o->create, "Create the branch first");
}

void AddReset(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "reset", "Move a branch to a commit, or drop its staged changes", RunReset);
  cmd->add_option("rev", o->rev, "Commit to move the branch to (its staged changes are kept)");
  cmd->add_option("--branch", o->branch, "Branch to move (default: HEAD's)");
  cmd->add_flag("--hard", o->hard, "Also drop the branch's staged changes");
  cmd->footer(
      "Examples:\n"
      "  gitmem reset HEAD~1          # undo the last commit (the memories it changed go back)\n"
      "  gitmem reset --hard          # drop everything staged\n");
}

void AddTag(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "tag", "List, create or delete tags", RunTag);
  cmd->add_option("args", o->args, "NAME [REV] to create; with -d: NAMES");
  cmd->add_flag("-d,--delete", o->del, "Delete tags");
}

}  // namespace gitmem::cli
