#include "herd/runtime/ops_endpoint_config.hpp"

#include <cctype>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

constexpr const char* listen_path = "/http/listen";

/// Splits "HOST:PORT" (or "[V6]:PORT") at its last colon; throws on a missing part.
std::pair<std::string, std::string> split_listen(const std::string& listen) {
  auto colon = listen.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == listen.size())
    throw config_error(listen_path, "expected HOST:PORT, got \"" + truncated(listen) + "\"");
  auto host = listen.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
    host = host.substr(1, host.size() - 2);
  return {host, listen.substr(colon + 1)};
}

} // namespace

std::string ops_endpoint_config::host() const {
  return split_listen(listen).first;
}

uint16_t ops_endpoint_config::port() const {
  auto text = split_listen(listen).second;
  bool digits = text.size() <= 5;
  for (char c : text)
    digits = digits && std::isdigit(static_cast<unsigned char>(c));
  if (!digits || std::stoul(text) > 65535)
    throw config_error(listen_path,
                       "expected a port from 0 to 65535, got \"" + truncated(text) + "\"");
  return static_cast<uint16_t>(std::stoul(text));
}

bool ops_endpoint_config::loopback() const {
  auto h = host();
  return h == "localhost" || h == "::1" || h.rfind("127.", 0) == 0;
}

ops_endpoint_config ops_endpoint_config::from_json(const nlohmann::json& object,
                                                   const std::string& path) {
  json_reader in{object, path};
  in.only_keys({"listen", "token_env"});
  ops_endpoint_config result;
  result.listen = in.string("listen", result.listen);
  result.token_env = in.string("token_env", result.token_env);
  if (result.enabled()) {
    try {
      result.host();
      result.port();
    } catch (const config_error& e) {
      throw config_error(in.path_of("listen"), e.reason());
    }
  }
  return result;
}

nlohmann::json ops_endpoint_config::to_json() const {
  return {{"listen", listen}, {"token_env", token_env}};
}

} // namespace herd
