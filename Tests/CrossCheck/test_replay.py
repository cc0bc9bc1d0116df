"""`furrow replay` end to end: what pymavlink sent to a live daemon comes back out of its raw archive, byte
for byte and datagram for datagram, with the original timing (p99 error < 2 ms at 1x), and a pymavlink
receiver decodes every frame in order. Also: .tlog files, speed factors and a serial pty.
"""
from __future__ import annotations

import os
import select
import socket
import struct
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


#: Linux `SO_TIMESTAMPNS` (asm-generic; Python's socket module does not name it): the kernel stamps each
#: datagram with the CLOCK_REALTIME time it arrived, as a `struct timespec` in the ancillary data.
SO_TIMESTAMPNS = 35


class Receiver:
    """A UDP socket that records every datagram and when it arrived.

    `times` are the kernel's receive stamps: when the datagram reached the socket, whatever this Python thread
    was doing (under load a Python thread can be scheduled milliseconds late; that is not the sender's timing).
    `user_times` are when this thread got each datagram, kept for the diagnostics.
    """

    def __init__(self):
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
        self.sock.setsockopt(socket.SOL_SOCKET, SO_TIMESTAMPNS, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.datagrams: list[bytes] = []
        self.times: list[float] = []
        self.user_times: list[float] = []
        self.stop = False
        self.thread = threading.Thread(target=self.run, daemon=True)
        self.thread.start()

    def run(self):
        while not self.stop:
            try:
                data, ancillary, _, _ = self.sock.recvmsg(65536, socket.CMSG_SPACE(16))
            except socket.timeout:
                continue
            self.user_times.append(time.time())
            stamp = next((d for level, kind, d in ancillary if level == socket.SOL_SOCKET and kind == SO_TIMESTAMPNS), None)
            assert stamp is not None and len(stamp) == 16, "the kernel stamps every datagram"
            seconds, nanoseconds = struct.unpack("qq", stamp)
            self.times.append(seconds + nanoseconds / 1e9)
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
    # pymavlink, as a receiver would run it, decodes every frame in order and in its datagram.
    parser = mavutil.mavlink.MAVLink(None)
    decoded = [parser.parse_buffer(d) or [] for d in receiver.datagrams]
    assert [len(m) for m in decoded] == [1] * len(recorded["sent"])
    assert [m[0].get_seq() for m in decoded] == [i % 256 for i in range(len(recorded["sent"]))]
    # Timing: each ATTITUDE datagram's time since the first, as the daemon received it and as replayed.
    archived = recorded["received"]
    attitude = [i for i, d in enumerate(receiver.datagrams) if d[7:10] == bytes([30, 0, 0])]
    assert len(attitude) == len(archived)

    def timing_errors(times: list[float]) -> list[float]:
        """Each frame's error in ms against the median offset: a constant delay is not a timing error, a
        frame early or late against the others is."""
        offsets = sorted(times[i] - a for i, a in zip(attitude, archived))
        median = offsets[len(offsets) // 2]
        return sorted(abs(times[i] - a - median) * 1000 for i, a in zip(attitude, archived))

    errors = timing_errors(receiver.times)
    p99 = errors[int(len(errors) * 0.99) - 1]
    seen = timing_errors(receiver.user_times)
    print(f"replay 1x timing error vs the archived receive times (kernel receive stamps): p50 "
          f"{errors[len(errors) // 2]:.3f} ms, p99 {p99:.3f} ms, max {errors[-1]:.3f} ms over {len(errors)} "
          f"datagrams; as the Python receiver got them: p99 {seen[int(len(seen) * 0.99) - 1]:.3f} ms, "
          f"max {seen[-1]:.3f} ms")
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


# MARK: - Rewriting and filtering (--sysid, --timestamps now, --only, --exclude)

def decode_datagrams(datagrams: list[bytes]) -> list:
    """Every frame in the datagrams, CRC-checked by pymavlink (a bad CRC raises or yields BAD_DATA)."""
    parser = mavutil.mavlink.MAVLink(None)
    messages = []
    for datagram in datagrams:
        for msg in parser.parse_buffer(datagram) or []:
            assert msg.get_type() != "BAD_DATA", msg
            messages.append(msg)
    return messages


@pytest.fixture(scope="module")
def mixed_tlog(tmp_path_factory) -> tuple[Path, list]:
    """A .tlog from system 7 with HEARTBEAT, ATTITUDE, SYSTEM_TIME (a Unix time) and signed GPS_RAW_INT frames,
    20 ms apart; returns the path and the messages in order."""
    path = tmp_path_factory.mktemp("rewrite") / "mixed.tlog"
    plain = mavutil.mavlink.MAVLink(None, srcSystem=7, srcComponent=1)
    signed = mavutil.mavlink.MAVLink(None, srcSystem=7, srcComponent=1)
    signed.signing.secret_key = bytes(range(32))
    signed.signing.link_id = 1
    signed.signing.sign_outgoing = True
    t0 = 1_700_000_000_000_000
    messages = []
    with open(path, "wb") as f:
        for i in range(200):
            t = t0 + i * 20_000
            if i % 10 == 0:
                m, link = plain.heartbeat_encode(2, 3, 0, 4, 4), plain
            elif i % 10 == 5:
                m, link = plain.system_time_encode(t - 5_000, i * 20), plain
            elif i % 10 == 7:
                m, link = signed.gps_raw_int_encode(i * 20_000, 3, -353626277 + i, 1491653034 - i, 588820, 77, 65535, 20, 3600, 11), signed
            else:
                m, link = plain.attitude_encode(i * 20, 0.001 * i, -0.002 * i, 0.5, 0.01, 0.02, 0.03), plain
            buf = m.pack(link)
            f.write(t.to_bytes(8, "big") + buf)
            messages.append(m)
    return path, messages


def replay_file(furrow_bin: Path, path: Path, *args: str) -> list[bytes]:
    receiver = Receiver()
    try:
        result = replay(furrow_bin, "--file", str(path), "--udp", f"127.0.0.1:{receiver.port}", "--speed", "20",
                        "--quiet", *args)
        assert result.returncode == 0, result.stderr
        time.sleep(0.3)
    finally:
        receiver.close()
    return receiver.datagrams


def test_without_options_the_file_frames_go_out_unchanged(furrow_bin: Path, mixed_tlog):
    path, messages = mixed_tlog
    got = replay_file(furrow_bin, path)
    assert got == [bytes(m.get_msgbuf()) for m in messages]


def test_sysid_rewrites_every_frame_with_a_valid_crc_and_unsigns(furrow_bin: Path, mixed_tlog):
    path, messages = mixed_tlog
    got = replay_file(furrow_bin, path, "--sysid", "42")
    decoded = decode_datagrams(got)
    assert len(decoded) == len(messages) == len(got)
    assert {m.get_srcSystem() for m in decoded} == {42}
    assert [m.get_type() for m in decoded] == [m.get_type() for m in messages]
    assert [m.get_seq() for m in decoded] == [m.get_seq() for m in messages]
    # Signed frames lose signature and flag; the payload is untouched.
    gps = [d for d in got if d[7] == 24]
    assert gps and all(d[2] == 0 and len(d) == d[1] + 12 for d in gps)
    originals = decode_datagrams([bytes(m.get_msgbuf()) for m in messages])
    assert [a.to_dict() for a in decoded] == [b.to_dict() for b in originals]


def test_only_and_exclude_send_exactly_the_selected_messages_in_order(furrow_bin: Path, mixed_tlog):
    path, messages = mixed_tlog
    only = decode_datagrams(replay_file(furrow_bin, path, "--only", "HEARTBEAT,SYSTEM_TIME"))
    want = [m for m in messages if m.get_type() in ("HEARTBEAT", "SYSTEM_TIME")]
    assert [m.get_type() for m in only] == [m.get_type() for m in want]
    assert [m.get_seq() for m in only] == [m.get_seq() for m in want]
    excluded = decode_datagrams(replay_file(furrow_bin, path, "--exclude", "ATTITUDE"))
    assert [m.get_type() for m in excluded] == [m.get_type() for m in messages if m.get_type() != "ATTITUDE"]
    bad = replay(furrow_bin, "--file", str(path), "--udp", "127.0.0.1:9", "--only", "NO_SUCH_MESSAGE")
    assert bad.returncode != 0 and "NO_SUCH_MESSAGE" in bad.stderr


def test_timestamps_now_shifts_unix_times_only(furrow_bin: Path, mixed_tlog):
    path, messages = mixed_tlog
    started = time.time()
    decoded = decode_datagrams(replay_file(furrow_bin, path, "--timestamps", "now", "--sysid", "9"))
    ended = time.time()
    times = [m for m in decoded if m.get_type() == "SYSTEM_TIME"]
    assert len(times) == 20
    for m in times:
        # Each was 5 ms before its record's receive time; now it is 5 ms before the moment it was sent.
        assert started * 1e6 - 10_000 <= m.time_unix_usec <= ended * 1e6, (m.time_unix_usec, started)
    boot = [m for m in decoded if m.get_type() == "GPS_RAW_INT"]
    assert [m.time_usec for m in boot] == [m.time_usec for m in messages if m.get_type() == "GPS_RAW_INT"]
    assert [m.time_boot_ms for m in times] == [m.time_boot_ms for m in messages if m.get_type() == "SYSTEM_TIME"]


# MARK: - .bin / .ulg re-encoded as MAVLink 2

REALDATA = Path("/work/shared/realdata/flightlogs")


def replay_log(furrow_bin: Path, path: Path) -> list:
    datagrams = replay_file(furrow_bin, path, "--speed", "100")
    return decode_datagrams(datagrams)


def test_dataflash_log_replays_as_mavlink_with_dfreader_positions(furrow_bin: Path):
    from pymavlink import DFReader
    path = REALDATA / "pymavlink__test.BIN"
    log = DFReader.DFReader_binary(str(path))
    gps, pos, att = [], [], []
    while (m := log.recv_msg()) is not None:
        if m.get_type() == "GPS" and getattr(m, "I", 0) == 0:
            gps.append(m)
        elif m.get_type() == "POS":
            pos.append(m)
        elif m.get_type() == "ATT":
            att.append(m)
    decoded = replay_log(furrow_bin, path)
    raw = [m for m in decoded if m.get_type() == "GPS_RAW_INT"]
    assert len(raw) == len(gps) > 0
    assert [(m.lat, m.lon) for m in raw] == [(round(g.Lat * 1e7), round(g.Lng * 1e7)) for g in gps]
    assert [m.time_usec for m in raw] == [g.TimeUS for g in gps]
    assert [m.alt for m in raw] == [round(g.Alt * 1000) for g in gps]
    glob = [m for m in decoded if m.get_type() == "GLOBAL_POSITION_INT"]
    assert [(m.lat, m.lon) for m in glob] == [(round(p.Lat * 1e7), round(p.Lng * 1e7)) for p in pos]
    attitude = [m for m in decoded if m.get_type() == "ATTITUDE"]
    assert len(attitude) == len(att)
    import math
    for a, b in zip(attitude, att):
        assert abs(a.roll - math.radians(b.Roll)) < 1e-5
    beats = [m for m in decoded if m.get_type() == "HEARTBEAT"]
    assert beats and all(b.autopilot == 3 for b in beats)
    assert any(m.get_type() == "SYS_STATUS" for m in decoded)
    boot = [getattr(m, "time_boot_ms", None) or getattr(m, "time_usec", 0) // 1000 for m in decoded if m.get_type() in ("ATTITUDE", "GPS_RAW_INT", "GLOBAL_POSITION_INT")]
    assert boot == sorted(boot), "in log time order"


def test_ulog_replays_as_mavlink_with_pyulog_positions(furrow_bin: Path):
    from pyulog import ULog
    path = REALDATA / "pyulog__sample_log_small.ulg"
    ulog = ULog(str(path))
    gps = next(d for d in ulog.data_list if d.name == "vehicle_gps_position" and d.multi_id == 0).data
    attitude = next(d for d in ulog.data_list if d.name == "vehicle_attitude" and d.multi_id == 0).data
    decoded = replay_log(furrow_bin, path)
    raw = [m for m in decoded if m.get_type() == "GPS_RAW_INT"]
    assert len(raw) == len(gps["timestamp"]) > 0
    assert [m.lat for m in raw] == [int(v) for v in gps["lat"]]
    assert [m.lon for m in raw] == [int(v) for v in gps["lon"]]
    assert [m.time_usec for m in raw] == [int(t) for t in gps["timestamp"]]
    assert [m.fix_type for m in raw] == [int(v) for v in gps["fix_type"]]
    assert len([m for m in decoded if m.get_type() == "ATTITUDE"]) == len(attitude["timestamp"])
    glob = [m for m in decoded if m.get_type() == "GLOBAL_POSITION_INT"]
    assert [(m.lat, m.lon) for m in glob] == [(int(a), int(o)) for a, o, f in zip(gps["lat"], gps["lon"], gps["fix_type"]) if f >= 3]
    beats = [m for m in decoded if m.get_type() == "HEARTBEAT"]
    assert beats and all(b.autopilot == 12 for b in beats)
    assert any(m.get_type() == "SYS_STATUS" for m in decoded)
    times = [m.time_usec for m in raw]
    assert times == sorted(times)


# MARK: - Reprocess: re-decode an archived link with a newer profile

def test_reprocess_with_a_newer_profile_replaces_rows_without_doubling(furrow_bin: Path, tmp_path: Path):
    daemon = Daemon(furrow_bin, tmp_path / "data")  # links given with --udp use the generic profile
    daemon.start()
    m = mavutil.mavlink_connection(f"udpout:127.0.0.1:{daemon.udp}", source_system=7, source_component=1)
    sent = []
    for i in range(150):
        m.mav.global_position_int_send(i * 100, -353626277 + 13 * i, 1491653034 - 7 * i, 588820 + i, 1500 + 10 * i,
                                       12, -3, 1, 9000)
        m.mav.sys_status_send(0, 0, 0, 500, 12600 - i, 230 + i, 80, 0, 0, 0, 0, 0, 0)
        sent.append((-353626277 + 13 * i, 12600 - i, 1500 + 10 * i))
        if i % 10 == 0:
            m.mav.heartbeat_send(2, 3, 0, 4, 4)
        time.sleep(0.002)
    m.close()
    time.sleep(1)
    assert daemon.stop() == 0
    source = f"udp{daemon.udp}-7-1"
    before = daemon.query(source, "GLOBAL_POSITION_INT", "lat")
    assert [int(v) for _, v in before] == [s[0] for s in sent]
    db = str(daemon.data / "furrow.sqlite")
    profiles = str(Path(__file__).resolve().parents[2] / "Hardware" / "profiles")

    def reprocess() -> dict:
        import json
        result = subprocess.run([str(furrow_bin), "reprocess", "--db", db, "--source", f"udp{daemon.udp}",
                                 "--profile", "ardupilot-sprayer", "--profiles", profiles, "--json"],
                                capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr + result.stdout
        return json.loads(result.stdout)

    report = reprocess()
    print("reprocess report:", report)
    assert report["refused"] == []
    assert f"{source}/GLOBAL_POSITION_INT" in report["replacedGroups"]
    # The sprayer profile's channels, with the values pymavlink sent, one row per frame (none doubled).
    lat = daemon.query(source, "GLOBAL_POSITION_INT", "lat")
    assert [t for t, _ in lat] == [t for t, _ in before], "the same timestamps as the first decode"
    assert [round(float(v) * 1e7) for _, v in lat] == [s[0] for s in sent]
    relative = daemon.query(source, "GLOBAL_POSITION_INT", "relative_alt")
    assert [float(v) for _, v in relative] == pytest.approx([s[2] / 1000 for s in sent])
    voltage = daemon.query(source, "SYS_STATUS", "battery_voltage")
    assert [float(v) for _, v in voltage] == pytest.approx([s[1] / 1000 for s in sent])
    # Again: the groups now have the profile's channels, so rows are overwritten in place, not added.
    again = reprocess()
    assert again["replacedGroups"] == [] and again["rowsWritten"] == report["rowsWritten"]
    assert len(daemon.query(source, "GLOBAL_POSITION_INT", "lat")) == len(sent)
    assert len(daemon.query(source, "SYS_STATUS", "battery_voltage")) == len(sent)
    # A range: only its rows are rewritten (same channels now), nothing is added.
    lat = daemon.query(source, "GLOBAL_POSITION_INT", "lat")
    result = subprocess.run([str(furrow_bin), "reprocess", "--db", db, "--source", f"udp{daemon.udp}",
                             "--profile", "ardupilot-sprayer", "--profiles", profiles, "--json",
                             "--from", lat[50][0], "--to", lat[100][0]], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr + result.stdout
    import json
    ranged = json.loads(result.stdout)
    in_range = [t for t, _ in lat[50:100]]
    assert 2 * len(in_range) <= ranged["rowsWritten"] <= 2 * len(in_range) + 10  # + the heartbeats in range
    assert len(daemon.query(source, "GLOBAL_POSITION_INT", "lat")) == len(sent)
    # With the generic profile again, over a range, the changed groups are refused and left as they are.
    refused = subprocess.run([str(furrow_bin), "reprocess", "--db", db, "--source", f"udp{daemon.udp}",
                              "--profile", "generic-mavlink", "--profiles", profiles,
                              "--from", lat[50][0], "--to", lat[100][0]], capture_output=True, text=True, timeout=120)
    assert refused.returncode == 2 and "refused" in refused.stdout, refused.stdout + refused.stderr
    assert len(daemon.query(source, "GLOBAL_POSITION_INT", "lat")) == len(sent)


def test_flight_log_attitude_battery_and_heartbeat_fields(furrow_bin: Path):
    """ATTITUDE from the ULog quaternion (checked against pyulog's values converted here), SYS_STATUS from
    BAT/battery_status, HEARTBEAT's armed flag and mode from vehicle_status / MODE."""
    import math
    from pyulog import ULog
    from pymavlink import DFReader
    path = REALDATA / "pyulog__sample_log_small.ulg"
    ulog = ULog(str(path))
    topic = lambda name: next(d for d in ulog.data_list if d.name == name and d.multi_id == 0).data  # noqa: E731
    q = topic("vehicle_attitude")
    decoded = replay_log(furrow_bin, path)
    attitude = [m for m in decoded if m.get_type() == "ATTITUDE"]
    for m, w, x, y, z in zip(attitude, q["q[0]"], q["q[1]"], q["q[2]"], q["q[3]"]):
        w, x, y, z = float(w), float(x), float(y), float(z)
        assert m.roll == pytest.approx(math.atan2(2 * (w * x + y * z), 1 - 2 * (x * x + y * y)), abs=1e-5)
        assert m.pitch == pytest.approx(math.asin(max(-1, min(1, 2 * (w * y - z * x)))), abs=1e-5)
        assert m.yaw == pytest.approx(math.atan2(2 * (w * z + x * y), 1 - 2 * (y * y + z * z)), abs=1e-5)
    battery = topic("battery_status")
    status = [m for m in decoded if m.get_type() == "SYS_STATUS"]
    connected = [(v, c) for v, c, k in zip(battery["voltage_v"], battery["current_a"], battery["connected"]) if k]
    assert [m.voltage_battery for m in status] == [round(float(v) * 1000) for v, _ in connected]
    vehicle = topic("vehicle_status")
    armed = {bool(a == 2) for a in vehicle["arming_state"]}
    beats = [m for m in decoded if m.get_type() == "HEARTBEAT"]
    assert {bool(b.base_mode & 128) for b in beats} == armed
    # DataFlash: MODE.ModeNum as custom_mode, BAT.Volt as mV.
    log = DFReader.DFReader_binary(str(REALDATA / "pymavlink__test.BIN"))
    modes, volts = [], []
    while (m := log.recv_msg()) is not None:
        if m.get_type() == "MODE":
            modes.append(m.ModeNum)
        elif m.get_type() == "BAT":
            volts.append(round(m.Volt * 1000))
    decoded = replay_log(furrow_bin, REALDATA / "pymavlink__test.BIN")
    assert {m.custom_mode for m in decoded if m.get_type() == "HEARTBEAT"} == set(modes)
    assert [m.voltage_battery for m in decoded if m.get_type() == "SYS_STATUS"] == volts


# MARK: - Coalesced datagrams (--coalesce): the same byte stream, fewer datagrams

def tlog_messages(path: Path) -> list[bytes]:
    """Every frame of a .tlog as pymavlink reads it, in order."""
    log = mavutil.mavlink_connection(str(path))
    frames = []
    while (msg := log.recv_match()) is not None:
        frames.append(bytes(msg.get_msgbuf()))
    return frames


@pytest.fixture(scope="module")
def fleet_tlog(furrow_bin: Path, tmp_path_factory) -> tuple[Path, list[bytes]]:
    path = tmp_path_factory.mktemp("coalesce") / "fleet.tlog"
    subprocess.run([str(furrow_bin), "simulate", "--drones", "20", "--duration", "10", "--tlog", str(path)],
                   check=True, capture_output=True)
    return path, tlog_messages(path)


@pytest.mark.parametrize("limit", [1400, 8192])
def test_coalesced_datagrams_carry_whole_frames_and_the_exact_stream(furrow_bin: Path, fleet_tlog, limit: int):
    path, want = fleet_tlog
    receiver = Receiver()
    try:
        result = replay(furrow_bin, "--file", str(path), "--udp", f"127.0.0.1:{receiver.port}", "--max-rate",
                        "--coalesce", str(limit), "--quiet")
        assert result.returncode == 0, result.stderr
        time.sleep(0.5)
    finally:
        receiver.close()
    got = receiver.datagrams
    assert len(want) > 5000
    assert b"".join(got) == b"".join(want), "the byte stream is exactly the archived frames, in order"
    assert all(len(d) <= limit for d in got)
    # Every datagram starts and ends on a frame boundary: the frames, cut where the datagrams are cut.
    boundaries = set()
    offset = 0
    for frame in want:
        offset += len(frame)
        boundaries.add(offset)
    offset = 0
    for d in got:
        offset += len(d)
        assert offset in boundaries
    # Joined greedily: each datagram but the last of a batch could not take the next frame.
    assert len(got) <= len(b"".join(want)) // (limit - 300) + 10, (len(got), len(want))
    assert f"{len(want)} records" in result.stderr


def test_pymavlink_udpin_decodes_every_coalesced_frame_in_order(furrow_bin: Path, fleet_tlog):
    path, want = fleet_tlog
    port = free_port(socket.SOCK_DGRAM)
    m = mavutil.mavlink_connection(f"udpin:127.0.0.1:{port}")
    m.port.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    process = subprocess.Popen([str(furrow_bin), "replay", "--file", str(path), "--udp", f"127.0.0.1:{port}",
                                "--max-rate", "--coalesce", "1400", "--quiet"], stderr=subprocess.PIPE, text=True)
    got = []
    deadline = time.time() + 60
    while len(got) < len(want) and time.time() < deadline:
        msg = m.recv_match(blocking=True, timeout=1)
        if msg is not None:
            assert msg.get_type() != "BAD_DATA", msg
            got.append(bytes(msg.get_msgbuf()))
    process.wait(timeout=30)
    m.close()
    assert process.returncode == 0, process.stderr.read()
    assert len(got) == len(want)
    assert got == want


def test_coalesce_needs_udp_and_a_sane_size(furrow_bin: Path, fleet_tlog):
    path, _ = fleet_tlog
    for args in (["--pty", "--coalesce", "1400"], ["--udp", "127.0.0.1:9", "--coalesce", "0"],
                 ["--udp", "127.0.0.1:9", "--coalesce", "70000"]):
        result = replay(furrow_bin, "--file", str(path), "--max-rate", "--quiet", *args)
        assert result.returncode != 0 and "--coalesce" in result.stderr, result.stderr


# MARK: - Reprocess a time range, senders named by the daemon configuration's [[source]] rules

def test_reprocess_a_range_with_source_rules_replaces_only_that_range(furrow_bin: Path, tmp_path: Path):
    """A daemon with a [[source]] rule (system 7 is "sprayer-7"; system 8 keeps the default name) and the
    sprayer profile; then the profile's battery voltage scale changes (a recalibration) and `furrow reprocess
    --config` re-decodes a sub-range: inside it the values follow the new scale, outside they are untouched,
    row counts and timestamps stay, and the rule's names are used (no `udp…-7-1` source appears)."""
    import json
    import shutil
    repo_profiles = Path(__file__).resolve().parents[2] / "Hardware" / "profiles"
    profiles = tmp_path / "profiles"
    shutil.copytree(repo_profiles, profiles)
    daemon = Daemon(furrow_bin, tmp_path / "data")
    link = f"udp{daemon.udp}"
    daemon.config = f"""
profile_directories = ["{profiles}"]

[[udp]]
name = "{link}"
listen = "127.0.0.1:{daemon.udp}"
profile = "ardupilot-sprayer"

[[source]]
link = "{link}"
system_id = 7
name = "sprayer-7"
"""
    daemon.start()
    senders = {7: mavutil.mavlink_connection(f"udpout:127.0.0.1:{daemon.udp}", source_system=7, source_component=1),
               8: mavutil.mavlink_connection(f"udpout:127.0.0.1:{daemon.udp}", source_system=8, source_component=1)}
    n = 120
    for i in range(n):
        for sysid, m in senders.items():
            m.mav.sys_status_send(0, 0, 0, 500, 12000 + sysid * 100 + i, 230 + i, 80, 0, 0, 0, 0, 0, 0)
            m.mav.global_position_int_send(i * 100, -353626277 + 13 * i, 1491653034 - 7 * i, 588820 + i,
                                           1500 + 10 * i, 12, -3, 1, 9000)
        time.sleep(0.003)
    for m in senders.values():
        m.close()
    time.sleep(1)
    assert daemon.stop() == 0
    names = {7: "sprayer-7", 8: f"{link}-8-1"}
    before = {s: daemon.query(names[s], "SYS_STATUS", "battery_voltage") for s in names}
    lat_before = {s: daemon.query(names[s], "GLOBAL_POSITION_INT", "lat") for s in names}
    for s in names:
        assert [float(v) for _, v in before[s]] == pytest.approx([(12000 + s * 100 + i) / 1000 for i in range(n)])
        assert len(lat_before[s]) == n

    # The recalibration: battery voltage scale 0.001 -> 0.002 (same channels).
    sprayer = profiles / "ardupilot-sprayer.toml"
    text = sprayer.read_text()
    assert 'field = "voltage_battery", unit = "V", scale = 0.001' in text
    sprayer.write_text(text.replace('field = "voltage_battery", unit = "V", scale = 0.001',
                                    'field = "voltage_battery", unit = "V", scale = 0.002'))
    times7 = [t for t, _ in before[7]]
    lo, hi = 40, 80
    args = [str(furrow_bin), "reprocess", "--config", str(daemon.data / "furrow.toml"), "--db",
            str(daemon.data / "furrow.sqlite"), "--source", link, "--from", times7[lo], "--to", times7[hi], "--json"]
    result = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert result.returncode == 0, result.stderr + result.stdout
    report = json.loads(result.stdout)
    print("reprocess report:", report)
    assert report["refused"] == [] and report["replacedGroups"] == []
    assert report["sources"] == sorted([f"default/sprayer-7", f"default/{link}-8-1"])
    assert all(not g.startswith(f"{link}-7-1/") for g in report["groups"])
    assert report["rowsWritten"] == report["rowsDeleted"], "each row in the range replaced by exactly one"

    def check_after() -> None:
        for s in names:
            after = daemon.query(names[s], "SYS_STATUS", "battery_voltage")
            assert [t for t, _ in after] == [t for t, _ in before[s]], "same rows, same timestamps, none doubled"
            inside = [i for i, (t, _) in enumerate(before[s]) if times7[lo] <= t < times7[hi]]
            assert len(inside) >= hi - lo - 2
            for i, (_, v) in enumerate(after):
                raw = 12000 + s * 100 + i
                expected = raw * 0.002 if i in inside else raw * 0.001
                assert float(v) == pytest.approx(expected), (s, i, v)
            assert daemon.query(names[s], "GLOBAL_POSITION_INT", "lat") == lat_before[s]

    check_after()
    # Again: the same range gives the same store (rows replaced, not added).
    again = subprocess.run(args, capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert again.returncode == 0, again.stderr + again.stdout
    assert json.loads(again.stdout)["rowsWritten"] == report["rowsWritten"]
    check_after()
    # No source under the default name of system 7: the rule names it.
    missing = subprocess.run([str(furrow_bin), "query", "--db", str(daemon.data / "furrow.sqlite"), "--project",
                              "default", "--source", f"{link}-7-1", "--group", "SYS_STATUS", "--channel",
                              "battery_voltage"], capture_output=True, text=True)
    assert missing.returncode != 0 or missing.stdout.strip() in ("", "timestamp,battery_voltage")
