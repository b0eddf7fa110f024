// The error enums of the actors' features: every code renders by name, and no two codes of one
// enum render alike, so a caller can tell them apart in a log line or a CLI message.
#include <set>
#include <string>

#include <boost/test/unit_test.hpp>

#include "herd/breakers/breaker_errc.hpp"
#include "herd/dead_letters/dead_letter_errc.hpp"
#include "herd/workflow/workflow_errc.hpp"
#include "virtual_time_fixture.hpp"

namespace {

// The codes an enum names: from 0 up to the first one `to_string` does not know.
template <class Enum>
std::vector<Enum> named_codes(const std::string& unnamed_prefix) {
  std::vector<Enum> result;
  for (int code = 0; code < 256; ++code) {
    auto x = static_cast<Enum>(code);
    if (herd::to_string(x).rfind(unnamed_prefix, 0) == 0)
      break;
    result.push_back(x);
  }
  return result;
}

template <class Enum>
void check_every_code_renders_distinctly(caf::actor_system& sys, const std::string& unnamed_prefix,
                                         size_t expected_codes) {
  auto codes = named_codes<Enum>(unnamed_prefix);
  BOOST_TEST(codes.size() == expected_codes);
  std::set<std::string> names;
  std::set<std::string> rendered;
  for (auto code : codes) {
    auto name = herd::to_string(code);
    BOOST_TEST(!name.empty());
    names.insert(name);
    if (code == Enum::none)
      continue;
    auto text = sys.render(caf::make_error(code));
    BOOST_TEST_MESSAGE(text);
    BOOST_TEST(text.find(name) != std::string::npos);
    rendered.insert(text);
  }
  BOOST_TEST(names.size() == codes.size());
  BOOST_TEST(rendered.size() == codes.size() - 1);
}

} // namespace

BOOST_FIXTURE_TEST_SUITE(actors_error_codes, herd::test::virtual_time_fixture)

BOOST_AUTO_TEST_CASE(every_dead_letter_code_renders_a_distinct_name) {
  check_every_code_renders_distinctly<herd::dead_letter_errc>(sys, "dead_letter_errc(", 5);
  auto err = caf::make_error(herd::dead_letter_errc::no_such_letter, std::string{"t-1"});
  BOOST_TEST(sys.render(err) == "deadletter: no_such_letter: t-1");
}

BOOST_AUTO_TEST_CASE(every_workflow_code_renders_a_distinct_name) {
  check_every_code_renders_distinctly<herd::workflow_errc>(sys, "workflow_errc(", 7);
  auto err = caf::make_error(herd::workflow_errc::unknown_run, std::string{"r-1"});
  BOOST_TEST(sys.render(err) == "workflow: unknown_run: r-1");
}

BOOST_AUTO_TEST_CASE(every_breaker_code_renders_a_distinct_name) {
  check_every_code_renders_distinctly<herd::breaker_errc>(sys, "breaker_errc(", 2);
}

BOOST_AUTO_TEST_SUITE_END()
