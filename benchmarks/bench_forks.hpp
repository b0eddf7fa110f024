#pragma once

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "bench_stats.hpp"

/// A benchmark run as several processes, one after another, as JMH forks its JVMs: a ratio of
/// interleaved rounds cancels drift inside one process, but not what a whole process draws once
/// (its address-space layout, where its threads land, the heap it grew), which moved every round
/// of one run of the same benchmark by 20-30% on this machine. With `--forks N` (N > 1) the
/// benchmark starts itself N times with the same arguments and `--json`, and prints one JSON
/// object that merges theirs: every figure is the median of the forks' figures (a `NAME_min`
/// the smallest, a `NAME_max` the largest), `NAME_forks` lists each fork's `NAME` where a
/// `NAME_min` exists, and `forks` says how many ran. Without `--forks` (or with 1), nothing
/// changes.
///
/// First thing in `main`: `if (auto code = run_forks(argc, argv)) return *code;` (it removes
/// `--forks N` from `argv`, so the benchmark's own parser never sees it).
namespace bench_forks_detail {

/// The value of `--forks` in `argv` (1 when absent), removed from `argv`; 0 when malformed.
inline int take_forks(int& argc, char** argv) {
  int forks = 1;
  for (int i = 1; i < argc; ++i) {
    if (std::strcmp(argv[i], "--forks") != 0)
      continue;
    char* end = nullptr;
    auto n = i + 1 < argc ? std::strtol(argv[i + 1], &end, 10) : 0;
    forks = i + 1 < argc && end != argv[i + 1] && *end == '\0' && n > 0 ? static_cast<int>(n) : 0;
    auto removed = i + 1 < argc ? 2 : 1;
    std::copy(argv + i + removed, argv + argc + 1, argv + i); // argv[argc] is null
    argc -= removed;
    break;
  }
  return forks;
}

/// Runs this program with `args` (and `--json`) and returns its last line of output, parsed;
/// null when it failed.
inline nlohmann::json run_child(const std::vector<std::string>& args) {
  int out[2];
  if (pipe(out) != 0)
    return nullptr;
  auto pid = fork();
  if (pid < 0) {
    close(out[0]);
    close(out[1]);
    return nullptr;
  }
  if (pid == 0) {
    dup2(out[1], STDOUT_FILENO);
    close(out[0]);
    close(out[1]);
    std::vector<char*> child_argv;
    for (auto& arg : args)
      child_argv.push_back(const_cast<char*>(arg.c_str()));
    child_argv.push_back(nullptr);
    execv("/proc/self/exe", child_argv.data());
    _exit(127);
  }
  close(out[1]);
  std::string text;
  char buf[4096];
  for (ssize_t n; (n = read(out[0], buf, sizeof buf)) > 0;)
    text.append(buf, static_cast<size_t>(n));
  close(out[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
    return nullptr;
  while (!text.empty() && text.back() == '\n')
    text.pop_back();
  auto last = text.find_last_of('\n');
  return nlohmann::json::parse(last == std::string::npos ? text : text.substr(last + 1), nullptr,
                               false);
}

/// The forks' values of `key` in `objects`.
inline std::vector<nlohmann::json> values_of(const std::vector<nlohmann::json>& objects,
                                             const std::string& key) {
  std::vector<nlohmann::json> values;
  for (auto& x : objects)
    if (x.is_object() && x.contains(key))
      values.push_back(x[key]);
  return values;
}

inline bool ends_with(const std::string& s, const std::string& tail) {
  return s.size() > tail.size() && s.compare(s.size() - tail.size(), tail.size(), tail) == 0;
}

/// Decimals that keep four significant digits of `x`, at least four (a ratio of 0.0073 keeps
/// 0.007312, not 0.0073).
inline int decimals_for(double x) {
  if (x == 0.0 || std::fabs(x) >= 0.1)
    return 4;
  return 3 - static_cast<int>(std::floor(std::log10(std::fabs(x))));
}

/// One object from the forks' objects of the same shape (see `run_forks`).
inline nlohmann::json merge(const std::vector<nlohmann::json>& forks) {
  auto& first = forks.front();
  if (first.is_array()) {
    auto merged = nlohmann::json::array();
    for (size_t i = 0; i < first.size(); ++i) {
      std::vector<nlohmann::json> items;
      for (auto& x : forks)
        if (x.is_array() && i < x.size())
          items.push_back(x[i]);
      merged.push_back(merge(items));
    }
    return merged;
  }
  if (!first.is_object())
    return first;
  auto merged = nlohmann::json::object();
  for (auto& [key, value] : first.items()) {
    auto values = values_of(forks, key);
    bool numbers = std::all_of(values.begin(), values.end(),
                               [](const nlohmann::json& v) { return v.is_number(); });
    if (!numbers || values.size() != forks.size()) {
      merged[key] = merge(values);
      continue;
    }
    std::vector<double> xs;
    for (auto& v : values)
      xs.push_back(v.get<double>());
    auto s = summarize(xs);
    auto figure = ends_with(key, "_min")   ? s.min
                  : ends_with(key, "_max") ? s.max
                                           : rounded(s.median, decimals_for(s.median));
    bool integers = std::all_of(values.begin(), values.end(),
                                [](const nlohmann::json& v) { return v.is_number_integer(); });
    if (integers)
      merged[key] = static_cast<int64_t>(std::llround(figure));
    else
      merged[key] = figure;
    if (first.contains(key + "_min"))
      merged[key + "_forks"] = xs;
  }
  return merged;
}

} // namespace bench_forks_detail

/// With `--forks N` (N > 1) in `argv`: runs this benchmark N times and prints the merged JSON;
/// returns the exit code for `main`. Otherwise removes `--forks` and returns nothing.
inline std::optional<int> run_forks(int& argc, char** argv) {
  using namespace bench_forks_detail;
  auto forks = take_forks(argc, argv);
  if (forks == 0) {
    std::cerr << "--forks needs a count > 0\n";
    return 2;
  }
  if (forks == 1)
    return std::nullopt;
  std::vector<std::string> args{argv, argv + argc};
  if (std::find(args.begin(), args.end(), "--json") == args.end())
    args.emplace_back("--json");
  std::vector<nlohmann::json> reports;
  for (int i = 0; i < forks; ++i) {
    auto report = run_child(args);
    if (report.is_discarded() || report.is_null()) {
      std::cerr << argv[0] << ": fork " << i + 1 << " of " << forks << " failed\n";
      return 1;
    }
    reports.push_back(std::move(report));
  }
  auto merged = merge(reports);
  merged["forks"] = forks;
  std::cout << merged.dump() << std::endl;
  return 0;
}
