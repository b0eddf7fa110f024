#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace herd::cli {

/// `herd demo`: a few dozen agents work through a few thousand tasks in real time, over HTTP,
/// against an in-process `herd mock-llm` that rate-limits (429 with Retry-After), has an outage,
/// fails a share of calls with 500 and refuses over-long prompts; or, with --target URL, against
/// that OpenAI-compatible endpoint (key from OPENAI_API_KEY). With the in-process mock, the
/// kind "demo" has a fallback chain to a lighter model on a second mock ("llm-lite", a third of
/// the capacity, no outage) unless --config gives it one. Prints progress and a summary,
/// including how many tasks each tier served and what the mocks received. Options: --agents N,
/// --tasks N, --failure-rate X,
/// --capacity R, --seed N, --db FILE (keep dead letters there), --config FILE, --quiet,
/// --target URL, --model NAME, --serve (keep the HTTP endpoint up after the run until
/// SIGINT/SIGTERM, printing "serving on URL"), --listen HOST:PORT (default 127.0.0.1:9464).
int run_demo_command(const std::vector<std::string>& args, std::ostream& out, std::ostream& err);

} // namespace herd::cli
