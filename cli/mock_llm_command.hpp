#pragma once

#include <iosfwd>
#include <string>
#include <vector>

#include "command_line.hpp"
#include "herd/mock_llm/mock_llm_profile.hpp"

namespace herd::cli {

/// The usage text of `herd mock-llm` (its options and the x-mock-fault syntax).
extern const char* const mock_llm_usage;

/// The profile `herd mock-llm` serves: `--profile FILE` (JSON) if given, then each flag on top
/// of it. Throws std::invalid_argument or config_error naming the bad flag or JSON path.
mock_llm_profile mock_llm_profile_of(const command_line& cmd);

/// `herd mock-llm [--port N] [--host H] [--profile FILE] [flags]`: serves the mock on
/// HOST:PORT (default 127.0.0.1:8089; port 0 picks a free one), prints
/// "mock-llm listening on http://HOST:PORT" and serves until SIGINT or SIGTERM. Returns 0 after
/// a clean stop, 1 when it cannot listen, 2 on bad usage.
int run_mock_llm_command(const std::vector<std::string>& args, std::ostream& out,
                         std::ostream& err);

} // namespace herd::cli
