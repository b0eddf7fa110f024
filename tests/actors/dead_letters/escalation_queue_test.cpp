// The escalation queue: durable, announced through the hook and a JSON line, resolved or edited
// and resubmitted by a person, and sent to the dead-letter queue when nobody answers in time.
#include "herd/dead_letters/escalation_queue.hpp"
#include "herd/dispatch/protocol.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/core/atoms.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/dead_letters/dead_letter_queue.hpp"
#include "herd/dead_letters/protocol.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;
using namespace std::chrono_literals;

namespace {

struct escalation_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("dlq.db");
  /// What an operator sees: a connection of its own beside the actors'.
  std::unique_ptr<dead_letter_store> store = std::make_unique<dead_letter_store>(db);
  dead_letter_queue_config config;
  std::vector<escalation> announced;
  dead_letter_queue_actor dlq;
  escalation_queue_actor escalations;

  escalation_fixture() {
    config.poll_interval = duration{0};
    config.escalation_timeout = 10s;
    config.escalation_log = dir.file("escalations.jsonl");
    dlq = sys.spawn<dead_letter_queue>(config, std::make_unique<dead_letter_store>(db),
                                       caf::actor{self}, metrics);
    escalations = sys.spawn<escalation_queue>(
        config, std::make_unique<dead_letter_store>(db), dlq, caf::actor{self}, metrics,
        [this](const escalation& x) { announced.push_back(x); });
    vt.run();
  }

  ~escalation_fixture() {
    caf::anon_send_exit(escalations, caf::exit_reason::user_shutdown);
    caf::anon_send_exit(dlq, caf::exit_reason::user_shutdown);
    vt.run();
  }

  void escalate(const std::string& id, const std::string& reason) {
    self->send(escalations, escalate_atom::value, test::failed_task(id), reason);
    vt.run();
    BOOST_REQUIRE(next<caf::ok_atom>());
  }

  template <class... Ts>
  bool ask(const Ts&... xs) {
    self->send(escalations, xs...);
    vt.run();
    auto answer = next<bool>();
    BOOST_REQUIRE(answer);
    return *answer;
  }

  escalation_status status_of(const std::string& id) { return store->get_escalation(id)->status; }

