#!/usr/bin/env python3
"""Generate a seeded, realistic ArduPilot-like MAVLink telemetry stream for benchmarking.

The stream is what a ground station on a 115200-baud telemetry link would see from a small fleet
of crop-spraying octocopters:

* two vehicles (sysid 1 and 2), each an ArduCopter autopilot (compid 1, MAVLink 2) plus a
  spray-controller companion (compid 191, MAVLink 2) that reports flow and tank level as
  NAMED_VALUE_FLOAT;
* a ground station (sysid 255 / compid 190) that sends MAVLink-1 HEARTBEATs, mode/arm commands and
  parameter-list requests, and a SiK ground radio (sysid 51 / compid 68) that injects MAVLink-1
  RADIO_STATUS once a second. Together these make ~1 % of the frames MAVLink 1;
* ArduPilot stream groups (SRx_*) at typical GCS rates: HEARTBEAT 1 Hz, ATTITUDE 25 Hz / 10 Hz,
  GLOBAL_POSITION_INT 4 Hz, VFR_HUD 4 Hz, SYS_STATUS / GPS_RAW_INT / ... 2 Hz, and so on (see
  `autopilot_streams`), plus event traffic: STATUSTEXT, COMMAND_LONG/COMMAND_ACK, and full
  PARAM_VALUE downloads when the ground station (re)connects;
* values come from a small flight model (repeating sorties: refill on the ground, take off, fly a
  lawn-mower spray pattern over a field, return, land), so positions, attitude, battery, tank and
  ESC telemetry vary smoothly and plausibly. MAVLink-2 zero truncation happens naturally (pymavlink
  strips trailing zero bytes, e.g. unused extension fields).

Every frame is packed by pymavlink (ardupilotmega dialect), with per-source sequence numbers that
run continuously over the whole file (gaps only where the simulated link dropped a frame).

Outputs, in --out DIR:

* `flight.tlog`  records of (uint64 big-endian receive time in µs since the Unix epoch, low 2 bits =
  link id 0) + one frame, as pymavlink / MAVProxy write them. Clean unless --tlog-garbage-per-hour.
* `flight.raw`   the same frames back to back as a serial capture, with noise bursts between frames
  (random bytes with extra 0xFD/0xFE, i.e. false start bytes) and ~0.05 % of frames with one bit
  flipped.
* `manifest.json` parameters, counts (valid frames per file, MAVLink 1/2, truncated, per message,
  per source), file sizes and SHA-256s.

Generation is split into 60 s segments of simulated time. Each segment is a pure function of
(seed, segment index, sequence-number start per source), so segments are packed in parallel by
--workers processes and the result is byte-identical for any worker count. If DIR already holds a
complete stream with the same parameters it is reused (use --force to regenerate).

Usage:
    python3 make_flight_stream.py --seed 1 --size-mb 100 --out bench-data/flight-s1-100mb
"""
import argparse
import bisect
import collections
import functools
import hashlib
import json
import math
import multiprocessing
import os
import random
import struct
import sys
import time
from array import array

from pymavlink.dialects.v20 import ardupilotmega as mav_dialect

# Bump whenever the output for a given set of parameters changes (invalidates cached streams).
GENERATOR_VERSION = 2

SEGMENT_US = 60_000_000            # simulated time per parallel work unit
START_UNIX_S = 1_748_764_800       # 2025-06-01 08:00:00 UTC; the seed shifts it by whole days
LINK_BYTES_PER_S = 11_520          # 115200 baud, 8N1
LINK_LATENCY_US = 1_500            # radio + USB latency before the ground station timestamps a frame
LOOP_US = 2_500                    # ArduCopter main loop (400 Hz): stream sends are aligned to it
G = 9.80665
EARTH_R = 6_378_137.0
DEG = math.pi / 180.0

# --------------------------------------------------------------------------------------------------
# MARK: - Smooth pseudo-random signals
# --------------------------------------------------------------------------------------------------

# name -> (lowest, highest frequency in Hz); each channel is a sum of three sines in that band.
NOISE_CHANNELS = {
    "roll": (0.3, 2.0), "pitch": (0.3, 2.0), "yaw": (0.05, 0.5),
    "alt": (0.05, 0.4), "canopy": (0.1, 0.8), "current": (0.1, 1.0),
    "wind_dir": (0.0005, 0.003), "wind_speed": (0.001, 0.01), "wind_gust": (0.05, 0.3),
    "temp": (0.0002, 0.002), "vib": (0.2, 2.0), "acc_x": (2.0, 9.0), "acc_y": (2.0, 9.0),
    "acc_z": (2.0, 9.0), "gyro": (1.0, 6.0), "mag": (0.5, 3.0), "gps": (0.02, 0.2),
    "sats": (0.0005, 0.004), "flow": (0.1, 0.5), "press": (0.01, 0.1), "rc": (0.2, 1.0),
    "esc": (0.3, 3.0), "ekf": (0.01, 0.1), "load": (0.1, 1.0), "rssi": (0.02, 0.2),
}
NOISE_INDEX = {name: i for i, name in enumerate(NOISE_CHANNELS)}


class SmoothNoise:
    """Deterministic band-limited noise in roughly [-1, 1]: value and time derivative per channel."""

    def __init__(self, rng):
        self.table = []
        for lo, hi in NOISE_CHANNELS.values():
            comps = []
            for amp in (0.55, 0.3, 0.15):
                freq = lo * (hi / lo) ** rng.random()
                comps += [2.0 * math.pi * freq, rng.uniform(0.0, 2.0 * math.pi), amp]
            self.table.append(tuple(comps))

    def value(self, name, t):
        w1, p1, a1, w2, p2, a2, w3, p3, a3 = self.table[NOISE_INDEX[name]]
        return a1 * math.sin(w1 * t + p1) + a2 * math.sin(w2 * t + p2) + a3 * math.sin(w3 * t + p3)

    def rate(self, name, t):
        w1, p1, a1, w2, p2, a2, w3, p3, a3 = self.table[NOISE_INDEX[name]]
        return (a1 * w1 * math.cos(w1 * t + p1) + a2 * w2 * math.cos(w2 * t + p2)
                + a3 * w3 * math.cos(w3 * t + p3))


def start_unix_us(seed):
    """Wall-clock time of log time 0: a morning in June-August, chosen by the seed."""
    return (START_UNIX_S + (seed % 90) * 86_400) * 1_000_000


def smoothstep(u):
    return u * u * (3.0 - 2.0 * u)


def wrap_pi(a):
    return (a + math.pi) % (2.0 * math.pi) - math.pi


def clamp(v, lo, hi):
    return lo if v < lo else hi if v > hi else v


# --------------------------------------------------------------------------------------------------
# MARK: - Flight model
# --------------------------------------------------------------------------------------------------

# ArduCopter flight modes (custom_mode).
MODE_AUTO, MODE_LOITER, MODE_RTL = 3, 5, 6
TANK_L = 30.0
BATTERY_MAH = 30_000.0
N_MOTORS = 8
MAX_ACCEL = 2.5          # m/s^2 in corners (~14 degrees of tilt)
DRAG = 0.022             # tilt needed against air drag: a = DRAG * airspeed^2 (m/s^2)


class Leg:
    """One straight piece of a sortie's path, flown at constant velocity (local ENU metres)."""
    __slots__ = ("s0", "s1", "p0", "vel", "spraying", "heading", "mah0", "amp0", "amp1",
                 "spray_s0", "wp", "tau_in")

    def __init__(self, s0, s1, p0, vel, spraying, wp):
        self.s0, self.s1, self.p0, self.vel, self.spraying, self.wp = s0, s1, p0, vel, spraying, wp
        self.heading = None
        self.tau_in = 0.0      # duration of the velocity blend at this leg's start (s)


