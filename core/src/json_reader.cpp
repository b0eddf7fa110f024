#include "herd/core/json_reader.hpp"

#include "json_dom_builder.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>
#include <sstream>

namespace herd {

std::string json_pointer_token(std::string_view key) {
  std::string result;
  for (auto c : key) {
    if (c == '~')
      result += "~0";
    else if (c == '/')
      result += "~1";
    else
      result += c;
  }
  return result;
}

namespace {

/// Appends compact JSON of `value` to `out` until `out` holds more than `limit` bytes.
void append_preview(const nlohmann::json& value, std::string& out, size_t limit) {
  if (value.is_object() || value.is_array()) {
    auto object = value.is_object();
    out += object ? '{' : '[';
    auto first = true;
    for (auto i = value.begin(); i != value.end() && out.size() <= limit; ++i) {
      if (!first)
        out += ',';
      first = false;
      if (object)
        out += nlohmann::json(truncated(i.key(), limit + 1)).dump() + ':';
      append_preview(*i, out, limit);
    }
    out += object ? '}' : ']';
  } else if (value.is_string()) {
    out += nlohmann::json(truncated(value.get_ref<const std::string&>(), limit + 1)).dump();
  } else {
    out += value.dump();
  }
}

} // namespace

std::string json_preview(const nlohmann::json& value, size_t max_chars) {
  std::string text;
  append_preview(value, text, max_chars);
  return truncated(text, max_chars);
}

namespace {

std::string integer_range(int64_t min, int64_t max) {
  if (min != INT64_MIN && max != INT64_MAX)
    return "an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]";
  if (min != INT64_MIN)
    return "an integer >= " + std::to_string(min);
  if (max != INT64_MAX)
    return "an integer <= " + std::to_string(max);
  return "an integer";
}

std::string number_range(double min, double max) {
  std::ostringstream out;
  if (min > -1e300 && max < 1e300)
    out << "a number in [" << min << ", " << max << "]";
  else if (min > -1e300)
    out << "a number >= " << min;
  else if (max < 1e300)
    out << "a number <= " << max;
  else
    out << "a number";
  return out.str();
}

} // namespace

json_reader::json_reader(const nlohmann::json& value, std::string path)
    : value_(&value), path_(std::move(path)) {}

const json_reader& json_reader::only_keys(std::initializer_list<std::string_view> allowed) const {
  if (!value_->is_object())
    fail("an object");
  for (auto& [key, _] : value_->items())
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) {
      std::string names;
      for (auto name : allowed)
        names += (names.empty() ? "" : ", ") + std::string{name};
      throw config_error(path_of(key), "unknown key (allowed: " + names + ")");
    }
  return *this;
}

const nlohmann::json* json_reader::field(std::string_view key) const {
  if (!value_->is_object())
    fail("an object");
  auto i = value_->find(std::string{key});
  return i == value_->end() ? nullptr : &*i;
}

bool json_reader::has(std::string_view key) const {
  return field(key) != nullptr;
}

json_reader json_reader::at(std::string_view key) const {
  auto x = field(key);
  if (x == nullptr)
    throw config_error(path_of(key), "missing required key");
  return json_reader{*x, path_of(key)};
}

std::vector<std::string> json_reader::keys() const {
  if (!value_->is_object())
    fail("an object");
  std::vector<std::string> result;
  for (auto& [key, _] : value_->items())
    result.push_back(key);
  return result;
}

std::vector<json_reader> json_reader::elements() const {
  if (!value_->is_array())
    fail("an array");
  std::vector<json_reader> result;
  for (size_t i = 0; i < value_->size(); ++i)
    result.emplace_back((*value_)[i], path_ + "/" + std::to_string(i));
  return result;
}

int64_t json_reader::integer(std::string_view key, int64_t fallback, int64_t min,
                             int64_t max) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  int64_t result = 0;
  if (x->is_number_integer())
    result = x->get<int64_t>();
  else if (x->is_number_float() && std::floor(x->get<double>()) == x->get<double>() &&
           std::abs(x->get<double>()) < 9e15)
    result = static_cast<int64_t>(x->get<double>());
  else
    fail(key, integer_range(min, max));
  if (x->is_number_unsigned() && x->get<uint64_t>() > static_cast<uint64_t>(INT64_MAX))
    fail(key, integer_range(min, max));
  if (result < min || result > max)
    fail(key, integer_range(min, max));
  return result;
}

double json_reader::number(std::string_view key, double fallback, double min, double max) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  if (!x->is_number())
    fail(key, number_range(min, max));
  auto result = x->get<double>();
  if (!(result >= min && result <= max))
    fail(key, number_range(min, max));
  return result;
}

bool json_reader::boolean(std::string_view key, bool fallback) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  if (!x->is_boolean())
    fail(key, "true or false");
  return x->get<bool>();
}

std::string json_reader::string(std::string_view key, std::string fallback) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  if (!x->is_string())
    fail(key, "a string");
  return x->get<std::string>();
}

duration json_reader::millis(std::string_view key, duration fallback) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  if (!x->is_number() || x->get<double>() < 0 || x->get<double>() > 1e12)
    fail(key, "a duration in milliseconds >= 0");
  return std::chrono::duration_cast<duration>(
      std::chrono::duration<double, std::milli>(x->get<double>()));
}

std::string json_reader::choice(std::string_view key, std::string fallback,
                                std::initializer_list<std::string_view> choices) const {
  auto x = field(key);
  if (x == nullptr)
    return fallback;
  std::string names;
  for (auto name : choices)
    names += (names.empty() ? "\"" : ", \"") + std::string{name} + "\"";
  if (!x->is_string() ||
      std::find(choices.begin(), choices.end(), x->get<std::string>()) == choices.end())
    fail(key, "one of " + names);
  return x->get<std::string>();
}

std::string json_reader::path_of(std::string_view key) const {
  return path_ + "/" + json_pointer_token(key);
}

void json_reader::fail(std::string_view key, std::string_view what) const {
  auto x = field(key);
  auto got = x == nullptr ? std::string{"nothing"} : json_preview(*x);
  throw config_error(path_of(key), "expected " + std::string{what} + ", got " + got);
}

void json_reader::fail(std::string_view what) const {
  throw config_error(path_, "expected " + std::string{what} + ", got " + json_preview(*value_));
}

nlohmann::json parse_json_text(const std::string& text, const std::string& source) {
  json_dom_builder builder{json_max_depth};
  if (!nlohmann::json::sax_parse(text, &builder))
    throw config_error("", truncated(source, 200) + ": invalid JSON at byte " +
                               std::to_string(builder.error_byte()) + ": " + builder.error());
  return std::move(builder.result());
}

nlohmann::json read_json_file(const std::string& file) {
  std::ifstream in{file};
  if (!in)
    throw config_error("", truncated(file, 200) + ": cannot open file");
  std::stringstream buffer;
  buffer << in.rdbuf();
  return parse_json_text(buffer.str(), file);
}

} // namespace herd
