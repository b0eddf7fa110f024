// Fuzzes the command line of herd's store commands: input lines are arguments. Ages and times
// ("7d", "2026-11-30T18:00:00Z") parse or are refused; a parsed time formats and parses back to
// itself; `herd dlq list|stats|show` with any filters on a real database ends with exit code 0,
// 1 or 2 (never an exception or a crash). Subcommands that write and --db are left out: the
// target only ever reads its own database.
#include "fuzz_input.hpp"
#include "fuzz_store.hpp"

#include <sstream>

#include "dlq_command.hpp"
#include "escalations_command.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/history/sla_report.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  auto& db = fuzz::fuzz_store::instance();
  auto lines = fuzz::lines_of(data, size, 32);
  constexpr int64_t now_ms = 1'796'000'000'000; // 2026-11-29
  constexpr int64_t century_ms = int64_t{100} * 366 * 24 * 3600 * 1000;
  for (const auto& text : lines) {
    if (auto age = parse_age_ms(text))
      fuzz::check(*age >= 0 && *age <= century_ms, "an age outside [0, 100 years]");
    if (auto ms = parse_utc(text)) {
      fuzz::check(*ms >= 0, "a time before the epoch");
      // 0 is "no time" and formats as "-".
      auto again = *ms == 0 ? ms : parse_utc(format_utc(*ms));
      fuzz::check(again && *again == *ms, "a time does not format and parse back");
    }
    if (auto since = sla_report::parse_since(text, now_ms))
      fuzz::check(*since >= 0, "a --since before the epoch");
  }
  // The first line picks the subcommand; --db is ours.
  static const std::vector<std::string> readers = {"list", "stats", "show"};
  std::vector<std::string> args{readers[lines.front().size() % readers.size()]};
  for (size_t i = 1; i < lines.size(); ++i) {
    if (lines[i] == "--db" || lines[i].rfind("--db=", 0) == 0) {
      ++i;
      continue;
    }
    args.push_back(lines[i]);
  }
  args.push_back("--db");
  args.push_back(db.file);
  std::ostringstream out;
  std::ostringstream err;
  auto code = run_dlq_command(args, out, err);
  fuzz::check(code == 0 || code == 1 || code == 2, "herd dlq ended with an unexpected exit code");
  args.front() = "list";
  code = run_escalations_command(args, out, err);
  fuzz::check(code == 0 || code == 1 || code == 2,
              "herd escalations ended with an unexpected exit code");
  return 0;
}
