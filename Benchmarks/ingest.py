#!/usr/bin/env python3
"""Ingest benchmark: `buildtrail record` against the peer Python ingester on the same log.

  Benchmarks/ingest.py [--lines 2000000] [--runs 3]

Besides `record --no-metadata`, it times `record` with metadata from inside a small git repository
(a Dockerfile, a .dockerignore and a uv.lock, committed): git facts, the context scan and the input
snapshots, as in CI.

Generates ../shared/bench/genlog.py --stages 4 --steps 12 --lines N --seed 7 (about 90 MB at 2M lines),
builds buildtrail in release mode, then times each ingester RUNS times on a fresh database and reports
the median wall time, the peak RSS of each, and the ratio. Prints a Markdown table for the README.
"""
import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHARED = os.path.join(os.path.dirname(ROOT), "shared", "bench")


def measure(cmd, cwd=None):
    """Runs cmd in a child and returns (seconds, peak RSS in MB) for that child alone."""
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        if cwd:
            os.chdir(cwd)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, 1)
        os.execvp(cmd[0], cmd)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"failed: {' '.join(cmd)}")
    return seconds, usage.ru_maxrss / 1024


def release_binary():
    """Builds buildtrail in release mode; returns the binary's path."""
    subprocess.run(["swift", "build", "-c", "release", "--product", "buildtrail"], cwd=ROOT, check=True,
                   stdout=subprocess.DEVNULL)
    return os.path.join(ROOT, ".build", "release", "buildtrail")


def generate_log(work, lines):
    """Writes the benchmark log (genlog.py, seed 7) into work; returns its path and size in MB."""
    log = os.path.join(work, "big.log")
    with open(log, "w") as out:
        subprocess.run([sys.executable, os.path.join(SHARED, "genlog.py"), "--stages", "4", "--steps", "12",
                        "--lines", str(lines), "--seed", "7"], stdout=out, check=True)
    return log, os.path.getsize(log) / 1e6


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", help="use this buildtrail binary instead of building one")
    a = ap.parse_args()
    binary = a.binary or release_binary()
    work = tempfile.mkdtemp(prefix="buildtrail-bench-")
    log, size = generate_log(work, a.lines)
    repo = os.path.join(work, "repo")
    os.makedirs(repo)
    for name, text in [("Dockerfile", "FROM python:3.12\nCOPY uv.lock .\nRUN uv sync\nCOPY . /app\n"),
                       (".dockerignore", ".git\n.venv/\n"), ("uv.lock", "version = 1\n")]:
        with open(os.path.join(repo, name), "w") as f:
            f.write(text)
    for args in (["init", "-q", "-b", "main"], ["add", "-A"],
                 ["-c", "user.name=b", "-c", "user.email=b@b", "commit", "-q", "-m", "bench"]):
        subprocess.run(["git", "-C", repo] + args, check=True)
    results = {"peer_ingest.py": [], "buildtrail record": [], "buildtrail record, with metadata": []}
    for run in range(a.runs):
        for name in results:
            db = os.path.join(work, f"{name.replace(' ', '-').replace(',', '')}-{run}.db")
            if name == "peer_ingest.py":
                cmd = [sys.executable, os.path.join(SHARED, "peer_ingest.py"), log, db]
            elif name == "buildtrail record":
                cmd = [binary, "record", log, "--db", db, "--no-metadata"]
            else:
                cmd = [binary, "record", log, "--db", db]
            results[name].append(measure(cmd, cwd=repo if "metadata" in name else None))
    peer = statistics.median(s for s, _ in results["peer_ingest.py"])
    ours = statistics.median(s for s, _ in results["buildtrail record"])
    full = statistics.median(s for s, _ in results["buildtrail record, with metadata"])
    print(f"log: {size:.1f} MB, {a.lines} output lines; median of {a.runs} runs; {os.cpu_count()} cores\n")
    print("| ingester | median wall time | peak RSS |")
    print("| --- | ---: | ---: |")
    for name, runs in results.items():
        print(f"| {name} | {statistics.median(s for s, _ in runs):.2f} s | {max(m for _, m in runs):.1f} MB |")
    print(f"\nbuildtrail is {peer / ours:.1f}x faster than the peer ingester ({peer / full:.1f}x with metadata)")


if __name__ == "__main__":
    main()
