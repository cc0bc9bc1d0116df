"""Synthetic ArduPilot DataFlash (.bin) logs for the Furrow <-> DFReader cross-check.

``write_log(path, seed)`` writes a log that uses every format character DFReader and ArduPilot know
(``b B h H i I q Q f d g n N Z c C e E L M a``), UNIT/MULT/FMTU with an instance field (``#``), PARM with
defaults, MSG/EV/ERR, messages timed by TimeMS and messages without a time field, runs of garbage between records (random bytes, lone ``A3``, ``A3 95`` with an undefined type)
and, if asked, a record cut at the end.  (No FMT redefinition with a new layout: DFReader caches the
old unpacker per type and misreads them; the Swift unit tests cover redefinition.)  Values are seeded-random and cover the edges: integer
limits, NaN, infinities, -0.0, strings that fill their field, Latin-1 bytes.

Run as a script to write one: ``python dataflash_synth.py OUT.bin [SEED] [--truncate]``.
"""
from __future__ import annotations

import math
import random
import struct
import sys

HEAD = b"\xa3\x95"

#: format character -> struct code (little-endian), as DFReader reads them (M and a as ArduPilot writes them).
CODES = {
    "b": "b", "B": "B", "h": "h", "H": "H", "i": "i", "I": "I", "q": "q", "Q": "Q",
    "f": "f", "d": "d", "g": "e", "n": "4s", "N": "16s", "Z": "64s",
    "c": "h", "C": "H", "e": "i", "E": "I", "L": "i", "M": "B", "a": "32h",
}

LIMITS = {
    "b": (-128, 127), "B": (0, 255), "h": (-32768, 32767), "H": (0, 65535),
    "i": (-2**31, 2**31 - 1), "I": (0, 2**32 - 1), "q": (-2**63, 2**63 - 1), "Q": (0, 2**64 - 1),
    "c": (-32768, 32767), "C": (0, 65535), "e": (-2**31, 2**31 - 1), "E": (0, 2**32 - 1),
    "L": (-1_800_000_000, 1_800_000_000),
    # pymavlink reads M as int8, ArduPilot writes uint8: keep modes below 128 where both agree.
    "M": (0, 127),
}

TYPES = [
    # type, name, format, columns
    (129, "UNIT", "QbZ", "TimeUS,Id,Label"),
    (130, "MULT", "Qbd", "TimeUS,Id,Mult"),
    (131, "FMTU", "QBNN", "TimeUS,FmtType,UnitIds,MultIds"),
    (132, "PARM", "QNff", "TimeUS,Name,Value,Default"),
    (133, "MSG", "QZ", "TimeUS,Message"),
    (134, "EV", "QB", "TimeUS,Id"),
    (135, "ERR", "QBB", "TimeUS,Subsys,ECode"),
    (136, "ALL1", "QbBhHiIfdcCeELMq", "TimeUS,b,B,h,H,i,I,f,d,c,C,e,E,Lat,M,q"),
    (137, "ALL2", "QnNZa", "TimeUS,Short,Mid,Long,Arr"),
    (138, "HALF", "Qg", "TimeUS,Half"),
    (139, "BAT", "QBfcE", "TimeUS,Inst,Volt,Curr,Used"),
    (140, "MODE", "QMB", "TimeUS,Mode,Rsn"),
    (141, "TMS", "Ihf", "TimeMS,Val,F"),
    (142, "NOTM", "Bf", "Id,Val"),
]


def struct_of(fmt: str) -> str:
    return "<" + "".join(CODES[c] for c in fmt)


def fmt_record(type_: int, name: str, fmt: str, columns: str) -> bytes:
    length = 3 + struct.calcsize(struct_of(fmt))
    return HEAD + bytes([0x80]) + struct.pack(
        "<BB4s16s64s", type_, length, name.encode(), fmt.encode(), columns.encode())


def record(type_: int, fmt: str, values: list) -> bytes:
    return HEAD + bytes([type_]) + struct.pack(struct_of(fmt), *values)


def random_float(rng: random.Random, single: bool) -> float:
    pick = rng.random()
    if pick < 0.03:
        return math.nan
    if pick < 0.05:
        return rng.choice([math.inf, -math.inf, -0.0, 0.0])
    v = rng.uniform(-1e4, 1e4) if pick < 0.8 else rng.uniform(-1, 1) * 10 ** rng.randint(-30, 30)
    return struct.unpack("<f", struct.pack("<f", v))[0] if single else v


