// Helpers shared by the unit tests: temporary store directories and memory builders.
#pragma once

#include <filesystem>
#include <random>
#include <string>

#include <catch2/catch.hpp>

#include "gitmem/gitmem.hpp"

namespace gitmem::testing {

/// A fresh directory under the system temp dir, removed when the object dies.
class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ =
        std::filesystem::temp_directory_path() / ("gitmem-test-" + std::to_string(rd()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  std::string path() const { return path_.string(); }
  std::string sub(const std::string& name) const { return (path_ / name).string(); }

 private:
  std::filesystem::path path_;
};

inline Memory MakeMemory(std::string id, std::string content) {
  Memory m;
  m.id = std::move(id);
  m.content = std::move(content);
  return m;
}

/// Creates a repository in `dir`, failing the test with the status message otherwise.
inline std::unique_ptr<Repository> NewTestRepo(const TempDir& dir, RepositoryOptions options = {}) {
  auto r = Repository::Init(options, dir.path());
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

/// Runs a search, failing the test with the status message otherwise.
inline std::vector<SearchHit> MustSearch(Repository& repo, const SearchOptions& options) {
  auto r = repo.Search(options);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return std::move(r).value();
}

/// Commits what is staged on `branch` ("" = HEAD's), failing the test otherwise.
inline ObjectId MustCommit(Repository& repo, std::string message = "c", std::string branch = {},
                           int64_t timestamp_us = 0) {
  CommitOptions co;
  co.message = std::move(message);
  co.branch = std::move(branch);
  co.timestamp_us = timestamp_us;
  auto r = repo.Commit(co);
  INFO(r.status().ToString());
  REQUIRE(r.ok());
  return *r;
}

/// Unwraps a Result in a test, failing loudly with the status message.
#define REQUIRE_OK(expr)                                       \
  do {                                                         \
    auto&& gitmem_req_ = (expr);                               \
    INFO(::gitmem::testing::StatusOf(gitmem_req_).ToString()); \
    REQUIRE(::gitmem::testing::StatusOf(gitmem_req_).ok());    \
  } while (0)

inline const Status& StatusOf(const Status& s) { return s; }
template <typename T>
const Status& StatusOf(const Result<T>& r) {
  return r.status();
}

}  // namespace gitmem::testing
