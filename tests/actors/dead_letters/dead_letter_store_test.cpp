// The durable dead-letter store: what a letter records, filters, counts, resolve, purge,
// migrations and the errors an operator sees for a file that is not what herd expects.
#include "herd/dead_letters/dead_letter_store.hpp"

#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "actors/dead_letters/dlq_test_support.hpp"

using namespace herd;
using herd::test::letter;

namespace {

struct store_fixture {
  test::temp_dir dir;
  std::string db = dir.file("dlq.db");

  /// Runs raw SQL on `file`, as another program (or a corruption) would.
  static void raw_sql(const std::string& file, const std::string& sql) {
    sqlite3* handle = nullptr;
    BOOST_REQUIRE_EQUAL(sqlite3_open(file.c_str(), &handle), SQLITE_OK);
    char* message = nullptr;
    auto rc = sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &message);
    std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(handle);
    BOOST_REQUIRE_MESSAGE(rc == SQLITE_OK, error);
  }

  /// The JSON text in the first column of the first row of `sql` on `file`.
  static nlohmann::json raw_value(const std::string& file, const std::string& sql) {
    sqlite3* handle = nullptr;
    BOOST_REQUIRE_EQUAL(sqlite3_open(file.c_str(), &handle), SQLITE_OK);
    sqlite3_stmt* stmt = nullptr;
    std::string text;
    if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
        sqlite3_step(stmt) == SQLITE_ROW)
      text = reinterpret_cast<const char*>(sqlite3_column_text(stmt, 0));
    sqlite3_finalize(stmt);
    sqlite3_close(handle);
    return nlohmann::json::parse(text);
  }

  static std::string contents(const std::string& file) {
    std::ifstream in{file, std::ios::binary};
    std::ostringstream out;
    out << in.rdbuf();
    return out.str();
  }

  /// Expects opening `file` to fail with a message that names it and contains `problem`.
  static void
  expect_open_error(const std::string& file, const std::string& problem,
                    dead_letter_store::open_mode mode = dead_letter_store::open_mode::existing) {
    try {
      dead_letter_store store{file, mode};
      BOOST_FAIL("opening " << file << " should fail with: " << problem);
    } catch (const store_error& e) {
      std::string what = e.what();
      BOOST_TEST_MESSAGE(what);
      BOOST_TEST(what.find(file) == 0);
      BOOST_TEST(what.find(problem) != std::string::npos, what << " lacks " << problem);
    }
  }

  static std::vector<std::string> ids(const std::vector<dead_letter>& xs) {
    std::vector<std::string> result;
    for (auto& x : xs)
      result.push_back(x.work.id);
    return result;
  }
};

using strings = std::vector<std::string>;

} // namespace

BOOST_FIXTURE_TEST_SUITE(dlq_store, store_fixture)

BOOST_AUTO_TEST_CASE(every_field_survives_a_round_trip) {
  auto x = letter("t-1", 1700000000123, dead_letter_reason::non_retryable, "payment", "stripe",
                  "card declined");
  x.work.replays = 2;
  x.status = dead_letter_status::poison;
  x.note = "waiting for the vendor";
  x.updated_ms = 1700000000999;
  BOOST_TEST(x.agent == "agents-2");
  BOOST_TEST(x.first_failure_ms == 2000);
  BOOST_TEST(x.last_failure_ms == 7000);
  {
    dead_letter_store store{db};
    store.add({x});
  }
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  auto y = store.get("t-1");
  BOOST_REQUIRE(y);
  BOOST_TEST((*y == x));
  BOOST_TEST(y->work.history.size() == 2u);
  BOOST_TEST((y->work.history[0].error.retry_after == from_ms(5000)));
  BOOST_TEST(!store.get("t-2"));
  // The history column holds the attempts' JSON form, for anyone reading the file with sqlite3.
  BOOST_TEST(raw_value(db, "SELECT history_json FROM dead_letters") ==
             nlohmann::json(x.work.history));
  // The JSON form (what `herd dlq show --json` prints) reads back to the same letter.
  nlohmann::json j = x;
  BOOST_TEST(j["task"]["payload"]["prompt"] == "hello t-1");
  BOOST_TEST((j.get<dead_letter>() == x));
}

