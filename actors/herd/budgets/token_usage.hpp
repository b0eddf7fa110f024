#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json_fwd.hpp>

namespace herd {

/// The tokens one LLM call used, as the chat codecs put them in their result: {"model",
/// "usage": {"input_tokens", "output_tokens"}}.
struct token_usage {
  /// The model that answered.
  std::string model;
  /// Input (prompt) tokens. Default: 0.
  int64_t input_tokens = 0;
  /// Output (completion) tokens. Default: 0.
  int64_t output_tokens = 0;

  /// The usage in a chat codec's result; empty if it has no "usage" object. A missing or
  /// negative count is 0; a missing model is "".
  static std::optional<token_usage> from_result(const nlohmann::json& result);
  /// `usage[key]` as a token count: 0 when it is missing, empty when it is not a non-negative
  /// integer that fits int64 (a string, a fraction, a negative or a too large number).
  static std::optional<int64_t> count(const nlohmann::json& usage, const char* key);
};

} // namespace herd
