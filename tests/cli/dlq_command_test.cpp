// `herd dlq`: what an operator sees and changes in a service's dead-letter database.
#include "dlq_command.hpp"

#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/atoms.hpp"
#include "herd/core/wall_time.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dispatch/protocol.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

struct command_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("service.db");
  std::string out;
  std::string err;

  command_fixture() {
    dead_letter_store store{db};
    auto old = test::letter("old-1", wall_now_ms() - 10LL * 86400000);
    store.add({old,
               test::letter("pay-1", 2000000000000, dead_letter_reason::non_retryable, "payment",
                            "stripe", "card declined"),
               test::letter("read-1", 2000000000001)});
  }

  /// Runs `herd dlq ARGS --db <db>`; returns the exit code, output in `out` and `err`.
  int dlq(std::vector<std::string> args, bool with_db = true) {
    return test::run_store_command(run_dlq_command, std::move(args), with_db ? db : "", out, err);
  }

  dead_letter_store open() { return dead_letter_store{db, dead_letter_store::open_mode::existing}; }
};

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(dlq_command, command_fixture)

BOOST_AUTO_TEST_CASE(list_json_prints_the_dead_letters) {
  BOOST_REQUIRE(dlq({"list", "--json"}) == 0);
  auto j = nlohmann::json::parse(out);
  BOOST_REQUIRE(j.is_array());
  BOOST_REQUIRE(j.size() == 3u);
  BOOST_TEST(j[0]["task"]["id"] == "old-1");
  BOOST_TEST(j[1]["reason"] == "non_retryable");
  BOOST_TEST(j[1]["task"]["history"].size() == 2u);
  BOOST_TEST((j[2].get<dead_letter>() == *open().get("read-1")));
}

