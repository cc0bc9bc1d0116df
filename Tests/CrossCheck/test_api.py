"""The HTTP API over a real `furrow serve`: two pilot projects fed by pymavlink over UDP, driven over HTTP.

Isolation: every /v1 route of project beta (taken from the served OpenAPI document, so a new route is
covered the day it is added) answers 404 problem+json to every token of project alpha, and ids of beta's
objects used under alpha's paths are unknown too; beta's own admin gets real answers on the same URLs, so
the 404s are not vacuous. Values come back as pymavlink sent them (JSON, CSV, line protocol), buckets agree
with the raw rows, errors are problem+json with the right status, limits hold, live values stream over
SSE, and schemathesis finds no 5xx and no answer outside the schema.
"""
from __future__ import annotations

import http.client
import json
import os
import socket
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

os.environ.setdefault("MAVLINK20", "1")
from pymavlink import mavutil  # noqa: E402

from test_daemon import Daemon, free_port  # noqa: E402

OPERATOR = "operator-token-for-tests-0123456789"
REPO = Path(__file__).resolve().parents[2]


class API:
    def __init__(self, port: int):
        self.port = port

    def call(self, method: str, path: str, token: str | None = None, body: object | bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], bytes]:
        data = body if isinstance(body, bytes) or body is None else json.dumps(body).encode()
        request = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data, method=method)
        if token:
            request.add_header("Authorization", f"Bearer {token}")
        if data is not None:
            request.add_header("Content-Type", "application/json")
        for k, v in (headers or {}).items():
            request.add_header(k, v)
        try:
            with urllib.request.urlopen(request, timeout=10) as r:
                return r.status, {k.lower(): v for k, v in r.headers.items()}, r.read()
        except urllib.error.HTTPError as e:
            return e.code, {k.lower(): v for k, v in e.headers.items()}, e.read()

    def json(self, method: str, path: str, token: str | None = None, body: object | None = None,
             expect: int = 200) -> dict:
        status, headers, raw = self.call(method, path, token, body)
        assert status == expect, f"{method} {path}: {status} {raw[:400]!r}"
        return json.loads(raw) if raw else {}


def send_flight(port: int, sysid: int, base_lat: int, count: int) -> list[int]:
    """A short armed flight: HEARTBEATs armed, `count` GLOBAL_POSITION_INT, then disarmed; returns the lats."""
    m = mavutil.mavlink_connection(f"udpout:127.0.0.1:{port}", source_system=sysid, source_component=1)
    lats = []
    m.mav.heartbeat_send(2, 3, 128, 4, 4)
    for i in range(count):
        lat = base_lat + i * 37
        lats.append(lat)
        m.mav.global_position_int_send(i * 100, lat, 87_000_000 + i, 250_000, 12_000, 10, -20, 3, 9000)
        if i % 50 == 0:
            m.mav.heartbeat_send(2, 3, 128, 4, 4)
        time.sleep(0.002)
    m.mav.heartbeat_send(2, 3, 0, 4, 4)
    m.close()
    return lats


