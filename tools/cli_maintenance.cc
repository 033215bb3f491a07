// `gitmem info`, `gc`, `export` and `import`.
#include <filesystem>

#include "cli_commands.h"
#include "cli_options.h"
#include "progress.h"
#include "text_format.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {
// "1 memory", "3 memories".
std::string Count(uint64_t n, const char* one, const char* many) { return std::to_string(n) + " " + (n == 1 ? one : many); }
}  // namespace

void AddInfo(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("info", "The repository's record: description, default branch, forks, upstream");
  out->push_back({cmd, [](Context& ctx) {
    auto store = ctx.FindStore();
    if (!store.ok()) return ctx.Fail(store.status());
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    auto info = (*repo)->Info();
    if (!info.ok()) return ctx.Fail(info.status());
    auto branches = (*repo)->ListBranches();
    if (!branches.ok()) return ctx.Fail(branches.status());
    auto tags = (*repo)->ListTags();
    if (!tags.ok()) return ctx.Fail(tags.status());
    const std::string current = (*repo)->CurrentBranch();
    std::optional<ObjectId> head;
    if (auto h = (*repo)->Resolve(current); h.ok()) head = *h;
    auto count = (*repo)->Count();
    if (!count.ok()) return ctx.Fail(count.status());
    std::error_code ec;
    const std::string abs = std::filesystem::absolute(*store, ec).lexically_normal().string();
    if (ctx.options.json) {
      Json j = ToJson(*info);
      j["store"] = abs;
      j["current_branch"] = current;
      j["head"] = head ? Json(head->hex()) : Json(nullptr);
      j["memories"] = *count;
      j["branches"] = branches->size();
      j["tags"] = tags->size();
      ctx.PrintJson(j);
      return 0;
    }
    auto row = [&](const std::string& k, const std::string& v) {
      std::string key = k;
      key.resize(16, ' ');
      return ctx.Paint(key, style::kBold) + v + "\n";
    };
    std::string text = row("repository", info->name);
    if (!info->description.empty()) text += row("description", info->description);
    text += row("store", abs);
    text += row("created", FormatLocal(info->created_at_us));
    text += row("default branch", info->default_branch);
    text += row("HEAD", current + (head ? " at " + ShortId(*head) : std::string(" (no commits)")) + ", " +
                            std::to_string(*count) + " memories");
    text += row("branches", std::to_string(branches->size()) + ", tags " + std::to_string(tags->size()));
    text += row("forks", std::to_string(info->forks) + ", stars " + std::to_string(info->stars) + ", watchers " +
                             std::to_string(info->watchers));
    if (!info->visibility.empty()) text += row("visibility", info->visibility);
    if (!info->upstream.empty()) text += row("upstream", info->upstream);
    Out(text);
    return 0;
  }});
}

void AddGc(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("gc", "Free the objects that no branch, tag or staged change of any repository reaches");
  auto dry_run = std::make_shared<bool>(false);
  cmd->add_flag("-n,--dry-run", *dry_run, "Only report what would be freed");
  cmd->footer("Safe while other readers and writers work; covers every repository in the store.\n");
  out->push_back({cmd, [dry_run](Context& ctx) {
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ProgressBar bar("gc", "objects");
    GcOptions go;
    go.dry_run = *dry_run;
    go.progress = bar.Callback();
    auto r = (*repo)->Gc(go);
    bar.Finish();
    if (!r.ok()) return ctx.Fail(r.status());
    if (ctx.options.json) {
      Json j = ToJson(*r);
      j["dry_run"] = *dry_run;
      ctx.PrintJson(j);
      return 0;
    }
    Out(std::string(*dry_run ? "Would free " : "Freed ") + std::to_string(r->objects_freed) + " object" +
        (r->objects_freed == 1 ? "" : "s") + " (" + HumanBytes(r->bytes_freed) + ") of " +
        std::to_string(r->objects_scanned) + " scanned; " + std::to_string(r->objects_reachable) + " reachable" +
        (r->session_entries_freed > 0
             ? "; " + std::to_string(r->session_entries_freed) + " session index entries"
             : std::string()) +
        (r->index_bytes_freed > 0 ? "; search index data " + HumanBytes(r->index_bytes_freed) + " (" +
                                        std::to_string(r->index_snapshots_freed) + " snapshots, " +
                                        std::to_string(r->vectors_freed) + " vectors)"
                                  : std::string()) +
        "\n");
    return 0;
  }});
}

