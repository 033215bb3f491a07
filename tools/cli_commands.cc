#include "cli_commands.h"

#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <iostream>
#include <iterator>
#include <map>
#include <memory>
#include <set>

#include "graph.h"
#include "cli_options.h"
#include "mcp_server.h"
#include "progress.h"
#include "text_format.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

// ---- option helpers -------------------------------------------------------------------

std::string ReadStdin() {
  std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// TYPE:TARGET[:STRENGTH]
Result<Relation> ParseRelation(const std::string& text) {
  const size_t c1 = text.find(':');
  if (c1 == std::string::npos) return Status::InvalidArgument("--relation '" + text + "': expected TYPE:TARGET[:STRENGTH]");
  Relation r;
  GITMEM_ASSIGN_OR_RETURN(r.type, ParseRelationType(text.substr(0, c1)));
  std::string rest = text.substr(c1 + 1);
  const size_t c2 = rest.rfind(':');
  if (c2 != std::string::npos) {
    std::string strength = rest.substr(c2 + 1);
    if (kUnitInterval(strength).empty()) {
      r.strength = std::stof(strength);
      rest = rest.substr(0, c2);
    }
  }
  r.target_id = rest;
  return r;
}

// Fields shared by `add` and `update`.
struct MemoryFlags {
  std::string type, agent, session, scope, metadata;
  std::string importance, confidence;
  std::vector<std::string> tags, meta, relations;
  void Add(CLI::App* cmd, bool update) {
    cmd->add_option("-t,--type", type, "Memory type")->check(OneOf(kTypes))->type_name("TYPE");
    cmd->add_option("--tag", tags, update ? "Replace the tags (repeat for several)" : "A tag (repeat for several)")
        ->allow_extra_args(false)
        ->type_name("TAG");
    cmd->add_option("--agent", agent, "Agent that wrote the memory")->type_name("ID");
    cmd->add_option("--session", session, "Session the memory belongs to")->type_name("ID");
    cmd->add_option("--importance", importance, "Importance in [0, 1]")->check(kUnitInterval)->type_name("NUM");
    cmd->add_option("--confidence", confidence, "Confidence in [0, 1]")->check(kUnitInterval)->type_name("NUM");
    cmd->add_option("--scope", scope, "Visibility")->check(OneOf(kScopes))->type_name("SCOPE");
    cmd->add_option("--meta", meta, "Metadata key=value (repeatable; a JSON value keeps its type)")
        ->allow_extra_args(false)
        ->type_name("KEY=VALUE");
    cmd->add_option("--metadata", metadata, "Metadata as one JSON object")->type_name("JSON");
    cmd->add_option("--relation", relations, "Link TYPE:TARGET[:STRENGTH], TYPE one of similar|contradicts|builds_on|references")
        ->allow_extra_args(false)
        ->type_name("TYPE:ID[:S]");
  }
};

Result<std::vector<Relation>> Relations(const std::vector<std::string>& texts) {
  std::vector<Relation> out;
  for (const auto& t : texts) {
    GITMEM_ASSIGN_OR_RETURN(Relation r, ParseRelation(t));
    out.push_back(std::move(r));
  }
  return out;
}

Result<Json> MetadataArg(const std::string& text) {
  if (text.empty()) return Json::object();
  Json j = Json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::InvalidArgument("--metadata: expected a JSON object");
  return j;
}

}  // namespace

// ---- init, repos -----------------------------------------------------------------------

