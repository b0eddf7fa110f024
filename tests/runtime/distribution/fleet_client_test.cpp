// Clients in other processes: `herd submit` and `herd::client` (an actor system of its own, over
// a real loopback socket) submit tasks to a coordinator whose agents run in `herd worker`
// processes, get their outcomes, are refused with a wrong secret, get a clear error when nothing
// listens, and lose no acknowledged task when the coordinator restarts on its journal.
#include <filesystem>
#include <map>
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>
#include <caf/make_message.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/errc.hpp"
#include "herd/distribution/client.hpp"
#include "herd/distribution/node_errc.hpp"
#include "runtime/distribution/fleet_fixture.hpp"

namespace {

using herd::test::why;

using herd::test::fleet_fixture;

/// The runtime config a client of the fixture's fleet reads (the workers' one).
herd::runtime_config client_config(const fleet_fixture& fleet) {
  return herd::runtime_config::load(fleet.worker_config);
}

/// An echo task for pool "remote" answering after `delay_ms`.
herd::task echo(const std::string& id, int delay_ms = 10) {
  return herd::task::make(id, "echo", {{"id", id}, {"delay_ms", delay_ms}}, "remote");
}

/// A coordinator whose accepted tasks are journaled (durability "sync").
struct journaled_fleet : fleet_fixture {
  journaled_fleet() : fleet_fixture(journal_config()) {}
  ~journaled_fleet() {
    std::error_code ignored;
    for (auto suffix : {"", "-wal", "-shm"})
      std::filesystem::remove(journal_file() + suffix, ignored);
  }
  static std::string journal_file() {
    return (std::filesystem::temp_directory_path() /
            ("herd_fleet_journal_" + std::to_string(::getpid()) + ".db"))
        .string();
  }
  static nlohmann::json journal_config() {
    return {{"journal", {{"durability", "sync"}, {"file", journal_file()}}}};
  }
};

} // namespace

BOOST_AUTO_TEST_SUITE(distribution_clients)

BOOST_FIXTURE_TEST_CASE(a_client_process_gets_the_outcomes_of_remote_agents, fleet_fixture) {
  auto& alpha = start_worker("alpha");
  await_nodes(1);
  // `herd submit` from another process: the outcome of an agent in a third one.
  herd::test::fleet_process submit{{"submit", "--connect", endpoint(), "--config", worker_config,
                                    "--kind", "echo", "--pool", "remote", "--id", "cli-1",
                                    "--payload", R"({"question": 42})", "--json"},
                                   (dir / "submit.log").string()};
  BOOST_TEST(submit.wait_exit(60000) == 0, submit.output());
  auto answer = nlohmann::json::parse(submit.output(), nullptr, false);
  BOOST_REQUIRE_MESSAGE(answer.is_object(), submit.output());
  BOOST_TEST(answer["task_id"] == "cli-1");
  BOOST_TEST(answer["result"]["echo"]["question"] == 42);
  BOOST_TEST(answer["result"]["pid"] == alpha.pid());
  // --enqueue returns once the task is accepted.
  herd::test::fleet_process enqueue{{"submit", "--connect", endpoint(), "--config", worker_config,
                                     "--kind", "echo", "--pool", "remote", "--id", "cli-2",
                                     "--enqueue"},
                                    (dir / "enqueue.log").string()};
  BOOST_TEST(enqueue.wait_exit(60000) == 0, enqueue.output());
  BOOST_TEST(enqueue.output().find("accepted cli-2") != std::string::npos, enqueue.output());
  // From C++: a client with an actor system of its own.
  herd::client c{client_config(*this), "127.0.0.1", rt->node_port()};
  auto first = c.run(echo("lib-1"));
  BOOST_REQUIRE_MESSAGE(first, why(c, first));
  BOOST_TEST(first->ok());
  BOOST_TEST(first->result_json()["pid"] == alpha.pid());
  auto completed = rt->stats().completed;
  // The same id again: the recorded result, not a second run.
  auto again = c.run(echo("lib-1"));
  BOOST_REQUIRE(again);
  BOOST_TEST(again->result_json() == first->result_json());
  BOOST_TEST(rt->stats().completed == completed);
  BOOST_TEST(rt->stats().duplicates >= 1u);
  // A refusal of the dispatcher reaches the client as it is.
  auto unknown = c.run(herd::task::make("lib-2", "echo", nullptr, "no-such-pool"));
  BOOST_REQUIRE(!unknown);
  BOOST_TEST((unknown.error() == herd::errc::unknown_pool));
}

