#include "worker_command.hpp"

#include <algorithm>
#include <atomic>
#include <csignal>
#include <ostream>
#include <stdexcept>
#include <thread>

#include <caf/make_message.hpp>
#include <sys/types.h>
#include <unistd.h>

#include "command_line.hpp"
#include "fleet_connection.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/distribution/echo_agent.hpp"
#include "herd/distribution/node_errc.hpp"
#include "herd/distribution/worker.hpp"
#include "herd/runtime/runtime_config.hpp"
#include "stop_signals.hpp"

namespace herd::cli {

const char* const worker_usage =
    R"(usage: herd worker --connect HOST:PORT [--pool NAME] [--agents N] [--name NAME]
                   [--config FILE] [--secret-env VAR]
Hosts N built-in echo agents (a task's payload comes back as {"echo": ..., "pid": ...,
"agent": ...}; {"delay_ms": N} answers N ms later) in this process and joins them to a pool of
the coordinator whose node endpoint listens at HOST:PORT (its runtime config has
"node": {"publish": true}). Prints "worker NAME registered with HOST:PORT: N agents in pool P",
dials again with backoff and jitter when the coordinator goes away, and runs until SIGINT or
SIGTERM. Exits 1 if the coordinator refuses it (wrong application id or shared secret).
  --connect HOST:PORT  the coordinator's node endpoint (required)
  --pool NAME          the coordinator's pool the agents join (default "default")
  --agents N           agents to host (default 1)
  --name NAME          the worker's name, unique in the fleet (default worker-<pid>)
  --config FILE        runtime config whose "node" section gives the application id, the
                       secret's variable, heartbeats and timeouts (the same on every node)
  --secret-env VAR     the environment variable holding the shared secret (overrides the
                       config's node.secret_env)
)";

int run_worker_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  runtime_config config;
  worker_options options;
  try {
    command_line cmd{args, {"help"}};
    auto& positionals = cmd.positionals();
    if (cmd.has("help") ||
        std::find(positionals.begin(), positionals.end(), "-h") != positionals.end()) {
      out << worker_usage;
      return 0;
    }
    cmd.only({"connect", "pool", "agents", "name", "config", "secret-env"});
    if (!positionals.empty())
      throw std::invalid_argument("unexpected argument \"" + positionals.front() + "\"");
    auto fleet = fleet_connection::read(cmd);
    options.host = fleet.host;
    options.port = fleet.port;
    config = std::move(fleet.config);
    options.pool = cmd.get("pool", options.pool);
    options.agents = static_cast<int32_t>(cmd.integer("agents", 1, 1, 10000));
    options.name = cmd.get("name", "");
  } catch (const config_error& e) {
    err << "herd worker: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    err << "herd worker: " << e.what() << "\n(herd worker --help for usage)\n";
    return 2;
  }
  stop_signals signals; // before any thread starts
  try {
    worker w{config, options, [](caf::actor_system& sys) { return sys.spawn<echo_agent>(); }};
    // Waits for the first registration beside the signals: a refusal ends the command.
    std::atomic<bool> refused{false};
    std::atomic<bool> stopping{false};
    std::string refusal;
    std::thread watcher{[&] {
      while (!stopping) {
        auto joined = w.await_registration(from_ms(1000));
        if (joined) {
          out << "worker " << w.name() << " registered with " << options.host << ':' << options.port
              << ": " << joined->agents.size() << " agents in pool " << joined->pool << std::endl;
          return;
        }
        if (joined.error() == node_errc::refused) {
          refusal = w.system().render(joined.error());
          refused = true;
          ::kill(::getpid(), SIGTERM); // to the process: the signal mask holds it for wait()
          return;
        }
      }
    }};
    signals.wait();
    stopping = true;
    watcher.join(); // within a second, registered or not
    if (refused) {
      err << "herd worker: refused by the coordinator: " << refusal << '\n';
      return 1;
    }
    w.stop();
    return 0;
  } catch (const config_error& e) {
    err << "herd worker: " << e.what() << '\n';
    return 1;
  }
}

} // namespace herd::cli