namespace {

void AddInit(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("init", "Create a store (./.gitmem unless --repo or GITMEM_DIR) and a repository in it");
  struct Opts {
    std::string branch = "main", description;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("-b,--initial-branch", o->branch, "Name of the first branch")->capture_default_str();
  cmd->add_option("--description", o->description, "Description recorded in the repository");
  out->push_back({cmd, [o](Context& ctx) {
    RepositoryOptions ro = ctx.RepoOptions();
    ro.default_branch = o->branch;
    ro.description = o->description;
    const std::string path = ctx.InitPath();
    auto repo = Repository::Init(ro, path);
    if (!repo.ok()) {
      if (repo.status().IsAlreadyExists())
        return ctx.Fail(Status::AlreadyExists(repo.status().message() + " in store '" + path + "'"));
      return ctx.Fail(repo.status());
    }
    std::error_code ec;
    const std::string abs = std::filesystem::absolute(path, ec).lexically_normal().string();
    if (ctx.options.json) {
      ctx.PrintJson({{"store", abs}, {"name", ro.name}, {"branch", ro.default_branch}});
    } else {
      Out("Initialized empty gitmem repository '" + ro.name + "' in " + abs + "\n");
    }
    return 0;
  }});
}

void AddRepos(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("repos", "List the repositories in the store");
  out->push_back({cmd, [](Context& ctx) {
    auto path = ctx.FindStore();
    if (!path.ok()) return ctx.Fail(path.status());
    auto names = Repository::ListRepositories(*path);
    if (!names.ok()) return ctx.Fail(names.status());
    if (ctx.options.json) {
      ctx.PrintJson(*names);
    } else {
      for (const auto& n : *names) Out((n == ctx.options.name ? "* " : "  ") + n + "\n");
    }
    return 0;
  }});
}

// ---- add, update, rm -------------------------------------------------------------------

void AddAdd(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("add", "Stage a new memory (or replace one with --id)");
  struct Opts {
    std::string text, id, branch, author;
    bool quiet = false;
    MemoryFlags f;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("text", o->text, "The memory's content; '-' or nothing reads standard input");
  o->f.Add(cmd, false);
  cmd->add_option("--id", o->id, "Id of the memory (default: a new time-ordered UUIDv7); an existing id is replaced");
  cmd->add_option("--branch", o->branch, "Stage on this branch instead of HEAD's");
  cmd->add_option("--author", o->author, "Author recorded in provenance (default: GITMEM_AUTHOR or 'gitmem')");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only the id");
  cmd->footer(
      "Examples:\n"
      "  gitmem add \"The user prefers dark mode\" --type semantic --tag ui --importance 0.8\n"
      "  echo \"deploy with make release\" | gitmem add --type procedural --meta source=chat\n");
  out->push_back({cmd, [o](Context& ctx) {
    Memory m;
    if (o->text.empty() || o->text == "-") {
      if (o->text.empty() && isatty(STDIN_FILENO))
        return ctx.Usage("add", "no content: give the text as an argument or pipe it on standard input");
      m.content = ReadStdin();
    } else {
      m.content = o->text;
    }
    const MemoryFlags& f = o->f;
    m.id = o->id;
    if (!f.type.empty()) m.type = *ParseMemoryType(f.type);
    if (!f.scope.empty()) m.scope = *ParseScope(f.scope);
    m.agent_id = f.agent;
    m.session_id = f.session;
    if (!f.importance.empty()) m.importance = std::stof(f.importance);
    if (!f.confidence.empty()) m.confidence = std::stof(f.confidence);
    m.tags = f.tags;
    auto base = MetadataArg(f.metadata);
    if (!base.ok()) return ctx.Usage("add", base.status().message());
    auto meta = ParseMeta(f.meta, *base);
    if (!meta.ok()) return ctx.Usage("add", meta.status().message());
    m.metadata = meta->dump();
    auto rels = Relations(f.relations);
    if (!rels.ok()) return ctx.Usage("add", rels.status().message());
    m.relations = *rels;

    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    WriteOptions wo;
    wo.branch = o->branch;
    wo.author = o->author;
    auto id = (*repo)->Put(m, wo);
    if (!id.ok()) return ctx.Fail(id.status());
    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
    if (ctx.options.json) {
      ctx.PrintJson({{"id", *id}, {"branch", branch}, {"staged", true}});
    } else if (o->quiet) {
      Out(*id + "\n");
    } else {
      Out("staged " + ctx.Paint(*id, style::kYellow) + " on branch " + branch + "\n");
    }
    return 0;
  }});
}

void AddUpdate(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("update", "Stage changes to fields of an existing memory");
  struct Opts {
    std::string id, text, branch, author;
    bool content_from_stdin = false;
    MemoryFlags f;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("id", o->id, "Id of the memory")->required();
  cmd->add_option("text", o->text, "New content ('-' reads standard input)");
  o->f.Add(cmd, true);
  cmd->add_option("--branch", o->branch, "Branch to change (default: HEAD's)");
  cmd->add_option("--author", o->author, "Author of the change");
  cmd->footer("--meta merges keys into the existing metadata; --metadata replaces it.\n");
  out->push_back({cmd, [o](Context& ctx) {
    MemoryPatch p;
    const MemoryFlags& f = o->f;
    if (o->text == "-") p.content = ReadStdin();
    else if (!o->text.empty()) p.content = o->text;
    if (!f.type.empty()) p.type = *ParseMemoryType(f.type);
    if (!f.scope.empty()) p.scope = *ParseScope(f.scope);
    if (!f.agent.empty()) p.agent_id = f.agent;
    if (!f.session.empty()) p.session_id = f.session;
    if (!f.importance.empty()) p.importance = std::stof(f.importance);
    if (!f.confidence.empty()) p.confidence = std::stof(f.confidence);
    if (!f.tags.empty()) p.tags = f.tags;
    if (!f.relations.empty()) {
      auto rels = Relations(f.relations);
      if (!rels.ok()) return ctx.Usage("update", rels.status().message());
      p.relations = *rels;
    }
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    if (!f.metadata.empty() || !f.meta.empty()) {
      auto base = MetadataArg(f.metadata);
      if (!base.ok()) return ctx.Usage("update", base.status().message());
      if (f.metadata.empty()) {
        ReadOptions at;
        at.rev = o->branch;
        auto current = (*repo)->Get(o->id, at);
        if (!current.ok()) return ctx.Fail(current.status());
        base = Json::parse(current->metadata, nullptr, false);
      }
      auto meta = ParseMeta(f.meta, *base);
      if (!meta.ok()) return ctx.Usage("update", meta.status().message());
      p.metadata = meta->dump();
    }
    if (!p.content && !p.type && !p.scope && !p.agent_id && !p.session_id && !p.importance && !p.confidence &&
        !p.tags && !p.relations && !p.metadata)
      return ctx.Usage("update", "nothing to change: give new text or a field option");
    WriteOptions wo;
    wo.branch = o->branch;
    wo.author = o->author;
    Status s = (*repo)->Update(o->id, p, wo);
    if (!s.ok()) return ctx.Fail(s);
    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
    if (ctx.options.json) ctx.PrintJson({{"id", o->id}, {"branch", branch}, {"staged", true}});
    else Out("staged update of " + ctx.Paint(o->id, style::kYellow) + " on branch " + branch + "\n");
    return 0;
  }});
}

void AddRm(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("rm", "Stage the removal of memories");
  cmd->alias("delete");
  struct Opts {
    std::vector<std::string> ids;
    std::string branch, author;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("id", o->ids, "Ids of the memories")->required();
  cmd->add_option("--branch", o->branch, "Branch to change (default: HEAD's)");
  cmd->add_option("--author", o->author, "Author of the change");
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    WriteOptions wo;
    wo.branch = o->branch;
    wo.author = o->author;
    Json removed = Json::array();
    for (const std::string& id : o->ids) {
      Status s = (*repo)->Delete(id, wo);
      if (!s.ok()) return ctx.Fail(s);
      removed.push_back(id);
      if (!ctx.options.json) Out("staged removal of " + ctx.Paint(id, style::kYellow) + "\n");
    }
    if (ctx.options.json) ctx.PrintJson({{"removed", removed}, {"staged", true}});
    return 0;
  }});
}

// ---- commit, status ---------------------------------------------------------------------

void AddCommit(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("commit", "Record the staged changes of a branch");
  struct Opts {
    std::vector<std::string> messages;
    std::string author, branch;
    bool allow_empty = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("-m,--message", o->messages, "Commit message (repeat for paragraphs)")
      ->required()
      ->allow_extra_args(false);
  cmd->add_option("--author", o->author, "Author of the commit (default: GITMEM_AUTHOR or 'gitmem')");
  cmd->add_option("--branch", o->branch, "Commit this branch's staged changes (default: HEAD's)");
  cmd->add_flag("--allow-empty", o->allow_empty, "Commit even when nothing is staged");
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    CommitOptions co;
    for (const auto& m : o->messages) co.message += (co.message.empty() ? "" : "\n\n") + m;
    co.author = o->author;
    co.branch = o->branch;
    co.allow_empty = o->allow_empty;
    auto id = (*repo)->Commit(co);
    if (!id.ok()) return ctx.Fail(id.status());
    auto c = (*repo)->Show(id->hex());
    if (!c.ok()) return ctx.Fail(c.status());
    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
    if (ctx.options.json) {
      Json j = ToJson(*c);
      j["branch"] = branch;
      ctx.PrintJson(j);
    } else {
      Out("[" + branch + (c->parents.empty() ? " (root-commit)" : "") + " " + ctx.Paint(ShortId(*id), style::kYellow) +
          "] " + FirstLine(c->message) + "\n " + std::to_string(c->added) + " added, " + std::to_string(c->modified) +
          " modified, " + std::to_string(c->removed) + " removed; " + std::to_string(c->memory_count) +
          " memories\n");
    }
    return 0;
  }});
}