class Sortie:
    """One refill-and-fly cycle of a vehicle: ground phase, then a lawn-mower spray mission."""

    def __init__(self, vehicle, index):
        rng = random.Random(f"{vehicle.seed}/v{vehicle.idx}/sortie{index}")
        self.index = index
        self.t0 = index * vehicle.cycle_s - vehicle.cycle_offset_s      # cycle start (log time, s)
        self.flow_lpm = rng.uniform(2.9, 3.6)
        self.start_soc = rng.uniform(0.96, 1.0)
        n_rows = rng.randint(7, 9)
        first_row = (index * 9) % vehicle.field_rows
        self.legs = self._plan(vehicle, first_row, n_rows)
        flight_s = self.legs[-1].s1
        self.ground_s = vehicle.cycle_s - flight_s
        self.takeoff_t = self.t0 + self.ground_s
        self.n_wp = self.legs[-1].wp
        self.leg_starts = [leg.s0 for leg in self.legs]

    def _plan(self, v, first_row, n_rows):
        legs = []
        s = 0.0
        pos = (0.0, 0.0, 0.0)
        wp = 0

        def go(to, speed, spraying=False, hold=None, next_wp=True):
            nonlocal s, pos, wp
            if hold is not None:
                dur, vel = hold, (0.0, 0.0, 0.0)
            else:
                d = [to[i] - pos[i] for i in range(3)]
                dist = math.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
                dur = max(dist / speed, 0.5)
                vel = (d[0] / dur, d[1] / dur, d[2] / dur)
            if next_wp:
                wp += 1
            legs.append(Leg(s, s + dur, pos, vel, spraying, wp))
            s += dur
            if hold is None:
                pos = to

        go(None, 0, hold=6.0, next_wp=False)                      # armed, motors spinning up
        go((0.0, 0.0, v.spray_alt), 1.2)                          # take off
        for k in range(n_rows):
            row = (first_row + k) % v.field_rows
            y = v.field_y0 + row * v.row_spacing
            east = (k % 2 == 0)                                   # first row flies away from home
            x0, x1 = (v.field_x0, v.field_x0 + v.row_len) if east else (v.field_x0 + v.row_len, v.field_x0)
            go((x0, y, v.spray_alt), 8.0 if k == 0 else 2.0)      # transit / shift to the row start
            go((x1, y, v.spray_alt), v.spray_speed, spraying=True)
        go((0.0, 0.0, v.spray_alt + 4.0), 8.0)                    # return (RTL climbs a little)
        go((0.0, 0.0, 0.0), 0.8)                                  # land
        go(None, 0, hold=4.0, next_wp=False)                      # landed, disarming

        # Headings: horizontal legs point along their velocity; take-off, landing and the ground
        # phase face the vehicle's parking heading, so yaw is continuous from sortie to sortie.
        for leg in legs:
            if abs(leg.vel[0]) + abs(leg.vel[1]) > 0.1:
                leg.heading = math.atan2(leg.vel[0], leg.vel[1])
            else:
                leg.heading = v.park_heading

        # Corners: velocity is blended over tau seconds around each leg boundary, long enough to
        # keep the acceleration (and so the tilt) moderate, short enough not to overlap the next.
        for a, b in zip(legs, legs[1:]):
            dv = math.sqrt(sum((b.vel[i] - a.vel[i]) ** 2 for i in range(3)))
            b.tau_in = min(max(dv / MAX_ACCEL, 1.0), a.s1 - a.s0, b.s1 - b.s0)

        # Battery current is linear within a leg (tank mass falls linearly while spraying), so the
        # consumed charge is a closed form: precompute it at leg starts.
        mah, spray_s = 0.0, 0.0
        for leg in legs:
            leg.mah0, leg.spray_s0 = mah, spray_s
            tank0 = TANK_L - self.flow_lpm * spray_s / 60.0
            spray_s += (leg.s1 - leg.s0) if leg.spraying else 0.0
            tank1 = TANK_L - self.flow_lpm * spray_s / 60.0
            leg.amp0 = v.flight_amps(tank0, leg)
            leg.amp1 = v.flight_amps(tank1, leg)
            mah += (leg.amp0 + leg.amp1) / 2.0 * (leg.s1 - leg.s0) / 3.6
        return legs


class VehicleState:
    """Everything the message builders need about one vehicle at one instant."""
    __slots__ = ("t", "boot_ms", "unix_us", "armed", "mode", "flying", "spraying", "lat", "lon",
                 "alt_msl", "rel_alt", "agl", "ve", "vn", "vu", "roll", "pitch", "yaw", "p", "q",
                 "r", "throttle", "volts", "amps", "mah", "soc", "batt_temp", "tank", "flow",
                 "wind_dir", "wind_speed", "vib", "sats", "wp", "n_wp", "wp_dist", "xtrack",
                 "esc_temp", "noise", "heat", "airspeed", "x", "y", "a_fwd", "a_right")


