#!/usr/bin/env python3
"""Replay benchmark (issue 10, item 6): `furrow replay` of a .tlog over loopback UDP.

1. As fast as possible: a ~1 M-frame .tlog (200 simulated drones, 100 s) replayed with --max-rate to a UDP
   socket. The receiver is a socket with an 8 MiB buffer drained by a thread; what it could not take shows as
   the kernel's drop counter for that socket (/proc/net/udp). Reports frames/s sent and delivered.
2. At 1x: a 20 s .tlog of 10 drones (~10,000 frames) replayed at original speed to a receiver that stamps
   every datagram; the timing error of each frame is |(arrival - first arrival) - (tlog time - first tlog
   time)|; reports p50/p99/max.

    python3 Benchmarks/harness/replay.py [--build]
"""
from __future__ import annotations

import argparse
import socket
import struct
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from common import BIN, REPO, kernel_drops  # noqa: E402




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
        while not self.stop:
            try:
                self.sock.recv_into(buffer)
            except socket.timeout:
                continue
            self.count += 1
            if self.stamp:
                self.times.append(time.perf_counter())

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--build", action="store_true")
    args = parser.parse_args()
    if args.build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    work = Path(tempfile.mkdtemp(prefix="furrow-replay-bench-"))

    big = work / "big.tlog"
    subprocess.run([str(BIN), "simulate", "--drones", "200", "--duration", "100", "--tlog", str(big)],
                   check=True, capture_output=True)
    frames = len(tlog_times(big))
    receiver = Receiver(stamp=False)
    drops0 = kernel_drops(receiver.port)
    started = time.perf_counter()
    result = subprocess.run([str(BIN), "replay", "--file", str(big), "--udp", f"127.0.0.1:{receiver.port}",
                             "--max-rate", "--quiet"], capture_output=True, text=True)
    wall = time.perf_counter() - started
    time.sleep(1)
    receiver.close()
    drops = kernel_drops(receiver.port) - drops0
    assert result.returncode == 0, result.stderr
    print(f"max rate: {frames:,} frames in {wall:.2f} s = {frames / wall:,.0f} frames/s sent "
          f"(process wall time incl. start); receiver got {receiver.count:,}, kernel dropped {drops:,} "
          f"(a Python receiver cannot keep up; delivered {receiver.count / wall:,.0f}/s)")
    verdict = "met" if frames / wall >= 500_000 else "MISSED"
    print(f"aim >= 500,000 messages/s as fast as possible: {verdict}")

    small = work / "small.tlog"
    subprocess.run([str(BIN), "simulate", "--drones", "10", "--duration", "20", "--tlog", str(small)],
                   check=True, capture_output=True)
    times = tlog_times(small)
    receiver = Receiver(stamp=True)
    result = subprocess.run([str(BIN), "replay", "--file", str(small), "--udp", f"127.0.0.1:{receiver.port}",
                             "--quiet"], capture_output=True, text=True)
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
    print(f"1x: {len(got):,} of {len(times):,} frames received; timing error p50 {errors[n // 2]:.3f} ms, "
          f"p99 {errors[int(n * 0.99)]:.3f} ms, max {errors[-1]:.3f} ms")
    print(f"aim p99 < 2 ms at 1x: {'met' if errors[int(n * 0.99)] < 2 else 'MISSED'}")


if __name__ == "__main__":
    main()
