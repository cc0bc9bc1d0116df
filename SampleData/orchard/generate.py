#!/usr/bin/env python3
"""Writes the SIMULATED orchard demo season for SampleData/orchard/ (deterministic; standard library only).

Place and season: a 4 ha apple orchard near Esparto, Yolo County, California (38.69 N, 122.02 W), local time
America/Los_Angeles, 2026-03-01 through 2026-09-30. Nothing here was measured:
  - weather.lp: hourly air temperature (degC), relative humidity (%) and leaf wetness (fraction of the hour wet,
    0..1) of a station `orchard-ws1`, following a smooth seasonal/diurnal curve with random day-to-day swings and
    spring rain spells (wet leaves, RH near 100 %);
  - traps.json: two codling moth pheromone traps (delta traps, L2 lure) checked Tuesdays at 08:00 local, with counts
    drawn around three flights (late April, early July, mid August); trap B misses the 2026-05-19 check, so its
    next count covers 14 days;
  - field.json: the field, its pest settings (weather series) and a cited-as-example action threshold;
  - detections.geojson: damage detections from a simulated drone scouting flight `demo-scout-0612` over the
    orchard (background scatter, two clusters, confidence 0.3..1);
  - harvest.csv + harvest_field.json: a yield-monitor export (1 s records, imperial units as US monitors log them)
    of a 200 m x 110 m grain-maize field next to the orchard, harvested 2026-09-24 in 12 east-west passes of a
    30 ft header at ~4.5 mph; planted faults: header up in the turns, a stop (speed 0), a few records too fast
    (> 4 m/s), three GPS jumps outside the field, and five flow-sensor spikes.

Run: python3 SampleData/orchard/generate.py   (rewrites weather.lp, traps.json, harvest.csv and detections.geojson)
"""
from __future__ import annotations

import json
import math
import random
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("America/Los_Angeles")
FIRST, LAST = date(2026, 3, 1), date(2026, 9, 30)
SEED = 20260301


def weather(rng: random.Random) -> list[str]:
    lines = ["# SIMULATED data (SampleData/orchard/generate.py, seed %d): not measurements." % SEED]
    d = FIRST
    swing = 0.0
    rain_left = 0
    while d <= LAST:
        doy = d.timetuple().tm_yday
        season = math.sin((doy - 105) / 365 * 2 * math.pi)  # -1 in winter, 1 in mid July
        swing = 0.7 * swing + rng.gauss(0, 1.6)
        if rain_left == 0 and doy < 140 and rng.random() < 0.08:
            rain_left = rng.randint(1, 3)
        raining = rain_left > 0
        tmin = 9.5 + 7.5 * season + swing - (1.5 if raining else 0)
        tmax = 23.5 + 10.5 * season + swing - (6 if raining else 0)
        # Every hour of the local day as an instant (23 or 25 on the DST change days, never a repeated time).
        day_start = int(datetime(d.year, d.month, d.day, tzinfo=TZ).timestamp())
        nxt = d + timedelta(days=1)
        day_end = int(datetime(nxt.year, nxt.month, nxt.day, tzinfo=TZ).timestamp())
        for ts in range(day_start, day_end, 3600):
            h = datetime.fromtimestamp(ts, TZ).hour
            # Minimum near 06:00, maximum near 15:00.
            phase = math.cos((h - 15) / 24 * 2 * math.pi) if not 6 <= h <= 15 else -math.cos((h - 6) / 9 * math.pi)
            t = (tmin + tmax) / 2 + (tmax - tmin) / 2 * phase + rng.gauss(0, 0.3)
            rh = max(15.0, min(100.0, 98 - 2.6 * (t - tmin) + rng.gauss(0, 3)))
            if raining and 2 <= h <= 20:
                rh = min(100.0, 95 + rng.random() * 5)
            wet = 1.0 if (raining and 2 <= h <= 20) or rh >= 96 else 0.0
            lines.append(f"weather,source=orchard-ws1 t={t:.2f},rh={rh:.1f},lw={wet:.2f} {ts}")
        if raining:
            rain_left -= 1
        d += timedelta(days=1)
    return lines


