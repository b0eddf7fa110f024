#include "herd/budgets/token_usage.hpp"

#include <algorithm>
#include <limits>

#include <nlohmann/json.hpp>

namespace herd {

std::optional<int64_t> token_usage::count(const nlohmann::json& usage, const char* key) {
  auto i = usage.find(key);
  if (i == usage.end())
    return 0;
  if (i->is_number_unsigned() &&
      i->get<uint64_t>() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
    return static_cast<int64_t>(i->get<uint64_t>());
  if (i->is_number_integer() && i->get<int64_t>() >= 0)
    return i->get<int64_t>();
  return std::nullopt;
}

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
  out.input_tokens = count(*usage, "input_tokens").value_or(0);
  out.output_tokens = count(*usage, "output_tokens").value_or(0);
  return out;
}

} // namespace herd
