"""Cross-check: ``furrow decode`` emits exactly what pymavlink decodes.

Run::

    pip install -r Tests/CrossCheck/requirements.txt
    swift build                                   # or: FURROW_BIN=/path/to/furrow
    python3 -m pytest Tests/CrossCheck -q          # CROSSCHECK_OUT=/tmp/cc keeps the streams

What is compared
----------------
Synthetic streams (``mavlink_streams.py``, seeded) are decoded by Furrow as ``raw`` and as
``tlog`` input with::

    furrow decode --format jsonl --show-source --show-seq --input raw|tlog FILE [--signing-key HEX]

and every output line is parsed and compared with the object ``mavlogdump.py --format json``
prints for the same frame (plus ``meta.seq``), built by pymavlink itself
(``mavlink_streams.mavlogdump_object``).  Values are compared type-strictly (1 != 1.0),
order-strictly (field order, meta key order) and floats bit-exactly (-0.0 != 0.0; NaN == NaN
since JSON has no NaN payloads).  ``meta.timestamp`` is compared for tlog input only
(``tusec * 1.0e-6``).

The generator guarantees that no byte outside an intact frame starts an acceptable frame, so the
correct output is exactly the intact frames in order (``reference_objects``).  pymavlink itself
loses frames after false start bytes (it skips the claimed length of a rejected frame) and
sometimes decodes junk from inside the frames it then lands in; the summary at the end of the run
reports those numbers next to Furrow's.

Real logs (``../shared/realdata/flightlogs`` beside the repository, or $FURROW_REALDATA) are compared with the output
of ``python -m pymavlink.tools.mavlogdump --format json --no-bad-data``, parsed and as text.

Unknown message ids are the one deliberate difference: pymavlink returns them before it reads the
header, so mavlogdump shows srcSystem/srcComponent/seq 0 and the *whole frame* (header and CRC
included) as ``data``.  Furrow reports the true source and sequence and the payload bytes, which
is what a user looking for an unknown message needs; the cross-check expects exactly that
(``CROSSCHECK_UNKNOWN=header``, the default).  ``CROSSCHECK_UNKNOWN=pymavlink`` expects pymavlink's
form instead (and fails on those frames, by design).

Knobs: ``FURROW_BIN``; ``CROSSCHECK_OUT`` (keep streams); ``CROSSCHECK_UNKNOWN``.
"""
from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

import mavlink_streams as ms
from conftest import SUMMARY

# ---------------------------------------------------------------------------------------------
# MARK: - Cases
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StreamCase:
    seed: int
    frames: int
    signing: bool

    @property
    def id(self) -> str:
        return f"seed{self.seed}-{self.frames}{'-signed' if self.signing else ''}"


CASES = [
    StreamCase(1, 6000, False),
    StreamCase(2, 6000, True),
    StreamCase(3, 6000, False),
    StreamCase(4, 6000, True),
    StreamCase(5, 20000, False),
]
SIGNED_CASES = [c for c in CASES if c.signing]
INPUTS = ["raw", "tlog"]

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("FURROW_REALDATA", str(REPO.parent / "shared" / "realdata" / "flightlogs")))
REAL_LOGS = {
    "vtol": ("UAVLogViewer__vtol.tlog", 23894),
    "battery": ("pymavlink__capture.mav2.battery_status.tlog", 1),
}
UNKNOWN_MODE = os.environ.get("CROSSCHECK_UNKNOWN", "header")  # or "pymavlink"
FURROW_TIMEOUT = 600
MAX_LISTED = 12  # items of each kind spelled out in a failure message

# ---------------------------------------------------------------------------------------------
# MARK: - Streams and runs (cached per session)
# ---------------------------------------------------------------------------------------------


@dataclass
class Stream:
    case: StreamCase
    dir: Path
    manifest: dict
    raw: bytes

    def path(self, which: str) -> Path:
        return self.dir / f"stream.{which}"

    @property
    def key(self) -> Optional[bytes]:
        k = self.manifest["signingKey"]
        return bytes.fromhex(k) if k else None


