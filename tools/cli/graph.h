// Draws a commit DAG in the terminal the way `git log --graph` does: one lane per line of
// history, '*' for a commit, '|' for a lane passing by, '/' and '\' where lanes join or
// split, '_' where a join crosses other lanes.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "gitmem/history.hpp"
#include "gitmem/memory.hpp"

namespace gitmem::cli {

/// Orders commits so every commit comes before its parents (Kahn's algorithm), taking the
/// newest (timestamp, then generation) whenever several are ready — `git log --topo-order`.
std::vector<CommitInfo> TopoOrder(std::vector<CommitInfo> commits);

/// The graph parts of the lines printed for one commit.
struct GraphStep {
  std::vector<std::string> before;  ///< rows before the commit line (lanes joining)
  std::string commit;               ///< the commit line's graph, e.g. "| * "
  std::vector<std::string> after;   ///< rows after the commit line (lanes splitting at a merge)
  std::string padding;              ///< prefix of the commit's other lines, e.g. "| | "
  std::vector<std::string> settle;  ///< rows after those lines (lanes shifting left into gaps)
};

/// Feed commits in TopoOrder; each call returns what to draw for that commit.
class GraphRenderer {
 public:
  GraphStep Next(const ObjectId& id, const std::vector<ObjectId>& parents);

 private:
  std::string Row(int star_col) const;
  std::vector<std::string> Compact();

  std::vector<std::optional<ObjectId>> lanes_;  // the commit each lane waits for
};

}  // namespace gitmem::cli
