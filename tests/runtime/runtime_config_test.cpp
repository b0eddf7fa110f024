// Configuration: JSON in, typed structs out; every bad field is named by its JSON path.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace {

/// The message of the config_error that reading `text` throws, or "" if it reads fine.
std::string error_of(const std::string& text) {
  try {
    herd::runtime_config::from_json(nlohmann::json::parse(text));
  } catch (const herd::config_error& e) {
    return e.what();
  }
  return "";
}

/// A configuration with one HTTP service, "sonnet", and `extra` keys beside it.
std::string with_sonnet(const std::string& extra) {
  return R"({"services": {"sonnet": {"type": "http", "base_url": "http://127.0.0.1:1"}}, )" +
         extra + "}";
}

} // namespace

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_are_complete) {
  herd::runtime_config c;
  BOOST_TEST(c.dispatcher.intake_capacity == 10000);
  BOOST_TEST(herd::to_ms(c.dispatcher.lease_timeout) == 30000);
  BOOST_TEST(c.policies.count("read_only") == 1u);
  BOOST_TEST(c.policies.count("payment") == 1u);
  BOOST_TEST(c.policy_for("some_unknown_kind").max_attempts ==
             c.policies.at("default").max_attempts);
  BOOST_TEST(c.concurrency_of("anything") == 1);
  // No fallback: the dispatcher accepts exactly the kinds with a policy.
  BOOST_TEST(c.fallback_policy.empty());
  BOOST_TEST(!c.accepts_kind("payments"));
  BOOST_TEST(c.accepts_kind("payment"));
  auto kinds = c.dispatcher_settings().kinds;
  BOOST_TEST((kinds == std::vector<std::string>{"default", "mutation", "notification", "payment",
                                                "read_only"}));
}

BOOST_AUTO_TEST_CASE(a_fallback_policy_opts_in_to_kinds_without_a_policy) {
  auto c = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "policies": {"mail": {"preset": "notification"}}, "fallback_policy": "mail"})"));
  BOOST_TEST(c.fallback_policy == "mail");
  BOOST_TEST(c.accepts_kind("anything"));
  BOOST_TEST(c.dispatcher_settings().kinds.empty());
  BOOST_TEST(c.policy_for("anything").max_attempts == 3);
  BOOST_TEST(herd::runtime_config::from_json(c.to_json()).fallback_policy == "mail");
  try {
    herd::runtime_config::from_json(nlohmann::json::parse(R"({"fallback_policy": "defualt"})"));
    BOOST_FAIL("a fallback naming no policy must be refused");
  } catch (const herd::config_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("fallback_policy") != std::string::npos, what);
    BOOST_TEST(what.find("read_only") != std::string::npos, what);
  }
}

BOOST_AUTO_TEST_CASE(reads_every_section) {
  auto c = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "log_level": "warn", "threads": 2,
    "health": {"heartbeat_interval_ms": 500, "detector": "phi", "watch": "heartbeats"},
    "supervision": {"strategy": "rest_for_one", "max_restarts": 5},
    "dispatcher": {"intake_capacity": 50, "lease_timeout_ms": 2000, "max_requeues": 1},
    "pools": {"llm": {"concurrency": 4}},
    "policies": {"summaries": {"preset": "read_only", "max_attempts": 3,
                               "backoff": {"kind": "exponential", "base_ms": 50}}}
  })"));
  BOOST_TEST(c.log_level == "warn");
  BOOST_TEST(c.threads == 2);
  BOOST_TEST(herd::to_ms(c.health.heartbeat_interval) == 500);
  BOOST_TEST((c.health.detector == herd::failure_detector_kind::phi));
  BOOST_TEST((c.health.watch == herd::health_watch::heartbeats));
  BOOST_TEST((c.supervision.strategy == herd::restart_strategy::rest_for_one));
  BOOST_TEST(c.supervision.max_restarts == 5);
  BOOST_TEST(c.dispatcher.intake_capacity == 50);
  BOOST_TEST(herd::to_ms(c.dispatcher.lease_timeout) == 2000);
  BOOST_TEST(c.concurrency_of("llm") == 4);
  auto& p = c.policy_for("summaries");
  BOOST_TEST(p.max_attempts == 3);
  BOOST_TEST((p.backoff.kind == herd::backoff_kind::exponential));
  BOOST_TEST(herd::to_ms(p.backoff.base) == 50);
  // Unset keys keep the preset's values.
  BOOST_TEST(herd::to_ms(p.backoff.cap) == 30000);
}