BOOST_AUTO_TEST_CASE(filters_and_counts_select_the_right_letters_oldest_first) {
  dead_letter_store store{db};
  store.add(
      {letter("c", 3000, dead_letter_reason::exhausted, "read_only", "llm", "Upstream reset"),
       letter("a", 1000, dead_letter_reason::non_retryable, "payment", "stripe", "card declined"),
       letter("b", 2000, dead_letter_reason::budget_exhausted, "read_only", "search",
              "quota gone")});
  store.add({letter("d", 4000, dead_letter_reason::exhausted, "payment", "llm", "timeout")});
  BOOST_TEST(ids(test::query(store, {})) == (strings{"a", "b", "c", "d"}));
  dead_letter_filter f;
  f.kind = "payment";
  BOOST_TEST(ids(test::query(store, f)) == (strings{"a", "d"}));
  f = {};
  f.reason = "exhausted";
  BOOST_TEST(ids(test::query(store, f)) == (strings{"c", "d"}));
  f.service = "llm";
  f.kind = "read_only";
  BOOST_TEST(ids(test::query(store, f)) == (strings{"c"}));
  f = {};
  f.text = "UPSTREAM";
  BOOST_TEST(ids(test::query(store, f)) == (strings{"c"}));
  f.text = "slow down"; // the first attempt's failure is searched too
  BOOST_TEST(store.count(f) == 4);
  f = {};
  f.since_ms = 2000;
  f.until_ms = 4000;
  BOOST_TEST(ids(test::query(store, f)) == (strings{"b", "c"}));
  f = {};
  f.limit = 2;
  BOOST_TEST(ids(test::query(store, f)) == (strings{"a", "b"}));
  BOOST_TEST(store.count(f) == 4); // count ignores the limit
  f = dead_letter_filter::of_ids({"d", "b", "zz"});
  BOOST_TEST(ids(test::query(store, f)) == (strings{"b", "d"}));

  store.resolve("a", "refunded by hand", 5000);
  store.set_status({"b"}, dead_letter_status::poison, 5000);
  auto s = store.stats();
  BOOST_TEST(s.total == 4);
  BOOST_TEST(s.depth == 3);
  BOOST_TEST(s.by_status["pending"] == 2);
  BOOST_TEST(s.by_status["resolved"] == 1);
  BOOST_TEST(s.by_status["poison"] == 1);
  BOOST_TEST(s.by_status["replayed"] == 0);
  BOOST_TEST(s.by_reason["exhausted"] == 2);
  BOOST_TEST(s.by_reason["budget_exhausted"] == 1);
  BOOST_TEST(s.by_reason.count("non_retryable") == 0u); // resolved: not waiting
  BOOST_TEST(store.depth() == 3);
}

BOOST_AUTO_TEST_CASE(storing_tells_how_the_depth_by_reason_changed) {
  // The queue keeps its depth from these changes instead of counting every waiting letter
  // after each batch.
  using changes = std::map<std::string, int64_t>;
  dead_letter_store store{db};
  auto change = store.add({letter("a", 1000), letter("b", 1000, dead_letter_reason::overflow)});
  BOOST_REQUIRE(change);
  BOOST_TEST((*change == changes{{"exhausted", 1}, {"overflow", 1}}));
  // Dead-lettered again for another reason: one letter, which moves.
  change = store.add({letter("a", 2000, dead_letter_reason::non_retryable)});
  BOOST_REQUIRE(change);
  BOOST_TEST((*change == changes{{"exhausted", -1}, {"non_retryable", 1}}));
  // A resolved letter did not count; dead-lettered again, it is reopened and counts.
  store.resolve("b", "handled", 2500);
  change = store.add({letter("b", 3000, dead_letter_reason::overflow)});
  BOOST_REQUIRE(change);
  BOOST_TEST((*change == changes{{"overflow", 1}}));
  BOOST_TEST((store.depth_by_reason() == changes{{"non_retryable", 1}, {"overflow", 1}}));
}

