#pragma once

#include <caf/meta/type_name.hpp>

#include "herd/core/time.hpp"

namespace herd {

/// The request limit a service published with an answer (OpenAI's `x-ratelimit-*-requests`,
/// Anthropic's `anthropic-ratelimit-requests-*` headers): how many requests its window allows,
/// how many are left in the current window and when that window resets. Negative = not sent.
struct published_limit {
  /// Requests the service allows per window; negative when not published. Default: -1.
  double limit = -1;
  /// Requests left in the current window; negative when not published. Default: -1.
  double remaining = -1;
  /// Time until the current window resets (after the answer arrived). Default: 0.
  duration reset{0};

  /// True if the service published its limit or what remains of it.
  bool known() const { return limit >= 0 || remaining >= 0; }
};

/// Field-wise equality.
inline bool operator==(const published_limit& x, const published_limit& y) {
  return x.limit == y.limit && x.remaining == y.remaining && x.reset == y.reset;
}

/// Makes `published_limit` serializable by CAF.
template <class Inspector>
typename Inspector::result_type inspect(Inspector& f, published_limit& x) {
  return f(caf::meta::type_name("herd::published_limit"), x.limit, x.remaining, x.reset);
}

} // namespace herd
