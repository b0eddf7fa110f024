#include "herd/simulation/scenario.hpp"

#include <algorithm>
#include <cmath>
#include <set>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

namespace {

/// The reader of a required key (config_error "missing required key" otherwise).
json_reader required(const json_reader& in, std::string_view key) {
  return in.at(key);
}

double positive(const json_reader& in, std::string_view key, double max = 1e12) {
  required(in, key);
  auto x = in.number(key, 0, 0, max);
  if (x <= 0)
    in.fail(key, "a number > 0");
  return x;
}

double non_negative(const json_reader& in, std::string_view key, double max = 1e12) {
  required(in, key);
  return in.number(key, 0, 0, max);
}

int64_t count(const json_reader& in, std::string_view key, int64_t min, int64_t max) {
  required(in, key);
  return in.integer(key, 0, min, max);
}

/// Reads the keys of a service ("service", "fallback/service") into `x`'s service fields.
void read_service(const json_reader& service, scenario& x) {
  service.only_keys({"capacity_per_s", "latency_ms", "outages", "error_rate", "overload"});
  x.capacity_per_s = positive(service, "capacity_per_s", 1e7);
  auto latency = required(service, "latency_ms");
  latency.only_keys({"mean", "p99"});
  x.latency_mean_ms = positive(latency, "mean", 1e7);
  x.latency_p99_ms = positive(latency, "p99", 1e8);
  // A lognormal with this mean and p99 exists while p99 <= mean * e^(z99^2 / 2) (~14.9x).
  if (x.latency_p99_ms < x.latency_mean_ms || x.latency_p99_ms > 14.9 * x.latency_mean_ms)
    latency.fail("p99", "a number between the mean and 14.9 times the mean");
  x.outages.clear();
  for (auto& window : required(service, "outages").elements()) {
    window.only_keys({"start_s", "duration_s"});
    x.outages.push_back({non_negative(window, "start_s"), positive(window, "duration_s")});
  }
  std::sort(
      x.outages.begin(), x.outages.end(),
      [](const scenario::outage& a, const scenario::outage& b) { return a.start_s < b.start_s; });
  required(service, "error_rate");
  x.error_rate = service.number("error_rate", 0, 0, 1);
  auto overload = required(service, "overload");
  overload.only_keys({"status", "retry_after_s"});
  x.overload_status = static_cast<int32_t>(count(overload, "status", 0, 999));
  if (x.overload_status != 429 && x.overload_status != 503)
    overload.fail("status", "429 or 503");
  x.overload_retry_after_s.reset();
  if (!required(overload, "retry_after_s").value().is_null())
    x.overload_retry_after_s = non_negative(overload, "retry_after_s", 86400);
}

/// The JSON form of `x`'s service fields (the keys of "service").
nlohmann::json service_json(const scenario& x) {
  auto windows = nlohmann::json::array();
  for (auto& w : x.outages)
    windows.push_back({{"start_s", w.start_s}, {"duration_s", w.duration_s}});
  nlohmann::json retry_after = nullptr;
  if (x.overload_retry_after_s)
    retry_after = *x.overload_retry_after_s;
  return {{"capacity_per_s", x.capacity_per_s},
          {"latency_ms", {{"mean", x.latency_mean_ms}, {"p99", x.latency_p99_ms}}},
          {"outages", windows},
          {"error_rate", x.error_rate},
          {"overload", {{"status", x.overload_status}, {"retry_after_s", retry_after}}}};
}

/// Reads "fallback" of the scenario `primary` (its other keys already read).
scenario::fallback_service read_fallback(const json_reader& in, const scenario& primary) {
  in.only_keys({"name", "service", "chain"});
  scenario::fallback_service result;
  result.name = in.string("name", result.name);
  if (result.name.empty() || result.name == scenario::service_name)
    in.fail("name", std::string{"a non-empty name other than \""} + scenario::service_name +
                        "\" (the primary service)");
  auto behaviour = std::make_shared<scenario>(primary);
  behaviour->fallback.reset();
  read_service(required(in, "service"), *behaviour);
  result.behaviour = std::move(behaviour);
  std::set<std::string> services{scenario::service_name, result.name};
  if (in.has("chain")) {
    result.chain = fallback_chain::from_json(in.at("chain"), services);
  } else {
    result.chain.tiers = {fallback_tier::service(scenario::service_name),
                          fallback_tier::service(result.name)};
  }
  return result;
}

} // namespace

