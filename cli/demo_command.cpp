#include "demo_command.hpp"

#include <algorithm>
#include <cstdlib>
#include <iomanip>
#include <map>
#include <mutex>
#include <optional>
#include <ostream>
#include <sstream>
#include <thread>

#include "command_line.hpp"
#include "demo/demo_agent.hpp"
#include "demo_workload.hpp"
#include "herd/breakers/breaker_transition.hpp"
#include "herd/core/config_error.hpp"
#include "herd/degradation/fallback_chain.hpp"
#include "herd/http/http_endpoint.hpp"
#include "herd/http/http_service_config.hpp"
#include "herd/mock_llm/mock_llm_server.hpp"
#include "herd/retry/failure_policy.hpp"
#include "herd/runtime/ops_endpoint.hpp"
#include "herd/runtime/runtime.hpp"
#include "herd/supervision/protocol.hpp"
#include "herd/supervision/supervision_event.hpp"
#include "outcome_inbox.hpp"
#include "stop_signals.hpp"

namespace herd::cli {

namespace {

void print_summary(std::ostream& out, size_t tasks, const std::vector<outcome>& outcomes,
                   const dispatcher_stats& stats, const std::string& first_tier) {
  std::map<std::string, size_t> by_status;
  std::map<std::string, size_t> served_by; // completed tasks by the tier that served them
  std::map<std::string, size_t> failures_by_category;
  std::map<std::string, size_t> per_agent;
  for (auto& o : outcomes) {
    ++by_status[to_string(o.status)];
    if (!o.ok())
      ++failures_by_category[to_string(o.error.category)];
    if (!o.agent.empty())
      ++per_agent[o.agent];
    if (o.ok())
      ++served_by[o.served_by.empty() ? first_tier : o.served_by];
  }
  out << "\nsummary of " << tasks << " tasks\n";
  for (auto& [status, n] : by_status)
    out << "  " << std::left << std::setw(16) << status << std::right << std::setw(8) << n << '\n';
  for (auto& [category, n] : failures_by_category)
    out << "    " << std::left << std::setw(14) << category << std::right << std::setw(8) << n
        << '\n';
  if (!per_agent.empty()) {
    size_t lo = SIZE_MAX;
    size_t hi = 0;
    size_t sum = 0;
    for (auto& [_, n] : per_agent) {
      lo = std::min(lo, n);
      hi = std::max(hi, n);
      sum += n;
    }
    out << "  per agent       min " << lo << " / mean " << std::fixed << std::setprecision(1)
        << static_cast<double>(sum) / per_agent.size() << " / max " << hi << " tasks ("
        << per_agent.size() << " agents)\n";
  }
  if (served_by.size() > 1 || (served_by.size() == 1 && served_by.begin()->first != first_tier)) {
    // Degradation: during the outage a lighter tier served what the first could not.
    out << "  served by tier ";
    const char* separator = " ";
    for (auto& [tier, n] : served_by) {
      out << separator << tier << ' ' << n << (tier == first_tier ? "" : " (degraded)");
      separator = ", ";
    }
    out << '\n';
  }
  out << "  dispatcher      accepted " << stats.accepted << ", completed " << stats.completed
      << ", failed " << stats.failed << ", dead-lettered " << stats.dead_lettered << ", escalated "
      << stats.escalated << ", pending " << stats.pending()
      << (stats.balanced() ? "  (every task accounted for)" : "  (UNBALANCED)") << '\n';
}

/// What the demo reports while it runs (breaker transitions, supervision events), collected
/// from its listener actors.
struct event_lines {
  std::mutex mtx;
  std::vector<std::string> lines;
  size_t printed = 0;
  size_t openings = 0;
  size_t transitions = 0;
  size_t scaled_up = 0;    // agents added by autoscaling
  size_t scaled_down = 0;  // agents removed by autoscaling
  std::string scaling_key; // the scaling step of the last scaling line
  std::string scaling_agents;
  size_t scaling_line = 0;

  void add(std::string line) {
    std::lock_guard<std::mutex> guard{mtx};
    lines.push_back(std::move(line));
  }

  void add(const breaker_transition& x) {
    auto line = "breaker " + x.key + ": " + to_string(x.from) + " -> " + to_string(x.to);
    if (x.until_probe.count() > 0)
      line += " (next probe in " + std::to_string(to_ms(x.until_probe)) + " ms)";
    std::lock_guard<std::mutex> guard{mtx};
    lines.push_back(std::move(line));
    openings += x.to == breaker_state::open ? 1 : 0;
    ++transitions;
  }

