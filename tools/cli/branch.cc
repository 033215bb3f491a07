// `gitmem branch`, `checkout`, `reset` and `tag`.
#include <memory>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "timestamp.h"

namespace gitmem::cli {

void AddBranch(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("branch", "List, create, delete or rename branches");
  struct Opts {
    std::vector<std::string> args;
    bool del = false, move = false, verbose = false;
  };
  auto o = std::make_shared<Opts>();
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
  out->push_back({cmd, [o](Context& ctx) {
                    if (o->del && o->move) return ctx.Usage("branch", "-d and -m cannot be used together");
                    const auto& args = o->args;
                    if (o->del) {
                      if (args.empty()) return ctx.Usage("branch", "-d needs the name of a branch");
                      GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
                      for (const auto& name : args) {
                        auto head = (*repo)->Resolve(name);
                        Status s = (*repo)->DeleteBranch(name);
                        if (!s.ok()) return ctx.Fail(s);
                        if (!ctx.options.json)
                          Out("Deleted branch " + name + (head.ok() ? " (was " + ShortId(*head) + ")" : "") + "\n");
                      }
                      if (ctx.options.json) ctx.PrintJson({{"deleted", args}});
                      return 0;
                    }
                    if (o->move) {
                      if (args.empty() || args.size() > 2) return ctx.Usage("branch", "-m takes [OLD] NEW");
                      GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
                      const std::string from = args.size() == 2 ? args[0] : (*repo)->CurrentBranch();
                      const std::string& to = args.back();
                      Status s = (*repo)->RenameBranch(from, to);
                      if (!s.ok()) return ctx.Fail(s);
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
                      Status s = (*repo)->CreateBranch(args[0], start);
                      if (!s.ok()) return ctx.Fail(s);
                      auto head = (*repo)->Resolve(args[0]);
                      if (ctx.options.json)
                        ctx.PrintJson({{"created", args[0]}, {"head", head.ok() ? Json(head->hex()) : Json(nullptr)}});
                      else
                        Out("Created branch " + args[0] + (head.ok() ? " at " + ShortId(*head) : "") + "\n");
                      return 0;
                    }
                    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
                    GITMEM_TRY_OR_FAIL(ctx, branches, (*repo)->ListBranches());
                    if (ctx.PrintJsonList(*branches)) return 0;
                    size_t width = 0;
                    for (const auto& b : *branches) width = std::max(width, b.name.size());
                    std::string text;
                    for (const auto& b : *branches) {
                      std::string name = b.name;
                      name.resize(width, ' ');
                      text += b.is_current ? "* " + ctx.Paint(name, style::kGreen) : "  " + name;
                      text += "  " + ctx.Paint(b.head.is_zero() ? std::string("(no commits)") : ShortId(b.head),
                                               style::kYellow);
                      if (o->verbose && !b.head.is_zero()) {
                        if (auto c = (*repo)->Show(b.head.hex()); c.ok()) text += " " + FirstLine(c->message);
                      }
                      if (b.staged > 0) text += ctx.Paint("  [" + std::to_string(b.staged) + " staged]", style::kDim);
                      text += "\n";
                    }
                    Out(text);
                    return 0;
                  }});
}

void AddCheckout(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("checkout", "Point HEAD at a branch");
  struct Opts {
    std::string branch, start;
    bool create = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("branch", o->branch, "Branch to check out")->required();
  cmd->add_option("start", o->start, "With -b: where the new branch starts (default: HEAD)");
  cmd->add_flag("-b", o->create, "Create the branch first");
  out->push_back({cmd, [o](Context& ctx) {
                    if (!o->start.empty() && !o->create) return ctx.Usage("checkout", "a start point needs -b");
                    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
                    if (o->create) {
                      Status s = (*repo)->CreateBranch(o->branch, o->start);
                      if (!s.ok()) return ctx.Fail(s);
                    }
                    const bool already = (*repo)->CurrentBranch() == o->branch;
                    Status s = (*repo)->Checkout(o->branch);
                    if (!s.ok()) return ctx.Fail(s);
                    if (ctx.options.json) {
                      ctx.PrintJson({{"branch", o->branch}, {"created", o->create}});
                    } else if (already) {
                      Out("Already on '" + o->branch + "'\n");
                    } else {
                      Out(std::string(o->create ? "Switched to a new branch '" : "Switched to branch '") + o->branch +
                          "'\n");
                    }
                    return 0;
                  }});
}

void AddReset(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("reset", "Move a branch to a commit, or drop its staged changes");
  struct Opts {
    std::string rev, branch;
    bool hard = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("rev", o->rev, "Commit to move the branch to (its staged changes are kept)");
  cmd->add_option("--branch", o->branch, "Branch to move (default: HEAD's)");
  cmd->add_flag("--hard", o->hard, "Also drop the branch's staged changes");
  cmd->footer(
      "Examples:\n"
      "  gitmem reset HEAD~1          # undo the last commit (the memories it changed go back)\n"
      "  gitmem reset --hard          # drop everything staged\n");
  out->push_back({cmd, [o](Context& ctx) {
                    if (o->rev.empty() && !o->hard)
                      return ctx.Usage("reset", "nothing to do: give a revision, or --hard to drop the staged changes");
                    GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
                    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
                    Json result = {{"branch", branch}};
                    std::string text;
                    if (!o->rev.empty()) {
                      GITMEM_TRY_OR_FAIL(ctx, target, (*repo)->Resolve(o->rev));
                      Status s = (*repo)->Reset(branch, target->hex());
                      if (!s.ok()) return ctx.Fail(s);
                      result["head"] = target->hex();
                      auto c = (*repo)->Show(target->hex());
                      text += "Branch " + branch + " is now at " + ShortId(*target) +
                              (c.ok() ? " " + FirstLine(c->message) : "") + "\n";
                    }
                    if (o->hard) {
                      GITMEM_TRY_OR_FAIL(ctx, staged, (*repo)->Staged(branch));
                      Status s = (*repo)->DiscardStaged(branch);
                      if (!s.ok()) return ctx.Fail(s);
                      result["discarded"] = staged->size();
                      text += "Dropped " + std::to_string(staged->size()) + " staged change" +
                              (staged->size() == 1 ? "" : "s") + " on branch " + branch + "\n";
                    }
                    if (ctx.options.json)
                      ctx.PrintJson(result);
                    else
                      Out(text);
                    return 0;
                  }});
}

void AddTag(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("tag", "List, create or delete tags");
  struct Opts {
    std::vector<std::string> args;
    bool del = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("args", o->args, "NAME [REV] to create; with -d: NAMES");
  cmd->add_flag("-d,--delete", o->del, "Delete tags");
  out->push_back(
      {cmd, [o](Context& ctx) {
         const auto& args = o->args;
         if (o->del) {
           if (args.empty()) return ctx.Usage("tag", "-d needs the name of a tag");
           GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
           for (const auto& name : args) {
             Status s = (*repo)->DeleteTag(name);
             if (!s.ok()) return ctx.Fail(s);
             if (!ctx.options.json) Out("Deleted tag " + name + "\n");
           }
           if (ctx.options.json) ctx.PrintJson({{"deleted", args}});
           return 0;
         }
         if (!args.empty()) {
           if (args.size() > 2) return ctx.Usage("tag", "expected NAME [REV]");
           GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
           Status s = (*repo)->CreateTag(args[0], args.size() == 2 ? args[1] : "");
           if (!s.ok()) return ctx.Fail(s);
           auto target = (*repo)->Resolve(args[0]);
           if (ctx.options.json)
             ctx.PrintJson({{"created", args[0]}, {"target", target.ok() ? Json(target->hex()) : Json(nullptr)}});
           else
             Out("Created tag " + args[0] + (target.ok() ? " at " + ShortId(*target) : "") + "\n");
           return 0;
         }
         GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
         GITMEM_TRY_OR_FAIL(ctx, tags, (*repo)->ListTags());
         if (ctx.PrintJsonList(*tags)) return 0;
         std::string text;
         for (const auto& t : *tags) {
           text += t.name + "  " + ctx.Paint(ShortId(t.target), style::kYellow);
           if (auto c = (*repo)->Show(t.target.hex()); c.ok()) text += " " + FirstLine(c->message);
           text += "\n";
         }
         Out(text);
         return 0;
       }});
}

}  // namespace gitmem::cli
