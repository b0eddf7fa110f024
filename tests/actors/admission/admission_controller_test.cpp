#include <boost/test/unit_test.hpp>

#include <chrono>

#include <nlohmann/json.hpp>

#include "herd/admission/admission_config.hpp"
#include "herd/admission/admission_controller.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

const time_point start = time_point{} + std::chrono::hours(1);

admission_policy slow_policy() {
  admission_policy policy;
  policy.rate_per_s = 10;
  policy.burst = 1;
  policy.queue_limit = 3;
  policy.max_queue_wait = 2s;
  return policy;
}

std::string config_error_path(const nlohmann::json& doc) {
  try {
    admission_config::from_json(json_reader{doc});
  } catch (const config_error& e) {
    return e.path();
  }
  return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(admission_controller_suite)

BOOST_AUTO_TEST_CASE(calls_wait_in_order_and_a_full_queue_refuses_with_a_reason) {
  admission_controller control{"llm", slow_policy(), start};
  BOOST_TEST(!control.offer(1, time_point{}, start).has_value());
  BOOST_TEST(control.pump(start).admitted == std::vector<uint64_t>{1});
  for (uint64_t id = 2; id <= 4; ++id)
    BOOST_TEST(!control.offer(id, time_point{}, start).has_value());
  BOOST_TEST(control.pump(start).admitted.empty()); // the bucket's one token is taken
  BOOST_TEST(control.queued() == 3u);
  auto refused = control.offer(5, time_point{}, start);
  BOOST_REQUIRE(refused.has_value());
  BOOST_TEST(to_string(refused->category) == "rate_limited");
  BOOST_TEST(refused->reason == "admission_queue_full");
  BOOST_TEST(refused->service == "llm");
  BOOST_TEST(refused->refused_locally());
  BOOST_TEST(to_ms(refused->retry_after) == 300); // three calls at 10/s
  // The next token comes after 100 ms; the calls start in arrival order.
  BOOST_TEST(to_ms(*control.next_wakeup(start) - start) >= 99);
  BOOST_TEST(control.pump(start + 100ms).admitted == std::vector<uint64_t>{2});
  BOOST_TEST(control.pump(start + 200ms).admitted == std::vector<uint64_t>{3});
  auto stats = control.stats(start + 200ms);
  BOOST_TEST(stats.admitted == 3u);
  BOOST_TEST(stats.rejected_queue_full == 1u);
  BOOST_TEST(stats.in_flight == 3);
  BOOST_TEST(stats.queued == 1);
}

BOOST_AUTO_TEST_CASE(a_deadline_that_passes_while_queued_refuses_the_call_as_a_timeout) {
  admission_controller control{"llm", slow_policy(), start};
  control.offer(1, time_point{}, start);
  control.pump(start); // takes the only token
  control.offer(2, start + 50ms, start);
  control.offer(3, time_point{}, start);
  BOOST_TEST(to_ms(*control.next_wakeup(start) - start) == 50);
  auto at_deadline = control.pump(start + 50ms);
  BOOST_TEST(at_deadline.admitted.empty());
  BOOST_REQUIRE(at_deadline.refused.size() == 1u);
  BOOST_TEST(at_deadline.refused[0].first == 2u);
  BOOST_TEST(to_string(at_deadline.refused[0].second.category) == "timeout");
  BOOST_TEST(at_deadline.refused[0].second.reason == "admission_deadline");
  // The waiting time counts: a call whose deadline already passed is refused at once.
  auto late = control.offer(4, start + 10ms, start + 60ms);
  BOOST_REQUIRE(late.has_value());
  BOOST_TEST(late->reason == "admission_deadline");
  BOOST_TEST(control.pump(start + 100ms).admitted == std::vector<uint64_t>{3});
  BOOST_TEST(control.stats(start + 100ms).rejected_deadline == 2u);
}

BOOST_AUTO_TEST_CASE(a_call_waits_at_most_max_queue_wait) {
  auto policy = slow_policy();
  policy.rate_per_s = 0.1; // one call per 10 s
  policy.min_rate_per_s = 0.01;
  admission_controller control{"llm", policy, start};
  control.offer(1, time_point{}, start);
  control.offer(2, time_point{}, start);
  BOOST_TEST(control.pump(start).admitted.size() == 1u);
  auto later = control.pump(start + 2s);
  BOOST_REQUIRE(later.refused.size() == 1u);
  BOOST_TEST(to_string(later.refused[0].second.category) == "rate_limited");
  BOOST_TEST(later.refused[0].second.reason == "admission_wait");
}

BOOST_AUTO_TEST_CASE(a_fixed_concurrency_limit_holds_calls_until_one_finishes) {
  admission_policy policy;
  policy.use_published = false;
  policy.concurrency = concurrency_mode::fixed;
  policy.concurrency_limit = 2;
  admission_controller control{"tool", policy, start};
  for (uint64_t id = 1; id <= 3; ++id)
    control.offer(id, time_point{}, start);
  BOOST_TEST(control.pump(start).admitted == (std::vector<uint64_t>{1, 2}));
  // Only the waiting limit is due: no token can start the third call.
  BOOST_TEST((control.next_wakeup(start) == start + policy.max_queue_wait));
  control.on_finished(1, outcome::success(), start + 10ms);
  BOOST_TEST(control.pump(start + 10ms).admitted == std::vector<uint64_t>{3});
  BOOST_TEST(control.stats(start).concurrency_limit == 2);
}

BOOST_AUTO_TEST_CASE(throttles_teach_the_rate_but_local_refusals_do_not) {
  admission_policy policy;
  policy.use_published = false; // no cold start: the service publishes nothing
  admission_controller control{"llm", policy, start};
  for (uint64_t id = 1; id <= 100; ++id)
    control.offer(id, time_point{}, start);
  BOOST_TEST(control.pump(start).admitted.size() == 100u); // unlimited
  auto throttled = outcome::fail(failure::rate_limited("slow down", 0ms));
  auto refused = outcome::fail(failure::rate_limited("full", 0ms).because("admission_queue_full"));
  BOOST_TEST(admission_controller::throttles(throttled));
  BOOST_TEST(!admission_controller::throttles(refused));
  BOOST_TEST(!admission_controller::throttles(outcome::fail(failure::permanent("bad"))));
  control.on_finished(1, throttled, start + 1100ms);
  auto stats = control.stats(start + 1100ms);
  BOOST_TEST(stats.throttled == 1u);
  BOOST_TEST(to_string(stats.source) == "learned");
  BOOST_TEST(stats.rate_per_s == 70.0, boost::test_tools::tolerance(1e-9));
}

BOOST_AUTO_TEST_CASE(the_json_form_round_trips_and_bad_fields_name_their_path) {
  auto doc = nlohmann::json::parse(R"({"defaults": {"queue_limit": 50},
      "services": {"llm": {"rate_per_s": 100, "concurrency": "adaptive"}}})");
  auto config = admission_config::from_json(json_reader{doc});
  BOOST_TEST(config.policy_for("llm").rate_per_s == 100.0);
  BOOST_TEST(config.policy_for("llm").queue_limit == 50); // inherited from the defaults
  BOOST_TEST(config.policy_for("other").rate_per_s == 0.0);
  BOOST_TEST(to_string(config.policy_for("llm").concurrency) == "adaptive");
  auto again = admission_config::from_json(json_reader{config.to_json()});
  BOOST_TEST(again.to_json() == config.to_json());
  BOOST_TEST(config_error_path(nlohmann::json::parse(
                 R"({"services": {"llm": {"rate_per_s": -1}}})")) == "/services/llm/rate_per_s");
  BOOST_TEST(config_error_path(nlohmann::json::parse(R"({"defaults": {"concurrency": "lots"}})")) ==
             "/defaults/concurrency");
  BOOST_TEST(config_error_path(nlohmann::json::parse(R"({"defaults": {"rate": 5}})")) ==
             "/defaults/rate");
}

BOOST_AUTO_TEST_SUITE_END()