void AddExport(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("export", "Write the memories (JSON Lines) or the whole history (--bundle) to a file");
  struct Opts {
    std::string file, at;
    bool bundle = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "File to write")->required();
  cmd->add_option("--at", o->at, "JSON Lines: the state to export (default: HEAD's branch, staged changes included)")
      ->type_name("REV");
  cmd->add_flag("--bundle", o->bundle, "Write a bundle: every commit, tree and memory of every branch and tag");
  cmd->footer(
      "JSON Lines hold one memory per line, every field, as `get --json` prints them; `import` reads them back\n"
      "(into one commit). A bundle keeps the history and refs; `import --bundle` restores them.\n");
  out->push_back({cmd, [o](Context& ctx) {
    if (o->bundle && !o->at.empty())
      return ctx.Usage("export", "--at applies to JSON Lines; a bundle holds every branch and tag");
    auto repo = ctx.Open(false);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ProgressBar bar("exporting", o->bundle ? "objects" : "memories");
    ExportOptions eo;
    eo.rev = o->at;
    eo.progress = bar.Callback();
    auto n = o->bundle ? (*repo)->ExportBundle(o->file, eo) : (*repo)->ExportJsonl(o->file, eo);
    bar.Finish();
    if (!n.ok()) return ctx.Fail(n.status());
    const std::string rev = o->at.empty() ? (*repo)->CurrentBranch() : o->at;
    if (ctx.options.json) {
      Json j = {{"file", o->file}, {"format", o->bundle ? "bundle" : "jsonl"}};
      if (o->bundle) j["objects"] = *n;
      else {
        j["rev"] = rev;
        j["memories"] = *n;
      }
      ctx.PrintJson(j);
    } else if (o->bundle) {
      Out("Wrote bundle " + o->file + ": " + Count(*n, "object", "objects") + "\n");
    } else {
      Out("Exported " + Count(*n, "memory", "memories") + " of " + rev + " to " + o->file + "\n");
    }
    return 0;
  }});
}

void AddImport(CLI::App& app, std::vector<Command>* out) {
  auto* cmd = app.add_subcommand("import", "Read memories (JSON Lines, one commit) or a bundle (--bundle) from a file");
  struct Opts {
    std::string file, branch, author;
    std::vector<std::string> messages;
    bool bundle = false, force = false;
  };
  auto o = std::make_shared<Opts>();
  cmd->add_option("file", o->file, "File to read")->required();
  cmd->add_flag("--bundle", o->bundle, "The file is a bundle (from 'export --bundle')");
  cmd->add_option("--branch", o->branch, "JSON Lines: branch to commit to (default: HEAD's)");
  cmd->add_option("-m,--message", o->messages, "JSON Lines: commit message")->allow_extra_args(false);
  cmd->add_option("--author", o->author, "JSON Lines: author of the commit");
  cmd->add_flag("-f,--force", o->force, "Bundle: move refs that exist here at other commits");
  cmd->footer("Every line (or the whole bundle) is checked before anything is written.\n");
  out->push_back({cmd, [o](Context& ctx) {
    if (o->bundle && (!o->branch.empty() || !o->messages.empty() || !o->author.empty()))
      return ctx.Usage("import", "--branch, --message and --author apply to JSON Lines, not to a bundle");
    if (!o->bundle && o->force) return ctx.Usage("import", "--force applies to bundles");
    auto repo = ctx.Open(true);
    if (!repo.ok()) return ctx.Fail(repo.status());
    ProgressBar bar("importing", o->bundle ? "objects" : "memories");
    ImportOptions io;
    io.branch = o->branch;
    for (const auto& m : o->messages) io.message += (io.message.empty() ? "" : "\n\n") + m;
    io.author = o->author;
    io.force = o->force;
    io.progress = bar.Callback();
    auto r = o->bundle ? (*repo)->ImportBundle(o->file, io) : (*repo)->ImportJsonl(o->file, io);
    bar.Finish();
    if (!r.ok()) return ctx.Fail(r.status());
    const std::string branch = o->branch.empty() ? (*repo)->CurrentBranch() : o->branch;
    if (ctx.options.json) {
      Json j = ToJson(*r);
      j["file"] = o->file;
      j["format"] = o->bundle ? "bundle" : "jsonl";
      if (!o->bundle) j["branch"] = branch;
      ctx.PrintJson(j);
    } else if (o->bundle) {
      Out("Imported bundle " + o->file + ": " + Count(r->objects, "object", "objects") + ", " +
          Count(r->refs, "ref", "refs") + "\n");
    } else if (r->commit.is_zero()) {
      Out("Read " + Count(r->memories, "memory", "memories") + " from " + o->file + "; nothing changed on " + branch + "\n");
    } else {
      Out("Imported " + Count(r->memories, "memory", "memories") + " into " + branch + " [" +
          ctx.Paint(ShortId(r->commit), style::kYellow) + "]\n");
    }
    return 0;
  }});
}

}  // namespace gitmem::cli
