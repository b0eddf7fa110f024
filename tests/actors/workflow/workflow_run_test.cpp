// workflow_run, the decisions of a workflow without a scheduler: order, results fed forward,
// non-critical failures, persons, compensations, caps, the end handed out once, and a stored run
// that no longer fits its code.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/workflow/workflow_run.hpp"

using namespace herd;

namespace {

using action_type = workflow_action::type;

workflow_definition order_workflow() {
  workflow_definition def;
  def.name = "order";
  def.step("validate", "validate", "orders");
  def.step("reserve", "reserve", "orders").compensation = "release";
  def.step("payment", "payment", "payments").compensation = "refund";
  def.step("analytics", "analytics", "orders").critical = false;
  def.step("email", "email", "orders");
  return def;
}

outcome done(const nlohmann::json& value, int32_t attempt = 1) {
  auto x = outcome::success(value);
  x.attempt = attempt;
  return x;
}

outcome broken(outcome_status status, const std::string& why) {
  auto x = outcome::fail(failure::permanent(why));
  x.status = status;
  return x;
}

struct run_fixture {
  int64_t now = 1'700'000'000'000;
  workflow_definition def = order_workflow();

  workflow_run make(workflow_config limits = {}) {
    return workflow_run{def, workflow_run::fresh(def, "o-1", R"({"sku":"a"})", now), limits};
  }

