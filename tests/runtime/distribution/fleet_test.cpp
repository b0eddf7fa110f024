// Agents in other processes: a coordinator runtime in this process publishes its node
// endpoint on 127.0.0.1 (port picked), `herd worker` processes join its pool over CAF's io
// middleman, and the tests count what a user would: which process ran each task, that every
// task ends exactly once when a worker is killed or stopped, that a wrong secret registers
// nothing.
#include <set>
#include <string>
#include <vector>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "runtime/distribution/fleet_fixture.hpp"

using herd::test::fleet_fixture;

BOOST_FIXTURE_TEST_SUITE(distribution_fleet, fleet_fixture)

BOOST_AUTO_TEST_CASE(tasks_flow_to_agents_in_two_worker_processes) {
  auto& a = start_worker("alpha");
  auto& b = start_worker("beta");
  await_nodes(2);
  auto futures = submit(40, 20, "flow-");
  auto pids = pids_of(futures);
  BOOST_TEST(pids.size() == 40u);
  std::set<int64_t> ran_on;
  for (auto& entry : pids)
    ran_on.insert(entry.second);
  BOOST_TEST(ran_on == (std::set<int64_t>{a.pid(), b.pid()}));
  auto stats = rt->stats();
  BOOST_TEST(stats.completed == 40u);
  BOOST_TEST(stats.agents == 4u);
  // The operator's view: both nodes, their agents and a last contact in wall-clock UTC.
  auto nodes = rt->nodes();
  BOOST_REQUIRE(nodes.size() == 2u);
  for (auto& node : nodes) {
    BOOST_TEST(node.connected);
    BOOST_TEST(node.pool == "remote");
    BOOST_TEST(node.agents.size() == 2u);
    BOOST_TEST(node.to_json()["last_contact"].get<std::string>().back() == 'Z');
  }
  // The same from another process: `herd nodes`.
  herd::test::fleet_process nodes_cmd{
      {"nodes", "--connect", endpoint(), "--json", "--config", worker_config},
      (dir / "nodes.log").string()};
  BOOST_TEST(nodes_cmd.wait_exit(60000) == 0);
  auto listed = nlohmann::json::parse(nodes_cmd.output(), nullptr, false);
  BOOST_REQUIRE(listed.is_array());
  BOOST_TEST(listed.size() == 2u);
  BOOST_TEST(listed[0]["name"] == "alpha");
  BOOST_TEST(listed[1]["connected"] == true);
}

BOOST_AUTO_TEST_CASE(a_killed_workers_leases_finish_on_the_other_exactly_once) {
  auto& a = start_worker("alpha");
  auto& b = start_worker("beta");
  await_nodes(2);
  // 8 tasks of 3 s on 4 agents (concurrency 1): each worker holds two when alpha dies.
  auto futures = submit(8, 3000, "kill-");
  BOOST_REQUIRE(herd::test::eventually([&] { return rt->stats().leased == 4u; }, 30000));
  a.signal(SIGKILL);
  BOOST_TEST(a.wait_exit(10000) == -1);
  auto pids = pids_of(futures);
  BOOST_TEST(pids.size() == 8u);
  for (auto& entry : pids)
    BOOST_TEST(entry.second == b.pid(), entry.first << " ran on " << entry.second);
  auto stats = rt->stats();
  BOOST_TEST(stats.completed == 8u); // every task once
  BOOST_TEST(stats.requeued >= 2u);  // alpha's leases went back to the queue
  BOOST_TEST(connected_nodes() == 1u);
}

BOOST_AUTO_TEST_CASE(a_stopped_worker_is_found_and_its_late_results_are_ignored) {
  auto& a = start_worker("alpha");
  start_worker("beta");
  await_nodes(2);
  std::set<std::string> alpha_agents;
  for (auto& node : rt->nodes())
    if (node.name == "alpha")
      alpha_agents.insert(node.agents.begin(), node.agents.end());
  BOOST_REQUIRE(alpha_agents.size() == 2u);
  std::vector<std::future<caf::expected<herd::outcome>>> futures;
  for (int i = 0; i < 8; ++i)
    futures.push_back(rt->submit(herd::task::make("stop-" + std::to_string(i), "echo",
                                                  {{"i", i}, {"delay_ms", 3000}}, "remote")));
  BOOST_REQUIRE(herd::test::eventually([&] { return rt->stats().leased == 4u; }, 30000));
  a.signal(SIGSTOP);
  // Silent beyond the connection timeout (1.5 s): the coordinator drops it.
  BOOST_REQUIRE(herd::test::eventually([&] { return connected_nodes() == 1u; }, 30000));
  a.signal(SIGCONT); // its leased tasks finish there now, too late: nobody holds those leases
  for (auto& f : futures) {
    BOOST_REQUIRE(f.wait_for(std::chrono::seconds{90}) == std::future_status::ready);
    auto answer = f.get();
    BOOST_REQUIRE(answer);
    BOOST_TEST(answer->ok());
    // Each outcome came from a lease the dispatcher held: never from alpha's first agents,
    // whose leases were re-queued when alpha went silent (alpha rejoins with new ones).
    BOOST_TEST(alpha_agents.count(answer->agent) == 0u, answer->task_id << " by " << answer->agent);
  }
  auto stats = rt->stats();
  BOOST_TEST(stats.completed == 8u); // every task once
  BOOST_TEST(stats.requeued >= 2u);
  // The worker dials again and rejoins with fresh leases.
  await_nodes(2);
  auto more = submit(8, 10, "after-");
  BOOST_TEST(pids_of(more).size() == 8u);
  BOOST_TEST(rt->stats().completed == 16u);
}

BOOST_AUTO_TEST_CASE(a_worker_with_a_wrong_secret_is_refused_and_registers_nothing) {
  ::setenv("HERD_FLEET_WRONG_SECRET", "not-the-secret", 1);
  auto& intruder = start_worker("intruder", 2, {"--secret-env", "HERD_FLEET_WRONG_SECRET"});
  BOOST_TEST(intruder.wait_exit(60000) == 1);
  BOOST_TEST(intruder.output().find("refused by the coordinator") != std::string::npos);
  BOOST_TEST(intruder.output().find("wrong shared secret") != std::string::npos);
  BOOST_TEST(intruder.output().find("not-the-secret") == std::string::npos);
  BOOST_TEST(rt->nodes().empty());
  BOOST_TEST(rt->stats().agents == 0u);
}

BOOST_AUTO_TEST_SUITE_END()