void AddStatus(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("status", "Show the branch and its staged changes");
  auto branch_opt = std::make_shared<std::string>();
  cmd->add_option("--branch", *branch_opt, "Branch to look at (default: HEAD's)");
  out->push_back({cmd, [branch_opt](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    const std::string branch = branch_opt->empty() ? (*repo)->CurrentBranch() : *branch_opt;
    auto staged = (*repo)->Staged(branch);
    if (!staged.ok()) return ctx.Fail(staged.status());
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
  }});
}

}  // namespace

// ---- log, show, diff ---------------------------------------------------------------------

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

void AddLog(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("log", "Show commits, newest first");
  struct Opts {
    std::vector<std::string> revs;
    bool oneline = false, graph = false, all = false, first_parent = false;
    int64_t limit = -1;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("rev", o->revs, "Where to start (default: HEAD); several revisions show their union");
  cmd->add_flag("--oneline", o->oneline, "One line per commit");
  cmd->add_flag("--graph", o->graph, "Draw the commit graph");
  cmd->add_flag("--all", o->all, "Every branch and tag, not just HEAD");
  cmd->add_flag("--first-parent", o->first_parent, "Follow only the first parent of merges");
  cmd->add_option("-n,--max-count", o->limit, "Show at most N commits")->check(CLI::NonNegativeNumber);
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    std::vector<std::string> heads = o->revs;
    if (o->all) {
      auto branches = (*repo)->ListBranches();
      if (!branches.ok()) return ctx.Fail(branches.status());
      for (const auto& b : *branches)
        if (!b.head.is_zero()) heads.push_back(b.head.hex());
      auto tags = (*repo)->ListTags();
      if (!tags.ok()) return ctx.Fail(tags.status());
      for (const auto& t : *tags) heads.push_back(t.target.hex());
    }
    if (heads.empty()) heads.push_back("");
    const uint64_t limit = o->limit < 0 ? UINT64_MAX : static_cast<uint64_t>(o->limit);
    auto commits = CollectLog(**repo, heads, o->first_parent, limit);
    if (!commits.ok()) return ctx.Fail(commits.status());
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& c : *commits) list.push_back(ToJson(c));
      ctx.PrintJson(list);
      return 0;
    }
    const Decorations deco = LoadDecorations(**repo);
    GraphRenderer graph;
    std::string text;
    for (size_t i = 0; i < commits->size(); ++i) {
      const CommitInfo& c = (*commits)[i];
      GraphStep step;
      if (o->graph) step = graph.Next(c.id, c.parents);
      for (const auto& row : step.before) text += row + "\n";
      const std::string counts = ChangeCounts(ctx, c.added, c.modified, c.removed);
      if (o->oneline) {
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
        if (i + 1 < commits->size()) text += (o->graph ? pad : std::string()) + "\n";
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
  }});
}

