// The commands of `gitmem`: each adds a CLI11 subcommand and a function that runs it.
#pragma once

#include <CLI/CLI.hpp>

#include <functional>
#include <vector>

#include "cli_context.h"

namespace gitmem::cli {

struct Command {
  CLI::App* app;
  std::function<int(Context&)> run;  ///< returns the exit code
};

/// Adds every command to `app`.
std::vector<Command> RegisterCommands(CLI::App& app);

// The commands of the search and merge / maintenance engines, one file each.
void AddSearch(CLI::App& app, std::vector<Command>* out);       // cli_search.cc
void AddReindex(CLI::App& app, std::vector<Command>* out);
void AddMerge(CLI::App& app, std::vector<Command>* out);        // cli_merge.cc
void AddCherryPick(CLI::App& app, std::vector<Command>* out);
void AddRevert(CLI::App& app, std::vector<Command>* out);
void AddFork(CLI::App& app, std::vector<Command>* out);
void AddInfo(CLI::App& app, std::vector<Command>* out);         // cli_maintenance.cc
void AddGc(CLI::App& app, std::vector<Command>* out);
void AddExport(CLI::App& app, std::vector<Command>* out);
void AddImport(CLI::App& app, std::vector<Command>* out);

}  // namespace gitmem::cli
