// Fallback chain configuration: defaults, the JSON form, and bad chains named by JSON path.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/degradation/fallback_chain.hpp"
#include "herd/degradation/fallback_config.hpp"

using nlohmann::json;

namespace {

const std::set<std::string> known = {"sonnet", "haiku", "openai"};

herd::fallback_chain read(const json& j) {
  return herd::fallback_chain::from_json(herd::json_reader{j, "/fallbacks/email"}, known);
}

/// "path: reason" of the config_error reading `j` throws.
std::string error_of(const json& j) {
  try {
    read(j);
  } catch (const herd::config_error& e) {
    return e.path() + ": " + e.reason();
  }
  return "no error";
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

} // namespace

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(a_chain_reads_its_tiers_and_documented_defaults) {
  auto chain = read(json::parse(R"({"tiers": [
      {"service": "sonnet"},
      {"service": "haiku", "params": {"model": "claude-haiku"}, "max_attempts": 1},
      {"rule": "triage_rules"},
      {"human": true}]})"));
  BOOST_TEST_REQUIRE(chain.tiers.size() == 4u);
  BOOST_TEST(chain.tiers[0].label == "sonnet");
  BOOST_TEST(chain.tiers[1].params["model"] == "claude-haiku");
  BOOST_TEST(chain.tiers[2].label == "rule:triage_rules");
  BOOST_TEST(chain.tiers[3].label == "human");
  BOOST_TEST(chain.attempts_on(0) == 2); // attempts_per_tier
  BOOST_TEST(chain.attempts_on(1) == 1);
  BOOST_TEST(chain.attempts_on(2) == 1); // a rule is tried once
  BOOST_TEST(chain.attempts_on(3) == 0); // a human is a hand-off
  BOOST_TEST(herd::to_ms(chain.max_rate_limit_wait) == 10000);
  BOOST_TEST(chain.park_when_unavailable);
  BOOST_TEST(chain.move_on.size() == 6u);
  // The JSON form reads back to the same chain.
  auto again = read(chain.to_json());
  BOOST_TEST(again.to_json() == chain.to_json());
}

BOOST_AUTO_TEST_CASE(which_failures_move_a_chain_on) {
  auto chain = read(json::parse(R"({"tiers": [{"service": "sonnet"}]})"));
  using herd::failure;
  BOOST_TEST(chain.moves_on(failure::unavailable("503")));
  BOOST_TEST(chain.moves_on(failure::timeout("slow")));
  BOOST_TEST(chain.moves_on(failure::make(herd::failure_category::circuit_open, "open")));
  BOOST_TEST(chain.moves_on(failure::make(herd::failure_category::context_window, "too long")));
  BOOST_TEST(chain.moves_on(failure::make(herd::failure_category::content_policy, "refused")));
  BOOST_TEST(!chain.moves_on(failure::transient("reset")));
  BOOST_TEST(!chain.moves_on(failure::permanent("400")));
  // A rate limit moves on only when it asks for a wait above max_rate_limit_wait (10 s).
  BOOST_TEST(chain.moves_on(failure::rate_limited("429", herd::from_ms(30000))));
  BOOST_TEST(!chain.moves_on(failure::rate_limited("429", herd::from_ms(10000))));
  BOOST_TEST(!chain.moves_on(failure::rate_limited("429", herd::from_ms(0))));
  auto narrow = read(json::parse(
      R"({"tiers": [{"service": "sonnet"}], "move_on": ["timeout"], "max_rate_limit_wait_ms": 0})"));
  BOOST_TEST(narrow.moves_on(failure::timeout("slow")));
  BOOST_TEST(!narrow.moves_on(failure::unavailable("503")));
}

