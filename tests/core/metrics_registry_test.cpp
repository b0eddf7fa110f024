// The metrics registry: labelled counters, gauges and histograms, as JSON and Prometheus text.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/metrics_registry.hpp"

BOOST_AUTO_TEST_SUITE(metrics)

BOOST_AUTO_TEST_CASE(same_name_and_labels_give_the_same_instrument) {
  herd::metrics_registry m;
  auto& a = m.counter("herd_calls_total", "Calls", {{"service", "llm"}});
  auto& b = m.counter("herd_calls_total", "Calls", {{"service", "llm"}});
  auto& c = m.counter("herd_calls_total", "Calls", {{"service", "db"}});
  a.inc();
  b.inc(2);
  c.inc();
  BOOST_TEST(&a == &b);
  BOOST_TEST(a.value() == 3u);
  BOOST_TEST(c.value() == 1u);
  BOOST_CHECK_THROW(m.gauge("herd_calls_total", "oops"), std::logic_error);
}

BOOST_AUTO_TEST_CASE(total_sums_the_series_whose_labels_match) {
  herd::metrics_registry m;
  m.counter("herd_restarts_total", "Restarts", {{"supervisor", "pool:a"}}).inc(2);
  m.counter("herd_restarts_total", "Restarts", {{"supervisor", "pool:b"}}).inc(3);
  BOOST_TEST(m.total("herd_restarts_total") == 5);
  BOOST_TEST(m.total("herd_restarts_total", {{"supervisor", "pool:b"}}) == 3);
  BOOST_TEST(m.total("herd_restarts_total", {{"supervisor", "pool:c"}}) == 0);
  BOOST_TEST(m.total("no_such_metric") == 0);
}

BOOST_AUTO_TEST_CASE(snapshot_has_every_series) {
  herd::metrics_registry m;
  m.counter("herd_tasks_total", "Tasks", {{"state", "completed"}}).inc(5);
  m.gauge("herd_queue_depth", "Depth").set(7);
  auto& h = m.histogram("herd_latency_seconds", "Latency", {}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  h.observe(3);
  auto s = m.snapshot();
  BOOST_TEST(s["herd_tasks_total"]["type"] == "counter");
  BOOST_TEST(s["herd_tasks_total"]["series"][0]["labels"]["state"] == "completed");
  BOOST_TEST(s["herd_tasks_total"]["series"][0]["value"] == 5);
  BOOST_TEST(s["herd_queue_depth"]["series"][0]["value"] == 7.0);
  BOOST_TEST(s["herd_latency_seconds"]["series"][0]["count"] == 3);
  BOOST_TEST(s["herd_latency_seconds"]["series"][0]["buckets"] == nlohmann::json({1, 1, 1}));
}

BOOST_AUTO_TEST_CASE(prometheus_text_is_cumulative_and_escaped) {
  herd::metrics_registry m;
  m.counter("herd_calls_total", "Calls made", {{"service", "a\"b"}}).inc(2);
  auto& h = m.histogram("herd_latency_seconds", "Latency", {}, {0.1, 1});
  h.observe(0.05);
  h.observe(0.5);
  auto text = m.prometheus();
  BOOST_TEST(text.find("# TYPE herd_calls_total counter") != std::string::npos);
  BOOST_TEST(text.find("herd_calls_total{service=\"a\\\"b\"} 2") != std::string::npos, text);
  BOOST_TEST(text.find("herd_latency_seconds_bucket{le=\"1\"} 2") != std::string::npos, text);
  BOOST_TEST(text.find("herd_latency_seconds_bucket{le=\"+Inf\"} 2") != std::string::npos);
  BOOST_TEST(text.find("herd_latency_seconds_count 2") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
