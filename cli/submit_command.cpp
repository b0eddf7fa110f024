#include "submit_command.hpp"

#include <unistd.h>

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

const char* const submit_usage =
    R"(usage: herd submit --connect HOST:PORT --kind KIND [--payload JSON] [--id ID] [--pool NAME]
                   [--service NAME] [--enqueue] [--timeout-ms N] [--json] [--config FILE]
                   [--secret-env VAR]
Submits one task to the coordinator whose node endpoint listens at HOST:PORT (its runtime config
has "node": {"publish": true}) and prints its outcome when it ends: "ok RESULT" or "failed
CATEGORY: MESSAGE". Exits 0 for a successful outcome, 1 for a failed one or an error (refused,
unreachable, timeout, a refusal of the coordinator such as intake_full), 2 on bad usage. After a
timeout or a dropped connection the task may still run: submit it again with the same --id to
get its recorded result.
  --connect HOST:PORT  the coordinator's node endpoint (required)
  --kind KIND          the task's kind (required; the coordinator needs a failure policy for it)
  --payload JSON       the task's payload (default null)
  --id ID              the task's id, its idempotency key (default cli-<pid>-<UTC ms>)
  --pool NAME          the pool that runs it (default "default")
  --service NAME       the downstream service it calls (default none)
  --enqueue            return once the coordinator accepted the task (durable with a "sync"
                       journal) and print its id, without waiting for the outcome
  --timeout-ms N       how long to wait (default 30000 with --enqueue, else 86400000)
  --json               print the outcome as JSON
  --config FILE        runtime config whose "node" section gives the application id, the
                       secret's variable, heartbeats and the request timeout
  --secret-env VAR     the environment variable holding the shared secret (overrides the
                       config's node.secret_env)
)";

int run_submit_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  std::optional<fleet_connection> fleet;
  task t;
  bool enqueue = false;
  bool json = false;
  int64_t timeout_ms = 0;
  try {
    command_line cmd{args, {"help", "enqueue", "json"}};
    auto& positionals = cmd.positionals();
    if (cmd.has("help") ||
        std::find(positionals.begin(), positionals.end(), "-h") != positionals.end()) {
      out << submit_usage;
      return 0;
    }
    cmd.only({"connect", "kind", "payload", "id", "pool", "service", "enqueue", "timeout-ms",
              "json", "config", "secret-env"});
    if (!positionals.empty())
      throw std::invalid_argument("unexpected argument \"" + positionals.front() + "\"");
    fleet = fleet_connection::read(cmd);
    if (!cmd.has("kind") || cmd.get("kind").empty())
      throw std::invalid_argument("--kind is required");
    auto payload = nlohmann::json::parse(cmd.get("payload", "null"), nullptr, false);
    if (payload.is_discarded())
      throw std::invalid_argument("--payload is not valid JSON");
    auto id =
        cmd.get("id", "cli-" + std::to_string(::getpid()) + "-" + std::to_string(wall_now_ms()));
    t = task::make(id, cmd.get("kind"), payload, cmd.get("pool", "default"),
                   cmd.get("service", ""));
    enqueue = cmd.has("enqueue");
    json = cmd.has("json");
    timeout_ms = cmd.integer("timeout-ms", enqueue ? 30000 : 24LL * 3600 * 1000, 1,
                             365LL * 24 * 3600 * 1000);
  } catch (const std::exception& e) {
    err << "herd submit: " << e.what() << "\n(herd submit --help for usage)\n";
    return 2;
  }
  fleet->config.log_level = "off";
  try {
    client coordinator{fleet->config, fleet->host, fleet->port};
    if (enqueue) {
      auto id = coordinator.enqueue(std::move(t), from_ms(timeout_ms));
      if (!id) {
        err << "herd submit: " << coordinator.render(id.error()) << '\n';
        return 1;
      }
      out << (json ? nlohmann::json{{"id", *id}, {"accepted", true}}.dump() : "accepted " + *id)
          << '\n';
      return 0;
    }
    auto result = coordinator.run(std::move(t), from_ms(timeout_ms));
    if (!result) {
      err << "herd submit: " << coordinator.render(result.error()) << '\n';
      return 1;
    }
    if (json)
      out << nlohmann::json(*result).dump() << '\n';
    else if (result->ok())
      out << "ok " << result->result_json().dump() << '\n';
    else
      out << "failed " << to_string(result->error) << '\n';
    return result->ok() ? 0 : 1;
  } catch (const std::exception& e) {
    err << "herd submit: " << e.what() << '\n';
    return 2;
  }
}

} // namespace herd::cli