class Vehicle:
    """A spraying octocopter whose telemetry is a pure function of log time."""

    def __init__(self, seed, idx):
        rng = random.Random(f"{seed}/vehicle{idx}")
        self.seed, self.idx = seed, idx
        self.sysid = idx + 1
        self.noise = SmoothNoise(rng)
        # Fields in California's Central Valley; the two vehicles work neighbouring fields.
        self.home_lat = 38.54 + rng.uniform(-0.05, 0.05) + idx * 0.004
        self.home_lon = -121.75 + rng.uniform(-0.05, 0.05)
        self.ground_msl = 16.0 + rng.uniform(-4.0, 4.0)
        self.field_x0, self.field_y0 = 25.0, 15.0
        self.row_len = rng.uniform(280.0, 380.0)
        self.row_spacing = 6.5
        self.field_rows = 72
        self.spray_alt = rng.uniform(3.0, 4.0)
        self.spray_speed = rng.uniform(5.5, 6.5)
        # refill + fly cycle; the longest mission (~800 s) still leaves 5 minutes on the ground
        self.cycle_s = 1100.0 + 70.0 * idx
        self.cycle_offset_s = rng.uniform(0.0, self.cycle_s)
        self.boot_s = rng.uniform(400.0, 2400.0)      # autopilot booted this long before log start
        self.hover_amps = rng.uniform(150.0, 170.0)   # 12S pack, ~8 kW hovering with a full tank
        self.park_heading = rng.uniform(-math.pi, math.pi)
        self.wind_dir0 = rng.uniform(0.0, 360.0)
        self.wind_speed0 = rng.uniform(1.5, 4.5)
        self.mag_ned = (230.0 + rng.uniform(-10, 10), 52.0, 410.0)
        self.imu_temp = rng.uniform(38.0, 46.0)
        self.epoch_us = start_unix_us(seed)
        self._last = (None, None)

    # -- time helpers ------------------------------------------------------------------------------
    def boot_ms(self, t):
        return int((t + self.boot_s) * 1000.0) & 0xFFFFFFFF

    def flight_amps(self, tank_l, leg):
        """Mean battery current on a leg: hover current scales with take-off weight."""
        if leg.vel == (0.0, 0.0, 0.0) and leg.s0 == 0.0:
            return 30.0                                           # spinning up on the ground
        if leg.vel == (0.0, 0.0, 0.0):
            return 15.0                                           # landed, motors winding down
        amps = self.hover_amps * (24.0 + tank_l) / 54.0 + 4.0 * abs(leg.vel[2])
        if leg.spraying:
            amps += 8.0                                           # pump
        return amps + 0.35 * math.hypot(leg.vel[0], leg.vel[1])

    @functools.lru_cache(maxsize=64)
    def sortie(self, index):
        return Sortie(self, index)

    def sortie_at(self, t):
        index = math.floor((t + self.cycle_offset_s) / self.cycle_s)
        return self.sortie(index)

    # -- the model -------------------------------------------------------------------------------
    def state(self, t):
        """State at log time t (s). Cached for the most recent t: a stream burst shares it."""
        if self._last[0] == t:
            return self._last[1]
        st = self._compute(t)
        self._last = (t, st)
        return st

    def _compute(self, t):
        nz = self.noise
        st = VehicleState()
        st.noise = nz
        st.t = t
        st.boot_ms = self.boot_ms(t)
        st.unix_us = self.epoch_us + int(t * 1e6)
        so = self.sortie_at(t)
        s = t - so.takeoff_t                                   # time into the flight (<0: ground)
        wind_dir = (self.wind_dir0 + 40.0 * nz.value("wind_dir", t)) % 360.0
        wind_speed = max(0.3, self.wind_speed0 * (1.0 + 0.3 * nz.value("wind_speed", t))
                         + 0.8 * nz.value("wind_gust", t))
        st.wind_dir, st.wind_speed = wind_dir, wind_speed
        # wind vector (the direction it blows *from*, as in WIND.direction)
        wind_e = -wind_speed * math.sin(wind_dir * DEG)
        wind_n = -wind_speed * math.cos(wind_dir * DEG)

        legs = so.legs
        if 0.0 <= s < legs[-1].s1:
            i = bisect.bisect_right(so.leg_starts, s) - 1
            leg = legs[i]
            ds = s - leg.s0
            x = leg.p0[0] + leg.vel[0] * ds
            y = leg.p0[1] + leg.vel[1] * ds
            z = leg.p0[2] + leg.vel[2] * ds
            ve, vn, vu = leg.vel
            yaw = leg.heading
            ae = an = 0.0
            yaw_rate = jerk_e = jerk_n = 0.0
            # Blend velocity and heading across leg boundaries (tau seconds around each corner).
            for a, b, tb in ((legs[i - 1] if i > 0 else None, leg, leg.s0),
                             (leg, legs[i + 1] if i + 1 < len(legs) else None, leg.s1)):
                if a is None or b is None or abs(s - tb) >= b.tau_in / 2:
                    continue
                tau = b.tau_in
                u = (s - tb) / tau + 0.5
                w, dw, ddw = smoothstep(u), 6.0 * u * (1.0 - u) / tau, (6.0 - 12.0 * u) / tau ** 2
                dve, dvn, dvu = b.vel[0] - a.vel[0], b.vel[1] - a.vel[1], b.vel[2] - a.vel[2]
                ve, vn, vu = a.vel[0] + dve * w, a.vel[1] + dvn * w, a.vel[2] + dvu * w
                ae, an = dve * dw, dvn * dw
                jerk_e, jerk_n = dve * ddw, dvn * ddw
                dyaw = wrap_pi(b.heading - a.heading)
                yaw = a.heading + dyaw * w
                yaw_rate = dyaw * dw
            st.armed = True
            st.flying = z > 0.05 or (leg.vel[2] != 0.0)
            st.spraying = leg.spraying
            # legs: [armed hold, take-off, rows..., return, land, landed hold]; AUTO is set 5 s in.
            st.mode = MODE_LOITER if s < 5.0 else MODE_AUTO if i < len(legs) - 3 else MODE_RTL
            st.wp, st.n_wp = leg.wp, so.n_wp
            # distance to the end of the current leg
            st.wp_dist = math.sqrt((leg.vel[0] ** 2 + leg.vel[1] ** 2 + leg.vel[2] ** 2)) * (leg.s1 - s)
            st.xtrack = 0.15 * nz.value("gps", t)
            frac = ds / (leg.s1 - leg.s0)
            amps = leg.amp0 + (leg.amp1 - leg.amp0) * frac
            st.mah = leg.mah0 + (leg.amp0 + (leg.amp1 - leg.amp0) * frac / 2.0) * ds / 3.6
            spray_s = leg.spray_s0 + (ds if leg.spraying else 0.0)
            st.tank = TANK_L - so.flow_lpm * spray_s / 60.0
            st.flow = so.flow_lpm * (1.0 + 0.04 * nz.value("flow", t)) if leg.spraying else 0.0
            st.heat = s / legs[-1].s1                      # motors and battery warm up in flight
            amps += 6.0 * nz.value("current", t) + 4.0 * math.hypot(ae, an)
        else:
            # On the ground between sorties: disarmed, refilling, battery swapped.
            x = y = z = ve = vn = vu = ae = an = yaw_rate = jerk_e = jerk_n = 0.0
            prev = self.sortie(so.index - 1)
            yaw = self.park_heading
            g = t - so.t0                                   # time since the previous landing
            st.armed = st.flying = st.spraying = False
            st.mode = MODE_RTL if g < 30.0 else MODE_LOITER
            st.wp, st.n_wp, st.wp_dist, st.xtrack = 0, so.n_wp, 0.0, 0.0
            refill = clamp((g - 60.0) / 180.0, 0.0, 1.0)     # refilled over three minutes
            empty = TANK_L - prev.flow_lpm * prev.legs[-1].spray_s0 / 60.0
            st.tank = empty + (TANK_L - empty) * refill
            st.flow = 0.0
            st.mah = 0.0 if g > 45.0 else prev.legs[-1].mah0  # battery swapped 45 s after landing
            amps = 0.9 + 0.05 * nz.value("current", t)
            st.heat = math.exp(-g / 150.0)                  # ... and cool down on the ground
            if g <= 45.0:
                so = prev
        st.x, st.y = x, y

        # Attitude: tilt against drag and wind plus manoeuvring acceleration, in body axes.
        air_e, air_n = ve - wind_e, vn - wind_n
        st.airspeed = math.hypot(air_e, air_n)
        sy, cy = math.sin(yaw), math.cos(yaw)
        a_e = ae - DRAG * air_e * st.airspeed if st.flying else 0.0
        a_n = an - DRAG * air_n * st.airspeed if st.flying else 0.0
        a_fwd, a_right = a_e * sy + a_n * cy, a_e * cy - a_n * sy
        j_fwd, j_right = jerk_e * sy + jerk_n * cy, jerk_e * cy - jerk_n * sy
        st.a_fwd, st.a_right = a_fwd, a_right
        wobble = 0.012 if st.flying else 0.001
        st.roll = math.atan(a_right / G) + wobble * nz.value("roll", t)
        st.pitch = -math.atan(a_fwd / G) + wobble * nz.value("pitch", t) + (0.0 if st.flying else 0.021)
        st.yaw = wrap_pi(yaw + (0.02 if st.flying else 0.002) * nz.value("yaw", t))
        st.p = j_right / G + wobble * nz.rate("roll", t)
        st.q = -j_fwd / G + wobble * nz.rate("pitch", t)
        st.r = yaw_rate + (0.02 if st.flying else 0.002) * nz.rate("yaw", t)

        # Position.
        lat0 = self.home_lat * DEG
        st.lat = self.home_lat + (y / EARTH_R) / DEG
        st.lon = self.home_lon + (x / (EARTH_R * math.cos(lat0))) / DEG
        st.rel_alt = z + (0.05 * nz.value("alt", t) if st.flying else 0.0)
        st.alt_msl = self.ground_msl + st.rel_alt
        canopy = 0.55 + 0.15 * nz.value("canopy", t) if st.spraying else 0.0
        st.agl = max(0.02, st.rel_alt - canopy)
        st.ve, st.vn, st.vu = ve, vn, vu

        # Power.
        st.amps = max(0.5, amps)
        st.soc = clamp(so.start_soc - st.mah / BATTERY_MAH, 0.0, 1.0)
        ocv = 3.42 + 0.74 * st.soc - 0.08 * (1.0 - st.soc) ** 6
        st.volts = 12.0 * ocv - 0.011 * st.amps
        st.throttle = clamp(25.0 + 0.2 * st.amps, 0.0, 100.0) if st.flying else (12.0 if st.armed else 0.0)
        st.batt_temp = 27.0 + 16.0 * st.heat + 0.5 * nz.value("temp", t)
        st.esc_temp = 34.0 + 28.0 * st.heat
        st.vib = (11.0 + 4.0 * nz.value("vib", t)) if st.flying else (3.0 if st.armed else 0.02)
        st.sats = int(round(21 + 4 * nz.value("sats", t)))
        return st


# --------------------------------------------------------------------------------------------------
# MARK: - Message builders (one per kind of frame)
# --------------------------------------------------------------------------------------------------
M = mav_dialect

SENSORS_PRESENT = 0x1361FC2F   # gyro|accel|mag|baro|gps|... as an ArduCopter with rangefinder reports
SENSORS_ENABLED = 0x1361FC2F
PARAM_PREFIXES = [
    ("ATC_RAT_RLL_", ["P", "I", "D", "IMAX", "FF", "FLTT", "FLTD", "FLTE", "SMAX"]),
    ("ATC_RAT_PIT_", ["P", "I", "D", "IMAX", "FF", "FLTT", "FLTD", "FLTE", "SMAX"]),
    ("ATC_RAT_YAW_", ["P", "I", "D", "IMAX", "FF", "FLTT", "FLTD", "FLTE", "SMAX"]),
    ("WPNAV_", ["SPEED", "RADIUS", "SPEED_UP", "SPEED_DN", "ACCEL", "ACCEL_Z", "JERK"]),
    ("BATT_", ["MONITOR", "CAPACITY", "LOW_VOLT", "CRT_VOLT", "FS_LOW_ACT", "FS_CRT_ACT",
               "AMP_PERVLT", "VOLT_MULT", "ARM_VOLT"]),
    ("EK3_", ["ENABLE", "GPS_TYPE", "VELNE_M_NSE", "VELD_M_NSE", "POSNE_M_NSE", "ALT_M_NSE",
              "MAG_CAL", "IMU_MASK", "SRC1_POSXY", "SRC1_VELXY", "SRC1_POSZ", "SRC1_YAW"]),
    ("SPRAY_", ["ENABLE", "PUMP_RATE", "PUMP_MIN", "SPEED_MIN", "SPINNER"]),
    ("RNGFND1_", ["TYPE", "MIN_CM", "MAX_CM", "ORIENT", "GNDCLEAR", "SCALING", "OFFSET"]),
]


