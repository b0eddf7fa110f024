#include "herd/http/http_client_config.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

http_client_config http_client_config::from_json(const json_reader& in) {
  in.only_keys({"max_connections_per_host", "max_connections", "connect_timeout_ms", "timeout_ms",
                "max_response_bytes", "user_agent"});
  http_client_config result;
  result.max_connections_per_host = static_cast<int32_t>(
      in.integer("max_connections_per_host", result.max_connections_per_host, 1, 100000));
  result.max_connections =
      static_cast<int32_t>(in.integer("max_connections", result.max_connections, 1, 1000000));
  result.connect_timeout = in.millis("connect_timeout_ms", result.connect_timeout);
  result.total_timeout = in.millis("timeout_ms", result.total_timeout);
  result.max_response_bytes =
      in.integer("max_response_bytes", result.max_response_bytes, 1, int64_t{1} << 40);
  result.user_agent = in.string("user_agent", result.user_agent);
  if (result.connect_timeout <= duration{0})
    in.fail("connect_timeout_ms", "a positive number of milliseconds");
  if (result.total_timeout <= duration{0})
    in.fail("timeout_ms", "a positive number of milliseconds");
  if (result.user_agent.find_first_of("\r\n") != std::string::npos)
    in.fail("user_agent", "a string without line breaks");
  return result;
}

nlohmann::json http_client_config::to_json() const {
  return {{"max_connections_per_host", max_connections_per_host},
          {"max_connections", max_connections},
          {"connect_timeout_ms", to_ms(connect_timeout)},
          {"timeout_ms", to_ms(total_timeout)},
          {"max_response_bytes", max_response_bytes},
          {"user_agent", user_agent}};
}

} // namespace herd
