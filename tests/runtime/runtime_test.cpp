// The runtime facade on the real scheduler: pools, blocking and future submits, shutdown.
// Nothing here waits on wall time: every wait is for a message that is already on its way.
#include <thread>

#include <boost/test/unit_test.hpp>

#include "actors/dead_letters/dlq_test_support.hpp"
#include "actors/scripted_service.hpp"
#include "actors/test_agents.hpp"
#include "herd/dead_letters/dead_letter_store.hpp"
#include "herd/herd.hpp"
#include "herd/runtime/system_config.hpp"
#include "herd/simulation/calling_agent.hpp"

using namespace herd;

BOOST_AUTO_TEST_SUITE(runtime_facade)

BOOST_AUTO_TEST_CASE(runs_tasks_through_a_pool) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  herd::runtime rt{config};
  auto runs = std::make_shared<std::map<std::string, int>>();
  auto agents = rt.spawn_pool<test::echo_agent>("llm", 3, runs);
  BOOST_TEST(agents.size() == 3u);
  auto result = rt.run(task::make("t-1", "read_only", {{"q", "hi"}}, "llm"));
  BOOST_REQUIRE(result);
  BOOST_TEST(result->ok());
  BOOST_TEST(result->result_json()["echo"]["q"] == "hi");
  std::vector<std::future<caf::expected<outcome>>> futures;
  for (int i = 0; i < 50; ++i)
    futures.push_back(rt.submit(task::make("f-" + std::to_string(i), "read_only", i, "llm")));
  for (auto& f : futures) {
    auto o = f.get();
    BOOST_REQUIRE(o);
    BOOST_TEST(o->ok());
  }
  auto report = rt.shutdown(from_ms(10000));
  BOOST_TEST(report.drained);
  BOOST_TEST(report.stats.completed == 51u);
  BOOST_TEST(report.stats.balanced());
  BOOST_TEST(rt.metrics().snapshot().contains("herd_tasks_accepted_total"));
}

