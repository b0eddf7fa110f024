// Loop guard: the step limit, repeats that warn and stop, successes counted, limits from JSON.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/degradation/loop_guard.hpp"

using herd::call_fingerprint;
using herd::loop_verdict;

namespace {

call_fingerprint call(int n) {
  return call_fingerprint::of("llm", {{"n", n}});
}

std::string config_error_path(const nlohmann::json& j) {
  try {
    herd::loop_guard::limits::from_json(herd::json_reader{j, "/loops"});
  } catch (const herd::config_error& e) {
    return e.path() + ": " + e.reason();
  }
  return "no error";
}

} // namespace

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(the_same_call_warns_at_3_and_stops_at_5_by_default) {
  herd::loop_guard guard;
  auto repeated = call(7);
  BOOST_TEST((guard.on_call(repeated).verdict == loop_verdict::allow));
  BOOST_TEST((guard.on_call(call(1)).verdict == loop_verdict::allow));
  BOOST_TEST((guard.on_call(repeated).verdict == loop_verdict::allow));
  auto third = guard.on_call(repeated);
  BOOST_TEST((third.verdict == loop_verdict::warn));
  BOOST_TEST(third.reason == "loop_detected");
  BOOST_TEST(third.repeats == 3);
  BOOST_TEST((guard.on_call(repeated).verdict == loop_verdict::warn));
  auto fifth = guard.on_call(repeated);
  BOOST_TEST((fifth.verdict == loop_verdict::stop));
  BOOST_TEST(fifth.reason == "loop_detected");
  BOOST_TEST((fifth.fingerprint == repeated)); // the repeated request, for the record
  BOOST_TEST(fifth.repeats == 5);
  BOOST_TEST(fifth.why.find(repeated.to_string()) != std::string::npos);
  // The fifth call is not made, and the guard stays stopped, even for a new call.
  BOOST_TEST(guard.steps() == 5); // four repeats and one other call were made
  BOOST_TEST(guard.stopped());
  auto later = guard.on_call(call(2));
  BOOST_TEST((later.verdict == loop_verdict::stop));
  BOOST_TEST((later.fingerprint == repeated));
}

BOOST_AUTO_TEST_CASE(repeats_count_across_the_task_not_only_back_to_back) {
  // An A-B-A-B cycle: each call comes back every other step, and the guard still stops it.
  // The guard sees calls, not outcomes, so calls that succeeded count alike.
  herd::loop_guard guard;
  herd::loop_check last;
  for (int i = 0; i < 10 && last.verdict != loop_verdict::stop; ++i)
    last = guard.on_call(call(i % 2));
  BOOST_TEST((last.verdict == loop_verdict::stop));
  BOOST_TEST((last.fingerprint == call(0)));
  BOOST_TEST(guard.steps() == 8);
}

BOOST_AUTO_TEST_CASE(the_step_limit_stops_the_call_after_max_steps) {
  herd::loop_guard guard{herd::loop_guard::limits{4, 3, 5}};
  for (int i = 0; i < 4; ++i)
    BOOST_TEST((guard.on_call(call(i)).verdict == loop_verdict::allow));
  auto fifth = guard.on_call(call(99));
  BOOST_TEST((fifth.verdict == loop_verdict::stop));
  BOOST_TEST(fifth.reason == "step_limit");
  BOOST_TEST(fifth.steps == 5);
  BOOST_TEST(fifth.why.find("max_steps 4") != std::string::npos);
  BOOST_TEST(guard.steps() == 4);
  // Defaults: bounded at 50.
  herd::loop_guard defaults;
  for (int i = 0; i < 50; ++i)
    BOOST_TEST_REQUIRE((defaults.on_call(call(i)).verdict == loop_verdict::allow));
  BOOST_TEST(defaults.on_call(call(50)).reason == "step_limit");
}

BOOST_AUTO_TEST_CASE(limits_read_from_json_and_bad_ones_name_the_path) {
  auto limits = herd::loop_guard::limits::from_json(
      herd::json_reader{{{"max_steps", 20}, {"warn_repeats", 2}, {"stop_repeats", 4}}, "/loops"});
  BOOST_TEST(limits.max_steps == 20);
  BOOST_TEST(limits.warn_repeats == 2);
  BOOST_TEST(limits.stop_repeats == 4);
  BOOST_TEST(herd::loop_guard::limits::from_json(herd::json_reader{limits.to_json()}).max_steps ==
             20);
  BOOST_TEST(config_error_path({{"max_steps", 0}}).rfind("/loops/max_steps: expected", 0) == 0);
  BOOST_TEST(config_error_path({{"stop_repeats", 1}}).rfind("/loops/stop_repeats: expected", 0) ==
             0);
  BOOST_TEST(config_error_path({{"warn_repeats", 6}}) ==
             "/loops/warn_repeats: expected at most stop_repeats (5), got 6");
  BOOST_TEST(config_error_path({{"max_step", 5}}).rfind("/loops/max_step: unknown key", 0) == 0);
}

BOOST_AUTO_TEST_SUITE_END()
