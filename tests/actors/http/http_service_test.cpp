// http_service with the OpenAI codec against `herd mock-llm` in-process, over real sockets: every
// classification a caller relies on, keep-alive reuse and cancellation. Each call picks its fault
// with the mock's `x-mock-fault` request header.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <ctime>
#include <memory>
#include <string>
#include <thread>

#include <caf/actor_system.hpp>
#include <caf/actor_system_config.hpp>
#include <caf/default_attachable.hpp>
#include <caf/event_based_actor.hpp>
#include <caf/scoped_actor.hpp>

#include "actors/http/http_test_support.hpp"
#include "herd/http/http_service.hpp"
#include "herd/http/openai_codec.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/runtime/announce.hpp"
#include "spawn_function.hpp"

using namespace std::chrono_literals;

namespace {

const char* chat =
    R"({"messages": [{"role": "user", "content": "summarize the quarterly report"}]})";

herd::mock_llm_profile small_context_window() {
  herd::mock_llm_profile profile;
  profile.context_window_tokens = 50;
  return profile;
}

struct fixture {
  herd::mock_llm_server mock{small_context_window()};
  caf::actor_system_config cfg;
  std::unique_ptr<caf::actor_system> sys;
  std::shared_ptr<herd::http_client> client;
  std::shared_ptr<herd::metrics_registry> metrics = std::make_shared<herd::metrics_registry>();

  fixture() {
    mock.start();
    herd::announce_types(cfg);
    sys = std::make_unique<caf::actor_system>(cfg);
    herd::http_client_config config;
    config.total_timeout = 2s;
    config.max_response_bytes = 1 << 20;
    client = std::make_shared<herd::http_client>(config);
  }

  ~fixture() { client->stop(); }

  /// An HTTP service "llm" on the mock (or `base_url`) whose calls carry `fault`.
  herd::http_service_actor service(const std::string& fault, std::string base_url = "") {
    herd::http_endpoint endpoint;
    endpoint.base_url = base_url.empty() ? mock.url() : base_url;
    if (!fault.empty())
      endpoint.headers.emplace_back("x-mock-fault", fault);
    auto codec = std::make_shared<herd::openai_codec>(std::move(endpoint), "sk-test-secret-key",
                                                      "mock-small", 0);
    return sys->spawn<herd::http_service>("llm", client, codec, metrics);
  }

  /// The outcome of one call with `fault` (and `payload`).
  herd::outcome call(const std::string& fault, const std::string& payload = chat,
                     std::string base_url = "") {
    auto llm = service(fault, std::move(base_url));
    caf::scoped_actor self{*sys};
    herd::outcome result;
    self->request(llm, std::chrono::seconds(20), herd::call_atom::value, payload)
        .receive([&](herd::outcome& x) { result = std::move(x); },
                 [&](caf::error& e) { BOOST_FAIL("no outcome: " + sys->render(e)); });
    caf::anon_send_exit(llm, caf::exit_reason::user_shutdown);
    return result;
  }

  /// `n` calls of `llm` from `self`, one after another; each must succeed.
  void call_in_turn(caf::scoped_actor& self, const herd::http_service_actor& llm, int n) {
    for (int i = 0; i < n; ++i)
      self->request(llm, std::chrono::seconds(10), herd::call_atom::value, std::string{chat})
          .receive([](herd::outcome& x) { BOOST_TEST(x.ok()); },
                   [&](caf::error& e) { BOOST_FAIL(sys->render(e)); });
  }

