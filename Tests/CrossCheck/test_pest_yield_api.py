"""The pest summary and trap counts end to end against a real `furrow serve`.

What is independent of the Swift code, and what is not:
- Degree-days: the CIMIS Esparto.A 2020 daily Tmin/Tmax (SampleData/agronomy/degree_days_degday_computed.json) are
  imported as two store series (°C, at local noon, America/Los_Angeles); GET …/pest?model=peach-twig-borer must give
  R degday's daily 50/88 °F single-sine values (UCANR-IGIS/degday, itself checked against the UC IPM website) within
  0.0051 DD, its cumulative values from the 2020-04-01 biofix within 0.006 and its milestone dates exactly.
  INDEPENDENT (values computed by R degday, not by us).
- Trap CTD: a hand-checkable example from the UC IPM definition (moths per trap ÷ days since the trap was last
  checked), with the numbers written out below. INDEPENDENT (arithmetic by hand from the definition).
- Disease risk (Botrytis): the Broome et al. 1995 logit computed here in Python on hourly means of the simulated
  orchard weather, wet periods merged across dry gaps < 4 h — written from the published formula and the rules in
  the API description. INDEPENDENT of the Swift code, but the period rules are ours (the publication gives none).
- Bad input: an unknown trap, a bad CSV row, a repeated check time, a trap outside the field — refused with row
  number and reason, and nothing is stored (the counts are read back).
- Isolation: another project's token gets 404 on every new route.
"""
from __future__ import annotations

import json
import math
import os
import subprocess
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from conftest import SUMMARY
from test_api import API, assert_problem
from test_daemon import Daemon

OPERATOR = "operator-token-for-pest-0123456789"
REPO = Path(__file__).resolve().parents[2]
AGRO = REPO / "SampleData" / "agronomy"
ORCHARD = REPO / "SampleData" / "orchard"
LA = ZoneInfo("America/Los_Angeles")
SQUARE = [[-122.03, 38.68], [-122.01, 38.68], [-122.01, 38.70], [-122.03, 38.70], [-122.03, 38.68]]


def f_to_c(f: float) -> float:
    return (f - 32) * 5 / 9


@pytest.fixture(scope="module")
def world(furrow_bin: Path, tmp_path_factory):
    data = tmp_path_factory.mktemp("pest")
    db = data / "furrow.sqlite"
    degday = json.loads((AGRO / "degree_days_degday_computed.json").read_text())
    lines = []
    for r in degday["daily"]:
        y, m, d = map(int, r["date"].split("-"))
        noon = int(datetime(y, m, d, 12, tzinfo=LA).timestamp())
        lines.append(f"esparto,source=cimis-esparto tmin={f_to_c(r['tmin_F']):.10f},tmax={f_to_c(r['tmax_F']):.10f} {noon}")
    lp = data / "esparto.lp"
    lp.write_text("\n".join(lines) + "\n")
    for path in (lp, ORCHARD / "weather.lp"):
        subprocess.run([str(furrow_bin), "import", "--db", str(db), "--project", "default", "--precision", "s", str(path)],
                       check=True, capture_output=True, text=True)
    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    daemon = Daemon(furrow_bin, data)
    try:
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    api = API(daemon.http)
    field = api.json("POST", "/v1/projects/default/fields", OPERATOR, {
        "name": "esparto", "crop": "walnut", "timeZone": "America/Los_Angeles",
        "boundary": {"type": "Polygon", "coordinates": [SQUARE]},
        "properties": {"pest": {"weather": {"tMin": {"source": "cimis-esparto", "channel": "tmin"},
                                            "tMax": {"source": "cimis-esparto", "channel": "tmax"}},
                                "biofix": {"peach-twig-borer": "2020-04-01"}}}}, expect=201)
    orchard = api.json("POST", "/v1/projects/default/fields", OPERATOR,
                       json.loads((ORCHARD / "field.json").read_text()), expect=201)
    reader = api.json("POST", "/v1/projects/default/tokens", OPERATOR, {"role": "reader"}, expect=201)["secret"]
    uploader = api.json("POST", "/v1/projects/default/tokens", OPERATOR, {"role": "uploader"}, expect=201)["secret"]
    api.json("POST", "/v1/projects", OPERATOR, {"slug": "other"}, expect=201)
    other = api.json("POST", "/v1/projects/other/tokens", OPERATOR, {"role": "admin"}, expect=201)["secret"]
    yield {"daemon": daemon, "api": api, "field": field, "orchard": orchard, "reader": reader, "uploader": uploader,
           "other": other, "degday": degday}
    if daemon.proc and daemon.proc.poll() is None:
        daemon.stop()


