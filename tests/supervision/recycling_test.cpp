// Agent recycling on the real dispatcher and supervisor in virtual time: after max_tasks, after
// max_age and above the resident-bytes limit an agent stops taking leases, finishes the ones it
// holds, and its supervisor starts a fresh one at once (no task lost or run twice, no restart
// counted).
#include "herd/core/config_error.hpp"
#include "herd/core/errc.hpp"
#include "herd/core/json_reader.hpp"
#include "supervision/pool_fixture.hpp"

using namespace herd;
using namespace herd::test;

BOOST_FIXTURE_TEST_SUITE(recycling_suite, pool_fixture)

BOOST_AUTO_TEST_CASE(an_agent_is_recycled_after_max_tasks_with_its_leases_finished_first) {
  recycling.max_tasks = 3;
  concurrency = 2;
  start_pool(1);
  submit(10);
  for (int i = 0; i < 30; ++i) {
    vt.advance(from_ms(1000));
    drain_outcomes();
  }
  auto s = stats();
  BOOST_TEST(s.completed == 10u);
  BOOST_TEST(s.requeued == 0u); // each agent finished what it held before leaving
  BOOST_TEST(s.balanced());
  BOOST_TEST(each_ran_once());
  // 10 tasks at 3 (or 4: a lease on its way when it retired) per incarnation.
  BOOST_TEST(count(supervision_event_kind::recycled) >= 2u);
  BOOST_TEST(count(supervision_event_kind::restarting) == 0u); // not a restart
  BOOST_TEST(metrics->total("herd_agents_recycled_total") ==
             static_cast<double>(count(supervision_event_kind::recycled)));
  BOOST_TEST(metrics->total("herd_restarts_total") == 0.0);
  BOOST_TEST(running() == 1u);
  for (auto& e : *events)
    if (e.kind == supervision_event_kind::recycled)
      BOOST_TEST(e.detail.find("max_tasks 3") != std::string::npos, e.detail);
}

BOOST_AUTO_TEST_CASE(an_idle_agent_is_recycled_after_max_age) {
  recycling.max_age = from_ms(5000);
  start_pool(1);
  vt.advance(from_ms(4000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 0u);
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 1u);
  BOOST_TEST(running() == 1u);
  // The fresh incarnation takes work.
  submit(2);
  vt.advance(from_ms(2000));
  BOOST_TEST(drain_outcomes() == 2u);
  BOOST_TEST(each_ran_once());
}

BOOST_AUTO_TEST_CASE(a_busy_agent_past_max_age_finishes_its_lease_first) {
  recycling.max_age = from_ms(1500);
  work = from_ms(3000);
  start_pool(1);
  submit(2);
  vt.advance(from_ms(2000)); // due at 1.5 s, but it holds t0 until 3 s
  BOOST_TEST(count(supervision_event_kind::recycled) == 0u);
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 1u);
  for (int i = 0; i < 10; ++i)
    vt.advance(from_ms(1000));
  BOOST_TEST(drain_outcomes() == 2u);
  auto s = stats();
  BOOST_TEST(s.requeued == 0u);
  BOOST_TEST(s.completed == 2u);
  BOOST_TEST(each_ran_once());
}

BOOST_AUTO_TEST_CASE(an_agent_over_its_resident_bytes_limit_is_recycled) {
  recycling.max_resident_bytes = 1 << 20;
  start_pool(1);
  submit(1);
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 0u);
  *bytes = 2 << 20; // its cache grew
  submit(1);
  vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 1u);
  BOOST_TEST(drain_outcomes() == 2u);
  BOOST_TEST(each_ran_once());
}

BOOST_AUTO_TEST_CASE(recycling_is_off_by_default) {
  start_pool(1);
  submit(20);
  for (int i = 0; i < 25; ++i)
    vt.advance(from_ms(1000));
  BOOST_TEST(count(supervision_event_kind::recycled) == 0u);
  BOOST_TEST(drain_outcomes() == 20u);
}

BOOST_AUTO_TEST_CASE(policy_says_why_and_reads_its_json) {
  recycle_policy p;
  BOOST_TEST(!p.enabled());
  BOOST_TEST(p.due(1000000, from_ms(1000000000), 1ull << 40).empty());
  p.max_tasks = 5;
  BOOST_TEST(p.due(4, duration{0}, 0).empty());
  BOOST_TEST(p.due(5, duration{0}, 0) == "finished 5 tasks (max_tasks 5)");
  auto doc = nlohmann::json::parse(R"({"max_tasks": 100, "max_age_ms": 3600000})");
  auto r = recycle_policy::from_json(json_reader{doc, "/pools/llm/recycling"});
  BOOST_TEST(r.max_tasks == 100);
  BOOST_TEST(to_ms(r.max_age) == 3600000);
  auto bad = nlohmann::json::parse(R"({"max_tasks": -1})");
  try {
    recycle_policy::from_json(json_reader{bad, "/pools/llm/recycling"});
    BOOST_FAIL("expected a config_error");
  } catch (const config_error& e) {
    BOOST_TEST(std::string{e.what()}.find("/pools/llm/recycling/max_tasks") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
