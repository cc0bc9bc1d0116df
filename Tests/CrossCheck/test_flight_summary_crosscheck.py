"""Cross-check: ``furrow flight summary`` / ``furrow flight track`` against pymavlink, pyulog and geographiclib.

Run::

    swift build
    FURROW_BIN=$PWD/.build/debug/furrow python -m pytest Tests/CrossCheck/test_flight_summary_crosscheck.py -q

For each real log in ``../shared/realdata/flightlogs`` the same quantities are computed here from the
reference readers (pymavlink ``mavutil`` for the .tlog, ``DFReader_binary`` for the .bin, ``pyulog.ULog``
for the .ulg) and geographiclib (``Geodesic.WGS84.Inverse``), following the rules the summary documents:

* GPS points: .tlog GPS_RAW_INT of the vehicle with fix_type >= 3; .bin GPS with Status >= 3; .ulg
  vehicle_gps_position (multi_id 0) with fix_type >= 3; never (0, 0). Same count, same positions.
* distance: geodesic sum over consecutive fixes that are both armed (all fixes when the log never says
  whether it is armed), within 0.5 %.
* max altitude MSL (GPS) and relative (GLOBAL_POSITION_INT.relative_alt / POS.RelHomeAlt / -local z).
* batteries: min voltage and consumed mAh per instance (BAT.CurrTot, battery_status.discharged_mah).
* mode timeline: pymavlink's own mode names (``mode_string_v10`` on HEARTBEAT, ``DFReader.flightmode``
  after MODE), PX4 nav_state numbers; same names at the same times.
* error / warning counts (STATUSTEXT severity <= 4, ERR, MSG, ULog logged strings level <= 4), dropouts,
  armed periods, start/end, and the UTC offset (DFReader's own GPS clock; time_utc_usec - timestamp).

A synthetic ArduCopter .bin (written with ``dataflash_synth`` helpers: arming by EV, five modes, an ERR, a
3 s gap, a three-pass lawnmower placed with geographiclib) checks arming-gated distance and the covered
area against the exact union area 3wL + w² + πw²/2.

The exports are parsed back: GeoJSON with ``json``, KML and GPX with ElementTree (GPX: namespace, one trkpt
per fix with the same lat/lon, ``ele``, ISO 8601 ``time``). gpxpy is not installed, and the GPX XSD is not
available offline, so the GPX check is structural.
"""
from __future__ import annotations

import json
import os
import subprocess
import xml.etree.ElementTree as ET
from datetime import datetime, timezone
from pathlib import Path

import pytest

os.environ.setdefault("MAVLINK20", "1")
from geographiclib.geodesic import Geodesic  # noqa: E402
from pymavlink import DFReader, mavutil  # noqa: E402
from pyulog import ULog  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("FURROW_REALDATA", str(REPO.parent / "shared" / "realdata" / "flightlogs")))
GEOD = Geodesic.WGS84

PX4_NAV_STATE = {
    0: "MANUAL", 1: "ALTCTL", 2: "POSCTL", 3: "AUTO_MISSION", 4: "AUTO_LOITER", 5: "AUTO_RTL", 10: "ACRO",
    12: "DESCEND", 13: "TERMINATION", 14: "OFFBOARD", 15: "STAB", 17: "AUTO_TAKEOFF", 18: "AUTO_LAND",
    19: "AUTO_FOLLOW_TARGET", 20: "AUTO_PRECLAND", 21: "ORBIT", 22: "AUTO_VTOL_TAKEOFF",
}


def real_log(name: str) -> Path:
    path = REALDATA / name
    if not path.is_file():
        pytest.fail(f"real log missing: {path} (set FURROW_REALDATA)", pytrace=False)
    return path


def furrow(binary: Path, *args: str) -> str:
    proc = subprocess.run([str(binary), "flight", *args], capture_output=True, timeout=600)
    assert proc.returncode == 0, f"furrow flight {args} failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}"
    return proc.stdout.decode()


def summary(binary: Path, path: Path, *extra: str) -> dict:
    return json.loads(furrow(binary, "summary", str(path), "--track", *extra))


