#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <variant>

#include <nlohmann/json.hpp>

#include "herd/core/json_writer.hpp"
#include "herd/http/chat_answer.hpp"
#include "herd/http/chat_request.hpp"
#include "herd/http/http_codec.hpp"
#include "herd/http/http_endpoint.hpp"
#include "herd/http/llm_usage_meter.hpp"

namespace herd {

/// What the chat codecs share: the payload is a `chat_request`, the result is {"text", "model",
/// "finish_reason", "usage": {"input_tokens", "output_tokens"}, "provider"}, errors are first
/// classified by `http_classifier` and then refined from the provider's error body, and the API
/// key never appears in a failure (any occurrence in an echoed body is replaced by "***"). A 2xx
/// body that is not the expected JSON (malformed, truncated, empty, no choices) is a transient
/// failure with reason "invalid_response": a broken answer is usually a glitch of a proxy or of
/// the provider, and the retry policy bounds the retries.
class llm_codec : public http_codec {
public:
  /// A codec sending to `endpoint` with `api_key` (may be empty for local mocks), `model` as
  /// the default model and `max_tokens` as the default output limit (0 = none sent).
  llm_codec(http_endpoint endpoint, std::string api_key, std::string model, int64_t max_tokens);

  std::variant<http_request, failure> encode(const std::string& request_json) const final;
  outcome decode(const http_response& response) const final;

  /// The provider's name in results, e.g. "openai".
  virtual std::string provider() const = 0;
  /// The configured default model.
  const std::string& model() const { return model_; }
  /// The configured default output limit; 0 = none.
  int64_t max_tokens() const { return max_tokens_; }
  /// Counts the tokens (and cost) of every answer into `meter` from now on. Default: none.
  void meter_with(std::shared_ptr<llm_usage_meter> meter) { meter_ = std::move(meter); }

protected:
  /// The request for a parsed payload, or a permanent failure.
  virtual std::variant<http_request, failure> encode_chat(const chat_request& chat) const = 0;
  /// Refines `classified` from the parsed error body (`body` is null when not JSON).
  virtual void refine_error(failure& classified, const nlohmann::json& body) const = 0;
  /// The answer in a parsed 2xx body, or a failure ("invalid_response", "content_filter", …).
  virtual std::variant<chat_answer, failure> read_result(const nlohmann::json& body) const = 0;

  /// A transient failure with reason "invalid_response" saying what is missing.
  static failure invalid_response(const std::string& what);
  /// `body.error.<field>` when it is a string, else "".
  static std::string error_field(const nlohmann::json& body, const char* field);
  /// `body.<field>` when it is a string, else "".
  static std::string string_field(const nlohmann::json& body, const char* field);
  /// The tokens in `body.usage` under the provider's names (0 when missing) and the model in
  /// `body.model` (the configured one when missing), or an "invalid_response" failure when a
  /// count is not a non-negative integer.
  std::variant<token_usage, failure> usage_of(const nlohmann::json& body, const char* input_key,
                                              const char* output_key) const;
  /// Writes one chat message {"content", "role"} (nlohmann's key order) into a request body.
  static void write_message(json_writer& body, const std::string& role,
                            const nlohmann::json& content);
  /// True when `text` contains `needle`, ignoring ASCII case.
  static bool mentions(std::string_view text, std::string_view needle);
  /// The endpoint.
  const http_endpoint& endpoint() const { return endpoint_; }
  /// The API key; empty if none.
  const std::string& api_key() const { return api_key_; }

private:
  /// `x` with every occurrence of the API key replaced by "***".
  std::string redacted(std::string x) const;

  http_endpoint endpoint_;
  std::string api_key_;
  std::string model_;
  int64_t max_tokens_;
  std::shared_ptr<llm_usage_meter> meter_;
};

} // namespace herd
