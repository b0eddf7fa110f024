// The task journal without actors: records and recovery, reopening, retention, idempotency after
// a reopen, and the clear errors (newer schema, corrupt file, a second writer), the writer
// thread's group commits, and the "journal" configuration.
#include <atomic>
#include <fstream>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/dead_letters/store_error.hpp"
#include "herd/journal/journal_config.hpp"
#include "herd/journal/journal_writer.hpp"
#include "herd/journal/task_journal.hpp"
#include "herd/storage/sqlite_connection.hpp"

using namespace herd;

namespace {

constexpr int64_t now_ms = 1'800'000'000'000; // 2027-01-15, wall clock

task accepted_task(const std::string& id) {
  auto t = task::make(id, "read_only", {{"q", id}}, "agents", "llm");
  t.idempotency_key = "idem-" + id;
  t.created = from_epoch_ms(5000);
  return t;
}

journal_record accepted(const std::string& id) {
  return journal_record::accepted_task(accepted_task(id), duration{0}, now_ms);
}

journal_record completed(const std::string& id, const std::string& result = "42") {
  outcome o;
  o.task_id = id;
  o.result = result;
  o.agent = "agents-1";
  o.attempt = 1;
  return journal_record::settled_task(o, now_ms);
}

journal_record failed_attempt(const std::string& id, int32_t number) {
  attempt_record a;
  a.number = number;
  a.time = from_epoch_ms(6000 + number);
  a.agent = "agents-2";
  a.error = failure::timeout("slow " + std::to_string(number));
  return journal_record::failed_attempt(id, a, duration{0}, now_ms);
}

std::string error_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const std::exception& e) {
    return e.what();
  }
  return "";
}

journal_config retention(int64_t max_completed, int64_t max_age_ms) {
  journal_config config;
  config.max_completed = max_completed;
  config.max_age = from_ms(max_age_ms);
  return config;
}

} // namespace

BOOST_AUTO_TEST_SUITE(journal_suite)

BOOST_AUTO_TEST_CASE(an_unfinished_task_is_recovered_with_its_attempt_history) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  {
    task_journal journal{file, {}};
    BOOST_TEST(journal.schema_version() == task_journal::latest_schema_version);
    journal.write({accepted("a"), accepted("b"), failed_attempt("a", 1)}, now_ms);
    journal.write({failed_attempt("a", 2), completed("b")}, now_ms);
  }
  task_journal journal{file, {}};
  auto found = journal.recover(100);
  BOOST_REQUIRE(found.unfinished.size() == 1u);
  auto& a = found.unfinished[0];
  BOOST_TEST(a.id == "a");
  BOOST_TEST(a.kind == "read_only");
  BOOST_TEST(a.pool == "agents");
  BOOST_TEST(a.service == "llm");
  BOOST_TEST(a.idempotency_key == "idem-a");
  BOOST_TEST(a.payload_json() == (nlohmann::json{{"q", "a"}}));
  BOOST_TEST(to_epoch_ms(a.created) == 5000);
  BOOST_REQUIRE(a.history.size() == 2u);
  BOOST_TEST(a.history[1].error.message == "slow 2");
  BOOST_TEST(a.attempt == 3); // the next attempt after two failed ones
  BOOST_REQUIRE(found.completed.size() == 1u);
  BOOST_TEST(found.completed[0].task_id == "b");
  BOOST_TEST(found.completed[0].result == "42");
  BOOST_TEST(journal.integrity_check() == "ok");
}

BOOST_AUTO_TEST_CASE(unfinished_tasks_come_back_in_the_order_they_were_accepted) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  {
    task_journal journal{file, {}};
    journal.write({accepted("z"), accepted("m")}, now_ms);
  }
  {
    task_journal journal{file, {}};
    journal.write({accepted("a")}, now_ms);
  }
  task_journal journal{file, {}};
  auto found = journal.recover(0);
  BOOST_REQUIRE(found.unfinished.size() == 3u);
  BOOST_TEST(found.unfinished[0].id == "z");
  BOOST_TEST(found.unfinished[1].id == "m");
  BOOST_TEST(found.unfinished[2].id == "a");
  BOOST_TEST(found.completed.empty());
}

BOOST_AUTO_TEST_CASE(a_completed_id_keeps_its_outcome_after_a_reopen) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  {
    task_journal journal{file, {}};
    // Accepted and completed in one batch: written as settled only.
    journal.write({accepted("once"), completed("once", "\"done\"")}, now_ms);
    BOOST_TEST(journal.unfinished_count() == 0);
  }
  task_journal journal{file, {}};
  auto known = journal.completed("once");
  BOOST_REQUIRE(known.has_value());
  BOOST_TEST(known->result == "\"done\"");
  BOOST_TEST(known->agent == "agents-1");
  BOOST_TEST(!journal.completed("never").has_value());
}

BOOST_AUTO_TEST_CASE(a_handed_back_task_stays_unfinished) {
  test::temp_dir dir;
  task_journal journal{dir.file("j.db"), {}};
  outcome back;
  back.task_id = "h";
  back.status = outcome_status::handed_back;
  journal.write({accepted("h"), journal_record::settled_task(back, now_ms)}, now_ms);
  BOOST_TEST(journal.unfinished_count() == 1);
  BOOST_TEST(journal.settled_count() == 0);
}