def pest(world, field_id: int, query: str) -> dict:
    return world["api"].json("GET", f"/v1/projects/default/fields/{field_id}/pest?{query}", world["reader"])


def test_degree_days_match_r_degday(world):
    degday = world["degday"]
    vector = degday["pest_models"]["peach_twig_borer_UCIPM_model1"]
    out = pest(world, world["field"]["id"], "model=peach-twig-borer&from=2020-01-01&to=2020-12-31")
    assert out["model"]["lower"] == 50 and out["model"]["upper"] == 88 and out["model"]["sources"]
    assert out["biofix"]["date"] == "2020-04-01" and "properties.pest.biofix" in out["biofix"]["source"]
    assert out["inputs"]["provenance"]["tMin"]["status"] == "ok"
    days = out["days"]
    assert [d["date"] for d in days] == [r["date"] for r in degday["daily"]]
    missing = [d for d in days if d["degreeDays"] is None]
    assert not missing, missing[:3]
    diffs = [abs(d["degreeDays"] - r[vector["column"]]) for d, r in zip(days, degday["daily"])]
    assert max(diffs) <= 0.0051, max(diffs)
    worst = max(abs(cumulative_value - vector["cumulative_DD_F_at"][date]) for date, cumulative_value in
                ((d["date"], d["cumulative"]) for d in days) if date in vector["cumulative_DD_F_at"])
    SUMMARY.append(f"pest API degree-days vs R degday (Esparto.A 2020, 50/88 F single sine, 366 days): max |dDD| = {max(diffs):.2e}, max |dcumulative| = {worst:.2e}")
    cumulative = {d["date"]: d["cumulative"] for d in days}
    for date, value in vector["cumulative_DD_F_at"].items():
        assert abs(cumulative[date] - value) <= 0.006, (date, cumulative[date], value)
    reached = {m["degreeDays"]: m["date"] for m in out["milestones"]}
    for dd, date in vector["first_date_reaching"].items():
        assert reached[float(dd)] == date, (dd, reached)
    csv = world["api"].call("GET", f"/v1/projects/default/fields/{world['field']['id']}/pest?model=peach-twig-borer&from=2020-04-01&to=2020-04-30&format=csv", world["reader"])
    assert csv[0] == 200 and csv[1]["content-type"].startswith("text/csv")
    rows = csv[2].decode().splitlines()
    assert rows[0].startswith("date,tMin,tMax,degreeDays,cumulative") and len(rows) == 31
    assert abs(float(rows[-1].split(",")[4]) - 376.72) <= 0.006


def test_trap_ctd_matches_the_uc_ipm_definition_by_hand(world):
    api, fid = world["api"], world["field"]["id"]
    trap = api.json("POST", f"/v1/projects/default/fields/{fid}/traps", OPERATOR, {
        "name": "PTB-1", "pest": "peach-twig-borer", "lure": "pheromone", "longitude": -122.02, "latitude": 38.69,
        "installedAt": "2020-04-01T08:00:00-07:00",
        "actionThreshold": {"perTrapPerWeek": 20, "source": "test value"}}, expect=201)
    # Set 1 Apr 08:00; checks (local 08:00): 8 Apr 14 moths, 15 Apr 0, 29 Apr 28 (a missed check: 14 days), 6 May 35.
    # UC IPM: CTD = moths ÷ days since last check → 14/7 = 2, 0/7 = 0, 28/14 = 2, 35/7 = 5.
    csv = "time,count\n2020-04-08T08:00:00-07:00,14\n2020-04-15T08:00:00-07:00,0\n2020-04-29T08:00:00-07:00,28\n2020-05-06T08:00:00-07:00,35\n"
    status, _, raw = api.call("POST", f"/v1/projects/default/fields/{fid}/traps/{trap['id']}/counts", world["uploader"],
                              csv.encode(), headers={"Content-Type": "text/csv"})
    assert status == 201, raw
    assert json.loads(raw)["stored"] == 4
    out = pest(world, fid, "model=peach-twig-borer&from=2020-03-01&to=2020-05-31")
    [summary] = [t for t in out["traps"] if t["id"] == trap["id"]]
    assert [c["ctd"] for c in summary["checks"]] == [2, 0, 2, 5]
    assert [c["exposureDays"] for c in summary["checks"]] == [7, 7, 14, 7]
    assert [c["cumulative"] for c in summary["checks"]] == [14, 14, 42, 77]
    # ISO weeks (Monday): 6 Apr 14/7 d, 13 Apr 0/7 d, 20 Apr none, 27 Apr 28/14 d, 4 May 35/7 d → rates 14, 0, —, 14, 35.
    weeks = {w["weekStart"]: w for w in summary["weeks"]}
    assert [weeks[k]["rate"] for k in ["2020-04-06", "2020-04-13", "2020-04-20", "2020-04-27", "2020-05-04"]] == [14, 0, None, 14, 35]
    assert summary["actionThreshold"]["firstWeekAbove"] == "2020-05-04"
    assert [p["weekStart"] for p in summary["peaks"]] == ["2020-05-04"]
    assert summary["firstSustainedCatch"] == "2020-04-29"
    # The field's biofix setting wins over the trap.
    assert out["biofix"]["date"] == "2020-04-01"


