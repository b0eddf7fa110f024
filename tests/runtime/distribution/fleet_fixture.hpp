#pragma once

// The coordinator of the multi-process tests: a runtime in this process that publishes its node
// endpoint on 127.0.0.1 (port picked), `herd worker` processes that join its pool "remote", and a
// folder for their files. A coordinator can be restarted on the same port (and journal).
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <future>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/distribution/client.hpp"
#include "herd/runtime/runtime.hpp"
#include "runtime/distribution/fleet_process.hpp"

namespace herd::test {

/// Why `x` failed, rendered by `c`; "" when it holds a value.
template <class T>
std::string why(const herd::client& c, const caf::expected<T>& x) {
  return x ? std::string{} : c.render(x.error());
}

inline constexpr const char* secret_env = "HERD_FLEET_TEST_SECRET";

/// A coordinator with a published node endpoint and a folder for the workers' files.
struct fleet_fixture {
  fleet_fixture() : fleet_fixture(nlohmann::json::object()) {}

  /// A coordinator whose runtime config is merged with `extra` (a JSON merge patch); the
  /// workers' config gets `extra`'s "node" keys too (TLS, for one).
  explicit fleet_fixture(const nlohmann::json& extra) {
    ::setenv(secret_env, "s3cret-for-the-fleet", 1);
    dir = std::filesystem::temp_directory_path() /
          ("herd_fleet_" + std::to_string(::getpid()) + "_" + std::to_string(++instances));
    std::filesystem::create_directories(dir);
    nlohmann::json node{{"secret_env", secret_env},
                        {"heartbeat_interval_ms", 200},
                        {"connection_timeout_ms", 1500}};
    if (extra.contains("node"))
      node.merge_patch(extra["node"]);
    worker_config = (dir / "worker.json").string();
    std::ofstream{worker_config} << nlohmann::json{{"log_level", "warn"}, {"node", node}}.dump();
    node["publish"] = true;
    coordinator_json = {{"log_level", "warn"}, {"fallback_policy", "default"}, {"node", node}};
    coordinator_json.merge_patch(extra);
    rt = std::make_unique<herd::runtime>(herd::runtime_config::from_json(coordinator_json));
  }

  /// Stops the coordinator (its unfinished tasks stay in its journal, if it has one) and starts
  /// a new one with the same config on the same port.
  void restart_coordinator() {
    auto port = rt->node_port();
    last_shutdown = rt->shutdown(herd::from_ms(1000));
    rt.reset();
    coordinator_json["node"]["port"] = port;
    rt = std::make_unique<herd::runtime>(herd::runtime_config::from_json(coordinator_json));
  }

  /// The coordinator's node endpoint, "HOST:PORT" (127.0.0.1 unless the config says otherwise).
  std::string endpoint() const {
    return coordinator_json["node"].value("host", "127.0.0.1") + ":" +
           std::to_string(rt->node_port());
  }
  ~fleet_fixture() {
    workers.clear();
    rt->shutdown(herd::from_ms(1000));
    rt.reset();
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
  }

  /// Starts `herd worker NAME` with `agents` agents in pool "remote".
  herd::test::fleet_process& start_worker(const std::string& name, int agents = 2,
                                          std::vector<std::string> extra = {},
                                          std::string netns = {}) {
    std::vector<std::string> args{"worker",
                                  "--connect",
                                  endpoint(),
                                  "--pool",
                                  "remote",
                                  "--agents",
                                  std::to_string(agents),
                                  "--name",
                                  name,
                                  "--config",
                                  worker_config};
    args.insert(args.end(), extra.begin(), extra.end());
    workers.push_back(
        std::make_unique<herd::test::fleet_process>(args, (dir / (name + ".log")).string(), netns));
    return *workers.back();
  }

  /// The nodes connected now.
  size_t connected_nodes() {
    size_t n = 0;
    for (auto& node : rt->nodes())
      n += node.connected ? 1 : 0;
    return n;
  }

  /// Waits until `n` nodes are connected (generous: the machine is loaded).
  void await_nodes(size_t n) {
    BOOST_REQUIRE_MESSAGE(herd::test::eventually([&] { return connected_nodes() == n; }, 60000),
                          "expected " << n << " connected nodes, have " << connected_nodes());
  }

  /// Submits `count` echo tasks to pool "remote", each answering after `delay_ms`.
  std::vector<std::future<caf::expected<herd::outcome>>> submit(int count, int delay_ms,
                                                                const std::string& prefix) {
    std::vector<std::future<caf::expected<herd::outcome>>> result;
    for (int i = 0; i < count; ++i)
      result.push_back(rt->submit(herd::task::make(prefix + std::to_string(i), "echo",
                                                   {{"i", i}, {"delay_ms", delay_ms}}, "remote")));
    return result;
  }

  /// The process ids that ran the tasks, by task; every outcome must be a success.
  std::map<std::string, int64_t>
  pids_of(std::vector<std::future<caf::expected<herd::outcome>>>& futures) {
    std::map<std::string, int64_t> result;
    for (auto& f : futures) {
      BOOST_REQUIRE(f.wait_for(std::chrono::seconds{90}) == std::future_status::ready);
      auto answer = f.get();
      BOOST_REQUIRE_MESSAGE(answer, "a task ended in an error");
      BOOST_REQUIRE_MESSAGE(answer->ok(), "a task did not succeed");
      auto value = answer->result_json();
      result[answer->task_id] = value.at("pid").get<int64_t>();
    }
    return result;
  }

  static inline int instances = 0;
  std::filesystem::path dir;
  std::string worker_config;
  nlohmann::json coordinator_json;
  /// What the last `restart_coordinator` stopped.
  herd::shutdown_report last_shutdown;
  std::unique_ptr<herd::runtime> rt;
  std::vector<std::unique_ptr<herd::test::fleet_process>> workers;
};

} // namespace herd::test
