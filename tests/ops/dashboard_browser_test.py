"""The live dashboard in a real browser: headless Chromium renders GET / of a running endpoint and
the page must show every breaker of /api/state with its state, every agent with its health and the
dispatcher's completed count; a screenshot is saved as an artifact.

usage: dashboard_browser_test.py --artifacts DIR --herd HERD
           runs `HERD demo --serve --listen 127.0.0.1:0` (a short run), then stops it with SIGTERM
       dashboard_browser_test.py --artifacts DIR --fixture STATE_JSON --page INDEX_HTML
           serves the page and a sample state from this script; also checks the throughput,
           the "stale" note when /api/state fails and the replay button (401 shows "token
           refused") over Chromium's DevTools pipe

Chromium is found on the PATH as `chromium` or `chromium-browser` (scripts/setup.sh installs it).
Exits 0 on success; on a mismatch prints what the page showed against what /api/state said."""
import argparse
import html
import html.parser
import http.server
import json
import os
import re
import select
import shutil
import subprocess
import sys
import tempfile
import threading
import time

from serving_demo import Demo, Failure, http_get

CHROMIUM_TIMEOUT_S = 60
VIRTUAL_TIME_BUDGET_MS = 3000
FIXTURE_TOKEN = "fixture-token"


def find_chromium():
    for name in ("chromium", "chromium-browser"):
        path = shutil.which(name)
        if path:
            return path
    raise Failure("neither chromium nor chromium-browser is on the PATH "
                  "(scripts/setup.sh installs Debian's chromium)")


def chromium_command(chromium, profile, *flags):
    return [chromium, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
            "--disable-extensions", "--disable-dev-shm-usage", f"--user-data-dir={profile}",
            *flags]


def run_chromium(chromium, profile, url, *flags):
    """Runs Chromium to completion on `url` with `flags`; returns its stdout."""
    command = chromium_command(chromium, profile, f"--virtual-time-budget={VIRTUAL_TIME_BUDGET_MS}",
                               *flags, url)
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=CHROMIUM_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        raise Failure(f"chromium did not finish within {CHROMIUM_TIMEOUT_S} s: {' '.join(command)}")
    if done.returncode != 0:
        raise Failure(f"chromium exited with {done.returncode}: {' '.join(command)}\n"
                      f"{done.stderr[-2000:]}")
    return done.stdout


def get_state(base):
    status, _, body = http_get(base, "/api/state")
    if status != 200:
        raise Failure(f"GET {base}/api/state answered {status}: {body[:500]}")
    return json.loads(body)


class DashboardDom(html.parser.HTMLParser):
    """What the rendered page shows: breakers, agents, dispatcher counts, the update line, the
    stale note and the replay answer, read from the page's ids and data attributes."""

    def __init__(self, text):
        super().__init__()
        self.breakers = []  # (service, key, agent, state)
        self.agents = []  # (name, state)
        self.nodes = []  # (name, "connected" or "lost")
        self.counts = {}  # dispatcher count name -> text
        self.texts = {}  # element id -> text
        self.attributes = {}  # element id -> attributes
        self._open = []  # [(tag, key or None, collected text list)]
        self.injected = False  # an element from a server string parsed as markup
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.injected = self.injected or "data-injected" in attributes
        if "data-breaker" in attributes:
            self.breakers.append((attributes["data-breaker"], attributes.get("data-key"),
                                  attributes.get("data-agent", ""), attributes.get("data-state")))
        if "data-node" in attributes:
            self.nodes.append((attributes["data-node"], attributes.get("data-state")))
        if "data-agent" in attributes and "data-breaker" not in attributes:
            self.agents.append((attributes["data-agent"], attributes.get("data-state")))
        key = None
        if "data-count" in attributes and tag == "dd":
            key = ("count", attributes["data-count"])
        elif "id" in attributes:
            key = ("id", attributes["id"])
            self.attributes[attributes["id"]] = attributes
        if tag not in ("br", "input", "meta", "img", "hr", "link"):
            self._open.append((tag, key, []))

    def handle_endtag(self, tag):
        while self._open:
            open_tag, key, text = self._open.pop()
            joined = "".join(text)
            if self._open:
                self._open[-1][2].append(joined)
            if key and key[0] == "count":
                self.counts[key[1]] = joined.strip()
            elif key:
                self.texts[key[1]] = joined.strip()
            if open_tag == tag:
                return

    def handle_data(self, data):
        if self._open:
            self._open[-1][2].append(data)


def breaker_seen(b):
    """(service, key, agent, state) of a breaker in /api/state, as the page's data attributes
    say it: the key is the service's name when the state has none."""
    return (b.get("service"), b.get("key") or b.get("service"), b.get("agent") or "",
            b.get("state"))