def test_bad_counts_store_nothing(world):
    api, fid = world["api"], world["field"]["id"]
    trap = api.json("POST", f"/v1/projects/default/fields/{fid}/traps", OPERATOR,
                    {"name": "PTB-2", "pest": "peach-twig-borer"}, expect=201)
    path = f"/v1/projects/default/fields/{fid}/traps/{trap['id']}/counts"
    bad = b"time,count\n2020-06-02T08:00:00Z,3\n2020-06-09T08:00:00Z,-4\nnot-a-time,1\n"
    status, headers, raw = api.call("POST", path, world["uploader"], bad, headers={"Content-Type": "text/csv"})
    assert_problem(status, headers, raw, 400, "invalid-body", "body")
    detail = json.loads(raw)["detail"]
    assert "nothing stored" in detail and "row 3: count -4" in detail and "row 4: time not-a-time" in detail, detail
    status, headers, raw = api.call("POST", path, world["uploader"], b"time,n\n2020-06-02T08:00:00Z,3\n", headers={"Content-Type": "text/csv"})
    assert_problem(status, headers, raw, 400, "invalid-body", "body")
    assert "row 1" in json.loads(raw)["detail"]
    out = pest(world, fid, "model=peach-twig-borer&from=2020-05-01&to=2020-06-30")
    assert [t for t in out["traps"] if t["id"] == trap["id"]][0]["checks"] == []
    good = [{"time": "2020-06-02T08:00:00Z", "count": 3}]
    assert api.json("POST", path, world["uploader"], good, expect=201)["stored"] == 1
    status, headers, raw = api.call("POST", path, world["uploader"], good)
    assert_problem(status, headers, raw, 409, "conflict", "body")
    assert "row 1" in json.loads(raw)["detail"]
    # Unknown trap, trap outside the field, reader may not add counts.
    status, headers, raw = api.call("POST", f"/v1/projects/default/fields/{fid}/traps/999999/counts", world["uploader"], good)
    assert_problem(status, headers, raw, 404, "not-found", "trap")
    status, headers, raw = api.call("POST", f"/v1/projects/default/fields/{fid}/traps", OPERATOR,
                                    {"name": "far", "pest": "codling-moth", "longitude": -121.0, "latitude": 38.69})
    assert_problem(status, headers, raw, 400, "invalid-body", "longitude")
    assert "outside the boundary" in json.loads(raw)["detail"]
    status, headers, raw = api.call("POST", path, world["reader"], good)
    assert_problem(status, headers, raw, 403, "forbidden")
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{fid}/pest?model=nope", world["reader"])
    assert_problem(status, headers, raw, 400, "invalid-parameter", "model")


