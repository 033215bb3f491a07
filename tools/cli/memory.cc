// `gitmem add`, `update`, `rm`, `get`, `list` and `session`: one memory at a time, or a list.
#include <algorithm>
#include <iostream>
#include <iterator>
#include <memory>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "reads.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

std::string ReadStdin() {
  std::string s((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r')) s.pop_back();
  return s;
}

// TYPE:TARGET[:STRENGTH]
Result<Relation> ParseRelation(const std::string& text) {
  const size_t c1 = text.find(':');
  if (c1 == std::string::npos)
    return Status::InvalidArgument("--relation '" + text + "': expected TYPE:TARGET[:STRENGTH]");
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
    cmd->add_option("--relation", relations,
                    "Link TYPE:TARGET[:STRENGTH], TYPE one of similar|contradicts|builds_on|references")
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

struct Filters : MemoryFilter {
  void Add(CLI::App* cmd) {
    cmd->add_option("-t,--type", type, "Only memories of this type")->check(OneOf(kTypes));
    cmd->add_option("--tag", tag, "Only memories with this tag");
    cmd->add_option("--agent", agent, "Only memories of this agent");
    cmd->add_option("--session", session, "Only memories of this session");
    cmd->add_option("--scope", scope, "Only memories of this scope")->check(OneOf(kScopes));
  }
};

struct AddArgs {
  std::string text, id;
  WriteOptions wo;  // --branch, --author
  bool quiet = false;
  MemoryFlags f;
};

int RunAdd(const Context& ctx, const AddArgs& o) {
  Memory m;
  if (o.text.empty() || o.text == "-") {
    if (o.text.empty() && isatty(STDIN_FILENO))
      return ctx.Usage("add", "no content: give the text as an argument or pipe it on standard input");
    m.content = ReadStdin();
  } else {
    m.content = o.text;
  }
  const MemoryFlags& f = o.f;
  m.id = o.id;
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

  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  GITMEM_TRY_OR_FAIL(ctx, id, (*repo)->Put(m, o.wo));
  const std::string branch = BranchOrHead(**repo, o.wo.branch);
  if (ctx.options.json) {
    ctx.PrintJson({{"id", *id}, {"branch", branch}, {"staged", true}});
  } else if (o.quiet) {
    Out(*id + "\n");
  } else {
    Out("staged " + ctx.Paint(*id, style::kYellow) + " on branch " + branch + "\n");
  }
  return 0;
}

struct UpdateArgs {
  std::string id, text;
  WriteOptions wo;  // --branch, --author
  MemoryFlags f;
};

int RunUpdate(const Context& ctx, const UpdateArgs& o) {
  MemoryPatch p;
  const MemoryFlags& f = o.f;
  if (o.text == "-")
    p.content = ReadStdin();
  else if (!o.text.empty())
    p.content = o.text;
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
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  if (!f.metadata.empty() || !f.meta.empty()) {
    auto base = MetadataArg(f.metadata);
    if (!base.ok()) return ctx.Usage("update", base.status().message());
    if (f.metadata.empty()) {
      ReadOptions at;
      at.rev = o.wo.branch;
      GITMEM_TRY_OR_FAIL(ctx, current, (*repo)->Get(o.id, at));
      base = Json::parse(current->metadata, nullptr, false);
    }
    auto meta = ParseMeta(f.meta, *base);
    if (!meta.ok()) return ctx.Usage("update", meta.status().message());
    p.metadata = meta->dump();
  }
  if (!p.content && !p.type && !p.scope && !p.agent_id && !p.session_id && !p.importance && !p.confidence && !p.tags &&
      !p.relations && !p.metadata)
    return ctx.Usage("update", "nothing to change: give new text or a field option");
  GITMEM_CHECK_OR_FAIL(ctx, (*repo)->Update(o.id, p, o.wo));
  const std::string branch = BranchOrHead(**repo, o.wo.branch);
  if (ctx.options.json)
    ctx.PrintJson({{"id", o.id}, {"branch", branch}, {"staged", true}});
  else
    Out("staged update of " + ctx.Paint(o.id, style::kYellow) + " on branch " + branch + "\n");
  return 0;
}

struct RmArgs {
  std::vector<std::string> ids;
  WriteOptions wo;  // --branch, --author
};

int RunRm(const Context& ctx, const RmArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  Json removed = Json::array();
  for (const std::string& id : o.ids) {
    GITMEM_CHECK_OR_FAIL(ctx, (*repo)->Delete(id, o.wo));
    removed.push_back(id);
    if (!ctx.options.json) Out("staged removal of " + ctx.Paint(id, style::kYellow) + "\n");
  }
  if (ctx.options.json) ctx.PrintJson({{"removed", removed}, {"staged", true}});
  return 0;
}

struct GetArgs {
  std::string id;
  ReadFlags at;
  bool content = false;
};

int RunGet(const Context& ctx, const GetArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, m, (*repo)->Get(o.id, o.at.Get()));
  if (ctx.options.json)
    ctx.PrintJson(ToJson(*m));
  else if (o.content)
    Out(m->content + "\n");
  else
    Out(MemoryDetails(ctx, *m));
  return 0;
}

struct ListArgs {
  ReadFlags at;
  Filters filters;
  uint64_t offset = 0;
  int64_t limit = -1;
};

int RunList(const Context& ctx, const ListArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  const uint64_t limit = o.limit < 0 ? UINT64_MAX : static_cast<uint64_t>(o.limit);
  GITMEM_TRY_OR_FAIL(ctx, memories, ListMatching(**repo, o.at.Get(), o.filters, o.offset, limit));
  return ctx.PrintList(*memories, [&](const Memory& m) { return MemoryLine(ctx, m) + "\n"; });
}

struct SessionArgs {
  std::string id;
  ReadFlags at;
};

int RunSession(const Context& ctx, const SessionArgs& o) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, memories, (*repo)->Session(o.id, o.at.Get()));
  return ctx.PrintList(*memories, [&](const Memory& m) {
    return ctx.Paint(FormatLocal(m.timestamp_us), style::kDim) + "  " + MemoryLine(ctx, m) + "\n";
  });
}

}  // namespace

