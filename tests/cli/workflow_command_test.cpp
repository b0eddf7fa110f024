// `herd workflow`: what an operator sees of workflow runs in a service's database and how a
// resume or cancel reaches the running service.
#include "workflow_command.hpp"

#include <sstream>

#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/workflow.hpp"
#include "spawn_function.hpp"
#include "virtual_time_fixture.hpp"

using namespace herd;

namespace {

workflow_definition approval() {
  workflow_definition def;
  def.name = "refund";
  def.step("check", "check");
  def.person("approve");
  def.step("pay", "pay");
  return def;
}

struct workflow_cli_fixture : test::virtual_time_fixture {
  test::temp_dir dir;
  std::string db = dir.file("service.db");
  std::string out;
  std::string err;

  workflow_cli_fixture() {
    workflow_store store{db};
    auto def = approval();
    workflow_run paused{def,
                        workflow_run::fresh(def, "refund-1", R"({"amount":20})", 2000000000000)};
    paused.next(2000000000001);
    paused.on_outcome("check", outcome::success({{"fine", true}}), 2000000001000);
    paused.next(2000000001001); // waits for a person
    store.save(paused.record());
    auto done = workflow_run::fresh(def, "refund-0", "null", 1999999999000);
    done.status = workflow_status::completed;
    done.ended_ms = 1999999999500;
    store.save(done);
  }

  int workflow(std::vector<std::string> args) {
    return test::run_store_command(run_workflow_command, std::move(args), db, out, err);
  }

  static bool contains(const std::string& text, const std::string& part) {
    return text.find(part) != std::string::npos;
  }
};

caf::behavior answering_dispatcher(caf::event_based_actor*) {
  return {[](submit_atom, const task& t) {
    auto x = outcome::success(t.kind);
    x.task_id = t.id;
    return x;
  }};
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(workflow_command_suite, workflow_cli_fixture)

BOOST_AUTO_TEST_CASE(list_shows_runs_newest_first_with_their_progress) {
  BOOST_REQUIRE(workflow({"list"}) == 0);
  BOOST_TEST(contains(out, "refund-1"));
  BOOST_TEST(out.find("refund-1") < out.find("refund-0"));
  BOOST_TEST(contains(out, "waiting"));
  BOOST_TEST(contains(out, "1/3"));
  BOOST_TEST(contains(out, "2033-05-18T03:33:20.000Z"));
  BOOST_TEST(contains(out, "2 runs"));
  BOOST_REQUIRE(workflow({"list", "--status", "completed", "--json"}) == 0);
  auto runs = nlohmann::json::parse(out);
  BOOST_TEST_REQUIRE(runs.size() == 1u);
  BOOST_TEST(runs[0]["id"] == "refund-0");
  BOOST_REQUIRE(workflow({"list", "--limit", "1", "--json"}) == 0);
  BOOST_TEST(nlohmann::json::parse(out).size() == 1u);
  BOOST_TEST(workflow({"list", "--status", "done"}) == 2);
  BOOST_TEST(contains(err, "--status expects running, waiting"));
}

BOOST_AUTO_TEST_CASE(show_prints_each_steps_state_attempts_result_and_utc_times) {
  BOOST_REQUIRE(workflow({"show", "refund-1"}) == 0);
  BOOST_TEST(contains(out, "status     waiting"));
  BOOST_TEST(contains(out, "check           completed"));
  BOOST_TEST(contains(out, "{\"fine\":true}"));
  BOOST_TEST(contains(out, "approve         waiting"));
  BOOST_TEST(contains(out, "2033-05-18T03:33:21.000Z"));
  BOOST_REQUIRE(workflow({"show", "refund-1", "--json"}) == 0);
  auto run = nlohmann::json::parse(out);
  BOOST_TEST(run["steps"][0]["result"]["fine"] == true);
  BOOST_TEST(run["input"]["amount"] == 20);
  BOOST_TEST(workflow({"show", "nope"}) == 1);
  BOOST_TEST(contains(err, "no workflow run \"nope\""));
}

BOOST_AUTO_TEST_CASE(resume_is_recorded_and_the_running_service_carries_it_out) {
  // The service runs on the same file while the operator types.
  workflow_config config;
  config.poll_interval = duration{0};
  workflow_peers peers;
  auto d = caf::actor_cast<dispatcher_actor>(herd::test::spawn_function(sys, answering_dispatcher));
  peers.dispatcher = [d] { return d; };
  auto driver = sys.spawn<workflow_driver>(config, std::make_unique<workflow_store>(db),
                                           std::move(peers), metrics);
  self->send(driver, wf_register_atom::value, approval());
  vt.run();
  BOOST_REQUIRE(workflow({"resume", "refund-1", "--value", R"({"approved":true})", "--note",
                          "ok by ana"}) == 0);
  BOOST_TEST(contains(out, "resume of refund-1 recorded"));
  self->send(driver, wf_poll_atom::value);
  vt.run();
  BOOST_REQUIRE(workflow({"show", "refund-1", "--json"}) == 0);
  auto run = nlohmann::json::parse(out);
  BOOST_TEST(run["status"] == "completed");
  BOOST_TEST(run["steps"][1]["result"]["approved"] == true);
  // An ended run takes no commands.
  BOOST_TEST(workflow({"cancel", "refund-1"}) == 1);
  BOOST_TEST(contains(err, "has ended (completed)"));
  caf::anon_send_exit(driver, caf::exit_reason::kill);
  caf::anon_send_exit(d, caf::exit_reason::kill);
  vt.run();
}

BOOST_AUTO_TEST_CASE(bad_usage_and_unusable_files_are_clear_errors) {
  BOOST_TEST(workflow({"resume", "refund-1", "--value", "{oops"}) == 2);
  BOOST_TEST(contains(err, "--value is not valid JSON"));
  BOOST_TEST(workflow({"cancel", "refund-1", "--value", "1"}) == 2);
  BOOST_TEST(workflow({"frobnicate"}) == 2);
  BOOST_TEST(workflow({"--help"}) == 0);
  BOOST_TEST(contains(out, "usage: herd workflow"));
  std::string empty_db = dir.file("empty.db");
  BOOST_TEST(test::run_store_command(run_workflow_command, {"list"}, empty_db, out, err) == 1);
  BOOST_TEST(contains(err, "no such database file"));
}

BOOST_AUTO_TEST_SUITE_END()
