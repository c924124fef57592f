// A fixed pool of worker threads for data-parallel loops. A loop is cut into chunks that the calling thread and the
// workers take from a shared counter, and the caller returns as soon as every chunk is done. On a shared machine a
// core is often taken away for milliseconds; with one fixed half per thread the whole loop then waited for the
// slow half, while with chunks the running threads take over its work. Workers block on a condition variable
// between loops rather than spin: between two kernels the main thread runs JavaScript and wasm on one core.
#pragma once
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace latentkit {

class Pool {
 public:
  using Body = std::function<void(std::size_t, std::size_t)>;

  explicit Pool(unsigned threads) {
    for (unsigned k = 1; k < threads; ++k) workers_.emplace_back([this] { work(); });
  }

  ~Pool() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stop_ = true;
    }
    wake_.notify_all();
    for (auto& t : workers_) t.join();
  }

  unsigned size() const { return static_cast<unsigned>(workers_.size()) + 1; }

  // Calls body(begin, end) over [0, n) in `chunks` contiguous pieces, each starting at a multiple of `align`
  // elements (vector loops see whole vectors), on this thread and the workers.
  void run(std::size_t n, std::size_t align, std::size_t chunks, const Body& body) {
    std::size_t chunk = (n + chunks - 1) / chunks;
    chunk = (chunk + align - 1) / align * align;
    // Shared with the workers, which may wake after the loop is over: they then find no chunk left and never touch
    // `body`, which lives only until this call returns.
    auto job = std::make_shared<Job>(&body, n, chunk, (n + chunk - 1) / chunk);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      job_ = job;
      ++generation_;
    }
    wake_.notify_all();
    job->runChunks();
    std::unique_lock<std::mutex> lock(job->mutex);
    job->finished.wait(lock, [&] { return job->done.load() == job->chunks; });
  }

 private:
  struct Job {
    Job(const Body* b, std::size_t n_, std::size_t chunk_, std::size_t chunks_) : body(b), n(n_), chunk(chunk_), chunks(chunks_) {}

    void runChunks() {
      for (std::size_t c; (c = next.fetch_add(1)) < chunks;) {
        (*body)(c * chunk, std::min(n, (c + 1) * chunk));
        if (done.fetch_add(1) + 1 == chunks) {
          std::lock_guard<std::mutex> lock(mutex);
          finished.notify_one();
        }
      }
    }

    const Body* body;
    const std::size_t n, chunk, chunks;
    std::atomic<std::size_t> next{0}, done{0};
    std::mutex mutex;
    std::condition_variable finished;
  };

  void work() {
    std::size_t seen = 0;
    for (;;) {
      std::shared_ptr<Job> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
        if (stop_) return;
        seen = generation_;
        job = job_;
      }
      job->runChunks();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::shared_ptr<Job> job_;
  std::size_t generation_ = 0;
  bool stop_ = false;
};

}  // namespace latentkit
