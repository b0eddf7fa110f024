#include <boost/test/unit_test.hpp>

#include <chrono>
#include <map>
#include <memory>

#include <caf/all.hpp>

#include "herd/admission/admission_gate.hpp"
#include "herd/admission/protocol.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/held_promises.hpp"
#include "herd/core/outcome.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

/// What the limited service saw.
struct service_log {
  /// Calls per whole second of the clock.
  std::map<int64_t, int> calls_per_second;
  /// Calls answered 429 (over the limit).
  int rejected = 0;
};

/// A service that allows `limit` calls per whole second and publishes it with every answer,
/// OpenAI-style (limit, remaining, reset), answering after `latency`.
class limited_service : public caf::event_based_actor {
public:
  limited_service(caf::actor_config& cfg, std::shared_ptr<service_log> log, int limit,
                  duration latency)
      : caf::event_based_actor(cfg), log_(std::move(log)), limit_(limit), latency_(latency) {}

protected:
  caf::behavior make_behavior() override {
    return {[this](call_atom, const std::string&) -> caf::result<outcome> {
              auto now = clock().now();
              auto second =
                  std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch());
              auto used = ++log_->calls_per_second[second.count()];
              auto answer = used > limit_ ? outcome::fail(failure::rate_limited("limit", 1s))
                                          : outcome::success();
              if (used > limit_)
                ++log_->rejected;
              answer.limit.limit = limit_;
              answer.limit.remaining = std::max(0, limit_ - used);
              answer.limit.reset = (second + 1s) - now.time_since_epoch();
              auto promise = make_response_promise<outcome>();
              delayed_send(this, latency_, tick_atom::value, next_++);
              held_.emplace(next_ - 1, std::make_pair(promise, answer));
              return promise;
            },
            [this](tick_atom, uint64_t id) {
              auto i = held_.find(id);
              i->second.first.deliver(i->second.second);
              held_.erase(i);
            }};
  }

  /// A held promise keeps this actor alive: answered when it stops.
  void on_exit() override {
    for (auto& [_, held] : held_)
      abandon(held.first);
    held_.clear();
  }

private:
  std::shared_ptr<service_log> log_;
  int limit_;
  duration latency_;
  uint64_t next_ = 0;
  std::map<uint64_t, std::pair<caf::typed_response_promise<outcome>, outcome>> held_;
};

/// Calls `target` again as soon as each call is answered, until `until`; then quits.
void call_until(caf::event_based_actor* self, caf::actor target, time_point until,
                std::shared_ptr<int> answered) {
  if (self->clock().now() >= until) {
    self->quit();
    return;
  }
  self->request(target, caf::infinite, call_atom::value, std::string{"q"}).then([=](outcome&) {
    ++*answered;
    call_until(self, target, until, answered);
  });
}

/// An agent that keeps `target` busy until `until` (see call_until).
caf::behavior busy_agent(caf::event_based_actor* self, caf::actor target, time_point until,
                         std::shared_ptr<int> answered) {
  call_until(self, std::move(target), until, std::move(answered));
  return {[](int) {}};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(admission_gate_suite, test::virtual_time_fixture)

BOOST_AUTO_TEST_CASE(five_hundred_agents_never_push_a_service_past_its_published_limit) {
  auto log = std::make_shared<service_log>();
  auto service = sys.spawn<limited_service>(log, 100, 50ms);
  admission_policy policy;
  policy.published_window = 1s; // the service publishes calls per second
  policy.burst = 5;
  auto gate =
      sys.spawn<admission_gate>("llm", caf::actor_cast<caf::actor>(service), policy, metrics);
  auto answered = std::make_shared<int>(0);
  auto until = vt.now() + 10s;
  for (int i = 0; i < 500; ++i)
    sys.spawn(busy_agent, caf::actor_cast<caf::actor>(gate), until, answered);
  vt.run();
  vt.advance(12s);
  int busiest = 0;
  for (auto& [second, calls] : log->calls_per_second)
    busiest = std::max(busiest, calls);
  BOOST_TEST_MESSAGE("busiest second " << busiest << ", rejected " << log->rejected);
  // 100 per second plus the stated burst of 5, and not one call over the limit.
  BOOST_TEST(busiest <= 105);
  BOOST_TEST(log->rejected == 0);
  BOOST_TEST(log->calls_per_second.size() >= 10u);
  BOOST_TEST(*answered >= 900); // the limit is used, not wasted
  self->send(gate, admission_stats_atom::value);
  vt.run();
  auto stats = next<admission_stats>();
  BOOST_REQUIRE(stats.has_value());
  BOOST_TEST(to_string(stats->source) == "published");
  int served = 0;
  for (auto& [second, calls] : log->calls_per_second)
    served += calls;
  BOOST_TEST(metrics->total("herd_admission_admitted_total") == served);
  BOOST_TEST(metrics->total("herd_admission_rate_source", {{"source", "published"}}) == 1.0);
  caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_CASE(a_call_with_a_deadline_is_refused_when_it_passes_in_the_queue) {
  auto log = std::make_shared<service_log>();
  auto service = sys.spawn<limited_service>(log, 1000, 10ms);
  admission_policy policy;
  policy.rate_per_s = 1;
  policy.burst = 1;
  auto gate =
      sys.spawn<admission_gate>("tool", caf::actor_cast<caf::actor>(service), policy, metrics);
  self->send(gate, call_atom::value, std::string{"a"});
  self->send(gate, call_atom::value, std::string{"b"}, vt.now() + 300ms);
  vt.run();
  vt.advance(400ms);
  std::vector<outcome> answers;
  for (int i = 0; i < 2; ++i)
    self->receive([&](outcome& x) { answers.push_back(x); },
                  caf::after(std::chrono::seconds(0)) >> [] {});
  BOOST_REQUIRE(answers.size() == 2u);
  auto refused = answers[0].ok() ? answers[1] : answers[0];
  BOOST_TEST(to_string(refused.error.category) == "timeout");
  BOOST_TEST(refused.error.reason == "admission_deadline");
  BOOST_TEST(log->calls_per_second.begin()->second == 1); // only the first reached the service
  BOOST_TEST(metrics->total("herd_admission_rejected_total", {{"reason", "deadline"}}) == 1.0);
  caf::anon_send_exit(gate, caf::exit_reason::user_shutdown);
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_SUITE_END()
