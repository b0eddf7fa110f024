#include "fleet_connection.hpp"

#include <tuple>

#include "command_line.hpp"

namespace herd::cli {

fleet_connection fleet_connection::read(const command_line& cmd) {
  fleet_connection result;
  std::tie(result.host, result.port) = cmd.host_port("connect");
  if (cmd.has("config"))
    result.config = runtime_config::load(cmd.get("config"));
  if (cmd.has("secret-env"))
    result.config.node.secret_env = cmd.get("secret-env");
  return result;
}

} // namespace herd::cli
