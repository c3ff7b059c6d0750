// The engine's thread pool: every task of a round runs exactly once whatever the thread count,
// rounds follow each other without leaking work, a task's exception reaches the caller after the
// round, and the pool shuts down with its workers asleep or spinning.
#include "vm/engine/thread_pool.h"

#include <atomic>
#include <chrono>
#include <mutex>
#include <set>
#include <stdexcept>
#include <thread>
#include <vector>

#include <doctest/doctest.h>

namespace snn::engine {
namespace {

TEST_CASE("thread pool: each task of each round runs exactly once") {
  for (unsigned threads : {1u, 2u, 3u, 8u}) {
    ThreadPool pool(threads);
    CHECK(pool.size() == threads);
    for (std::size_t tasks : {std::size_t{1}, std::size_t{2}, std::size_t{7}, std::size_t{100}}) {
      std::vector<std::atomic<int>> runs(tasks);
      for (int round = 0; round < 200; ++round) {
        pool.run(tasks, [&](std::size_t k) { runs[k].fetch_add(1); });
      }
      for (std::size_t k = 0; k < tasks; ++k) {
        INFO("threads ", threads, " tasks ", tasks, " task ", k);
        CHECK(runs[k].load() == 200);
      }
    }
  }
}

TEST_CASE("thread pool: work is really shared and the round waits for all of it") {
  // Each task waits (up to 10 s) until two different threads have started tasks: only a pool
  // whose worker really takes part lets the round finish before the deadline.
  ThreadPool pool(2);
  std::atomic<int> done{0};
  std::mutex mutex;
  std::set<std::thread::id> started;
  std::atomic<bool> timed_out{false};
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  pool.run(4, [&](std::size_t) {
    {
      std::lock_guard lock(mutex);
      started.insert(std::this_thread::get_id());
    }
    for (;;) {
      {
        std::lock_guard lock(mutex);
        if (started.size() >= 2) break;
      }
      if (std::chrono::steady_clock::now() > deadline) {
        timed_out = true;
        break;
      }
      std::this_thread::yield();
    }
    done.fetch_add(1);
  });
  CHECK(done.load() == 4);  // nothing is still running when run() returns
  CHECK_FALSE(timed_out.load());
  CHECK(started.size() == 2);
}

TEST_CASE("thread pool: a task's exception is rethrown after the round, and the pool goes on") {
  ThreadPool pool(3);
  std::atomic<int> ran{0};
  CHECK_THROWS_WITH_AS(pool.run(10,
                                [&](std::size_t k) {
                                  ran.fetch_add(1);
                                  if (k == 5) throw std::runtime_error("task 5 failed");
                                }),
                       "task 5 failed", std::runtime_error);
  CHECK(ran.load() == 10);
  ran = 0;
  pool.run(10, [&](std::size_t) { ran.fetch_add(1); });
  CHECK(ran.load() == 10);
}

TEST_CASE("thread pool: rounds after the workers went to sleep still complete") {
  ThreadPool pool(2);
  std::atomic<int> ran{0};
  for (int round = 0; round < 3; ++round) {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));  // long enough to sleep
    pool.run(2, [&](std::size_t) { ran.fetch_add(1); });
  }
  CHECK(ran.load() == 6);
}

}  // namespace
}  // namespace snn::engine
