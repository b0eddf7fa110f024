// A runtime that records its task history: the report agrees with the dispatcher's own counts;
// the "history" configuration.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/test_agents.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/herd.hpp"
#include "herd/history/history_store.hpp"
#include "herd/history/sla_report.hpp"
#include "herd/runtime/ops_endpoint.hpp"
#include "report_route.hpp"

#include <httplib.h>

using namespace herd;

namespace {

runtime_config history_config_at(const std::string& db) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "off";
  dead_letter_queue_config dead_letters;
  dead_letters.db = db;
  config.dead_letters = dead_letters;
  // Quick retries: one more attempt, no backoff.
  auto& quick = config.policies["quick"];
  quick = failure_policy::preset("read_only");
  quick.max_attempts = 2;
  quick.backoff = {backoff_kind::none, duration{0}, 1.0, duration{0}};
  return config;
}

} // namespace

BOOST_AUTO_TEST_SUITE(history_suite)

BOOST_AUTO_TEST_CASE(the_report_agrees_with_the_dispatchers_counts) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  auto config = history_config_at(db);
  dispatcher_stats stats;
  nlohmann::json served;
  {
    herd::runtime rt{config};
    rt.spawn_pool<test::failing_agent>("work", 3);
    std::vector<std::future<caf::expected<outcome>>> outcomes;
    auto submit = [&](std::string id, std::string kind, nlohmann::json payload) {
      outcomes.push_back(rt.submit(task::make(std::move(id), std::move(kind), payload, "work")));
    };
    for (int i = 0; i < 20; ++i)
      submit("ok-" + std::to_string(i), "quick", nullptr);
    for (int i = 0; i < 4; ++i)
      submit("flaky-" + std::to_string(i), "quick", {{"flaky", true}});
    for (int i = 0; i < 3; ++i)
      submit("bad-" + std::to_string(i), "quick", {{"fail", "permanent"}});
    for (int i = 0; i < 2; ++i)
      submit("pay-" + std::to_string(i), "payment", {{"fail", "permanent"}});
    for (auto& f : outcomes)
      BOOST_REQUIRE(f.get());
    // A submit answered from the record, and a refused one, settle nothing new.
    auto again = rt.run(task::make("ok-0", "quick", nullptr, "work"));
    BOOST_REQUIRE(again);
    BOOST_TEST(again->ok());
    BOOST_TEST(!rt.run(task::make("lost", "quick", nullptr, "no-such-pool")));
    stats = rt.stats();
    // GET /api/report while the runtime runs: the recorder commits first, so it is complete.
    ops_endpoint_config http;
    http.listen = "127.0.0.1:0";
    ops_endpoint endpoint{rt, http};
    httplib::Client client{"127.0.0.1", endpoint.start()};
    auto answer = client.Get("/api/report?since=1h");
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->status == 200);
    served = nlohmann::json::parse(answer->body);
    auto refused = client.Get("/api/report?since=last%20tuesday");
    BOOST_REQUIRE(refused);
    BOOST_TEST(refused->status == 400);
    BOOST_TEST(refused->body.find("since: expected an age") != std::string::npos, refused->body);
    endpoint.stop();
    rt.shutdown(from_ms(5000));
  }
  BOOST_TEST(stats.completed == 24u);
  BOOST_TEST(stats.dead_lettered == 3u);
  BOOST_TEST(stats.escalated == 2u);
  history_store store{db, history_store::open_mode::read_only};
  auto report = sla_report::of(store, 0, wall_now_ms());
  auto& all = report.overall();
  BOOST_TEST(all.completed == static_cast<int64_t>(stats.completed));
  BOOST_TEST(all.dead_lettered == static_cast<int64_t>(stats.dead_lettered));
  BOOST_TEST(all.escalated == static_cast<int64_t>(stats.escalated));
  BOOST_TEST(all.failed == static_cast<int64_t>(stats.failed));
  BOOST_TEST(all.tasks == static_cast<int64_t>(stats.accepted));
  BOOST_TEST(all.tasks == 29);                         // one row per accepted task
  BOOST_TEST(report.kinds().at("quick").retried == 4); // the flaky ones; permanent is not retried
  BOOST_TEST(report.kinds().at("quick").retried_completed == 4);
  BOOST_TEST(report.kinds().at("payment").escalated == 2);
  BOOST_TEST(served["overall"]["completed"].get<int64_t>() == 24);
  BOOST_TEST(served["overall"]["escalated"].get<int64_t>() == 2);
  auto rows = store.tasks_since(0);
  auto flaky =
      std::find_if(rows.begin(), rows.end(), [](auto& t) { return t.task_id == "flaky-0"; });
  BOOST_REQUIRE((flaky != rows.end()));
  BOOST_TEST(flaky->attempts == 2);
  BOOST_TEST(flaky->kind == "quick");
  BOOST_TEST(flaky->pool == "work");
  BOOST_TEST(flaky->agent.rfind("work-", 0) == 0u);
  // Wall-clock UTC: within the last minute.
  BOOST_TEST(std::abs(to_epoch_ms(flaky->settled) - wall_now_ms()) < 60'000);
}

BOOST_AUTO_TEST_CASE(history_off_records_nothing_and_the_route_says_why) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  auto config = history_config_at(db);
  config.history.reset();
  {
    herd::runtime rt{config};
    BOOST_TEST(!rt.history_recorder());
    auto answer = answer_report_request(rt, std::nullopt, wall_now_ms());
    BOOST_TEST(answer.status == 404);
    BOOST_TEST(answer.body["error"].get<std::string>().find("history is off") != std::string::npos);
    rt.shutdown(from_ms(1000));
  }
  BOOST_CHECK_THROW((history_store{db, history_store::open_mode::read_only}), store_error);
}

BOOST_AUTO_TEST_CASE(the_history_configuration_reads_with_json_paths) {
  auto on = runtime_config::from_json({{"dead_letters", {{"db", "dl.db"}}}});
  BOOST_TEST(on.history_db() == "dl.db");
  BOOST_TEST(runtime_config::from_json(nlohmann::json::object()).history_db().empty());
  auto off = runtime_config::from_json({{"dead_letters", {{"db", "dl.db"}}}, {"history", false}});
  BOOST_TEST(off.history_db().empty());
  auto own = runtime_config::from_json({{"history", {{"db", "h.db"}, {"retention", "7d"}}}});
  BOOST_TEST(own.history_db() == "h.db");
  BOOST_TEST(to_ms(own.history->retention) == 7 * 24 * 3600 * 1000);
  BOOST_TEST(own.to_json()["history"]["retention"] == "7d");
  BOOST_TEST(runtime_config::from_json(off.to_json()).history_db().empty());
  auto error_of = [](const nlohmann::json& document) {
    try {
      runtime_config::from_json(document);
    } catch (const config_error& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  auto bad_retention = error_of({{"history", {{"retention", "a month"}}}});
  BOOST_TEST(bad_retention.find("/history/retention") != std::string::npos, bad_retention);
  auto bad_type = error_of({{"history", "yes"}});
  BOOST_TEST(bad_type.find("/history") != std::string::npos, bad_type);
  auto unknown = error_of({{"history", {{"dbb", "x"}}}});
  BOOST_TEST(unknown.find("/history") != std::string::npos, unknown);
}

BOOST_AUTO_TEST_SUITE_END()
