"""End to end: pymavlink as a real client sending MAVLink over UDP to a running `furrow serve`.

Values are read back from the store with `furrow query` and compared with what pymavlink sent; kill -9 must
lose at most the flush interval and leave a database that opens clean; garbage on the port is counted, never
fatal; HEARTBEAT arm/disarm becomes a flight record.
"""
from __future__ import annotations

import csv
import io
import json
import os
import random
import select
import signal
import socket
import sqlite3
import struct
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("MAVLINK20", "1")
from pymavlink import mavutil  # noqa: E402

FLUSH_MS = 200
REPO = Path(__file__).resolve().parents[2]


def free_port(kind: int) -> int:
    with socket.socket(socket.AF_INET, kind) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Daemon:
    def __init__(self, binary: Path, data: Path, config: str | None = None):
        self.binary = binary
        self.data = data
        self.config = config
        self.udp = free_port(socket.SOCK_DGRAM)
        self.http = free_port(socket.SOCK_STREAM)
        self.proc: subprocess.Popen | None = None
        self.log = data / "serve.log"

    def start(self) -> None:
        self.data.mkdir(parents=True, exist_ok=True)
        args = [str(self.binary), "serve", "--data-dir", str(self.data), "--http", f"127.0.0.1:{self.http}",
                "--flush-interval-ms", str(FLUSH_MS)]
        if self.config is None:
            args += ["--udp", f"127.0.0.1:{self.udp}"]
        else:
            (self.data / "furrow.toml").write_text(self.config)
            args += ["--config", str(self.data / "furrow.toml")]
        self.proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=open(self.log, "ab"), cwd=REPO)
        deadline = time.time() + 30
        while time.time() < deadline:
            try:
                if self.health()["status"] == "running":
                    return
            except OSError:
                pass
            assert self.proc.poll() is None, f"furrow serve exited: {self.log.read_text()}"
            time.sleep(0.1)
        raise AssertionError(f"furrow serve did not come up: {self.log.read_text()}")

    def health(self) -> dict:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/healthz", timeout=2) as r:
            return json.load(r)

    def metrics(self) -> dict[str, float]:
        with urllib.request.urlopen(f"http://127.0.0.1:{self.http}/metrics", timeout=2) as r:
            text = r.read().decode()
        values = {}
        for line in text.splitlines():
            if line and not line.startswith("#"):
                name, value = line.rsplit(" ", 1)
                values[name] = float(value)
        return values

    def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        self.proc.send_signal(sig)
        return self.proc.wait(timeout=60)

    def query(self, source: str, group: str, channel: str) -> list[tuple[str, str]]:
        out = subprocess.run(
            [str(self.binary), "query", "--db", str(self.data / "furrow.sqlite"), "--project", "default",
             "--source", source, "--group", group, "--channel", channel],
            check=True, capture_output=True, text=True).stdout
        rows = list(csv.reader(io.StringIO(out)))
        assert rows[0] == ["timestamp", channel]
        return [(r[0], r[1]) for r in rows[1:]]


@pytest.fixture
def daemon(furrow_bin: Path, tmp_path: Path):
    d = Daemon(furrow_bin, tmp_path / "data")
    d.start()
    yield d
    if d.proc and d.proc.poll() is None:
        d.proc.kill()
        d.proc.wait()


def f32(x: float) -> float:
    return struct.unpack("<f", struct.pack("<f", x))[0]


def sender(port: int, sysid: int):
    return mavutil.mavlink_connection(f"udpout:127.0.0.1:{port}", source_system=sysid, source_component=1)


