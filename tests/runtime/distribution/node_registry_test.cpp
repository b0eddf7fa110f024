// Who may join a fleet and what the coordinator remembers of each node, without processes.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/distribution/node_registry.hpp"

namespace {

herd::node_registration registration(std::string secret, std::string app_id = "herd") {
  herd::node_registration r;
  r.credentials.app_id = std::move(app_id);
  r.credentials.secret = std::move(secret);
  r.name = "alpha";
  r.pool = "remote";
  return r;
}

} // namespace

BOOST_AUTO_TEST_SUITE(distribution_registry)

BOOST_AUTO_TEST_CASE(only_the_right_app_id_and_secret_may_join) {
  herd::node_registry registry{"herd", "s3cret"};
  BOOST_TEST(registry.refusal(registration("s3cret")).empty());
  auto wrong = registry.refusal(registration("s3creT"));
  BOOST_TEST(wrong.find("wrong shared secret") != std::string::npos);
  BOOST_TEST(wrong.find("s3cre") == std::string::npos); // neither secret is repeated
  BOOST_TEST(!registry.refusal(registration("")).empty());
  BOOST_TEST(!registry.refusal(registration("s3cret-and-more")).empty());
  auto other_app = registry.refusal(registration("s3cret", "acme"));
  BOOST_TEST(other_app.find("application id \"acme\"") != std::string::npos);
  auto nameless = registration("s3cret");
  nameless.name.clear();
  BOOST_TEST(!registry.refusal(nameless).empty());
  BOOST_TEST(registry.view().empty()); // refusing records nothing
}

BOOST_AUTO_TEST_CASE(a_fleet_without_a_secret_admits_empty_secrets_only) {
  herd::node_registry registry{"herd", ""};
  BOOST_TEST(registry.refusal(registration("")).empty());
  BOOST_TEST(!registry.refusal(registration("guess")).empty());
}

BOOST_AUTO_TEST_CASE(remembers_contact_and_loss) {
  herd::node_registry registry{"herd", ""};
  auto& info = registry.admit("alpha", "remote", {"remote-1", "remote-2"}, 1000);
  BOOST_TEST(info.connected);
  BOOST_TEST(info.agents.size() == 2u);
  BOOST_TEST(registry.touch("alpha", 2500));
  BOOST_TEST(!registry.touch("nobody", 2500));
  BOOST_TEST(registry.view().front().last_contact_ms == 2500);
  BOOST_TEST(registry.lose("alpha", "connection lost"));
  BOOST_TEST(!registry.lose("alpha", "again")); // the first loss counts
  BOOST_TEST(!registry.connected("alpha"));
  BOOST_TEST(!registry.touch("alpha", 3000)); // a lost node's late ping changes nothing
  auto view = registry.view();
  BOOST_TEST(view.front().lost_reason == "connection lost");
  BOOST_TEST(view.front().last_contact_ms == 2500);
  // It registers again: connected, with its new agents.
  registry.admit("alpha", "remote", {"remote-3"}, 4000);
  BOOST_TEST(registry.connected("alpha"));
  BOOST_TEST((registry.view().front().agents == std::vector<std::string>{"remote-3"}));
  BOOST_TEST(registry.view().front().to_json()["registered"] == "1970-01-01T00:00:04.000Z");
}

BOOST_AUTO_TEST_SUITE_END()
