#include "herd/http/openai_codec.hpp"

namespace herd {

std::variant<http_request, failure> openai_codec::encode_chat(const chat_request& chat) const {
  // Written straight, keys in sorted order: the text nlohmann's dump() of the object would give.
  json_writer body;
  body.begin_object();
  if (chat.max_tokens || max_tokens() > 0)
    body.key("max_tokens").integer(chat.max_tokens ? *chat.max_tokens : max_tokens());
  body.key("messages").begin_array();
  if (!chat.system.empty())
    write_message(body, "system", chat.system);
  for (auto& m : chat.messages)
    write_message(body, m.role, m.content);
  body.end_array().key("model").string(chat.model.empty() ? model() : chat.model);
  if (chat.temperature)
    body.key("temperature").value(*chat.temperature);
  body.end_object();
  auto request = endpoint().request("POST", "/v1/chat/completions", body.take());
  request.headers.emplace_back("content-type", "application/json");
  if (!api_key().empty())
    request.headers.emplace_back("authorization", "Bearer " + api_key());
  return request;
}

void openai_codec::refine_error(failure& classified, const nlohmann::json& body) const {
  auto code = error_field(body, "code");
  auto type = error_field(body, "type");
  auto message = error_field(body, "message");
  if (classified.category != failure_category::permanent &&
      classified.category != failure_category::rate_limited)
    return;
  if (code == "context_length_exceeded" || mentions(message, "maximum context length")) {
    classified.category = failure_category::context_window;
    classified.reason = "context_length_exceeded";
  } else if (code == "content_policy_violation" || code == "content_filter" ||
             type == "content_policy_violation") {
    classified.category = failure_category::content_policy;
    classified.reason = code.empty() ? type : code;
  } else if (code == "insufficient_quota" || type == "insufficient_quota") {
    classified.category = failure_category::permanent;
    classified.reason = "insufficient_quota";
    classified.retry_after = duration{0};
  }
}

std::variant<chat_answer, failure> openai_codec::read_result(const nlohmann::json& body) const {
  auto choices = body.find("choices");
  if (choices == body.end() || !choices->is_array() || choices->empty())
    return invalid_response("no choices");
  auto& choice = choices->front();
  if (!choice.is_object())
    return invalid_response("choices[0] is not an object");
  auto finish_reason = string_field(choice, "finish_reason");
  auto message = choice.find("message");
  if (message == choice.end() || !message->is_object())
    return invalid_response("choices[0] has no message");
  auto content = message->find("content");
  std::string text;
  if (content != message->end() && content->is_string())
    text = content->get<std::string>();
  else if (content != message->end() && !content->is_null())
    return invalid_response("choices[0].message.content is not a string");
  if (text.empty() && !string_field(*message, "refusal").empty())
    return failure::make(failure_category::content_policy,
                         "the model refused: " + string_field(*message, "refusal"))
        .because("refusal");
  if (finish_reason == "content_filter")
    return failure::make(failure_category::content_policy,
                         "the provider's content filter withheld the answer")
        .because("content_filter");
  auto usage = usage_of(body, "prompt_tokens", "completion_tokens");
  if (auto* why = std::get_if<failure>(&usage))
    return *why;
  return chat_answer{std::move(text), std::move(finish_reason),
                     std::move(std::get<token_usage>(usage))};
}

} // namespace herd
