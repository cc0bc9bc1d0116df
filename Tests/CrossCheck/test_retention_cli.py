"""`furrow retention` end to end: values of a project older than the cutoff are deleted (whole chunks and the old
rows of the chunk across the cutoff), everything newer and every other project is kept bit for bit, and --dry-run
reports the same counts without deleting anything."""
from __future__ import annotations

import re
import subprocess

DAY_US = 86_400_000_000
NOW_US = 1_750_000_000_000_000  # 2025-06-15T15:06:40Z, passed as --now so the cutoff is fixed
START_US = NOW_US - 200 * DAY_US
STEP_US = 600_000_000  # one reading every 10 minutes: 28,800 rows per series, several 4,096-row chunks


def furrow(furrow_bin, *args: str) -> str:
    return subprocess.run([str(furrow_bin), *args], check=True, capture_output=True, text=True).stdout


def lines(project_offset: int) -> str:
    out = []
    for i in range(200 * DAY_US // STEP_US):
        t = START_US + i * STEP_US + 1_000 * (i % 7)  # ms jitter
        out.append(f"soil,source=node{project_offset} vwc={20 + (i % 50) / 10},rssi={-(i % 40)}i {t * 1000}")
    return "\n".join(out) + "\n"


def stored(furrow_bin, db, project, source, channel) -> list[tuple[str, str]]:
    text = furrow(furrow_bin, "query", "--db", str(db), "--project", project, "--source", source,
                  "--group", "soil", "--channel", channel)
    return [tuple(line.split(",")) for line in text.splitlines()[1:]]


def report(text: str) -> tuple[int, int, int]:
    m = re.search(r"(\d+) rows of project \S+: (\d+) chunks whole, (\d+) trimmed", text)
    assert m, text
    return int(m.group(1)), int(m.group(2)), int(m.group(3))


def test_retention_deletes_exactly_what_is_older(furrow_bin, tmp_path):
    db = tmp_path / "store.sqlite"
    for project, offset in (("a", 1), ("b", 2)):
        lp = tmp_path / f"{project}.lp"
        lp.write_text(lines(offset))
        furrow(furrow_bin, "import", str(lp), "--db", str(db), "--project", project)
    before_a = {ch: stored(furrow_bin, db, "a", "node1", ch) for ch in ("vwc", "rssi")}
    before_b = {ch: stored(furrow_bin, db, "b", "node2", ch) for ch in ("vwc", "rssi")}
    assert len(before_a["vwc"]) == 200 * DAY_US // STEP_US

    cutoff = NOW_US - 90 * DAY_US
    older = sum(1 for t, _ in before_a["vwc"] if _micros(t) < cutoff)
    assert 0 < older < len(before_a["vwc"])

    dry = furrow(furrow_bin, "retention", "--db", str(db), "--project", "a", "--older-than", "90d",
                 "--now", str(NOW_US), "--dry-run", "--archive")
    rows, whole, trimmed = report(dry)
    assert "would delete" in dry and rows == older and whole >= 1 and trimmed == 1
    assert "archive: would delete 0 segments" in dry
    assert stored(furrow_bin, db, "a", "node1", "vwc") == before_a["vwc"]  # nothing deleted

    done = furrow(furrow_bin, "retention", "--db", str(db), "--project", "a", "--older-than", "90d",
                  "--now", str(NOW_US), "--archive")
    assert "deleted" in done and report(done) == (rows, whole, trimmed)
    for ch in ("vwc", "rssi"):
        kept = stored(furrow_bin, db, "a", "node1", ch)
        assert kept == [r for r in before_a[ch] if _micros(r[0]) >= cutoff]
        assert stored(furrow_bin, db, "b", "node2", ch) == before_b[ch]  # other projects untouched

    again = furrow(furrow_bin, "retention", "--db", str(db), "--project", "a", "--older-than", "90d",
                   "--now", str(NOW_US))
    assert report(again) == (0, 0, 0)


def _micros(iso: str) -> int:
    """µs since the epoch of the store's UTC ISO 8601 output (2025-06-15T15:06:40.123Z)."""
    from datetime import datetime, timezone

    text = iso.rstrip("Z")
    whole, _, frac = text.partition(".")
    dt = datetime.strptime(whole, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=timezone.utc)
    return int(dt.timestamp()) * 1_000_000 + int((frac + "000000")[:6])
