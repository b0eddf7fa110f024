#pragma once

#include "herd/http/llm_codec.hpp"

namespace herd {

/// OpenAI-compatible chat completions: POST {base_url}/v1/chat/completions (a base URL already
/// ending in "/v1" is not given a second one) with `authorization: Bearer KEY` (omitted when the
/// key is empty) and the body {"model", "messages", "max_tokens"?, "temperature"?}; a `system`
/// payload field becomes the first message. Result text = `choices[0].message.content` (null
/// content = ""), finish_reason, usage prompt/completion tokens as input/output tokens.
/// Refinements over `http_classifier`: error code "context_length_exceeded" or a message
/// mentioning the "maximum context length" -> context_window; code
/// "content_policy_violation"/"content_filter" -> content_policy; code "insufficient_quota" (a
/// 429 about billing) -> permanent "insufficient_quota", since waiting does not add credit; a 2xx
/// with finish_reason "content_filter" -> content_policy "content_filter"; a 2xx whose message
/// has no content but a `refusal` -> content_policy "refusal".
class openai_codec : public llm_codec {
public:
  using llm_codec::llm_codec;

  /// "openai".
  std::string provider() const override { return "openai"; }

protected:
  std::variant<http_request, failure> encode_chat(const chat_request& chat) const override;
  void refine_error(failure& classified, const nlohmann::json& body) const override;
  std::variant<chat_answer, failure> read_result(const nlohmann::json& body) const override;
};

} // namespace herd