_streams: dict[StreamCase, Stream] = {}


@pytest.fixture
def stream(request: pytest.FixtureRequest, stream_root: Path) -> Stream:
    case: StreamCase = request.param
    if case not in _streams:
        d = stream_root / case.id
        manifest = ms.write_stream(case.seed, case.frames, str(d), case.signing)
        _streams[case] = Stream(case, d, manifest, (d / "stream.raw").read_bytes())
    return _streams[case]


@dataclass
class FurrowRun:
    argv: list[str]
    lines: list[str]
    objects: list[dict]
    stderr: str

    @property
    def stats(self) -> dict:
        tail = [ln for ln in self.stderr.splitlines() if ln.strip()]
        assert tail, f"--stats-json given but stderr is empty ({self.cmd})"
        try:
            return json.loads(tail[-1])
        except json.JSONDecodeError as exc:
            raise AssertionError(f"last stderr line is not JSON ({exc}): {tail[-1]!r}") from None

    @property
    def cmd(self) -> str:
        return " ".join(self.argv)


_runs: dict[tuple, FurrowRun] = {}


def run_furrow(binary: Path, path: Path, input: str, *, key: Optional[bytes] = None,
               types: Optional[str] = None, stats: bool = False,
               show: tuple[str, ...] = ("source", "seq")) -> FurrowRun:
    """Run ``furrow decode`` once per distinct argument list; fail on a non-zero exit.

    ``show``: which of ``--show-source`` / ``--show-seq`` to pass.
    """
    argv = [str(binary), "decode", "--format", "jsonl"]
    argv += [f"--show-{s}" for s in show]
    argv += ["--input", input, str(path)]
    if key is not None:
        argv += ["--signing-key", key.hex()]
    if types is not None:
        argv += ["--types", types]
    if stats:
        argv += ["--stats-json"]
    cache_key = tuple(argv)
    if cache_key in _runs:
        return _runs[cache_key]
    proc = subprocess.run(argv, capture_output=True, timeout=FURROW_TIMEOUT)
    stderr = proc.stderr.decode(errors="replace")
    if proc.returncode != 0:
        pytest.fail(f"`{' '.join(argv)}` exited with {proc.returncode}\n"
                    f"stderr (tail):\n{stderr[-3000:]}", pytrace=False)
    lines = proc.stdout.decode("utf-8", errors="strict").splitlines()
    objects = []
    for n, line in enumerate(lines, 1):
        try:
            objects.append(json.loads(line))
        except json.JSONDecodeError as exc:
            pytest.fail(f"`{' '.join(argv)}`: stdout line {n} is not JSON ({exc}): {line[:300]!r}",
                        pytrace=False)
    run = FurrowRun(argv, lines, objects, stderr)
    _runs[cache_key] = run
    return run


# ---------------------------------------------------------------------------------------------
# MARK: - Comparison helpers
# ---------------------------------------------------------------------------------------------


