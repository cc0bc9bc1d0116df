#!/usr/bin/env python3
"""Sustained UDP ingest benchmark (issue 4, item 9): simulated drones -> loopback UDP -> `furrow serve`.

For each offered rate it starts a fresh daemon (release build, its own data folder), runs `furrow simulate`
with rate/50 drones (one UDP socket per drone, ~50 messages/s each, paced), waits for the daemon to drain,
and reads what happened from the daemon's /metrics and the kernel:

- received: frames the daemon decoded (furrow_frames_total) against frames the simulator sent;
- drops: bursts the pipeline queue refused, and datagrams the kernel dropped on the socket (/proc/net/udp);
- CPU: the daemon's user+system CPU seconds per second of load, and per 1,000 messages/s;
- memory: the daemon's peak RSS (VmHWM).

The highest rate with zero loss is the figure the README quotes. Both programs share the machine's 2 cores
(the simulator's own CPU is reported too).

    python3 Benchmarks/harness/ingest.py [--rates 50000,100000,200000] [--seconds 10] [--build]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from common import BIN, REPO, free_port, kernel_drops, metrics  # noqa: E402






def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def peak_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")




def run_rate(rate: int, seconds: int, drones_per: int, profile: str) -> dict:
    data = Path(tempfile.mkdtemp(prefix="furrow-ingest-bench-"))
    udp, http = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    log = open(data / "serve.log", "wb")
    daemon = subprocess.Popen(
        [str(BIN), "serve", "--data-dir", str(data), "--udp", f"127.0.0.1:{udp}", "--http", f"127.0.0.1:{http}",
         "--profile", profile],
        stdout=subprocess.DEVNULL, stderr=log, cwd=REPO)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        link = f'link="udp{udp}"'
        drones = max(1, rate // drones_per)
        # Warm-up: the same fleet (same seed, same MAVLink ids) for a few seconds, so the measured run is the
        # steady state, not the daemon meeting thousands of new senders and creating their series.
        subprocess.run(
            [str(BIN), "simulate", "--drones", str(drones), "--udp", f"127.0.0.1:{udp}", "--socket-per-drone",
             "--rate", str(min(rate, 50000)), "--duration", "3"], capture_output=True, text=True, check=True)
        time.sleep(2)
        # On a loaded machine the daemon may still be decoding the warm-up: wait until it has caught up (at most
        # 60 s), or frames of the warm-up would be counted as received in the measured run.
        for _ in range(120):
            m = metrics(http)
            if m.get(f"furrow_frames_total{{{link}}}", 0.0) >= m.get(
                    f"furrow_transport_receive_datagrams_total{{{link}}}", 0.0):
                break
            time.sleep(0.5)
        m = metrics(http)
        warm = m.get(f"furrow_frames_total{{{link}}}", 0.0)
        warm_datagrams = m.get(f"furrow_transport_receive_datagrams_total{{{link}}}", 0.0)
        cpu0 = cpu_seconds(daemon.pid)
        started = time.time()
        sim = subprocess.run(
            [str(BIN), "simulate", "--drones", str(drones), "--udp", f"127.0.0.1:{udp}", "--socket-per-drone",
             "--rate", str(rate), "--duration", str(seconds)],
            capture_output=True, text=True)
        if sim.returncode != 0:
            raise SystemExit(f"furrow simulate failed: {sim.stderr}")
        sent_match = re.search(r"(\d+) datagrams sent", sim.stderr)
        sent = int(sent_match.group(1)) if sent_match else -1
        # Wait until the daemon has decoded every datagram it received (or made no progress for 20 s).
        last, stable = -1.0, 0
        while stable < 40:
            time.sleep(0.5)
            m = metrics(http)
            frames = m.get(f"furrow_frames_total{{{link}}}", 0.0)
            if frames - warm >= m.get(f"furrow_transport_receive_datagrams_total{{{link}}}", 0.0) - warm_datagrams:
                break
            stable = stable + 1 if frames == last else 0
            last = frames
        drained_after = time.time() - started
        wall = time.time() - started
        sent_seconds = float(re.search(r"in ([0-9.]+) s", sim.stderr).group(1))
        cpu = cpu_seconds(daemon.pid) - cpu0
        m = metrics(http)
        result = {
            "offered_rate": rate, "drones": drones, "seconds": seconds, "sent": sent,
            "received": int(m.get(f"furrow_frames_total{{{link}}}", 0) - warm),
            "datagrams": int(m.get(f"furrow_transport_receive_datagrams_total{{{link}}}", 0) - warm_datagrams),
            "queue_dropped_bursts": int(m.get(f"furrow_transport_dropped_bursts_total{{{link}}}", 0)),
            "kernel_drops": kernel_drops(udp),
            "drained_after_s": round(drained_after, 1),
            "daemon_cpu_s": round(cpu, 2),
            "achieved_rate": round(sent / sent_seconds) if sent > 0 else 0,
            "daemon_cpu_per_1000_msgs_s": round(cpu / sent_seconds / (sent / sent_seconds / 1000), 5) if sent > 0 else None,
            "daemon_peak_rss_mib": round(peak_rss_mib(daemon.pid), 1),
            "simulator": sim.stderr.strip().splitlines()[-1] if sim.stderr.strip() else "",
        }
        result["lost"] = result["sent"] - result["received"]
        daemon.send_signal(signal.SIGTERM)
        daemon.wait(timeout=120)
        result["db_bytes"] = sum(f.stat().st_size for f in data.glob("furrow.sqlite*"))
        return result
    finally:
        if daemon.poll() is None:
            daemon.kill()
        log.close()
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rates", default="25000,50000,100000,150000,200000,250000")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--messages-per-drone", type=int, default=50)
    ap.add_argument("--profile", default="ardupilot-sprayer", help="device profile of the UDP link")
    ap.add_argument("--build", action="store_true", help="swift build -c release first")
    args = ap.parse_args()
    if args.build or not BIN.exists():
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    results = []
    for rate in (int(r) for r in args.rates.split(",")):
        r = run_rate(rate, args.seconds, args.messages_per_drone, args.profile)
        results.append(r)
        print(json.dumps(r), flush=True)
    zero = [r["achieved_rate"] for r in results if r["lost"] == 0 and r["sent"] > 0]
    print(f"highest achieved rate with zero loss: {max(zero) if zero else 'none'} messages/s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
