#include "herd/history/sla_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <sstream>

#include <nlohmann/json.hpp>

#include "herd/core/wall_time.hpp"

namespace herd {

namespace {

/// `part / whole`, or null when `whole` is 0.
nlohmann::json ratio(int64_t part, int64_t whole) {
  if (whole == 0)
    return nullptr;
  return static_cast<double>(part) / static_cast<double>(whole);
}

/// A ratio as a percentage with one decimal, or "-".
std::string percent(const nlohmann::json& r) {
  if (r.is_null())
    return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f%%", r.get<double>() * 100.0);
  return buf;
}

/// Milliseconds as seconds with three decimals, or "-".
std::string seconds(std::optional<double> ms) {
  if (!ms)
    return "-";
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3f s", *ms / 1000.0);
  return buf;
}

nlohmann::json or_null(std::optional<int64_t> x) {
  return x ? nlohmann::json(*x) : nlohmann::json(nullptr);
}

std::optional<double> as_double(std::optional<int64_t> x) {
  return x ? std::optional<double>{static_cast<double>(*x)} : std::nullopt;
}

} // namespace

// -- task figures -----------------------------------------------------------------------------

void sla_report::task_figures::add(const settled_task& t) {
  ++tasks;
  switch (t.state) {
  case outcome_status::completed:
    ++completed;
    break;
  case outcome_status::failed:
    ++failed;
    break;
  case outcome_status::dead_lettered:
    ++dead_lettered;
    break;
  case outcome_status::escalated:
    ++escalated;
    break;
  case outcome_status::handed_back:
    ++handed_back;
    return; // unfinished: in no rate, no duration
  }
  durations_ms.push_back(t.duration_ms());
  if (t.attempts > 1) {
    ++retried;
    if (t.state == outcome_status::completed)
      ++retried_completed;
  }
}

void sla_report::task_figures::finish() {
  std::sort(durations_ms.begin(), durations_ms.end());
}

std::optional<int64_t> sla_report::task_figures::percentile_ms(double q) const {
  if (durations_ms.empty())
    return std::nullopt;
  auto n = static_cast<double>(durations_ms.size());
  auto rank = static_cast<size_t>(std::max(std::ceil(q * n), 1.0));
  return durations_ms[std::min(rank, durations_ms.size()) - 1];
}

nlohmann::json sla_report::task_figures::to_json() const {
  auto settled_count = settled();
  return {{"tasks", tasks},
          {"settled", settled_count},
          {"completed", completed},
          {"failed", failed},
          {"dead_lettered", dead_lettered},
          {"escalated", escalated},
          {"handed_back", handed_back},
          {"retried", retried},
          {"retried_completed", retried_completed},
          {"success_rate", ratio(completed, settled_count)},
          {"escalation_rate", ratio(escalated, settled_count)},
          {"dead_letter_rate", ratio(dead_lettered, settled_count)},
          {"retried_share", ratio(retried, settled_count)},
          {"success_after_retry", ratio(retried_completed, retried)},
          {"p50_ms", or_null(percentile_ms(0.50))},
          {"p95_ms", or_null(percentile_ms(0.95))},
          {"p99_ms", or_null(percentile_ms(0.99))}};
}

// -- recovery figures -------------------------------------------------------------------------

std::optional<double> sla_report::recovery_figures::mttr_ms() const {
  if (recoveries == 0)
    return std::nullopt;
  return static_cast<double>(total_ms) / static_cast<double>(recoveries);
}

nlohmann::json sla_report::recovery_figures::to_json() const {
  auto mean = mttr_ms();
  return {{"recoveries", recoveries},
          {"mttr_ms", mean ? nlohmann::json(*mean) : nlohmann::json(nullptr)},
          {"max_ms", recoveries > 0 ? nlohmann::json(max_ms) : nlohmann::json(nullptr)}};
}

// -- the report -------------------------------------------------------------------------------

sla_report::sla_report(const std::vector<settled_task>& tasks,
                       const std::vector<recovery_interval>& recoveries, int64_t since_ms,
                       int64_t generated_ms)
    : since_ms_(since_ms), generated_ms_(generated_ms) {
  for (auto& t : tasks) {
    if (to_epoch_ms(t.settled) < since_ms)
      continue;
    overall_.add(t);
    kinds_[t.kind].add(t);
  }
  overall_.finish();
  for (auto& [kind, figures] : kinds_)
    figures.finish();
  for (auto& r : recoveries) {
    if (r.recovered_ms < since_ms)
      continue;
    auto& figures = r.subject_type == recovery_subject::breaker ? breakers_ : agents_;
    ++figures.recoveries;
    figures.total_ms += r.duration_ms();
    figures.max_ms = std::max(figures.max_ms, r.duration_ms());
  }
}

sla_report sla_report::of(const history_store& store, int64_t since_ms, int64_t now_ms) {
  return sla_report{store.tasks_since(since_ms), store.recoveries_since(since_ms), since_ms,
                    now_ms};
}

std::optional<int64_t> sla_report::parse_since(std::string_view text, int64_t now_ms) {
  if (auto age = parse_age_ms(text))
    return std::max(now_ms - *age, int64_t{0});
  return parse_utc(text);
}

const char* sla_report::since_formats() {
  return "an age (45s, 30m, 24h, 7d; at most 100 years) or an ISO-8601 UTC time "
         "(2026-11-30T18:00:00Z)";
}

nlohmann::json sla_report::to_json() const {
  nlohmann::json kinds = nlohmann::json::object();
  for (auto& [kind, figures] : kinds_)
    kinds[kind] = figures.to_json();
  return {{"generated_at", format_utc(generated_ms_)},
          {"since", since_ms_ > 0 ? nlohmann::json(format_utc(since_ms_)) : nullptr},
          {"since_ms", since_ms_},
          {"overall", overall_.to_json()},
          {"kinds", std::move(kinds)},
          {"recovery", {{"breakers", breakers_.to_json()}, {"agents", agents_.to_json()}}}};
}

std::string sla_report::to_markdown() const {
  std::ostringstream out;
  out << "# herd SLA report\n\n"
      << "Generated " << format_utc(generated_ms_) << "; tasks settled "
      << (since_ms_ > 0 ? "since " + format_utc(since_ms_) : std::string{"at any time"}) << ".\n\n"
      << "| kind | tasks | settled | success | p50 | p95 | p99 | escalated | dead-lettered | "
         "retried | success after retry | handed back |\n"
      << "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n";
  auto line = [&out](const std::string& name, const task_figures& f) {
    auto settled_count = f.settled();
    out << "| " << name << " | " << f.tasks << " | " << settled_count << " | "
        << percent(ratio(f.completed, settled_count)) << " | "
        << seconds(as_double(f.percentile_ms(0.50))) << " | "
        << seconds(as_double(f.percentile_ms(0.95))) << " | "
        << seconds(as_double(f.percentile_ms(0.99))) << " | " << f.escalated << " ("
        << percent(ratio(f.escalated, settled_count)) << ") | " << f.dead_lettered << " ("
        << percent(ratio(f.dead_lettered, settled_count)) << ") | " << f.retried << " ("
        << percent(ratio(f.retried, settled_count)) << ") | "
        << percent(ratio(f.retried_completed, f.retried)) << " | " << f.handed_back << " |\n";
  };
  for (auto& [kind, figures] : kinds_)
    line(kind, figures);
  line("**all**", overall_);
  out << "\n| recovery | count | MTTR | longest |\n|---|---:|---:|---:|\n";
  auto recovery = [&out](const char* name, const recovery_figures& f) {
    out << "| " << name << " | " << f.recoveries << " | " << seconds(f.mttr_ms()) << " | "
        << seconds(f.recoveries > 0 ? std::optional<double>{static_cast<double>(f.max_ms)}
                                    : std::nullopt)
        << " |\n";
  };
  recovery("breakers (open -> closed)", breakers_);
  recovery("agents (down -> healthy)", agents_);
  return out.str();
}

} // namespace herd