// The memories of a commit against its first parent (all added for a root commit).
Result<Diff> CommitDiff(const Repository& repo, const CommitInfo& c) {
  ReadOptions to;
  to.rev = c.id.hex();
  if (!c.parents.empty()) {
    ReadOptions from;
    from.rev = c.parents[0].hex();
    return repo.DiffRevs(from, to);
  }
  ListOptions lo;
  lo.at = to;
  GITMEM_ASSIGN_OR_RETURN(auto memories, repo.List(lo));
  Diff d;
  for (auto& m : memories) {
    DiffEntry e{DiffEntry::Kind::kAdded, m.id, std::nullopt, std::move(m)};
    d.entries.push_back(std::move(e));
  }
  return d;
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

void AddShow(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("show", "Show a commit and what it changed");
  struct Opts {
    std::string rev = "HEAD";
    bool stat = false, name_only = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("rev", o->rev, "Commit to show")->capture_default_str();
  cmd->add_flag("--stat", o->stat, "Only the counts of changes");
  cmd->add_flag("--name-only", o->name_only, "Only the changed ids");
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto c = (*repo)->Show(o->rev);
    if (!c.ok()) return ctx.Fail(c.status());
    auto d = CommitDiff(**repo, *c);
    if (!d.ok()) return ctx.Fail(d.status());
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
    text += "\n" + DiffText(ctx, *d, o->stat, o->name_only);
    Out(text);
    return 0;
  }});
}

