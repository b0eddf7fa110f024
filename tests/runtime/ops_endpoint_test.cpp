#include <cstdlib>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include "actors/test_agents.hpp"
#include "herd/core/config_error.hpp"
#include "herd/herd.hpp"
#include "herd/runtime/ops_endpoint.hpp"

using namespace herd;

namespace {

runtime_config quiet_config() {
  runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  return config;
}

ops_endpoint_config ephemeral() {
  ops_endpoint_config config;
  config.listen = "127.0.0.1:0";
  return config;
}

std::string config_error_path(const nlohmann::json& object) {
  try {
    ops_endpoint_config::from_json(object);
  } catch (const config_error& e) {
    return e.path();
  }
  return "(accepted)";
}

} // namespace

BOOST_AUTO_TEST_SUITE(ops_endpoint_suite)

BOOST_AUTO_TEST_CASE(serves_metrics_health_and_state) {
  herd::runtime rt{quiet_config()};
  rt.spawn_pool<test::echo_agent>("llm", 2, std::make_shared<std::map<std::string, int>>());
  BOOST_REQUIRE(rt.run(task::make("t-1", "read_only", {{"q", "hi"}}, "llm")));
  ops_endpoint endpoint{rt, ephemeral()};
  auto port = endpoint.start();
  BOOST_REQUIRE(port != 0);
  httplib::Client client{"127.0.0.1", port};
  auto metrics = client.Get("/metrics");
  BOOST_REQUIRE(metrics);
  BOOST_TEST(metrics->status == 200);
  BOOST_TEST(metrics->get_header_value("Content-Type") == "text/plain; version=0.0.4");
  BOOST_TEST(metrics->body.find("herd_tasks_accepted_total") != std::string::npos);
  // The promtool CTest (tests/cmake/check_metrics_with_promtool.cmake) checks this body.
  if (auto out = std::getenv("HERD_OPS_METRICS_OUT"))
    std::ofstream{out} << metrics->body;
  auto live = client.Get("/health/live");
  BOOST_REQUIRE(live);
  BOOST_TEST(live->status == 200);
  BOOST_TEST(nlohmann::json::parse(live->body)["status"] == "live");
  auto ready = client.Get("/health/ready");
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->status == 200);
  BOOST_TEST(nlohmann::json::parse(ready->body)["healthy_agents"] == 2);
  auto state = client.Get("/api/state");
  BOOST_REQUIRE(state);
  BOOST_TEST(state->status == 200);
  auto body = nlohmann::json::parse(state->body);
  BOOST_TEST(body["agents"].size() == 2u);
  BOOST_TEST(body["dispatcher"]["completed"] == 1);
  BOOST_TEST(body["generated_at"].get<std::string>().back() == 'Z');
  endpoint.stop();
  BOOST_TEST(!client.Get("/health/live"));
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(not_ready_without_a_healthy_agent) {
  herd::runtime rt{quiet_config()};
  ops_endpoint endpoint{rt, ephemeral()};
  httplib::Client client{"127.0.0.1", endpoint.start()};
  auto ready = client.Get("/health/ready");
  BOOST_REQUIRE(ready);
  BOOST_TEST(ready->status == 503);
  auto reasons = nlohmann::json::parse(ready->body)["reasons"];
  BOOST_TEST(reasons.dump().find("no healthy agent") != std::string::npos);
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(bad_listen_addresses_name_the_json_path) {
  BOOST_TEST(config_error_path({{"listen", "nonsense"}}) == "/http/listen");
  BOOST_TEST(config_error_path({{"listen", "127.0.0.1:70000"}}) == "/http/listen");
  BOOST_TEST(config_error_path({{"listen", "127.0.0.1:"}}) == "/http/listen");
  BOOST_TEST(config_error_path({{"listen", 9464}}) == "/http/listen");
  BOOST_TEST(config_error_path({{"port", "1"}}) == "/http/port");
  BOOST_TEST(config_error_path({{"listen", "127.0.0.1:9464"}}) == "(accepted)");
  BOOST_TEST(config_error_path(nlohmann::json::object()) == "(accepted)");
  auto config = ops_endpoint_config::from_json({{"listen", "[::1]:9464"}, {"token_env", "T"}});
  BOOST_TEST(config.host() == "::1");
  BOOST_TEST(config.port() == 9464);
  BOOST_TEST(config.loopback());
}

BOOST_AUTO_TEST_SUITE_END()