def param_names(count):
    """Deterministic, ArduPilot-looking parameter names (<= 16 chars)."""
    names = [p + s for p, ss in PARAM_PREFIXES for s in ss]
    n = 1
    while len(names) < count:
        names += [f"SERVO{n}_FUNCTION", f"SERVO{n}_MIN", f"SERVO{n}_MAX", f"SERVO{n}_TRIM",
                  f"RC{n}_MIN", f"RC{n}_MAX", f"RC{n}_TRIM", f"RC{n}_DZ", f"RC{n}_OPTION",
                  f"LOG_BITMASK{n}", f"SR{n % 7}_EXTRA{n % 3 + 1}", f"INS_ACC{n}_OFFS_X",
                  f"INS_GYR{n}_OFFS_Z", f"COMPASS_OFS{n}_X", f"FENCE_ALT_MX{n}", f"MOT_THST_E{n}"]
        n += 1
    return [nm[:16].encode() for nm in names[:count]]


def b_heartbeat(v, st, arg):
    base = 0x59 | (0x80 if st.armed else 0) | (0x04 if st.mode == MODE_AUTO else 0)
    return M.MAVLink_heartbeat_message(
        type=14, autopilot=3, base_mode=base, custom_mode=st.mode,
        system_status=4 if st.armed else 3, mavlink_version=3)


def b_sys_status(v, st, arg):
    load = int(260 + 60 * st.noise.value("load", st.t) + (90 if st.armed else 0))
    return M.MAVLink_sys_status_message(
        onboard_control_sensors_present=SENSORS_PRESENT,
        onboard_control_sensors_enabled=SENSORS_ENABLED | (0x00200000 if st.armed else 0),
        onboard_control_sensors_health=SENSORS_PRESENT | 0x00200000, load=load,
        voltage_battery=int(st.volts * 1000), current_battery=int(st.amps * 100),
        battery_remaining=int(round(st.soc * 100)), drop_rate_comm=0, errors_comm=0,
        errors_count1=0, errors_count2=0, errors_count3=0, errors_count4=0)


def b_power_status(v, st, arg):
    return M.MAVLink_power_status_message(
        Vcc=int(5040 + 30 * st.noise.value("load", st.t)), Vservo=0, flags=3)


def b_meminfo(v, st, arg):
    return M.MAVLink_meminfo_message(brkval=0, freemem=65535, freemem32=131_072 + 4 * v.idx)


def b_mission_current(v, st, arg):
    return M.MAVLink_mission_current_message(
        seq=st.wp, total=st.n_wp, mission_state=3 if st.mode == MODE_AUTO else 2, mission_mode=1)


def b_gps_raw(v, st, arg):
    nz, t = st.noise, st.t
    rtk = v.idx == 0
    eph = int((70 if rtk else 95) + 15 * nz.value("gps", t))
    gs = math.hypot(st.ve, st.vn)
    cog = int(((math.degrees(math.atan2(st.ve, st.vn)) % 360.0) * 100)) if gs > 0.3 else 0
    return M.MAVLink_gps_raw_int_message(
        time_usec=st.unix_us - 180_000, fix_type=6 if rtk else 3,
        lat=int(round(st.lat * 1e7 + 3 * nz.value("gps", t + 7.0))),
        lon=int(round(st.lon * 1e7 + 3 * nz.value("gps", t + 13.0))),
        alt=int(round(st.alt_msl * 1000)), eph=eph, epv=int(eph * 1.6), vel=int(gs * 100), cog=cog,
        satellites_visible=st.sats, alt_ellipsoid=int(round((st.alt_msl - 31.4) * 1000)),
        h_acc=int(eph * 12 if rtk else eph * 25), v_acc=int(eph * 20 if rtk else eph * 40),
        vel_acc=int(90 + 30 * nz.value("gps", t + 3.0)), hdg_acc=0, yaw=0)


def b_nav_controller(v, st, arg):
    bearing = int(math.degrees(st.yaw)) % 360
    return M.MAVLink_nav_controller_output_message(
        nav_roll=math.degrees(st.roll), nav_pitch=math.degrees(st.pitch), nav_bearing=bearing,
        target_bearing=bearing if st.armed else 0, wp_dist=int(min(st.wp_dist, 65535)),
        alt_error=0.04 * st.noise.value("alt", st.t + 2.0) if st.flying else 0.0,
        aspd_error=0.0, xtrack_error=st.xtrack)


def b_global_position(v, st, arg):
    return M.MAVLink_global_position_int_message(
        time_boot_ms=st.boot_ms, lat=int(round(st.lat * 1e7)), lon=int(round(st.lon * 1e7)),
        alt=int(round(st.alt_msl * 1000)), relative_alt=int(round(st.rel_alt * 1000)),
        vx=int(round(st.vn * 100)), vy=int(round(st.ve * 100)), vz=int(round(-st.vu * 100)),
        hdg=int(math.degrees(st.yaw) % 360.0 * 100))


def b_local_position(v, st, arg):
    return M.MAVLink_local_position_ned_message(
        time_boot_ms=st.boot_ms, x=st.y, y=st.x, z=-st.rel_alt, vx=st.vn, vy=st.ve, vz=-st.vu)


def b_attitude(v, st, arg):
    return M.MAVLink_attitude_message(
        time_boot_ms=st.boot_ms, roll=st.roll, pitch=st.pitch, yaw=st.yaw,
        rollspeed=st.p, pitchspeed=st.q, yawspeed=st.r)


def b_vfr_hud(v, st, arg):
    return M.MAVLink_vfr_hud_message(
        airspeed=st.airspeed if st.flying else 0.0, groundspeed=math.hypot(st.ve, st.vn),
        heading=int(math.degrees(st.yaw) % 360.0), throttle=int(st.throttle), alt=st.alt_msl,
        climb=st.vu)


def b_ahrs(v, st, arg):
    nz, t = st.noise, st.t
    return M.MAVLink_ahrs_message(
        omegaIx=-0.0021 + 1e-4 * nz.value("ekf", t), omegaIy=0.0013 + 1e-4 * nz.value("ekf", t + 5),
        omegaIz=0.0004 + 1e-4 * nz.value("ekf", t + 9), accel_weight=0.0, renorm_val=0.0,
        error_rp=0.004 + 0.002 * nz.value("ekf", t + 11),
        error_yaw=0.012 + 0.006 * nz.value("ekf", t + 17))


def b_ahrs2(v, st, arg):
    return M.MAVLink_ahrs2_message(
        roll=st.roll * 0.998, pitch=st.pitch * 1.002, yaw=st.yaw, altitude=st.alt_msl - 0.02,
        lat=int(round(st.lat * 1e7)), lng=int(round(st.lon * 1e7)))


def b_ekf_status(v, st, arg):
    nz, t = st.noise, st.t
    return M.MAVLink_ekf_status_report_message(
        flags=0x33F if st.flying else 0x1A7, velocity_variance=0.06 + 0.03 * nz.value("ekf", t),
        pos_horiz_variance=0.03 + 0.015 * nz.value("ekf", t + 1),
        pos_vert_variance=0.05 + 0.02 * nz.value("ekf", t + 2),
        compass_variance=0.02 + 0.01 * nz.value("ekf", t + 3),
        terrain_alt_variance=0.0, airspeed_variance=0.0)


def b_vibration(v, st, arg):
    nz, t = st.noise, st.t
    return M.MAVLink_vibration_message(
        time_usec=int((t + v.boot_s) * 1e6), vibration_x=st.vib * (0.9 + 0.1 * nz.value("vib", t + 1)),
        vibration_y=st.vib * (1.0 + 0.1 * nz.value("vib", t + 2)),
        vibration_z=st.vib * (1.4 + 0.2 * nz.value("vib", t + 3)),
        clipping_0=0, clipping_1=0, clipping_2=int(max(0.0, st.t / 3600.0 - 1.0)))


