#pragma once

#include <cstdint>
#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/failure.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// One failed attempt in a task's history.
struct attempt_record {
  /// The attempt number, starting at 1.
  int32_t number = 0;
  /// When the attempt failed, on the same clock as its task's `created`.
  time_point time;
  /// The agent that ran it, empty if it never reached one.
  std::string agent;
  /// Why it failed.
  failure error;
  /// The fallback tier it ran on (its label); empty for a task without a chain.
  std::string tier;
};

/// Field-wise equality.
bool operator==(const attempt_record& x, const attempt_record& y);

/// Makes `attempt_record` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, attempt_record& x) {
  return f(caf::meta::type_name("herd::attempt_record"), x.number, x.time, x.agent, x.error,
           x.tier);
}

/// JSON form: {"number", "time_ms", "agent", "error", "tier" (omitted when empty)}.
void to_json(nlohmann::json& j, const attempt_record& x);
/// Reads the JSON form.
void from_json(const nlohmann::json& j, attempt_record& x);

} // namespace herd
