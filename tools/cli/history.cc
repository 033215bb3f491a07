// `gitmem commit`, `status`, `log`, `show`, `diff` and `history`: recording changes and
// reading them back.
#include <map>
#include <memory>

#include "commands.h"
#include "format.h"
#include "graph.h"
#include "options.h"
#include "reads.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

// Commits of `heads` (their whole DAGs, or first-parent chains), newest first in
// topological order, at most `limit`.
Result<std::vector<CommitInfo>> CollectLog(const Repository& repo, const std::vector<std::string>& heads,
                                           bool first_parent, uint64_t limit) {
  std::map<ObjectId, CommitInfo> all;
  for (const std::string& h : heads) {
    LogOptions lo;
    lo.rev = h;
    lo.first_parent = first_parent;
    lo.limit = limit;
    GITMEM_ASSIGN_OR_RETURN(auto commits, repo.Log(lo));
    for (auto& c : commits) all.emplace(c.id, std::move(c));
  }
  std::vector<CommitInfo> list;
  for (auto& [id, c] : all) {
    if (first_parent && c.parents.size() > 1) c.parents.resize(1);
    list.push_back(std::move(c));
  }
  list = TopoOrder(std::move(list));
  if (list.size() > limit) list.resize(limit);
  return list;
}

std::string DiffText(const Context& ctx, const Diff& d, bool stat_only, bool name_only) {
  std::string text;
  if (!stat_only) {
    for (const DiffEntry& e : d.entries) {
      if (name_only) {
        const char* letter = e.kind == DiffEntry::Kind::kAdded ? "A" : e.kind == DiffEntry::Kind::kRemoved ? "D" : "M";
        text += std::string(letter) + "\t" + e.id + "\n";
      } else {
        text += DiffEntryText(ctx, e);
      }
    }
  }
  if (!name_only)
    text += std::to_string(d.added()) + " added, " + std::to_string(d.modified()) + " modified, " +
            std::to_string(d.removed()) + " removed\n";
  return text;
}

struct CommitArgs {
  std::vector<std::string> messages;
  std::string author, branch;
  bool allow_empty = false;
};

int RunCommit(const Context& ctx, const CommitArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  CommitOptions co;
  for (const auto& m : o.messages) co.message += (co.message.empty() ? "" : "\n\n") + m;
  co.author = o.author;
  co.branch = o.branch;
  co.allow_empty = o.allow_empty;
  GITMEM_TRY_OR_FAIL(ctx, id, (*repo)->Commit(co));
  GITMEM_TRY_OR_FAIL(ctx, c, (*repo)->Show(id->hex()));
  const std::string branch = BranchOrHead(**repo, o.branch);
  if (ctx.options.json) {
    Json j = ToJson(*c);
    j["branch"] = branch;
    ctx.PrintJson(j);
  } else {
    Out("[" + branch + (c->parents.empty() ? " (root-commit)" : "") + " " + ctx.Paint(ShortId(*id), style::kYellow) +
        "] " + FirstLine(c->message) + "\n " + std::to_string(c->added) + " added, " + std::to_string(c->modified) +
        " modified, " + std::to_string(c->removed) + " removed; " + std::to_string(c->memory_count) + " memories\n");
  }
  return 0;
}

struct LogArgs {
  std::vector<std::string> revs;
  bool oneline = false, graph = false, all = false, first_parent = false;
  int64_t limit = -1;
};