def b_battery_status(v, st, arg):
    temps = [int(st.batt_temp * 100)] + [32767] * 9
    return M.MAVLink_battery_status_message(
        id=0, battery_function=0, type=1, temperature=temps[0],
        voltages=[int(st.volts * 1000)] + [65535] * 9, current_battery=int(st.amps * 100),
        current_consumed=int(st.mah), energy_consumed=int(st.mah * st.volts * 0.36),
        battery_remaining=int(round(st.soc * 100)), time_remaining=0, charge_state=1,
        voltages_ext=[0, 0, 0, 0], mode=0, fault_bitmask=0)


def _esc(v, st, first):
    nz, t = st.noise, st.t
    per = st.amps / N_MOTORS
    temps, volts, amps, tot, rpm, cnt = [], [], [], [], [], []
    for k in range(first, first + 4):
        e = nz.value("esc", t + 3.1 * k)
        temps.append(int(clamp(st.esc_temp + 2.0 * e + k % 3, 0, 255)))
        volts.append(int(st.volts * 100))
        amps.append(int(max(0.0, per * (1.0 + 0.05 * e)) * 100))
        tot.append(int(st.mah / N_MOTORS) & 0xFFFF)
        rpm.append(int(clamp(2900 + 22 * st.throttle + 60 * e, 0, 65535)) if st.armed else 0)
        cnt.append(int(st.t * 10 + k) & 0xFFFF)
    return dict(temperature=temps, voltage=volts, current=amps, totalcurrent=tot, rpm=rpm, count=cnt)


def b_esc_1_4(v, st, arg):
    return M.MAVLink_esc_telemetry_1_to_4_message(**_esc(v, st, 0))


def b_esc_5_8(v, st, arg):
    return M.MAVLink_esc_telemetry_5_to_8_message(**_esc(v, st, 4))


def b_distance_sensor(v, st, arg):
    return M.MAVLink_distance_sensor_message(
        time_boot_ms=st.boot_ms, min_distance=20, max_distance=5000,
        current_distance=int(clamp(st.agl * 100, 20, 5000)), type=3, id=0, orientation=25,
        covariance=0, horizontal_fov=0.0, vertical_fov=0.0, quaternion=[0.0] * 4, signal_quality=0)


def b_system_time(v, st, arg):
    return M.MAVLink_system_time_message(time_unix_usec=st.unix_us, time_boot_ms=st.boot_ms)


def _imu(v, st, offs):
    nz, t = st.noise, st.t
    vib = st.vib * 6.0
    tilt = math.cos(st.roll) * math.cos(st.pitch)
    cy, sy = math.cos(st.yaw), math.sin(st.yaw)
    mn, me, md = v.mag_ned
    mag_i = 0.15 * st.amps                                # motor-current interference
    return dict(
        xacc=int(-st.a_fwd / G * 1000 * 0.2 + vib * nz.value("acc_x", t + offs)),
        yacc=int(st.a_right / G * 1000 * 0.2 + vib * nz.value("acc_y", t + offs)),
        zacc=int(-1000.0 / max(tilt, 0.5) + 1.5 * vib * nz.value("acc_z", t + offs)),
        xgyro=int(st.p * 1000 + 4 * nz.value("gyro", t + offs)),
        ygyro=int(st.q * 1000 + 4 * nz.value("gyro", t + offs + 1)),
        zgyro=int(st.r * 1000 + 3 * nz.value("gyro", t + offs + 2)),
        xmag=int(mn * cy + me * sy + mag_i + 3 * nz.value("mag", t + offs)),
        ymag=int(-mn * sy + me * cy - 0.5 * mag_i + 3 * nz.value("mag", t + offs + 1)),
        zmag=int(md + 0.7 * mag_i + 3 * nz.value("mag", t + offs + 2)))


def b_raw_imu(v, st, arg):
    return M.MAVLink_raw_imu_message(
        time_usec=int((st.t + v.boot_s) * 1e6), id=0,
        temperature=int((v.imu_temp + 0.4 * st.noise.value("temp", st.t)) * 100), **_imu(v, st, 0.0))


def b_scaled_imu2(v, st, arg):
    return M.MAVLink_scaled_imu2_message(
        time_boot_ms=st.boot_ms, temperature=int((v.imu_temp + 1.3) * 100), **_imu(v, st, 50.0))


def b_scaled_pressure(v, st, arg):
    return M.MAVLink_scaled_pressure_message(
        time_boot_ms=st.boot_ms,
        press_abs=1011.4 - 0.1195 * st.alt_msl + 0.05 * st.noise.value("press", st.t),
        press_diff=0.0, temperature=int((31.0 + 0.3 * st.noise.value("temp", st.t + 40)) * 100),
        temperature_press_diff=0)


def b_rc_channels(v, st, arg):
    nz, t = st.noise, st.t

    def stick(k):
        return int(1500 + 3 * nz.value("rc", t + 17 * k))
    return M.MAVLink_rc_channels_message(
        time_boot_ms=st.boot_ms, chancount=16, chan1_raw=stick(1), chan2_raw=stick(2),
        chan3_raw=stick(3) if st.armed else 1100, chan4_raw=stick(4),
        chan5_raw={MODE_AUTO: 1815, MODE_LOITER: 1425, MODE_RTL: 1295}[st.mode],
        chan6_raw=1900 if st.spraying else 1100, chan7_raw=1100, chan8_raw=1500,
        chan9_raw=1500, chan10_raw=1500, chan11_raw=1500, chan12_raw=1500, chan13_raw=1500,
        chan14_raw=1500, chan15_raw=1500, chan16_raw=1500, chan17_raw=0, chan18_raw=0,
        rssi=int(clamp(200 + 30 * nz.value("rssi", t), 0, 254)))


def b_servo_output(v, st, arg):
    nz, t = st.noise, st.t
    if st.armed:
        base = 1100 + 8.0 * st.throttle
        motors = [int(base + 25 * nz.value("esc", t + 5 * k)) for k in range(8)]
    else:
        motors = [1000] * 8
    pump = int(1100 + 7 * st.flow * 40) if st.spraying else 1000
    return M.MAVLink_servo_output_raw_message(
        time_usec=int((t + v.boot_s) * 1e6) & 0xFFFFFFFF, port=0, servo1_raw=motors[0],
        servo2_raw=motors[1], servo3_raw=motors[2], servo4_raw=motors[3], servo5_raw=motors[4],
        servo6_raw=motors[5], servo7_raw=motors[6], servo8_raw=motors[7], servo9_raw=pump,
        servo10_raw=1500 if st.spraying else 1000, servo11_raw=0, servo12_raw=0, servo13_raw=0,
        servo14_raw=0, servo15_raw=0, servo16_raw=0)


def b_wind(v, st, arg):
    return M.MAVLink_wind_message(
        direction=st.wind_dir if st.wind_dir <= 180.0 else st.wind_dir - 360.0, speed=st.wind_speed,
        speed_z=0.05 * st.noise.value("wind_gust", st.t + 3.0) if st.flying else 0.0)


def b_statustext(v, st, arg):
    severity, text = arg
    return M.MAVLink_statustext_message(severity=severity, text=text.encode()[:50], id=0, chunk_seq=0)


def b_command_ack(v, st, arg):
    return M.MAVLink_command_ack_message(
        command=arg, result=0, progress=0, result_param2=0, target_system=255, target_component=190)


def b_param_value(v, st, arg):
    index, count, name = arg
    value = float((index * 37) % 1000) / 10.0
    return M.MAVLink_param_value_message(
        param_id=name, param_value=value, param_type=9, param_count=count, param_index=index)


def b_home_position(v, st, arg):
    return M.MAVLink_home_position_message(
        latitude=int(round(v.home_lat * 1e7)), longitude=int(round(v.home_lon * 1e7)),
        altitude=int(round(v.ground_msl * 1000)), x=0.0, y=0.0, z=0.0, q=[1.0, 0.0, 0.0, 0.0],
        approach_x=0.0, approach_y=0.0, approach_z=0.0, time_usec=st.unix_us)


# Spray controller companion (compid 191).
def b_companion_heartbeat(v, st, arg):
    return M.MAVLink_heartbeat_message(type=18, autopilot=8, base_mode=0, custom_mode=0,
                                       system_status=4, mavlink_version=3)


