// SearchEngine's background worker: indexes big commits as they land and builds the
// approximate graphs that segments await, off the caller's path (docs/search.md,
// "Background indexing"). Work survives a restart because each step persists what it
// made: a manifest naming exact segments is loaded as it is, and its graphs are built
// again by the next worker that loads it.
#include <fmt/format.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>

#include "search/engine/search_engine.h"

namespace gitmem::search {

namespace {
constexpr int kWorkerNice = 10;
}  // namespace

void SearchEngine::Schedule(const std::string& branch) {
  if (!options_.background_indexing || branch.empty()) return;
  MutexLock lock(&work_mu_);
  if (stopping_) return;
  if (std::find(queue_.begin(), queue_.end(), branch) == queue_.end()) queue_.push_back(branch);
  if (!worker_.joinable()) worker_ = std::thread([this] { WorkerLoop(); });
  work_cv_.notify_all();
}

bool SearchEngine::Indexing() const {
  MutexLock lock(&work_mu_);
  return working_ || !queue_.empty();
}

bool SearchEngine::Complete(const std::string& branch) {
  auto head = repo_->BranchHead(branch);
  if (!head.ok()) return false;
  if (!*head) return true;  // unborn: nothing to index
  auto tree = repo_->TreeOfCommit(**head);
  if (!tree.ok()) return false;
  MutexLock lock(&mu_);
  auto it = branch_.find(branch);
  return it != branch_.end() && it->second->tree == *tree && it->second->vec.VectorsAwaitingGraph() == 0;
}

Status SearchEngine::WaitIdle(const std::string& branch, int64_t timeout_ms) {
  if (!options_.background_indexing) return Status::Ok();  // everything was built in place
  if (!Indexing() && Complete(branch)) return Status::Ok();
  Schedule(branch);
  // Beyond a year is no limit (and would overflow the clock's arithmetic).
  constexpr int64_t kNoLimitBeyond = int64_t{365} * 24 * 3600 * 1000;
  if (timeout_ms > kNoLimitBeyond) timeout_ms = -1;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(std::max<int64_t>(timeout_ms, 0));
  MutexLock lock(&work_mu_);
  while (working_ || !queue_.empty()) {
    if (stopping_) return Status::Busy("search index: the repository is closing");
    if (timeout_ms < 0) {
      work_cv_.wait(work_mu_);
    } else if (work_cv_.wait_until(work_mu_, deadline) == std::cv_status::timeout) {
      return Status::Busy(fmt::format("search index: still building after {} ms", timeout_ms));
    }
  }
  return last_error_;
}

void SearchEngine::StopWorker() {
  std::thread worker;
  {
    MutexLock lock(&work_mu_);
    stopping_ = true;
    cancel_.store(true);
    work_cv_.notify_all();
    worker = std::move(worker_);
  }
  if (worker.joinable()) worker.join();
}

void SearchEngine::WorkerLoop() {
  // Below the callers' threads: a graph build takes minutes of both cores, and commits,
  // reads and searches should not wait behind it. Threads this one starts (FAISS's
  // OpenMP team) inherit the priority.
  (void)setpriority(PRIO_PROCESS, static_cast<id_t>(syscall(SYS_gettid)), kWorkerNice);
  MutexLock lock(&work_mu_);
  for (;;) {
    while (queue_.empty() && !stopping_) work_cv_.wait(work_mu_);
    if (stopping_) return;
    const std::string branch = std::move(queue_.front());
    queue_.pop_front();
    working_ = true;
    work_mu_.Unlock();
    Status s = IndexBranch(branch);
    work_mu_.Lock();
    working_ = false;
    // A cancelled build is not an error: the next open builds it again. A failed one is
    // not retried until something schedules the branch again (the state it made may have
    // queued it already), so a persistent failure cannot spin.
    if (!s.ok() && !stopping_) {
      last_error_ = s;
      queue_.erase(std::remove(queue_.begin(), queue_.end(), branch), queue_.end());
    }
    if (s.ok()) last_error_ = Status::Ok();
    work_cv_.notify_all();
  }
}

Status SearchEngine::IndexBranch(const std::string& branch) {
  GITMEM_ASSIGN_OR_RETURN(auto head, repo_->BranchHead(branch));
  if (!head) return Status::Ok();
  GITMEM_ASSIGN_OR_RETURN(IndexStatePtr state, CommitState(*head, branch));
  bool built = false;
  for (const auto& exact : state->vec.SegmentsAwaitingGraph()) {
    GITMEM_ASSIGN_OR_RETURN(auto with_graph, index::VectorSegment::WithGraph(*exact, vopts_, cancel_));
    MutexLock build(&build_mu_);
    PublishGraph(exact.get(), with_graph);
    built = true;
  }
  if (!built || !writable_) return Status::Ok();
  IndexStatePtr latest;
  {
    MutexLock lock(&mu_);
    auto it = branch_.find(branch);
    if (it != branch_.end()) latest = it->second;
  }
  return latest ? Persist(branch, latest) : Status::Ok();
}

void SearchEngine::PublishGraph(const index::VectorSegment* exact,
                                const std::shared_ptr<const index::VectorSegment>& with_graph) {
  MutexLock lock(&mu_);
  // States are shared between the LRU and the branch map: each is replaced once.
  std::unordered_map<const IndexState*, IndexStatePtr> replaced;
  auto upgrade = [&](IndexStatePtr& st) {
    auto done = replaced.find(st.get());
    if (done != replaced.end()) {
      st = done->second;
      return;
    }
    auto copy = std::make_shared<IndexState>(*st);
    if (!copy->vec.ReplaceSegment(exact, with_graph)) return;
    IndexStatePtr next = std::move(copy);
    replaced.emplace(st.get(), next);
    st = std::move(next);
  };
  for (IndexStatePtr& st : lru_) upgrade(st);
  for (auto& [branch, st] : branch_) upgrade(st);
}

}  // namespace gitmem::search
