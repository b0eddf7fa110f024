// The per-service release pacer: a token bucket whose rate follows AIMD.
#include <boost/test/unit_test.hpp>

#include <map>

#include "herd/retry/adaptive_pacer.hpp"

namespace {

herd::time_point at(int64_t ms) {
  return herd::from_epoch_ms(ms);
}

herd::adaptive_pacer::settings settings() {
  herd::adaptive_pacer::settings s;
  s.initial_rate = 10;
  s.min_rate = 1;
  s.max_rate = 100;
  s.increase_per_s = 5;
  s.decrease_factor = 0.5;
  s.burst = 3;
  return s;
}

} // namespace

BOOST_AUTO_TEST_SUITE(adaptive_pacer)

BOOST_AUTO_TEST_CASE(a_full_bucket_lets_a_burst_through_then_paces) {
  herd::adaptive_pacer p{settings(), at(0)};
  BOOST_TEST(p.try_acquire(at(0)));
  BOOST_TEST(p.try_acquire(at(0)));
  BOOST_TEST(p.try_acquire(at(0)));
  BOOST_TEST(!p.try_acquire(at(0)));
  auto next = herd::to_epoch_ms(p.next_token(at(0)));
  BOOST_TEST(next <= 100); // 1 token at 10/s
  BOOST_TEST(next >= 90);
  BOOST_TEST(p.try_acquire(p.next_token(at(0))));
}

BOOST_AUTO_TEST_CASE(an_interval_of_failures_halves_the_rate_once) {
  auto s = settings();
  s.increase_per_s = 0;
  herd::adaptive_pacer p{s, at(0)};
  for (int i = 0; i < 5; ++i)
    p.on_failure(at(100));
  BOOST_TEST(p.rate() == 10.0); // decided when the interval ends
  p.next_token(at(1000));
  BOOST_TEST(p.rate() == 5.0); // once per interval, however many failed
  for (int second = 1; second <= 10; ++second) {
    p.on_failure(at(second * 1000 + 500));
    p.next_token(at(second * 1000 + 1000));
  }
  BOOST_TEST(p.rate() == 1.0); // the floor
}

BOOST_AUTO_TEST_CASE(a_few_failures_among_many_releases_do_not_slow_it) {
  auto s = settings();
  s.increase_per_s = 0;
  s.burst = 100;
  herd::adaptive_pacer p{s, at(0)};
  for (int i = 0; i < 8; ++i)
    BOOST_TEST_REQUIRE(p.try_acquire(at(0)));
  for (int i = 0; i < 3; ++i)
    p.on_failure(at(500)); // 3 of 8 < failure_ratio 0.5
  p.next_token(at(1000));
  BOOST_TEST(p.rate() == 10.0);
  for (int i = 0; i < 4; ++i)
    BOOST_TEST_REQUIRE(p.try_acquire(at(1000)));
  for (int i = 0; i < 2; ++i)
    p.on_failure(at(1500)); // 2 of 4 = failure_ratio
  p.next_token(at(2000));
  BOOST_TEST(p.rate() == 5.0);
}

BOOST_AUTO_TEST_CASE(the_rate_grows_additively_while_nothing_fails) {
  herd::adaptive_pacer p{settings(), at(0)};
  p.try_acquire(at(2000));
  BOOST_TEST(p.rate() == 20.0, boost::test_tools::tolerance(1e-9));
  p.try_acquire(at(100'000));
  BOOST_TEST(p.rate() == 100.0); // capped at max_rate
}

BOOST_AUTO_TEST_CASE(restart_ramps_from_the_initial_rate_with_one_token) {
  herd::adaptive_pacer p{settings(), at(0)};
  p.try_acquire(at(60'000)); // rate at max by now
  p.restart(at(60'000));
  BOOST_TEST(p.rate() == 10.0);
  BOOST_TEST(p.try_acquire(at(60'000)));
  BOOST_TEST(!p.try_acquire(at(60'000)));
}

BOOST_AUTO_TEST_CASE(greedy_releases_never_beat_burst_plus_the_integral_of_the_rate) {
  herd::adaptive_pacer p{settings(), at(0)};
  p.restart(at(0));
  std::map<int64_t, int> per_second;
  auto now = at(0);
  for (int i = 0; i < 2000; ++i) {
    now = p.next_token(now);
    BOOST_TEST_REQUIRE(p.try_acquire(now));
    ++per_second[herd::to_epoch_ms(now) / 1000];
  }
  for (auto& [second, count] : per_second) {
    // The rate during second k is at most 10 + 5 * (k + 1).
    auto bound = 3 + 10 + 5 * (second + 1);
    BOOST_TEST_REQUIRE(count <= bound);
  }
  BOOST_TEST(per_second.at(1) >= 12); // it does ramp: about 10 + 5 * 1.5 in second 1
}

BOOST_AUTO_TEST_SUITE_END()