BOOST_AUTO_TEST_CASE(a_task_dead_lettered_again_grows_its_letter_and_reopens_it_visibly) {
  dead_letter_store store{db};
  store.add({letter("t", 1000)});
  store.resolve("t", "looked at it", 1500);
  // A replay carries the stored history along and adds its own attempts, numbered anew.
  auto replayed = test::failed_task("t");
  replayed.replays = 1;
  replayed.history.push_back(
      {1, from_epoch_ms(8000), "agents-3", failure::permanent("card declined").from("llm", 402)});
  store.add({dead_letter::make(replayed, dead_letter_reason::non_retryable, 9000)});
  auto x = store.get("t");
  BOOST_REQUIRE(x);
  BOOST_TEST(store.count({}) == 1);
  BOOST_REQUIRE(x->work.history.size() == 3u);
  BOOST_TEST(x->work.history[0].error.message == "slow down"); // the first run is kept
  BOOST_TEST(x->work.history[2].number == 3);                  // numbers go on
  BOOST_TEST(x->work.history[2].error.message == "card declined");
  BOOST_TEST(x->work.replays == 1);
  BOOST_TEST(x->reason == dead_letter_reason::non_retryable);
  BOOST_REQUIRE(x->letterings.size() == 2u);
  BOOST_TEST(x->letterings[0].reason == dead_letter_reason::exhausted);
  BOOST_TEST(x->letterings[0].at_ms == 1000);
  BOOST_TEST(x->letterings[1].reason == dead_letter_reason::non_retryable);
  BOOST_TEST(x->letterings[1].at_ms == 9000);
  BOOST_TEST(x->letterings[1].last_attempt == 3);
  BOOST_TEST(x->dead_lettered_ms == 1000);
  BOOST_TEST(x->first_failure_ms == 2000);
  BOOST_TEST(x->last_failure_ms == 8000);
  BOOST_TEST(x->updated_ms == 9000);
  // Not reopened silently: the resolve and the reopening are both in the notes.
  BOOST_TEST(x->status == dead_letter_status::pending);
  BOOST_TEST(x->note == "1970-01-01T00:00:01.500Z resolved: looked at it\n"
                        "1970-01-01T00:00:09.000Z reopened: dead-lettered again "
                        "(non_retryable) after it was resolved");
  // The same id submitted anew (no history carried): its attempts are appended too.
  store.add({letter("t", 12000)});
  x = store.get("t");
  BOOST_TEST(x->work.history.size() == 5u);
  BOOST_TEST(x->work.history[4].number == 5);
  BOOST_TEST(x->letterings.size() == 3u);
}

BOOST_AUTO_TEST_CASE(a_batch_is_one_transaction) {
  dead_letter_store store{db};
  std::vector<dead_letter> batch;
  for (int i = 0; i < 500; ++i)
    batch.push_back(letter("t-" + std::to_string(i), 1000 + i));
  store.add(batch);
  BOOST_TEST(store.commits() == 1);
  BOOST_TEST(store.count({}) == 500);
}

BOOST_AUTO_TEST_CASE(resolve_and_purge_by_filter_and_age) {
  dead_letter_store store{db};
  for (int i = 0; i < 10; ++i)
    store.add({letter("t-" + std::to_string(i), 1000 * (i + 1))});
  BOOST_TEST(store.resolve("t-3", "fixed upstream", 20000));
  BOOST_TEST(!store.resolve("nope", "x", 20000));
  auto x = store.get("t-3");
  BOOST_TEST(x->status == dead_letter_status::resolved);
  BOOST_TEST(x->note == "1970-01-01T00:00:20.000Z resolved: fixed upstream");
  BOOST_TEST(store.resolve("t-3", "and told the customer", 21000)); // appended, not replaced
  BOOST_TEST(store.get("t-3")->note == "1970-01-01T00:00:20.000Z resolved: fixed upstream\n"
                                       "1970-01-01T00:00:21.000Z resolved: and told the customer");
  dead_letter_filter resolved;
  resolved.status = "resolved";
  BOOST_TEST(store.purge(resolved) == 1);
  BOOST_TEST(!store.get("t-3"));
  dead_letter_filter older; // retention: everything dead-lettered before 5 s
  older.until_ms = 5000;
  BOOST_TEST(store.purge(older) == 3); // t-0, t-1, t-2
  BOOST_TEST(ids(test::query(store, {})) == (strings{"t-4", "t-5", "t-6", "t-7", "t-8", "t-9"}));
}

