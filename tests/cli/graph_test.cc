// Unit test of the commit-graph drawing of `gitmem log --graph` (tools/graph.cc) on made-up
// DAGs, merges included; cli_e2e.py draws a real merge end to end.
#include <cstdio>
#include <string>
#include <vector>

#include "graph.h"

using gitmem::CommitInfo;
using gitmem::ObjectId;
using gitmem::cli::GraphRenderer;
using gitmem::cli::GraphStep;
using gitmem::cli::TopoOrder;

namespace {

int failures = 0;

ObjectId Id(int n) {
  ObjectId id;
  id.bytes[0] = static_cast<uint8_t>(n);
  return id;
}

CommitInfo C(int n, std::vector<int> parents, int64_t ts) {
  CommitInfo c;
  c.id = Id(n);
  for (int p : parents) c.parents.push_back(Id(p));
  c.timestamp_us = ts;
  return c;
}

// Draws commits in TopoOrder as `log --graph --oneline` would, the label being "c<n>".
std::string Draw(std::vector<CommitInfo> commits) {
  GraphRenderer g;
  std::string out;
  for (const CommitInfo& c : TopoOrder(std::move(commits))) {
    GraphStep s = g.Next(c.id, c.parents);
    for (auto& r : s.before) out += r + "\n";
    out += s.commit + "c" + std::to_string(c.id.bytes[0]) + "\n";
    for (auto& r : s.after) out += r + "\n";
    for (auto& r : s.settle) out += r + "\n";
  }
  return out;
}

void Expect(const char* name, const std::string& got, const std::string& want) {
  if (got == want) {
    std::printf("ok   %s\n", name);
    return;
  }
  ++failures;
  std::printf("FAIL %s\n--- got\n%s--- want\n%s", name, got.c_str(), want.c_str());
}

}  // namespace

int main() {
  Expect("linear history", Draw({C(1, {}, 1), C(2, {1}, 2), C(3, {2}, 3)}), "* c3\n* c2\n* c1\n");

  Expect("two branches fork from one commit", Draw({C(1, {}, 1), C(2, {1}, 2), C(3, {1}, 3)}),
         "* c3\n"
         "| * c2\n"
         "|/\n"
         "* c1\n");

  Expect("three branches fork from one commit", Draw({C(1, {}, 1), C(2, {1}, 2), C(3, {1}, 3), C(4, {1}, 4)}),
         "* c4\n"
         "| * c3\n"
         "| | * c2\n"
         "|/_/\n"
         "* c1\n");

  Expect("a join crosses a lane that goes on",
         Draw({C(1, {}, 1), C(5, {}, 0), C(2, {1}, 3), C(3, {5}, 4), C(4, {1}, 5)}),
         "* c4\n"
         "| * c3\n"
         "| | * c2\n"
         "|_|/\n"
         "* | c1\n"
         " /\n"
         "* c5\n");

  Expect("a merge splits and joins lanes", Draw({C(1, {}, 1), C(2, {1}, 2), C(3, {1}, 3), C(4, {2, 3}, 4)}),
         "* c4\n"
         "|\\\n"
         "| * c3\n"
         "* | c2\n"
         "|/\n"
         "* c1\n");

  Expect("a lane ends at a root while another goes on", Draw({C(1, {}, 1), C(2, {}, 2), C(3, {1}, 3), C(4, {2}, 4)}),
         "* c4\n"
         "| * c3\n"
         "* | c2\n"
         " /\n"
         "* c1\n");

  // Children always come before parents, even when a parent has a later timestamp.
  auto order = TopoOrder({C(1, {}, 50), C(2, {1}, 10), C(3, {2}, 20)});
  Expect("topological order despite clock skew",
         std::to_string(order[0].id.bytes[0]) + std::to_string(order[1].id.bytes[0]) +
             std::to_string(order[2].id.bytes[0]),
         "321");

  std::printf(failures == 0 ? "all graph checks passed\n" : "%d graph checks failed\n", failures);
  return failures == 0 ? 0 : 1;
}
