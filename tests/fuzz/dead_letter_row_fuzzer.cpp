// Fuzzes how the dead-letter store reads rows it did not write itself (a crash, an older herd, a
// hand edit): input lines are the columns of one dead-letter row (0-20, as `letter_columns`) and
// then of one escalation row (21-27). Reading it gives the letter or a store_error naming the task;
// a listing skips a corrupt row and names it; nothing crashes.
#include "fuzz_input.hpp"
#include "fuzz_store.hpp"

#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_statement.hpp"

namespace {

constexpr size_t letter_fields = 21;
constexpr size_t escalation_fields = 7;

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  auto& db = fuzz::fuzz_store::instance();
  auto lines = fuzz::lines_of(data, size, letter_fields + escalation_fields);
  db.raw->exec("DELETE FROM dead_letters; DELETE FROM escalations;");
  {
    sqlite_statement insert{*db.raw, "INSERT INTO dead_letters(task_id, kind, pool, service, "
                                     "idempotency_key, payload, attempt, replays, created_ms, "
                                     "deadline_ms, history_json, agent, reason, status, note, "
                                     "first_failure_ms, last_failure_ms, dead_lettered_ms, "
                                     "updated_ms, error_text, letterings_json) VALUES (?, ?, ?, "
                                     "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"};
    for (size_t i = 0; i < letter_fields; ++i)
      insert.bind(static_cast<int>(i + 1), fuzz::line(lines, i));
    insert.run();
  }
  {
    sqlite_statement insert{*db.raw, "INSERT INTO escalations(task_id, reason, status, note, "
                                     "escalated_ms, updated_ms, task_json) VALUES (?, ?, ?, ?, "
                                     "?, ?, ?)"};
    for (size_t i = 0; i < escalation_fields; ++i)
      insert.bind(static_cast<int>(i + 1), fuzz::line(lines, letter_fields + i));
    insert.run();
  }
  auto& store = *db.store;
  const auto& id = fuzz::line(lines, 0);
  bool readable = true;
  try {
    auto letter = store.get(id);
    fuzz::check(letter.has_value() && letter->work.id == id, "the stored letter is not found");
  } catch (const store_error&) {
    readable = false; // "the dead letter of task ... is corrupt: ..."
  }
  std::vector<std::string> corrupt;
  auto letters = store.query(dead_letter_filter{}, corrupt);
  fuzz::check(letters.size() + corrupt.size() == 1, "a listing lost a row");
  fuzz::check(readable == (letters.size() > 0), "get and query disagree on a row");
  (void)store.stats();
  (void)store.depth_by_reason();
  corrupt.clear();
  auto escalations = store.escalations(std::nullopt, corrupt);
  fuzz::check(escalations.size() + corrupt.size() == 1, "an escalation listing lost a row");
  try {
    (void)store.get_escalation(fuzz::line(lines, letter_fields));
  } catch (const store_error&) {
  }
  return 0;
}