@pytest.fixture(scope="module")
def world(furrow_bin: Path, tmp_path_factory):
    data = tmp_path_factory.mktemp("api")
    alpha_port, beta_port = free_port(socket.SOCK_DGRAM), free_port(socket.SOCK_DGRAM)
    config = f"""
project = "alpha"
[http]
requests_per_second = 200
burst = 200
max_body_bytes = 65536
max_result_values = 200000
[[udp]]
name = "alink"
listen = "127.0.0.1:{alpha_port}"
[[udp]]
name = "blink"
listen = "127.0.0.1:{beta_port}"
project = "beta"
"""
    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    daemon = Daemon(furrow_bin, data, config=config)
    try:
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    api = API(daemon.http)
    alpha_lats = send_flight(alpha_port, 1, 473_000_000, 300)
    beta_lats = send_flight(beta_port, 2, 520_000_000, 120)

    deadline = time.time() + 20
    while time.time() < deadline:
        flights_a = api.json("GET", "/v1/projects/alpha/flights", OPERATOR)["flights"]
        flights_b = api.json("GET", "/v1/projects/beta/flights", OPERATOR)["flights"]
        if flights_a and flights_b and flights_a[0].get("end") and flights_b[0].get("end"):
            break
        time.sleep(0.2)
    tokens = {}
    for project, role in [("alpha", "reader"), ("alpha", "uploader"), ("alpha", "admin"), ("beta", "admin"),
                          ("alpha", "reader-limit")]:
        issued = api.json("POST", f"/v1/projects/{project}/tokens", OPERATOR,
                          {"role": role.split("-")[0], "label": role}, expect=201)
        tokens[(project, role)] = issued
    square = [[10.0, 45.0], [10.01, 45.0], [10.01, 45.01], [10.0, 45.01], [10.0, 45.0]]
    beta_field = api.json("POST", "/v1/projects/beta/fields", tokens[("beta", "admin")]["secret"],
                          {"name": "beta-secret-field", "crop": "maize", "plantingDate": "2026-04-20",
                           "boundary": {"type": "Polygon", "coordinates": [square]},
                           # A station named before it reports: the irrigation summary answers 200 with every
                           # day flagged (series-not-found), so the isolation matrix gets a real answer.
                           "irrigation": {"elevation": 100, "soil": {"texture": "loam"},
                                          "weather": {"temperature": {"source": "beta-station", "channel": "t"}}}},
                          expect=201)
    beta_trap = api.json("POST", f"/v1/projects/beta/fields/{beta_field['id']}/traps", tokens[("beta", "admin")]["secret"],
                         {"name": "beta-trap", "pest": "codling-moth"}, expect=201)
    rows = ["lon,lat,flow (kg/s),moisture (%),speed (m/s),swath (m),time"]
    rows += [f"{10.001 + i * 0.0002:.6f},45.005,{10 + i % 3},18.0,2.0,9.0,{1000 + i}" for i in range(20)]
    status, _, raw = api.call("POST", f"/v1/projects/beta/fields/{beta_field['id']}/harvests?name=beta-harvest",
                              tokens[("beta", "admin")]["secret"], ("\n".join(rows) + "\n").encode(),
                              headers={"Content-Type": "text/csv"})
    assert status == 201, raw
    # An uploaded flight log of beta (its flight has a track, an original file, series and CSV exports).
    status, _, raw = api.call("POST", "/v1/projects/beta/flights?fileName=beta-log.tlog", tokens[("beta", "admin")]["secret"],
                              (REPO / "SampleData" / "ardupilot-vtol.tlog").read_bytes(),
                              headers={"Content-Type": "application/octet-stream"})
    assert status == 202, raw
    beta_upload = json.loads(raw)
    deadline = time.time() + 60
    while beta_upload["status"] in ("queued", "importing") and time.time() < deadline:
        time.sleep(0.1)
        beta_upload = api.json("GET", f"/v1/projects/beta/uploads/{beta_upload['id']}", tokens[("beta", "admin")]["secret"])
    assert beta_upload["status"] == "done", beta_upload
    alpha_field = api.json("POST", "/v1/projects/alpha/fields", tokens[("alpha", "admin")]["secret"],
                           {"name": "north", "crop": "vine"}, expect=201)
    # A replay of beta's archive to a socket nobody reads, looping, so it exists while the tests run.
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind(("127.0.0.1", 0))
    time.sleep(1.2)  # the archive seals every half flush interval
    beta_replay = api.json("POST", "/v1/projects/beta/replays", tokens[("beta", "admin")]["secret"],
                           {"source": "blink", "udp": f"127.0.0.1:{sink.getsockname()[1]}", "loop": True,
                            "speed": 1}, expect=201)
    world = {
        "daemon": daemon, "api": api, "tokens": tokens, "alpha_lats": alpha_lats, "beta_lats": beta_lats,
        "beta_field": beta_field, "beta_trap": beta_trap, "beta_upload": beta_upload, "alpha_field": alpha_field, "square": square, "beta_replay": beta_replay,
        "sink": sink,
        "flights": {"alpha": flights_a, "beta": flights_b}, "alpha_port": alpha_port,
    }
    yield world
    if daemon.proc and daemon.proc.poll() is None:
        daemon.stop()


def secret(world, project: str, role: str) -> str:
    return world["tokens"][(project, role)]["secret"]


def series_id(world, project: str, source: str, channel: str) -> int:
    listing = world["api"].json(
        "GET", f"/v1/projects/{project}/series?source={source}&group=GLOBAL_POSITION_INT&channel={channel}",
        secret(world, project, "admin"))
    assert len(listing["series"]) == 1, listing
    return listing["series"][0]["id"]


