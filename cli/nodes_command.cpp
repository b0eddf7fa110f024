#include "nodes_command.hpp"

#include <algorithm>
#include <optional>
#include <ostream>
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "fleet_connection.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/distribution/client.hpp"

namespace herd::cli {

const char* const nodes_usage =
    R"(usage: herd nodes --connect HOST:PORT [--json] [--config FILE] [--secret-env VAR]
Lists the worker nodes of the coordinator whose node endpoint listens at HOST:PORT: name, pool,
connected or lost (and why), its agents' names and its last contact (UTC).
  --connect HOST:PORT  the coordinator's node endpoint (required)
  --json               a JSON array instead of lines
  --config FILE        runtime config whose "node" section gives the heartbeats and the
                       request timeout (the same on every node)
  --secret-env VAR     the environment variable holding the shared secret (overrides the
                       config's node.secret_env)
)";

int run_nodes_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::optional<fleet_connection> fleet;
  bool json = false;
  try {
    command_line cmd{args, {"help", "json"}};
    auto& positionals = cmd.positionals();
    if (cmd.has("help") ||
        std::find(positionals.begin(), positionals.end(), "-h") != positionals.end()) {
      out << nodes_usage;
      return 0;
    }
    cmd.only({"connect", "json", "config", "secret-env"});
    if (!positionals.empty())
      throw std::invalid_argument("unexpected argument \"" + positionals.front() + "\"");
    fleet = fleet_connection::read(cmd);
    json = cmd.has("json");
  } catch (const std::exception& e) {
    err << "herd nodes: " << e.what() << "\n(herd nodes --help for usage)\n";
    return 2;
  }
  fleet->config.log_level = "off";
  std::vector<node_info> nodes;
  try {
    client coordinator{fleet->config, fleet->host, fleet->port};
    auto answer = coordinator.nodes();
    if (!answer) {
      err << "herd nodes: " << coordinator.render(answer.error()) << '\n';
      return 1;
    }
    nodes = std::move(*answer);
  } catch (const std::exception& e) {
    err << "herd nodes: " << e.what() << '\n';
    return 2;
  }
  if (json) {
    auto list = nlohmann::json::array();
    for (auto& node : nodes)
      list.push_back(node.to_json());
    out << list.dump(2) << '\n';
    return 0;
  }
  if (nodes.empty())
    out << "no worker nodes\n";
  for (auto& node : nodes) {
    out << node.name << "  pool " << node.pool << "  "
        << (node.connected ? "connected" : "lost (" + node.lost_reason + ")") << "  "
        << node.agents.size() << " agents  last contact " << format_utc(node.last_contact_ms)
        << '\n';
  }
  return 0;
}

} // namespace herd::cli
