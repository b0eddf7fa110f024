// Workflows through a real runtime: steps run as tasks through the dispatcher, a new runtime on
// the same database resumes a run from its last finished step, `herd escalations resolve`
// resumes a run that waits for a person, and bad definitions, configurations and stored runs
// are clear errors.
#include <atomic>
#include <map>
#include <mutex>
#include <sstream>

#include <boost/test/unit_test.hpp>
#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "escalations_command.hpp"
#include "herd/core/config_error.hpp"
#include "herd/herd.hpp"

using namespace herd;

namespace {

runtime_config workflow_config_at(const std::string& db) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "off";
  config.fallback_policy = "read_only";
  dead_letter_queue_config dead_letters;
  dead_letters.db = db;
  dead_letters.poll_interval = from_ms(20);
  config.dead_letters = dead_letters;
  config.workflows.poll_interval = from_ms(20);
  return config;
}

workflow_definition pipeline() {
  workflow_definition def;
  def.name = "pipeline";
  def.step("extract", "extract", "steps");
  def.step("load", "load", "steps");
  return def;
}

/// Counts the calls of each step and answers with the step's name.
struct step_counter {
  std::mutex mtx;
  std::map<std::string, int> calls;

  std::function<outcome(const task&)> rule() {
    return [this](const task& t) {
      std::lock_guard<std::mutex> guard{mtx};
      ++calls[t.payload_json()["step"].get<std::string>()];
      return outcome::success({{"step", t.payload_json()["step"]},
                               {"key", t.idempotency_key},
                               {"results", t.payload_json()["results"]}});
    };
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(runtime_workflows)

BOOST_AUTO_TEST_CASE(a_run_completes_through_the_dispatcher_and_an_id_runs_once) {
  test::temp_dir dir;
  step_counter counter;
  runtime rt{workflow_config_at(dir.file("herd.db"))};
  rt.add_rule("steps", counter.rule());
  BOOST_REQUIRE(!rt.register_workflow(pipeline()));
  auto r = rt.start_workflow("pipeline", "p-1", {{"table", "orders"}});
  BOOST_REQUIRE(r);
  r = rt.await_workflow("p-1", from_ms(10000));
  BOOST_REQUIRE(r);
  BOOST_TEST((r->status == workflow_status::completed));
  auto load = nlohmann::json::parse(r->steps[1].result);
  BOOST_TEST(load["key"] == "p-1/load");
  BOOST_TEST(load["results"]["extract"]["step"] == "extract");
  auto again = rt.start_workflow("pipeline", "p-1");
  BOOST_REQUIRE(again);
  BOOST_TEST((again->status == workflow_status::completed));
  BOOST_TEST(counter.calls["extract"] == 1);
  rt.shutdown(from_ms(2000));
}

BOOST_AUTO_TEST_CASE(a_new_runtime_resumes_a_stored_run_from_its_last_finished_step) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  {
    // What a process killed during "load" leaves: extract done, load submitted.
    workflow_store store{db};
    auto def = pipeline();
    workflow_run run{def, workflow_run::fresh(def, "p-2", "null", wall_now_ms())};
    run.next(wall_now_ms());
    run.on_outcome("extract", outcome::success({{"rows", 9}}), wall_now_ms());
    run.next(wall_now_ms());
    store.save(run.record());
  }
  step_counter counter;
  runtime rt{workflow_config_at(db)};
  rt.add_rule("steps", counter.rule());
  BOOST_REQUIRE(!rt.register_workflow(pipeline()));
  auto r = rt.await_workflow("p-2", from_ms(10000));
  BOOST_REQUIRE(r);
  BOOST_TEST((r->status == workflow_status::completed));
  BOOST_TEST(counter.calls["extract"] == 0);
  BOOST_TEST(counter.calls["load"] == 1);
  BOOST_TEST(nlohmann::json::parse(r->steps[1].result)["results"]["extract"]["rows"] == 9);
  BOOST_TEST(r->steps[1].runs == 2);
  auto recovered = rt.recover_workflows();
  BOOST_REQUIRE(recovered);
  BOOST_TEST(*recovered == 0); // nothing left to resume
  rt.shutdown(from_ms(2000));
}

BOOST_AUTO_TEST_CASE(herd_escalations_resolve_resumes_a_waiting_run_with_the_value) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  step_counter counter;
  runtime rt{workflow_config_at(db)};
  rt.add_rule("steps", counter.rule());
  auto def = pipeline();
  def.steps.insert(def.steps.begin() + 1, workflow_step{});
  def.steps[1].name = "approve";
  def.steps[1].human = true;
  BOOST_REQUIRE(!rt.register_workflow(def));
  BOOST_REQUIRE(rt.start_workflow("pipeline", "p-3"));
  auto paused = rt.await_workflow("p-3", from_ms(10000));
  BOOST_REQUIRE(paused);
  BOOST_TEST((paused->status == workflow_status::waiting));
  caf::scoped_actor listener{rt.system()};
  caf::anon_send(rt.workflows(), subscribe_atom::value, caf::actor_cast<caf::actor>(listener));
  std::ostringstream out, err;
  auto resolved = run_escalations_command(
      {"resolve", "p-3/approve", "--note", R"({"ok":1})", "--db", db}, out, err);
  BOOST_REQUIRE_MESSAGE(resolved == 0, err.str());
  // The driver polls the escalations every 20 ms; the run ends once.
  workflow_record r;
  listener->receive([&](wf_ended_atom, const workflow_record& x) { r = x; },
                    caf::after(std::chrono::seconds(10)) >> [] {});
  BOOST_TEST((r.status == workflow_status::completed));
  BOOST_TEST(r.steps[1].result == R"({"ok":1})");
  BOOST_TEST(nlohmann::json::parse(r.steps[2].result)["results"]["approve"]["ok"] == 1);
  rt.shutdown(from_ms(2000));
}

