#pragma once

#include <string>

#include <caf/meta/type_name.hpp>
#include <nlohmann/json_fwd.hpp>

#include "herd/core/time.hpp"

namespace herd {

class json_reader;

/// The retry delay formulas of "Exponential Backoff and Jitter" (AWS Architecture Blog, 2015).
enum class backoff_kind : uint8_t {
  /// No delay.
  none,
  /// Always `base`.
  fixed,
  /// `min(cap, base * multiplier^n)`.
  exponential,
  /// `uniform(0, expo(n))`.
  full_jitter,
  /// `expo(n)/2 + uniform(0, expo(n)/2)`.
  equal_jitter,
  /// `min(cap, uniform(base, 3 * previous))`, starting from `base`.
  decorrelated_jitter,
};

/// The name of a backoff kind, e.g. "full_jitter".
std::string to_string(backoff_kind x);

/// How long to wait before a retry.
struct backoff_policy {
  /// The formula. Default: full_jitter.
  backoff_kind kind = backoff_kind::full_jitter;
  /// The base delay. Default: 100 ms.
  duration base = from_ms(100);
  /// The growth factor per failure for the exponential formulas. Default: 2.
  double multiplier = 2.0;
  /// The largest delay. Default: 20 s.
  duration cap = from_ms(20000);

  /// Reads {"kind", "base_ms", "multiplier", "cap_ms"}; absent keys keep the values of `defaults`.
  static backoff_policy from_json(const json_reader& in, const backoff_policy& defaults);
  /// The JSON form.
  nlohmann::json to_json() const;
};

/// Field-wise equality.
bool operator==(const backoff_policy& x, const backoff_policy& y);

/// Makes `backoff_policy` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, backoff_policy& x) {
  return f(caf::meta::type_name("herd::backoff_policy"), x.kind, x.base, x.multiplier, x.cap);
}

} // namespace herd
