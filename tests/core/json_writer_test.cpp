// JSON written straight: the same text nlohmann's dump() gives for the same (sorted) object,
// whatever the strings hold.
#include <boost/test/unit_test.hpp>

#include <string>

#include <nlohmann/json.hpp>

#include "herd/core/json_writer.hpp"

BOOST_AUTO_TEST_SUITE(json_writer_suite)

BOOST_AUTO_TEST_CASE(strings_come_out_escaped_as_nlohmann_dumps_them) {
  std::string every_control;
  for (int c = 0; c < 0x20; ++c)
    every_control += static_cast<char>(c);
  for (std::string text :
       {std::string{""}, std::string{"plain"}, std::string{"a \"quote\" \\ slash"}, every_control,
        std::string{"caf\xc3\xa9 \xe2\x9c\x93 \xf0\x9f\x90\x91"},
        std::string{"del \x7f / solidus"}}) {
    herd::json_writer out;
    out.string(text);
    BOOST_TEST(out.take() == nlohmann::json(text).dump());
  }
}

BOOST_AUTO_TEST_CASE(an_object_in_sorted_key_order_is_byte_for_byte_the_dump) {
  nlohmann::json content = nlohmann::json::array({{{"type", "text"}, {"text", "hi\n"}}});
  herd::json_writer out;
  out.begin_object()
      .key("max_tokens")
      .integer(-42)
      .key("messages")
      .begin_array()
      .begin_object()
      .key("content")
      .value(content)
      .key("role")
      .string("user")
      .end_object()
      .begin_object()
      .key("content")
      .value("plain \"text\"")
      .key("role")
      .string("assistant")
      .end_object()
      .end_array()
      .key("model")
      .string("m")
      .key("nested")
      .begin_object()
      .end_object()
      .key("none")
      .begin_array()
      .end_array()
      .key("temperature")
      .value(0.7)
      .end_object();
  nlohmann::json expected{{"model", "m"},
                          {"messages",
                           {{{"role", "user"}, {"content", content}},
                            {{"role", "assistant"}, {"content", "plain \"text\""}}}},
                          {"max_tokens", -42},
                          {"nested", nlohmann::json::object()},
                          {"none", nlohmann::json::array()},
                          {"temperature", 0.7}};
  BOOST_TEST(out.take() == expected.dump());
}

BOOST_AUTO_TEST_CASE(take_leaves_an_empty_writer_for_the_next_text) {
  herd::json_writer out;
  out.begin_array().integer(1).integer(2).end_array();
  BOOST_TEST(out.take() == "[1,2]");
  out.begin_array().integer(3).end_array();
  BOOST_TEST(out.take() == "[3]");
}

BOOST_AUTO_TEST_SUITE_END()
