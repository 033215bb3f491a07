#include "options.h"

#include <algorithm>

#include "timestamp.h"

namespace gitmem::cli {

const CLI::Validator kUnitInterval(
    [](std::string& v) -> std::string {
      try {
        size_t used = 0;
        const double d = std::stod(v, &used);
        if (used == v.size() && d >= 0.0 && d <= 1.0) return {};
      } catch (const std::exception&) {
      }
      return "'" + v + "' is not a number between 0 and 1";
    },
    "0..1");

const CLI::Validator kTimeValidator(
    [](std::string& v) -> std::string {
      if (ParseTime(v)) return {};
      return "'" + v + "' is not a time (try 2026-01-31T12:00:00Z, 2026-01-31, @<unix seconds> or now)";
    },
    "TIME");

const std::vector<std::string> kTypes = {"episodic", "semantic", "procedural", "state"};
const std::vector<std::string> kScopes = {"private", "shared", "global"};

CLI::Validator OneOf(const std::vector<std::string>& names) {
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : "|") + n;
  return CLI::Validator(
      [names, list](std::string& v) -> std::string {
        if (std::find(names.begin(), names.end(), v) != names.end()) return {};
        return "'" + v + "' is not one of " + list;
      },
      list);
}

void ReadFlags::Add(CLI::App* cmd) {
  cmd->add_option("--at", at, "Read at a revision: branch (its staged changes included), tag, commit id, REV~N")
      ->type_name("REV");
  cmd->add_option("--as-of", as_of, "Time travel: the newest commit at or before TIME (RFC 3339, @unix, now)")
      ->check(kTimeValidator)
      ->type_name("TIME");
}

ReadOptions ReadFlags::Get() const {
  ReadOptions r;
  r.rev = at;
  if (!as_of.empty()) r.as_of_us = ParseTime(as_of);
  return r;
}

// key=value pairs into a JSON object; a value that parses as JSON keeps its type.
Result<Json> ParseMeta(const std::vector<std::string>& pairs, Json base) {
  if (!base.is_object()) base = Json::object();
  for (const std::string& kv : pairs) {
    const size_t eq = kv.find('=');
    if (eq == std::string::npos || eq == 0) return Status::InvalidArgument("--meta '" + kv + "': expected key=value");
    const std::string key = kv.substr(0, eq), value = kv.substr(eq + 1);
    Json v = Json::parse(value, nullptr, /*allow_exceptions=*/false);
    base[key] = v.is_discarded() ? Json(value) : v;
  }
  return base;
}

std::string ShortId(const ObjectId& id) { return id.short_hex(12); }

std::string FirstLine(const std::string& s) { return s.substr(0, s.find('\n')); }

}  // namespace gitmem::cli
