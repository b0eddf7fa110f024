#pragma once

#include <cstddef>
#include <initializer_list>
#include <optional>
#include <string_view>

namespace herd {

/// The value among `values` whose `to_string` is `name`; empty if none. Shared by the
/// `parse_*` functions of herd's enums.
template <class Enum, class Values>
std::optional<Enum> parse_enum_name_in(std::string_view name, const Values& values) {
  for (auto x : values)
    if (to_string(x) == name)
      return x;
  return std::nullopt;
}

/// `parse_enum_name` over a braced list of values.
template <class Enum>
std::optional<Enum> parse_enum_name(std::string_view name, std::initializer_list<Enum> values) {
  return parse_enum_name_in<Enum>(name, values);
}

/// `parse_enum_name` over an array of values.
template <class Enum, size_t N>
std::optional<Enum> parse_enum_name(std::string_view name, const Enum (&values)[N]) {
  return parse_enum_name_in<Enum>(name, values);
}

} // namespace herd
