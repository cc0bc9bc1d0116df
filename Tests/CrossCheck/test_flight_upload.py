"""Flight-log uploads over a real `furrow serve`: the real logs in ../shared/realdata go in over HTTP and come
back out through the API as the reference decoders read them.

* every data series of a DataFlash .bin is stored with DFReader's row count, and GPS positions come back with
  DFReader's values; every ULog topic with pyulog's row count (topics whose timestamps never advance included)
  and vehicle_gps_position with pyulog's values; a .tlog's GLOBAL_POSITION_INT with pymavlink's;
* the same file twice is one upload; a file that is not a log fails with a reason and leaves nothing visible; a
  truncated log imports up to the cut and says where; a body over the limit gets 413 and leaves no file;
* another project sees none of it (404); the original comes back byte for byte; the track parses as GeoJSON,
  GPX and KML with one point per GPS fix; `furrow upload` does the same from the command line;
* an import killed half-way (kill -9) is cleaned up at the next start and imported again.
"""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import pytest

from test_daemon import Daemon, free_port

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("FURROW_REALDATA", str(REPO.parent / "shared" / "realdata" / "flightlogs")))
OPERATOR = "operator-token-for-upload-tests-012345"
BIN = REALDATA / "pymavlink__test.BIN"
ULG = REALDATA / "pyulog__sample.ulg"
ULG_SMALL = REALDATA / "pyulog__sample_log_small.ulg"
TLOG = REALDATA / "UAVLogViewer__vtol.tlog"
LIMIT = 12_000_000


def call(port: int, method: str, path: str, token: str | None, body: bytes | None = None,
         headers: dict | None = None, timeout: float = 30) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    for k, v in (headers or {}).items():
        request.add_header(k, v)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as r:
            return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
    except urllib.error.HTTPError as e:
        return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()


class Server:
    def __init__(self, daemon: Daemon):
        self.daemon = daemon

    @property
    def port(self) -> int:
        return self.daemon.http

    def json(self, method: str, path: str, token: str | None, body: object | None = None, expect: int = 200):
        data = None if body is None else json.dumps(body).encode()
        status, _, raw = call(self.port, method, path, token, data, {"Content-Type": "application/json"})
        assert status == expect, f"{method} {path}: {status} {raw[:400]!r}"
        return json.loads(raw) if raw else {}

    def upload(self, project: str, token: str, data: bytes, name: str, expect=(202,), query: str = "") -> dict:
        status, headers, raw = call(self.port, "POST", f"/v1/projects/{project}/flights?fileName={name}{query}", token, data,
                                    {"Content-Type": "application/octet-stream"}, timeout=120)
        assert status in expect, (status, raw[:300])
        answer = json.loads(raw)
        if status in (200, 202):
            assert headers["location"] == f"/v1/projects/{project}/uploads/{answer['id']}"
        return answer

    def wait(self, project: str, token: str, upload: int, timeout: float = 120) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            u = self.json("GET", f"/v1/projects/{project}/uploads/{upload}", token)
            assert 0 <= u["progress"] <= 1
            if u["status"] in ("done", "failed"):
                return u
            time.sleep(0.1)
        raise AssertionError(f"upload {upload} still {u}")


@pytest.fixture(scope="module")
def server(furrow_bin: Path, tmp_path_factory):
    data = tmp_path_factory.mktemp("uploads")
    config = f"""
project = "alpha"
[http]
max_upload_bytes = {LIMIT}
requests_per_second = 0
"""
    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    daemon = Daemon(furrow_bin, data, config=config)
    try:
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    s = Server(daemon)
    for project in ["alpha", "beta"]:
        status, _, _ = call(s.port, "GET", f"/v1/projects/{project}", OPERATOR)
        if status == 404:
            s.json("POST", "/v1/projects", OPERATOR, {"slug": project}, expect=201)
    s.tokens = {}
    for project in ["alpha", "beta"]:
        for role in ["reader", "uploader"]:
            s.tokens[(project, role)] = s.json("POST", f"/v1/projects/{project}/tokens", OPERATOR,
                                               {"role": role, "label": role}, expect=201)["secret"]
    s.flights = {}
    for path in [BIN, ULG, ULG_SMALL, TLOG]:
        u = s.upload("alpha", s.tokens[("alpha", "uploader")], path.read_bytes(), path.name)
        done = s.wait("alpha", s.tokens[("alpha", "reader")], u["id"])
        assert done["status"] == "done", done
        s.flights[path.name] = done
    yield s
    if daemon.proc and daemon.proc.poll() is None:
        daemon.stop()


