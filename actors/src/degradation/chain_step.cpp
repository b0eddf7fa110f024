#include "herd/degradation/chain_step.hpp"

namespace herd {

std::string to_string(chain_action x) {
  switch (x) {
  case chain_action::try_tier:
    return "try_tier";
  case chain_action::skip:
    return "skip";
  case chain_action::park:
    return "park";
  case chain_action::give_up:
    return "give_up";
  case chain_action::done:
    return "done";
  }
  return "invalid";
}

std::string to_string(chain_end x) {
  switch (x) {
  case chain_end::none:
    return "none";
  case chain_end::budget_spent:
    return "budget_spent";
  case chain_end::chain_exhausted:
    return "chain_exhausted";
  case chain_end::deadline:
    return "deadline";
  case chain_end::not_retryable:
    return "not_retryable";
  case chain_end::unavailable:
    return "unavailable";
  }
  return "invalid";
}

} // namespace herd
