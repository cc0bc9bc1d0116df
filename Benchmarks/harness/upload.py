#!/usr/bin/env python3
"""Flight-log import speed: a ~100 MB .bin and .ulg uploaded to `furrow serve` and imported (parse + store),
against pymavlink's DFReader and pyulog reading the same files, in the same run.

The files are the ones `logs.py` builds (the real sample logs, data records repeated with shifted times; cached
in bench-data/logs/). For each file:

* Furrow: the release `furrow serve` on a fresh data directory; the file is POSTed to
  /v1/projects/default/flights and the upload polled until it is done. Reported: the import time the server
  measured (summary pass + storing every series + publishing), and the wall time from the end of the upload
  to `done` as seen by the client (polling every 20 ms). Store size after the import.
* DFReader: every message parsed and read with `to_dict()`; pyulog: `ULog(path)` (full load into numpy).
  (The peers only parse; Furrow also compresses and writes every value to SQLite.)

Usage from the repository root:

    .venv/bin/python Benchmarks/harness/upload.py [--build] [--size-mb 100] [--only bin|ulg]
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import logs  # noqa: E402
from common import BIN, REPO, free_port  # noqa: E402

OPERATOR = "benchmark-operator-token-0123456789"


def call(port: int, method: str, path: str, body: bytes | None = None) -> dict:
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    request.add_header("Authorization", f"Bearer {OPERATOR}")
    with urllib.request.urlopen(request, timeout=600) as r:
        return json.loads(r.read())


def import_with_furrow(binary: Path, path: Path) -> dict:
    import socket
    data = Path(tempfile.mkdtemp(prefix="furrow-upload-bench-"))
    http = free_port(socket.SOCK_STREAM)
    udp = free_port(socket.SOCK_DGRAM)
    env = dict(os.environ, FURROW_OPERATOR_TOKEN=OPERATOR)
    proc = subprocess.Popen([str(binary), "serve", "--data-dir", str(data), "--http", f"127.0.0.1:{http}",
                             "--udp", f"127.0.0.1:{udp}"], cwd=REPO, env=env,
                            stdout=subprocess.DEVNULL, stderr=open(data / "serve.log", "wb"))
    try:
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{http}/healthz", timeout=1) as r:
                    if json.load(r)["status"] == "running":
                        break
            except OSError:
                pass
            assert time.time() < deadline, (data / "serve.log").read_text()
            time.sleep(0.1)
        body = path.read_bytes()
        t0 = time.perf_counter()
        upload = call(http, "POST", f"/v1/projects/default/flights?fileName={path.name}", body)
        t1 = time.perf_counter()
        while upload["status"] in ("queued", "importing"):
            time.sleep(0.02)
            upload = call(http, "GET", f"/v1/projects/default/uploads/{upload['id']}")
        t2 = time.perf_counter()
        assert upload["status"] == "done", upload
        report = upload["report"]
        proc.terminate()
        proc.wait(timeout=60)
        import sqlite3
        with sqlite3.connect(data / "furrow.sqlite") as db:  # fold the WAL in, so the file size is the store's
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db_bytes = sum(f.stat().st_size for f in data.glob("furrow.sqlite*"))
        return {"transfer": t1 - t0, "client_import": t2 - t1, "summary": report["summarySeconds"],
                "store": report["storeSeconds"], "values": report["values"], "rows": report["rows"],
                "groups": report["seriesGroups"], "db_bytes": db_bytes}
    finally:
        if proc.poll() is None:
            proc.kill()
        shutil.rmtree(data, ignore_errors=True)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size-mb", type=float, default=100.0)
    ap.add_argument("--build", action="store_true", help="swift build -c release --product furrow first")
    ap.add_argument("--furrow-bin", default=str(BIN))
    ap.add_argument("--only", choices=["bin", "ulg"])
    args = ap.parse_args()
    if args.build:
        subprocess.run(["swift", "build", "-c", "release", "--product", "furrow"], cwd=REPO, check=True)
    logs.DATA.mkdir(parents=True, exist_ok=True)
    size = int(args.size_mb * 1e6)
    cases = {
        "bin": (logs.DATA / f"flight-{args.size_mb:g}mb.bin", logs.REALDATA / "pymavlink__test.BIN", logs.build_bin,
                logs.time_dfreader, "DFReader"),
        "ulg": (logs.DATA / f"flight-{args.size_mb:g}mb.ulg", logs.REALDATA / "pyulog__sample.ulg", logs.build_ulg,
                logs.time_pyulog, "pyulog"),
    }
    results = []
    for kind, (path, source, build, peer, peer_name) in cases.items():
        if args.only and kind != args.only:
            continue
        if not path.exists():
            print(f"building {path} from {source.name} ...", flush=True)
            build(source, path, size)
        mb = path.stat().st_size / 1e6
        f = import_with_furrow(Path(args.furrow_bin), path)
        server_import = f["summary"] + f["store"]
        print(f"{kind}: {mb:.1f} MB: Furrow import {server_import:.2f} s (summary {f['summary']:.2f} s + store "
              f"{f['store']:.2f} s; {f['client_import']:.2f} s seen by the client after a {f['transfer']:.2f} s "
              f"upload), {f['rows']} rows, {f['values']} values in {f['groups']} row groups, store "
              f"{f['db_bytes'] / 1e6:.1f} MB ({f['db_bytes'] / max(f['values'], 1):.2f} B/value)", flush=True)
        p = peer(path)
        print(f"{kind}: {peer_name} parse only {p['wall']:.2f} s, {p['messages']} messages -> Furrow import is "
              f"{p['wall'] / f['client_import']:.1f}x faster (client-seen), {p['wall'] / server_import:.1f}x (server)",
              flush=True)
        results.append({"kind": kind, "mb": mb, "furrow": f, "peer": {"name": peer_name, **p}})
    out = logs.DATA / f"upload-results-{time.strftime('%Y%m%d-%H%M%S')}.json"
    out.write_text(json.dumps(results, indent=1))
    print(f"results: {out}")


if __name__ == "__main__":
    main()
