"""Cross-check: ``furrow decode`` reads ArduPilot DataFlash (.bin) and PX4 ULog (.ulg) as the references do.

Run::

    pip install -r Tests/CrossCheck/requirements.txt
    swift build
    FURROW_BIN=$PWD/.build/debug/furrow python -m pytest Tests/CrossCheck/test_flightlog_crosscheck.py -q

DataFlash: every message ``furrow decode --format jsonl`` prints is compared with the message pymavlink's
``DFReader_binary(path, zero_time_base=True)`` returns for it, as ``mavlogdump.py --format json`` would
print it: same types in the same order, same field names in the same order, values type-strict and
floats bit-exact, and the same ``meta.timestamp`` (DFReader's microsecond clock with a zero time base).
Inputs: the real (truncated) ``pymavlink__test.BIN`` and synthetic logs from ``dataflash_synth.py``
(every format character, units, an instance field, PARM/MSG/EV/ERR, garbage, a cut tail) whose
skipped-byte count and cut offset the generator knows exactly.

ULog: pyulog's ``ULog(path)`` against the JSON lines: the same (topic, multi_id) data sets, the same
number of rows, every field of every row equal (floats bit-exact), and the same info, multi-info,
initial and changed parameters, defaults, logged strings and dropouts.  Truncated copies of the real
files (cut at several offsets) must import up to the cut (same rows as pyulog on the same bytes), report
the cut at the start of the message it falls in, and never crash.

Deliberate differences, not tested: DFReader reads format ``M`` as int8 (ArduPilot writes uint8;
generated modes stay below 128), and follows a redefined FMT with its old unpacker.
"""
from __future__ import annotations

import json
import math
import os
import struct
import subprocess
import sys
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest

import dataflash_synth

os.environ.setdefault("MAVLINK20", "1")
from pymavlink import DFReader  # noqa: E402
from pyulog import ULog  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
REALDATA = Path(os.environ.get("FURROW_REALDATA", str(REPO.parent / "shared" / "realdata" / "flightlogs")))


def real_log(name: str) -> Path:
    path = REALDATA / name
    if not path.is_file():
        pytest.fail(f"real log missing: {path} (set FURROW_REALDATA)", pytrace=False)
    return path


def canon(v: Any) -> Any:
    """Type-strict, order-strict, floats by bit pattern (all NaNs equal)."""
    if isinstance(v, bool):
        return ("b", v)
    if isinstance(v, int):
        return ("i", v)
    if isinstance(v, float):
        return ("f", "nan") if math.isnan(v) else ("f", struct.pack("<d", v))
    if isinstance(v, str):
        return ("s", v)
    if isinstance(v, (list, tuple)):
        return ("l", tuple(canon(x) for x in v))
    if isinstance(v, dict):
        return ("d", tuple((k, canon(x)) for k, x in v.items()))
    if v is None:
        return ("n",)
    raise TypeError(f"unexpected value {v!r}")


def run_decode(binary: Path, path: Path, *args: str) -> tuple[list[dict], dict, subprocess.CompletedProcess]:
    proc = subprocess.run([str(binary), "decode", "--stats-json", *args, str(path)],
                          capture_output=True, timeout=600)
    assert proc.returncode == 0, f"furrow decode failed ({proc.returncode}): {proc.stderr.decode()[-2000:]}"
    stats = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    lines = [json.loads(line) for line in proc.stdout.decode().splitlines()] if "--format" not in args else []
    return lines, stats, proc


# ---------------------------------------------------------------------------------------------
# MARK: - DataFlash
# ---------------------------------------------------------------------------------------------


def dfreader_objects(path: Path) -> tuple[list[dict], DFReader.DFReader_binary]:
    """What mavlogdump --format json prints for each message (DFReader with a zero time base)."""
    import array
    reader = DFReader.DFReader_binary(str(path), zero_time_base=True)
    out = []
    while True:
        m = reader.recv_msg()
        if m is None:
            break
        data = m.to_dict()
        del data["mavpackettype"]
        for k, v in data.items():
            if isinstance(v, array.array):
                data[k] = list(v)
            elif isinstance(v, bytes):
                data[k] = DFReader.to_string(v)
        out.append({"meta": {"type": m.get_type(), "timestamp": m._timestamp}, "data": data})
    return out, reader


