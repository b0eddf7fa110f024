#include "herd/dead_letters/dead_letter_reason.hpp"
#include "herd/core/enum_name.hpp"

namespace herd {

std::string to_string(dead_letter_reason x) {
  switch (x) {
  case dead_letter_reason::exhausted:
    return "exhausted";
  case dead_letter_reason::non_retryable:
    return "non_retryable";
  case dead_letter_reason::budget_exhausted:
    return "budget_exhausted";
  case dead_letter_reason::escalation_timeout:
    return "escalation_timeout";
  case dead_letter_reason::poison:
    return "poison";
  case dead_letter_reason::handed_back:
    return "handed_back";
  case dead_letter_reason::overflow:
    return "overflow";
  }
  return "exhausted";
}

std::optional<dead_letter_reason> parse_dead_letter_reason(std::string_view name) {
  return parse_enum_name<dead_letter_reason>(
      name,
      {dead_letter_reason::exhausted, dead_letter_reason::non_retryable,
       dead_letter_reason::budget_exhausted, dead_letter_reason::escalation_timeout,
       dead_letter_reason::poison, dead_letter_reason::handed_back, dead_letter_reason::overflow});
}

} // namespace herd
