#!/usr/bin/env python3
"""Writes the SIMULATED irrigation demo season for SampleData/irrigation/ (deterministic; standard library only).

Place and season: a 7.5 ha sprinkler-irrigated grain-maize field near Lleida, Catalonia, Spain (41.63 N, 0.60 E,
200 m), planted 2025-04-20, 150 days (FAO-56 Table 11 maize stages 30/40/50/30), local time Europe/Madrid.
Nothing here was measured: the weather follows Lleida's climate (warm dry summer, spring storms), hourly; three
soil-moisture sensors (15, 35, 60 cm) follow a simple bucket model of this weather, hourly; a flow meter records
one volume per irrigation event. A few faults are planted on purpose so the summary has something to flag:
  - 2025-05-10 14:00 local: RH 104.5 % (impossible, excluded);
  - 2025-06-03 03:00 local: a +28 degC temperature spike (excluded as a spike);
  - 2025-07-02 06:00-19:59 local: the pyranometer sends nothing (radiation incomplete -> Rs from the
    temperature range, FAO-56 Eq. 50);
  - 2025-08-05 00:00-03:59 local: the whole station is silent (83 % of the day covered: partial);
  - 2025-07-15 10:00 local: the 35 cm probe reads 131 % (impossible, excluded).

Run: python3 SampleData/irrigation/generate.py   (rewrites weather.lp, probes.lp, flow.lp next to it)
"""
from __future__ import annotations

import math
import random
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

HERE = Path(__file__).resolve().parent
TZ = ZoneInfo("Europe/Madrid")
LAT, LON, ELEVATION = 41.631, 0.6018, 200.0
PLANTING = date(2025, 4, 20)
DAYS = 150
AREA_M2 = 74_895.0  # about the boundary in field.json; the generator only needs it to size irrigation volumes
FC, WP, ROOT = 0.30, 0.14, 1.0
EFFICIENCY = 0.80
SEED = 20250420


def e0(t: float) -> float:
    return 0.6108 * math.exp(17.27 * t / (t + 237.3))


def sun(doy: int, utc_hour: float) -> float:
    """sin(solar elevation) at a UTC hour (FAO-56 Eqs. 24, 31-33 geometry)."""
    decl = 0.409 * math.sin(2 * math.pi * doy / 365 - 1.39)
    b = 2 * math.pi * (doy - 81) / 364
    sc = 0.1645 * math.sin(2 * b) - 0.1255 * math.cos(b) - 0.025 * math.sin(b)
    solar_time = utc_hour + LON / 15 + sc
    omega = math.pi / 12 * (solar_time - 12)
    phi = math.radians(LAT)
    return math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.cos(omega)


