#include "outcome_inbox.hpp"

namespace herd::cli {

void outcome_inbox::add(outcome o) {
  std::lock_guard<std::mutex> guard{mtx_};
  failed_ += o.ok() ? 0 : 1;
  outcomes_.push_back(std::move(o));
  arrived_.notify_all();
}

void outcome_inbox::refuse() {
  std::lock_guard<std::mutex> guard{mtx_};
  ++refused_;
  arrived_.notify_all();
}

std::pair<size_t, size_t> outcome_inbox::wait_for(size_t n) {
  std::unique_lock<std::mutex> guard{mtx_};
  arrived_.wait(guard, [&] { return outcomes_.size() + refused_ >= n; });
  return {outcomes_.size() + refused_, failed_};
}

std::vector<outcome> outcome_inbox::outcomes() {
  std::lock_guard<std::mutex> guard{mtx_};
  return outcomes_;
}

size_t outcome_inbox::refused() {
  std::lock_guard<std::mutex> guard{mtx_};
  return refused_;
}

} // namespace herd::cli
