#!/usr/bin/env python3
"""Furrow vs the official MAVLink C parser: throughput and frame recovery on the same input.

One command (from the repository root):

    python3 Benchmarks/harness/run.py               # uses .build/release/furrow if it exists
    python3 Benchmarks/harness/run.py --build-furrow  # swift build -c release --product furrow first

Steps:
 1. Generate (or reuse from bench-data/) a seeded flight stream with make_flight_stream.py:
    flight.tlog, flight.raw and manifest.json (the truth: valid frames per file).
 2. Generate the MAVLink C headers with pymavlink's mavgen into a temporary directory and compile
    c_parser_bench.c with gcc once per variant (default: -O3 and -O3 -march=native). The headers
    are deleted afterwards; nothing generated is written into the source tree.
 3. Optionally build Furrow (release). Without the binary, only the C side runs.
 4. Run rounds. Each round runs every configuration once (C variants, with and without --decode,
    and Furrow) on the same file, rotating the order between rounds so that background load
    hits all configurations alike. Every run is a separate process, measured by its CPU time
    (user + sys from getrusage(RUSAGE_CHILDREN) deltas around the run) and peak RSS (wait4 in the
    small rusage_exec launcher, so the Python parent's RSS does not leak into the number).
 5. Print MB/s (median and best; MB = 10^6 bytes of input file), frames/s, frames found versus the
    manifest, peak RSS, and the Furrow/C ratio of median throughputs; save everything as JSON in
    bench-data/results/.
"""
import argparse
import datetime
import json
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
DATA = os.path.join(REPO, "bench-data")

# Compiler flag sets for the C reference; the research baseline (research/mavlink.md c.2) is -O3.
C_VARIANTS = {
    "O3": ["-O3"],
    "O3-native": ["-O3", "-march=native"],
    "O2": ["-O2"],
}


def log(*a):
    print(*a, file=sys.stderr, flush=True)


# --------------------------------------------------------------------------------------------------
# MARK: - Preparation
# --------------------------------------------------------------------------------------------------

def prepare_data(args):
    """Generate or reuse the flight stream; returns (directory, manifest)."""
    out = os.path.join(DATA, f"flight-s{args.seed}-{args.size_mb:g}mb")
    cmd = [sys.executable, os.path.join(HERE, "make_flight_stream.py"), "--seed", str(args.seed),
           "--size-mb", str(args.size_mb), "--out", out]
    log("data:", " ".join(cmd[1:]))
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    with open(os.path.join(out, "manifest.json")) as f:
        return out, json.load(f)


def pymavlink_dir():
    import pymavlink
    return os.path.dirname(pymavlink.__file__)


def build_launcher():
    """Compile rusage_exec.c (the process launcher that reports peak RSS)."""
    build_dir = os.path.join(DATA, "build")
    os.makedirs(build_dir, exist_ok=True)
    out = os.path.join(build_dir, "rusage_exec")
    subprocess.run(["gcc", "-O2", "-Wall", os.path.join(HERE, "rusage_exec.c"), "-o", out], check=True)
    return out


def build_c(variants):
    """mavgen C headers (temporary) + one gcc build per variant; returns {variant: binary}."""
    build_dir = os.path.join(DATA, "build")
    os.makedirs(build_dir, exist_ok=True)
    xml = os.path.join(pymavlink_dir(), "dialects", "v20", "ardupilotmega.xml")
    headers = tempfile.mkdtemp(prefix="furrow-mavlink-c-")
    try:
        t = time.time()
        subprocess.run([sys.executable, "-m", "pymavlink.tools.mavgen", "--lang=C",
                        "--wire-protocol=2.0", f"--output={headers}", xml],
                       check=True, stdout=subprocess.DEVNULL)
        log(f"mavgen: C headers for {os.path.basename(xml)} in {time.time() - t:.1f} s ({headers})")
        bins = {}
        for name in variants:
            out = os.path.join(build_dir, f"c_parser_bench-{name}")
            cmd = ["gcc", *C_VARIANTS[name], "-Wall", "-Wno-address-of-packed-member",
                   "-I", os.path.join(headers, "ardupilotmega"),
                   os.path.join(HERE, "c_parser_bench.c"), "-o", out]
            subprocess.run(cmd, check=True)
            log("gcc:", " ".join(C_VARIANTS[name]), "->", os.path.relpath(out, REPO))
            bins[name] = out
        return bins
    finally:
        shutil.rmtree(headers, ignore_errors=True)