  /// A supervision event worth a line.
  void add(const supervision_event& event) {
    using kind = supervision_event_kind;
    switch (event.kind) {
    case kind::isolated:
    case kind::exited:
    case kind::abandoned:
    case kind::restarted:
    case kind::gave_up:
    case kind::recycled:
      break;
    case kind::scaled_up:
    case kind::scaled_down:
      add_scaling(event);
      return;
    default:
      return;
    }
    auto line = "supervision: " + event.source + " " + to_string(event.kind) + " " + event.name;
    if (!event.detail.empty())
      line += " (" + event.detail + ")";
    add(std::move(line));
  }

  /// One line per scaling step: the agents a step adds or removes share its reason.
  void add_scaling(const supervision_event& event) {
    auto grew = event.kind == supervision_event_kind::scaled_up;
    auto key = to_string(event.kind) + event.source + event.detail;
    std::lock_guard<std::mutex> guard{mtx};
    if (key != scaling_key || scaling_line < printed) {
      scaling_key = key;
      scaling_agents.clear();
      lines.emplace_back();
      scaling_line = lines.size() - 1;
    }
    scaling_agents += (scaling_agents.empty() ? "" : ", ") + event.name;
    lines[scaling_line] = "autoscaling: " + event.source +
                          (grew ? " grew, added " : " shrank, removed ") + scaling_agents + " (" +
                          event.detail + ")";
    (grew ? scaled_up : scaled_down) += 1;
  }

