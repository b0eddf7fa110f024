#include "herd/distribution/node_config.hpp"

#include <cstdlib>

#include <caf/actor_system_config.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

bool node_config::loopback() const {
  return host == "localhost" || host == "::1" || host.rfind("127.", 0) == 0;
}

std::string node_config::secret() const {
  if (secret_env.empty())
    return {};
  const char* value = std::getenv(secret_env.c_str());
  if (value == nullptr || *value == '\0')
    throw config_error("/node/secret_env",
                       "the environment variable " + secret_env + " holds no secret");
  return value;
}

void node_config::apply_to(caf::actor_system_config& cfg) const {
  cfg.set("middleman.heartbeat-interval", heartbeat_interval);
  cfg.set("middleman.connection-timeout", connection_timeout);
  tls.apply_to(cfg);
}

node_config node_config::from_json(const json_reader& in) {
  in.only_keys({"publish", "host", "port", "app_id", "secret_env", "heartbeat_interval_ms",
                "connection_timeout_ms", "request_timeout_ms", "reconnect_min_ms",
                "reconnect_max_ms", "tls"});
  node_config r;
  r.publish = in.boolean("publish", r.publish);
  r.host = in.string("host", r.host);
  if (r.host.empty())
    in.fail("host", "an address to bind, such as \"127.0.0.1\"");
  r.port = static_cast<uint16_t>(in.integer("port", r.port, 0, 65535));
  r.app_id = in.string("app_id", r.app_id);
  if (r.app_id.empty())
    in.fail("app_id", "a non-empty application identifier");
  r.secret_env = in.string("secret_env", r.secret_env);
  if (r.publish && !r.loopback() && r.secret_env.empty())
    in.fail("secret_env", "the environment variable of a shared secret (required when "
                          "publishing on a non-loopback address)");
  r.heartbeat_interval = in.millis("heartbeat_interval_ms", r.heartbeat_interval);
  if (r.heartbeat_interval <= duration{0})
    in.fail("heartbeat_interval_ms", "a duration in milliseconds > 0");
  r.connection_timeout = in.millis("connection_timeout_ms", r.connection_timeout);
  if (r.connection_timeout < 2 * r.heartbeat_interval)
    in.fail("connection_timeout_ms", "a duration in milliseconds of at least twice "
                                     "heartbeat_interval_ms");
  r.request_timeout = in.millis("request_timeout_ms", r.request_timeout);
  if (r.request_timeout <= duration{0})
    in.fail("request_timeout_ms", "a duration in milliseconds > 0");
  r.reconnect_min = in.millis("reconnect_min_ms", r.reconnect_min);
  if (r.reconnect_min <= duration{0})
    in.fail("reconnect_min_ms", "a duration in milliseconds > 0");
  r.reconnect_max = in.millis("reconnect_max_ms", r.reconnect_max);
  if (r.reconnect_max < r.reconnect_min)
    in.fail("reconnect_max_ms", "a duration in milliseconds >= reconnect_min_ms");
  if (in.has("tls") && !in.at("tls").value().is_null())
    r.tls = node_tls::from_json(in.at("tls"));
  return r;
}

nlohmann::json node_config::to_json() const {
  return {{"publish", publish},
          {"host", host},
          {"port", port},
          {"app_id", app_id},
          {"secret_env", secret_env},
          {"heartbeat_interval_ms", to_ms(heartbeat_interval)},
          {"connection_timeout_ms", to_ms(connection_timeout)},
          {"request_timeout_ms", to_ms(request_timeout)},
          {"reconnect_min_ms", to_ms(reconnect_min)},
          {"reconnect_max_ms", to_ms(reconnect_max)},
          {"tls", tls.enabled() ? tls.to_json() : nlohmann::json(nullptr)}};
}

} // namespace herd
