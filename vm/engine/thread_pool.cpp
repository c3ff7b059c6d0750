// ThreadPool; see thread_pool.h. One round: the caller publishes the task and bumps the
// generation; workers (spinning, or woken from atomic::wait) and the caller claim tasks (their
// own first) until none is left; every worker then checks in, and the caller returns
// when all have. So no worker can still be inside round g when round g+1 is published.
#include "vm/engine/thread_pool.h"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define SNN_PAUSE() _mm_pause()
#else
#define SNN_PAUSE() std::this_thread::yield()
#endif

namespace snn::engine {

namespace {
// About 50 microseconds of spinning before a worker sleeps: long enough to stay awake between
// the split kernels of one step, short enough not to burn a core through a long serial phase.
constexpr int kSpinsBeforeSleep = 20000;
constexpr int kSpinsBeforeYield = 2000;
}  // namespace

struct ThreadPool::Shared {
  std::atomic<std::uint64_t> generation{0};
  std::atomic<bool> stopping{false};
  const std::function<void(std::size_t)>* task = nullptr;
  std::size_t tasks = 0;
  // Task k is claimed by whoever flips claimed[k] first. Thread t tries task t first, so that
  // with as many tasks as threads each thread gets the same slice every step (its data stays
  // in its core's cache); then it takes what is left.
  std::unique_ptr<std::atomic<bool>[]> claimed;
  std::size_t claimed_size = 0;
  std::atomic<std::size_t> checked_in{0};
  std::mutex error_mutex;
  std::exception_ptr error;
  std::vector<std::thread> workers;

  void runTask(std::size_t k) {
    try {
      (*task)(k);
    } catch (...) {
      std::lock_guard lock(error_mutex);
      if (!error) error = std::current_exception();
    }
  }

  bool claim(std::size_t k) { return !claimed[k].exchange(true, std::memory_order_acq_rel); }

  void work(std::size_t thread) {
    if (thread < tasks && claim(thread)) runTask(thread);
    for (std::size_t k = 0; k < tasks; ++k) {
      if (claim(k)) runTask(k);
    }
  }

  void workerLoop(std::size_t thread) {
    std::uint64_t seen = 0;
    for (;;) {
      int spins = 0;
      std::uint64_t now;
      while ((now = generation.load(std::memory_order_acquire)) == seen) {
        if (++spins < kSpinsBeforeYield) {
          SNN_PAUSE();
        } else if (spins < kSpinsBeforeSleep) {
          std::this_thread::yield();
        } else {
          generation.wait(seen, std::memory_order_acquire);
        }
      }
      seen = now;
      if (stopping.load(std::memory_order_acquire)) return;
      work(thread);
      checked_in.fetch_add(1, std::memory_order_acq_rel);
    }
  }
};

ThreadPool::ThreadPool(unsigned threads)
    : threads_(threads == 0 ? 1 : threads), shared_(std::make_unique<Shared>()) {
  for (unsigned k = 1; k < threads_; ++k)
    shared_->workers.emplace_back([s = shared_.get(), k] { s->workerLoop(k); });
}

ThreadPool::~ThreadPool() {
  shared_->stopping.store(true, std::memory_order_release);
  shared_->generation.fetch_add(1, std::memory_order_acq_rel);
  shared_->generation.notify_all();
  for (std::thread& t : shared_->workers) t.join();
}

void ThreadPool::run(std::size_t tasks, const std::function<void(std::size_t)>& task) {
  if (tasks == 0) return;
  Shared& s = *shared_;
  if (threads_ == 1 || tasks == 1) {
    for (std::size_t k = 0; k < tasks; ++k) task(k);
    return;
  }
  s.task = &task;
  s.tasks = tasks;
  if (s.claimed_size < tasks) {
    s.claimed = std::make_unique<std::atomic<bool>[]>(tasks);
    s.claimed_size = tasks;
  }
  for (std::size_t k = 0; k < tasks; ++k) s.claimed[k].store(false, std::memory_order_relaxed);
  s.checked_in.store(0, std::memory_order_relaxed);
  s.error = nullptr;
  s.generation.fetch_add(1, std::memory_order_acq_rel);
  s.generation.notify_all();
  s.work(0);
  // A worker that is not running (more threads than free cores) is waited for by yielding,
  // so that it gets the core.
  for (int spins = 0; s.checked_in.load(std::memory_order_acquire) < s.workers.size(); ++spins) {
    if (spins < kSpinsBeforeYield) {
      SNN_PAUSE();
    } else {
      std::this_thread::yield();
    }
  }
  if (s.error) std::rethrow_exception(s.error);
}

}  // namespace snn::engine