void AddDiff(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("diff", "Show the changes between two states");
  struct Opts {
    std::string a, b;
    bool stat = false, name_only = false;
  };
  auto o = std::make_shared<Opts>();
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
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ReadOptions a, b;
    a.rev = o->a.empty() ? "HEAD" : o->a;
    b.rev = o->b;
    Result<Diff> d = Status::Internal("unset");
    if (a.rev == "HEAD" && !(*repo)->Resolve("HEAD").ok() && (*repo)->Resolve("HEAD").status().IsNotFound()) {
      // No commit yet: everything in `b` is new.
      ListOptions lo;
      lo.at = b;
      auto memories = (*repo)->List(lo);
      if (!memories.ok()) return ctx.Fail(memories.status());
      Diff all;
      for (auto& m : *memories) all.entries.push_back({DiffEntry::Kind::kAdded, m.id, std::nullopt, std::move(m)});
      d = std::move(all);
    } else {
      d = (*repo)->DiffRevs(a, b);
    }
    if (!d.ok()) return ctx.Fail(d.status());
    if (ctx.options.json) ctx.PrintJson(ToJson(*d));
    else Out(DiffText(ctx, *d, o->stat, o->name_only));
    return 0;
  }});
}

}  // namespace

// ---- branch, checkout, reset, tag -----------------------------------------------------------