BOOST_AUTO_TEST_CASE(retention_keeps_the_newest_settled_ids) {
  test::temp_dir dir;
  task_journal journal{dir.file("j.db"), retention(10, 3600000)};
  std::vector<journal_record> batch;
  for (int i = 0; i < 3000; ++i)
    batch.push_back(completed("t-" + std::to_string(i)));
  journal.write(batch, now_ms);
  BOOST_TEST(journal.settled_count() == 10);
  BOOST_TEST(journal.completed("t-2999").has_value());
  BOOST_TEST(!journal.completed("t-2989").has_value());
}

BOOST_AUTO_TEST_CASE(retention_deletes_settled_ids_older_than_the_age) {
  test::temp_dir dir;
  task_journal journal{dir.file("j.db"), retention(1000, 60000)};
  auto old = completed("old");
  old.at_ms = now_ms - 120000;
  journal.write({old, completed("young")}, now_ms); // the write applies the retention
  BOOST_TEST(!journal.completed("old").has_value());
  BOOST_TEST(journal.completed("young").has_value());
  BOOST_TEST(journal.apply_retention(now_ms + 120000) == 1); // two minutes later
  BOOST_TEST(journal.settled_count() == 0);
}

BOOST_AUTO_TEST_CASE(a_journal_from_a_newer_schema_is_refused_naming_both_versions) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  { task_journal journal{file, {}}; }
  {
    sqlite_connection db{file};
    db.open(false, false);
    db.exec("PRAGMA user_version = 99");
  }
  auto error = error_of([&] { task_journal journal{file, {}}; });
  BOOST_TEST_MESSAGE(error);
  BOOST_TEST(error.find("schema version 99") != std::string::npos);
  BOOST_TEST(error.find("schema version " + std::to_string(task_journal::latest_schema_version)) !=
             std::string::npos);
  BOOST_TEST(error.find(file) != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_corrupt_file_is_refused) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  {
    std::ofstream out{file, std::ios::binary};
    out << std::string(8192, 'x');
  }
  auto error = error_of([&] { task_journal journal{file, {}}; });
  BOOST_TEST_MESSAGE(error);
  BOOST_TEST(!error.empty());
  BOOST_TEST(error.find(file) != std::string::npos);
  BOOST_TEST((error.find("corrupt") != std::string::npos ||
              error.find("not a herd database") != std::string::npos));
}

BOOST_AUTO_TEST_CASE(a_second_writer_is_refused_while_the_first_holds_the_journal) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  auto first = std::make_unique<task_journal>(file, journal_config{});
  auto error = error_of([&] { task_journal second{file, {}}; });
  BOOST_TEST_MESSAGE(error);
  BOOST_TEST(error.find("in use by another running herd") != std::string::npos);
  BOOST_TEST(error.find(file + "-lock") != std::string::npos);
  first.reset(); // released with the journal
  BOOST_TEST(error_of([&] { task_journal again{file, {}}; }) == "");
}

BOOST_AUTO_TEST_CASE(the_writer_commits_in_groups_and_tells_the_listener) {
  test::temp_dir dir;
  auto file = dir.file("j.db");
  auto metrics = std::make_shared<metrics_registry>();
  std::atomic<uint64_t> told{0};
  {
    journal_writer writer{std::make_unique<task_journal>(file, journal_config{}), {}, metrics};
    writer.listen([&](uint64_t seq, const std::string& error) {
      BOOST_CHECK(error.empty());
      told = seq;
    });
    for (int i = 0; i < 500; ++i)
      BOOST_TEST(writer.append(accepted("w-" + std::to_string(i))) == uint64_t(i + 1));
    writer.append(completed("w-0"));
    auto found = writer.recover(10); // commits what was appended first
    BOOST_TEST(found.unfinished.size() == 499u);
    BOOST_TEST(found.completed.size() == 1u);
    BOOST_TEST(told.load() == 501u);
    BOOST_TEST(metrics->total("herd_journal_commits_total") >= 1);
    BOOST_TEST(metrics->total("herd_journal_commits_total") <= 501);
    BOOST_TEST(metrics->total("herd_journal_unfinished_tasks") == 499);
    writer.close();
    writer.close(); // idempotent
  }
  task_journal journal{file, {}}; // the lock is free again
  BOOST_TEST(journal.unfinished_count() == 499);
}

BOOST_AUTO_TEST_CASE(the_config_reads_every_key_and_names_the_path_of_a_bad_one) {
  auto config = journal_config::from_json(json_reader{nlohmann::json::parse(
      R"({"file": "j.db", "durability": "sync", "retention": {"max_completed": 5,
          "max_age_ms": 1000}, "max_batch": 64})")});
  BOOST_TEST(config.durable());
  BOOST_TEST(config.file == "j.db");
  BOOST_TEST(config.max_completed == 5);
  BOOST_TEST(to_ms(config.max_age) == 1000);
  BOOST_TEST(config.max_batch == 64);
  BOOST_TEST(!journal_config{}.durable()); // default: none
  BOOST_TEST(journal_config{}.file_beside("dl.db") == "dl.db.tasks");
  auto path_of = [](const std::string& text) {
    try {
      journal_config::from_json(json_reader{nlohmann::json::parse(text), "/journal"});
    } catch (const config_error& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  BOOST_TEST(path_of(R"({"durability": "always"})").find("/journal/durability") !=
             std::string::npos);
  BOOST_TEST(
      path_of(R"({"retention": {"max_completed": -1}})").find("/journal/retention/max_completed") !=
      std::string::npos);
  BOOST_TEST(path_of(R"({"max_batch": 0})").find("/journal/max_batch") != std::string::npos);
  BOOST_TEST(path_of(R"({"fsync": true})").find("fsync") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
