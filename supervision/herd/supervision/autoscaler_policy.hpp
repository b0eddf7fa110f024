#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "herd/core/time.hpp"
#include "herd/supervision/autoscaling_config.hpp"

namespace herd {

/// What the autoscaler does after a sample.
struct scaling_decision {
  /// The action.
  enum class action : uint8_t {
    /// Keep the pool's size.
    hold,
    /// Add `count` agents.
    grow,
    /// Remove `count` idle agents (after they finish their leases).
    shrink,
  };
  /// Default: hold.
  action what = action::hold;
  /// How many agents to add or remove. Default: 0.
  int32_t count = 0;
  /// The pool's size once it is carried out. Default: 0.
  int32_t size = 0;
  /// A sentence for operators: the numbers that decided. Default: empty.
  std::string why;
};

/// A pool's sizing decision without an actor, fed with samples of the pool's load over
/// (virtual) time. It keeps its own count of the pool's agents (`size()`, what it decided),
/// so it never goes below `min_agents` nor above `max_agents`, whatever the samples say.
///
/// - Backlog: more than `target_queue_per_agent x size` tasks queued. Once a backlog has lasted
///   `scale_up_after` (every sample in between a backlog: a blip does not count) and the last
///   change is `scale_up_cooldown` old, the pool grows to `ceil(queued / target)` agents, by at
///   least 1 and at most `max_step`, capped at `max_agents`.
/// - Idle: nothing queued and fewer agents busy than the pool has. Once idle for
///   `scale_down_after` and the last change is `scale_down_cooldown` old, the idle agents leave,
///   at most `max_step` at once, not below `min_agents`.
/// A change restarts both clocks (a backlog or an idle spell must last again).
class autoscaler_policy {
public:
  /// A policy with `config` for a pool of `initial` agents (clamped to [min, max]).
  autoscaler_policy(autoscaling_config config, int32_t initial);
  /// Feeds the load at `now`: `queued` tasks waiting, `busy` agents holding a lease; decides.
  scaling_decision sample(time_point now, uint64_t queued, uint64_t busy);
  /// The pool's size as decided so far.
  int32_t size() const { return size_; }
  /// The configuration.
  const autoscaling_config& config() const { return config_; }

private:
  bool cooled(time_point now, duration cooldown) const;

  autoscaling_config config_;
  int32_t size_;
  std::optional<time_point> backlog_since_;
  std::optional<time_point> idle_since_;
  std::optional<time_point> last_change_;
};

} // namespace herd
