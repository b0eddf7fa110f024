#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "herd/mock_llm/mock_llm_profile.hpp"

namespace herd {

/// The provider whose API an endpoint speaks.
enum class mock_llm_api {
  /// `POST /v1/chat/completions`; errors `{"error": {"message", "type", "code"}}`.
  openai,
  /// `POST /v1/messages`; errors `{"type": "error", "error": {"type", "message"}}`.
  anthropic,
};

/// One HTTP answer: status, JSON body and extra headers.
struct mock_llm_reply {
  /// The HTTP status. Default: 200.
  int status = 200;
  /// The body (JSON). Default: "".
  std::string body;
  /// Extra response headers, in order. Default: none.
  std::vector<std::pair<std::string, std::string>> headers;
};

/// The mock's deterministic answers in each provider's shape, as pure functions of the request.
/// The answer's text is "mock answer: " and the first 8 words of the last user message; a token
/// is a whitespace-separated word (prompt tokens: every message's words plus the system
/// prompt's, at least 1). Refusals, in this order: a profile `api_key` missing or wrong (401),
/// a body that is not a JSON object with a string `model` and a non-empty `messages` array of
/// objects with a string `role` and a `content` (string or text parts) ending in a user
/// message (400), a prompt beyond `context_window_tokens` (400, OpenAI code
/// `context_length_exceeded`, Anthropic "prompt is too long"), a message containing the
/// `content_policy_marker` (400, OpenAI code `content_policy_violation`).
class mock_llm_answers {
public:
  /// Answers by `profile`, which it copies.
  explicit mock_llm_answers(mock_llm_profile profile);

  /// The answer to `body` on `api`, whose credential header (`authorization` for OpenAI,
  /// `x-api-key` for Anthropic) was `credential` ("" when absent); `now_s` is the wall-clock
  /// time (seconds since the Unix epoch) for OpenAI's `created`.
  mock_llm_reply answer(mock_llm_api api, const std::string& body, const std::string& credential,
                        int64_t now_s) const;

  /// An error reply of `status` in `api`'s shape: the type and code real providers send with
  /// that status (429 rate_limit_error, 503 overloaded_error for Anthropic, ...).
  static mock_llm_reply error(mock_llm_api api, int status, const std::string& message,
                              const std::string& code = "");

  /// The number of whitespace-separated words in `text`.
  static int64_t count_words(const std::string& text);

private:
  mock_llm_profile profile_;
};

} // namespace herd
