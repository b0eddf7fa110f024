#pragma once

#include <cstdint>
#include <memory>

#include <nlohmann/json.hpp>

#include "demo/demo_chaos.hpp"
#include "herd/degradation/fallback_chain.hpp"
#include "herd/mock_llm/mock_llm_profile.hpp"
#include "herd/runtime/runtime_config.hpp"

namespace herd::cli {

// The workload of `herd demo`, shared with the soak benchmark (benchmarks/bench_soak): the
// runtime's configuration, the in-process mocks' stories, the fallback chain, the chaos and the
// tasks' payloads.

/// The service's name in the demo.
inline constexpr const char* service_name = "llm-api";

/// The demo's fallback: a lighter model behind a second in-process mock (no outage, a third of
/// the capacity) that the kind "demo" falls back to while "llm-api" is out.
inline constexpr const char* lite_service_name = "llm-lite";

/// The model the fallback tier asks for (merged into each request as the tier's params).
inline constexpr const char* lite_model = "mock-lite";

/// Every this many tasks, one carries a prompt beyond the mock's context window.
inline constexpr int64_t over_long_every = 40;

/// The mock's context window in tokens (words); the over-long prompts have twice as many.
inline constexpr int64_t demo_context_window = 200;

/// The demo's runtime configuration when no --config is given: short backoffs and a brisk retry
/// pace (a demo runs for seconds), a breaker that notices the outage within a few dozen calls,
/// admission per one-second window, hung agents found within half a second, a daily budget.
runtime_config demo_config();

/// The demo pool's autoscaling: from `agents` up to 1.5 x `agents`, growing after 300 ms of
/// backlog and shrinking after 200 ms with idle agents, so a run of seconds shows both.
autoscaling_config demo_autoscaling(int32_t agents);

/// The demo's chaos: `crashes` crashing and `hangs` hanging agents, spread over `tasks`.
std::shared_ptr<demo_chaos> make_chaos(int64_t tasks, int64_t crashes, int64_t hangs);

/// The in-process mock's story: an outage of 400 ms from 300 ms after start (the breaker opens),
/// `capacity` calls per second, which the paced agents exceed as they speed up again (429 with
/// Retry-After), 500s at `error_rate`, 2-10 ms latency, and a context window the over-long
/// prompts exceed (400 context_length_exceeded).
mock_llm_profile demo_profile(int64_t capacity, double error_rate, uint64_t seed);

/// The fallback chain of the kind "demo": "llm-api", then "llm-lite" with the lighter model.
/// An outage's 503 (or an open breaker, a timeout, a long rate limit) moves on at once; a 500
/// is retried on its tier; an over-long prompt does not move on (the lighter model's context
/// window is no larger), so it ends as before, not retryable.
fallback_chain demo_chain();

/// The fallback mock's story: the primary's at a third of its capacity, without the outage.
mock_llm_profile lite_profile(const mock_llm_profile& primary);

/// Task `index`'s payload, an OpenAI chat request: a short prompt, or (when `over_long`) one of
/// twice the mock's context window.
nlohmann::json demo_payload(int64_t index, bool over_long);

} // namespace herd::cli
