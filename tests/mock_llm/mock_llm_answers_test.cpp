// The mock's answers in OpenAI's and Anthropic's shapes, and its refusals (key, bad JSON,
// context window, content policy), as pure functions of the request.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "herd/mock_llm/mock_llm_answers.hpp"

using herd::mock_llm_answers;
using herd::mock_llm_api;
using nlohmann::json;

namespace {

const std::string request =
    R"({"model": "m-1", "system": "be brief", "messages": [{"role": "user", "content": "first"},
       {"role": "assistant", "content": "ok"},
       {"role": "user", "content": [{"type": "text", "text": "one two three four five six seven eight nine"}]}]})";

} // namespace

BOOST_AUTO_TEST_SUITE(mock_llm_answers_suite)

BOOST_AUTO_TEST_CASE(openai_answers_have_the_chat_completion_shape) {
  mock_llm_answers answers{{}};
  auto r = answers.answer(mock_llm_api::openai, request, "", 1700000000);
  BOOST_TEST(r.status == 200);
  auto j = json::parse(r.body);
  BOOST_TEST(j["object"] == "chat.completion");
  BOOST_TEST(j["model"] == "m-1");
  BOOST_TEST(j["created"] == 1700000000);
  BOOST_TEST(j["choices"][0]["message"]["role"] == "assistant");
  BOOST_TEST(j["choices"][0]["message"]["content"] ==
             "mock answer: one two three four five six seven eight");
  BOOST_TEST(j["choices"][0]["finish_reason"] == "stop");
  BOOST_TEST(j["usage"]["prompt_tokens"] == 2 + 1 + 1 + 9);
  BOOST_TEST(j["usage"]["completion_tokens"] == 10);
  BOOST_TEST(j["usage"]["total_tokens"] == 23);
  BOOST_TEST(answers.answer(mock_llm_api::openai, request, "", 1700000000).body == r.body);
}

BOOST_AUTO_TEST_CASE(anthropic_answers_have_the_message_shape) {
  mock_llm_answers answers{{}};
  auto j = json::parse(answers.answer(mock_llm_api::anthropic, request, "", 0).body);
  BOOST_TEST(j["type"] == "message");
  BOOST_TEST(j["role"] == "assistant");
  BOOST_TEST(j["model"] == "m-1");
  BOOST_TEST(j["content"][0]["type"] == "text");
  BOOST_TEST(j["content"][0]["text"] == "mock answer: one two three four five six seven eight");
  BOOST_TEST(j["stop_reason"] == "end_turn");
  BOOST_TEST(j["usage"]["input_tokens"] == 13);
  BOOST_TEST(j["usage"]["output_tokens"] == 10);
}

BOOST_AUTO_TEST_CASE(invalid_requests_get_400_in_the_provider_shape) {
  mock_llm_answers answers{{}};
  auto openai = answers.answer(mock_llm_api::openai, "{not json", "", 0);
  BOOST_TEST(openai.status == 400);
  BOOST_TEST(json::parse(openai.body)["error"]["type"] == "invalid_request_error");
  auto anthropic = answers.answer(mock_llm_api::anthropic, R"({"model": "m"})", "", 0);
  BOOST_TEST(anthropic.status == 400);
  auto j = json::parse(anthropic.body);
  BOOST_TEST(j["type"] == "error");
  BOOST_TEST(j["error"]["type"] == "invalid_request_error");
  BOOST_TEST(j["error"]["message"] == "messages: expected a non-empty array");
  auto bad_content =
      answers.answer(mock_llm_api::openai,
                     R"({"model": "m", "messages": [{"role": "user", "content": 5}]})", "", 0);
  BOOST_TEST(json::parse(bad_content.body)["error"]["message"] ==
             "messages/0/content: expected a string or an array of text parts");
}

BOOST_AUTO_TEST_CASE(a_prompt_beyond_the_context_window_is_refused) {
  herd::mock_llm_profile p;
  p.context_window_tokens = 12;
  mock_llm_answers answers{p};
  auto openai = answers.answer(mock_llm_api::openai, request, "", 0);
  BOOST_TEST(openai.status == 400);
  BOOST_TEST(json::parse(openai.body)["error"]["code"] == "context_length_exceeded");
  auto anthropic = answers.answer(mock_llm_api::anthropic, request, "", 0);
  BOOST_TEST(anthropic.status == 400);
  auto j = json::parse(anthropic.body);
  BOOST_TEST(j["error"]["type"] == "invalid_request_error");
  BOOST_TEST(j["error"]["message"].get<std::string>().find("prompt is too long") == 0u);
  p.context_window_tokens = 13;
  BOOST_TEST(mock_llm_answers{p}.answer(mock_llm_api::openai, request, "", 0).status == 200);
}

BOOST_AUTO_TEST_CASE(the_content_policy_marker_is_refused) {
  mock_llm_answers answers{{}};
  auto body =
      R"({"model": "m", "messages": [{"role": "user", "content": "x MOCK_CONTENT_POLICY"}]})";
  auto openai = answers.answer(mock_llm_api::openai, body, "", 0);
  BOOST_TEST(openai.status == 400);
  BOOST_TEST(json::parse(openai.body)["error"]["code"] == "content_policy_violation");
  auto anthropic = answers.answer(mock_llm_api::anthropic, body, "", 0);
  BOOST_TEST(anthropic.status == 400);
  BOOST_TEST(json::parse(anthropic.body)["error"]["message"].get<std::string>().find("policy") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_missing_or_wrong_key_is_401_and_never_echoed) {
  herd::mock_llm_profile p;
  p.api_key = "sk-secret";
  mock_llm_answers answers{p};
  auto none = answers.answer(mock_llm_api::openai, request, "", 0);
  BOOST_TEST(none.status == 401);
  BOOST_TEST(json::parse(none.body)["error"]["code"] == "invalid_api_key");
  auto wrong = answers.answer(mock_llm_api::openai, request, "Bearer sk-wrong", 0);
  BOOST_TEST(wrong.status == 401);
  BOOST_TEST(wrong.body.find("sk-") == std::string::npos);
  BOOST_TEST(answers.answer(mock_llm_api::openai, request, "Bearer sk-secret", 0).status == 200);
  auto anthropic = answers.answer(mock_llm_api::anthropic, request, "wrong", 0);
  BOOST_TEST(anthropic.status == 401);
  BOOST_TEST(json::parse(anthropic.body)["error"]["type"] == "authentication_error");
  BOOST_TEST(answers.answer(mock_llm_api::anthropic, request, "sk-secret", 0).status == 200);
}

BOOST_AUTO_TEST_CASE(error_types_follow_the_status) {
  auto type = [](mock_llm_api api, int status) {
    auto j = json::parse(mock_llm_answers::error(api, status, "m").body);
    return j["error"]["type"].get<std::string>();
  };
  BOOST_TEST(type(mock_llm_api::openai, 429) == "rate_limit_error");
  BOOST_TEST(type(mock_llm_api::anthropic, 429) == "rate_limit_error");
  BOOST_TEST(type(mock_llm_api::anthropic, 503) == "overloaded_error");
  BOOST_TEST(type(mock_llm_api::anthropic, 500) == "api_error");
  BOOST_TEST(type(mock_llm_api::openai, 500) == "server_error");
  BOOST_TEST(
      json::parse(mock_llm_answers::error(mock_llm_api::openai, 429, "m").body)["error"]["code"] ==
      "rate_limit_exceeded");
}

BOOST_AUTO_TEST_SUITE_END()
