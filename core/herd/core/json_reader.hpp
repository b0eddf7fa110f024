#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/time.hpp"

namespace herd {

/// Reads typed values out of a JSON object and throws `config_error` with the JSON path of any
/// field that is missing, unknown, of the wrong type or out of range.
class json_reader {
public:
  /// Reads `value`, which lives at `path` in its document ("" for the root).
  explicit json_reader(const nlohmann::json& value, std::string path = "");

  /// Requires an object whose keys are all in `allowed`.
  const json_reader& only_keys(std::initializer_list<std::string_view> allowed) const;

  /// True if the object has `key`.
  bool has(std::string_view key) const;
  /// The reader of `key`'s value; `key` must exist.
  json_reader at(std::string_view key) const;
  /// Every key of the object, in document order.
  std::vector<std::string> keys() const;
  /// Readers of every element of an array.
  std::vector<json_reader> elements() const;

  /// An integer in [min, max], or `fallback` when the key is absent.
  int64_t integer(std::string_view key, int64_t fallback, int64_t min = INT64_MIN,
                  int64_t max = INT64_MAX) const;
  /// A number in [min, max], or `fallback` when the key is absent.
  double number(std::string_view key, double fallback, double min = -1e300,
                double max = 1e300) const;
  /// A boolean, or `fallback` when the key is absent.
  bool boolean(std::string_view key, bool fallback) const;
  /// A string, or `fallback` when the key is absent.
  std::string string(std::string_view key, std::string fallback) const;
  /// A non-negative duration given in milliseconds, or `fallback` when the key is absent.
  duration millis(std::string_view key, duration fallback) const;
  /// A string from `choices`, or `fallback` when the key is absent.
  std::string choice(std::string_view key, std::string fallback,
                     std::initializer_list<std::string_view> choices) const;

  /// The value itself.
  const nlohmann::json& value() const { return *value_; }
  /// The JSON pointer of the value.
  const std::string& path() const { return path_; }
  /// The JSON pointer of `key` under this value.
  std::string path_of(std::string_view key) const;

  /// Throws a `config_error` at `path_of(key)`: "expected <what>, got <actual value>".
  [[noreturn]] void fail(std::string_view key, std::string_view what) const;
  /// Throws a `config_error` at this value's path.
  [[noreturn]] void fail(std::string_view what) const;

private:
  const nlohmann::json* field(std::string_view key) const;

  const nlohmann::json* value_;
  std::string path_;
};

/// Objects and arrays nested deeper than this are refused when reading JSON text. Default: 64.
inline constexpr size_t json_max_depth = 64;

/// Parses JSON text; a syntax error becomes a `config_error` that names `source` and the byte,
/// a key given twice in one object or nesting deeper than `json_max_depth` one that names the
/// JSON path.
nlohmann::json parse_json_text(const std::string& text, const std::string& source);

/// `key` escaped as one JSON pointer token ("~" as "~0", "/" as "~1").
std::string json_pointer_token(std::string_view key);

/// `value` as compact JSON cut to about `max_chars` bytes ending in "…" (never serializes more
/// than it shows): how error messages quote values.
std::string json_preview(const nlohmann::json& value, size_t max_chars = 60);

/// Reads and parses a JSON file; a missing file or syntax error becomes a `config_error`.
nlohmann::json read_json_file(const std::string& file);

} // namespace herd
