// The notifier in virtual time, with a recording dispatcher and dead-letter queue: a breaker open
// longer than a webhook's threshold is reported once, a webhook's own breaker never; isolations
// and dead-letter depth alerts become tasks of kind "notification" for the webhooks that want
// them; a full queue dead-letters the next notification with its reason; metrics count the ends.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "herd/dispatch/protocol.hpp"
#include "herd/notify/protocol.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "notify/notifier.hpp"
#include "virtual_time_fixture.hpp"

using namespace std::chrono_literals;

namespace {

/// What the fake dispatcher and dead-letter queue received.
struct recording {
  std::vector<herd::task> submitted;
  std::vector<caf::response_promise> unanswered;
  std::vector<std::pair<herd::task, herd::dead_letter_reason>> dead_letters;
};
using recording_ptr = std::shared_ptr<recording>;

/// A dispatcher that answers submits only when the test sends it `(ok_atom)` (all completed).
caf::behavior holding_dispatcher(caf::event_based_actor* self, recording_ptr r) {
  return {
      [=](herd::submit_atom, herd::task& t) -> caf::result<herd::outcome> {
        r->submitted.push_back(t);
        r->unanswered.push_back(self->make_response_promise());
        return r->unanswered.back();
      },
      [=](caf::ok_atom) {
        for (auto& promise : r->unanswered)
          promise.deliver(herd::outcome::success());
        r->unanswered.clear();
      },
  };
}

caf::behavior recording_dlq(caf::event_based_actor*, recording_ptr r) {
  return {
      [=](herd::dead_letter_atom, herd::task& t, herd::dead_letter_reason reason) {
        r->dead_letters.emplace_back(std::move(t), reason);
        return caf::ok_atom::value;
      },
  };
}

struct fixture : herd::test::virtual_time_fixture {
  recording_ptr rec = std::make_shared<recording>();
  caf::actor dispatcher = sys.spawn(holding_dispatcher, rec);
  caf::actor dlq = sys.spawn(recording_dlq, rec);
  caf::actor notifier;

  void start(const nlohmann::json& webhooks) {
    auto config = herd::notifications_config::from_json(
        herd::json_reader{nlohmann::json{{"webhooks", webhooks}}});
    herd::notifier_peers peers;
    peers.dispatcher = [d = dispatcher] { return d; };
    peers.dead_letters = [q = dlq] { return q; };
    peers.wall_clock = [] { return int64_t{1764547200000}; };
    notifier = sys.spawn<herd::notifier>(config, peers, metrics);
    vt.run();
  }

  ~fixture() {
    for (auto& x : {notifier, dispatcher, dlq})
      if (x)
        caf::anon_send_exit(x, caf::exit_reason::user_shutdown);
    vt.run();
  }

  void transition(const std::string& service, herd::breaker_state from, herd::breaker_state to) {
    herd::breaker_transition x;
    x.key = service;
    x.service = service;
    x.from = from;
    x.to = to;
    x.at = sys.clock().now();
    self->send(notifier, x);
    vt.run();
  }

  void isolate(const std::string& agent) {
    herd::supervision_event x;
    x.kind = herd::supervision_event_kind::isolated;
    x.source = "health_monitor";
    x.name = agent;
    x.detail = "no heartbeat for 3000 ms";
    self->send(notifier, herd::sup_event_atom::value, x);
    vt.run();
  }

  nlohmann::json body(size_t i) const {
    return nlohmann::json::parse(rec->submitted.at(i).payload);
  }