def random_text(rng: random.Random, size: int) -> bytes:
    pick = rng.random()
    if pick < 0.15:
        return bytes(rng.choice(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ_") for _ in range(size))  # fills the field
    n = rng.randint(0, size - 1)
    body = bytes(rng.choice(b"abcdefghijklmnopqrstuvwxyz0123456789 _.:-") for _ in range(n))
    if pick < 0.25 and n > 0:
        body = body[:-1] + b"\xe9"  # Latin-1, not UTF-8
    if pick > 0.9 and n > 2:
        body = body[:-2] + "é".encode()  # valid UTF-8
    return body + b"\x00" * (size - n)


def random_value(rng: random.Random, c: str):
    if c in LIMITS:
        lo, hi = LIMITS[c]
        return rng.choice([lo, hi, 0, rng.randint(lo, hi), rng.randint(lo, hi)])
    if c == "f":
        return random_float(rng, True)
    if c == "d":
        return random_float(rng, False)
    if c == "g":
        return struct.unpack("<e", struct.pack("<H", rng.randint(0, 0xFFFF)))[0]
    if c in "nNZ":
        return random_text(rng, {"n": 4, "N": 16, "Z": 64}[c])
    raise ValueError(c)


def garbage(rng: random.Random) -> bytes:
    """Bytes that never start a message of a defined type."""
    kind = rng.random()
    if kind < 0.3:
        return b"\xa3\x95" + bytes([rng.randint(200, 250)]) + bytes(rng.randint(0, 20))  # undefined type
    if kind < 0.5:
        return b"\xa3" + bytes([rng.choice([0x00, 0x94, 0xa3 ^ 0xff])])
    return bytes(rng.choice([b for b in range(256) if b != 0xA3]) for _ in range(rng.randint(1, 40)))


def build(seed: int, records: int = 3000, truncate: bool = False) -> tuple[bytes, dict]:
    """The log and what the generator knows about it: garbage bytes, the cut (offset, bytes), records."""
    rng = random.Random(seed)
    meta = {"garbage_bytes": 0, "cut_offset": None, "cut_bytes": 0, "records": 0}
    out = bytearray()
    out += fmt_record(0x80, "FMT", "BBnNZ", "Type,Length,Name,Format,Columns")
    for t in TYPES:
        out += fmt_record(*t)
    fmts = {t[0]: t for t in TYPES}
    us = 1_000_000
    # units and multipliers, then FMTU for BAT: instance field '#', volts, amps (centi), mAh.
    for uid, label in [("s", "s"), ("#", "instance"), ("v", "V"), ("A", "A"), ("a", "Ah"), ("-", "")]:
        out += record(129, "QbZ", [us, ord(uid), label.encode()])
    for mid, mult in [("-", 0.0), ("?", 1.0), ("F", 1e-6), ("C", 1e-3), ("B", 1e-2), ("0", 1.0)]:
        out += record(130, "Qbd", [us, ord(mid), mult])
    out += record(131, "QBNN", [us, 139, b"s#vAa", b"F-0BC"])
    for i in range(20):
        out += record(132, "QNff", [us, f"PARAM_{i}".encode(), random_float(rng, True),
                                    math.nan if i % 3 == 0 else random_float(rng, True)])
    out += record(133, "QZ", [us, b"ArduCopter V4.5.0 (synthetic)"])
    kinds = [136, 137, 138, 139, 139, 139, 140, 141, 142, 133, 134, 135, 132]
    ms = 1000
    for n in range(records):
        us += rng.randint(1, 20000)
        type_ = rng.choice(kinds)
        _, name, fmt, _ = fmts[type_]
        values = []
        for i, c in enumerate(fmt):
            if i == 0 and c == "Q":
                values.append(us)
            elif i == 0 and name == "TMS":
                ms += rng.randint(-50, 400)  # sometimes going back: DFReader keeps the previous time then
                values.append(max(ms, 0))
            elif name == "BAT" and i == 1:
                values.append(rng.randint(0, 2))
            elif c == "a":
                values.extend(rng.randint(-32768, 32767) for _ in range(32))
            else:
                values.append(random_value(rng, c))
        out += record(type_, fmt, values)
        if rng.random() < 0.02:
            junk = garbage(rng)
            meta["garbage_bytes"] += len(junk)
            out += junk
    if truncate:
        tail = record(136, fmts[136][2], [us + 1] + [random_value(rng, c) for c in fmts[136][2][1:]])
        cut = tail[: rng.randint(1, len(tail) - 1)]
        meta["cut_offset"] = len(out)
        meta["cut_bytes"] = len(cut)
        out += cut
    meta["records"] = records + 1 + len(TYPES) + 6 + 6 + 1 + 20 + 1
    return bytes(out), meta


def write_log(path, seed: int, records: int = 3000, truncate: bool = False) -> dict:
    data, meta = build(seed, records, truncate)
    with open(path, "wb") as f:
        f.write(data)
    return meta


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    write_log(args[0], int(args[1]) if len(args) > 1 else 1, truncate="--truncate" in sys.argv)
