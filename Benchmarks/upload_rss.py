#!/usr/bin/env python3
"""Upload benchmark: one 90 MB log sent to `buildtrail serve` with curl, and the server's peak RSS.

  Benchmarks/upload_rss.py [--lines 2000000] [--runs 3] [--binary PATH]

Generates ../shared/bench/genlog.py --stages 4 --steps 12 --lines N --seed 7 (about 90 MB at 2M lines,
the log Benchmarks/ingest.py uses), builds buildtrail in release mode, then RUNS times: starts
`buildtrail serve --listen 127.0.0.1:0` on a fresh database, uploads the log with
`curl -F metadata=@… -F log=@…` (streamed from disk, loopback only), and reads the server's VmHWM
from /proc/PID/status before and after. Reports the median wall time of the upload (body sent,
parsed and stored, 201 read) and the largest peak RSS. Target: under 128 MB.
"""
import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from ingest import ROOT, generate_log, release_binary


def peak_rss_mb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def start_server(binary, db, extra=()):
    """Starts `serve` on a free loopback port; returns the process and its port."""
    server = subprocess.Popen([binary, "serve", "--listen", "127.0.0.1:0", "--db", db, *extra],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        line = server.stderr.readline()
        found = re.search(r"on http://127\.0\.0\.1:(\d+)$", line.strip())
        if found:
            # Keep reading the access log, or the server blocks once the pipe is full.
            threading.Thread(target=lambda: [None for _ in server.stderr], daemon=True).start()
            return server, int(found.group(1))
        if not line and server.poll() is not None:
            break
    server.kill()
    sys.exit("serve did not say where it listens")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--lines", type=int, default=2_000_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--binary", help="measure this buildtrail binary instead of building a release one")
    a = ap.parse_args()
    binary = a.binary or release_binary()
    work = tempfile.mkdtemp(prefix="buildtrail-upload-bench-")
    log, size = generate_log(work, a.lines)
    metadata = os.path.join(work, "metadata.json")
    with open(metadata, "w") as out:
        json.dump({"version": 1, "logName": "big.log", "recordedAt": "2026-12-06T00:00:00.000Z",
                   "metadata": {"labels": {"bench": "upload"}, "inputs": [], "daemonImageIDs": {},
                                "buildArguments": [], "services": {}}}, out)
    times, peaks, idle = [], [], []
    for run in range(a.runs):
        db = os.path.join(work, f"history-{run}.db")
        server, port = start_server(binary, db)
        try:
            idle.append(peak_rss_mb(server.pid))
            start = time.perf_counter()
            reply = subprocess.run(
                ["curl", "-sS", "-H", "Expect:", "-o", "-", "-w", "\n%{http_code}",
                 "-F", f"metadata=@{metadata};type=application/json",
                 "-F", f"log=@{log};type=application/octet-stream",
                 f"http://127.0.0.1:{port}/api/v1/builds"],
                capture_output=True, text=True, check=True)
            times.append(time.perf_counter() - start)
            peaks.append(peak_rss_mb(server.pid))
            status = reply.stdout.rsplit("\n", 1)[-1]
            if status != "201":
                sys.exit(f"upload answered {status}: {reply.stdout}")
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(f"log: {size:.1f} MB, {a.lines} output lines; {a.runs} runs; {os.cpu_count()} cores\n")
    print("| upload | median wall time | server peak RSS (VmHWM) | server RSS before |")
    print("| --- | ---: | ---: | ---: |")
    print(f"| {size:.0f} MB log, curl -F, loopback | {statistics.median(times):.2f} s | "
          f"{max(peaks):.1f} MB | {max(idle):.1f} MB |")
    verdict = "meets" if max(peaks) < 128 else "DOES NOT meet"
    print(f"\nthe server's peak RSS {verdict} the 128 MB target")


if __name__ == "__main__":
    main()
