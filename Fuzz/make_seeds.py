#!/usr/bin/env python3
"""Writes the seed corpus for the Furrow fuzz target (standard library only, deterministic).

    python3 Fuzz/make_seeds.py OUT_DIR

Seeds, all at most MAX_LEN bytes, named seed-*:
  - pieces of SampleData/*.tlog cut at record boundaries (several sizes, from across the file);
  - the same pieces as raw MAVLink streams (timestamps dropped);
  - synthetic v1/v2 streams: every message of the dialect with random, zero-truncated payloads, several
    senders, sequence gaps, signed frames (with the harness key, SigningMode.key), a replay, a tampered
    signature, unknown ids, bad incompat flags and noise; as raw streams and as .tlogs in both byte orders;
  - a few tiny inputs.

CRC_EXTRA values come from the generated table in Sources/FurrowWire/Generated, so no pymavlink is needed.
"""

import hashlib
import os
import random
import re
import struct
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAX_LEN = 8192
# The key the harness verifies with (SigningMode.key): (0..<32).map { UInt8($0 * 7 + 3) }.
KEY = bytes((i * 7 + 3) & 0xFF for i in range(32))


def load_dialect():
    """{id: (name, crc_extra, min_length, max_length)} from the generated Swift table."""
    path = os.path.join(ROOT, "Sources/FurrowWire/Generated/MAVLinkDialect+ArdupilotMega.swift")
    messages = {}
    for line in open(path, encoding="utf-8"):
        m = re.match(r"\s+(\d+),([A-Z0-9_]+),(\d+),(\d+),(\d+)(;|$)", line)
        if m:
            messages[int(m.group(1))] = (m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5)))
    if not messages:
        sys.exit("make_seeds: no messages found in the generated dialect table")
    return messages


def crc16(data, crc=0xFFFF):
    for b in data:
        t = (b ^ (crc & 0xFF)) & 0xFF
        t = (t ^ (t << 4)) & 0xFF
        crc = ((crc >> 8) ^ (t << 8) ^ (t << 3) ^ (t >> 4)) & 0xFFFF
    return crc


class Sender:
    def __init__(self, dialect, sysid, compid):
        self.dialect, self.sysid, self.compid, self.seq = dialect, sysid, compid, 0

    def v1(self, msgid, payload):
        frame = bytes([0xFE, len(payload), self.seq, self.sysid, self.compid, msgid]) + payload
        crc = crc16(bytes([self.dialect[msgid][1]]), crc16(frame[1:]))
        self.seq = (self.seq + 1) & 0xFF
        return frame + struct.pack("<H", crc)

    def v2(self, msgid, payload, signing=None, incompat=0, crc_extra=None):
        """signing: (key, link_id, timestamp) or None."""
        body = payload.rstrip(b"\0") or payload[:1]
        flags = incompat | (1 if signing else 0)
        frame = bytes([0xFD, len(body), flags, 0, self.seq, self.sysid, self.compid]) + struct.pack("<I", msgid)[:3] + body
        extra = crc_extra if crc_extra is not None else self.dialect[msgid][1]
        frame += struct.pack("<H", crc16(bytes([extra]), crc16(frame[1:])))
        if signing:
            key, link, timestamp = signing
            frame += bytes([link]) + struct.pack("<Q", timestamp)[:6]
            frame += hashlib.sha256(key + frame).digest()[:6]
        self.seq = (self.seq + 1) & 0xFF
        return frame


def tlog_records(data):
    """(8-byte timestamp, frame) pairs of a well-formed .tlog."""
    out, i = [], 0
    while i + 9 < len(data):
        stx, n = data[i + 8], data[i + 9]
        size = n + 8 if stx == 0xFE else n + 12 + (13 if data[i + 10] & 1 else 0)
        if i + 8 + size > len(data):
            break
        out.append((data[i : i + 8], data[i + 8 : i + 8 + size]))
        i += 8 + size
    return out


def pieces(records, size, count, rng):
    """`count` runs of consecutive records of about `size` bytes, from across the log."""
    out = []
    for _ in range(count):
        start = rng.randrange(max(1, len(records)))
        piece, total = [], 0
        for ts, frame in records[start:]:
            if total + 8 + len(frame) > size:
                break
            piece.append((ts, frame))
            total += 8 + len(frame)
        if piece:
            out.append(piece)
    return out