BOOST_FIXTURE_TEST_CASE(a_client_with_a_wrong_secret_is_refused_and_submits_nothing,
                        fleet_fixture) {
  ::setenv("HERD_FLEET_WRONG_SECRET", "not-the-secret", 1);
  auto config = client_config(*this);
  config.node.secret_env = "HERD_FLEET_WRONG_SECRET";
  herd::client c{config, "127.0.0.1", rt->node_port()};
  auto refused = c.run(echo("intruder-1"));
  BOOST_REQUIRE(!refused);
  BOOST_TEST((refused.error() == herd::node_errc::refused));
  auto reason = why(c, refused);
  BOOST_TEST(reason.find("wrong shared secret") != std::string::npos, reason);
  BOOST_TEST(reason.find("not-the-secret") == std::string::npos);
  BOOST_TEST(!c.enqueue(echo("intruder-2")));
  BOOST_TEST(rt->stats().accepted == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_client_of_an_address_where_nothing_listens_gets_a_clear_error,
                        fleet_fixture) {
  auto port = rt->node_port();
  rt->shutdown(herd::from_ms(1000)); // its port is closed now
  herd::client c{client_config(*this), "127.0.0.1", port};
  auto answer = c.run(echo("nobody-1"));
  BOOST_REQUIRE(!answer);
  BOOST_TEST((answer.error() == herd::node_errc::unreachable));
  BOOST_TEST(why(c, answer).find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(a_coordinator_restart_on_its_journal_loses_no_acknowledged_task,
                        journaled_fleet) {
  start_worker("alpha");
  await_nodes(1);
  herd::client c{client_config(*this), "127.0.0.1", rt->node_port()};
  // 10 tasks of 1.5 s on 2 agents: acknowledged (durable) before the coordinator goes down.
  std::set<std::string> ids;
  for (int i = 0; i < 10; ++i) {
    auto id = c.enqueue(echo("journaled-" + std::to_string(i), 1500));
    BOOST_REQUIRE_MESSAGE(id, why(c, id));
    ids.insert(*id);
  }
  BOOST_REQUIRE(herd::test::eventually([&] { return rt->stats().leased == 2u; }, 30000));
  auto first_port = rt->node_port();
  restart_coordinator();
  BOOST_TEST(rt->node_port() == first_port);
  // The worker dials again and the journal's unfinished tasks run on it.
  await_nodes(1);
  std::map<std::string, herd::outcome> outcomes;
  for (auto& id : ids) {
    // The client's connection dropped with the first coordinator: it dials the new one.
    auto answer = c.run(echo(id, 1500), herd::from_ms(120000));
    BOOST_REQUIRE_MESSAGE(answer, id << ": " << why(c, answer));
    BOOST_TEST(answer->ok(), id);
    outcomes[id] = *answer;
  }
  BOOST_TEST(outcomes.size() == 10u);
  // Every task ended exactly once: before the restart or, re-entered from the journal, after.
  auto stats = rt->stats();
  BOOST_TEST(stats.reentered + last_shutdown.stats.completed == 10u);
  BOOST_TEST(stats.completed == stats.reentered);
  BOOST_TEST(stats.accepted == 0u); // the client's second submits were duplicates
}

BOOST_AUTO_TEST_SUITE_END()