namespace {

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
      auto repo = ctx.Open(true);
      if (!repo.ok()) return ctx.Fail(repo.status());
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
      auto repo = ctx.Open(true);
      if (!repo.ok()) return ctx.Fail(repo.status());
      const std::string from = args.size() == 2 ? args[0] : (*repo)->CurrentBranch();
      const std::string& to = args.back();
      Status s = (*repo)->RenameBranch(from, to);
      if (!s.ok()) return ctx.Fail(s);
      if (ctx.options.json) ctx.PrintJson({{"renamed", from}, {"to", to}});
      else Out("Renamed branch " + from + " to " + to + "\n");
      return 0;
    }
    if (!args.empty()) {
      if (args.size() > 2) return ctx.Usage("branch", "expected NAME [START]");
      auto repo = ctx.Open(true);
      if (!repo.ok()) return ctx.Fail(repo.status());
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
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto branches = (*repo)->ListBranches();
    if (!branches.ok()) return ctx.Fail(branches.status());
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& b : *branches) list.push_back(ToJson(b));
      ctx.PrintJson(list);
      return 0;
    }
    size_t width = 0;
    for (const auto& b : *branches) width = std::max(width, b.name.size());
    std::string text;
    for (const auto& b : *branches) {
      std::string name = b.name;
      name.resize(width, ' ');
      text += b.is_current ? "* " + ctx.Paint(name, style::kGreen) : "  " + name;
      text += "  " + ctx.Paint(b.head.is_zero() ? std::string("(no commits)") : ShortId(b.head), style::kYellow);
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
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
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
      Out(std::string(o->create ? "Switched to a new branch '" : "Switched to branch '") + o->branch + "'\n");
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
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
    Json result = {{"branch", branch}};
    std::string text;
    if (!o->rev.empty()) {
      auto target = (*repo)->Resolve(o->rev);
      if (!target.ok()) return ctx.Fail(target.status());
      Status s = (*repo)->Reset(branch, target->hex());
      if (!s.ok()) return ctx.Fail(s);
      result["head"] = target->hex();
      auto c = (*repo)->Show(target->hex());
      text += "Branch " + branch + " is now at " + ShortId(*target) + (c.ok() ? " " + FirstLine(c->message) : "") + "\n";
    }
    if (o->hard) {
      auto staged = (*repo)->Staged(branch);
      if (!staged.ok()) return ctx.Fail(staged.status());
      Status s = (*repo)->DiscardStaged(branch);
      if (!s.ok()) return ctx.Fail(s);
      result["discarded"] = staged->size();
      text += "Dropped " + std::to_string(staged->size()) + " staged change" + (staged->size() == 1 ? "" : "s") +
              " on branch " + branch + "\n";
    }
    if (ctx.options.json) ctx.PrintJson(result);
    else Out(text);
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
  out->push_back({cmd, [o](Context& ctx) {
    const auto& args = o->args;
    if (o->del) {
      if (args.empty()) return ctx.Usage("tag", "-d needs the name of a tag");
      auto repo = ctx.Open(true);
      if (!repo.ok()) return ctx.Fail(repo.status());
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
      auto repo = ctx.Open(true);
      if (!repo.ok()) return ctx.Fail(repo.status());
      Status s = (*repo)->CreateTag(args[0], args.size() == 2 ? args[1] : "");
      if (!s.ok()) return ctx.Fail(s);
      auto target = (*repo)->Resolve(args[0]);
      if (ctx.options.json)
        ctx.PrintJson({{"created", args[0]}, {"target", target.ok() ? Json(target->hex()) : Json(nullptr)}});
      else
        Out("Created tag " + args[0] + (target.ok() ? " at " + ShortId(*target) : "") + "\n");
      return 0;
    }
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto tags = (*repo)->ListTags();
    if (!tags.ok()) return ctx.Fail(tags.status());
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& t : *tags) list.push_back(ToJson(t));
      ctx.PrintJson(list);
      return 0;
    }
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

}  // namespace

// ---- get, list, history, session ------------------------------------------------------------

namespace {

void AddGet(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("get", "Show one memory");
  struct Opts {
    std::string id;
    ReadFlags at;
    bool content = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("id", o->id, "Id of the memory")->required();
  o->at.Add(cmd);
  cmd->add_flag("--content", o->content, "Print only the content");
  cmd->footer(
      "Examples:\n"
      "  gitmem get 0196f3c2-...                      # HEAD's branch, staged changes included\n"
      "  gitmem get 0196f3c2-... --at v1              # as tagged\n"
      "  gitmem get 0196f3c2-... --as-of 2026-01-31T12:00:00Z\n");
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto m = (*repo)->Get(o->id, o->at.Get());
    if (!m.ok()) return ctx.Fail(m.status());
    if (ctx.options.json) ctx.PrintJson(ToJson(*m));
    else if (o->content) Out(m->content + "\n");
    else Out(MemoryDetails(ctx, *m));
    return 0;
  }});
}

