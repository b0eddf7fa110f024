// Notification webhooks over real HTTP on 127.0.0.1 (cpp-httplib server, small timeouts): a
// notification is delivered with its secret header, retried on 503 by the retry scheduler,
// dead-lettered (durably) once its attempts are spent; a hanging endpoint blocks nothing else;
// the secret never reaches the logs or the dead letters.
#include <boost/test/unit_test.hpp>

#include <atomic>
#include <condition_variable>
#include <cstdlib>
#include <map>
#include <mutex>
#include <sstream>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/http/http_test_support.hpp"
#include "actors/http/loopback_server.hpp"
#include "herd/herd.hpp"

using namespace std::chrono_literals;

namespace {

const std::string secret = "Bearer hook-s3cr3t-7f3a9";

/// A webhook receiver on an ephemeral loopback port: /ok answers 200, /flaky 503 twice then
/// 200, /down always 503, /hang holds every request until the test ends.
struct webhook_server : herd::test::loopback_server {
  std::mutex mtx;
  std::map<std::string, std::vector<httplib::Request>> received; // by path

  webhook_server() {
    server.new_task_queue = [] { return new httplib::ThreadPool(16); };
    auto record = [this](const httplib::Request& req) {
      std::lock_guard<std::mutex> guard{mtx};
      received[req.path].push_back(req);
      return received[req.path].size();
    };
    server.Post("/ok", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.set_content("ok", "text/plain");
    });
    server.Post("/flaky", [record](const httplib::Request& req, httplib::Response& res) {
      res.status = record(req) <= 2 ? 503 : 200;
    });
    server.Post("/down", [record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      res.status = 503;
    });
    server.Post("/hang", [this, record](const httplib::Request& req, httplib::Response& res) {
      record(req);
      hold(); // released at teardown
      res.status = 200;
    });
    start();
  }

  /// The handlers use this object's members: stop them first.
  ~webhook_server() { stop(); }

  size_t count(const std::string& path) {
    std::lock_guard<std::mutex> guard{mtx};
    return received[path].size();
  }

  httplib::Request request(const std::string& path, size_t i) {
    std::lock_guard<std::mutex> guard{mtx};
    return received[path].at(i);
  }
};

/// Every line herd's loggers write while it lives (the loggers that exist when it starts).
struct log_capture {
  std::ostringstream lines;
  std::shared_ptr<spdlog::sinks::ostream_sink_mt> sink =
      std::make_shared<spdlog::sinks::ostream_sink_mt>(lines);

  log_capture() {
    spdlog::apply_all([this](const std::shared_ptr<spdlog::logger>& l) {
      l->sinks().push_back(sink);
      l->set_level(spdlog::level::debug);
    });
  }
  ~log_capture() {
    spdlog::apply_all([this](const std::shared_ptr<spdlog::logger>& l) {
      auto& sinks = l->sinks();
      sinks.erase(std::remove(sinks.begin(), sinks.end(), sink), sinks.end());
      l->set_level(spdlog::level::err);
    });
  }
  std::string text() {
    sink->flush();
    return lines.str();
  }
};

struct fixture {
  webhook_server hooks;
  herd::test::temp_dir dir;

  fixture() { ::setenv("HERD_TEST_HOOK_TOKEN", secret.c_str(), 1); }

  /// A runtime config with a dead-letter queue, fast notification retries and `webhooks`.
  herd::runtime_config config(nlohmann::json webhooks) {
    return herd::runtime_config::from_json({
        {"log_level", "error"},
        {"dead_letters", {{"db", dir.file("dl.db")}}},
        {"policies",
         {{"notification",
           {{"preset", "notification"},
            {"max_attempts", 3},
            {"backoff", {{"kind", "exponential"}, {"base_ms", 20}, {"cap_ms", 50}}}}}}},
        {"notifications", {{"webhooks", std::move(webhooks)}}},
    });
  }

  static double ended(herd::runtime& rt, const std::string& event, const std::string& result) {
    return rt.metrics().total("herd_notifications_total", {{"event", event}, {"result", result}});
  }

