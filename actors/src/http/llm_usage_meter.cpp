#include "herd/http/llm_usage_meter.hpp"

#include <algorithm>

namespace herd {

llm_usage_meter::llm_usage_meter(std::shared_ptr<metrics_registry> metrics, std::string provider,
                                 std::optional<llm_prices> prices)
    : metrics_(metrics ? std::move(metrics) : std::make_shared<metrics_registry>()),
      provider_(std::move(provider)), prices_(prices) {}

void llm_usage_meter::record(const std::string& model, int64_t input_tokens,
                             int64_t output_tokens) {
  input_tokens = std::max(input_tokens, int64_t{0});
  output_tokens = std::max(output_tokens, int64_t{0});
  std::lock_guard<std::mutex> guard{mtx_};
  auto& m = counters_of(model);
  m.input->inc(static_cast<uint64_t>(input_tokens));
  m.output->inc(static_cast<uint64_t>(output_tokens));
  if (m.cost != nullptr)
    m.cost->add(prices_->cost(input_tokens, output_tokens));
}

llm_usage_meter::model_counters& llm_usage_meter::counters_of(const std::string& model) {
  auto i = by_model_.find(model);
  if (i != by_model_.end())
    return i->second;
  const char* tokens_help = "Tokens of LLM answers, by provider, model and token type";
  auto tokens = [&](const char* type) {
    return &metrics_->counter("herd_llm_tokens_total", tokens_help,
                              {{"provider", provider_}, {"model", model}, {"token_type", type}});
  };
  model_counters entry{tokens("input"), tokens("output"), nullptr};
  if (prices_)
    entry.cost = &metrics_->counter("herd_llm_cost_usd_total",
                                    "Cost of LLM answers in USD, from the service's configured "
                                    "prices",
                                    {{"provider", provider_}, {"model", model}});
  return by_model_.emplace(model, entry).first->second;
}

} // namespace herd