void AddAdd(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "add", "Stage a new memory (or replace one with --id)", RunAdd);
  cmd->add_option("text", o->text, "The memory's content; '-' or nothing reads standard input");
  o->f.Add(cmd, false);
  cmd->add_option("--id", o->id, "Id of the memory (default: a new time-ordered UUIDv7); an existing id is replaced");
  cmd->add_option("--branch", o->wo.branch, "Stage on this branch instead of HEAD's");
  cmd->add_option("--author", o->wo.author, "Author recorded in provenance (default: GITMEM_AUTHOR or 'gitmem')");
  cmd->add_flag("-q,--quiet", o->quiet, "Print only the id");
  cmd->footer(
      "Examples:\n"
      "  gitmem add \"The user prefers dark mode\" --type semantic --tag ui --importance 0.8\n"
      "  echo \"deploy with make release\" | gitmem add --type procedural --meta source=chat\n");
}

void AddUpdate(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "update", "Stage changes to fields of an existing memory", RunUpdate);
  cmd->add_option("id", o->id, "Id of the memory")->required();
  cmd->add_option("text", o->text, "New content ('-' reads standard input)");
  o->f.Add(cmd, true);
  cmd->add_option("--branch", o->wo.branch, "Branch to change (default: HEAD's)");
  cmd->add_option("--author", o->wo.author, "Author of the change");
  cmd->footer("--meta merges keys into the existing metadata; --metadata replaces it.\n");
}

void AddRm(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "rm", "Stage the removal of memories", RunRm);
  cmd->alias("delete");
  cmd->add_option("id", o->ids, "Ids of the memories")->required();
  cmd->add_option("--branch", o->wo.branch, "Branch to change (default: HEAD's)");
  cmd->add_option("--author", o->wo.author, "Author of the change");
}

void AddGet(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "get", "Show one memory", RunGet);
  cmd->add_option("id", o->id, "Id of the memory")->required();
  o->at.Add(cmd);
  cmd->add_flag("--content", o->content, "Print only the content");
  cmd->footer(
      "Examples:\n"
      "  gitmem get 0196f3c2-...                      # HEAD's branch, staged changes included\n"
      "  gitmem get 0196f3c2-... --at v1              # as tagged\n"
      "  gitmem get 0196f3c2-... --as-of 2026-01-31T12:00:00Z\n");
}

void AddList(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "list", "List memories in id order", RunList);
  cmd->alias("ls");
  o->at.Add(cmd);
  o->filters.Add(cmd);
  cmd->add_option("--offset", o->offset, "Skip the first N");
  cmd->add_option("-n,--limit", o->limit, "Show at most N")->check(CLI::NonNegativeNumber);
}

void AddSession(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "session", "The memories of one session, oldest first", RunSession);
  cmd->add_option("id", o->id, "Session id")->required();
  o->at.Add(cmd);
}

}  // namespace gitmem::cli