BOOST_AUTO_TEST_CASE(list_filters_show_and_stats) {
  BOOST_REQUIRE(dlq({"list", "--kind", "payment"}) == 0);
  BOOST_TEST(contains(out, "pay-1"));
  BOOST_TEST(!contains(out, "read-1"));
  BOOST_TEST(contains(out, "1 dead letter\n"));
  BOOST_REQUIRE(dlq({"list", "--text", "DECLINED", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out).size() == 1u);
  BOOST_REQUIRE(dlq({"show", "pay-1"}) == 0);
  BOOST_TEST(contains(out, "card declined"));
  BOOST_TEST(contains(out, "#1"));
  BOOST_REQUIRE(dlq({"show", "pay-1", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out)["task"]["payload"]["prompt"] == "hello pay-1");
  BOOST_TEST(dlq({"show", "nope"}) == 1);
  BOOST_TEST(contains(err, "no dead letter of task \"nope\""));
  BOOST_REQUIRE(dlq({"stats", "--json"}) == 0);
  auto s = nlohmann::json::parse(out);
  BOOST_TEST(s["total"] == 3);
  BOOST_TEST(s["by_reason"]["exhausted"] == 2);
}

BOOST_AUTO_TEST_CASE(resolve_needs_a_note_and_an_existing_letter) {
  BOOST_TEST(dlq({"resolve", "pay-1"}) == 2);
  BOOST_TEST(contains(err, "--note"));
  BOOST_TEST(dlq({"resolve", "nope", "--note", "x"}) == 1);
  BOOST_REQUIRE(dlq({"resolve", "pay-1", "--note", "refunded by hand"}) == 0);
  auto x = open().get("pay-1");
  BOOST_TEST(x->status == dead_letter_status::resolved);
  BOOST_TEST(x->note.find(" resolved: refunded by hand") != std::string::npos, x->note);
}

BOOST_AUTO_TEST_CASE(purge_by_age_and_never_without_a_selection) {
  BOOST_TEST(dlq({"purge"}) == 2);
  BOOST_TEST(open().count({}) == 3);
  BOOST_TEST(dlq({"purge", "--older-than", "soon"}) == 2);
  BOOST_REQUIRE(dlq({"purge", "--older-than", "7d", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out)["purged"] == 1);
  BOOST_TEST(nlohmann::json::parse(out)["selected"] == (std::vector<std::string>{"old-1"}));
  BOOST_TEST(!open().get("old-1"));
  BOOST_TEST(open().count({}) == 2);
}

BOOST_AUTO_TEST_CASE(purge_prints_what_it_deletes_and_a_cutoff_before_the_epoch_purges_nothing) {
  // 30000 days ago is before 1970: nothing is that old (it used to delete everything).
  BOOST_REQUIRE(dlq({"purge", "--older-than", "30000d"}) == 0);
  BOOST_TEST(contains(out, "purging 0 dead letters"));
  BOOST_TEST(open().count({}) == 3);
  // Ages that do not fit are refused, not wrapped around.
  BOOST_TEST(dlq({"purge", "--older-than", "9999999999999d"}) == 2);
  BOOST_TEST(contains(err, "--older-than expects an age"));
  BOOST_TEST(dlq({"purge", "--older-than", "-5d"}) == 2);
  BOOST_TEST(open().count({}) == 3);
  // A dry run shows the selection and deletes nothing; a purge shows it and how many.
  BOOST_REQUIRE(dlq({"purge", "--older-than", "9d", "--dry-run"}) == 0);
  BOOST_TEST(contains(out, "would purge 1 dead letter:\n  old-1 (pending, exhausted"));
  BOOST_TEST(open().count({}) == 3);
  BOOST_REQUIRE(dlq({"purge", "--older-than", "9d"}) == 0);
  BOOST_TEST(contains(out, "purging 1 dead letter:\n  old-1"));
  BOOST_TEST(contains(out, "purged 1 dead letter\n"));
  BOOST_TEST(open().count({}) == 2);
}

BOOST_AUTO_TEST_CASE(times_are_iso_utc_in_text_and_since_until_take_ages_and_iso_times) {
  BOOST_REQUIRE(dlq({"show", "pay-1"}) == 0);
  BOOST_TEST(contains(out, "2033-05-18T03:33:20.000Z: non_retryable after attempt #2"));
  BOOST_TEST(contains(out, "#1 at 1970-01-01T00:00:02.000Z on agents-1"));
  BOOST_TEST(contains(out, "deadline      1970-01-01T00:01:30.000Z"));
  BOOST_REQUIRE(dlq({"list"}) == 0);
  BOOST_TEST(contains(out, "2033-05-18T03:33:20.001Z"));
  BOOST_REQUIRE(dlq({"list", "--since", "2033-05-18T03:33:20.001Z", "--json"}) == 0);
  auto j = nlohmann::json::parse(out);
  BOOST_REQUIRE(j.size() == 1u);
  BOOST_TEST(j[0]["task"]["id"] == "read-1");
  BOOST_TEST(j[0]["dead_lettered_ms"] == 2000000000001); // epoch ms in JSON
  BOOST_REQUIRE(dlq({"list", "--until", "1h", "--json"}) == 0);
  j = nlohmann::json::parse(out);
  BOOST_REQUIRE(j.size() == 1u);
  BOOST_TEST(j[0]["task"]["id"] == "old-1");
  BOOST_REQUIRE(dlq({"list", "--since", "7d", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out).size() == 2u);
  BOOST_TEST(dlq({"list", "--since", "yesterday"}) == 2);
  BOOST_TEST(contains(err, "--since expects an age"));
  BOOST_TEST(dlq({"list", "--since", "2033-02-30"}) == 2);
}

BOOST_AUTO_TEST_CASE(a_corrupt_row_is_reported_and_the_others_are_listed) {
  {
    sqlite3* handle = nullptr;
    BOOST_REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(handle,
                               "UPDATE dead_letters SET reason = 'bored' WHERE task_id = 'pay-1'",
                               nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(handle);
  }
  BOOST_TEST(dlq({"list"}) == 1);
  BOOST_TEST(contains(out, "old-1"));
  BOOST_TEST(contains(out, "read-1"));
  BOOST_TEST(contains(out, "2 dead letters"));
  BOOST_TEST(contains(err, "the dead letter of task \"pay-1\" is corrupt: unknown reason"));
  BOOST_TEST(dlq({"list", "--json"}) == 1);
  BOOST_TEST(nlohmann::json::parse(out).size() == 2u);
}

BOOST_AUTO_TEST_CASE(reading_commands_never_migrate_and_say_a_migration_is_needed) {
  auto v2 = dir.file("v2.db");
  { dead_letter_store old{v2, dead_letter_store::open_mode::create, 2}; }
  auto before = test::file_contents(v2);
  BOOST_TEST(dlq({"stats", "--db", v2}, false) == 1);
  BOOST_TEST(contains(err, v2 + ": schema version 2 needs a migration to version 3"));
  BOOST_TEST(dlq({"list", "--db", v2}, false) == 1);
  BOOST_TEST(test::file_contents(v2) == before);
  BOOST_REQUIRE(dlq({"migrate", "--db", v2}, false) == 0);
  BOOST_TEST(contains(out, "schema version 2 -> 3"));
  BOOST_TEST(dlq({"stats", "--db", v2}, false) == 0);
  // A truncated herd file is corrupt, not foreign.
  auto full = test::file_contents(db);
  std::ofstream{db, std::ios::binary | std::ios::trunc}.write(full.data(), 50);
  BOOST_TEST(dlq({"stats"}) == 1);
  BOOST_TEST(contains(err, "corrupt: truncated to 50 bytes"));
}

BOOST_AUTO_TEST_CASE(stats_show_a_replay_request_and_its_size_at_once) {
  BOOST_REQUIRE(dlq({"replay", "--status", "pending", "--rate", "5"}) == 0);
  BOOST_TEST(contains(out, "3 matching letters, 3 to replay"));
  BOOST_REQUIRE(dlq({"stats"}) == 0);
  BOOST_TEST(contains(out, ": requested, 0 of 3 sent at 5/s"));
  BOOST_REQUIRE(dlq({"stats", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out)["replays"][0]["total"] == 3);
}

BOOST_AUTO_TEST_CASE(bad_databases_are_named_and_left_alone) {
  auto missing = dir.file("missing.db");
  BOOST_TEST(dlq({"list", "--db", missing}, false) == 1);
  BOOST_TEST(contains(err, missing + ": no such database file"));
  BOOST_TEST(!std::filesystem::exists(missing));
  auto notes = dir.file("notes.txt");
  std::ofstream{notes} << "not a database at all, just some text that is long enough\n";
  BOOST_TEST(dlq({"stats", "--db", notes}, false) == 1);
  BOOST_TEST(contains(err, notes + ": not a herd database"));
  BOOST_TEST(dlq({"list", "--reason", "bored"}) == 2);
  BOOST_TEST(contains(err, "--reason expects"));
  BOOST_TEST(dlq({"frobnicate"}) == 2);
  BOOST_TEST(contains(err, "usage: herd dlq"));
}

BOOST_AUTO_TEST_CASE(a_replay_from_the_command_line_is_carried_out_by_the_service) {
  dead_letter_queue_config config;
  config.poll_interval = 1s;
  auto service = sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db),
                                              caf::actor{self}, metrics);
  vt.run();
  BOOST_TEST(dlq({"replay"}) == 2); // replaying everything must be asked for
  BOOST_REQUIRE(dlq({"replay", "pay-1", "read-1", "--rate", "1", "--json"}) == 0);
  auto j = nlohmann::json::parse(out);
  BOOST_TEST(j["matching"] == 2);
  auto request_id = j["request"]["id"].get<int64_t>();
  vt.advance(1s); // the service polls and sends the first at once, the second 1 s later
  std::vector<std::string> replayed;
  auto drain = [&] {
    bool more = true;
    while (more)
      self->receive([&](resubmit_atom, task& t) { replayed.push_back(t.id); },
                    caf::after(0s) >> [&] { more = false; });
  };
  drain();
  BOOST_TEST(replayed == (std::vector<std::string>{"pay-1"}));
  vt.advance(1s);
  drain();
  BOOST_TEST(replayed == (std::vector<std::string>{"pay-1", "read-1"}));
  BOOST_REQUIRE(dlq({"stats"}) == 0);
  BOOST_TEST(contains(out, "replay " + std::to_string(request_id) + ": done, 2 of 2"));
  caf::anon_send_exit(service, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_SUITE_END()
