// workflow_store: a run and its steps survive a reopen, unfinished runs are found, commands
// wait for the service, the tables share the dead-letter file, and files herd cannot use are
// clear errors.
#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/storage/sqlite_statement.hpp"
#include "herd/workflow/workflow_run.hpp"
#include "herd/workflow/workflow_store.hpp"

using namespace herd;

namespace {

workflow_definition two_steps() {
  workflow_definition def;
  def.name = "report";
  def.step("fetch", "fetch");
  def.step("upload", "upload");
  return def;
}

struct store_fixture {
  herd::test::temp_dir dir;
  std::string file = dir.file("workflows.db");
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(workflow_store_suite, store_fixture)

BOOST_AUTO_TEST_CASE(a_saved_run_comes_back_with_its_steps_after_a_reopen) {
  auto def = two_steps();
  workflow_run run{def, workflow_run::fresh(def, "r-1", R"({"day":"mon"})", 1000)};
  run.next(1001);
  run.on_outcome("fetch", outcome::success({{"rows", 3}}), 1002);
  {
    workflow_store store{file};
    store.save(run.record());
  }
  workflow_store store{file, workflow_store::open_mode::read_only};
  auto back = store.load("r-1");
  BOOST_TEST_REQUIRE(back.has_value());
  BOOST_TEST((*back == run.record()));
  BOOST_TEST((back->step("fetch")->state == step_state::completed));
  BOOST_TEST(back->step("fetch")->result == R"({"rows":3})");
  BOOST_TEST(store.integrity_check() == "ok");
}

BOOST_AUTO_TEST_CASE(unfinished_runs_and_listings_by_status) {
  auto def = two_steps();
  workflow_store store{file};
  auto a = workflow_run::fresh(def, "a", "null", 1);
  auto b = workflow_run::fresh(def, "b", "null", 2);
  b.status = workflow_status::completed;
  auto c = workflow_run::fresh(def, "c", "null", 3);
  c.status = workflow_status::waiting;
  for (auto& x : {a, b, c})
    store.save(x);
  auto open = store.unfinished();
  BOOST_TEST_REQUIRE(open.size() == 2u);
  BOOST_TEST(open[0].id == "a");
  BOOST_TEST(open[1].id == "c");
  BOOST_TEST(store.list(workflow_status::completed, 0).size() == 1u);
  auto newest = store.list(std::nullopt, 2);
  BOOST_TEST_REQUIRE(newest.size() == 2u);
  BOOST_TEST(newest[0].id == "c");
}

BOOST_AUTO_TEST_CASE(commands_wait_until_the_service_carries_them_out) {
  workflow_store store{file};
  auto c = store.add_command("r-1", "resume", R"({"ok":true})", "approved by ana", 5);
  BOOST_TEST(c.id > 0);
  BOOST_TEST(store.pending_commands().size() == 1u);
  store.finish_command(c.id, "ok", 6);
  BOOST_TEST(store.pending_commands().empty());
}

BOOST_AUTO_TEST_CASE(the_tables_share_the_dead_letter_database) {
  auto shared = dir.file("herd.db");
  { dead_letter_store dlq{shared}; }
  {
    workflow_store store{shared};
    auto def = two_steps();
    store.save(workflow_run::fresh(def, "r", "null", 1));
  }
  dead_letter_store dlq{shared};
  BOOST_TEST(dlq.schema_version() == dead_letter_store::latest_schema_version);
  workflow_store again{shared, workflow_store::open_mode::read_only};
  BOOST_TEST(again.load("r").has_value());
}

BOOST_AUTO_TEST_CASE(a_newer_schema_is_a_clear_error_and_the_file_is_not_touched) {
  {
    workflow_store store{file};
    sqlite_connection db{file};
    db.open(false, false);
    db.exec("UPDATE workflow_schema SET version = 7");
  }
  try {
    workflow_store store{file};
    BOOST_FAIL("expected an error");
  } catch (const store_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.find("workflow schema version 7 is newer") != std::string::npos);
    BOOST_TEST(what.find(file) != std::string::npos);
  }
}

BOOST_AUTO_TEST_CASE(a_reader_of_a_file_without_workflows_says_so) {
  { dead_letter_store dlq{file}; }
  BOOST_CHECK_EXCEPTION(workflow_store(file, workflow_store::open_mode::read_only), store_error,
                        [](const store_error& e) {
                          return std::string{e.what()}.find("no workflows") != std::string::npos;
                        });
  BOOST_CHECK_THROW(workflow_store(dir.file("missing.db"), workflow_store::open_mode::read_only),
                    store_error);
}

BOOST_AUTO_TEST_SUITE_END()
