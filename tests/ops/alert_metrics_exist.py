"""Every metric the alert rules read exists in a live scrape of `herd demo --serve`'s /metrics, so
a renamed metric cannot leave an alert silently watching nothing.

usage: alert_metrics_exist.py RULES_YML HERD
Exits 0 if every `herd_*` series named in an `expr:` (not a recording rule's own name) is in the
scrape; else names the missing ones."""
import os
import re
import sys
import tempfile

from serving_demo import Demo, Failure, http_get

# A metric name in PromQL: not part of a recording rule's name ("kind:herd_x:ratio") nor a label.
METRIC = re.compile(r"(?<![:\w])(herd_[a-z0-9_]+)(?![:\w])")
HISTOGRAM_SUFFIXES = ("_bucket", "_sum", "_count")


def metrics_read_by_rules(rules_file):
    """The herd_ metric names in the rules' expressions (histogram series by family name)."""
    names = set()
    in_expr = False
    for line in open(rules_file, encoding="utf-8"):
        stripped = line.strip()
        if stripped.startswith("expr:"):
            in_expr = True
            stripped = stripped[len("expr:"):]
        elif re.match(r"^[a-z_]+:", stripped) or stripped.startswith("- "):
            in_expr = False
        if in_expr:
            names.update(METRIC.findall(stripped))
    return {family_of(name) for name in names}


def family_of(name):
    """The family of a series name: herd_x_seconds_bucket -> herd_x_seconds."""
    for suffix in HISTOGRAM_SUFFIXES:
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def scraped_families(text):
    """Metric family names of a Prometheus text exposition (from its # TYPE lines)."""
    return set(re.findall(r"^# TYPE (\S+) ", text, re.MULTILINE))


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    rules_file, herd = sys.argv[1:]
    wanted = metrics_read_by_rules(rules_file)
    with tempfile.TemporaryDirectory(prefix="herd-alert-metrics-") as scratch:
        demo = Demo(herd, os.path.join(scratch, "dead_letters.db"))
        try:
            status, _, body = http_get(demo.url(), "/metrics")
            if status != 200:
                raise Failure(f"GET /metrics answered {status}")
            demo.stop()
        except Failure as failure:
            if demo.proc.poll() is None:
                demo.proc.kill()
            print(f"alert metrics check FAILED: {failure}", file=sys.stderr)
            return 1
    missing = sorted(n for n in wanted if n not in scraped_families(body))
    if missing:
        print("alert rules read metrics that herd does not export: " + ", ".join(missing),
              file=sys.stderr)
        return 1
    print(f"alert metrics check: ok; {len(wanted)} metrics read by the rules, all exported: "
          + ", ".join(sorted(wanted)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
