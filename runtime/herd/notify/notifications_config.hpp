#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "herd/notify/webhook_config.hpp"

namespace herd {

class json_reader;

/// The runtime config's "notifications" section (docs/notifications.md):
/// {"webhooks": [{...}, ...], "agents": 2}. None configured (the default) = nothing is sent.
struct notifications_config {
  /// The webhooks; names are unique. Default: none.
  std::vector<webhook_config> webhooks;
  /// Agents of the pool "herd.notify" that deliver them (each POST in flight holds one
  /// agent's slot). Default: 2.
  int32_t agents = 2;

  /// True if any webhook is configured.
  bool enabled() const { return !webhooks.empty(); }

  /// Reads the JSON form; throws `config_error` naming the JSON path of a bad field (a
  /// duplicate name names the second). `env` defaults to `std::getenv`.
  static notifications_config from_json(const json_reader& in,
                                        const webhook_config::env_lookup& env = {});
  /// The JSON form (variables named, never their values).
  nlohmann::json to_json() const;
};

} // namespace herd
