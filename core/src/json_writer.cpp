#include "herd/core/json_writer.hpp"

#include <nlohmann/json.hpp>

namespace herd {

json_writer& json_writer::begin_object() {
  return open('{');
}

json_writer& json_writer::end_object() {
  return close('}');
}

json_writer& json_writer::begin_array() {
  return open('[');
}

json_writer& json_writer::end_array() {
  return close(']');
}

json_writer& json_writer::open(char bracket) {
  separate();
  out_ += bracket;
  first_ = true;
  return *this;
}

json_writer& json_writer::close(char bracket) {
  out_ += bracket;
  first_ = false;
  return *this;
}

json_writer& json_writer::key(std::string_view name) {
  separate();
  quoted(name);
  out_ += ':';
  after_key_ = true;
  return *this;
}

json_writer& json_writer::string(std::string_view text) {
  separate();
  quoted(text);
  return *this;
}

json_writer& json_writer::integer(int64_t number) {
  separate();
  out_ += std::to_string(number);
  return *this;
}

json_writer& json_writer::value(const nlohmann::json& any) {
  if (any.is_string())
    return string(any.get_ref<const std::string&>());
  separate();
  out_ += any.dump();
  return *this;
}

std::string json_writer::take() {
  first_ = true;
  after_key_ = false;
  return std::move(out_);
}

void json_writer::separate() {
  if (after_key_)
    after_key_ = false;
  else if (!first_)
    out_ += ',';
  first_ = false;
}

void json_writer::quoted(std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out_ += '"';
  size_t plain = 0; // the start of the run of characters that need no escape
  for (size_t i = 0; i < text.size(); ++i) {
    auto c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c != '"' && c != '\\')
      continue;
    out_.append(text.data() + plain, i - plain);
    plain = i + 1;
    out_ += '\\';
    switch (c) {
    case '"':
    case '\\':
      out_ += static_cast<char>(c);
      break;
    case '\b':
      out_ += 'b';
      break;
    case '\f':
      out_ += 'f';
      break;
    case '\n':
      out_ += 'n';
      break;
    case '\r':
      out_ += 'r';
      break;
    case '\t':
      out_ += 't';
      break;
    default:
      out_ += "u00";
      out_ += hex[c >> 4];
      out_ += hex[c & 0xf];
    }
  }
  out_.append(text.data() + plain, text.size() - plain);
  out_ += '"';
}

} // namespace herd
