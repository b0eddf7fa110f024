// The SLA report's figures, its JSON and Markdown, and the `since` it accepts.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/history/sla_report.hpp"
#include "history/history_test_support.hpp"

using namespace herd;
using test::settled;

BOOST_AUTO_TEST_SUITE(history_suite)

BOOST_AUTO_TEST_CASE(rates_percentiles_and_recovery_times_follow_their_definitions) {
  std::vector<settled_task> tasks;
  // 10 "summarize" tasks taking 100..1000 ms: 8 completed (2 of them after a retry), 1
  // escalated, 1 dead-lettered after 3 attempts; 1 handed back (in no rate).
  for (int i = 0; i < 10; ++i) {
    auto state = i < 8 ? outcome_status::completed
                       : (i == 8 ? outcome_status::escalated : outcome_status::dead_lettered);
    auto attempts = i < 2 ? 2 : (i == 9 ? 3 : 1);
    tasks.push_back(
        settled("s-" + std::to_string(i), "summarize", state, attempts, 10'000, 100 * (i + 1)));
  }
  tasks.push_back(settled("h", "summarize", outcome_status::handed_back, 1, 10'000, 99'999));
  tasks.push_back(settled("c", "charge", outcome_status::failed, 1, 10'000, 50));
  // Settled before `since`: left out.
  tasks.push_back(settled("old", "charge", outcome_status::completed, 1, 1'000, 10));
  std::vector<recovery_interval> recoveries{
      {recovery_subject::breaker, "llm", 9'000, 12'000},  // 3 s
      {recovery_subject::breaker, "llm", 13'000, 14'000}, // 1 s
      {recovery_subject::agent, "pool-2", 10'000, 10'500},
      {recovery_subject::agent, "pool-3", 1'000, 2'000}}; // before since
  sla_report report{tasks, recoveries, 5'000, 20'000};

  auto& s = report.kinds().at("summarize");
  BOOST_TEST(s.tasks == 11);
  BOOST_TEST(s.settled() == 10);
  BOOST_TEST(s.handed_back == 1);
  BOOST_TEST(s.retried == 3);
  BOOST_TEST(s.retried_completed == 2);
  BOOST_TEST(*s.percentile_ms(0.50) == 500);
  BOOST_TEST(*s.percentile_ms(0.95) == 1000);
  BOOST_TEST(*s.percentile_ms(0.99) == 1000);
  auto json = report.to_json();
  auto& sj = json["kinds"]["summarize"];
  BOOST_TEST(sj["success_rate"].get<double>() == 0.8);
  BOOST_TEST(sj["escalation_rate"].get<double>() == 0.1);
  BOOST_TEST(sj["dead_letter_rate"].get<double>() == 0.1);
  BOOST_TEST(sj["retried_share"].get<double>() == 0.3);
  BOOST_TEST(sj["success_after_retry"].get<double>() == 2.0 / 3.0);
  BOOST_TEST(sj["p50_ms"].get<int64_t>() == 500);
  // A kind without retries has no success-after-retry figure: null, not 0 or 1.
  BOOST_TEST(json["kinds"]["charge"]["success_after_retry"].is_null());
  BOOST_TEST(json["kinds"]["charge"]["tasks"].get<int64_t>() == 1);
  auto& all = json["overall"];
  BOOST_TEST(all["tasks"].get<int64_t>() == 12);
  BOOST_TEST(all["completed"].get<int64_t>() == 8);
  BOOST_TEST(all["failed"].get<int64_t>() == 1);
  BOOST_TEST(all["success_rate"].get<double>() == 8.0 / 11.0);
  BOOST_TEST(json["recovery"]["breakers"]["recoveries"].get<int64_t>() == 2);
  BOOST_TEST(json["recovery"]["breakers"]["mttr_ms"].get<double>() == 2000.0);
  BOOST_TEST(json["recovery"]["breakers"]["max_ms"].get<int64_t>() == 3000);
  BOOST_TEST(json["recovery"]["agents"]["recoveries"].get<int64_t>() == 1);
  BOOST_TEST(json["since"] == "1970-01-01T00:00:05.000Z");
  BOOST_TEST(json["generated_at"] == "1970-01-01T00:00:20.000Z");

  auto md = report.to_markdown();
  BOOST_TEST(md.find("| summarize | 11 | 10 | 80.0% | 0.500 s | 1.000 s | 1.000 s | 1 (10.0%) | "
                     "1 (10.0%) | 3 (30.0%) | 66.7% | 1 |") != std::string::npos,
             md);
  BOOST_TEST(md.find("| breakers (open -> closed) | 2 | 2.000 s | 3.000 s |") != std::string::npos,
             md);
}

BOOST_AUTO_TEST_CASE(an_empty_history_has_no_rates_rather_than_zeros) {
  sla_report report{{}, {}, 0, 1'000};
  auto json = report.to_json();
  BOOST_TEST(json["overall"]["tasks"].get<int64_t>() == 0);
  BOOST_TEST(json["overall"]["success_rate"].is_null());
  BOOST_TEST(json["overall"]["p99_ms"].is_null());
  BOOST_TEST(json["recovery"]["agents"]["mttr_ms"].is_null());
  BOOST_TEST(json["since"].is_null());
  BOOST_TEST(report.to_markdown().find("| **all** | 0 | 0 | - | - |") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(since_is_an_age_or_an_iso_time) {
  int64_t now = 1'800'000'000'000;
  BOOST_TEST(*sla_report::parse_since("24h", now) == now - 24 * 3600 * 1000);
  BOOST_TEST(*sla_report::parse_since("2026-11-30T18:00:00Z", now) == 1'796'061'600'000);
  BOOST_TEST(!sla_report::parse_since("yesterday", now));
  BOOST_TEST(!sla_report::parse_since("-1h", now));
  BOOST_TEST(*sla_report::parse_since("36500d", 5) == 0); // before the epoch: everything
}

BOOST_AUTO_TEST_SUITE_END()
