"""`furrow agro degree-days` end to end against the UC IPM website's output (Esparto.A 2020, 50/70 F, 4 methods x 3
cutoffs; SampleData/agronomy/degree_days_ucipm_espartoa2020.json) and a built-in pest model's milestone dates
against R degday's (degree_days_degday_computed.json). The library tests check the same numbers in Swift; this
checks the CLI's JSON plumbing (settings, biofix, model lookup)."""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "SampleData" / "agronomy"
METHODS = {"sngsine": "single-sine", "dblsine": "double-sine", "sngtri": "single-triangle", "dbltri": "double-triangle"}
CUTOFFS = {"horiz": "horizontal", "vert": "vertical", "intrmd": "intermediate"}


def run(furrow_bin, tmp_path, spec: dict) -> dict:
    path = tmp_path / "dd.json"
    path.write_text(json.dumps(spec))
    out = subprocess.run([str(furrow_bin), "agro", "degree-days", "--input", str(path)], check=True,
                         capture_output=True, text=True)
    return json.loads(out.stdout)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("cutoff", CUTOFFS)
def test_matches_ucipm_website(furrow_bin, tmp_path, method, cutoff):
    ucipm = json.loads((SAMPLE / "degree_days_ucipm_espartoa2020.json").read_text())
    days = [{"date": r["date"], "tmin": r["tmin_F"], "tmax": r["tmax_F"]} for r in ucipm["daily"]]
    out = run(furrow_bin, tmp_path, {"lower": 50, "upper": 70, "scale": "F", "method": METHODS[method],
                                     "cutoff": CUTOFFS[cutoff], "days": days})
    assert out["method"] == METHODS[method] and out["cutoff"] == CUTOFFS[cutoff]
    diffs = [abs(a["dd"] - r[f"{method}_{cutoff}_DD_F"]) for a, r in zip(out["days"], ucipm["daily"], strict=True)]
    assert max(diffs) <= 0.0051


def test_pest_model_milestones(furrow_bin, tmp_path):
    degday = json.loads((SAMPLE / "degree_days_degday_computed.json").read_text())
    days = [{"date": r["date"], "tmin": r["tmin_F"], "tmax": r["tmax_F"]} for r in degday["daily"]]
    vector = degday["pest_models"]["peach_twig_borer_UCIPM_model1"]
    out = run(furrow_bin, tmp_path, {"model": "peach-twig-borer", "biofix": vector["biofix"], "days": days})
    assert out["sources"] and out["lower"] == 50 and out["upper"] == 88
    reached = {m["dd"]: m["date"] for m in out["milestones"]}
    for dd, date in vector["first_date_reaching"].items():
        assert reached[float(dd)] == date
    cumulative = {d["date"]: d["cumulative"] for d in out["days"]}
    for date, value in vector["cumulative_DD_F_at"].items():
        assert abs(cumulative[date] - value) <= 0.006
