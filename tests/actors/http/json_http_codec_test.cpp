// The generic JSON codec: the call's request names path, method, headers, body and timeout; a
// 2xx answer becomes {"status", "body"}; anything else is classified.
#include "herd/http/json_http_codec.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/http/http_test_support.hpp"
#include <nlohmann/json.hpp>

using namespace herd;

namespace {

json_http_codec make_codec() {
  http_endpoint endpoint;
  endpoint.base_url = "http://svc.local:8080/api/";
  endpoint.headers = {{"x-tenant", "acme"}, {"content-type", "application/x-default"}};
  endpoint.total_timeout = from_ms(5000);
  endpoint.max_response_bytes = 1000;
  return json_http_codec{endpoint};
}

http_request encode(const std::string& payload) {
  return test::encoded(make_codec(), payload);
}

std::string header(const http_request& r, const std::string& name) {
  std::string found;
  int count = 0;
  for (auto& [key, value] : r.headers)
    if (key == name) {
      found = value;
      ++count;
    }
  BOOST_TEST(count <= 1, name << " sent " << count << " times");
  return found;
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_http_codec_suite)

BOOST_AUTO_TEST_CASE(a_json_body_is_posted_as_json) {
  auto r = encode(R"({"path": "/score", "body": {"x": 1}})");
  BOOST_TEST(r.method == "POST");
  BOOST_TEST(r.url == "http://svc.local:8080/api/score");
  BOOST_TEST(r.body == R"({"x":1})");
  BOOST_TEST(header(r, "content-type") == "application/json");
  BOOST_TEST(header(r, "x-tenant") == "acme");
  BOOST_TEST(to_ms(r.total_timeout) == 5000);
  BOOST_TEST(r.max_response_bytes == 1000);
}

BOOST_AUTO_TEST_CASE(a_string_body_is_sent_as_text) {
  auto r = encode(R"({"path": "/echo", "body": "plain"})");
  BOOST_TEST(r.body == "plain");
  BOOST_TEST(header(r, "content-type") == "text/plain; charset=utf-8");
}

BOOST_AUTO_TEST_CASE(method_headers_and_timeout_override) {
  auto r = encode(R"({"path": "/items/7", "method": "GET", "timeout_ms": 250,
                      "headers": {"x-tenant": "other", "accept": "application/json"}})");
  BOOST_TEST(r.method == "GET");
  BOOST_TEST(r.body.empty());
  BOOST_TEST(header(r, "x-tenant") == "other");
  BOOST_TEST(header(r, "accept") == "application/json");
  BOOST_TEST(header(r, "content-type") == "application/x-default");
  BOOST_TEST(to_ms(r.total_timeout) == 250);
}

BOOST_AUTO_TEST_CASE(bad_requests_name_the_field) {
  for (auto [payload, path] : std::initializer_list<std::pair<const char*, const char*>>{
           {"{}", "/path"},
           {R"({"path": "score"})", "/path"},
           {R"({"path": "/a b"})", "/path"},
           {R"({"path": "/x", "timeout_ms": 0})", "/timeout_ms"},
           {R"({"path": "/x", "timeout_ms": -5})", "/timeout_ms"},
           {R"({"path": "/x", "headers": {"x-a": 5}})", "/headers/x-a"},
           {R"({"path": "/x", "headers": {"x-a": "v\r\nx-injected: 1"}})", "/headers/x-a"},
           {R"({"path": "/x", "bogus": 1})", "/bogus"},
           {"[1]", "expected"},
           {"nope", "invalid JSON"}}) {
    auto result = make_codec().encode(payload);
    BOOST_REQUIRE_MESSAGE(std::holds_alternative<failure>(result), payload);
    auto& f = std::get<failure>(result);
    BOOST_TEST(f.category == failure_category::permanent);
    BOOST_TEST(f.reason == "invalid_request");
    BOOST_TEST(f.message.find(path) != std::string::npos, f.message << " lacks " << path);
  }
}

BOOST_AUTO_TEST_CASE(decode_json_and_text) {
  http_response r;
  r.status = 201;
  r.body = R"({"id": 9})";
  auto out = make_codec().decode(r);
  BOOST_REQUIRE(out.ok());
  BOOST_TEST(out.result_json() == nlohmann::json::parse(R"({"status": 201, "body": {"id": 9}})"));
  r.status = 200;
  r.body = "not json";
  out = make_codec().decode(r);
  BOOST_TEST(out.result_json() == nlohmann::json::parse(R"({"status": 200, "body": "not json"})"));
}

BOOST_AUTO_TEST_CASE(decode_errors_are_classified) {
  http_response r;
  r.status = 503;
  r.body = R"({"error": "maintenance"})";
  r.headers = {{"retry-after", "30"}};
  auto out = make_codec().decode(r);
  BOOST_REQUIRE(!out.ok());
  BOOST_TEST(out.error.category == failure_category::unavailable);
  BOOST_TEST(out.error.status_code == 503);
  BOOST_TEST(to_ms(out.error.retry_after) == 30000);
  BOOST_TEST(out.error.message == "HTTP 503: maintenance");
  http_response refused;
  refused.error = http_error::connection_refused;
  out = make_codec().decode(refused);
  BOOST_TEST(out.error.reason == "connection_refused");
}

BOOST_AUTO_TEST_SUITE_END()
