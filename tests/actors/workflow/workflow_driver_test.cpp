// The workflow driver in virtual time, against a scripted dispatcher and escalation queue on a
// real SQLite store: a new driver after a kill skips finished steps, non-critical failures do not
// fail a run, a person's value resumes a paused run, compensations run once, caps warn before
// they hold, every run ends exactly once, and a run that no longer fits its code is refused.
#include <map>
#include <memory>
#include <optional>

#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/workflow.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;

namespace {

/// What the scripted peers saw and how they answer.
struct script {
  /// Submits by task id.
  std::map<std::string, int> submits;
  /// Every submitted task, in order.
  std::vector<task> seen;
  /// The answer to a task; none = never answer (the step is in flight when the driver dies).
  std::function<std::optional<outcome>(const task&, int submit)> answer =
      [](const task& t, int) -> std::optional<outcome> {
    return outcome::success({{"from", t.id}});
  };
  /// Requests that are never answered, kept alive.
  std::vector<caf::response_promise> held;
  /// Escalated task ids, and resolved ones.
  std::vector<std::string> escalated, resolved;
  /// The stored escalations `find_escalation` reads.
  std::map<std::string, escalation> escalations;
};

caf::behavior scripted_dispatcher(caf::event_based_actor* self, std::shared_ptr<script> s) {
  return {[=](submit_atom, const task& t) -> caf::result<outcome> {
    auto n = ++s->submits[t.id];
    s->seen.push_back(t);
    auto answer = s->answer(t, n);
    if (!answer) {
      auto promise = self->make_response_promise<outcome>();
      s->held.push_back(promise);
      return promise;
    }
    answer->task_id = t.id;
    return *answer;
  }};
}

caf::behavior scripted_escalations(caf::event_based_actor*, std::shared_ptr<script> s) {
  return {[=](escalate_atom, const task& t, const std::string&) {
            s->escalated.push_back(t.id);
            return caf::ok_atom::value;
          },
          [=](esc_resolve_atom, const std::string& id, const std::string&) {
            s->resolved.push_back(id);
            return true;
          }};
}

outcome failed_with(outcome_status status, const std::string& why) {
  auto x = outcome::fail(failure::permanent(why));
  x.status = status;
  return x;
}

struct driver_fixture : herd::test::virtual_time_fixture {
  herd::test::temp_dir dir;
  std::string file = dir.file("workflows.db");
  std::shared_ptr<script> s = std::make_shared<script>();
  caf::actor dispatcher = sys.spawn(scripted_dispatcher, s);
  caf::actor escalations = sys.spawn(scripted_escalations, s);
  int64_t wall = 1'800'000'000'000;
  workflow_config config;
  workflow_driver_actor driver;

  driver_fixture() {
    config.poll_interval = duration{0};
    driver = spawn_driver();
  }

  ~driver_fixture() {
    for (auto& x : {caf::actor_cast<caf::actor>(driver), dispatcher, escalations})
      if (x)
        caf::anon_send_exit(x, caf::exit_reason::kill);
    vt.run();
  }

  workflow_driver_actor spawn_driver() {
    workflow_peers peers;
    auto d = caf::actor_cast<dispatcher_actor>(dispatcher);
    auto q = caf::actor_cast<escalation_queue_actor>(escalations);
    peers.dispatcher = [d] { return d; };
    peers.escalations = [q] { return q; };
    auto shared = s;
    peers.find_escalation = [shared](const std::string& id) -> std::optional<escalation> {
      auto found = shared->escalations.find(id);
      if (found == shared->escalations.end())
        return std::nullopt;
      return found->second;
    };
    return sys.spawn<workflow_driver>(config, std::make_unique<workflow_store>(file),
                                      std::move(peers), metrics, [this] { return ++wall; });
  }

  /// Kills the driver as a crash would and starts a new one on the same store.
  void crash_and_restart() {
    caf::anon_send_exit(driver, caf::exit_reason::kill);
    vt.run();
    driver = spawn_driver();
  }

