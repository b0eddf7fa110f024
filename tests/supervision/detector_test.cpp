// The pure pieces of supervision: the deadline and phi accrual failure detectors (phi against
// hand-computed values), restart backoff, and their JSON configuration.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dispatch/liveness_board.hpp"
#include "herd/supervision/deadline_detector.hpp"
#include "herd/supervision/health_monitor_config.hpp"
#include "herd/supervision/phi_accrual_detector.hpp"
#include "herd/supervision/restart_backoff.hpp"
#include "herd/supervision/supervisor_config.hpp"

using namespace herd;

namespace {

const time_point t0 = from_epoch_ms(1000000);

time_point at(int64_t ms) {
  return t0 + from_ms(ms);
}

} // namespace

BOOST_AUTO_TEST_SUITE(deadline_detection)

BOOST_AUTO_TEST_CASE(suspects_after_more_than_two_missed_intervals_by_default) {
  deadline_detector d;
  BOOST_TEST(!d.suspect(at(0)));
  d.heartbeat(at(0));
  BOOST_TEST(!d.suspect(at(1000)));
  BOOST_TEST(!d.suspect(at(2000))); // exactly two intervals: the heartbeat may be in flight
  BOOST_TEST(d.suspect(at(2001)));
  BOOST_TEST(d.missed(at(1500)) == 1.5);
  d.heartbeat(at(1900));
  BOOST_TEST(!d.suspect(at(3500)));
  BOOST_TEST(d.suspect(at(3901)));
}

