"""Helpers shared by the harnesses that run `furrow serve` and `furrow replay` beside a load."""
from __future__ import annotations

import os
import socket
import subprocess
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
BIN = REPO / ".build" / "release" / "furrow"


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def metrics(port: int, timeout: float = 30) -> dict[str, float]:
    """The daemon's /metrics as name{labels} -> value."""
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=timeout) as r:
        out = {}
        for line in r.read().decode().splitlines():
            if line and not line.startswith("#"):
                k, v = line.rsplit(" ", 1)
                out[k] = float(v)
        return out


def kernel_drops(port: int) -> int:
    """Datagrams the kernel dropped on the UDP sockets bound to `port` (/proc/net/udp and udp6)."""
    total = 0
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            if int(parts[1].split(":")[1], 16) == port:
                total += int(parts[-1])
    return total


def build_fleet_sender(work: Path) -> Path:
    """Compiles `udp_fleet.c`, the cheap load generator (see its header), into `work`."""
    out = work / "udp_fleet"
    subprocess.run(["cc", "-O2", "-Wall", str(Path(__file__).resolve().parent / "udp_fleet.c"), "-o", str(out)],
                   check=True)
    return out


def build_http_load(work: Path) -> Path:
    """Compiles `http_load.c`, the API benchmark's open-loop HTTP client (see its header), into `work`."""
    out = work / "http_load"
    subprocess.run(["cc", "-O2", "-Wall", "-Wextra", str(Path(__file__).resolve().parent / "http_load.c"), "-o",
                    str(out)], check=True)
    return out


def fleet_tlog(furrow: Path, work: Path, drones: int, seconds: float) -> Path:
    """The fleet's frames for a run of `seconds` at 50 msg/s per drone (plus margin), written once per size by
    `furrow simulate --tlog`: real per-drone MAVLink streams, encoded before any measurement."""
    path = work / f"fleet-{drones}-{int(seconds)}.tlog"
    if not path.exists():
        subprocess.run(
            [str(furrow), "simulate", "--drones", str(drones), "--tlog", str(path), "--duration",
             str(int(seconds * 1.1) + 2)], capture_output=True, text=True, check=True)
    return path


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far (/proc/PID/stat, clock ticks)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