  template <class... Ts>
  std::optional<workflow_record> ask(Ts... xs) {
    self->send(driver, xs...);
    vt.run();
    return next<workflow_record>();
  }

  bool add(const workflow_definition& def) {
    self->send(driver, wf_register_atom::value, def);
    vt.run();
    return next<bool>().value_or(false);
  }

  std::optional<workflow_record> start(const std::string& workflow, const std::string& id,
                                       const std::string& input = "null") {
    return ask(wf_start_atom::value, workflow, id, input);
  }

  std::optional<workflow_record> get(const std::string& id) { return ask(wf_get_atom::value, id); }

  /// The `wf_ended` events in `self`'s mailbox, by run id.
  std::map<std::string, int> endings() {
    std::map<std::string, int> result;
    bool more = true;
    while (more)
      self->receive([&](wf_ended_atom, const workflow_record& r) { ++result[r.id]; },
                    caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
    return result;
  }

  void subscribe() {
    self->send(driver, subscribe_atom::value, caf::actor_cast<caf::actor>(self));
    vt.run();
  }
};

workflow_definition three_steps() {
  workflow_definition def;
  def.name = "report";
  def.step("fetch", "fetch");
  def.step("analyze", "analyze");
  def.step("upload", "upload");
  return def;
}

workflow_definition order() {
  workflow_definition def;
  def.name = "order";
  def.step("validate", "validate");
  def.person("approve");
  def.step("reserve", "reserve").compensation = "release";
  def.step("payment", "payment").compensation = "refund";
  def.step("analytics", "analytics").critical = false;
  def.step("email", "email");
  return def;
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(workflow_driver_suite, driver_fixture)

BOOST_AUTO_TEST_CASE(a_new_driver_after_a_kill_skips_finished_steps_and_feeds_their_results) {
  // analyze is in flight when the driver dies; a new one on the same store finishes the run.
  s->answer = [](const task& t, int n) -> std::optional<outcome> {
    if (t.id == "r-1/analyze" && n == 1)
      return std::nullopt;
    return outcome::success({{"from", t.id}});
  };
  BOOST_TEST(add(three_steps()));
  auto started = start("report", "r-1", R"({"day":"mon"})");
  BOOST_TEST_REQUIRE(started.has_value());
  BOOST_TEST(s->submits["r-1/analyze"] == 1);
  crash_and_restart();
  subscribe();
  BOOST_TEST(add(three_steps())); // registering resumes the workflow's unfinished runs
  auto done = get("r-1");
  BOOST_TEST_REQUIRE(done.has_value());
  BOOST_TEST((done->status == workflow_status::completed));
  BOOST_TEST(s->submits["r-1/fetch"] == 1); // finished before the kill: not run again
  BOOST_TEST(s->submits["r-1/analyze"] == 2);
  BOOST_TEST(s->submits["r-1/upload"] == 1);
  BOOST_TEST(done->step("analyze")->runs == 2);
  auto upload = s->seen.back();
  BOOST_TEST(upload.id == "r-1/upload");
  BOOST_TEST(upload.idempotency_key == "r-1/upload");
  BOOST_TEST(upload.payload_json()["results"]["fetch"]["from"] == "r-1/fetch");
  BOOST_TEST(upload.payload_json()["input"]["day"] == "mon");
  BOOST_TEST(endings()["r-1"] == 1);
  // Starting the id again returns the run; nothing runs twice.
  auto again = start("report", "r-1");
  BOOST_TEST_REQUIRE(again.has_value());
  BOOST_TEST((again->status == workflow_status::completed));
  BOOST_TEST(s->submits["r-1/fetch"] == 1);
}

BOOST_AUTO_TEST_CASE(a_non_critical_failure_does_not_fail_the_workflow) {
  s->answer = [](const task& t, int) -> std::optional<outcome> {
    if (t.kind == "analytics")
      return failed_with(outcome_status::failed, "warehouse offline");
    return outcome::success(t.kind);
  };
  auto def = order();
  def.steps.erase(def.steps.begin() + 1); // no person in this one
  BOOST_TEST(add(def));
  subscribe();
  start("order", "o-1");
  auto r = get("o-1");
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST((r->status == workflow_status::completed));
  BOOST_TEST((r->step("analytics")->state == step_state::failed));
  BOOST_TEST((r->step("email")->state == step_state::completed));
  BOOST_TEST(endings()["o-1"] == 1);
}

BOOST_AUTO_TEST_CASE(a_person_step_pauses_and_the_runtime_api_resumes_it_with_a_value) {
  BOOST_TEST(add(order()));
  start("order", "o-2");
  auto paused = get("o-2");
  BOOST_TEST_REQUIRE(paused.has_value());
  BOOST_TEST((paused->status == workflow_status::waiting));
  BOOST_TEST((s->escalated == std::vector<std::string>{"o-2/approve"}));
  BOOST_TEST(s->submits.count("o-2/reserve") == 0u);
  // Awaiting a paused run answers at once.
  BOOST_TEST(ask(wf_await_atom::value, std::string{"o-2"}).has_value());
  auto resumed = ask(wf_resume_atom::value, std::string{"o-2"}, std::string{R"({"ok":true})"},
                     std::string{"approved by ana"});
  BOOST_TEST_REQUIRE(resumed.has_value());
  BOOST_TEST((s->resolved == std::vector<std::string>{"o-2/approve"}));
  auto r = get("o-2");
  BOOST_TEST((r->status == workflow_status::completed));
  BOOST_TEST(r->step("approve")->result == R"({"ok":true})");
  auto& reserve = s->seen[1];
  BOOST_TEST(reserve.id == "o-2/reserve");
  BOOST_TEST(reserve.payload_json()["results"]["approve"]["ok"] == true);
  // An ended run cannot be resumed again.
  self->send(driver, wf_resume_atom::value, std::string{"o-2"}, std::string{"1"}, std::string{});
  vt.run();
  auto err = next_error();
  BOOST_TEST_REQUIRE(err.has_value());
  BOOST_TEST(sys.render(*err).find("not_resumable") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_resolution_of_the_escalation_resumes_with_the_persons_value) {
  BOOST_TEST(add(order()));
  start("order", "o-3");
  escalation x;
  x.work.id = "o-3/approve";
  x.status = escalation_status::resolved;
  x.note = "2026-12-01T09:00:00.000Z resolved: {\"amount\": 5}";
  s->escalations[x.work.id] = x;
  self->send(driver, wf_poll_atom::value);
  vt.run();
  auto r = get("o-3");
  BOOST_TEST((r->status == workflow_status::completed));
  BOOST_TEST(r->step("approve")->result == R"({"amount":5})");
  BOOST_TEST(person_value_of("t resolved: ship it") == R"("ship it")");
}

BOOST_AUTO_TEST_CASE(an_unanswered_escalation_ends_the_run_escalated_once) {
  BOOST_TEST(add(order()));
  subscribe();
  start("order", "o-4");
  escalation x;
  x.work.id = "o-4/approve";
  x.status = escalation_status::timed_out;
  s->escalations[x.work.id] = x;
  self->send(driver, wf_poll_atom::value);
  vt.run();
  self->send(driver, wf_poll_atom::value);
  vt.run();
  auto r = get("o-4");
  BOOST_TEST((r->status == workflow_status::escalated));
  BOOST_TEST(r->failed_step == "approve");
  BOOST_TEST(endings()["o-4"] == 1);
}

BOOST_AUTO_TEST_CASE(a_compensation_runs_once_when_a_later_critical_step_fails) {
  s->answer = [](const task& t, int) -> std::optional<outcome> {
    if (t.kind == "email")
      return failed_with(outcome_status::dead_lettered, "smtp refused");
    return outcome::success(t.kind);
  };
  auto def = order();
  def.steps.erase(def.steps.begin() + 1);
  BOOST_TEST(add(def));
  subscribe();
  start("order", "o-5");
  auto r = get("o-5");
  BOOST_TEST_REQUIRE(r.has_value());
  BOOST_TEST((r->status == workflow_status::failed));
  BOOST_TEST(r->failed_step == "email");
  BOOST_TEST(s->submits["o-5/payment/compensate"] == 1);
  BOOST_TEST(s->submits["o-5/reserve/compensate"] == 1);
  // In reverse order: refund before release.
  BOOST_TEST(s->seen[s->seen.size() - 2].kind == "refund");
  BOOST_TEST(s->seen.back().kind == "release");
  BOOST_TEST((r->step("payment")->state == step_state::compensated));
  BOOST_TEST(endings()["o-5"] == 1);
}

BOOST_AUTO_TEST_CASE(the_caps_warn_first_and_then_hold) {
  config.max_steps = 2;
  config.warn_ratio = 0.5;
  caf::anon_send_exit(driver, caf::exit_reason::kill);
  driver = spawn_driver();
  BOOST_TEST(add(three_steps()));
  subscribe();
  start("report", "r-cap");
  std::vector<std::string> warnings;
  bool more = true;
  while (more)
    self->receive(
        [&](wf_warning_atom, const std::string&, const std::string& w) { warnings.push_back(w); },
        caf::after(std::chrono::seconds(0)) >> [&] { more = false; });
  BOOST_TEST(warnings.size() == 1u);
  auto r = get("r-cap");
  BOOST_TEST((r->status == workflow_status::failed));
  BOOST_TEST(r->failed_step == "upload");
  BOOST_TEST(s->submits.count("r-cap/upload") == 0u);
  BOOST_TEST(metrics->total("herd_workflow_cap_warnings_total") == 1.0);
}

BOOST_AUTO_TEST_CASE(a_cancel_command_in_the_store_is_carried_out) {
  BOOST_TEST(add(order()));
  start("order", "o-6");
  {
    workflow_store cli{file, workflow_store::open_mode::existing};
    cli.add_command("o-6", "cancel", "null", "customer left", wall);
  }
  self->send(driver, wf_poll_atom::value);
  vt.run();
  auto r = get("o-6");
  BOOST_TEST((r->status == workflow_status::cancelled));
  BOOST_TEST(r->error == "customer left");
  workflow_store cli{file, workflow_store::open_mode::read_only};
  BOOST_TEST(cli.pending_commands().empty());
}

BOOST_AUTO_TEST_CASE(a_stored_step_the_code_no_longer_has_is_refused_by_name) {
  s->answer = [](const task& t, int n) -> std::optional<outcome> {
    if (t.id == "r-2/analyze" && n == 1)
      return std::nullopt;
    return outcome::success(t.kind);
  };
  BOOST_TEST(add(three_steps()));
  start("report", "r-2");
  crash_and_restart();
  auto renamed = three_steps();
  renamed.steps[0].name = "download";
  BOOST_TEST(add(renamed));
  self->send(driver, wf_recover_atom::value);
  vt.run();
  auto err = next_error();
  BOOST_TEST_REQUIRE(err.has_value());
  auto text = sys.render(*err);
  BOOST_TEST(text.find("\"fetch\"") != std::string::npos);
  BOOST_TEST(text.find("workflow \"report\"") != std::string::npos);
  BOOST_TEST(s->submits["r-2/upload"] == 0);
}

BOOST_AUTO_TEST_CASE(an_unknown_workflow_or_run_is_an_error) {
  self->send(driver, wf_start_atom::value, std::string{"nope"}, std::string{"x"},
             std::string{"null"});
  vt.run();
  auto err = next_error();
  BOOST_TEST_REQUIRE(err.has_value());
  BOOST_TEST(sys.render(*err).find("unknown_workflow") != std::string::npos);
  self->send(driver, wf_get_atom::value, std::string{"x"});
  vt.run();
  BOOST_TEST(next_error().has_value());
}

BOOST_AUTO_TEST_SUITE_END()
