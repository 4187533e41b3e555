"""The Spanish edition of the run's notes: text tables in both languages and ``notes_in``."""

from __future__ import annotations

import json
import string
from collections import Counter

import geopandas as gpd
import pandas as pd
import pytest

import siting
from siting import text
from siting.maps import text as maps_text
from siting.network import NetworkSettings
from siting.pipeline import add_rank_ranges
from tests._maps_fixtures import make_run

#: Every two-language table of :mod:`siting.text`, by name (found, so a new one is checked too).
BY_LANG = {name: getattr(text, name) for name in dir(text) if name.endswith("_BY_LANG")}
#: Two-language tables of :mod:`siting.maps.text`, with the keys that read the same in both.
MAPS_BY_LANG = {
    "STATIC_TEXT_BY_LANG": (maps_text.STATIC_TEXT_BY_LANG, {"north"}),
    "ATLAS_TEXT_BY_LANG": (maps_text.ATLAS_TEXT_BY_LANG, set()),
}
#: Quick straight-line runs; the weights add up to 3, so the scenario has a doubt (English only).
QUICK = {"network": "straight-line", "weights": {"crossing_km": 2, "labor_pool": 1}}


def _fields(template: str) -> Counter[tuple[str, str, str | None]]:
    """Return the ``{placeholders}`` of ``template``: name, format spec and conversion."""
    return Counter(
        (name, spec or "", conversion)
        for _, name, spec, conversion in string.Formatter().parse(template)
        if name is not None
    )


def _literals(table: dict[str, str]) -> set[str]:
    """Return the fixed text between the placeholders of ``table`` (pieces of 12+ characters)."""
    pieces = (
        literal.strip()
        for template in table.values()
        for literal, *_ in string.Formatter().parse(template)
    )
    return {p for p in pieces if len(p) >= 12}


def _english_text(notes: list[str]) -> list[str]:
    """Return the fixed English note and network text found in ``notes``."""
    english = _literals(text.NOTES) | _literals(text.NETWORK_TEXT)
    return sorted({piece for note in notes for piece in english if piece in note})


def test_the_tables_cover_both_languages_and_keep_their_english_names():
    assert {"NOTES_BY_LANG", "NETWORK_TEXT_BY_LANG", "EXCLUDED_BY_BY_LANG"} <= set(BY_LANG)
    assert "ATLAS_CLI_BY_LANG" in BY_LANG
    assert {"AGENCY_COLUMNS_BY_LANG", "AGENCY_TEXT_BY_LANG"} <= set(BY_LANG)
    for name, editions in BY_LANG.items():
        assert tuple(editions) == text.LANGUAGES, name
        assert editions["en"] is getattr(text, name.removesuffix("_BY_LANG")), name


@pytest.mark.parametrize("name", sorted(BY_LANG))
def test_spanish_tables_have_the_english_keys_and_placeholders(name):
    english, spanish = BY_LANG[name]["en"], BY_LANG[name]["es"]
    assert list(spanish) == list(english)
    for key, template in english.items():
        assert _fields(spanish[key]) == _fields(template), (name, key)
        assert spanish[key] != template, f"{name}[{key!r}] is not translated"


@pytest.mark.parametrize("name", sorted(MAPS_BY_LANG))
def test_spanish_map_tables_have_the_english_keys_and_placeholders(name):
    editions, same = MAPS_BY_LANG[name]
    assert tuple(editions) == text.LANGUAGES
    assert editions["en"] is getattr(maps_text, name.removesuffix("_BY_LANG"))
    english, spanish = editions["en"], editions["es"]
    assert list(spanish) == list(english)
    for key, template in english.items():
        assert _fields(spanish[key]) == _fields(template), (name, key)
        assert (spanish[key] == template) == (key in same), f"{name}[{key!r}]"


def test_the_outside_texts_moved_to_the_text_module():
    assert siting.pipeline.OUTSIDE_TEXT == text.EXCLUDED_BY["outside"] == "outside Mexico"
    assert siting.pipeline.OUTSIDE_NOTE == text.NOTES["outside"]
    assert text.EXCLUDED_BY_BY_LANG["es"]["outside"] == "fuera de México"


def test_a_language_outside_the_choices_is_refused():
    with pytest.raises(
        ValueError, match=r"`lang` was 'fr' but is expected to be one of \['en', 'es'\]"
    ):
        text.check_lang("fr")
    with pytest.raises(ValueError, match="`lang` was 'EN'"):
        make_run(12).notes_in("EN")
    with pytest.raises(ValueError, match="`lang` was 'de'"):
        NetworkSettings().describe("de")


def test_network_descriptions_in_spanish():
    assert NetworkSettings().describe("es") == text.NETWORK_TEXT_BY_LANG["es"]["bundled"]
    assert NetworkSettings(source="straight-line").describe("es") == "línea recta"
    osm = NetworkSettings(source="data/ramos.osm.bz2")
    assert osm.describe() == "road network (ramos.osm.bz2, truck speeds)"
    assert osm.describe("es") == "red carretera (ramos.osm.bz2, velocidades de camión)"
    place = NetworkSettings(source="download", place="Ramos Arizpe, Coahuila, México")
    assert place.describe("es") == (
        "red carretera (descarga de OpenStreetMap: Ramos Arizpe, Coahuila, México, "
        "velocidades de camión)"
    )


