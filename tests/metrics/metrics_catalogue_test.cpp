// The metrics of issue #18 (docs/metrics.md), each asserted on the instrument that a real actor or
// its plain state class keeps: series name, labels and value.
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "dispatch/dispatcher_state.hpp"
#include "herd/core/metrics_registry.hpp"
#include "herd/core/settlement.hpp"

using namespace herd;

namespace {

constexpr uint64_t agent_key = 1;

/// A dispatcher state whose failed attempts go to a retry scheduler, one agent of concurrency 4
/// and helpers to run a task of kind "summarize" through it.
struct dispatcher_fixture {
  metrics_registry metrics;
  dispatcher_config config;
  time_point now = time_point{} + from_ms(1000000);
  dispatcher_state state{config, metrics, true};

  dispatcher_fixture() { state.join(agent_key, "default", "agent-1", 4, now); }

  /// Submits task `id` of kind "summarize" at `now`; the dispatcher leases it at once.
  void submit(const std::string& id) {
    auto t = task::make(id, "summarize");
    state.submit(t, now);
  }

  /// The lease id of the task leased by the last calls, which are then cleared.
  uint64_t leased() {
    auto& leases = state.actions().leases;
    BOOST_REQUIRE(leases.size() == 1u);
    auto id = leases.front().msg.get_as<std::vector<uint64_t>>(1).front();
    state.actions().clear();
    return id;
  }

  /// The task the retry scheduler was handed by the last calls, which are then cleared.
  task sent_to_retry() {
    BOOST_REQUIRE(state.actions().retries.size() == 1u);
    auto t = state.actions().retries.front();
    state.actions().clear();
    return t;
  }

  void report(uint64_t lease, outcome result) { state.report(lease, result, now); }

  double count(const std::string& name, const metric_labels& labels) {
    return metrics.total(name, labels);
  }

  bool exposes(const std::string& line) {
    return metrics.prometheus().find(line + "\n") != std::string::npos;
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(metrics_catalogue_suite)

// -- 1. tasks by kind: settled, duration, attempts, success after retry ------------------------

BOOST_FIXTURE_TEST_CASE(a_completed_task_counts_by_kind_with_its_duration, dispatcher_fixture) {
  submit("t1");
  auto lease = leased();
  now += from_ms(3000);
  report(lease, outcome::success());
  BOOST_TEST(count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "completed"}}) ==
             1);
  BOOST_TEST(count("herd_task_attempts_total", {{"kind", "summarize"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total", {{"kind", "summarize"}}) == 0);
  // 3 s from acceptance: in the 5 s bucket, not in the 2.5 s one.
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="2.5"} 0)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="5"} 1)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_bucket{kind="summarize",le="300"} 1)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_sum{kind="summarize"} 3)"));
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_count{kind="summarize"} 1)"));
}

BOOST_FIXTURE_TEST_CASE(success_after_retry_and_settlements_from_elsewhere_count_by_kind,
                        dispatcher_fixture) {
  // t1 fails once, is retried and completes: retried and completed.
  submit("t1");
  report(leased(), outcome::fail(failure::transient("busy")));
  auto retry = sent_to_retry();
  retry.attempt = 2;
  now += from_ms(1000);
  state.resubmit(retry, now);
  report(leased(), outcome::success());
  // t2 fails, waits for its retry and the dead-letter queue settles it (settle_atom).
  submit("t2");
  report(leased(), outcome::fail(failure::permanent("bad input")));
  auto dead = sent_to_retry();
  auto settlement = settlement_of(dead, outcome_status::dead_lettered, "not retryable");
  state.settle_waiting(settlement, now);
  BOOST_TEST(count("herd_task_attempts_total", {{"kind", "summarize"}}) == 3);
  BOOST_TEST(count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "completed"}}) ==
             1);
  BOOST_TEST(
      count("herd_tasks_settled_total", {{"kind", "summarize"}, {"state", "dead_lettered"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total",
                   {{"kind", "summarize"}, {"state", "completed"}}) == 1);
  BOOST_TEST(count("herd_retried_tasks_settled_total",
                   {{"kind", "summarize"}, {"state", "dead_lettered"}}) == 0);
  BOOST_TEST(exposes(R"(herd_task_duration_seconds_count{kind="summarize"} 2)"));
}

BOOST_AUTO_TEST_CASE(configured_kinds_are_exposed_at_zero_from_the_start) {
  metrics_registry metrics;
  dispatcher_config config;
  config.kinds = {"payment"};
  dispatcher_state state{config, metrics, false};
  auto text = metrics.prometheus();
  BOOST_TEST(text.find(R"(herd_tasks_settled_total{kind="payment",state="failed"} 0)") !=
             std::string::npos);
  BOOST_TEST(text.find(R"(herd_task_duration_seconds_count{kind="payment"} 0)") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
