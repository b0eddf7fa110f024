// Mutual TLS between the nodes of a fleet (CAF's OpenSSL module): the test makes a CA and a
// certificate for each side with the openssl command, runs a coordinator and a `herd worker`
// with them, and checks that tasks flow over TLS while a worker without TLS, or with a
// certificate of another CA, never joins.
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/distribution/client.hpp"
#include "runtime/distribution/fleet_fixture.hpp"

namespace {

using herd::test::why;

namespace fs = std::filesystem;

using herd::test::shell;

/// A CA named `name` in `dir` and a certificate for `who` signed by it (EC P-256 keys).
struct certificate_authority {
  certificate_authority(const fs::path& dir, const std::string& name) : dir(dir), name(name) {
    fs::create_directories(dir);
    ready = shell("openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 2 "
                  "-subj /CN=" +
                  name + " -keyout " + file(name + ".key") + " -out " + file(name + ".pem"));
  }
  /// Issues `who`.pem and `who`.key; true on success.
  bool issue(const std::string& who) const {
    return shell("openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj /CN=" + who +
                 " -keyout " + file(who + ".key") + " -out " + file(who + ".csr")) &&
           shell("openssl x509 -req -days 2 -in " + file(who + ".csr") + " -CA " +
                 file(name + ".pem") + " -CAkey " + file(name + ".key") + " -CAcreateserial -out " +
                 file(who + ".pem"));
  }
  /// The "tls" section for `who`.
  nlohmann::json tls_for(const std::string& who) const {
    return {{"certificate", file(who + ".pem")},
            {"key", file(who + ".key")},
            {"ca_file", file(name + ".pem")}};
  }
  std::string file(const std::string& base) const { return (dir / base).string(); }

  fs::path dir;
  std::string name;
  bool ready = false;
};

/// The certificates of the test: the fleet's CA with a coordinator and a worker, and a foreign
/// CA with an intruder.
struct fleet_certificates {
  fleet_certificates()
      : base(fs::temp_directory_path() / ("herd_tls_" + std::to_string(::getpid()))),
        fleet(base / "fleet", "herd-fleet-ca"), foreign(base / "foreign", "foreign-ca") {
    ready = fleet.ready && foreign.ready && fleet.issue("coordinator") && fleet.issue("worker") &&
            foreign.issue("intruder");
  }
  ~fleet_certificates() {
    std::error_code ignored;
    fs::remove_all(base, ignored);
  }
  fs::path base;
  certificate_authority fleet;
  certificate_authority foreign;
  bool ready = false;
};

/// A coordinator (and workers' config) with mutual TLS.
struct tls_fleet : fleet_certificates, herd::test::fleet_fixture {
  tls_fleet() : fleet_fixture(nlohmann::json{{"node", {{"tls", fleet.tls_for("coordinator")}}}}) {
    worker_config = worker_config_with("worker", fleet.tls_for("worker"));
  }

  /// A worker config like the fleet's with `tls` (null: none) instead.
  std::string worker_config_with(const std::string& name, const nlohmann::json& tls) {
    auto config = herd::read_json_file(worker_config);
    config["node"]["tls"] = tls;
    auto file = (dir / (name + ".json")).string();
    std::ofstream{file} << config.dump();
    return file;
  }
};

} // namespace

BOOST_FIXTURE_TEST_SUITE(distribution_tls, tls_fleet)

BOOST_AUTO_TEST_CASE(tasks_flow_over_mutual_tls_and_strangers_never_join) {
  BOOST_REQUIRE_MESSAGE(fleet_certificates::ready, "the openssl command could not make the "
                                                   "test certificates");
  auto& worker = start_worker("inside");
  await_nodes(1);
  auto futures = submit(6, 10, "tls-");
  auto pids = pids_of(futures);
  BOOST_TEST(pids.size() == 6u);
  for (auto& entry : pids)
    BOOST_TEST(entry.second == worker.pid());
  // A client with the fleet's certificate submits over TLS too.
  auto config = herd::runtime_config::load(worker_config);
  herd::client c{config, "127.0.0.1", rt->node_port()};
  auto answer = c.run(herd::task::make("tls-client", "echo", {{"x", 1}}, "remote"));
  BOOST_REQUIRE_MESSAGE(answer, why(c, answer));
  BOOST_TEST(answer->ok());
  // No TLS, or a certificate of another CA: the handshake fails, nothing joins.
  auto plain = worker_config_with("plain", nullptr);
  auto stranger = worker_config_with("stranger", foreign.tls_for("intruder"));
  for (auto& file : {plain, stranger}) {
    herd::test::fleet_process intruder{{"worker", "--connect", endpoint(), "--pool", "remote",
                                        "--name", "intruder", "--config", file},
                                       (dir / "intruder.log").string()};
    // It keeps dialling (a failed dial is not a refusal); give it several dials.
    BOOST_TEST(!herd::test::eventually([&] { return rt->nodes().size() > 1u; }, 4000));
    intruder.signal(SIGTERM);
    intruder.wait_exit(10000);
  }
  BOOST_TEST(rt->nodes().size() == 1u);
}

BOOST_AUTO_TEST_CASE(an_unreadable_certificate_is_a_config_error_with_its_path) {
  auto config = herd::runtime_config::load(worker_config);
  config.node.tls.key = (base / "missing.key").string();
  BOOST_CHECK_EXCEPTION(herd::client(config, "127.0.0.1", rt->node_port()), herd::config_error,
                        [](const herd::config_error& e) {
                          return std::string{e.what()}.find("/node/tls/key") != std::string::npos;
                        });
}

BOOST_AUTO_TEST_SUITE_END()