def test_values_sent_by_pymavlink_come_back_from_the_store(daemon: Daemon):
    rng = random.Random(7)
    m = sender(daemon.udp, 11)
    attitude, position = [], []
    for i in range(600):
        roll, pitch = rng.uniform(-3, 3), rng.uniform(-1, 1)
        m.mav.attitude_send(i * 20, roll, pitch, 0.5, 0.01, -0.02, 0.03)
        attitude.append((f32(roll), f32(pitch)))
        if i % 3 == 0:
            lat, lon = rng.randint(-900000000, 900000000), rng.randint(-1800000000, 1800000000)
            m.mav.global_position_int_send(i * 20, lat, lon, 250000, 12000, 10, -20, 3, 9000)
            position.append((lat, lon))
        if i % 50 == 0:
            m.mav.heartbeat_send(2, 3, 128 if 100 <= i < 400 else 0, 4, 4)
        time.sleep(0.001)
    time.sleep(0.5)
    assert daemon.stop() == 0, daemon.log.read_text()

    source = f"udp{daemon.udp}-11-1"
    rolls = daemon.query(source, "ATTITUDE", "roll")
    pitches = daemon.query(source, "ATTITUDE", "pitch")
    assert [float(v) for _, v in rolls] == [r for r, _ in attitude]
    assert [float(v) for _, v in pitches] == [p for _, p in attitude]
    times = [t for t, _ in rolls]
    assert times == sorted(times) and len(set(times)) == len(times)
    lats = daemon.query(source, "GLOBAL_POSITION_INT", "lat")
    lons = daemon.query(source, "GLOBAL_POSITION_INT", "lon")
    # `--udp` links use the generic-mavlink profile: int32 lat/lon stay integers (1e-7 degrees).
    assert [(int(a), int(b)) for (_, a), (_, b) in zip(lats, lons)] == position

    db = sqlite3.connect(daemon.data / "furrow.sqlite")
    flights = db.execute("SELECT source, start, end, vehicleType, autopilot FROM flight").fetchall()
    assert len(flights) == 1, flights
    src, start, end, vtype, autopilot = flights[0]
    assert src == source and vtype == 2 and autopilot == 3
    assert end is not None and 0.2e6 < end - start < 5e6
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


def test_kill_9_loses_at_most_the_flush_interval(daemon: Daemon):
    m = sender(daemon.udp, 12)
    sent: list[tuple[float, int]] = []
    for i in range(2000):
        m.mav.attitude_send(i, float(i), 0.0, 0.0, 0.0, 0.0, 0.0)
        sent.append((time.time(), i))
        time.sleep(0.001)
    killed_at = time.time()
    assert daemon.stop(signal.SIGKILL) == -signal.SIGKILL

    db = sqlite3.connect(daemon.data / "furrow.sqlite")
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()
    daemon.start()  # re-reads the archive tail the store did not hold yet
    assert daemon.health()["recoveredReceives"] > 0
    assert daemon.stop() == 0
    rows = daemon.query(f"udp{daemon.udp}-12-1", "ATTITUDE", "roll")
    stored = [int(float(v)) for _, v in rows]
    assert stored == list(range(len(stored))), "recovered rows are in order, without gaps or duplicates"
    # Scheduling slack on a loaded 2-core machine: half a flush interval on top of the contract.
    must_have = [i for t, i in sent if t < killed_at - (FLUSH_MS * 1.5) / 1000]
    assert len(stored) >= len(must_have), (len(stored), len(must_have), len(sent))
    print(f"kill -9: {len(sent)} sent, {len(stored)} recovered, {len(sent) - len(stored)} lost "
          f"(≤ {FLUSH_MS} ms flush interval)")


def test_garbage_on_the_port_is_counted_and_never_stops_ingest(daemon: Daemon):
    rng = random.Random(3)
    raw = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    m = sender(daemon.udp, 13)
    for i in range(300):
        raw.sendto(bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 600))), ("127.0.0.1", daemon.udp))
        raw.sendto(b"\xfd\x09" + bytes(20), ("127.0.0.1", daemon.udp))  # a start byte and a cut frame
        m.mav.attitude_send(i, float(i), 0.0, 0.0, 0.0, 0.0, 0.0)
        time.sleep(0.001)
    time.sleep(1.0)
    metrics = daemon.metrics()
    link = f'link="udp{daemon.udp}"'
    assert metrics[f"furrow_transport_receive_datagrams_total{{{link}}}"] == 900
    assert metrics[f"furrow_bytes_skipped_total{{{link}}}"] > 0
    assert metrics[f"furrow_frames_total{{{link}}}"] >= 300
    assert daemon.health()["status"] == "running"
    assert daemon.stop() == 0
    rows = daemon.query(f"udp{daemon.udp}-13-1", "ATTITUDE", "roll")
    assert [int(float(v)) for _, v in rows] == list(range(300))


