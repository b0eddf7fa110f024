// gRPC-style retry throttling with Finagle's per-second floor.
#include <boost/test/unit_test.hpp>

#include "herd/retry/retry_budget.hpp"

namespace {

herd::time_point at(int64_t ms) {
  return herd::from_epoch_ms(ms);
}

herd::retry_budget make(double max_tokens, double ratio, double floor) {
  herd::retry_budget::settings s;
  s.max_tokens = max_tokens;
  s.token_ratio = ratio;
  s.min_retries_per_s = floor;
  return herd::retry_budget{s, at(0)};
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_budget)

BOOST_AUTO_TEST_CASE(defaults_are_documented_values) {
  herd::retry_budget::settings s;
  BOOST_TEST(s.max_tokens == 100.0);
  BOOST_TEST(s.token_ratio == 0.5);
  BOOST_TEST(s.min_retries_per_s == 10.0);
}

BOOST_AUTO_TEST_CASE(retries_stop_once_failures_spend_half_the_bucket) {
  auto b = make(10, 0.1, 0);
  for (int i = 0; i < 4; ++i)
    b.on_failure();
  BOOST_TEST(b.allows(at(0))); // 6 > 5
  b.on_failure();
  BOOST_TEST(b.tokens() == 5.0);
  BOOST_TEST(!b.allows(at(0))); // 5 <= 5
  BOOST_TEST((b.next_allowed(at(0)) == herd::time_point::max()));
  for (int i = 0; i < 10; ++i)
    b.on_failure();
  BOOST_TEST(b.tokens() == 0.0); // never negative
}

BOOST_AUTO_TEST_CASE(successes_refund_the_token_ratio) {
  auto b = make(10, 0.5, 0);
  for (int i = 0; i < 5; ++i)
    b.on_failure();
  BOOST_TEST(!b.allows(at(0)));
  b.on_success();
  BOOST_TEST(b.allows(at(0))); // 5.5 > 5
  for (int i = 0; i < 100; ++i)
    b.on_success();
  BOOST_TEST(b.tokens() == 10.0); // never above max
}

BOOST_AUTO_TEST_CASE(the_floor_lets_min_retries_per_second_through) {
  auto b = make(10, 0.1, 2);
  for (int i = 0; i < 10; ++i)
    b.on_failure();
  int released = 0;
  for (int ms = 0; ms < 10'000; ms += 10) {
    while (b.allows(at(ms))) {
      b.spend(at(ms));
      ++released;
    }
  }
  // A full reserve of 2 at the start plus 2 per second for 10 s.
  BOOST_TEST(released >= 20);
  BOOST_TEST(released <= 22);
  BOOST_TEST(herd::to_epoch_ms(b.next_allowed(at(10'000))) <= 10'500);
}

BOOST_AUTO_TEST_CASE(refill_restores_a_full_bucket) {
  auto b = make(10, 0.1, 0);
  for (int i = 0; i < 10; ++i)
    b.on_failure();
  b.refill();
  BOOST_TEST(b.tokens() == 10.0);
  BOOST_TEST(b.allows(at(0)));
}

BOOST_AUTO_TEST_SUITE_END()
