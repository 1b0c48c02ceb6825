#!/usr/bin/env python3
"""Crash test: `kill -9` at random moments of large ingests never damages the history.

  Benchmarks/crash.py [--kills 100] [--lines 400000] [--seed 1] [--binary .build/release/buildtrail]

Writes a synthetic log with ../shared/bench/genlog.py (--stages 4 --steps 12, deterministic), then
rounds until KILLS kills have landed during an ingest (at most 3 x KILLS rounds): each starts
`buildtrail record` on a variant of it (alternately as a file and on standard input), sends SIGKILL
after a random delay drawn (seeded) from 0 to 1.1 times the time an uninterrupted ingest takes, and
checks the history after each round:
  - `PRAGMA integrity_check` is ok;
  - no partial build: every build has its record, and the newest reads back (`show --format json`)
    with all its steps;
  - the builds are exactly those whose record had finished before the kill, or that one more;
  - the next `record` works (the next round's, and a final one without a kill).
Prints one line of figures for the README; exits 1 on the first failure, naming the round and seed.
"""
import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GENLOG = os.path.join(os.path.dirname(ROOT), "shared", "bench", "genlog.py")


def record(binary, db, log, stdin, wait=True):
    args = [binary, "record", "--no-metadata", "--db", db, "-" if stdin else log]
    source = open(log, "rb") if stdin else subprocess.DEVNULL
    p = subprocess.Popen(args, stdin=source, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    if stdin:
        source.close()
    if wait:
        _, err = p.communicate()
        if p.returncode != 0:
            sys.exit(f"record failed: {err.decode().strip()}")
    return p


def shown_steps(binary, db, build):
    r = subprocess.run([binary, "show", str(build), "--db", db, "--format", "json"], capture_output=True)
    if r.returncode != 0:
        return None
    return len(json.loads(r.stdout)["build"]["steps"])


def check(binary, db, steps_per_build, round_, seed):
    c = sqlite3.connect(db)
    try:
        ok = c.execute("PRAGMA integrity_check").fetchone()[0]
        if ok != "ok":
            sys.exit(f"round {round_} (seed {seed}): integrity_check says {ok}")
        rows = c.execute(
            "SELECT b.id, (SELECT count(*) FROM build_record r WHERE r.build_id = b.id) FROM build b"
            " ORDER BY b.id").fetchall()
    finally:
        c.close()
    for build, records in rows:
        if records != 1:
            sys.exit(f"round {round_} (seed {seed}): build {build} is partial: {records} records")
    if rows:
        steps = shown_steps(binary, db, rows[-1][0])
        if steps != steps_per_build:
            sys.exit(f"round {round_} (seed {seed}): build {rows[-1][0]} is partial: {steps} steps")
    return len(rows)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--lines", type=int, default=400_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--binary", default=os.path.join(ROOT, ".build", "release", "buildtrail"))
    args = ap.parse_args()
    binary = os.path.abspath(args.binary)
    if not os.path.exists(binary):
        subprocess.run(["swift", "build", "-c", "release", "--product", "buildtrail"], cwd=ROOT, check=True)
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory() as tmp:
        base = os.path.join(tmp, "base.log")
        with open(base, "wb") as f:
            subprocess.run([sys.executable, GENLOG, "--stages", "4", "--steps", "12", "--lines", str(args.lines),
                            "--seed", "7"], stdout=f, check=True)
        db = os.path.join(tmp, "history.db")
        probe = os.path.join(tmp, "probe.log")
        with open(base, "rb") as src, open(probe, "wb") as dst:
            dst.write(src.read() + b"# probe\n")
        start = time.perf_counter()
        record(binary, db, probe, stdin=False)
        ingest = time.perf_counter() - start
        steps_per_build = shown_steps(binary, db, 1)
        expected = 1
        killed_mid_ingest = 0
        log = os.path.join(tmp, "variant.log")
        rounds = 0
        for round_ in range(1, 3 * args.kills + 1):
            if killed_mid_ingest == args.kills:
                break
            rounds = round_
            with open(base, "rb") as src, open(log, "wb") as dst:
                dst.write(src.read() + f"# variant {round_}\n".encode())
            stdin = round_ % 2 == 0
            delay = rng.uniform(0, 1.1 * ingest)
            p = record(binary, db, log, stdin, wait=False)
            time.sleep(delay)
            finished = p.poll() is not None
            if not finished:
                p.send_signal(signal.SIGKILL)
                killed_mid_ingest += 1
            p.wait()
            builds = check(binary, db, steps_per_build, round_, args.seed)
            if builds not in (expected, expected + 1) or (finished and p.returncode == 0 and builds != expected + 1):
                sys.exit(f"round {round_} (seed {args.seed}): {builds} builds, expected {expected} or one more")
            expected = builds
        with open(base, "rb") as src, open(log, "wb") as dst:
            dst.write(src.read() + b"# final\n")
        record(binary, db, log, stdin=False)
        builds = check(binary, db, steps_per_build, "final", args.seed)
        if builds != expected + 1:
            sys.exit(f"final record (seed {args.seed}): {builds} builds, expected {expected + 1}")
        size = os.path.getsize(base) / 1e6
        print(f"{rounds} rounds (seed {args.seed}, {size:.1f} MB log, ingest {ingest:.2f} s): "
              f"{killed_mid_ingest} kill -9 during an ingest, {rounds - killed_mid_ingest} records had finished; "
              f"integrity_check ok and no partial build after every round; {builds} builds; the final record worked")


if __name__ == "__main__":
    main()
