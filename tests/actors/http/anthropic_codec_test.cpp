// The Anthropic codec: system messages move to the top level, max_tokens is always sent,
// message answers and error bodies become results or classified failures, and the API key never
// shows in a failure.
#include "herd/http/anthropic_codec.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/http/http_test_support.hpp"
#include <nlohmann/json.hpp>

using namespace herd;

namespace {

const std::string fake_key = "sk-ant-FAKEKEY-7373737373";

anthropic_codec make_codec(std::string base_url = "https://api.anthropic.com") {
  http_endpoint endpoint;
  endpoint.base_url = std::move(base_url);
  return anthropic_codec{endpoint, fake_key, "claude-sonnet-4-5", 1024};
}

http_request encode(const std::string& payload) {
  return test::encoded(make_codec(), payload);
}

const char* message = R"({
  "id": "msg_013Zva2CMHLNnXjNJJKqJ2EF",
  "type": "message",
  "role": "assistant",
  "model": "claude-sonnet-4-5-20250929",
  "content": [{"type": "text", "text": "Hi! My name is Claude."},
              {"type": "tool_use", "id": "t", "name": "x", "input": {}},
              {"type": "text", "text": " Nice to meet you."}],
  "stop_reason": "end_turn",
  "stop_sequence": null,
  "usage": {"input_tokens": 2095, "output_tokens": 503}
})";

} // namespace

BOOST_AUTO_TEST_SUITE(anthropic_codec_suite)

BOOST_AUTO_TEST_CASE(encode_sets_url_headers_and_defaults) {
  auto r = encode(R"({"messages": [{"role": "user", "content": "hi"}]})");
  BOOST_TEST(r.url == "https://api.anthropic.com/v1/messages");
  BOOST_TEST(test::header_of(r, "x-api-key") == fake_key);
  BOOST_TEST(test::header_of(r, "anthropic-version") == "2023-06-01");
  BOOST_TEST(test::header_of(r, "content-type") == "application/json");
  BOOST_TEST(test::header_of(r, "authorization") == "");
  auto body = nlohmann::json::parse(r.body);
  BOOST_TEST(body["model"] == "claude-sonnet-4-5");
  BOOST_TEST(body["max_tokens"] == 1024);
  BOOST_TEST(!body.contains("system"));
}

BOOST_AUTO_TEST_CASE(system_messages_move_to_the_top_level) {
  auto body = nlohmann::json::parse(encode(R"({"system": "be brief", "max_tokens": 50,
                 "messages": [{"role": "system", "content": "answer in French"},
                              {"role": "user", "content": "hi"}]})")
                                        .body);
  BOOST_TEST(body["system"] == "be brief\n\nanswer in French");
  BOOST_TEST(body["messages"].size() == 1u);
  BOOST_TEST(body["messages"][0]["role"] == "user");
  BOOST_TEST(body["max_tokens"] == 50);
}

BOOST_AUTO_TEST_CASE(only_system_messages_is_a_bad_request) {
  auto result = make_codec().encode(R"({"messages": [{"role": "system", "content": "x"}]})");
  BOOST_REQUIRE(std::holds_alternative<failure>(result));
  BOOST_TEST(std::get<failure>(result).category == failure_category::permanent);
}

BOOST_AUTO_TEST_CASE(base_url_with_v1) {
  auto codec = make_codec("http://127.0.0.1:9000/v1");
  BOOST_TEST(std::get<http_request>(codec.encode(R"("x")")).url ==
             "http://127.0.0.1:9000/v1/messages");
}

BOOST_AUTO_TEST_CASE(decode_a_message) {
  auto out = make_codec().decode(test::response_with(200, message));
  BOOST_REQUIRE(out.ok());
  auto result = out.result_json();
  BOOST_TEST(result["text"] == "Hi! My name is Claude. Nice to meet you.");
  BOOST_TEST(result["model"] == "claude-sonnet-4-5-20250929");
  BOOST_TEST(result["finish_reason"] == "end_turn");
  BOOST_TEST(result["usage"]["input_tokens"] == 2095);
  BOOST_TEST(result["usage"]["output_tokens"] == 503);
  BOOST_TEST(result["provider"] == "anthropic");
}