def reader(s: Server) -> str:
    return s.tokens[("alpha", "reader")]


def flight_csv(s: Server, flight: int, group: str, channels: list[str] | None = None) -> list[dict]:
    path = f"/v1/projects/alpha/flights/{flight}/csv?group={urllib.request.quote(group)}"
    for c in channels or []:
        path += f"&channel={c}"
    status, headers, raw = call(s.port, "GET", path, reader(s))
    assert status == 200, raw[:300]
    assert headers["content-type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(raw.decode())))


def group_rows(s: Server, flight: int) -> dict[str, int]:
    """Rows per row group of a flight, counted from its CSV exports."""
    series = s.json("GET", f"/v1/projects/alpha/flights/{flight}/series", reader(s))["series"]
    groups = sorted({x["group"] for x in series})
    return {g: len(flight_csv(s, flight, g, [next(x["channel"] for x in series if x["group"] == g)])) for g in groups}


def test_dataflash_series_match_dfreader(server):
    from pymavlink import DFReader
    log = DFReader.DFReader_binary(str(BIN))
    counts: Counter = Counter()
    gps = []
    while (m := log.recv_msg()) is not None:
        t = m.get_type()
        if t in ("FMT", "FMTU", "UNIT", "MULT", "PARM", "FILE"):
            continue
        counts[t] += 1
        if t == "GPS":
            gps.append((m.Lat, m.Lng, m.Alt))
    flight = server.flights[BIN.name]["flight"]
    stored = group_rows(server, flight)
    # Instance series (BAT[0], GPS[1]) add up to their type.
    per_type: Counter = Counter()
    for group, n in stored.items():
        per_type[group.split("[")[0]] += n
    assert dict(per_type) == dict(counts)
    gps_group = next(g for g in stored if g.split("[")[0] == "GPS")
    rows = flight_csv(server, flight, gps_group, ["Lat", "Lng", "Alt"])
    assert len(rows) == len(gps) > 0
    for row, (lat, lng, alt) in zip(rows, gps):
        assert (float(row["Lat"]), float(row["Lng"]), float(row["Alt"])) == pytest.approx((lat, lng, alt), abs=1e-9)
    report = server.flights[BIN.name]["report"]
    assert report["format"] == "bin" and report["rows"] == sum(counts.values())


@pytest.mark.parametrize("path", [ULG, ULG_SMALL], ids=["sample", "sample_log_small"])
def test_ulog_topics_match_pyulog(server, path):
    import numpy as np
    from pyulog import ULog
    u = ULog(str(path))
    done = server.flights[path.name]
    flight = done["flight"]
    stored = group_rows(server, flight)
    expected = {(d.name if d.multi_id == 0 else f"{d.name}[{d.multi_id}]"): len(d.data["timestamp"]) for d in u.data_list}
    assert stored == expected
    if path == ULG:
        # Topics whose timestamps never advance (this sample has three) keep every row, 1 µs apart.
        assert done["report"]["nudgedRows"] > 0 and "sensor_preflight" in done["report"]["nudgedSeries"]
        topic, fields = "vehicle_local_position", ["x", "y", "z"]
    else:
        topic, fields = "vehicle_gps_position", ["lat", "lon", "alt"]
    data = next(d for d in u.data_list if d.name == topic).data
    rows = flight_csv(server, flight, topic, fields)
    for f in fields:
        ours = np.array([float(r[f]) for r in rows]).astype(data[f].dtype)
        assert np.array_equal(ours, data[f]), f


def test_tlog_positions_match_pymavlink(server):
    from pymavlink import mavutil
    m = mavutil.mavlink_connection(str(TLOG), dialect="ardupilotmega")
    positions: dict[str, list] = {}
    while (msg := m.recv_match(type="GLOBAL_POSITION_INT")) is not None:
        positions.setdefault(f"{msg.get_srcSystem()}/{msg.get_srcComponent()}", []).append((msg.lat, msg.lon))
    flight = server.flights[TLOG.name]["flight"]
    for sender, expected in positions.items():
        path = f"/v1/projects/alpha/flights/{flight}/csv?group=GLOBAL_POSITION_INT&channel=lat,lon&sender={sender}"
        status, _, raw = call(server.port, "GET", path, reader(server))
        assert status == 200, raw[:200]
        rows = list(csv.DictReader(io.StringIO(raw.decode())))
        assert [(int(r["lat"]), int(r["lon"])) for r in rows] == expected


def test_flight_summary_and_track_exports(server):
    done = server.flights[BIN.name]
    flight = server.json("GET", f"/v1/projects/alpha/flights/{done['flight']}", reader(server))
    assert flight["origin"] == "upload" and flight["upload"] == done["id"]
    summary = flight["summary"]
    assert summary["format"] == "dataflash" and summary["gpsPointCount"] > 0
    points = summary["gpsPointCount"]
    status, headers, raw = call(server.port, "GET", f"/v1/projects/alpha/flights/{done['flight']}/track", reader(server))
    assert status == 200 and headers["content-type"] == "application/geo+json"
    geo = json.loads(raw)
    coords = geo["geometry"]["coordinates"] if geo["type"] == "Feature" else geo["features"][0]["geometry"]["coordinates"]
    assert len(coords) == points
    status, _, raw = call(server.port, "GET", f"/v1/projects/alpha/flights/{done['flight']}/track?format=gpx", reader(server))
    assert status == 200
    ns = {"g": "http://www.topografix.com/GPX/1/1"}
    assert len(ET.fromstring(raw).findall(".//g:trkpt", ns)) == points
    status, _, raw = call(server.port, "GET", f"/v1/projects/alpha/flights/{done['flight']}/track?format=kml", reader(server))
    assert status == 200
    kml = ET.fromstring(raw)
    text = "".join(e.text or "" for e in kml.iter() if e.tag.endswith("coordinates"))
    assert len(text.split()) == points
    status, _, raw = call(server.port, "GET", f"/v1/projects/alpha/flights/{done['flight']}/track?format=shp", reader(server))
    assert status == 400 and json.loads(raw)["parameter"] == "format"


def test_original_comes_back_byte_for_byte(server):
    for path in [BIN, ULG, TLOG]:
        flight = server.flights[path.name]["flight"]
        status, headers, raw = call(server.port, "GET", f"/v1/projects/alpha/flights/{flight}/original", reader(server))
        assert status == 200 and raw == path.read_bytes()
        assert path.name in headers["content-disposition"]


def test_same_file_twice_is_one_upload(server):
    again = server.upload("alpha", server.tokens[("alpha", "uploader")], BIN.read_bytes(), "copy.bin", expect=(200,))
    assert again["duplicate"] is True and again["id"] == server.flights[BIN.name]["id"]
    # Another project uploading the same file gets its own upload and flight.
    beta = server.upload("beta", server.tokens[("beta", "uploader")], BIN.read_bytes(), "same.bin")
    done = server.wait("beta", server.tokens[("beta", "reader")], beta["id"])
    assert done["status"] == "done" and done["flight"] != server.flights[BIN.name]["flight"]


def test_not_a_log_fails_and_leaves_nothing(server):
    before_sources = server.json("GET", "/v1/projects/alpha/sources", reader(server))
    before_flights = server.json("GET", "/v1/projects/alpha/flights", reader(server))
    for name, data in [("notes.txt", b"# not a flight log\n" * 100), ("noise.bin", os.urandom(300_000)),
                       ("empty-ish.ulg", b"ULog\x01\x12\x35\x01" + b"\x00" * 8)]:
        u = server.upload("alpha", server.tokens[("alpha", "uploader")], data, name)
        done = server.wait("alpha", reader(server), u["id"])
        assert done["status"] == "failed" and done["report"]["error"], done
        assert done.get("flight") is None
    assert server.json("GET", "/v1/projects/alpha/sources", reader(server)) == before_sources
    assert server.json("GET", "/v1/projects/alpha/flights", reader(server)) == before_flights


def test_truncated_log_imports_up_to_the_cut(server, tmp_path):
    data = ULG.read_bytes()
    cut = data[: int(len(data) * 0.6) + 3]
    u = server.upload("alpha", server.tokens[("alpha", "uploader")], cut, "cut.ulg")
    done = server.wait("alpha", reader(server), u["id"])
    assert done["status"] == "done", done
    assert "truncated at byte" in done["report"]["truncation"]
    assert 0 < done["report"]["rows"] < server.flights[ULG.name]["report"]["rows"]


def test_uploads_are_bounded_and_role_checked(server):
    status, _, raw = call(server.port, "POST", "/v1/projects/alpha/flights", server.tokens[("alpha", "uploader")],
                          b"\0" * (LIMIT + 1), {"Content-Type": "application/octet-stream"})
    assert status == 413, raw[:200]
    assert json.loads(raw)["type"].endswith("body-too-large")
    incoming = server.daemon.data / "uploads" / "incoming"
    assert not incoming.exists() or not any(incoming.iterdir())
    status, _, raw = call(server.port, "POST", "/v1/projects/alpha/flights", reader(server), TLOG.read_bytes())
    assert status == 403, raw[:200]
    # Refused before the handler (no token): the client still gets to read the answer, not a stuck socket.
    status, _, raw = call(server.port, "POST", "/v1/projects/alpha/flights", None, b"\0" * 8_000_000)
    assert status == 401, raw[:200]
    status, _, raw = call(server.port, "POST", "/v1/projects/alpha/flights?fileName=..", server.tokens[("alpha", "uploader")], TLOG.read_bytes())
    assert status == 400 and json.loads(raw)["parameter"] == "fileName"


def test_another_project_sees_none_of_it(server):
    beta = server.tokens[("beta", "reader")]
    up = server.flights[BIN.name]
    for path in [f"/v1/projects/alpha/uploads/{up['id']}", f"/v1/projects/alpha/flights/{up['flight']}",
                 f"/v1/projects/alpha/flights/{up['flight']}/track", f"/v1/projects/alpha/flights/{up['flight']}/original",
                 f"/v1/projects/alpha/flights/{up['flight']}/csv?group=GPS", "/v1/projects/alpha/uploads"]:
        status, _, raw = call(server.port, "GET", path, beta)
        assert status == 404 and json.loads(raw)["parameter"] == "project", (path, raw[:200])
    for path in [f"/v1/projects/beta/uploads/{up['id']}", f"/v1/projects/beta/flights/{up['flight']}/original"]:
        status, _, raw = call(server.port, "GET", path, beta)
        assert status == 404, (path, raw[:200])


def test_furrow_upload_command(server, furrow_bin, tmp_path):
    token = tmp_path / "token"
    token.write_text(server.tokens[("beta", "uploader")] + "\n")
    result = subprocess.run(
        [str(furrow_bin), "upload", "--project", "beta", "--server", f"http://127.0.0.1:{server.port}",
         "--token-file", str(token), str(TLOG)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "flight" in result.stdout and "series" in result.stdout, result.stdout
    bad = tmp_path / "bad.ulg"
    bad.write_bytes(b"nothing to see")
    result = subprocess.run(
        [str(furrow_bin), "upload", "--project", "beta", "--server", f"http://127.0.0.1:{server.port}",
         "--token-file", str(token), str(bad)], capture_output=True, text=True, timeout=180)
    assert result.returncode == 1 and "not a flight log" in result.stderr, (result.stdout, result.stderr)


def test_an_import_killed_half_way_is_redone_at_start(furrow_bin, tmp_path):
    sys.path.insert(0, str(REPO / "Benchmarks" / "harness"))
    import logs  # the benchmark's builder: the real .bin repeated with shifted times
    big = tmp_path / "big.bin"
    logs.build_bin(BIN, big, 30_000_000)
    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    daemon = Daemon(furrow_bin, tmp_path / "data", config='project = "alpha"\n[http]\nrequests_per_second = 0\n')
    try:
        daemon.start()
        s = Server(daemon)
        u = s.upload("alpha", OPERATOR, big.read_bytes(), "big.bin")
        deadline = time.time() + 60
        while (state := s.json("GET", f"/v1/projects/alpha/uploads/{u['id']}", OPERATOR)).get("phase") != "storing":
            assert state["status"] in ("queued", "importing") and time.time() < deadline, state
            time.sleep(0.01)
        daemon.stop(signal.SIGKILL)
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    done = s.wait("alpha", OPERATOR, u["id"], timeout=300)
    assert done["status"] == "done", done
    series = s.json("GET", f"/v1/projects/alpha/flights/{done['flight']}/series", OPERATOR)["series"]
    assert {x["source"] for x in series} == {f"upload-{u['id']}"}
    assert "interrupted" in daemon.log.read_text()
    daemon.stop()
    db = daemon.data / "furrow.sqlite"
    with sqlite3.connect(db) as connection:
        staged = connection.execute("SELECT COUNT(*) FROM rowGroup WHERE project LIKE '~staging/%'").fetchone()[0]
    assert staged == 0


def test_a_live_flight_is_summarised_like_its_log(server, furrow_bin, tmp_path):
    """One simulated sortie as a .tlog: uploaded, and replayed over UDP into a daemon that sees it live. The live
    flight, summarised from the raw archive after the disarm, flew the same armed track as the upload says."""
    log = tmp_path / "sortie.tlog"
    subprocess.run([str(furrow_bin), "simulate", "--duration", "360", "--no-stagger", "--seed", "5", "--tlog", str(log)],
                   check=True, capture_output=True, timeout=120)
    flow = urllib.request.quote("spray=NAMED_VALUE_FLOAT.SPRAY_LPM*0.0166666667")
    up = server.upload("beta", server.tokens[("beta", "uploader")], log.read_bytes(), "sortie.tlog",
                       query=f"&flow={flow}&swathWidth=4&sprayingOnly=true")
    assert up["flows"] == ["spray=NAMED_VALUE_FLOAT.SPRAY_LPM*0.0166666667"] and up["sprayingOnly"] is True
    done = server.wait("beta", server.tokens[("beta", "reader")], up["id"])
    uploaded = server.json("GET", f"/v1/projects/beta/flights/{done['flight']}", server.tokens[("beta", "reader")])["summary"]
    assert len(uploaded["armedPeriods"]) == 1 and uploaded["distanceMeters"] > 1000, uploaded["armedPeriods"]
    # The sprayer's SPRAY_LPM integrated as pymavlink reads it (trapezoids over the .tlog times, L/min -> L).
    from pymavlink import mavutil
    m = mavutil.mavlink_connection(str(log))
    points = []
    while (x := m.recv_match(type="NAMED_VALUE_FLOAT")) is not None:
        if x.name == "SPRAY_LPM":
            points.append((x._timestamp, x.value))
    litres = sum((b[0] - a[0]) * (a[1] + b[1]) / 2 for a, b in zip(points, points[1:])) / 60
    assert uploaded["flows"][0]["total"] == pytest.approx(litres, rel=1e-6) and litres > 1
    assert 0 < uploaded["coveredAreaSquareMeters"] < uploaded["distanceMeters"] * 4 + 20
    status, _, raw = call(server.port, "POST", "/v1/projects/beta/flights?flow=spray", server.tokens[("beta", "uploader")],
                          log.read_bytes())
    assert status == 400 and json.loads(raw)["parameter"] == "flow"

    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    port = free_port(socket.SOCK_DGRAM)
    # The sprayer profile's [flight]: swath 4 m, SPRAY_LPM integrated, area only while spraying.
    daemon = Daemon(furrow_bin, tmp_path / "live",
                    config=f'[[udp]]\nname = "radio"\nlisten = "127.0.0.1:{port}"\nprofile = "ardupilot-sprayer"\n')
    try:
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    try:
        subprocess.run([str(furrow_bin), "replay", "--file", str(log), "--udp", f"127.0.0.1:{port}", "--speed", "60"],
                       check=True, capture_output=True, timeout=120)
        s = Server(daemon)
        deadline = time.time() + 30
        while True:
            flights = s.json("GET", "/v1/projects/default/flights", OPERATOR)["flights"]
            live = flights and flights[0].get("end") and s.json("GET", f"/v1/projects/default/flights/{flights[0]['id']}", OPERATOR)
            if live and live.get("summary"):
                break
            assert time.time() < deadline, flights
            time.sleep(0.2)
        summary = live["summary"]
        assert len(summary["armedPeriods"]) == 1
        # The same fixes flown while armed (receive times differ, positions do not).
        assert summary["distanceMeters"] == pytest.approx(uploaded["distanceMeters"], rel=1e-9)
        assert summary["maxAltitudeRelative"] == uploaded["maxAltitudeRelative"]
        assert [m["name"] for m in summary["modes"]] == [m["name"] for m in uploaded["modes"]][: len(summary["modes"])]
        # Same sprayed segments, so the same sprayed area; litres over receive times 60 times shorter.
        assert summary["coveredAreaSquareMeters"] == pytest.approx(uploaded["coveredAreaSquareMeters"], rel=1e-9)
        assert summary["flows"][0]["total"] * 60 == pytest.approx(uploaded["flows"][0]["total"], rel=0.05)
        status, _, raw = call(daemon.http, "GET", f"/v1/projects/default/flights/{live['id']}/track?format=gpx", OPERATOR)
        assert status == 200
        points = ET.fromstring(raw).findall(".//{http://www.topografix.com/GPX/1/1}trkpt")
        assert len(points) == summary["gpsPointCount"] > 0
    finally:
        daemon.stop()
