#include <cstdlib>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/test_agents.hpp"
#include "herd/core/config_error.hpp"
#include "herd/herd.hpp"
#include "herd/runtime/ops_endpoint.hpp"
#include "spawn_function.hpp"

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

/// A runtime that starts its endpoint from the `"http"` config, with two echo agents.
runtime_config serving_config(nlohmann::json http = {{"listen", "127.0.0.1:0"}}) {
  auto config = runtime_config::from_json({{"log_level", "warn"}, {"threads", 2}, {"http", http}});
  return config;
}

nlohmann::json body_of(const httplib::Result& res) {
  BOOST_REQUIRE(res);
  return nlohmann::json::parse(res->body);
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

BOOST_AUTO_TEST_CASE(the_runtime_serves_its_config_s_endpoint_until_shutdown) {
  herd::runtime rt{serving_config()};
  BOOST_REQUIRE(rt.endpoint() != nullptr);
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  rt.add_service("search", herd::test::spawn_function(rt.system(), []() -> caf::behavior {
                   return {[](call_atom, const std::string&) { return outcome::success(); }};
                 }));
  BOOST_REQUIRE(rt.breaker_for("search")); // breakers start on first use
  BOOST_REQUIRE(rt.run(task::make("t-1", "read_only", nullptr, "llm")));
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  auto state = body_of(client.Get("/api/state"));
  BOOST_TEST(state["intake"]["paused"] == false);
  BOOST_TEST(state["dispatcher"]["completed"] == 1);
  BOOST_REQUIRE(state["breakers"].size() == 1u);
  BOOST_TEST(state["breakers"][0]["service"] == "search");
  BOOST_TEST(state["breakers"][0]["state"] == "closed");
  BOOST_TEST(state["breakers"][0]["next_probe"].is_null());
  BOOST_REQUIRE(state["admission"].size() == 1u);
  BOOST_TEST(state["admission"][0]["service"] == "search");
  BOOST_TEST(state["dead_letters"]["configured"] == false);
  BOOST_TEST(state["agents"][0]["since"].get<std::string>().back() == 'Z');
  rt.shutdown(from_ms(5000));
  BOOST_TEST(rt.endpoint() == nullptr);
  BOOST_TEST(!client.Get("/health/live"));
}

BOOST_AUTO_TEST_CASE(readiness_flips_while_intake_is_paused) {
  herd::runtime rt{serving_config()};
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  BOOST_TEST(client.Get("/health/ready")->status == 200);
  auto paused = client.Post("/api/intake/pause", R"({"reason": "deploying"})", "application/json");
  BOOST_REQUIRE(paused);
  BOOST_TEST(paused->status == 200);
  auto ready = client.Get("/health/ready");
  BOOST_TEST(ready->status == 503);
  BOOST_TEST(body_of(ready)["reasons"].dump().find("intake is paused: deploying") !=
             std::string::npos);
  auto refused = rt.run(task::make("t-1", "read_only", nullptr, "llm"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST(refused.error().code() == static_cast<uint8_t>(errc::intake_paused));
  BOOST_TEST(rt.system().render(refused.error()).find("deploying") != std::string::npos);
  BOOST_TEST(body_of(client.Get("/api/state"))["intake"]["reason"] == "deploying");
  BOOST_TEST(client.Post("/api/intake/resume", "", "application/json")->status == 200);
  BOOST_TEST(client.Get("/health/ready")->status == 200);
  BOOST_TEST(static_cast<bool>(rt.run(task::make("t-2", "read_only", nullptr, "llm"))));
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(state_changes_need_the_bearer_token) {
  ::setenv("HERD_TEST_OPS_TOKEN", "s3cret-token", 1);
  herd::runtime rt{
      serving_config({{"listen", "127.0.0.1:0"}, {"token_env", "HERD_TEST_OPS_TOKEN"}})};
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  auto without = client.Post("/api/intake/pause", "{}", "application/json");
  BOOST_TEST(without->status == 401);
  auto wrong = client.Post("/api/intake/pause", httplib::Headers{{"Authorization", "Bearer guess"}},
                           "{}", "application/json");
  BOOST_TEST(wrong->status == 401);
  BOOST_TEST(client.Get("/health/ready")->status == 200); // nothing changed
  BOOST_TEST(body_of(wrong).dump().find("s3cret") == std::string::npos);
  auto right =
      client.Post("/api/intake/pause", httplib::Headers{{"Authorization", "Bearer s3cret-token"}},
                  "{}", "application/json");
  BOOST_TEST(right->status == 200);
  BOOST_TEST(client.Get("/health/ready")->status == 503);
  // Reading needs no token.
  BOOST_TEST(client.Get("/api/state")->status == 200);
  ::unsetenv("HERD_TEST_OPS_TOKEN");
  auto unset =
      client.Post("/api/intake/resume", httplib::Headers{{"Authorization", "Bearer s3cret-token"}},
                  "{}", "application/json");
  BOOST_TEST(unset->status == 403);
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(bad_requests_get_a_4xx_with_a_reason) {
  herd::runtime rt{serving_config()};
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  auto unknown = client.Get("/nowhere");
  BOOST_TEST(unknown->status == 404);
  BOOST_TEST(body_of(unknown)["error"] == "no route GET /nowhere");
  auto malformed = client.Post("/api/dead-letters/replay", "{\"ids\": [", "application/json");
  BOOST_TEST(malformed->status == 400);
  auto unnamed = client.Post("/api/dead-letters/replay", "{}", "application/json");
  BOOST_TEST(unnamed->status == 400);
  BOOST_TEST(body_of(unnamed)["error"].get<std::string>().find("which letters") !=
             std::string::npos);
  auto bad_id = client.Post("/api/dead-letters/replay", R"({"ids": [7]})", "application/json");
  BOOST_TEST(bad_id->status == 400);
  BOOST_TEST(body_of(bad_id)["error"].get<std::string>().find("/ids/0") != std::string::npos);
  auto no_queue = client.Post("/api/dead-letters/replay", R"({"all": true})", "application/json");
  BOOST_TEST(no_queue->status == 404);
  auto unknown_key = client.Post("/api/intake/pause", R"({"why": 1})", "application/json");
  BOOST_TEST(unknown_key->status == 400);
  auto huge = client.Post("/api/intake/pause", std::string(100 * 1024, ' '), "application/json");
  BOOST_TEST(huge->status == 413);
  BOOST_TEST(client.Get("/health/live")->status == 200); // still serving
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(dead_letters_are_replayed_over_http) {
  test::temp_dir dir;
  auto config = serving_config();
  dead_letter_queue_config dead_letters;
  dead_letters.db = (dir.path / "dl.db").string();
  config.dead_letters = dead_letters;
  herd::runtime rt{config};
  rt.spawn_pool<test::failing_agent>("work", 1);
  auto failed = rt.run(task::make("bad-1", "read_only", {{"fail", "permanent"}}, "work"));
  BOOST_REQUIRE(failed);
  BOOST_TEST((failed->status == outcome_status::dead_lettered));
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  auto state = body_of(client.Get("/api/state"));
  BOOST_TEST(state["dead_letters"]["depth"] == 1);
  BOOST_TEST(state["dead_letters"]["store_error"] == "");
  auto replay =
      client.Post("/api/dead-letters/replay", R"({"ids": ["bad-1"]})", "application/json");
  BOOST_REQUIRE(replay);
  BOOST_TEST(replay->status == 202);
  BOOST_TEST(body_of(replay)["total"] == 1);
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_CASE(api_state_lists_each_budget_window_with_its_utc_reset) {
  auto config = runtime_config::from_json(nlohmann::json::parse(R"({
    "log_level": "warn", "threads": 2, "http": {"listen": "127.0.0.1:0"},
    "budgets": {"runtime": {"per_day": {"soft": 5, "hard": 10}},
                "pools": {"llm": {"per_hour": {"hard": 1}}}}})"));
  herd::runtime rt{config};
  httplib::Client client{"127.0.0.1", rt.endpoint()->port()};
  auto budgets = body_of(client.Get("/api/state"))["budgets"];
  BOOST_REQUIRE(budgets.size() == 2u);
  BOOST_TEST(budgets[0]["subject"] == "runtime");
  BOOST_TEST(budgets[0]["window"] == "day");
  BOOST_TEST(budgets[0]["soft_usd"] == 5.0);
  BOOST_TEST(budgets[0]["remaining_usd"] == 10.0);
  BOOST_TEST(budgets[0]["spent_usd"] == 0.0);
  BOOST_TEST(budgets[0]["resets_at"].get<std::string>().find("T00:00:00.000Z") !=
             std::string::npos);
  BOOST_TEST(budgets[1]["subject"] == "pool:llm");
  BOOST_TEST(budgets[1]["window"] == "hour");
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_SUITE_END()