  /// The outcomes the queues settled with the dispatcher (`self`) since the last call.
  std::vector<outcome> settled() {
    std::vector<outcome> result;
    bool more = true;
    while (more)
      self->receive([&](settle_atom, outcome& x) { result.push_back(std::move(x)); },
                    caf::after(0s) >> [&] { more = false; });
    return result;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(escalation_actor, escalation_fixture)

BOOST_AUTO_TEST_CASE(an_escalation_is_stored_announced_and_resolved_with_a_note) {
  escalate("t-1", "unknown failure");
  BOOST_TEST(status_of("t-1") == escalation_status::open);
  BOOST_REQUIRE(announced.size() == 1u);
  BOOST_TEST(announced[0].work.id == "t-1");
  std::ifstream lines{config.escalation_log};
  std::string line;
  BOOST_REQUIRE(std::getline(lines, line));
  auto j = nlohmann::json::parse(line);
  BOOST_TEST(j["task"]["id"] == "t-1");
  BOOST_TEST(j["reason"] == "unknown failure");
  BOOST_TEST(j["status"] == "open");
  self->send(escalations, esc_query_atom::value, std::string{"open"});
  vt.run();
  auto open = next<std::vector<escalation>>();
  BOOST_REQUIRE(open);
  BOOST_TEST(open->size() == 1u);
  BOOST_TEST(ask(esc_resolve_atom::value, std::string{"t-1"}, std::string{"customer called back"}));
  auto x = store->get_escalation("t-1");
  BOOST_TEST(x->status == escalation_status::resolved);
  BOOST_TEST(x->note.find(" resolved: customer called back") != std::string::npos, x->note);
  // Closed once: a second answer changes nothing, and the timeout no longer fires.
  BOOST_TEST(!ask(esc_resolve_atom::value, std::string{"t-1"}, std::string{"again"}));
  vt.advance(20s);
  BOOST_TEST(store->get_escalation("t-1")->status == escalation_status::resolved);
  BOOST_TEST(store->count({}) == 0);
}

BOOST_AUTO_TEST_CASE(a_person_edits_the_payload_and_resubmits) {
  escalate("t-2", "policy: approve refunds");
  BOOST_TEST(ask(esc_amend_atom::value, std::string{"t-2"}, std::string{R"({"amount": 10})"},
                 std::string{"approved a smaller refund"}));
  std::optional<task> sent;
  self->receive([&](resubmit_atom, task& t) { sent = std::move(t); }, caf::after(0s) >> [] {});
  BOOST_REQUIRE(sent);
  BOOST_TEST(sent->id == "t-2");
  BOOST_TEST(sent->payload_json()["amount"] == 10);
  BOOST_TEST(sent->attempt == 1);
  BOOST_TEST(sent->history.size() == 2u);
  BOOST_TEST(status_of("t-2") == escalation_status::resubmitted);
  BOOST_TEST(store->get_escalation("t-2")->work.payload == R"({"amount":10})");
}

BOOST_AUTO_TEST_CASE(a_durable_escalation_settles_its_task_once_and_its_timeout_does_not_again) {
  escalate("t-5", "a person must approve this refund");
  auto first = settled();
  BOOST_REQUIRE(first.size() == 1u);
  BOOST_TEST(first[0].task_id == "t-5");
  BOOST_TEST((first[0].status == outcome_status::escalated));
  BOOST_TEST(first[0].error.message == "a person must approve this refund");
  BOOST_TEST(first[0].attempt == 2);
  BOOST_TEST(first[0].agent == "agents-2");
  vt.advance(10s); // the escalation times out into the dead-letter queue
  BOOST_TEST(status_of("t-5") == escalation_status::timed_out);
  BOOST_TEST(settled().empty());
}

BOOST_AUTO_TEST_CASE(a_payload_that_is_not_json_is_refused) {
  escalate("t-3", "policy");
  self->send(escalations, esc_amend_atom::value, std::string{"t-3"}, std::string{"{oops"},
             std::string{""});
  vt.run();
  auto err = next_error();
  BOOST_REQUIRE(err);
  BOOST_TEST((*err == dead_letter_errc::invalid_request));
  BOOST_TEST(status_of("t-3") == escalation_status::open);
}

BOOST_AUTO_TEST_CASE(a_task_escalated_again_keeps_its_notes_and_its_history_grows) {
  escalate("t-5", "policy");
  BOOST_TEST(ask(esc_amend_atom::value, std::string{"t-5"}, std::string{""},
                 std::string{"try once more"}));
  auto back = test::failed_task("t-5"); // the resubmit failed once more
  back.history.push_back(
      {1, vt.now(), "agents-3", failure::unknown("still confused").from("llm", 500)});
  self->send(escalations, escalate_atom::value, back, std::string{"unknown failure"});
  vt.run();
  BOOST_REQUIRE(next<caf::ok_atom>());
  auto x = store->get_escalation("t-5");
  BOOST_REQUIRE(x);
  BOOST_TEST(x->status == escalation_status::open);
  BOOST_REQUIRE(x->work.history.size() == 3u);
  BOOST_TEST(x->work.history[2].number == 3);
  BOOST_TEST(x->note.find(" resubmitted: try once more\n") != std::string::npos, x->note);
  BOOST_TEST(x->note.find(" escalated again after it was resubmitted: unknown failure") !=
                 std::string::npos,
             x->note);
}

BOOST_AUTO_TEST_CASE(an_unanswered_escalation_times_out_to_the_dead_letter_queue) {
  escalate("t-4", "unknown failure");
  vt.advance(9s);
  BOOST_TEST(status_of("t-4") == escalation_status::open);
  vt.advance(1s);
  BOOST_TEST(status_of("t-4") == escalation_status::timed_out);
  auto letter = store->get("t-4");
  BOOST_REQUIRE(letter);
  BOOST_TEST(letter->reason == dead_letter_reason::escalation_timeout);
  auto sent = test::failed_task("t-4");
  BOOST_TEST(letter->work.payload == sent.payload);
  BOOST_REQUIRE(letter->work.history.size() == sent.history.size());
  BOOST_TEST((letter->work.history.back().error == sent.history.back().error));
  BOOST_TEST(metrics->counter("herd_escalations_timed_out_total", "").value() == 1u);
  BOOST_TEST(metrics->gauge("herd_escalations_open", "").value() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