def main() -> None:
    rng = random.Random(SEED)
    start = datetime(PLANTING.year, PLANTING.month, PLANTING.day, tzinfo=TZ)
    weather, radiation, soil, flow = [], [], [], []
    anomaly = 0.0
    depletion = 0.0  # the generator's own bucket, mm (not Furrow's model)
    wet = [0.0, 0.0, 0.0]  # excess above FC per sensor layer, m3/m3, drains over ~2 days
    next_tmin = None
    for d in range(DAYS + 1):
        day = PLANTING + timedelta(days=d)
        doy = day.timetuple().tm_yday
        anomaly = 0.7 * anomaly + rng.gauss(0, 1.8)
        month_wet = 0.22 if day.month in (4, 5) else 0.12 if day.month in (6, 9) else 0.07
        rainy = rng.random() < month_wet
        rain_total = rng.gammavariate(1.3, 7.0) if rainy else 0.0
        cloud = rng.uniform(0.45, 0.75) if rainy else min(1.0, rng.betavariate(8, 1.3) + 0.05)
        tmax = 21 + 11 * math.sin(math.pi * min(max(doy - 110, 0), 190) / 190) + anomaly - (4 if rainy else 0)
        trange = rng.uniform(11, 16) * (0.6 if rainy else 1.0)
        tmin = tmax - trange if next_tmin is None else next_tmin
        next_tmin = tmax - trange + rng.gauss(0, 1.0)
        tdew = min(tmin - rng.uniform(1.0, 7.0) + (3 if rainy else 0), tmin)
        wind_day = max(0.4, rng.gammavariate(4, 0.6))
        rain_start = rng.randint(14, 19)
        rain_hours = rng.randint(1, 4)
        for h in range(24):
            local = start + timedelta(days=d, hours=h)
            if local.date() != day:  # DST never happens inside this season; keep the guard anyway
                continue
            utc = local.astimezone(timezone.utc)
            ts = int(utc.timestamp())
            solar_h = h - 2 + LON / 15 + 0.5  # CEST = UTC+2; the sample is the hour's mean
            # Temperature: Tmin at 07:30, Tmax at 16:30 local (cosine arcs).
            x = h + 0.5
            if 7.5 <= x <= 16.5:
                f = 0.5 - 0.5 * math.cos(math.pi * (x - 7.5) / 9)
            else:
                f = 0.5 + 0.5 * math.cos(math.pi * ((x - 16.5) % 24) / 15)
            t = tmin + (tmax - tmin) * f + rng.gauss(0, 0.25)
            rh = min(100.0, 100 * e0(tdew + rng.gauss(0, 0.3)) / e0(t))
            s = max(0.0, sun(doy, utc.hour + 0.5))
            dr = 1 + 0.033 * math.cos(2 * math.pi * doy / 365)
            rs = 1367 * dr * s * (0.75 + 2e-5 * ELEVATION) * cloud * (1 + rng.gauss(0, 0.03)) if s > 0 else 0.0
            rs = max(rs, 0.0)
            gust = 0.55 + 0.9 * max(0.0, math.sin(math.pi * (x - 9) / 12)) if 9 <= x <= 21 else 0.55
            wind = max(0.0, wind_day * gust + rng.gauss(0, 0.25))
            rain = 0.0
            if rainy and rain_start <= h < rain_start + rain_hours:
                rain = rain_total / rain_hours
            # Planted faults.
            if day == date(2025, 5, 10) and h == 14:
                rh = 104.5
            if day == date(2025, 6, 3) and h == 3:
                t += 28
            silent = day == date(2025, 8, 5) and h < 4
            if not silent:
                weather.append(f"weather,source=lleida-ws1 t={t:.2f},rh={rh:.1f},wind={wind:.2f},rain={rain:.1f} {ts}")
                if not (day == date(2025, 7, 2) and 6 <= h < 20):
                    radiation.append(f"radiation,source=lleida-ws1 rs={rs:.1f} {ts}")
            if h == 21:
                # The generator's bucket, once a day: Hargreaves ET0 x a maize-like Kc, minus rain; irrigate past 35 mm or half the
                # shallow early root zone (solid-set sprinklers).
                phi = math.radians(LAT)
                decl = 0.409 * math.sin(2 * math.pi * doy / 365 - 1.39)
                ws = math.acos(-math.tan(phi) * math.tan(decl))
                ra = 24 * 60 / math.pi * 0.082 * dr * (ws * math.sin(phi) * math.sin(decl) + math.cos(phi) * math.cos(decl) * math.sin(ws))
                et0 = 0.0023 * ((tmax + tmin) / 2 + 17.8) * math.sqrt(max(tmax - tmin, 0)) * 0.408 * ra
                kc = 0.6 if d < 30 else 0.6 + 0.6 * min(1, (d - 30) / 40) if d < 120 else 1.2 - 0.85 * (d - 120) / 30
                depletion = max(0.0, depletion + kc * et0 - rain_total)
                # Roots (and so the readily available water) grow from 0.15 m with the crop, days 30-70.
                zr = 0.15 + (ROOT - 0.15) * min(1.0, max(0.0, (d - 30) / 40))
                if depletion > min(35.0, 0.5 * (FC - WP) * 1000 * zr) and d < DAYS - 15:
                    volume = depletion / EFFICIENCY * AREA_M2 / 1000
                    flow.append(f"irrigation,source=lleida-fm1 volume_m3={volume:.1f} {ts}")
                    depletion = 0.0
                    wet = [0.06, 0.04, 0.02]
            if rain > 2:
                wet = [min(0.08, wet[0] + rain / 400), min(0.05, wet[1] + rain / 900), wet[2]]
            frac = depletion / ((FC - WP) * 1000 * ROOT)
            thetas = []
            for k, weight in enumerate((1.5, 1.1, 0.6)):
                theta = FC - min(1.0, frac * weight) * (FC - WP) + wet[k] + rng.gauss(0, 0.002)
                thetas.append(100 * theta)
            wet = [w * 0.97 for w in wet]
            if day == date(2025, 7, 15) and h == 10:
                thetas[1] = 131.0
            soil.append(f"soil,source=lleida-p1 vwc15={thetas[0]:.2f},vwc35={thetas[1]:.2f},vwc60={thetas[2]:.2f} {ts}")
    header = "# SIMULATED data (SampleData/irrigation/generate.py, seed {}): not measurements.\n".format(SEED)
    (HERE / "weather.lp").write_text(header + "\n".join(weather + radiation) + "\n")
    (HERE / "probes.lp").write_text(header + "\n".join(soil) + "\n")
    (HERE / "flow.lp").write_text(header + "\n".join(flow) + "\n")
    print(f"{len(weather)} weather, {len(radiation)} radiation, {len(soil)} probe rows, {len(flow)} irrigation events")


if __name__ == "__main__":
    main()
