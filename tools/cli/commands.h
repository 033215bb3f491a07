// The commands of `gitmem`: each adds a CLI11 subcommand and a function that runs it.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "context.h"

namespace gitmem::cli {

struct Command {
  CLI::App* app;
  std::function<int(Context&)> run;  ///< returns the exit code
};

/// The arguments of a command that takes none.
struct NoArgs {};

/// Adds the subcommand `name` to `app` and its entry to `out`, which runs `run` with the
/// command's arguments: a fresh `Args` that lives as long as the command. Returns the
/// subcommand and those arguments, for the caller to bind them to options and flags.
template <class Args>
std::pair<CLI::App*, Args*> Define(CLI::App& app, std::vector<Command>* out, std::string name, std::string help,
                                   int (*run)(const Context&, const Args&)) {
  CLI::App* cmd = app.add_subcommand(std::move(name), std::move(help));
  auto args = std::make_shared<Args>();
  out->push_back({cmd, [args, run](Context& ctx) { return run(ctx, *args); }});
  return {cmd, args.get()};
}

/// Adds every command to `app`.
std::vector<Command> RegisterCommands(CLI::App& app);

/// Adds some commands to `app`, each with the function that runs it.
using AddCommands = void(CLI::App& app, std::vector<Command>* out);

// One file per concept.
AddCommands AddAdd, AddUpdate, AddRm, AddGet, AddList, AddSession;       // memory.cc
AddCommands AddCommit, AddStatus, AddLog, AddShow, AddDiff, AddHistory;  // history.cc
AddCommands AddBranch, AddCheckout, AddReset, AddTag;                    // branch.cc
AddCommands AddMerge, AddCherryPick, AddRevert;                          // merge.cc
AddCommands AddSearch, AddReindex, AddIndex;                             // search.cc
AddCommands AddFsck, AddGc, AddStats;                                    // maintenance.cc
AddCommands AddExport, AddImport;                                        // transfer.cc
AddCommands AddInit, AddRepos, AddFork, AddInfo;                         // repository.cc
AddCommands AddMcp;                                                      // ../mcp/server.cc

}  // namespace gitmem::cli
