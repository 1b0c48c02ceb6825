#!/usr/bin/env python3
"""Scale benchmark: query times over a history of 100,000 builds x 40+ steps.

  Benchmarks/queries.py [--builds 100000] [--db /tmp/buildtrail-scale.db] [--runs 5] [--fresh]

Builds buildtrail and history-generator in release mode, writes the synthetic history once (reused
unless --fresh), then runs each query command RUNS times as a user would (a new process each time,
output to /dev/null) and reports the median wall time. Prints a Markdown table for the README.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def timed(cmd):
    start = time.perf_counter()
    result = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode not in (0, 1):
        sys.exit(f"failed ({result.returncode}): {' '.join(cmd)}\n{result.stderr.decode()}")
    return elapsed


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--builds", type=int, default=100_000)
    ap.add_argument("--db", default="/tmp/buildtrail-scale.db")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--fresh", action="store_true")
    a = ap.parse_args()
    subprocess.run(["swift", "build", "-c", "release"], cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    release = os.path.join(ROOT, ".build", "release")
    if a.fresh or not os.path.exists(a.db):
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(a.db + suffix):
                os.remove(a.db + suffix)
        start = time.perf_counter()
        subprocess.run([os.path.join(release, "history-generator"), "--db", a.db, "--builds", str(a.builds)], check=True)
        print(f"generated in {time.perf_counter() - start:.0f} s")
    size = os.path.getsize(a.db)
    bt = os.path.join(release, "buildtrail")
    late = a.builds - 5
    queries = [
        ("builds", ["builds"]),
        ("show", ["show", str(a.builds // 2)]),
        ("trend --step", ["trend", "--step", "step 5", "--branch", "main"]),
        ("why", ["why", str(late)]),
        ("regressions (every series, last 500 builds per branch)", ["regressions"]),
    ]
    print(f"history: {a.builds} builds, {size / 1e6:.0f} MB, {size / a.builds / 1000:.1f} kB per build; "
          f"median of {a.runs} runs; {os.cpu_count()} cores\n")
    print("| command | median wall time |")
    print("| --- | ---: |")
    for name, args in queries:
        runs = [timed([bt] + args + ["--db", a.db]) for _ in range(a.runs)]
        print(f"| `buildtrail {' '.join(args)}` | {statistics.median(runs) * 1000:.0f} ms |")


if __name__ == "__main__":
    main()
