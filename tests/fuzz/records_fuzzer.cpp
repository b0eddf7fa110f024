// Fuzzes the JSON readers of herd's records: task, failure, attempt record, outcome result, dead
// letter, dead-lettering and escalation. Any JSON either reads or is refused with a config_error
// or a JSON error (never a crash, a hang or undefined behaviour); a record that reads back from
// its own JSON form gives that same form again (what herd writes, it can read).
#include "fuzz_input.hpp"

#include <nlohmann/json.hpp>

#include "herd/core/attempt_record.hpp"
#include "herd/core/config_error.hpp"
#include "herd/core/failure.hpp"
#include "herd/core/json_reader.hpp"
#include "herd/core/outcome.hpp"
#include "herd/core/task.hpp"
#include "herd/dead_letters/dead_letter.hpp"
#include "herd/dead_letters/dead_lettering.hpp"
#include "herd/dead_letters/escalation.hpp"

namespace {

/// Reads `document` as a `Record`; if it reads, its JSON form must read back to the same form.
template <class Record>
void read_record(const nlohmann::json& document, const char* name) {
  Record x;
  try {
    x = document.get<Record>();
  } catch (const herd::config_error&) {
    return;
  } catch (const nlohmann::json::exception&) {
    return;
  }
  nlohmann::json written = x;
  try {
    nlohmann::json again = written.get<Record>();
    herd::fuzz::check(again == written, name);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "%s: %s\n", name, e.what());
    herd::fuzz::check(false, "a record herd wrote does not read back");
  }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace herd;
  nlohmann::json document;
  try {
    document = parse_json_text(fuzz::text_of(data, size), "input");
  } catch (const config_error&) {
    return 0;
  }
  read_record<task>(document, "task");
  read_record<failure>(document, "failure");
  read_record<attempt_record>(document, "attempt_record");
  read_record<dead_letter>(document, "dead_letter");
  read_record<dead_lettering>(document, "dead_lettering");
  read_record<escalation>(document, "escalation");
  // An outcome's result and a task's payload are JSON text that is parsed on demand.
  auto text = fuzz::text_of(data, size);
  outcome result;
  result.result = text;
  (void)result.result_json();
  task work;
  work.payload = text;
  (void)work.payload_json();
  return 0;
}
