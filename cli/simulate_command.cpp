#include "simulate_command.hpp"

#include <cctype>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <ostream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sys/wait.h>
#include <unistd.h>

#include "command_line.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/logging.hpp"
#include "herd/simulation/live_run.hpp"
#include "herd/simulation/memory_estimate.hpp"
#include "herd/simulation/occ_experiment.hpp"
#include "herd/simulation/scale_scenario.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/service_model.hpp"
#include "herd/simulation/simulation_report.hpp"

namespace herd::cli {

namespace {

const char* usage =
    R"(usage: herd simulate SCENARIO.json [--json] [--out DIR] [--realtime] [--live] [--scale F]
       herd simulate --aws-occ [--clients 10,20,...,190] [--trials 100] [--json] [--out DIR]

Runs a thundering-herd scenario (benchmarks/scenarios/*.json) for every strategy it lists, in
virtual time, and prints a summary (or the JSON report with --json). --out DIR also writes
DIR/<scenario>-<strategy>.csv and the plots DIR/<scenario>-calls.png and -backlog.png.
--realtime runs the herd strategy on the real scheduler (small scenarios only).
--aws-occ reproduces the optimistic-concurrency experiment of "Exponential Backoff and Jitter";
its herd line runs herd's retry scheduler in virtual time.
--live runs every strategy in real time against an in-process herd mock-llm over HTTP on
127.0.0.1 (configured from the scenario: capacity, outages, overload status and Retry-After,
latency); calls and peaks are counted by the mock (its /stats). Small scenarios only (e.g. 200
agents over 60 s: benchmarks/scenarios/live-*.json, benchmarks/run_live.sh).
--scale F multiplies the agents, tasks, arrival rate and capacity by F and keeps every duration
(with or without --live), so a big scenario fits one machine; default 1.
A scenario with a "fallback" service (benchmarks/scenarios/fallback-outage.json) also prints
how many tasks each tier served; its with_chain strategy falls back along the chain.
)";

/// The progress line on stderr: rewritten in place on a terminal; elsewhere one line per
/// phase (a strategy, a client count), so logs stay readable.
class progress_line {
public:
  explicit progress_line(std::ostream& err)
      : err_(err), tty_(&err == &std::cerr && ::isatty(STDERR_FILENO) != 0) {}

  void update(const std::string& text, const std::string& phase) {
    if (tty_) {
      err_ << "\rherd simulate " << std::left << std::setw(width_) << text << std::right
           << std::flush;
      width_ = std::max(width_, text.size());
    } else if (phase != phase_) {
      err_ << "herd simulate " << text << '\n';
    }
    phase_ = phase;
  }

  void done() {
    if (tty_)
      err_ << '\n';
  }

private:
  std::ostream& err_;
  bool tty_;
  size_t width_ = 0;
  std::string phase_;
};

std::string fixed(double x, int digits) {
  std::ostringstream s;
  s << std::fixed << std::setprecision(digits) << x;
  return s.str();
}

std::string optional_fixed(const std::optional<double>& x, int digits) {
  return x ? fixed(*x, digits) : "-";
}

void print_table(std::ostream& out, const scenario& config, const simulation_report& report) {
  out << "scenario " << report.scenario << " (seed " << report.seed << "): " << config.agents
      << " agents, capacity " << config.capacity_per_s << "/s, offered " << config.rate_per_s
      << "/s\n";
  out << std::left << std::setw(20) << "strategy" << std::right << std::setw(9) << "done"
      << std::setw(7) << "dlq" << std::setw(6) << "lost" << std::setw(10) << "calls" << std::setw(7)
      << "ampl" << std::setw(8) << "peak/s" << std::setw(10) << "peak/cap" << std::setw(9)
      << "drain_s" << std::setw(8) << "min_s" << std::setw(9) << "end_s" << std::setw(9) << "p50_ms"
      << std::setw(10) << "p99_ms" << std::setw(9) << "wall_s" << std::setw(14) << "sim_s/wall_s"
      << '\n';
  for (auto& r : report.results) {
    auto speed = r.wall_s > 0 ? r.completion_time_s / r.wall_s : 0.0;
    out << std::left << std::setw(20) << r.strategy << std::right << std::setw(9)
        << r.tasks_completed << std::setw(7) << r.tasks_dead_lettered + r.tasks_escalated
        << std::setw(6) << r.tasks_lost << std::setw(10) << r.calls_total << std::setw(7)
        << fixed(r.amplification, 2) << std::setw(8) << r.peak_calls_per_s << std::setw(10)
        << fixed(r.peak_over_capacity, 2) << std::setw(9) << optional_fixed(r.drain_time_s, 0)
        << std::setw(8) << optional_fixed(r.drain_minimum_s, 0) << std::setw(9)
        << fixed(r.completion_time_s, 0) << std::setw(9) << fixed(r.latency_p50_ms, 0)
        << std::setw(10) << fixed(r.latency_p99_ms, 0) << std::setw(9) << fixed(r.wall_s, 2)
        << std::setw(14) << fixed(speed, 0) << '\n';
  }
  if (!config.fallback)
    return;
  out << "served by tier (fallback \"" << config.fallback->name << "\": capacity "
      << config.fallback->behaviour->capacity_per_s << "/s):\n";
  for (auto& r : report.results) {
    out << "  " << std::left << std::setw(18) << r.strategy << std::right;
    for (auto& [tier, n] : r.served_by)
      out << ' ' << tier << ' ' << n;
    out << "; failed " << r.tasks_failed + r.tasks_dead_lettered + r.tasks_escalated
        << "; fallback calls " << r.fallback_calls.value_or(0) << '\n';
  }
}

/// `text` as a gnuplot single-quoted string: quotes doubled, control characters as spaces, so
/// a scenario's name or a path can never end the string and run a gnuplot command.
std::string gnuplot_quoted(const std::string& text) {
  std::string result = "'";
  for (auto c : text) {
    if (c == '\'')
      result += "''";
    else if (static_cast<unsigned char>(c) < 0x20)
      result += ' ';
    else
      result += c;
  }
  return result + "'";
}

/// The stem of the files written for `name`: letters, digits, '.', '_' and '-' kept, anything
/// else ('/', spaces, quotes) as '_' and a leading '.' as '_', so that the files stay inside
/// --out whatever the name holds.
std::string file_stem(const std::string& name) {
  std::string result;
  for (auto c : name) {
    auto plain =
        std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '.' || c == '_' || c == '-';
    result += plain ? c : '_';
  }
  if (!result.empty() && result[0] == '.')
    result[0] = '_';
  return result.empty() ? "scenario" : result;
}

/// True if `program` is an executable file in a folder of $PATH.
bool on_path(const std::string& program) {
  auto path = std::getenv("PATH");
  std::stringstream folders{path == nullptr ? "" : path};
  std::string folder;
  while (std::getline(folders, folder, ':')) {
    auto candidate = std::filesystem::path{folder.empty() ? "." : folder} / program;
    if (::access(candidate.c_str(), X_OK) == 0 && !std::filesystem::is_directory(candidate))
      return true;
  }
  return false;
}

/// Throws std::invalid_argument unless --out names an existing folder and gnuplot can run:
/// checked before a run, not after it.
void check_out(const command_line& cmd) {
  if (!cmd.has("out"))
    return;
  std::error_code ec;
  if (!std::filesystem::is_directory(cmd.get("out"), ec))
    throw std::invalid_argument("--out " + truncated(cmd.get("out"), 200) +
                                ": no such folder (create it first)");
  if (!on_path("gnuplot"))
    throw std::invalid_argument("--out needs gnuplot on the PATH for its plots (install "
                                "gnuplot-nox: scripts/setup.sh)");
}

/// Runs gnuplot on `script` (no shell: the path is one argument, whatever it holds); its output
/// goes to stderr. False if gnuplot is missing or fails.
bool run_gnuplot(const std::filesystem::path& script) {
  auto pid = fork();
  if (pid < 0)
    return false;
  if (pid == 0) {
    dup2(STDERR_FILENO, STDOUT_FILENO);
    execlp("gnuplot", "gnuplot", script.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      return false;
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

/// Runs gnuplot on `script`; false (with a message) if it is missing or fails.
bool plot(const std::filesystem::path& script, std::ostream& err) {
  if (!run_gnuplot(script)) {
    err << "herd simulate: gnuplot failed on " << script.string()
        << " (install gnuplot-nox: scripts/setup.sh)\n";
    return false;
  }
  return true;
}

/// One gnuplot line per strategy of `column` (1-based in the CSV) over seconds.
std::string plot_lines(const std::filesystem::path& dir, const std::string& stem,
                       const std::vector<strategy_result>& results, int column) {
  std::string lines;
  for (auto& r : results) {
    auto csv = (dir / (stem + "-" + r.strategy + ".csv")).string();
    lines += (lines.empty() ? "" : ", ") + gnuplot_quoted(csv) +
             " using 1:" + std::to_string(column) + " with lines lw 2 title " +
             gnuplot_quoted(r.strategy);
  }
  return lines;
}

/// Opens `file` for writing; throws std::runtime_error naming it if that fails.
std::ofstream create(const std::filesystem::path& file) {
  std::ofstream result{file};
  if (!result)
    throw std::runtime_error("cannot write " + file.string());
  return result;
}

/// Writes the CSVs, the gnuplot script and the plots of `report`; false (with a message) if
/// gnuplot failed.
bool write_outputs(const std::filesystem::path& dir, const scenario& config,
                   const simulation_report& report, std::ostream& err) {
  auto stem = file_stem(config.name);
  service_model capacity{config, config.seed};
  size_t longest = 0;
  std::string longest_csv; // the capacity line spans the longest run
  for (auto& r : report.results) {
    auto csv = create(dir / (stem + "-" + r.strategy + ".csv"));
    csv << "second,calls,failed_calls,completed,backlog,capacity\n";
    for (size_t s = 0; s < r.series.size(); ++s) {
      auto& x = r.series[s];
      csv << s << ',' << x.calls << ',' << x.failed << ',' << x.completed << ',' << x.backlog << ','
          << capacity.capacity_at(static_cast<double>(s)) << '\n';
    }
    if (r.series.size() >= longest) {
      longest = r.series.size();
      longest_csv = (dir / (stem + "-" + r.strategy + ".csv")).string();
    }
  }
  auto script = dir / (stem + ".gnuplot");
  auto gp = create(script);
  gp << "set datafile separator ','\nset key autotitle columnhead outside right\n"
     << "set terminal pngcairo noenhanced size 1200,600 font 'sans,10'\nset grid\n"
     << "set xlabel 'simulated second'\nset xrange [0:" << longest << "]\n";
  gp << "set output " << gnuplot_quoted((dir / (stem + "-calls.png")).string()) << '\n'
     << "set title " << gnuplot_quoted(config.name + ": calls reaching the service per second")
     << "\nset ylabel 'calls per second'\nset logscale y\nset yrange [1:*]\n"
     << "plot " << plot_lines(dir, stem, report.results, 2) << ", " << gnuplot_quoted(longest_csv)
     << " using 1:6 with lines lw 3 dt 2 lc rgb 'black' title 'capacity'\n";
  gp << "unset logscale y\nset yrange [0:*]\n"
     << "set output " << gnuplot_quoted((dir / (stem + "-backlog.png")).string()) << '\n'
     << "set title " << gnuplot_quoted(config.name + ": backlog (tasks arrived, not ended)")
     << "\nset ylabel 'tasks'\nplot " << plot_lines(dir, stem, report.results, 5) << '\n';
  gp.close();
  return plot(script, err);
}

std::vector<int32_t> parse_clients(const std::string& text) {
  std::vector<int32_t> result;
  std::stringstream in{text};
  std::string item;
  while (std::getline(in, item, ',')) {
    size_t used = 0;
    int value = 0;
    try {
      value = std::stoi(item, &used);
    } catch (const std::exception&) {
      used = 0;
    }
    if (used != item.size() || item.empty() || value < 1 || value > 100000)
      throw std::invalid_argument("--clients expects a comma-separated list of integers in [1, "
                                  "100000], got \"" +
                                  text + "\"");
    result.push_back(value);
  }
  if (result.empty())
    throw std::invalid_argument("--clients expects at least one client count");
  return result;
}

/// Writes the CSVs, the gnuplot script and the plots of the AWS experiment; false (with a
/// message) if gnuplot failed.
bool write_occ_plots(const std::filesystem::path& dir,
                     const std::vector<occ_experiment::point>& points, std::ostream& err) {
  std::string calls;
  std::string times;
  for (auto& name : occ_experiment::strategy_names()) {
    auto data = (dir / ("aws-occ-" + name + ".csv")).string();
    auto csv = create(data);
    csv << "clients,mean_calls,mean_time_ms\n";
    for (auto& p : points)
      if (p.strategy == name)
        csv << p.clients << ',' << p.mean_calls << ',' << p.mean_time_ms << '\n';
    auto line = [&](int column) {
      return gnuplot_quoted(data) + " using 1:" + std::to_string(column) +
             " with linespoints lw 2 title " + gnuplot_quoted(name);
    };
    calls += (calls.empty() ? "" : ", ") + line(2);
    times += (times.empty() ? "" : ", ") + line(3);
  }
  auto script = dir / "aws-occ.gnuplot";
  auto gp = create(script);
  gp << "set datafile separator ','\nset terminal pngcairo noenhanced size 1000,600 font "
     << "'sans,10'\nset grid\nset key top left\nset xlabel 'clients'\n";
  gp << "set output " << gnuplot_quoted((dir / "aws-occ-calls.png").string()) << '\n'
     << "set title 'AWS optimistic-concurrency experiment: write calls per trial'\n"
     << "set ylabel 'calls'\nplot " << calls << '\n';
  gp << "set output " << gnuplot_quoted((dir / "aws-occ-time.png").string()) << '\n'
     << "set title 'AWS optimistic-concurrency experiment: time until the last client succeeds'\n"
     << "set ylabel 'ms'\nset logscale y\nplot " << times << '\n';
  gp.close();
  return plot(script, err);
}

int run_occ(const command_line& cmd, std::ostream& out, std::ostream& err) {
  std::vector<int32_t> clients;
  for (int32_t n = 10; n <= 190; n += 10)
    clients.push_back(n);
  if (cmd.has("clients"))
    clients = parse_clients(cmd.get("clients"));
  auto trials = static_cast<int32_t>(cmd.integer("trials", 100, 1, 100000));
  progress_line progress{err};
  auto points = occ_experiment::run(clients, trials, [&](const occ_experiment::point& p) {
    progress.update("--aws-occ: " + std::to_string(p.clients) + " clients, " + p.strategy,
                    std::to_string(p.clients));
  });
  progress.done();
  auto plotted = !cmd.has("out") || write_occ_plots(cmd.get("out"), points, err);
  if (cmd.has("json")) {
    out << occ_experiment::to_json(points).dump(2) << '\n';
    return plotted ? 0 : 1;
  }
  out << "AWS optimistic-concurrency experiment (" << trials << " trials per point)\n"
      << std::setw(8) << "clients"
      << "  " << std::left << std::setw(20) << "strategy" << std::right << std::setw(12)
      << "mean_calls" << std::setw(14) << "mean_time_ms" << '\n';
  for (auto& p : points)
    out << std::setw(8) << p.clients << "  " << std::left << std::setw(20) << p.strategy
        << std::right << std::setw(12) << fixed(p.mean_calls, 1) << std::setw(14)
        << fixed(p.mean_time_ms, 1) << '\n';
  return plotted ? 0 : 1;
}

} // namespace

int run_simulate_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  try {
    command_line cmd{args, {"json", "realtime", "live", "aws-occ", "help"}};
    cmd.only({"json", "out", "realtime", "live", "scale", "aws-occ", "clients", "trials", "help"});
    if (cmd.has("help")) {
      out << usage;
      return 0;
    }
    set_log_level("error"); // the report counts every failure; no log line per task
    check_out(cmd);
    if (cmd.has("aws-occ"))
      return run_occ(cmd, out, err);
    if (cmd.positionals().size() != 1) {
      err << usage;
      return 2;
    }
    if (cmd.has("live") && cmd.has("realtime"))
      throw std::invalid_argument("--live and --realtime exclude each other (--live runs every "
                                  "strategy in real time)");
    auto live = cmd.has("live");
    auto scale = cmd.number("scale", 1.0, 0, 1000);
    if (scale <= 0)
      throw std::invalid_argument("--scale expects a factor in (0, 1000], got \"" +
                                  cmd.get("scale") + "\"");
    auto config = scale_scenario(scenario::load(cmd.positionals()[0]), scale);
    memory_estimate need{config};
    if (auto have = memory_estimate::available_bytes(); have && need.bytes() > *have) {
      err << "herd simulate: " << config.name << " needs " << need.describe() << ", but only "
          << human_bytes(*have) << " are available: lower /agents or /workload/tasks\n";
      return 2;
    }
    progress_line progress{err};
    auto on_progress = [&](const std::string& strategy, double s) {
      progress.update(config.name + ": " + strategy + ", " + fixed(s, 0) +
                          (live ? " s live" : " simulated s"),
                      strategy);
    };
    auto report = live ? live_run::run(config, on_progress)
                       : simulation_report::run(config, cmd.has("realtime"), on_progress);
    progress.done();
    auto plotted = !cmd.has("out") || write_outputs(cmd.get("out"), config, report, err);
    if (cmd.has("json")) {
      auto json = report.to_json();
      if (live)
        json["live"] = true;
      out << json.dump(2) << '\n';
    } else {
      if (live)
        out << "live over HTTP: an in-process herd mock-llm counted the calls\n";
      print_table(out, config, report);
    }
    auto problems = report.problems(config);
    for (auto& problem : problems)
      err << "herd simulate: " << config.name << ": " << problem << '\n';
    for (auto& r : report.results)
      if (r.tasks_lost != 0 || !r.reconciled)
        return 1;
    return plotted ? 0 : 1;
  } catch (const config_error& e) {
    err << "herd simulate: " << e.what() << '\n';
  } catch (const std::exception& e) {
    err << "herd simulate: " << e.what() << '\n';
  }
  return 2;
}

} // namespace herd::cli