  void print_new(std::ostream& out) {
    std::lock_guard<std::mutex> guard{mtx};
    for (; printed < lines.size(); ++printed)
      out << "  " << lines[printed] << '\n';
  }
};

/// The environment variable holding the key for `--target`.
const char* const api_key_variable = "OPENAI_API_KEY";

/// "received 2412 calls: 200 x2100, 429 x180, ..." from the mock's stats JSON.
std::string mock_received(const nlohmann::json& stats) {
  std::ostringstream line;
  line << "received " << stats.value("requests", int64_t{0}) << " calls";
  const char* separator = ": ";
  auto by_status = stats.value("by_status", nlohmann::json::object());
  for (auto& [status, n] : by_status.items()) {
    line << separator << status << " x" << n.get<int64_t>();
    separator = ", ";
  }
  return line.str();
}

} // namespace

int run_demo_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
  try {
    command_line cmd{args, {"quiet", "serve"}};
    cmd.only({"agents", "tasks", "failure-rate", "capacity", "seed", "config", "db", "crashes",
              "hangs", "quiet", "target", "model", "serve", "listen"});
    if (cmd.has("listen") && !cmd.has("serve"))
      throw std::invalid_argument("--listen needs --serve");
    auto remote = cmd.has("target");
    if (remote)
      for (auto mock_only : {"failure-rate", "capacity", "seed"})
        if (cmd.has(mock_only))
          throw std::invalid_argument(std::string{"--"} + mock_only +
                                      " applies to the in-process mock only, not to --target");
    // Against a real provider every call costs money: a small run by default.
    auto agents = cmd.integer("agents", remote ? 4 : 32, 1, 10000);
    auto tasks = cmd.integer("tasks", remote ? 20 : 2000, 1, 1000000);
    auto chaos =
        make_chaos(tasks, cmd.integer("crashes", 3, 0, 1000), cmd.integer("hangs", 2, 0, 1000));
    http_service_config service;
    service.type = "openai";
    std::optional<mock_llm_profile> profile; // the in-process mock's, unless --target
    std::optional<mock_llm_server> mock;
    if (remote) {
      service.base_url = cmd.get("target");
      if (auto problem = http_endpoint::url_problem(service.base_url))
        throw std::invalid_argument("--target " + service.base_url + ": " + *problem);
      service.model = cmd.get("model", "gpt-4o-mini");
      auto* key = std::getenv(api_key_variable);
      if (key == nullptr || *key == '\0')
        throw std::invalid_argument(std::string{"--target needs the API key in the environment "
                                                "variable "} +
                                    api_key_variable + ", which is unset or empty");
      service.api_key = key;
    } else {
      auto capacity = cmd.integer("capacity", 400, 1, 1000000);
      auto error_rate = cmd.number("failure-rate", 0.05, 0.0, 1.0);
      auto seed = static_cast<uint64_t>(cmd.integer("seed", 1, 0, INT64_MAX));
      profile = demo_profile(capacity, error_rate, seed);
      service.model = cmd.get("model", "mock-small");
      service.api_key_required = false;
    }
    auto quiet = cmd.has("quiet");
    runtime_config config;
    if (cmd.has("config")) {
      config = runtime_config::load(cmd.get("config"));
    } else {
      config = demo_config();
    }
    // The demo's tasks have kind "demo": a config without a policy for it gets the default one.
    config.policies.emplace("demo", failure_policy::preset("default"));
    // With the in-process mock, "demo" falls back to a lighter model during the outage (unless
    // the config has a chain for it).
    auto degrade = profile && config.fallbacks.chain_for("demo") == nullptr;
    if (degrade)
      config.fallbacks.chains["demo"] = demo_chain();

    // The demo's pool grows while its backlog lasts (the outage's recovery) and shrinks after,
    // unless the config sizes it.
    auto& demo_pool = config.pools["agents"];
    if (!cmd.has("config") && !demo_pool.autoscaling)
      demo_pool.autoscaling = demo_autoscaling(static_cast<int32_t>(agents));
    auto autoscaled = demo_pool.autoscaling.has_value();

    if (cmd.has("db")) {
      dead_letter_queue_config dead_letters;
      dead_letters.db = cmd.get("db");
      config.dead_letters = dead_letters;
    }
    auto serve = cmd.has("serve");
    if (serve) {
      config.http.listen =
          cmd.get("listen", config.http.enabled() ? config.http.listen : "127.0.0.1:9464");
      try {
        config.http.host();
        config.http.port();
      } catch (const config_error& e) {
        throw std::invalid_argument("--listen " + config.http.listen + ": " + e.reason());
      }
    }
    // Before the runtime's threads start, so SIGINT/SIGTERM wait for `signals.wait()`.
    std::optional<stop_signals> signals;
    if (serve)
      signals.emplace();
    herd::runtime rt{config};
    // The mock starts once the runtime is up: its clock (outage, capacity) starts here.
    if (profile) {
      mock.emplace(*profile);
      mock->start("127.0.0.1", 0);
      service.base_url = mock->url();
    }
    std::optional<mock_llm_server> lite_mock;
    int64_t lite_capacity = 0;
    std::map<std::string, caf::actor> breakers;
    auto add_service = [&](const std::string& name, const http_service_config& config) {
      rt.add_http_service(name, config);
      auto breaker = rt.breaker_for(name);
      if (!breaker)
        throw std::runtime_error("no breaker for " + name + ": " +
                                 rt.system().render(breaker.error()));
      breakers.emplace(name, *breaker);
    };
    add_service(service_name, service);
    if (degrade) {
      lite_mock.emplace(lite_profile(*profile));
      lite_capacity = lite_profile(*profile).capacity_per_s;
      lite_mock->start("127.0.0.1", 0);
      auto lite = service;
      lite.base_url = lite_mock->url();
      lite.model = lite_model;
      add_service(lite_service_name, lite);
    }
    auto events = std::make_shared<event_lines>();
    // Shared state goes in as spawn arguments: CAF 0.17 binds a reference to a null tuple for
    // an actor spawned without any (UBSan reports it).
    auto watcher = rt.system().spawn(
        [](caf::event_based_actor*, std::shared_ptr<event_lines> events) -> caf::behavior {
          return {
              [events](const breaker_transition& x) { events->add(x); },
              [events](sup_event_atom, const supervision_event& x) { events->add(x); },
              [](restarted_atom, const std::string&, const caf::actor&, const caf::actor&) {},
          };
        },
        events);
    caf::anon_send(rt.breakers(), subscribe_atom::value, watcher);
    rt.subscribe_supervision(watcher);
    // The agents call the service a task names (a chain's tier) through its breaker.
    rt.spawn_pool<demo_agent>("agents", static_cast<size_t>(agents), breakers, chaos);
    out << "herd demo: " << agents << " agents, " << tasks << " tasks against \"" << service_name
        << "\" at " << service.base_url << " over HTTP (model " << service.model << "; ";
    if (mock) {
      auto& outage = profile->outages.front();
      out << "in-process mock-llm: capacity " << profile->capacity_per_s << " calls/s, error rate "
          << profile->error_rate << ", outage " << outage.start_ms << "-"
          << outage.start_ms + outage.length_ms << " ms, context window "
          << profile->context_window_tokens << " tokens, seed " << profile->seed << "; ";
      if (lite_mock)
        out << "falls back to \"" << lite_service_name << "\" (model " << lite_model
            << ", capacity " << lite_capacity << " calls/s, no outage); ";
    } else {
      out << "real requests: they cost money; ";
    }
    out << chaos->crash_at.size() << " agents crash and " << chaos->hang_at.size() << " hang for "
        << to_ms(chaos->hang_for) << " ms on purpose)\n";

    // Outcomes come to a collector as they finish, in any order.
    auto inbox = std::make_shared<outcome_inbox>();
    auto collector = rt.system().spawn(
        [](caf::event_based_actor* self, std::shared_ptr<outcome_inbox> inbox) -> caf::behavior {
          self->set_error_handler([inbox](caf::error&) { inbox->refuse(); });
          return {[inbox](outcome& o) { inbox->add(std::move(o)); }};
        },
        inbox);
    for (int64_t i = 0; i < tasks; ++i) {
      auto over_long = mock && i % over_long_every == over_long_every / 2;
      auto t =
          task::make("demo-" + std::to_string(i), "demo", demo_payload(i, over_long), "agents");
      t.service = service_name;
      rt.submit(std::move(t), collector);
    }
    auto total = static_cast<size_t>(tasks);
    auto step = std::max<size_t>(total / 10, 1);
    for (size_t done = 0; done < total;) {
      auto [answered, failed] = inbox->wait_for(std::min((done / step + 1) * step, total));
      done = answered;
      if (!quiet) {
        events->print_new(out);
        out << "progress: " << done << "/" << tasks << " done, " << failed << " failed\n"
            << std::flush;
      }
    }
    if (autoscaled && !signals) {
      // The backlog is gone: give the pool a few seconds to shrink back to its minimum.
      auto floor = static_cast<double>(demo_pool.autoscaling->min_agents);
      for (int i = 0; i < 100; ++i) {
        if (rt.metrics().total("herd_pool_agents", {{"pool", "agents"}}) <= floor)
          break;
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
      }
      if (!quiet)
        events->print_new(out);
    }
    auto outcomes = inbox->outcomes();
    auto refused = inbox->refused();
    auto admission = rt.admission_stats_of(service_name);
    if (signals) {
      out << "serving on " << rt.endpoint()->url() << " (dashboard, /metrics, /api/state); "
          << "Ctrl-C stops" << std::endl;
      out << "stopped by " << signals->wait() << '\n';
    }
    auto report = rt.shutdown(from_ms(10000));
    if (!quiet)
      events->print_new(out);
    print_summary(out, static_cast<size_t>(tasks), outcomes, report.stats, service_name);
    out << "  breaker         opened " << events->openings << " times, " << events->transitions
        << " transitions\n";
    if (admission) {
      out << "  admission       " << admission->admitted << " calls admitted, " << admission->waited
          << " waited for their turn, " << admission->throttled << " throttled, "
          << admission->rejected() << " refused; rate ";
      if (admission->rate_per_s < 0)
        out << "unlimited\n";
      else
        out << static_cast<int64_t>(admission->rate_per_s) << "/s (" << to_string(admission->source)
            << ")\n";
    }
    auto count = [&](const char* name) { return static_cast<int64_t>(rt.metrics().total(name)); };
    out << "  supervision     " << count("herd_isolations_total") << " agents isolated, "
        << count("herd_children_abandoned_total") << " hung agents replaced, "
        << count("herd_restarts_total") << " restarts\n";
    if (autoscaled)
      out << "  autoscaling     " << events->scaled_up << " agents added, " << events->scaled_down
          << " removed (pool \"agents\" between " << demo_pool.autoscaling->min_agents << " and "
          << demo_pool.autoscaling->max_agents << ")\n";
    if (mock) {
      mock->stop();
      out << "  mock-llm        " << mock_received(mock->stats()) << '\n';
    }
    if (lite_mock) {
      lite_mock->stop();
      out << "  mock-llm lite   " << mock_received(lite_mock->stats()) << '\n';
    }
    if (config.dead_letters)
      out << "  dead letters    kept in " << config.dead_letters->db
          << "; inspect them with: herd dlq list --db " << config.dead_letters->db << '\n';
    if (auto history = config.history_db(); !history.empty())
      out << "  task history    kept in " << history << "; the SLA report: herd report --db "
          << history << '\n';
    if (refused > 0)
      out << "  refused         " << refused << '\n';
    // The runtime stopped the service; the demo's own listeners are the demo's to stop.
    caf::anon_send_exit(watcher, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(collector, caf::exit_reason::user_shutdown);
    return report.stats.balanced() ? 0 : 1;
  } catch (const config_error& e) {
    err << "herd demo: " << e.what() << '\n';
  } catch (const std::exception& e) {
    err << "herd demo: " << e.what() << '\n';
  }
  return 2;
}

} // namespace herd::cli
