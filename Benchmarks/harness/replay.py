#!/usr/bin/env python3
"""Replay benchmark (issue 10, item 6): `furrow replay` of a .tlog over loopback UDP.

1. As fast as possible: a ~1 M-frame .tlog (200 simulated drones, 100 s) replayed with --max-rate to a C
   receiver (udp_sink.c: recvmmsg, a 64 MiB receive buffer where the kernel allows it, else
   net.core.rmem_max) that counts the MAVLink frames *delivered* and a CRC-32 of the byte stream it got.
   Each mode runs --runs times:
   - faithful: one datagram per frame (the default, byte- and datagram-exact);
   - coalesced: `--coalesce BYTES` (consecutive whole frames joined into datagrams of at most BYTES; the
     byte stream is unchanged, which the CRC checks).
   Reports per run: the replay's own rate (its final status line: records / wall time of the session),
   frames delivered and their rate at the receiver (first to last datagram), the kernel's drops on the
   receiving socket (/proc/net/udp), whether the delivered stream's CRC equals the .tlog's frames, and the
   1-minute load average (the machine is shared).
2. At 1x: a 20 s .tlog of 10 drones (~10,000 frames) replayed at original speed to a receiver that stamps
   every datagram (the kernel's receive stamp); the timing error of each frame is its arrival minus its tlog
   time, against the median of that offset; reports p50/p99/max, paced on a real-time thread and with
   --no-realtime.

    python3 Benchmarks/harness/replay.py [--build] [--runs 3] [--coalesce 1400,8192] [--skip-1x]
"""
from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import socket
import struct
import subprocess
import tempfile
import threading
import time
import zlib
from pathlib import Path

from common import BIN, REPO, kernel_drops  # noqa: E402

HERE = Path(__file__).resolve().parent


def tlog_frames(path: Path) -> tuple[int, int]:
    """(frame count, CRC-32 of the frames back to back): what a complete, in-order delivery must give."""
    data = path.read_bytes()
    crc, count, i = 0, 0, 0
    while i + 8 < len(data):
        stx = data[i + 8]
        length = data[i + 9]
        size = (length + 12 + (13 if data[i + 10] & 1 else 0)) if stx == 0xFD else length + 8
        crc = zlib.crc32(data[i + 8:i + 8 + size], crc)
        count += 1
        i += 8 + size
    return count, crc


def build_sink(work: Path) -> Path:
    out = work / "udp_sink"
    subprocess.run(["gcc", "-O2", "-Wall", str(HERE / "udp_sink.c"), "-o", str(out), "-lz"], check=True)
    return out


