#include "herd/http/chat_request.hpp"

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"

namespace herd {

std::variant<chat_request, failure> chat_request::parse(const std::string& request_json) {
  try {
    auto document = parse_json_text(request_json, "request");
    chat_request result;
    if (document.is_string()) {
      result.messages.push_back({"user", document});
      return result;
    }
    json_reader in{document};
    in.only_keys({"model", "messages", "system", "max_tokens", "temperature"});
    result.model = in.string("model", "");
    result.system = in.string("system", "");
    if (in.has("max_tokens"))
      result.max_tokens = in.integer("max_tokens", 0, 1, 10000000);
    if (in.has("temperature"))
      result.temperature = in.number("temperature", 0, 0, 2);
    if (!in.has("messages"))
      in.fail("messages", "an array of {\"role\", \"content\"} messages");
    auto messages = in.at("messages");
    if (!messages.value().is_array() || messages.value().empty())
      in.fail("messages", "a non-empty array of {\"role\", \"content\"} messages");
    for (auto& item : messages.elements()) {
      item.only_keys({"role", "content"});
      message m;
      m.role = item.string("role", "");
      if (m.role.empty())
        item.fail("role", "a role such as \"user\"");
      if (!item.has("content"))
        item.fail("content", "the message's text");
      m.content = item.at("content").value();
      if (!m.content.is_string() && !m.content.is_array())
        item.fail("content", "a string or an array of content blocks");
      result.messages.push_back(std::move(m));
    }
    return result;
  } catch (const config_error& e) {
    return failure::permanent(std::string{"invalid request: "} + e.what())
        .because("invalid_request");
  } catch (const std::exception& e) {
    return failure::permanent(std::string{"invalid request: "} + e.what())
        .because("invalid_request");
  }
}

} // namespace herd
