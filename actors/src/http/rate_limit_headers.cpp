#include "herd/http/rate_limit_headers.hpp"

#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <initializer_list>
#include <string>

namespace herd {

namespace {

using wall_time = rate_limit_headers::wall_time;

std::string_view trim(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  return text;
}

/// A non-negative finite decimal number filling all of `text`.
std::optional<double> parse_number(std::string_view text) {
  text = trim(text);
  if (text.empty() ||
      !(std::isdigit(static_cast<unsigned char>(text.front())) || text.front() == '.'))
    return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc{} || end != text.data() + text.size() || !std::isfinite(value) || value < 0)
    return std::nullopt;
  return value;
}

/// `seconds` as a duration when within `max_wait`.
std::optional<duration> bounded_seconds(double seconds) {
  if (!(seconds >= 0) ||
      seconds > std::chrono::duration<double>(rate_limit_headers::max_wait).count())
    return std::nullopt;
  return std::chrono::duration_cast<duration>(std::chrono::duration<double>(seconds));
}

/// The wait until `when`, 0 when in the past, empty when beyond `max_wait`.
std::optional<duration> wait_until(wall_time when, wall_time now) {
  if (when <= now)
    return duration{0};
  auto wait = std::chrono::duration_cast<duration>(when - now);
  if (wait > rate_limit_headers::max_wait)
    return std::nullopt;
  return wait;
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const auto yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// The latest year a header date may name: the nanosecond wall clock ends in 2262, and a wait that
/// long is garbage anyway (found by tests/fuzz/retry_after_fuzzer: "2724-05-01T12:00:30Z"
/// overflowed the clock).
constexpr int latest_header_year = 2200;

/// The UTC time of a calendar date and time of day, empty when any field is out of range.
std::optional<wall_time> utc_time(int year, int month, int day, int hour, int minute,
                                  double second) {
  if (year < 1970 || year > latest_header_year || month < 1 || month > 12 || day < 1 || day > 31 ||
      hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second >= 61)
    return std::nullopt;
  auto days = days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  auto whole = std::chrono::seconds{days * 86400 + hour * 3600 + minute * 60};
  auto frac =
      std::chrono::duration_cast<wall_time::duration>(std::chrono::duration<double>(second));
  return wall_time{std::chrono::duration_cast<wall_time::duration>(whole) + frac};
}

/// 1..12 for "Jan".."Dec", 0 otherwise.
int month_number(const char* name) {
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  for (int i = 0; i < 12; ++i)
    if (std::strcmp(name, months[i]) == 0)
      return i + 1;
  return 0;
}

/// The longest of the resets belonging to exhausted limits, or of all resets when none is.
template <class Parse>
std::optional<duration>
window_reset(const http_response& response,
             std::initializer_list<std::pair<const char*, const char*>> remaining_and_reset,
             Parse parse) {
  std::optional<duration> exhausted;
  std::optional<duration> any;
  for (auto [remaining_name, reset_name] : remaining_and_reset) {
    auto reset_text = response.header(reset_name);
    if (!reset_text)
      continue;
    auto reset = parse(*reset_text);
    if (!reset)
      continue;
    if (!any || *reset > *any)
      any = reset;
    auto remaining = response.header(remaining_name);
    if (remaining && trim(*remaining) == "0" && (!exhausted || *reset > *exhausted))
      exhausted = reset;
  }
  return exhausted ? exhausted : any;
}

} // namespace

std::optional<duration> rate_limit_headers::requested_wait(const http_response& response,
                                                           wall_time now) {
  if (auto ms = response.header("retry-after-ms")) {
    if (auto value = parse_number(*ms))
      if (auto wait = bounded_seconds(*value / 1000.0))
        return wait;
  }
  if (auto text = response.header("retry-after")) {
    if (auto wait = parse_seconds(*text))
      return wait;
    if (auto date = parse_http_date(*text))
      if (auto wait = wait_until(*date, now))
        return wait;
  }
  return std::nullopt;
}

std::optional<duration> rate_limit_headers::rate_limit_wait(const http_response& response,
                                                            wall_time now) {
  if (auto wait = requested_wait(response, now))
    return wait;
  if (auto wait = window_reset(response,
                               {{"x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"},
                                {"x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"}},
                               [](std::string_view text) { return parse_go_duration(text); }))
    return wait;
  auto until = [now](std::string_view text) -> std::optional<duration> {
    auto when = parse_rfc3339(text);
    return when ? wait_until(*when, now) : std::nullopt;
  };
  return window_reset(
      response,
      {{"anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset"},
       {"anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset"},
       {"anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset"},
       {"anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset"}},
      until);
}

published_limit rate_limit_headers::published(const http_response& response, wall_time now) {
  published_limit result;
  auto number = [&](const char* name) {
    auto text = response.header(name);
    auto value = text ? parse_number(*text) : std::nullopt;
    return value ? *value : -1.0;
  };
  if (response.header("x-ratelimit-limit-requests") ||
      response.header("x-ratelimit-remaining-requests")) {
    result.limit = number("x-ratelimit-limit-requests");
    result.remaining = number("x-ratelimit-remaining-requests");
    if (auto text = response.header("x-ratelimit-reset-requests"))
      if (auto reset = parse_go_duration(*text))
        result.reset = *reset;
    return result;
  }
  result.limit = number("anthropic-ratelimit-requests-limit");
  result.remaining = number("anthropic-ratelimit-requests-remaining");
  if (auto text = response.header("anthropic-ratelimit-requests-reset"))
    if (auto when = parse_rfc3339(*text))
      if (auto wait = wait_until(*when, now))
        result.reset = *wait;
  return result;
}

std::optional<duration> rate_limit_headers::parse_seconds(std::string_view text) {
  auto value = parse_number(text);
  return value ? bounded_seconds(*value) : std::nullopt;
}

std::optional<wall_time> rate_limit_headers::parse_http_date(std::string_view text) {
  text = trim(text);
  if (text.size() > 64)
    return std::nullopt;
  std::string s{text};
  char weekday[16] = {};
  char month[4] = {};
  int day = 0, year = 0, hour = 0, minute = 0, second = 0, used = 0;
  // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
  if (std::sscanf(s.c_str(), "%3[A-Za-z], %2d %3[A-Za-z] %4d %2d:%2d:%2d GMT%n", weekday, &day,
                  month, &year, &hour, &minute, &second, &used) == 7 &&
      used == static_cast<int>(s.size()))
    return utc_time(year, month_number(month), day, hour, minute, second);
  // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT" (two-digit years below 70 are 20xx)
  used = 0;
  if (std::sscanf(s.c_str(), "%15[A-Za-z], %2d-%3[A-Za-z]-%2d %2d:%2d:%2d GMT%n", weekday, &day,
                  month, &year, &hour, &minute, &second, &used) == 7 &&
      used == static_cast<int>(s.size()))
    return utc_time(year < 70 ? 2000 + year : 1900 + year, month_number(month), day, hour, minute,
                    second);
  // asctime: "Sun Nov  6 08:49:37 1994"
  used = 0;
  if (std::sscanf(s.c_str(), "%3[A-Za-z] %3[A-Za-z] %2d %2d:%2d:%2d %4d%n", weekday, month, &day,
                  &hour, &minute, &second, &year, &used) == 7 &&
      used == static_cast<int>(s.size()))
    return utc_time(year, month_number(month), day, hour, minute, second);
  return std::nullopt;
}

std::optional<duration> rate_limit_headers::parse_go_duration(std::string_view text) {
  text = trim(text);
  if (text.empty())
    return std::nullopt;
  if (text == "0")
    return duration{0};
  double seconds = 0;
  while (!text.empty()) {
    size_t digits = 0;
    while (digits < text.size() &&
           (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.'))
      ++digits;
    auto value = digits > 0 ? parse_number(text.substr(0, digits)) : std::nullopt;
    if (!value)
      return std::nullopt;
    text.remove_prefix(digits);
    size_t unit_size = 0;
    while (unit_size < text.size() && !std::isdigit(static_cast<unsigned char>(text[unit_size])) &&
           text[unit_size] != '.')
      ++unit_size;
    auto unit = text.substr(0, unit_size);
    text.remove_prefix(unit_size);
    if (unit == "h")
      seconds += *value * 3600;
    else if (unit == "m")
      seconds += *value * 60;
    else if (unit == "s")
      seconds += *value;
    else if (unit == "ms")
      seconds += *value / 1e3;
    else if (unit == "us" || unit == "\xC2\xB5s")
      seconds += *value / 1e6;
    else if (unit == "ns")
      seconds += *value / 1e9;
    else
      return std::nullopt;
  }
  return bounded_seconds(seconds);
}

std::optional<wall_time> rate_limit_headers::parse_rfc3339(std::string_view text) {
  text = trim(text);
  if (text.size() < 20 || text.size() > 64)
    return std::nullopt;
  std::string s{text};
  int year = 0, month = 0, day = 0, hour = 0, minute = 0, whole_second = 0, used = 0;
  if (std::sscanf(s.c_str(), "%4d-%2d-%2d%*1[Tt ]%2d:%2d:%2d%n", &year, &month, &day, &hour,
                  &minute, &whole_second, &used) != 6 ||
      used != 19)
    return std::nullopt;
  std::string_view rest = text.substr(19);
  double second = whole_second;
  if (!rest.empty() && rest.front() == '.') {
    size_t n = 1;
    while (n < rest.size() && std::isdigit(static_cast<unsigned char>(rest[n])))
      ++n;
    if (n == 1)
      return std::nullopt;
    auto frac = parse_number(std::string{"0"} + std::string{rest.substr(0, n)});
    if (!frac)
      return std::nullopt;
    second += *frac;
    rest.remove_prefix(n);
  }
  int offset_minutes = 0;
  if (rest == "Z" || rest == "z") {
    offset_minutes = 0;
  } else if (rest.size() == 6 && (rest[0] == '+' || rest[0] == '-') && rest[3] == ':') {
    int oh = 0, om = 0;
    std::string off{rest.substr(1)};
    if (std::sscanf(off.c_str(), "%2d:%2d%n", &oh, &om, &used) != 2 || used != 5 || oh > 23 ||
        om > 59)
      return std::nullopt;
    offset_minutes = (rest[0] == '+' ? 1 : -1) * (oh * 60 + om);
  } else {
    return std::nullopt;
  }
  auto local = utc_time(year, month, day, hour, minute, second);
  if (!local)
    return std::nullopt;
  return *local - std::chrono::minutes(offset_minutes);
}

} // namespace herd