  static void notify(herd::runtime& rt, const std::string& subject) {
    caf::anon_send(rt.notifier(), herd::notify_atom::value, std::string{"budget_exhausted"},
                   subject, "the " + subject + " budget reached its hard day limit");
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(notify_loopback, fixture)

BOOST_AUTO_TEST_CASE(an_escalation_is_delivered_with_its_secret_header_and_retried_on_503) {
  herd::runtime rt{config({{{"name", "ops"},
                            {"url", hooks.url("/ok")},
                            {"events", {"escalation"}},
                            {"headers_env", {{"Authorization", "HERD_TEST_HOOK_TOKEN"}}}},
                           {{"name", "chat"},
                            {"url", hooks.url("/flaky")},
                            {"events", {"escalation"}},
                            {"format", "slack"}}})};
  rt.add_rule("payer", [](const herd::task&) {
    return herd::outcome::fail(herd::failure::permanent("card declined"));
  });
  auto result = rt.run(herd::task::make("pay-1", "payment", {{"usd", 12}}, "payer"), 10s);
  BOOST_REQUIRE(result);
  BOOST_TEST((result->status == herd::outcome_status::escalated));
  BOOST_REQUIRE(
      herd::test::wait_until([&] { return ended(rt, "escalation", "sent") == 2; }, 10000ms));
  BOOST_TEST(hooks.count("/ok") == 1u);
  auto delivered = hooks.request("/ok", 0);
  auto body = nlohmann::json::parse(delivered.body);
  BOOST_TEST(body["event"] == "escalation");
  BOOST_TEST(body["subject"] == "pay-1");
  BOOST_TEST(body["details"]["kind"] == "payment");
  BOOST_TEST(body["text"].get<std::string>().find("card declined") != std::string::npos);
  BOOST_TEST(delivered.get_header_value("Authorization") == secret);
  BOOST_TEST(delivered.get_header_value("Content-Type") == "application/json");
  // The Slack-form webhook answered 503 twice: the retry scheduler tried again.
  BOOST_TEST(hooks.count("/flaky") == 3u);
  auto slack = nlohmann::json::parse(hooks.request("/flaky", 2).body);
  BOOST_TEST(slack.size() == 1u);
  BOOST_TEST(slack["text"].get<std::string>().rfind("[herd] escalation pay-1: ", 0) == 0);
  BOOST_TEST(ended(rt, "escalation", "dead_lettered") == 0);
  rt.shutdown(herd::from_ms(2000));
}

BOOST_AUTO_TEST_CASE(an_exhausted_notification_is_dead_lettered_without_its_secret) {
  auto db = dir.file("dl.db");
  {
    herd::runtime rt{config({{{"name", "pager"},
                              {"url", hooks.url("/down")},
                              {"headers_env", {{"Authorization", "HERD_TEST_HOOK_TOKEN"}}}}})};
    log_capture logs;
    notify(rt, "pool:llm");
    BOOST_REQUIRE(herd::test::wait_until(
        [&] { return ended(rt, "budget_exhausted", "dead_lettered") == 1; }, 10000ms));
    BOOST_TEST(hooks.count("/down") == 3u); // max_attempts
    BOOST_TEST(hooks.request("/down", 0).get_header_value("Authorization") == secret);
    BOOST_TEST(ended(rt, "budget_exhausted", "sent") == 0);
    rt.shutdown(herd::from_ms(2000));
    auto text = logs.text();
    BOOST_TEST(text.find("dead-lettered") != std::string::npos); // the capture works
    BOOST_TEST(text.find("hook-s3cr3t") == std::string::npos);
  }
  herd::dead_letter_store store{db, herd::dead_letter_store::open_mode::existing};
  std::vector<std::string> corrupt;
  herd::dead_letter_filter all;
  all.kind = "notification";
  auto letters = store.query(all, corrupt);
  BOOST_REQUIRE(letters.size() == 1u);
  auto& letter = letters[0];
  BOOST_TEST((letter.reason == herd::dead_letter_reason::exhausted));
  BOOST_TEST(letter.work.service == "webhook:pager");
  BOOST_TEST(nlohmann::json::parse(letter.work.payload)["subject"] == "pool:llm");
  auto stored = nlohmann::json(letter).dump();
  BOOST_TEST(stored.find("503") != std::string::npos);
  BOOST_TEST(stored.find("hook-s3cr3t") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(depth_alerts_survive_a_restart_of_the_dead_letter_queue) {
  herd::runtime rt{config({{{"name", "depth"},
                            {"url", hooks.url("/ok")},
                            {"events", {"dead_letter_depth"}},
                            {"dead_letter_depth_threshold", 1}}})};
  auto old = rt.dead_letter_queue();
  BOOST_REQUIRE(old);
  // rest_for_one: the queue and the actors after it restart; the root hears the notifier's
  // reply to its restart events too (once an error that stopped the whole runtime).
  caf::anon_send_exit(old, caf::exit_reason::kill);
  BOOST_REQUIRE(herd::test::wait_until(
      [&] { return rt.dead_letter_queue() && rt.dead_letter_queue() != old; }, 10000ms));
  rt.add_rule("broken", [](const herd::task&) {
    return herd::outcome::fail(herd::failure::permanent("schema mismatch"));
  });
  auto result = rt.run(herd::task::make("bad-1", "read_only", nullptr, "broken"), 10s);
  BOOST_REQUIRE_MESSAGE(result,
                        "run: " << (result ? std::string{} : caf::to_string(result.error())));
  BOOST_TEST((result->status == herd::outcome_status::dead_lettered));
  BOOST_REQUIRE(
      herd::test::wait_until([&] { return ended(rt, "dead_letter_depth", "sent") == 1; }, 10000ms));
  auto body = nlohmann::json::parse(hooks.request("/ok", 0).body);
  BOOST_TEST(body["details"]["depth"] == 1);
  rt.shutdown(herd::from_ms(2000));
}

BOOST_AUTO_TEST_CASE(a_hanging_endpoint_blocks_nothing_else) {
  herd::runtime rt{config({{{"name", "slow"},
                            {"url", hooks.url("/hang")},
                            {"timeout_ms", 300},
                            {"connect_timeout_ms", 300},
                            {"queue_capacity", 2}}})};
  rt.add_rule("echo", [](const herd::task& t) { return herd::outcome::success(t.id); });
  for (int i = 0; i < 5; ++i)
    notify(rt, "pool:p" + std::to_string(i));
  // Two wait for the hanging endpoint; the queue is full, so three are dead-lettered at once.
  BOOST_REQUIRE(herd::test::wait_until(
      [&] { return ended(rt, "budget_exhausted", "dead_lettered") == 3; }, 5000ms));
  BOOST_REQUIRE(herd::test::wait_until([&] { return hooks.count("/hang") >= 1u; }, 5000ms));
  // Meanwhile other work runs to its end.
  std::vector<std::future<caf::expected<herd::outcome>>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(
        rt.submit(herd::task::make("echo-" + std::to_string(i), "read_only", nullptr, "echo")));
  for (auto& f : futures) {
    BOOST_REQUIRE(f.wait_for(5s) == std::future_status::ready);
    auto result = f.get();
    BOOST_REQUIRE(result);
    BOOST_TEST(result->ok());
  }
  BOOST_TEST(ended(rt, "budget_exhausted", "sent") == 0); // still hanging
  // Each POST times out after 300 ms; after 3 attempts both are dead-lettered too.
  BOOST_REQUIRE(herd::test::wait_until(
      [&] { return ended(rt, "budget_exhausted", "dead_lettered") == 5; }, 15000ms));
  BOOST_TEST(rt.metrics().total("herd_notifications_pending") == 0);
  rt.shutdown(herd::from_ms(2000));
}

BOOST_AUTO_TEST_SUITE_END()
