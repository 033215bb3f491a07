// gitmem — the command line of gitmem: git for the memories of AI agents.
#include <unistd.h>

#include <cstdlib>
#include <iostream>

#include <CLI/CLI.hpp>

#include "commands.h"
#include "context.h"

namespace {

bool DecideColor(const std::string& mode) {
  if (mode == "always") return true;
  if (mode == "never") return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0') return false;
  const char* term = std::getenv("TERM");
  if (term != nullptr && std::string(term) == "dumb") return false;
  return isatty(STDOUT_FILENO) != 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace gitmem::cli;
  CLI::App app{"gitmem: memory for AI agents with git semantics (commits, branches, diff, history)", "gitmem"};
  app.set_version_flag("--version", std::string("gitmem ") + gitmem::Version());
  app.fallthrough();  // global options are accepted after the command name too
  app.require_subcommand(0, 1);

  Context ctx;
  app.add_option("--repo", ctx.options.repo, "Store directory (default: GITMEM_DIR, else the nearest .gitmem)")
      ->type_name("PATH");
  app.add_option("--name", ctx.options.name, "Repository in the store, owner/name")->capture_default_str();
  app.add_flag("--json", ctx.options.json, "Machine-readable output");
  app.add_option("--color", ctx.options.color, "Colour output")
      ->check(CLI::IsMember({"auto", "always", "never"}))
      ->capture_default_str();
  app.footer(
      "Every command takes --help. Exit codes: 0 ok, 1 error, 2 usage.\n"
      "Environment: GITMEM_DIR (store), GITMEM_AUTHOR (default author), NO_COLOR.");

  std::vector<Command> commands = RegisterCommands(app);
  for (const Command& c : commands) {
    c.app->footer(c.app->get_footer() + (c.app->get_footer().empty() ? "" : "\n") +
                  "Global options: --repo PATH, --name owner/name, --json, --color auto|always|never");
  }

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::string command;  // "index wait" for a nested command
    const CLI::App* at = &app;
    while (!at->get_subcommands().empty()) {
      at = at->get_subcommands().back();
      command += (command.empty() ? "" : " ") + at->get_name();
    }
    std::string message = e.what();
    if (at != &app && !at->get_subcommands({}).empty()) {  // a group such as `index` without a known command
      message = "expected one of its commands:";
      for (const CLI::App* sub : at->get_subcommands({})) message += " " + sub->get_name();
    }
    if (command.empty() && dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr && argc > 1) {
      // The first word that is not an option is not a command we know.
      for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (!arg.empty() && arg[0] != '-') {
          message = "'" + arg + "' is not a gitmem command";
          break;
        }
      }
    }
    return ctx.Usage(command, message);
  }

  ctx.color = DecideColor(ctx.options.color);
  for (const Command& c : commands) {
    if (c.app->parsed()) {  // parsed(), not got_subcommand(): commands may be nested
      try {
        return c.run(ctx);
      } catch (const std::exception& e) {
        return ctx.Fail(gitmem::Status::Internal(e.what()));
      }
    }
  }
  std::cerr << app.help();
  return 2;
}