def compare_dataflash(expected: list[dict], got: list[dict]) -> None:
    assert Counter(e["meta"]["type"] for e in got) == Counter(e["meta"]["type"] for e in expected)
    assert len(got) == len(expected)
    problems = []
    for i, (e, g) in enumerate(zip(expected, got)):
        if canon(e) != canon(g):
            problems.append(f"#{i} {e['meta']['type']}:\n  DFReader {e}\n  furrow   {g}")
            if len(problems) >= 5:
                break
    assert not problems, "\n".join(problems)


def test_dataflash_real_log_matches_dfreader(furrow_bin: Path) -> None:
    path = real_log("pymavlink__test.BIN")
    expected, reader = dfreader_objects(path)
    got, stats, _ = run_decode(furrow_bin, path)
    assert len(expected) == 1731  # as measured in research/mavlink.md: 1,731 messages, 132 FMT, 47 types
    compare_dataflash(expected, got)
    assert stats["messages"] == len(expected)
    assert stats["counts"]["FMT"] == 132 and len(stats["counts"]) == 47
    # The file is the first 64 KiB of a log: it ends inside a message, which DFReader also drops.
    size = path.stat().st_size
    assert stats["truncated"] is True
    assert stats["truncationOffset"] + stats["truncationDroppedBytes"] == size
    assert stats["truncationOffset"] == reader.offset - 3  # DFReader stepped over the cut message's header
    assert stats["parameters"] == sum(1 for e in expected if e["meta"]["type"] == "PARM")
    assert stats["events"] == sum(1 for e in expected if e["meta"]["type"] in ("MSG", "EV", "ERR"))


@pytest.mark.parametrize("seed,truncate", [(1, True), (2, False), (3, True), (4, False)])
def test_dataflash_synthetic_matches_dfreader(seed: int, truncate: bool, furrow_bin: Path, tmp_path: Path) -> None:
    path = tmp_path / f"synth{seed}.bin"
    meta = dataflash_synth.write_log(path, seed, truncate=truncate)
    expected, _ = dfreader_objects(path)
    assert len(expected) == meta["records"], "generator self-check: DFReader must see every record"
    used = set("".join(t[2] for t in dataflash_synth.TYPES))
    assert used >= set("bBhHiIqQfdgnNZcCeELMa"), "the synthetic log must use every format character"
    got, stats, _ = run_decode(furrow_bin, path)
    compare_dataflash(expected, got)
    assert stats["skippedBytes"] == meta["garbage_bytes"] + meta["cut_bytes"]
    assert stats["resyncs"] > 0
    if truncate:
        assert stats["truncated"] is True
        assert stats["truncationOffset"] == meta["cut_offset"]
        assert stats["truncationDroppedBytes"] == meta["cut_bytes"]
        assert stats["truncationMessage"] == ("ALL1" if meta["cut_bytes"] >= 3 else None)
    else:
        assert stats["truncated"] is False
    assert stats["parameters"] == sum(1 for e in expected if e["meta"]["type"] == "PARM")
    assert stats["events"] == sum(1 for e in expected if e["meta"]["type"] in ("MSG", "EV", "ERR"))

    # Columnar form: one series per instance of BAT (FMTU '#'), rows as DFReader counts them.
    _, batch_stats, _ = run_decode(furrow_bin, path, "--format", "none")
    series = batch_stats["series"]
    bat = Counter(f"BAT[{e['data']['Inst']}]" for e in expected if e["meta"]["type"] == "BAT")
    assert {k: v for k, v in series.items() if k.startswith("BAT")} == dict(bat)
    assert len(bat) == 3
    assert batch_stats["batchedRows"] == len(expected)


