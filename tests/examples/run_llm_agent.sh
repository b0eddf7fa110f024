#!/bin/sh
# Runs examples/llm_agent against a real `herd mock-llm` on a free port, then stops the mock.
# Usage: run_llm_agent.sh HERD LLM_AGENT WORK_DIR
set -eu
herd=$1
agent=$2
log=$3/mock-llm.log
mkdir -p "$3"
: >"$log"
"$herd" mock-llm --port 0 >"$log" 2>&1 &
mock=$!
trap 'kill "$mock" 2>/dev/null || true; wait "$mock" 2>/dev/null || true' EXIT
# The mock prints "mock-llm listening on http://127.0.0.1:PORT" once it serves (within ~5 s).
tries=0
until grep -q "listening on" "$log"; do
  tries=$((tries + 1))
  if [ "$tries" -gt 50 ] || ! kill -0 "$mock" 2>/dev/null; then
    echo "herd mock-llm did not start:"
    cat "$log"
    exit 1
  fi
  sleep 0.1
done
url=$(sed -n 's/^mock-llm listening on \(http:[^ ]*\).*$/\1/p' "$log" | head -n 1)
env -u OPENAI_API_KEY "$agent" "$url"
