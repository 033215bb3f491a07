// The list of commands, in the order `gitmem --help` shows them.
#include "commands.h"

namespace gitmem::cli {

std::vector<Command> RegisterCommands(CLI::App& app) {
  static AddCommands* const kInOrder[] = {
      AddInit, AddAdd,    AddUpdate,   AddRm,      AddCommit,  AddStatus, AddLog,        AddShow,
      AddDiff, AddBranch, AddCheckout, AddReset,   AddTag,     AddMerge,  AddCherryPick, AddRevert,
      AddFork, AddGet,    AddList,     AddHistory, AddSession, AddSearch, AddReindex,    AddIndex,
      AddFsck, AddStats,  AddInfo,     AddGc,      AddExport,  AddImport, AddRepos,      AddMcp};
  std::vector<Command> out;
  for (AddCommands* add : kInOrder) add(app, &out);
  return out;
}

}  // namespace gitmem::cli