def canon(v: Any) -> Any:
    """Hashable, type-strict, order-strict form; floats by bit pattern, all NaNs equal."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", "nan") if math.isnan(v) else ("f", struct.pack("<d", v))
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, list):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("d", tuple((k, canon(x)) for k, x in v.items()))
    if v is None:
        return ("n",)
    raise TypeError(f"unexpected JSON value {v!r}")


def strip_timestamp(obj: dict) -> dict:
    """Raw input has no time base: drop meta.timestamp before comparing."""
    meta = {k: v for k, v in obj.get("meta", {}).items() if k != "timestamp"}
    return {**obj, "meta": meta}


def header_key(obj: dict) -> Any:
    """What identifies a frame for alignment: meta without the timestamp."""
    meta = obj.get("meta", {}) if isinstance(obj, dict) else {}
    return canon({k: v for k, v in meta.items() if k != "timestamp"})


def show(v: Any) -> str:
    if isinstance(v, float):
        return f"{v!r} [bits {struct.pack('>d', v).hex()}]"
    if isinstance(v, list):
        return show_list(v)
    s = repr(v)
    return s if len(s) <= 160 else s[:157] + "..."


def show_list(v: list) -> str:
    s = repr(v)
    return s if len(s) <= 160 else f"[{len(v)} items] " + s[:140] + "..."


def field_diffs(exp: dict, got: dict) -> list[tuple[str, str]]:
    """(path, description) for every difference between two output objects."""
    out: list[tuple[str, str]] = []
    if list(got) != ["meta", "data"]:
        out.append(("<top>", f"keys {list(got)} (expected ['meta', 'data'])"))
    for part in ("meta", "data"):
        e, g = exp.get(part, {}), got.get(part, {})
        if not isinstance(g, dict):
            out.append((part, f"not an object: {show(g)}"))
            continue
        if list(e) != list(g):
            missing = [k for k in e if k not in g]
            extra = [k for k in g if k not in e]
            what = f"missing {missing} " if missing else ""
            what += f"unexpected {extra} " if extra else ""
            if not missing and not extra:
                what = f"order {list(g)} (expected {list(e)})"
            out.append((f"{part}.<keys>", what.strip()))
        for k, ev in e.items():
            if k not in g or canon(ev) == canon(g[k]):
                continue
            gv = g[k]
            if isinstance(ev, list) and isinstance(gv, list) and len(ev) == len(gv):
                i = next(i for i, (a, b) in enumerate(zip(ev, gv)) if canon(a) != canon(b))
                out.append((f"{part}.{k}", f"[{i}] expected {show(ev[i])}, got {show(gv[i])}"))
            else:
                out.append((f"{part}.{k}", f"expected {show(ev)}, got {show(gv)}"))
    return out


@dataclass
class Alignment:
    pairs: list[tuple[int, int]]  # (expected index, got index) with equal headers
    missing: list[int]  # expected indices Furrow did not emit
    extra: list[int]  # Furrow indices not in the expectation


def align(expected: list[dict], got: list[dict], window: int = 64, key=header_key) -> Alignment:
    """Greedy order-preserving alignment on ``key`` (default: frame headers: type, source, seq)."""
    ek = [key(o) for o in expected]
    gk = [key(o) for o in got]
    pairs, missing, extra = [], [], []
    i = j = 0
    while i < len(ek) and j < len(gk):
        if ek[i] == gk[j]:
            pairs.append((i, j))
            i += 1
            j += 1
            continue
        skip_e = next((d for d in range(1, window) if i + d < len(ek) and ek[i + d] == gk[j]), None)
        skip_g = next((d for d in range(1, window) if j + d < len(gk) and gk[j + d] == ek[i]), None)
        if skip_e is not None and (skip_g is None or skip_e <= skip_g):
            missing.extend(range(i, i + skip_e))
            i += skip_e
        elif skip_g is not None:
            extra.extend(range(j, j + skip_g))
            j += skip_g
        else:
            missing.append(i)
            extra.append(j)
            i += 1
            j += 1
    missing.extend(range(i, len(ek)))
    extra.extend(range(j, len(gk)))
    return Alignment(pairs, missing, extra)


def reference(stream: Stream, which: str, key: Optional[bytes] = None) -> list[tuple[dict, dict]]:
    """(manifest entry, expected object) for every frame a correct decoder emits."""
    ref = ms.reference_objects(stream.raw, stream.manifest, which, key=key)
    if UNKNOWN_MODE == "header" and key is not None:
        # pymavlink returns unknown ids before its signature check, so with a key it still passes
        # unsigned, tampered and replayed ones. Furrow applies the signing policy to every frame (a
        # signature does not need CRC_EXTRA): such unknown-id frames are rejected like any other.
        def verifiable(e: dict) -> bool:
            return e["signed"] and e["sigValid"] is not False and e["replayOf"] is None
        ref = [(e, o) for e, o in ref if not e["type"].startswith("UNKNOWN_") or verifiable(e)]
    if UNKNOWN_MODE == "header":
        for entry, obj in ref:
            if entry["type"].startswith("UNKNOWN_"):
                frame = stream.raw[entry["raw"]["offset"]: entry["raw"]["offset"] + entry["raw"]["length"]]
                hdr = 10 if frame[0] == ms.STX_V2 else 6
                obj["meta"].update(srcSystem=entry["srcSystem"], srcComponent=entry["srcComponent"],
                                   seq=entry["seq"])
                obj["data"]["data"] = list(frame[hdr: hdr + frame[1]])
    return ref


def frame_context(stream: Stream, which: str, entry: dict) -> str:
    """Where a frame is, and what noise or corrupt frame precedes it (why it may be hard)."""
    off = entry[which]["offset"]
    before = []
    frames = stream.manifest["frames"]
    for e in frames[max(0, entry["index"] - 3): entry["index"]]:
        if not e["intact"]:
            before.append(f"{e['corruption']} frame #{e['index']} @{e[which]['offset']}")
    for n in stream.manifest["noise"]:
        if n["file"] == which and off - 600 <= n["offset"] < off:
            before.append(f"noise {n['kind']} @{n['offset']}+{n['length']}")
    extra = f"; preceded by {', '.join(before)}" if before else ""
    return (f"#{entry['index']} {entry['type']} v{entry['version']} sys={entry['srcSystem']} "
            f"comp={entry['srcComponent']} seq={entry['seq']} variant={entry['variant']} "
            f"@{which} offset {off} len {entry[which]['length']}{extra}")


def compare(stream: Stream, which: str, ref: list[tuple[dict, dict]], run: FurrowRun,
            title: str) -> tuple[Alignment, list[str]]:
    """Compare Furrow's objects with the reference; return the alignment and failure text."""
    expected = [o if which == "tlog" else strip_timestamp(o) for _, o in ref]
    got = [o if which == "tlog" else strip_timestamp(o) for o in run.objects]
    al = align(expected, got)
    mismatched = []
    for i, j in al.pairs:
        if canon(expected[i]) != canon(got[j]):
            mismatched.append((i, j, field_diffs(expected[i], got[j])))
    problems = []
    if al.missing:
        problems.append(f"{len(al.missing)} intact frames NOT emitted by Furrow (of {len(ref)}):")
        by_type = Counter(ref[i][0]["type"] for i in al.missing)
        problems.append(f"  by type: {dict(by_type.most_common(15))}")
        for i in al.missing[:MAX_LISTED]:
            problems.append("  - " + frame_context(stream, which, ref[i][0]))
    if al.extra:
        problems.append(f"{len(al.extra)} Furrow lines match no intact frame "
                        f"(the generator guarantees none can be decoded from noise):")
        for j in al.extra[:MAX_LISTED]:
            problems.append(f"  - line {j + 1}: {run.lines[j][:240]}")
    if mismatched:
        per_field = Counter()
        for i, _, diffs in mismatched:
            for path, _ in diffs:
                per_field[(ref[i][0]["type"] if path.startswith("data") else "*", path)] += 1
        problems.append(f"{len(mismatched)} frames decoded differently; by (type, field): "
                        f"{dict(per_field.most_common(25))}")
        for i, j, diffs in mismatched[:MAX_LISTED]:
            problems.append("  - " + frame_context(stream, which, ref[i][0]) + f" -> line {j + 1}")
            for path, what in diffs[:6]:
                problems.append(f"      {path}: {what}")
    if problems:
        problems.insert(0, f"{title}: `{run.cmd}`")
    return al, problems


