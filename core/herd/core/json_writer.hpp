#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

namespace herd {

/// Writes JSON text straight into a string, for hot paths where building a DOM only to dump it
/// costs more than the rest of the work (an LLM call's request body and its result). Strings
/// are escaped and numbers formatted as nlohmann's `dump()` does, and keys are written in the
/// order given: in nlohmann's (sorted) order the text is byte for byte what `dump()` of the same
/// object gives. Strings must be UTF-8 (as those of parsed JSON are). The caller keeps the
/// nesting right; the writer places the commas and colons.
class json_writer {
public:
  /// Opens an object.
  json_writer& begin_object();
  /// Closes the innermost object.
  json_writer& end_object();
  /// Opens an array.
  json_writer& begin_array();
  /// Closes the innermost array.
  json_writer& end_array();
  /// The key of the next member of the innermost object.
  json_writer& key(std::string_view name);
  /// A string value.
  json_writer& string(std::string_view text);
  /// An integer value.
  json_writer& integer(int64_t number);
  /// Any JSON value, dumped (a number formatted as nlohmann does, a parsed content array).
  json_writer& value(const nlohmann::json& any);
  /// The text written so far; the writer is empty afterwards.
  std::string take();

private:
  /// Opens a container with `bracket`.
  json_writer& open(char bracket);
  /// Closes the innermost container with `bracket`.
  json_writer& close(char bracket);
  /// A comma before anything but the first item of a container or a member's value.
  void separate();
  /// `text` as a quoted JSON string.
  void quoted(std::string_view text);

  std::string out_;
  bool first_ = true;
  bool after_key_ = false;
};

} // namespace herd
