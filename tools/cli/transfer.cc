// `gitmem export` and `import`: JSON Lines of the memories, or bundles of the whole history.
#include <memory>

#include "commands.h"
#include "options.h"
#include "progress.h"
#include "reads.h"

namespace gitmem::cli {

namespace {

// "1 memory", "3 memories".
std::string Count(uint64_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

struct ExportArgs {
  std::string file, at;
  bool bundle = false;
};

int RunExport(const Context& ctx, const ExportArgs& o) {
  if (o.bundle && !o.at.empty())
    return ctx.Usage("export", "--at applies to JSON Lines; a bundle holds every branch and tag");
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  ProgressBar bar("exporting", o.bundle ? "objects" : "memories");
  ExportOptions eo;
  eo.rev = o.at;
  eo.progress = bar.Callback();
  auto n = o.bundle ? (*repo)->ExportBundle(o.file, eo) : (*repo)->ExportJsonl(o.file, eo);
  bar.Finish();
  if (!n.ok()) return ctx.Fail(n.status());
  const std::string rev = BranchOrHead(**repo, o.at);
  if (ctx.options.json) {
    Json j = {{"file", o.file}, {"format", o.bundle ? "bundle" : "jsonl"}};
    if (o.bundle)
      j["objects"] = *n;
    else {
      j["rev"] = rev;
      j["memories"] = *n;
    }
    ctx.PrintJson(j);
  } else if (o.bundle) {
    Out("Wrote bundle " + o.file + ": " + Count(*n, "object", "objects") + "\n");
  } else {
    Out("Exported " + Count(*n, "memory", "memories") + " of " + rev + " to " + o.file + "\n");
  }
  return 0;
}

struct ImportArgs {
  std::string file, branch, author;
  std::vector<std::string> messages;
  bool bundle = false, force = false;
};

int RunImport(const Context& ctx, const ImportArgs& o) {
  if (o.bundle && (!o.branch.empty() || !o.messages.empty() || !o.author.empty()))
    return ctx.Usage("import", "--branch, --message and --author apply to JSON Lines, not to a bundle");
  if (!o.bundle && o.force) return ctx.Usage("import", "--force applies to bundles");
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  ProgressBar bar("importing", o.bundle ? "objects" : "memories");
  ImportOptions io;
  io.branch = o.branch;
  for (const auto& m : o.messages) io.message += (io.message.empty() ? "" : "\n\n") + m;
  io.author = o.author;
  io.force = o.force;
  io.progress = bar.Callback();
  auto r = o.bundle ? (*repo)->ImportBundle(o.file, io) : (*repo)->ImportJsonl(o.file, io);
  bar.Finish();
  if (!r.ok()) return ctx.Fail(r.status());
  const std::string branch = BranchOrHead(**repo, o.branch);
  if (ctx.options.json) {
    Json j = ToJson(*r);
    j["file"] = o.file;
    j["format"] = o.bundle ? "bundle" : "jsonl";
    if (!o.bundle) j["branch"] = branch;
    ctx.PrintJson(j);
  } else if (o.bundle) {
    Out("Imported bundle " + o.file + ": " + Count(r->objects, "object", "objects") + ", " +
        Count(r->refs, "ref", "refs") + "\n");
  } else if (r->commit.is_zero()) {
    Out("Read " + Count(r->memories, "memory", "memories") + " from " + o.file + "; nothing changed on " + branch +
        "\n");
  } else {
    Out("Imported " + Count(r->memories, "memory", "memories") + " into " + branch + " [" +
        ctx.Paint(ShortId(r->commit), style::kYellow) + "]\n");
  }
  return 0;
}

}  // namespace

void AddExport(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "export",
                         "Write the memories (JSON Lines) or the whole history (--bundle) to a file", RunExport);
  cmd->add_option("file", o->file, "File to write")->required();
  cmd->add_option("--at", o->at, "JSON Lines: the state to export (default: HEAD's branch, staged changes included)")
      ->type_name("REV");
  cmd->add_flag("--bundle", o->bundle, "Write a bundle: every commit, tree and memory of every branch and tag");
  cmd->footer(
      "JSON Lines hold one memory per line, every field, as `get --json` prints them; `import` reads them back\n"
      "(into one commit). A bundle keeps the history and refs; `import --bundle` restores them.\n");
}

void AddImport(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "import",
                         "Read memories (JSON Lines, one commit) or a bundle (--bundle) from a file", RunImport);
  cmd->add_option("file", o->file, "File to read")->required();
  cmd->add_flag("--bundle", o->bundle, "The file is a bundle (from 'export --bundle')");
  cmd->add_option("--branch", o->branch, "JSON Lines: branch to commit to (default: HEAD's)");
  cmd->add_option("-m,--message", o->messages, "JSON Lines: commit message")->allow_extra_args(false);
  cmd->add_option("--author", o->author, "JSON Lines: author of the commit");
  cmd->add_flag("-f,--force", o->force, "Bundle: move refs that exist here at other commits");
  cmd->footer("Every line (or the whole bundle) is checked before anything is written.\n");
}

}  // namespace gitmem::cli
