#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include <caf/typed_event_based_actor.hpp>

#include "herd/breakers/breaker_transition.hpp"
#include "herd/history/history_collector.hpp"
#include "herd/history/history_config.hpp"
#include "herd/history/history_store.hpp"
#include "herd/history/protocol.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"

namespace spdlog {
class logger;
}

namespace herd {

// clang-format off
/// The history recorder's typed handle (the dispatcher holds the narrower `history_feed_actor`).
///
/// | message                                                   | from                     | reply     |
/// |-----------------------------------------------------------|--------------------------|-----------|
/// | `(history_atom, vector<settled_task>)`                    | the dispatcher           | -         |
/// | `breaker_transition`                                      | the breaker registry's breakers | -  |
/// | `(sup_event_atom, supervision_event)`                     | health monitor, supervisors | -      |
/// | `(restarted_atom, string, actor, actor)`                  | supervisors (ignored)    | -         |
/// | `(history_flush_atom)`                                    | anyone                   | `int64_t` rows committed so far |
/// | `(history_tick_atom)`                                     | itself (flush timer)     | -         |
// clang-format on
using history_recorder_actor = history_feed_actor::extend<
    caf::replies_to<history_flush_atom>::with<int64_t>, caf::reacts_to<history_tick_atom>,
    caf::reacts_to<breaker_transition>, caf::reacts_to<sup_event_atom, supervision_event>,
    caf::reacts_to<restarted_atom, std::string, caf::actor, caf::actor>>;

/// Records the task history: settled tasks from the dispatcher, breaker recoveries (open ->
/// closed) and agent recoveries (suspect, isolated, exited, restarting, abandoned -> a new
/// incarnation started), committed to its `history_store` every `flush_interval` or
/// `max_batch` rows, and at exit (a trapped exit flushes before quitting). Times arrive on the
/// actor clock and are stored on the wall clock. A store failure is logged and its rows kept
/// for the next flush (see `history_collector`); the recorder never crashes on it. The logic
/// lives in `history_collector`; this actor turns messages into its calls and runs the timer.
class history_recorder : public history_recorder_actor::base {
public:
  /// A recorder writing to `store` as `config` says; `wall_clock` gives wall-clock UTC epoch ms
  /// (default: the system clock).
  history_recorder(caf::actor_config& cfg, history_config config,
                   std::unique_ptr<history_store> store, std::function<int64_t()> wall_clock = {});

  const char* name() const override { return "herd.history"; }

protected:
  behavior_type make_behavior() override;
  /// Commits what is left.
  void on_exit() override;

private:
  /// `t` on the actor clock as wall-clock epoch ms.
  int64_t wall_ms(time_point t) const;
  /// Flushes a full batch at once, else makes sure the timer runs.
  void collected();
  /// Commits what waits; logs a store failure once per distinct problem.
  void flush();

  history_config config_;
  std::unique_ptr<history_store> store_;
  history_collector collector_;
  std::function<int64_t()> wall_clock_;
  std::shared_ptr<spdlog::logger> log_;
  bool timer_armed_ = false;
  std::string reported_error_;
};

} // namespace herd