def hourly_means(channel: str) -> dict[int, float]:
    sums: dict[int, list[float]] = {}
    for line in (ORCHARD / "weather.lp").read_text().splitlines():
        if not line or line.startswith("#"):
            continue
        _, fields, ts = line.split(" ")
        values = dict(kv.split("=") for kv in fields.split(","))
        sums.setdefault(int(ts) // 3600 * 3600, []).append(float(values[channel]))
    return {k: sum(v) / len(v) for k, v in sums.items()}


def test_botrytis_matches_the_published_formula(world):
    out = pest(world, world["orchard"]["id"], "model=codling-moth&from=2026-03-01&to=2026-05-31")
    disease = out["disease"]
    assert disease["status"] == "ok" and "leaf-wetness" in disease["inputs"]["wetness"]
    t, lw = hourly_means("t"), hourly_means("lw")
    start = int(datetime(2026, 3, 1, tzinfo=LA).timestamp())
    end = int(datetime(2026, 6, 1, tzinfo=LA).timestamp())
    hours = list(range(start, end, 3600))
    periods, current, last_wet = [], None, None
    for h in hours:
        if lw.get(h, 0) >= 0.5 and h in t:
            if current is not None and (h - last_wet) // 3600 - 1 >= 4:
                periods.append(current)
                current = None
            if current is None:
                current = {"start": h, "temps": []}
            current["temps"].append(t[h])
            last_wet = h
    if current is not None:
        periods.append(current)
    expected = []
    for p in periods:
        w, tm = len(p["temps"]), sum(p["temps"]) / len(p["temps"])
        expected.append((p["start"], w, -2.647866 + 0.374927 * w + 0.061601 * w * tm - 0.001511 * w * tm * tm))
    got = disease["botrytis"]["periods"]
    assert len(got) == len(expected) and len(got) >= 3, (len(got), len(expected))
    for g, (s, w, logit) in zip(got, expected):
        assert datetime.fromisoformat(g["start"].replace("Z", "+00:00")).timestamp() == s
        assert g["wetHours"] == w and abs(g["index"] - logit) <= 1e-9, (g, w, logit)
        assert abs(g["infectionProbability"] - 1 / (1 + math.exp(-logit))) <= 1e-12
    assert disease["powderyMildew"]["days"] and disease["appleScab"]["periods"] is not None


def test_another_projects_token_gets_404_on_every_new_route(world):
    api, fid, other = world["api"], world["field"]["id"], world["other"]
    trap = api.json("GET", f"/v1/projects/default/fields/{fid}/traps", world["reader"])["traps"][0]["id"]
    for method, path, body in [
        ("GET", f"/v1/projects/default/fields/{fid}/traps", None),
        ("POST", f"/v1/projects/default/fields/{fid}/traps", {"name": "x", "pest": "codling-moth"}),
        ("POST", f"/v1/projects/default/fields/{fid}/traps/{trap}/counts", [{"time": "2020-09-01T00:00:00Z", "count": 1}]),
        ("GET", f"/v1/projects/default/fields/{fid}/pest", None),
    ]:
        status, headers, raw = api.call(method, path, other, body)
        assert_problem(status, headers, raw, 404, "not-found", "project")
        assert b"PTB" not in raw and b"esparto" not in raw
    # The other project's own paths with default's ids: the field is unknown there.
    status, headers, raw = api.call("GET", f"/v1/projects/other/fields/{fid}/pest", other)
    assert_problem(status, headers, raw, 404, "not-found", "field")
    status, headers, raw = api.call("POST", f"/v1/projects/other/fields/{fid}/traps/{trap}/counts", other,
                                    [{"time": "2020-09-01T00:00:00Z", "count": 1}])
    assert_problem(status, headers, raw, 404, "not-found", "field")


# --- Yield -------------------------------------------------------------------------------------------------------
# INDEPENDENT: the unit conversions (lb → kg 0.45359237, mph → m/s 0.44704, ft → m 0.3048), the filter order and
# rules (Yield Editor as documented in the API: zero speed/swath, header up, velocity 0.5…4 m/s, position outside
# the field boundary, field mean ± 3 sample SD of dry yield) and the dry-yield formula dry = wet × (100 − M) /
# (100 − Mstd) (UF/IFAS AG442; corn Mstd 15.5 %) are re-implemented here from those descriptions, not from Swift.

def read_harvest() -> list[dict]:
    lines = (ORCHARD / "harvest.csv").read_text().splitlines()
    out = []
    for line in lines[1:]:
        lon, lat, flow, moist, speed, swath, t, _dist, pas, header = line.split(",")
        out.append({"lon": float(lon), "lat": float(lat), "flow": float(flow) * 0.45359237, "moisture": float(moist),
                    "speed": float(speed) * 0.44704, "swath": float(swath) * 0.3048, "time": float(t),
                    "pass": int(pas), "header": header == "1"})
    for i, r in enumerate(out):
        r["interval"] = out[i]["time"] - out[i - 1]["time"] if i else out[1]["time"] - out[0]["time"]
    return out


def inside(ring, x, y) -> bool:
    result, j = False, len(ring) - 1
    for i in range(len(ring)):
        xi, yi, xj, yj = ring[i][0], ring[i][1], ring[j][0], ring[j][1]
        if (yi > y) != (yj > y) and x < (xj - xi) * (y - yi) / (yj - yi) + xi:
            result = not result
        j = i
    return result


@pytest.fixture(scope="module")
def harvest(world):
    api = world["api"]
    field = api.json("POST", "/v1/projects/default/fields", OPERATOR,
                     json.loads((ORCHARD / "harvest_field.json").read_text()), expect=201)
    status, _, raw = api.call("POST", f"/v1/projects/default/fields/{field['id']}/harvests?name=demo", world["uploader"],
                              (ORCHARD / "harvest.csv").read_bytes(), headers={"Content-Type": "text/csv"})
    assert status == 201, raw
    return {"field": field, "harvest": json.loads(raw)}


@pytest.mark.parametrize("policy", ["symmetric", "never-above-wet"])
def test_yield_cleaning_and_dry_yield_match_an_independent_computation(world, harvest, policy):
    field, h = harvest["field"], harvest["harvest"]
    assert h["records"] == 1267
    out = world["api"].json("GET", f"/v1/projects/default/fields/{field['id']}/yield?harvest={h['id']}&moisturePolicy={policy}", world["reader"])
    records = read_harvest()
    ring = field["boundary"]["coordinates"][0]
    mstd = 15.5

    def factor(m):
        return 1.0 if policy == "never-above-wet" and m < mstd else (100 - m) / (100 - mstd)

    removed = {}
    alive = list(range(len(records)))

    def apply(name, predicate):
        nonlocal alive
        gone = [i for i in alive if predicate(records[i])]
        removed[name] = len(gone)
        alive = [i for i in alive if not predicate(records[i])]

    apply("zero-speed-or-swath", lambda r: r["speed"] <= 0 or r["swath"] <= 0)
    apply("header-up", lambda r: not r["header"])
    apply("velocity", lambda r: r["speed"] < 0.5 or r["speed"] > 4.0)
    apply("position", lambda r: not inside(ring, r["lon"], r["lat"]))
    dry = {i: records[i]["flow"] / (records[i]["swath"] * records[i]["speed"]) * 10_000 * factor(records[i]["moisture"]) for i in alive}
    values = list(dry.values())
    mean = sum(values) / len(values)
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / (len(values) - 1))
    apply("standard-deviation", lambda r: abs(dry[records.index(r)] - mean) > 3 * sd)
    steps = {s["name"]: s["removed"] for s in out["cleaning"]["steps"]}
    for name, count in removed.items():
        assert steps[name] == count, (name, steps[name], count)
    assert sum(steps.values()) == out["cleaning"]["removed"] == len(records) - len(alive)
    assert removed["header-up"] == 96 and removed["position"] >= 1 and removed["standard-deviation"] >= 1, removed
    SUMMARY.append(f"yield API ({policy}): removed per filter {removed} (equal to the independent count)")
    stats = out["statistics"]
    kept = [dry[i] for i in alive]
    mean_kept = sum(kept) / len(kept)
    assert stats["recordsKept"] == len(alive)
    assert math.isclose(stats["meanKgPerHa"], mean_kept, rel_tol=1e-9)
    SUMMARY.append(f"yield API ({policy}): mean {stats['meanKgPerHa']:.3f} vs {mean_kept:.3f} kg/ha, logged dry mass {stats['loggedDryMassKg']:.3f} kg")
    logged = sum(r["flow"] * r["interval"] * factor(r["moisture"]) for r in records if r["header"])
    assert math.isclose(stats["loggedDryMassKg"], logged, rel_tol=1e-9)
    hectares = sum(r["swath"] * r["speed"] * r["interval"] for r in records if r["header"]) / 10_000
    assert math.isclose(stats["harvestedHectares"], hectares, rel_tol=1e-9)
    assert out["dryYield"]["standardMoisture"] == mstd and out["dryYield"]["policy"] == policy
    # The policy matters on this file: some kept grain is drier than standard.
    assert sum(1 for i in alive if records[i]["moisture"] < mstd) >= 50
    # The map: every kept point in exactly one cell.
    assert out["map"]["type"] == "FeatureCollection"
    assert sum(f["properties"]["points"] for f in out["map"]["features"]) == len(alive)


