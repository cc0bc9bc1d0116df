#!/usr/bin/env python3
"""Flight-log parse speed: `furrow decode --format none` vs pymavlink DFReader and pyulog, same files, same run.

Builds (and caches in <repo>/bench-data/logs/, git-ignored) a ~100 MB ArduPilot DataFlash .bin and a ~100 MB PX4 .ulg from the
real sample logs in ../shared/realdata/flightlogs: the first copy of each log is kept whole (formats, units,
parameters, subscriptions), then its data records are repeated with timestamps shifted past the previous
copy, so time never goes back. Then times, on the same files:

* Furrow: `furrow decode --format none --stats-json FILE` (release build): every message parsed and put
  into columnar batches, nothing printed; best of --rounds runs, wall clock and process CPU time.
* pymavlink 2.4.50 DFReader: `DFReader_binary(path)` then `recv_msg()` until the end (every message
  parsed into a DFMessage and its fields read with `to_dict()`).
* pyulog 1.3.0: `ULog(path)` (full load into numpy arrays).

Prints MB/s (10^6 bytes per second) and the ratios. Usage from the repository root:

    .venv/bin/python Benchmarks/harness/logs.py [--build-furrow] [--size-mb 100] [--rounds 3]
"""
from __future__ import annotations

import argparse
import json
import os
import resource
import struct
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
REALDATA = Path(os.environ.get("FURROW_REALDATA", str(REPO.parent / "shared" / "realdata" / "flightlogs")))
DATA = REPO / "bench-data" / "logs"

# ----------------------------------------------------------------------------------------------
# DataFlash
# ----------------------------------------------------------------------------------------------

DF_SIZES = {"b": 1, "B": 1, "M": 1, "h": 2, "H": 2, "c": 2, "C": 2, "g": 2, "i": 4, "I": 4, "e": 4, "E": 4,
            "L": 4, "f": 4, "q": 8, "Q": 8, "d": 8, "n": 4, "N": 16, "Z": 64, "a": 64}


def dataflash_records(data: bytes) -> list[tuple[int, int, bool]]:
    """(offset, length, has_leading_TimeUS) per whole record of an intact-up-to-the-cut log."""
    lengths = {0x80: 89}
    timed = {0x80: False}
    out, i = [], 0
    while i + 3 <= len(data):
        if data[i] != 0xA3 or data[i + 1] != 0x95 or data[i + 2] not in lengths:
            i += 1
            continue
        t = data[i + 2]
        n = lengths[t]
        if i + n > len(data):
            break
        if t == 0x80:
            ftype, flen = data[i + 3], data[i + 4]
            fmt = data[i + 9:i + 25].split(b"\0")[0].decode()
            cols = data[i + 25:i + 89].split(b"\0")[0].decode().split(",")
            lengths[ftype] = flen
            timed[ftype] = fmt[:1] == "Q" and cols[:1] == ["TimeUS"]
        out.append((i, n, timed[t]))
        i += n
    return out


def build_bin(src: Path, dst: Path, size: int) -> None:
    data = src.read_bytes()
    recs = dataflash_records(data)
    first = bytearray(data[: recs[-1][0] + recs[-1][1]])
    times = [struct.unpack_from("<Q", data, o + 3)[0] for o, n, timed in recs if timed]
    span = max(times) - min(times) + 1000
    # Repeat the data records only: FMT, FMTU, UNIT, MULT and PARM come once at the start of a real log
    # (the sample is 47 % PARM because it is the first 64 KiB of a flight).
    names = {}
    for o, n, _ in recs:
        if data[o + 2] == 0x80:
            names[data[o + 3]] = data[o + 5:o + 9].split(b"\0")[0].decode()
    meta = {"FMT", "FMTU", "UNIT", "MULT", "PARM"}
    repeat = [(o, n, timed) for o, n, timed in recs if names.get(data[o + 2], "FMT") not in meta]
    with open(dst, "wb") as f:
        f.write(first)
        written, k = len(first), 1
        while written < size:
            chunk = bytearray()
            for o, n, timed in repeat:
                rec = bytearray(data[o:o + n])
                if timed:
                    struct.pack_into("<Q", rec, 3, struct.unpack_from("<Q", rec, 3)[0] + k * span)
                chunk += rec
            f.write(chunk)
            written += len(chunk)
            k += 1

# ----------------------------------------------------------------------------------------------
# ULog
# ----------------------------------------------------------------------------------------------

UL_SIZES = {"int8_t": 1, "uint8_t": 1, "int16_t": 2, "uint16_t": 2, "int32_t": 4, "uint32_t": 4, "int64_t": 8,
            "uint64_t": 8, "float": 4, "double": 8, "bool": 1, "char": 1}


def ulog_timestamp_offset(name: str, formats: dict) -> int | None:
    at = 0
    for typ, field in formats[name]:
        base, _, count = typ.partition("[")
        n = int(count[:-1]) if count else 1
        if field == "timestamp" and base == "uint64_t" and not count:
            return at
        at += n * (UL_SIZES[base] if base in UL_SIZES else ulog_size(base, formats))
    return None


def ulog_size(name: str, formats: dict) -> int:
    total = 0
    for typ, _ in formats[name]:
        base, _, count = typ.partition("[")
        n = int(count[:-1]) if count else 1
        total += n * (UL_SIZES[base] if base in UL_SIZES else ulog_size(base, formats))
    return total


