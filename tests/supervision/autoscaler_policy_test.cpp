// The autoscaler's decision without an actor: a sustained backlog grows the pool and a blip does
// not, idle agents shrink it, cooldowns space the changes, and it never leaves [min, max].
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/supervision/autoscaler_policy.hpp"

using namespace herd;

namespace {

using action = scaling_decision::action;

struct policy_fixture {
  autoscaling_config config;
  time_point now = time_point{} + from_ms(1000000);

  policy_fixture() {
    config.min_agents = 1;
    config.max_agents = 4;
    config.target_queue_per_agent = 2;
    config.scale_up_after = from_ms(3000);
    config.scale_down_after = from_ms(5000);
    config.scale_up_cooldown = from_ms(2000);
    config.scale_down_cooldown = from_ms(4000);
    config.max_step = 2;
  }

  /// Feeds one sample per second for `seconds` seconds; returns the decisions that were not
  /// hold.
  std::vector<scaling_decision> feed(autoscaler_policy& policy, int seconds, uint64_t queued,
                                     uint64_t busy) {
    std::vector<scaling_decision> changes;
    for (int i = 0; i < seconds; ++i) {
      now += from_ms(1000);
      auto d = policy.sample(now, queued, busy);
      if (d.what != action::hold)
        changes.push_back(d);
    }
    return changes;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(autoscaler_policy_suite, policy_fixture)

BOOST_AUTO_TEST_CASE(a_sustained_backlog_grows_the_pool) {
  autoscaler_policy policy{config, 1};
  auto first = policy.sample(now, 10, 1); // the backlog starts
  BOOST_TEST((first.what == action::hold));
  now += from_ms(2999);
  BOOST_TEST((policy.sample(now, 10, 1).what == action::hold));
  now += from_ms(1);
  auto d = policy.sample(now, 10, 1);
  BOOST_TEST((d.what == action::grow));
  // 10 queued at 2 per agent wants 5 agents; a step adds at most 2.
  BOOST_TEST(d.count == 2);
  BOOST_TEST(d.size == 3);
  BOOST_TEST(policy.size() == 3);
  BOOST_TEST(d.why.find("10 tasks queued for 1 agents") != std::string::npos, d.why);
}

BOOST_AUTO_TEST_CASE(a_blip_does_not_scale) {
  autoscaler_policy policy{config, 1};
  // Two seconds of backlog, one quiet sample, two more: never 3 s in a row.
  auto changes = feed(policy, 2, 10, 1);
  changes = feed(policy, 1, 0, 1);
  BOOST_TEST(changes.empty());
  changes = feed(policy, 2, 10, 1);
  BOOST_TEST(changes.empty());
  BOOST_TEST(policy.size() == 1);
}

BOOST_AUTO_TEST_CASE(never_above_max_and_cooldown_spaces_the_steps) {
  autoscaler_policy policy{config, 1};
  auto changes = feed(policy, 60, 100, 4);
  // 1 -> 3 -> 4, then nothing: max_agents is 4.
  BOOST_REQUIRE(changes.size() == 2u);
  BOOST_TEST(changes[0].size == 3);
  BOOST_TEST(changes[1].size == 4);
  BOOST_TEST(policy.size() == 4);
}

BOOST_AUTO_TEST_CASE(idle_agents_shrink_the_pool_by_steps_down_to_min) {
  autoscaler_policy policy{config, 4};
  // Busy agents with nothing queued: every agent busy is not idle.
  BOOST_TEST(feed(policy, 30, 0, 4).empty());
  auto changes = feed(policy, 60, 0, 0);
  BOOST_REQUIRE(changes.size() == 2u); // 4 -> 2 -> 1 (max_step 2), never below min
  for (auto& d : changes)
    BOOST_TEST((d.what == action::shrink));
  BOOST_TEST(changes[0].count == 2);
  BOOST_TEST(changes[1].count == 1);
  BOOST_TEST(changes.back().size == 1);
  BOOST_TEST(policy.size() == 1);
}

BOOST_AUTO_TEST_CASE(only_idle_agents_leave) {
  autoscaler_policy policy{config, 4};
  auto changes = feed(policy, 10, 0, 3); // one idle agent of four
  BOOST_REQUIRE(changes.size() == 1u);
  BOOST_TEST(changes.front().count == 1);
  BOOST_TEST(changes.front().size == 3);
}

BOOST_AUTO_TEST_CASE(scale_down_waits_for_the_idle_time) {
  autoscaler_policy policy{config, 2};
  BOOST_TEST(feed(policy, 4, 0, 1).empty()); // idle for 3 s (the first sample starts it)
  BOOST_TEST(feed(policy, 1, 1, 1).empty()); // a task queued: the idle spell ends
  BOOST_TEST(feed(policy, 5, 0, 1).empty()); // 4 s since it started again
  auto changes = feed(policy, 1, 0, 1);
  BOOST_REQUIRE(changes.size() == 1u);
  BOOST_TEST(changes.front().size == 1);
}

BOOST_AUTO_TEST_CASE(initial_size_is_clamped_to_the_bounds) {
  BOOST_TEST(autoscaler_policy(config, 0).size() == 1);
  BOOST_TEST(autoscaler_policy(config, 9).size() == 4);
}

BOOST_AUTO_TEST_CASE(config_reads_and_names_bad_fields) {
  auto doc = nlohmann::json::parse(R"({"min_agents": 2, "max_agents": 6,
      "target_queue_per_agent": 3, "scale_up_after_ms": 100, "max_step": 1})");
  auto c = autoscaling_config::from_json(json_reader{doc, "/pools/llm/autoscaling"});
  BOOST_TEST(c.min_agents == 2);
  BOOST_TEST(c.max_agents == 6);
  BOOST_TEST(c.target_queue_per_agent == 3.0);
  BOOST_TEST(to_ms(c.scale_up_after) == 100);
  BOOST_TEST(c.to_json()["max_step"] == 1);
  auto bad = nlohmann::json::parse(R"({"min_agents": 5, "max_agents": 2})");
  try {
    autoscaling_config::from_json(json_reader{bad, "/pools/llm/autoscaling"});
    BOOST_FAIL("expected a config_error");
  } catch (const config_error& e) {
    BOOST_TEST(std::string{e.what()}.find("/pools/llm/autoscaling/max_agents") != std::string::npos,
               e.what());
  }
  auto typo = nlohmann::json::parse(R"({"max_agent": 2})");
  BOOST_CHECK_THROW(autoscaling_config::from_json(json_reader{typo, "/pools/llm/autoscaling"}),
                    config_error);
}

BOOST_AUTO_TEST_SUITE_END()
