// How long a response asks us to wait: retry-after-ms, retry-after (seconds or an HTTP date in
// all three forms), and the providers' rate-limit reset headers; garbage is ignored.
#include "herd/http/rate_limit_headers.hpp"

#include <boost/test/unit_test.hpp>

using namespace herd;
using namespace std::chrono_literals;

namespace {

/// 1994-11-06 08:49:37 UTC, the RFC's example date.
const rate_limit_headers::wall_time rfc_date{std::chrono::seconds{784111777}};

http_response with_headers(std::vector<std::pair<std::string, std::string>> headers) {
  http_response r;
  r.status = 429;
  r.headers = std::move(headers);
  return r;
}

std::optional<int64_t> wait_ms(std::vector<std::pair<std::string, std::string>> headers,
                               rate_limit_headers::wall_time now = rfc_date) {
  auto wait = rate_limit_headers::rate_limit_wait(with_headers(std::move(headers)), now);
  if (!wait)
    return std::nullopt;
  return std::chrono::duration_cast<std::chrono::milliseconds>(*wait).count();
}

} // namespace

BOOST_AUTO_TEST_SUITE(retry_after_headers)

BOOST_AUTO_TEST_CASE(retry_after_in_whole_and_fractional_seconds) {
  BOOST_TEST(*wait_ms({{"retry-after", "5"}}) == 5000);
  BOOST_TEST(*wait_ms({{"retry-after", " 0.5 "}}) == 500);
  BOOST_TEST(*wait_ms({{"retry-after", "0"}}) == 0);
}

BOOST_AUTO_TEST_CASE(retry_after_ms_comes_first_and_may_be_fractional) {
  BOOST_TEST(*wait_ms({{"retry-after", "5"}, {"retry-after-ms", "1500"}}) == 1500);
  BOOST_TEST(*wait_ms({{"retry-after-ms", "12.5"}}) == 12);
  // Garbage in retry-after-ms falls back to retry-after.
  BOOST_TEST(*wait_ms({{"retry-after-ms", "soon"}, {"retry-after", "3"}}) == 3000);
}

BOOST_AUTO_TEST_CASE(retry_after_as_http_date_in_all_three_forms) {
  auto now = rfc_date - 30s;
  BOOST_TEST(*wait_ms({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}, now) == 30000);
  BOOST_TEST(*wait_ms({{"retry-after", "Sunday, 06-Nov-94 08:49:37 GMT"}}, now) == 30000);
  BOOST_TEST(*wait_ms({{"retry-after", "Sun Nov  6 08:49:37 1994"}}, now) == 30000);
}

BOOST_AUTO_TEST_CASE(an_http_date_in_the_past_means_no_wait) {
  BOOST_TEST(*wait_ms({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}, rfc_date + 1h) == 0);
}

BOOST_AUTO_TEST_CASE(garbage_is_ignored) {
  for (auto bad : {"", "soon", "-1", "5s", "1e400", "nan", "inf", "Sun, 32 Nov 1994 08:49:37 GMT",
                   "Sun, 06 Foo 1994 08:49:37 GMT", "Sun, 06 Nov 1994 25:49:37 GMT",
                   "Sun, 06 Nov 1994 08:49:37 GMT trailing"})
    BOOST_TEST(!wait_ms({{"retry-after", bad}}), "accepted " << bad);
  BOOST_TEST(!wait_ms({}));
}

BOOST_AUTO_TEST_CASE(waits_beyond_a_day_are_ignored) {
  BOOST_TEST(!wait_ms({{"retry-after", "86401"}}));
  BOOST_TEST(*wait_ms({{"retry-after", "86400"}}) == 86400000);
  BOOST_TEST(!wait_ms({{"retry-after", "Sun, 06 Nov 1994 08:49:37 GMT"}}, rfc_date - 48h));
  // An absurd retry-after-ms falls through to a sane retry-after.
  BOOST_TEST(*wait_ms({{"retry-after-ms", "999999999999"}, {"retry-after", "2"}}) == 2000);
}

// Found by the fuzzer: a date past the nanosecond wall clock's end (2262) overflowed it.
BOOST_AUTO_TEST_CASE(dates_beyond_the_clock_are_garbage) {
  BOOST_TEST(!rate_limit_headers::parse_rfc3339("2724-05-01T12:00:30.5+02:00"));
  BOOST_TEST(!rate_limit_headers::parse_http_date("Wed, 21 Oct 9999 07:28:00 GMT"));
  BOOST_TEST(!wait_ms({{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "2724-05-01T12:00:30Z"}}));
  BOOST_TEST(rate_limit_headers::parse_rfc3339("2200-12-31T23:59:59Z").has_value());
}

