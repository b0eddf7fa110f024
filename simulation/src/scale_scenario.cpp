#include "herd/simulation/scale_scenario.hpp"

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace herd {

namespace {

int64_t scaled_count(int64_t count, double factor) {
  return std::max<int64_t>(1, std::llround(static_cast<double>(count) * factor));
}

} // namespace

scenario scale_scenario(const scenario& config, double factor) {
  if (!(factor > 0 && factor <= 1000))
    throw std::invalid_argument("a scenario's scale factor must be in (0, 1000], got " +
                                std::to_string(factor));
  if (factor == 1)
    return config;
  auto result = config;
  result.agents = scaled_count(config.agents, factor);
  result.tasks = scaled_count(config.tasks, factor);
  result.rate_per_s = config.rate_per_s * factor;
  result.capacity_per_s = config.capacity_per_s * factor;
  if (config.fallback) {
    auto behaviour = std::make_shared<scenario>(*config.fallback->behaviour);
    behaviour->capacity_per_s *= factor;
    result.fallback->behaviour = std::move(behaviour);
  }
  std::ostringstream name;
  name << config.name << "@x" << factor;
  result.name = name.str();
  return result;
}

} // namespace herd