BOOST_AUTO_TEST_CASE(bad_chains_are_refused_with_the_json_path) {
  BOOST_TEST(error_of(json::parse(R"({"tiers": []})")) ==
             "/fallbacks/email/tiers: expected a non-empty list of tiers, got []");
  BOOST_TEST(error_of(json::object()) ==
             "/fallbacks/email/tiers: expected a list of tiers, got nothing");
  BOOST_TEST(error_of(json::parse(R"({"tiers": [{"service": "sonnet"}, {"service": "gpt5"}]})")) ==
             "/fallbacks/email/tiers/1/service: expected a known service, got \"gpt5\"");
  // A tier repeated is the only cycle a list can have.
  BOOST_TEST(error_of(json::parse(R"({"tiers": [{"service": "sonnet"}, {"service": "haiku"},
                                               {"service": "sonnet"}]})")) ==
             "/fallbacks/email/tiers/2: repeats tier /fallbacks/email/tiers/0 (a chain must not "
             "come back to a tier)");
  // One service with other params is another tier, but it needs a label of its own.
  BOOST_TEST(starts_with(error_of(json::parse(R"({"tiers": [{"service": "openai"},
                 {"service": "openai", "params": {"model": "mini"}}]})")),
                         "/fallbacks/email/tiers/1: has the label \"openai\" of tier "
                         "/fallbacks/email/tiers/0"));
  BOOST_TEST(read(json::parse(R"({"tiers": [{"service": "openai"},
                 {"service": "openai", "params": {"model": "mini"}, "name": "openai-mini"}]})"))
                 .tiers.size() == 2u);
  BOOST_TEST(
      starts_with(error_of(json::parse(R"({"tiers": [{"service": "sonnet", "max_attempts": 0}]})")),
                  "/fallbacks/email/tiers/0/max_attempts: expected an integer in [1, "));
  BOOST_TEST(starts_with(
      error_of(json::parse(R"({"tiers": [{"service": "sonnet"}], "attempts_per_tier": 0})")),
      "/fallbacks/email/attempts_per_tier: expected an integer in [1, "));
  BOOST_TEST(
      starts_with(error_of(json::parse(
                      R"({"tiers": [{"service": "sonnet"}], "move_on": ["timeout", "slow"]})")),
                  "/fallbacks/email/move_on/1: expected a failure category"));
  BOOST_TEST(error_of(json::parse(R"({"tiers": [{"human": true}, {"service": "sonnet"}]})")) ==
             "/fallbacks/email/tiers/1: follows a human tier, so it would never be reached");
  BOOST_TEST(
      starts_with(error_of(json::parse(R"({"tiers": [{"service": "sonnet", "rule": "r"}]})")),
                  "/fallbacks/email/tiers/0: expected exactly one of"));
  BOOST_TEST(starts_with(error_of(json::parse(R"({"tiers": [{"human": false}]})")),
                         "/fallbacks/email/tiers/0/human: expected true"));
  BOOST_TEST(
      starts_with(error_of(json::parse(R"({"tiers": [{"service": "sonnet", "params": 3}]})")),
                  "/fallbacks/email/tiers/0/params: expected an object"));
  BOOST_TEST(starts_with(error_of(json::parse(R"({"tiers": [{"rule": "r", "params": {}}]})")),
                         "/fallbacks/email/tiers/0/params: unknown key"));
  BOOST_TEST(
      starts_with(error_of(json::parse(R"({"tiers": [{"service": "sonnet"}], "recheck_ms": 0})")),
                  "/fallbacks/email/recheck_ms: expected a duration above 0 ms"));
}

BOOST_AUTO_TEST_CASE(chains_are_configured_per_task_kind) {
  auto config = herd::fallback_config::from_json(
      herd::json_reader{
          json::parse(R"({"email": {"tiers": [{"service": "sonnet"}, {"human": true}]},
                                        "summary": {"tiers": [{"service": "haiku"}]}})"),
          "/fallbacks"},
      known);
  BOOST_TEST_REQUIRE(config.chain_for("email") != nullptr);
  BOOST_TEST(config.chain_for("email")->tiers.size() == 2u);
  BOOST_TEST(config.chain_for("payment") == nullptr); // a kind without a chain does not fall back
  BOOST_TEST(
      herd::fallback_config::from_json(herd::json_reader{config.to_json()}, known).to_json() ==
      config.to_json());
  try {
    herd::fallback_config::from_json(
        herd::json_reader{json::parse(R"({"email": {"tiers": [{"service": "nope"}]}})"),
                          "/fallbacks"},
        known);
    BOOST_FAIL("an unknown service was accepted");
  } catch (const herd::config_error& e) {
    BOOST_TEST(e.path() == "/fallbacks/email/tiers/0/service");
  }
}

BOOST_AUTO_TEST_SUITE_END()
