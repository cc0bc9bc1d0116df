#!/usr/bin/env python3
"""Seeded generator of noisy MAVLink byte streams, plus pymavlink reference decoding.

Used by ``test_mavlink_crosscheck.py`` to prove that ``furrow decode`` emits exactly what pymavlink
decodes.  One seed always yields the same bytes (only ``random.Random(seed)`` is used).

What a generated stream contains (dialect: pymavlink's ``ardupilotmega``, 301 message ids):

* every message type of the dialect, round-robin over a per-cycle shuffle, with random field
  values: integers over their full range with extra weight on the extremes; float32 / double
  values from raw bit patterns (NaN with payloads, +-inf, -0.0, subnormals, huge and tiny
  values; float32 fields only ever hold float32-representable values); char arrays with printable
  text of random length (up to the full length, no terminator), control characters, interior NULs
  and non-ASCII / non-UTF-8 bytes; numeric and uint8 arrays; extension fields zero half of the
  time, so MAVLink 2 zero-truncation happens all the time, and all-zero payloads (length 1);
* MAVLink 1 frames for message ids < 256, without extension fields (as a MAVLink-1-only sender
  emits them) and, rarely, with them (as pymavlink's ``force_mavlink1`` packs them);
* a few MAVLink 2 oddities a decoder must still accept: untruncated payloads (trailing zeros
  kept), empty payloads (length 0), unknown message ids (``UNKNOWN_<id>``);
* several (sysid, compid) sources with their own sequence counters and deliberate sequence gaps;
* optionally signed sources (32-byte key, link id, signing timestamps in 10 us units since
  2015-01-01 that follow the stream clock), frames with a tampered signature (CRC still valid)
  and replays of earlier signed frames (rejected by a verifier, fine without a key);
* noise: bursts of random bytes, false start bytes (0xFD / 0xFE followed by a plausible header
  claiming a length that runs into the next real frame), bit-flipped frames, truncated frames
  (a prefix, then the next frame), frames with an unknown incompat flag (CRC-valid but must be
  rejected), a stream that starts mid-frame and a false start near the end whose claimed length
  runs past EOF while real frames follow it.

Invariant guaranteed by construction (``_sanitize``): **no byte position outside an intact frame
starts something a MAVLink parser could accept** -- every 0xFD/0xFE there either has unknown
incompat bits, or a known message id whose CRC does not match, or claims more bytes than the file
has.  (Unknown message ids cannot be CRC-checked, so a false start with an unknown id would be
"decoded" by any parser; the generator removes those.)  Consequently a decoder that resynchronises
at STX+1 after a rejected frame must emit exactly the intact frames, in order -- nothing more,
nothing less.  Parsers that skip the claimed length of a bad frame (pymavlink, the C library) lose
some intact frames after false starts, and may decode junk from inside the frames they land in.

Files written to ``--out``:

``stream.raw``
    bytes as on a serial link.
``stream.tlog``
    each frame (corrupt ones too) preceded by an 8-byte big-endian microsecond timestamp whose low
    2 bits are the link number (as MAVProxy writes it); some noise bursts appear as garbage
    between records.
``manifest.json``
    the frames in order: type, msgId, srcSystem, srcComponent, seq, version (1/2), signed,
    intact (false for bit-flipped / truncated / incompat-rejected frames), corruption kind,
    sigValid, replayOf, and per file ``{"offset", "length"}`` (tlog: plus ``tusec``, ``link``);
    the noise regions; the signing key; summary counts.

CLI::

    python3 mavlink_streams.py --seed 1 --frames 6000 --out /tmp/s1 [--signing on|off|auto] [--check]

``--check`` decodes the written files with pymavlink and verifies them against the manifest.
"""
from __future__ import annotations

import argparse
import array
import bisect
import hashlib
import inspect
import json
import math
import os
import random
import re
import struct
import sys
from dataclasses import dataclass, field
from typing import Any, Iterator, Optional

# pymavlink's log tools (mavutil) pick the MAVLink 2 dialect only when this is set; mavlogdump sets
# it too.  The dialect module itself is imported directly.
os.environ.setdefault("MAVLINK20", "1")

from pymavlink.dialects.v20 import ardupilotmega as mavlink  # noqa: E402

STX_V1 = 0xFE
STX_V2 = 0xFD
SIGNATURE_LEN = 13
#: 2015-01-01T00:00:00Z, the epoch of MAVLink signing timestamps (10 us units).
SIGNING_EPOCH_US = 1_420_070_400 * 1_000_000

# ---------------------------------------------------------------------------------------------
# MARK: - Dialect description
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    """One field of a message, in XML (= constructor) order."""

    name: str
    ctype: str  # "uint8_t", "char", "float", ...
    length: int  # array length; 0 for a scalar
    extension: bool


@dataclass(frozen=True)
class MessageSpec:
    """What the generator needs to know about one message id."""

    cls: type
    msgid: int
    name: str
    fields: tuple[FieldSpec, ...]
    base_len: int  # wire length without extension fields (what a MAVLink 1 sender emits)
    full_len: int  # wire length with extension fields
    crc_extra: int


def _build_specs() -> dict[int, MessageSpec]:
    specs: dict[int, MessageSpec] = {}
    for msgid, cls in mavlink.mavlink_map.items():
        params = list(inspect.signature(cls.__init__).parameters.values())[1:]
        names = [p.name for p in params]
        assert names == list(cls.fieldnames), cls.msgname
        # Extension fields are exactly the constructor parameters with a default value.
        ext = {p.name for p in params if p.default is not inspect.Parameter.empty}
        # array_lengths is indexed like ordered_fieldnames (wire order), fieldtypes like fieldnames.
        arrlen = {n: cls.array_lengths[i] for i, n in enumerate(cls.ordered_fieldnames)}
        fields = tuple(
            FieldSpec(n, cls.fieldtypes[i], arrlen[n], n in ext) for i, n in enumerate(cls.fieldnames)
        )
        # One struct token per wire-ordered field; extension fields are the trailing ones.
        tokens = re.findall(r"(\d*)([a-zA-Z])", cls.unpacker.format.lstrip("<"))
        assert len(tokens) == len(cls.ordered_fieldnames), cls.msgname
        n_base = len(tokens) - len(ext)
        assert set(cls.ordered_fieldnames[n_base:]) == ext, cls.msgname
        base_len = struct.calcsize("<" + "".join(c + t for c, t in tokens[:n_base]))
        specs[msgid] = MessageSpec(
            cls, msgid, cls.msgname, fields, base_len, cls.unpacker.size, cls.crc_extra
        )
    return specs


