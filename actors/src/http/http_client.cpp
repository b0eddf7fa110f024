#include "herd/http/http_client.hpp"

#include <atomic>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include <curl/curl.h>

#include "http_transfer.hpp"

namespace herd {

namespace {

/// Initializes libcurl once per process, before the first client's multi handle (thread-safe:
/// a function-local static).
void init_curl_once() {
  static const CURLcode result = curl_global_init(CURL_GLOBAL_DEFAULT);
  (void)result;
}

/// Runs a caller's completion; an exception from it must not end the I/O thread.
void complete(http_client::completion& done, http_response response) {
  if (!done)
    return;
  try {
    done(std::move(response));
  } catch (...) {
    // The caller's bug; every other request still ends.
  }
}

} // namespace

/// The state shared by the caller-facing methods and the I/O thread. Callers only touch the
/// inbox (under `mutex_`) and the atomics; everything curl is touched by the I/O thread only,
/// except `curl_multi_wakeup`, which is thread-safe.
class http_client::impl {
public:
  explicit impl(http_client_config config) : config_(std::move(config)) {
    init_curl_once();
    multi_ = curl_multi_init();
    curl_multi_setopt(multi_, CURLMOPT_MAX_HOST_CONNECTIONS,
                      static_cast<long>(config_.max_connections_per_host));
    curl_multi_setopt(multi_, CURLMOPT_MAX_TOTAL_CONNECTIONS,
                      static_cast<long>(config_.max_connections));
    curl_multi_setopt(multi_, CURLMOPT_MAXCONNECTS, static_cast<long>(config_.max_connections));
    thread_ = std::thread([this] { run(); });
    io_thread_id_ = thread_.get_id();
  }

  ~impl() {
    // Destroying the client from its own completion is a caller bug: the joinable thread then
    // terminates the process (std::thread's destructor) rather than freeing what it still uses.
    stop();
    for (auto* handle : idle_handles_)
      curl_easy_cleanup(handle);
    curl_multi_cleanup(multi_);
  }

  uint64_t start(http_request request, completion done) {
    auto id = next_id_.fetch_add(1, std::memory_order_relaxed);
    auto transfer =
        std::make_unique<http_transfer>(id, std::move(request), std::move(done), config_);
    started_.fetch_add(1, std::memory_order_relaxed);
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (!stopping_) {
        auto woken = inbox_pending();
        starts_.push_back(std::move(transfer));
        if (!woken)
          curl_multi_wakeup(multi_);
        return id;
      }
    }
    // Stopped: the caller learns at once, on its own thread, with no lock held (so this is safe
    // from inside a completion, too).
    end(*transfer, http_error::shutting_down, "the HTTP client has stopped");
    return id;
  }

  void cancel(uint64_t id) {
    std::lock_guard<std::mutex> guard{mutex_};
    if (stopping_)
      return;
    auto woken = inbox_pending();
    cancels_.push_back(id);
    if (!woken)
      curl_multi_wakeup(multi_);
  }

  void stop() {
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (!stopping_) {
        stopping_ = true;
        curl_multi_wakeup(multi_);
      }
    }
    // From a completion (on the I/O thread) the thread cannot join itself: the loop ends once
    // the completion returns, and whoever stops or destroys the client later joins it.
    if (std::this_thread::get_id() == io_thread_id_)
      return;
    std::lock_guard<std::mutex> guard{join_mutex_};
    if (thread_.joinable())
      thread_.join();
  }

  http_client_stats stats() const {
    http_client_stats result;
    result.started = started_.load(std::memory_order_relaxed);
    result.finished = finished_.load(std::memory_order_relaxed);
    result.in_flight = result.started - std::min(result.started, result.finished);
    result.connections_opened = connections_opened_.load(std::memory_order_relaxed);
    result.cancelled = cancelled_.load(std::memory_order_relaxed);
    return result;
  }

  const http_client_config& config() const { return config_; }

