// The crash writer (tests/crash/crash_writer.cc) as a child process, for the tests that
// kill it (crash_test.cc) or follow it from another process (stress_test.cc).
#pragma once

#include <spawn.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

extern char** environ;

namespace gitmem::testing {

/// Starts the crash writer on `store` (with `mode` as its third argument unless empty);
/// returns the read end of its stdout, where it prints its acknowledgements.
inline FILE* SpawnWriter(const std::string& store, const std::string& seed, const std::string& mode, pid_t* pid) {
  int fds[2];
  REQUIRE(pipe(fds) == 0);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
  posix_spawn_file_actions_addclose(&actions, fds[0]);
  std::string exe = GITMEM_CRASH_WRITER, store_arg = store, seed_arg = seed, mode_arg = mode;
  std::vector<char*> args = {exe.data(), store_arg.data(), seed_arg.data()};
  if (!mode_arg.empty()) args.push_back(mode_arg.data());
  args.push_back(nullptr);
  REQUIRE(posix_spawn(pid, exe.c_str(), &actions, nullptr, args.data(), environ) == 0);
  posix_spawn_file_actions_destroy(&actions);
  close(fds[1]);
  return fdopen(fds[0], "r");
}

}  // namespace gitmem::testing
