// Fuzzes replay requests as `herd dlq replay` leaves them in the database: line 0 is the filter's
// JSON, lines 1-6 the other columns of the row. The filter reader accepts or refuses with a
// config_error; an accepted filter reads back from its own JSON form and selects letters without
// error (its strings never become SQL); the stored request reads or fails with a store_error.
#include "fuzz_input.hpp"
#include "fuzz_store.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dead_letters/dead_letter_filter.hpp"
#include "herd/dead_letters/replay_request.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/storage/sqlite_statement.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  auto& db = fuzz::fuzz_store::instance();
  auto lines = fuzz::lines_of(data, size, 7);
  const auto& filter_json = fuzz::line(lines, 0);
  try {
    auto filter =
        dead_letter_filter::from_json(json_reader{parse_json_text(filter_json, "filter")});
    auto again = dead_letter_filter::from_json(json_reader{filter.to_json()});
    fuzz::check(again == filter, "a filter does not read back from its JSON form");
    std::vector<std::string> corrupt;
    (void)db.store->query(filter, corrupt);
    (void)db.store->count(filter);
    (void)db.store->count_replayable(filter);
  } catch (const config_error&) {
  }
  db.raw->exec("DELETE FROM replay_requests");
  {
    sqlite_statement insert{*db.raw,
                            "INSERT INTO replay_requests(filter_json, rate, state, total, "
                            "sent, requested_ms, updated_ms) VALUES (?, ?, ?, ?, ?, ?, ?)"};
    for (size_t i = 0; i < 7; ++i)
      insert.bind(static_cast<int>(i + 1), fuzz::line(lines, i));
    insert.run();
  }
  try {
    auto requests = db.store->replay_requests();
    fuzz::check(requests.size() == 1, "a stored replay request is not listed");
    auto one = db.store->replay_request_of(requests.front().id);
    fuzz::check(one.has_value() && one->filter == requests.front().filter,
                "a replay request reads differently by id");
  } catch (const store_error& e) {
    fuzz::check(std::string{e.what()}.find("corrupt") != std::string::npos,
                "a corrupt request is not reported as corrupt");
  }
  return 0;
}
