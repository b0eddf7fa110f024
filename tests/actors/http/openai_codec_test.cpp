// The OpenAI codec: payloads become chat-completion requests, provider answers and error bodies
// become results or classified failures, and the API key never shows in a failure.
#include "herd/http/openai_codec.hpp"

#include <boost/test/unit_test.hpp>

#include "actors/http/http_test_support.hpp"
#include <nlohmann/json.hpp>

using namespace herd;

namespace {

const std::string fake_key = "sk-test-FAKEKEY-4242424242";

openai_codec make_codec(std::string base_url = "https://api.openai.com", int64_t max_tokens = 0) {
  http_endpoint endpoint;
  endpoint.base_url = std::move(base_url);
  endpoint.total_timeout = from_ms(30000);
  return openai_codec{endpoint, fake_key, "gpt-4o-mini", max_tokens};
}

http_request encode(const openai_codec& codec, const std::string& payload) {
  return test::encoded(codec, payload);
}

const char* completion = R"({
  "id": "chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT",
  "object": "chat.completion",
  "created": 1741569952,
  "model": "gpt-4o-mini-2024-07-18",
  "choices": [{"index": 0,
               "message": {"role": "assistant", "content": "Hello! How can I help?",
                           "refusal": null, "annotations": []},
               "logprobs": null, "finish_reason": "stop"}],
  "usage": {"prompt_tokens": 19, "completion_tokens": 10, "total_tokens": 29},
  "service_tier": "default"
})";

} // namespace

BOOST_AUTO_TEST_SUITE(openai_codec_suite)

BOOST_AUTO_TEST_CASE(encode_defaults_the_model_and_sets_headers) {
  auto codec = make_codec();
  auto r = encode(codec, R"({"messages": [{"role": "user", "content": "hi"}]})");
  BOOST_TEST(r.method == "POST");
  BOOST_TEST(r.url == "https://api.openai.com/v1/chat/completions");
  BOOST_TEST(test::header_of(r, "authorization") == "Bearer " + fake_key);
  BOOST_TEST(test::header_of(r, "content-type") == "application/json");
  BOOST_TEST(to_ms(r.total_timeout) == 30000);
  auto body = nlohmann::json::parse(r.body);
  BOOST_TEST(body["model"] == "gpt-4o-mini");
  BOOST_TEST(body["messages"][0]["content"] == "hi");
  BOOST_TEST(!body.contains("max_tokens"));
}

BOOST_AUTO_TEST_CASE(encode_keeps_the_payloads_model_and_limits) {
  auto codec = make_codec("https://api.openai.com", 500);
  auto body = nlohmann::json::parse(
      encode(codec, R"({"model": "gpt-4o", "max_tokens": 64, "temperature": 0.2,
                        "messages": [{"role": "user", "content": "hi"}]})")
          .body);
  BOOST_TEST(body["model"] == "gpt-4o");
  BOOST_TEST(body["max_tokens"] == 64);
  BOOST_TEST(body["temperature"] == 0.2);
  body = nlohmann::json::parse(encode(codec, R"("hi")").body);
  BOOST_TEST(body["max_tokens"] == 500);
}

BOOST_AUTO_TEST_CASE(encode_puts_system_first) {
  auto body = nlohmann::json::parse(
      encode(make_codec(),
             R"({"system": "be brief", "messages": [{"role": "user", "content": "hi"}]})")
          .body);
  BOOST_TEST(body["messages"].size() == 2u);
  BOOST_TEST(body["messages"][0]["role"] == "system");
  BOOST_TEST(body["messages"][0]["content"] == "be brief");
}

BOOST_AUTO_TEST_CASE(a_bare_string_is_one_user_message) {
  auto body = nlohmann::json::parse(encode(make_codec(), R"("Say hello")").body);
  BOOST_TEST(body["messages"] ==
             nlohmann::json::parse(R"([{"role": "user", "content": "Say hello"}])"));
}

