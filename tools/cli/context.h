// What every command of the command line shares: the global options, finding and opening
// the store, colours, and how results and errors are printed.
#pragma once

#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "gitmem/repository.hpp"
#include "json/codec.h"

namespace gitmem::cli {

// Every command prints --json through the one codec.
using json::FloatJson;
using json::Json;
using json::KindName;
using json::MergeJson;
using json::MetadataJson;
using json::ModeName;
using json::SearchJson;
using json::ToJson;
using json::ToJsonArray;

/// Options accepted by every command (before or after the command name).
struct GlobalOptions {
  std::string repo;                   ///< --repo PATH
  std::string name = "local/memory";  ///< --name owner/name
  bool json = false;                  ///< --json
  std::string color = "auto";         ///< --color auto|always|never
};

/// ANSI styles; empty strings when colour is off.
namespace style {
inline constexpr const char* kReset = "\033[0m";
inline constexpr const char* kBold = "\033[1m";
inline constexpr const char* kDim = "\033[2m";
inline constexpr const char* kRed = "\033[31m";
inline constexpr const char* kGreen = "\033[32m";
inline constexpr const char* kYellow = "\033[33m";
inline constexpr const char* kMagenta = "\033[35m";
inline constexpr const char* kCyan = "\033[36m";
inline constexpr const char* kBoldCyan = "\033[1;36m";
inline constexpr const char* kBoldGreen = "\033[1;32m";
inline constexpr const char* kBoldYellow = "\033[1;33m";
}  // namespace style

/// Writes `text` to stdout.
void Out(std::string_view text);

class Context {
 public:
  GlobalOptions options;
  /// Decided once in main(): --color, NO_COLOR, TERM=dumb and isatty(stdout).
  bool color = false;

  /// Where `gitmem init` creates the store: --repo, else GITMEM_DIR, else ./.gitmem.
  std::string InitPath() const;
  /// The store for every other command: --repo, else GITMEM_DIR, else the nearest
  /// `.gitmem` directory in the current folder or a parent.
  Result<std::string> FindStore() const;
  /// Opens --name in the store. A reader (`write == false`) falls back to a read-only
  /// open when another process (say `gitmem mcp`) holds the store for writing.
  Result<std::unique_ptr<Repository>> Open(bool write) const;
  /// Options for Repository::Open/Init: --name, and GITMEM_AUTHOR as the default author.
  RepositoryOptions RepoOptions() const;

  /// `text` wrapped in an ANSI style when colour is on.
  std::string Paint(std::string_view text, const char* ansi) const;

  /// Prints a failed Status as one line on stderr; returns exit code 1.
  int Fail(const Status& s) const;
  /// Prints a usage error for `command` as one line on stderr; returns exit code 2.
  int Usage(std::string_view command, std::string_view message) const;
  /// Prints `j` on stdout (pretty, two spaces).
  void PrintJson(const Json& j) const;
  /// With --json, prints `items` as a JSON array and returns true; else returns false.
  template <class T>
  bool PrintJsonList(const std::vector<T>& items) const {
    if (options.json) PrintJson(ToJsonArray(items));
    return options.json;
  }
  /// Prints `items`: with --json as a JSON array, else the concatenated `line(item)`s
  /// (each ending with a newline). Returns exit code 0.
  template <class T, class Line>
  int PrintList(const std::vector<T>& items, Line line) const {
    if (PrintJsonList(items)) return 0;
    std::string text;
    for (const T& item : items) text += line(item);
    Out(text);
    return 0;
  }
};

/// In a command: `var` = the Result of `expr`; when it failed, prints the error and
/// returns exit code 1 (Context::Fail), as GITMEM_ASSIGN_OR_RETURN does in the library.
#define GITMEM_TRY_OR_FAIL(ctx, var, expr) \
  auto var = (expr);                       \
  if (!var.ok()) return (ctx).Fail(var.status())

/// In a command: when the Status `expr` fails, prints the error and returns exit code 1.
#define GITMEM_CHECK_OR_FAIL(ctx, expr)                                \
  do {                                                                 \
    if (::gitmem::Status s_ = (expr); !s_.ok()) return (ctx).Fail(s_); \
  } while (0)

}  // namespace gitmem::cli
