#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// When an agent is replaced by a fresh one (Celery's max_tasks_per_child and
/// max_memory_per_child, gunicorn's max_requests): after `max_tasks` tasks, after `max_age`, or
/// once its `agent::resident_bytes()` exceeds `max_resident_bytes`. Every limit is off (0) by
/// default. A due agent takes no new lease, finishes the ones it holds, then exits with
/// `errc::recycled` and its supervisor starts the next incarnation at once.
///
/// JSON form (a pool's `"recycling"`): {"max_tasks": 0, "max_age_ms": 0,
/// "max_resident_bytes": 0}.
struct recycle_policy {
  /// Tasks an agent finishes before it is recycled; 0 = no limit. Default: 0.
  int64_t max_tasks = 0;
  /// How long an agent lives before it is recycled; 0 = no limit. Default: 0.
  duration max_age = duration{0};
  /// Resident bytes an agent may report before it is recycled; 0 = no limit. Default: 0.
  uint64_t max_resident_bytes = 0;

  /// True if any limit is set.
  bool enabled() const;
  /// Why an agent that finished `tasks`, lived `age` and holds `resident_bytes` is due for
  /// recycling (a sentence for operators); empty while it is not.
  std::string due(int64_t tasks, duration age, uint64_t resident_bytes) const;
  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field.
  static recycle_policy from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Makes `recycle_policy` serializable by CAF (it travels in `agent_settings`).
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, recycle_policy& x) {
  return f(caf::meta::type_name("herd::recycle_policy"), x.max_tasks, x.max_age,
           x.max_resident_bytes);
}

} // namespace herd