BOOST_AUTO_TEST_CASE(bad_definitions_stored_runs_and_configurations_are_clear_errors) {
  test::temp_dir dir;
  auto db = dir.file("herd.db");
  {
    workflow_store store{db};
    auto old = pipeline();
    old.steps[0].name = "extract_v1";
    store.save(workflow_run::fresh(old, "p-old", "null", wall_now_ms()));
  }
  auto config = workflow_config_at(db);
  config.fallback_policy.clear();
  runtime rt{config};
  // A kind without a policy is named with its step.
  auto err = rt.register_workflow(pipeline());
  BOOST_REQUIRE(err);
  BOOST_TEST(rt.system().render(err).find("step \"extract\"") != std::string::npos);
  config.policies["extract"] = failure_policy::preset("read_only");
  config.policies["load"] = failure_policy::preset("read_only");
  rt.shutdown(from_ms(1000));
  runtime rt2{config};
  BOOST_REQUIRE(!rt2.register_workflow(pipeline()));
  auto recovered = rt2.recover_workflows();
  BOOST_REQUIRE(!recovered);
  auto text = rt2.system().render(recovered.error());
  BOOST_TEST(text.find("\"extract_v1\"") != std::string::npos);
  BOOST_TEST(text.find("workflow \"pipeline\"") != std::string::npos);
  rt2.shutdown(from_ms(1000));
  // A runtime without a database runs no workflows, and says why.
  runtime_config none;
  none.log_level = "off";
  runtime rt3{none};
  BOOST_TEST(rt3.system().render(rt3.register_workflow(pipeline())).find("need a database") !=
             std::string::npos);
  rt3.shutdown(from_ms(1000));
  // Configuration errors name the JSON path.
  BOOST_CHECK_EXCEPTION(
      runtime_config::from_json(nlohmann::json::parse(R"({"workflows": {"max_steps": 0}})")),
      config_error, [](const config_error& e) { return e.path() == "/workflows/max_steps"; });
}

BOOST_AUTO_TEST_SUITE_END()
