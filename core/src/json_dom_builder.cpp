#include "json_dom_builder.hpp"

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

json_dom_builder::json* json_dom_builder::put(json value) {
  if (open_.empty()) {
    root_ = std::move(value);
    return &root_;
  }
  auto& container = *open_.back().container;
  if (container.is_array()) {
    container.push_back(std::move(value));
    return &container.back();
  }
  auto& slot = container[key_];
  slot = std::move(value);
  return &slot;
}

std::string json_dom_builder::next_path() const {
  if (open_.empty())
    return "";
  auto& top = open_.back();
  if (top.container->is_array())
    return top.path + "/" + std::to_string(top.container->size());
  return top.path + "/" + json_pointer_token(key_);
}

void json_dom_builder::open(json empty) {
  auto path = next_path();
  if (open_.size() >= max_depth_)
    throw config_error(path, "nested deeper than " + std::to_string(max_depth_) +
                                 " levels of objects and arrays");
  open_.push_back(frame{put(std::move(empty)), std::move(path)});
}

bool json_dom_builder::null() {
  put(nullptr);
  return true;
}

bool json_dom_builder::boolean(bool value) {
  put(value);
  return true;
}

bool json_dom_builder::number_integer(json::number_integer_t value) {
  put(value);
  return true;
}

bool json_dom_builder::number_unsigned(json::number_unsigned_t value) {
  put(value);
  return true;
}

bool json_dom_builder::number_float(json::number_float_t value, const json::string_t&) {
  put(value);
  return true;
}

bool json_dom_builder::string(json::string_t& value) {
  put(std::move(value));
  return true;
}

bool json_dom_builder::binary(json::binary_t& value) {
  put(json::binary(std::move(value)));
  return true;
}

bool json_dom_builder::start_object(size_t) {
  open(json::object());
  return true;
}

bool json_dom_builder::key(json::string_t& name) {
  auto& top = open_.back();
  if (top.container->contains(name))
    throw config_error(top.path + "/" + json_pointer_token(name), "duplicate key");
  key_ = std::move(name);
  return true;
}

bool json_dom_builder::end_object() {
  open_.pop_back();
  return true;
}

bool json_dom_builder::start_array(size_t) {
  open(json::array());
  return true;
}

bool json_dom_builder::end_array() {
  open_.pop_back();
  return true;
}

bool json_dom_builder::parse_error(size_t position, const std::string&,
                                   const nlohmann::detail::exception& error) {
  error_ = truncated(error.what(), 200);
  error_byte_ = position;
  return false;
}

} // namespace herd
