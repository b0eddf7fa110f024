// A worker on another network: the test makes a network namespace joined to this one by a veth
// pair, runs `herd worker` inside it against a coordinator bound to this side's veth address,
// then cuts the link. The coordinator finds the silent node within its connection timeout and
// re-queues its leases; once the link is back the worker dials again and every task ends exactly
// once. Skipped (with a message) where namespaces cannot be made (not root, no `ip`).
#include <cstdlib>
#include <string>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "runtime/distribution/fleet_fixture.hpp"

namespace {

using herd::test::shell;

/// A network namespace and a veth pair: `outside` (10.213.N.1) here, 10.213.N.2 in `name`.
struct veth_link {
  veth_link() {
    auto id = std::to_string(::getpid());
    auto subnet = "10.213." + std::to_string(::getpid() % 250) + ".";
    outside_address = subnet + "1";
    name = "herd" + id;
    outside = "hr" + id;
    auto inside = "hn" + id;
    ready = shell("ip netns add " + name) &&
            shell("ip link add " + outside + " type veth peer name " + inside) &&
            shell("ip link set " + inside + " netns " + name) &&
            shell("ip addr add " + outside_address + "/30 dev " + outside) &&
            shell("ip link set " + outside + " up") &&
            shell("ip netns exec " + name + " ip addr add " + subnet + "2/30 dev " + inside) &&
            shell("ip netns exec " + name + " ip link set " + inside + " up") &&
            shell("ip netns exec " + name + " ip link set lo up");
  }
  ~veth_link() {
    shell("ip netns del " + name); // takes the pair with it
    shell("ip link del " + outside);
  }
  /// Brings this side of the link down (`up` false) or up again.
  bool set(bool up) { return shell("ip link set " + outside + (up ? " up" : " down")); }
  /// The namespace's file, for setns.
  std::string file() const { return "/var/run/netns/" + name; }

  bool ready = false;
  std::string name;
  std::string outside;
  std::string outside_address;
};

/// A coordinator bound to the outside address of a fresh veth link (loopback when none could be
/// made: then the test is skipped).
struct netns_fleet : veth_link, herd::test::fleet_fixture {
  netns_fleet()
      : veth_link(), fleet_fixture(ready ? nlohmann::json{{"node", {{"host", outside_address}}}}
                                         : nlohmann::json::object()) {}
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_netns, netns_fleet)

BOOST_AUTO_TEST_CASE(a_cut_link_requeues_the_leases_and_the_worker_comes_back) {
  if (!ready) {
    BOOST_TEST_MESSAGE("skipped: cannot make a network namespace with a veth pair here");
    return;
  }
  auto& worker = start_worker("far", 2, {}, file());
  await_nodes(1);
  auto futures = submit(6, 2000, "netns-");
  BOOST_REQUIRE(herd::test::eventually([&] { return rt->stats().leased == 2u; }, 30000));
  BOOST_REQUIRE(set(false)); // silence: no reset, no FIN
  // Found within the connection timeout (1.5 s in the fixture) plus a margin for the machine.
  BOOST_REQUIRE(herd::test::eventually([&] { return connected_nodes() == 0u; }, 30000));
  BOOST_TEST(rt->stats().requeued >= 2u);
  BOOST_REQUIRE(set(true));
  // The worker notices its own silent coordinator, dials again and runs every task.
  auto pids = pids_of(futures);
  BOOST_TEST(pids.size() == 6u);
  for (auto& entry : pids)
    BOOST_TEST(entry.second == worker.pid());
  auto stats = rt->stats();
  BOOST_TEST(stats.completed == 6u); // every task once
  BOOST_TEST(connected_nodes() == 1u);
}

BOOST_AUTO_TEST_SUITE_END()
