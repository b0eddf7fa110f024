// The retry delay formulas: exact for the deterministic kinds, bounded and centred for the
// jittered ones, repeatable for a seed.
#include <boost/test/unit_test.hpp>

#include <set>
#include <string>

#include "herd/retry/backoff.hpp"

namespace {

herd::backoff_policy policy(herd::backoff_kind kind, int64_t base_ms = 100, double mult = 2.0,
                            int64_t cap_ms = 20000) {
  return {kind, herd::from_ms(base_ms), mult, herd::from_ms(cap_ms)};
}

int64_t ms(herd::duration d) {
  return herd::to_ms(d);
}

/// The mean of 4000 delays of `kind` after 3 failures (100 ms base, x2), each within [low, high].
double jittered_mean(herd::backoff_kind kind, int64_t low, int64_t high) {
  herd::backoff b{7};
  auto p = policy(kind);
  double sum = 0;
  const int samples = 4000;
  for (int i = 0; i < samples; ++i) {
    auto d = ms(b.next(p, "t", 3));
    BOOST_TEST_REQUIRE(d >= low);
    BOOST_TEST_REQUIRE(d <= high);
    sum += static_cast<double>(d);
  }
  return sum / samples;
}

} // namespace

BOOST_AUTO_TEST_SUITE(backoff)

BOOST_AUTO_TEST_CASE(none_and_fixed_ignore_the_attempt) {
  herd::backoff b{1};
  for (int n = 1; n <= 5; ++n) {
    BOOST_TEST(ms(b.next(policy(herd::backoff_kind::none), "t", n)) == 0);
    BOOST_TEST(ms(b.next(policy(herd::backoff_kind::fixed, 250), "t", n)) == 250);
  }
}

BOOST_AUTO_TEST_CASE(exponential_is_base_times_multiplier_to_the_n_capped) {
  herd::backoff b{1};
  auto p = policy(herd::backoff_kind::exponential, 100, 2.0, 5000);
  // n = failures so far; the first retry uses n = 1 (REFERENCES.md).
  BOOST_TEST(ms(b.next(p, "t", 1)) == 200);
  BOOST_TEST(ms(b.next(p, "t", 2)) == 400);
  BOOST_TEST(ms(b.next(p, "t", 3)) == 800);
  BOOST_TEST(ms(b.next(p, "t", 5)) == 3200);
  BOOST_TEST(ms(b.next(p, "t", 6)) == 5000);
  BOOST_TEST(ms(b.next(p, "t", 1000)) == 5000); // no overflow at huge n
  auto p3 = policy(herd::backoff_kind::exponential, 10, 3.0, 100000);
  BOOST_TEST(ms(b.next(p3, "t", 3)) == 270);
}

BOOST_AUTO_TEST_CASE(full_jitter_is_uniform_below_expo) {
  // expo(3) = 800 ms: uniform over [0, 800], mean 400.
  auto mean = jittered_mean(herd::backoff_kind::full_jitter, 0, 800);
  BOOST_TEST(mean > 370.0);
  BOOST_TEST(mean < 430.0);
}

BOOST_AUTO_TEST_CASE(equal_jitter_keeps_half_of_expo) {
  // Half of expo(3) fixed, the other half uniform: [400, 800], mean 600.
  auto mean = jittered_mean(herd::backoff_kind::equal_jitter, 400, 800);
  BOOST_TEST(mean > 580.0);
  BOOST_TEST(mean < 620.0);
}

BOOST_AUTO_TEST_CASE(decorrelated_jitter_grows_from_the_previous_sleep_per_task) {
  herd::backoff b{3};
  auto p = policy(herd::backoff_kind::decorrelated_jitter, 100, 2.0, 3000);
  for (int round = 0; round < 200; ++round) {
    auto id = "task-" + std::to_string(round);
    auto previous = p.base;
    for (int n = 1; n <= 8; ++n) {
      auto d = b.next(p, id, n);
      BOOST_TEST_REQUIRE((d >= p.base));
      BOOST_TEST_REQUIRE((d <= std::min(p.cap, 3 * previous)));
      previous = d;
    }
    b.forget(id);
  }
  BOOST_TEST(b.remembered() == 0u);
  // A forgotten task starts again from base: its first sleep is within [base, 3 * base].
  for (int i = 0; i < 100; ++i) {
    BOOST_TEST_REQUIRE(ms(b.next(p, "again", 1)) <= 300);
    b.forget("again");
  }
}

BOOST_AUTO_TEST_CASE(decorrelated_memory_is_bounded) {
  herd::backoff b{3, 10};
  auto p = policy(herd::backoff_kind::decorrelated_jitter);
  for (int i = 0; i < 100; ++i)
    b.next(p, "task-" + std::to_string(i), 1);
  BOOST_TEST(b.remembered() <= 10u);
}

BOOST_AUTO_TEST_CASE(the_same_seed_repeats_the_same_delays) {
  auto p = policy(herd::backoff_kind::full_jitter);
  herd::backoff x{42}, y{42}, z{43};
  std::set<int64_t> differences;
  for (int n = 1; n <= 50; ++n) {
    auto a = ms(x.next(p, "t", n % 8 + 1));
    BOOST_TEST_REQUIRE(a == ms(y.next(p, "t", n % 8 + 1)));
    differences.insert(a - ms(z.next(p, "t", n % 8 + 1)));
  }
  BOOST_TEST(differences.size() > 1u);
}

BOOST_AUTO_TEST_SUITE_END()