BOOST_AUTO_TEST_CASE(replay_requests_and_escalations_persist) {
  {
    dead_letter_store store{db};
    dead_letter_filter f;
    f.reason = "exhausted";
    auto r = store.add_replay_request(f, 25, "requested", 1000);
    r.state = "running";
    r.total = 7;
    r.sent = 3;
    store.update_replay_request(r, 2000);
    escalation e;
    e.work = test::failed_task("e-1");
    e.reason = "policy: a person approves refunds";
    e.escalated_ms = 1000;
    e.updated_ms = 1000;
    store.put_escalation(e);
  }
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  auto requests = store.replay_requests();
  BOOST_REQUIRE(requests.size() == 1u);
  BOOST_TEST(requests[0].filter.reason == "exhausted");
  BOOST_TEST(requests[0].rate == 25);
  BOOST_TEST(requests[0].state == "running");
  BOOST_TEST(requests[0].sent == 3);
  BOOST_TEST(requests[0].updated_ms == 2000);
  BOOST_TEST(store.replay_requests("requested").empty());
  std::vector<std::string> corrupt;
  auto open = store.escalations(escalation_status::open, corrupt);
  BOOST_REQUIRE(open.size() == 1u);
  BOOST_TEST((open[0].work == test::failed_task("e-1")));
  BOOST_TEST(store.escalations(escalation_status::resolved, corrupt).empty());
  BOOST_TEST(corrupt.empty());
}

BOOST_AUTO_TEST_CASE(an_older_schema_is_migrated_to_wall_clock_times_and_keeps_its_letters) {
  constexpr int64_t wall = 1700000000000; // when herd 2 dead-lettered and escalated them
  auto old = test::failed_task("old");    // its times on the actor clock: ms since boot
  {
    dead_letter_store v2{db, dead_letter_store::open_mode::create, 2};
    escalation e;
    e.work = test::failed_task("e");
    e.escalated_ms = wall;
    v2.put_escalation(e);
  }
  raw_sql(db, "INSERT INTO dead_letters VALUES('old', 'read_only', 'agents', 'llm', 'idem-old', "
              "'{}', 2, 0, 1000, 90000, '" +
                  nlohmann::json(old.history).dump() +
                  "', 'agents-2', 'exhausted', 'pending', '', 2000, 7000, " + std::to_string(wall) +
                  ", " + std::to_string(wall) + ", 'upstream reset');");
  // A reading command does not migrate: it says a migration is needed and changes nothing.
  auto before = contents(db);
  expect_open_error(db, "schema version 2 needs a migration to version 3",
                    dead_letter_store::open_mode::read_only);
  BOOST_TEST(contents(db) == before);
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  BOOST_TEST(store.schema_version() == dead_letter_store::latest_schema_version);
  auto x = store.get("old");
  BOOST_REQUIRE(x);
  // The last failure came right before the dead-lettering: the times move by that offset.
  BOOST_TEST(x->last_failure_ms == wall);
  BOOST_TEST(x->first_failure_ms == wall - 5000);
  BOOST_TEST(to_epoch_ms(x->work.history[1].time) == wall);
  BOOST_TEST(to_epoch_ms(x->work.history[0].time) == wall - 5000);
  BOOST_TEST(to_epoch_ms(x->work.created) == wall - 6000);
  BOOST_TEST(to_epoch_ms(x->work.deadline) == wall + 83000);
  BOOST_REQUIRE(x->letterings.size() == 1u);
  BOOST_TEST(x->letterings[0].at_ms == wall);
  auto e = store.get_escalation("e");
  BOOST_REQUIRE(e);
  BOOST_TEST(to_epoch_ms(e->work.history.back().time) == wall);
  BOOST_TEST(to_epoch_ms(e->work.created) == wall - 6000);
  BOOST_TEST(store.integrity_check() == "ok");
}

BOOST_AUTO_TEST_CASE(a_version_1_file_is_migrated_through_every_version) {
  { dead_letter_store v1{db, dead_letter_store::open_mode::create, 1}; }
  raw_sql(db, "INSERT INTO dead_letters VALUES('old', 'read_only', 'agents', 'llm', '', 'null', 1, "
              "0, 0, 0, '[]', '', 'handed_back', 'resolved', 'done', 0, 0, 5000, 6000, '');");
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  BOOST_TEST(store.schema_version() == 3);
  auto x = store.get("old");
  BOOST_REQUIRE(x);
  BOOST_TEST(x->reason == dead_letter_reason::handed_back);
  BOOST_TEST(x->note == "done");
  BOOST_TEST(!x->work.has_deadline()); // no time to move: none is invented
  BOOST_TEST(x->letterings.size() == 1u);
  BOOST_TEST(store.integrity_check() == "ok");
}

