#pragma once

#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "herd/core/failure.hpp"

namespace herd {

/// A chat task's payload as the LLM codecs read it: {"model"?, "messages": [{"role",
/// "content"}], "system"?, "max_tokens"?, "temperature"?}. A bare JSON string is one user
/// message with that text. `content` is kept as given (a string, or the provider's array of
/// content blocks). Unknown keys are refused so that a typo ("max_token") is not silently
/// ignored.
struct chat_request {
  /// One message of the conversation.
  struct message {
    /// "system", "user", "assistant" (or any role the provider knows).
    std::string role;
    /// The content as given: a string or an array of content blocks.
    nlohmann::json content;
  };

  /// The model; empty = the codec's configured model.
  std::string model;
  /// The conversation, in order; never empty.
  std::vector<message> messages;
  /// A system prompt given apart from the messages; empty if none.
  std::string system;
  /// Most tokens to generate; empty = the codec's default.
  std::optional<int64_t> max_tokens;
  /// Sampling temperature in [0, 2]; empty = the provider's default.
  std::optional<double> temperature;

  /// Reads `request_json`; a permanent failure (reason "invalid_request") naming the JSON path of
  /// what is wrong otherwise. Never throws.
  static std::variant<chat_request, failure> parse(const std::string& request_json);
};

} // namespace herd