def test_bad_yield_files_store_nothing(world, harvest):
    api, fid = world["api"], harvest["field"]["id"]
    path = f"/v1/projects/default/fields/{fid}/harvests"
    before = len(api.json("GET", path, world["reader"])["harvests"])
    cases = [
        (b"lon,lat,flow (lb/s),moisture (%),speed (mph),time\n1,2,3,4,5,6\n", "row 1: no swath column"),
        (b"lon,lat,flow (t/h),moisture (%),speed (mph),swath (ft),time\n1,2,3,4,5,6,7\n", "unit t/h is not one of"),
        (b"lon,lat,flow,moisture (%),speed (mph),swath (ft),time\n1,2,3,4,5,6,7\n", "has no unit"),
        (b"lon,lat,flow (kg/s),moisture (%),speed (m/s),swath (m),time\n-122.03,38.685,10,18,2,9,100\n-122.03,38.685,x,18,2,9,101\n-122.03,38.685,10,180,2,9,102\n",
         "row 3: massFlow 'x' is not a number"),
    ]
    for body, reason in cases:
        status, headers, raw = api.call("POST", path, world["uploader"], body, headers={"Content-Type": "text/csv"})
        assert_problem(status, headers, raw, 400, "invalid-body", "body")
        assert reason in json.loads(raw)["detail"], raw
    status, _, raw = api.call("POST", path, world["uploader"], cases[3][0], headers={"Content-Type": "text/csv"})
    assert "row 4: moisture 180" in json.loads(raw)["detail"]
    assert len(api.json("GET", path, world["reader"])["harvests"]) == before
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{fid}/yield?harvest=999999", world["reader"])
    assert_problem(status, headers, raw, 404, "not-found", "harvest")
    status, headers, raw = api.call("GET", f"/v1/projects/other/fields/{fid}/yield", world["other"])
    assert_problem(status, headers, raw, 404, "not-found", "field")
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{fid}/yield", world["other"])
    assert_problem(status, headers, raw, 404, "not-found", "project")


