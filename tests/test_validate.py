"""tools/validate.py: the statistics behind docs/validation.md, and the report it writes."""

from __future__ import annotations

import importlib.util
import math
import re
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "validate.py"
_spec = importlib.util.spec_from_file_location("validate", SCRIPT)
validate = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(validate)


def _ranking() -> pd.DataFrame:
    """Six sites in four states (09 = CDMX, 03 = BCS); scores already in rank order."""
    rows = [
        ("a1", "19", "Nuevo León", "Monterrey", 90.0, 4_000_000),
        ("b1", "09", "Ciudad de México", "Valle de México", 80.0, 9_000_000),
        ("a2", "19", "Nuevo León", "Monterrey", 75.0, 5_000_000),
        ("c1", "03", "Baja California Sur", "La Paz", 60.0, 300_000),
        ("d1", "12", "Guerrero", None, 40.0, 700_000),
        ("x1", "12", "Guerrero", "Acapulco", math.nan, 800_000),  # excluded: no score
    ]
    table = pd.DataFrame(rows, columns=["name", "CVE_ENT", "state", "metro", "score", "labor_pool"])
    table["rank"] = table["score"].rank(ascending=False)
    return table


FDI = pd.Series({"19": 900.0, "09": 800.0, "03": 300.0, "12": 100.0})
POP = pd.Series({"19": 5.0, "09": 9.0, "03": 1.0, "12": 3.0})


def test_a_monotone_relation_gives_rho_one_and_nan_pairs_are_dropped():
    a = pd.Series([1.0, 2.0, 3.0, 4.0, math.nan], index=list("vwxyz"))
    b = pd.Series([1.0, 4.0, 9.0, 16.0, 0.0], index=list("vwxyz"))
    assert validate.spearman(a, b) == (pytest.approx(1.0), pytest.approx(0.0), 4)
    assert validate.spearman(a, -b).rho == pytest.approx(-1.0)
    assert math.isnan(validate.spearman(a, b * 0).rho)  # constant: no correlation, no warning


def test_state_table_keeps_each_state_best_scored_site():
    table = validate.state_table(_ranking(), FDI, POP)
    assert list(table.index) == ["19", "09", "03", "12"]  # by FDI, largest first
    assert table.loc["19", "best_site"] == "a1"
    assert table.loc["19", "best_labor_pool"] == 4_000_000  # the best site's, not the largest
    assert table.loc["12", "best_site"] == "d1"  # the unscored site does not count
    assert table["score_rank"].tolist() == [1, 2, 3, 4]
    assert validate.spearman(table["best_score"], table["fdi_musd"]).rho == pytest.approx(1.0)


def test_samples_drop_cdmx_then_the_tourism_states():
    table = validate.state_table(_ranking(), FDI, POP)
    samples = list(validate.samples(table).values())
    assert [sorted(s.index) for s in samples] == [
        ["03", "09", "12", "19"],
        ["03", "12", "19"],
        ["12", "19"],
    ]
    corr = validate.correlations(samples[0], {"score": "best_score", "people": "population"})
    assert corr["score"].rho == pytest.approx(1.0)
    assert corr["people"].n == 4


def test_metro_proxy_splits_state_fdi_by_population_and_sums_back():
    municipalities = pd.DataFrame(
        {
            "CVE_ENT": ["19", "19", "19", "09", "15", "15"],
            "POB2020": [60, 20, 20, 100, 30, 70],
            "metro": ["Monterrey", "Monterrey", None, "Valle de México", "Valle de México", None],
        }
    )
    fdi = pd.Series({"19": 1000.0, "09": 500.0, "15": 200.0})
    proxy = validate.metro_fdi_proxy(municipalities, fdi)
    assert proxy["Monterrey"] == pytest.approx(800.0)
    assert proxy["Valle de México"] == pytest.approx(500.0 + 60.0)  # spans two states
    assert proxy["outside metros (19)"] == pytest.approx(200.0)
    assert proxy.sum() == pytest.approx(fdi.sum())


def test_metro_table_spread_and_top_metros():
    ranking = _ranking()
    proxy = pd.Series({"Monterrey": 10.0, "Valle de México": 5.0, "La Paz": 1.0})
    metros = validate.metro_table(ranking, proxy)
    assert list(metros.index) == ["Monterrey", "Valle de México", "La Paz"]
    assert metros.loc["Monterrey", "best_score"] == 90.0
    assert "Acapulco" not in metros.index  # its only site has no score
    assert validate.top_metros(ranking, 2)["name"].tolist() == ["a1", "b1"]
    sp = validate.spread(ranking, metros)
    assert (sp["score_1"], sp["within"]) == (90.0, 1)
    assert math.isnan(sp["score_10"]) and math.isnan(sp["score_100"])


@pytest.mark.parametrize(
    ("model", "baseline", "phrase"),
    [
        (0.60, 0.45, "beats clearly"),
        (0.55, 0.45, "beats clearly"),
        (0.50, 0.45, "beats narrowly"),
        (0.45, 0.45, "does not beat"),
        (0.30, 0.45, "does not beat"),
    ],
)
def test_beats_wording(model, baseline, phrase):
    assert validate.beats(model, baseline) == phrase


def test_overlap_and_hmm():
    table = validate.overlap({"a": ["x", "y", "z"], "b": ["y", "z", "w"]})
    assert table.loc["a", "b"] == table.loc["b", "a"] == 2
    assert table.loc["a", "a"] == 3
    assert [validate.hmm(m) for m in (5.4, 169.3, 802, math.inf)] == ["0:05", "2:49", "13:22", "-"]


def test_fdi_file_sums_twelve_quarters_per_state():
    fdi = validate.load_fdi()
    assert len(fdi) == 32
    assert fdi.idxmax() == "09"  # the headquarters effect
    with pytest.raises(ValueError, match="expected 8 quarters per state"):
        validate.load_fdi(years=(2024, 2025))


def test_committed_report_has_every_section():
    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    headings = re.findall(r"^#+ (.+)$", text, flags=re.M)
    assert headings == list(validate.SECTIONS), "regenerate: python tools/validate.py"


@pytest.mark.slow
def test_script_writes_the_report(tmp_path):
    out = tmp_path / "validation.md"
    assert validate.main(["--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert re.findall(r"^#+ (.+)$", text, flags=re.M) == list(validate.SECTIONS)
    rhos = re.findall(r"^\| all states \| [^|]+ \| ([+-]\d\.\d{3}) \| [^|]+ \| 32 \|$", text, re.M)
    assert len(rhos) == 3
    assert all(-1 <= float(r) <= 1 for r in rhos)
    assert re.search(r"\*\*(beats clearly|beats narrowly|does not beat)\*\*", text)
    assert not list(tmp_path.glob(".*.tmp"))  # atomic write left nothing behind
