#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>

#include "herd/core/metrics_registry.hpp"
#include "herd/http/llm_prices.hpp"

namespace herd {

/// Counts the tokens of an LLM service's answers, and their cost when the service has prices,
/// with OpenTelemetry's GenAI label names: herd_llm_tokens_total{provider, model, token_type =
/// input|output} and herd_llm_cost_usd_total{provider, model}. The counters of each model are
/// looked up once; safe to call from any thread.
class llm_usage_meter {
public:
  /// A meter for `provider` (e.g. "openai") counting into `metrics`; without `prices` the cost
  /// is not counted (default: none).
  llm_usage_meter(std::shared_ptr<metrics_registry> metrics, std::string provider,
                  std::optional<llm_prices> prices = std::nullopt);

  /// Counts one answer of `model` that used `input_tokens` and `output_tokens` (negative counts
  /// count as 0).
  void record(const std::string& model, int64_t input_tokens, int64_t output_tokens);

  /// The provider label.
  const std::string& provider() const { return provider_; }
  /// The prices; none if cost is not counted.
  const std::optional<llm_prices>& prices() const { return prices_; }

private:
  struct model_counters {
    counter* input;
    counter* output;
    counter* cost; // null without prices
  };

  model_counters& counters_of(const std::string& model);

  std::shared_ptr<metrics_registry> metrics_;
  std::string provider_;
  std::optional<llm_prices> prices_;
  std::mutex mtx_;
  std::unordered_map<std::string, model_counters> by_model_;
};

} // namespace herd
