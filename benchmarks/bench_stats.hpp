#pragma once

#include <algorithm>
#include <chrono>
#include <cmath>
#include <string>
#include <time.h>
#include <vector>

#include <nlohmann/json.hpp>

/// The median, smallest and largest of a benchmark's per-round figures: a ratio is reported as
/// the median of the per-round ratios of interleaved rounds (A, B, A, B, ...), so drift and
/// noise hit both sides alike, with its spread.
struct bench_summary {
  /// The median (the mean of the middle two for an even count).
  double median = 0;
  /// The smallest figure.
  double min = 0;
  /// The largest figure.
  double max = 0;
};

/// The summary of `xs` (not empty).
inline bench_summary summarize(std::vector<double> xs) {
  std::sort(xs.begin(), xs.end());
  auto n = xs.size();
  auto mid = n % 2 == 1 ? xs[n / 2] : (xs[n / 2 - 1] + xs[n / 2]) / 2;
  return {mid, xs.front(), xs.back()};
}

/// `x` rounded to `digits` decimals (divided, so that the JSON shows no binary residue).
inline double rounded(double x, int digits) {
  auto scale = std::pow(10.0, digits);
  return std::round(x * scale) / scale;
}

/// Adds `name`, `name_min` and `name_max` to `out`, rounded to `digits` decimals.
inline void add_summary(nlohmann::json& out, const std::string& name, const bench_summary& s,
                        int digits) {
  out[name] = rounded(s.median, digits);
  out[name + "_min"] = rounded(s.min, digits);
  out[name + "_max"] = rounded(s.max, digits);
}

/// Wall seconds since `start` (steady clock).
inline double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

/// CPU seconds this process has used so far, all threads. Rates per CPU second do not count what
/// other processes on the machine take from the benchmark's threads.
inline double cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}
