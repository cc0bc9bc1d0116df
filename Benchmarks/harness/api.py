#!/usr/bin/env python3
"""API latency under load (issue 6, item 7): a 1-day bucketed query of a 50 Hz channel, with ingest running.

1. Imports one day of a 50 Hz channel (4.32 M rows, `ATTITUDE.roll` of source `drone-1`, project `bench`) into
   a fresh store with `furrow import`, as a live daemon would have written it over a day.
2. Starts `furrow serve` (release build) on that store.
3. Runs an open-loop load: requests are scheduled at a fixed rate (default 200/s) and each latency is measured
   from its scheduled start, so a slow answer delays the ones behind it and shows in the percentiles (no
   coordinated omission). 16 keep-alive connections. The query: `series/data?series=…&from=<day start>&to=<day
   end>&bucket=1m` (1,440 buckets of count/mean/min/max/sum/first/last). The client (`--client`) is
   `http_load.c` by default (compiled with cc at each run): one thread, epoll, non-blocking sockets, so the
   load client takes little of the shared cores and adds little scheduling delay of its own to what it
   measures; `--client python` runs `load()` below instead (16 threads with http.client, same semantics and
   output). Each result carries the client's own CPU seconds (`client_cpu_s`).
4. Twice: the API alone, then while 1,000 simulated drones send 50,000 MAVLink messages/s to the same daemon
   (by default `udp_fleet.c` replaying the fleet's frames from a socket per drone; `--sender simulate` runs
   `furrow simulate`, which costs the shared cores several times more); reports p50/p90/p99/max, errors,
   and what the daemon ingested meanwhile (frames vs sent, drops).

    python3 Benchmarks/harness/api.py [--rate 200] [--seconds 30] [--ingest-rate 50000] [--client c|python] [--build]

Everything shares this machine's 2 cores: the daemon, the UDP sender and the load client.
"""
from __future__ import annotations

import argparse
import http.client
import json
import math
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import BIN, REPO, build_fleet_sender, build_http_load, cpu_seconds, fleet_tlog, free_port, metrics  # noqa: E402
OPERATOR = "bench-operator-token-0123456789"






def write_day(path: Path, start_us: int) -> None:
    """One day at 50 Hz (20 ms) of a slowly wandering roll angle, 4 decimals, as line protocol (µs)."""
    rng = random.Random(1)
    roll = 0.0
    rows = 86_400 * 50
    with open(path, "w") as f:
        lines = []
        for i in range(rows):
            roll = max(-0.6, min(0.6, roll + rng.gauss(0, 0.002)))
            jitter = rng.randint(0, 600)  # receive-time jitter, inside the day
            lines.append(f"ATTITUDE,source=drone-1 roll={roll:.4f} {start_us + i * 20_000 + jitter}\n")
            if len(lines) == 100_000:
                f.writelines(lines)
                lines.clear()
        f.writelines(lines)