class PtyPair:
    """Two linked pseudo-terminals made by socat: the daemon opens `a`, the test writes into `b`."""

    def __init__(self, where: Path):
        self.a, self.b = where / "tty-daemon", where / "tty-device"
        self.proc: subprocess.Popen | None = None

    def plug(self) -> None:
        self.proc = subprocess.Popen(
            ["socat", f"pty,raw,echo=0,link={self.a}", f"pty,raw,echo=0,link={self.b}"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 10
        while not (self.a.exists() and self.b.exists()):
            assert time.time() < deadline, "socat did not create the pty pair"
            time.sleep(0.02)

    def unplug(self) -> None:
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()
        deadline = time.time() + 10
        while self.a.exists() or self.b.exists():
            assert time.time() < deadline
            time.sleep(0.02)


def wait_for(predicate, timeout: float = 20.0, what: str = "condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_serial_link_through_a_pty_survives_unplug_and_replug(furrow_bin: Path, tmp_path: Path):
    """A telemetry radio on a serial port (socat pty pair at 57600 8N1): frames written by pymavlink's
    encoder into the device end arrive in the store; closing the pty (unplug) is logged and survived, and
    after replug new frames arrive again."""
    pty = PtyPair(tmp_path)
    pty.plug()
    config = f"""
[[serial]]
name = "radio"
device = "{pty.a}"
baud = 57600
framing = "8N1"
profile = "ardupilot-sprayer"

[[source]]
link = "radio"
system_id = 1
name = "sprayer-1"
"""
    d = Daemon(furrow_bin, tmp_path / "data", config)
    d.start()
    try:
        link = 'link="radio"'
        mav = mavutil.mavlink.MAVLink(None, srcSystem=1, srcComponent=1)
        mav.robust_parsing = True

        def write_attitudes(start: int, count: int) -> None:
            with open(pty.b, "wb", buffering=0) as dev:
                for i in range(start, start + count):
                    dev.write(mav.attitude_encode(i, float(i) / 100, 0.0, 0.0, 0.0, 0.0, 0.0).pack(mav))
                    time.sleep(0.001)

        write_attitudes(0, 200)
        wait_for(lambda: d.metrics().get(f"furrow_frames_total{{{link}}}", 0) >= 200, what="200 frames")
        pty.unplug()
        wait_for(lambda: not next(l for l in d.health()["links"] if l["name"] == "radio")["connected"],
                 what="the link to show disconnected")
        assert d.health()["status"] == "running"
        pty.plug()
        wait_for(lambda: next(l for l in d.health()["links"] if l["name"] == "radio")["connected"], what="reopen")
        write_attitudes(200, 100)
        wait_for(lambda: d.metrics().get(f"furrow_frames_total{{{link}}}", 0) >= 300, what="300 frames")
        assert d.metrics()[f"furrow_transport_reopens_total{{{link}}}"] >= 1
        assert d.stop() == 0
        rows = d.query("sprayer-1", "ATTITUDE", "roll")
        assert [float(v) for _, v in rows] == [f32(i / 100) for i in range(300)]
        log = d.log.read_text()
        assert log.count("serial device gone") == 1, log
    finally:
        if pty.proc and pty.proc.poll() is None:
            pty.unplug()


def test_a_profile_changed_under_stored_data_is_refused_per_group_not_fatal(furrow_bin: Path, tmp_path: Path):
    """Rows that no longer fit their stored row group (the profile changed between runs) are refused,
    logged once per interval and counted; the daemon keeps running and stores everything else."""
    first = Daemon(furrow_bin, tmp_path / "data")
    first.start()
    m = sender(first.udp, 21)
    for i in range(50):
        m.mav.attitude_send(i, 0.1, 0.2, 0.3, 0.0, 0.0, 0.0)
        time.sleep(0.001)
    time.sleep(0.5)
    assert first.stop() == 0

    # Same data folder and link name, now with the sprayer profile: ATTITUDE maps to other channels.
    second = Daemon(furrow_bin, tmp_path / "data", f"""
[[udp]]
name = "udp{first.udp}"
listen = "127.0.0.1:{first.udp}"
profile = "ardupilot-sprayer"
""")
    second.udp = first.udp
    second.start()
    try:
        m = sender(second.udp, 21)
        for i in range(200):
            m.mav.attitude_send(1000 + i, 0.1, 0.2, 0.3, 0.0, 0.0, 0.0)
            m.mav.vfr_hud_send(5.0, 5.0, 90, 40, 12.5, 0.1)
            time.sleep(0.001)
        wait_for(lambda: second.metrics().get('furrow_errors_total{kind="store-refused"}', 0) > 0,
                 what="the refusal to be counted")
        assert second.health()["status"] == "running"
        assert second.stop() == 0
        assert second.log.read_text().count("rows refused") <= 3  # once per 10 s interval, not per batch
        hud = second.query(f"udp{first.udp}-21-1", "VFR_HUD", "groundspeed")
        assert len(hud) == 200
    finally:
        if second.proc and second.proc.poll() is None:
            second.proc.kill()


def test_a_flood_on_one_link_does_not_stop_another(furrow_bin: Path, tmp_path: Path):
    """`furrow simulate --max-rate` floods one UDP link (several hundred thousand datagrams per second from
    100 drones) while pymavlink sends 300 frames to a second link: every one of those is stored."""
    flood_port, quiet_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    d = Daemon(furrow_bin, tmp_path / "data", f"""
[[udp]]
name = "flood"
listen = "127.0.0.1:{flood_port}"

[[udp]]
name = "quiet"
listen = "127.0.0.1:{quiet_port}"
""")
    d.start()
    try:
        flood = subprocess.Popen(
            [str(furrow_bin), "simulate", "--drones", "100", "--udp", f"127.0.0.1:{flood_port}", "--max-rate",
             "--duration", "200"], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        m = sender(quiet_port, 31)
        for i in range(300):
            m.mav.attitude_send(i, float(i), 0.0, 0.0, 0.0, 0.0, 0.0)
            time.sleep(0.002)
        report = flood.communicate(timeout=300)[1]
        print("flood:", report.strip().splitlines()[-1])
        wait_for(lambda: d.metrics().get('furrow_frames_total{link="quiet"}', 0) >= 300, timeout=60,
                 what="the quiet link's 300 frames")
        assert d.stop() == 0
        rows = d.query("quiet-31-1", "ATTITUDE", "roll")
        assert [int(float(v)) for _, v in rows] == list(range(300))
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()


def test_store_flush_latency_is_reported_per_source(furrow_bin: Path, tmp_path: Path):
    """`furrow_store_flush_latency_seconds{source}`: after a checkpoint, each source that had rows in it has its
    own gauge — how long its oldest row of that checkpoint waited between receive and commit — bounded by the
    checkpoint interval (`[store] checkpoint_interval_ms`) plus scheduling; a source that sent nothing has none."""
    port = free_port(socket.SOCK_DGRAM)
    d = Daemon(furrow_bin, tmp_path / "data", f"""
[[udp]]
name = "gcs"
listen = "127.0.0.1:{port}"

[store]
checkpoint_interval_ms = 500
""")
    d.udp = port
    d.start()
    try:
        a, b = sender(port, 21), sender(port, 22)
        for i in range(300):
            a.mav.attitude_send(i, float(i), 0.0, 0.0, 0.0, 0.0, 0.0)
            if i % 2 == 0:
                b.mav.attitude_send(i, float(-i), 0.0, 0.0, 0.0, 0.0, 0.0)
            time.sleep(0.005)  # 1.5 s: several checkpoints while both send
        latency = 'furrow_store_flush_latency_seconds{{source="{}"}}'
        wait_for(lambda: all(latency.format(s) in d.metrics() for s in ("gcs-21-1", "gcs-22-1")), timeout=30,
                 what="a flush latency per source")
        metrics = d.metrics()
        for source in ("gcs-21-1", "gcs-22-1"):
            value = metrics[latency.format(source)]
            # At least the time rows wait for a checkpoint to begin at all (a few ms), at most the 0.5 s
            # interval plus a loaded machine's slack.
            assert 0 < value < 5, (source, value)
        assert latency.format("gcs-23-1") not in metrics
        assert metrics["furrow_store_checkpoint_seconds_count"] >= 2
        assert d.stop() == 0
        assert len(d.query("gcs-21-1", "ATTITUDE", "roll")) == 300
        assert len(d.query("gcs-22-1", "ATTITUDE", "roll")) == 150
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()


def test_senders_are_named_by_address_and_keep_their_names_through_a_crash(furrow_bin: Path, tmp_path: Path):
    """A `[[source]]` rule with `peer` names the senders of one ground station; after kill -9 the
    re-decoded archive tail (which keeps no addresses) lands under the same names. A second host using the
    same MAVLink system id is reported once."""
    a = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    a.bind(("127.0.0.1", 0))
    b = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    b.bind(("127.0.0.1", 0))
    port = free_port(socket.SOCK_DGRAM)
    d = Daemon(furrow_bin, tmp_path / "data", f"""
[[udp]]
name = "gcs"
listen = "127.0.0.1:{port}"

[[source]]
link = "gcs"
peer = "127.0.0.1:{a.getsockname()[1]}"
name = "station-a-{{sysid}}"
""")
    d.udp = port
    d.start()
    try:
        mav41 = mavutil.mavlink.MAVLink(None, srcSystem=41, srcComponent=1)
        mav42 = mavutil.mavlink.MAVLink(None, srcSystem=42, srcComponent=1)
        for i in range(400):
            a.sendto(mav41.attitude_encode(i, float(i), 0, 0, 0, 0, 0).pack(mav41), ("127.0.0.1", port))
            b.sendto(mav42.attitude_encode(i, float(i), 0, 0, 0, 0, 0).pack(mav42), ("127.0.0.1", port))
            time.sleep(0.002)
        other = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        other.bind(("127.0.0.2", 0))
        other.sendto(mav41.attitude_encode(9999, 1.0, 0, 0, 0, 0, 0).pack(mav41), ("127.0.0.1", port))
        other.sendto(mav41.attitude_encode(9999, 1.0, 0, 0, 0, 0, 0).pack(mav41), ("127.0.0.1", port))
        time.sleep(0.6)  # > flush interval: everything is archived
        assert d.stop(signal.SIGKILL) == -signal.SIGKILL
        d.start()
        assert d.health()["recoveredReceives"] > 0
        assert d.stop() == 0
        station = d.query("station-a-41", "ATTITUDE", "roll")
        default = d.query("gcs-42-1", "ATTITUDE", "roll")
        assert [int(float(v)) for _, v in station][:400] == list(range(400))
        assert [int(float(v)) for _, v in default] == list(range(400))
        db = sqlite3.connect(d.data / "furrow.sqlite")
        sources = {s for (s,) in db.execute("SELECT DISTINCT source FROM rowGroup")}
        assert sources == {"station-a-41", "gcs-42-1"}, sources
        log = d.log.read_text()
        assert log.count("also sends from 127.0.0.2") == 1, log
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()


def test_ipv6_link_and_forwarding_to_a_ground_station(furrow_bin: Path, tmp_path: Path):
    """A UDP link on IPv6 loopback, forwarded unchanged to a 'ground station' socket: every datagram
    arrives there byte for byte, and the values are stored; what the ground station sends back (a command)
    reaches the vehicle through the link it came in on; datagrams from anyone else are not relayed."""
    gcs = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gcs.bind(("127.0.0.1", 0))
    gcs.settimeout(5)
    with socket.socket(socket.AF_INET6, socket.SOCK_DGRAM) as probe:
        probe.bind(("::1", 0))
        port = probe.getsockname()[1]
    d = Daemon(furrow_bin, tmp_path / "data", f"""
[[udp]]
name = "v6"
listen = "[::1]:{port}"

[[forward]]
name = "office-qgc"
to = "127.0.0.1:{gcs.getsockname()[1]}"
links = ["v6"]
""")
    d.start()
    try:
        mav = mavutil.mavlink.MAVLink(None, srcSystem=51, srcComponent=1)
        out = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
        sent = []
        for i in range(100):
            frame = mav.attitude_encode(i, float(i), 0, 0, 0, 0, 0).pack(mav)
            sent.append(frame)
            out.sendto(frame, ("::1", port))
            time.sleep(0.002)
        received = []
        for _ in range(100):
            frame, furrow_address = gcs.recvfrom(4096)
            received.append(frame)
        assert received == sent
        gcs_mav = mavutil.mavlink.MAVLink(None, srcSystem=255, srcComponent=190)
        command = gcs_mav.command_long_encode(51, 1, 400, 0, 1, 0, 0, 0, 0, 0, 0).pack(gcs_mav)  # arm
        gcs.sendto(command, furrow_address)
        out.settimeout(5)
        reply, reply_from = out.recvfrom(4096)
        assert reply == command and reply_from[1] == port, "the command comes from the link's own port"
        stranger = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        stranger.sendto(b"not from the ground station", furrow_address)
        out.settimeout(0.5)
        with pytest.raises(socket.timeout):
            out.recvfrom(4096)
        assert d.metrics()["furrow_forward_replies_ignored_total"] == 1
        assert d.stop() == 0
        rows = d.query("v6-51-1", "ATTITUDE", "roll")
        assert [int(float(v)) for _, v in rows] == list(range(100))
        assert "from [::1]:" in d.log.read_text()
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()


def test_forwarding_from_a_serial_radio_is_two_way(furrow_bin: Path, tmp_path: Path):
    """A radio on a serial port forwarded to a ground station: what the vehicle sends reaches the station
    byte for byte (one datagram per serial read), and the station's commands are written back to the radio
    in order, so a GCS can fly the vehicle through the gateway."""
    pty = PtyPair(tmp_path)
    pty.plug()
    gcs = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    gcs.bind(("127.0.0.1", 0))
    gcs.settimeout(5)
    d = Daemon(furrow_bin, tmp_path / "data", f"""
[[serial]]
name = "radio"
device = "{pty.a}"
baud = 57600

[[forward]]
name = "gcs"
to = "127.0.0.1:{gcs.getsockname()[1]}"
links = ["radio"]
""")
    d.start()
    try:
        mav = mavutil.mavlink.MAVLink(None, srcSystem=3, srcComponent=1)
        sent = b"".join(mav.heartbeat_encode(2, 3, 0, 4, 4).pack(mav) for _ in range(5))
        with open(pty.b, "r+b", buffering=0) as radio:
            radio.write(sent)
            received = b""
            while len(received) < len(sent):
                data, furrow_address = gcs.recvfrom(4096)
                received += data
            assert received == sent
            gcs_mav = mavutil.mavlink.MAVLink(None, srcSystem=255, srcComponent=190)
            commands = [gcs_mav.command_long_encode(3, 1, 400, 0, float(i), 0, 0, 0, 0, 0, 0).pack(gcs_mav)
                        for i in range(20)]
            for c in commands:
                gcs.sendto(c, furrow_address)
            expected = b"".join(commands)
            got = b""
            deadline = time.time() + 10
            while len(got) < len(expected) and time.time() < deadline:
                ready, _, _ = select.select([radio], [], [], 0.5)
                if ready:
                    got += radio.read(4096)
            assert got == expected, "every command, in order, on the radio"
        assert d.metrics()["furrow_forward_replies_total"] == 20
        assert d.stop() == 0
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()
        pty.unplug()


def test_a_full_disk_is_survived_and_nothing_is_lost_once_space_returns(furrow_bin: Path, tmp_path: Path):
    """The data folder on a 12 MiB tmpfs: pymavlink fills it. The daemon keeps running, counts and logs the
    write errors (throttled), keeps what it could not write, and once the disk is grown every frame sent is
    in the store and the database checks clean."""
    disk = tmp_path / "disk"
    disk.mkdir()
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=12m", "tmpfs", str(disk)], capture_output=True)
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {mounted.stderr.decode().strip()}")
    d = Daemon(furrow_bin, disk / "data")
    try:
        d.start()
        rng = random.Random(3)
        m = sender(d.udp, 21)
        sent = 0
        rolls = []
        deadline = time.time() + 120
        # Random floats compress badly: the archive and the chunks outgrow 12 MiB quickly.
        while time.time() < deadline:
            for _ in range(2000):
                roll = rng.uniform(-3, 3)
                rolls.append(f32(roll))
                m.mav.attitude_send(sent, roll, rng.uniform(-3, 3), rng.uniform(-3, 3), rng.random(), rng.random(), rng.random())
                sent += 1
            time.sleep(0.1)
            if any(k.startswith("furrow_errors_total") for k in d.metrics()):
                break
        errors = {k: v for k, v in d.metrics().items() if k.startswith("furrow_errors_total")}
        assert errors, "a full disk must show in furrow_errors_total"
        print(f"disk full after {sent} frames: {errors}")
        assert d.health()["status"] == "running"
        # Still receiving and decoding while the disk is full.
        frames = d.metrics().get(f'furrow_frames_total{{link="udp{d.udp}"}}', 0)
        for _ in range(200):
            roll = rng.uniform(-3, 3)
            rolls.append(f32(roll))
            m.mav.attitude_send(sent, roll, 0, 0, 0, 0, 0)
            sent += 1
            time.sleep(0.001)
        wait_for(lambda: d.metrics().get(f'furrow_frames_total{{link="udp{d.udp}"}}', 0) >= frames + 200,
                 what="frames decoded while the disk is full")
        subprocess.run(["mount", "-o", "remount,size=256m", str(disk)], check=True)
        assert d.stop() == 0, d.log.read_text()[-2000:]
        rows = d.query(f"udp{d.udp}-21-1", "ATTITUDE", "roll")
        assert [float(v) for _, v in rows] == rolls, f"{len(rows)} rows stored of {sent} sent"
        check = sqlite3.connect(str(disk / "data" / "furrow.sqlite")).execute("PRAGMA integrity_check").fetchone()
        assert check == ("ok",)
        log = d.log.read_text()
        assert "disk" in log.lower() or "full" in log.lower(), log[-2000:]
    finally:
        if d.proc and d.proc.poll() is None:
            d.proc.kill()
            d.proc.wait()
        subprocess.run(["umount", "-l", str(disk)], capture_output=True)
