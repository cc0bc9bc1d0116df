"""`furrow replay` end to end: what pymavlink sent to a live daemon comes back out of its raw archive, byte
for byte and datagram for datagram, with the original timing (p99 error < 2 ms at 1x), and a pymavlink
receiver decodes every frame in order. Also: .tlog files, speed factors and a serial pty.
"""
from __future__ import annotations

import os
import select
import socket
import subprocess
import threading
import time
import termios
import tty
from datetime import datetime
from pathlib import Path

import pytest

os.environ.setdefault("MAVLINK20", "1")
from pymavlink import mavutil  # noqa: E402

from test_daemon import Daemon, free_port  # noqa: E402


def send_recorded(port: int, count: int) -> tuple[list[bytes], list[float]]:
    """Sends `count` datagrams with irregular gaps (1-25 ms) and returns them with their send times."""
    m = mavutil.mavlink_connection(f"udpout:127.0.0.1:{port}", source_system=7, source_component=1)
    sent: list[bytes] = []
    times: list[float] = []
    original = m.write

    def capture(data):
        sent.append(bytes(data))
        times.append(time.perf_counter())
        original(data)

    m.write = capture
    for i in range(count):
        if i % 25 == 0:
            m.mav.heartbeat_send(2, 3, 0, 4, 4)
        else:
            m.mav.attitude_send(i * 10, 0.001 * i, -0.002 * i, 0.5, 0.01, 0.02, 0.03)
        time.sleep(0.001 + (i * 7919 % 25) / 1000)
    m.close()
    return sent, times


class Receiver:
    """A UDP socket that records every datagram and when it arrived."""

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.datagrams: list[bytes] = []
        self.times: list[float] = []
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                data = self.sock.recv(65536)
            except socket.timeout:
                continue
            self.times.append(time.perf_counter())
            self.datagrams.append(data)

    def close(self):
        self.stop = True
        self.thread.join()
        self.sock.close()


@pytest.fixture(scope="module")
def recorded(furrow_bin: Path, tmp_path_factory):
    data = tmp_path_factory.mktemp("replay")
    daemon = Daemon(furrow_bin, data)
    daemon.start()
    sent, times = send_recorded(daemon.udp, 400)
    time.sleep(1)
    assert daemon.stop() == 0  # SIGTERM seals the archive
    # The daemon's receive times of the ATTITUDE datagrams: the timing a replay must reproduce.
    received = [datetime.fromisoformat(t.replace("Z", "+00:00")).timestamp()
                for t, _ in daemon.query(f"udp{daemon.udp}-7-1", "ATTITUDE", "roll")]
    assert len(received) == 400 - 16
    return {"daemon": daemon, "sent": sent, "times": times, "source": f"udp{daemon.udp}", "received": received}


def replay(furrow_bin: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(furrow_bin), "replay", *args], capture_output=True, text=True, timeout=timeout)


