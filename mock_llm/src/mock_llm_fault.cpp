#include "herd/mock_llm/mock_llm_fault.hpp"

#include <cctype>
#include <stdexcept>

namespace herd {

namespace {

std::string_view trim(std::string_view text) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  return text;
}

int64_t whole_number(std::string_view key, std::string_view value, int64_t min, int64_t max) {
  int64_t result = 0;
  bool ok = !value.empty() && value.size() <= 12;
  for (char c : value) {
    if (!std::isdigit(static_cast<unsigned char>(c))) {
      ok = false;
      break;
    }
    result = result * 10 + (c - '0');
  }
  if (!ok || result < min || result > max)
    throw std::invalid_argument("x-mock-fault: " + std::string{key} +
                                " expects a whole number in [" + std::to_string(min) + ", " +
                                std::to_string(max) + "], got \"" + std::string{value} + "\"");
  return result;
}

bool is_header_key(std::string_view key) {
  return key == "retry-after" || key == "retry-after-ms" || key.substr(0, 2) == "x-";
}

} // namespace

const char* to_string(mock_llm_fault_kind kind) {
  switch (kind) {
  case mock_llm_fault_kind::none:
    return "none";
  case mock_llm_fault_kind::status:
    return "status";
  case mock_llm_fault_kind::hang:
    return "hang";
  case mock_llm_fault_kind::reset:
    return "reset";
  case mock_llm_fault_kind::truncated:
    return "truncated";
  case mock_llm_fault_kind::malformed:
    return "malformed";
  case mock_llm_fault_kind::trickle:
    return "trickle";
  case mock_llm_fault_kind::oversized:
    return "oversized";
  }
  return "?";
}

mock_llm_fault mock_llm_fault::parse(std::string_view header) {
  mock_llm_fault fault;
  auto set_kind = [&](mock_llm_fault_kind kind, std::string_view key) {
    if (fault.kind != mock_llm_fault_kind::none)
      throw std::invalid_argument("x-mock-fault: \"" + std::string{key} + "\" after \"" +
                                  to_string(fault.kind) +
                                  "\" (at most one of status, hang, reset, truncated, "
                                  "malformed, trickle, oversized)");
    fault.kind = kind;
  };
  while (!header.empty()) {
    auto end = header.find(';');
    auto pair = trim(header.substr(0, end));
    header = end == std::string_view::npos ? std::string_view{} : header.substr(end + 1);
    if (pair.empty())
      continue;
    auto eq = pair.find('=');
    std::string key{trim(pair.substr(0, eq))};
    for (auto& c : key)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    auto value = eq == std::string_view::npos ? std::string_view{} : trim(pair.substr(eq + 1));
    bool bare = eq == std::string_view::npos;
    auto flag = [&](mock_llm_fault_kind kind) {
      if (!bare)
        throw std::invalid_argument("x-mock-fault: " + key + " takes no value");
      set_kind(kind, key);
    };
    if (key == "status") {
      set_kind(mock_llm_fault_kind::status, key);
      fault.status = static_cast<int>(whole_number(key, value, 100, 599));
    } else if (key == "hang") {
      flag(mock_llm_fault_kind::hang);
    } else if (key == "reset") {
      flag(mock_llm_fault_kind::reset);
    } else if (key == "truncated") {
      flag(mock_llm_fault_kind::truncated);
    } else if (key == "malformed") {
      flag(mock_llm_fault_kind::malformed);
    } else if (key == "trickle") {
      set_kind(mock_llm_fault_kind::trickle, key);
      fault.trickle_ms = whole_number(key, value, 0, 600000);
    } else if (key == "oversized") {
      set_kind(mock_llm_fault_kind::oversized, key);
      fault.oversized_bytes = whole_number(key, value, 0, int64_t{1} << 32);
    } else if (key == "latency") {
      fault.latency_ms = whole_number(key, value, 0, 600000);
    } else if (is_header_key(key) && !bare) {
      fault.headers.emplace_back(key, std::string{value});
    } else {
      throw std::invalid_argument("x-mock-fault: unknown \"" + std::string{pair} +
                                  "\" (expected status=N, hang, reset, truncated, malformed, "
                                  "trickle=MS, oversized=BYTES, latency=MS, retry-after=V, "
                                  "retry-after-ms=V or x-NAME=V)");
    }
  }
  return fault;
}

} // namespace herd
