// One heap of timers behind a single armed actor-clock timer: order, arming, stale ticks,
// and a million entries.
#include <boost/test/unit_test.hpp>

#include <cstdint>
#include <random>
#include <set>
#include <utility>

#include "herd/retry/timer_queue.hpp"

namespace {

herd::time_point at(int64_t ms) {
  return herd::from_epoch_ms(ms);
}

} // namespace

BOOST_AUTO_TEST_SUITE(timer_queue)

BOOST_AUTO_TEST_CASE(pops_due_entries_in_due_order_then_key_order) {
  herd::timer_queue q;
  q.push(at(300), 1);
  q.push(at(100), 7);
  q.push(at(200), 3);
  q.push(at(100), 2);
  BOOST_TEST(q.size() == 4u);
  BOOST_TEST(herd::to_epoch_ms(q.earliest()) == 100);
  BOOST_TEST(!q.pop_due(at(99)).has_value());
  auto first = q.pop_due(at(150));
  auto second = q.pop_due(at(150));
  BOOST_TEST_REQUIRE(first.has_value());
  BOOST_TEST_REQUIRE(second.has_value());
  BOOST_TEST(first->key == 2u);
  BOOST_TEST(second->key == 7u);
  BOOST_TEST(!q.pop_due(at(150)).has_value());
  BOOST_TEST(q.pop_due(at(1000))->key == 3u);
  BOOST_TEST(q.pop_due(at(1000))->key == 1u);
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(arms_one_timer_and_rearms_only_for_an_earlier_entry) {
  herd::timer_queue q;
  BOOST_TEST(!q.arm(at(0)).has_value()); // nothing to wait for
  q.push(at(500), 1);
  auto d = q.arm(at(100));
  BOOST_TEST_REQUIRE(d.has_value());
  BOOST_TEST(herd::to_ms(*d) == 400);
  auto first = q.generation();
  q.push(at(900), 2);
  BOOST_TEST(!q.arm(at(100)).has_value()); // the armed timer comes early enough
  q.push(at(200), 3);
  d = q.arm(at(100));
  BOOST_TEST_REQUIRE(d.has_value());
  BOOST_TEST(herd::to_ms(*d) == 100);
  BOOST_TEST(q.generation() == first + 1);
  BOOST_TEST(!q.fire(first)); // the superseded timer's tick is ignored
  BOOST_TEST(q.fire(first + 1));
  BOOST_TEST(!q.fire(first + 1)); // a tick counts once
  BOOST_TEST(q.pop_due(at(200))->key == 3u);
  d = q.arm(at(200));
  BOOST_TEST_REQUIRE(d.has_value());
  BOOST_TEST(herd::to_ms(*d) == 300);
}

BOOST_AUTO_TEST_CASE(an_overdue_entry_arms_with_zero_delay) {
  herd::timer_queue q;
  q.push(at(100), 1);
  BOOST_TEST(herd::to_ms(*q.arm(at(250))) == 0);
}

BOOST_AUTO_TEST_CASE(clear_drops_everything_and_ignores_the_armed_tick) {
  herd::timer_queue q;
  q.push(at(100), 1);
  q.arm(at(0));
  q.clear();
  BOOST_TEST(q.empty());
  BOOST_TEST(!q.fire(q.generation()));
}

BOOST_AUTO_TEST_CASE(holds_a_million_entries_at_sixteen_bytes_each) {
  static_assert(sizeof(herd::timer_queue::entry) == 16);
  herd::timer_queue q;
  std::mt19937_64 rng{5};
  std::uniform_int_distribution<int64_t> due{0, 3'600'000};
  const uint64_t n = 1'000'000;
  q.reserve(n);
  for (uint64_t key = 0; key < n; ++key)
    q.push(at(due(rng)), key);
  BOOST_TEST(q.size() == n);
  BOOST_TEST(q.memory_bytes() == n * 16);
  int64_t last = -1;
  uint64_t popped = 0;
  while (auto e = q.pop_due(at(3'600'000))) {
    BOOST_TEST_REQUIRE(e->due >= last);
    last = e->due;
    ++popped;
  }
  BOOST_TEST(popped == n);
}

BOOST_AUTO_TEST_CASE(pushes_and_pops_in_any_mix_come_out_as_a_sorted_set_would) {
  // The retry scheduler pushes and pops in turns at every size: check the heap against a set.
  herd::timer_queue q;
  std::set<std::pair<int64_t, uint64_t>> expected;
  std::mt19937_64 rng{11};
  std::uniform_int_distribution<int64_t> due{0, 500};
  uint64_t key = 0;
  for (int step = 0; step < 200'000; ++step) {
    auto now = step / 100;
    if (rng() % 3 != 0) {
      auto at_ms = now + due(rng) % 50;
      q.push(at(at_ms), key);
      expected.emplace(at(at_ms).time_since_epoch().count(), key);
      ++key;
    } else {
      auto popped = q.pop_due(at(now));
      auto first = expected.begin();
      bool due_now = first != expected.end() && first->first <= at(now).time_since_epoch().count();
      BOOST_TEST_REQUIRE(popped.has_value() == due_now);
      if (popped) {
        BOOST_TEST_REQUIRE(popped->due == first->first);
        BOOST_TEST_REQUIRE(popped->key == first->second);
        expected.erase(first);
      }
    }
    BOOST_TEST_REQUIRE(q.size() == expected.size());
  }
  while (auto e = q.pop_due(at(1'000'000))) {
    BOOST_TEST_REQUIRE(e->key == expected.begin()->second);
    expected.erase(expected.begin());
  }
  BOOST_TEST(expected.empty());
}

BOOST_AUTO_TEST_SUITE_END()