def wide_range() -> str:
    now = int(time.time() * 1000)
    return f"from={now - 3_600_000}&to={now + 60_000}"


def assert_problem(status: int, headers: dict, raw: bytes, expect: int, kind: str, parameter: str | None = None):
    assert status == expect, (status, raw[:300])
    assert headers["content-type"] == "application/problem+json", headers
    body = json.loads(raw)
    assert body["type"] == f"https://furrow.dev/problems/{kind}", body
    assert body["status"] == expect and body["title"] and body["detail"], body
    if parameter is not None:
        assert body.get("parameter") == parameter, body


def test_every_route_of_another_project_is_not_found(world):
    api = world["api"]
    beta_admin = secret(world, "beta", "admin")
    beta_series = series_id(world, "beta", "blink-2-1", "lat")
    beta_flight = world["beta_upload"]["flight"]
    beta_token = world["tokens"][("beta", "admin")]["record"]["id"]
    ids = {"project": "beta", "source": "blink-2-1", "field": str(world["beta_field"]["id"]),
           "flight": str(beta_flight), "token": str(beta_token), "replay": str(world["beta_replay"]["id"]),
           "trap": str(world["beta_trap"]["id"]), "upload": str(world["beta_upload"]["id"])}
    bodies = {"tokens": {"role": "reader"}, "fields": {"name": "x"},
              "replays": {"source": "blink", "udp": "127.0.0.1:9"}, "control": {"action": "stop"},
              "flights": {"name": "x"}}
    document = api.json("GET", "/v1/openapi.json")
    routes = 0
    for template, operations in document["paths"].items():
        if "{project}" not in template:
            continue
        path = template
        for name, value in ids.items():
            path = path.replace("{" + name + "}", urllib.parse.quote(value, safe=""))
        if template.endswith("/series/data") or template.endswith("/series/latest"):
            path += f"?series={beta_series}&" + wide_range()
        if template.endswith("/csv"):
            path += "?group=GLOBAL_POSITION_INT"
        for method in operations:
            body = None
            if method in ("post", "put"):
                body = bodies[next(k for k in ["control", "replays", "tokens", "fields", "flights"] if k in template)]
            for role in ["reader", "uploader", "admin"]:
                status, headers, raw = api.call(method.upper(), path, secret(world, "alpha", role), body)
                assert_problem(status, headers, raw, 404, "not-found", "project")
                # Nothing but what the caller typed (the path, echoed as `instance`) comes back.
                shown = json.dumps({k: v for k, v in json.loads(raw).items() if k != "instance"})
                assert "blink" not in shown and "beta-secret-field" not in shown, raw
            routes += 1
            if method == "get" and not template.endswith("/live"):
                status, _, raw = api.call("GET", path, beta_admin)
                assert status == 200, f"beta's own admin: GET {path} -> {status} {raw[:200]!r}"
    assert routes >= 17, routes

    # Beta's ids under alpha's own paths are unknown, never shown or changed.
    alpha_admin = secret(world, "alpha", "admin")
    for method, path, kind, parameter in [
        ("GET", f"/v1/projects/alpha/series/data?series={beta_series}&{wide_range()}", "unknown-series", "series"),
        ("GET", f"/v1/projects/alpha/series/latest?series={beta_series}", "unknown-series", "series"),
        ("GET", f"/v1/projects/alpha/fields/{ids['field']}", "not-found", "field"),
        ("GET", f"/v1/projects/alpha/fields/{ids['field']}/pest", "not-found", "field"),
        ("GET", f"/v1/projects/alpha/fields/{ids['field']}/traps", "not-found", "field"),
        ("GET", f"/v1/projects/alpha/fields/{ids['field']}/yield", "not-found", "field"),
        ("GET", f"/v1/projects/alpha/fields/{ids['field']}/hotspots", "not-found", "field"),
        ("PUT", f"/v1/projects/alpha/fields/{ids['field']}", "not-found", "field"),
        ("DELETE", f"/v1/projects/alpha/fields/{ids['field']}", "not-found", "field"),
        ("GET", f"/v1/projects/alpha/flights/{beta_flight}", "not-found", "flight"),
        ("DELETE", f"/v1/projects/alpha/tokens/{beta_token}", "not-found", "token"),
        ("GET", "/v1/projects/alpha/sources/blink-2-1/series", "not-found", "source"),
        ("GET", "/v1/projects/alpha/sources/blink-2-1/live", "not-found", "source"),
        ("GET", f"/v1/projects/alpha/replays/{ids['replay']}", "not-found", "replay"),
        ("DELETE", f"/v1/projects/alpha/replays/{ids['replay']}", "not-found", "replay"),
    ]:
        status, headers, raw = api.call(method, path, alpha_admin, bodies["fields"] if method == "PUT" else None)
        assert_problem(status, headers, raw, 404, kind, parameter)
        assert b"beta-secret-field" not in raw
    assert api.json("GET", f"/v1/projects/beta/fields/{ids['field']}", beta_admin)["name"] == "beta-secret-field"
    assert api.json("GET", f"/v1/projects/beta/replays/{ids['replay']}", beta_admin)["state"] == "running"
    assert api.json("GET", "/v1/projects/beta/tokens", beta_admin)["tokens"][0].get("revokedAt") is None
    # Listings of alpha hold nothing of beta.
    for path in ["/v1/projects", "/v1/projects/alpha/sources", "/v1/projects/alpha/series",
                 "/v1/projects/alpha/fields", "/v1/projects/alpha/flights"]:
        status, _, raw = api.call("GET", path, alpha_admin)
        assert status == 200 and b"blink" not in raw and b"beta" not in raw, (path, raw[:300])