private:
  /// The I/O thread: hands work from the inbox to curl, drives curl, ends finished exchanges,
  /// and sleeps in `curl_multi_poll` until a socket, a curl timer or `curl_multi_wakeup` wakes
  /// it.
  void run() {
    for (;;) {
      if (!take_inbox())
        break;
      int running = 0;
      curl_multi_perform(multi_, &running);
      int queued = 0;
      while (auto* message = curl_multi_info_read(multi_, &queued)) {
        if (message->msg != CURLMSG_DONE)
          continue;
        http_transfer* transfer = nullptr;
        curl_easy_getinfo(message->easy_handle, CURLINFO_PRIVATE, &transfer);
        transfer->finish(message->data.result);
        retire(transfer->id());
      }
      curl_multi_poll(multi_, nullptr, 0, 1000, nullptr);
    }
    end_all_on_stop();
  }

  /// Whether the inbox holds work already (callers hold `mutex_`): then the I/O thread has been
  /// woken since it last emptied the inbox and will take this work too, so one wakeup per
  /// filling of the inbox is enough (a burst of calls costs one write to curl's wakeup pipe,
  /// not one each).
  bool inbox_pending() const { return !starts_.empty() || !cancels_.empty(); }

  /// Moves new requests to curl and applies cancellations; false once stopping.
  bool take_inbox() {
    std::vector<std::unique_ptr<http_transfer>> starts;
    std::vector<uint64_t> cancels;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      if (stopping_)
        return false;
      starts.swap(starts_);
      cancels.swap(cancels_);
    }
    for (auto& transfer : starts) {
      CURL* reused = nullptr;
      if (!idle_handles_.empty()) {
        reused = idle_handles_.back();
        idle_handles_.pop_back();
      }
      if (!transfer->prepare(reused)) {
        end(*transfer, transfer->response().error, transfer->response().error_message);
        continue;
      }
      if (curl_multi_add_handle(multi_, transfer->handle()) != CURLM_OK) {
        end(*transfer, http_error::other, "curl_multi_add_handle failed");
        continue;
      }
      auto id = transfer->id();
      transfers_.emplace(id, std::move(transfer));
    }
    for (auto id : cancels) {
      auto i = transfers_.find(id);
      if (i == transfers_.end())
        continue; // ended already
      cancelled_.fetch_add(1, std::memory_order_relaxed);
      i->second->fail(http_error::cancelled, "cancelled by the caller");
      retire(id);
    }
    return true;
  }

  /// Takes transfer `id` out of curl (closing its connection if mid-exchange) and calls its
  /// completion with the response it holds.
  void retire(uint64_t id) {
    auto i = transfers_.find(id);
    auto transfer = std::move(i->second);
    transfers_.erase(i);
    // Counted here so that cancelled and stopped exchanges count the connections they opened.
    connections_opened_.fetch_add(transfer->connections_opened(), std::memory_order_relaxed);
    curl_multi_remove_handle(multi_, transfer->handle());
    auto done = transfer->take_completion();
    auto response = std::move(transfer->response());
    // Easy handles are kept for later transfers, at most one per connection allowed.
    if (auto handle = transfer->release_handle()) {
      if (idle_handles_.size() < static_cast<size_t>(config_.max_connections))
        idle_handles_.push_back(handle);
      else
        curl_easy_cleanup(handle);
    }
    transfer.reset(); // the buffers go before the caller runs
    finished_.fetch_add(1, std::memory_order_relaxed);
    complete(done, std::move(response));
  }

  /// Ends a transfer that never reached curl.
  void end(http_transfer& transfer, http_error error, std::string message) {
    transfer.fail(error, std::move(message));
    auto done = transfer.take_completion();
    finished_.fetch_add(1, std::memory_order_relaxed);
    complete(done, std::move(transfer.response()));
  }

  /// After `stop`: every request in curl or still in the inbox ends with shutting_down.
  void end_all_on_stop() {
    std::vector<std::unique_ptr<http_transfer>> starts;
    {
      std::lock_guard<std::mutex> guard{mutex_};
      starts.swap(starts_);
      cancels_.clear();
    }
    for (auto& transfer : starts)
      end(*transfer, http_error::shutting_down, "the HTTP client stopped");
    while (!transfers_.empty()) {
      auto id = transfers_.begin()->first;
      transfers_.begin()->second->fail(http_error::shutting_down, "the HTTP client stopped");
      retire(id);
    }
  }

  http_client_config config_;
  CURLM* multi_ = nullptr;
  std::thread thread_;
  /// The I/O thread's id, kept apart from `thread_` (which a join resets).
  std::thread::id io_thread_id_;
  /// Serializes joins of `thread_` when several threads stop the client.
  std::mutex join_mutex_;

  std::mutex mutex_;
  bool stopping_ = false;
  std::vector<std::unique_ptr<http_transfer>> starts_;
  std::vector<uint64_t> cancels_;

  std::unordered_map<uint64_t, std::unique_ptr<http_transfer>> transfers_;
  /// Easy handles of ended transfers, reset, for the next ones (I/O thread only).
  std::vector<CURL*> idle_handles_;

  std::atomic<uint64_t> next_id_{1};
  std::atomic<uint64_t> started_{0};
  std::atomic<uint64_t> finished_{0};
  std::atomic<uint64_t> connections_opened_{0};
  std::atomic<uint64_t> cancelled_{0};
};

http_client::http_client(http_client_config config)
    : impl_(std::make_unique<impl>(std::move(config))) {}

http_client::~http_client() = default;

uint64_t http_client::start(http_request request, completion done) {
  return impl_->start(std::move(request), std::move(done));
}

void http_client::cancel(uint64_t id) {
  impl_->cancel(id);
}

void http_client::stop() {
  impl_->stop();
}

http_client_stats http_client::stats() const {
  return impl_->stats();
}

const http_client_config& http_client::config() const {
  return impl_->config();
}

} // namespace herd
