// The circuit breaker state machine without actors: every transition and edge, fed with
// explicit times.
#include <boost/test/unit_test.hpp>

#include "herd/breakers/breaker_machine.hpp"

using herd::breaker_policy;
using herd::breaker_state;
using herd::from_ms;

namespace {

/// A small, jitter-free policy: window of 10, trips at 50 % after 4 calls, opens for 1 s
/// doubling up to 8 s, 2 probes.
breaker_policy small_policy() {
  breaker_policy p;
  p.window_size = 10;
  p.min_calls = 4;
  p.failure_rate_threshold = 0.5;
  p.slow_call_duration = from_ms(500);
  p.open_duration = from_ms(1000);
  p.open_multiplier = 2.0;
  p.max_open_duration = from_ms(8000);
  p.open_jitter = 0.0;
  p.open_reset_after = from_ms(10000);
  p.half_open_probes = 2;
  p.probe_timeout = from_ms(300);
  p.max_half_open = from_ms(2000);
  return p;
}

struct machine_fixture {
  herd::time_point now = herd::from_epoch_ms(1000000);
  herd::breaker_machine m{small_policy(), 7};

  /// Runs `n` calls that each take `took` and fail or not; returns how many were permitted.
  int calls(int n, bool failed, herd::duration took = herd::duration{0}) {
    int permitted = 0;
    for (int i = 0; i < n; ++i) {
      auto p = m.try_acquire(now);
      if (!p.permitted)
        continue;
      ++permitted;
      m.on_result(p, now + took, failed);
    }
    return permitted;
  }

  /// Trips the breaker with failures.
  void trip() {
    calls(4, true);
    BOOST_REQUIRE(m.state() == breaker_state::open);
  }

  /// Lets the open duration pass and fires the timer.
  void wait_open() {
    now = m.next_deadline();
    m.on_timer(now);
    BOOST_REQUIRE(m.state() == breaker_state::half_open);
  }