BOOST_AUTO_TEST_CASE(json_form_reads_back_identically) {
  herd::runtime_config c;
  c.pools["llm"].concurrency = 3;
  auto back = herd::runtime_config::from_json(c.to_json());
  BOOST_TEST(back.to_json() == c.to_json());
}

BOOST_AUTO_TEST_CASE(pools_autoscaling_recycling_and_memory_are_read_and_named_on_error) {
  auto c = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "pools": {"llm": {"autoscaling": {"min_agents": 2, "max_agents": 8},
                      "recycling": {"max_tasks": 500, "max_age_ms": 60000}}},
    "memory": {"soft_limit_bytes": 1000, "hard_limit_bytes": 2000}})"));
  auto& llm = c.pools["llm"];
  BOOST_REQUIRE(llm.autoscaling);
  BOOST_TEST(llm.autoscaling->min_agents == 2);
  BOOST_TEST(llm.autoscaling->max_agents == 8);
  BOOST_TEST(llm.recycling.max_tasks == 500);
  BOOST_TEST(herd::to_ms(llm.recycling.max_age) == 60000);
  BOOST_TEST(c.memory.enabled());
  BOOST_TEST(c.memory.hard_limit_bytes == 2000u);
  BOOST_TEST(!c.pool_settings("other").autoscaling);
  auto back = herd::runtime_config::from_json(c.to_json());
  BOOST_TEST(back.to_json() == c.to_json());
  // Off by default; the watchdog only gives freed memory back (every minute).
  herd::runtime_config defaults;
  BOOST_TEST(defaults.memory.soft_limit_bytes == 0u);
  BOOST_TEST(defaults.memory.hard_limit_bytes == 0u);
  BOOST_TEST(herd::to_ms(defaults.memory.release_interval) == 60000);
  BOOST_TEST(!defaults.pool_settings("llm").recycling.enabled());
  auto e = error_of(R"({"pools": {"llm": {"autoscaling": {"min_agents": 4, "max_agents": 2}}}})");
  BOOST_TEST(e.find("/pools/llm/autoscaling/max_agents") == 0u, e);
  e = error_of(R"({"pools": {"llm": {"recycling": {"max_age_ms": -5}}}})");
  BOOST_TEST(e.find("/pools/llm/recycling/max_age_ms") == 0u, e);
  e = error_of(R"({"memory": {"soft_limit_bytes": 10, "hard_limit_bytes": 5}})");
  BOOST_TEST(e.find("/memory/hard_limit_bytes") == 0u, e);
}

BOOST_AUTO_TEST_CASE(wrong_type_names_the_path) {
  BOOST_TEST(
      error_of(R"({"policies": {"read_only": {"max_attempts": "five"}}})") ==
      R"(/policies/read_only/max_attempts: expected an integer in [1, 1000000], got "five")");
}

BOOST_AUTO_TEST_CASE(unknown_key_names_the_path) {
  auto e = error_of(R"({"dispatcher": {"intake_capcity": 5}})");
  BOOST_TEST(e.find("/dispatcher/intake_capcity: unknown key") == 0u, e);
}

BOOST_AUTO_TEST_CASE(out_of_range_and_bad_choices_are_rejected) {
  BOOST_TEST(
      error_of(R"({"dispatcher": {"intake_capacity": 0}})").find("/dispatcher/intake_capacity") ==
      0u);
  BOOST_TEST(error_of(R"({"log_level": "loud"})").find("/log_level: expected one of") == 0u);
  BOOST_TEST(error_of(R"({"policies": {"x": {"retry_on": ["transient", "sometimes"]}}})")
                 .find("/policies/x/retry_on/1: expected a failure category") == 0u);
  BOOST_TEST(error_of(R"({"policies": {"x": {"backoff": {"base_ms": 500, "cap_ms": 100}}}})")
                 .find("/policies/x/backoff/cap_ms") == 0u);
  BOOST_TEST(
      error_of(R"({"pools": {"llm": {"concurrency": -1}}})").find("/pools/llm/concurrency") == 0u);
  BOOST_TEST(error_of(R"([1, 2])").find("expected an object") == 0u);
}