def test_roles_and_token_lifecycle(world):
    api = world["api"]
    reader, uploader, admin = (secret(world, "alpha", r) for r in ["reader", "uploader", "admin"])
    for token in [reader, uploader]:
        for method, path, body in [("GET", "/v1/projects/alpha/tokens", None),
                                   ("POST", "/v1/projects/alpha/tokens", {"role": "reader"}),
                                   ("POST", "/v1/projects/alpha/fields", {"name": "south"})]:
            status, headers, raw = api.call(method, path, token, body)
            assert_problem(status, headers, raw, 403, "forbidden")
    status, headers, raw = api.call("POST", "/v1/projects", admin, {"slug": "gamma"})
    assert_problem(status, headers, raw, 403, "forbidden")

    issued = api.json("POST", "/v1/projects/alpha/tokens", admin, {"role": "reader", "label": "notebook"}, expect=201)
    assert issued["secret"].startswith("furrow_") and issued["record"]["role"] == "reader"
    listed = api.json("GET", "/v1/projects/alpha/tokens", admin)["tokens"]
    assert issued["secret"] not in json.dumps(listed)
    api.json("GET", "/v1/projects/alpha/sources", issued["secret"])
    used = [t for t in api.json("GET", "/v1/projects/alpha/tokens", admin)["tokens"] if t["id"] == issued["record"]["id"]]
    deadline = time.time() + 5
    while used[0].get("lastUsedAt") is None and time.time() < deadline:
        time.sleep(0.1)
        used = [t for t in api.json("GET", "/v1/projects/alpha/tokens", admin)["tokens"] if t["id"] == issued["record"]["id"]]
    assert used[0].get("lastUsedAt") is not None
    api.json("DELETE", f"/v1/projects/alpha/tokens/{issued['record']['id']}", admin)
    status, headers, raw = api.call("GET", "/v1/projects/alpha/sources", issued["secret"])
    assert_problem(status, headers, raw, 401, "unauthorized")
    assert headers["www-authenticate"].startswith("Bearer")

    # The CLI sees the same tokens, never a secret.
    out = subprocess.run([str(world["daemon"].binary), "tokens", "list", "--project", "alpha",
                          "--db", str(world["daemon"].data / "furrow.sqlite")], check=True, capture_output=True,
                         text=True).stdout
    assert "notebook" in out and issued["secret"] not in out


