// ParallelFor: splits [0, n) over the machine's cores for large batches of independent
// work (encoding and hashing records on import); small batches run on the caller's thread.
#pragma once

#include <algorithm>
#include <cstddef>
#include <thread>
#include <vector>

namespace gitmem {

/// Calls fn(i) for every i in [0, n), using up to one thread per core when each gets at
/// least `min_per_thread` items. fn must be safe to call concurrently for distinct i.
template <typename Fn>
void ParallelFor(size_t n, size_t min_per_thread, Fn&& fn) {
  const size_t cores = std::max<size_t>(1, std::thread::hardware_concurrency());
  const size_t threads = std::min(cores, n / std::max<size_t>(1, min_per_thread));
  if (threads <= 1) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  std::vector<std::thread> workers;
  workers.reserve(threads - 1);
  auto run = [&](size_t t) {
    for (size_t i = n * t / threads, end = n * (t + 1) / threads; i < end; ++i) fn(i);
  };
  for (size_t t = 1; t < threads; ++t) workers.emplace_back(run, t);
  run(0);
  for (auto& w : workers) w.join();
}

}  // namespace gitmem