def traps(rng: random.Random) -> list[dict]:
    def expected(day: date) -> float:
        doy = day.timetuple().tm_yday
        flights = [(118, 9, 3.2), (183, 10, 5.0), (230, 12, 4.0)]  # (peak day of year, spread, moths/day)
        return sum(h * math.exp(-0.5 * ((doy - p) / s) ** 2) for p, s, h in flights)

    out = []
    for name, scale, missed in [("CM-A", 1.0, None), ("CM-B", 0.7, date(2026, 5, 19))]:
        checks = []
        d = date(2026, 3, 17)
        pending = 0.0
        while d <= LAST:
            week = sum(expected(d - timedelta(days=k)) for k in range(7)) * scale
            pending += week
            if d != missed:
                count = max(0, round(rng.gauss(pending, math.sqrt(pending + 0.25))))
                checks.append({"time": datetime(d.year, d.month, d.day, 8, tzinfo=TZ).isoformat(), "count": count})
                pending = 0.0
            d += timedelta(days=7)
        out.append({"trap": {"name": name, "pest": "codling-moth", "lure": "L2 pheromone, delta trap",
                             "installedAt": datetime(2026, 3, 10, 8, tzinfo=TZ).isoformat(),
                             "longitude": -122.0215 if name == "CM-A" else -122.0185, "latitude": 38.6905,
                             "actionThreshold": {"perTrapPerWeek": 5,
                                                 "source": "DEMO VALUE, not a recommendation: set your own threshold from the local guideline (UC IPM, WSU) for your lure and mating-disruption status"}},
                    "counts": checks})
    return out


def harvest(rng: random.Random) -> list[str]:
    lon0, lat0 = -122.0300, 38.6850
    m_per_deg_lat = 111_000.0
    m_per_deg_lon = 111_000.0 * math.cos(math.radians(lat0))
    swath_ft = 30.0
    swath_m = swath_ft * 0.3048
    t = int(datetime(2026, 9, 24, 10, tzinfo=TZ).timestamp())
    rows = ["Longitude,Latitude,Mass Flow (lb/s),Moisture (%),Speed (mph),Swath (ft),Time,Distance (ft),Pass,Header"]

    def row(x, y, flow_kg_s, moisture, speed_ms, header, pass_no):
        nonlocal t
        rows.append(f"{lon0 + x / m_per_deg_lon:.7f},{lat0 + y / m_per_deg_lat:.7f},{flow_kg_s / 0.45359237:.3f},"
                    f"{moisture:.1f},{speed_ms / 0.44704:.2f},{swath_ft:.1f},{t},{speed_ms / 0.3048:.2f},{pass_no},{header}")
        t += 1

    for p in range(12):
        y = 5 + p * swath_m
        x = 2.0 if p % 2 == 0 else 198.0
        step = 1 if p % 2 == 0 else -1
        while 2.0 <= x <= 198.0:
            speed = max(0.3, rng.gauss(2.0, 0.08))
            yield_kg_ha = 11_000 + 1500 * math.sin(x / 40) + 800 * math.cos(y / 25) + rng.gauss(0, 400)
            moisture = 15.8 + 1.5 * math.sin(y / 30) + rng.gauss(0, 0.3)  # some grain drier than 15.5 %
            r = rng.random()
            if r < 0.004:
                speed = 0.0  # a stop
            elif r < 0.012:
                speed = rng.uniform(4.2, 5.0)  # too fast
            flow = yield_kg_ha / 10_000 * swath_m * speed
            if rng.random() < 0.0035:
                flow *= 3.5  # flow-sensor spike
            gx, gy = x, y
            if rng.random() < 0.0022:
                gy = y + 400  # a GPS jump far outside the field
            row(gx, gy, flow, moisture, speed, 1, p + 1)
            x += step * max(speed, 0.5)
        for k in range(8):  # the turn, header up
            row(x, y + k * swath_m / 8, 0.0, 17.0, 1.5, 0, p + 1)
    return rows


def detections(rng: random.Random) -> dict:
    features = []
    def add(lon, lat):
        features.append({"type": "Feature", "geometry": {"type": "Point", "coordinates": [round(lon, 7), round(lat, 7)]},
                         "properties": {"class": "codling-moth-damage", "confidence": round(rng.uniform(0.3, 1.0), 3),
                                        "flight": "demo-scout-0612"}})
    for _ in range(250):
        add(rng.uniform(-122.0230, -122.0170), rng.uniform(38.6890, 38.6920))
    for lon, lat, n in [(-122.0215, 38.6905, 120), (-122.0182, 38.6912, 60)]:
        for _ in range(n):
            add(lon + rng.gauss(0, 0.00012), lat + rng.gauss(0, 0.00010))
    return {"type": "FeatureCollection", "note": "SIMULATED (SampleData/orchard/generate.py)", "features": features}


def main() -> None:
    rng = random.Random(SEED)
    (HERE / "weather.lp").write_text("\n".join(weather(rng)) + "\n")
    (HERE / "traps.json").write_text(json.dumps({"note": "SIMULATED (SampleData/orchard/generate.py): not measurements", "traps": traps(rng)}, indent=1) + "\n")
    (HERE / "harvest.csv").write_text("\n".join(harvest(rng)) + "\n")
    (HERE / "detections.geojson").write_text(json.dumps(detections(rng)) + "\n")


if __name__ == "__main__":
    main()