int RunLog(const Context& ctx, const LogArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  std::vector<std::string> heads = o.revs;
  if (o.all) {
    GITMEM_TRY_OR_FAIL(ctx, branches, (*repo)->ListBranches());
    for (const auto& b : *branches)
      if (!b.head.is_zero()) heads.push_back(b.head.hex());
    GITMEM_TRY_OR_FAIL(ctx, tags, (*repo)->ListTags());
    for (const auto& t : *tags) heads.push_back(t.target.hex());
  }
  if (heads.empty()) heads.push_back("");
  const uint64_t limit = o.limit < 0 ? UINT64_MAX : static_cast<uint64_t>(o.limit);
  GITMEM_TRY_OR_FAIL(ctx, commits, CollectLog(**repo, heads, o.first_parent, limit));
  if (ctx.PrintJsonList(*commits)) return 0;
  const Decorations deco = LoadDecorations(**repo);
  GraphRenderer graph;
  std::string text;
  for (size_t i = 0; i < commits->size(); ++i) {
    const CommitInfo& c = (*commits)[i];
    GraphStep step;
    if (o.graph) step = graph.Next(c.id, c.parents);
    for (const auto& row : step.before) text += row + "\n";
    const std::string counts = ChangeCounts(ctx, c.added, c.modified, c.removed);
    if (o.oneline) {
      text += step.commit + ctx.Paint(ShortId(c.id), style::kYellow) + Decorate(ctx, deco, c.id) + " " +
              FirstLine(c.message) + " " + ctx.Paint("[", style::kDim) + counts + ctx.Paint("]", style::kDim) + "\n";
      for (const auto& row : step.after) text += row + "\n";
    } else {
      text += step.commit + ctx.Paint("commit " + c.id.hex(), style::kYellow) + Decorate(ctx, deco, c.id) + "\n";
      for (const auto& row : step.after) text += row + "\n";
      const std::string& pad = step.padding;
      if (c.parents.size() > 1) {
        std::string merge = "Merge:";
        for (const auto& p : c.parents) merge += " " + ShortId(p);
        text += pad + merge + "\n";
      }
      text += pad + "Author: " + c.author + "\n";
      text += pad + "Date:   " + FormatLocal(c.timestamp_us) + "\n";
      text += pad + "Memories: " + std::to_string(c.memory_count) + " (" + counts + ")\n";
      text += pad + "\n";
      size_t start = 0;
      while (start <= c.message.size()) {
        size_t nl = c.message.find('\n', start);
        if (nl == std::string::npos) nl = c.message.size();
        text += pad + "    " + c.message.substr(start, nl - start) + "\n";
        start = nl + 1;
      }
      if (i + 1 < commits->size()) text += (o.graph ? pad : std::string()) + "\n";
    }
    for (const auto& row : step.settle) text += row + "\n";
  }
  // Trailing spaces of graph padding lines are noise.
  std::string cleaned;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    std::string line = text.substr(start, nl - start);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    cleaned += line + "\n";
    start = nl + 1;
  }
  Out(cleaned);
  return 0;
}

struct ShowArgs {
  std::string rev = "HEAD";
  bool stat = false, name_only = false;
};

int RunShow(const Context& ctx, const ShowArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, c, (*repo)->Show(o.rev));
  GITMEM_TRY_OR_FAIL(ctx, d, CommitDiff(**repo, *c));
  if (ctx.options.json) {
    ctx.PrintJson({{"commit", ToJson(*c)}, {"diff", ToJson(*d)}});
    return 0;
  }
  const Decorations deco = LoadDecorations(**repo);
  std::string text = ctx.Paint("commit " + c->id.hex(), style::kYellow) + Decorate(ctx, deco, c->id) + "\n";
  if (c->parents.size() > 1) {
    text += "Merge:";
    for (const auto& p : c->parents) text += " " + ShortId(p);
    text += "\n";
  }
  text += "Author: " + c->author + "\nDate:   " + FormatLocal(c->timestamp_us) + "\nTree:   " + c->tree.hex() +
          "\nMemories: " + std::to_string(c->memory_count) + "\n\n";
  size_t start = 0;
  while (start <= c->message.size()) {
    size_t nl = c->message.find('\n', start);
    if (nl == std::string::npos) nl = c->message.size();
    text += "    " + c->message.substr(start, nl - start) + "\n";
    start = nl + 1;
  }
  text += "\n" + DiffText(ctx, *d, o.stat, o.name_only);
  Out(text);
  return 0;
}

struct DiffArgs {
  std::string a, b;
  bool stat = false, name_only = false;
};

int RunDiff(const Context& ctx, const DiffArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  ReadOptions a, b;
  a.rev = o.a.empty() ? "HEAD" : o.a;
  b.rev = o.b;
  GITMEM_TRY_OR_FAIL(ctx, d, DiffStates(**repo, a, b));
  if (ctx.options.json)
    ctx.PrintJson(ToJson(*d));
  else
    Out(DiffText(ctx, *d, o.stat, o.name_only));
  return 0;
}

struct HistoryArgs {
  std::string id, at;
};

int RunHistory(const Context& ctx, const HistoryArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, versions, (*repo)->History(o.id, o.at));
  if (versions->empty() && !ctx.options.json)
    return ctx.Fail(Status::NotFound("memory '" + o.id + "' has no committed history"));
  return ctx.PrintList(*versions, [&](const MemoryVersion& v) {
    return ctx.Paint(ShortId(v.commit.id), style::kYellow) + " " +
           ctx.Paint(FormatLocal(v.commit.timestamp_us), style::kDim) + " " + FirstLine(v.commit.message) + "\n    " +
           (v.memory ? Preview(v.memory->content) : ctx.Paint("(deleted)", style::kRed)) + "\n";
  });
}

