#!/usr/bin/env python3
"""Load benchmark: concurrent uploaders send builds of the corpus logs to one `buildtrail serve`.

  Benchmarks/upload_load.py [--uploaders 16] [--builds 50] [--seed 1] [--no-build | --binary PATH]

Builds buildtrail in release mode (unless --no-build), picks the corpus logs
(../shared/corpus/*.log) that `record` reads as exactly one build, and starts
`buildtrail serve --listen 127.0.0.1:0 --max-concurrent-uploads UPLOADERS` on a fresh database
(loopback only). Then UPLOADERS threads each send BUILDS uploads (POST /api/v1/builds,
multipart: metadata + log) one after another. Each upload is a corpus log (chosen with the seed)
with one line of its own appended, so every upload is a new build: the run must end with exactly
UPLOADERS x BUILDS builds and no answer other than 201. A 503 (all upload slots busy) is retried
after its Retry-After and counted apart. Reports upload latency p50/p99 (request sent to answer
read), builds per second over the whole run, and the count check. Bounded: at most
UPLOADERS x BUILDS uploads, each with a 120 s timeout; the server is stopped at the end.
"""
import argparse
import glob
import http.client
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from ingest import ROOT, release_binary
from upload_rss import start_server

CORPUS = os.path.join(os.path.dirname(ROOT), "shared", "corpus")


def single_build_logs(binary, work):
    """The corpus logs that record reads as exactly one build."""
    chosen = []
    for path in sorted(glob.glob(os.path.join(CORPUS, "*.log"))):
        db = os.path.join(work, "probe.db")
        done = subprocess.run([binary, "record", path, "--db", db, "--no-metadata",
                               "--format", "json"], capture_output=True, text=True)
        if done.returncode == 0 and len(json.loads(done.stdout)["builds"]) == 1:
            with open(path, "rb") as log:
                chosen.append((os.path.basename(path), log.read()))
        if os.path.exists(db):
            os.remove(db)
    return chosen


def body(name, log, tag, boundary):
    metadata = json.dumps({
        "version": 1, "logName": name, "recordedAt": "2026-12-06T00:00:00.000Z",
        "metadata": {"labels": {"bench": "load"}, "inputs": [], "daemonImageIDs": {},
                     "buildArguments": [], "services": {}}}).encode()
    head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"metadata\"\r\n"
            f"Content-Type: application/json\r\n\r\n").encode() + metadata + (
            f"\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"log\"; filename=\"log\"\r\n"
            f"Content-Type: application/octet-stream\r\n\r\n").encode()
    unique = log if log.endswith(b"\n") else log + b"\n"
    return head + unique + f"buildtrail load benchmark upload {tag}\n".encode() + \
        f"\r\n--{boundary}--\r\n".encode()


def uploader(port, index, count, logs, seed, latencies, failures, busy):
    rng = random.Random(seed * 1000 + index)
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    for n in range(count):
        name, log = rng.choice(logs)
        boundary = f"load{index}x{n}x{rng.getrandbits(64):x}"
        payload = body(name, log, f"{index}-{n}", boundary)
        while True:
            start = time.perf_counter()
            try:
                connection.request("POST", "/api/v1/builds", payload, {
                    "Content-Type": f"multipart/form-data; boundary={boundary}"})
                reply = connection.getresponse()
                answer = reply.read()
            except (OSError, http.client.HTTPException) as error:
                failures.append(f"uploader {index} upload {n}: {error}")
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                break
            elapsed = time.perf_counter() - start
            if reply.status == 503:
                busy.append(1)
                time.sleep(float(reply.getheader("Retry-After", "1")))
                continue
            if reply.status != 201:
                failures.append(f"uploader {index} upload {n}: {reply.status} {answer[:200]!r}")
            else:
                latencies.append(elapsed)
            break
    connection.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--uploaders", type=int, default=16)
    ap.add_argument("--builds", type=int, default=50)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-build", action="store_true", help="use the release binary as it is")
    ap.add_argument("--binary", help="use this buildtrail binary (no build)")
    a = ap.parse_args()
    binary = a.binary or (os.path.join(ROOT, ".build", "release", "buildtrail") if a.no_build
                          else release_binary())
    work = tempfile.mkdtemp(prefix="buildtrail-load-bench-")
    logs = single_build_logs(binary, work)
    if not logs:
        sys.exit(f"no corpus log in {CORPUS} records as one build")
    db = os.path.join(work, "history.db")
    server, port = start_server(binary, db, ["--max-concurrent-uploads", str(a.uploaders)])
    latencies, failures, busy = [], [], []
    try:
        threads = [threading.Thread(target=uploader, args=(
            port, i, a.builds, logs, a.seed, latencies, failures, busy))
            for i in range(a.uploaders)]
        start = time.perf_counter()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=60)
    listed = subprocess.run([binary, "builds", "--db", db, "--format", "json", "--limit",
                             "100000"], capture_output=True, text=True, check=True)
    recorded = len(json.loads(listed.stdout)["builds"])
    expected = a.uploaders * a.builds
    latencies.sort()
    p = lambda q: latencies[min(len(latencies) - 1, int(q * len(latencies)))] * 1000
    print(f"seed {a.seed}; {len(logs)} corpus logs; {a.uploaders} uploaders x {a.builds} builds; "
          f"{os.cpu_count()} cores, loopback\n")
    print("| uploads | errors | 503 retries | p50 latency | p99 latency | builds/s | builds recorded |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    print(f"| {expected} | {len(failures)} | {len(busy)} | {p(0.5):.0f} ms | {p(0.99):.0f} ms | "
          f"{len(latencies) / wall:.1f} | {recorded} |")
    for failure in failures[:10]:
        print("error:", failure)
    if failures or recorded != expected:
        sys.exit(f"FAILED: {recorded} builds recorded of {expected}, {len(failures)} errors")
    print(f"\nexactly {expected} builds, no error")


if __name__ == "__main__":
    main()