BOOST_AUTO_TEST_CASE(base_url_with_or_without_v1) {
  BOOST_TEST(encode(make_codec("http://127.0.0.1:8080/v1"), R"("x")").url ==
             "http://127.0.0.1:8080/v1/chat/completions");
  BOOST_TEST(encode(make_codec("http://127.0.0.1:8080/v1/"), R"("x")").url ==
             "http://127.0.0.1:8080/v1/chat/completions");
  BOOST_TEST(encode(make_codec("http://proxy/openai/"), R"("x")").url ==
             "http://proxy/openai/v1/chat/completions");
}

BOOST_AUTO_TEST_CASE(bad_payloads_are_permanent_with_a_path) {
  auto codec = make_codec();
  for (auto [payload, path] : std::initializer_list<std::pair<const char*, const char*>>{
           {"{not json", "invalid JSON"},
           {R"({})", "/messages"},
           {R"({"messages": []})", "/messages"},
           {R"({"messages": [{"content": "x"}]})", "/messages/0/role"},
           {R"({"messages": [{"role": "user"}]})", "/messages/0/content"},
           {R"({"messages": [{"role": "user", "content": "x"}], "max_token": 5})", "/max_token"},
           {R"({"messages": [{"role": "user", "content": "x"}], "temperature": 7})",
            "/temperature"}}) {
    auto result = codec.encode(payload);
    BOOST_REQUIRE(std::holds_alternative<failure>(result));
    auto& f = std::get<failure>(result);
    BOOST_TEST(f.category == failure_category::permanent);
    BOOST_TEST(f.reason == "invalid_request");
    BOOST_TEST(f.message.find(path) != std::string::npos, f.message << " lacks " << path);
  }
}

BOOST_AUTO_TEST_CASE(decode_a_completion) {
  auto out = make_codec().decode(test::response_with(200, completion));
  BOOST_REQUIRE(out.ok());
  auto result = out.result_json();
  BOOST_TEST(result["text"] == "Hello! How can I help?");
  BOOST_TEST(result["model"] == "gpt-4o-mini-2024-07-18");
  BOOST_TEST(result["finish_reason"] == "stop");
  BOOST_TEST(result["usage"]["input_tokens"] == 19);
  BOOST_TEST(result["usage"]["output_tokens"] == 10);
  BOOST_TEST(result["provider"] == "openai");
}

BOOST_AUTO_TEST_CASE(malformed_truncated_or_empty_answers_are_transient) {
  std::string truncated{completion};
  truncated.resize(truncated.size() / 2);
  for (auto body :
       {std::string{}, std::string{"<html>gateway</html>"}, truncated,
        std::string{R"({"id": "x"})"}, std::string{R"({"choices": []})"},
        std::string{R"({"choices": [{"message": {"content": 5}}]})"},
        std::string{R"({"choices": [{}]})"}, std::string{"[]"},
        std::string{
            R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": "many"}})"},
        // Found by the fuzzer: a count beyond int64 used to be converted with undefined behaviour.
        std::string{R"({"choices": [{"message": {"content": "x"}}],
                       "usage": {"completion_tokens": 1066666666666666666666666666666666}})"},
        std::string{
            R"({"choices": [{"message": {"content": "x"}}], "usage": {"prompt_tokens": -3}})"}}) {
    auto out = make_codec().decode(test::response_with(200, body));
    BOOST_REQUIRE_MESSAGE(!out.ok(), body);
    BOOST_TEST(out.error.category == failure_category::transient);
    BOOST_TEST(out.error.reason == "invalid_response", body);
    BOOST_TEST(out.error.status_code == 200);
  }
}

BOOST_AUTO_TEST_CASE(context_length_exceeded) {
  auto out = make_codec().decode(test::response_with(400, R"({"error": {
    "message": "This model's maximum context length is 128000 tokens. However, your messages resulted in 130000 tokens.",
    "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}})"));
  BOOST_TEST(out.error.category == failure_category::context_window);
  BOOST_TEST(out.error.reason == "context_length_exceeded");
  BOOST_TEST(out.error.status_code == 400);
  BOOST_TEST(out.error.message.find("maximum context length") != std::string::npos);
  // Some compatible servers give only the message.
  out = make_codec().decode(
      test::response_with(400, R"({"error": {"message": "maximum context length exceeded"}})"));
  BOOST_TEST(out.error.category == failure_category::context_window);
}