# ---------------------------------------------------------------------------------------------
# MARK: - Synthetic streams
# ---------------------------------------------------------------------------------------------

CASE_PARAMS = [pytest.param(c, id=c.id) for c in CASES]
SIGNED_PARAMS = [pytest.param(c, id=c.id) for c in SIGNED_CASES]


@pytest.mark.parametrize("stream", CASE_PARAMS, indirect=True)
def test_generator_self_check(stream: Stream) -> None:
    """The generated files decode (with pymavlink) to what the manifest says; all types occur."""
    problems = ms.self_check(str(stream.dir))
    assert not problems, "\n".join(problems[:40])
    counts = stream.manifest["counts"]
    assert counts["typesIntact"] == len(ms.SPECS)
    for k in ("v1", "bitflip", "truncated", "incompat", "unknownIds", "untruncated", "emptyPayload"):
        assert counts[k] > 0, f"stream has no {k} frames: {counts}"
    if stream.case.signing:
        assert counts["signed"] and counts["badSignature"] and counts["replays"], counts


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", CASE_PARAMS, indirect=True)
def test_decode_matches_reference(stream: Stream, which: str, furrow_bin: Path) -> None:
    """Furrow emits every intact frame, in order, decoded exactly like pymavlink, and nothing else."""
    ref = reference(stream, which)
    run = run_furrow(furrow_bin, stream.path(which), which)
    al, problems = compare(stream, which, ref, run, f"{stream.case.id} {which}")
    SUMMARY.append(f"{stream.case.id:<24} {which:<4} intact {len(ref):>6}  Furrow emitted "
                   f"{len(run.objects):>6} (missing {len(al.missing)}, extra {len(al.extra)})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", CASE_PARAMS, indirect=True)
