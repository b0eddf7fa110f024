// The supervisor's restart logic without an actor system: which children a strategy restarts,
// restart types, restart intensity, backoff growth and its cap, restart batches.
#include <boost/test/unit_test.hpp>

#include "herd/supervision/restart_planner.hpp"

using namespace herd;

namespace {

using decision = restart_plan::decision;
using indices = std::vector<size_t>;

child_spec child(const std::string& id, restart_type restart = restart_type::permanent) {
  child_spec spec;
  spec.id = id;
  spec.restart = restart;
  return spec;
}

supervisor_config config_with(restart_strategy strategy) {
  supervisor_config c;
  c.strategy = strategy;
  c.random_factor = 0.0;
  c.max_restarts = 100;
  return c;
}

/// A planner over `specs`, all started.
restart_planner running(const supervisor_config& config, std::vector<child_spec> specs) {
  restart_planner p{config};
  for (auto& spec : specs)
    p.started(p.add(std::move(spec)));
  return p;
}

time_point at_ms(int64_t ms) {
  return from_epoch_ms(ms);
}

} // namespace

BOOST_AUTO_TEST_SUITE(restart_planner_suite)

BOOST_AUTO_TEST_CASE(one_for_one_restarts_only_the_failed_child) {
  auto p =
      running(config_with(restart_strategy::one_for_one), {child("a"), child("b"), child("c")});
  auto plan = p.failed(1, true, at_ms(0));
  BOOST_TEST((plan.what == decision::restart));
  BOOST_TEST(plan.stop.empty());
  BOOST_TEST(plan.restart == (indices{1}), boost::test_tools::per_element());
  BOOST_TEST((p.status(0) == child_status::running));
  BOOST_TEST((p.status(1) == child_status::waiting));
}

BOOST_AUTO_TEST_CASE(rest_for_one_restarts_the_failed_child_and_those_after_it) {
  auto p = running(config_with(restart_strategy::rest_for_one),
                   {child("a"), child("b"), child("c"), child("d")});
  auto plan = p.failed(1, true, at_ms(0));
  BOOST_TEST((plan.what == decision::restart));
  BOOST_TEST(plan.stop == (indices{3, 2}), boost::test_tools::per_element());
  BOOST_TEST(plan.restart == (indices{1, 2, 3}), boost::test_tools::per_element());
  BOOST_TEST((p.status(0) == child_status::running));
  for (size_t i = 1; i < 4; ++i)
    BOOST_TEST(p.due(i, plan.batch));
  BOOST_TEST(!p.due(0, plan.batch));
}

BOOST_AUTO_TEST_CASE(one_for_all_stops_the_others_in_reverse_order_and_restarts_all) {
  auto p =
      running(config_with(restart_strategy::one_for_all), {child("a"), child("b"), child("c")});
  auto plan = p.failed(1, true, at_ms(0));
  BOOST_TEST(plan.stop == (indices{2, 0}), boost::test_tools::per_element());
  BOOST_TEST(plan.restart == (indices{0, 1, 2}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_temporary_sibling_is_stopped_but_not_restarted) {
  auto p = running(config_with(restart_strategy::one_for_all),
                   {child("a"), child("t", restart_type::temporary), child("c")});
  auto plan = p.failed(0, true, at_ms(0));
  BOOST_TEST(plan.stop == (indices{2, 1}), boost::test_tools::per_element());
  BOOST_TEST(plan.restart == (indices{0, 2}), boost::test_tools::per_element());
  BOOST_TEST((p.status(1) == child_status::stopped));
}

BOOST_AUTO_TEST_CASE(restart_types_decide_after_normal_and_abnormal_exits) {
  auto p = running(
      config_with(restart_strategy::one_for_one),
      {child("p"), child("tr", restart_type::transient), child("te", restart_type::temporary)});
  BOOST_TEST((p.failed(0, false, at_ms(0)).what == decision::restart));
  BOOST_TEST((p.failed(1, false, at_ms(0)).what == decision::not_restarted));
  BOOST_TEST((p.status(1) == child_status::stopped));
  p.started(1);
  BOOST_TEST((p.failed(1, true, at_ms(0)).what == decision::restart));
  BOOST_TEST((p.failed(2, true, at_ms(0)).what == decision::not_restarted));
}

BOOST_AUTO_TEST_CASE(exceeding_the_intensity_gives_up) {
  auto c = config_with(restart_strategy::one_for_one);
  c.max_restarts = 2;
  c.period = from_ms(5000);
  auto p = running(c, {child("a")});
  BOOST_TEST((p.failed(0, true, at_ms(0)).what == decision::restart));
  p.started(0);
  BOOST_TEST((p.failed(0, true, at_ms(1000)).what == decision::restart));
  p.started(0);
  BOOST_TEST((p.failed(0, true, at_ms(2000)).what == decision::give_up));
}

BOOST_AUTO_TEST_CASE(restarts_outside_the_period_do_not_count) {
  auto c = config_with(restart_strategy::one_for_one);
  c.max_restarts = 1;
  c.period = from_ms(5000);
  auto p = running(c, {child("a")});
  BOOST_TEST((p.failed(0, true, at_ms(0)).what == decision::restart));
  p.started(0);
  BOOST_TEST((p.failed(0, true, at_ms(6000)).what == decision::restart));
}

BOOST_AUTO_TEST_CASE(backoff_doubles_and_is_capped) {
  auto c = config_with(restart_strategy::one_for_one);
  c.min_backoff = from_ms(100);
  c.max_backoff = from_ms(400);
  c.reset_after = from_ms(60000);
  auto p = running(c, {child("a")});
  std::vector<int64_t> delays;
  for (int i = 0; i < 5; ++i) {
    delays.push_back(to_ms(p.failed(0, true, at_ms(i * 10)).delay));
    p.started(0);
  }
  BOOST_TEST(delays == (std::vector<int64_t>{100, 200, 400, 400, 400}),
             boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(a_new_batch_supersedes_the_pending_one_and_a_restart_is_reported) {
  auto p = running(config_with(restart_strategy::one_for_one), {child("a")});
  auto first = p.failed(0, true, at_ms(0));
  BOOST_TEST(p.due(0, first.batch));
  p.stop(0);
  BOOST_TEST(!p.due(0, first.batch));
  auto second = p.failed(0, true, at_ms(10));
  BOOST_TEST(second.batch > first.batch);
  BOOST_TEST(!p.due(0, first.batch));
  BOOST_TEST(p.due(0, second.batch));
  BOOST_TEST(p.started(0)); // a restart: it ran before
  restart_planner fresh{config_with(restart_strategy::one_for_one)};
  BOOST_TEST(!fresh.started(fresh.add(child("b"))));
}

BOOST_AUTO_TEST_SUITE_END()
