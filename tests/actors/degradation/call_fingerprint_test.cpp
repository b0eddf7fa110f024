// Call fingerprints: one call written differently has one fingerprint; different calls differ.
#include <boost/test/unit_test.hpp>

#include <nlohmann/json.hpp>

#include "herd/degradation/call_fingerprint.hpp"

using herd::call_fingerprint;

BOOST_AUTO_TEST_SUITE(degradation_suite)

BOOST_AUTO_TEST_CASE(the_same_call_written_differently_has_one_fingerprint) {
  auto a = call_fingerprint::of_text(
      "llm", R"({"model": "haiku", "messages": [{"role": "user", "content": "hi"}], "t": 1})");
  auto b = call_fingerprint::of_text(
      "llm", "{\"t\":1.0,\n  \"messages\":[{\"content\":\"hi\",\"role\":\"user\"}],"
             "\"model\":\"haiku\"}");
  BOOST_TEST((a == b));
  BOOST_TEST((a == call_fingerprint::of("llm", nlohmann::json::parse(R"({"t": 1e0,
    "model": "haiku", "messages": [{"role": "user", "content": "h\u0069"}]})"))));
  BOOST_TEST(call_fingerprint::canonical(nlohmann::json::parse(R"({"b": [2.0, -0.0], "a": 1})")) ==
             R"({"a":1,"b":[2,0]})");
}

BOOST_AUTO_TEST_CASE(different_calls_have_different_fingerprints) {
  auto base = call_fingerprint::of_text("llm", R"({"model": "haiku", "t": 1})");
  BOOST_TEST((base != call_fingerprint::of_text("llm", R"({"model": "haiku", "t": 1.5})")));
  BOOST_TEST((base != call_fingerprint::of_text("other", R"({"model": "haiku", "t": 1})")));
  BOOST_TEST((base != call_fingerprint::of_text("llm", R"({"model": "haiku", "t": "1"})")));
  // The service and the request are kept apart: "ab" + "c" is not "a" + "bc".
  BOOST_TEST((call_fingerprint::of_text("ab", "c") != call_fingerprint::of_text("a", "bc")));
  // Array order is meaningful.
  BOOST_TEST(
      (call_fingerprint::of_text("llm", "[1, 2]") != call_fingerprint::of_text("llm", "[2, 1]")));
}

BOOST_AUTO_TEST_CASE(fingerprints_are_stable_and_printable) {
  // FNV-1a is fixed, so a fingerprint stored today is found again by a later build.
  auto fp = call_fingerprint::of_text("llm", "{}");
  BOOST_TEST(fp.to_string().size() == 16u);
  BOOST_TEST(fp.to_string() == call_fingerprint::of("llm", nlohmann::json::object()).to_string());
  // Text that is not JSON is hashed as it is, so plain-text requests still repeat alike.
  BOOST_TEST((call_fingerprint::of_text("echo", "hello world") ==
              call_fingerprint::of_text("echo", "hello world")));
  BOOST_TEST((call_fingerprint::of_text("echo", "hello world") !=
              call_fingerprint::of_text("echo", "hello  world")));
}

BOOST_AUTO_TEST_SUITE_END()