class Expected:
    """The quantities the summary reports, computed from the reference readers."""

    def __init__(self) -> None:
        self.fixes: list[tuple[int, float, float, float, bool]] = []  # time µs, lat, lon, alt, armed
        self.armed: bool | None = None
        self.armed_since: int | None = None
        self.periods: list[tuple[int, int, bool]] = []
        self.first: int | None = None
        self.last: int | None = None
        self.max_rel: float | None = None
        self.modes: list[tuple[int, str]] = []
        self.errors = 0
        self.warnings = 0
        self.texts = 0
        self.gaps = 0
        self.battery_min_v: dict[int, float] = {}
        self.battery_mah: dict[int, float] = {}

    def seen(self, t: int, gap: int | None = 2_000_000) -> None:
        if self.last is not None and t > self.last:
            if gap is not None and t - self.last > gap:
                self.gaps += 1
            self.last = t
        elif self.last is None:
            self.last = t
        if self.first is None or t < self.first:
            self.first = t

    def set_armed(self, armed: bool, t: int) -> None:
        if self.armed == armed:
            return
        if armed:
            self.armed_since = t
        elif self.armed_since is not None:
            self.periods.append((self.armed_since, t, False))
            self.armed_since = None
        self.armed = armed

    def fix(self, t: int, lat: float, lon: float, alt: float) -> None:
        if lat == 0 and lon == 0:
            return
        self.fixes.append((t, lat, lon, alt, bool(self.armed)))

    def mode(self, t: int, name: str) -> None:
        if not self.modes or self.modes[-1][1] != name:
            self.modes.append((t, name))

    def rel(self, v: float) -> None:
        self.max_rel = v if self.max_rel is None else max(self.max_rel, v)

    def battery(self, inst: int, volt: float | None, mah: float | None) -> None:
        if volt is not None and volt > 0:
            self.battery_min_v[inst] = min(self.battery_min_v.get(inst, volt), volt)
        if mah is not None and mah >= 0:
            self.battery_mah[inst] = max(self.battery_mah.get(inst, mah), mah)

    def finish(self) -> None:
        if self.armed_since is not None:
            self.periods.append((self.armed_since, max(self.last or 0, self.armed_since), True))
            self.armed_since = None

    @property
    def distance(self) -> float:
        known = self.armed is not None
        total = 0.0
        for a, b in zip(self.fixes, self.fixes[1:]):
            if not known or (a[4] and b[4]):
                total += GEOD.Inverse(a[1], a[2], b[1], b[2])["s12"]
        return total


def compare(got: dict, exp: Expected, *, label: str, figures: list[str]) -> None:
    track = got.get("track", [])
    assert got["gpsPointCount"] == len(exp.fixes) == len(track), label
    for p, f in zip(track, exp.fixes):
        assert p["timeMicros"] == f[0]
        assert p["latitude"] == pytest.approx(f[1], abs=1e-9)
        assert p["longitude"] == pytest.approx(f[2], abs=1e-9)
        assert p["altitudeMSL"] == pytest.approx(f[3], abs=1e-6)
        assert p["armed"] == f[4]
    dist = exp.distance
    assert got["distanceMeters"] == pytest.approx(dist, rel=0.005, abs=1e-6), label
    if exp.fixes:
        assert got["maxAltitudeMSL"] == pytest.approx(max(f[3] for f in exp.fixes), abs=1e-6)
    else:
        assert "maxAltitudeMSL" not in got
    if exp.max_rel is not None:
        assert got["maxAltitudeRelative"] == pytest.approx(exp.max_rel, abs=1e-5)
    periods = [(p["startMicros"], p["endMicros"], p["openAtEnd"]) for p in got["armedPeriods"]]
    assert periods == exp.periods, label
    if exp.periods:
        assert got["startEndFromArming"] and got["startMicros"] == exp.periods[0][0] and got["endMicros"] == exp.periods[-1][1]
    else:
        assert not got["startEndFromArming"] and got["startMicros"] == exp.first and got["endMicros"] == exp.last
    modes = [(m["timeMicros"], m["name"]) for m in got["modes"]]
    assert modes == exp.modes, label
    assert (got["errorCount"], got["warningCount"], got["textCount"]) == (exp.errors, exp.warnings, exp.texts), label
    batteries = {b["instance"]: b for b in got["batteries"]}
    for inst, v in exp.battery_min_v.items():
        assert batteries[inst]["minVoltage"] == pytest.approx(v, rel=1e-6), (label, inst)
    for inst, mah in exp.battery_mah.items():
        assert batteries[inst]["consumedMilliampHours"] == pytest.approx(mah, rel=1e-6), (label, inst)
    if not exp.battery_min_v:
        assert all("minVoltage" not in b for b in got["batteries"])
    figures.append(
        f"{label}: {len(exp.fixes)} fixes, distance furrow {got['distanceMeters']:.3f} m vs geographiclib {dist:.3f} m, "
        f"max MSL {got.get('maxAltitudeMSL')}, max rel {got.get('maxAltitudeRelative')}, "
        f"min V {[b.get('minVoltage') for b in got['batteries']]}, mAh {[b.get('consumedMilliampHours') for b in got['batteries']]}, "
        f"{len(exp.modes)} mode changes, errors/warnings/texts {exp.errors}/{exp.warnings}/{exp.texts}, "
        f"armed {exp.periods}, dropouts {got['dropouts']['count']}")


