#pragma once

#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>

#include "herd/distribution/node_info.hpp"

namespace herd {

/// What a worker's node actor tells the thread that owns the worker: registered (with the
/// coordinator's view), refused (with the reason) or neither yet. Thread-safe.
class worker_status {
public:
  /// The node actor registered: `info` is the coordinator's answer.
  void registered(node_info info);
  /// The node actor lost its connection; it dials again.
  void disconnected();
  /// The coordinator refused the worker for `why`; it does not dial again.
  void refused(std::string why);
  /// Waits up to `timeout_ms` for a registration or a refusal; the answer, the refusal's reason
  /// in `why`, or none after the timeout.
  std::optional<node_info> await(int64_t timeout_ms, std::string& why);
  /// True while registered.
  bool is_registered() const;
  /// How many times it registered (1 + reconnects).
  int64_t registrations() const;

private:
  mutable std::mutex mtx_;
  std::condition_variable changed_;
  std::optional<node_info> info_;
  std::string refusal_;
  int64_t registrations_ = 0;
};

} // namespace herd