def test_pymavlink_frames_are_emitted(stream: Stream, which: str, furrow_bin: Path) -> None:
    """Every frame pymavlink decodes from the noisy file is emitted by Furrow, same order, same value.

    pymavlink's own losses (after false starts) and junk (decoded from inside intact frames it
    skipped into) are reported in the summary, not failed on.
    """
    path = stream.path(which)
    if which == "raw":
        decoded = ms.pymavlink_decode(stream.raw)
    else:
        decoded = ms.pymavlink_decode_tlog(str(path))
    ref = reference(stream, which)
    by_offset = {e[which]["offset"]: n for n, (e, _) in enumerate(ref)}
    good = [(by_offset[off], m) for off, m in decoded if off in by_offset]
    junk = [m for off, m in decoded if off not in by_offset]

    run = run_furrow(furrow_bin, path, which)
    expected = [o if which == "tlog" else strip_timestamp(o) for _, o in ref]
    got = [o if which == "tlog" else strip_timestamp(o) for o in run.objects]
    al = align(expected, got)
    furrow_index = dict(al.pairs)  # reference index -> Furrow line index

    problems, last, wrong_ts = [], -1, 0
    for n, m in good:
        e = ref[n][0]
        ts = getattr(m, "_timestamp", 0.0) if which == "tlog" else 0.0
        if which == "tlog" and ts != e["tlog"]["tusec"] * 1.0e-6:
            wrong_ts += 1  # pymavlink mis-attributed the record time (after garbage)
            ts = e["tlog"]["tusec"] * 1.0e-6
        want = ms.mavlogdump_object(m, ts)
        if UNKNOWN_MODE == "header" and e["type"].startswith("UNKNOWN_"):
            want = ref[n][1]
        want = want if which == "tlog" else strip_timestamp(want)
        if n not in furrow_index:
            problems.append("not emitted: " + frame_context(stream, which, e))
            continue
        j = furrow_index[n]
        if j <= last:
            problems.append(f"out of order: {frame_context(stream, which, e)} at line {j + 1}")
        last = j
        if canon(want) != canon(got[j]):
            diffs = "; ".join(f"{p}: {w}" for p, w in field_diffs(want, got[j])[:4])
            problems.append(f"differs: {frame_context(stream, which, e)} -> line {j + 1}: {diffs}")

    SUMMARY.append(
        f"{stream.case.id:<24} {which:<4} intact {len(ref):>6}  pymavlink decoded {len(good):>6} "
        f"(lost {len(ref) - len(good)}, junk {len(junk)}"
        + (f", wrong timestamps {wrong_ts}" if which == "tlog" else "")
        + f")  Furrow emitted {len(al.pairs):>6} of them")
    assert not problems, (f"{len(problems)} of {len(good)} pymavlink-decoded frames not matched "
                          f"by `{run.cmd}`:\n" + "\n".join(problems[:MAX_LISTED * 2]))


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", CASE_PARAMS, indirect=True)
def test_stats_counters(stream: Stream, which: str, furrow_bin: Path) -> None:
    """``--stats-json``: the last stderr line holds counters consistent with the stream."""
    run = run_furrow(furrow_bin, stream.path(which), which, stats=True)
    stats = run.stats
    required = ["bytes", "frames", "crcFailures", "unknownIds", "bytesSkipped", "incompatRejected"]
    missing = [k for k in required if k not in stats]
    assert not missing, f"stats lack {missing}: {stats}"
    counts = stream.manifest["counts"]
    size = stream.manifest["files"][which]["size"]
    problems = []
    if stats["bytes"] != size:
        problems.append(f"bytes {stats['bytes']} != file size {size}")
    if stats["frames"] != len(run.objects):
        problems.append(f"frames {stats['frames']} != {len(run.objects)} JSON lines")
    if counts["bitflip"] and not stats["crcFailures"] > 0:
        problems.append(f"crcFailures {stats['crcFailures']} but {counts['bitflip']} bit-flipped frames")
    if stats["unknownIds"] < counts["unknownIds"]:
        problems.append(f"unknownIds {stats['unknownIds']} < {counts['unknownIds']} unknown-id frames")
    if counts["incompat"] and not stats["incompatRejected"] > 0:
        problems.append(f"incompatRejected {stats['incompatRejected']} but {counts['incompat']} "
                        "frames carry undefined incompat flags")
    if not stats["bytesSkipped"] > 0:
        problems.append(f"bytesSkipped {stats['bytesSkipped']} but the stream has noise")
    if stats["bytesSkipped"] > size:
        problems.append(f"bytesSkipped {stats['bytesSkipped']} > file size {size}")
    assert not problems, f"`{run.cmd}` stats {stats}:\n" + "\n".join(problems)


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", SIGNED_PARAMS, indirect=True)
def test_signing_key(stream: Stream, which: str, furrow_bin: Path) -> None:
    """With ``--signing-key`` Furrow keeps exactly the frames pymavlink accepts with that key.

    pymavlink (secret key set, no allow-unsigned callback, initial timestamp 0) drops unsigned
    frames (v1 too), bad signatures and replays (timestamp not newer than the stream's last),
    and still passes unknown message ids (it returns them before checking anything); Furrow
    checks those too (see ``reference``).
    """
    key = stream.key
    ref = reference(stream, which, key=key)
    run = run_furrow(furrow_bin, stream.path(which), which, key=key)
    al, problems = compare(stream, which, ref, run, f"{stream.case.id} {which} with key")
    intact = stream.manifest["counts"]["intact"]
    SUMMARY.append(f"{stream.case.id:<24} {which:<4} with key: pymavlink accepts {len(ref)} of "
                   f"{intact} intact; Furrow emitted {len(run.objects)} (missing "
                   f"{len(al.missing)}, extra {len(al.extra)})")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", [pytest.param(CASES[0], id=CASES[0].id)], indirect=True)