BOOST_AUTO_TEST_CASE(malformed_answers_are_transient) {
  for (auto body : {"", "{\"type\": \"message\", \"content\": [", R"({"type": "message"})",
                    R"({"content": "text"})", "null",
                    R"({"content": [], "usage": {"input_tokens": 1e40, "output_tokens": 1}})",
                    R"({"content": [], "usage": {"input_tokens": 1, "output_tokens": 2.5}})"}) {
    auto out = make_codec().decode(test::response_with(200, body));
    BOOST_REQUIRE_MESSAGE(!out.ok(), body);
    BOOST_TEST(out.error.category == failure_category::transient);
    BOOST_TEST(out.error.reason == "invalid_response");
  }
}

BOOST_AUTO_TEST_CASE(overloaded_is_unavailable) {
  auto out = make_codec().decode(test::response_with(
      529, R"({"type": "error", "error": {"type": "overloaded_error", "message": "Overloaded"}})"));
  BOOST_TEST(out.error.category == failure_category::unavailable);
  BOOST_TEST(out.error.reason == "overloaded");
  BOOST_TEST(out.error.status_code == 529);
  BOOST_TEST(out.error.message == "HTTP 529: Overloaded");
}

BOOST_AUTO_TEST_CASE(prompt_too_long_is_context_window) {
  auto out = make_codec().decode(
      test::response_with(400, R"({"type": "error", "error": {"type": "invalid_request_error",
    "message": "prompt is too long: 215000 tokens > 200000 maximum"}})"));
  BOOST_TEST(out.error.category == failure_category::context_window);
  BOOST_TEST(out.error.reason == "prompt_too_long");
}

BOOST_AUTO_TEST_CASE(content_policy_and_refusal) {
  auto out = make_codec().decode(
      test::response_with(400, R"({"type": "error", "error": {"type": "invalid_request_error",
    "message": "Output blocked by content filtering policy"}})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  out = make_codec().decode(test::response_with(200, R"({"type": "message", "model": "m",
    "content": [], "stop_reason": "refusal", "usage": {"input_tokens": 5, "output_tokens": 0}})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  BOOST_TEST(out.error.reason == "refusal");
}

BOOST_AUTO_TEST_CASE(other_errors) {
  auto out = make_codec().decode(
      test::response_with(403, R"({"type": "error", "error": {"type": "permission_error",
    "message": "Your API key does not have permission to use the specified resource."}})"));
  BOOST_TEST(out.error.category == failure_category::permanent);
  BOOST_TEST(out.error.reason == "auth");
  out = make_codec().decode(test::response_with(
      500,
      R"({"type": "error", "error": {"type": "api_error", "message": "Internal server error"}})"));
  BOOST_TEST(out.error.category == failure_category::transient);
  http_response limited = test::response_with(
      429,
      R"({"type": "error", "error": {"type": "rate_limit_error", "message": "Number of request tokens has exceeded your per-minute rate limit"}})");
  limited.headers = {{"retry-after", "12"}};
  out = make_codec().decode(limited);
  BOOST_TEST(out.error.category == failure_category::rate_limited);
  BOOST_TEST(to_ms(out.error.retry_after) == 12000);
}

BOOST_AUTO_TEST_CASE(the_key_never_appears_in_a_failure) {
  auto out = make_codec().decode(
      test::response_with(401, R"({"type": "error", "error": {"type": "authentication_error",
    "message": "invalid x-api-key )" +
                                   fake_key + R"("}})"));
  BOOST_TEST(out.error.reason == "auth");
  BOOST_TEST(to_string(out.error).find(fake_key) == std::string::npos, to_string(out.error));
}

BOOST_AUTO_TEST_SUITE_END()
