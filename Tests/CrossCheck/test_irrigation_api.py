"""The irrigation summary end to end: the SampleData season imported with `furrow import`, the field created over
HTTP, GET /v1/projects/default/fields/{f}/irrigation checked day by day against an independent computation:

- daily inputs aggregated here from the raw line protocol (local days in Europe/Madrid, impossible values and lone
  spikes excluded, coverage = share of the day the valid samples cover, below 80 % no value) — written from the
  rules in the API description, not from the Swift code;
- ET0 by pyet's pm_fao56 on those inputs (Rs from the temperature range, FAO-56 Eq. 50, where radiation is
  incomplete) — within 0.01 mm/d;
- the root-zone balance by pyfao56's dual-Kc model with the flow meter's events as gross irrigation — Dr within
  0.1 mm every day.

Also: another project's token and another project's path answer 404 problem+json, and a field without a weather
source answers a problem, not zeros.
"""
from __future__ import annotations

import json
import math
import os
import statistics
import subprocess
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
import pyet
import pyfao56 as fao
import pytest

from conftest import SUMMARY
from test_api import API, assert_problem
from test_daemon import Daemon

OPERATOR = "operator-token-for-irrigation-0123456789"
REPO = Path(__file__).resolve().parents[2]
SAMPLE = REPO / "SampleData" / "irrigation"
TZ = ZoneInfo("Europe/Madrid")
THRESHOLD = 0.8
RANGES = {"t": (-60, 60), "rh": (0, 100), "wind": (0, 75), "rs": (0, 1400), "rain": (0, 500),
          "vwc15": (0, 100), "vwc35": (0, 100), "vwc60": (0, 100), "volume_m3": (0, math.inf)}
SPIKE = {"t": 10, "rh": 45, "vwc15": 15, "vwc35": 15, "vwc60": 15}


def read_lp(*names: str) -> dict[tuple[str, str], list[tuple[int, float]]]:
    """(measurement, field) -> [(unix seconds, value)], sorted."""
    series: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for name in names:
        for line in (SAMPLE / name).read_text().splitlines():
            if not line or line.startswith("#"):
                continue
            head, fields, ts = line.split(" ")
            measurement = head.split(",")[0]
            for kv in fields.split(","):
                k, v = kv.split("=")
                series.setdefault((measurement, k), []).append((int(ts), float(v)))
    for v in series.values():
        v.sort()
    return series


def local_days(first: date, last: date) -> list[tuple[date, int, int]]:
    out, d = [], first
    while d <= last:
        start = datetime(d.year, d.month, d.day, tzinfo=TZ)
        nxt = d + timedelta(days=1)
        out.append((d, int(start.timestamp()), int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=TZ).timestamp())))
        d = nxt
    return out