struct Filters {
  std::string type, tag, agent, session, scope;
  void Add(CLI::App* cmd) {
    cmd->add_option("-t,--type", type, "Only memories of this type")->check(OneOf(kTypes));
    cmd->add_option("--tag", tag, "Only memories with this tag");
    cmd->add_option("--agent", agent, "Only memories of this agent");
    cmd->add_option("--session", session, "Only memories of this session");
    cmd->add_option("--scope", scope, "Only memories of this scope")->check(OneOf(kScopes));
  }
  bool Any() const { return !type.empty() || !tag.empty() || !agent.empty() || !session.empty() || !scope.empty(); }
  bool Match(const Memory& m) const {
    if (!type.empty() && ToString(m.type) != type) return false;
    if (!scope.empty() && ToString(m.scope) != scope) return false;
    if (!agent.empty() && m.agent_id != agent) return false;
    if (!session.empty() && m.session_id != session) return false;
    if (!tag.empty() && std::find(m.tags.begin(), m.tags.end(), tag) == m.tags.end()) return false;
    return true;
  }
};

void AddList(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("list", "List memories in id order");
  cmd->alias("ls");
  struct Opts {
    ReadFlags at;
    Filters filters;
    uint64_t offset = 0;
    int64_t limit = -1;
  };
  auto o = std::make_shared<Opts>();
  o->at.Add(cmd);
  o->filters.Add(cmd);
  cmd->add_option("--offset", o->offset, "Skip the first N");
  cmd->add_option("-n,--limit", o->limit, "Show at most N")->check(CLI::NonNegativeNumber);
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ListOptions lo;
    lo.at = o->at.Get();
    const uint64_t limit = o->limit < 0 ? UINT64_MAX : static_cast<uint64_t>(o->limit);
    if (!o->filters.Any()) {
      lo.offset = o->offset;
      lo.limit = limit;
    }
    auto all = (*repo)->List(lo);
    if (!all.ok()) return ctx.Fail(all.status());
    std::vector<Memory> memories;
    if (o->filters.Any()) {
      uint64_t skipped = 0;
      for (auto& m : *all) {
        if (!o->filters.Match(m)) continue;
        if (skipped++ < o->offset) continue;
        if (memories.size() >= limit) break;
        memories.push_back(std::move(m));
      }
    } else {
      memories = std::move(*all);
    }
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& m : memories) list.push_back(ToJson(m));
      ctx.PrintJson(list);
      return 0;
    }
    std::string text;
    for (const auto& m : memories) text += MemoryLine(ctx, m) + "\n";
    Out(text);
    return 0;
  }});
}

void AddHistory(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("history", "Every committed version of one memory, newest first");
  struct Opts {
    std::string id, at;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("id", o->id, "Id of the memory")->required();
  cmd->add_option("--at", o->at, "Follow this revision's first-parent history (default: HEAD)");
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto versions = (*repo)->History(o->id, o->at);
    if (!versions.ok()) return ctx.Fail(versions.status());
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& v : *versions) list.push_back(ToJson(v));
      ctx.PrintJson(list);
      return 0;
    }
    if (versions->empty()) return ctx.Fail(Status::NotFound("memory '" + o->id + "' has no committed history"));
    std::string text;
    for (const auto& v : *versions) {
      text += ctx.Paint(ShortId(v.commit.id), style::kYellow) + " " + ctx.Paint(FormatLocal(v.commit.timestamp_us), style::kDim) +
              " " + FirstLine(v.commit.message) + "\n";
      if (v.memory) text += "    " + Preview(v.memory->content) + "\n";
      else text += "    " + ctx.Paint("(deleted)", style::kRed) + "\n";
    }
    Out(text);
    return 0;
  }});
}

void AddSession(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("session", "The memories of one session, oldest first");
  struct Opts {
    std::string id;
    ReadFlags at;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("id", o->id, "Session id")->required();
  o->at.Add(cmd);
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto memories = (*repo)->Session(o->id, o->at.Get());
    if (!memories.ok()) return ctx.Fail(memories.status());
    if (ctx.options.json) {
      Json list = Json::array();
      for (const auto& m : *memories) list.push_back(ToJson(m));
      ctx.PrintJson(list);
      return 0;
    }
    std::string text;
    for (const auto& m : *memories)
      text += ctx.Paint(FormatLocal(m.timestamp_us), style::kDim) + "  " + MemoryLine(ctx, m) + "\n";
    Out(text);
    return 0;
  }});
}