def b_flow(v, st, arg):
    return M.MAVLink_named_value_float_message(
        time_boot_ms=(st.boot_ms - 2_150) & 0xFFFFFFFF, name=b"flow_lpm", value=st.flow)


def b_tank(v, st, arg):
    return M.MAVLink_named_value_float_message(
        time_boot_ms=(st.boot_ms - 2_150) & 0xFFFFFFFF, name=b"tank_l", value=round(st.tank, 2))


def b_pump(v, st, arg):
    pct = clamp(st.flow / 4.0 * 100.0 + 2.0 * st.noise.value("flow", st.t + 9.0), 0.0, 100.0)
    return M.MAVLink_named_value_float_message(
        time_boot_ms=(st.boot_ms - 2_150) & 0xFFFFFFFF, name=b"pump_pct",
        value=pct if st.spraying else 0.0)


# Ground station (255/190, MAVLink 1) and SiK radio (51/68, MAVLink 1).
def b_gcs_heartbeat(v, st, arg):
    return M.MAVLink_heartbeat_message(type=6, autopilot=8, base_mode=192, custom_mode=0,
                                       system_status=4, mavlink_version=3)


def b_command_long(v, st, arg):
    target, command, p1, p2 = arg
    return M.MAVLink_command_long_message(
        target_system=target, target_component=1, command=command, confirmation=0, param1=p1,
        param2=p2, param3=0.0, param4=0.0, param5=0.0, param6=0.0, param7=0.0)


def b_param_request_list(v, st, arg):
    return M.MAVLink_param_request_list_message(target_system=arg, target_component=1)


def b_radio_status(v, st, arg):
    # the radio's own counters: a pure function of time like everything else
    t = arg
    rssi = int(185 + 20 * math.sin(t / 97.0) + 6 * math.sin(t / 7.3))
    return M.MAVLink_radio_status_message(
        rssi=rssi, remrssi=rssi - 8 + int(4 * math.sin(t / 13.0)),
        txbuf=int(clamp(92 + 8 * math.sin(t / 5.1), 0, 100)), noise=int(41 + 4 * math.sin(t / 3.7)),
        remnoise=int(44 + 4 * math.sin(t / 4.9)), rxerrors=int(t / 311.0) & 0xFFFF,
        fixed=int(t / 61.0) & 0xFFFF)


# --------------------------------------------------------------------------------------------------
# MARK: - Sources and schedules
# --------------------------------------------------------------------------------------------------

class Source:
    """One MAVLink sender: (sysid, compid), wire version, periodic stream groups."""

    def __init__(self, name, sysid, compid, mavlink1, vehicle, streams):
        self.name, self.sysid, self.compid, self.mavlink1 = name, sysid, compid, mavlink1
        self.vehicle = vehicle       # index into the vehicle list, or None
        self.streams = streams       # list of (period_us, phase_us, [builders])


def autopilot_streams(rng, attitude_hz):
    """ArduCopter SRx stream groups with the rates a ground station typically requests."""
    groups = [
        (1, [b_heartbeat]),
        (2, [b_sys_status, b_power_status, b_meminfo, b_mission_current, b_gps_raw, b_nav_controller]),
        (4, [b_global_position, b_local_position]),
        (attitude_hz, [b_attitude]),
        (4, [b_vfr_hud]),
        (2, [b_ahrs, b_ahrs2, b_ekf_status, b_vibration, b_battery_status, b_esc_1_4, b_esc_5_8,
             b_distance_sensor]),
        (1, [b_system_time, b_wind]),
        (2, [b_raw_imu, b_scaled_imu2, b_scaled_pressure]),
        (2, [b_rc_channels, b_servo_output]),
    ]
    return [stream(hz, builders, rng) for hz, builders in groups]


