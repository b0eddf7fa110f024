#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include <caf/typed_event_based_actor.hpp>

#include "herd/core/metrics_registry.hpp"
#include "herd/core/subscriber_list.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/supervision/memory_pressure.hpp"
#include "herd/supervision/memory_probe.hpp"
#include "herd/supervision/protocol.hpp"

namespace spdlog {
class logger;
}

namespace herd {

/// The process-level memory watchdog (docs/pools.md): every `check_interval` it reads the
/// resident memory from its `memory_probe` and feeds `memory_pressure`. Crossing the soft limit
/// sends subscribers a `memory_soft_limit` event and counts `herd_memory_soft_limit_total`;
/// crossing the hard limit sends `memory_hard_limit`, counts `herd_memory_hard_limit_total` and
/// tells the dispatcher `(memory_pause_atom, true, reason)`, so submits are refused with
/// `errc::memory_pressure`; falling back below it resumes intake (`memory_recovered`). The gauge
/// `herd_memory_resident_bytes` holds the last reading. Every `release_interval` (from its first
/// check on) it has the probe give freed memory back to the system and counts the resident bytes
/// that fell in `herd_memory_released_bytes_total`. Protocol: `memory_watchdog_actor`.
class memory_watchdog : public memory_watchdog_actor::base {
public:
  /// A watchdog with `config` reading `probe`, pausing the intake of `dispatcher()` (the current
  /// dispatcher), counting into `metrics`.
  memory_watchdog(caf::actor_config& cfg, memory_watchdog_config config,
                  std::shared_ptr<memory_probe> probe, std::function<dispatcher_actor()> dispatcher,
                  std::shared_ptr<metrics_registry> metrics);

  /// "memory_watchdog".
  const char* name() const override { return "memory_watchdog"; }

protected:
  behavior_type make_behavior() override;
  /// Drops its probe, dispatcher getter and listeners.
  void on_exit() override;

private:
  void check();
  void release();

  memory_watchdog_config config_;
  memory_pressure pressure_;
  std::shared_ptr<memory_probe> probe_;
  std::function<dispatcher_actor()> dispatcher_;
  std::shared_ptr<metrics_registry> metrics_;
  std::shared_ptr<spdlog::logger> log_;
  subscriber_list listeners_;
  bool paused_ = false;     // told the dispatcher to pause
  time_point next_release_; // set when the behavior starts
  gauge* resident_metric_;
  gauge* paused_metric_;
  counter* soft_metric_;
  counter* hard_metric_;
  counter* released_metric_;
};

} // namespace herd
