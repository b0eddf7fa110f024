#include "herd/http/chat_answer.hpp"

#include "herd/core/json_writer.hpp"

namespace herd {

std::string chat_answer::result_json(const std::string& provider) const {
  json_writer out;
  out.begin_object()
      .key("finish_reason")
      .string(finish_reason)
      .key("model")
      .string(usage.model)
      .key("provider")
      .string(provider)
      .key("text")
      .string(text)
      .key("usage")
      .begin_object()
      .key("input_tokens")
      .integer(usage.input_tokens)
      .key("output_tokens")
      .integer(usage.output_tokens)
      .end_object()
      .end_object();
  return out.take();
}

} // namespace herd
