// The dead-letter configuration and filters read from JSON: documented defaults, and bad
// values rejected with their JSON path.
#include "herd/dead_letters/dead_letter_queue_config.hpp"

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"

using namespace herd;

namespace {

dead_letter_queue_config read_config(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  return dead_letter_queue_config::from_json(json_reader{j});
}

/// Expects `text` to be rejected at `path`.
template <class F>
void expect_error_at(F&& read_it, const std::string& text, const std::string& path) {
  try {
    read_it(text);
    BOOST_FAIL(text << " should be rejected at " << path);
  } catch (const config_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.path() == path);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(dlq_config)

BOOST_AUTO_TEST_CASE(defaults_are_the_documented_ones_and_survive_json) {
  auto c = read_config("{}");
  BOOST_TEST(c.db == "herd.db");
  BOOST_TEST(c.synchronous == "full");
  BOOST_TEST(c.max_batch == 1024);
  BOOST_TEST(c.max_replays == 3);
  BOOST_TEST(c.depth_alert == 1000);
  BOOST_TEST(to_ms(c.poll_interval) == 1000);
  BOOST_TEST(c.replay_rate == 10);
  BOOST_TEST(to_ms(c.escalation_timeout) == 24 * 3600 * 1000);
  BOOST_TEST(c.escalation_log.empty());
  auto custom = read_config(R"({"db": "/var/lib/svc/dlq.db", "synchronous": "normal",
                         "poll_interval_ms": 0, "replay_rate": 2.5, "max_replays": 5})");
  auto again = dead_letter_queue_config::from_json(json_reader{custom.to_json()});
  BOOST_TEST(again.to_json() == custom.to_json());
  BOOST_TEST(again.synchronous == "normal");
  BOOST_TEST(again.poll_interval.count() == 0);
}

BOOST_AUTO_TEST_CASE(bad_values_are_rejected_with_their_path) {
  expect_error_at(read_config, R"({"max_replays": "five"})", "/max_replays");
  expect_error_at(read_config, R"({"synchronous": "sometimes"})", "/synchronous");
  expect_error_at(read_config, R"({"replay_rate": 0})", "/replay_rate");
  expect_error_at(read_config, R"({"escalation_timeout_ms": 0})", "/escalation_timeout_ms");
  expect_error_at(read_config, R"({"db": ""})", "/db");
  expect_error_at(read_config, R"({"max_batch": 0})", "/max_batch");
}

BOOST_AUTO_TEST_CASE(filters_read_back_and_reject_unknown_names) {
  dead_letter_filter f;
  f.ids = {"a", "b"};
  f.reason = "non_retryable";
  f.text = "declined";
  f.until_ms = 5000;
  BOOST_TEST((dead_letter_filter::from_json(json_reader{f.to_json()}) == f));
  f.until_ms = -1; // before the epoch: selects nothing, and is stored as such
  BOOST_TEST((dead_letter_filter::from_json(json_reader{f.to_json()}) == f));
  auto filter = [](const std::string& text) {
    auto j = nlohmann::json::parse(text);
    return dead_letter_filter::from_json(json_reader{j});
  };
  expect_error_at(filter, R"({"reason": "bored"})", "/reason");
  expect_error_at(filter, R"({"status": "lost"})", "/status");
  expect_error_at(filter, R"({"ids": [1]})", "/ids/0");
}

BOOST_AUTO_TEST_SUITE_END()