// ---- fsck, stats, mcp ------------------------------------------------------------------

void AddFsck(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("fsck", "Verify every object reachable from the repository (exit 1 on problems)");
  struct Opts {
    bool all = false, all_objects = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_flag("--all", o->all, "The whole store: every repository's refs and staged changes, and their records");
  cmd->add_flag("--all-objects", o->all_objects, "With --all: also verify unreachable objects");
  out->push_back({cmd, [o](Context& ctx) {
    if (o->all_objects && !o->all) return ctx.Usage("fsck", "--all-objects needs --all");
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    Result<FsckReport> report = Status::Internal("unset");
    if (o->all) {
      ProgressBar bar("fsck", "objects");
      FsckOptions fo;
      fo.all_objects = o->all_objects;
      fo.progress = bar.Callback();
      report = (*repo)->FsckAll(fo);
    } else {
      report = (*repo)->Fsck();
    }
    if (!report.ok()) return ctx.Fail(report.status());
    if (ctx.options.json) {
      Json j = ToJson(*report);
      j["scope"] = o->all ? "store" : "repository";
      ctx.PrintJson(j);
    } else {
      std::string text = "checked " + std::to_string(report->objects_checked) + " objects (" +
                         std::to_string(report->commits) + " commits, " + std::to_string(report->trees) +
                         " tree nodes, " + std::to_string(report->blobs) + " memories)" +
                         (o->all ? " in the whole store" : "") + "\n";
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
  }});
}

void AddStats(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("stats", "Counts of memories by type, scope, tag and agent");
  auto o = std::make_shared<ReadFlags>();
  o->Add(cmd);
  out->push_back({cmd, [o](Context& ctx) {
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ListOptions lo;
    lo.at = o->Get();
    auto memories = (*repo)->List(lo);
    if (!memories.ok()) return ctx.Fail(memories.status());
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
  }});
}

void AddMcp(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("mcp", "Serve the repository to AI agents over the Model Context Protocol (stdio)");
  auto o = std::make_shared<McpOptions>();
  cmd->add_flag("--auto-commit", o->auto_commit, "Commit every save and delete at once instead of staging");
  cmd->add_flag("--init", o->init, "Create the store and repository when missing");
  cmd->footer(
      "Speaks JSON-RPC 2.0, one message per line, on standard input and output; logs go to standard error.\n"
      "Register it with an MCP client, e.g. Claude Desktop's claude_desktop_config.json:\n"
      "  {\"mcpServers\": {\"gitmem\": {\"command\": \"gitmem\", \"args\": [\"--repo\", \"/path/to/.gitmem\", \"mcp\"]}}}\n");
  out->push_back({cmd, [o](Context& ctx) { return RunMcpServer(ctx, *o); }});
}

}  // namespace

std::vector<Command> RegisterCommands(CLI::App& app) {
  std::vector<Command> out;
  AddInit(app, &out);
  AddAdd(app, &out);
  AddUpdate(app, &out);
  AddRm(app, &out);
  AddCommit(app, &out);
  AddStatus(app, &out);
  AddLog(app, &out);
  AddShow(app, &out);
  AddDiff(app, &out);
  AddBranch(app, &out);
  AddCheckout(app, &out);
  AddReset(app, &out);
  AddTag(app, &out);
  AddMerge(app, &out);
  AddCherryPick(app, &out);
  AddRevert(app, &out);
  AddFork(app, &out);
  AddGet(app, &out);
  AddList(app, &out);
  AddHistory(app, &out);
  AddSession(app, &out);
  AddSearch(app, &out);
  AddReindex(app, &out);
  AddFsck(app, &out);
  AddStats(app, &out);
  AddInfo(app, &out);
  AddGc(app, &out);
  AddExport(app, &out);
  AddImport(app, &out);
  AddRepos(app, &out);
  AddMcp(app, &out);
  return out;
}

}  // namespace gitmem::cli