def observable(state):
    """The parts of a state the check compares, to tell whether it changed during a render."""
    return (sorted(breaker_seen(b) for b in state.get("breakers") or []),
            sorted((a.get("name"), a.get("state")) for a in state.get("agents") or []),
            (state.get("dispatcher") or {}).get("completed"))


def check_dom(dom, state):
    problems = []
    breakers = state.get("breakers")
    if not breakers:
        problems.append(f"/api/state lists no breakers (got {breakers!r}): nothing to compare")
    for b in breakers or []:
        wanted = breaker_seen(b)
        if wanted not in dom.breakers:
            problems.append(f"breaker {wanted[1]!r} is {wanted[3]!r} in /api/state; the page "
                            f"shows {dom.breakers}")
    if len(dom.breakers) != len(breakers or []):
        problems.append(f"the page shows {len(dom.breakers)} breakers, /api/state has "
                        f"{len(breakers or [])}")
    for a in state.get("agents") or []:
        if (a["name"], a["state"]) not in dom.agents:
            problems.append(f"agent {a['name']!r} is {a['state']!r} in /api/state; the page "
                            f"shows {dom.agents}")
    nodes = state.get("nodes")
    if isinstance(nodes, list):
        wanted = sorted((n["name"], "connected" if n["connected"] else "lost") for n in nodes)
        if sorted(dom.nodes) != wanted:
            problems.append(f"/api/state has the worker nodes {wanted}; the page shows {dom.nodes}")
    elif "hidden" not in dom.attributes.get("nodes-section", {}):
        problems.append("the worker nodes section shows although /api/state has no nodes")
    completed = (state.get("dispatcher") or {}).get("completed")
    if completed is None:
        problems.append("/api/state has no dispatcher.completed")
    elif dom.counts.get("completed") != str(completed):
        problems.append(f"dispatcher completed is {completed} in /api/state; the page shows "
                        f"{dom.counts.get('completed')!r}")
    updated = dom.texts.get("updated", "")
    if not re.fullmatch(r"updated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", updated):
        problems.append(f"the update line should say 'updated <UTC time>', it says {updated!r}")
    if "hidden" not in dom.attributes.get("stale", {}):
        problems.append(f"the stale note shows although /api/state answered: "
                        f"{dom.texts.get('stale')!r}")
    return problems


def check_rendering(chromium, profile, base):
    """Renders the page until /api/state is the same before and after (a live runtime may change
    between the two reads) and compares; returns the state compared."""
    for attempt in range(3):
        before = get_state(base)
        dom = DashboardDom(run_chromium(chromium, profile, base + "/", "--dump-dom"))
        after = get_state(base)
        if observable(before) != observable(after):
            print(f"dashboard: /api/state changed during render {attempt + 1}; rendering again")
            continue
        problems = check_dom(dom, after)
        if problems:
            raise Failure("the dashboard does not show what /api/state says:\n  " +
                          "\n  ".join(problems))
        return after
    raise Failure("/api/state kept changing during three renders: cannot compare")


def save_screenshot(chromium, profile, base, artifacts):
    os.makedirs(artifacts, exist_ok=True)
    path = os.path.join(artifacts, "dashboard.png")
    if os.path.exists(path):
        os.remove(path)
    run_chromium(chromium, profile, base + "/", f"--screenshot={path}", "--window-size=1280,900",
                 "--hide-scrollbars")
    with open(path, "rb") as png:
        if png.read(8) != b"\x89PNG\r\n\x1a\n":
            raise Failure(f"{path} is not a PNG")
    return path


def check_page_route(base):
    status, content_type, body = http_get(base, "/")
    if status != 200 or content_type != "text/html; charset=utf-8" or "<html" not in body:
        raise Failure(f"GET {base}/ answered {status} {content_type!r}, not the dashboard page")


# -- the real demo -----------------------------------------------------------------------------

def run_against_demo(chromium, profile, herd, artifacts):
    demo = Demo(herd, os.path.join(profile, "dead_letters.db"))
    try:
        base = demo.url()
        check_page_route(base)
        state = check_rendering(chromium, profile, base)
        shot = save_screenshot(chromium, profile, base, artifacts)
        check_demo_replay(chromium, profile, base)
    except BaseException:
        if demo.proc.poll() is None:
            demo.proc.kill()
            demo.proc.wait()
        raise
    demo.stop()
    return state, shot


# -- the fixture -------------------------------------------------------------------------------

class Fixture(http.server.ThreadingHTTPServer):
    """Serves the page and a sample state like the ops endpoint; /api/state fails while
    `failing` is set; the replay route wants FIXTURE_TOKEN."""

    def __init__(self, page, state):
        self.page, self.state, self.failing, self.replays = page, state, False, []
        self.completing = 0  # added to dispatcher.completed on every GET /api/state
        super().__init__(("127.0.0.1", 0), FixtureHandler)


class FixtureHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send(self, status, content_type, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        if self.path == "/":
            self.send(200, "text/html; charset=utf-8", self.server.page)
        elif self.path == "/api/state" and self.server.failing:
            self.send(503, "application/json", '{"error": "fixture fails on purpose"}')
        elif self.path == "/api/state":
            self.server.state["dispatcher"]["completed"] += self.server.completing
            self.send(200, "application/json", json.dumps(self.server.state))
        else:
            self.send(404, "application/json", '{"error": "unknown path"}')

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
        if self.path != "/api/dead-letters/replay":
            return self.send(404, "application/json", '{"error": "unknown path"}')
        if self.headers.get("Authorization") != f"Bearer {FIXTURE_TOKEN}":
            return self.send(401, "application/json", '{"error": "token refused"}')
        self.server.replays.append(json.loads(body))
        self.send(202, "application/json",
                  json.dumps({"id": 4, "total": 9, "state": "running", "sent": 0}))


def run_against_fixture(chromium, profile, state_file, page_file, artifacts):
    with open(page_file, encoding="utf-8") as f:
        page = f.read()
    with open(state_file, encoding="utf-8") as f:
        state = json.load(f)
    server = Fixture(page, state)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        check_page_route(base)
        checked = check_rendering(chromium, profile, base)
        check_escaping(chromium, profile, base, state)
        shot = save_screenshot(chromium, profile, base, artifacts)
        check_replay(chromium, profile, base, server)
        check_throughput(chromium, profile, base, server)
        server.failing = True
        dom = DashboardDom(run_chromium(chromium, profile, base + "/", "--dump-dom"))
        stale = dom.texts.get("stale", "")
        if "hidden" in dom.attributes.get("stale", {}) or "stale" not in stale:
            raise Failure(f"/api/state answered 503 but the page shows no stale note ({stale!r})")
    finally:
        server.shutdown()
        server.server_close()
    return checked, shot


def check_throughput(chromium, profile, base, server):
    """10 more tasks completed at every one-second poll show as about 10 tasks/s."""
    server.completing = 10
    try:
        dom = DashboardDom(run_chromium(chromium, profile, base + "/", "--dump-dom"))
    finally:
        server.completing = 0
    shown = dom.texts.get("throughput", "")
    if not re.fullmatch(r"\d+\.\d", shown) or not 5 <= float(shown) <= 20:
        raise Failure(f"completed grows by 10 per one-second poll; the page shows throughput "
                      f"{shown!r}, expected about 10.0")


def check_escaping(chromium, profile, base, state):
    """An agent named like markup shows as text: no element of its making appears."""
    names = [a["name"] for a in state.get("agents", []) if "<" in a["name"]]
    if not names:
        raise Failure("the fixture state has no agent named like markup to check escaping with")
    text = run_chromium(chromium, profile, base + "/", "--dump-dom")
    if DashboardDom(text).injected:
        raise Failure(f"agent name {names[0]!r} was parsed as markup: the page has an element "
                      f"with data-injected")
    for name in names:
        if html.escape(name, quote=False) not in text:
            raise Failure(f"agent name {name!r} does not show as text")


# -- the replay button, driven over Chromium's DevTools pipe ----------------------------------

class DevTools:
    """Chromium with --remote-debugging-pipe: JSON commands on fd 3, answers on fd 4, each
    message ending with a NUL byte."""

    def __init__(self, chromium, profile, url):
        to_child_read, self.to_child = os.pipe()
        self.from_child, from_child_write = os.pipe()
        command = chromium_command(chromium, profile, "--remote-debugging-pipe", url)
        # The shell puts the pipes on the fds Chromium expects (3: commands in, 4: answers out).
        wired = ["sh", "-c", f'exec "$0" "$@" 3<&{to_child_read} 4>&{from_child_write}', *command]
        self.proc = subprocess.Popen(wired, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL,
                                     pass_fds=(to_child_read, from_child_write))
        os.close(to_child_read)
        os.close(from_child_write)
        self.next_id = 0
        self.buffer = b""

    def call(self, method, session=None, **params):
        self.next_id += 1
        message = {"id": self.next_id, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self.to_child, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + CHROMIUM_TIMEOUT_S
        while time.monotonic() < deadline:
            while b"\0" not in self.buffer:
                readable, _, _ = select.select([self.from_child], [], [],
                                               max(0.0, deadline - time.monotonic()))
                if not readable:
                    break
                chunk = os.read(self.from_child, 65536)
                if not chunk:
                    raise Failure(f"chromium closed its DevTools pipe during {method}")
                self.buffer += chunk
            if b"\0" not in self.buffer:
                break
            raw, self.buffer = self.buffer.split(b"\0", 1)
            answer = json.loads(raw)
            if answer.get("id") == self.next_id:
                if "error" in answer:
                    raise Failure(f"DevTools {method} failed: {answer['error']}")
                return answer["result"]
        raise Failure(f"DevTools {method}: no answer within {CHROMIUM_TIMEOUT_S} s")

    def close(self):
        try:
            self.call("Browser.close")
        except Failure:
            pass
        os.close(self.to_child)
        os.close(self.from_child)
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


REPLAY_SCRIPT = """
(async () => {
  document.getElementById("replay-token").value = %s;
  document.getElementById("replay-button").click();
  const result = document.getElementById("replay-result");
  for (let i = 0; i < 100 && ["", "pending"].includes(result.dataset.status); ++i)
    await new Promise(done => setTimeout(done, 50));
  return {status: result.dataset.status, text: result.textContent};
})()
"""


def press_replay(chromium, profile, base, tokens):
    """Opens the page, then types each token and presses the replay button; returns what the
    page showed after each as {"status": data-status, "text": text}."""
    shown = []
    browser = DevTools(chromium, profile, "about:blank")
    try:
        page = next(t for t in browser.call("Target.getTargets")["targetInfos"]
                    if t["type"] == "page")
        session = browser.call("Target.attachToTarget", targetId=page["targetId"],
                               flatten=True)["sessionId"]
        browser.call("Page.enable", session)
        browser.call("Page.navigate", session, url=base + "/")
        for token in tokens:
            for _ in range(100):  # until the page's script runs
                ready = browser.call("Runtime.evaluate", session, returnByValue=True,
                                     expression="!!document.getElementById('replay-button')")
                if ready["result"].get("value"):
                    break
                time.sleep(0.05)
            answer = browser.call("Runtime.evaluate", session, awaitPromise=True,
                                  returnByValue=True,
                                  expression=REPLAY_SCRIPT % json.dumps(token))
            shown.append(answer["result"].get("value"))
    finally:
        browser.close()
    return shown


def check_replay(chromium, profile, base, server):
    """A wrong token shows "token refused" and replays nothing; the right one shows the replay
    request the fixture answers with."""
    wanted = [{"status": "refused", "text": "token refused"},
              {"status": "ok", "text": "replay #4 of 9 dead letters: running"}]
    shown = press_replay(chromium, profile, base, ["wrong-token", FIXTURE_TOKEN])
    if shown != wanted:
        raise Failure(f"replay with a wrong, then the right token: the page shows {shown}, "
                      f"expected {wanted}")
    if server.replays != [{"all": True}]:
        raise Failure(f"the fixture got replay bodies {server.replays}, expected one "
                      f"{{'all': true}}")


def check_demo_replay(chromium, profile, base):
    """The demo's endpoint (loopback, no token configured) takes the replay of every dead letter
    and the page shows the replay request it answered with."""
    before = get_state(base)["dead_letters"]
    if not before.get("configured") or before.get("depth", 0) == 0:
        raise Failure(f"the demo kept no dead letters to replay: {before}")
    shown = press_replay(chromium, profile, base, [""])[0]
    if shown["status"] != "ok" or not re.fullmatch(r"replay #\d+ of [1-9]\d* dead letters: \w+",
                                                   shown["text"]):
        raise Failure(f"replaying the demo's {before['depth']} dead letters: the page shows "
                      f"{shown}")
    print(f"dashboard: the replay button shows {shown['text']!r}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--artifacts", required=True, help="where dashboard.png goes")
    parser.add_argument("--herd", help="the herd binary: test against `herd demo --serve`")
    parser.add_argument("--fixture", help="a sample /api/state JSON: test against this script's server")
    parser.add_argument("--page", help="with --fixture: the dashboard's index.html")
    args = parser.parse_args()
    if bool(args.herd) == bool(args.fixture) or (args.fixture and not args.page):
        parser.error("give either --herd HERD or --fixture STATE_JSON --page INDEX_HTML")
    profile = tempfile.mkdtemp(prefix="herd-dashboard-chromium-")
    try:
        chromium = find_chromium()
        if args.herd:
            state, shot = run_against_demo(chromium, profile, args.herd, args.artifacts)
        else:
            state, shot = run_against_fixture(chromium, profile, args.fixture, args.page,
                                              args.artifacts)
    except Failure as failure:
        print(f"dashboard browser test FAILED: {failure}", file=sys.stderr)
        return 1
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    breakers = ", ".join(f"{b['service']}={b['state']}" for b in state["breakers"])
    print(f"dashboard browser test: ok; breakers {breakers}; completed "
          f"{state['dispatcher']['completed']}; {len(state.get('agents') or [])} agents; "
          f"screenshot {shot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