BOOST_AUTO_TEST_CASE(http_services_are_read_and_their_errors_name_the_path) {
  auto c = herd::runtime_config::from_json(nlohmann::json::parse(R"({
    "http_client": {"max_connections_per_host": 8},
    "services": {"llm": {"type": "openai", "base_url": "http://127.0.0.1:8089",
                         "model": "mock-small", "api_key": "sk-do-not-show"}}})"));
  BOOST_TEST(c.http_client.max_connections_per_host == 8);
  BOOST_REQUIRE(c.services.count("llm") == 1u);
  BOOST_TEST(c.services["llm"].type == "openai");
  // The key is held, and never shown: not in the JSON form (which `herd config show` prints).
  BOOST_TEST(c.services["llm"].api_key == "sk-do-not-show");
  BOOST_TEST(c.to_json().dump().find("sk-do-not-show") == std::string::npos);
  // Read back, the shown "***" is no key: the environment variable is read again.
  auto shown = c.to_json();
  shown["services"]["llm"]["api_key_env"] = "HERD_TEST_UNSET_KEY";
  auto reread = error_of(shown.dump());
  BOOST_TEST(reread.find("HERD_TEST_UNSET_KEY is not set") != std::string::npos, reread);
  auto bad_url = error_of(R"({"services": {"llm": {"type": "http", "base_url": "ftp://x"}}})");
  BOOST_TEST(bad_url.rfind("/services/llm/base_url: ", 0) == 0, bad_url);
  auto no_key = error_of(R"({"services": {"llm": {"type": "openai", "base_url": "http://x",
                                "model": "m", "api_key_env": "HERD_TEST_UNSET_KEY"}}})");
  BOOST_TEST(no_key.rfind("/services/llm/api_key_env: ", 0) == 0, no_key);
  BOOST_TEST(no_key.find("HERD_TEST_UNSET_KEY") != std::string::npos);
  auto bad_client = error_of(R"({"http_client": {"max_connections_per_host": 0}})");
  BOOST_TEST(bad_client.rfind("/http_client/max_connections_per_host: ", 0) == 0, bad_client);
}