def test_replay_at_1x_is_byte_exact_and_keeps_the_timing(furrow_bin: Path, recorded):
    receiver = Receiver()
    try:
        result = replay(furrow_bin, "--data-dir", str(recorded["daemon"].data), "--source", recorded["source"],
                        "--udp", f"127.0.0.1:{receiver.port}", "--quiet")
        assert result.returncode == 0, result.stderr
        time.sleep(0.3)
    finally:
        receiver.close()
    assert receiver.datagrams == recorded["sent"], "every datagram, byte for byte, in order"
    # Timing: each ATTITUDE datagram's time since the first, as the daemon received it and as replayed.
    archived = recorded["received"]
    got = [t for t, d in zip(receiver.times, receiver.datagrams) if d[7:10] == bytes([30, 0, 0])]
    assert len(got) == len(archived)
    # Against the median offset: a constant delay is not a timing error, a frame early or late against the
    # others is.
    offsets = sorted(g - a for g, a in zip(got, archived))
    median = offsets[len(offsets) // 2]
    errors = sorted(abs(g - a - median) * 1000 for g, a in zip(got, archived))
    p99 = errors[int(len(errors) * 0.99) - 1]
    print(f"replay 1x timing error vs the archived receive times: p50 {errors[len(errors) // 2]:.3f} ms, "
          f"p99 {p99:.3f} ms, max {errors[-1]:.3f} ms over {len(errors)} datagrams")
    assert p99 < 2.0, errors[-10:]
    assert "records" in result.stderr


def test_pymavlink_decodes_every_replayed_frame_in_order(furrow_bin: Path, recorded):
    port = free_port(socket.SOCK_DGRAM)
    m = mavutil.mavlink_connection(f"udpin:127.0.0.1:{port}")
    process = subprocess.Popen([str(furrow_bin), "replay", "--data-dir", str(recorded["daemon"].data),
                                "--source", recorded["source"], "--udp", f"127.0.0.1:{port}", "--speed", "20",
                                "--quiet"], stderr=subprocess.PIPE, text=True)
    messages = []
    deadline = time.time() + 30
    while len(messages) < 400 and time.time() < deadline:
        msg = m.recv_match(blocking=True, timeout=1)
        if msg is not None:
            messages.append(msg)
    process.wait(timeout=30)
    assert process.returncode == 0, process.stderr.read()
    assert len(messages) == 400
    assert [msg.get_seq() for msg in messages] == [i % 256 for i in range(400)]
    attitudes = [msg for msg in messages if msg.get_type() == "ATTITUDE"]
    assert [a.time_boot_ms for a in attitudes] == [i * 10 for i in range(400) if i % 25 != 0]


def test_speed_factor_and_start_offset(furrow_bin: Path, recorded):
    receiver = Receiver()
    try:
        started = time.perf_counter()
        result = replay(furrow_bin, "--data-dir", str(recorded["daemon"].data), "--source", recorded["source"],
                        "--udp", f"127.0.0.1:{receiver.port}", "--speed", "4", "--start-offset", "2", "--quiet")
        elapsed = time.perf_counter() - started
        time.sleep(0.3)
    finally:
        receiver.close()
    assert result.returncode == 0, result.stderr
    sent, times = recorded["sent"], recorded["times"]
    # The replay skips by the archived receive times, which differ from these send times by the daemon's
    # receive jitter: what comes out must be an exact suffix of what was sent, starting within 100 ms of 2 s.
    got = receiver.datagrams
    k = len(sent) - len(got)
    assert got == sent[k:], (len(got), len(sent))
    assert abs((times[k] - times[0]) - 2.0) < 0.1, times[k] - times[0]
    span = (times[-1] - times[0] - 2.0) / 4
    assert span * 0.9 < elapsed < span + 3, (elapsed, span)


def test_tlog_file_replays_to_a_pty(furrow_bin: Path, tmp_path: Path):
    tlog = tmp_path / "sortie.tlog"
    subprocess.run([str(furrow_bin), "simulate", "--drones", "2", "--duration", "5", "--tlog", str(tlog)],
                   check=True, capture_output=True)
    process = subprocess.Popen([str(furrow_bin), "replay", "--file", str(tlog), "--pty", "--max-rate", "--quiet"],
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    path = process.stdout.readline().strip()
    assert path.startswith("/dev/pts/"), path
    fd = os.open(path, os.O_RDONLY | os.O_NOCTTY)
    tty.setraw(fd, termios.TCSANOW)  # TCSAFLUSH (the default) would discard what is already queued
    expected = mavutil.mavlink_connection(str(tlog))
    want = []
    while (msg := expected.recv_match()) is not None:
        want.append(bytes(msg.get_msgbuf()))
    parser = mavutil.mavlink.MAVLink(None)
    parser.robust_parsing = True
    got = []
    deadline = time.time() + 30
    while len(got) < len(want) and time.time() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if ready:
            for byte in os.read(fd, 65536):  # one at a time: parse_buffer stops at its first None
                msg = parser.parse_char(bytes([byte]))
                if msg is not None:
                    got.append(bytes(msg.get_msgbuf()))
    os.close(fd)
    process.wait(timeout=30)
    assert process.returncode == 0, process.stderr.read()
    assert len(want) > 400
    assert len(got) == len(want), (len(got), len(want))
    assert got == want
