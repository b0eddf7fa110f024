// Every HTTP status and transport error becomes the failure category the retry policy expects,
// with the status, a bounded excerpt of the error body and any requested wait.
#include "herd/http/http_classifier.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/http/http_test_support.hpp"

#include "herd/core/failure_category.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

const http_classifier::wall_time now{std::chrono::seconds{1700000000}};

http_response status(int32_t code, std::string body = "",
                     std::vector<std::pair<std::string, std::string>> headers = {}) {
  http_response r;
  r.status = code;
  r.body = std::move(body);
  r.headers = std::move(headers);
  return r;
}

failure classify(const http_response& r) {
  auto f = http_classifier::classify(r, now);
  BOOST_REQUIRE(f.has_value());
  return *f;
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_classifier_suite)

BOOST_AUTO_TEST_CASE(success_is_no_failure) {
  for (int32_t code : {200, 201, 204, 299})
    BOOST_TEST(!http_classifier::classify(status(code), now));
}

BOOST_AUTO_TEST_CASE(each_status_gets_its_category) {
  struct row {
    int32_t status;
    failure_category category;
    const char* reason;
  };
  for (auto [code, category, reason] :
       std::initializer_list<row>{{400, failure_category::permanent, ""},
                                  {401, failure_category::permanent, "auth"},
                                  {403, failure_category::permanent, "auth"},
                                  {404, failure_category::permanent, ""},
                                  {408, failure_category::timeout, ""},
                                  {409, failure_category::transient, ""},
                                  {422, failure_category::permanent, ""},
                                  {429, failure_category::rate_limited, ""},
                                  {500, failure_category::transient, ""},
                                  {501, failure_category::transient, ""},
                                  {502, failure_category::unavailable, ""},
                                  {503, failure_category::unavailable, ""},
                                  {504, failure_category::timeout, ""},
                                  {529, failure_category::unavailable, ""},
                                  {302, failure_category::unknown, "unexpected_status"}}) {
    auto f = classify(status(code, "oops"));
    BOOST_TEST(f.category == category, code << ": " << to_string(f));
    BOOST_TEST(f.reason == reason, code);
    BOOST_TEST(f.status_code == code);
    BOOST_TEST(f.message == "HTTP " + std::to_string(code) + ": oops");
  }
}

BOOST_AUTO_TEST_CASE(rate_limit_carries_the_wait) {
  auto f = classify(status(429, "", {{"retry-after", "7"}}));
  BOOST_TEST(to_ms(f.retry_after) == 7000);
  f = classify(status(429, "", {{"x-ratelimit-reset-tokens", "1.5s"}}));
  BOOST_TEST(to_ms(f.retry_after) == 1500);
  f = classify(status(429));
  BOOST_TEST(f.retry_after.count() == 0);
}

BOOST_AUTO_TEST_CASE(retry_after_on_503_is_kept) {
  auto f = classify(status(503, "", {{"retry-after", "Tue, 14 Nov 2023 22:14:20 GMT"}}));
  BOOST_TEST(f.category == failure_category::unavailable);
  BOOST_TEST(to_ms(f.retry_after) == 60000); // now is 22:13:20 UTC
}

BOOST_AUTO_TEST_CASE(reset_headers_do_not_count_outside_rate_limits) {
  auto f = classify(status(500, "", {{"x-ratelimit-reset-requests", "30s"}}));
  BOOST_TEST(f.retry_after.count() == 0);
}

BOOST_AUTO_TEST_CASE(x_should_retry_true_makes_a_4xx_transient) {
  auto f = classify(status(400, "", {{"x-should-retry", "True"}}));
  BOOST_TEST(f.category == failure_category::transient);
  BOOST_TEST(f.reason == "x_should_retry");
  BOOST_TEST(f.status_code == 400);
}

BOOST_AUTO_TEST_CASE(x_should_retry_false_makes_a_5xx_permanent) {
  auto f = classify(status(503, "", {{"x-should-retry", "false"}}));
  BOOST_TEST(f.category == failure_category::permanent);
  BOOST_TEST(f.reason == "x_should_retry");
  // Agreeing with the status changes nothing.
  BOOST_TEST(classify(status(500, "", {{"x-should-retry", "true"}})).reason == "");
  BOOST_TEST(classify(status(404, "", {{"x-should-retry", "false"}})).reason == "");
}

BOOST_AUTO_TEST_CASE(every_transport_error) {
  struct row {
    http_error error;
    failure_category category;
    const char* reason;
  };
  for (auto [error, category, reason] : std::initializer_list<row>{
           {http_error::invalid_url, failure_category::permanent, "invalid_url"},
           {http_error::dns, failure_category::unavailable, "dns"},
           {http_error::connection_refused, failure_category::unavailable, "connection_refused"},
           {http_error::connect_timeout, failure_category::timeout, "connect_timeout"},
           {http_error::timeout, failure_category::timeout, "timeout"},
           {http_error::connection_reset, failure_category::transient, "connection_reset"},
           {http_error::tls, failure_category::permanent, "tls"},
           {http_error::too_large, failure_category::permanent, "response_too_large"},
           {http_error::cancelled, failure_category::timeout, "cancelled"},
           {http_error::shutting_down, failure_category::unavailable, "shutting_down"},
           {http_error::other, failure_category::transient, "transport"}}) {
    http_response r;
    r.error = error;
    r.error_message = "detail\nline";
    auto f = classify(r);
    BOOST_TEST(f.category == category, to_string(error));
    BOOST_TEST(f.reason == reason, to_string(error));
    BOOST_TEST(f.status_code == 0);
    BOOST_TEST(f.message.find("detail\\nline") != std::string::npos, f.message);
  }
  BOOST_TEST(std::size(all_http_errors) == 12u); // a new error needs a row above
}

BOOST_AUTO_TEST_CASE(body_excerpt_is_bounded_and_escaped) {
  auto f = classify(status(500, std::string(10000, 'x')));
  BOOST_TEST(f.message.size() <=
             std::string{"HTTP 500: "}.size() + http_classifier::max_excerpt + 3);
  BOOST_TEST(f.message.substr(f.message.size() - 3) == "\xE2\x80\xA6");
  f = classify(status(500, std::string{"bad\x01\r\nthing"}));
  BOOST_TEST(f.message == "HTTP 500: bad\\x01\\r\\nthing");
}

BOOST_AUTO_TEST_CASE(excerpt_never_cuts_a_utf8_character) {
  std::string body(http_classifier::max_excerpt - 1, 'a');
  body += "\xC3\xA9tail"; // é straddles the cut
  auto text = http_classifier::escaped_excerpt(body);
  BOOST_TEST(text == std::string(http_classifier::max_excerpt - 1, 'a') + "\xE2\x80\xA6");
}

BOOST_AUTO_TEST_CASE(json_error_message_is_used) {
  auto f = classify(status(400, R"({"error": {"message": "bad model", "type": "invalid"}})"));
  BOOST_TEST(f.message == "HTTP 400: bad model");
  f = classify(status(400, R"({"error": "plain"})"));
  BOOST_TEST(f.message == "HTTP 400: plain");
  f = classify(status(400, R"({"message": "top"})"));
  BOOST_TEST(f.message == "HTTP 400: top");
  f = classify(status(400, R"({"error": {"code": 5}})"));
  BOOST_TEST(f.message == R"(HTTP 400: {"error": {"code": 5}})");
}

BOOST_AUTO_TEST_SUITE_END()