  /// Completes the step `run` hands out next, checking its name.
  void complete(workflow_run& run, const std::string& step, const nlohmann::json& value) {
    auto a = run.next(now);
    BOOST_TEST_REQUIRE(a.step == step);
    run.on_outcome(step, done(value), ++now);
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(workflow_run_suite, run_fixture)

BOOST_AUTO_TEST_CASE(steps_run_in_order_with_earlier_results_and_an_idempotency_key) {
  auto run = make();
  auto first = run.next(now);
  BOOST_TEST((first.what == action_type::run_step));
  BOOST_TEST(first.work.id == "o-1/validate");
  BOOST_TEST(first.work.idempotency_key == "o-1/validate");
  BOOST_TEST(first.work.kind == "validate");
  BOOST_TEST(first.work.pool == "orders");
  BOOST_TEST(first.work.payload_json()["input"]["sku"] == "a");
  // Nothing else is handed out while the step runs.
  BOOST_TEST((run.next(now).what == action_type::none));
  run.on_outcome("validate", done({{"ok", true}}), ++now);
  auto second = run.next(now);
  BOOST_TEST(second.step == "reserve");
  BOOST_TEST(second.work.payload_json()["results"]["validate"]["ok"] == true);
  BOOST_TEST(second.work.payload_json()["idempotency_key"] == "o-1/reserve");
}

BOOST_AUTO_TEST_CASE(a_non_critical_failure_is_recorded_and_the_workflow_completes) {
  auto run = make();
  complete(run, "validate", 1);
  complete(run, "reserve", 2);
  complete(run, "payment", 3);
  BOOST_TEST(run.next(now).step == "analytics");
  run.on_outcome("analytics", broken(outcome_status::failed, "warehouse down"), ++now);
  complete(run, "email", "sent");
  auto end = run.next(now);
  BOOST_TEST((end.what == action_type::ended));
  BOOST_TEST((run.record().status == workflow_status::completed));
  BOOST_TEST((run.record().step("analytics")->state == step_state::failed));
  BOOST_TEST(run.record().step("analytics")->error.find("warehouse down") != std::string::npos);
  BOOST_TEST(run.record().failed_step.empty());
  // The end is handed out once.
  BOOST_TEST((run.next(now).what == action_type::none));
}

BOOST_AUTO_TEST_CASE(a_critical_failure_runs_each_compensation_once_in_reverse_order) {
  def.steps[0].compensation = "unvalidate"; // validate, reserve and payment can be undone
  auto run = make();
  complete(run, "validate", 1);
  complete(run, "reserve", 2);
  complete(run, "payment", 3);
  complete(run, "analytics", 4);
  BOOST_TEST(run.next(now).step == "email");
  run.on_outcome("email", broken(outcome_status::dead_lettered, "smtp refused"), ++now);
  std::vector<std::string> undone;
  for (;;) {
    auto a = run.next(now);
    if (a.what != action_type::compensate)
      break;
    undone.push_back(a.work.kind);
    BOOST_TEST(a.work.id == "o-1/" + a.step + "/compensate");
    BOOST_TEST(a.work.payload_json()["compensating"] == true);
    run.on_compensated(a.step, done(nullptr), ++now);
  }
  BOOST_TEST((undone == std::vector<std::string>{"refund", "release", "unvalidate"}));
  BOOST_TEST((run.record().status == workflow_status::failed));
  BOOST_TEST(run.record().failed_step == "email");
  BOOST_TEST((run.record().step("payment")->state == step_state::compensated));
  BOOST_TEST((run.next(now).what == action_type::none)); // ended once, nothing more
}

BOOST_AUTO_TEST_CASE(a_failed_compensation_is_recorded_and_the_others_still_run) {
  auto run = make();
  complete(run, "validate", 1);
  complete(run, "reserve", 2);
  BOOST_TEST(run.next(now).step == "payment");
  run.on_outcome("payment", broken(outcome_status::failed, "card declined"), ++now);
  // payment failed itself: only reserve is undone.
  auto undo = run.next(now);
  BOOST_TEST(undo.step == "reserve");
  run.on_compensated("reserve", broken(outcome_status::failed, "gone"), ++now);
  BOOST_TEST((run.next(now).what == action_type::ended));
  BOOST_TEST((run.record().step("reserve")->state == step_state::compensation_failed));
  BOOST_TEST(run.record().error.find("card declined") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_person_step_pauses_and_resumes_with_the_persons_value) {
  workflow_definition d;
  d.name = "refund";
  d.step("check", "check");
  d.person("approve");
  d.step("pay", "pay");
  def = d;
  auto run = make();
  complete(run, "check", "fine");
  auto ask = run.next(now);
  BOOST_TEST((ask.what == action_type::escalate));
  BOOST_TEST(ask.work.id == "o-1/approve");
  BOOST_TEST(ask.reason.find("approve") != std::string::npos);
  BOOST_TEST((run.record().status == workflow_status::waiting));
  BOOST_TEST((run.next(now).what == action_type::wait));
  BOOST_TEST(!run.on_person("check", "1", now)); // not the waiting step
  BOOST_TEST(run.on_person("approve", R"({"approved":true})", ++now));
  auto pay = run.next(now);
  BOOST_TEST(pay.step == "pay");
  BOOST_TEST(pay.work.payload_json()["results"]["approve"]["approved"] == true);
}

BOOST_AUTO_TEST_CASE(an_escalated_critical_step_waits_and_an_unanswered_one_ends_escalated) {
  auto run = make();
  BOOST_TEST(run.next(now).step == "validate");
  run.on_outcome("validate", broken(outcome_status::escalated, "bad order"), ++now);
  BOOST_TEST((run.record().status == workflow_status::waiting));
  BOOST_TEST(run.waiting_step() == "validate");
  BOOST_TEST(run.on_escalation_closed("validate", "nobody answered", ++now));
  BOOST_TEST((run.next(now).what == action_type::ended));
  BOOST_TEST((run.record().status == workflow_status::escalated));
  BOOST_TEST(run.record().failed_step == "validate");
  BOOST_TEST(!run.cancel("late", now)); // ended once
}

BOOST_AUTO_TEST_CASE(the_step_cap_warns_first_and_then_fails_the_run) {
  workflow_config limits;
  limits.max_steps = 3;
  limits.warn_ratio = 0.6;
  auto run = make(limits);
  complete(run, "validate", 1);
  BOOST_TEST(run.take_warnings().empty());
  complete(run, "reserve", 2); // 2 of 3 >= 60 %
  auto warnings = run.take_warnings();
  BOOST_TEST_REQUIRE(warnings.size() == 1u);
  BOOST_TEST(warnings[0].find("2 of its 3 step executions") != std::string::npos);
  complete(run, "payment", 3);
  BOOST_TEST(run.take_warnings().empty()); // once per run
  // The fourth step would pass the cap: the run fails there and undoes what it did.
  auto undo = run.next(now);
  BOOST_TEST((undo.what == action_type::compensate));
  BOOST_TEST(run.record().failed_step == "analytics");
  BOOST_TEST(run.record().error.find("cap of 3") != std::string::npos);
  BOOST_TEST(run.record().executions <= 4);
}

BOOST_AUTO_TEST_CASE(the_byte_cap_refuses_a_result_that_would_pass_it) {
  workflow_config limits;
  limits.max_bytes = 100;
  auto run = make(limits);
  complete(run, "validate", std::string(70, 'x')); // 83 of 100 bytes: warned
  BOOST_TEST(run.take_warnings().size() == 1u);
  BOOST_TEST(run.next(now).step == "reserve");
  run.on_outcome("reserve", done(std::string(60, 'y')), ++now);
  BOOST_TEST((run.record().step("reserve")->state == step_state::failed));
  BOOST_TEST(run.record().stored_bytes <= 100);
  run.next(now);
  BOOST_TEST((run.record().status == workflow_status::failed));
}

BOOST_AUTO_TEST_CASE(a_step_a_crash_interrupted_runs_again_and_finished_ones_do_not) {
  auto run = make();
  complete(run, "validate", "v");
  BOOST_TEST(run.next(now).step == "reserve"); // submitted, then the process dies
  workflow_run again{def, run.record()};
  auto a = again.next(now);
  BOOST_TEST(a.step == "reserve");
  BOOST_TEST(a.work.payload_json()["results"]["validate"] == "v");
  BOOST_TEST(again.record().step("reserve")->runs == 2);
  BOOST_TEST(again.record().step("validate")->runs == 1);
}

BOOST_AUTO_TEST_CASE(a_stored_step_the_code_no_longer_has_is_a_clear_error) {
  auto stored = workflow_run::fresh(def, "o-9", "null", now);
  stored.steps[1].name = "reserve_stock";
  try {
    workflow_run run{def, stored};
    BOOST_FAIL("expected an error");
  } catch (const std::invalid_argument& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("workflow \"order\"") != std::string::npos);
    BOOST_TEST(what.find("\"reserve_stock\"") != std::string::npos);
    BOOST_TEST(what.find("run \"o-9\"") != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_bad_definition_names_the_json_path) {
  auto doc = nlohmann::json::parse(
      R"({"name": "w", "steps": [{"name": "a", "kind": "k"}, {"name": "a", "kind": "k"}]})");
  try {
    workflow_definition::from_json(json_reader{doc});
    BOOST_FAIL("expected an error");
  } catch (const config_error& e) {
    BOOST_TEST(e.path() == "/steps/1/name");
  }
  auto no_kind = nlohmann::json::parse(R"({"name": "w", "steps": [{"name": "a"}]})");
  BOOST_CHECK_THROW(workflow_definition::from_json(json_reader{no_kind}), config_error);
}

BOOST_AUTO_TEST_SUITE_END()
