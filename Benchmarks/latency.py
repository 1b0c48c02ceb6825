#!/usr/bin/env python3
"""Latency benchmark: start-up, `why` with git evidence and `broke` on the uv scenario's history.

  Benchmarks/latency.py [--runs 7] [--binary PATH]

Builds buildtrail in release mode, re-creates the uv scenario's git history
(Tests/Scenarios/uv-history.sh) and records its sixteen real BuildKit logs
(Tests/BuildLogTests/Fixtures/uv-history) after each step, as the fixture tests do, then times
`buildtrail --version`, `buildtrail why 7` (a source change after a Dockerfile reorder: git diff,
snapshots, structural break) and `buildtrail broke`, each a new process, and prints the medians.
"""
import argparse
import os
import statistics
import subprocess
import tempfile
import time

from ingest import release_binary

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCRIPT = os.path.join(ROOT, "Tests", "Scenarios", "uv-history.sh")
FIXTURES = os.path.join(ROOT, "Tests", "BuildLogTests", "Fixtures", "uv-history")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--binary", help="time this buildtrail binary instead of building a release one")
    a = ap.parse_args()
    binary = os.path.abspath(a.binary) if a.binary else release_binary()
    work = tempfile.mkdtemp(prefix="buildtrail-latency-")
    project = os.path.join(work, "backend")
    db = os.path.join(work, "history.db")
    quiet = {"stdout": subprocess.DEVNULL, "stderr": subprocess.DEVNULL}
    subprocess.run(["bash", SCRIPT, "init", project], check=True, **quiet)
    steps = subprocess.run(["bash", SCRIPT, "steps"], check=True, capture_output=True,
                           text=True).stdout.split()
    for n, step in enumerate(["initial"] + steps):
        if step != "initial":
            subprocess.run(["bash", SCRIPT, "apply", project, step], check=True, **quiet)
        log = os.path.join(FIXTURES, f"{n:02d}-{step}.log")
        subprocess.run([binary, "record", log, "--db", db, "--context", "."], cwd=project,
                       check=True, **quiet)
    rows = []
    for label, args in [("buildtrail --version", ["--version"]),
                        ("buildtrail why 7", ["why", "7", "--db", db]),
                        ("buildtrail broke", ["broke", "--db", db])]:
        times = []
        for _ in range(a.runs):
            start = time.perf_counter()
            subprocess.run([binary] + args, cwd=project, check=True, **quiet)
            times.append(time.perf_counter() - start)
        rows.append((label, statistics.median(times)))
    print(f"uv scenario history (16 builds), median of {a.runs} runs; {os.cpu_count()} cores\n")
    print("| command | median wall time |")
    print("| --- | ---: |")
    for label, seconds in rows:
        print(f"| `{label}` | {seconds * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
