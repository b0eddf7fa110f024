#include "herd/mock_llm/mock_llm_answers.hpp"

#include <cctype>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

using nlohmann::json;

/// The error type a provider sends with `status`.
std::string error_type(mock_llm_api api, int status) {
  bool openai = api == mock_llm_api::openai;
  switch (status) {
  case 400:
  case 422:
    return "invalid_request_error";
  case 401:
    return openai ? "invalid_request_error" : "authentication_error";
  case 403:
    return "permission_error";
  case 404:
    return openai ? "invalid_request_error" : "not_found_error";
  case 408:
    return openai ? "timeout" : "timeout_error";
  case 409:
    return openai ? "conflict" : "conflict_error";
  case 413:
    return openai ? "invalid_request_error" : "request_too_large";
  case 429:
    return openai ? "rate_limit_error" : "rate_limit_error";
  case 503:
  case 529:
    return openai ? "server_error" : "overloaded_error";
  default:
    return status >= 500 ? (openai ? "server_error" : "api_error") : "invalid_request_error";
  }
}

/// The OpenAI error code sent with `status`, or null.
json openai_code(int status) {
  switch (status) {
  case 401:
    return "invalid_api_key";
  case 404:
    return "model_not_found";
  case 429:
    return "rate_limit_exceeded";
  default:
    return nullptr;
  }
}

/// The text of a message's `content`: a string or an array of `{"type": "text", "text"}`;
/// nullopt when it is neither.
bool content_text(const json& content, std::string& text) {
  if (content.is_string()) {
    text = content.get<std::string>();
    return true;
  }
  if (!content.is_array())
    return false;
  text.clear();
  for (auto& part : content) {
    if (!part.is_object())
      return false;
    auto t = part.find("text");
    if (t != part.end() && t->is_string())
      text += (text.empty() ? "" : " ") + t->get<std::string>();
  }
  return true;
}

std::string first_words(const std::string& text, size_t n) {
  std::istringstream in{text};
  std::string word, result;
  for (size_t i = 0; i < n && in >> word; ++i)
    result += (result.empty() ? "" : " ") + word;
  return result;
}

std::string hex_digest(const std::string& text) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : text)
    h = (h ^ c) * 1099511628211ull;
  char out[17];
  std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(h));
  return out;
}

} // namespace

mock_llm_answers::mock_llm_answers(mock_llm_profile profile) : profile_(std::move(profile)) {}

int64_t mock_llm_answers::count_words(const std::string& text) {
  int64_t n = 0;
  bool in_word = false;
  for (unsigned char c : text) {
    bool space = std::isspace(c) != 0;
    if (!space && !in_word)
      ++n;
    in_word = !space;
  }
  return n;
}

mock_llm_reply mock_llm_answers::error(mock_llm_api api, int status, const std::string& message,
                                       const std::string& code) {
  mock_llm_reply r;
  r.status = status;
  auto type = error_type(api, status);
  json body;
  if (api == mock_llm_api::openai) {
    body = {{"error",
             {{"message", message},
              {"type", type},
              {"param", nullptr},
              {"code", code.empty() ? openai_code(status) : json(code)}}}};
  } else {
    body = {{"type", "error"}, {"error", {{"type", type}, {"message", message}}}};
  }
  r.body = body.dump();
  return r;
}

mock_llm_reply mock_llm_answers::answer(mock_llm_api api, const std::string& body,
                                        const std::string& credential, int64_t now_s) const {
  bool openai = api == mock_llm_api::openai;
  if (!profile_.api_key.empty()) {
    auto expected = openai ? "Bearer " + profile_.api_key : profile_.api_key;
    if (credential != expected)
      return error(api, 401,
                   credential.empty()
                       ? (openai ? "You didn't provide an API key (authorization: Bearer KEY)."
                                 : "x-api-key header is required")
                       : (openai ? "Incorrect API key provided." : "invalid x-api-key"));
  }
  auto request = json::parse(body, nullptr, false);
  auto invalid = [&](const std::string& why) { return error(api, 400, why); };
  if (request.is_discarded() || !request.is_object())
    return invalid("the request body is not a JSON object");
  auto model = request.find("model");
  if (model == request.end() || !model->is_string())
    return invalid("model: expected a string");
  auto messages = request.find("messages");
  if (messages == request.end() || !messages->is_array() || messages->empty())
    return invalid("messages: expected a non-empty array");
  int64_t prompt_tokens = 0;
  std::string last_user, text;
  bool marked = false;
  auto inspect = [&](const std::string& part) {
    prompt_tokens += count_words(part);
    if (!profile_.content_policy_marker.empty() &&
        part.find(profile_.content_policy_marker) != std::string::npos)
      marked = true;
  };
  auto system = request.find("system");
  if (system != request.end()) {
    if (!content_text(*system, text))
      return invalid("system: expected a string or an array of text parts");
    inspect(text);
  }
  for (size_t i = 0; i < messages->size(); ++i) {
    auto& m = (*messages)[i];
    auto where = "messages/" + std::to_string(i);
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string())
      return invalid(where + "/role: expected a string");
    if (!m.contains("content") || !content_text(m["content"], text))
      return invalid(where + "/content: expected a string or an array of text parts");
    inspect(text);
    if (m["role"] == "user")
      last_user = text;
  }
  if (messages->back()["role"] != "user")
    return invalid("messages: the last message must have role \"user\"");
  prompt_tokens = std::max<int64_t>(prompt_tokens, 1);
  if (profile_.context_window_tokens > 0 && prompt_tokens > profile_.context_window_tokens) {
    auto window = std::to_string(profile_.context_window_tokens);
    auto tokens = std::to_string(prompt_tokens);
    return openai ? error(api, 400,
                          "This model's maximum context length is " + window +
                              " tokens. However, your messages resulted in " + tokens + " tokens.",
                          "context_length_exceeded")
                  : error(api, 400,
                          "prompt is too long: " + tokens + " tokens > " + window + " maximum");
  }
  if (marked)
    return openai ? error(api, 400,
                          "Your request was rejected as a result of our safety system "
                          "(mock content policy).",
                          "content_policy_violation")
                  : error(api, 400,
                          "Output blocked by content filtering policy (mock content policy)");
  auto answer_text = "mock answer: " + first_words(last_user, 8);
  auto completion_tokens = count_words(answer_text);
  auto id = hex_digest(body);
  json reply;
  if (openai) {
    reply = {{"id", "chatcmpl-mock-" + id},
             {"object", "chat.completion"},
             {"created", now_s},
             {"model", *model},
             {"choices",
              {{{"index", 0},
                {"message", {{"role", "assistant"}, {"content", answer_text}}},
                {"finish_reason", "stop"}}}},
             {"usage",
              {{"prompt_tokens", prompt_tokens},
               {"completion_tokens", completion_tokens},
               {"total_tokens", prompt_tokens + completion_tokens}}}};
  } else {
    reply = {{"id", "msg_mock_" + id},
             {"type", "message"},
             {"role", "assistant"},
             {"model", *model},
             {"content", {{{"type", "text"}, {"text", answer_text}}}},
             {"stop_reason", "end_turn"},
             {"stop_sequence", nullptr},
             {"usage", {{"input_tokens", prompt_tokens}, {"output_tokens", completion_tokens}}}};
  }
  mock_llm_reply r;
  r.body = reply.dump();
  return r;
}

} // namespace herd