def build_furrow():
    log("swift build -c release --product furrow (this takes minutes on 2 cores)")
    t = time.time()
    subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    log(f"swift build: {time.time() - t:.0f} s")


def tool_version(cmd):
    try:
        out = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        return (out.stdout or out.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.SubprocessError):
        return None


def cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


# --------------------------------------------------------------------------------------------------
# MARK: - Measurement
# --------------------------------------------------------------------------------------------------

class Config:
    """One thing to measure: an implementation + options on one input mode."""

    def __init__(self, label, impl, mode, argv, parse, decodes):
        self.label, self.impl, self.mode, self.argv, self.parse = label, impl, mode, argv, parse
        self.decodes = decodes  # field values decoded (C --decode, Furrow --format none) or framing only
        self.runs = []


def parse_c(stdout, stderr):
    return json.loads(stdout.strip().splitlines()[-1])


def parse_furrow(stdout, stderr):
    """Furrow prints one JSON object on the last stderr line."""
    lines = [ln for ln in stderr.strip().splitlines() if ln.strip()]
    if not lines:
        raise ValueError("furrow printed nothing on stderr")
    return json.loads(lines[-1])


def run_once(cfg, launcher):
    """Run one configuration as a child process (through `launcher`, see rusage_exec.c).

    cpu_s is the RUSAGE_CHILDREN delta around the run: the benchmark plus the launcher's own
    fork/exec/wait (well under a millisecond). child_cpu_s is the benchmark process alone.
    """
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err, \
            tempfile.NamedTemporaryFile("r", suffix=".json") as usage:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        wall = time.perf_counter()
        code = subprocess.run([launcher, usage.name, *cfg.argv], stdout=out, stderr=err).returncode
        wall = time.perf_counter() - wall
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
        child = json.loads(usage.read() or "{}")
    if code != 0:
        raise RuntimeError(f"{' '.join(cfg.argv)} exited with {code}:\n{stderr[-2000:]}")
    user = after.ru_utime - before.ru_utime
    sys_ = after.ru_stime - before.ru_stime
    return {
        "cpu_s": user + sys_, "user_s": user, "sys_s": sys_, "wall_s": wall,
        "child_cpu_s": child["user_s"] + child["sys_s"], "max_rss_kib": child["max_rss_kib"],
        "report": cfg.parse(stdout, stderr),
    }


def frames_of(cfg, run):
    """Valid frames found. Furrow also passes on frames with unknown message ids (their CRC
    cannot be checked, as in mavlink-router); the C parser rejects them, and the manifest counts
    only real frames, so they are left out here and reported separately."""
    rep = run["report"]
    return rep["frames"] - (rep.get("unknownIds", 0) if cfg.impl == "furrow" else 0)


def summarize(cfg, nbytes, truth):
    cpu = [r["cpu_s"] for r in cfg.runs]
    mbps = [nbytes / c / 1e6 for c in cpu]
    frames = [frames_of(cfg, r) for r in cfg.runs]
    f = frames[-1]
    return {
        "label": cfg.label, "impl": cfg.impl, "mode": cfg.mode, "argv": cfg.argv, "decodes": cfg.decodes,
        "rounds": len(cpu), "bytes": nbytes,
        "mb_per_s_median": statistics.median(mbps), "mb_per_s_best": max(mbps),
        "frames_per_s_median": f / statistics.median(cpu), "frames_per_s_best": f / min(cpu),
        "cpu_s": cpu, "child_cpu_s": [r["child_cpu_s"] for r in cfg.runs],
        "wall_s": [r["wall_s"] for r in cfg.runs],
        "max_rss_kib": max(r["max_rss_kib"] for r in cfg.runs),
        "frames": f, "frames_consistent": len(set(frames)) == 1,
        "frames_expected": truth, "frames_missing": truth - f,
        "last_report": cfg.runs[-1]["report"],
    }


# --------------------------------------------------------------------------------------------------
# MARK: - Output
# --------------------------------------------------------------------------------------------------

