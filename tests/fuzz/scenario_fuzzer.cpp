// Fuzzes the scenario reader of `herd simulate`: any text either becomes a scenario or a
// config_error; an accepted scenario reads back from its own JSON form.
#include "fuzz_input.hpp"

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/simulation/scenario.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  scenario read;
  try {
    read = scenario::from_json(json_reader{parse_json_text(fuzz::text_of(data, size), "input")});
  } catch (const config_error&) {
    return 0;
  }
  try {
    scenario::from_json(json_reader{read.to_json()});
  } catch (const config_error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::check(false, "an accepted scenario does not read back from its JSON form");
  }
  return 0;
}
