#pragma once

#include "herd/http/llm_codec.hpp"

namespace herd {

/// Anthropic messages: POST {base_url}/v1/messages (a base URL already ending in "/v1" is not
/// given a second one) with `x-api-key: KEY` (omitted when the key is empty),
/// `anthropic-version: 2023-06-01` and the body {"model", "messages", "system"?, "max_tokens",
/// "temperature"?}. Messages with role "system" and the payload's `system` move to the top-level
/// `system` field (joined by blank lines, in order: payload first). `max_tokens` is required by
/// Anthropic: the payload's, else the configured default. Result text = the concatenated
/// `content[]` blocks of type "text", finish_reason = stop_reason, usage as given.
/// Refinements over `http_classifier`: error type "overloaded_error" -> unavailable
/// "overloaded"; a message saying "prompt is too long" (or mentioning the context window) ->
/// context_window; a message mentioning a content/usage policy or "content filtering" ->
/// content_policy; "permission_error" -> permanent "auth"; a 2xx with stop_reason "refusal" ->
/// content_policy "refusal".
class anthropic_codec : public llm_codec {
public:
  using llm_codec::llm_codec;

  /// The `anthropic-version` header sent: "2023-06-01".
  static constexpr const char* api_version = "2023-06-01";

  /// "anthropic".
  std::string provider() const override { return "anthropic"; }

protected:
  std::variant<http_request, failure> encode_chat(const chat_request& chat) const override;
  void refine_error(failure& classified, const nlohmann::json& body) const override;
  std::variant<chat_answer, failure> read_result(const nlohmann::json& body) const override;
};

} // namespace herd