BOOST_AUTO_TEST_CASE(degradation_keys_are_read_and_read_back) {
  auto c = herd::runtime_config::from_json(nlohmann::json::parse(with_sonnet(R"(
    "budgets": {"runtime": {"per_day": {"soft": 40, "hard": 50}},
                "pools": {"llm": {"per_hour": {"hard": 5}}}, "task": {"hard": 0.5},
                "prices": {"claude-haiku": {"input_per_million": 1, "output_per_million": 5}}},
    "fallbacks": {"email": {"tiers": [{"service": "sonnet"},
                                      {"service": "sonnet", "params": {"model": "claude-haiku"},
                                       "name": "haiku"},
                                      {"rule": "triage_rules"}, {"human": true}],
                            "attempts_per_tier": 3}},
    "loop_guard": {"max_steps": 20, "warn_repeats": 2, "stop_repeats": 4})")));
  BOOST_TEST(c.budgets.runtime.size() == 1u);
  BOOST_TEST(c.budgets.pools.count("llm") == 1u);
  BOOST_TEST(c.budgets.task.has_value());
  auto* chain = c.fallbacks.chain_for("email");
  BOOST_REQUIRE(chain != nullptr);
  BOOST_TEST(chain->tiers.size() == 4u);
  BOOST_TEST(chain->tiers[1].label == "haiku");
  BOOST_TEST(chain->attempts_per_tier == 3);
  BOOST_TEST(c.fallbacks.chain_for("other") == nullptr);
  BOOST_TEST(c.loop_limits.max_steps == 20);
  BOOST_TEST(c.loop_limits.stop_repeats == 4);
  auto back = herd::runtime_config::from_json(c.to_json());
  BOOST_TEST(back.to_json() == c.to_json());
  BOOST_TEST(back.to_json()["fallbacks"]["email"]["tiers"].size() == 4u);
  // Nothing configured: no budgets, no chains, the bounded default loop limits.
  herd::runtime_config defaults;
  BOOST_TEST(defaults.budgets.empty());
  BOOST_TEST(defaults.fallbacks.chains.empty());
  BOOST_TEST(defaults.loop_limits.max_steps == 50);
  BOOST_TEST(defaults.to_json()["loop_guard"]["stop_repeats"] == 5);
}

BOOST_AUTO_TEST_CASE(bad_degradation_keys_name_their_path) {
  // A tier naming a service the configuration does not define.
  BOOST_TEST(error_of(with_sonnet(R"("fallbacks": {"email": {"tiers": [{"service": "sonnet"},
                                                        {"service": "gpt5"}]}})")) ==
             R"(/fallbacks/email/tiers/1/service: expected a known service, got "gpt5")");
  // Without "services", no service tier is known.
  BOOST_TEST(error_of(R"({"fallbacks": {"email": {"tiers": [{"service": "sonnet"}]}}})")
                 .rfind("/fallbacks/email/tiers/0/service: expected a known service", 0) == 0u);
  // A cycle: the chain comes back to a tier.
  BOOST_TEST(error_of(with_sonnet(R"("fallbacks": {"email": {"tiers": [{"service": "sonnet"},
                                   {"rule": "r"}, {"service": "sonnet"}]}})"))
                 .rfind("/fallbacks/email/tiers/2: repeats tier /fallbacks/email/tiers/0", 0) ==
             0u);
  BOOST_TEST(
      error_of(R"({"fallbacks": {"email": {"tiers": []}}})").rfind("/fallbacks/email/tiers: ", 0) ==
      0u);
  // Budgets: a negative price, an amount of 0, an unknown window.
  auto negative_price = error_of(
      R"({"budgets": {"prices": {"m": {"input_per_million": -1, "output_per_million": 1}}}})");
  BOOST_TEST(negative_price.rfind("/budgets/prices/m/input_per_million: ", 0) == 0u,
             negative_price);
  auto zero_amount = error_of(R"({"budgets": {"runtime": {"per_day": {"hard": 0}}}})");
  BOOST_TEST(zero_amount.rfind("/budgets/runtime/per_day/hard: ", 0) == 0u, zero_amount);
  auto unknown_window = error_of(R"({"budgets": {"pools": {"llm": {"per_week": {"hard": 1}}}}})");
  BOOST_TEST(unknown_window.rfind("/budgets/pools/llm/per_week: unknown key", 0) == 0u,
             unknown_window);
  // Loop limits: out of range, warn above stop, an unknown key.
  auto no_steps = error_of(R"({"loop_guard": {"max_steps": 0}})");
  BOOST_TEST(no_steps.rfind("/loop_guard/max_steps: ", 0) == 0u, no_steps);
  auto warn_above_stop = error_of(R"({"loop_guard": {"warn_repeats": 6, "stop_repeats": 5}})");
  BOOST_TEST(warn_above_stop.rfind("/loop_guard/warn_repeats: ", 0) == 0u, warn_above_stop);
  auto unknown = error_of(R"({"loop_gaurd": {}})");
  BOOST_TEST(unknown.rfind("/loop_gaurd: unknown key", 0) == 0u, unknown);
}

BOOST_AUTO_TEST_CASE(presets_behave_as_documented) {
  auto payment = herd::failure_policy::preset("payment");
  BOOST_TEST(payment.max_attempts == 1);
  BOOST_TEST(!payment.retries(herd::failure_category::transient));
  BOOST_TEST((payment.on_exhausted == herd::terminal_action::escalate));
  auto mutation = herd::failure_policy::preset("mutation");
  BOOST_TEST(mutation.require_idempotency_key);
  auto notification = herd::failure_policy::preset("notification");
  BOOST_TEST(notification.max_attempts == 3);
  BOOST_TEST((notification.on_exhausted == herd::terminal_action::dead_letter));
  BOOST_TEST(
      herd::failure_policy::preset("read_only").retries(herd::failure_category::rate_limited));
  BOOST_CHECK_THROW(herd::failure_policy::preset("yolo"), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()