def build_ulg(src: Path, dst: Path, size: int) -> None:
    data = src.read_bytes()
    formats, ts_off, data_msgs = {}, {}, []
    i, lo, hi = 16, None, 0
    while i + 3 <= len(data):
        n, t = struct.unpack_from("<HB", data, i)
        body = data[i + 3:i + 3 + n]
        if t == ord("F"):
            name, _, rest = body.decode().partition(":")
            formats[name] = [tuple(p.split(" ")) for p in rest.split(";") if p]
        elif t == ord("A"):
            msg_id = struct.unpack_from("<H", body, 1)[0]
            ts_off[msg_id] = ulog_timestamp_offset(body[3:].decode(), formats)
        elif t == ord("D"):
            msg_id = struct.unpack_from("<H", body)[0]
            off = ts_off.get(msg_id)
            data_msgs.append((i, n, off))
            if off is not None:
                ts = struct.unpack_from("<Q", body, 2 + off)[0]
                lo = ts if lo is None else min(lo, ts)
                hi = max(hi, ts)
        i += 3 + n
    span = hi - lo + 1000
    with open(dst, "wb") as f:
        f.write(data)
        written, k = len(data), 1
        while written < size:
            chunk = bytearray()
            for o, n, off in data_msgs:
                rec = bytearray(data[o:o + 3 + n])
                if off is not None:
                    p = 3 + 2 + off
                    struct.pack_into("<Q", rec, p, struct.unpack_from("<Q", rec, p)[0] + k * span)
                chunk += rec
            f.write(chunk)
            written += len(chunk)
            k += 1

# ----------------------------------------------------------------------------------------------
# Timing
# ----------------------------------------------------------------------------------------------


def time_furrow(binary: Path, path: Path, rounds: int) -> dict:
    best = None
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        # Peak RSS from /usr/bin/time: RUSAGE_CHILDREN's maxrss would count the Python parent's pages a
        # forked child has before exec.
        rss_file = DATA / ".furrow-rss"
        argv = [str(binary), "decode", "--format", "none", "--stats-json", str(path)]
        if os.path.exists("/usr/bin/time"):
            argv = ["/usr/bin/time", "-f", "%M", "-o", str(rss_file)] + argv
        t0 = time.perf_counter()
        proc = subprocess.run(argv, capture_output=True, check=True)
        wall = time.perf_counter() - t0
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        stats = json.loads(proc.stderr.decode().strip().splitlines()[-1])
        rss = int(rss_file.read_text().split()[-1]) if rss_file.exists() else 0
        run = {"wall": wall, "cpu": cpu, "stats": stats, "maxrss_kb": rss}
        if best is None or wall < best["wall"]:
            best = run
    return best


def time_dfreader(path: Path) -> dict:
    from pymavlink import DFReader
    t0, c0 = time.perf_counter(), time.process_time()
    reader = DFReader.DFReader_binary(str(path))
    n = 0
    while True:
        m = reader.recv_msg()
        if m is None:
            break
        m.to_dict()
        n += 1
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "messages": n}


def time_pyulog(path: Path) -> dict:
    from pyulog import ULog
    t0, c0 = time.perf_counter(), time.process_time()
    ulog = ULog(str(path))
    n = sum(len(d.data["timestamp"]) for d in ulog.data_list)
    return {"wall": time.perf_counter() - t0, "cpu": time.process_time() - c0, "messages": n}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=100.0, help="size of each generated log (10^6 B)")
    ap.add_argument("--rounds", type=int, default=3, help="Furrow runs per file (best wall time kept)")
    ap.add_argument("--build-furrow", action="store_true", help="swift build -c release --product furrow first")
    ap.add_argument("--furrow-bin", default=str(REPO / ".build" / "release" / "furrow"))
    ap.add_argument("--no-peers", action="store_true", help="time Furrow only")
    ap.add_argument("--only", choices=["bin", "ulg"], help="one format only")
    args = ap.parse_args()

    if args.build_furrow:
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    DATA.mkdir(parents=True, exist_ok=True)
    size = int(args.size_mb * 1e6)
    files = {
        "bin": (DATA / f"flight-{args.size_mb:g}mb.bin", REALDATA / "pymavlink__test.BIN", build_bin, time_dfreader, "DFReader"),
        "ulg": (DATA / f"flight-{args.size_mb:g}mb.ulg", REALDATA / "pyulog__sample.ulg", build_ulg, time_pyulog, "pyulog"),
    }
    rows = []
    for kind, (path, src, build, peer, peer_name) in files.items():
        if args.only and kind != args.only:
            continue
        if not path.exists():
            print(f"building {path} from {src.name} ...", flush=True)
            build(src, path, size)
        nbytes = path.stat().st_size
        furrow = time_furrow(Path(args.furrow_bin), path, args.rounds)
        msgs = furrow["stats"].get("messages")
        print(f"{kind}: {nbytes / 1e6:.1f} MB, furrow {furrow['wall']:.3f} s wall, {furrow['cpu']:.3f} s CPU, "
              f"{nbytes / furrow['wall'] / 1e6:.0f} MB/s, {msgs} messages, "
              f"{furrow['stats'].get('batchedRows')} rows batched, max RSS {furrow['maxrss_kb'] / 1024:.0f} MiB", flush=True)
        row = {"kind": kind, "bytes": nbytes, "furrow": furrow}
        if not args.no_peers:
            p = peer(path)
            print(f"{kind}: {peer_name} {p['wall']:.1f} s wall, {p['cpu']:.1f} s CPU, {nbytes / p['wall'] / 1e6:.2f} MB/s, "
                  f"{p['messages']} messages -> Furrow is {p['wall'] / furrow['wall']:.1f}x faster (wall), "
                  f"{p['cpu'] / max(furrow['cpu'], 1e-9):.1f}x (CPU)", flush=True)
            row["peer"] = {"name": peer_name, **p}
        rows.append(row)
    out = DATA / f"results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(rows, indent=1))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