def test_a_real_run_has_every_note_in_spanish():
    run = make_run(12)  # bundled road network, a constraint, rank ranges; cached: not mutated
    english = list(run.notes)
    assert run.scenario.doubts == ()
    assert len(english) == 3  # network, constraint exclusions, rank range
    assert run.notes_in() == run.notes_in("en") == english
    spanish = run.notes_in("es")
    assert len(spanish) == len(english)
    assert all(es != en for en, es in zip(english, spanish, strict=True))
    assert _english_text(spanish) == []
    assert len(_english_text(english)) > 10  # the check above can see English text
    network, excluded, rank_range = spanish
    assert network.startswith("Los tiempos son de recorrido de camión pesado por la red carretera")
    assert "tasa de robo a transportista de los estados recorridos" in network
    assert "100,000 camiones en 2024" in network and "(tramo en EUA estimado)." in network
    assert excluded == (
        "2 de 12 candidatos excluidos por restricciones (crossing_km <= 650); no se clasifican."
    )
    stability = run.stability
    assert rank_range.startswith(f"Rango de posiciones: posiciones en {stability.draws} ")
    assert f"semilla {stability.seed})" in rank_range
    assert f"entre los primeros {stability.top_k};" in rank_range
    assert rank_range.endswith(f"{stability.kendall_tau_mean:.2f}.")
    assert run.notes == english  # asking for Spanish changed nothing


def test_a_note_added_after_the_run_comes_in_both_languages(small_candidates):
    result = siting.run(candidates=small_candidates, rank_ranges=False, **QUICK)
    before_en, before_es = result.notes_in("en"), result.notes_in("es")
    add_rank_ranges(result)
    assert result.notes[:-1] == before_en and result.notes_in("es")[:-1] == before_es
    assert result.notes[-1].startswith("Rank range: ranks over 1000 random weight sets")
    assert result.notes_in("es")[-1].startswith("Rango de posiciones: posiciones en 1000 ")
    result.add_note("Checked by hand.", "Revisado a mano.")
    assert result.notes[-1] == "Checked by hand."
    assert result.notes_in("es")[-1] == "Revisado a mano."


def test_scenario_doubts_stay_english_in_the_spanish_notes(small_candidates):
    result = siting.run(
        candidates=small_candidates, rank_ranges=False, aggregation="topsis", **QUICK
    )
    doubt = "[weights] add up to 3, not 1; they were rescaled to sum to 1 (each divided by 3)"
    assert result.scenario.doubts == (doubt,)
    assert result.notes == [doubt, text.NOTES["straight_line"], text.NOTES["aggregation_topsis"]]
    assert result.notes_in("es") == [
        doubt,
        text.NOTES_BY_LANG["es"]["straight_line"],
        text.NOTES_BY_LANG["es"]["aggregation_topsis"],
    ]


def test_weight_method_notes_in_spanish(small_candidates):
    order = {"method": "roc", "order": ["crossing_km", "labor_pool", "homicide_rate"]}
    result = siting.run(
        candidates=small_candidates, rank_ranges=False, network="straight-line", weights=order
    )
    assert result.notes == [text.NOTES["straight_line"], text.NOTES["weights_roc"]]
    assert result.notes_in("es") == [
        "Las distancias son en línea recta (no por carretera): el escenario indica [network] "
        'source = "straight-line".',
        "Pesos de un orden de importancia (pesos del centroide del orden, ROC).",
    ]


def test_sites_outside_mexico_are_noted_in_both_languages(small_candidates):
    brownsville = gpd.GeoDataFrame(
        {"name": ["Brownsville"]}, geometry=gpd.points_from_xy([-97.4975], [25.9017]), crs=4326
    )
    sites = pd.concat([small_candidates[["name", "geometry"]], brownsville], ignore_index=True)
    result = siting.run(candidates=sites, rank_ranges=False, outside="keep", **QUICK)
    assert result.notes[-1] == text.NOTES["outside"].format(n=1)
    assert result.notes_in("es")[-1] == (
        "1 candidato(s) fuera de México (del otro lado de la frontera terrestre o en el mar) "
        'aparecen al final, sin clasificar: se conservaron con outside="keep", pero no se '
        "midieron ni puntuaron."
    )
    assert result.ranking["excluded_by"].iloc[-1] == "outside Mexico"  # ranking.csv: English


def test_the_run_record_keeps_english_notes(small_candidates, tmp_path):
    result = siting.run(candidates=small_candidates, rank_ranges=False, **QUICK)
    result.write(tmp_path, maps=False)
    record = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))
    assert record["notes"] == result.notes
    assert record["notes"] != result.notes_in("es")