  static std::string category(const herd::outcome& x) { return herd::to_string(x.error.category); }
};

/// An IMF-fixdate `seconds` from now.
std::string http_date_in(int seconds) {
  auto when = std::time(nullptr) + seconds;
  std::tm utc{};
  gmtime_r(&when, &utc);
  char text[64];
  std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", &utc);
  return text;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(http_service_over_mock, fixture)

BOOST_AUTO_TEST_CASE(an_answer_completes_with_text_model_and_usage) {
  auto result = call("");
  BOOST_REQUIRE(result.ok());
  auto body = result.result_json();
  BOOST_TEST(body["text"].get<std::string>().find("mock answer") != std::string::npos);
  BOOST_TEST(body["model"] == "mock-small");
  BOOST_TEST(body["provider"] == "openai");
  BOOST_TEST(body["usage"]["input_tokens"].get<int>() > 0);
}

BOOST_AUTO_TEST_CASE(a_429_waits_as_long_as_each_header_form_says) {
  auto seconds = call("status=429; retry-after=2");
  BOOST_TEST(category(seconds) == "rate_limited");
  BOOST_TEST(seconds.error.status_code == 429);
  BOOST_TEST(seconds.error.service == "llm");
  BOOST_TEST(herd::to_ms(seconds.error.retry_after) == 2000);
  BOOST_TEST(herd::to_ms(call("status=429; retry-after-ms=1500").error.retry_after) == 1500);
  BOOST_TEST(herd::to_ms(call("status=429; retry-after=0.5").error.retry_after) == 500);
  auto dated = call("status=429; retry-after=" + http_date_in(5));
  BOOST_TEST(herd::to_ms(dated.error.retry_after) >= 3000);
  BOOST_TEST(herd::to_ms(dated.error.retry_after) <= 5000);
  auto past = call("status=429; retry-after=Wed, 21 Oct 2015 07:28:00 GMT");
  BOOST_TEST(category(past) == "rate_limited");
  BOOST_TEST(herd::to_ms(past.error.retry_after) == 0);
  auto reset = call("status=429; x-ratelimit-remaining-requests=0; "
                    "x-ratelimit-reset-requests=6m0s");
  BOOST_TEST(herd::to_ms(reset.error.retry_after) == 360000);
}

BOOST_AUTO_TEST_CASE(statuses_are_classified_as_the_official_sdks_do) {
  BOOST_TEST(category(call("status=408")) == "timeout");
  BOOST_TEST(category(call("status=409")) == "transient");
  BOOST_TEST(category(call("status=500")) == "transient");
  BOOST_TEST(category(call("status=502")) == "unavailable");
  BOOST_TEST(category(call("status=503")) == "unavailable");
  BOOST_TEST(category(call("status=504")) == "timeout");
  for (auto status : {"400", "404", "422"}) {
    auto result = call(std::string{"status="} + status);
    BOOST_TEST(category(result) == "permanent", status);
    BOOST_TEST(result.error.status_code == std::stoi(status));
  }
  for (auto status : {"401", "403"}) {
    auto result = call(std::string{"status="} + status);
    BOOST_TEST(category(result) == "permanent");
    BOOST_TEST(result.error.reason == "auth");
    BOOST_TEST(result.error.message.find("sk-test-secret-key") == std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(x_should_retry_overrides_the_status) {
  BOOST_TEST(category(call("status=500; x-should-retry=false")) == "permanent");
  BOOST_TEST(category(call("status=400; x-should-retry=true")) == "transient");
}

BOOST_AUTO_TEST_CASE(provider_refusals_get_categories_of_their_own) {
  std::string long_prompt;
  for (int i = 0; i < 80; ++i)
    long_prompt += "word ";
  auto too_long =
      call("", R"({"messages": [{"role": "user", "content": ")" + long_prompt + "\"}]}");
  BOOST_TEST(category(too_long) == "context_window");
  auto refused =
      call("", R"({"messages": [{"role": "user", "content": "say MOCK_CONTENT_POLICY"}]})");
  BOOST_TEST(category(refused) == "content_policy");
  auto bad_payload = call("", R"({"messages": "not a list"})");
  BOOST_TEST(category(bad_payload) == "permanent");
}

BOOST_AUTO_TEST_CASE(broken_answers_are_classified_never_crash) {
  auto hang = call("hang");
  BOOST_TEST(category(hang) == "timeout");
  BOOST_TEST(hang.error.service == "llm");
  auto reset = call("reset");
  BOOST_TEST(category(reset) == "transient");
  BOOST_TEST(reset.error.reason == "connection_reset");
  BOOST_TEST(call("malformed").error.reason == "invalid_response");
  BOOST_TEST(call("truncated").error.reason == "invalid_response");
  auto oversized = call("oversized=5000000");
  BOOST_TEST(category(oversized) == "permanent");
  BOOST_TEST(oversized.error.reason == "response_too_large");
  BOOST_TEST(call("trickle=20").ok()); // slow is not broken
}

BOOST_AUTO_TEST_CASE(unreachable_and_invalid_endpoints_are_classified) {
  auto refused = call("", chat, "http://127.0.0.1:1");
  BOOST_TEST(category(refused) == "unavailable");
  BOOST_TEST(refused.error.reason == "connection_refused");
  if (herd::test::resolver_fails_fast()) {
    auto dns = call("", chat, "http://no-such-host.invalid");
    BOOST_TEST(category(dns) == "unavailable");
    BOOST_TEST(dns.error.reason == "dns");
  } else {
    BOOST_TEST_MESSAGE("dns case skipped: this machine's resolver does not answer at once");
  }
  auto tls = call("", chat, "https://127.0.0.1:" + std::to_string(mock.port()));
  BOOST_TEST(category(tls) == "permanent");
  BOOST_TEST(tls.error.reason == "tls");
}

BOOST_AUTO_TEST_CASE(every_exchange_is_counted_by_status_or_transport_error) {
  call("");
  call("");
  call("status=429; retry-after=1");
  call("", chat, "http://127.0.0.1:1");
  auto count = [&](const char* result) {
    return metrics->total("herd_http_requests_total", {{"service", "llm"}, {"result", result}});
  };
  BOOST_TEST(count("200") == 2);
  BOOST_TEST(count("429") == 1);
  BOOST_TEST(count("connection_refused") == 1);
  BOOST_TEST(
      metrics->prometheus().find("herd_http_request_duration_seconds_count{service=\"llm\"} 4") !=
      std::string::npos);
}

BOOST_AUTO_TEST_CASE(calls_reuse_one_kept_alive_connection) {
  auto llm = service("");
  caf::scoped_actor self{*sys};
  call_in_turn(self, llm, 5);
  BOOST_TEST(client->stats().connections_opened == 1u);
  caf::anon_send_exit(llm, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_caller_making_many_calls_is_watched_once) {
  // The service watches each caller (to cancel its calls when it dies). A long-lived agent makes
  // calls one after another for hours: one watch each would pile up on it without bound.
  auto llm = service("");
  caf::scoped_actor self{*sys};
  call_in_turn(self, llm, 20);
  // Removing the service's monitors from the caller counts them.
  caf::default_attachable::observe_token monitors{llm.address(), caf::default_attachable::monitor};
  BOOST_TEST(self->detach(monitors) == 1u);
  caf::anon_send_exit(llm, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_call_whose_caller_terminates_is_cancelled) {
  auto llm = service("hang");
  auto caller = herd::test::spawn_function(*sys, [llm](caf::event_based_actor* self) {
    self->request(llm, caf::infinite, herd::call_atom::value, std::string{chat})
        .then([](herd::outcome&) {});
  });
  // The hanging exchange is open; the caller gives up (terminates) long before the 2 s timeout.
  herd::test::wait_until([&] { return client->stats().in_flight > 0; }, 1500ms);
  BOOST_REQUIRE(client->stats().in_flight == 1u);
  caf::anon_send_exit(caller, caf::exit_reason::user_shutdown);
  // The I/O thread counts the cancellation before the exchange's end: wait for both.
  herd::test::wait_until(
      [&] { return client->stats().cancelled > 0 && client->stats().in_flight == 0; }, 1500ms);
  BOOST_TEST(client->stats().cancelled == 1u);
  BOOST_TEST(client->stats().in_flight == 0u);
  caf::anon_send_exit(llm, caf::exit_reason::user_shutdown);
}

BOOST_AUTO_TEST_CASE(a_stopping_service_answers_the_calls_it_holds) {
  auto llm = service("hang");
  caf::scoped_actor self{*sys};
  herd::outcome held;
  auto pending =
      self->request(llm, std::chrono::seconds(10), herd::call_atom::value, std::string{chat});
  caf::anon_send_exit(llm, caf::exit_reason::user_shutdown);
  pending.receive([&](herd::outcome& x) { held = std::move(x); },
                  [&](caf::error& e) { BOOST_FAIL("no answer: " + sys->render(e)); });
  BOOST_TEST(category(held) == "unavailable");
  BOOST_TEST(held.error.reason == "shutting_down");
}

BOOST_AUTO_TEST_SUITE_END()
