// The ring queue: FIFO order, pushes at both ends, growth across the wrap point, and agreement
// with std::deque over a random workload.
#include <boost/test/unit_test.hpp>

#include <deque>
#include <random>
#include <string>

#include "dispatch/ring_queue.hpp"

BOOST_AUTO_TEST_SUITE(ring_queue)

BOOST_AUTO_TEST_CASE(pops_in_fifo_order_and_takes_pushes_at_the_front) {
  herd::ring_queue<std::string> q;
  BOOST_TEST(q.empty());
  q.push_back("b");
  q.push_back("c");
  q.push_front("a");
  BOOST_TEST(q.size() == 3u);
  BOOST_TEST(q[1] == "b");
  for (auto expected : {"a", "b", "c"}) {
    BOOST_TEST(q.front() == expected);
    q.pop_front();
  }
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(grows_across_the_wrap_point) {
  herd::ring_queue<int> q;
  for (int i = 0; i < 10; ++i)
    q.push_back(i);
  for (int i = 0; i < 8; ++i)
    q.pop_front(); // the head is now in the middle of the ring
  for (int i = 10; i < 100; ++i)
    q.push_back(i);
  BOOST_TEST(q.size() == 92u);
  for (int i = 8; i < 100; ++i) {
    BOOST_REQUIRE(q.front() == i);
    q.pop_front();
  }
}

BOOST_AUTO_TEST_CASE(reserve_keeps_the_order_across_the_wrap_point) {
  herd::ring_queue<int> q;
  for (int i = 0; i < 10; ++i)
    q.push_back(i);
  for (int i = 0; i < 8; ++i)
    q.pop_front();
  q.push_back(10);
  q.reserve(1000);
  for (int i = 11; i < 1000; ++i)
    q.push_back(i);
  for (int i = 8; i < 1000; ++i) {
    BOOST_REQUIRE(q.front() == i);
    q.pop_front();
  }
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_CASE(agrees_with_std_deque) {
  herd::ring_queue<int> q;
  std::deque<int> model;
  std::mt19937 rng{7};
  for (int step = 0; step < 100000; ++step) {
    auto op = rng() % 4;
    if (op == 0) {
      q.push_front(step);
      model.push_front(step);
    } else if (op == 1 || model.empty()) {
      q.push_back(step);
      model.push_back(step);
    } else {
      BOOST_REQUIRE(q.front() == model.front());
      q.pop_front();
      model.pop_front();
    }
    BOOST_REQUIRE(q.size() == model.size());
  }
  q.clear();
  BOOST_TEST(q.empty());
}

BOOST_AUTO_TEST_SUITE_END()