def stream(hz, builders, rng):
    period = 1_000_000 // hz
    phase = rng.randrange(0, period // LOOP_US) * LOOP_US
    return (period, phase, builders)


@functools.lru_cache(maxsize=4)
def make_world(seed):
    """The vehicles and MAVLink sources for a seed (identical in every process)."""
    vehicles = [Vehicle(seed, 0), Vehicle(seed, 1)]
    rng = random.Random(f"{seed}/streams")
    sources = []
    for v, att_hz in zip(vehicles, (25, 10)):
        sources.append(Source(f"autopilot{v.sysid}", v.sysid, 1, False, v.idx,
                              autopilot_streams(rng, att_hz)))
        sources.append(Source(f"spray{v.sysid}", v.sysid, 191, False, v.idx,
                              [stream(1, [b_companion_heartbeat, b_tank], rng),
                               stream(2, [b_flow, b_pump], rng)]))
    sources.append(Source("gcs", 255, 190, True, None, [stream(1, [b_gcs_heartbeat], rng)]))
    sources.append(Source("radio", 51, 68, True, None, [stream(1, [b_radio_status], rng)]))
    return vehicles, sources


def first_tick(period, phase, t):
    """Smallest n >= 0 with phase + n * period >= t (periodic sends are at phase + n * period)."""
    return max(0, -((phase - t) // period))


def periodic_count(period, phase, t0, t1):
    """Number of periodic sends in [t0, t1)."""
    return first_tick(period, phase, t1) - first_tick(period, phase, t0)


SRC_AUTOPILOT = {0: 0, 1: 2}     # vehicle index -> source index
SRC_SPRAY = {0: 1, 1: 3}
SRC_GCS, SRC_RADIO = 4, 5
RANDOM_TEXTS = [
    (6, "EKF3 IMU0 is using GPS"), (6, "EKF3 IMU1 is using GPS"), (4, "EKF3 lane switch 1"),
    (6, "GPS 1: u-blox 1 saving config"), (5, "Vibration compensation ON"),
    (6, "EKF3 IMU0 MAG0 in-flight yaw alignment complete"), (4, "Spray: low flow"),
    (6, "RTK: fix type 6"), (4, "Terrain: clamping to SRTM"), (6, "Rangefinder 1: OK"),
]


def discrete_events(seed, t0_us, t1_us):
    """Event-driven frames (not periodic) with nominal times in [t0_us, t1_us).

    Returns a list of (t_us, source_index, order, builder, arg), sorted. Pure function of its
    arguments, so the parent can count them for sequence numbers and workers can rebuild them.
    """
    vehicles, _ = make_world(seed)
    out = []

    def add(t_s, src, builder, arg=None, order=0):
        t_us = int(t_s * 1e6)
        if t0_us <= t_us < t1_us:
            out.append((t_us, src, order, builder, arg))

    t0, t1 = t0_us / 1e6, t1_us / 1e6
    for v in vehicles:
        ap, sp = SRC_AUTOPILOT[v.idx], SRC_SPRAY[v.idx]
        first = math.floor((t0 + v.cycle_offset_s) / v.cycle_s) - 1
        last = math.floor((t1 + v.cycle_offset_s) / v.cycle_s) + 1
        for index in range(first, last + 1):
            so = v.sortie(index)
            g0, tk = so.t0, so.takeoff_t
            # After landing (previous sortie): pilot switches to LOITER, refills, swaps battery.
            add(g0 + 30.0, SRC_GCS, b_command_long, (v.sysid, 176, 1.0, float(MODE_LOITER)))
            add(g0 + 30.08, ap, b_command_ack, 176)
            add(g0 + 45.0, ap, b_statustext, (6, "Battery 1 swapped"))
            add(g0 + 60.0, sp, b_statustext, (6, "Refill started"))
            add(g0 + 240.0, sp, b_statustext, (6, "Tank full %.1f L" % TANK_L))
            # Take-off: arm, mode AUTO, waypoints, pump on/off per row, RTL, disarm.
            add(tk - 2.0, SRC_GCS, b_command_long, (v.sysid, 400, 1.0, 0.0))
            add(tk - 1.95, ap, b_command_ack, 400)
            add(tk - 1.9, ap, b_statustext, (6, "Arming motors"))
            add(tk - 1.85, ap, b_home_position)
            add(tk + 5.0, SRC_GCS, b_command_long, (v.sysid, 176, 1.0, float(MODE_AUTO)))
            add(tk + 5.06, ap, b_command_ack, 176)
            add(tk + 5.1, ap, b_statustext, (6, "Mission: 1 Takeoff"))
            for leg in so.legs:
                if leg.spraying:
                    add(tk + leg.s0, ap, b_statustext, (6, "Mission: %d WP" % leg.wp), order=1)
                    add(tk + leg.s0 + 0.2, sp, b_statustext, (6, "Pump ON"))
                    add(tk + leg.s1 + 0.2, sp, b_statustext, (6, "Pump OFF"))
            rtl = so.legs[-3]
            add(tk + rtl.s0, ap, b_statustext, (6, "Mission complete, changing mode to RTL"))
            add(tk + so.legs[-1].s0 + 2.0, ap, b_statustext, (6, "Disarming motors"))
        # Random status texts: a Poisson process per vehicle, generated per hour bucket.
        for hour in range(int(t0 // 3600), int(t1 // 3600) + 1):
            rng = random.Random(f"{seed}/v{v.idx}/texts{hour}")
            t = hour * 3600.0
            while True:
                t += rng.expovariate(1 / 400.0)
                if t >= (hour + 1) * 3600.0:
                    break
                add(t, ap, b_statustext, rng.choice(RANDOM_TEXTS))
        # Parameter downloads: at log start, then whenever the ground station reconnects.
        n_params = 1206 - 14 * v.idx
        for block in range(int(t0 // 7200) - 1, int(t1 // 7200) + 1):
            if block < 0:
                continue
            rng = random.Random(f"{seed}/v{v.idx}/params{block}")
            start = 4.0 + 25.0 * v.idx if block == 0 else block * 7200.0 + rng.uniform(0.0, 7000.0)
            if block > 0 and rng.random() < 0.35:
                continue                                 # no reconnect in this two-hour block
            if start > t1 or start + n_params / 90.0 + 1.0 < t0:
                continue
            add(start, SRC_GCS, b_param_request_list, v.sysid)
            for k, name in enumerate(param_names(n_params)):
                add(start + 0.05 + k / 90.0, ap, b_param_value, (k, n_params, name))
    out.sort(key=lambda e: (e[0], e[1], e[2]))
    return out


def segment_counts(seed, seg):
    """Frames each source sends in segment `seg` (for continuous sequence numbers)."""
    _, sources = make_world(seed)
    t0, t1 = seg * SEGMENT_US, (seg + 1) * SEGMENT_US
    counts = [0] * len(sources)
    for i, src in enumerate(sources):
        for period, phase, builders in src.streams:
            counts[i] += len(builders) * periodic_count(period, phase, t0, t1)
    for ev in discrete_events(seed, t0, t1):
        counts[ev[1]] += 1
    return counts


# --------------------------------------------------------------------------------------------------
# MARK: - Segment worker
# --------------------------------------------------------------------------------------------------

FLAG_V1, FLAG_TRUNCATED, FLAG_BITFLIP, FLAG_GARBAGE = 1, 2, 4, 8
GARBAGE_MSGID = 0xFFFFFFFF


def noise_bytes(rng, n, false_stx):
    """Serial noise: random bytes, a `false_stx` share of them start-of-frame bytes (2/3 0xFD)."""
    out = bytearray(rng.randbytes(n))
    for i in range(n):
        r = rng.random()
        if r < false_stx:
            out[i] = 0xFD if r < false_stx * (2.0 / 3.0) else 0xFE
    return bytes(out)


def build_segment(job):
    """Pack one segment. Returns the tlog blob, raw blob, and per-record metadata arrays."""
    seed, seg, seq_start, opts = job
    vehicles, sources = make_world(seed)
    rng = random.Random(f"{seed}/segment{seg}")
    t0, t1 = seg * SEGMENT_US, (seg + 1) * SEGMENT_US

    events = []
    for si, src in enumerate(sources):
        for period, phase, builders in src.streams:
            t = phase + first_tick(period, phase, t0) * period
            while t < t1:
                # ArduPilot sends a due stream group within a loop or two of its nominal time.
                tj = t + rng.randrange(0, 3) * LOOP_US if src.vehicle is not None else t
                for order, b in enumerate(builders):
                    events.append((tj, si, order, b, None))
                t += period
    events += discrete_events(seed, t0, t1)
    events.sort(key=lambda e: (e[0], e[1], e[2]))

    mavs = [M.MAVLink(None, src.sysid, src.compid) for src in sources]
    seq = list(seq_start)
    full_len = {}

    tlog = bytearray()
    raw = bytearray()
    tlog_end, raw_end = array("Q"), array("Q")
    msgids, flags, src_idx, burst_len = array("I"), array("B"), array("B"), array("H")
    epoch_us = start_unix_us(seed)
    link_free_us = 0
    last_t = t0                 # noise and garbage are Poisson processes in simulated time
    garbage_rate = opts["tlog_garbage_per_hour"] / 3600e6
    burst_rate = opts["noise_bursts_per_min"] / 60e6

    for t_us, si, _order, builder, arg in events:
        src = sources[si]
        mav = mavs[si]
        if src.vehicle is not None:
            v = vehicles[src.vehicle]
            st = v.state(t_us / 1e6)
        else:
            v, st = None, None
            if builder is b_radio_status:
                arg = t_us / 1e6
        msg = builder(v, st, arg)
        mav.seq = seq[si]
        seq[si] = (seq[si] + 1) & 0xFF
        frame = msg.pack(mav, force_mavlink1=src.mavlink1)
        gap = t_us - last_t
        last_t = t_us
        if rng.random() < opts["loss_rate"]:
            continue                                     # lost on the radio link: in no file

        # Receive time: the link is a serial pipe, frames queue behind each other.
        rx = max(t_us + LINK_LATENCY_US, link_free_us) + len(frame) * 1_000_000 // LINK_BYTES_PER_S
        link_free_us = rx

        if garbage_rate and rng.random() < garbage_rate * gap:
            junk = noise_bytes(rng, rng.randint(2, 40), opts["noise_false_stx"])
            tlog += struct.pack(">Q", (epoch_us + rx - 1) & ~3) + junk
            tlog_end.append(len(tlog))
            raw_end.append(len(raw))
            msgids.append(GARBAGE_MSGID)
            flags.append(FLAG_GARBAGE)
            src_idx.append(255)
            burst_len.append(0)

        f = 0
        msgid = msg.get_msgId()
        if src.mavlink1:
            f |= FLAG_V1
        else:
            if msgid not in full_len:
                full_len[msgid] = msg.unpacker.size
            if frame[1] < full_len[msgid]:
                f |= FLAG_TRUNCATED
        tlog += struct.pack(">Q", (epoch_us + rx) & ~3)
        tlog += frame

        n_noise = 0
        if rng.random() < burst_rate * gap:
            n_noise = min(1 + int(rng.expovariate(1 / 14.0)), 200)
            raw += noise_bytes(rng, n_noise, opts["noise_false_stx"])
        if rng.random() < opts["bitflip_rate"]:
            bad = bytearray(frame)
            bit = rng.randrange(len(bad) * 8)
            bad[bit >> 3] ^= 1 << (bit & 7)
            raw += bad
            f |= FLAG_BITFLIP
        else:
            raw += frame
        tlog_end.append(len(tlog))
        raw_end.append(len(raw))
        msgids.append(msgid)
        flags.append(f)
        src_idx.append(si)
        burst_len.append(n_noise)

    return {
        "seg": seg, "tlog": bytes(tlog), "raw": bytes(raw), "tlog_end": tlog_end,
        "raw_end": raw_end, "msgid": msgids, "flags": flags, "src": src_idx, "burst_len": burst_len,
    }


# --------------------------------------------------------------------------------------------------
# MARK: - Driver
# --------------------------------------------------------------------------------------------------

def params_key(args):
    return {
        "generator_version": GENERATOR_VERSION, "pymavlink": pymavlink_version(), "seed": args.seed,
        "size_mb": args.size_mb, "noise_bursts_per_min": args.noise_bursts_per_min,
        "noise_false_stx": args.noise_false_stx,
        "bitflip_rate": args.bitflip_rate, "loss_rate": args.loss_rate,
        "tlog_garbage_per_hour": args.tlog_garbage_per_hour,
    }


def pymavlink_version():
    try:
        from importlib.metadata import version
        return version("pymavlink")
    except Exception:                                      # pragma: no cover
        return "unknown"


def cached_manifest(out_dir, key):
    """The manifest in out_dir if it describes a complete stream generated with `key`."""
    path = os.path.join(out_dir, "manifest.json")
    try:
        with open(path) as f:
            man = json.load(f)
    except (OSError, ValueError):
        return None
    if man.get("params") != key:
        return None
    for part in ("tlog", "raw"):
        p = os.path.join(out_dir, man[part]["file"])
        if not os.path.exists(p) or os.path.getsize(p) != man[part]["bytes"]:
            return None
    return man


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def generate(args):
    """Write flight.tlog, flight.raw and manifest.json to args.out (or reuse them); returns the
    manifest."""
    key = params_key(args)
    out_dir = args.out
    if not args.force:
        man = cached_manifest(out_dir, key)
        if man is not None:
            if not args.quiet:
                print(f"cached: {out_dir} ({man['tlog']['bytes']:,} B tlog, "
                      f"{man['tlog']['frames_valid']:,} frames)", file=sys.stderr)
            return man
    os.makedirs(out_dir, exist_ok=True)
    started = time.time()
    target = int(args.size_mb * 1_000_000)
    opts = {"noise_bursts_per_min": args.noise_bursts_per_min,
            "noise_false_stx": args.noise_false_stx, "bitflip_rate": args.bitflip_rate,
            "loss_rate": args.loss_rate, "tlog_garbage_per_hour": args.tlog_garbage_per_hour}
    _, sources = make_world(args.seed)
    workers = max(1, args.workers)

    # Segments are submitted in order with the sequence numbers each source starts them with
    # (the parent counts every segment's frames per source, cheaply, without packing them).
    seq = [0] * len(sources)
    next_seg = 0

    def next_job():
        nonlocal next_seg, seq
        job = (args.seed, next_seg, tuple(seq), opts)
        seq = [(s + c) & 0xFF for s, c in zip(seq, segment_counts(args.seed, next_seg))]
        next_seg += 1
        return job

    pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None

    def submit():
        job = next_job()
        if pool is None:
            return _Ready(build_segment(job))
        return pool.apply_async(build_segment, (job,))

    by_msg, by_src, by_flag = collections.Counter(), collections.Counter(), collections.Counter()
    tlog_bytes = raw_bytes = bursts = burst_bytes = records = 0
    last_ts = start_unix_us(args.seed)
    tlog_tmp = os.path.join(out_dir, "flight.tlog.part")
    raw_tmp = os.path.join(out_dir, "flight.raw.part")
    try:
        with open(tlog_tmp, "wb") as ft, open(raw_tmp, "wb") as fr:
            pending = collections.deque(submit() for _ in range(workers * 3))
            done = False
            while not done:
                res = pending.popleft().get()
                pending.append(submit())
                tlog_end, raw_end = res["tlog_end"], res["raw_end"]
                n = len(tlog_end)
                if tlog_bytes + len(res["tlog"]) > target:
                    # Last segment: whole records up to the target size.
                    n = bisect.bisect_right(tlog_end, target - tlog_bytes)
                    done = True
                if n == 0:
                    break
                tlog = bytearray(res["tlog"][:tlog_end[n - 1]])
                # Frames queued on the link at a segment boundary are received after the next
                # segment's first frames were sent: keep receive times monotonic across it.
                start = 0
                for i in range(n):
                    (ts,) = struct.unpack_from(">Q", tlog, start)
                    if ts >= last_ts:
                        break
                    struct.pack_into(">Q", tlog, start, last_ts)
                    start = tlog_end[i]
                (last_ts,) = struct.unpack_from(">Q", tlog, tlog_end[n - 2] if n > 1 else 0)
                ft.write(tlog)
                fr.write(res["raw"][:raw_end[n - 1]])
                tlog_bytes += len(tlog)
                raw_bytes += raw_end[n - 1]
                records += n
                noise = res["burst_len"][:n]
                bursts += n - noise.count(0)
                burst_bytes += sum(noise)
                by_msg.update(res["msgid"][:n])
                by_src.update(res["src"][:n])
                by_flag.update(res["flags"][:n])
                if not args.quiet:
                    print(f"\r  {tlog_bytes / 1e6:7.1f} / {target / 1e6:.1f} MB", end="",
                          file=sys.stderr, flush=True)
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
    if not args.quiet:
        print(file=sys.stderr)

    def count(mask, value):
        return sum(c for f, c in by_flag.items() if f & mask == value)

    garbage = count(FLAG_GARBAGE, FLAG_GARBAGE)
    frames = records - garbage
    v1 = count(FLAG_V1 | FLAG_GARBAGE, FLAG_V1)
    truncated = count(FLAG_TRUNCATED, FLAG_TRUNCATED)
    flipped = count(FLAG_BITFLIP, FLAG_BITFLIP)
    names = {cls.id: cls.msgname for cls in M.mavlink_map.values()}
    tlog_path = os.path.join(out_dir, "flight.tlog")
    raw_path = os.path.join(out_dir, "flight.raw")
    os.replace(tlog_tmp, tlog_path)
    os.replace(raw_tmp, raw_path)
    man = {
        "params": key,
        "generated_by": "Benchmarks/harness/make_flight_stream.py",
        "generation_seconds": round(time.time() - started, 2),
        "workers": workers,
        "simulated_seconds": round((last_ts - start_unix_us(args.seed)) / 1e6, 1),
        "start_unix_us": start_unix_us(args.seed),
        "tlog": {
            "file": "flight.tlog", "bytes": tlog_bytes, "sha256": sha256_file(tlog_path),
            "records": records, "garbage_records": garbage, "frames_valid": frames,
            "timestamp_format": "uint64 big-endian, microseconds since the Unix epoch, "
                                "low 2 bits = link id (0)",
        },
        "raw": {
            "file": "flight.raw", "bytes": raw_bytes, "sha256": sha256_file(raw_path),
            "frames_written": frames, "bitflipped_frames": flipped,
            "frames_valid": frames - flipped, "noise_bursts": bursts, "noise_bytes": burst_bytes,
        },
        "frames": {
            "total": frames, "mavlink1": v1, "mavlink2": frames - v1,
            "mavlink2_truncated": truncated,
            "mean_frame_bytes": round((raw_bytes - burst_bytes) / max(frames, 1), 2),
            "by_message": {names.get(k, str(k)): c for k, c in sorted(by_msg.items())
                           if k != GARBAGE_MSGID},
            "by_source": {f"{sources[k].name} ({sources[k].sysid}/{sources[k].compid})": c
                          for k, c in sorted(by_src.items()) if k != 255},
        },
        "link": {"baud": LINK_BYTES_PER_S * 10, "loss_rate": args.loss_rate},
    }
    part = os.path.join(out_dir, "manifest.json.part")
    with open(part, "w") as f:
        json.dump(man, f, indent=1)
    os.replace(part, os.path.join(out_dir, "manifest.json"))
    if not args.quiet:
        print(f"generated {out_dir}: {frames:,} frames, tlog {tlog_bytes:,} B, raw {raw_bytes:,} B, "
              f"{man['simulated_seconds'] / 3600:.2f} h simulated, {man['generation_seconds']} s",
              file=sys.stderr)
    return man


class _Ready:
    """A finished result with the AsyncResult interface (single-process mode)."""

    def __init__(self, value):
        self.value = value

    def get(self):
        return self.value


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=100.0, help=".tlog size in 10^6 bytes")
    ap.add_argument("--out", required=True, help="output directory (reused if already complete)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--noise-bursts-per-min", type=float, default=16.0,
                    help="noise bursts in flight.raw per simulated minute")
    ap.add_argument("--noise-false-stx", type=float, default=0.005,
                    help="share of noise bytes that are false start bytes (2/3 0xFD, 1/3 0xFE)")
    ap.add_argument("--bitflip-rate", type=float, default=0.0005,
                    help="fraction of frames in flight.raw with one flipped bit")
    ap.add_argument("--loss-rate", type=float, default=0.001,
                    help="fraction of frames lost on the link (absent from both files)")
    ap.add_argument("--tlog-garbage-per-hour", type=float, default=0.0,
                    help="garbage records (timestamp + junk) in flight.tlog per simulated hour")
    ap.add_argument("--force", action="store_true", help="regenerate even if cached")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)
    man = generate(args)
    json.dump({"out": args.out, "tlog_frames_valid": man["tlog"]["frames_valid"],
               "raw_frames_valid": man["raw"]["frames_valid"]}, sys.stdout)
    print()


if __name__ == "__main__":
    main()