# --- Scouting hotspots ---------------------------------------------------------------------------------------------
# INDEPENDENT: the Gi* z-scores are recomputed by PySAL (esda.G_Local, star=True, binary queen weights from
# libpysal.lat2W, row-major from the south-west like Furrow's cells) on the cell counts the API reports; the
# inside/outside split of the uploaded points is recomputed here against the (rectangular) boundary.

def test_hotspots_match_esda_and_outside_detections_are_flagged(world):
    import esda
    import libpysal
    import numpy as np

    api, field = world["api"], world["orchard"]
    ring = field["boundary"]["coordinates"][0]
    lo_lon, hi_lon = min(p[0] for p in ring), max(p[0] for p in ring)
    lo_lat, hi_lat = min(p[1] for p in ring), max(p[1] for p in ring)
    rng = np.random.default_rng(9)
    points = [(rng.uniform(lo_lon, hi_lon), rng.uniform(lo_lat, hi_lat)) for _ in range(300)]
    points += [(-122.0210 + rng.normal(0, 0.0001), 38.6900 + rng.normal(0, 0.0001)) for _ in range(150)]
    points += [(-122.0300, 38.6905), (-122.0190, 38.6950), (-122.0100, 38.6800)]  # outside
    features = [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [x, y]},
                 "properties": {"class": "codling-moth-damage", "confidence": 0.9}} for x, y in points]
    path = f"/v1/projects/default/fields/{field['id']}/detections?flight=F1"
    bad = {"type": "FeatureCollection", "features": features[:5] + [{"type": "Feature", "geometry": {"type": "Point", "coordinates": [1]}}]}
    status, headers, raw = api.call("POST", path, world["uploader"], bad)
    assert_problem(status, headers, raw, 400, "invalid-body", "body")
    assert "row 6: not a Point" in json.loads(raw)["detail"]
    status, headers, raw = api.call("POST", path, world["uploader"], b"lon,lat,confidence\n-122.02,38.69,2\n",
                                    headers={"Content-Type": "text/csv"})
    assert_problem(status, headers, raw, 400, "invalid-body", "body")
    assert "row 2: confidence 2.0 is outside 0…1" in json.loads(raw)["detail"]
    result = api.json("POST", path, world["uploader"], {"type": "FeatureCollection", "features": features}, expect=201)
    inside = [i for i, (x, y) in enumerate(points) if lo_lon < x < hi_lon and lo_lat < y < hi_lat]
    assert result["stored"] == len(inside) and result["flights"] == ["F1"]
    assert [f["row"] for f in result["flagged"]] == [i + 1 for i in range(len(points)) if i not in inside]
    assert all("outside the field's boundary" in f["reason"] for f in result["flagged"])

    out = api.json("GET", f"/v1/projects/default/fields/{field['id']}/hotspots?flight=F1&cellSize=20", world["reader"])
    rows, cols = out["grid"]["rows"], out["grid"]["columns"]
    cells = out["cells"]["features"]
    assert len(cells) == rows * cols and [c["properties"]["cell"] for c in cells] == list(range(rows * cols))
    counts = np.array([c["properties"]["count"] for c in cells], dtype=float)
    assert counts.sum() == out["counted"] == len(inside)
    g = esda.G_Local(counts, libpysal.weights.lat2W(rows, cols, rook=False), transform="B", star=True, permutations=0)
    mine = np.array([c["properties"]["z"] for c in cells], dtype=float)
    dz = np.abs(mine - np.asarray(g.Zs, dtype=float)).max()
    SUMMARY.append(f"hotspots API Gi* vs esda.G_Local ({rows}x{cols} cells, {len(inside)} detections): max |dz| = {dz:.2e}")
    assert dz < 1e-9
    hot = {c["properties"]["cell"] for c in cells if c["properties"]["confidence"] >= 2}
    assert hot == set(np.flatnonzero(np.asarray(g.Zs) >= 1.960).tolist()) and len(hot) >= 3
    assert out["hotspots95"] == len(hot)
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{field['id']}/hotspots", world["other"])
    assert_problem(status, headers, raw, 404, "not-found", "project")


# --- CLI ---------------------------------------------------------------------------------------------------------