const std::vector<std::string>& scenario::strategy_names() {
  static const std::vector<std::string> names{
      "immediate", "exponential", "full_jitter", "equal_jitter", "decorrelated_jitter",
      "herd",      "herd_blind",  "with_chain",  "without_chain"};
  return names;
}

scenario scenario::from_json(const json_reader& in) {
  in.only_keys({"name", "seed", "duration_s", "agents", "workload", "service", "fallback", "retry",
                "strategies"});
  scenario x;
  required(in, "name");
  x.name = in.string("name", "");
  if (x.name.empty())
    in.fail("name", "a non-empty string");
  x.seed = static_cast<uint64_t>(count(in, "seed", 0, INT64_MAX));
  x.duration_s = positive(in, "duration_s", 1e7);
  x.agents = count(in, "agents", 1, 1000000);

  auto workload = required(in, "workload");
  workload.only_keys({"tasks", "rate_per_s", "kind"});
  x.tasks = count(workload, "tasks", 1, 100000000);
  x.rate_per_s = positive(workload, "rate_per_s", 1e7);
  required(workload, "kind");
  x.kind = workload.string("kind", "");

  read_service(required(in, "service"), x);
  if (in.has("fallback"))
    x.fallback = read_fallback(in.at("fallback"), x);

  auto retry = required(in, "retry");
  retry.only_keys({"max_attempts", "base_ms", "cap_ms"});
  x.max_attempts = static_cast<int32_t>(count(retry, "max_attempts", 1, 1000));
  x.base_ms = positive(retry, "base_ms", 1e8);
  x.cap_ms = positive(retry, "cap_ms", 1e9);
  if (x.cap_ms < x.base_ms)
    retry.fail("cap_ms", "a number >= base_ms");

  auto strategies = required(in, "strategies").elements();
  if (strategies.empty())
    required(in, "strategies").fail("a non-empty array of strategy names");
  for (auto& s : strategies) {
    auto& names = strategy_names();
    if (!s.value().is_string() ||
        std::find(names.begin(), names.end(), s.value().get<std::string>()) == names.end())
      s.fail("one of immediate, exponential, full_jitter, equal_jitter, decorrelated_jitter, "
             "herd, herd_blind, with_chain, without_chain");
    x.strategies.push_back(s.value().get<std::string>());
    if (uses_chain(x.strategies.back()) && !x.fallback)
      s.fail("a strategy the scenario can run (with_chain needs a \"fallback\")");
  }
  if (x.runs_herd() && x.agents > max_herd_agents)
    in.fail("agents", "an integer in [1, " + std::to_string(max_herd_agents) +
                          "] with the herd strategy (one supervised actor per agent)");
  return x;
}

scenario scenario::load(const std::string& file) {
  auto document = read_json_file(file);
  return from_json(json_reader{document});
}

nlohmann::json scenario::to_json() const {
  nlohmann::json result = {
      {"name", name},
      {"seed", seed},
      {"duration_s", duration_s},
      {"agents", agents},
      {"workload", {{"tasks", tasks}, {"rate_per_s", rate_per_s}, {"kind", kind}}},
      {"service", service_json(*this)},
      {"retry", {{"max_attempts", max_attempts}, {"base_ms", base_ms}, {"cap_ms", cap_ms}}},
      {"strategies", strategies}};
  if (fallback)
    result["fallback"] = {{"name", fallback->name},
                          {"service", service_json(*fallback->behaviour)},
                          {"chain", fallback->chain.to_json()}};
  return result;
}

bool scenario::is_herd(const std::string& strategy) {
  return strategy == "herd" || strategy == "herd_blind" || strategy == "with_chain" ||
         strategy == "without_chain";
}

bool scenario::uses_chain(const std::string& strategy) {
  return strategy == "with_chain";
}

bool scenario::runs_herd() const {
  return std::any_of(strategies.begin(), strategies.end(), is_herd);
}

std::optional<double> scenario::last_outage_end() const {
  std::optional<double> result;
  for (auto& w : outages)
    result = std::max(result.value_or(0.0), w.start_s + w.duration_s);
  return result;
}

bool scenario::in_outage(double t_s) const {
  return std::any_of(outages.begin(), outages.end(), [t_s](const outage& w) {
    return t_s >= w.start_s && t_s < w.start_s + w.duration_s;
  });
}

} // namespace herd