int RunStatus(const Context& ctx, const std::string& branch_opt) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  const std::string branch = BranchOrHead(**repo, branch_opt);
  GITMEM_TRY_OR_FAIL(ctx, staged, (*repo)->Staged(branch));
  std::optional<ObjectId> head;
  if (auto h = (*repo)->Resolve(branch); h.ok()) head = *h;
  struct Row {
    std::string change;
    const StagedChange* s;
  };
  std::vector<Row> rows;
  for (const StagedChange& s : *staged) {
    std::string change = "deleted";
    if (!s.deleted) {
      change = "added";
      if (head) {
        ReadOptions at;
        at.rev = head->hex();
        if ((*repo)->Get(s.id, at).ok()) change = "modified";
      }
    }
    rows.push_back({change, &s});
  }
  if (ctx.options.json) {
    Json list = Json::array();
    for (const Row& r : rows) {
      Json j = {{"id", r.s->id}, {"change", r.change}};
      j["memory"] = r.s->memory ? ToJson(*r.s->memory) : Json(nullptr);
      list.push_back(j);
    }
    ctx.PrintJson({{"repository", (*repo)->name()},
                   {"branch", branch},
                   {"head", head ? Json(head->hex()) : Json(nullptr)},
                   {"staged", list}});
    return 0;
  }
  std::string text = "On branch " + ctx.Paint(branch, style::kBold) + "\n";
  if (!head) text += "No commits yet\n";
  if (rows.empty()) {
    text += "nothing staged, nothing to commit\n";
  } else {
    text += "Changes to be committed (" + std::to_string(rows.size()) + "):\n";
    for (const Row& r : rows) {
      const char* colour = r.change == "added" ? style::kGreen : r.change == "deleted" ? style::kRed : style::kYellow;
      std::string label = r.change + ":";
      label.resize(10, ' ');
      text += "  " + ctx.Paint(label, colour) + ctx.Paint(r.s->id, colour);
      if (r.s->memory) text += "  " + Preview(r.s->memory->content, 60);
      text += "\n";
    }
    text += "(use 'gitmem commit -m <message>' to commit, 'gitmem reset --hard' to drop them)\n";
  }
  Out(text);
  return 0;
}

}  // namespace

void AddCommit(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "commit", "Record the staged changes of a branch", RunCommit);
  cmd->add_option("-m,--message", o->messages, "Commit message (repeat for paragraphs)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--author", o->author, "Author of the commit (default: GITMEM_AUTHOR or 'gitmem')");
  cmd->add_option("--branch", o->branch, "Commit this branch's staged changes (default: HEAD's)");
  cmd->add_flag("--allow-empty", o->allow_empty, "Commit even when nothing is staged");
}

void AddStatus(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, branch_opt] = Define(app, out, "status", "Show the branch and its staged changes", RunStatus);
  cmd->add_option("--branch", *branch_opt, "Branch to look at (default: HEAD's)");
}

void AddLog(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "log", "Show commits, newest first", RunLog);
  cmd->add_option("rev", o->revs, "Where to start (default: HEAD); several revisions show their union");
  cmd->add_flag("--oneline", o->oneline, "One line per commit");
  cmd->add_flag("--graph", o->graph, "Draw the commit graph");
  cmd->add_flag("--all", o->all, "Every branch and tag, not just HEAD");
  cmd->add_flag("--first-parent", o->first_parent, "Follow only the first parent of merges");
  cmd->add_option("-n,--max-count", o->limit, "Show at most N commits")->check(CLI::NonNegativeNumber);
}

void AddShow(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "show", "Show a commit and what it changed", RunShow);
  cmd->add_option("rev", o->rev, "Commit to show")->capture_default_str();
  cmd->add_flag("--stat", o->stat, "Only the counts of changes");
  cmd->add_flag("--name-only", o->name_only, "Only the changed ids");
}

void AddDiff(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "diff", "Show the changes between two states", RunDiff);
  cmd->add_option("a", o->a, "From (default: HEAD's last commit)");
  cmd->add_option("b", o->b, "To (default: HEAD's branch with its staged changes)");
  cmd->add_flag("--stat", o->stat, "Only the counts of changes");
  cmd->add_flag("--name-only", o->name_only, "Only the changed ids, each with A, M or D");
  cmd->footer(
      "A branch name means its working state (last commit plus staged changes); BRANCH~0 means its last\n"
      "commit alone. With no arguments: the staged changes of HEAD's branch.\n"
      "Examples:\n"
      "  gitmem diff                 # what a commit would record\n"
      "  gitmem diff main feature    # from main to feature\n"
      "  gitmem diff HEAD~2 HEAD     # the last two commits\n");
}

void AddHistory(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "history", "Every committed version of one memory, newest first", RunHistory);
  cmd->add_option("id", o->id, "Id of the memory")->required();
  cmd->add_option("--at", o->at, "Follow this revision's first-parent history (default: HEAD)");
}

}  // namespace gitmem::cli