def synthetic(dialect, rng, ids, signed_share, noise):
    """A raw stream of frames for `ids`, and the same frames as (timestamp µs, frame) records."""
    senders = [Sender(dialect, 1, 1), Sender(dialect, 1, 190), Sender(dialect, 42, 7)]
    frames, sign_time = [], 1_000_000
    for msgid in ids:
        name, _, minlen, maxlen = dialect[msgid]
        s = rng.choice(senders)
        if rng.random() < 0.05:
            s.seq = (s.seq + rng.randrange(1, 5)) & 0xFF  # a gap
        payload = bytes(rng.randrange(256) if rng.random() < 0.7 else 0 for _ in range(maxlen))
        if msgid < 256 and rng.random() < 0.15:
            frames.append(s.v1(msgid, payload[:minlen]))
        elif rng.random() < signed_share:
            sign_time += rng.randrange(1, 1000)
            frames.append(s.v2(msgid, payload, signing=(KEY, rng.randrange(3), sign_time)))
        else:
            frames.append(s.v2(msgid, payload))
        if rng.random() < noise:
            frames.append(bytes(rng.choice([0xFD, 0xFE, rng.randrange(256)]) for _ in range(rng.randrange(1, 20))))
    return frames


def write(out_dir, name, data):
    data = data[:MAX_LEN]
    with open(os.path.join(out_dir, "seed-" + name), "wb") as f:
        f.write(data)


def tlog_bytes(records, big_endian=True):
    fmt = ">Q" if big_endian else "<Q"
    return b"".join(struct.pack(fmt, t) + frame for t, frame in records)


def main():
    out_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "Fuzz/corpus")
    os.makedirs(out_dir, exist_ok=True)
    rng = random.Random(20240601)
    dialect = load_dialect()

    # Real logs, cut at record boundaries; and the same frames without timestamps.
    vtol = open(os.path.join(ROOT, "SampleData/ardupilot-vtol.tlog"), "rb").read()
    records = tlog_records(vtol)
    for size, count in ((256, 12), (1024, 12), (4096, 6), (MAX_LEN, 2)):
        for k, piece in enumerate(pieces(records, size, count, rng)):
            write(out_dir, f"vtol-{size}-{k}.tlog", b"".join(ts + fr for ts, fr in piece))
            write(out_dir, f"vtol-{size}-{k}.raw", b"".join(fr for _, fr in piece))
    battery = open(os.path.join(ROOT, "SampleData/mavlink2-battery-status.tlog"), "rb").read()
    write(out_dir, "battery.tlog", battery)
    write(out_dir, "battery.raw", battery[8:])

    # Every message of the dialect, a few dozen per stream.
    ids = sorted(dialect)
    rng.shuffle(ids)
    t0 = 1_700_000_000_000_000
    for k in range(0, len(ids), 24):
        frames = synthetic(dialect, rng, ids[k : k + 24], signed_share=0.3, noise=0.1)
        n = k // 24
        write(out_dir, f"synthetic-{n}.raw", b"".join(frames))
        recs = [(t0 + 20_000 * i | rng.randrange(4), f) for i, f in enumerate(frames) if f[0] in (0xFD, 0xFE)]
        write(out_dir, f"synthetic-{n}.tlog", tlog_bytes(recs, big_endian=n % 2 == 0))

    # Signing: good, replayed, tampered, wrong key, unsigned, another link; with a boot-relative tlog clock.
    s = Sender(dialect, 1, 1)
    attitude = bytes(range(1, 29))
    good = [s.v2(30, attitude, signing=(KEY, 0, 1000 + i)) for i in range(3)]
    tampered = bytearray(s.v2(30, attitude, signing=(KEY, 0, 2000)))
    tampered[-1] ^= 1
    wrong = s.v2(30, attitude, signing=(bytes(32), 0, 2001))
    signed = good + [good[0], bytes(tampered), wrong, s.v2(30, attitude), s.v2(30, attitude, signing=(KEY, 1, 5))]
    write(out_dir, "signing.raw", b"".join(signed))
    write(out_dir, "signing.tlog", tlog_bytes([(123_456 + 10 * i, f) for i, f in enumerate(signed)]))

    # Rejections: unknown id, bad incompat flags, a false start byte with a long claimed length, bit flips.
    s = Sender(dialect, 3, 1)
    unknown = s.v2(0xABCDE, b"\1\2\3\4", crc_extra=0)
    bad_flags = s.v2(30, attitude, incompat=2)
    flipped = bytearray(s.v2(30, attitude))
    flipped[15] ^= 0x10
    tail = s.v2(30, attitude)
    noise = bytes([0x55, 0xFD, 200, 0, 0, 1, 1, 30, 0, 0, 0xFE, 255])
    write(out_dir, "rejections.raw", unknown + bad_flags + bytes(flipped) + noise + tail + unknown + tail)

    # Tiny inputs.
    for name, data in (("empty", b""), ("fd", b"\xfd"), ("fe", b"\xfe"), ("fdfe", b"\xfd\xfe" * 8), ("zeros", bytes(300))):
        write(out_dir, name, data)


if __name__ == "__main__":
    main()
