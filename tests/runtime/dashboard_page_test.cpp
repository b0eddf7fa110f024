#include <fstream>
#include <sstream>

#include <boost/test/unit_test.hpp>

#include <httplib.h>

#include "actors/test_agents.hpp"
#include "dashboard_page.hpp"
#include "herd/herd.hpp"
#include "herd/runtime/ops_endpoint.hpp"

using namespace herd;

namespace {

std::string dashboard_source() {
  std::ifstream in{std::string{HERD_TESTS_SOURCE_DIR} + "/../runtime/dashboard/index.html",
                   std::ios::binary};
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

} // namespace

BOOST_AUTO_TEST_SUITE(dashboard_page_suite)

BOOST_AUTO_TEST_CASE(embeds_the_source_file_as_is) {
  auto source = dashboard_source();
  BOOST_REQUIRE(!source.empty());
  BOOST_TEST(std::string{dashboard_page()} == source);
}

BOOST_AUTO_TEST_CASE(loads_nothing_from_elsewhere_and_never_parses_server_strings_as_html) {
  std::string page{dashboard_page()};
  for (auto forbidden : {"http://", "https://", "innerHTML", "outerHTML", "insertAdjacentHTML",
                         "document.write", "localStorage", "sessionStorage"})
    BOOST_TEST(page.find(forbidden) == std::string::npos, forbidden << " in the dashboard");
  BOOST_TEST(page.find("fetch(\"/api/state\"") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(served_at_the_root_as_utf8_html) {
  runtime_config config;
  config.threads = 2;
  config.log_level = "warn";
  herd::runtime rt{config};
  rt.spawn_pool<test::echo_agent>("llm", 1, std::make_shared<std::map<std::string, int>>());
  ops_endpoint_config endpoint_config;
  endpoint_config.listen = "127.0.0.1:0";
  ops_endpoint endpoint{rt, endpoint_config};
  auto port = endpoint.start();
  httplib::Client client{"127.0.0.1", port};
  auto page = client.Get("/");
  BOOST_REQUIRE(page);
  BOOST_TEST(page->status == 200);
  BOOST_TEST(page->get_header_value("Content-Type") == "text/html; charset=utf-8");
  BOOST_TEST(page->get_header_value("Content-Security-Policy").find("default-src 'none'") == 0u);
  BOOST_TEST(page->body == std::string{dashboard_page()});
  auto unknown = client.Get("/index.html");
  BOOST_REQUIRE(unknown);
  BOOST_TEST(unknown->status == 404);
  endpoint.stop();
  rt.shutdown(from_ms(5000));
}

BOOST_AUTO_TEST_SUITE_END()