def fmt_recovery(s):
    d = s["frames_missing"]
    if d == 0:
        return "exact"
    pct = d / s["frames_expected"] * 100.0
    word = "lost" if d > 0 else "extra"
    return f"{abs(d):,} {word} ({abs(pct):.3f} %)"


def print_table(summaries):
    head = ("mode", "implementation", "MB/s med (best)", "Mframes/s med", "frames found",
            "vs manifest", "max RSS", "Furrow/C")
    rows = []
    for mode in sorted({s["mode"] for s in summaries}, key=["tlog", "raw"].index):
        group = [s for s in summaries if s["mode"] == mode]
        for s in group:
            ratio = "—"
            furrow = next((f for f in group if f["impl"] == "furrow" and f["decodes"] == s["decodes"]), None)
            if furrow is not None and s["impl"] == "c":
                ratio = f"{furrow['mb_per_s_median'] / s['mb_per_s_median']:.2f}×"
            rows.append((mode, s["label"],
                         f"{s['mb_per_s_median']:7.1f} ({s['mb_per_s_best']:.1f})",
                         f"{s['frames_per_s_median'] / 1e6:.2f}",
                         f"{s['frames']:,}" + ("" if s["frames_consistent"] else " (varies!)"),
                         fmt_recovery(s), f"{s['max_rss_kib'] / 1024:.1f} MiB", ratio))
    widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
    line = "  ".join(h.ljust(w) for h, w in zip(head, widths))
    print(line)
    print("-" * len(line))
    for r in rows:
        print("  ".join(str(c).ljust(w) for c, w in zip(r, widths)))


