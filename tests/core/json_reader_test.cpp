// Reading JSON text: bounded nesting, no duplicate keys, error messages of bounded size.
#include <boost/test/unit_test.hpp>

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/task.hpp"

namespace {

/// The config_error that parsing `text` throws.
herd::config_error error_of(const std::string& text) {
  try {
    herd::parse_json_text(text, "test.json");
  } catch (const herd::config_error& e) {
    return e;
  }
  throw std::logic_error("no config_error for " + text.substr(0, 80));
}

} // namespace

BOOST_AUTO_TEST_SUITE(json_reading)

BOOST_AUTO_TEST_CASE(deep_nesting_is_refused_with_its_path_not_a_stack_overflow) {
  // The file of the report: 70,000 levels in about 140 kB.
  auto text = R"({"dispatcher": )" + std::string(70000, '[') + std::string(70000, ']') + "}";
  auto e = error_of(text);
  BOOST_TEST(e.reason() == "nested deeper than 64 levels of objects and arrays");
  BOOST_TEST(e.path().rfind("/dispatcher/0/0/", 0) == 0u);
  BOOST_TEST(std::string{e.what()}.size() < 300u);
}

BOOST_AUTO_TEST_CASE(nesting_up_to_the_limit_reads) {
  auto depth = herd::json_max_depth;
  auto doc = herd::parse_json_text(std::string(depth, '[') + std::string(depth, ']'), "x");
  BOOST_TEST(doc.is_array());
}

BOOST_AUTO_TEST_CASE(a_duplicate_key_is_an_error_naming_its_path) {
  auto e = error_of(R"({"retry": {"budget": {"ratio": 1, "ratio": 2}}})");
  BOOST_TEST(e.path() == "/retry/budget/ratio");
  BOOST_TEST(e.reason() == "duplicate key");
  // The same key in different objects is fine, and so is document order.
  auto doc = herd::parse_json_text(R"({"a": {"x": 1}, "b": {"x": 2}, "list": [{"x": 3}]})", "x");
  BOOST_TEST(doc["list"][0]["x"] == 3);
  BOOST_TEST(error_of(R"([{"a": 1}, {"b": 1, "b": 2}])").path() == "/1/b");
  BOOST_TEST(error_of(R"({"a/b~": 1, "a/b~": 2})").path() == "/a~1b~0");
}

BOOST_AUTO_TEST_CASE(a_bad_value_is_quoted_cut_short) {
  auto doc = herd::parse_json_text(R"({"level": ")" + std::string(100000, 'x') + R"("})", "x");
  try {
    herd::json_reader{doc}.integer("level", 0);
    BOOST_FAIL("no error");
  } catch (const herd::config_error& e) {
    std::string what = e.what();
    BOOST_TEST(what.size() < 150u);
    BOOST_TEST(what.find("\xE2\x80\xA6") != std::string::npos); // "…"
  }
  auto big = nlohmann::json::array();
  for (int i = 0; i < 100000; ++i)
    big.push_back({{"k", i}});
  BOOST_TEST(herd::json_preview(big).size() <= 60u);
  BOOST_TEST(herd::json_preview(nlohmann::json{{"a", 1}}) == R"({"a":1})");
}

BOOST_AUTO_TEST_CASE(a_syntax_error_names_the_byte_and_stays_short) {
  auto e = error_of(R"({"a": )" + std::string(100000, '1') + "x}");
  std::string what = e.what();
  BOOST_TEST(what.find("test.json: invalid JSON at byte") == 0u);
  BOOST_TEST(what.size() < 300u);
}

BOOST_AUTO_TEST_CASE(truncation_never_splits_a_character) {
  BOOST_TEST(herd::truncated("short", 60) == "short");
  // "é" is two bytes; a cut at byte 5 would split the third one.
  auto text = herd::truncated("\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9", 6);
  BOOST_TEST(text == "\xC3\xA9\xE2\x80\xA6");
}

// Found by the fuzzer: a time beyond the nanosecond clock's range overflowed it; it is refused
// with its JSON path.
BOOST_AUTO_TEST_CASE(times_beyond_the_clock_are_refused) {
  auto with = [](const char* json) {
    try {
      (void)herd::parse_json_text(json, "test").get<herd::task>();
      return std::string{};
    } catch (const herd::config_error& e) {
      return e.path();
    }
  };
  BOOST_TEST(with(R"({"id": "t", "created_ms": 31796000001000})") == "/created_ms");
  BOOST_TEST(with(R"({"id": "t", "deadline_ms": -9223372036854775807})") == "/deadline_ms");
  BOOST_TEST(!with(R"({"id": "t", "history": [{"time_ms": 17960000002000}]})").empty());
  BOOST_TEST(with(R"({"id": "t", "created_ms": 1796000000000})").empty());
}

BOOST_AUTO_TEST_SUITE_END()
