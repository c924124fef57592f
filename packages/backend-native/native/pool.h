// A fixed pool of worker threads for data-parallel loops. The caller takes the first chunk itself, so a loop on
// two cores wakes one worker. Workers block on a condition variable between loops rather than spin: between two
// kernels the main thread runs JavaScript and wasm, and onnxruntime's pool wants the other core.
#pragma once
#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace latentkit {

class Pool {
 public:
  explicit Pool(unsigned threads) {
    for (unsigned k = 1; k < threads; ++k) workers_.emplace_back([this, k] { work(k); });
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

  // Calls body(begin, end) on `size()` contiguous chunks of [0, n) in parallel; each chunk starts at a multiple of
  // `align` elements so that vector loops see whole vectors.
  void run(std::size_t n, std::size_t align, const std::function<void(std::size_t, std::size_t)>& body) {
    const unsigned parts = size();
    std::size_t chunk = (n + parts - 1) / parts;
    chunk = (chunk + align - 1) / align * align;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      body_ = &body;
      n_ = n;
      chunk_ = chunk;
      pending_ = parts - 1;
      ++generation_;
    }
    wake_.notify_all();
    body(0, std::min(n, chunk));
    std::unique_lock<std::mutex> lock(mutex_);
    done_.wait(lock, [this] { return pending_ == 0; });
  }

 private:
  void work(unsigned k) {
    std::size_t seen = 0;
    for (;;) {
      std::unique_lock<std::mutex> lock(mutex_);
      wake_.wait(lock, [&] { return stop_ || generation_ != seen; });
      if (stop_) return;
      seen = generation_;
      const auto* body = body_;
      const std::size_t begin = std::min(n_, k * chunk_), end = std::min(n_, (k + 1) * chunk_);
      lock.unlock();
      if (begin < end) (*body)(begin, end);
      lock.lock();
      if (--pending_ == 0) done_.notify_one();
    }
  }

  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable wake_, done_;
  const std::function<void(std::size_t, std::size_t)>* body_ = nullptr;
  std::size_t n_ = 0, chunk_ = 0, generation_ = 0;
  unsigned pending_ = 0;
  bool stop_ = false;
};

}  // namespace latentkit
