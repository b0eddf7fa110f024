#include "herd/supervision/restart_planner.hpp"

#include <algorithm>

namespace herd {

restart_planner::restart_planner(const supervisor_config& config)
    : config_(config), intensity_(config.max_restarts, config.period) {}

restart_backoff restart_planner::backoff_of(size_t i) const {
  return restart_backoff{config_.min_backoff, config_.max_backoff, config_.random_factor,
                         config_.reset_after, config_.seed + i};
}

size_t restart_planner::add(child_spec spec) {
  children_.push_back(child{std::move(spec), backoff_of(children_.size())});
  return children_.size() - 1;
}

size_t restart_planner::reuse_or_add(child_spec spec) {
  for (size_t i = 0; i < children_.size(); ++i) {
    auto& c = children_[i];
    if (c.status != child_status::stopped || !c.started_once)
      continue;
    c = child{std::move(spec), backoff_of(i)};
    return i;
  }
  return add(std::move(spec));
}

bool restart_planner::started(size_t i) {
  auto& c = children_[i];
  c.status = child_status::running;
  c.batch = 0;
  auto restarted = c.started_once;
  c.started_once = true;
  return restarted;
}

restart_plan restart_planner::failed(size_t i, bool abnormal, time_point now) {
  restart_plan plan;
  auto& c = children_[i];
  c.status = child_status::stopped;
  auto restart = c.spec.restart == restart_type::permanent ||
                 (c.spec.restart == restart_type::transient && abnormal);
  if (!restart)
    return plan;
  if (!intensity_.record(now)) {
    plan.what = restart_plan::decision::give_up;
    return plan;
  }
  plan.what = restart_plan::decision::restart;
  // The group that restarts with the failed child, in spec order.
  size_t first = i;
  size_t last = i + 1;
  switch (config_.strategy) {
  case restart_strategy::one_for_one:
    break;
  case restart_strategy::one_for_all:
    first = 0;
    last = children_.size();
    break;
  case restart_strategy::rest_for_one:
    last = children_.size();
    break;
  }
  // Running siblings stop in reverse order; temporary ones are not restarted, and a child that
  // is already stopped stays stopped.
  for (auto j = last; j-- > first;) {
    auto& sib = children_[j];
    if (j == i) {
      plan.restart.push_back(j);
    } else if (sib.status == child_status::running) {
      plan.stop.push_back(j);
      sib.status = child_status::stopped;
      sib.batch = 0;
      if (sib.spec.restart != restart_type::temporary)
        plan.restart.push_back(j);
    } else if (sib.status == child_status::waiting) {
      plan.restart.push_back(j);
    }
  }
  std::reverse(plan.restart.begin(), plan.restart.end());
  plan.delay = c.backoff.next(now);
  plan.batch = ++next_batch_;
  for (auto j : plan.restart) {
    children_[j].status = child_status::waiting;
    children_[j].batch = plan.batch;
  }
  return plan;
}

bool restart_planner::due(size_t i, uint64_t batch) const {
  auto& c = children_[i];
  return c.batch == batch && c.status == child_status::waiting;
}

void restart_planner::stop(size_t i) {
  children_[i].status = child_status::stopped;
  children_[i].batch = 0;
}

} // namespace herd
