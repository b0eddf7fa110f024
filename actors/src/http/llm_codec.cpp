#include "herd/http/llm_codec.hpp"

#include <algorithm>
#include <cctype>
#include <chrono>

#include "herd/budgets/token_usage.hpp"
#include "herd/http/http_classifier.hpp"

namespace herd {

llm_codec::llm_codec(http_endpoint endpoint, std::string api_key, std::string model,
                     int64_t max_tokens)
    : endpoint_(std::move(endpoint)), api_key_(std::move(api_key)), model_(std::move(model)),
      max_tokens_(max_tokens) {}

std::variant<http_request, failure> llm_codec::encode(const std::string& request_json) const {
  auto parsed = chat_request::parse(request_json);
  if (auto* why = std::get_if<failure>(&parsed))
    return std::move(*why);
  auto& chat = std::get<chat_request>(parsed);
  if (chat.model.empty() && model_.empty())
    return failure::permanent("invalid request: /model: no model given and none configured")
        .because("invalid_request");
  return encode_chat(chat);
}

outcome llm_codec::decode(const http_response& response) const {
  try {
    if (!response.ok()) {
      // Scrub an echoed key before the body is excerpted: a cut could keep part of it.
      auto scrubbed = response;
      scrubbed.body = redacted(std::move(scrubbed.body));
      scrubbed.error_message = redacted(std::move(scrubbed.error_message));
      auto classified = http_classifier::classify(scrubbed);
      if (classified) {
        auto body = nlohmann::json::parse(scrubbed.body, nullptr, false);
        if (response.error == http_error::none)
          refine_error(*classified, body.is_discarded() ? nlohmann::json{} : body);
        return outcome::fail(std::move(*classified));
      }
    }
    auto body = nlohmann::json::parse(response.body, nullptr, false);
    if (!body.is_object())
      return outcome::fail(
          invalid_response(response.body.empty() ? "empty body" : "body is not a JSON object")
              .from("", response.status));
    auto result = read_result(body);
    if (auto* why = std::get_if<failure>(&result)) {
      why->message = redacted(std::move(why->message));
      why->status_code = response.status;
      return outcome::fail(std::move(*why));
    }
    auto& answer = std::get<chat_answer>(result);
    if (meter_)
      meter_->record(answer.usage.model, answer.usage.input_tokens, answer.usage.output_tokens);
    return outcome::success_text(answer.result_json(provider()));
  } catch (const std::exception& e) {
    return outcome::fail(invalid_response(redacted(e.what())).from("", response.status));
  }
}

failure llm_codec::invalid_response(const std::string& what) {
  return failure::transient("invalid response: " + http_classifier::escaped_excerpt(what))
      .because("invalid_response");
}

std::string llm_codec::error_field(const nlohmann::json& body, const char* field) {
  if (!body.is_object())
    return "";
  auto error = body.find("error");
  return error == body.end() ? "" : string_field(*error, field);
}

std::string llm_codec::string_field(const nlohmann::json& body, const char* field) {
  if (!body.is_object())
    return "";
  auto value = body.find(field);
  return value != body.end() && value->is_string() ? value->get<std::string>() : "";
}

std::variant<token_usage, failure> llm_codec::usage_of(const nlohmann::json& body,
                                                       const char* input_key,
                                                       const char* output_key) const {
  static const auto none = nlohmann::json::object();
  auto usage = body.find("usage");
  auto& counts = usage != body.end() && usage->is_object() ? *usage : none;
  auto input = token_usage::count(counts, input_key);
  auto output = token_usage::count(counts, output_key);
  if (!input || !output)
    return invalid_response(std::string{"usage."} + (input ? output_key : input_key) +
                            " is not a token count");
  auto model_used = string_field(body, "model");
  return token_usage{model_used.empty() ? model() : std::move(model_used), *input, *output};
}

void llm_codec::write_message(json_writer& body, const std::string& role,
                              const nlohmann::json& content) {
  body.begin_object().key("content").value(content).key("role").string(role).end_object();
}

bool llm_codec::mentions(std::string_view text, std::string_view needle) {
  auto lower = [](char c) {
    return static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  };
  auto it = std::search(text.begin(), text.end(), needle.begin(), needle.end(),
                        [&](char x, char y) { return lower(x) == lower(y); });
  return it != text.end();
}

std::string llm_codec::redacted(std::string x) const {
  if (api_key_.empty())
    return x;
  for (auto pos = x.find(api_key_); pos != std::string::npos; pos = x.find(api_key_, pos + 3))
    x.replace(pos, api_key_.size(), "***");
  return x;
}

} // namespace herd