def test_cli_pest_matches_degday_and_the_hand_ctd(furrow_bin, tmp_path, world):
    degday = world["degday"]
    vector = degday["pest_models"]["peach_twig_borer_UCIPM_model1"]
    spec = {"model": "peach-twig-borer", "scale": "F", "biofix": "2020-04-01",
            "days": [{"date": r["date"], "tmin": r["tmin_F"], "tmax": r["tmax_F"]} for r in degday["daily"]],
            "traps": [{"name": "T", "installed": "2020-04-01", "checks": [
                {"date": "2020-04-08", "count": 14}, {"date": "2020-04-15", "count": 0},
                {"date": "2020-04-29", "count": 28}, {"date": "2020-05-06", "count": 35}]}]}
    path = tmp_path / "pest.json"
    path.write_text(json.dumps(spec))
    out = json.loads(subprocess.run([str(furrow_bin), "agro", "pest", "--input", str(path)], check=True,
                                    capture_output=True, text=True).stdout)
    cumulative = {d["date"]: d["cumulative"] for d in out["days"]}
    for date, value in vector["cumulative_DD_F_at"].items():
        assert abs(cumulative[date] - value) <= 0.006
    assert [c["ctd"] for c in out["traps"][0]["checks"]] == [2, 0, 2, 5]
    csv = subprocess.run([str(furrow_bin), "agro", "pest", "--input", str(path), "--format", "csv"], check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert csv[0] == "date,tmin,tmax,dd,cumulative,milestones" and len(csv) == len(spec["days"]) + 1


def test_cli_yield_matches_the_api(furrow_bin, tmp_path, world, harvest):
    out = json.loads(subprocess.run(
        [str(furrow_bin), "agro", "yield", "--input", str(ORCHARD / "harvest.csv"), "--crop", "corn",
         "--boundary", str(ORCHARD / "harvest_field.json")], check=True, capture_output=True, text=True).stdout)
    api = world["api"].json("GET", f"/v1/projects/default/fields/{harvest['field']['id']}/yield?harvest={harvest['harvest']['id']}", world["reader"])
    assert out["cleaning"]["steps"] == api["cleaning"]["steps"]
    assert out["statistics"] == api["statistics"]
    geo = json.loads(subprocess.run(
        [str(furrow_bin), "agro", "yield", "--input", str(ORCHARD / "harvest.csv"), "--crop", "corn", "--format", "geojson"],
        check=True, capture_output=True, text=True).stdout)
    assert geo["type"] == "FeatureCollection" and geo["features"]
    broken = tmp_path / "broken.csv"
    broken.write_text("lon,lat,flow (lb/s),moisture (%),speed (furlong/s),swath (ft),time\n")
    bad = subprocess.run([str(furrow_bin), "agro", "yield", "--input", str(broken)], capture_output=True, text=True)
    assert bad.returncode != 0 and "row 1" in bad.stderr and "furlong/s" in bad.stderr, bad.stderr


def test_trap_biofix_before_from_is_found_and_accumulation_starts_there(world):
    api, fid = world["api"], world["orchard"]["id"]
    for entry in json.loads((ORCHARD / "traps.json").read_text())["traps"]:
        trap = api.json("POST", f"/v1/projects/default/fields/{fid}/traps", OPERATOR, entry["trap"], expect=201)
        api.json("POST", f"/v1/projects/default/fields/{fid}/traps/{trap['id']}/counts", world["uploader"],
                 entry["counts"], expect=201)
    season = pest(world, fid, "model=codling-moth&from=2026-03-01&to=2026-05-31")
    late = pest(world, fid, "model=codling-moth&from=2026-05-01&to=2026-05-31")
    assert "first sustained catch" in season["biofix"]["source"] and season["biofix"]["date"] < "2026-05-01"
    assert late["biofix"] == season["biofix"] and late["from"] == season["biofix"]["date"]
    a = {d["date"]: d["cumulative"] for d in season["days"]}
    b = {d["date"]: d["cumulative"] for d in late["days"]}
    assert abs(a["2026-05-31"] - b["2026-05-31"]) < 1e-9 and a["2026-05-31"] > 0
    # The trap's own exposure rule: the first in-range check's CTD uses the previous (out-of-range) check.
    trap = season["traps"][0]
    assert trap["checks"][0]["exposureDays"] == 7  # set out 2026-03-10 08:00, first check 2026-03-17 08:00


# --- Vegetation indices against the yield map ----------------------------------------------------------------------
# INDEPENDENT: NDVI = (N − R)/(N + R), NDRE = (N − RE)/(N + RE) (Rouse 1974; Gitelson & Merzlyak 1994) computed here
# from the uploaded bands, and the least-squares line of cell yield on cell index computed with numpy.polyfit.

def test_vegetation_survey_per_cell_and_its_yield_regression(world, harvest):
    import numpy as np
    api, field, h = world["api"], harvest["field"], harvest["harvest"]
    base = api.json("GET", f"/v1/projects/default/fields/{field['id']}/yield?harvest={h['id']}", world["reader"])
    cells = [f for f in base["map"]["features"] if f["properties"]["yieldKgPerHa"] is not None]
    assert len(cells) >= 10
    # One sample at the centre of each yield cell (bands made to follow the cell's yield, with noise), and one
    # sample far outside the field (flagged, not stored).
    rng = np.random.default_rng(3)
    rows, expected = ["lon,lat,green,red,rededge,nir"], {}
    top = max(c["properties"]["yieldKgPerHa"] for c in cells)
    for c in cells:
        ring = c["geometry"]["coordinates"][0][:-1]
        lon = sum(p[0] for p in ring) / len(ring)
        lat = sum(p[1] for p in ring) / len(ring)
        vigour = c["properties"]["yieldKgPerHa"] / top
        red, nir = 0.08 - 0.04 * vigour + rng.normal(0, 0.003), 0.30 + 0.25 * vigour + rng.normal(0, 0.01)
        rededge, green = 0.20 + 0.02 * rng.normal(), 0.07
        rows.append(f"{lon:.9f},{lat:.9f},{green:.6f},{red:.6f},{rededge:.6f},{nir:.6f}")
        expected[c["properties"]["cell"]] = {"ndvi": (float(f"{nir:.6f}") - float(f"{red:.6f}")) / (float(f"{nir:.6f}") + float(f"{red:.6f}")),
                                             "ndre": (float(f"{nir:.6f}") - float(f"{rededge:.6f}")) / (float(f"{nir:.6f}") + float(f"{rededge:.6f}"))}
    rows.append("0.0,0.0,0.07,0.05,0.2,0.4")
    status, _, raw = api.call("POST", f"/v1/projects/default/fields/{field['id']}/vegetation?name=june&date=2026-06-20",
                              world["uploader"], ("\n".join(rows) + "\n").encode(), headers={"Content-Type": "text/csv"})
    assert status == 201, raw
    survey = json.loads(raw)
    assert survey["survey"]["samples"] == len(cells) and [f["row"] for f in survey["flagged"]] == [len(rows)]
    assert set(survey["survey"]["indices"]) >= {"ndvi", "ndre", "gndvi", "savi", "osavi", "cire"}

    out = api.json("GET", f"/v1/projects/default/fields/{field['id']}/yield?harvest={h['id']}&vegetation={survey['survey']['id']}",
                   world["reader"])
    by_cell = {f["properties"]["cell"]: f["properties"] for f in out["map"]["features"]}
    for cell, values in expected.items():
        for index, v in values.items():
            assert math.isclose(by_cell[cell][index], v, rel_tol=1e-12), (cell, index)
            assert by_cell[cell][index + "Samples"] == 1
    xs = np.array([by_cell[c]["ndvi"] for c in expected])
    ys = np.array([by_cell[c]["yieldKgPerHa"] for c in expected])
    slope, intercept = np.polyfit(xs, ys, 1)
    fitted = intercept + slope * xs
    r2 = 1 - ((ys - fitted) ** 2).sum() / ((ys - ys.mean()) ** 2).sum()
    fit = out["vegetation"]["indices"]["ndvi"]["regression"]
    assert math.isclose(fit["slope"], slope, rel_tol=1e-9) and math.isclose(fit["intercept"], intercept, rel_tol=1e-9)
    assert math.isclose(fit["rSquared"], r2, rel_tol=1e-9) and fit["cells"] == len(expected) and r2 > 0.5
    SUMMARY.append(f"vegetation: NDVI/NDRE per cell equal the published formulas on {len(expected)} cells; "
                   f"yield ~ NDVI slope {slope:.1f} kg/ha per unit, R² {r2:.3f} equal numpy.polyfit")
    # A bad file stores nothing and names the rows; another project's survey id is unknown.
    status, _, raw = api.call("POST", f"/v1/projects/default/fields/{field['id']}/vegetation", world["uploader"],
                              b"lon,lat,red,nir\n10,45,0.1,0.5\n10,45,12,40\n", headers={"Content-Type": "text/csv"})
    assert status == 400 and b"row 3" in raw and b"percent" in raw
    assert len(api.json("GET", f"/v1/projects/default/fields/{field['id']}/vegetation", world["reader"])["surveys"]) == 1
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{field['id']}/yield?vegetation=999", world["reader"])
    assert_problem(status, headers, raw, 404, "not-found", "vegetation")