# --------------------------------------------------------------------------------------------------
# MARK: - Main
# --------------------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--size-mb", type=float, default=100.0, help="size of flight.tlog (10^6 B)")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--modes", default="tlog,raw", help="comma-separated: tlog, raw")
    ap.add_argument("--c-variants", default="O3,O3-native",
                    help="comma-separated gcc flag sets: " + ", ".join(C_VARIANTS))
    ap.add_argument("--c-decode", choices=["both", "off", "on"], default="both",
                    help="run the C parser without / with payload decoding")
    ap.add_argument("--build-furrow", action="store_true",
                    help="swift build -c release --product furrow before measuring")
    ap.add_argument("--furrow-bin", default=os.path.join(REPO, ".build", "release", "furrow"))
    ap.add_argument("--no-furrow", action="store_true", help="measure the C parser only")
    ap.add_argument("--furrow-arg", action="append", default=[],
                    help="extra argument for `furrow decode` (repeatable)")
    ap.add_argument("--results", default=os.path.join(DATA, "results"),
                    help="directory for the JSON results")
    args = ap.parse_args(argv)
    modes = [m for m in args.modes.split(",") if m]
    variants = [v for v in args.c_variants.split(",") if v]
    for v in variants:
        if v not in C_VARIANTS:
            ap.error(f"unknown C variant {v!r}")

    data_dir, manifest = prepare_data(args)
    files = {"tlog": os.path.join(data_dir, "flight.tlog"), "raw": os.path.join(data_dir, "flight.raw")}
    truth = {"tlog": manifest["tlog"]["frames_valid"], "raw": manifest["raw"]["frames_valid"]}
    c_bins = build_c(variants)
    launcher = build_launcher()

    if args.build_furrow and not args.no_furrow:
        build_furrow()
    furrow = None if args.no_furrow else args.furrow_bin
    if furrow and not os.access(furrow, os.X_OK):
        log(f"note: {furrow} not found; measuring the C parser only "
            "(run with --build-furrow to build it)")
        furrow = None

    configs = []
    decode_opts = {"both": [False, True], "off": [False], "on": [True]}[args.c_decode]
    for mode in modes:
        for v in variants:
            for dec in decode_opts:
                label = f"C mavlink_parse_char gcc {' '.join(C_VARIANTS[v])}" + (" +decode" if dec else "")
                argv_ = [c_bins[v], mode] + (["--decode"] if dec else []) + [files[mode]]
                configs.append(Config(label, "c", mode, argv_, parse_c, dec))
        if furrow:
            # frames: framing, CRC, counters (what mavlink_parse_char does); none: also every field into
            # the store's columnar batches (compare with C +decode).
            for fmt, dec in (("frames", False), ("none", True)):
                if dec not in decode_opts:
                    continue
                argv_ = [furrow, "decode", "--format", fmt, "--stats-json", "--input", mode,
                         *args.furrow_arg, files[mode]]
                configs.append(Config(f"Furrow decode --format {fmt}", "furrow", mode, argv_, parse_furrow, dec))

    # Warm the page cache and check every configuration once (not measured).
    for path in files.values():
        with open(path, "rb") as f:
            while f.read(1 << 24):
                pass
    for cfg in configs:
        run_once(cfg, launcher)

    load_before = os.getloadavg()
    log(f"measuring {len(configs)} configurations x {args.rounds} rounds "
        f"(load average {load_before[0]:.2f})")
    for r in range(args.rounds):
        k = r % len(configs)
        for cfg in configs[k:] + configs[:k]:             # rotate the order every round
            cfg.runs.append(run_once(cfg, launcher))
        log(f"  round {r + 1}/{args.rounds} done")
    load_after = os.getloadavg()

    # One extra, unmeasured reference point: the .tlog fed to C as if it were a raw stream.
    extras = {}
    if "tlog" in modes and variants:
        rep = run_once(Config("", "c", "raw", [c_bins[variants[0]], "raw", files["tlog"]], parse_c, False),
                       launcher)
        extras["c_tlog_as_raw_frames"] = rep["report"]["frames"]

    summaries = [summarize(c, os.path.getsize(files[c.mode]), truth[c.mode]) for c in configs]
    print()
    print(f"input: {data_dir}  (seed {args.seed}; tlog {manifest['tlog']['bytes'] / 1e6:.1f} MB, "
          f"{truth['tlog']:,} frames; raw {manifest['raw']['bytes'] / 1e6:.1f} MB, "
          f"{truth['raw']:,} valid frames, {manifest['raw']['noise_bursts']:,} noise bursts, "
          f"{manifest['raw']['bitflipped_frames']:,} bit-flipped)")
    print(f"machine: {cpu_model()}, {os.cpu_count()} CPUs, load average "
          f"{load_before[0]:.2f} -> {load_after[0]:.2f}; {args.rounds} rounds, CPU time per process")
    print()
    print_table(summaries)
    if "c_tlog_as_raw_frames" in extras:
        lost = truth["tlog"] - extras["c_tlog_as_raw_frames"]
        print(f"\nC fed the .tlog as a raw stream (timestamps not skipped): "
              f"{extras['c_tlog_as_raw_frames']:,} frames, {lost:,} lost "
              f"({lost / truth['tlog'] * 100:.2f} %)")
    for s in summaries:
        rep = s["last_report"]
        if s["impl"] == "furrow":
            if rep.get("bytes") not in (None, s["bytes"]):
                print(f"warning: furrow reported bytes={rep.get('bytes')} for a {s['bytes']}-byte file")
            extra = {k: rep[k] for k in ("frames", "unknownIds", "crcFailures", "incompatRejected",
                                         "bytesSkipped", "framesLost", "megabytesPerSecond")
                     if k in rep}
            print(f"Furrow {s['mode']}: {json.dumps(extra)}")
        else:
            if rep.get("bytes") != s["bytes"]:
                print(f"warning: C read {rep.get('bytes')} of {s['bytes']} bytes")

    os.makedirs(args.results, exist_ok=True)
    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    path = os.path.join(args.results, f"run-{stamp}.json")
    with open(path, "w") as f:
        json.dump({
            "when": stamp, "machine": {"cpu": cpu_model(), "cpus": os.cpu_count(),
                                       "load_before": load_before, "load_after": load_after},
            "tools": {"gcc": tool_version(["gcc", "--version"]),
                      "swift": tool_version(["swift", "--version"]) if furrow else None,
                      "python": sys.version.split()[0]},
            "data": {"dir": data_dir, "params": manifest["params"], "truth": truth},
            "rounds": args.rounds, "summaries": summaries, "extras": extras,
        }, f, indent=1)
    print(f"\nresults: {os.path.relpath(path, REPO)}")


if __name__ == "__main__":
    main()
