#!/usr/bin/env python3
"""Storage benchmark: bytes a build takes in the history against its own log compressed with gzip -9.

  Benchmarks/storage.py [--binary .build/release/buildtrail] [--breakdown]

Records every real log of ../shared/corpus and every log fixture of Tests/BuildLogTests/Fixtures into
a new history, one `buildtrail record --no-metadata` each, and measures after each log the bytes the
history uses (SQLite's dbstat: page bytes minus unused bytes, so free space and half-empty pages of an
empty schema do not count). A log's cost is the growth it caused; its reference is `gzip -9` of that
log on its own. Prints a Markdown table per log and the totals; exits 1 when a log costs more than its
gzip -9 (the issue's target). --breakdown prints the bytes per table and index at the end.
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


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "buildtrail"))
    ap.add_argument("--breakdown", action="store_true")
    args = ap.parse_args()
    if not os.path.exists(args.binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "buildtrail"], cwd=ROOT, check=True)
    logs = sorted(glob.glob(os.path.join(CORPUS, "*.log"))) + sorted(
        glob.glob(os.path.join(ROOT, "Tests", "BuildLogTests", "Fixtures", "*.log")))
    if not logs:
        sys.exit("no logs found: ../shared/corpus is missing")
    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "history.db")
        subprocess.run([args.binary, "builds", "--db", db], check=True, stdout=subprocess.DEVNULL)
        before = used_bytes(db)
        rows, total_db, total_gz, over = [], 0, 0, 0
        for log in logs:
            with open(log, "rb") as f:
                data = f.read()
            gz = len(gzip.compress(data, compresslevel=9))
            r = subprocess.run([args.binary, "record", "--no-metadata", "--db", db, log],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            if r.returncode != 0:
                continue
            after = used_bytes(db)
            cost = after - before
            before = after
            total_db += cost
            total_gz += gz
            over += cost > gz
            rows.append((os.path.basename(log), len(data), gz, cost))
        print("| log | bytes | gzip -9 | in history | ratio |")
        print("| --- | ---: | ---: | ---: | ---: |")
        for name, size, gz, cost in rows:
            print(f"| {name} | {size} | {gz} | {cost} | {cost / gz:.2f} |")
        print(f"| **all {len(rows)} logs** | | {total_gz} | {total_db} | {total_db / total_gz:.2f} |")
        print(f"\n{over} of {len(rows)} logs cost more than their gzip -9")
        if args.breakdown:
            print("\n| table or index | bytes |\n| --- | ---: |")
            for name, size in breakdown(db):
                print(f"| {name} | {size} |")
        sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