def daily(samples: list[tuple[int, float]], channel: str, days) -> list[dict]:
    """Per local day: coverage, count, time-weighted mean, min, max, sum, excluded reasons."""
    times = [t for t, _ in samples]
    gaps = sorted(b - a for a, b in zip(times, times[1:]) if b > a)
    interval = min(max(gaps[len(gaps) // 2], 1), 10800) if gaps else 3600
    lo, hi = RANGES[channel]
    reason = [None if lo <= v <= hi else "out-of-range" for _, v in samples]
    if channel in SPIKE:
        kept = [i for i, r in enumerate(reason) if r is None]
        for k in range(1, len(kept) - 1):
            i = kept[k]
            a = samples[i][1] - samples[kept[k - 1]][1]
            b = samples[i][1] - samples[kept[k + 1]][1]
            if abs(a) > SPIKE[channel] and abs(b) > SPIKE[channel] and (a > 0) == (b > 0):
                reason[i] = "spike"
    valid_times = [t for (t, _), r in zip(samples, reason) if r is None]
    nxt = {}
    for a, b in zip(valid_times, valid_times[1:]):
        nxt[a] = b
    out = []
    for _, start, end in days:
        w_sum = wv = total = 0.0
        vals, excluded = [], []
        for (t, v), r in zip(samples, reason):
            if not start <= t < end:
                continue
            if r is not None:
                excluded.append(r)
                continue
            w = min(t + interval, nxt.get(t, math.inf), end) - t
            w_sum += w
            wv += v * w
            total += v
            vals.append(v)
        out.append({"coverage": min(w_sum / (end - start), 1.0), "mean": wv / w_sum if w_sum else None,
                    "min": min(vals) if vals else None, "max": max(vals) if vals else None, "sum": total,
                    "seconds": end - start, "excluded": excluded})
    return out


@pytest.fixture(scope="module")
def world(furrow_bin: Path, tmp_path_factory):
    data = tmp_path_factory.mktemp("irrigation")
    db = data / "furrow.sqlite"
    for name in ("weather.lp", "probes.lp", "flow.lp"):
        subprocess.run([str(furrow_bin), "import", "--db", str(db), "--project", "default", "--precision", "s",
                        str(SAMPLE / name)], check=True, capture_output=True, text=True)
    os.environ["FURROW_OPERATOR_TOKEN"] = OPERATOR
    daemon = Daemon(furrow_bin, data)
    try:
        daemon.start()
    finally:
        del os.environ["FURROW_OPERATOR_TOKEN"]
    api = API(daemon.http)
    field_input = json.loads((SAMPLE / "field.json").read_text())
    field = api.json("POST", "/v1/projects/default/fields", OPERATOR, field_input, expect=201)
    reader = api.json("POST", "/v1/projects/default/tokens", OPERATOR, {"role": "reader"}, expect=201)["secret"]
    api.json("POST", "/v1/projects", OPERATOR, {"slug": "other"}, expect=201)
    other = api.json("POST", "/v1/projects/other/tokens", OPERATOR, {"role": "admin"}, expect=201)["secret"]
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{field['id']}/irrigation", reader)
    assert status == 200, raw[:500]
    yield {"daemon": daemon, "api": api, "field": field, "input": field_input, "reader": reader, "other": other,
           "summary": json.loads(raw), "db": db}
    if daemon.proc and daemon.proc.poll() is None:
        daemon.stop()


@pytest.fixture(scope="module")
def reference(world) -> dict:
    """Daily inputs, ET0 (pyet) and the balance (pyfao56), computed here from the raw files."""
    spec = world["input"]
    settings = spec["irrigation"]
    planting = date.fromisoformat(spec["plantingDate"])
    last = planting + timedelta(days=149)
    days = local_days(planting, last)
    raw = read_lp("weather.lp", "probes.lp", "flow.lp")
    d = {ch: daily(raw[(m, ch)], ch, days) for m, ch in
         [("weather", "t"), ("weather", "rh"), ("weather", "wind"), ("radiation", "rs"), ("weather", "rain"),
          ("irrigation", "volume_m3")]}
    ring = spec["boundary"]["coordinates"][0][:-1]
    lat = sum(p[1] for p in ring) / len(ring)
    z = settings["elevation"]
    to_u2 = 4.87 / math.log(67.8 * settings["weather"]["windHeight"] - 5.42)
    rows = []
    for i, (day, _, _) in enumerate(days):
        ok = lambda ch: d[ch][i]["coverage"] >= THRESHOLD  # noqa: E731
        assert ok("t") and ok("rh") and ok("wind") and ok("rain"), day
        rows.append({"date": day, "tmax": d["t"][i]["max"], "tmin": d["t"][i]["min"], "tmean": d["t"][i]["mean"],
                     "rhmax": d["rh"][i]["max"], "rhmin": d["rh"][i]["min"], "u2": d["wind"][i]["mean"] * to_u2,
                     "rs": d["rs"][i]["mean"] * d["rs"][i]["seconds"] / 1e6 if ok("rs") else np.nan,
                     "rain": d["rain"][i]["sum"], "volume": d["volume_m3"][i]["sum"]})
    w = pd.DataFrame(rows).set_index(pd.DatetimeIndex([r["date"] for r in rows]))
    # FAO-56 Eq. 50 where radiation is incomplete, capped at Rso = (0.75 + 2e-5 z) Ra (Eq. 37).
    ra = pyet.extraterrestrial_r(w.index, lat * math.pi / 180)
    rs_t = np.minimum(0.16 * np.sqrt(w.tmax - w.tmin) * ra, (0.75 + 2e-5 * z) * ra)
    w["rs_used"] = w.rs.where(w.rs.notna(), rs_t)
    et0 = pyet.pm_fao56((w.tmax + w.tmin) / 2, w.u2, rs=w.rs_used, elevation=z, lat=lat * math.pi / 180,
                        tmax=w.tmax, tmin=w.tmin, rhmax=w.rhmax, rhmin=w.rhmin, clip_zero=False).to_numpy()
    # pyfao56, dual Kc, maize FAO-56 1998 defaults as the field takes them.
    ring_area = world["field"]["areaSquareMetres"]
    par = fao.Parameters()
    par.Kcbini, par.Kcbmid, par.Kcbend = 0.15, 1.15, 0.15
    par.Kcmini, par.Kcmmid, par.Kcmend = 0.30, 1.20, 0.35
    par.Lini, par.Ldev, par.Lmid, par.Lend = 30, 40, 50, 30
    par.hini, par.hmax = 0.05, 2.0
    par.thetaFC, par.thetaWP = settings["soil"]["fieldCapacity"], settings["soil"]["wiltingPoint"]
    par.theta0 = par.thetaFC
    par.Zrini, par.Zrmax, par.pbase = settings["initialRootDepth"], settings["rootDepth"], 0.55
    par.Ze, par.REW = 0.10, settings["soil"]["readilyEvaporableWater"]
    wth = fao.Weather()
    wth.z, wth.lat, wth.wndht, wth.rfcrp = z, lat, 2.0, "S"
    u2_factor = 4.87 / math.log(67.8 * 2.0 - 5.42)
    wdata = {}
    for i, (day, r) in enumerate(w.iterrows()):
        wdata[day.strftime("%Y-%j")] = [r.rs_used, r.tmax, r.tmin, float("nan"), float("nan"), r.rhmax, r.rhmin,
                                        r.u2 / u2_factor, r.rain, et0[i], "M"]
    wth.wdata = pd.DataFrame.from_dict(wdata, orient="index", columns=wth.cnames)
    irr = fao.Irrigation()
    gross = (w.volume / ring_area * 1000).to_numpy()
    for i, day in enumerate(w.index):
        if gross[i] > 0:
            irr.addevent(day.year, day.dayofyear, float(gross[i]), 1.0, settings["efficiency"] * 100)
    model = fao.Model(w.index[0].strftime("%Y-%j"), w.index[-1].strftime("%Y-%j"), par, wth, irr=irr)
    model.run()
    return {"weather": w, "et0": et0, "balance": model.odata, "gross": gross, "daily": d, "days": days}


def test_daily_inputs_match_an_independent_aggregation(world, reference):
    got = world["summary"]["days"]
    w = reference["weather"]
    assert [r["date"] for r in got] == [d.isoformat() for d in w.index.date]
    for r, (_, ref) in zip(got, w.iterrows()):
        g = r["weather"]
        for ours, theirs in (("tMax", ref.tmax), ("tMin", ref.tmin), ("tMean", ref.tmean), ("rhMax", ref.rhmax),
                             ("rhMin", ref.rhmin), ("u2", ref.u2), ("rain", ref.rain)):
            assert g[ours] == pytest.approx(theirs, abs=1e-9), (r["date"], ours)
        if np.isnan(ref.rs):
            assert g["solarRadiation"] is None and "rs_from_temperature" in r["et0Estimated"], r["date"]
        else:
            assert g["solarRadiation"] == pytest.approx(ref.rs, abs=1e-9), r["date"]
    assert sum(r["irrigationGross"] > 0 for r in got) == int((reference["gross"] > 0).sum()) >= 5
    np.testing.assert_allclose([r["irrigationGross"] for r in got], reference["gross"], atol=1e-9)
    np.testing.assert_allclose([r["irrigationNet"] for r in got], reference["gross"] * 0.8, atol=1e-9)


def test_planted_faults_are_flagged_and_excluded(world, reference):
    by_date = {r["date"]: r for r in world["summary"]["days"]}

    def reasons(day: str) -> set[tuple[str, str]]:
        return {(f["input"], f["reason"]) for f in by_date[day]["flags"]}

    assert ("relativeHumidity", "out-of-range") in reasons("2025-05-10")
    assert by_date["2025-05-10"]["weather"]["rhMax"] <= 100
    assert ("temperature", "spike") in reasons("2025-06-03")
    assert by_date["2025-06-03"]["weather"]["tMax"] < 40
    assert ("solarRadiation", "incomplete") in reasons("2025-07-02")
    assert by_date["2025-07-02"]["completeness"]["solarRadiation"] == pytest.approx(10 / 24, abs=1e-4)
    assert ("temperature", "partial") in reasons("2025-08-05")
    assert by_date["2025-08-05"]["completeness"]["temperature"] == pytest.approx(20 / 24, abs=1e-4)
    assert ("probe:0.35", "out-of-range") in reasons("2025-07-15")
    # The same exclusions, found independently.
    i = {d.isoformat(): k for k, (d, _, _) in enumerate(reference["days"])}
    assert reference["daily"]["rh"][i["2025-05-10"]]["excluded"] == ["out-of-range"]
    assert reference["daily"]["t"][i["2025-06-03"]]["excluded"] == ["spike"]
    # No other day is flagged for anything but the planted faults.
    flagged = {r["date"] for r in world["summary"]["days"] if r["flags"]}
    assert flagged == {"2025-05-10", "2025-06-03", "2025-07-02", "2025-08-05", "2025-07-15"}, flagged


def test_et0_matches_pyet(world, reference):
    got = world["summary"]["days"]
    ours = np.array([r["et0"] for r in got], dtype=float)
    diff = np.abs(ours - reference["et0"])
    SUMMARY.append(f"irrigation API ET0 vs pyet {pyet.__version__} on the SampleData season: max |dET0| = "
                   f"{diff.max():.2e} mm/d over {len(got)} days (season ET0 {reference['et0'].sum():.1f} mm)")
    assert {r["et0Method"] for r in got} == {"fao56-pm"}
    assert diff.max() <= 0.01, got[int(diff.argmax())]["date"]


def test_balance_matches_pyfao56(world, reference):
    got = world["summary"]["days"]
    ref = reference["balance"]
    assert len(got) == len(ref) == 150
    worst = {}
    for ours, theirs in (("depletion", "Dr"), ("etcAdj", "ETa"), ("deepPercolation", "DP"), ("ks", "Ks"),
                         ("taw", "TAW"), ("ke", "Ke")):
        worst[ours] = float(np.max(np.abs(np.array([r[ours] for r in got], dtype=float)
                                          - ref[theirs].to_numpy(dtype=float))))
    SUMMARY.append(f"irrigation API balance vs pyfao56 {fao.__version__} on the SampleData season: "
                   + ", ".join(f"max |d{k}| = {v:.2e}" for k, v in worst.items()))
    # The season must exercise stress, percolation and irrigation, or agreement proves little.
    assert sum(r["ks"] < 1 for r in got) >= 5 and sum(r["deepPercolation"] > 0 for r in got) >= 2
    assert worst["depletion"] <= 0.1 and worst["etcAdj"] <= 0.1 and worst["deepPercolation"] <= 0.1, worst
    summary = world["summary"]
    assert summary["balance"]["status"] == "complete"
    totals = summary["totals"]
    assert totals["et0"] == pytest.approx(float(np.sum(reference["et0"])), abs=0.01 * 150)
    assert totals["irrigationGross"] == pytest.approx(float(reference["gross"].sum()), abs=1e-6)
    assert totals["days"] == 150 and totals["daysWithEt0"] == 150
    assert summary["configuration"]["tableVersion"] == "FAO-56 (1998)"
    assert summary["provenance"]["temperature"]["status"] == "ok"
    # Probes: a profile on every day but the one with the impossible reading still covered (23/24 > 80 %).
    assert all(r["probe"] is not None for r in got)


def test_csv_export_has_one_row_per_day(world):
    api, field = world["api"], world["field"]
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{field['id']}/irrigation?format=csv",
                                    world["reader"])
    assert status == 200 and headers["content-type"].startswith("text/csv")
    lines = raw.decode().splitlines()
    header = lines[0].split(",")
    assert len(lines) == 151 and header[0] == "date" and "et0" in header and "depletion" in header
    first = dict(zip(header, lines[1].split(",")))
    assert float(first["et0"]) == pytest.approx(world["summary"]["days"][0]["et0"], rel=1e-12)


def test_range_and_parameters(world):
    api, field, reader = world["api"], world["field"], world["reader"]
    base = f"/v1/projects/default/fields/{field['id']}/irrigation"
    part = api.json("GET", base + "?from=2025-07-01&to=2025-07-10", reader)
    assert [d["date"] for d in part["days"]][0] == "2025-07-01" and len(part["days"]) == 10
    full = {d["date"]: d for d in world["summary"]["days"]}
    # The balance still starts at planting: a window shows the same Dr as the whole season.
    assert part["days"][3]["depletion"] == pytest.approx(full["2025-07-04"]["depletion"], abs=1e-9)
    for query, parameter in (("?from=2025-13-01", "from"), ("?from=2025-07-10&to=2025-07-01", "to"),
                             ("?format=xml", "format"), ("?to=2031-01-01", "to")):
        status, headers, raw = api.call("GET", base + query, reader)
        assert_problem(status, headers, raw, 400, "invalid-parameter", parameter)


def test_other_projects_get_404(world):
    api, field = world["api"], world["field"]
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{field['id']}/irrigation", world["other"])
    assert_problem(status, headers, raw, 404, "not-found", "project")
    assert b"lleida" not in raw
    status, headers, raw = api.call("GET", f"/v1/projects/other/fields/{field['id']}/irrigation", world["other"])
    assert_problem(status, headers, raw, 404, "not-found", "field")


def test_field_without_weather_is_a_problem_not_zeros(world):
    api = world["api"]
    bare = api.json("POST", "/v1/projects/default/fields", OPERATOR,
                    {"name": "no-station", "crop": "maize", "plantingDate": "2025-04-20"}, expect=201)
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{bare['id']}/irrigation", world["reader"])
    assert_problem(status, headers, raw, 422, "field-not-ready", "irrigation")
    soil_only = api.json("POST", "/v1/projects/default/fields", OPERATOR,
                         {"name": "soil-only", "crop": "maize", "plantingDate": "2025-04-20",
                          "irrigation": {"elevation": 200, "soil": {"texture": "loam"}}}, expect=201)
    status, headers, raw = api.call("GET", f"/v1/projects/default/fields/{soil_only['id']}/irrigation",
                                    world["reader"])
    assert_problem(status, headers, raw, 422, "field-not-ready", "irrigation.weather")
    assert b"no weather source" in raw


def test_zone_inherits_and_settings_are_validated(world):
    api, field = world["api"], world["field"]
    zone = api.json("POST", "/v1/projects/default/fields", OPERATOR,
                    {"name": "lleida-zone-a", "parent": field["id"], "irrigation": {"efficiency": 0.9}}, expect=201)
    answer = api.json("GET", f"/v1/projects/default/fields/{zone['id']}/irrigation?from=2025-06-01&to=2025-06-05",
                      world["reader"])
    assert answer["configuration"]["efficiency"] == 0.9 and answer["configuration"]["timeZone"] == "Europe/Madrid"
    assert answer["field"]["parent"] == field["id"]
    for body, parameter in (
        ({"name": "z", "parent": zone["id"]}, "parent"),
        ({"name": "z", "timeZone": "Mars/Olympus"}, "timeZone"),
        ({"name": "z", "crop": "maize", "irrigation": {"efficiency": 0}}, "irrigation.efficiency"),
        ({"name": "z", "crop": "maize", "irrigation": {"soil": {"fieldCapacity": 0.1, "wiltingPoint": 0.2}}},
         "irrigation.soil.wiltingPoint"),
        ({"name": "z", "crop": "vine", "irrigation": {}}, "irrigation.stages"),
    ):
        status, headers, raw = api.call("POST", "/v1/projects/default/fields", OPERATOR, body)
        assert_problem(status, headers, raw, 400, "invalid-body", parameter)


def test_cli_prints_the_same(world, furrow_bin: Path):
    world["daemon"].stop()
    out = subprocess.run(
        [str(furrow_bin), "agro", "irrigation", "--db", str(world["db"]), "--project", "default", "--field",
         "lleida-maize-demo"], check=True, capture_output=True, text=True).stdout
    cli = json.loads(out)
    assert [d["et0"] for d in cli["days"]] == [d["et0"] for d in world["summary"]["days"]]
    assert [d["depletion"] for d in cli["days"]] == [d["depletion"] for d in world["summary"]["days"]]
    csv_out = subprocess.run(
        [str(furrow_bin), "agro", "irrigation", "--db", str(world["db"]), "--project", "default", "--field",
         str(world["field"]["id"]), "--from", "2025-05-01", "--to", "2025-05-03", "--format", "csv"],
        check=True, capture_output=True, text=True).stdout
    assert len(csv_out.splitlines()) == 4
