"""Runs the real `herd mock-llm --port 0 --capacity 2`: it prints the port it got, answers
both APIs, limits a second to 2 calls (429 with retry-after), counts in /stats, and stops
cleanly (exit 0) on SIGTERM. Usage: python3 mock_llm_binary.py HERD"""
import http.client
import json
import signal
import subprocess
import sys

herd = sys.argv[1]
proc = subprocess.Popen([herd, "mock-llm", "--port", "0", "--capacity", "2"],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
try:
    line = proc.stdout.readline().strip()
    prefix = "mock-llm listening on http://127.0.0.1:"
    assert line.startswith(prefix), f"unexpected first line: {line!r}"
    port = int(line[len(prefix):])
    assert port > 0, line
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    body = json.dumps({"model": "m", "messages": [{"role": "user", "content": "hi there"}]})
    statuses = []
    for path in ["/v1/chat/completions", "/v1/messages", "/v1/chat/completions"] * 2:
        conn.request("POST", path, body, {"content-type": "application/json"})
        response = conn.getresponse()
        payload = json.loads(response.read())
        statuses.append(response.status)
        if response.status == 429:
            assert response.getheader("retry-after") == "1", response.getheaders()
        elif path == "/v1/messages":
            assert payload["content"][0]["text"] == "mock answer: hi there", payload
        else:
            assert payload["choices"][0]["message"]["content"] == "mock answer: hi there", payload
    assert 429 in statuses and statuses.count(200) in (2, 4), statuses
    conn.request("GET", "/stats")
    stats = json.loads(conn.getresponse().read())
    assert stats["requests"] == 6, stats
    conn.close()
finally:
    proc.send_signal(signal.SIGTERM)
    out, err = proc.communicate(timeout=10)
assert proc.returncode == 0, (proc.returncode, err)
assert "mock-llm stopped (SIGTERM)" in out, out
print("herd mock-llm binary: ok", statuses)
