// herd mock-llm's profile: JSON in with every default off, errors naming the JSON path, and the
// sub-command's flags on top of it.
#include <boost/test/unit_test.hpp>

#include <fstream>

#include "herd/core/config_error.hpp"
#include "herd/mock_llm/mock_llm_profile.hpp"
#include "mock_llm_command.hpp"

namespace {

herd::mock_llm_profile parse(const std::string& text) {
  return herd::mock_llm_profile::from_json(herd::json_reader{nlohmann::json::parse(text)});
}

std::string error_of(const std::string& text) {
  try {
    parse(text);
  } catch (const herd::config_error& e) {
    return e.what();
  }
  return "";
}

herd::mock_llm_profile from_flags(std::vector<std::string> args) {
  return herd::cli::mock_llm_profile_of(herd::cli::command_line{args});
}

} // namespace

BOOST_AUTO_TEST_SUITE(mock_llm_profile)

BOOST_AUTO_TEST_CASE(an_empty_profile_injects_nothing) {
  auto p = parse("{}");
  BOOST_TEST(p.capacity_per_s == 0);
  BOOST_TEST(p.outages.empty());
  BOOST_TEST(p.latency_max_ms == 0);
  BOOST_TEST(p.error_rate + p.hang_rate + p.reset_rate + p.truncated_rate + p.malformed_rate +
                 p.trickle_rate ==
             0.0);
  BOOST_TEST(p.api_key.empty());
  BOOST_TEST(p.context_window_tokens == 0);
  BOOST_TEST(p.threads == 64);
}

BOOST_AUTO_TEST_CASE(every_field_is_read) {
  auto p = parse(R"({"capacity_per_s": 5, "outages": [{"start_ms": 2000, "length_ms": 3000}],
    "latency": {"min_ms": 10, "max_ms": 50}, "error_rate": 0.1, "hang_rate": 0.05,
    "reset_rate": 0.05, "truncated_rate": 0.05, "malformed_rate": 0.05, "trickle_rate": 0.1,
    "trickle_ms": 20, "seed": 9, "context_window_tokens": 100, "content_policy_marker": "BAD",
    "api_key": "k", "threads": 8})");
  BOOST_TEST(p.capacity_per_s == 5);
  BOOST_REQUIRE(p.outages.size() == 1u);
  BOOST_TEST(p.outages[0].start_ms == 2000);
  BOOST_TEST(p.outages[0].length_ms == 3000);
  BOOST_TEST(p.latency_min_ms == 10);
  BOOST_TEST(p.latency_max_ms == 50);
  BOOST_TEST(p.error_rate == 0.1);
  BOOST_TEST(p.trickle_ms == 20);
  BOOST_TEST(p.seed == 9u);
  BOOST_TEST(p.context_window_tokens == 100);
  BOOST_TEST(p.content_policy_marker == "BAD");
  BOOST_TEST(p.api_key == "k");
  BOOST_TEST(p.threads == 8);
  BOOST_TEST(p.outage_at(1999) == nullptr);
  BOOST_TEST(p.outage_at(2000) != nullptr);
  BOOST_TEST(p.outage_at(4999) != nullptr);
  BOOST_TEST(p.outage_at(5000) == nullptr);
}

BOOST_AUTO_TEST_CASE(errors_name_the_json_path) {
  BOOST_TEST(error_of(R"({"capacity": 5})").find("capacity") != std::string::npos);
  BOOST_TEST(error_of(R"({"error_rate": 1.5})").find("/error_rate") != std::string::npos);
  BOOST_TEST(
      error_of(R"({"outages": [{"start_ms": -1, "length_ms": 5}]})").find("/outages/0/start_ms") !=
      std::string::npos);
  BOOST_TEST(error_of(R"({"outages": [{"begin": 1}]})").find("/outages/0") != std::string::npos);
  BOOST_TEST(error_of(R"({"latency": {"min_ms": 50, "max_ms": 10}})").find("/latency/max_ms") !=
             std::string::npos);
  BOOST_TEST(error_of(R"({"threads": 0})").find("/threads") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(overload_answers_and_published_limits_are_configured) {
  using kind = herd::mock_llm_profile::retry_after_kind;
  auto defaults = parse("{}");
  BOOST_TEST(defaults.overload_status == 429);
  BOOST_TEST((defaults.overload_retry_after == kind::window));
  BOOST_TEST(defaults.publish_limits);
  auto storm = parse(R"({"capacity_per_s": 40, "overload_status": 503,
    "overload_retry_after_s": 5, "publish_limits": false})");
  BOOST_TEST(storm.overload_status == 503);
  BOOST_TEST((storm.overload_retry_after == kind::fixed));
  BOOST_TEST(storm.overload_retry_after_s == 5.0);
  BOOST_TEST(!storm.publish_limits);
  BOOST_TEST((parse(R"({"overload_retry_after_s": "none"})").overload_retry_after == kind::none));
  BOOST_TEST(
      (parse(R"({"overload_retry_after_s": "window"})").overload_retry_after == kind::window));
  BOOST_TEST(error_of(R"({"overload_status": 500})").find("/overload_status") != std::string::npos);
  auto e = error_of(R"({"overload_retry_after_s": "soon"})");
  BOOST_TEST(e.find("/overload_retry_after_s") != std::string::npos, e);
  BOOST_TEST(error_of(R"({"overload_retry_after_s": -1})").find("/overload_retry_after_s") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(rates_adding_up_to_more_than_one_are_refused) {
  auto e = error_of(R"({"error_rate": 0.6, "hang_rate": 0.6})");
  BOOST_TEST(e.find("add up to 1.2") != std::string::npos, e);
}

BOOST_AUTO_TEST_CASE(flags_override_the_profile_file) {
  auto file = std::string{"mock_llm_profile_test.json"};
  std::ofstream{file} << R"({"capacity_per_s": 5, "error_rate": 0.2, "seed": 3})";
  auto p = from_flags({"--profile", file, "--capacity", "7", "--latency-ms", "10:30", "--outage",
                       "1000:500", "--api-key", "secret"});
  BOOST_TEST(p.capacity_per_s == 7);
  BOOST_TEST(p.error_rate == 0.2);
  BOOST_TEST(p.seed == 3u);
  BOOST_TEST(p.latency_min_ms == 10);
  BOOST_TEST(p.latency_max_ms == 30);
  BOOST_REQUIRE(p.outages.size() == 1u);
  BOOST_TEST(p.outages[0].start_ms == 1000);
  BOOST_TEST(p.outages[0].length_ms == 500);
  BOOST_TEST(p.api_key == "secret");
  std::remove(file.c_str());
}

BOOST_AUTO_TEST_CASE(bad_flags_name_the_flag) {
  auto message = [](std::vector<std::string> args) {
    try {
      from_flags(args);
    } catch (const std::exception& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  BOOST_TEST(message({"--error-rate", "2"}).find("--error-rate") != std::string::npos);
  BOOST_TEST(message({"--outage", "100"}).find("--outage expects START_MS:LENGTH_MS") !=
             std::string::npos);
  BOOST_TEST(message({"--latency-ms", "30:10"}).find("--latency-ms") != std::string::npos);
  BOOST_TEST(message({"--error-rate", "0.7", "--reset-rate", "0.7"}).find("add up to") !=
             std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
