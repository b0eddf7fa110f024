#include "herd/degradation/chain_planner.hpp"

#include <algorithm>
#include <stdexcept>

namespace herd {

chain_planner::chain_planner(fallback_chain chain, const failure_policy& policy,
                             time_point deadline)
    : chain_(std::move(chain)), max_attempts_(policy.max_attempts), retry_on_(policy.retry_on),
      deadline_(deadline), tier_attempts_(chain_.tiers.size(), 0) {
  if (chain_.tiers.empty())
    throw std::invalid_argument("chain_planner: a fallback chain needs at least one tier");
}

std::string chain_planner::describe(size_t index) const {
  return "tier " + std::to_string(index) + " (" + chain_.tiers[index].label + ")";
}

std::string chain_planner::served_by() const {
  return served_ ? chain_.tiers[*served_].label : std::string{};
}

bool chain_planner::usable(size_t index, bool budget_spent) const {
  if (chain_.tiers[index].kind == tier_kind::human)
    return true;
  return !budget_spent && tier_attempts_[index] < chain_.attempts_on(index);
}

chain_step chain_planner::end(chain_end why, std::string sentence) {
  finished_ = true;
  final_ = why;
  chain_step result;
  result.action = chain_action::give_up;
  result.end = why;
  result.why = std::move(sentence);
  if (!moved_why_.empty())
    result.why = moved_why_ + "; " + result.why;
  return result;
}

chain_step chain_planner::next(time_point now, const std::vector<availability>& tiers) {
  if (tiers.size() != chain_.tiers.size())
    throw std::invalid_argument("chain_planner::next: " + std::to_string(tiers.size()) +
                                " availabilities for " + std::to_string(chain_.tiers.size()) +
                                " tiers");
  if (awaiting_result_)
    throw std::logic_error("chain_planner::next: the last try has no result yet");
  if (finished_) {
    chain_step result;
    result.action = served_ ? chain_action::done : chain_action::give_up;
    result.end = final_;
    result.why = served_ ? "served by " + served_by() : "gave up: " + to_string(final_);
    return result;
  }
  if (final_ == chain_end::not_retryable)
    return end(final_, to_string(last_failure_.category) +
                           " failures neither move the chain on nor are retried");
  if (deadline_ != time_point{} && now >= deadline_)
    return end(chain_end::deadline, "the task's deadline passed");
  auto budget_spent = attempts_used_ >= max_attempts_;
  auto n = chain_.tiers.size();
  auto first = position_;
  while (first < n && !usable(first, budget_spent))
    ++first;
  if (first == n) {
    auto untried = position_;
    while (untried < n && !usable(untried, false))
      ++untried;
    if (untried < n)
      return end(chain_end::budget_spent, "out of attempts (max_attempts " +
                                              std::to_string(max_attempts_) +
                                              " across every tier)");
    return end(chain_end::chain_exhausted, "every tier was tried");
  }
  if (tiers[first].available) {
    chain_step result;
    result.action = chain_action::try_tier;
    result.tier = first;
    result.retry = tried_ == first;
    result.why = (moved_why_.empty() ? "" : moved_why_ + "; ") + "trying " + describe(first);
    if (budget_spent && first != position_)
      result.why += " (out of attempts for the other tiers)";
    moved_why_.clear();
    position_ = first;
    tried_ = first;
    if (chain_.tiers[first].kind == tier_kind::human) {
      served_ = first;
      finished_ = true;
    } else {
      ++attempts_used_;
      ++tier_attempts_[first];
      awaiting_result_ = true;
    }
    return result;
  }
  for (auto later = first + 1; later < n; ++later) {
    if (usable(later, budget_spent) && tiers[later].available) {
      chain_step result;
      result.action = chain_action::skip;
      result.tier = first;
      result.why = describe(first) + " is unavailable: skipped without a call";
      position_ = first + 1;
      return result;
    }
  }
  if (!chain_.park_when_unavailable)
    return end(chain_end::unavailable, "every remaining tier is unavailable");
  auto until = time_point::max();
  for (auto i = first; i < n; ++i) {
    if (!usable(i, budget_spent))
      continue;
    auto back = tiers[i].back_at > now ? tiers[i].back_at : now + chain_.recheck;
    until = std::min(until, back);
  }
  if (deadline_ != time_point{} && until >= deadline_)
    return end(chain_end::deadline,
               "every remaining tier is unavailable until after the task's deadline");
  chain_step result;
  result.action = chain_action::park;
  result.tier = first;
  result.until = until;
  result.why = "every remaining tier is unavailable: parked until the earliest may be back";
  return result;
}

void chain_planner::on_failure(const failure& why) {
  if (!awaiting_result_)
    throw std::logic_error("chain_planner::on_failure: no try is waiting for a result");
  awaiting_result_ = false;
  last_failure_ = why;
  auto tier = *tried_;
  auto failed = describe(tier) + " failed with " + to_string(why.category);
  if (chain_.tiers[tier].kind == tier_kind::rule) {
    moved_why_ = failed + ": a rule is tried once, moving on";
    position_ = tier + 1;
  } else if (chain_.moves_on(why)) {
    moved_why_ = failed + ": moving on";
    position_ = tier + 1;
  } else if (std::find(retry_on_.begin(), retry_on_.end(), why.category) == retry_on_.end()) {
    final_ = chain_end::not_retryable;
  } else if (tier_attempts_[tier] >= chain_.attempts_on(tier)) {
    moved_why_ = failed + " on its attempt " + std::to_string(tier_attempts_[tier]) + " of " +
                 std::to_string(chain_.attempts_on(tier)) + ": moving on";
    position_ = tier + 1;
  }
}

void chain_planner::resume(const std::vector<int32_t>& tier_attempts, size_t position,
                           bool awaiting) {
  if (tier_attempts.size() != chain_.tiers.size())
    throw std::invalid_argument("chain_planner::resume: " + std::to_string(tier_attempts.size()) +
                                " attempt counts for " + std::to_string(chain_.tiers.size()) +
                                " tiers");
  if (position >= chain_.tiers.size())
    throw std::invalid_argument("chain_planner::resume: position " + std::to_string(position) +
                                " is past the chain's " + std::to_string(chain_.tiers.size()) +
                                " tiers");
  tier_attempts_ = tier_attempts;
  attempts_used_ = 0;
  for (auto n : tier_attempts_)
    attempts_used_ += n;
  position_ = position;
  awaiting_result_ = awaiting;
  tried_ = awaiting ? std::optional<size_t>{position} : std::nullopt;
  served_.reset();
  finished_ = false;
  final_ = chain_end::none;
  moved_why_.clear();
}

void chain_planner::on_success() {
  if (!awaiting_result_)
    throw std::logic_error("chain_planner::on_success: no try is waiting for a result");
  awaiting_result_ = false;
  served_ = tried_;
  finished_ = true;
}

} // namespace herd
