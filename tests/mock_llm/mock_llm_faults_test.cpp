// What one call gets: the x-mock-fault hook, outages, the capacity of a second with its four
// rate-limit headers, and seeded fault draws, all without sockets.
#include <boost/test/unit_test.hpp>

#include <map>
#include <stdexcept>

#include "herd/mock_llm/mock_llm_faults.hpp"

using herd::mock_llm_fault;
using herd::mock_llm_fault_kind;
using herd::mock_llm_faults;
using herd::mock_llm_profile;

namespace {

std::string header(const herd::mock_llm_decision& d, const std::string& name) {
  for (auto& [key, value] : d.fault.headers)
    if (key == name)
      return value;
  return "<absent>";
}

} // namespace

BOOST_AUTO_TEST_SUITE(mock_llm_faults_suite)

BOOST_AUTO_TEST_CASE(the_hook_parses_every_documented_form) {
  auto f = mock_llm_fault::parse("status=429; retry-after=2");
  BOOST_TEST((f.kind == mock_llm_fault_kind::status));
  BOOST_TEST(f.status == 429);
  BOOST_REQUIRE(f.headers.size() == 1u);
  BOOST_TEST(f.headers[0].first == "retry-after");
  BOOST_TEST(f.headers[0].second == "2");
  f = mock_llm_fault::parse("status=429;retry-after=Wed, 21 Oct 2026 07:28:00 GMT");
  BOOST_TEST(f.headers[0].second == "Wed, 21 Oct 2026 07:28:00 GMT");
  f = mock_llm_fault::parse("status=429; retry-after-ms=1500");
  BOOST_TEST(f.headers[0].first == "retry-after-ms");
  f = mock_llm_fault::parse("status=500; x-should-retry=true");
  BOOST_TEST(f.headers[0].first == "x-should-retry");
  f = mock_llm_fault::parse("x-ratelimit-reset-requests=6m0s");
  BOOST_TEST((f.kind == mock_llm_fault_kind::none));
  BOOST_TEST(f.headers[0].second == "6m0s");
  for (auto status : {401, 404, 408, 409, 422, 503})
    BOOST_TEST(mock_llm_fault::parse("status=" + std::to_string(status)).status == status);
  BOOST_TEST((mock_llm_fault::parse("hang").kind == mock_llm_fault_kind::hang));
  BOOST_TEST((mock_llm_fault::parse(" reset ").kind == mock_llm_fault_kind::reset));
  BOOST_TEST((mock_llm_fault::parse("truncated").kind == mock_llm_fault_kind::truncated));
  BOOST_TEST((mock_llm_fault::parse("malformed").kind == mock_llm_fault_kind::malformed));
  f = mock_llm_fault::parse("trickle=100");
  BOOST_TEST((f.kind == mock_llm_fault_kind::trickle));
  BOOST_TEST(f.trickle_ms == 100);
  f = mock_llm_fault::parse("oversized=20000000");
  BOOST_TEST((f.kind == mock_llm_fault_kind::oversized));
  BOOST_TEST(f.oversized_bytes == 20000000);
  f = mock_llm_fault::parse("latency=300");
  BOOST_TEST((f.kind == mock_llm_fault_kind::none));
  BOOST_TEST(f.latency_ms == 300);
}

