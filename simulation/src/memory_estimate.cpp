#include "herd/simulation/memory_estimate.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <iomanip>
#include <sstream>

#include <sys/resource.h>

namespace herd {

namespace {

bool has_herd(const scenario& config) {
  return config.runs_herd();
}

bool has_classic(const scenario& config) {
  return std::any_of(config.strategies.begin(), config.strategies.end(),
                     [](const std::string& s) { return !scenario::is_herd(s); });
}

/// Simulated seconds a run is expected to last: its arrivals plus an hour to drain.
uint64_t expected_seconds(const scenario& config) {
  auto arrivals =
      std::min(config.duration_s, static_cast<double>(config.tasks) / config.rate_per_s);
  return static_cast<uint64_t>(std::ceil(arrivals)) + 3600;
}

} // namespace

memory_estimate::memory_estimate(const scenario& config) : config_(config) {
  auto agents = static_cast<uint64_t>(config.agents);
  auto tasks = static_cast<uint64_t>(config.tasks);
  uint64_t run = 0;
  if (has_herd(config))
    run = agents * herd_agent_bytes + tasks * herd_task_bytes;
  if (has_classic(config))
    run = std::max(run, agents * classic_agent_bytes + tasks * classic_task_bytes);
  bytes_ = base_bytes + run + config.strategies.size() * expected_seconds(config) * second_bytes;
}

std::optional<uint64_t> memory_estimate::available_bytes() {
  std::optional<uint64_t> result;
  std::ifstream meminfo{"/proc/meminfo"};
  std::string name;
  uint64_t kb = 0;
  std::string unit;
  while (meminfo >> name >> kb >> unit)
    if (name == "MemAvailable:")
      result = kb * 1024;
  rlimit limit{};
  if (::getrlimit(RLIMIT_AS, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY)
    result = std::min<uint64_t>(result.value_or(UINT64_MAX), limit.rlim_cur);
  return result;
}

std::string memory_estimate::describe() const {
  auto& c = config_;
  std::ostringstream out;
  out << "about " << human_bytes(bytes_) << " (";
  if (has_herd(c))
    out << c.agents << " agents of the herd strategy at ~" << human_bytes(herd_agent_bytes)
        << " and " << c.tasks << " tasks at ~" << human_bytes(herd_task_bytes) << " each";
  else
    out << c.agents << " agents at " << classic_agent_bytes << " bytes and " << c.tasks
        << " tasks at " << classic_task_bytes << " bytes each";
  out << ")";
  return out.str();
}

std::string human_bytes(uint64_t bytes) {
  std::ostringstream out;
  auto x = static_cast<double>(bytes);
  if (x >= 1e9)
    out << std::fixed << std::setprecision(1) << x / 1e9 << " GB";
  else if (x >= 1e6)
    out << std::fixed << std::setprecision(0) << x / 1e6 << " MB";
  else
    out << std::fixed << std::setprecision(0) << x / 1e3 << " kB";
  return out.str();
}

} // namespace herd