def test_types_filter_synthetic(stream: Stream, which: str, furrow_bin: Path) -> None:
    """``--types HEARTBEAT,ATTITUDE`` keeps exactly those frames."""
    wanted = {"HEARTBEAT", "ATTITUDE"}
    ref = [(e, o) for e, o in reference(stream, which) if o["meta"]["type"] in wanted]
    assert ref, "stream has no HEARTBEAT/ATTITUDE frames"
    run = run_furrow(furrow_bin, stream.path(which), which, types="HEARTBEAT,ATTITUDE")
    _, problems = compare(stream, which, ref, run, f"{stream.case.id} {which} --types")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# MARK: - Real logs against mavlogdump
# ---------------------------------------------------------------------------------------------

_dumps: dict[tuple, list[str]] = {}


def mavlogdump(path: Path, *extra: str) -> list[str]:
    """Lines of ``mavlogdump.py --format json --no-bad-data`` (run as a module of this Python)."""
    key = (str(path), extra)
    if key not in _dumps:
        argv = [sys.executable, "-m", "pymavlink.tools.mavlogdump", "--format", "json",
                "--no-bad-data", *extra, str(path)]
        proc = subprocess.run(argv, capture_output=True, timeout=600, env={**os.environ, "MAVLINK20": "1"})
        assert proc.returncode == 0, f"mavlogdump failed: {proc.stderr.decode()[-2000:]}"
        _dumps[key] = proc.stdout.decode().splitlines()
    return _dumps[key]