BOOST_AUTO_TEST_CASE(a_bad_hook_is_refused_naming_the_pair) {
  auto message = [](const std::string& text) {
    try {
      mock_llm_fault::parse(text);
    } catch (const std::invalid_argument& e) {
      return std::string{e.what()};
    }
    return std::string{};
  };
  BOOST_TEST(message("status=abc").find("status expects a whole number") != std::string::npos);
  BOOST_TEST(message("status=99").find("[100, 599]") != std::string::npos);
  BOOST_TEST(message("explode").find("unknown \"explode\"") != std::string::npos);
  BOOST_TEST(message("hang; reset").find("at most one") != std::string::npos);
  BOOST_TEST(message("hang=3").find("takes no value") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_bad_hook_becomes_a_400_for_that_call) {
  mock_llm_faults faults{mock_llm_profile{}};
  auto d = faults.decide(0, "explode");
  BOOST_TEST(d.fault.status == 400);
  BOOST_TEST(d.message.find("explode") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(an_outage_answers_503_then_recovers) {
  mock_llm_profile p;
  p.outages = {{1000, 500}};
  mock_llm_faults faults{p};
  BOOST_TEST(faults.decide(999, "").fault.status == 0);
  BOOST_TEST(faults.decide(1000, "").fault.status == 503);
  BOOST_TEST(faults.decide(1499, "").cause == "outage");
  BOOST_TEST((faults.decide(1500, "").fault.kind == mock_llm_fault_kind::none));
}

BOOST_AUTO_TEST_CASE(capacity_is_per_whole_second_with_four_header_forms) {
  mock_llm_profile p;
  p.capacity_per_s = 2;
  mock_llm_faults faults{p};
  auto first = faults.decide(1750, "");
  BOOST_TEST(header(first, "x-ratelimit-remaining-requests") == "1");
  BOOST_TEST(header(first, "x-ratelimit-limit-requests") == "2");
  BOOST_TEST(faults.decide(1760, "").fault.status == 0);
  auto limited = faults.decide(1770, "");
  BOOST_TEST(limited.fault.status == 429);
  BOOST_TEST(limited.cause == "capacity");
  BOOST_TEST(header(limited, "retry-after") == "1");
  BOOST_TEST(header(limited, "retry-after-ms") == "230");
  BOOST_TEST(header(limited, "x-ratelimit-remaining-requests") == "0");
  BOOST_TEST(header(limited, "x-ratelimit-reset-requests") == "230ms");
  // The next second serves again; a hooked call does not use the capacity.
  BOOST_TEST(faults.decide(2000, "latency=1").fault.status == 0);
  BOOST_TEST(faults.decide(2001, "").fault.status == 0);
  BOOST_TEST(faults.decide(2002, "").fault.status == 0);
  BOOST_TEST(faults.decide(2003, "").fault.status == 429);
}

BOOST_AUTO_TEST_CASE(a_storm_answers_every_overloaded_call_with_the_same_retry_after) {
  mock_llm_profile p;
  p.capacity_per_s = 1;
  p.overload_retry_after = mock_llm_profile::retry_after_kind::fixed;
  p.overload_retry_after_s = 5;
  mock_llm_faults faults{p};
  BOOST_TEST(faults.decide(100, "").fault.status == 0);
  for (auto at : {200, 700, 999}) {
    auto limited = faults.decide(at, "");
    BOOST_TEST(limited.fault.status == 429);
    BOOST_TEST(header(limited, "retry-after") == "5");
    BOOST_TEST(header(limited, "retry-after-ms") == "5000");
  }
}

BOOST_AUTO_TEST_CASE(overload_may_be_503_without_a_retry_after) {
  mock_llm_profile p;
  p.capacity_per_s = 1;
  p.overload_status = 503;
  p.overload_retry_after = mock_llm_profile::retry_after_kind::none;
  mock_llm_faults faults{p};
  faults.decide(0, "");
  auto overloaded = faults.decide(10, "");
  BOOST_TEST(overloaded.fault.status == 503);
  BOOST_TEST(overloaded.cause == "capacity");
  BOOST_TEST(header(overloaded, "retry-after") == "<absent>");
  BOOST_TEST(header(overloaded, "retry-after-ms") == "<absent>");
  BOOST_TEST(header(overloaded, "x-ratelimit-remaining-requests") == "0");
}

BOOST_AUTO_TEST_CASE(published_limits_are_on_every_answer_or_on_none) {
  mock_llm_profile p;
  p.capacity_per_s = 3;
  p.outages = {{2000, 1000}};
  mock_llm_faults publishing{p};
  auto in_outage = publishing.decide(2400, "");
  BOOST_TEST(in_outage.fault.status == 503);
  BOOST_TEST(header(in_outage, "x-ratelimit-limit-requests") == "3");
  BOOST_TEST(header(in_outage, "x-ratelimit-remaining-requests") == "3");
  BOOST_TEST(header(in_outage, "x-ratelimit-reset-requests") == "600ms");
  p.publish_limits = false;
  mock_llm_faults silent{p};
  BOOST_TEST(header(silent.decide(0, ""), "x-ratelimit-limit-requests") == "<absent>");
  silent.decide(10, "");
  silent.decide(20, "");
  auto limited = silent.decide(30, "");
  BOOST_TEST(limited.fault.status == 429);
  BOOST_TEST(header(limited, "retry-after") == "1");
  BOOST_TEST(header(limited, "x-ratelimit-remaining-requests") == "<absent>");
  BOOST_TEST(header(silent.decide(2400, ""), "x-ratelimit-limit-requests") == "<absent>");
}

BOOST_AUTO_TEST_CASE(header_seconds_are_written_without_trailing_zeros) {
  BOOST_TEST(mock_llm_faults::format_seconds(5) == "5");
  BOOST_TEST(mock_llm_faults::format_seconds(2.5) == "2.5");
  BOOST_TEST(mock_llm_faults::format_seconds(0.25) == "0.25");
  BOOST_TEST(mock_llm_faults::format_seconds(1500) == "1500");
}

BOOST_AUTO_TEST_CASE(reset_times_are_written_the_openai_way) {
  BOOST_TEST(mock_llm_faults::format_reset(250) == "250ms");
  BOOST_TEST(mock_llm_faults::format_reset(1000) == "1s");
  BOOST_TEST(mock_llm_faults::format_reset(1500) == "1.5s");
  BOOST_TEST(mock_llm_faults::format_reset(360000) == "6m0s");
  BOOST_TEST(mock_llm_faults::format_reset(61250) == "1m1.25s");
}

BOOST_AUTO_TEST_CASE(fault_draws_follow_the_rates_and_the_seed) {
  mock_llm_profile p;
  p.error_rate = 0.2;
  p.hang_rate = 0.1;
  p.reset_rate = 0.1;
  p.truncated_rate = 0.1;
  p.malformed_rate = 0.1;
  p.trickle_rate = 0.1;
  p.latency_min_ms = 10;
  p.latency_max_ms = 20;
  p.seed = 42;
  mock_llm_faults a{p}, b{p};
  std::map<mock_llm_fault_kind, int> kinds;
  bool same = true;
  int64_t min_latency = 1000, max_latency = 0;
  for (int i = 0; i < 10000; ++i) {
    auto x = a.decide(i, "");
    auto y = b.decide(i, "");
    same = same && x.fault.kind == y.fault.kind && x.fault.latency_ms == y.fault.latency_ms;
    ++kinds[x.fault.kind];
    min_latency = std::min(min_latency, x.fault.latency_ms);
    max_latency = std::max(max_latency, x.fault.latency_ms);
  }
  BOOST_TEST(same);
  BOOST_TEST(std::abs(kinds[mock_llm_fault_kind::status] - 2000) < 250);
  BOOST_TEST(std::abs(kinds[mock_llm_fault_kind::none] - 3000) < 300);
  for (auto kind :
       {mock_llm_fault_kind::hang, mock_llm_fault_kind::reset, mock_llm_fault_kind::truncated,
        mock_llm_fault_kind::malformed, mock_llm_fault_kind::trickle})
    BOOST_TEST(std::abs(kinds[kind] - 1000) < 200);
  BOOST_TEST(min_latency == 10);
  BOOST_TEST(max_latency == 20);
  p.seed = 43;
  mock_llm_faults c{p};
  mock_llm_faults d{[&] {
    auto q = p;
    q.seed = 42;
    return q;
  }()};
  int differ = 0;
  for (int i = 0; i < 100; ++i)
    differ += c.decide(i, "").fault.kind != d.decide(i, "").fault.kind;
  BOOST_TEST(differ > 0);
}

BOOST_AUTO_TEST_SUITE_END()
