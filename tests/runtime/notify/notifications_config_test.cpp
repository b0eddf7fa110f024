// The "notifications" section: defaults (nothing sent), the JSON paths of bad fields, header
// values and URLs from the environment (never in the JSON form nor in errors), and the bodies a
// webhook receives in each format.
#include <map>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/notify/notification.hpp"
#include "herd/notify/notifications_config.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace {

const std::string secret = "Bearer s3cr3t-token-value";

/// An environment with HOOK_TOKEN and HOOK_URL set.
std::optional<std::string> fake_env(const std::string& name) {
  static const std::map<std::string, std::string> values{
      {"HOOK_TOKEN", secret}, {"HOOK_URL", "https://hooks.example.com/services/T0/B0/xyz"}};
  auto i = values.find(name);
  if (i == values.end())
    return std::nullopt;
  return i->second;
}

herd::notifications_config read(const nlohmann::json& section) {
  return herd::notifications_config::from_json(herd::json_reader{section, "/notifications"},
                                               fake_env);
}

/// The path and reason of the config_error that reading `section` throws ("" if none).
std::pair<std::string, std::string> error_of(const nlohmann::json& section) {
  try {
    read(section);
  } catch (const herd::config_error& e) {
    return {e.path(), e.reason()};
  }
  return {"", ""};
}

} // namespace

BOOST_AUTO_TEST_SUITE(notify_config)

BOOST_AUTO_TEST_CASE(none_configured_sends_nothing) {
  herd::runtime_config c;
  BOOST_TEST(!c.notifications.enabled());
  BOOST_TEST(c.notifications.agents == 2);
  auto read_back = herd::runtime_config::from_json(c.to_json());
  BOOST_TEST(!read_back.notifications.enabled());
}

BOOST_AUTO_TEST_CASE(a_webhook_takes_the_defaults_it_does_not_set) {
  auto c = read({{"webhooks", {{{"url", "http://127.0.0.1:9000/hook"}}}}});
  BOOST_REQUIRE(c.webhooks.size() == 1u);
  auto& hook = c.webhooks[0];
  BOOST_TEST(hook.name == "0");
  BOOST_TEST(hook.service_name() == "webhook:0");
  BOOST_TEST(hook.events.size() == herd::all_notification_kinds().size());
  BOOST_TEST((hook.format == herd::webhook_format::json));
  BOOST_TEST(herd::to_ms(hook.breaker_open_after) == 60000);
  BOOST_TEST(hook.dead_letter_depth_threshold == 100);
  BOOST_TEST(hook.queue_capacity == 100);
  BOOST_TEST(herd::to_ms(hook.timeout) == 5000);
  BOOST_TEST(hook.endpoint().base_url == "http://127.0.0.1:9000/hook");
}

BOOST_AUTO_TEST_CASE(bad_fields_are_named_by_their_json_path) {
  auto hook = [](nlohmann::json x) { return nlohmann::json{{"webhooks", {std::move(x)}}}; };
  BOOST_TEST(error_of(hook({{"url", "ftp://example.com/x"}})).first ==
             "/notifications/webhooks/0/url");
  BOOST_TEST(error_of(hook({{"events", {"escalation"}}})).first == "/notifications/webhooks/0/url");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"events", {"escalation", "typo"}}})).first ==
             "/notifications/webhooks/0/events/1");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"events", nlohmann::json::array()}})).first ==
             "/notifications/webhooks/0/events");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"format", "teams"}})).first ==
             "/notifications/webhooks/0/format");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"queue_capacity", 0}})).first ==
             "/notifications/webhooks/0/queue_capacity");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"timeout_ms", 0}})).first ==
             "/notifications/webhooks/0/timeout_ms");
  BOOST_TEST(error_of(hook({{"url", "http://h/x"}, {"colour", "red"}})).first ==
             "/notifications/webhooks/0/colour");
  BOOST_TEST(
      error_of({{"webhooks", {{{"url", "http://h/a"}}, {{"url", "http://h/b"}, {"name", "0"}}}}})
          .first == "/notifications/webhooks/1/name");
  BOOST_TEST(error_of({{"webhook", nlohmann::json::array()}}).first == "/notifications/webhook");
}

BOOST_AUTO_TEST_CASE(secrets_come_from_the_environment_and_are_never_shown) {
  auto c = read({{"webhooks",
                  {{{"name", "ops"},
                    {"url_env", "HOOK_URL"},
                    {"format", "slack"},
                    {"headers_env", {{"Authorization", "HOOK_TOKEN"}}}}}}});
  auto& hook = c.webhooks.at(0);
  BOOST_TEST(hook.url == "https://hooks.example.com/services/T0/B0/xyz");
  BOOST_REQUIRE(hook.headers.size() == 1u);
  BOOST_TEST(hook.headers[0].second == secret);
  auto shown = c.to_json().dump();
  BOOST_TEST(shown.find("s3cr3t") == std::string::npos);
  BOOST_TEST(shown.find("xyz") == std::string::npos);
  BOOST_TEST(shown.find("HOOK_TOKEN") != std::string::npos);
  BOOST_TEST(shown.find("HOOK_URL") != std::string::npos);
  // An unset variable is named, at the header's path.
  auto [path, reason] = error_of(
      {{"webhooks", {{{"url", "http://h/x"}, {"headers_env", {{"X-Key", "NOT_SET_ANYWHERE"}}}}}}});
  BOOST_TEST(path == "/notifications/webhooks/0/headers_env/X-Key");
  BOOST_TEST(reason.find("NOT_SET_ANYWHERE") != std::string::npos);
  // Both url and url_env, or neither, is an error.
  BOOST_TEST(error_of({{"webhooks", {{{"url", "http://h/x"}, {"url_env", "HOOK_URL"}}}}}).first ==
             "/notifications/webhooks/0/url");
}

BOOST_AUTO_TEST_CASE(bodies_in_json_and_slack_form) {
  herd::notification n;
  n.kind = herd::notification_kind::dead_letter_depth;
  n.subject = "dead_letters";
  n.text = "the dead-letter queue holds 120 letters (alert threshold 100)";
  n.details = {{"depth", 120}, {"threshold", 100}};
  n.at_ms = 1764547200000; // 2025-12-01T00:00:00Z
  auto json = n.body(herd::webhook_format::json);
  BOOST_TEST(json["event"] == "dead_letter_depth");
  BOOST_TEST(json["subject"] == "dead_letters");
  BOOST_TEST(json["text"] == n.text);
  BOOST_TEST(json["at"] == "2025-12-01T00:00:00.000Z");
  BOOST_TEST(json["details"]["depth"] == 120);
  auto slack = n.body(herd::webhook_format::slack);
  BOOST_TEST(slack.size() == 1u);
  BOOST_TEST(slack["text"] == "[herd] dead_letter_depth dead_letters: the dead-letter queue holds "
                              "120 letters (alert threshold 100) (2025-12-01T00:00:00.000Z)");
}

BOOST_AUTO_TEST_SUITE_END()
