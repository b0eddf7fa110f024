// The task history's store: round trip, retention, sharing the dead-letter file, bad files.
#include <fstream>

#include <boost/test/unit_test.hpp>
#include <sqlite3.h>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/history/history_collector.hpp"
#include "herd/history/history_store.hpp"
#include "history/history_test_support.hpp"

using namespace herd;

namespace {

/// The problem `body` throws as a `store_error`, or "" if it throws none.
template <class F>
std::string store_problem(F body) {
  try {
    body();
  } catch (const store_error& e) {
    return e.what();
  }
  return "";
}

constexpr int64_t day_ms = 24LL * 3600 * 1000;

} // namespace

BOOST_AUTO_TEST_SUITE(history_suite)

BOOST_AUTO_TEST_CASE(settled_tasks_and_recoveries_come_back_as_stored) {
  test::temp_dir dir;
  auto db = dir.file("h.db");
  auto done = test::settled("t-1", "summarize", outcome_status::completed, 2, 1'000'000, 1500);
  auto lettered = test::settled("t-2", "charge", outcome_status::dead_lettered, 3, 1'001'000, 90);
  lettered.service = "";
  lettered.agent = "";
  recovery_interval breaker{recovery_subject::breaker, "llm", 1'000'100, 1'004'100};
  recovery_interval agent{recovery_subject::agent, "pool-3", 1'000'200, 1'000'450};
  {
    history_store store{db};
    BOOST_TEST(store.schema_version() == history_store::latest_schema_version);
    store.add({done, lettered}, {breaker, agent});
    BOOST_TEST(store.commits() == 1);
  }
  history_store reader{db, history_store::open_mode::read_only};
  auto tasks = reader.tasks_since(0);
  BOOST_REQUIRE(tasks.size() == 2u);
  BOOST_TEST((tasks[0] == done));
  BOOST_TEST((tasks[1] == lettered));
  BOOST_TEST(tasks[0].duration_ms() == 1500);
  auto recoveries = reader.recoveries_since(0);
  BOOST_REQUIRE(recoveries.size() == 2u);
  BOOST_TEST((recoveries[0] == breaker));
  BOOST_TEST((recoveries[1] == agent));
  // A time selects what settled (or recovered) at or after it.
  BOOST_TEST(reader.tasks_since(1'001'100).size() == 1u);
  BOOST_TEST(reader.recoveries_since(1'004'000).size() == 1u);
}

BOOST_AUTO_TEST_CASE(retention_deletes_only_rows_older_than_it) {
  test::temp_dir dir;
  history_store store{dir.file("h.db")};
  int64_t now = 100 * day_ms;
  store.add({test::settled("old", "k", outcome_status::completed, 1, now - 31 * day_ms, 10),
             test::settled("new", "k", outcome_status::completed, 1, now - 29 * day_ms, 10)},
            {{recovery_subject::breaker, "llm", now - 40 * day_ms, now - 40 * day_ms + 5},
             {recovery_subject::agent, "a-1", now - day_ms, now - day_ms + 5}});
  history_config config; // retention 30 days
  history_collector collector{store, config};
  collector.flush(now); // the first flush purges
  auto tasks = store.tasks_since(0);
  BOOST_REQUIRE(tasks.size() == 1u);
  BOOST_TEST(tasks[0].task_id == "new");
  auto recoveries = store.recoveries_since(0);
  BOOST_REQUIRE(recoveries.size() == 1u);
  BOOST_TEST(recoveries[0].subject == "a-1");
}

BOOST_AUTO_TEST_CASE(history_shares_the_dead_letter_database_with_its_own_version) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  // Either may create the file first; each versions its own tables.
  {
    history_store history{db};
    dead_letter_store letters{db};
    BOOST_TEST(letters.schema_version() == dead_letter_store::latest_schema_version);
    BOOST_TEST(history.schema_version() == history_store::latest_schema_version);
    history.add({test::settled("t", "k", outcome_status::dead_lettered, 1, 5000, 1)}, {});
    letters.add({dead_letter::make(task::make("t", "k"), dead_letter_reason::non_retryable, 5001)});
    BOOST_TEST(letters.integrity_check() == "ok");
  }
  auto other = dir.file("other.db");
  {
    dead_letter_store letters{other};
    history_store history{other};
    BOOST_TEST(history.schema_version() == history_store::latest_schema_version);
  }
  dead_letter_store letters{db, dead_letter_store::open_mode::read_only};
  BOOST_TEST(letters.get("t").has_value());
  history_store history{db, history_store::open_mode::read_only};
  BOOST_TEST(history.tasks_since(0).size() == 1u);
}

BOOST_AUTO_TEST_CASE(bad_files_are_refused_with_the_file_and_the_problem) {
  test::temp_dir dir;
  auto missing = dir.file("missing.db");
  auto problem = store_problem([&] {
    history_store{missing, history_store::open_mode::read_only};
  });
  BOOST_TEST(problem.find(missing + ": no such database file") != std::string::npos, problem);
  // A dead-letter database of a runtime without history has no history tables: said so.
  auto letters_only = dir.file("letters.db");
  dead_letter_store{letters_only};
  problem = store_problem([&] {
    history_store{letters_only, history_store::open_mode::read_only};
  });
  BOOST_TEST(problem.find("no task history in this database") != std::string::npos, problem);
  // Not SQLite: never written.
  auto text = dir.file("notes.txt");
  std::ofstream{text} << "shopping list: milk, eggs, and a great deal more text than a header";
  problem = store_problem([&] { history_store{text}; });
  BOOST_TEST(problem.find("not a herd database") != std::string::npos, problem);
  // A newer herd's history tables.
  auto newer = dir.file("newer.db");
  history_store{newer};
  sqlite3* raw = nullptr;
  BOOST_REQUIRE(sqlite3_open(newer.c_str(), &raw) == SQLITE_OK);
  BOOST_REQUIRE(sqlite3_exec(raw, "UPDATE herd_schema SET version = 99 WHERE component = 'history'",
                             nullptr, nullptr, nullptr) == SQLITE_OK);
  sqlite3_close(raw);
  problem = store_problem([&] { history_store{newer}; });
  BOOST_TEST(problem.find("schema version 99, newer than this herd supports") != std::string::npos,
             problem);
}

BOOST_AUTO_TEST_SUITE_END()
