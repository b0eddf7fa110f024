#pragma once

#include <string>

#include "herd/budgets/token_usage.hpp"

namespace herd {

/// What a chat codec reads from a provider's answer, before it becomes a task's result.
struct chat_answer {
  /// The answer's text; may be empty.
  std::string text;
  /// Why the model stopped, as the provider says ("stop", "end_turn", …); may be empty.
  std::string finish_reason;
  /// The model that answered (the configured one when the answer names none) and the tokens.
  token_usage usage;

  /// The task result: {"finish_reason", "model", "provider", "text", "usage": {"input_tokens",
  /// "output_tokens"}} as JSON text (keys in this order, as nlohmann's dump() sorts them).
  std::string result_json(const std::string& provider) const;
};

} // namespace herd
