#include "simulate_command.hpp"

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
#include "herd/simulation/occ_experiment.hpp"
#include "herd/simulation/scenario.hpp"
#include "herd/simulation/service_model.hpp"
#include "herd/simulation/simulation_report.hpp"

namespace herd::cli {

namespace {

const char* usage = R"(usage: herd simulate SCENARIO.json [--json] [--out DIR] [--realtime]
       herd simulate --aws-occ [--clients 10,20,...,190] [--trials 100] [--json] [--out DIR]

Runs a thundering-herd scenario (benchmarks/scenarios/*.json) for every strategy it lists, in
virtual time, and prints a summary (or the JSON report with --json). --out DIR also writes
DIR/<scenario>-<strategy>.csv and the plots DIR/<scenario>-calls.png and -backlog.png.
--realtime runs the herd strategy on the real scheduler (small scenarios only).
--aws-occ reproduces the optimistic-concurrency experiment of "Exponential Backoff and Jitter".
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
std::string plot_lines(const std::filesystem::path& dir, const std::string& name,
                       const std::vector<strategy_result>& results, int column) {
  std::string lines;
  for (auto& r : results) {
    auto csv = (dir / (name + "-" + r.strategy + ".csv")).string();
    lines += (lines.empty() ? "" : ", ") + std::string{"'"} + csv +
             "' using 1:" + std::to_string(column) + " with lines lw 2 title '" + r.strategy + "'";
  }
  return lines;
}

void write_outputs(const std::filesystem::path& dir, const scenario& config,
                   const simulation_report& report, std::ostream& err) {
  std::filesystem::create_directories(dir);
  service_model capacity{config, config.seed};
  size_t longest = 0;
  std::string longest_csv; // the capacity line spans the longest run
  for (auto& r : report.results) {
    std::ofstream csv{dir / (config.name + "-" + r.strategy + ".csv")};
    csv << "second,calls,failed_calls,completed,backlog,capacity\n";
    for (size_t s = 0; s < r.series.size(); ++s) {
      auto& x = r.series[s];
      csv << s << ',' << x.calls << ',' << x.failed << ',' << x.completed << ',' << x.backlog << ','
          << capacity.capacity_at(static_cast<double>(s)) << '\n';
    }
    if (r.series.size() >= longest) {
      longest = r.series.size();
      longest_csv = (dir / (config.name + "-" + r.strategy + ".csv")).string();
    }
  }
  auto script = dir / (config.name + ".gnuplot");
  std::ofstream gp{script};
  gp << "set datafile separator ','\nset key autotitle columnhead outside right\n"
     << "set terminal pngcairo noenhanced size 1200,600 font 'sans,10'\nset grid\n"
     << "set xlabel 'simulated second'\nset xrange [0:" << longest << "]\n";
  gp << "set output '" << (dir / (config.name + "-calls.png")).string() << "'\n"
     << "set title '" << config.name << ": calls reaching the service per second'\n"
     << "set ylabel 'calls per second'\nset logscale y\nset yrange [1:*]\n"
     << "plot " << plot_lines(dir, config.name, report.results, 2) << ", '" << longest_csv
     << "' using 1:6 with lines lw 3 dt 2 lc rgb 'black' title 'capacity'\n";
  gp << "unset logscale y\nset yrange [0:*]\n"
     << "set output '" << (dir / (config.name + "-backlog.png")).string() << "'\n"
     << "set title '" << config.name << ": backlog (tasks arrived, not ended)'\n"
     << "set ylabel 'tasks'\nplot " << plot_lines(dir, config.name, report.results, 5) << '\n';
  gp.close();
  plot(script, err);
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

void write_occ_plots(const std::filesystem::path& dir,
                     const std::vector<occ_experiment::point>& points, std::ostream& err) {
  std::filesystem::create_directories(dir);
  std::string calls;
  std::string times;
  for (auto& name : occ_experiment::strategy_names()) {
    auto data = (dir / ("aws-occ-" + name + ".csv")).string();
    std::ofstream csv{data};
    csv << "clients,mean_calls,mean_time_ms\n";
    for (auto& p : points)
      if (p.strategy == name)
        csv << p.clients << ',' << p.mean_calls << ',' << p.mean_time_ms << '\n';
    auto line = [&](int column) {
      return "'" + data + "' using 1:" + std::to_string(column) + " with linespoints lw 2 title '" +
             name + "'";
    };
    calls += (calls.empty() ? "" : ", ") + line(2);
    times += (times.empty() ? "" : ", ") + line(3);
  }
  auto script = dir / "aws-occ.gnuplot";
  std::ofstream gp{script};
  gp << "set datafile separator ','\nset terminal pngcairo noenhanced size 1000,600 font "
     << "'sans,10'\nset grid\nset key top left\nset xlabel 'clients'\n";
  gp << "set output '" << (dir / "aws-occ-calls.png").string() << "'\n"
     << "set title 'AWS optimistic-concurrency experiment: write calls per trial'\n"
     << "set ylabel 'calls'\nplot " << calls << '\n';
  gp << "set output '" << (dir / "aws-occ-time.png").string() << "'\n"
     << "set title 'AWS optimistic-concurrency experiment: time until the last client succeeds'\n"
     << "set ylabel 'ms'\nset logscale y\nplot " << times << '\n';
  gp.close();
  plot(script, err);
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
  if (cmd.has("out"))
    write_occ_plots(cmd.get("out"), points, err);
  if (cmd.has("json")) {
    out << occ_experiment::to_json(points).dump(2) << '\n';
    return 0;
  }
  out << "AWS optimistic-concurrency experiment (" << trials << " trials per point)\n"
      << std::setw(8) << "clients"
      << "  " << std::left << std::setw(20) << "strategy" << std::right << std::setw(12)
      << "mean_calls" << std::setw(14) << "mean_time_ms" << '\n';
  for (auto& p : points)
    out << std::setw(8) << p.clients << "  " << std::left << std::setw(20) << p.strategy
        << std::right << std::setw(12) << fixed(p.mean_calls, 1) << std::setw(14)
        << fixed(p.mean_time_ms, 1) << '\n';
  return 0;
}

} // namespace

int run_simulate_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err) {
  try {
    command_line cmd{args, {"json", "realtime", "aws-occ", "help"}};
    cmd.only({"json", "out", "realtime", "aws-occ", "clients", "trials", "help"});
    if (cmd.has("help")) {
      out << usage;
      return 0;
    }
    set_log_level("error"); // the report counts every failure; no log line per task
    if (cmd.has("aws-occ"))
      return run_occ(cmd, out, err);
    if (cmd.positionals().size() != 1) {
      err << usage;
      return 2;
    }
    auto config = scenario::load(cmd.positionals()[0]);
    progress_line progress{err};
    auto report = simulation_report::run(
        config, cmd.has("realtime"), [&](const std::string& strategy, double sim_s) {
          progress.update(config.name + ": " + strategy + ", " + fixed(sim_s, 0) + " simulated s",
                          strategy);
        });
    progress.done();
    if (cmd.has("out"))
      write_outputs(cmd.get("out"), config, report, err);
    if (cmd.has("json"))
      out << report.to_json().dump(2) << '\n';
    else
      print_table(out, config, report);
    for (auto& r : report.results)
      if (r.tasks_lost != 0 || !r.reconciled)
        return 1;
    return 0;
  } catch (const config_error& e) {
    err << "herd simulate: " << e.what() << '\n';
  } catch (const std::exception& e) {
    err << "herd simulate: " << e.what() << '\n';
  }
  return 2;
}

} // namespace herd::cli
