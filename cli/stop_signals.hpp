#pragma once

#include <csignal>

namespace herd::cli {

/// SIGINT and SIGTERM held for `wait()`: blocks them in the calling thread from construction
/// (threads started later inherit the mask, so the signals reach only `wait()`), and restores
/// the previous mask when destroyed. Construct it before starting any thread.
class stop_signals {
public:
  /// Blocks SIGINT and SIGTERM.
  stop_signals();
  /// Restores the previous signal mask.
  ~stop_signals();
  stop_signals(const stop_signals&) = delete;
  stop_signals& operator=(const stop_signals&) = delete;

  /// Waits for SIGINT or SIGTERM (one sent earlier returns at once); returns its name.
  const char* wait();

private:
  sigset_t signals_;
  sigset_t previous_;
};

} // namespace herd::cli