  std::vector<breaker_state> states() {
    std::vector<breaker_state> result;
    for (auto& t : m.take_transitions())
      result.push_back(t.to);
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(breaker_machine, machine_fixture)

BOOST_AUTO_TEST_CASE(stays_closed_below_min_calls) {
  calls(3, true);
  BOOST_TEST((m.state() == breaker_state::closed));
  BOOST_TEST(m.totals(now).failures == 3u);
  calls(1, true);
  BOOST_TEST((m.state() == breaker_state::open));
}

BOOST_AUTO_TEST_CASE(trips_at_failure_rate_threshold_not_below) {
  calls(6, false);
  calls(5, true); // window of 10: 5 failures of 10 = 50 %
  BOOST_TEST((m.state() == breaker_state::open));
  machine_fixture other;
  other.calls(6, false);
  other.calls(4, true); // 40 %
  BOOST_TEST((other.m.state() == breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(count_window_forgets_the_oldest_outcomes) {
  calls(4, false);
  calls(2, true);   // 2 of 6: closed
  calls(10, false); // the failures fall out of the ring
  BOOST_TEST((m.state() == breaker_state::closed));
  BOOST_TEST(m.totals(now).failures == 0u);
  BOOST_TEST(m.totals(now).calls == 10u);
}

BOOST_AUTO_TEST_CASE(time_window_expires_old_buckets) {
  auto p = small_policy();
  p.window_kind = herd::breaker_window_kind::time;
  p.window_duration = from_ms(10000);
  p.window_buckets = 10;
  m.reconfigure(p, now);
  calls(3, true);
  now += from_ms(11000); // the three failures leave the window
  calls(3, true);
  BOOST_TEST((m.state() == breaker_state::closed));
  BOOST_TEST(m.totals(now).calls == 3u);
  now += from_ms(5000); // still inside: 3 + 1 failures trip
  calls(1, true);
  BOOST_TEST((m.state() == breaker_state::open));
}

BOOST_AUTO_TEST_CASE(slow_calls_trip_even_when_they_succeed) {
  auto p = small_policy();
  p.slow_call_rate_threshold = 0.75;
  m.reconfigure(p, now);
  calls(1, false, from_ms(10));
  calls(2, false, from_ms(600));
  BOOST_TEST((m.state() == breaker_state::closed));
  calls(1, false, from_ms(600)); // 3 of 4 slow = 75 %
  BOOST_TEST((m.state() == breaker_state::open));
  BOOST_TEST(m.totals(now).failures == 0u);
}

BOOST_AUTO_TEST_CASE(consecutive_failures_trip_before_min_calls) {
  auto p = small_policy();
  p.min_calls = 100;
  p.consecutive_failures = 3;
  m.reconfigure(p, now);
  calls(2, true);
  calls(1, false); // a success breaks the run
  calls(2, true);
  BOOST_TEST((m.state() == breaker_state::closed));
  calls(1, true);
  BOOST_TEST((m.state() == breaker_state::open));
}

BOOST_AUTO_TEST_CASE(open_rejects_with_time_until_probe_then_half_opens) {
  trip();
  now += from_ms(400);
  auto p = m.try_acquire(now);
  BOOST_TEST(!p.permitted);
  BOOST_TEST(herd::to_ms(p.retry_after) == 600);
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 600);
  now += from_ms(599);
  m.on_timer(now);
  BOOST_TEST((m.state() == breaker_state::open));
  now += from_ms(1);
  m.on_timer(now);
  BOOST_TEST((m.state() == breaker_state::half_open));
  BOOST_TEST(
      (states() == std::vector<breaker_state>{breaker_state::open, breaker_state::half_open}));
}

BOOST_AUTO_TEST_CASE(first_call_after_open_time_half_opens_without_timer) {
  trip();
  now += from_ms(1000);
  auto p = m.try_acquire(now);
  BOOST_TEST(p.permitted);
  BOOST_TEST(p.probe);
  BOOST_TEST((m.state() == breaker_state::half_open));
}

BOOST_AUTO_TEST_CASE(half_open_permits_exactly_the_probes_and_closes_on_success) {
  trip();
  wait_open();
  auto a = m.try_acquire(now);
  auto b = m.try_acquire(now);
  auto c = m.try_acquire(now);
  BOOST_TEST(a.permitted);
  BOOST_TEST(b.permitted);
  BOOST_TEST(!c.permitted);
  BOOST_TEST(herd::to_ms(c.retry_after) == 300); // at most one probe timeout
  BOOST_TEST(herd::to_ms(a.timeout) == 300);
  m.on_result(a, now, false);
  BOOST_TEST((m.state() == breaker_state::half_open));
  m.on_result(b, now, false);
  BOOST_TEST((m.state() == breaker_state::closed));
  BOOST_TEST(m.totals(now).calls == 0u); // a fresh window after closing
}

BOOST_AUTO_TEST_CASE(failed_probe_reopens_with_a_longer_open_duration_up_to_the_cap) {
  trip();
  std::vector<int64_t> open_ms;
  for (int i = 0; i < 5; ++i) {
    open_ms.push_back(herd::to_ms(m.until_probe(now)));
    wait_open();
    auto probe = m.try_acquire(now);
    m.on_result(probe, now, true); // 1 of 2 probes failed = 50 %: reopen at once
    BOOST_REQUIRE(m.state() == breaker_state::open);
  }
  BOOST_TEST((open_ms == std::vector<int64_t>{1000, 2000, 4000, 8000, 8000}));
}

BOOST_AUTO_TEST_CASE(fixed_open_duration_with_multiplier_one) {
  auto p = small_policy();
  p.open_multiplier = 1.0;
  m.reconfigure(p, now);
  trip();
  wait_open();
  m.on_result(m.try_acquire(now), now, true);
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 1000);
}

BOOST_AUTO_TEST_CASE(open_duration_growth_resets_after_staying_closed) {
  trip();
  wait_open();
  m.on_result(m.try_acquire(now), now, true); // reopened: 2 s
  wait_open();
  calls(2, false); // closed
  BOOST_REQUIRE(m.state() == breaker_state::closed);
  now += from_ms(5000); // shorter than open_reset_after: the next opening is 4 s
  trip();
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 4000);
  wait_open();
  calls(2, false);
  now += from_ms(10000); // closed long enough: back to 1 s
  trip();
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 1000);
}

BOOST_AUTO_TEST_CASE(jitter_spreads_open_durations_reproducibly) {
  auto p = small_policy();
  p.open_jitter = 0.5;
  herd::breaker_machine a{p, 1}, b{p, 1}, c{p, 2};
  std::vector<int64_t> xs, ys, zs;
  for (auto* x : {&a, &b, &c}) {
    x->transition_to(breaker_state::open, now);
    auto d = herd::to_ms(x->until_probe(now));
    BOOST_TEST(d >= 500);
    BOOST_TEST(d <= 1500);
    (x == &a ? xs : x == &b ? ys : zs).push_back(d);
  }
  BOOST_TEST((xs == ys));
  BOOST_TEST((xs != zs));
}

BOOST_AUTO_TEST_CASE(half_open_too_long_reopens) {
  trip();
  wait_open();
  now += from_ms(60000); // an idle half-open breaker waits for traffic
  BOOST_TEST((m.next_deadline() == herd::time_point::max()));
  m.on_timer(now);
  BOOST_TEST((m.state() == breaker_state::half_open));
  auto probe = m.try_acquire(now); // never answered (the actor's timeout would fail it)
  BOOST_TEST(probe.permitted);
  BOOST_TEST((m.next_deadline() == now + from_ms(2000)));
  now += from_ms(2000);
  m.on_timer(now);
  BOOST_TEST((m.state() == breaker_state::open));
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 2000);
  BOOST_TEST(!m.on_result(probe, now, false)); // its late answer belongs to the past
}

BOOST_AUTO_TEST_CASE(stale_results_are_ignored) {
  auto early = m.try_acquire(now); // permitted while closed
  trip();
  wait_open();
  auto probe = m.try_acquire(now);
  BOOST_TEST(!m.on_result(early, now, true)); // would reopen (50 %) if it counted
  BOOST_TEST((m.state() == breaker_state::half_open));
  m.on_result(probe, now, false);
  m.on_result(m.try_acquire(now), now, false);
  BOOST_TEST((m.state() == breaker_state::closed));
  BOOST_TEST(!m.on_result(probe, now, true)); // a duplicate from the half-open generation
  BOOST_TEST(m.totals(now).calls == 0u);
}

BOOST_AUTO_TEST_CASE(forced_open_rejects_until_released) {
  m.transition_to(breaker_state::forced_open, now);
  auto p = m.try_acquire(now);
  BOOST_TEST(!p.permitted);
  BOOST_TEST(p.retry_after.count() == 0);
  BOOST_TEST((m.next_deadline() == herd::time_point::max()));
  m.transition_to(breaker_state::closed, now);
  BOOST_TEST(m.try_acquire(now).permitted);
}

BOOST_AUTO_TEST_CASE(disabled_permits_and_records_nothing) {
  m.transition_to(breaker_state::disabled, now);
  BOOST_TEST(calls(50, true) == 50);
  BOOST_TEST((m.state() == breaker_state::disabled));
  BOOST_TEST(m.totals(now).calls == 0u);
}

BOOST_AUTO_TEST_CASE(metrics_only_records_but_never_trips) {
  m.transition_to(breaker_state::metrics_only, now);
  BOOST_TEST(calls(50, true) == 50);
  BOOST_TEST((m.state() == breaker_state::metrics_only));
  BOOST_TEST(m.totals(now).failures == 10u);
  BOOST_TEST(m.consecutive_failures() == 50);
}

BOOST_AUTO_TEST_CASE(reconfigure_applies_new_thresholds_and_keeps_the_state) {
  calls(3, true);
  auto p = small_policy();
  p.min_calls = 10;
  m.reconfigure(p, now);
  BOOST_TEST(m.totals(now).calls == 0u);
  calls(9, true);
  BOOST_TEST((m.state() == breaker_state::closed));
  calls(1, true);
  BOOST_TEST((m.state() == breaker_state::open));
  auto gen = m.generation();
  p.half_open_probes = 1;
  m.reconfigure(p, now);
  BOOST_TEST((m.state() == breaker_state::open));
  BOOST_TEST(m.generation() == gen);
  wait_open();
  m.on_result(m.try_acquire(now), now, false); // one probe is now enough
  BOOST_TEST((m.state() == breaker_state::closed));
}

BOOST_AUTO_TEST_CASE(reset_closes_and_forgets_openings) {
  trip();
  wait_open();
  m.on_result(m.try_acquire(now), now, true);
  BOOST_TEST(m.openings() == 2);
  m.reset(now);
  BOOST_TEST((m.state() == breaker_state::closed));
  trip();
  BOOST_TEST(herd::to_ms(m.until_probe(now)) == 1000);
}

BOOST_AUTO_TEST_CASE(each_transition_is_reported_once_with_a_new_generation) {
  trip();
  wait_open();
  calls(2, false);
  m.transition_to(breaker_state::closed, now); // already closed: nothing
  auto events = m.take_transitions();
  BOOST_TEST(events.size() == 3u);
  for (size_t i = 0; i < events.size(); ++i)
    BOOST_TEST(events[i].generation == i + 1);
  BOOST_TEST((events[0].from == breaker_state::closed));
  BOOST_TEST(herd::to_ms(events[0].until_probe) == 1000);
  BOOST_TEST((events[2].to == breaker_state::closed));
  BOOST_TEST(m.take_transitions().empty());
}

BOOST_AUTO_TEST_SUITE_END()
