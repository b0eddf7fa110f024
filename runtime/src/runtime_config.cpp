#include "herd/runtime/runtime_config.hpp"

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "herd/core/json_reader.hpp"

namespace herd {

runtime_config::runtime_config() {
  for (auto& name : failure_policy::preset_names())
    policies.emplace(name, failure_policy::preset(name));
}

const failure_policy& runtime_config::policy_for(const std::string& kind) const {
  auto i = policies.find(kind);
  if (i == policies.end() && !fallback_policy.empty())
    i = policies.find(fallback_policy);
  return i != policies.end() ? i->second : policies.at("default");
}

bool runtime_config::accepts_kind(const std::string& kind) const {
  return !fallback_policy.empty() || policies.count(kind) > 0;
}

dispatcher_config runtime_config::dispatcher_settings() const {
  auto result = dispatcher;
  result.kinds.clear();
  if (fallback_policy.empty())
    for (auto& entry : policies)
      result.kinds.push_back(entry.first);
  result.chains.clear();
  for (auto& [kind, chain] : fallbacks.chains)
    if (!chain.tiers.empty())
      result.chains[kind] = chain.tiers.front().label;
  return result;
}

std::string runtime_config::journal_file() const {
  return journal.file_beside(dead_letters ? dead_letters->db : std::string{});
}

pool_config runtime_config::pool_settings(const std::string& pool) const {
  auto i = pools.find(pool);
  return i != pools.end() ? i->second : pool_config{};
}

int32_t runtime_config::concurrency_of(const std::string& pool) const {
  auto i = pools.find(pool);
  if (i != pools.end() && i->second.concurrency > 0)
    return i->second.concurrency;
  return dispatcher.default_concurrency;
}

runtime_config runtime_config::from_json(const nlohmann::json& document) {
  json_reader in{document};
  in.only_keys({"log_level", "threads",      "dispatcher",      "retry",         "breakers",
                "admission", "dead_letters", "history",         "health",        "supervision",
                "pools",     "policies",     "fallback_policy", "http_client",   "services",
                "http",      "budgets",      "fallbacks",       "loop_guard",    "journal",
                "workflows", "node",         "memory",          "notifications", "locks"});
  runtime_config result;
  result.log_level = in.choice("log_level", result.log_level,
                               {"trace", "debug", "info", "warn", "error", "critical", "off"});
  result.threads = static_cast<int32_t>(in.integer("threads", result.threads, 0, 1024));
  if (in.has("dispatcher"))
    result.dispatcher = dispatcher_config::from_json(in.at("dispatcher"));
  if (in.has("retry"))
    result.retry = retry_scheduler_config::from_json(in.at("retry"));
  if (in.has("breakers"))
    result.breakers = breaker_registry_config::from_json(in.at("breakers"));
  if (in.has("admission"))
    result.admission = admission_config::from_json(in.at("admission"));
  if (in.has("workflows"))
    result.workflows = workflow_config::from_json(in.at("workflows"));
  if (in.has("dead_letters") && !in.at("dead_letters").value().is_null())
    result.dead_letters = dead_letter_queue_config::from_json(in.at("dead_letters"));
  if (in.has("history")) {
    auto history = in.at("history");
    if (history.value().is_boolean() && history.value().get<bool>())
      result.history = history_config{};
    else if (history.value().is_boolean() || history.value().is_null())
      result.history.reset();
    else if (history.value().is_object())
      result.history = history_config::from_json(history);
    else
      in.fail("history", "an object such as {\"db\": FILE, \"retention\": \"30d\"}, or false");
  }
  if (in.has("health"))
    result.health = health_monitor_config::from_json(in.at("health"));
  if (in.has("supervision"))
    result.supervision = supervisor_config::from_json(in.at("supervision"));
  if (in.has("http_client"))
    result.http_client = http_client_config::from_json(in.at("http_client"));
  if (in.has("http"))
    result.http = ops_endpoint_config::from_json(in.at("http").value(), in.path_of("http"));
  if (in.has("services")) {
    auto services = in.at("services");
    for (auto& name : services.keys())
      result.services[name] = http_service_config::from_json(services.at(name));
  }
  if (in.has("budgets"))
    result.budgets = budget_config::from_json(in.at("budgets"));
  if (in.has("fallbacks")) {
    std::set<std::string> service_names;
    for (auto& entry : result.services)
      service_names.insert(entry.first);
    result.fallbacks = fallback_config::from_json(in.at("fallbacks"), service_names);
  }
  if (in.has("loop_guard"))
    result.loop_limits = loop_guard::limits::from_json(in.at("loop_guard"));
  if (in.has("journal")) {
    result.journal = journal_config::from_json(in.at("journal"));
    if (result.journal.durable() && result.journal_file().empty())
      in.at("journal").fail("file", "a journal file (durability \"sync\" needs one, or "
                                    "\"dead_letters\" to keep it beside)");
  }
  if (in.has("node"))
    result.node = node_config::from_json(in.at("node"));
  if (in.has("memory"))
    result.memory = memory_watchdog_config::from_json(in.at("memory"));
  if (in.has("notifications"))
    result.notifications = notifications_config::from_json(in.at("notifications"));
  if (in.has("locks"))
    result.locks = locks_config::from_json(in.at("locks"));
  if (in.has("pools")) {
    auto pools = in.at("pools");
    for (auto& name : pools.keys()) {
      auto pool = pools.at(name);
      pool.only_keys({"concurrency", "autoscaling", "recycling"});
      pool_config entry;
      entry.concurrency = static_cast<int32_t>(pool.integer("concurrency", 0, 0, 1000000));
      if (pool.has("autoscaling"))
        entry.autoscaling = autoscaling_config::from_json(pool.at("autoscaling"));
      if (pool.has("recycling"))
        entry.recycling = recycle_policy::from_json(pool.at("recycling"));
      result.pools[name] = entry;
    }
  }
  if (in.has("policies")) {
    auto policies = in.at("policies");
    for (auto& kind : policies.keys())
      result.policies[kind] = failure_policy::from_json(policies.at(kind));
  }
  result.fallback_policy = in.string("fallback_policy", result.fallback_policy);
  if (!result.fallback_policy.empty() && result.policies.count(result.fallback_policy) == 0) {
    std::string names;
    for (auto& entry : result.policies)
      names += (names.empty() ? "" : ", ") + entry.first;
    in.fail("fallback_policy",
            "\"\" (refuse kinds without a policy) or the name of a policy (" + names + ")");
  }
  return result;
}

std::string runtime_config::workflows_db() const {
  if (!workflows.db.empty())
    return workflows.db;
  return dead_letters ? dead_letters->db : std::string{};
}

std::string runtime_config::history_db() const {
  if (!history)
    return {};
  if (!history->db.empty())
    return history->db;
  return dead_letters ? dead_letters->db : std::string{};
}

runtime_config runtime_config::load(const std::string& file) {
  auto result = from_json(read_json_file(file));
  auto beside_file = [&file](std::string& name) {
    std::filesystem::path db{name};
    // ":memory:" and "file:" URIs are SQLite's own names, not paths.
    auto sqlite_name = db.empty() || db == ":memory:" || db.string().rfind("file:", 0) == 0;
    if (!sqlite_name && db.is_relative())
      name = (std::filesystem::path{file}.parent_path() / db).string();
  };
  if (result.dead_letters)
    beside_file(result.dead_letters->db);
  if (result.history)
    beside_file(result.history->db);
  if (!result.journal.file.empty())
    beside_file(result.journal.file);
  beside_file(result.workflows.db);
  if (result.node.tls.enabled())
    for (auto* pem : {&result.node.tls.certificate, &result.node.tls.key, &result.node.tls.ca_file})
      beside_file(*pem);
  return result;
}

nlohmann::json runtime_config::to_json() const {
  nlohmann::json result{{"log_level", log_level},
                        {"threads", threads},
                        {"dispatcher", dispatcher.to_json()},
                        {"retry", retry.to_json()},
                        {"breakers", breakers.to_json()},
                        {"admission", admission.to_json()},
                        {"dead_letters", nullptr},
                        {"history", history ? history->to_json() : nlohmann::json(false)},
                        {"health", health.to_json()},
                        {"supervision", supervision.to_json()},
                        {"pools", nlohmann::json::object()},
                        {"policies", nlohmann::json::object()},
                        {"fallback_policy", fallback_policy},
                        {"http_client", http_client.to_json()},
                        {"services", nlohmann::json::object()},
                        {"http", http.to_json()},
                        {"budgets", budgets.to_json()},
                        {"fallbacks", fallbacks.to_json()},
                        {"loop_guard", loop_limits.to_json()},
                        {"journal", journal.to_json()},
                        {"workflows", workflows.to_json()},
                        {"node", node.to_json()},
                        {"memory", memory.to_json()},
                        {"notifications", notifications.to_json()},
                        {"locks", locks.to_json()}};
  for (auto& [name, service] : services)
    result["services"][name] = service.to_json();
  if (dead_letters)
    result["dead_letters"] = dead_letters->to_json();
  for (auto& [name, pool] : pools) {
    result["pools"][name] = {{"concurrency", pool.concurrency},
                             {"recycling", pool.recycling.to_json()}};
    if (pool.autoscaling)
      result["pools"][name]["autoscaling"] = pool.autoscaling->to_json();
  }
  for (auto& [kind, policy] : policies)
    result["policies"][kind] = policy.to_json();
  return result;
}

} // namespace herd
