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

}  // namespace gitmem::cli