FIGURES: list[str] = []


@pytest.fixture(scope="module", autouse=True)
def print_figures():
    yield
    print("\n" + "\n".join(FIGURES))


# MARK: - .tlog


def expected_tlog(path: Path) -> Expected:
    exp = Expected()
    conn = mavutil.mavlink_connection(str(path), dialect="ardupilotmega")
    vehicle = None
    while True:
        m = conn.recv_msg()
        if m is None:
            break
        if m.get_type() == "BAD_DATA":
            continue
        src = m.get_srcSystem()
        if vehicle is not None and src != vehicle:
            continue
        if vehicle is None and src == 255:
            continue
        t = int(round(m._timestamp * 1e6)) & ~3
        exp.seen(t)
        kind = m.get_type()
        if kind == "HEARTBEAT":
            if m.type == 6 or m.autopilot == 8:
                continue
            if vehicle is None:
                vehicle = src
            exp.set_armed(bool(m.base_mode & 128), t)
            exp.mode(t, mavutil.mode_string_v10(m))
        elif kind == "GPS_RAW_INT" and m.fix_type >= 3:
            exp.fix(t, m.lat / 1e7, m.lon / 1e7, m.alt / 1000)
        elif kind == "GLOBAL_POSITION_INT":
            exp.rel(m.relative_alt / 1000)
        elif kind == "SYS_STATUS" and vehicle is not None:
            exp.battery(0, m.voltage_battery / 1000 if m.voltage_battery != 65535 else None, None)
        elif kind == "STATUSTEXT":
            if m.severity <= 3:
                exp.errors += 1
            elif m.severity == 4:
                exp.warnings += 1
    exp.finish()
    return exp


def test_tlog(furrow_bin: Path) -> None:
    path = real_log("UAVLogViewer__vtol.tlog")
    got = summary(furrow_bin, path)
    exp = expected_tlog(path)
    assert got["format"] == "tlog" and got["timeBase"] == "utc" and got["utcOffsetMicros"] == 0
    assert got["vehicle"]["autopilot"] == "ArduPilot"
    compare(got, exp, label="vtol.tlog", figures=FIGURES)
    assert got["dropouts"]["count"] == exp.gaps


# MARK: - .bin


def expected_dataflash(path: Path) -> tuple[Expected, float | None]:
    exp = Expected()
    reader = DFReader.DFReader_binary(str(path), zero_time_base=False)
    utc_offset = None
    armed_from_arm = False
    while True:
        m = reader.recv_msg()
        if m is None:
            break
        kind = m.get_type()
        t = getattr(m, "TimeUS", None) if "TimeUS" in m._fieldnames else None
        if t is not None and t > 0:
            exp.seen(t)
        if kind == "GPS" and m.Status >= 3 and t is not None:
            if utc_offset is None and m.GWk > 0:
                utc_offset = m._timestamp - t * 1e-6  # DFReader's own GPS clock
            exp.fix(t, m.Lat, m.Lng, m.Alt)
        elif kind == "POS":
            exp.rel(m.RelHomeAlt)
        elif kind in ("BAT", "CURR"):
            inst = int(getattr(m, "Instance", getattr(m, "Inst", 0)) or 0)
            exp.battery(inst, m.Volt, getattr(m, "CurrTot", None))
        elif kind == "MODE":
            exp.mode(t, reader.flightmode)
        elif kind == "ARM":
            armed_from_arm = True
            exp.set_armed(m.ArmState != 0, t)
        elif kind == "EV" and not armed_from_arm and m.Id in (10, 11):
            exp.set_armed(m.Id == 10, t)
        elif kind == "ERR":
            exp.errors += 1
        elif kind == "MSG":
            exp.texts += 1
    exp.finish()
    return exp, utc_offset


