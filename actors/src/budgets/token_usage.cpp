#include "herd/budgets/token_usage.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

namespace herd {

namespace {

int64_t count(const nlohmann::json& usage, const char* key) {
  auto i = usage.find(key);
  if (i == usage.end() || !i->is_number_integer())
    return 0;
  return std::max(i->get<int64_t>(), int64_t{0});
}

} // namespace

std::optional<token_usage> token_usage::from_result(const nlohmann::json& result) {
  if (!result.is_object())
    return std::nullopt;
  auto usage = result.find("usage");
  if (usage == result.end() || !usage->is_object())
    return std::nullopt;
  token_usage out;
  auto model = result.find("model");
  if (model != result.end() && model->is_string())
    out.model = model->get<std::string>();
  out.input_tokens = count(*usage, "input_tokens");
  out.output_tokens = count(*usage, "output_tokens");
  return out;
}

} // namespace herd
