#include "herd/retry/backoff_policy.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/enum_name.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

constexpr backoff_kind all_kinds[] = {
    backoff_kind::none,        backoff_kind::fixed,        backoff_kind::exponential,
    backoff_kind::full_jitter, backoff_kind::equal_jitter, backoff_kind::decorrelated_jitter};

} // namespace

std::string to_string(backoff_kind x) {
  switch (x) {
  case backoff_kind::none:
    return "none";
  case backoff_kind::fixed:
    return "fixed";
  case backoff_kind::exponential:
    return "exponential";
  case backoff_kind::full_jitter:
    return "full_jitter";
  case backoff_kind::equal_jitter:
    return "equal_jitter";
  case backoff_kind::decorrelated_jitter:
    return "decorrelated_jitter";
  }
  return "none";
}

backoff_policy backoff_policy::from_json(const json_reader& in, const backoff_policy& defaults) {
  in.only_keys({"kind", "base_ms", "multiplier", "cap_ms"});
  backoff_policy result = defaults;
  auto kind = in.choice(
      "kind", to_string(defaults.kind),
      {"none", "fixed", "exponential", "full_jitter", "equal_jitter", "decorrelated_jitter"});
  result.kind = *parse_enum_name(kind, all_kinds);
  result.base = in.millis("base_ms", defaults.base);
  result.multiplier = in.number("multiplier", defaults.multiplier, 1.0, 1000.0);
  result.cap = in.millis("cap_ms", defaults.cap);
  if (result.cap < result.base)
    in.fail("cap_ms", "a cap >= base_ms (" + std::to_string(to_ms(result.base)) + ")");
  return result;
}

nlohmann::json backoff_policy::to_json() const {
  return {{"kind", to_string(kind)},
          {"base_ms", to_ms(base)},
          {"multiplier", multiplier},
          {"cap_ms", to_ms(cap)}};
}

bool operator==(const backoff_policy& x, const backoff_policy& y) {
  return x.kind == y.kind && x.base == y.base && x.multiplier == y.multiplier && x.cap == y.cap;
}

} // namespace herd