def test_dataflash(furrow_bin: Path) -> None:
    path = real_log("pymavlink__test.BIN")
    got = summary(furrow_bin, path)
    exp, utc_offset = expected_dataflash(path)
    assert got["format"] == "dataflash" and got["timeBase"] == "boot"
    assert got["vehicle"]["vehicleType"] == "ArduPlane"
    assert "truncation" in got  # the file is the first 64 KiB of a log
    if utc_offset is None:
        assert "utcOffsetMicros" not in got
    else:
        assert got["utcOffsetMicros"] / 1e6 == pytest.approx(utc_offset, abs=0.05)
        FIGURES.append(f"test.BIN: UTC offset furrow {got['utcOffsetMicros'] / 1e6:.6f} s vs DFReader {utc_offset:.6f} s")
    compare(got, exp, label="test.BIN", figures=FIGURES)
    assert got["dropouts"]["count"] == exp.gaps


# MARK: - .ulg


def expected_ulog(path: Path) -> tuple[Expected, ULog, int | None]:
    ulog = ULog(str(path))
    exp = Expected()
    events: list[tuple[int, int, str, dict]] = []  # (timestamp, order, topic, row)
    order = 0
    for d in ulog.data_list:
        for t in d.data["timestamp"]:
            if t > 0:
                exp.seen(int(t), gap=None)
        if d.name in ("vehicle_gps_position", "vehicle_status") and d.multi_id == 0:
            keys = list(d.data.keys())
            for i in range(len(d.data["timestamp"])):
                events.append((int(d.data["timestamp"][i]), 0 if d.name == "vehicle_status" else 1, d.name,
                               {k: d.data[k][i] for k in keys}))
                order += 1
        elif d.name == "vehicle_local_position":
            for i, z in enumerate(d.data["z"]):
                if "z_valid" not in d.data or d.data["z_valid"][i]:
                    exp.rel(float(-z))
        elif d.name == "battery_status":
            for i in range(len(d.data["timestamp"])):
                if "connected" in d.data and not d.data["connected"][i]:
                    continue
                exp.battery(d.multi_id, float(d.data["voltage_v"][i]), float(d.data["discharged_mah"][i]))
    utc_offset = None
    for t, _, name, row in sorted(events, key=lambda e: (e[0], e[1])):
        if name == "vehicle_status":
            exp.set_armed(int(row["arming_state"]) == 2, t)
            exp.mode(t, PX4_NAV_STATE.get(int(row["nav_state"]), f"NAV_STATE({int(row['nav_state'])})"))
        elif int(row["fix_type"]) >= 3:
            if utc_offset is None and row["time_utc_usec"] > 0:
                utc_offset = int(row["time_utc_usec"]) - t
            exp.fix(t, row["lat"] / 1e7, row["lon"] / 1e7, row["alt"] / 1000)
    tagged = [m for ms in getattr(ulog, "logged_messages_tagged", {}).values() for m in ms]
    for m in list(ulog.logged_messages) + tagged:
        level = m.log_level - ord("0")  # pyulog keeps the ASCII digit
        if level <= 3:
            exp.errors += 1
        elif level == 4:
            exp.warnings += 1
    exp.finish()
    return exp, ulog, utc_offset


@pytest.mark.parametrize("name", ["pyulog__sample.ulg", "pyulog__sample_log_small.ulg"])
def test_ulog(furrow_bin: Path, name: str) -> None:
    path = real_log(name)
    got = summary(furrow_bin, path)
    exp, ulog, utc_offset = expected_ulog(path)
    assert got["format"] == "ulog" and got["timeBase"] == "boot"
    assert got["vehicle"]["autopilot"] == ulog.msg_info_dict["sys_name"]
    assert got["vehicle"]["firmware"] == ulog.msg_info_dict["ver_sw"]
    assert got["vehicle"]["hardware"] == ulog.msg_info_dict["ver_hw"]
    assert got.get("utcOffsetMicros") == utc_offset
    assert got["dropouts"]["count"] == len(ulog.dropouts)
    assert got["dropouts"]["totalMicros"] == sum(d.duration for d in ulog.dropouts) * 1000
    compare(got, exp, label=name, figures=FIGURES)