BOOST_AUTO_TEST_CASE(content_policy) {
  auto out = make_codec().decode(test::response_with(
      400, R"({"error": {"message": "Your request was rejected as a result of our safety system.",
    "type": "invalid_request_error", "param": null, "code": "content_policy_violation"}})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  BOOST_TEST(out.error.reason == "content_policy_violation");
  out = make_codec().decode(
      test::response_with(400, R"({"error": {"message": "filtered", "code": "content_filter"}})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  out = make_codec().decode(test::response_with(200, R"({"model": "m", "choices": [{"index": 0,
    "message": {"role": "assistant", "content": null}, "finish_reason": "content_filter"}]})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  BOOST_TEST(out.error.reason == "content_filter");
  out = make_codec().decode(test::response_with(200, R"({"model": "m", "choices": [{"index": 0,
    "message": {"role": "assistant", "content": null, "refusal": "I can't help with that."},
    "finish_reason": "stop"}]})"));
  BOOST_TEST(out.error.category == failure_category::content_policy);
  BOOST_TEST(out.error.reason == "refusal");
}

BOOST_AUTO_TEST_CASE(rate_limit_and_quota) {
  http_response r = test::response_with(
      429,
      R"({"error": {"message": "Rate limit reached for gpt-4o-mini on tokens per min TPM", "type": "tokens", "code": "rate_limit_exceeded"
}
})");
  r.headers = {{"x-ratelimit-remaining-tokens", "0"}, {"x-ratelimit-reset-tokens", "1.2s"}};
  auto out = make_codec().decode(r);
  BOOST_TEST(out.error.category == failure_category::rate_limited);
  BOOST_TEST(to_ms(out.error.retry_after) == 1200);
  out = make_codec().decode(test::response_with(
      429,
      R"({"error": {"message": "You exceeded your current quota, please check your plan and billing details.", "type": "insufficient_quota", "param": null, "code": "insufficient_quota"}})"));
  BOOST_TEST(out.error.category == failure_category::permanent);
  BOOST_TEST(out.error.reason == "insufficient_quota");
}

BOOST_AUTO_TEST_CASE(the_key_never_appears_in_a_failure) {
  auto codec = make_codec();
  auto out = codec.decode(test::response_with(
      401,
      R"({"error": {"message": "Incorrect API key provided: )" + fake_key +
          R"(. You can find your API key at https://platform.openai.com/account/api-keys.", "type": "invalid_request_error", "param": null, "code": "invalid_api_key"}})"));
  BOOST_TEST(out.error.category == failure_category::permanent);
  BOOST_TEST(out.error.reason == "auth");
  BOOST_TEST(to_string(out.error).find(fake_key) == std::string::npos, to_string(out.error));
  BOOST_TEST(out.error.message.find("***") != std::string::npos);
  out = codec.decode(test::response_with(200, "{\"echo\": \"" + fake_key + "\""));
  BOOST_TEST(to_string(out.error).find(fake_key) == std::string::npos, to_string(out.error));
  out = codec.decode(test::response_with(500, fake_key));
  BOOST_TEST(to_string(out.error).find(fake_key) == std::string::npos, to_string(out.error));
}

BOOST_AUTO_TEST_CASE(no_part_of_the_key_survives_the_excerpt_cut) {
  // The key straddles the excerpt's 256-byte cut: not even its first bytes may show.
  auto out = make_codec().decode(test::response_with(500, std::string(250, 'a') + fake_key));
  BOOST_TEST(out.error.message.find(fake_key.substr(0, 6)) == std::string::npos, out.error.message);
}

BOOST_AUTO_TEST_SUITE_END()