def test_values_come_back_as_pymavlink_sent_them(world):
    api = world["api"]
    token = secret(world, "alpha", "reader")
    lat = series_id(world, "alpha", "alink-1-1", "lat")
    lon = series_id(world, "alpha", "alink-1-1", "lon")
    answer = api.json("GET", f"/v1/projects/alpha/series/data?series={lat}&series={lon}&{wide_range()}&time=us", token)
    by_channel = {s["channel"]: s for s in answer["series"]}
    assert by_channel["lat"]["values"] == world["alpha_lats"]
    assert by_channel["lon"]["values"] == [87_000_000 + i for i in range(300)]
    times = by_channel["lat"]["times"]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert answer["skipped"] == []

    # The same rows as CSV and line protocol.
    status, headers, raw = api.call("GET", f"/v1/projects/alpha/series/data?series={lat}&{wide_range()}&format=csv", token)
    assert status == 200 and headers["content-type"].startswith("text/csv")
    lines = raw.decode().splitlines()
    assert lines[0] == "time,series,source,group,tags,channel,value"
    assert [int(l.split(",")[-1]) for l in lines[1:]] == world["alpha_lats"]
    status, _, raw = api.call("GET", f"/v1/projects/alpha/series/data?series={lat}&{wide_range()}&format=lp", token)
    points = raw.decode().splitlines()
    assert [int(p.split(" ")[1].split("=")[1].rstrip("i")) for p in points] == world["alpha_lats"]
    assert [int(p.split(" ")[2]) // 1000 for p in points] == times
    assert all(p.startswith("GLOBAL_POSITION_INT,source=alink-1-1 lat=") for p in points)

    # Buckets agree with the raw rows, bucket by bucket.
    buckets = api.json("GET", f"/v1/projects/alpha/series/data?series={lat}&{wide_range()}&bucket=200ms&time=us",
                       token)["series"][0]["buckets"]
    expected: dict[int, list[int]] = {}
    for t, v in zip(times, world["alpha_lats"]):
        expected.setdefault(t - t % 200_000, []).append(v)
    assert buckets["start"] == sorted(expected)
    for i, start in enumerate(buckets["start"]):
        values = expected[start]
        assert buckets["count"][i] == len(values)
        assert buckets["min"][i] == min(values) and buckets["max"][i] == max(values)
        assert buckets["first"][i] == values[0] and buckets["last"][i] == values[-1]
        assert buckets["sum"][i] == sum(values)
        assert abs(buckets["mean"][i] - sum(values) / len(values)) < 1e-6

    latest = api.json("GET", f"/v1/projects/alpha/series/latest?series={lat},{lon}&time=us", token)["series"]
    assert [s["value"] for s in latest] == [world["alpha_lats"][-1], 87_000_299]
    assert latest[0]["time"] == times[-1]

    flights = api.json("GET", "/v1/projects/alpha/flights", token)["flights"]
    assert len(flights) == 1 and flights[0]["source"] == "alink-1-1" and flights[0]["durationSeconds"] > 0.5
    detail = api.json("GET", f"/v1/projects/alpha/flights/{flights[0]['id']}", token)
    summary = detail.pop("summary")
    assert detail == flights[0]
    # The live flight was summarised from the raw archive after the disarm, as an uploaded .tlog would be
    # (pymavlink sent GLOBAL_POSITION_INT with relative_alt 12 m, and no GPS_RAW_INT: no fixes for a track).
    assert summary["timeBase"] == "utc" and summary["format"] == "tlog", summary
    assert len(summary["armedPeriods"]) == 1 and summary["maxAltitudeRelative"] == 12.0, summary


def test_bad_requests_are_problems_never_500(world):
    api = world["api"]
    token = secret(world, "alpha", "admin")
    lat = series_id(world, "alpha", "alink-1-1", "lat")
    now = int(time.time() * 1000)
    cases = [
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&from={now}&to={now - 1000}", None, 400, "invalid-time-range", "to"),
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&from=yesterday&to={now}", None, 400, "invalid-parameter", "from"),
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&to={now}", None, 400, "invalid-parameter", "from"),
        ("GET", f"/v1/projects/alpha/series/data?from=0&to={now}", None, 400, "invalid-parameter", "series"),
        ("GET", f"/v1/projects/alpha/series/data?series=abc&from=0&to={now}", None, 404, "unknown-series", "series"),
        ("GET", f"/v1/projects/alpha/series/data?series=999999&from=0&to={now}", None, 404, "unknown-series", "series"),
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&from=0&to={now}&bucket=0", None, 400, "invalid-parameter", "bucket"),
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&from=0&to={now}&bucket=1ms", None, 422, "result-too-large", "bucket"),
        ("GET", f"/v1/projects/alpha/series/data?series={lat}&from=0&to={now}&format=xml", None, 400, "invalid-parameter", "format"),
        ("GET", "/v1/projects/alpha/series/data?" + "&".join(["series=%d" % lat] * 51) + f"&from=0&to={now}", None, 400, "invalid-parameter", "series"),
        ("GET", "/v1/projects/alpha/series?limit=0", None, 400, "invalid-parameter", "limit"),
        ("GET", "/v1/projects/alpha/fields/0", None, 404, "not-found", "field"),
        ("GET", "/v1/projects/alpha/fields/nope", None, 404, "not-found", "field"),
        ("GET", "/v1/projects/alpha/nothing-here", None, 404, "not-found", None),
        ("POST", "/v1/projects/alpha/fields", b"{not json", 400, "invalid-body", None),
        ("POST", "/v1/projects/alpha/fields", {"crop": "maize"}, 400, "invalid-body", None),
        ("POST", "/v1/projects/alpha/fields", {"name": "x", "plantingDate": "2026-02-30"}, 400, "invalid-body", "plantingDate"),
        ("POST", "/v1/projects/alpha/fields", {"name": "x", "boundary": {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 2]]]}}, 400, "invalid-body", "boundary"),
        ("POST", "/v1/projects/alpha/fields", {"name": "x", "boundary": {"type": "LineString", "coordinates": [[0, 0], [1, 1]]}}, 400, "invalid-body", "boundary"),
        ("POST", "/v1/projects/alpha/fields", {"name": "north"}, 409, "conflict", "name"),
        ("POST", "/v1/projects/alpha/fields", {"name": "big", "properties": {"pad": "x" * 70_000}}, 413, "body-too-large", None),
        ("POST", "/v1/projects/alpha/tokens", {"role": "god"}, 400, "invalid-body", None),
        ("POST", "/v1/projects", {"slug": "Bad Slug"}, 403, "forbidden", None),
    ]
    for method, path, body, status_expected, kind, parameter in cases:
        status, headers, raw = api.call(method, path, token, body)
        assert_problem(status, headers, raw, status_expected, kind, parameter)
    status, headers, raw = api.call("POST", "/v1/projects", OPERATOR, {"slug": "Bad Slug"})
    assert_problem(status, headers, raw, 400, "invalid-body", "slug")
    status, headers, raw = api.call("POST", "/v1/projects", OPERATOR, {"slug": "alpha"})
    assert_problem(status, headers, raw, 409, "conflict", "slug")
    for bad in [None, "Bearer", "Bearer furrow_nope", "Basic dXNlcjpwYXNz", "Bearer " + "x" * 5000]:
        status, headers, raw = api.call("GET", "/v1/projects", None, headers={"Authorization": bad} if bad else None)
        assert_problem(status, headers, raw, 401, "unauthorized")


