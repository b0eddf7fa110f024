// The "node" section: defaults, the JSON paths of bad fields, the secret from the environment
// (never in the JSON form) and the middleman settings every node shares.
#include <cstdlib>

#include <boost/test/unit_test.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/config_value.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/distribution/node_config.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace {

/// The path of the config_error that reading `node` as the "node" section throws, or "".
std::string error_path_of(const nlohmann::json& node) {
  try {
    herd::runtime_config::from_json({{"node", node}});
  } catch (const herd::config_error& e) {
    return e.path();
  }
  return "";
}

} // namespace

BOOST_AUTO_TEST_SUITE(distribution_config)

BOOST_AUTO_TEST_CASE(defaults_bind_loopback_and_publish_nothing) {
  herd::runtime_config c;
  BOOST_TEST(!c.node.publish);
  BOOST_TEST(c.node.host == "127.0.0.1");
  BOOST_TEST(c.node.loopback());
  BOOST_TEST(c.node.port == 0);
  BOOST_TEST(c.node.app_id == "herd");
  BOOST_TEST(herd::to_ms(c.node.heartbeat_interval) == 1000);
  BOOST_TEST(herd::to_ms(c.node.connection_timeout) == 5000);
  BOOST_TEST(herd::to_ms(c.node.request_timeout) == 5000);
  BOOST_TEST(c.node.secret().empty());
}

BOOST_AUTO_TEST_CASE(reads_every_key_and_writes_it_back) {
  auto c = herd::runtime_config::from_json({{"node",
                                             {{"publish", true},
                                              {"host", "10.0.0.5"},
                                              {"port", 4242},
                                              {"app_id", "acme"},
                                              {"secret_env", "ACME_SECRET"},
                                              {"heartbeat_interval_ms", 250},
                                              {"connection_timeout_ms", 1000},
                                              {"request_timeout_ms", 2000},
                                              {"reconnect_min_ms", 50},
                                              {"reconnect_max_ms", 800}}}});
  BOOST_TEST(c.node.publish);
  BOOST_TEST(!c.node.loopback());
  BOOST_TEST(c.node.port == 4242);
  BOOST_TEST(herd::to_ms(c.node.reconnect_max) == 800);
  auto back = herd::runtime_config::from_json(c.to_json());
  BOOST_TEST(back.node.to_json() == c.node.to_json());
  BOOST_TEST(c.to_json()["node"]["secret_env"] == "ACME_SECRET");
}

BOOST_AUTO_TEST_CASE(bad_fields_are_named_by_their_json_path) {
  BOOST_TEST(error_path_of({{"port", 70000}}) == "/node/port");
  BOOST_TEST(error_path_of({{"hots", "x"}}) == "/node/hots");
  BOOST_TEST(error_path_of({{"host", ""}}) == "/node/host");
  BOOST_TEST(error_path_of({{"app_id", ""}}) == "/node/app_id");
  BOOST_TEST(error_path_of({{"heartbeat_interval_ms", 0}}) == "/node/heartbeat_interval_ms");
  BOOST_TEST(error_path_of({{"heartbeat_interval_ms", 1000}, {"connection_timeout_ms", 1500}}) ==
             "/node/connection_timeout_ms");
  BOOST_TEST(error_path_of({{"reconnect_min_ms", 500}, {"reconnect_max_ms", 100}}) ==
             "/node/reconnect_max_ms");
  // Publishing beyond loopback without a secret is a decision to write down, not a default.
  BOOST_TEST(error_path_of({{"publish", true}, {"host", "0.0.0.0"}}) == "/node/secret_env");
  BOOST_TEST(error_path_of({{"publish", true}, {"host", "0.0.0.0"}, {"secret_env", "S"}}) == "");
}

BOOST_AUTO_TEST_CASE(the_secret_comes_from_the_environment_only) {
  herd::node_config c;
  c.secret_env = "HERD_NODE_CONFIG_TEST_SECRET";
  ::unsetenv("HERD_NODE_CONFIG_TEST_SECRET");
  try {
    c.secret();
    BOOST_FAIL("an unset secret variable must be refused");
  } catch (const herd::config_error& e) {
    BOOST_TEST(e.path() == "/node/secret_env");
  }
  ::setenv("HERD_NODE_CONFIG_TEST_SECRET", "hunter2", 1);
  BOOST_TEST(c.secret() == "hunter2");
  BOOST_TEST(c.to_json().dump().find("hunter2") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_node_gets_the_same_middleman_liveness) {
  herd::node_config c;
  c.heartbeat_interval = herd::from_ms(250);
  c.connection_timeout = herd::from_ms(900);
  caf::actor_system_config cfg;
  c.apply_to(cfg);
  auto heartbeat = caf::get_if<caf::timespan>(&cfg, "middleman.heartbeat-interval");
  auto timeout = caf::get_if<caf::timespan>(&cfg, "middleman.connection-timeout");
  BOOST_REQUIRE(static_cast<bool>(heartbeat));
  BOOST_REQUIRE(static_cast<bool>(timeout));
  BOOST_TEST(herd::to_ms(*heartbeat) == 250);
  BOOST_TEST(herd::to_ms(*timeout) == 900);
}

BOOST_AUTO_TEST_SUITE_END()
