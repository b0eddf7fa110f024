#pragma once

#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string>
#include <utility>
#include <vector>

/// The command line of a benchmark: `--json` and `--NAME N` flags, N a positive integer. Bind
/// each flag to its option, then `parse`:
///
///     bench_flags flags;
///     flags.count("--calls", opt.calls).count("--rounds", opt.rounds).flag("--json", opt.json);
///     if (!flags.parse(argc, argv)) { std::cerr << usage; return 2; }
class bench_flags {
public:
  /// Binds `--name N` (N > 0) to `out`.
  template <class Integer>
  bench_flags& count(std::string name, Integer& out) {
    counts_.emplace_back(std::move(name), [&out](long long x) { out = static_cast<Integer>(x); });
    return *this;
  }

  /// Binds the switch `--name` to `out` (true when given).
  bench_flags& flag(std::string name, bool& out) {
    flags_.emplace_back(std::move(name), &out);
    return *this;
  }

  /// Reads `argv`; false on an unknown flag, a missing value or one that is not > 0.
  bool parse(int argc, char** argv) const {
    for (int i = 1; i < argc; ++i) {
      std::string arg = argv[i];
      if (set_flag(arg))
        continue;
      if (i + 1 >= argc || !set_count(arg, argv[++i]))
        return false;
    }
    return true;
  }

private:
  bool set_flag(const std::string& arg) const {
    for (auto& [name, out] : flags_)
      if (name == arg)
        return *out = true;
    return false;
  }

  bool set_count(const std::string& arg, const char* text) const {
    char* end = nullptr;
    auto x = std::strtoll(text, &end, 10);
    if (end == text || *end != '\0' || x <= 0)
      return false;
    for (auto& [name, set] : counts_)
      if (name == arg) {
        set(x);
        return true;
      }
    return false;
  }

  std::vector<std::pair<std::string, std::function<void(long long)>>> counts_;
  std::vector<std::pair<std::string, bool*>> flags_;
};