def replay_capture(api, token: str, body: dict, quiet_seconds: float = 5) -> tuple[dict, list[bytes]]:
    """Starts a replay of `body` (its UDP target filled in) and returns the answer and every datagram that
    arrived until none came for `quiet_seconds`."""
    receiver = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    receiver.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
    receiver.bind(("127.0.0.1", 0))
    receiver.settimeout(quiet_seconds)
    started = api.json("POST", "/v1/projects/alpha/replays", token,
                       {**body, "udp": f"127.0.0.1:{receiver.getsockname()[1]}"}, expect=201)
    datagrams = []
    try:
        while True:
            datagrams.append(receiver.recv(65536))
    except socket.timeout:
        pass
    receiver.close()
    return started, datagrams


def test_replays_over_the_api(world):
    api = world["api"]
    admin, reader = secret(world, "alpha", "admin"), secret(world, "alpha", "reader")
    status, headers, raw = api.call("POST", "/v1/projects/alpha/replays", reader, {"source": "alink", "udp": "127.0.0.1:9"})
    assert_problem(status, headers, raw, 403, "forbidden")
    for body, parameter in [({"source": "alink", "udp": "8.8.8.8:14550"}, "udp"),
                            ({"source": "alink"}, "udp"),
                            ({"source": "nope", "udp": "127.0.0.1:9"}, "source"),
                            ({"source": "alink", "udp": "127.0.0.1:9", "speed": 1000}, "speed")]:
        status, headers, raw = api.call("POST", "/v1/projects/alpha/replays", admin, body)
        assert_problem(status, headers, raw, 400, "invalid-body", parameter)
    started, datagrams = replay_capture(api, admin, {"source": "alink", "speed": 10})
    done = api.json("GET", f"/v1/projects/alpha/replays/{started['id']}", admin)
    assert done["state"] == "finished" and done["progress"]["records"] == len(datagrams)
    # What came out is what pymavlink sent to alpha's link: the 300 positions among them, in order.
    lats = []
    for d in datagrams:
        if d[0] == 0xFD and d[7:10] == bytes([33, 0, 0]):
            lats.append(int.from_bytes(d[14:18], "little", signed=True))
    assert lats == world["alpha_lats"]
    listed = api.json("GET", "/v1/projects/alpha/replays", admin)["replays"]
    assert [r["id"] for r in listed] == [started["id"]]

    looping = api.json("POST", "/v1/projects/alpha/replays", admin,
                       {"source": "alink", "udp": "127.0.0.1:9", "loop": True, "speed": 1}, expect=201)
    paused = api.json("POST", f"/v1/projects/alpha/replays/{looping['id']}/control", admin, {"action": "pause"})
    assert paused["paused"] is True
    status, headers, raw = api.call("POST", f"/v1/projects/alpha/replays/{looping['id']}/control", admin, {"action": "fly"})
    assert_problem(status, headers, raw, 400, "invalid-body", "action")
    api.json("DELETE", f"/v1/projects/alpha/replays/{looping['id']}", admin)
    deadline = time.time() + 5
    while api.json("GET", f"/v1/projects/alpha/replays/{looping['id']}", admin)["state"] == "running":
        assert time.time() < deadline
        time.sleep(0.1)
    assert api.json("GET", f"/v1/projects/alpha/replays/{looping['id']}", admin)["state"] == "stopped"


