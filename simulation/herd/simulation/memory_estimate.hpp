#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "herd/simulation/scenario.hpp"

namespace herd {

/// What a scenario's runs need in memory, estimated up front so that `herd simulate` can refuse
/// a scenario the machine cannot hold before it starts instead of failing hours later. The
/// per-unit costs were measured (peak RSS with /usr/bin/time -v) on this build: an agent of the
/// herd strategy is a CAF actor under a supervisor (~7 kB), a task queued in herd's dispatcher
/// ~1 kB, an agent of a classic strategy 64 bytes, a task there 32 bytes.
class memory_estimate {
public:
  /// Bytes of the process before any run. Default: 16 MiB.
  static constexpr uint64_t base_bytes = 16ull << 20;
  /// Bytes per agent of the herd strategy. Default: 7 kB.
  static constexpr uint64_t herd_agent_bytes = 7000;
  /// Bytes per task of the herd strategy (all may be queued at once). Default: 1 kB.
  static constexpr uint64_t herd_task_bytes = 1000;
  /// Bytes per agent of a classic strategy. Default: 64.
  static constexpr uint64_t classic_agent_bytes = 64;
  /// Bytes per task of a classic strategy (arrival, latency, events). Default: 32.
  static constexpr uint64_t classic_task_bytes = 32;
  /// Bytes per simulated second of every strategy's series, kept for the report. Default: 32.
  static constexpr uint64_t second_bytes = 32;

  /// The estimate for every strategy of `config`, run one after the other.
  explicit memory_estimate(const scenario& config);

  /// The peak bytes the runs are expected to need.
  uint64_t bytes() const { return bytes_; }
  /// The bytes this process may still use: the least of MemAvailable (/proc/meminfo) and the
  /// address-space limit (ulimit -v); none if neither is known.
  static std::optional<uint64_t> available_bytes();
  /// "about 6.9 GB (1000000 agents of the herd strategy at ~7 kB each, ...)": the estimate and
  /// where it comes from, for a refusal.
  std::string describe() const;

private:
  scenario config_;
  uint64_t bytes_ = 0;
};

/// `bytes` as "512 MB" or "6.9 GB" (decimal units).
std::string human_bytes(uint64_t bytes);

} // namespace herd
