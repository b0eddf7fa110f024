#include "herd/core/failure_category.hpp"
#include "herd/core/enum_name.hpp"
#include "herd/core/json_reader.hpp"

#include <nlohmann/json.hpp>

namespace herd {

std::string to_string(failure_category x) {
  switch (x) {
  case failure_category::transient:
    return "transient";
  case failure_category::timeout:
    return "timeout";
  case failure_category::rate_limited:
    return "rate_limited";
  case failure_category::unavailable:
    return "unavailable";
  case failure_category::circuit_open:
    return "circuit_open";
  case failure_category::permanent:
    return "permanent";
  case failure_category::unknown:
    return "unknown";
  case failure_category::context_window:
    return "context_window";
  case failure_category::content_policy:
    return "content_policy";
  case failure_category::budget_exhausted:
    return "budget_exhausted";
  case failure_category::loop_detected:
    return "loop_detected";
  case failure_category::step_limit:
    return "step_limit";
  }
  return "unknown";
}

std::optional<failure_category> parse_failure_category(std::string_view name) {
  return parse_enum_name<failure_category>(name, all_failure_categories);
}

std::vector<failure_category> read_failure_categories(const json_reader& list) {
  std::vector<failure_category> result;
  for (auto& element : list.elements()) {
    auto category = element.value().is_string()
                        ? parse_failure_category(element.value().get<std::string>())
                        : std::nullopt;
    if (!category) {
      std::string names;
      for (auto known : all_failure_categories)
        names += (names.empty() ? "" : ", ") + to_string(known);
      element.fail("a failure category (" + names + ")");
    }
    result.push_back(*category);
  }
  return result;
}

failure_category classify_http_status(int status) {
  if (status == 429)
    return failure_category::rate_limited;
  if (status == 408 || status == 504)
    return failure_category::timeout;
  if (status == 503 || status == 502 || status == 529)
    return failure_category::unavailable;
  if (status == 409 || status >= 500)
    return failure_category::transient;
  if (status >= 400)
    return failure_category::permanent;
  return failure_category::unknown;
}

} // namespace herd
