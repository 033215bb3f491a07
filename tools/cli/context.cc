#include "context.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>

namespace gitmem::cli {

namespace fs = std::filesystem;

namespace {

// A path given explicitly may name the store or a folder holding `.gitmem`.
std::string ExplicitStore(const std::string& given) {
  std::error_code ec;
  const fs::path p(given);
  if (!fs::exists(p / "CURRENT", ec) && fs::is_directory(p / ".gitmem", ec)) return (p / ".gitmem").string();
  return given;
}

const char* EnvOrNull(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? v : nullptr;
}

}  // namespace

void Out(std::string_view text) { std::cout << text; }

std::string Context::InitPath() const {
  if (!options.repo.empty()) return options.repo;
  if (const char* dir = EnvOrNull("GITMEM_DIR")) return dir;
  return ".gitmem";
}

Result<std::string> Context::FindStore() const {
  std::error_code ec;
  std::string given;
  const char* where = nullptr;
  if (!options.repo.empty()) {
    given = options.repo;
    where = "--repo";
  } else if (const char* dir = EnvOrNull("GITMEM_DIR")) {
    given = dir;
    where = "GITMEM_DIR";
  }
  if (where != nullptr) {
    if (!fs::exists(given, ec))
      return Status::NotFound("no gitmem store at '" + given + "' (from " + where +
                              "); create one with 'gitmem init --repo " + given + "'");
    return ExplicitStore(given);
  }
  fs::path dir = fs::current_path(ec);
  if (ec) return Status::IoError("cannot read the current directory: " + ec.message());
  for (;;) {
    if (fs::is_directory(dir / ".gitmem", ec)) return (dir / ".gitmem").string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) break;
    dir = dir.parent_path();
  }
  return Status::NotFound(
      "not in a gitmem store: no .gitmem directory here or in any parent; run 'gitmem init', "
      "or pass --repo PATH or set GITMEM_DIR");
}

RepositoryOptions Context::RepoOptions() const {
  RepositoryOptions ro;
  ro.name = options.name;
  if (const char* author = EnvOrNull("GITMEM_AUTHOR")) ro.default_author = author;
  return ro;
}

Result<std::unique_ptr<Repository>> Context::Open(bool write) const {
  GITMEM_ASSIGN_OR_RETURN(std::string path, FindStore());
  RepositoryOptions ro = RepoOptions();
  auto repo = Repository::Open(ro, path);
  if (!repo.ok() && !write && repo.status().code() == Status::Code::kBusy) {
    ro.read_only = true;
    repo = Repository::Open(ro, path);
  }
  if (!repo.ok() && write && repo.status().code() == Status::Code::kBusy) {
    return Status::Busy(repo.status().message() + " (is another gitmem, such as 'gitmem mcp', using this store?)");
  }
  if (!repo.ok() && repo.status().IsNotFound() && repo.status().message().starts_with("repository ")) {
    return Status::NotFound(repo.status().message() + "; create it with 'gitmem init --name " + options.name + "'");
  }
  return repo;
}

std::string Context::Paint(std::string_view text, const char* ansi) const {
  if (!color || text.empty()) return std::string(text);
  std::string out(ansi);
  out.append(text);
  out.append(style::kReset);
  return out;
}

int Context::Fail(const Status& s) const {
  std::cout.flush();
  if (options.json) {
    std::cerr << Json{{"error", ToJson(s)}}.dump() << '\n';
  } else {
    std::string msg = s.message().empty() ? StatusCodeName(s.code()) : s.message();
    for (char& c : msg)
      if (c == '\n') c = ' ';
    std::cerr << "gitmem: " << msg << '\n';
  }
  return 1;
}

int Context::Usage(std::string_view command, std::string_view message) const {
  std::cout.flush();
  const std::string cmd = command.empty() ? "gitmem" : "gitmem " + std::string(command);
  if (options.json) {
    std::cerr << Json{{"error", {{"code", "usage"}, {"message", std::string(message)}}}}.dump() << '\n';
  } else {
    std::cerr << cmd << ": " << message << " (see '" << cmd << " --help')\n";
  }
  return 2;
}

void Context::PrintJson(const Json& j) const {
  std::cout << j.dump(2, ' ', false, Json::error_handler_t::replace) << '\n';
}

}  // namespace gitmem::cli
