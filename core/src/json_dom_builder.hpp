#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace herd {

/// A SAX handler for `nlohmann::json::sax_parse` that builds the document like `json::parse`
/// but refuses, with a `config_error` naming the JSON path, a key given twice in one object and
/// nesting deeper than `max_depth` (so that no later recursive walk can overflow the stack).
class json_dom_builder {
public:
  using json = nlohmann::json;

  /// A builder refusing more than `max_depth` nested objects and arrays.
  explicit json_dom_builder(size_t max_depth) : max_depth_(max_depth) {}

  /// The document read so far (all of it once `sax_parse` returned true).
  json& result() { return root_; }
  /// The parser's message about a syntax error, cut to 200 bytes; "" without one.
  const std::string& error() const { return error_; }
  /// The byte a syntax error was found at; 0 without one.
  size_t error_byte() const { return error_byte_; }

  // -- the SAX interface (see nlohmann::json_sax) -----------------------------------------------

  /// A null value.
  bool null();
  /// A boolean value.
  bool boolean(bool value);
  /// A signed integer value.
  bool number_integer(json::number_integer_t value);
  /// An unsigned integer value.
  bool number_unsigned(json::number_unsigned_t value);
  /// A floating-point value.
  bool number_float(json::number_float_t value, const json::string_t& text);
  /// A string value.
  bool string(json::string_t& value);
  /// A binary value (not produced by the JSON text parser).
  bool binary(json::binary_t& value);
  /// The start of an object; throws `config_error` beyond `max_depth`.
  bool start_object(size_t elements);
  /// A key of the current object; throws `config_error` if the object already has it.
  bool key(json::string_t& name);
  /// The end of the current object.
  bool end_object();
  /// The start of an array; throws `config_error` beyond `max_depth`.
  bool start_array(size_t elements);
  /// The end of the current array.
  bool end_array();
  /// A syntax error: kept (`error()`, `error_byte()`) and the parse stops.
  bool parse_error(size_t position, const std::string& last_token,
                   const nlohmann::detail::exception& error);

private:
  /// An open object or array and its JSON pointer.
  struct frame {
    json* container;
    std::string path;
  };

  /// Places `value` where the document expects the next value; returns where it went.
  json* put(json value);
  /// The JSON pointer of the next value.
  std::string next_path() const;
  /// Opens `empty` (an object or array) as the next value.
  void open(json empty);

  size_t max_depth_;
  json root_;
  std::vector<frame> open_;
  std::string key_;
  std::string error_;
  size_t error_byte_ = 0;
};

} // namespace herd
