// The notifier's decisions without an actor: which webhooks hear of what, the bounded queue of
// each webhook, and "a breaker open longer than X" on a clock the test moves.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"
#include "herd/notify/notification_router.hpp"

using namespace std::chrono_literals;

namespace {

herd::notification_router router_for(const nlohmann::json& webhooks) {
  return herd::notification_router{herd::notifications_config::from_json(
      herd::json_reader{nlohmann::json{{"webhooks", webhooks}}})};
}

const herd::time_point t0 = herd::time_point{} + 1h;

} // namespace

BOOST_AUTO_TEST_SUITE(notify_router)

BOOST_AUTO_TEST_CASE(each_event_reaches_the_webhooks_that_want_it) {
  auto r = router_for({{{"url", "http://h/a"}, {"events", {"escalation", "isolation"}}},
                       {{"url", "http://h/b"}, {"events", {"isolation"}}},
                       {{"url", "http://h/c"},
                        {"events", {"dead_letter_depth"}},
                        {"dead_letter_depth_threshold", 5}}});
  BOOST_TEST((r.targets(herd::notification_kind::escalation) == std::vector<size_t>{0}));
  BOOST_TEST((r.targets(herd::notification_kind::isolation) == std::vector<size_t>{0, 1}));
  BOOST_TEST(r.targets(herd::notification_kind::budget_exhausted).empty());
  BOOST_TEST((r.depth_thresholds() == std::set<int64_t>{5}));
  BOOST_TEST((r.depth_targets(5) == std::vector<size_t>{2}));
  BOOST_TEST(r.depth_targets(100).empty());
}

BOOST_AUTO_TEST_CASE(the_queue_of_a_webhook_is_bounded) {
  auto r = router_for({{{"url", "http://h/a"}, {"queue_capacity", 2}}});
  BOOST_TEST(r.reserve(0));
  BOOST_TEST(r.reserve(0));
  BOOST_TEST(!r.reserve(0)); // full: the caller dead-letters it
  BOOST_TEST(r.pending(0) == 2);
  r.release(0);
  BOOST_TEST(r.reserve(0));
  BOOST_TEST(r.pending(0) == 2);
}

BOOST_AUTO_TEST_CASE(a_breaker_is_reported_once_it_was_open_longer_than_the_threshold) {
  auto r = router_for(
      {{{"url", "http://h/a"}, {"events", {"breaker_open"}}, {"breaker_open_after_ms", 30000}},
       {{"url", "http://h/b"}, {"events", {"breaker_open"}}, {"breaker_open_after_ms", 60000}}});
  auto checks = r.breaker_moved("llm", herd::breaker_state::open, t0);
  BOOST_REQUIRE(checks.size() == 2u);
  BOOST_TEST(herd::to_ms(checks[0].delay) == 30000);
  BOOST_TEST(herd::to_ms(checks[1].delay) == 60000);
  BOOST_TEST(!r.breaker_due("llm", 0, t0 + 29s));
  BOOST_TEST(r.breaker_due("llm", 0, t0 + 30s));
  BOOST_TEST(!r.breaker_due("llm", 0, t0 + 31s)); // once per episode
  // A failed probe re-opens it within the same episode: the delay counts from the first open.
  BOOST_TEST(r.breaker_moved("llm", herd::breaker_state::half_open, t0 + 40s).empty());
  checks = r.breaker_moved("llm", herd::breaker_state::open, t0 + 41s);
  BOOST_REQUIRE(checks.size() == 1u);
  BOOST_TEST(checks[0].hook == 1u);
  BOOST_TEST(herd::to_ms(checks[0].delay) == 19000);
  BOOST_TEST(r.breaker_due("llm", 1, t0 + 60s));
}

BOOST_AUTO_TEST_CASE(a_breaker_that_closes_in_time_is_not_reported) {
  auto r = router_for(
      {{{"url", "http://h/a"}, {"events", {"breaker_open"}}, {"breaker_open_after_ms", 30000}}});
  r.breaker_moved("llm", herd::breaker_state::open, t0);
  r.breaker_moved("llm", herd::breaker_state::half_open, t0 + 10s);
  r.breaker_moved("llm", herd::breaker_state::closed, t0 + 11s);
  BOOST_TEST(!r.breaker_due("llm", 0, t0 + 30s));
  BOOST_TEST(!r.open_since("llm"));
  // A new episode starts the count again.
  r.breaker_moved("llm", herd::breaker_state::open, t0 + 100s);
  BOOST_TEST(!r.breaker_due("llm", 0, t0 + 129s));
  BOOST_TEST(r.breaker_due("llm", 0, t0 + 130s));
}

BOOST_AUTO_TEST_SUITE_END()
