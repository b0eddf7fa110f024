#pragma once

#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace herd {

/// How a simulated task ended.
enum class task_end : uint8_t {
  /// It succeeded.
  completed,
  /// It went to the dead-letter queue (out of attempts or not retryable).
  dead_lettered,
  /// It went to a human.
  escalated,
  /// It ended otherwise (failed without a queue, refused at intake, handed back).
  failed,
};

/// Counts what happens in one strategy's run, per simulated second: calls reaching the
/// service (and how many failed), arrivals, ends and the backlog (arrived, not ended).
/// Thread-safe, so `--realtime` runs may record from scheduler threads.
class run_recorder {
public:
  /// The per-second series.
  struct second {
    /// Calls that reached the service in this second.
    uint64_t calls = 0;
    /// Of those, calls that failed.
    uint64_t failed = 0;
    /// Tasks that completed in this second.
    uint64_t completed = 0;
    /// Tasks arrived but not ended at the end of this second.
    uint64_t backlog = 0;
  };

  /// A call reached the service at `t_s` seconds and failed or not.
  void on_call(double t_s, bool ok);
  /// A task arrived.
  void on_arrival();
  /// A task ended at `t_s` seconds, `latency_s` after it arrived; a completed one was served by
  /// the tier labelled `served_by` (default: empty, none named).
  void on_end(double t_s, task_end how, double latency_s, const std::string& served_by = {});
  /// Closes every second up to `t_s` (exclusive), sampling the backlog.
  void close_until(double t_s);

  /// The series of closed seconds.
  std::vector<second> series() const;
  /// Tasks arrived.
  uint64_t arrived() const;
  /// Tasks ended, by how they ended.
  uint64_t ended(task_end how) const;
  /// Tasks ended in every way.
  uint64_t ended_total() const;
  /// Calls that reached the service.
  uint64_t calls() const;
  /// Failed calls in all.
  uint64_t failed_calls() const;
  /// Seconds from arrival to completion of every completed task.
  std::vector<double> latencies() const;
  /// When the last task ended, seconds.
  double last_end() const;
  /// Completed tasks by the tier label that served them (empty: none named).
  std::map<std::string, uint64_t> served() const;

private:
  second& at(double t_s);

  mutable std::mutex mtx_;
  std::vector<second> series_;
  size_t closed_ = 0;
  uint64_t arrived_ = 0;
  uint64_t ended_[4] = {0, 0, 0, 0};
  uint64_t calls_ = 0;
  uint64_t failed_ = 0;
  std::vector<double> latencies_;
  double last_end_ = 0;
  std::map<std::string, uint64_t> served_;
};

} // namespace herd
