#include "herd/http/anthropic_codec.hpp"

namespace herd {

std::variant<http_request, failure> anthropic_codec::encode_chat(const chat_request& chat) const {
  // Written straight, keys in sorted order: the text nlohmann's dump() of the object would give.
  json_writer body;
  body.begin_object()
      .key("max_tokens")
      .integer(chat.max_tokens ? *chat.max_tokens : max_tokens())
      .key("messages")
      .begin_array();
  bool any_message = false;
  std::string system = chat.system;
  for (auto& m : chat.messages) {
    if (m.role != "system") {
      write_message(body, m.role, m.content);
      any_message = true;
      continue;
    }
    if (!m.content.is_string())
      return failure::permanent(
                 "invalid request: a system message's content must be a string for Anthropic")
          .because("invalid_request");
    if (!system.empty())
      system += "\n\n";
    system += m.content.get<std::string>();
  }
  if (!any_message)
    return failure::permanent("invalid request: /messages: no user or assistant message")
        .because("invalid_request");
  body.end_array().key("model").string(chat.model.empty() ? model() : chat.model);
  if (!system.empty())
    body.key("system").string(system);
  if (chat.temperature)
    body.key("temperature").value(*chat.temperature);
  body.end_object();
  auto request = endpoint().request("POST", "/v1/messages", body.take());
  request.headers.emplace_back("content-type", "application/json");
  request.headers.emplace_back("anthropic-version", api_version);
  if (!api_key().empty())
    request.headers.emplace_back("x-api-key", api_key());
  return request;
}

void anthropic_codec::refine_error(failure& classified, const nlohmann::json& body) const {
  auto type = error_field(body, "type");
  auto message = error_field(body, "message");
  if (type == "overloaded_error") {
    classified.category = failure_category::unavailable;
    classified.reason = "overloaded";
  } else if (classified.category != failure_category::permanent) {
    return;
  } else if (mentions(message, "prompt is too long") || mentions(message, "context window")) {
    classified.category = failure_category::context_window;
    classified.reason = "prompt_too_long";
  } else if (mentions(message, "content filtering") || mentions(message, "usage policy") ||
             mentions(message, "content policy")) {
    classified.category = failure_category::content_policy;
    classified.reason = "content_policy";
  } else if (type == "permission_error" || type == "authentication_error") {
    classified.category = failure_category::permanent;
    classified.reason = "auth";
  }
}

std::variant<chat_answer, failure> anthropic_codec::read_result(const nlohmann::json& body) const {
  auto content = body.find("content");
  if (content == body.end() || !content->is_array())
    return invalid_response("no content array");
  std::string text;
  for (auto& block : *content)
    if (string_field(block, "type") == "text")
      text += string_field(block, "text");
  auto stop_reason = string_field(body, "stop_reason");
  if (stop_reason == "refusal")
    return failure::make(failure_category::content_policy, "the model refused the request")
        .because("refusal");
  auto usage = usage_of(body, "input_tokens", "output_tokens");
  if (auto* why = std::get_if<failure>(&usage))
    return *why;
  return chat_answer{std::move(text), std::move(stop_reason),
                     std::move(std::get<token_usage>(usage))};
}

} // namespace herd
