"""Furrow's Getis-Ord Gi* (`furrow agro hotspots`) against PySAL's esda.G_Local on the same grid counts.

Conventions matched on purpose: binary weights (`transform="B"`) with the cell itself included (`star=True`), queen
contiguity on the grid (libpysal `lat2W(rook=False)`, row-major ids like Furrow's cell index) or a distance band
between cell centres (libpysal `DistanceBand(binary=True)`). Every grid cell is an observation, empty ones as 0.
"""
from __future__ import annotations

import json
import subprocess

import esda
import libpysal
import numpy as np
import pytest

from conftest import SUMMARY

BOUNDS = [-121.7520, 38.5380, -121.7480, 38.5410]  # ~350 m x 333 m


def detections(seed: int) -> list[dict]:
    """Background scatter plus two clusters of different strength (deterministic)."""
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(400):
        out.append({"lon": rng.uniform(BOUNDS[0], BOUNDS[2]), "lat": rng.uniform(BOUNDS[1], BOUNDS[3]),
                    "class": "mite", "confidence": float(rng.uniform(0.3, 1.0))})
    for centre, n, spread in (((-121.7510, 38.5390), 250, 0.00015), ((-121.7490, 38.5402), 120, 0.0001)):
        for _ in range(n):
            out.append({"lon": centre[0] + rng.normal(0, spread), "lat": centre[1] + rng.normal(0, spread),
                        "class": "mite", "confidence": float(rng.uniform(0.3, 1.0))})
    return out


def run(furrow_bin, tmp_path, spec: dict) -> dict:
    path = tmp_path / "hotspots.json"
    path.write_text(json.dumps(spec))
    out = subprocess.run([str(furrow_bin), "agro", "hotspots", "--input", str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("weights", ["queen", {"distance_band": 25.0}])
@pytest.mark.parametrize("seed", [1, 2])
def test_gi_star_matches_esda(furrow_bin, tmp_path, weights, seed):
    spec = {"bounds": BOUNDS, "cell_size": 10, "min_confidence": 0.5, "weights": weights,
            "detections": detections(seed)}
    ours = run(furrow_bin, tmp_path, spec)
    rows, cols = ours["grid"]["rows"], ours["grid"]["columns"]
    cells = ours["cells"]
    assert len(cells) == rows * cols
    assert [c["index"] for c in cells] == list(range(rows * cols))
    counts = np.array([c["count"] for c in cells], dtype=float)
    assert counts.sum() == ours["counted"]
    kept = sum(1 for d in spec["detections"] if d["confidence"] >= 0.5 and
               BOUNDS[0] <= d["lon"] <= BOUNDS[2] and BOUNDS[1] <= d["lat"] <= BOUNDS[3])
    assert ours["counted"] == kept

    if weights == "queen":
        w = libpysal.weights.lat2W(rows, cols, rook=False)
    else:
        centres = [((c % cols) * 10.0, (c // cols) * 10.0) for c in range(rows * cols)]
        w = libpysal.weights.DistanceBand(centres, threshold=weights["distance_band"], binary=True, silence_warnings=True)
    g = esda.G_Local(counts, w, transform="B", star=True, permutations=0)
    theirs = np.asarray(g.Zs, dtype=float)
    mine = np.array([np.nan if c["z"] is None else c["z"] for c in cells], dtype=float)
    assert np.isfinite(mine).all()
    diff = np.abs(mine - theirs)
    SUMMARY.append(f"Gi* vs esda.G_Local ({weights}, seed {seed}, {rows}x{cols} cells): max |dz| = {diff.max():.2e}")
    assert diff.max() < 1e-9
    # The same hot spots at 95 %, two-sided: z >= 1.960 (and the planted clusters do produce some).
    hot = {c["index"] for c in cells if c["confidence"] >= 2}
    assert hot == set(np.flatnonzero(theirs >= 1.960).tolist())
    assert len(hot) >= 5
