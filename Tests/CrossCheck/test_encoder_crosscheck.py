"""Cross-check: frames built by Furrow's MAVLink encoder are frames pymavlink accepts, with the values
``furrow decode`` prints.

Run::

    swift build && scripts/setup.sh
    FURROW_BIN=$PWD/.build/debug/furrow .venv/bin/python -m pytest Tests/CrossCheck -q -k encoder

For each case, ``furrow simulate ... --tlog FILE`` writes a simulated fleet's telemetry (the encoder's
fast path, MAVLink 2 with zero-truncated payloads or MAVLink 1).  Then:

* every record of the .tlog is checked by hand: an 8-byte big-endian µs timestamp, then exactly one
  frame whose CRC-16/MCRF4XX (with the CRC_EXTRA pymavlink knows for its id) matches;
* pymavlink's ``mavutil`` reads the file the way ``mavlogdump.py`` does: every record must decode
  (no ``BAD_DATA``: pymavlink rejects a bad CRC or length), with sequence numbers per sender without gaps;
* ``furrow decode --format jsonl --show-source --show-seq FILE`` must print, line for line, the object
  ``mavlogdump.py --format json`` prints for the message pymavlink decoded (type-strict, floats
  bit-exact, the same comparison as ``test_mavlink_crosscheck.py``).
"""
from __future__ import annotations

import struct
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

import mavlink_streams as ms
from conftest import SUMMARY
from test_mavlink_crosscheck import canon, field_diffs, run_furrow

START_TIME = 1_750_000_000  # s since the epoch: a fixed start makes the file reproducible
MAX_LISTED = 12


@dataclass(frozen=True)
class SimCase:
    drones: int
    mission: str
    version: int
    seed: int
    seconds: int

    @property
    def id(self) -> str:
        return f"{self.mission}-{self.drones}drones-v{self.version}-seed{self.seed}"


CASES = [
    SimCase(20, "spray", 2, 7, 120),
    SimCase(12, "survey", 2, 3, 120),
    SimCase(8, "spray", 1, 5, 60),
]

_files: dict[SimCase, Path] = {}


def simulate(furrow_bin: Path, case: SimCase, root: Path) -> Path:
    if case in _files:
        return _files[case]
    path = root / f"sim-{case.id}.tlog"
    argv = [str(furrow_bin), "simulate", "--drones", str(case.drones), "--mission", case.mission,
            "--seed", str(case.seed), "--duration", str(case.seconds), "--start-time", str(START_TIME),
            "--mavlink-version", str(case.version), "--tlog", str(path)]
    proc = subprocess.run(argv, capture_output=True, timeout=600)
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(argv)}` exited with {proc.returncode}:\n{proc.stderr.decode()[-3000:]}",
                    pytrace=False)
    _files[case] = path
    return path


def tlog_records(data: bytes) -> list[tuple[int, bytes]]:
    """Split a .tlog written by the simulator into (tusec, frame); fail on anything else."""
    out = []
    i = 0
    while i < len(data):
        assert i + 10 <= len(data), f"truncated record at byte {i}"
        (tusec,) = struct.unpack(">Q", data[i:i + 8])
        stx, length = data[i + 8], data[i + 9]
        assert stx in (ms.STX_V1, ms.STX_V2), f"record at byte {i}: start byte {stx:#x}"
        size = length + (12 if stx == ms.STX_V2 else 8)
        frame = data[i + 8:i + 8 + size]
        assert len(frame) == size, f"truncated frame at byte {i + 8}"
        out.append((tusec, frame))
        i += 8 + size
    return out


@pytest.mark.parametrize("case", [pytest.param(c, id=c.id) for c in CASES])
def test_encoder_frames_valid_for_pymavlink(case: SimCase, furrow_bin: Path, stream_root: Path) -> None:
    from pymavlink.dialects.v20 import ardupilotmega as mavlink

    path = simulate(furrow_bin, case, stream_root)
    records = tlog_records(path.read_bytes())
    assert len(records) > case.drones * case.seconds * 45

    # CRCs by hand, with pymavlink's CRC_EXTRA table.
    bad_crc = []
    versions = Counter()
    for n, (_, frame) in enumerate(records):
        v2 = frame[0] == ms.STX_V2
        versions[2 if v2 else 1] += 1
        header = 10 if v2 else 6
        msgid = int.from_bytes(frame[7:10], "little") if v2 else frame[5]
        extra = mavlink.mavlink_map[msgid].crc_extra
        crc = ms.crc16(frame[1:header + frame[1]] + bytes([extra]))
        if crc != int.from_bytes(frame[-2:], "little"):
            bad_crc.append(n)
    assert not bad_crc, f"{len(bad_crc)} frames with a bad CRC, first records {bad_crc[:MAX_LISTED]}"
    assert set(versions) == {case.version}, f"frame versions {dict(versions)}"

    # pymavlink reads every record as a message: no BAD_DATA, per-sender sequences without gaps.
    from pymavlink import mavutil

    mlog = mavutil.mavlink_connection(str(path), dialect="ardupilotmega", robust_parsing=True)
    messages: list[Any] = []
    bad = []
    try:
        while True:
            m = mlog.recv_msg()
            if m is None:
                break
            (bad if m.get_type() == "BAD_DATA" else messages).append(m)
    finally:
        mlog.close()
    assert not bad, f"pymavlink rejected {len(bad)} frames, e.g. {[b.reason for b in bad[:5]]}"
    assert len(messages) == len(records)
    last_seq: dict[tuple[int, int], int] = {}
    gaps = 0
    for m in messages:
        key = (m.get_srcSystem(), m.get_srcComponent())
        if key in last_seq and (last_seq[key] + 1) % 256 != m.get_seq():
            gaps += 1
        last_seq[key] = m.get_seq()
    assert gaps == 0
    assert len(last_seq) == case.drones
    for (tusec, _), m in zip(records, messages):
        assert m._timestamp == tusec * 1.0e-6

    types = Counter(m.get_type() for m in messages)
    expected_types = {"HEARTBEAT", "SYS_STATUS", "BATTERY_STATUS", "GPS_RAW_INT", "GLOBAL_POSITION_INT",
                      "ATTITUDE", "VFR_HUD", "SERVO_OUTPUT_RAW", "SYSTEM_TIME", "MISSION_CURRENT"}
    if case.mission == "spray":
        expected_types.add("NAMED_VALUE_FLOAT")
        assert all(m.name == "SPRAY_LPM" for m in messages if m.get_type() == "NAMED_VALUE_FLOAT")
    assert expected_types <= set(types), f"types {dict(types)}"

    # furrow decode prints what pymavlink decoded.
    run = run_furrow(furrow_bin, path, "tlog")
    expected = [ms.mavlogdump_object(m, m._timestamp) for m in messages]
    assert len(run.objects) == len(expected), f"furrow decode printed {len(run.objects)} lines for {len(expected)} frames"
    problems = []
    for n, (e, g) in enumerate(zip(expected, run.objects)):
        if canon(e) != canon(g):
            problems.append(f"  - line {n + 1} {e['meta']['type']}: " + "; ".join(
                f"{p}: {w}" for p, w in field_diffs(e, g)[:4]))
    assert not problems, f"{len(problems)} lines differ from pymavlink:\n" + "\n".join(problems[:MAX_LISTED])
    SUMMARY.append(f"encoder {case.id}: {len(records)} frames, {len(types)} types; pymavlink: 0 bad CRC, "
                   f"0 BAD_DATA; furrow decode == pymavlink on every line")
