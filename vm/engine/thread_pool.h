// The engine's worker threads (`snnc run --threads N`). A simulation step is short (a few
// microseconds to a millisecond), so the pool is built for many small fork-join rounds: the
// caller takes part in each round, idle workers spin briefly before they sleep, and a round
// costs well under a microsecond when the workers are awake. Which work is split, and how it
// stays deterministic, is the engine's business (simulation.cpp: only slices of a range, each
// slice's spikes joined in slice order, so results do not depend on the number of threads).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>

namespace snn::engine {

class ThreadPool {
 public:
  // `threads` counts the caller: 1 means no worker threads at all.
  explicit ThreadPool(unsigned threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  unsigned size() const { return threads_; }

  // Runs task(k) for every k in 0 .. tasks-1, spread over the threads, and returns when all are
  // done. If tasks throw, the first exception is rethrown here once every task has finished.
  // Not reentrant: a task must not call run().
  void run(std::size_t tasks, const std::function<void(std::size_t)>& task);

 private:
  struct Shared;
  unsigned threads_;
  std::unique_ptr<Shared> shared_;
};

}  // namespace snn::engine
