#include "nodes_command.hpp"

#include <algorithm>
#include <ostream>
#include <set>
#include <stdexcept>
#include <tuple>

#include <caf/io/middleman.hpp>
#include <caf/io/middleman_actor.hpp>
#include <caf/scoped_actor.hpp>
#include <nlohmann/json.hpp>

#include "command_line.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/distribution/protocol.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "herd/runtime/system_config.hpp"

namespace herd::cli {

const char* const nodes_usage =
    R"(usage: herd nodes --connect HOST:PORT [--json] [--config FILE]
Lists the worker nodes of the coordinator whose node endpoint listens at HOST:PORT: name, pool,
connected or lost (and why), its agents' names and its last contact (UTC).
  --connect HOST:PORT  the coordinator's node endpoint (required)
  --json               a JSON array instead of lines
  --config FILE        runtime config whose "node" section gives the heartbeats and the
                       request timeout (the same on every node)
)";

int run_nodes_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  runtime_config config;
  std::string host;
  uint16_t port = 0;
  bool json = false;
  try {
    command_line cmd{args, {"help", "json"}};
    auto& positionals = cmd.positionals();
    if (cmd.has("help") ||
        std::find(positionals.begin(), positionals.end(), "-h") != positionals.end()) {
      out << nodes_usage;
      return 0;
    }
    cmd.only({"connect", "json", "config"});
    if (!positionals.empty())
      throw std::invalid_argument("unexpected argument \"" + positionals.front() + "\"");
    std::tie(host, port) = cmd.host_port("connect");
    if (cmd.has("config"))
      config = runtime_config::load(cmd.get("config"));
    json = cmd.has("json");
  } catch (const std::exception& e) {
    err << "herd nodes: " << e.what() << "\n(herd nodes --help for usage)\n";
    return 2;
  }
  config.log_level = "off";
  system_config cfg{config};
  caf::actor_system sys{cfg};
  caf::scoped_actor self{sys};
  node_endpoint_actor endpoint;
  std::string failure;
  self->request(sys.middleman().actor_handle(), config.node.request_timeout,
                caf::connect_atom::value, host, port)
      .receive(
          [&](const caf::node_id&, caf::strong_actor_ptr& ptr, const std::set<std::string>&) {
            endpoint = caf::actor_cast<node_endpoint_actor>(std::move(ptr));
          },
          [&](caf::error& e) { failure = sys.render(e); });
  if (!endpoint) {
    err << "herd nodes: cannot reach " << host << ':' << port << ": "
        << (failure.empty() ? "nothing is published there" : failure) << '\n';
    return 1;
  }
  std::vector<node_info> nodes;
  self->request(endpoint, config.node.request_timeout, nodes_atom::value)
      .receive([&](std::vector<node_info>& xs) { nodes = std::move(xs); },
               [&](caf::error& e) { failure = sys.render(e); });
  if (!failure.empty()) {
    err << "herd nodes: no answer from " << host << ':' << port << ": " << failure << '\n';
    return 1;
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
