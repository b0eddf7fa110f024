// `herd escalations`: what an operator sees and decides about tasks that wait for a person,
// in a service's database, while the service runs.
#include "escalations_command.hpp"

#include <sstream>

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/dead_letters/escalation_queue.hpp"
#include "herd/dispatch/protocol.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

struct escalations_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("service.db");
  std::string out;
  std::string err;

  escalations_fixture() {
    dead_letter_store store{db};
    for (auto [id, at] :
         {std::pair{"refund-1", 2000000000000}, std::pair{"refund-2", 2000000001000}}) {
      escalation x;
      x.work = test::failed_task(id, "payment", "stripe", "card declined");
      x.reason = "a person decides refunds";
      x.escalated_ms = at;
      x.updated_ms = at;
      store.put_escalation(x);
    }
  }

  /// Runs `herd escalations ARGS --db <db>`; returns the exit code, output in `out` and `err`.
  int escalations(std::vector<std::string> args) {
    return test::run_store_command(run_escalations_command, std::move(args), db, out, err);
  }

  escalation stored(const std::string& id) {
    return *dead_letter_store{db, dead_letter_store::open_mode::read_only}.get_escalation(id);
  }

  static bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(escalations_command, escalations_fixture)

BOOST_AUTO_TEST_CASE(list_and_show_in_text_and_json) {
  BOOST_REQUIRE(escalations({"list"}) == 0);
  BOOST_TEST(contains(out, "refund-1"));
  BOOST_TEST(contains(out, "2033-05-18T03:33:20.000Z"));
  BOOST_TEST(contains(out, "2 escalations\n"));
  BOOST_REQUIRE(escalations({"list", "--json", "--since", "2033-05-18T03:33:21Z"}) == 0);
  auto j = nlohmann::json::parse(out);
  BOOST_REQUIRE(j.size() == 1u);
  BOOST_TEST(j[0]["task"]["id"] == "refund-2");
  BOOST_TEST(j[0]["escalated_ms"] == 2000000001000);
  BOOST_REQUIRE(escalations({"list", "--status", "resolved"}) == 0);
  BOOST_TEST(contains(out, "0 escalations"));
  BOOST_REQUIRE(escalations({"show", "refund-1"}) == 0);
  BOOST_TEST(contains(out, "reason     a person decides refunds"));
  BOOST_TEST(contains(out, "card declined"));
  BOOST_REQUIRE(escalations({"show", "refund-1", "--json"}) == 0);
  BOOST_TEST((nlohmann::json::parse(out).get<escalation>() == stored("refund-1")));
  BOOST_TEST(escalations({"show", "nope"}) == 1);
  BOOST_TEST(contains(err, "no escalation of task \"nope\""));
}

BOOST_AUTO_TEST_CASE(resolve_appends_to_the_notes_and_only_once) {
  BOOST_TEST(escalations({"resolve", "refund-1"}) == 2);
  BOOST_TEST(contains(err, "--note"));
  BOOST_REQUIRE(escalations({"resolve", "refund-1", "--note", "refunded by hand"}) == 0);
  auto x = stored("refund-1");
  BOOST_TEST(to_string(x.status) == "resolved");
  BOOST_TEST(contains(x.note, " resolved: refunded by hand"));
  BOOST_TEST(escalations({"resolve", "refund-1", "--note", "again"}) == 1);
  BOOST_TEST(contains(err, "is resolved, not open; nothing was changed"));
  BOOST_TEST(stored("refund-1").note == x.note);
}

BOOST_AUTO_TEST_CASE(a_corrupt_escalation_is_reported_and_the_others_are_listed) {
  {
    sqlite3* handle = nullptr;
    BOOST_REQUIRE(sqlite3_open(db.c_str(), &handle) == SQLITE_OK);
    BOOST_REQUIRE(sqlite3_exec(handle,
                               "UPDATE escalations SET task_json = '{' WHERE task_id = 'refund-1'",
                               nullptr, nullptr, nullptr) == SQLITE_OK);
    sqlite3_close(handle);
  }
  BOOST_TEST(escalations({"list"}) == 1);
  BOOST_TEST(contains(out, "refund-2"));
  BOOST_TEST(contains(out, "1 escalation\n"));
  BOOST_TEST(contains(err, "the escalation of task \"refund-1\" is corrupt"));
}

BOOST_AUTO_TEST_CASE(bad_usage_is_refused_before_anything_changes) {
  BOOST_TEST(escalations({"frobnicate"}) == 2);
  BOOST_TEST(contains(err, "usage: herd escalations"));
  BOOST_TEST(escalations({"amend", "refund-1"}) == 2);
  BOOST_TEST(escalations({"amend", "refund-1", "--payload", "{oops"}) == 2);
  BOOST_TEST(contains(err, "--payload is not valid JSON"));
  BOOST_TEST(escalations({"list", "--status", "sleepy"}) == 2);
  BOOST_TEST(to_string(stored("refund-1").status) == "open");
  BOOST_TEST(escalations({"--help"}) == 0);
  BOOST_TEST(contains(out, "usage: herd escalations"));
}

BOOST_AUTO_TEST_CASE(amend_and_resubmit_are_carried_out_by_the_running_service) {
  dead_letter_queue_config config;
  config.poll_interval = 1s;
  auto dlq = sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db),
                                          caf::actor{self}, metrics);
  auto service = sys.spawn<escalation_queue>(config, std::make_unique<dead_letter_store>(db), dlq,
                                             caf::actor{self}, metrics);
  vt.run();
  BOOST_REQUIRE(escalations({"amend", "refund-1", "--payload", "{\"amount\": 5}", "--note",
                             "half the amount"}) == 0);
  BOOST_REQUIRE(escalations({"resubmit", "refund-2"}) == 0);
  BOOST_TEST(to_string(stored("refund-1").status) == "resubmitting");
  vt.advance(1s); // the service polls
  std::vector<task> sent;
  bool more = true;
  while (more)
    self->receive([&](resubmit_atom, task& t) { sent.push_back(std::move(t)); },
                  caf::after(0s) >> [&] { more = false; });
  BOOST_REQUIRE(sent.size() == 2u);
  BOOST_TEST(sent[0].id == "refund-1");
  BOOST_TEST(sent[0].payload == "{\"amount\":5}");
  BOOST_TEST(sent[0].attempt == 1);
  BOOST_TEST(sent[1].id == "refund-2");
  auto x = stored("refund-1");
  BOOST_TEST(to_string(x.status) == "resubmitted");
  BOOST_TEST(contains(x.note, " amended: half the amount"));
  BOOST_TEST(metrics->gauge("herd_escalations_open", "").value() == 0);
  for (auto& a : {caf::actor_cast<caf::actor>(service), caf::actor_cast<caf::actor>(dlq)})
    caf::anon_send_exit(a, caf::exit_reason::user_shutdown);
  vt.run();
}

BOOST_AUTO_TEST_SUITE_END()