def real_log(name: str) -> Path:
    path = REALDATA / REAL_LOGS[name][0]
    if not path.is_file():
        pytest.fail(f"real log missing: {path} (set FURROW_REALDATA)", pytrace=False)
    return path


def compare_with_mavlogdump(dump: list[str], run: FurrowRun) -> list[str]:
    """Align on whole objects (without --show-seq the header is too weak to align on), then
    pair leftover lines of the same type in order to show field-level differences."""
    expected = [json.loads(ln) for ln in dump]
    al = align(expected, run.objects, key=canon)
    leftovers_e = {}
    for i in al.missing:
        leftovers_e.setdefault(expected[i]["meta"]["type"], []).append(i)
    pairs, missing, extra = list(al.pairs), [], []
    for j in al.extra:
        t = run.objects[j].get("meta", {}).get("type")
        if leftovers_e.get(t):
            pairs.append((leftovers_e[t].pop(0), j))
        else:
            extra.append(j)
    missing = sorted(i for v in leftovers_e.values() for i in v)
    pairs.sort()
    al = Alignment(pairs, missing, extra)
    problems = []
    exp_counts = Counter(o["meta"]["type"] for o in expected)
    got_counts = Counter(o.get("meta", {}).get("type") for o in run.objects)
    if exp_counts != got_counts:
        diff = {t: (exp_counts[t], got_counts[t]) for t in exp_counts | got_counts
                if exp_counts[t] != got_counts[t]}
        problems.append(f"per-type counts differ (type: (mavlogdump, Furrow)): {diff}")
    for i in al.missing[:MAX_LISTED]:
        problems.append(f"missing: mavlogdump line {i + 1}: {dump[i][:200]}")
    for j in al.extra[:MAX_LISTED]:
        problems.append(f"extra: Furrow line {j + 1}: {run.lines[j][:200]}")
    mism = [(i, j) for i, j in al.pairs if canon(expected[i]) != canon(run.objects[j])]
    if mism:
        per_field = Counter(f"{expected[i]['meta']['type']}:{p}" for i, j in mism
                            for p, _ in field_diffs(expected[i], run.objects[j]))
        problems.append(f"{len(mism)} lines differ; by type:field {dict(per_field.most_common(20))}")
        for i, j in mism[:MAX_LISTED]:
            diffs = "; ".join(f"{p}: {w}" for p, w in field_diffs(expected[i], run.objects[j])[:4])
            problems.append(f"  line {i + 1} ({expected[i]['meta']['type']}): {diffs}")
    if al.missing or al.extra:
        problems.insert(0, f"{len(al.missing)} mavlogdump lines missing, {len(al.extra)} extra")
    return problems


@pytest.mark.parametrize("show_source", [False, True], ids=["plain", "show-source"])
@pytest.mark.parametrize("name", list(REAL_LOGS))
def test_real_log_matches_mavlogdump(name: str, show_source: bool, furrow_bin: Path) -> None:
    """Per-type counts and every parsed line (meta incl. timestamp, data) equal mavlogdump's."""
    path = real_log(name)
    dump = mavlogdump(path, *(["--show-source"] if show_source else []))
    assert len(dump) == REAL_LOGS[name][1], f"mavlogdump gives {len(dump)} lines"
    run = run_furrow(furrow_bin, path, "tlog", show=("source",) if show_source else ())
    problems = compare_with_mavlogdump(dump, run)
    assert not problems, f"`{run.cmd}` vs mavlogdump:\n" + "\n".join(problems)