BOOST_AUTO_TEST_CASE(openai_durations) {
  BOOST_TEST(to_ms(*rate_limit_headers::parse_go_duration("1s")) == 1000);
  BOOST_TEST(to_ms(*rate_limit_headers::parse_go_duration("6m0s")) == 360000);
  BOOST_TEST(to_ms(*rate_limit_headers::parse_go_duration("20ms")) == 20);
  BOOST_TEST(to_ms(*rate_limit_headers::parse_go_duration("1h2m3.5s")) == 3723500);
  BOOST_TEST(to_ms(*rate_limit_headers::parse_go_duration("0.5s")) == 500);
  for (auto bad : {"", "s", "1x", "1", "m1s", "1s2", "-1s", "25h"})
    BOOST_TEST(!rate_limit_headers::parse_go_duration(bad), "accepted " << bad);
}

BOOST_AUTO_TEST_CASE(openai_reset_of_the_exhausted_limit) {
  // Tokens exhausted: their reset counts even though the requests reset is longer.
  BOOST_TEST(*wait_ms({{"x-ratelimit-remaining-requests", "59"},
                       {"x-ratelimit-remaining-tokens", "0"},
                       {"x-ratelimit-reset-requests", "1m0s"},
                       {"x-ratelimit-reset-tokens", "6s"}}) == 6000);
  BOOST_TEST(*wait_ms({{"x-ratelimit-remaining-requests", "0"},
                       {"x-ratelimit-remaining-tokens", "100"},
                       {"x-ratelimit-reset-requests", "20ms"},
                       {"x-ratelimit-reset-tokens", "6s"}}) == 20);
}

BOOST_AUTO_TEST_CASE(openai_reset_without_remaining_takes_the_larger) {
  BOOST_TEST(*wait_ms({{"x-ratelimit-reset-requests", "1s"},
                       {"x-ratelimit-reset-tokens", "6m0s"}}) == 360000);
  BOOST_TEST(*wait_ms({{"x-ratelimit-reset-requests", "garbage"},
                       {"x-ratelimit-reset-tokens", "2s"}}) == 2000);
}

BOOST_AUTO_TEST_CASE(retry_after_wins_over_reset_headers) {
  BOOST_TEST(*wait_ms({{"x-ratelimit-reset-requests", "1m0s"}, {"retry-after", "2"}}) == 2000);
}

BOOST_AUTO_TEST_CASE(anthropic_reset_timestamp) {
  auto now = rfc_date;
  BOOST_TEST(*wait_ms({{"anthropic-ratelimit-requests-remaining", "0"},
                       {"anthropic-ratelimit-requests-reset", "1994-11-06T08:50:07Z"}},
                      now) == 30000);
  BOOST_TEST(*wait_ms({{"anthropic-ratelimit-requests-reset", "1994-11-06T09:50:07.25+01:00"}},
                      now) == 30250);
  // In the past: no wait.
  BOOST_TEST(*wait_ms({{"anthropic-ratelimit-requests-reset", "1994-11-06T08:00:00Z"}}, now) == 0);
  BOOST_TEST(!wait_ms({{"anthropic-ratelimit-requests-reset", "tomorrow"}}, now));
  BOOST_TEST(!wait_ms({{"anthropic-ratelimit-requests-reset", "1994-11-06T08:50:07"}}, now));
}

BOOST_AUTO_TEST_CASE(anthropic_exhausted_tokens_limit) {
  BOOST_TEST(*wait_ms({{"anthropic-ratelimit-requests-remaining", "10"},
                       {"anthropic-ratelimit-requests-reset", "1994-11-06T08:51:37Z"},
                       {"anthropic-ratelimit-tokens-remaining", "0"},
                       {"anthropic-ratelimit-tokens-reset", "1994-11-06T08:49:47Z"}}) == 10000);
}

BOOST_AUTO_TEST_CASE(requested_wait_ignores_reset_headers) {
  auto r = with_headers({{"x-ratelimit-reset-requests", "1s"}});
  BOOST_TEST(!rate_limit_headers::requested_wait(r, rfc_date));
  r.headers.emplace_back("retry-after", "4");
  BOOST_TEST(to_ms(*rate_limit_headers::requested_wait(r, rfc_date)) == 4000);
}

BOOST_AUTO_TEST_SUITE_END()