BOOST_AUTO_TEST_CASE(missed_count_and_interval_are_configurable) {
  deadline_detector d{from_ms(500), 4};
  d.heartbeat(at(0));
  BOOST_TEST(!d.suspect(at(2000)));
  BOOST_TEST(d.suspect(at(2001)));
  BOOST_CHECK_THROW(deadline_detector(from_ms(0), 2), std::invalid_argument);
  BOOST_CHECK_THROW(deadline_detector(from_ms(100), 0), std::invalid_argument);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(phi_accrual)

BOOST_AUTO_TEST_CASE(phi_of_matches_hand_computed_normal_tail_values) {
  // phi = -log10(Q(y)), Q the upper tail of the standard normal: Q(0) = 0.5,
  // Q(1) = 0.158655, Q(2) = 0.0227501, Q(3) = 0.00134990, Q(5) = 2.86652e-7, Q(6) = 9.86588e-10.
  BOOST_TEST(phi_accrual_detector::phi_of(1000, 1000, 100) == 0.301030,
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(phi_accrual_detector::phi_of(1100, 1000, 100) == 0.799546,
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(phi_accrual_detector::phi_of(1200, 1000, 100) == 1.643016,
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(phi_accrual_detector::phi_of(1300, 1000, 100) == 2.869699,
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(phi_accrual_detector::phi_of(1500, 1000, 100) == 6.542646,
             boost::test_tools::tolerance(1e-5));
  BOOST_TEST(phi_accrual_detector::phi_of(1600, 1000, 100) == 9.005864,
             boost::test_tools::tolerance(1e-5));
  // Far in the tail the asymptotic form continues smoothly: y = 40 gives phi ~ 349.4.
  auto far = phi_accrual_detector::phi_of(5000, 1000, 100);
  BOOST_TEST(far > 345.0);
  BOOST_TEST(far < 355.0);
  BOOST_TEST(phi_accrual_detector::phi_of(5100, 1000, 100) > far);
}

BOOST_AUTO_TEST_CASE(first_heartbeat_seeds_the_history_like_akka) {
  // No pause: mean 1000 ms from the seed {750, 1250}, std deviation 250 ms.
  phi_accrual_detector d{8.0, 1000, from_ms(100), from_ms(0), from_ms(1000)};
  BOOST_TEST(d.phi(at(0)) == 0.0);
  d.heartbeat(at(0));
  BOOST_TEST(d.samples() == 2u);
  BOOST_TEST(d.mean_ms() == 1000.0);
  BOOST_TEST(d.std_deviation_ms() == 250.0);
  BOOST_TEST(d.phi(at(1000)) == 0.301030, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(d.phi(at(1500)) == 1.643016, boost::test_tools::tolerance(1e-5)); // y = 2
}

BOOST_AUTO_TEST_CASE(regular_heartbeats_fit_mean_and_minimum_std_deviation) {
  // Keep 4 samples: after 4 intervals of exactly 1 s the seed is gone, std 0 -> minimum 100.
  phi_accrual_detector d{8.0, 4, from_ms(100), from_ms(0), from_ms(1000)};
  for (int i = 0; i <= 4; ++i)
    d.heartbeat(at(i * 1000));
  BOOST_TEST(d.samples() == 4u);
  BOOST_TEST(d.mean_ms() == 1000.0);
  BOOST_TEST(d.std_deviation_ms() == 0.0);
  BOOST_TEST(d.phi(at(4000 + 1000)) == 0.301030, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(d.phi(at(4000 + 1200)) == 1.643016, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(d.phi(at(4000 + 1500)) == 6.542646, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(!d.suspect(at(4000 + 1500)));
  BOOST_TEST(d.suspect(at(4000 + 1600)));
}

BOOST_AUTO_TEST_CASE(jittery_intervals_widen_the_distribution) {
  // Intervals 800 and 1200 alternate: mean 1000, population std deviation 200.
  phi_accrual_detector d{8.0, 4, from_ms(100), from_ms(0), from_ms(1000)};
  int64_t t = 0;
  d.heartbeat(at(t));
  for (int i = 0; i < 4; ++i)
    d.heartbeat(at(t += (i % 2 == 0 ? 800 : 1200)));
  BOOST_TEST(d.mean_ms() == 1000.0);
  BOOST_TEST(d.std_deviation_ms() == 200.0, boost::test_tools::tolerance(1e-9));
  BOOST_TEST(d.phi(at(t + 1400)) == 1.643016, boost::test_tools::tolerance(1e-5)); // y = 2
}

BOOST_AUTO_TEST_CASE(akka_defaults_suspect_a_silent_node_after_about_4_6_s) {
  // Defaults: pause 3 s is added to the 1 s mean; std deviation floored at 100 ms after the
  // seed is diluted. Regular 1 s heartbeats for a long time, then silence.
  phi_accrual_detector d;
  for (int i = 0; i <= 2000; ++i)
    d.heartbeat(at(i * 1000));
  auto last = 2000 * 1000;
  BOOST_TEST(d.samples() == 1000u);
  BOOST_TEST(d.phi(at(last + 4000)) == 0.301030, boost::test_tools::tolerance(1e-5));
  BOOST_TEST(d.phi(at(last + 4600)) == 9.005864, boost::test_tools::tolerance(1e-5)); // y = 6
  BOOST_TEST(!d.suspect(at(last + 4500)));
  BOOST_TEST(d.suspect(at(last + 4600)));
}

BOOST_AUTO_TEST_CASE(a_heartbeat_after_a_long_pause_does_not_skew_the_history) {
  phi_accrual_detector d{8.0, 1000, from_ms(100), from_ms(0), from_ms(1000)};
  d.heartbeat(at(0));
  d.heartbeat(at(1000));
  BOOST_TEST(d.samples() == 3u);
  d.heartbeat(at(60000)); // phi was far above the threshold: not recorded
  BOOST_TEST(d.samples() == 3u);
  BOOST_TEST(d.mean_ms() == 1000.0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(liveness_board_slots)

BOOST_AUTO_TEST_CASE(slots_mark_busy_handlers_and_are_reused) {
  liveness_board b{2};
  auto s0 = b.acquire();
  auto s1 = b.acquire();
  BOOST_CHECK_THROW(b.acquire(), std::length_error);
  BOOST_TEST(b.busy_since(s0) == 0);
  b.enter(s0, 1000);
  BOOST_TEST(!b.hung(s0, 2000, 1000));
  BOOST_TEST(b.hung(s0, 2001, 1000));
  BOOST_TEST(!b.hung(s1, 5000, 1000)); // idle is never hung
  b.leave(s0);
  BOOST_TEST(!b.hung(s0, 5000, 1000));
  b.enter(s1, 10);
  b.release(s1);
  BOOST_TEST(b.acquire() == s1);
  BOOST_TEST(b.busy_since(s1) == 0);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(restart_backoff_delays)

BOOST_AUTO_TEST_CASE(delays_double_up_to_the_cap_and_reset_after_a_quiet_period) {
  restart_backoff b{from_ms(100), from_ms(1000), 0.0, from_ms(5000), 7};
  std::vector<int64_t> delays;
  time_point now = at(0);
  for (int i = 0; i < 6; ++i) {
    auto d = b.next(now);
    delays.push_back(to_ms(d));
    now += d + from_ms(10); // crashes again 10 ms after each start
  }
  BOOST_TEST(delays == (std::vector<int64_t>{100, 200, 400, 800, 1000, 1000}),
             boost::test_tools::per_element());
  // Quiet for 5 s after the last start: back to the minimum.
  BOOST_TEST(to_ms(b.next(now + from_ms(5000))) == 100);
  BOOST_TEST(b.restarts() == 1);
}

BOOST_AUTO_TEST_CASE(jitter_is_bounded_and_repeats_with_the_seed) {
  restart_backoff a{from_ms(100), from_ms(10000), 0.5, duration{0}, 42};
  restart_backoff b{from_ms(100), from_ms(10000), 0.5, duration{0}, 42};
  BOOST_TEST(to_ms(a.reset_after()) == 5050); // (min + max) / 2, as Akka
  for (int i = 0; i < 5; ++i) {
    auto x = a.next(at(i));
    auto y = b.next(at(i));
    BOOST_TEST(x.count() == y.count());
    auto base = from_ms(100) * (1 << i);
    BOOST_TEST(x.count() >= base.count());
    BOOST_TEST(x.count() < (base * 3 / 2).count());
  }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(supervision_config)

BOOST_AUTO_TEST_CASE(health_monitor_config_round_trips_and_names_bad_fields) {
  auto j = nlohmann::json::parse(
      R"({"detector": "phi", "phi_threshold": 10, "check_interval_ms": 100})");
  auto c = health_monitor_config::from_json(json_reader{j});
  BOOST_TEST((c.detector == herd::failure_detector_kind::phi));
  BOOST_TEST(c.phi_threshold == 10.0);
  BOOST_TEST(to_ms(c.check_interval) == 100);
  BOOST_TEST(c.max_missed == 2);
  auto back = health_monitor_config::from_json(json_reader{c.to_json()});
  BOOST_TEST(back.to_json() == c.to_json());
  auto bad = nlohmann::json::parse(R"({"health": {"detector": "magic"}})");
  try {
    health_monitor_config::from_json(json_reader{bad}.at("health"));
    BOOST_FAIL("expected a config_error");
  } catch (const config_error& e) {
    BOOST_TEST(std::string{e.what()}.find("/health/detector") != std::string::npos, e.what());
  }
}

BOOST_AUTO_TEST_CASE(supervisor_config_round_trips_and_names_bad_fields) {
  auto j = nlohmann::json::parse(
      R"({"name": "pool-llm", "strategy": "rest_for_one", "max_restarts": 5, "period_ms": 2000})");
  auto c = supervisor_config::from_json(json_reader{j});
  BOOST_TEST(c.name == "pool-llm");
  BOOST_TEST((c.strategy == restart_strategy::rest_for_one));
  BOOST_TEST(c.max_restarts == 5);
  BOOST_TEST(to_ms(c.min_backoff) == 100);
  auto back = supervisor_config::from_json(json_reader{c.to_json()});
  BOOST_TEST(back.to_json() == c.to_json());
  auto bad = nlohmann::json::parse(R"({"min_backoff_ms": 500, "max_backoff_ms": 100})");
  BOOST_CHECK_THROW(supervisor_config::from_json(json_reader{bad}), config_error);
  auto unknown = nlohmann::json::parse(R"({"stratgy": "one_for_all"})");
  BOOST_CHECK_THROW(supervisor_config::from_json(json_reader{unknown}), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
