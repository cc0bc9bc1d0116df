"""pytest plumbing for the Furrow <-> pymavlink cross-check (see test_mavlink_crosscheck.py)."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.path.insert(0, str(HERE))

# mavlogdump and mavutil read MAVLink 2 logs only with this set; set it before pymavlink loads.
os.environ.setdefault("MAVLINK20", "1")

import mavlink_streams  # noqa: E402

#: Rows for the summary printed at the end of the run (pymavlink losses vs Furrow, ...).
SUMMARY: list[str] = []


def furrow_bin_path() -> Path:
    return Path(os.environ.get("FURROW_BIN", str(REPO / ".build" / "debug" / "furrow")))


@pytest.fixture(scope="session")
def furrow_bin() -> Path:
    """The Furrow executable; the cross-check FAILS (never skips) when it is missing."""
    path = furrow_bin_path()
    if not (path.is_file() and os.access(path, os.X_OK)):
        pytest.fail(
            f"Furrow binary not found or not executable: {path}\n"
            f"Build it first (`swift build` in {REPO}) or point FURROW_BIN at it.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def stream_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where generated streams go: $CROSSCHECK_OUT if set (kept for debugging), else a tmp dir."""
    out = os.environ.get("CROSSCHECK_OUT")
    if out:
        Path(out).mkdir(parents=True, exist_ok=True)
        return Path(out)
    return tmp_path_factory.mktemp("streams")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # noqa: ARG001
    if SUMMARY:
        terminalreporter.section("Cross-check summary")
        for line in SUMMARY:
            terminalreporter.write_line(line)
