#include "herd/core/wall_time.hpp"

#include <cctype>
#include <chrono>
#include <cstdio>

namespace herd {

namespace {

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
int64_t days_from_civil(int64_t y, unsigned m, unsigned d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  auto yoe = static_cast<unsigned>(y - era * 400);
  unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<int64_t>(doe) - 719468;
}

/// The date of `days` since 1970-01-01 (the inverse of days_from_civil).
void civil_from_days(int64_t z, int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  auto doe = static_cast<unsigned>(z - era * 146097);
  unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<int64_t>(yoe) + era * 400;
  unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += m <= 2;
}

/// Reads exactly `n` digits at `pos`; advances `pos`.
std::optional<int> digits(std::string_view text, size_t& pos, size_t n) {
  if (pos + n > text.size())
    return std::nullopt;
  int result = 0;
  for (size_t i = 0; i < n; ++i) {
    auto c = text[pos + i];
    if (!std::isdigit(static_cast<unsigned char>(c)))
      return std::nullopt;
    result = result * 10 + (c - '0');
  }
  pos += n;
  return result;
}

} // namespace

int64_t wall_now_ms() {
  using namespace std::chrono;
  return duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count();
}

duration wall_offset(time_point actor_now, int64_t wall_now_ms) {
  return from_ms(wall_now_ms) - actor_now.time_since_epoch();
}

std::string format_utc(int64_t ms) {
  if (ms == 0)
    return "-";
  auto days = ms >= 0 ? ms / 86400000 : (ms - 86399999) / 86400000;
  auto rest = ms - days * 86400000;
  int64_t y = 0;
  unsigned m = 0;
  unsigned d = 0;
  civil_from_days(days, y, m, d);
  char buf[48];
  std::snprintf(buf, sizeof(buf), "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ",
                static_cast<long long>(y), m, d, static_cast<long long>(rest / 3600000),
                static_cast<long long>(rest / 60000 % 60), static_cast<long long>(rest / 1000 % 60),
                static_cast<long long>(rest % 1000));
  return buf;
}

std::optional<int64_t> parse_utc(std::string_view text) {
  size_t pos = 0;
  auto y = digits(text, pos, 4);
  if (!y || pos >= text.size() || text[pos++] != '-')
    return std::nullopt;
  auto mo = digits(text, pos, 2);
  if (!mo || pos >= text.size() || text[pos++] != '-')
    return std::nullopt;
  auto d = digits(text, pos, 2);
  if (!d || *mo < 1 || *mo > 12 || *d < 1 || *d > 31)
    return std::nullopt;
  int h = 0;
  int mi = 0;
  int s = 0;
  int frac = 0;
  if (pos < text.size() && (text[pos] == 'T' || text[pos] == ' ')) {
    ++pos;
    auto hh = digits(text, pos, 2);
    if (!hh || pos >= text.size() || text[pos++] != ':')
      return std::nullopt;
    auto mm = digits(text, pos, 2);
    if (!mm)
      return std::nullopt;
    h = *hh;
    mi = *mm;
    if (pos < text.size() && text[pos] == ':') {
      ++pos;
      auto ss = digits(text, pos, 2);
      if (!ss)
        return std::nullopt;
      s = *ss;
      if (pos < text.size() && text[pos] == '.') {
        ++pos;
        auto ff = digits(text, pos, 3);
        if (!ff)
          return std::nullopt;
        frac = *ff;
      }
    }
    if (h > 23 || mi > 59 || s > 60)
      return std::nullopt;
  }
  if (pos < text.size() && text[pos] == 'Z')
    ++pos;
  if (pos != text.size())
    return std::nullopt;
  auto days = days_from_civil(*y, static_cast<unsigned>(*mo), static_cast<unsigned>(*d));
  int64_t ys = 0;
  unsigned ms_ = 0;
  unsigned ds = 0;
  civil_from_days(days, ys, ms_, ds);
  if (ys != *y || static_cast<int>(ms_) != *mo || static_cast<int>(ds) != *d)
    return std::nullopt; // e.g. February 30
  auto result = days * 86400000 + h * 3600000LL + mi * 60000LL + s * 1000LL + frac;
  if (result < 0)
    return std::nullopt;
  return result;
}

std::optional<int64_t> parse_age_ms(std::string_view text) {
  static const std::pair<std::string_view, int64_t> units[] = {
      {"ms", 1}, {"s", 1000}, {"m", 60000}, {"h", 3600000}, {"d", 86400000}};
  constexpr int64_t max_age_ms = 100LL * 366 * 86400000;
  for (auto& [unit, scale] : units) {
    if (text.size() <= unit.size() || text.substr(text.size() - unit.size()) != unit)
      continue;
    auto number = text.substr(0, text.size() - unit.size());
    if (number.empty() || number.size() > 12)
      return std::nullopt;
    int64_t n = 0;
    for (auto c : number) {
      if (!std::isdigit(static_cast<unsigned char>(c)))
        return std::nullopt;
      n = n * 10 + (c - '0');
    }
    if (n > max_age_ms / scale)
      return std::nullopt;
    return n * scale;
  }
  return std::nullopt;
}

} // namespace herd