BOOST_AUTO_TEST_CASE(a_truncated_herd_file_is_corrupt_not_foreign) {
  {
    dead_letter_store store{db};
    std::vector<dead_letter> batch;
    for (int i = 0; i < 300; ++i)
      batch.push_back(letter("t-" + std::to_string(i), 1000 + i));
    store.add(batch);
  }
  auto full = contents(db);
  BOOST_REQUIRE(full.size() > 8192u);
  auto truncate_to = [&](size_t n) {
    std::ofstream out{db, std::ios::binary | std::ios::trunc};
    out.write(full.data(), static_cast<std::streamsize>(n));
  };
  truncate_to(full.size() / 2);
  expect_open_error(db, "corrupt: truncated to", dead_letter_store::open_mode::read_only);
  expect_open_error(db, "corrupt: truncated to", dead_letter_store::open_mode::create);
  BOOST_TEST(contents(db).size() == full.size() / 2); // nothing was changed
  truncate_to(10);
  expect_open_error(db, "corrupt: truncated to 10 bytes", dead_letter_store::open_mode::read_only);
}

BOOST_AUTO_TEST_CASE(a_read_only_open_reads_and_never_writes) {
  {
    dead_letter_store store{db};
    store.add({letter("a", 1000)});
  }
  auto before = contents(db);
  dead_letter_store reader{db, dead_letter_store::open_mode::read_only};
  BOOST_TEST(reader.get("a").has_value());
  BOOST_TEST(reader.stats().total == 1);
  BOOST_CHECK_THROW(reader.add({letter("b", 2000)}), store_error);
  BOOST_TEST(contents(db) == before);
}

BOOST_AUTO_TEST_CASE(a_missing_file_is_an_error_and_is_not_created) {
  expect_open_error(db, "no such database file");
  BOOST_TEST(!std::filesystem::exists(db));
}

BOOST_AUTO_TEST_CASE(a_file_that_is_not_a_database_is_left_alone) {
  {
    std::ofstream out{db};
    out << "these are my notes, not a database\n";
  }
  auto before = contents(db);
  expect_open_error(db, "not a herd database");
  expect_open_error(db, "not a herd database", dead_letter_store::open_mode::create);
  BOOST_TEST(contents(db) == before);
}

BOOST_AUTO_TEST_CASE(a_foreign_sqlite_database_is_left_alone) {
  raw_sql(db, "CREATE TABLE invoices(id INTEGER); INSERT INTO invoices VALUES(1);");
  auto before = contents(db);
  expect_open_error(db, "not a herd database", dead_letter_store::open_mode::create);
  BOOST_TEST(contents(db) == before);
}

BOOST_AUTO_TEST_CASE(a_schema_from_a_newer_herd_is_refused) {
  { dead_letter_store store{db}; }
  raw_sql(db, "PRAGMA user_version = 99;");
  auto before = contents(db);
  expect_open_error(db, "schema version 99 is newer");
  BOOST_TEST(contents(db) == before);
}

BOOST_AUTO_TEST_CASE(a_corrupt_row_is_named) {
  {
    dead_letter_store store{db};
    store.add({letter("good", 1000), letter("bad", 2000)});
  }
  raw_sql(db, "UPDATE dead_letters SET history_json = '[{\"number\": 1, ' "
              "WHERE task_id = 'bad';");
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  BOOST_TEST(store.get("good").has_value());
  try {
    store.get("bad");
    BOOST_FAIL("reading a corrupt row should fail");
  } catch (const store_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find(db) == 0);
    BOOST_TEST(what.find("task \"bad\" is corrupt") != std::string::npos, what);
  }
  // A listing shows the others and names the corrupt one.
  std::vector<std::string> corrupt;
  auto letters = store.query({}, corrupt);
  BOOST_REQUIRE(letters.size() == 1u);
  BOOST_TEST(letters[0].work.id == "good");
  BOOST_REQUIRE(corrupt.size() == 1u);
  BOOST_TEST(corrupt[0].find("task \"bad\" is corrupt") != std::string::npos, corrupt[0]);
}

// Found by the fuzzer: a time beyond the nanosecond clock's range overflowed it.
BOOST_AUTO_TEST_CASE(a_time_out_of_the_clocks_range_is_corrupt) {
  {
    dead_letter_store store{db};
    store.add({letter("far", 1000)});
  }
  raw_sql(db, "UPDATE dead_letters SET created_ms = 9223372036854775807 WHERE task_id = 'far';");
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  try {
    store.get("far");
    BOOST_FAIL("reading a time out of range should fail");
  } catch (const store_error& e) {
    BOOST_TEST(std::string{e.what()}.find("task \"far\" is corrupt: its time") != std::string::npos,
               e.what());
  }
}

BOOST_AUTO_TEST_SUITE_END()