  double ended(const std::string& event, const std::string& result) const {
    return metrics->total("herd_notifications_total", {{"event", event}, {"result", result}});
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(notify_actor, fixture)

BOOST_AUTO_TEST_CASE(a_breaker_open_longer_than_the_threshold_is_reported_once) {
  start({{{"name", "ops"},
          {"events", {"breaker_open"}},
          {"breaker_open_after_ms", 30000},
          {"url", "http://127.0.0.1:1/hook"}}});
  transition("llm", herd::breaker_state::closed, herd::breaker_state::open);
  vt.advance(herd::from_ms(29000));
  BOOST_TEST(rec->submitted.empty());
  transition("llm", herd::breaker_state::open, herd::breaker_state::half_open);
  transition("llm", herd::breaker_state::half_open, herd::breaker_state::open);
  vt.advance(herd::from_ms(1000));
  BOOST_REQUIRE(rec->submitted.size() == 1u);
  auto& t = rec->submitted[0];
  BOOST_TEST(t.kind == "notification");
  BOOST_TEST(t.pool == "herd.notify");
  BOOST_TEST(t.service == "webhook:ops");
  BOOST_TEST(body(0)["event"] == "breaker_open");
  BOOST_TEST(body(0)["subject"] == "llm");
  BOOST_TEST(body(0)["details"]["open_ms"] == 30000);
  vt.advance(herd::from_ms(60000));
  BOOST_TEST(rec->submitted.size() == 1u); // once per episode
  self->send(dispatcher, caf::ok_atom::value);
  vt.run();
  BOOST_TEST(ended("breaker_open", "sent") == 1);
}

BOOST_AUTO_TEST_CASE(a_breaker_that_closes_in_time_and_a_webhooks_own_breaker_are_not_reported) {
  start({{{"name", "ops"},
          {"events", {"breaker_open"}},
          {"breaker_open_after_ms", 30000},
          {"url", "http://127.0.0.1:1/hook"}}});
  transition("llm", herd::breaker_state::closed, herd::breaker_state::open);
  vt.advance(herd::from_ms(10000));
  transition("llm", herd::breaker_state::open, herd::breaker_state::closed);
  transition("webhook:ops", herd::breaker_state::closed, herd::breaker_state::open);
  vt.advance(herd::from_ms(120000));
  BOOST_TEST(rec->submitted.empty());
}

BOOST_AUTO_TEST_CASE(isolations_and_depth_alerts_reach_the_webhooks_that_want_them) {
  start({{{"name", "slack"},
          {"events", {"isolation"}},
          {"format", "slack"},
          {"url", "http://127.0.0.1:1/a"}},
         {{"name", "pager"},
          {"events", {"dead_letter_depth"}},
          {"dead_letter_depth_threshold", 50},
          {"url", "http://127.0.0.1:1/b"}}});
  isolate("llm-3");
  BOOST_REQUIRE(rec->submitted.size() == 1u);
  BOOST_TEST(rec->submitted[0].service == "webhook:slack");
  BOOST_TEST(body(0)["text"] == "[herd] isolation llm-3: agent llm-3 was isolated by "
                                "health_monitor: no heartbeat for 3000 ms "
                                "(2025-12-01T00:00:00.000Z)");
  self->send(notifier, herd::dlq_alert_atom::value, int64_t{50}, int64_t{50});
  vt.run();
  BOOST_REQUIRE(rec->submitted.size() == 2u);
  BOOST_TEST(rec->submitted[1].service == "webhook:pager");
  BOOST_TEST(body(1)["details"]["depth"] == 50);
  // A threshold nobody configured reaches nobody.
  self->send(notifier, herd::dlq_alert_atom::value, int64_t{1000}, int64_t{1000});
  vt.run();
  BOOST_TEST(rec->submitted.size() == 2u);
  self->send(dispatcher, caf::ok_atom::value);
  vt.run();
  BOOST_TEST(ended("isolation", "sent") == 1);
  BOOST_TEST(ended("dead_letter_depth", "sent") == 1);
}

BOOST_AUTO_TEST_CASE(a_full_queue_dead_letters_the_next_notification_with_its_reason) {
  start({{{"name", "ops"},
          {"events", {"isolation"}},
          {"queue_capacity", 2},
          {"url", "http://127.0.0.1:1/hook"}}});
  isolate("a-1");
  isolate("a-2");
  isolate("a-3"); // the dispatcher has not answered the first two: the queue is full
  BOOST_TEST(rec->submitted.size() == 2u);
  BOOST_REQUIRE(rec->dead_letters.size() == 1u);
  auto& [letter, reason] = rec->dead_letters[0];
  BOOST_TEST((reason == herd::dead_letter_reason::overflow));
  BOOST_TEST(letter.kind == "notification");
  BOOST_TEST(nlohmann::json::parse(letter.payload)["subject"] == "a-3");
  BOOST_REQUIRE(!letter.history.empty());
  BOOST_TEST(letter.history.back().error.message ==
             "the notification queue of webhook ops is full (2 pending)");
  BOOST_TEST(ended("isolation", "dead_lettered") == 1);
  BOOST_TEST(metrics->total("herd_notifications_pending", {{"webhook", "ops"}}) == 2);
  // Once they are delivered there is room again.
  self->send(dispatcher, caf::ok_atom::value);
  vt.run();
  BOOST_TEST(metrics->total("herd_notifications_pending", {{"webhook", "ops"}}) == 0);
  isolate("a-4");
  BOOST_TEST(rec->submitted.size() == 3u);
  BOOST_TEST(ended("isolation", "sent") == 2);
}

BOOST_AUTO_TEST_CASE(other_supervision_events_and_unknown_messages_are_ignored) {
  start({{{"events", {"isolation"}}, {"url", "http://127.0.0.1:1/hook"}}});
  herd::supervision_event x;
  x.kind = herd::supervision_event_kind::suspect;
  x.name = "a-1";
  self->send(notifier, herd::sup_event_atom::value, x);
  self->send(notifier, std::string{"noise"});
  self->send(notifier, herd::notify_atom::value, std::string{"no_such_kind"}, std::string{"x"},
             std::string{"y"});
  vt.run();
  BOOST_TEST(rec->submitted.empty());
}

BOOST_AUTO_TEST_SUITE_END()
