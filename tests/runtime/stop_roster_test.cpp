// The roster of a shutdown: which actors are down, which were killed, which still run.
#include <boost/test/unit_test.hpp>

#include "stop_roster.hpp"

using namespace herd;

using names = std::vector<std::string>;

BOOST_AUTO_TEST_SUITE(stop_roster_suite)

BOOST_AUTO_TEST_CASE(an_empty_roster_is_done) {
  stop_roster roster;
  BOOST_TEST(roster.all_down());
  BOOST_TEST(roster.escalate().empty());
}

BOOST_AUTO_TEST_CASE(it_is_done_once_every_actor_is_down) {
  stop_roster roster;
  roster.add(1, "herd.root");
  roster.add(2, "service llm");
  roster.add(2, "service again"); // the same actor twice counts once, under its first name
  BOOST_TEST(roster.size() == 2u);
  BOOST_TEST(!roster.down(1));
  BOOST_TEST(!roster.down(7)); // not expected: changes nothing
  BOOST_TEST(roster.down(2));
  BOOST_TEST(roster.killed().empty());
  BOOST_TEST(roster.still_running().empty());
}

BOOST_AUTO_TEST_CASE(actors_still_up_are_killed_once_and_named) {
  stop_roster roster;
  roster.add(1, "herd.root");
  roster.add(2, "service llm");
  roster.add(3, "agent p-1");
  roster.down(1);
  BOOST_TEST((roster.escalate() == std::vector<uint64_t>{2, 3}));
  BOOST_TEST(roster.escalate().empty()); // each is killed once
  roster.down(2);
  BOOST_TEST((roster.killed() == names{"service llm", "agent p-1"}));
  BOOST_TEST((roster.still_running() == names{"agent p-1"}));
}

BOOST_AUTO_TEST_SUITE_END()