def max_rate_run(sink: Path, tlog: Path, coalesce: int | None) -> dict:
    """One --max-rate replay of `tlog` into a fresh udp_sink; what was sent, delivered and dropped."""
    receiver = subprocess.Popen([str(sink)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    port = int(receiver.stdout.readline())
    drops0 = kernel_drops(port)
    load = os.getloadavg()[0]
    args = [str(BIN), "replay", "--file", str(tlog), "--udp", f"127.0.0.1:{port}", "--max-rate", "--quiet"]
    if coalesce:
        args += ["--coalesce", str(coalesce)]
    started = time.perf_counter()
    result = subprocess.run(args, capture_output=True, text=True)
    wall = time.perf_counter() - started
    assert result.returncode == 0, result.stderr
    got = json.loads(receiver.stdout.readline())
    drops = kernel_drops(port) - drops0
    receiver.stdin.close()
    receiver.wait()
    rate = re.search(r"(\d+) records .* (\d+) rec/s", result.stderr)
    return {"sent": int(rate.group(1)), "sent_rate": int(rate.group(2)), "process_wall": wall, **got,
            "drops": drops, "load": load, "load_after": os.getloadavg()[0]}


def tlog_times(path: Path) -> list[float]:
    """Timestamps (s) of the .tlog's records, read with pymavlink-free parsing of our own simple layout."""
    data = path.read_bytes()
    times, i = [], 0
    while i + 8 < len(data):
        t = struct.unpack(">Q", data[i:i + 8])[0] & ~3
        stx = data[i + 8]
        length = data[i + 9]
        size = (length + 12 + (13 if stx == 0xFD and data[i + 10] & 1 else 0)) if stx == 0xFD else length + 8
        times.append(t / 1e6)
        i += 8 + size
    return times


class Receiver:
    def __init__(self, stamp: bool):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.count = 0
        self.times: list[float] = []
        self.stamp = stamp
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        buffer = bytearray(65536)
        if self.stamp:
            # The kernel's receive stamp of each datagram (SO_TIMESTAMPNS = 35, CLOCK_REALTIME): when it reached
            # the socket, not when this Python thread got round to it (under load that is milliseconds later).
            self.sock.setsockopt(socket.SOL_SOCKET, 35, 1)
        while not self.stop:
            try:
                if self.stamp:
                    _, ancillary, _, _ = self.sock.recvmsg_into([buffer], socket.CMSG_SPACE(16))
                    seconds, nanoseconds = struct.unpack("qq", ancillary[0][2])
                    self.times.append(seconds + nanoseconds / 1e9)
                else:
                    self.sock.recv_into(buffer)
            except socket.timeout:
                continue
            self.count += 1

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="furrow-replay-bench-"))
    try:
        run(work)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def run(work: Path) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true")
    parser.add_argument("--runs", type=int, default=3, help="runs per max-rate mode")
    parser.add_argument("--coalesce", default="1400,8192", help="--coalesce sizes to measure (comma-separated)")
    parser.add_argument("--skip-1x", action="store_true", help="only the max-rate part")
    parser.add_argument("--bin", type=Path, default=None, help="the furrow binary (default: the release build)")
    args = parser.parse_args()
    global BIN
    BIN = args.bin or BIN
    if args.build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    sink = build_sink(work)

    big = work / "big.tlog"
    subprocess.run([str(BIN), "simulate", "--drones", "200", "--duration", "100", "--tlog", str(big)],
                   check=True, capture_output=True)
    frames, crc = tlog_frames(big)
    print(f"max rate: {frames:,} frames ({big.stat().st_size - 8 * frames:,} bytes of MAVLink) from {big.name}; "
          f"uptime load {os.getloadavg()}")
    modes = [None] + [int(c) for c in args.coalesce.split(",") if c and c != "0"]
    best: dict = {}
    for mode in modes:
        name = "faithful (1 frame/datagram)" if mode is None else f"coalesced --coalesce {mode}"
        for _ in range(args.runs):
            r = max_rate_run(sink, big, mode)
            delivered_rate = r["frames"] / r["seconds"] if r["seconds"] > 0 else 0
            exact = r["frames"] == frames and r["crc32"] == crc and r["unparsed"] == 0
            print(f"  {name}: sent {r['sent']:,} at {r['sent_rate']:,}/s (process {r['process_wall']:.2f} s incl. "
                  f"start); delivered {r['frames']:,} frames in {r['datagrams']:,} datagrams at "
                  f"{delivered_rate:,.0f} msg/s; kernel drops {r['drops']:,}; stream "
                  f"{'complete and in order' if exact else 'INCOMPLETE or changed'}; load {r['load']:.2f} -> "
                  f"{r['load_after']:.2f}", flush=True)
            # The best complete run; a run with losses only while no complete run was seen.
            if (exact, delivered_rate) > tuple(reversed(best.get(name, (0, False)))):
                best[name] = (delivered_rate, exact)
    for name, (rate, exact) in best.items():
        verdict = "met" if rate >= 500_000 and exact else "MISSED"
        print(f"aim >= 500,000 messages/s delivered, {name}: best run {rate:,.0f}/s "
              f"({'complete' if exact else 'with losses'}): {verdict}")
    if args.skip_1x:
        return

    small = work / "small.tlog"
    subprocess.run([str(BIN), "simulate", "--drones", "10", "--duration", "20", "--tlog", str(small)],
                   check=True, capture_output=True)
    times = tlog_times(small)
    for label, extra in [("real-time pacing (SCHED_FIFO where allowed)", []), ("--no-realtime", ["--no-realtime"])]:
        receiver = Receiver(stamp=True)
        result = subprocess.run([str(BIN), "replay", "--file", str(small), "--udp", f"127.0.0.1:{receiver.port}",
                                 *extra], capture_output=True, text=True)
        time.sleep(0.5)
        receiver.close()
        assert result.returncode == 0, result.stderr
        got = receiver.times
        n = min(len(got), len(times))
        # Against the median offset between arrival and tlog time: a constant delay (process start, the first
        # datagram) is not a timing error; a frame early or late against the others is.
        offsets = sorted(got[i] - times[i] for i in range(n))
        median = offsets[n // 2]
        errors = sorted(abs(got[i] - times[i] - median) * 1000 for i in range(n))
        pacing = "ordinary thread" if "paced on an ordinary thread" in result.stderr else "real-time thread"
        print(f"1x, {label} ({pacing}), load {os.getloadavg()[0]:.1f}: {len(got):,} of {len(times):,} frames "
              f"received; timing error p50 {errors[n // 2]:.3f} ms, p99 {errors[int(n * 0.99)]:.3f} ms, "
              f"max {errors[-1]:.3f} ms; aim p99 < 2 ms: {'met' if errors[int(n * 0.99)] < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
