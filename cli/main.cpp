// The `herd` command: demos, simulations, configuration checks and dead-letter operations.
#include <iostream>
#include <string>
#include <vector>

#include "config_command.hpp"
#include "demo_command.hpp"
#include "dlq_command.hpp"
#include "escalations_command.hpp"
#include "herd/version.hpp"
#include "mock_llm_command.hpp"
#include "nodes_command.hpp"
#include "report_command.hpp"
#include "simulate_command.hpp"
#include "submit_command.hpp"
#include "worker_command.hpp"
#include "workflow_command.hpp"

namespace {

const char* demo_usage =
    R"(  demo [--agents N] [--tasks N] [--failure-rate X] [--capacity R] [--seed N] [--crashes N]
       [--hangs N] [--db FILE] [--config FILE] [--quiet] [--target URL] [--model NAME]
       [--serve [--listen HOST:PORT]]
                            run agents in real time against an in-process mock-llm over HTTP
                            (429s with Retry-After beyond --capacity calls/s, default 400; an
                            outage; 500s at --failure-rate, default 0.05; over-long prompts
                            refused); --target URL: against that
                            OpenAI-compatible endpoint instead (key from OPENAI_API_KEY; real
                            requests cost money: --tasks defaults to 20, --agents to 4),
                            --model NAME (default gpt-4o-mini; mock-small for the mock);
                            --serve: after the run, keep the HTTP endpoint up (dashboard at /,
                            /metrics, /health/*, /api/state) on --listen (default
                            127.0.0.1:9464; port 0: a free one) until SIGINT/SIGTERM
)";

const char* other_usage =
    R"(  dlq list|show|stats|replay|resolve|purge|migrate --db FILE [--json] [--since T] [--until T] ...
                            inspect and replay dead letters (herd dlq --help)
  escalations list|show|resolve|amend|resubmit --db FILE [--json] ...
                            decide on tasks that wait for a person (herd escalations --help)
  workflow list|show|resume|cancel --db FILE [--json] [--status S] [--limit N] [--value JSON] ...
                            workflow runs and their steps; resume/cancel are carried out by the
                            running service (herd workflow --help)
  report --db FILE [--since DURATION|ISO-8601] [--json]
                            the SLA report of the recorded task history: success rate,
                            p50/p95/p99 per kind, escalation and dead-letter rates, MTTR
                            (herd report --help)
  simulate SCENARIO.json [--json] [--out DIR] [--realtime] [--live] [--scale F]
                            compare retry strategies in a thundering-herd scenario, in virtual
                            time, or live over HTTP against an in-process mock-llm
                            (benchmarks/scenarios/*.json; herd simulate --help)
  simulate --aws-occ [--clients 10,20,...,190] [--trials 100] [--json] [--out DIR]
                            the AWS "Exponential Backoff and Jitter" experiment
  mock-llm [--port N] [--host H] [--profile FILE] [--capacity R] [--error-rate X] ...
                            serve a fault-injecting OpenAI/Anthropic-compatible LLM mock
                            (herd mock-llm --help)
  worker --connect HOST:PORT [--pool NAME] [--agents N] [--name NAME] [--config FILE] ...
                            host echo agents that join a coordinator's pool over CAF's
                            middleman (herd worker --help)
  nodes --connect HOST:PORT [--json]
                            a coordinator's worker nodes, their agents and last contact (UTC)
  submit --connect HOST:PORT --kind KIND [--payload JSON] [--id ID] [--enqueue] ...
                            submit a task to a coordinator from this process and print its
                            outcome (herd submit --help)
  config check FILE         validate a configuration file (names the JSON path of a bad field)
  config show [FILE]        print the effective configuration with every default
  version                   print the version
  --help                    print this help; herd COMMAND --help prints a command's
)";

void print_usage(std::ostream& out) {
  out << "usage: herd <command> [options]\n\ncommands:\n" << demo_usage << other_usage;
}

/// True if `args` asks for help (`--help` or `-h` anywhere).
bool asks_for_help(const std::vector<std::string>& args) {
  for (auto& arg : args)
    if (arg == "--help" || arg == "-h")
      return true;
  return false;
}

} // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    print_usage(std::cout);
    return args.empty() ? 2 : 0;
  }
  auto command = args[0];
  std::vector<std::string> rest(args.begin() + 1, args.end());
  if (command == "version" || command == "--version") {
    std::cout << "herd " << herd::version << '\n';
    return 0;
  }
  if (command == "config")
    return herd::cli::run_config_command(rest, std::cout, std::cerr);
  if (command == "demo") {
    if (asks_for_help(rest)) {
      std::cout << "usage: herd" << (demo_usage + 1);
      return 0;
    }
    return herd::cli::run_demo_command(rest, std::cout, std::cerr);
  }
  if (command == "simulate")
    return herd::cli::run_simulate_command(rest, std::cout, std::cerr);
  if (command == "dlq")
    return herd::run_dlq_command(rest, std::cout, std::cerr);
  if (command == "mock-llm")
    return herd::cli::run_mock_llm_command(rest, std::cout, std::cerr);
  if (command == "report")
    return herd::cli::run_report_command(rest, std::cout, std::cerr);
  if (command == "escalations")
    return herd::run_escalations_command(rest, std::cout, std::cerr);
  if (command == "workflow")
    return herd::run_workflow_command(rest, std::cout, std::cerr);
  if (command == "worker")
    return herd::cli::run_worker_command(rest, std::cout, std::cerr);
  if (command == "nodes")
    return herd::cli::run_nodes_command(rest, std::cout, std::cerr);
  if (command == "submit")
    return herd::cli::run_submit_command(rest, std::cout, std::cerr);
  std::cerr << "herd: unknown command \"" << command << "\"\n\n";
  print_usage(std::cerr);
  return 2;
}