# MARK: - exports


GPX_NS = "{http://www.topografix.com/GPX/1/1}"
KML_NS = "{http://www.opengis.net/kml/2.2}"


@pytest.mark.parametrize("name", ["UAVLogViewer__vtol.tlog", "pyulog__sample_log_small.ulg", "pymavlink__test.BIN"])
def test_exports_parse_back(furrow_bin: Path, name: str) -> None:
    path = real_log(name)
    got = summary(furrow_bin, path)
    track = got["track"]

    gpx = ET.fromstring(furrow(furrow_bin, "track", str(path), "--format", "gpx"))
    assert gpx.tag == GPX_NS + "gpx" and gpx.get("version") == "1.1"
    points = gpx.findall(f"{GPX_NS}trk/{GPX_NS}trkseg/{GPX_NS}trkpt")
    assert len(points) == len(track)
    for el, p in zip(points, track):
        assert float(el.get("lat")) == pytest.approx(p["latitude"], abs=5e-8)
        assert float(el.get("lon")) == pytest.approx(p["longitude"], abs=5e-8)
        assert float(el.find(GPX_NS + "ele").text) == pytest.approx(p["altitudeMSL"], abs=5.1e-3)
        time = el.find(GPX_NS + "time")
        if got.get("utcOffsetMicros") is None:
            assert time is None
        else:
            stamp = datetime.strptime(time.text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
            utc = (p["timeMicros"] + got["utcOffsetMicros"]) / 1e6
            assert stamp.timestamp() == pytest.approx(utc, abs=1e-3)

    kml = ET.fromstring(furrow(furrow_bin, "track", str(path), "--format", "kml"))
    assert kml.tag == KML_NS + "kml"
    coords = kml.find(f"{KML_NS}Document/{KML_NS}Placemark/{KML_NS}LineString/{KML_NS}coordinates")
    if len(track) >= 2:
        tuples = [tuple(map(float, c.split(","))) for c in coords.text.split()]
        assert len(tuples) == len(track)
        assert tuples[0] == pytest.approx((track[0]["longitude"], track[0]["latitude"], track[0]["altitudeMSL"]), abs=5.1e-3)

    geo = json.loads(furrow(furrow_bin, "track", str(path), "--format", "geojson"))
    assert geo["type"] == "Feature"
    if len(track) >= 2:
        assert geo["geometry"]["type"] == "LineString"
        assert len(geo["geometry"]["coordinates"]) == len(track)
    assert geo["properties"]["distanceMeters"] == pytest.approx(got["distanceMeters"], abs=0.01)


def test_area_on_the_real_track(furrow_bin: Path) -> None:
    """The covered area grows with the swath and stays below (track length × width + the end disk)."""
    path = real_log("UAVLogViewer__vtol.tlog")
    narrow = summary(furrow_bin, path, "--swath-width", "2")
    wide = summary(furrow_bin, path, "--swath-width", "20")
    assert 0 < narrow["coveredAreaSquareMeters"] < wide["coveredAreaSquareMeters"]
    bound = narrow["distanceMeters"] * 2 + 3.1416 * 1.0 * 1.05 + 50
    assert narrow["coveredAreaSquareMeters"] <= bound
    FIGURES.append(f"vtol.tlog area: swath 2 m {narrow['coveredAreaSquareMeters']:.0f} m², 20 m {wide['coveredAreaSquareMeters']:.0f} m², "
                   f"armed distance {narrow['distanceMeters']:.0f} m")


@pytest.mark.parametrize("name", ["pyulog__sample_log_small.ulg", "UAVLogViewer__vtol.tlog"])
def test_truncated_copy_summarises(furrow_bin: Path, tmp_path: Path, name: str) -> None:
    data = real_log(name).read_bytes()
    cut = tmp_path / ("cut_" + name)
    cut.write_bytes(data[: len(data) // 2 + 5])
    whole = summary(furrow_bin, real_log(name))
    part = summary(furrow_bin, cut)
    assert part["gpsPointCount"] <= whole["gpsPointCount"]
    assert part["track"] == whole["track"][: len(part["track"])]
    if name.endswith(".ulg"):
        assert "truncation" in part


# MARK: - a synthetic ArduCopter spraying flight (arming, modes, ERR, a gap, a known covered area)


def synthetic_copter_flight(path: Path, swath: float, flow: list | None = None) -> float:
    """Writes an ArduCopter .bin: ground fixes away from the field, arm, a three-pass lawnmower (100 m passes
    ``swath`` apart) at 5 m/s with 5 Hz GPS, a 3 s logging gap, RTL/LAND, disarm, fixes after disarm elsewhere.
    Returns the union area of the armed track buffered by the swath: 3wL + w² + πw²/2."""
    import math as m

    from dataflash_synth import fmt_record, record

    lat0, lon0 = -35.36, 149.16

    def geo(east: float, north: float) -> tuple[float, float]:
        if east == 0 and north == 0:
            return lat0, lon0
        d = GEOD.Direct(lat0, lon0, m.degrees(m.atan2(east, north)), m.hypot(east, north))
        return d["lat2"], d["lon2"]

    types = {
        "MSG": (140, "QZ", "TimeUS,Message"),
        "GPS": (141, "QBIHLLff", "TimeUS,Status,GMS,GWk,Lat,Lng,Alt,Spd"),
        "POS": (142, "QLLff", "TimeUS,Lat,Lng,Alt,RelHomeAlt"),
        "BAT": (143, "QBffff", "TimeUS,Instance,Volt,Curr,CurrTot,EnrgTot"),
        "MODE": (144, "QMBB", "TimeUS,Mode,ModeNum,Rsn"),
        "EV": (145, "QB", "TimeUS,Id"),
        "ERR": (146, "QBB", "TimeUS,Subsys,ECode"),
        "FLOW": (147, "Qf", "TimeUS,Rate"),
    }
    out = bytearray()
    for name, (t, f, cols) in types.items():
        out += fmt_record(t, name, f, cols)

    def rec(name: str, *values) -> None:
        t, f, _ = types[name]
        out.extend(record(t, f, list(values)))

    L, w = 100.0, swath
    corners = [(0, 0), (L, 0), (L, w), (0, w), (0, 2 * w), (L, 2 * w)]
    flight: list[tuple[float, float]] = []
    for (e0, n0), (e1, n1) in zip(corners, corners[1:]):
        steps = int(round(m.hypot(e1 - e0, n1 - n0)))  # 1 m per fix
        flight += [(e0 + (e1 - e0) * k / steps, n0 + (n1 - n0) * k / steps) for k in range(steps)]
    flight.append(corners[-1])

    samples: list[tuple[int, float, float, float]] = []  # time µs, east, north, rel alt
    t = 6_000_000
    for _ in range(20):
        samples.append((t, -20.0, -20.0, 0.0))
        t += 200_000
    samples.append((t, 0.0, 0.0, 0.0))
    t += 200_000
    arm_time = t
    for k, (e, n) in enumerate(flight):
        samples.append((t, e, n, 10.0))
        t += 200_000
        if k == len(flight) // 2:
            t += 3_000_000  # a logging gap
    disarm_time = t
    samples += [(t + 200_000, 50.0, 50.0, 0.0), (t + 400_000, 50.0, 50.0, 0.0)]

    rec("MSG", 5_000_000, b"ArduCopter V4.5.7 (abcdef12)")
    rec("MSG", 5_000_100, b"CubeOrange 00340032 3031510C 33373338")
    rec("MODE", 5_500_000, 0, 0, 0)
    events = {
        arm_time: [("EV", arm_time, 10)],
        arm_time + 400_000: [("MODE", arm_time + 400_000, 5, 5, 1)],
        arm_time + 2_000_000: [("MODE", arm_time + 2_000_000, 3, 3, 1)],
        arm_time + 20_000_000: [("ERR", arm_time + 20_000_000, 11, 2)],
        disarm_time - 1_000_000: [("MODE", disarm_time - 1_000_000, 6, 6, 1)],
        disarm_time - 600_000: [("MODE", disarm_time - 600_000, 9, 9, 1)],
        disarm_time: [("EV", disarm_time, 11)],
    }
    mah = 0.0
    for t, e, n, rel in samples:
        for due in sorted(k for k in events if k <= t):
            for ev in events.pop(due):
                rec(*ev)
        if flow is not None:
            # The pump runs (2 L/min) on the passes only; its sample precedes the fix (the summary takes the
            # latest flow sample at each fix as "spraying").
            on = arm_time <= t < disarm_time and (n / w).is_integer() and 0 <= n <= 2 * w
            flow.append((t - 50, 2.0 if on else 0.0))
            rec("FLOW", t - 50, 2.0 if on else 0.0)
        lat, lon = geo(e, n)
        rec("GPS", t, 3, (400_000_000 + t // 1000) % 604_800_000, 2300, int(round(lat * 1e7)), int(round(lon * 1e7)), 600.0 + rel, 5.0)
        rec("POS", t + 50, int(round(lat * 1e7)), int(round(lon * 1e7)), 600.0 + rel, rel)
        mah += 20.0 * 0.2 / 3.6
        rec("BAT", t + 100, 0, 16.8 - t / 1e9, 20.0, mah, mah * 16 / 1000)
    for evs in events.values():
        for ev in evs:
            rec(*ev)
    path.write_bytes(bytes(out))
    return 3 * w * L + w * w + m.pi * w * w / 2


def test_synthetic_copter_flight(furrow_bin: Path, tmp_path: Path) -> None:
    path = tmp_path / "copter.bin"
    swath = 6.0
    area = synthetic_copter_flight(path, swath)
    got = summary(furrow_bin, path, "--swath-width", str(swath))
    exp, utc_offset = expected_dataflash(path)
    assert got["vehicle"]["vehicleType"] == "ArduCopter"
    assert got["vehicle"]["hardwareID"] == "00340032 3031510C 33373338"
    assert [m["name"] for m in got["modes"]] == ["STABILIZE", "LOITER", "AUTO", "RTL", "LAND"]
    assert got["errorCount"] == 1 and got["messages"][-1]["text"].startswith("ERR GPS code 2")
    assert got["dropouts"]["count"] == 1
    assert got["utcOffsetMicros"] / 1e6 == pytest.approx(utc_offset, abs=1e-3)
    compare(got, exp, label="synthetic copter.bin", figures=FIGURES)
    assert got["distanceMeters"] == pytest.approx(3 * 100 + 2 * swath, rel=1e-3)
    assert got["coveredAreaSquareMeters"] == pytest.approx(area, rel=0.005)
    assert got["maxAltitudeRelative"] == 10.0
    FIGURES.append(f"synthetic copter.bin: area furrow {got['coveredAreaSquareMeters']:.2f} m² vs exact {area:.2f} m² "
                   f"({(got['coveredAreaSquareMeters'] / area - 1) * 100:+.3f} %), distance {got['distanceMeters']:.3f} m vs 312 m")


def test_synthetic_spraying_area_and_flow(furrow_bin: Path, tmp_path: Path) -> None:
    """The generic flow hook: FLOW.Rate (L/min) integrated to litres, and the area counted only while it is on."""
    import math as m

    path = tmp_path / "spray.bin"
    swath = 6.0
    flow: list[tuple[int, float]] = []
    synthetic_copter_flight(path, swath, flow)
    got = summary(furrow_bin, path, "--swath-width", str(swath), "--flow", f"spray=FLOW.Rate*{1 / 60!r}",
                  "--area-while-spraying")
    litres = sum((a[1] + b[1]) / 2 / 60 * (b[0] - a[0]) / 1e6 for a, b in zip(flow, flow[1:]))
    assert got["flows"][0]["name"] == "spray"
    assert got["flows"][0]["total"] == pytest.approx(litres, rel=1e-9)
    # Three passes 2r apart: capsules that only touch, so 3 (L w + π r²).
    expected = 3 * (100 * swath + m.pi * (swath / 2) ** 2)
    assert got["coveredAreaSquareMeters"] == pytest.approx(expected, rel=0.005)
    FIGURES.append(f"synthetic spraying: {got['flows'][0]['total']:.4f} L vs {litres:.4f} L; sprayed area "
                   f"{got['coveredAreaSquareMeters']:.2f} m² vs exact {expected:.2f} m²")