BOOST_AUTO_TEST_CASE(refusals_are_errors_the_caller_sees) {
  runtime_config config;
  config.log_level = "warn";
  herd::runtime rt{config};
  auto result = rt.run(task::make("t-1", "read_only", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!result);
  BOOST_TEST((result.error() == errc::unknown_pool));
  rt.shutdown(from_ms(1000));
  auto late = rt.run(task::make("t-2", "read_only", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!late);
}

BOOST_AUTO_TEST_CASE(a_kind_without_a_policy_is_refused_unless_a_fallback_is_configured) {
  runtime_config config;
  config.log_level = "warn";
  {
    herd::runtime rt{config};
    rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
    auto refused = rt.run(task::make("charge-1", "payments", nullptr, "llm"));
    BOOST_REQUIRE(!refused);
    BOOST_TEST((refused.error() == errc::unknown_kind));
    auto text = rt.system().render(refused.error());
    BOOST_TEST(text.find("herd: unknown_kind") != std::string::npos, text);
    BOOST_TEST(text.find("\"payments\"") != std::string::npos, text);
    BOOST_TEST(static_cast<bool>(rt.run(task::make("charge-2", "payment", nullptr, "llm"))));
    rt.shutdown(from_ms(1000));
  }
  config.fallback_policy = "notification";
  herd::runtime rt{config};
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  auto taken = rt.run(task::make("mail-1", "newsletter", nullptr, "llm"));
  BOOST_REQUIRE(taken);
  BOOST_TEST(taken->ok());
  rt.shutdown(from_ms(1000));
}

BOOST_AUTO_TEST_CASE(shutdown_hands_back_what_cannot_finish) {
  runtime_config config;
  config.log_level = "error";
  herd::runtime rt{config};
  rt.spawn_pool<test::silent_agent>("stuck", 1);
  auto held = rt.submit(task::make("held", "read_only", nullptr, "stuck"));
  auto queued = rt.submit(task::make("queued", "read_only", nullptr, "stuck"));
  // Wait until both are accepted (the stats request queues behind the submits).
  while (rt.stats().accepted < 2) {
  }
  auto report = rt.shutdown(from_ms(50));
  BOOST_TEST(!report.drained);
  BOOST_TEST(report.unfinished.size() == 2u);
  BOOST_TEST(report.stats.handed_back == 2u);
  BOOST_TEST(report.stats.balanced());
  BOOST_TEST((held.get()->status == outcome_status::handed_back));
  BOOST_TEST((queued.get()->status == outcome_status::handed_back));
}

BOOST_AUTO_TEST_CASE(a_runtime_with_a_service_that_never_answers_ends) {
  // Before: shutdown returned, then ~actor_system waited forever for the service, which the
  // runtime never stopped (the suite's timeout fails the test).
  runtime_config config;
  config.log_level = "off";
  auto rt = std::make_unique<herd::runtime>(config);
  auto script = std::make_shared<test::service_script>();
  script->mode = "hang";
  auto service = rt->system().spawn<test::scripted_service>(script);
  rt->add_service("llm", service);
  auto breaker = rt->breaker_for("llm");
  BOOST_REQUIRE(breaker);
  // An agent calls the service through its breaker; the service holds the call.
  rt->spawn_pool<calling_agent>("callers", 1, *breaker);
  auto pending = rt->submit(task::make("t-1", "read_only", "hi", "callers"));
  while (script->calls == 0)
    std::this_thread::yield();
  auto report = rt->shutdown(from_ms(50), from_ms(2000));
  BOOST_TEST(!report.drained);
  BOOST_TEST(report.unfinished.size() == 1u);
  BOOST_TEST((pending.get()->status == outcome_status::handed_back));
  BOOST_TEST(report.killed.empty());
  BOOST_TEST(report.still_running.empty());
  // The caller still holds the service's handle (as a member declared before the runtime
  // would); the runtime's actor system ends anyway, having nothing running to wait for.
  rt.reset();
  service = nullptr;
}

BOOST_AUTO_TEST_CASE(handed_back_tasks_are_kept_as_dead_letters) {
  test::temp_dir dir;
  auto db = (dir.path / "dl.db").string();
  runtime_config config;
  config.log_level = "off";
  dead_letter_queue_config dead_letters;
  dead_letters.db = db;
  config.dead_letters = dead_letters;
  {
    herd::runtime rt{config};
    rt.spawn_pool<test::silent_agent>("stuck", 1);
    auto held = rt.submit(task::make("held", "read_only", nullptr, "stuck"));
    auto queued = rt.submit(task::make("queued", "read_only", nullptr, "stuck"));
    while (rt.stats().accepted < 2) {
    }
    auto report = rt.shutdown(from_ms(50));
    BOOST_TEST(report.unfinished.size() == 2u);
    BOOST_TEST(report.dead_lettered == 2u);
    BOOST_TEST((held.get()->status == outcome_status::handed_back));
  }
  dead_letter_store store{db, dead_letter_store::open_mode::existing};
  for (auto id : {"held", "queued"}) {
    auto letter = store.get(id);
    BOOST_REQUIRE(letter);
    BOOST_TEST((letter->reason == dead_letter_reason::handed_back));
  }
}

BOOST_AUTO_TEST_CASE(a_dead_letter_db_that_cannot_open_fails_the_constructor_at_once) {
  // Before: the store's error was thrown after the dispatcher ran, and the actor system waited
  // for it forever (the suite's timeout fails the test).
  test::temp_dir dir;
  runtime_config config;
  config.log_level = "off";
  dead_letter_queue_config dead_letters;
  dead_letters.db = dir.path.string(); // a directory
  config.dead_letters = dead_letters;
  auto names_the_problem = [&](const store_error& e) {
    return std::string{e.what()}.find("is a directory") != std::string::npos;
  };
  BOOST_CHECK_EXCEPTION(herd::runtime{config}, store_error, names_the_problem);
  // A C++ user's own actor system ends too: the runtime left nothing running in it.
  system_config own{config};
  {
    caf::actor_system sys{own};
    BOOST_CHECK_EXCEPTION((herd::runtime{sys, config}), store_error, names_the_problem);
  }
}

BOOST_AUTO_TEST_SUITE_END()
