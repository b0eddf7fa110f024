#include "distribution/worker_status.hpp"

#include <chrono>

namespace herd {

void worker_status::registered(node_info info) {
  std::lock_guard<std::mutex> guard{mtx_};
  info_ = std::move(info);
  ++registrations_;
  changed_.notify_all();
}

void worker_status::disconnected() {
  std::lock_guard<std::mutex> guard{mtx_};
  info_.reset();
  changed_.notify_all();
}

void worker_status::refused(std::string why) {
  std::lock_guard<std::mutex> guard{mtx_};
  info_.reset();
  refusal_ = std::move(why);
  changed_.notify_all();
}

std::optional<node_info> worker_status::await(int64_t timeout_ms, std::string& why) {
  std::unique_lock<std::mutex> guard{mtx_};
  changed_.wait_for(guard, std::chrono::milliseconds{timeout_ms},
                    [this] { return info_.has_value() || !refusal_.empty(); });
  why = refusal_;
  return info_;
}

bool worker_status::is_registered() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return info_.has_value();
}

int64_t worker_status::registrations() const {
  std::lock_guard<std::mutex> guard{mtx_};
  return registrations_;
}

} // namespace herd
