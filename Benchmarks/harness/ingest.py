#!/usr/bin/env python3
"""Sustained UDP ingest benchmark (issue 4, item 9): simulated drones -> loopback UDP -> `furrow serve`.

For each offered rate it starts a fresh daemon (release build, its own data folder), sends rate/50 drones'
telemetry (one UDP socket per drone, ~50 messages/s each, paced), waits for the daemon to drain, and reads
what happened from the daemon's /metrics and the kernel:

- received: frames the daemon decoded (furrow_frames_total) against frames the simulator sent;
- drops: bursts the pipeline queue refused, and datagrams the kernel dropped on the socket (/proc/net/udp);
- CPU: the daemon's user+system CPU seconds per second of load, and per 1,000 messages/s;
- memory: the daemon's peak RSS (VmHWM) and its RSS sampled every second (`rss_mib`);
- the sender's own CPU (user + system) per 1,000 messages/s, and the load average when the rate started.

The sender (`--sender`):
- `fleet` (default): `udp_fleet.c` (compiled with cc at each run) replays a .tlog that `furrow simulate
  --tlog` wrote for the same fleet (real per-drone MAVLink streams, encoded once, before the run), one
  connected socket per drone, paced in 1 ms ticks; it costs the shared cores only the kernel's send path.
- `simulate`: `furrow simulate --socket-per-drone --rate`, which generates the frames while it sends.

The highest rate with zero loss is the figure the README quotes. Sender and daemon share the machine's 2
cores.

    python3 Benchmarks/harness/ingest.py [--rates 50000,100000,200000] [--seconds 10] [--build]
        [--sender fleet|simulate] [--bin PATH/TO/furrow]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

from common import BIN, REPO, build_fleet_sender, cpu_seconds, fleet_tlog, free_port, kernel_drops, metrics  # noqa: E402



def status_mib(pid: int, field: str) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_rss_mib(pid: int) -> float:
    return status_mib(pid, "VmHWM")


class RSSSampler:
    """The daemon's RSS and its pipeline queue (MiB) once a second from the start of the measured run."""

    def __init__(self, pid: int, http: int) -> None:
        self.pid, self.http, self.samples, self.queue, self.stop = pid, http, [], [], threading.Event()
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self) -> None:
        while not self.stop.wait(1.0):
            try:
                self.samples.append(round(status_mib(self.pid, "VmRSS")))
                self.queue.append(round(metrics(self.http).get("furrow_pipeline_queue_bytes", 0) / 2**20, 1))
            except OSError:
                return

    def finish(self) -> tuple[list[int], list[float]]:
        self.stop.set()
        self.thread.join()
        return self.samples, self.queue


