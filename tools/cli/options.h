// Option parsing shared by the commands: validators, --at/--as-of, --meta key=value, and
// small text helpers.
#pragma once

#include <CLI/CLI.hpp>

#include <string>
#include <vector>

#include "context.h"
#include "gitmem/repository.hpp"

namespace gitmem::cli {

/// A number in [0, 1].
extern const CLI::Validator kUnitInterval;
/// A time ParseTime accepts.
extern const CLI::Validator kTimeValidator;
extern const std::vector<std::string> kTypes;   ///< memory types, lowercase
extern const std::vector<std::string> kScopes;  ///< scopes, lowercase

/// Accepts exactly one of `names`; the message lists them.
CLI::Validator OneOf(const std::vector<std::string>& names);

/// Where a read looks: --at REV and --as-of TIME.
struct ReadFlags {
  std::string at;
  std::string as_of;
  void Add(CLI::App* cmd);
  ReadOptions Get() const;
};

/// key=value pairs into a JSON object; a value that parses as JSON keeps its type.
Result<Json> ParseMeta(const std::vector<std::string>& pairs, Json base);

/// The first 12 hex digits.
std::string ShortId(const ObjectId& id);
std::string FirstLine(const std::string& s);

}  // namespace gitmem::cli
