// What `GET /stats` counts, and that it stays bounded however long the mock runs.
#include <boost/test/unit_test.hpp>

#include <string>

#include "herd/mock_llm/mock_llm_stats.hpp"

using herd::mock_llm_stats;

BOOST_AUTO_TEST_SUITE(mock_llm_stats_suite)

BOOST_AUTO_TEST_CASE(calls_are_counted_in_total_and_per_second) {
  mock_llm_stats stats;
  stats.record(0, 200, "none", "", "127.0.0.1:1000");
  stats.record(0, 429, "status", "capacity", "127.0.0.1:1000");
  stats.record(1, 0, "hang", "x-mock-fault", "127.0.0.1:1001");
  auto json = stats.to_json();
  BOOST_TEST(json["requests"] == 3);
  BOOST_TEST(json["by_status"]["429"] == 1);
  BOOST_TEST(json["by_status"]["none"] == 1);
  BOOST_TEST(json["by_cause"]["capacity"] == 1);
  BOOST_TEST(json["connections"] == 2); // a kept-alive connection counts once
  BOOST_REQUIRE(json["per_second"].size() == 2u);
  BOOST_TEST(json["per_second"][0]["requests"] == 2);
}

BOOST_AUTO_TEST_CASE(a_long_run_keeps_the_last_seconds_and_forgets_idle_connections) {
  mock_llm_stats stats;
  const int64_t seconds = 3 * mock_llm_stats::per_second_window;
  for (int64_t second = 0; second < seconds; ++second)
    stats.record(second, 200, "none", "", "127.0.0.1:" + std::to_string(second));
  auto json = stats.to_json();
  BOOST_TEST(json["requests"] == seconds);
  BOOST_TEST(json["connections"] == seconds);
  auto& per_second = json["per_second"];
  BOOST_TEST(per_second.size() == static_cast<size_t>(mock_llm_stats::per_second_window));
  BOOST_TEST(per_second.back()["second"] == seconds - 1);
  // A port seen long ago is a new connection now; one still in use is not.
  stats.record(seconds, 200, "none", "", "127.0.0.1:0");
  stats.record(seconds, 200, "none", "", "127.0.0.1:" + std::to_string(seconds - 1));
  BOOST_TEST(stats.to_json()["connections"] == seconds + 1);
}

BOOST_AUTO_TEST_SUITE_END()