def test_replay_rewriting_over_the_api(world):
    """systemID and only on ReplayInput: every frame out is GLOBAL_POSITION_INT from system 42, CRC-valid."""
    from pymavlink import mavutil
    api = world["api"]
    admin = secret(world, "alpha", "admin")
    for body, parameter in [({"source": "alink", "udp": "127.0.0.1:9", "only": ["NO_SUCH_MESSAGE"]}, "only"),
                            ({"source": "alink", "udp": "127.0.0.1:9", "systemID": 300}, "systemID"),
                            ({"source": "alink", "udp": "127.0.0.1:9", "timestamps": "later"}, "timestamps")]:
        status, headers, raw = api.call("POST", "/v1/projects/alpha/replays", admin, body)
        assert_problem(status, headers, raw, 400, "invalid-body", parameter)
    _, datagrams = replay_capture(
        api, admin, {"source": "alink", "speed": 10, "systemID": 42, "only": ["GLOBAL_POSITION_INT"]})
    parser = mavutil.mavlink.MAVLink(None)
    messages = [m for d in datagrams for m in parser.parse_buffer(d) or []]
    assert {m.get_type() for m in messages} == {"GLOBAL_POSITION_INT"}
    assert {m.get_srcSystem() for m in messages} == {42}
    assert [m.lat for m in messages] == world["alpha_lats"]


def test_coalesced_replay_over_the_api(world):
    """coalesceBytes on ReplayInput: fewer datagrams, none over the limit, each of whole frames, and their
    bytes joined are exactly what the plain replay sends (pymavlink decodes every position in order)."""
    from pymavlink import mavutil
    api = world["api"]
    admin = secret(world, "alpha", "admin")
    for body in [{"source": "alink", "tcp": "127.0.0.1:9", "coalesceBytes": 1400},
                 {"source": "alink", "udp": "127.0.0.1:9", "coalesceBytes": 0},
                 {"source": "alink", "udp": "127.0.0.1:9", "coalesceBytes": 70000}]:
        status, headers, raw = api.call("POST", "/v1/projects/alpha/replays", admin, body)
        assert_problem(status, headers, raw, 400, "invalid-body", "coalesceBytes")

    _, plain = replay_capture(api, admin, {"source": "alink", "maxRate": True}, quiet_seconds=3)
    _, joined = replay_capture(api, admin, {"source": "alink", "maxRate": True, "coalesceBytes": 1400}, quiet_seconds=3)
    assert b"".join(joined) == b"".join(plain)
    assert len(joined) < len(plain) / 5, (len(joined), len(plain))
    assert max(len(d) for d in joined) <= 1400
    for d in joined:  # whole frames only: each datagram parses on its own to the end, nothing left over
        parser = mavutil.mavlink.MAVLink(None)
        assert parser.parse_buffer(d) and parser.buf_len() == 0
    lats = [m.lat for d in joined for m in mavutil.mavlink.MAVLink(None).parse_buffer(d) or []
            if m.get_type() == "GLOBAL_POSITION_INT"]
    assert lats == world["alpha_lats"]