def test_dataflash_types_filter(furrow_bin: Path) -> None:
    path = real_log("pymavlink__test.BIN")
    got, _, _ = run_decode(furrow_bin, path, "--types", "PARM,IMU*")
    expected, _ = dfreader_objects(path)
    want = [e for e in expected if e["meta"]["type"] == "PARM" or e["meta"]["type"].startswith("IMU")]
    compare_dataflash(want, got)


# ---------------------------------------------------------------------------------------------
# MARK: - ULog
# ---------------------------------------------------------------------------------------------

ULOGS = ["pyulog__sample.ulg", "pyulog__sample_log_small.ulg"]


def py_value(v: Any) -> Any:
    """A numpy scalar as json.loads would give it back: ints as int, float32/64 as float."""
    if hasattr(v, "dtype"):
        return float(v) if v.dtype.kind == "f" else int(v)
    if isinstance(v, bytes):
        return list(v)
    return v


def furrow_ulog(furrow_bin: Path, path: Path) -> tuple[dict, dict]:
    lines, stats, _ = run_decode(furrow_bin, path)
    by_kind: dict[str, list] = defaultdict(list)
    for line in lines:
        by_kind[line["kind"]].append(line)
    return by_kind, stats


def compare_ulog(ulog: ULog, by_kind: dict, *, full: bool = True) -> None:
    # Data: per (topic, multi_id), same rows, every field.
    got = defaultdict(list)
    for line in by_kind["data"]:
        got[(line["topic"], line["multi_id"])].append(line)
    want = {(d.name, d.multi_id): d for d in ulog.data_list}
    assert set(got) == set(want)
    for key, d in want.items():
        rows = got[key]
        names = [f.field_name for f in d.field_data if not f.field_name.split(".")[-1].startswith("_padding")]
        n = len(d.data["timestamp"])
        assert len(rows) == n, f"{key}: {len(rows)} rows, pyulog {n}"
        assert list(rows[0]["data"].keys()) == names, f"{key}: field names differ"
        indices = range(n) if full else sorted({0, n // 2, n - 1})
        for i in indices:
            assert rows[i]["timestamp"] == int(d.data["timestamp"][i])
            for name in names:
                e, g = py_value(d.data[name][i]), rows[i]["data"][name]
                assert canon(e) == canon(g), f"{key} row {i} {name}: pyulog {e!r}, furrow {g!r}"
    # Info, multi-info, parameters, defaults, logged strings, dropouts.
    info = {l["key"]: l["value"] for l in by_kind["info"]}
    assert canon(info) == canon({k: py_value(v) for k, v in ulog.msg_info_dict.items()})
    multi: dict[str, list] = {}
    for l in by_kind["info_multiple"]:
        if l["key"] in multi and l["is_continued"]:
            multi[l["key"]][-1].append(l["value"])
        else:
            multi.setdefault(l["key"], []).append([l["value"]])
    assert canon(multi) == canon({k: [[py_value(x) for x in part] for part in v] for k, v in ulog.msg_info_multiple_dict.items()})
    params = {l["key"]: l["value"] for l in by_kind["parameter"]}
    assert canon(params) == canon({k: py_value(v) for k, v in ulog.initial_parameters.items()})
    changes = [(l["timestamp"], l["key"], l["value"]) for l in by_kind["parameter_change"]]
    assert canon(changes) == canon([(int(t), k, py_value(v)) for t, k, v in ulog.changed_parameters])
    logs = [(l["level"], l["timestamp"], l["message"]) for l in by_kind["log"]]
    assert logs == [(m.log_level, m.timestamp, m.message) for m in ulog.logged_messages]
    tagged = [(l["tag"], l["level"], l["timestamp"], l["message"]) for l in by_kind["log_tagged"]]
    assert sorted(tagged) == sorted((t, m.log_level, m.timestamp, m.message)
                                    for t, ms in ulog.logged_messages_tagged.items() for m in ms)
    drops = [(l["duration"], l["timestamp"]) for l in by_kind["dropout"]]
    assert drops == [(d.duration, d.timestamp) for d in ulog.dropouts]


@pytest.mark.parametrize("name", ULOGS)
def test_ulog_real_log_matches_pyulog(name: str, furrow_bin: Path) -> None:
    path = real_log(name)
    ulog = ULog(str(path))
    by_kind, stats = furrow_ulog(furrow_bin, path)
    compare_ulog(ulog, by_kind)
    assert stats["truncated"] is False
    assert stats["dataMessages"] == sum(len(d.data["timestamp"]) for d in ulog.data_list)
    assert stats["startTimestamp"] == ulog.start_timestamp
    assert stats["dropouts"] == len(ulog.dropouts)
    assert stats["badDataMessages"] == 0 and stats["skippedBytes"] == 0


def message_starts(data: bytes) -> list[tuple[int, int]]:
    """(offset, length) of every message of an intact ULog, header excluded."""
    out, i = [], 16
    while i + 3 <= len(data):
        size = data[i] | data[i + 1] << 8
        out.append((i, 3 + size))
        i += 3 + size
    assert i == len(data), "the real log is expected to be intact"
    return out


CUTS = [0, 5, 16, 17, 700, 4096, 33333, 100_001, 250_000, 512_345, 777_777, 921_600]


@pytest.mark.parametrize("cut", CUTS)
def test_ulog_truncated_copy(cut: int, furrow_bin: Path, tmp_path: Path) -> None:
    src = real_log("pyulog__sample_log_small.ulg").read_bytes()
    path = tmp_path / f"cut{cut}.ulg"
    path.write_bytes(src[:cut])
    proc = subprocess.run([str(furrow_bin), "decode", "--stats-json", str(path)], capture_output=True, timeout=300)
    assert proc.returncode in (0, 1), f"crashed: rc {proc.returncode}\n{proc.stderr.decode()[-2000:]}"
    if cut < 16:
        assert proc.returncode == 1 and b"ULog header" in proc.stderr
        return
    assert proc.returncode == 0, proc.stderr.decode()[-2000:]
    stats = json.loads(proc.stderr.decode().strip().splitlines()[-1])
    starts = message_starts(src)
    cut_in = [(o, n) for o, n in starts if o < cut < o + n]
    if cut_in:
        offset, _ = cut_in[0]
        assert stats["truncated"] is True
        assert stats["truncationOffset"] == offset
        assert stats["truncationDroppedBytes"] == cut - offset
    else:
        assert stats["truncated"] is False
    by_kind: dict[str, list] = defaultdict(list)
    for line in proc.stdout.decode().splitlines():
        obj = json.loads(line)
        by_kind[obj["kind"]].append(obj)
    ulog = ULog(str(path))
    compare_ulog(ulog, by_kind, full=False)


def test_ulog_truncated_large_log_cuts(furrow_bin: Path, tmp_path: Path) -> None:
    """Cuts of the 4 MB sample at 7 places: rows up to the cut equal pyulog's, the cut is reported."""
    src = real_log("pyulog__sample.ulg").read_bytes()
    starts = message_starts(src)
    for k, cut in enumerate([20_000, 500_003, 1_000_000, 2_222_222, 3_000_001, 3_999_999, len(src) - 1]):
        path = tmp_path / f"big{k}.ulg"
        path.write_bytes(src[:cut])
        _, stats, _ = run_decode(furrow_bin, path, "--format", "none")
        by_kind, stats2 = furrow_ulog(furrow_bin, path)
        offset = next(o for o, n in starts if o < cut <= o + n)
        if offset + next(n for o, n in starts if o == offset) == cut:
            assert stats["truncated"] is False
        else:
            assert stats["truncated"] is True and stats["truncationOffset"] == offset
        ulog = ULog(str(path))
        assert stats["batchedRows"] == sum(len(d.data["timestamp"]) for d in ulog.data_list)
        compare_ulog(ulog, by_kind, full=False)
