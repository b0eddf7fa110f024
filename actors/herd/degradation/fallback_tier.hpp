#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

namespace herd {

class json_reader;

/// What serves a task at one tier of a fallback chain.
enum class tier_kind : uint8_t {
  /// A service, called with the tier's own request parameters.
  service,
  /// An in-process rule handler a user registers under a name.
  rule,
  /// A person, through the escalation queue.
  human,
};

/// The name of a tier kind, e.g. "rule".
std::string to_string(tier_kind x);

/// One tier of a fallback chain.
///
/// JSON: {"service": NAME, "params": {...}, "max_attempts": N, "name": LABEL},
/// {"rule": NAME, "name": LABEL} or {"human": true, "name": LABEL}.
struct fallback_tier {
  /// What serves at this tier. Default: service.
  tier_kind kind = tier_kind::service;
  /// The service's or rule's name; empty for a human tier.
  std::string target;
  /// Request parameters a service tier merges into its requests (e.g. a cheaper model).
  /// Default: an empty object.
  nlohmann::json params = nlohmann::json::object();
  /// Attempts on this tier before the chain moves on; 0 = the chain's `attempts_per_tier`.
  /// Rule tiers are tried once. Default: 0.
  int32_t max_attempts = 0;
  /// The label in `served_by`, metrics and records; unique within a chain. Default: the
  /// service's name, "rule:NAME" or "human".
  std::string label;

  /// A service tier.
  static fallback_tier service(std::string name, nlohmann::json params = nlohmann::json::object());
  /// A rule tier.
  static fallback_tier rule(std::string name);
  /// A human tier.
  static fallback_tier human();

  /// True if both name the same target with the same parameters (a repeated tier).
  bool same_target(const fallback_tier& other) const;

  /// Reads one tier; throws `config_error` naming the JSON path of a bad field (exactly one of
  /// "service", "rule", "human": true; "params" an object; "max_attempts" at least 1).
  static fallback_tier from_json(const json_reader& in);
  /// The JSON form.
  nlohmann::json to_json() const;
};

} // namespace herd