SPECS: dict[int, MessageSpec] = _build_specs()
KNOWN_IDS: list[int] = sorted(SPECS)
KNOWN_V1_IDS: list[int] = [i for i in KNOWN_IDS if i < 256]
UNKNOWN_V1_IDS: list[int] = [i for i in range(256) if i not in SPECS]

INT_RANGES = {
    "int8_t": (-(2**7), 2**7 - 1),
    "uint8_t": (0, 2**8 - 1),
    "int16_t": (-(2**15), 2**15 - 1),
    "uint16_t": (0, 2**16 - 1),
    "int32_t": (-(2**31), 2**31 - 1),
    "uint32_t": (0, 2**32 - 1),
    "int64_t": (-(2**63), 2**63 - 1),
    "uint64_t": (0, 2**64 - 1),
}

# ---------------------------------------------------------------------------------------------
# MARK: - Random field values
# ---------------------------------------------------------------------------------------------


def f32(x: float) -> float:
    """Round a Python float to the nearest float32 (must be in float32 range)."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def _f32_bits(bits: int) -> float:
    return struct.unpack("<f", struct.pack("<I", bits & 0xFFFFFFFF))[0]


def _f64_bits(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits & 0xFFFFFFFFFFFFFFFF))[0]


F32_SPECIAL = [
    0.0, -0.0, math.inf, -math.inf, math.nan, -math.nan,
    _f32_bits(0x7F7FFFFF), _f32_bits(0xFF7FFFFF),  # +-FLT_MAX
    _f32_bits(0x00800000), _f32_bits(0x80800000),  # +-FLT_MIN (smallest normal)
    _f32_bits(0x00000001), _f32_bits(0x80000001),  # +-smallest subnormal
    _f32_bits(0x007FFFFF),  # largest subnormal
    _f32_bits(0x7FC00001), _f32_bits(0xFFFFFFFF),  # NaNs with payload / sign
    1.0, -1.0, 0.5, f32(0.1), f32(-0.1), f32(1e-5), f32(1e-30), f32(3e38),
    f32(1e15), f32(1e16), f32(1e17), 16777216.0, f32(16777217.0), f32(123456.789),
    f32(math.pi), 100.0, f32(1e10),
]
F64_SPECIAL = [
    0.0, -0.0, math.inf, -math.inf, math.nan,
    sys.float_info.max, -sys.float_info.max, sys.float_info.min, 5e-324, -5e-324,
    _f64_bits(0x000FFFFFFFFFFFFF), _f64_bits(0x7FF0000000000001), _f64_bits(0xFFF8000000000001),
    0.1, -0.1, 1e-5, 1e15, 1e16, 1e17, 1e22, 1e300, 1e-300, 123456789.123456789,
    2.0**53, 2.0**53 + 2, 9007199254740993.0, 0.30000000000000004, 1.0, 100.0, -2.5,
]


def rand_int(rng: random.Random, ctype: str) -> int:
    lo, hi = INT_RANGES[ctype]
    r = rng.random()
    if r < 0.15:  # extremes and their neighbours
        return rng.choice([lo, hi, lo + 1, hi - 1, 0, 1, -1 if lo < 0 else 2])
    if r < 0.30:  # small values, as real telemetry mostly has
        return rng.randint(max(lo, -1000), min(hi, 1000))
    return rng.randint(lo, hi)


def rand_f32(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.15:
        return rng.choice(F32_SPECIAL)
    if r < 0.35:  # any bit pattern: NaN payloads, infinities, subnormals, everything
        return _f32_bits(rng.getrandbits(32))
    if r < 0.45:  # subnormals
        return _f32_bits(rng.randint(1, 0x7FFFFF) | (rng.getrandbits(1) << 31))
    if r < 0.75:  # "telemetry-like" values
        return f32(round(rng.uniform(-1000.0, 1000.0), rng.randint(0, 6)))
    # any magnitude within float32 range
    return f32(rng.uniform(-3.4, 3.4) * 10.0 ** rng.randint(-45, 38))


def rand_f64(rng: random.Random) -> float:
    r = rng.random()
    if r < 0.2:
        return rng.choice(F64_SPECIAL)
    if r < 0.5:
        return _f64_bits(rng.getrandbits(64))
    if r < 0.6:
        return _f64_bits(rng.randint(1, (1 << 52) - 1) | (rng.getrandbits(1) << 63))
    if r < 0.8:
        return round(rng.uniform(-1e6, 1e6), rng.randint(0, 9))
    return rng.uniform(-1.79, 1.79) * 10.0 ** rng.randint(-320, 308)


PRINTABLE = bytes(range(0x20, 0x7F))
UTF8_SAMPLES = "éüßΩ✓°µ€漢字🚜🌾Ж".encode("utf-8")


def rand_chars(rng: random.Random, n: int) -> bytes:
    """Contents of a char[n] field (the packer pads with NULs)."""
    r = rng.random()
    if r < 0.1:
        length = 0
    elif r < 0.35:
        length = n  # full length: no NUL terminator on the wire
    else:
        length = rng.randint(1, n)
    kind = rng.random()
    if kind < 0.65:  # printable ASCII, incl. quotes and backslashes
        return bytes(rng.choice(PRINTABLE) for _ in range(length))
    if kind < 0.75:  # UTF-8 text, possibly cut inside a multi-byte sequence
        start = rng.randrange(len(UTF8_SAMPLES))
        return (UTF8_SAMPLES[start:] + UTF8_SAMPLES)[:length]
    if kind < 0.85:  # arbitrary bytes, not UTF-8 (NULs excluded so the text keeps its length)
        return bytes(rng.randint(1, 255) for _ in range(length))
    if kind < 0.93:  # interior NUL: text after it must not show up
        s = bytearray(rng.choice(PRINTABLE) for _ in range(length))
        if length >= 2:
            s[rng.randrange(0, length - 1)] = 0
        return bytes(s)
    # control characters and DEL (JSON escapes)
    return bytes(rng.choice(b"\t\n\r\x01\x1b\x7f\"\\/ab") for _ in range(length))


def rand_u8_array(rng: random.Random, n: int) -> list[int]:
    r = rng.random()
    if r < 0.1:
        return [0] * n
    if r < 0.2:
        return [255] * n
    if r < 0.5:  # trailing zeros (common: variable-length data in a fixed array)
        k = rng.randint(0, n)
        return [rng.randint(0, 255) for _ in range(k)] + [0] * (n - k)
    return [rng.randint(0, 255) for _ in range(n)]


def rand_scalar(rng: random.Random, ctype: str) -> Any:
    if ctype == "float":
        return rand_f32(rng)
    if ctype == "double":
        return rand_f64(rng)
    return rand_int(rng, ctype)


def zero_value(f: FieldSpec) -> Any:
    if f.ctype == "char":
        return b""
    zero = 0.0 if f.ctype in ("float", "double") else 0
    return [zero] * f.length if f.length else zero


def rand_field(rng: random.Random, f: FieldSpec) -> Any:
    if f.ctype == "char":
        return rand_chars(rng, f.length)
    if f.length:
        if f.ctype == "uint8_t":
            return rand_u8_array(rng, f.length)
        if rng.random() < 0.2:  # zero tail
            k = rng.randint(0, f.length)
            return [rand_scalar(rng, f.ctype) for _ in range(k)] + [zero_value(FieldSpec("", f.ctype, 0, False))] * (f.length - k)
        return [rand_scalar(rng, f.ctype) for _ in range(f.length)]
    return rand_scalar(rng, f.ctype)


def random_message(rng: random.Random, spec: MessageSpec) -> Any:
    """A pymavlink message object of this type with random field values."""
    if rng.random() < 0.05:  # all-zero payload: v2 sends 1 byte
        return spec.cls(*[zero_value(f) for f in spec.fields])
    zero_ext = rng.random() < 0.5  # extensions absent, so truncation eats them
    values = []
    for f in spec.fields:
        if (f.extension and zero_ext) or rng.random() < 0.12:
            values.append(zero_value(f))
        else:
            values.append(rand_field(rng, f))
    return spec.cls(*values)


# ---------------------------------------------------------------------------------------------
# MARK: - Frame construction
# ---------------------------------------------------------------------------------------------


def crc16(data: bytes) -> int:
    """CRC-16/MCRF4XX as MAVLink uses it (pymavlink's implementation)."""
    return mavlink.x25crc(bytes(data)).crc


def sign_frame(frame_through_crc: bytes, key: bytes, link_id: int, timestamp: int) -> bytes:
    """The 13-byte signature block for a v2 frame whose incompat flags include 0x01."""
    block = bytes([link_id]) + timestamp.to_bytes(6, "little")
    sig = hashlib.sha256(key + frame_through_crc + block).digest()[:6]
    return block + sig


def build_v1(msgid: int, payload: bytes, seq: int, sysid: int, compid: int, crc_extra: int) -> bytes:
    header = struct.pack("<BBBBBB", STX_V1, len(payload), seq, sysid, compid, msgid)
    crc = crc16(header[1:] + payload + bytes([crc_extra]))
    return header + payload + struct.pack("<H", crc)


def build_v2(
    msgid: int,
    payload: bytes,
    seq: int,
    sysid: int,
    compid: int,
    crc_extra: int,
    incompat: int = 0,
    compat: int = 0,
    signing: Optional[tuple[bytes, int, int]] = None,
) -> bytes:
    """A v2 frame with exactly this payload (no truncation applied); ``signing`` = (key, link, ts)."""
    if signing is not None:
        incompat |= mavlink.MAVLINK_IFLAG_SIGNED
    header = struct.pack(
        "<BBBBBBBHB", STX_V2, len(payload), incompat, compat, seq, sysid, compid,
        msgid & 0xFFFF, msgid >> 16,
    )
    body = header + payload
    frame = body + struct.pack("<H", crc16(body[1:] + bytes([crc_extra])))
    if signing is not None:
        key, link_id, ts = signing
        frame += sign_frame(frame, key, link_id, ts)
    return frame


def full_payload(msg: Any) -> bytes:
    """The untruncated wire payload of a message (extensions included).

    pymavlink's v2 packer strips trailing zeros, so zero-pad its payload back to full length.
    """
    frame = msg.pack(mavlink.MAVLink(None))
    payload = frame[10 : 10 + frame[1]]
    return payload + bytes(SPECS[msg.get_msgId()].full_len - len(payload))


# ---------------------------------------------------------------------------------------------
# MARK: - Stream model
# ---------------------------------------------------------------------------------------------


@dataclass
class Source:
    """One (sysid, compid) sender: its own MAVLink object, sequence counter and signing state."""

    sysid: int
    compid: int
    mav: Any  # mavlink.MAVLink
    tlog_link: int  # low 2 bits of this source's tlog timestamps
    signs: bool = False
    signed_history: list[int] = field(default_factory=list)  # manifest indices of good signed frames

    @property
    def seq(self) -> int:
        return self.mav.seq

    def advance(self) -> None:
        self.mav.seq = (self.mav.seq + 1) % 256

    def signing_args(self) -> Optional[tuple[bytes, int, int]]:
        """(key, link, ts) for a manually built signed frame; bumps the timestamp like pymavlink."""
        if not self.signs:
            return None
        s = self.mav.signing
        ts = s.timestamp
        s.timestamp += 1
        return (s.secret_key, s.link_id, ts)


@dataclass
class Piece:
    """A run of bytes in the stream: a frame (intact or not) or noise."""

    kind: str  # "frame" | "noise"
    data: bytes
    entry: Optional[dict] = None  # manifest entry for frames
    noise_kind: str = ""  # for noise: random | falseStart | midFrameStart | eofFalseStart
    in_tlog: bool = True  # noise: also written as garbage into the tlog
    tusec: int = 0  # frames: tlog timestamp (with link bits)
    file_data: dict = field(default_factory=dict)  # per-file copy of ``data`` (repairs differ)

    @property
    def intact(self) -> bool:
        return self.kind == "frame" and self.entry is not None and self.entry["intact"]


@dataclass
class Config:
    """Rates of the stream's ingredients (per generated frame)."""

    p_noise: float = 0.05
    p_bitflip: float = 0.02
    p_truncate: float = 0.015
    p_incompat: float = 0.004
    p_v1: float = 0.15  # of frames with a v1-capable id
    p_v1_with_ext: float = 0.1  # of v1 frames of messages with extensions
    p_unknown: float = 0.01
    p_untruncated: float = 0.01
    p_empty_payload: float = 0.004
    p_seq_gap: float = 0.01
    p_badsig: float = 0.01  # of signed frames
    p_replay: float = 0.005  # of frames from signing sources
    p_noise_in_tlog: float = 0.5


class StreamGenerator:
    """Builds one stream for one seed.  ``generate()`` returns the raw bytes, tlog bytes, manifest."""

    def __init__(self, seed: int, frames: int, signing: bool, config: Optional[Config] = None):
        self.seed = seed
        self.n_frames = frames
        self.signing = signing
        self.cfg = config or Config()
        self.rng = random.Random(seed)
        rng = self.rng
        self.key = rng.randbytes(32) if signing else None
        # Stream clock (us since Unix epoch): mid-2020 plus a seeded offset.  Bytes 0..4 of the
        # big-endian timestamp stay clear of 0xFD/0xFE for the whole run (see _next_tusec).
        self.t_us = 1_591_000_000_000_000 + rng.randint(0, 10**12)
        self.sources = self._make_sources()
        self.pieces: list[Piece] = []
        self.entries: list[dict] = []
        self._type_cycle: list[int] = []

    # -- setup -----------------------------------------------------------------------------------

    def _make_sources(self) -> list[Source]:
        rng = self.rng
        pairs = [(1, 1), (1, 154), (2, 1), (255, 190), (rng.randint(3, 250), rng.randint(0, 255)), (0, 0)]
        sources = []
        for i, (sysid, compid) in enumerate(pairs):
            mav = mavlink.MAVLink(None, srcSystem=sysid, srcComponent=compid)
            mav.seq = rng.randint(0, 255)
            src = Source(sysid, compid, mav, tlog_link=rng.randint(0, 3))
            # In signed streams the first four sources sign (timestamps follow the stream clock,
            # so every signing stream starts within a minute of the others, as pymavlink needs).
            if self.signing and i < 4:
                src.signs = True
                mav.signing.secret_key = self.key
                mav.signing.sign_outgoing = True
                mav.signing.link_id = rng.randint(0, 255)
                mav.signing.timestamp = (self.t_us - SIGNING_EPOCH_US) // 10
            sources.append(src)
        return sources

    def _pick_source(self) -> Source:
        # the autopilot (first source) dominates, like on a real link
        return self.rng.choices(self.sources, weights=[8, 2, 3, 1, 1, 1])[0]

    def _next_type(self) -> int:
        if not self._type_cycle:
            self._type_cycle = list(KNOWN_IDS)
            self.rng.shuffle(self._type_cycle)
        return self._type_cycle.pop()

    # -- time ------------------------------------------------------------------------------------

    def _tick(self) -> None:
        self.t_us += self.rng.choice([self.rng.randint(50, 400), self.rng.randint(400, 20000)])
        # Keep big-endian bytes 0..4 of the timestamp away from 0xFD/0xFE: those bytes change
        # slowly (byte 4: every 16.7 s), so a false start there would persist for many records.
        while any(b in (STX_V1, STX_V2) for b in self.t_us.to_bytes(8, "big")[:5]):
            self.t_us += 1 << 24
        for src in self.sources:
            if src.signs:  # signing clock follows the wall clock, never goes back
                s = src.mav.signing
                s.timestamp = max(s.timestamp, (self.t_us - SIGNING_EPOCH_US) // 10)

    def _tusec(self, src: Source) -> int:
        return (self.t_us & ~3) | src.tlog_link

    def _tusec_for(self, src: Source, frame: bytes) -> int:
        """This record's timestamp, moved on until its bytes start no unverifiable frame.

        A 0xFD/0xFE inside the timestamp whose header (read on into the frame) names an unknown
        message id would be accepted by any parser that scans there; move the clock past it.
        (Known ids are left to the CRC; ``_sanitize`` catches the rare CRC collision.)
        """
        while True:
            tusec = self._tusec(src)
            index = unverifiable_stx(tusec.to_bytes(8, "big") + frame, 8)
            if index is None:
                return tusec
            self.t_us += ts_repair_delta(tusec, index)

    # -- frames ----------------------------------------------------------------------------------

    def _entry(self, src: Source, type_name: str, msgid: int, seq: int, version: int, signed: bool) -> dict:
        return {
            "index": len(self.entries),
            "type": type_name,
            "msgId": msgid,
            "srcSystem": src.sysid,
            "srcComponent": src.compid,
            "seq": seq,
            "version": version,
            "signed": signed,
            "intact": True,
            "corruption": None,
            "sigValid": True if signed else None,
            "replayOf": None,
            "variant": "normal",
        }

    def _make_frame(self, src: Source, allow_corruption: bool) -> tuple[bytes, dict]:
        """Pack one frame from ``src`` (consumes one sequence number)."""
        rng, cfg = self.rng, self.cfg
        if rng.random() < cfg.p_seq_gap:  # lost frames on the link
            src.mav.seq = (src.mav.seq + rng.randint(1, 40)) % 256
        seq = src.seq

        if rng.random() < cfg.p_unknown:
            frame, entry = self._unknown_frame(src, seq)
        else:
            spec = SPECS[self._next_type()]
            msg = random_message(rng, spec)
            v1 = spec.msgid < 256 and rng.random() < cfg.p_v1
            if v1:
                entry = self._entry(src, spec.name, spec.msgid, seq, 1, False)
                payload = full_payload(msg)
                if spec.base_len < spec.full_len and rng.random() < cfg.p_v1_with_ext:
                    entry["variant"] = "v1WithExtensions"  # what pymavlink's force_mavlink1 sends
                else:
                    payload = payload[: spec.base_len]  # a MAVLink-1 sender knows no extensions
                frame = build_v1(spec.msgid, payload, seq, src.sysid, src.compid, spec.crc_extra)
            else:
                r = rng.random()
                entry = self._entry(src, spec.name, spec.msgid, seq, 2, src.signs)
                if r < cfg.p_empty_payload:
                    entry["variant"] = "emptyPayload"
                    frame = build_v2(spec.msgid, b"", seq, src.sysid, src.compid, spec.crc_extra,
                                     signing=src.signing_args())
                elif r < cfg.p_empty_payload + cfg.p_untruncated:
                    entry["variant"] = "untruncated"
                    frame = build_v2(spec.msgid, full_payload(msg), seq, src.sysid, src.compid,
                                     spec.crc_extra, signing=src.signing_args())
                else:
                    frame = msg.pack(src.mav)  # pymavlink's own encoder: truncation + signing
                if allow_corruption and rng.random() < cfg.p_incompat:
                    # CRC-valid frame with an undefined incompat bit: must be dropped
                    payload = frame[10 : 10 + frame[1]]
                    flag = rng.choice([0x02, 0x04, 0x10, 0x80])
                    frame = build_v2(spec.msgid, payload, seq, src.sysid, src.compid, spec.crc_extra,
                                     incompat=flag, signing=src.signing_args())
                    entry.update(intact=False, corruption="incompat")
        src.advance()

        if entry["signed"] and entry["intact"] and allow_corruption and rng.random() < cfg.p_badsig:
            # tamper with the signature only: CRC stays valid, a verifier must reject it
            pos = len(frame) - 1 - rng.randrange(6)
            frame = frame[:pos] + bytes([frame[pos] ^ (1 << rng.randrange(8))]) + frame[pos + 1 :]
            entry["sigValid"] = False

        if allow_corruption and entry["intact"]:
            r = rng.random()
            if r < cfg.p_bitflip:
                frame = self._bitflip(frame)
                entry.update(intact=False, corruption="bitflip")
            elif r < cfg.p_bitflip + cfg.p_truncate:
                frame = frame[: rng.randint(1, len(frame) - 1)]
                entry.update(intact=False, corruption="truncated")
        return frame, entry

    def _unknown_frame(self, src: Source, seq: int) -> tuple[bytes, dict]:
        """A frame whose message id the dialect does not know (its CRC cannot be checked)."""
        rng = self.rng
        payload = bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
        crc_extra = rng.randint(0, 255)
        if rng.random() < 0.3:
            msgid = rng.choice(UNKNOWN_V1_IDS)
            entry = self._entry(src, f"UNKNOWN_{msgid}", msgid, seq, 1, False)
            return build_v1(msgid, payload, seq, src.sysid, src.compid, crc_extra), entry
        while True:
            msgid = rng.randint(256, 0xFFFFFF)
            if msgid not in SPECS:
                break
        payload = payload.rstrip(b"\0") or b"\0"
        entry = self._entry(src, f"UNKNOWN_{msgid}", msgid, seq, 2, src.signs)
        frame = build_v2(msgid, payload, seq, src.sysid, src.compid, crc_extra,
                         signing=src.signing_args())
        return frame, entry

    def _bitflip(self, frame: bytes) -> bytes:
        """Flip 1-3 bits inside the CRC-covered bytes or the CRC.

        Never the STX and never the message id (a flip there could make an unknown id, which no
        parser can reject); the length and flags bytes may be hit.  CRC-16/MCRF4XX has Hamming
        distance 4 at these lengths, so 1-3 flipped bits are always detected.
        """
        rng = self.rng
        v2 = frame[0] == STX_V2
        signed = v2 and frame[2] & 1
        end = len(frame) - (SIGNATURE_LEN if signed else 0)
        msgid_bytes = {7, 8, 9} if v2 else {5}
        positions = [i for i in range(1, end) if i not in msgid_bytes]
        b = bytearray(frame)
        bits = rng.sample([(p, k) for p in positions for k in range(8)], rng.randint(1, 3))
        for p, k in bits:
            b[p] ^= 1 << k
        return bytes(b)

    # -- noise -----------------------------------------------------------------------------------

    def _false_start(self) -> bytes:
        """0xFD/0xFE and a plausible header with a known id; the claimed length runs on."""
        rng = self.rng
        length = rng.choice([rng.randint(0, 255), rng.randint(9, 60), 255])
        if rng.random() < 0.6:
            flags = rng.choice([0, 0, 0, 1, 1, 0x02, 0x80, rng.randint(0, 255)])
            msgid = rng.choice(KNOWN_IDS)
            head = struct.pack("<BBBBBBBHB", STX_V2, length, flags, rng.randint(0, 255),
                               rng.randint(0, 255), rng.randint(0, 255), rng.randint(0, 255),
                               msgid & 0xFFFF, msgid >> 16)
        else:
            head = struct.pack("<BBBBBB", STX_V1, length, rng.randint(0, 255), rng.randint(0, 255),
                               rng.randint(0, 255), rng.choice(KNOWN_V1_IDS))
        # usually fewer bytes than claimed, so the "frame" swallows the next real one
        return head + rng.randbytes(rng.randint(0, max(0, length - 4)))

    def _noise_burst(self) -> Piece:
        rng = self.rng
        parts = []
        for _ in range(rng.randint(1, 3)):
            r = rng.random()
            if r < 0.4:
                parts.append(rng.randbytes(rng.randint(1, 64)))
            elif r < 0.5:
                parts.append(bytes([rng.choice([STX_V1, STX_V2])]))  # lone start byte
            else:
                parts.append(self._false_start())
        kind = "falseStart" if any(p and p[0] in (STX_V1, STX_V2) for p in parts) else "random"
        return Piece("noise", b"".join(parts), noise_kind=kind,
                     in_tlog=rng.random() < self.cfg.p_noise_in_tlog)

    # -- assembly --------------------------------------------------------------------------------

    def _add_frame(self, frame: bytes, entry: dict, src: Source) -> None:
        self._tick()
        entry["index"] = len(self.entries)
        self.entries.append(entry)
        self.pieces.append(Piece("frame", frame, entry=entry, tusec=self._tusec_for(src, frame)))
        if entry["signed"] and entry["intact"] and entry["sigValid"] and entry["replayOf"] is None:
            src.signed_history.append(entry["index"])

    def generate(self) -> tuple[bytes, bytes, dict]:
        rng, cfg = self.rng, self.cfg

        # A serial link joined mid-frame: the stream starts with the tail of some frame.
        if rng.random() < 0.7:
            tail_src = self.sources[0]
            tail = random_message(rng, SPECS[rng.choice(KNOWN_IDS)]).pack(tail_src.mav)
            self.pieces.append(Piece("noise", tail[rng.randint(1, len(tail) - 1) :],
                                     noise_kind="midFrameStart"))

        n_regular = self.n_frames - 3  # the last 3 frames follow a false start near EOF
        for i in range(n_regular):
            # The first cycle over all message types is never corrupted, so every type is
            # guaranteed to appear intact at least once.
            allow_corruption = i >= len(KNOWN_IDS)
            if allow_corruption and rng.random() < cfg.p_noise:
                self.pieces.append(self._noise_burst())
            src = self._pick_source()
            if (allow_corruption and src.signs and src.signed_history
                    and rng.random() < cfg.p_replay):
                # replay an earlier, correctly signed frame byte for byte
                orig_idx = rng.choice(src.signed_history[-50:])
                orig = self.entries[orig_idx]
                entry = dict(orig, replayOf=orig_idx, variant="replay")
                self._add_frame(self.pieces_by_index[orig_idx].data, entry, src)
                continue
            frame, entry = self._make_frame(src, allow_corruption)
            self._add_frame(frame, entry, src)

        # A false start claiming 255 bytes, then 3 short intact frames, then EOF: the false
        # frame's claimed end lies beyond EOF.  A resynchronising decoder must still emit the 3.
        fs = struct.pack("<BBBBBBBHB", STX_V2, 255, 0, 0, 1, 1, 1, 30, 0) + rng.randbytes(3)
        self.pieces.append(Piece("noise", fs, noise_kind="eofFalseStart"))
        for _ in range(3):
            src = self.sources[0]
            spec = SPECS[30]  # ATTITUDE, 28-byte payload: 3 frames < 255 bytes
            msg = random_message(rng, spec)
            entry = self._entry(src, spec.name, spec.msgid, src.seq, 2, src.signs)
            frame = msg.pack(src.mav)
            src.advance()
            self._add_frame(frame, entry, src)

        raw, tlog = self._render()
        return raw, tlog, self._manifest(raw, tlog)

    @property
    def pieces_by_index(self) -> dict[int, Piece]:
        return {p.entry["index"]: p for p in self.pieces if p.kind == "frame"}

    # -- rendering and sanitising ------------------------------------------------------------------

    def _layout(self, which: str) -> tuple[bytearray, list[tuple[int, int, Piece, str]]]:
        """Concatenate the pieces for one file; return bytes and (start, end, piece, part) spans."""
        out = bytearray()
        spans = []
        for p in self.pieces:
            if p.kind == "noise":
                if which == "tlog" and not p.in_tlog:
                    continue
                data = p.file_data[which]
                spans.append((len(out), len(out) + len(data), p, "noise"))
                out += data
            else:
                if which == "tlog":
                    ts = p.tusec.to_bytes(8, "big")
                    spans.append((len(out), len(out) + 8, p, "ts"))
                    out += ts
                data = p.file_data[which]
                spans.append((len(out), len(out) + len(data), p, "frame"))
                out += data
        return out, spans

    def _render(self) -> tuple[bytes, bytes]:
        # Each file gets its own copy of the bytes of every piece, so repairs stay per file.
        for p in self.pieces:
            p.file_data = {"raw": bytearray(p.data), "tlog": bytearray(p.data)}
        raw = self._sanitize("raw")
        tlog = self._sanitize("tlog")
        return raw, tlog

    def _sanitize(self, which: str) -> bytes:
        """Repair every position outside intact frames where a parser could accept a frame."""
        checker = mavlink.MAVLink(None)
        rng = random.Random(f"{self.seed}-{which}")  # repairs do not disturb the main sequence
        for _round in range(10_000):
            buf, spans = self._layout(which)
            starts = [s[0] for s in spans]
            bad = [p for p in candidate_positions(buf, spans) if accepts_at(checker, buf, p)]
            if not bad:
                self._spans = getattr(self, "_spans", {})
                self._spans[which] = spans
                return bytes(buf)
            for pos in bad:
                start, end, piece, part = spans[bisect.bisect_right(starts, pos) - 1]
                if part == "ts":
                    # move this record and all later ones on until that byte changes; one
                    # timestamp repair per round, since it moves every later record
                    delta = ts_repair_delta(piece.tusec, pos - start)
                    k = next(i for i, q in enumerate(self.pieces) if q is piece)
                    for q in self.pieces[k:]:
                        if q.kind == "frame":
                            q.tusec += delta
                    break
                else:
                    # noise or the inside of a corrupt frame: replace the start byte
                    piece.file_data[which][pos - start] = rng.choice(
                        [b for b in range(256) if b not in (STX_V1, STX_V2)])
        raise RuntimeError("sanitizer did not converge")

    def _manifest(self, raw: bytes, tlog: bytes) -> dict:
        for which in ("raw", "tlog"):
            for start, end, piece, part in self._spans[which]:
                if part == "frame":
                    loc = {"offset": start, "length": end - start}
                    if which == "tlog":
                        loc.update(tusec=piece.tusec, link=piece.tusec & 3)
                    piece.entry[which] = loc
        noise = []
        for which in ("raw", "tlog"):
            for start, end, piece, part in self._spans[which]:
                if part == "noise":
                    noise.append({"file": which, "offset": start, "length": end - start,
                                  "kind": piece.noise_kind})
        intact = [e for e in self.entries if e["intact"]]
        counts: dict[str, int] = {
            "frames": len(self.entries),
            "intact": len(intact),
            "v1": sum(e["version"] == 1 for e in self.entries),
            "signed": sum(e["signed"] for e in self.entries),
            "badSignature": sum(e["sigValid"] is False for e in self.entries),
            "replays": sum(e["replayOf"] is not None for e in self.entries),
            "unknownIds": sum(e["type"].startswith("UNKNOWN_") for e in intact),
            "typesIntact": len({e["type"] for e in intact if not e["type"].startswith("UNKNOWN_")}),
        }
        for kind in ("bitflip", "truncated", "incompat"):
            counts[kind] = sum(e["corruption"] == kind for e in self.entries)
        for variant in ("v1WithExtensions", "untruncated", "emptyPayload"):
            counts[variant] = sum(e["variant"] == variant for e in self.entries)
        counts["noiseBurstsRaw"] = sum(n["file"] == "raw" for n in noise)
        counts["noiseBurstsTlog"] = sum(n["file"] == "tlog" for n in noise)
        return {
            "generator": "Tests/CrossCheck/mavlink_streams.py",
            "dialect": "ardupilotmega",
            "seed": self.seed,
            "signingKey": self.key.hex() if self.key else None,
            "files": {"raw": {"name": "stream.raw", "size": len(raw)},
                      "tlog": {"name": "stream.tlog", "size": len(tlog)}},
            "counts": counts,
            "noise": noise,
            "frames": self.entries,
        }


def ts_repair_delta(tusec: int, index: int) -> int:
    """Microseconds (a multiple of 4: link bits kept) that change big-endian byte ``index``."""
    if index == 7:
        return 4
    unit = 1 << (8 * (7 - index))
    return unit - (tusec & (unit - 1) & ~3)


def unverifiable_stx(buf: bytes, limit: int) -> Optional[int]:
    """First 0xFD/0xFE in ``buf[:limit]`` whose header names an unknown message id.

    Such a "frame" cannot be CRC-checked, so every parser would accept it.  v2 headers with
    undefined incompat bits are rejected anyway and do not count.
    """
    padded = buf + bytes(12)
    for i in range(min(limit, len(buf))):
        if padded[i] == STX_V2:
            if padded[i + 2] & ~mavlink.MAVLINK_IFLAG_SIGNED:
                continue
            msgid = padded[i + 7] | padded[i + 8] << 8 | padded[i + 9] << 16
        elif padded[i] == STX_V1:
            msgid = padded[i + 5]
        else:
            continue
        if msgid not in SPECS:
            return i
    return None


def candidate_positions(buf: bytes, spans: list[tuple[int, int, Any, str]]) -> Iterator[int]:
    """0xFD/0xFE positions outside intact frames."""
    gaps = []
    cursor = 0
    for start, end, piece, part in spans:
        if part == "frame" and piece.intact:
            gaps.append((cursor, start))
            cursor = end
    gaps.append((cursor, len(buf)))
    for a, b in gaps:
        for stx in (STX_V1, STX_V2):
            p = buf.find(stx, a, b)
            while p != -1:
                yield p
                p = buf.find(stx, p + 1, b)


def accepts_at(checker: Any, buf: bytes, p: int) -> bool:
    """Would a MAVLink parser that starts at ``p`` accept a frame (pymavlink semantics, no key)?"""
    if buf[p] == STX_V2:
        if p + 3 > len(buf):
            return False
        if buf[p + 2] & ~mavlink.MAVLINK_IFLAG_SIGNED:
            return False  # unknown incompat flag: rejected
        total = 12 + buf[p + 1] + (SIGNATURE_LEN if buf[p + 2] & 1 else 0)
    else:
        if p + 2 > len(buf):
            return False
        total = 8 + buf[p + 1]
    if p + total > len(buf):
        return False  # runs past EOF: never completes
    try:
        checker.decode(bytearray(buf[p : p + total]))
    except Exception:
        return False  # CRC (or header) rejected
    return True  # valid CRC -- or an unknown id, which nobody can check


# ---------------------------------------------------------------------------------------------
# MARK: - pymavlink reference: decoding and mavlogdump's JSON form
# ---------------------------------------------------------------------------------------------


def mavlogdump_object(m: Any, timestamp: float, show_source: bool = True, show_seq: bool = True) -> dict:
    """The object ``mavlogdump.py --format json`` prints for message ``m`` (pymavlink 2.4.50).

    Mirrors the tool's code: ``to_dict()`` minus ``mavpackettype``, ``data`` made a list when it
    is not a dict (BAD_DATA / UNKNOWN_*: the *whole frame* as bytes), array.array -> list, bytes ->
    ``decode(errors="backslashreplace")``.  Furrow's ``--show-seq`` adds ``meta.seq`` (mavlogdump's
    JSON writer has no sequence numbers).
    """
    data = m.to_dict()
    del data["mavpackettype"]
    if "data" in data and type(data["data"]) is not dict:
        data["data"] = list(data["data"])
    meta: dict[str, Any] = {"type": m.get_type(), "timestamp": timestamp}
    if show_source:
        meta["srcSystem"] = m.get_srcSystem()
        meta["srcComponent"] = m.get_srcComponent()
    if show_seq:
        meta["seq"] = m.get_seq()
    for key in data.keys():
        if type(data[key]) == array.array:
            data[key] = list(data[key])
    for key in data.keys():
        if type(data[key]) == bytes:
            data[key] = data[key].decode(errors="backslashreplace")
    return {"meta": meta, "data": data}


def new_parser(key: Optional[bytes] = None) -> Any:
    """A robust pymavlink parser; with ``key`` it verifies signatures and accepts old timestamps."""
    mav = mavlink.MAVLink(None)
    mav.robust_parsing = True
    if key is not None:
        mav.signing.secret_key = key
        mav.signing.timestamp = 0  # logs are old: accept any first timestamp per stream
    return mav


def pymavlink_decode(data: bytes, key: Optional[bytes] = None, chunk: int = 4096) -> list[tuple[int, Any]]:
    """Decode a raw byte stream with pymavlink; return (frame start offset, message), BAD_DATA dropped.

    The stream is fed in chunks (like a serial port); after every returned message the frame's end
    offset is ``bytes fed - bytes still buffered``.
    """
    mav = new_parser(key)
    out = []
    fed = 0
    for i in range(0, len(data), chunk):
        piece = data[i : i + chunk]
        fed += len(piece)
        m = mav.parse_char(piece)
        while m is not None:
            if m.get_type() != "BAD_DATA":
                end = fed - mav.buf_len()
                out.append((end - len(m.get_msgbuf()), m))
            m = mav.parse_char(b"")
    return out


def pymavlink_decode_tlog(path: str) -> list[tuple[int, Any]]:
    """Read a .tlog the way mavlogdump does (``mavutil.mavlink_connection``, robust parsing).

    Returns (frame start offset, message) with ``message._timestamp`` set by pymavlink.
    """
    from pymavlink import mavutil

    mlog = mavutil.mavlink_connection(path, dialect="ardupilotmega", robust_parsing=True)
    out = []
    try:
        while True:
            m = mlog.recv_msg()
            if m is None:
                break
            if m.get_type() == "BAD_DATA":
                continue
            end = mlog.f.tell() - mlog.mav.buf_len()
            out.append((end - len(m.get_msgbuf()), m))
    finally:
        mlog.close()
    return out


def reference_objects(
    raw: bytes, manifest: dict, which: str, key: Optional[bytes] = None
) -> list[tuple[dict, dict]]:
    """What a correct decoder emits for this stream: (manifest entry, mavlogdump object) pairs.

    The intact frames are cut out of the raw file and concatenated -- a stream without noise --
    and decoded by pymavlink (with ``key``: verifying signatures, which drops unsigned frames,
    bad signatures and replays, exactly as pymavlink does).  For ``which == "tlog"`` the
    timestamp is the record's ``tusec * 1.0e-6``; for raw input it is 0.0 (not compared).
    """
    intact = [e for e in manifest["frames"] if e["intact"]]
    clean = bytearray()
    by_offset = {}
    for e in intact:
        by_offset[len(clean)] = e
        clean += raw[e["raw"]["offset"] : e["raw"]["offset"] + e["raw"]["length"]]
    out = []
    for off, m in pymavlink_decode(bytes(clean), key=key):
        e = by_offset[off]
        ts = e["tlog"]["tusec"] * 1.0e-6 if which == "tlog" else 0.0
        out.append((e, mavlogdump_object(m, ts)))
    return out


# ---------------------------------------------------------------------------------------------
# MARK: - Self-check and CLI
# ---------------------------------------------------------------------------------------------


def write_stream(seed: int, frames: int, out_dir: str, signing: Optional[bool] = None) -> dict:
    """Generate one stream into ``out_dir``; ``signing=None`` means "every even seed"."""
    if signing is None:
        signing = seed % 2 == 0
    raw, tlog, manifest = StreamGenerator(seed, frames, signing).generate()
    os.makedirs(out_dir, exist_ok=True)
    with open(os.path.join(out_dir, "stream.raw"), "wb") as f:
        f.write(raw)
    with open(os.path.join(out_dir, "stream.tlog"), "wb") as f:
        f.write(tlog)
    with open(os.path.join(out_dir, "manifest.json"), "w") as f:
        json.dump(manifest, f, separators=(",", ":"))
    return manifest


def self_check(out_dir: str) -> list[str]:
    """Decode the files with pymavlink and compare with the manifest; return problems found."""
    problems = []
    raw = open(os.path.join(out_dir, "stream.raw"), "rb").read()
    tlog = open(os.path.join(out_dir, "stream.tlog"), "rb").read()
    manifest = json.load(open(os.path.join(out_dir, "manifest.json")))
    frames = manifest["frames"]
    intact = [e for e in frames if e["intact"]]

    # 1. each intact frame on its own decodes to what the manifest says; each corrupt one fails
    checker = new_parser()
    for e in frames:
        for which, data in (("raw", raw), ("tlog", tlog)):
            blob = data[e[which]["offset"] : e[which]["offset"] + e[which]["length"]]
            msgs = [m for m in (checker.parse_buffer(blob) or []) if m.get_type() != "BAD_DATA"]
            checker = new_parser() if checker.buf_len() else checker  # drop leftovers of prefixes
            if e["intact"]:
                if len(msgs) != 1:
                    problems.append(f"{which}: intact frame {e['index']} decodes to {len(msgs)} messages")
                    continue
                m = msgs[0]
                got = (m.get_type(), m.get_srcSystem(), m.get_srcComponent(), m.get_seq())
                want = (e["type"], e["srcSystem"], e["srcComponent"], e["seq"])
                if e["type"].startswith("UNKNOWN_"):
                    # pymavlink returns unknown ids before it fills in the header: source and
                    # sequence read as 0, and the message carries the whole frame.
                    got, want = (got[0], bytes(m.data)), (want[0], blob)
                if got != want:
                    problems.append(f"{which}: frame {e['index']}: {got} != {want}")
            elif msgs:
                problems.append(f"{which}: corrupt frame {e['index']} ({e['corruption']}) decodes")
        if e["tlog"]["offset"] >= 8:
            tusec = struct.unpack(">Q", tlog[e["tlog"]["offset"] - 8 : e["tlog"]["offset"]])[0]
            if tusec != e["tlog"]["tusec"]:
                problems.append(f"tlog: frame {e['index']} timestamp {tusec} != {e['tlog']['tusec']}")

    # 2. the noiseless concatenation decodes to exactly the intact frames
    ref = reference_objects(raw, manifest, "raw")
    if len(ref) != len(intact):
        problems.append(f"reference decode: {len(ref)} messages for {len(intact)} intact frames")

    # 3. every message type of the dialect appears intact
    missing = set(s.name for s in SPECS.values()) - {e["type"] for e in intact}
    if missing:
        problems.append(f"types never intact: {sorted(missing)}")

    # 4. pymavlink on the noisy stream: only intact frames at their offsets, or junk found
    #    *inside* intact frames (pymavlink skipped a real STX); never anything in the noise
    starts = {e["raw"]["offset"]: e for e in intact}
    intact_spans = sorted((e["raw"]["offset"], e["raw"]["offset"] + e["raw"]["length"]) for e in intact)
    span_starts = [a for a, _ in intact_spans]
    for off, m in pymavlink_decode(raw):
        if off in starts:
            continue
        k = bisect.bisect_right(span_starts, off) - 1
        if not (k >= 0 and intact_spans[k][0] < off < intact_spans[k][1]):
            problems.append(f"raw: pymavlink decoded {m.get_type()} at noise offset {off}")
    return problems


def main(argv: Optional[list[str]] = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, required=True)
    ap.add_argument("--frames", type=int, default=6000)
    ap.add_argument("--out", required=True, help="output directory")
    ap.add_argument("--signing", choices=["auto", "on", "off"], default="auto",
                    help="sign some sources (auto: even seeds)")
    ap.add_argument("--check", action="store_true", help="verify the output with pymavlink")
    args = ap.parse_args(argv)
    signing = {"auto": None, "on": True, "off": False}[args.signing]
    manifest = write_stream(args.seed, args.frames, args.out, signing)
    print(json.dumps(manifest["counts"]))
    if args.check:
        problems = self_check(args.out)
        for p in problems[:50]:
            print("PROBLEM:", p, file=sys.stderr)
        print(f"self-check: {len(problems)} problems", file=sys.stderr)
        return 1 if problems else 0
    return 0


if __name__ == "__main__":
    sys.exit(main())