@pytest.mark.parametrize("name", list(REAL_LOGS))
def test_real_log_text_identical(name: str, furrow_bin: Path) -> None:
    """Byte-identical lines: same separators, escapes and float spelling as Python's json.dumps."""
    path = real_log(name)
    dump = mavlogdump(path)
    run = run_furrow(furrow_bin, path, "tlog", show=())
    diffs = [(n, a, b) for n, (a, b) in enumerate(zip(dump, run.lines), 1) if a != b]
    if len(dump) != len(run.lines):
        diffs.append((min(len(dump), len(run.lines)) + 1, f"<{len(dump)} lines>", f"<{len(run.lines)} lines>"))
    msg = []
    for n, a, b in diffs[:8]:
        col = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        lo = max(0, col - 60)
        msg.append(f"line {n}, column {col}:\n  mavlogdump: ...{a[lo:col + 60]}\n"
                   f"  furrow:     ...{b[lo:col + 60]}")
    assert not diffs, f"{len(diffs)} lines differ textually from mavlogdump:\n" + "\n".join(msg)


@pytest.mark.parametrize("which", INPUTS)
@pytest.mark.parametrize("stream", [pytest.param(CASES[0], id=CASES[0].id)], indirect=True)
def test_text_identical_synthetic(stream: Stream, which: str, furrow_bin: Path) -> None:
    """Each line is byte-identical to ``json.dumps`` of the reference object (mavlogdump's writer).

    Synthetic frames cover every field type and the awkward values (NaN, +-inf, -0.0, subnormals,
    1e16 vs 1e+16, float32 widened to double, escapes in strings).
    """
    ref = reference(stream, which)
    run = run_furrow(furrow_bin, stream.path(which), which)
    expected = [o if which == "tlog" else strip_timestamp(o) for _, o in ref]
    got = [o if which == "tlog" else strip_timestamp(o) for o in run.objects]
    al = align(expected, got)
    diffs = []
    for i, j in al.pairs:
        want = json.dumps(ref[i][1])
        if which == "raw":  # Furrow's raw timestamp is not compared: splice its own in
            want = json.dumps({**ref[i][1], "meta": {**ref[i][1]["meta"],
                                                     "timestamp": run.objects[j]["meta"].get("timestamp")}})
        if want != run.lines[j]:
            diffs.append((ref[i][0], want, run.lines[j]))
    msg = []
    for e, a, b in diffs[:MAX_LISTED]:
        col = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        lo = max(0, col - 50)
        msg.append(f"{e['type']} #{e['index']} column {col}:\n  json.dumps: ...{a[lo:col + 70]}\n"
                   f"  furrow:     ...{b[lo:col + 70]}")
    assert not diffs, (f"{len(diffs)} of {len(al.pairs)} lines differ textually from json.dumps "
                       f"(`{run.cmd}`):\n" + "\n".join(msg))


@pytest.mark.parametrize("types", ["HEARTBEAT,ATTITUDE", "GPS*,*_STATUS"])
def test_real_log_types_filter(types: str, furrow_bin: Path) -> None:
    """``--types`` selects like ``mavlogdump --types`` (comma list, fnmatch wildcards)."""
    path = real_log("vtol")
    dump = mavlogdump(path, "--types", types)
    assert dump, f"mavlogdump --types {types} selects nothing"
    argv_run = run_furrow(furrow_bin, path, "tlog", types=types, show=())
    problems = compare_with_mavlogdump(dump, argv_run)
    assert not problems, f"`{argv_run.cmd}` vs mavlogdump --types {types}:\n" + "\n".join(problems)
