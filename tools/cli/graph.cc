#include "graph.h"

#include <algorithm>
#include <map>
#include <queue>
#include <set>

namespace gitmem::cli {

namespace {

void RightTrim(std::string* s) {
  while (!s->empty() && s->back() == ' ') s->pop_back();
}

}  // namespace

std::vector<CommitInfo> TopoOrder(std::vector<CommitInfo> commits) {
  std::map<ObjectId, size_t> index;
  for (size_t i = 0; i < commits.size(); ++i) index.emplace(commits[i].id, i);
  std::vector<size_t> children(commits.size(), 0);
  for (const CommitInfo& c : commits)
    for (const ObjectId& p : c.parents)
      if (auto it = index.find(p); it != index.end()) ++children[it->second];
  auto older = [&](size_t a, size_t b) {
    const CommitInfo &x = commits[a], &y = commits[b];
    return std::tie(x.timestamp_us, x.generation, x.id) < std::tie(y.timestamp_us, y.generation, y.id);
  };
  std::priority_queue<size_t, std::vector<size_t>, decltype(older)> ready(older);
  for (size_t i = 0; i < commits.size(); ++i)
    if (children[i] == 0) ready.push(i);
  std::vector<CommitInfo> out;
  out.reserve(commits.size());
  std::set<ObjectId> done;
  while (!ready.empty()) {
    const size_t i = ready.top();
    ready.pop();
    for (const ObjectId& p : commits[i].parents)
      if (auto it = index.find(p); it != index.end() && --children[it->second] == 0) ready.push(it->second);
    out.push_back(std::move(commits[i]));
  }
  return out;
}

std::string GraphRenderer::Row(int star_col) const {
  std::string row;
  for (size_t k = 0; k < lanes_.size(); ++k) {
    if (k > 0) row.push_back(' ');
    row.push_back(static_cast<int>(k) == star_col ? '*' : lanes_[k] ? '|' : ' ');
  }
  RightTrim(&row);
  return row;
}

std::vector<std::string> GraphRenderer::Compact() {
  std::vector<std::string> rows;
  while (!lanes_.empty() && !lanes_.back()) lanes_.pop_back();
  for (;;) {
    auto hole = std::find(lanes_.begin(), lanes_.end(), std::nullopt);
    if (hole == lanes_.end()) break;
    const size_t h = static_cast<size_t>(hole - lanes_.begin());
    // Every lane right of the gap moves one column left.
    std::string row(2 * lanes_.size(), ' ');
    for (size_t k = 0; k < lanes_.size(); ++k) {
      if (!lanes_[k]) continue;
      if (k < h)
        row[2 * k] = '|';
      else
        row[2 * k - 1] = '/';
    }
    RightTrim(&row);
    rows.push_back(row);
    lanes_.erase(hole);
    while (!lanes_.empty() && !lanes_.back()) lanes_.pop_back();
  }
  return rows;
}

GraphStep GraphRenderer::Next(const ObjectId& id, const std::vector<ObjectId>& parents) {
  GraphStep step;
  std::vector<size_t> waiting;
  for (size_t k = 0; k < lanes_.size(); ++k)
    if (lanes_[k] == id) waiting.push_back(k);

  size_t col;
  if (waiting.empty()) {
    // A new line of history (a branch tip): the first free lane, else a new one.
    auto hole = std::find(lanes_.begin(), lanes_.end(), std::nullopt);
    col = static_cast<size_t>(hole - lanes_.begin());
    if (hole == lanes_.end()) lanes_.emplace_back();
    lanes_[col] = id;
  } else {
    col = waiting.front();
    if (waiting.size() > 1) {
      // Several lanes waited for this commit (history forked here): join them into `col`.
      std::string row(2 * lanes_.size(), ' ');
      for (size_t k = 0; k < lanes_.size(); ++k)
        if (lanes_[k] && (lanes_[k] != id || k == col)) row[2 * k] = '|';
      for (size_t w = 1; w < waiting.size(); ++w) {
        const size_t k = waiting[w];
        row[2 * k - 1] = '/';
        for (size_t p = 2 * col + 1; p + 1 < 2 * k; ++p)
          if (row[p] == ' ') row[p] = '_';
        lanes_[k].reset();
      }
      RightTrim(&row);
      step.before.push_back(row);
      for (std::string& r : Compact()) step.before.push_back(std::move(r));
    }
  }

  step.commit = Row(static_cast<int>(col)) + " ";

  lanes_[col] = parents.empty() ? std::nullopt : std::optional<ObjectId>(parents[0]);
  // A merge: each further parent gets a lane right after this one; lanes to the right move.
  for (size_t i = 1; i < parents.size(); ++i) {
    const size_t at = col + i;
    std::string row(2 * (lanes_.size() + 1), ' ');
    for (size_t k = 0; k < lanes_.size(); ++k) {
      if (!lanes_[k]) continue;
      if (k < at)
        row[2 * k] = '|';
      else
        row[2 * k + 1] = '\\';
    }
    row[2 * at - 1] = '\\';
    RightTrim(&row);
    step.after.push_back(row);
    lanes_.insert(lanes_.begin() + static_cast<std::ptrdiff_t>(at), parents[i]);
  }

  step.padding = Row(-1);
  step.padding.resize(std::max<size_t>(step.padding.size(), 2 * lanes_.size() - (lanes_.empty() ? 0 : 1)), ' ');
  step.padding += " ";
  step.settle = Compact();
  return step;
}

}  // namespace gitmem::cli