def send(sender: str, tools: Path, tlog: Path | None, drones: int, udp: int, rate: int, seconds: float,
         frames: int | None) -> dict:
    """Sends one paced run; returns datagrams sent, seconds, and the sender's CPU seconds (user, system)."""
    if sender == "fleet":
        limit = frames if frames is not None else int(rate * seconds)
        out = subprocess.run([str(tools / "udp_fleet"), str(tlog), "127.0.0.1", str(udp), str(rate), str(limit)],
                             capture_output=True, text=True)
        if out.returncode != 0:
            raise SystemExit(f"udp_fleet failed: {out.stderr}")
        r = json.loads(out.stdout)
        return {"sent": r["datagrams"], "sent_seconds": r["seconds"], "user_s": r["user_s"], "system_s": r["system_s"],
                "line": out.stdout.strip()}
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    sim = subprocess.run(
        [str(BIN), "simulate", "--drones", str(drones), "--udp", f"127.0.0.1:{udp}", "--socket-per-drone",
         "--rate", str(rate), "--duration", str(seconds)],
        capture_output=True, text=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if sim.returncode != 0:
        raise SystemExit(f"furrow simulate failed: {sim.stderr}")
    sent_match = re.search(r"(\d+) datagrams sent", sim.stderr)
    return {"sent": int(sent_match.group(1)) if sent_match else -1,
            "sent_seconds": float(re.search(r"in ([0-9.]+) s", sim.stderr).group(1)),
            "user_s": after.ru_utime - before.ru_utime, "system_s": after.ru_stime - before.ru_stime,
            "line": sim.stderr.strip().splitlines()[-1] if sim.stderr.strip() else ""}


def run_rate(rate: int, seconds: int, drones_per: int, profile: str, sender: str, tools: Path) -> dict:
    data = Path(tempfile.mkdtemp(prefix="furrow-ingest-bench-"))
    udp, http = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_STREAM)
    log = open(data / "serve.log", "wb")
    drones = max(1, rate // drones_per)
    # The fleet's frames are encoded before the daemon starts: not part of the measurement.
    tlog = fleet_tlog(BIN, tools, drones, seconds) if sender == "fleet" else None
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
        # Warm-up: the same fleet (same seed, same MAVLink ids) for a few seconds, so the measured run is the
        # steady state, not the daemon meeting thousands of new senders and creating their series.
        warm_rate = min(rate, 50000)
        send(sender, tools, tlog, drones, udp, warm_rate, 3, frames=3 * drones * drones_per)
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
        drops0 = kernel_drops(udp)
        load = os.getloadavg()[0]
        started = time.time()
        rss = RSSSampler(daemon.pid, http)
        sent_run = send(sender, tools, tlog, drones, udp, rate, seconds, frames=None)
        sent = sent_run["sent"]
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
        sent_seconds = sent_run["sent_seconds"]
        cpu = cpu_seconds(daemon.pid) - cpu0
        rss_samples, queue_samples = rss.finish()
        m = metrics(http)
        result = {
            "offered_rate": rate, "drones": drones, "seconds": seconds, "sent": sent,
            "received": int(m.get(f"furrow_frames_total{{{link}}}", 0) - warm),
            "datagrams": int(m.get(f"furrow_transport_receive_datagrams_total{{{link}}}", 0) - warm_datagrams),
            "queue_dropped_bursts": int(m.get(f"furrow_transport_dropped_bursts_total{{{link}}}", 0)),
            "kernel_drops": kernel_drops(udp) - drops0,
            "load_1min": round(load, 2),
            "drained_after_s": round(drained_after, 1),
            "daemon_cpu_s": round(cpu, 2),
            "achieved_rate": round(sent / sent_seconds) if sent > 0 else 0,
            "daemon_cpu_per_1000_msgs_s": round(cpu / sent_seconds / (sent / sent_seconds / 1000), 5) if sent > 0 else None,
            "daemon_peak_rss_mib": round(peak_rss_mib(daemon.pid), 1),
            "rss_mib": rss_samples,
            "queue_mib": queue_samples,
            "sender": sender,
            "sender_cpu_s": round(sent_run["user_s"] + sent_run["system_s"], 2),
            "sender_cpu_per_1000_msgs_s": round(
                (sent_run["user_s"] + sent_run["system_s"]) / sent_seconds / (sent / sent_seconds / 1000), 5)
            if sent > 0 else None,
            "sender_user_per_1000_msgs_s": round(sent_run["user_s"] / sent_seconds / (sent / sent_seconds / 1000), 5)
            if sent > 0 else None,
            "sender_report": sent_run["line"],
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
    ap.add_argument("--sender", choices=["fleet", "simulate"], default="fleet",
                    help="fleet: udp_fleet.c replaying the fleet's .tlog (default); simulate: furrow simulate")
    ap.add_argument("--bin", type=Path, help="the furrow binary to measure (default: this checkout's release build)")
    args = ap.parse_args()
    global BIN
    if args.bin:
        BIN = args.bin.resolve()
    elif args.build or not BIN.exists():
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    tools = Path(tempfile.mkdtemp(prefix="furrow-ingest-tools-"))
    try:
        if args.sender == "fleet":
            build_fleet_sender(tools)
        results = []
        for rate in (int(r) for r in args.rates.split(",")):
            r = run_rate(rate, args.seconds, args.messages_per_drone, args.profile, args.sender, tools)
            results.append(r)
            print(json.dumps(r), flush=True)
    finally:
        shutil.rmtree(tools, ignore_errors=True)
    zero = [r["achieved_rate"] for r in results if r["lost"] == 0 and r["sent"] > 0]
    print(f"highest achieved rate with zero loss: {max(zero) if zero else 'none'} messages/s", flush=True)


if __name__ == "__main__":
    sys.exit(main())
