// `gitmem init`, `repos`, `fork` and `info`: the repositories of a store.
#include <filesystem>
#include <memory>

#include "commands.h"
#include "format.h"
#include "options.h"
#include "timestamp.h"

namespace gitmem::cli {

namespace {

struct InitArgs {
  std::string branch = "main", description;
};

int RunInit(const Context& ctx, const InitArgs& o) {
  RepositoryOptions ro = ctx.RepoOptions();
  ro.default_branch = o.branch;
  ro.description = o.description;
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
}

int RunRepos(const Context& ctx, const NoArgs&) {
  GITMEM_TRY_OR_FAIL(ctx, path, ctx.FindStore());
  GITMEM_TRY_OR_FAIL(ctx, names, Repository::ListRepositories(*path));
  if (ctx.options.json) {
    ctx.PrintJson(*names);
  } else {
    for (const auto& n : *names) Out((n == ctx.options.name ? "* " : "  ") + n + "\n");
  }
  return 0;
}

int RunFork(const Context& ctx, const std::string& name) {
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(true));
  GITMEM_TRY_OR_FAIL(ctx, fork, (*repo)->Fork(name));
  GITMEM_TRY_OR_FAIL(ctx, info, (*fork)->Info());
  GITMEM_TRY_OR_FAIL(ctx, branches, (*fork)->ListBranches());
  if (ctx.options.json) {
    Json j = ToJson(*info);
    j["branches"] = branches->size();
    ctx.PrintJson(j);
  } else {
    Out("Forked " + (*repo)->name() + " to " + ctx.Paint(info->name, style::kBold) + " (" +
        std::to_string(branches->size()) + " branch" + (branches->size() == 1 ? "" : "es") + "); use it with --name " +
        info->name + "\n");
  }
  return 0;
}

int RunInfo(const Context& ctx, const NoArgs&) {
  GITMEM_TRY_OR_FAIL(ctx, store, ctx.FindStore());
  GITMEM_TRY_OR_FAIL(ctx, repo, ctx.Open(false));
  GITMEM_TRY_OR_FAIL(ctx, info, (*repo)->Info());
  GITMEM_TRY_OR_FAIL(ctx, branches, (*repo)->ListBranches());
  GITMEM_TRY_OR_FAIL(ctx, tags, (*repo)->ListTags());
  const std::string current = (*repo)->CurrentBranch();
  std::optional<ObjectId> head;
  if (auto h = (*repo)->Resolve(current); h.ok()) head = *h;
  GITMEM_TRY_OR_FAIL(ctx, count, (*repo)->Count());
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
}

}  // namespace

void AddInit(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, o] = Define(app, out, "init",
                         "Create a store (./.gitmem unless --repo or GITMEM_DIR) and a repository in it", RunInit);
  cmd->add_option("-b,--initial-branch", o->branch, "Name of the first branch")->capture_default_str();
  cmd->add_option("--description", o->description, "Description recorded in the repository");
}

void AddRepos(CLI::App& app, std::vector<Command>* out) {
  Define(app, out, "repos", "List the repositories in the store", RunRepos);
}

void AddFork(CLI::App& app, std::vector<Command>* out) {
  auto [cmd, name] =
      Define(app, out, "fork", "Copy this repository (branches, tags, HEAD) to a new one in the same store", RunFork);
  cmd->add_option("new_name", *name, "Name of the new repository, owner/name")->required();
  cmd->footer(
      "Objects are shared, so a fork costs one reference per branch and tag; staged changes stay behind.\n"
      "Work on the fork with --name NEW_NAME.\n");
}

void AddInfo(CLI::App& app, std::vector<Command>* out) {
  Define(app, out, "info", "The repository's record: description, default branch, forks, upstream", RunInfo);
}

}  // namespace gitmem::cli