def cpu_per_request(pid: int, port: int, path: str, token: str, count: int) -> float:
    """The daemon's CPU time per request (ms) over `count` requests sent one after another on one
    connection: what a request costs, which the machine's load changes far less than it changes latency."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    before = cpu_seconds(pid)
    for _ in range(count):
        conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
        response = conn.getresponse()
        assert response.status == 200 and response.read()
    spent = cpu_seconds(pid) - before
    conn.close()
    return spent * 1000 / count


def percentile(sorted_values: list[float], p: float) -> float:
    if not sorted_values:
        return math.nan
    k = (len(sorted_values) - 1) * p / 100
    lo = math.floor(k)
    hi = min(lo + 1, len(sorted_values) - 1)
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * (k - lo)


def load(port: int, path: str, token: str, rate: float, seconds: float, connections: int = 16) -> dict:
    """Open-loop load: request i is due at t0 + i/rate; latency counts from when it was due."""
    total = int(rate * seconds)
    lock = threading.Lock()
    state = {"next": 0}
    latencies: list[float] = []
    service: list[float] = []
    errors: dict[str, int] = {}
    t0 = time.perf_counter() + 0.5

    def worker() -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if i >= total:
                break
            due = t0 + i / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            began = time.perf_counter()
            try:
                conn.request("GET", path, headers={"Authorization": f"Bearer {token}"})
                response = conn.getresponse()
                body = response.read()
                status = response.status
            except (OSError, http.client.HTTPException) as e:
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                status, body = f"error {type(e).__name__}", b""
            done = time.perf_counter()
            with lock:
                if status == 200 and body:
                    latencies.append((done - due) * 1000)
                    service.append((done - began) * 1000)
                else:
                    errors[str(status)] = errors.get(str(status), 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(connections)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - t0
    latencies.sort()
    service.sort()
    return {
        "requests": total, "ok": len(latencies), "errors": errors, "achieved_per_s": round(len(latencies) / elapsed, 1),
        "p50_ms": round(percentile(latencies, 50), 2), "p90_ms": round(percentile(latencies, 90), 2),
        "p99_ms": round(percentile(latencies, 99), 2), "max_ms": round(latencies[-1], 2) if latencies else None,
        "service_p50_ms": round(percentile(service, 50), 2), "service_p99_ms": round(percentile(service, 99), 2),
    }


def run_load(client: Path | None, port: int, path: str, token: str, rate: float, seconds: float) -> dict:
    """`load()`'s figures plus `client_cpu_s`, from `http_load` (client) or, if client is None, from `load()`
    (its CPU: this process's time.process_time() delta around it)."""
    if client is None:
        before = time.process_time()
        result = load(port, path, token, rate, seconds)
        result["client_cpu_s"] = round(time.process_time() - before, 3)
        return result
    run = subprocess.run([str(client), "127.0.0.1", str(port), path, token, str(rate), str(seconds)],
                         capture_output=True, text=True, timeout=seconds + 120)
    if run.returncode != 0:
        raise RuntimeError(f"http_load failed ({run.returncode}): {run.stderr.strip()}")
    return json.loads(run.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rate", type=float, default=200)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--ingest-rate", type=int, default=50_000)
    parser.add_argument("--bucket", default="1m")
    parser.add_argument("--ingest-niceness", type=int, default=None,
                        help="the daemon's ingest_niceness (default: the daemon's default, 0)")
    parser.add_argument("--query", default="", help="extra query parameters, e.g. '&time=ms'")
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--sender", choices=["fleet", "simulate"], default="fleet",
                        help="ingest load: udp_fleet.c replaying the fleet's .tlog (default) or furrow simulate")
    parser.add_argument("--client", choices=["c", "python"], default="c",
                        help="load client: http_load.c, one epoll thread (default), or load() in this process")
    parser.add_argument("--cpu-requests", type=int, default=1000,
                        help="first measure the daemon's CPU per request over this many sequential requests (0: skip)")
    parser.add_argument("--cpu-only", action="store_true", help="only the CPU-per-request measurement")
    parser.add_argument("--bin", type=Path, default=None, help="the furrow binary (default: the release build)")
    parser.add_argument("--keep", action="store_true", help="keep the data folder (reuse it with --data)")
    parser.add_argument("--data", type=Path, help="a data folder kept by an earlier run (skips the import)")
    args = parser.parse_args()
    global BIN
    BIN = args.bin or BIN
    if args.build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)

    rows = 86_400 * 50
    if args.data:
        data = args.data
        day_start = int((data / "day_start").read_text())
        args.keep = True
    else:
        data = Path(tempfile.mkdtemp(prefix="furrow-api-bench-"))
        day_start = (int(time.time()) // 86_400 - 1) * 86_400 * 1_000_000  # yesterday, 00:00 UTC
        (data / "day_start").write_text(str(day_start))
        lp = data / "day.lp"
        t = time.time()
        write_day(lp, day_start)
        subprocess.run([str(BIN), "import", str(lp), "--db", str(data / "furrow.sqlite"), "--project", "bench",
                        "--precision", "us", "--source-tag", "source"], check=True, capture_output=True)
        lp.unlink()
        print(f"store: {rows:,} rows of ATTITUDE.roll imported in {time.time() - t:.1f} s "
              f"({(data / 'furrow.sqlite').stat().st_size / rows:.2f} B/row in the file)")

    tools = data / "tools"
    tools.mkdir(exist_ok=True)
    client = build_http_load(tools) if args.client == "c" else None
    udp, port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    config = data / "furrow.toml"
    niceness = "" if args.ingest_niceness is None else f"ingest_niceness = {args.ingest_niceness}\n"
    config.write_text(f'project = "bench"\n{niceness}[http]\nrequests_per_second = 0\n[[udp]]\nname = "fleet"\n'
                      f'listen = "127.0.0.1:{udp}"\n')
    log = open(data / "serve.log", "wb")
    env = dict(os.environ, FURROW_OPERATOR_TOKEN=OPERATOR)
    daemon = subprocess.Popen([str(BIN), "serve", "--config", str(config), "--data-dir", str(data),
                               "--http", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=log, env=env)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/projects/bench/tokens", data=json.dumps({"role": "reader"}).encode(),
            method="POST", headers={"Authorization": f"Bearer {OPERATOR}"})
        token = json.load(urllib.request.urlopen(request))["secret"]
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/v1/projects/bench/series?group=ATTITUDE&channel=roll",
            headers={"Authorization": f"Bearer {token}"})
        series = json.load(urllib.request.urlopen(request))["series"][0]["id"]
        from_ms, to_ms = day_start // 1000, day_start // 1000 + 86_400_000
        path = (f"/v1/projects/bench/series/data?series={series}&from={from_ms}&to={to_ms}&bucket={args.bucket}"
                f"{args.query}")
        check = json.loads(urllib.request.urlopen(urllib.request.Request(
            f"http://127.0.0.1:{port}{path}", headers={"Authorization": f"Bearer {token}"})).read())
        counts = check["series"][0]["buckets"]["count"]
        assert sum(counts) == rows, (sum(counts), rows)
        print(f"query: {path}\n  answer: {len(counts)} buckets, {sum(counts):,} rows counted")

        run_load(client, port, path, token, args.rate, 3)  # warm-up
        if args.cpu_requests:
            per = [cpu_per_request(daemon.pid, port, path, token, args.cpu_requests) for _ in range(3)]
            print(f"daemon CPU per request ({args.cpu_requests} sequential, 3 rounds, load {os.getloadavg()[0]:.1f}): "
                  + ", ".join(f"{p:.2f} ms" for p in per))
            if args.cpu_only:
                return
        load_before = os.getloadavg()[0]
        alone = run_load(client, port, path, token, args.rate, args.seconds)
        print(f"API alone, {args.rate:.0f} req/s for {args.seconds:.0f} s: {json.dumps(alone)}")
        print(f"  client ({args.client}): {alone['client_cpu_s']:.2f} s CPU; load average {load_before:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after")

        drones = max(1, args.ingest_rate // 50)
        duration = int(args.seconds + 6)
        if args.sender == "fleet":
            # udp_fleet.c replays the fleet's frames (encoded before anything is measured) from a socket per
            # drone: the daemon's work per message is the same, the sender's is a fraction of simulate's.
            sender = build_fleet_sender(tools)
            tlog = fleet_tlog(BIN, tools, drones, duration)

            def start(seconds: float) -> subprocess.Popen:
                return subprocess.Popen([str(sender), str(tlog), "127.0.0.1", str(udp), str(args.ingest_rate),
                                         str(int(args.ingest_rate * seconds))],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        else:
            def start(seconds: float) -> subprocess.Popen:
                return subprocess.Popen([str(BIN), "simulate", "--drones", str(drones), "--udp", f"127.0.0.1:{udp}",
                                         "--socket-per-drone", "--rate", str(args.ingest_rate),
                                         "--duration", str(int(seconds))],
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        start(3).communicate(timeout=120)  # warm-up: the same senders, so the daemon knows them all
        time.sleep(2)
        link = 'link="fleet"'
        before = metrics(port)
        sim = start(duration)
        time.sleep(2)
        load_before = os.getloadavg()[0]
        loaded = run_load(client, port, path, token, args.rate, args.seconds)
        out, err = sim.communicate(timeout=300)
        time.sleep(3)
        after = metrics(port)
        if args.sender == "fleet":
            report = json.loads(out)
            sent, sent_seconds = report["datagrams"], report["seconds"]
        else:
            sent = int(re.search(r"(\d+) datagrams sent", err).group(1))
            sent_seconds = float(re.search(r"in ([0-9.]+) s", err).group(1))
        frames = after.get(f"furrow_frames_total{{{link}}}", 0) - before.get(f"furrow_frames_total{{{link}}}", 0)
        print(f"API with ingest of {sent / sent_seconds:,.0f} msg/s: {json.dumps(loaded)}")
        print(f"  client ({args.client}): {loaded['client_cpu_s']:.2f} s CPU; load average {load_before:.1f} before, "
              f"{os.getloadavg()[0]:.1f} after")
        print(f"  ingest meanwhile: sent {sent:,}, decoded {int(frames):,}, queue drops "
              f"{int(after.get(f'furrow_transport_dropped_bursts_total{{{link}}}', 0))}")
        verdict = "met" if loaded["p99_ms"] < 20 and loaded["achieved_per_s"] >= args.rate * 0.98 else "MISSED"
        print(f"aim p99 < 20 ms at {args.rate:.0f} req/s while ingesting {args.ingest_rate:,} msg/s: {verdict}")
    finally:
        daemon.send_signal(signal.SIGTERM)
        try:
            daemon.wait(timeout=120)
        except subprocess.TimeoutExpired:
            daemon.kill()
        log.close()
        if not args.keep:
            shutil.rmtree(data, ignore_errors=True)
        else:
            print(f"data kept in {data}")


if __name__ == "__main__":
    main()
