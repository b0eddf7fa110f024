// Fuzzes the configuration reader: any text either becomes a runtime_config or a config_error
// (naming a JSON path); an accepted configuration reads back from its own JSON form.
#include "fuzz_input.hpp"

#include "herd/core/config_error.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/runtime/runtime_config.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  runtime_config config;
  try {
    config = runtime_config::from_json(parse_json_text(fuzz::text_of(data, size), "input"));
  } catch (const config_error&) {
    return 0;
  }
  try {
    runtime_config::from_json(config.to_json());
  } catch (const config_error& e) {
    std::fprintf(stderr, "%s\n", e.what());
    fuzz::check(false, "an accepted configuration does not read back from its JSON form");
  }
  return 0;
}
