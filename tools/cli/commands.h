// The commands of `gitmem`: each adds a CLI11 subcommand and a function that runs it.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "context.h"

namespace gitmem::cli {

struct Command {
  CLI::App* app;
  std::function<int(Context&)> run;  ///< returns the exit code
};

/// Adds every command to `app`.
std::vector<Command> RegisterCommands(CLI::App& app);

/// Adds some commands to `app`, each with the function that runs it.
using AddCommands = void(CLI::App& app, std::vector<Command>* out);

// One file per concept.
AddCommands AddAdd, AddUpdate, AddRm, AddGet, AddList, AddSession;       // memory.cc
AddCommands AddCommit, AddStatus, AddLog, AddShow, AddDiff, AddHistory;  // history.cc
AddCommands AddBranch, AddCheckout, AddReset, AddTag;                    // branch.cc
AddCommands AddMerge, AddCherryPick, AddRevert;                          // merge.cc
AddCommands AddSearch, AddReindex;                                       // search.cc
AddCommands AddFsck, AddGc, AddStats;                                    // maintenance.cc
AddCommands AddExport, AddImport;                                        // transfer.cc
AddCommands AddInit, AddRepos, AddFork, AddInfo;                         // repository.cc
AddCommands AddMcp;                                                      // ../mcp/server.cc

}  // namespace gitmem::cli
