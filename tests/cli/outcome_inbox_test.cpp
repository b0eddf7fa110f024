// The demo's progress: outcomes are counted as they arrive, so a task that never finishes does
// not hold back the progress of those submitted after it.
#include "outcome_inbox.hpp"

#include <thread>

#include <boost/test/unit_test.hpp>

using namespace herd;

BOOST_AUTO_TEST_SUITE(outcome_inbox_suite)

BOOST_AUTO_TEST_CASE(a_task_that_never_finishes_does_not_hold_back_progress) {
  cli::outcome_inbox inbox;
  // Task 0 (submitted first) never answers; tasks 1..9 do, from an actor's thread.
  std::thread answers{[&] {
    for (int i = 1; i <= 9; ++i)
      inbox.add(i % 3 == 0 ? outcome::fail(failure::make(failure_category::permanent, "no"))
                           : outcome::success(i));
  }};
  auto [done, failed] = inbox.wait_for(9);
  answers.join();
  BOOST_TEST(done == 9u);
  BOOST_TEST(failed == 3u);
  BOOST_TEST(inbox.outcomes().size() == 9u);
}

BOOST_AUTO_TEST_CASE(refusals_count_as_answers) {
  cli::outcome_inbox inbox;
  inbox.refuse();
  inbox.add(outcome::success(1));
  auto [done, failed] = inbox.wait_for(2);
  BOOST_TEST(done == 2u);
  BOOST_TEST(failed == 0u);
  BOOST_TEST(inbox.refused() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