def test_field_area_matches_geographiclib(world):
    from geographiclib.geodesic import Geodesic
    polygon = Geodesic.WGS84.Polygon()
    for lon, lat in world["square"][:-1]:
        polygon.AddPoint(lat, lon)
    _, _, area = polygon.Compute()
    ours = world["beta_field"]["areaSquareMetres"]
    assert abs(ours - abs(area)) / abs(area) < 1e-4, (ours, area)
    assert world["beta_field"]["boundary"]["type"] == "Polygon"


def test_rate_limit_per_token(world):
    api = world["api"]
    token = secret(world, "alpha", "reader-limit")
    from concurrent.futures import ThreadPoolExecutor
    with ThreadPoolExecutor(16) as pool:
        answers = list(pool.map(lambda _: api.call("GET", "/v1/projects/alpha", token), range(1200)))
    statuses = [a[0] for a in answers]
    limited = [a for a in answers if a[0] == 429]
    assert statuses.count(200) >= 200, "the burst of 200 is allowed"
    assert limited, f"1,200 requests at once never hit 200/s: {statuses.count(200)} answered"
    assert_problem(429, limited[0][1], limited[0][2], 429, "rate-limited")
    assert int(limited[0][1]["retry-after"]) >= 1
    # Another token of the same project is not slowed down by this one.
    assert api.call("GET", "/v1/projects/alpha", secret(world, "alpha", "reader"))[0] == 200


def test_cors_is_off_by_default(world):
    api = world["api"]
    status, headers, _ = api.call("GET", "/v1/projects/alpha", secret(world, "alpha", "reader"),
                                  headers={"Origin": "https://evil.example"})
    assert status == 200 and "access-control-allow-origin" not in headers
    status, headers, _ = api.call("OPTIONS", "/v1/projects/alpha", None,
                                  headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in headers


def test_live_values_stream_over_sse(world):
    api = world["api"]
    connection = http.client.HTTPConnection("127.0.0.1", api.port, timeout=10)
    connection.request("GET", "/v1/projects/alpha/sources/alink-1-1/live",
                       headers={"Authorization": f"Bearer {secret(world, 'alpha', 'reader')}"})
    response = connection.getresponse()
    assert response.status == 200 and response.getheader("Content-Type") == "text/event-stream"
    assert response.readline().startswith(b": live values")
    m = mavutil.mavlink_connection(f"udpout:127.0.0.1:{world['alpha_port']}", source_system=1,
                                   source_component=1)
    events = []
    deadline = time.time() + 10
    while time.time() < deadline:
        m.mav.global_position_int_send(1, 471_234_567, 87_654_321, 1000, 1000, 0, 0, 0, 0)
        line = response.readline()
        if line.startswith(b"data: "):
            events.append(json.loads(line[6:]))
            if events[-1]["group"] == "GLOBAL_POSITION_INT" and events[-1]["values"]["lat"] == 471_234_567:
                break
    connection.close()
    assert events and events[-1]["values"]["lat"] == 471_234_567, events[-3:]
    assert events[-1]["values"]["lon"] == 87_654_321


def test_schemathesis_finds_no_server_error_and_no_answer_outside_the_schema(world, tmp_path):
    api = world["api"]
    lat = series_id(world, "alpha", "alink-1-1", "lat")
    config = tmp_path / "schemathesis.toml"
    config.write_text(f"""
headers = {{ Authorization = "Bearer {OPERATOR}" }}
[parameters]
"path.project" = "alpha"
"path.source" = "alink-1-1"
"query.series" = [{lat}]
""")
    st = Path(os.environ.get("VIRTUAL_ENV", REPO / ".venv")) / "bin" / "schemathesis"
    if not st.exists():
        st = REPO / ".venv" / "bin" / "schemathesis"
    result = subprocess.run(
        [str(st), "--config-file", str(config), "run", f"http://127.0.0.1:{api.port}/v1/openapi.json",
         "-n", "25", "--seed", "7", "--rate-limit", "150/s", "--max-response-time", "5",
         "-c", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance,response_headers_conformance"],
        capture_output=True, text=True, timeout=600, cwd=tmp_path)
    summary = result.stdout[-3000:]
    assert result.returncode == 0, summary
    assert "generated" in summary and "passed" in summary, summary
