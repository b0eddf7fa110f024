#!/usr/bin/env python3
"""Checks that herd's alert rules and runbooks hold together (CTest alert_rules_runbooks).

usage: check_alert_runbooks.py RULES_YML REPO_ROOT [HERD_BINARY]

- every alert in RULES_YML has a `for:` duration, `severity: page|ticket`, a `summary`, a
  `description` showing `{{ $value }}`, and a `runbook_url` naming an existing file under
  docs/runbooks/;
- every page in docs/runbooks/ (but README.md) has the sections Confirm, Mitigate, Diagnose,
  Recover and Verify, in that order, as `## ` headings;
- docs/runbooks/README.md links every page and names every alert, and names no alert that does
  not exist;
- with HERD_BINARY: every `herd COMMAND [SUBCOMMAND] [--flag ...]` quoted in the runbooks is a
  command, sub-command and flag that `herd --help` / `herd COMMAND --help` list.

The rules file is read line by line (it is checked as YAML by `promtool check rules`), so the
check needs nothing beyond python3.
"""
import pathlib
import re
import subprocess
import sys

SECTIONS = ["Confirm", "Mitigate", "Diagnose", "Recover", "Verify"]
SEVERITIES = {"page", "ticket"}


def rule_blocks(text):
    """Splits the rules file into (kind, name, block text) per rule."""
    starts = [m for m in re.finditer(r"^\s*- (alert|record):\s*(\S+)", text, re.M)]
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(text)
        yield m.group(1), m.group(2), text[m.start():end]


def field(block, name):
    """The value of `name:` in a rule block (quotes stripped), or None."""
    m = re.search(r"\b" + name + r":\s*(.+)$", block, re.M)
    return m.group(1).strip().strip("'\"") if m else None


def check_alerts(rules_path, root):
    problems, alerts, pages = [], [], set()
    for kind, name, block in rule_blocks(rules_path.read_text()):
        if kind != "alert":
            continue
        alerts.append(name)
        where = f"{rules_path.name}: alert {name}"
        duration = field(block, "for")
        if not duration or not re.fullmatch(r"([0-9]+[smhd])+", duration) or re.fullmatch(
                r"(0[smhd])+", duration):
            problems.append(f"{where}: needs a non-zero `for:` duration, has {duration!r}")
        severity = field(block, "severity")
        if severity not in SEVERITIES:
            problems.append(f"{where}: severity must be page or ticket, has {severity!r}")
        if not field(block, "summary"):
            problems.append(f"{where}: has no summary annotation")
        description = field(block, "description")
        if not description or "$value" not in description:
            problems.append(f"{where}: the description must show {{{{ $value }}}}")
        url = field(block, "runbook_url")
        if not url:
            problems.append(f"{where}: has no runbook_url annotation")
        elif not url.startswith("docs/runbooks/") or not (root / url).is_file():
            problems.append(f"{where}: runbook_url {url} is not a file under docs/runbooks/")
        else:
            pages.add(url)
    if not alerts:
        problems.append(f"{rules_path}: no alerts found")
    return problems, alerts, pages


def check_pages(runbooks, alerts):
    problems = []
    pages = sorted(p for p in runbooks.glob("*.md") if p.name != "README.md")
    for page in pages:
        headings = re.findall(r"^## (\w+)", page.read_text(), re.M)
        found = [h for h in headings if h in SECTIONS]
        if found != SECTIONS:
            problems.append(f"{page.name}: sections must be {', '.join(SECTIONS)} in order, "
                            f"found {', '.join(found) or 'none'}")
    index = runbooks / "README.md"
    if not index.is_file():
        return problems + [f"{index}: missing"], pages
    text = index.read_text()
    for page in pages:
        if f"({page.name})" not in text:
            problems.append(f"README.md: does not link {page.name}")
    for alert in alerts:
        if f"`{alert}`" not in text:
            problems.append(f"README.md: does not name alert {alert}")
    for named in set(re.findall(r"`(Herd[A-Za-z0-9]+)`", text)) - set(alerts):
        problems.append(f"README.md: names alert {named}, which the rules do not have")
    return problems, pages


def help_text(herd, *args):
    run = subprocess.run([herd, *args, "--help"], capture_output=True, text=True, timeout=30)
    return run.stdout + run.stderr


def check_commands(herd, runbooks):
    """Every `herd ...` quoted in a runbook names a command, sub-command and flags that exist."""
    problems, helps = [], {}
    top = help_text(herd)
    commands = set(re.findall(r"^  ([a-z][a-z-]*)\b", top, re.M))
    for page in sorted(runbooks.glob("*.md")):
        for quoted in re.findall(r"`(herd [^`]*)`", page.read_text()):
            words = quoted.split()
            if len(words) < 2 or not re.fullmatch(r"[a-z][a-z-]*", words[1]):
                continue
            command = words[1]
            if command not in commands:
                problems.append(f"{page.name}: `{quoted}`: herd has no command {command}")
                continue
            usage = helps.setdefault(command, help_text(herd, command))
            if len(words) > 2 and re.fullmatch(r"[a-z][a-z-]*", words[2]) and not re.search(
                    rf"herd {command} +{words[2]}\b", usage):
                problems.append(f"{page.name}: `{quoted}`: herd {command} has no {words[2]}")
            for flag in re.findall(r"(?<!\S)(--[a-z][a-z-]*)", quoted):
                if not re.search(rf"{flag}\b", usage):
                    problems.append(f"{page.name}: `{quoted}`: herd {command} has no {flag}")
    return problems


def main(argv):
    if len(argv) not in (3, 4):
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    rules, root = pathlib.Path(argv[1]), pathlib.Path(argv[2])
    runbooks = root / "docs" / "runbooks"
    problems, alerts, linked = check_alerts(rules, root)
    page_problems, pages = check_pages(runbooks, alerts)
    problems += page_problems
    if len(argv) == 4:
        problems += check_commands(argv[3], runbooks)
    for problem in problems:
        print(problem)
    unlinked = sorted(p.name for p in pages if f"docs/runbooks/{p.name}" not in linked)
    print(f"{len(alerts)} alerts, {len(pages)} runbook pages ({len(linked)} linked by alerts; "
          f"without an alert: {', '.join(unlinked) or 'none'}); {len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
