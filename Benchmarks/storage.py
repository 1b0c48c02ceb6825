#!/usr/bin/env python3
"""Storage benchmark: bytes a build takes in the history against its own log compressed with gzip -9.

  Benchmarks/storage.py [--binary .build/release/buildtrail] [--breakdown] [--keep DIR]

Two histories, each new:
- "corpus": every real log of ../shared/corpus and the real-BuildKit fixtures of Tests/BuildLogTests/Fixtures,
  one `buildtrail record --no-metadata` each. Most come from different projects, so each pays for its
  step names once: the worst case for a history.
- "uv scenario": the ten builds of the uv backend (Tests/BuildLogTests/Fixtures/uv-history, printed by
  real BuildKit), each recorded after its commit with full metadata (`record LOG --context .`: git,
  Dockerfile, .dockerignore, uv.lock and pyproject.toml snapshots, the context's file list), as a CI would.
After each log it measures the bytes the history uses (SQLite's dbstat: page bytes minus unused bytes,
so free space and the empty schema do not count). A build's cost is the growth it caused; its reference
is `gzip -9` of its log on its own. Prints a Markdown table per history with totals.
--breakdown prints the bytes per table and index.
"""
import argparse
import glob
import gzip
import os
import sqlite3
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")


def used_bytes(db):
    with sqlite3.connect(db) as c:
        return c.execute("SELECT coalesce(sum(pgsize - unused), 0) FROM dbstat").fetchone()[0]


def breakdown(db):
    with sqlite3.connect(db) as c:
        return c.execute(
            "SELECT name, sum(pgsize - unused) FROM dbstat GROUP BY name ORDER BY 2 DESC").fetchall()


def record_all(binary, db, runs, breakdown_wanted):
    """runs: (name, log path, extra args, cwd, before callable). Returns table rows."""
    subprocess.run([binary, "builds", "--db", db], check=True, stdout=subprocess.DEVNULL)
    before = used_bytes(db)
    rows = []
    for name, log, extra, cwd, prepare in runs:
        if prepare:
            prepare()
        with open(log, "rb") as f:
            data = f.read()
        gz = len(gzip.compress(data, compresslevel=9))
        r = subprocess.run([binary, "record", log, "--db", db] + extra, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        if r.returncode != 0:
            print(f"skipped {name}: {r.stderr.decode().strip()}", file=sys.stderr)
            continue
        after = used_bytes(db)
        rows.append((name, len(data), gz, after - before))
        before = after
    return rows


def print_table(title, rows):
    total_gz = sum(r[2] for r in rows)
    total_db = sum(r[3] for r in rows)
    over = sum(1 for r in rows if r[3] > r[2])
    print(f"\n### {title}\n")
    print("| log | bytes | gzip -9 | in history | ratio |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, size, gz, cost in rows:
        print(f"| {name} | {size} | {gz} | {cost} | {cost / gz:.2f} |")
    print(f"| **all {len(rows)} builds** | | {total_gz} | {total_db} | {total_db / total_gz:.2f} |")
    print(f"\n{over} of {len(rows)} builds cost more than their log's gzip -9; "
          f"{total_db / len(rows):.0f} bytes per build against {total_gz / len(rows):.0f}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "buildtrail"))
    ap.add_argument("--breakdown", action="store_true")
    ap.add_argument("--keep", metavar="DIR", help="write the two histories to DIR instead of a temporary folder")
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "buildtrail"], cwd=ROOT, check=True)
    fixtures = os.path.join(ROOT, "Tests", "BuildLogTests", "Fixtures")
    logs = sorted(glob.glob(os.path.join(CORPUS, "*.log"))) + sorted(glob.glob(os.path.join(fixtures, "*.log")))
    if not glob.glob(os.path.join(CORPUS, "*.log")):
        sys.exit("no logs found: ../shared/corpus is missing")
    with tempfile.TemporaryDirectory() as scratch:
        tmp = os.path.abspath(args.keep) if args.keep else scratch
        os.makedirs(tmp, exist_ok=True)
        db = os.path.join(tmp, "corpus.db")
        runs = [(os.path.basename(l), l, ["--no-metadata"], None, None) for l in logs]
        print_table("corpus, one build per log, no metadata", record_all(binary, db, runs, args.breakdown))
        if args.breakdown:
            print("\n| table or index | bytes |\n| --- | ---: |")
            for name, size in breakdown(db):
                print(f"| {name} | {size} |")

        script = os.path.join(ROOT, "Tests", "Scenarios", "uv-history.sh")
        project = os.path.join(tmp, "backend")
        subprocess.run(["bash", script, "init", project], check=True, stdout=subprocess.DEVNULL)
        uv_logs = sorted(glob.glob(os.path.join(fixtures, "uv-history", "*.log")))
        runs = []
        for log in uv_logs:
            step = os.path.basename(log)[3:-4]
            prepare = None if step == "initial" else (
                lambda step=step: subprocess.run(["bash", script, "apply", project, step], check=True,
                                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
            runs.append((os.path.basename(log), log, ["--context", "."], project, prepare))
        db = os.path.join(tmp, "uv.db")
        print_table("uv scenario, with metadata", record_all(binary, db, runs, args.breakdown))
        if args.breakdown:
            print("\n| table or index | bytes |\n| --- | ---: |")
            for name, size in breakdown(db):
                print(f"| {name} | {size} |")


if __name__ == "__main__":
    main()
