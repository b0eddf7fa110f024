#pragma once

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <sstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>

#include "herd/core/failure.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/escalation.hpp"

namespace herd {

/// Prints a status in test failures.
inline std::ostream& operator<<(std::ostream& out, dead_letter_status x) {
  return out << to_string(x);
}

/// Prints a reason in test failures.
inline std::ostream& operator<<(std::ostream& out, dead_letter_reason x) {
  return out << to_string(x);
}

/// Prints an escalation status in test failures.
inline std::ostream& operator<<(std::ostream& out, escalation_status x) {
  return out << to_string(x);
}

} // namespace herd

namespace herd::test {

/// A fresh directory under the system's temp dir, removed with everything in it at the end.
struct temp_dir {
  std::filesystem::path path;

  temp_dir() {
    auto pattern = (std::filesystem::temp_directory_path() / "herd-test-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr)
      throw std::runtime_error("mkdtemp failed");
    path = pattern;
  }

  ~temp_dir() {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
  }

  /// The path of `name` inside the directory.
  std::string file(const std::string& name) const { return (path / name).string(); }
};

/// The bytes of `file`.
inline std::string file_contents(const std::string& file) {
  std::ifstream in{file, std::ios::binary};
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

/// A task that failed twice calling `service`, the last time with `error`.
inline task failed_task(const std::string& id, const std::string& kind = "read_only",
                        const std::string& service = "llm",
                        const std::string& error = "upstream reset") {
  auto t = task::make(id, kind, {{"prompt", "hello " + id}, {"n", 3}}, "agents");
  t.service = service;
  t.idempotency_key = "idem-" + id;
  t.attempt = 2;
  t.created = from_epoch_ms(1000);
  t.deadline = from_epoch_ms(90000);
  t.history.push_back({1, from_epoch_ms(2000), "agents-1",
                       failure::rate_limited("slow down", from_ms(5000)).from(service, 429)});
  t.history.push_back(
      {2, from_epoch_ms(7000), "agents-2", failure::transient(error).from(service, 502)});
  return t;
}

/// A pending dead letter of `failed_task(id, ...)` stamped at wall time `now_ms`.
inline dead_letter letter(const std::string& id, int64_t now_ms,
                          dead_letter_reason why = dead_letter_reason::exhausted,
                          const std::string& kind = "read_only", const std::string& service = "llm",
                          const std::string& error = "upstream reset") {
  return dead_letter::make(failed_task(id, kind, service, error), why, now_ms);
}

/// The letters of `store` matching `filter`; throws if a row could not be read.
inline std::vector<dead_letter> query(const dead_letter_store& store,
                                      const dead_letter_filter& filter = {}) {
  std::vector<std::string> corrupt;
  auto result = store.query(filter, corrupt);
  if (!corrupt.empty())
    throw std::runtime_error("corrupt rows: " + corrupt.front());
  return result;
}

/// Runs a `herd` store sub-command, `command(args, out, err)` (e.g. `run_dlq_command`), with
/// `--db db` appended unless `db` is empty; keeps what it printed in `out` and `err` (and in the
/// test log) and returns its exit code.
template <class Command>
int run_store_command(Command command, std::vector<std::string> args, const std::string& db,
                      std::string& out, std::string& err) {
  if (!db.empty()) {
    args.push_back("--db");
    args.push_back(db);
  }
  std::ostringstream o;
  std::ostringstream e;
  auto rc = command(args, o, e);
  out = o.str();
  err = e.str();
  BOOST_TEST_MESSAGE("herd " << (args.empty() ? "" : args.front()) << " -> " << rc << "\n"
                             << out << err);
  return rc;
}

} // namespace herd::test
