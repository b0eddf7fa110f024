// One HTTP service's configuration: defaults per type, the key from the environment (never
// shown), and bad values rejected with their JSON path.
#include "herd/http/http_service_config.hpp"

#include <map>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/http/anthropic_codec.hpp"
#include "herd/http/json_http_codec.hpp"
#include "herd/http/openai_codec.hpp"

using namespace herd;

namespace {

const std::string fake_key = "sk-FAKEKEY-9191919191";

std::map<std::string, std::string> environment{
    {"OPENAI_API_KEY", fake_key}, {"ANTHROPIC_API_KEY", fake_key}, {"EMPTY_KEY", ""}};

std::optional<std::string> lookup(const std::string& name) {
  auto i = environment.find(name);
  if (i == environment.end())
    return std::nullopt;
  return i->second;
}

http_service_config read(const std::string& text) {
  auto j = nlohmann::json::parse(text);
  return http_service_config::from_json(json_reader{j, "/services/llm"}, lookup);
}

void expect_error_at(const std::string& text, const std::string& path,
                     const std::string& words = "") {
  try {
    read(text);
    BOOST_FAIL(text << " should be rejected at " << path);
  } catch (const config_error& e) {
    BOOST_TEST_MESSAGE(e.what());
    BOOST_TEST(e.path() == path, text << ": " << e.what());
    BOOST_TEST(std::string{e.what()}.find(words) != std::string::npos, e.what());
    BOOST_TEST(std::string{e.what()}.find(fake_key) == std::string::npos);
  }
}

} // namespace

BOOST_AUTO_TEST_SUITE(http_service_config_suite)

BOOST_AUTO_TEST_CASE(openai_defaults) {
  auto c =
      read(R"({"type": "openai", "base_url": "https://api.openai.com", "model": "gpt-4o-mini"})");
  BOOST_TEST(c.api_key_env == "OPENAI_API_KEY");
  BOOST_TEST(c.api_key == fake_key);
  BOOST_TEST(c.max_tokens == 0);
  BOOST_TEST(c.connect_timeout.count() == 0);
  BOOST_TEST(dynamic_cast<openai_codec*>(c.make_codec().get()) != nullptr);
}

BOOST_AUTO_TEST_CASE(anthropic_defaults) {
  auto c = read(R"({"type": "anthropic", "base_url": "https://api.anthropic.com",
                    "model": "claude-sonnet-4-5", "timeout_ms": 90000})");
  BOOST_TEST(c.api_key_env == "ANTHROPIC_API_KEY");
  BOOST_TEST(c.max_tokens == 1024);
  BOOST_TEST(to_ms(c.timeout) == 90000);
  auto codec = c.make_codec();
  auto* anthropic = dynamic_cast<anthropic_codec*>(codec.get());
  BOOST_REQUIRE(anthropic != nullptr);
  auto request = std::get<http_request>(anthropic->encode(R"("hi")"));
  BOOST_TEST(to_ms(request.total_timeout) == 90000);
}

BOOST_AUTO_TEST_CASE(http_service_with_headers) {
  auto c = read(R"({"type": "http", "base_url": "http://127.0.0.1:8080", "headers": {"x-a": "1"},
                    "max_response_bytes": 4096, "connect_timeout_ms": 100})");
  BOOST_TEST(c.api_key.empty());
  BOOST_TEST(c.headers.size() == 1u);
  auto codec = c.make_codec();
  BOOST_REQUIRE(dynamic_cast<json_http_codec*>(codec.get()) != nullptr);
  auto request = std::get<http_request>(codec->encode(R"({"path": "/x"})"));
  BOOST_TEST(request.url == "http://127.0.0.1:8080/x");
  BOOST_TEST(request.max_response_bytes == 4096);
  BOOST_TEST(to_ms(request.connect_timeout) == 100);
}

BOOST_AUTO_TEST_CASE(a_missing_key_names_the_variable) {
  expect_error_at(
      R"({"type": "openai", "base_url": "https://x", "model": "m", "api_key_env": "NOPE"})",
      "/services/llm/api_key_env", "environment variable NOPE is not set");
  expect_error_at(
      R"({"type": "openai", "base_url": "https://x", "model": "m", "api_key_env": "EMPTY_KEY"})",
      "/services/llm/api_key_env", "EMPTY_KEY");
}

BOOST_AUTO_TEST_CASE(a_key_is_optional_for_local_mocks) {
  auto c = read(R"({"type": "openai", "base_url": "http://127.0.0.1:9", "model": "m",
                    "api_key_env": "NOPE", "api_key_required": false})");
  BOOST_TEST(c.api_key.empty());
  auto request = std::get<http_request>(c.make_codec()->encode(R"("hi")"));
  for (auto& [name, value] : request.headers)
    BOOST_TEST(name != "authorization");
}

BOOST_AUTO_TEST_CASE(an_inline_key_wins_and_is_redacted) {
  auto c = read(
      R"({"type": "anthropic", "base_url": "https://x", "model": "m", "api_key": "inline-FAKE"})");
  BOOST_TEST(c.api_key == "inline-FAKE");
  auto j = c.to_json();
  BOOST_TEST(j["api_key"] == "***");
  BOOST_TEST(j.dump().find("inline-FAKE") == std::string::npos);
  BOOST_TEST(read(R"({"type": "openai", "base_url": "https://x", "model": "m"})")
                 .to_json()
                 .dump()
                 .find(fake_key) == std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_values_name_their_path) {
  expect_error_at(R"({"base_url": "https://x"})", "/services/llm/type");
  expect_error_at(R"({"type": "grpc", "base_url": "https://x"})", "/services/llm/type");
  expect_error_at(R"({"type": "http"})", "/services/llm/base_url", "http:// or https://");
  expect_error_at(R"({"type": "http", "base_url": "ftp://x"})", "/services/llm/base_url");
  expect_error_at(R"({"type": "http", "base_url": "http://"})", "/services/llm/base_url", "host");
  expect_error_at(R"({"type": "http", "base_url": "http://:80/x"})", "/services/llm/base_url");
  expect_error_at(R"({"type": "http", "base_url": "http://a b"})", "/services/llm/base_url");
  expect_error_at(R"({"type": "http", "base_url": "http://u:p@h"})", "/services/llm/base_url");
  expect_error_at(R"({"type": "openai", "base_url": "https://x"})", "/services/llm/model");
  expect_error_at(R"({"type": "http", "base_url": "https://x", "api_key_env": "K"})",
                  "/services/llm/api_key_env", "unknown key");
  expect_error_at(R"({"type": "openai", "base_url": "https://x", "model": "m", "headers": {}})",
                  "/services/llm/headers", "unknown key");
  expect_error_at(R"({"type": "http", "base_url": "https://x", "headers": {"x": 1}})",
                  "/services/llm/headers/x");
  expect_error_at(R"({"type": "http", "base_url": "https://x", "timeout_ms": -1})",
                  "/services/llm/timeout_ms");
  expect_error_at(
      R"({"type": "anthropic", "base_url": "https://x", "model": "m", "max_tokens": 0})",
      "/services/llm/max_tokens");
}

BOOST_AUTO_TEST_SUITE_END()
