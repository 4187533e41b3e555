"""Static print map (siting.maps.static): content, projection, labels, text safety, saving.

The map is drawn from a real run (``siting.pipeline.run_scenario`` with the bundled default
scenario) on 20 RETC industrial parks; variants replace its ranking or layers
(``dataclasses.replace``). Figures are saved at low dpi to keep the tests fast.
"""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import geopandas as gpd
import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib_scalebar.scalebar import ScaleBar
from PIL import Image
from shapely.geometry import Point

import siting.outputs
from siting import layers
from siting.criteria import CRITERIA
from siting.localize import format_number
from siting.maps.static import PAGE_SIZES, page_size, save_static, static_map
from siting.maps.static.page import _RC, _Page
from siting.maps.style import EXCLUDED_COLOR, print_norm
from siting.maps.text import STATIC_TEXT, STATIC_TEXT_BY_LANG, TEXT
from siting.metros import ranked_mask
from siting.pipeline import run_scenario
from siting.scenario import load_scenario

DOLLAR_NAME = "Parque $x^$ Norte $5"  # "$x^$" is invalid mathtext: drawing fails if parsed


@pytest.fixture(scope="module")
def run():
    parks = layers.sites.industrial_parks(min_establishments=5).head(20)
    # merged parks share names across cities: name them as the default candidates do
    names = parks["name"].str.title() + " (" + parks["municipality"] + ")"
    sites = gpd.GeoDataFrame(
        {"name": names, "source": "user"}, geometry=parks.geometry, crs=parks.crs
    )
    return run_scenario(load_scenario(), candidates=sites)


def _map(run, ranking=None, **kwargs) -> Figure:
    return static_map(
        run if ranking is None else dataclasses.replace(run, ranking=ranking), **kwargs
    )


@pytest.fixture(scope="module")
def fig(run):
    return _map(run, top_n=8)


def _axes(fig: Figure, gid: str):
    found = [ax for ax in fig.axes if ax.get_gid() == gid]
    return found[0] if found else None


def _texts(fig: Figure) -> list:
    return fig.findobj(mpl.text.Text)


def _by_gid(fig: Figure, prefix: str) -> dict[str, mpl.text.Text]:
    return {t.get_gid(): t for t in _texts(fig) if str(t.get_gid()).startswith(prefix)}


def _rank_labels(fig: Figure) -> dict[str, mpl.text.Text]:
    return {gid.removeprefix("rank-label-"): t for gid, t in _by_gid(fig, "rank-label-").items()}


def _pieces(fig: Figure, gid: str) -> list[mpl.text.Text]:
    """Texts of one wrapped item: gid ``gid`` for its first line, ``gid.k`` for line k."""

    def order(t: mpl.text.Text) -> int:
        return int(str(t.get_gid()).removeprefix(gid).removeprefix(".") or 0)

    found = [t for t in _texts(fig) if t.get_gid() == gid or str(t.get_gid()).startswith(gid + ".")]
    return sorted(found, key=order)


def _joined(fig: Figure, gid: str) -> str:
    """Text of a wrapped item, its lines joined by spaces."""
    return " ".join(t.get_text() for t in _pieces(fig, gid))


def _squeezed(text: str) -> str:
    return "".join(text.split())


def _listed(fig: Figure) -> dict[str, str]:
    """Name of each row of the list, by its number."""
    labels = {str(g).removeprefix("list-name-").split(".")[0] for g in _by_gid(fig, "list-name-")}
    return {label: _joined(fig, f"list-name-{label}") for label in labels}


def test_map_is_drawn_in_epsg6372_metres(run, fig):
    ax = _axes(fig, "map")
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    # Mexico in EPSG:6372 spans about 1.0e6-4.1e6 m east and 0.3e6-2.4e6 m north (not degrees)
    assert 0.5e6 < x0 < 1.2e6 and 3.9e6 < x1 < 4.6e6
    assert -0.5e6 < y0 < 0.4e6 and 2.3e6 < y1 < 3.0e6
    # candidates are plotted at their EPSG:6372 coordinates, and the page keeps an equal scale
    cands = next(c for c in ax.collections if c.get_gid() == "candidates")
    expected = run.ranking.to_crs("EPSG:6372").geometry.get_coordinates().to_numpy()
    got = cands.get_offsets()
    assert len(got) == len(expected)
    assert np.allclose(np.sort(got[:, 0]), np.sort(expected[:, 0]))
    box = ax.get_position()
    width_in, height_in = box.width * fig.get_figwidth(), box.height * fig.get_figheight()
    assert (x1 - x0) / width_in == pytest.approx((y1 - y0) / height_in, rel=1e-3)
    assert tuple(fig.get_size_inches()) == pytest.approx(PAGE_SIZES["letter"])


def test_scale_bar_north_arrow_and_crs_footer(fig):
    ax = _axes(fig, "map")
    bars = [a for a in ax.artists if isinstance(a, ScaleBar)]
    assert len(bars) == 1 and bars[0].dx == 1 and bars[0].units == "m"
    # a round length in kilometres, never megametres, its number written as in Mexico
    assert bars[0].fixed_units == "km" and bars[0].fixed_value in (250, 500, 1000)
    assert bars[0].scale_formatter(1000, "km") == "1,000 km"
    north = _by_gid(fig, "north-label")["north-label"]
    assert north.get_text() == STATIC_TEXT["north"]
    arrow = _by_gid(fig, "north-arrow")["north-arrow"]
    assert arrow.xy[1] > arrow.xyann[1] and arrow.xy[0] == arrow.xyann[0]  # points straight up
    footer = " ".join(t.get_text() for t in _by_gid(fig, "footer-").values())
    assert "EPSG:6372" in footer
    assert "true north differs by up to 6°" in footer or "up to 7°" in footer


def test_title_credits_and_notes(run):
    fig = _map(run, title="Sitios candidatos — Nuevo León", top_n=3)
    assert fig.get_suptitle() == "Sitios candidatos — Nuevo León"
    footer = "".join(t.get_text() for t in _by_gid(fig, "footer-").values()).replace(" ", "")
    for item in [*run.credits, *run.notes]:
        assert item.replace(" ", "") in footer
    assert _map(run, top_n=1).get_suptitle() == TEXT["title"]


def test_criteria_and_weights_listed_in_the_key(run, fig):
    assert run.criteria
    weights = [t.get_text() for t in _texts(fig) if t.get_text().endswith("%")]
    for crit in run.criteria:
        text = _joined(fig, f"criterion-{crit.name}")
        arrow = "↓" if crit.direction == "cost" else "↑"
        assert " ".join(text.split()) == f"{arrow} {crit.label}"  # whole, wrapped if need be
        assert f"{100 * crit.weight:.0f}%" in weights or f"{100 * crit.weight:.1f}%" in weights
    # drawn bottom-up in reverse: the first criterion is at the top of the key
    ys = [
        _by_gid(fig, f"criterion-{c.name}")[f"criterion-{c.name}"].get_position()[1]
        for c in run.criteria
    ]
    assert ys == sorted(ys, reverse=True)


def _best_of_top_metros(ranking, n):
    """The best site of each of the ``n`` best metros, as ``siting run`` lists them."""
    ranked = ranking[ranking["rank"].notna() & ranking["metro"].notna()]
    return ranked.sort_values(["metro_rank", "rank"]).drop_duplicates("metro").head(n)


def test_top_n_labelled_on_map_and_listed(run, fig):
    """One label per metro: the best site of each of the top 8 metros, numbered by metro rank."""
    top = _best_of_top_metros(run.ranking, 8)
    assert len(top) == 8 and top["metro"].is_unique
    assert run.ranking["metro"].value_counts().max() > 1  # some metro has several sites
    labels = _rank_labels(fig)
    assert sorted(labels, key=int) == [f"{r:.0f}" for r in top["metro_rank"]]
    for _, row in top.iterrows():
        label = f"{row['metro_rank']:.0f}"
        # the label's leader starts at the metro's best site (EPSG:6372)
        pt = gpd.GeoSeries([row.geometry], crs="EPSG:4326").to_crs("EPSG:6372").iloc[0]
        assert labels[label].xy == pytest.approx((pt.x, pt.y))
        # full names, wrapped over lines, never cut
        assert _joined(fig, f"list-name-{label}") == " ".join(row["name"].split())
        assert _joined(fig, f"list-metro-{label}") == f"{row['metro']}:"
        score = _by_gid(fig, f"list-score-{label}")[f"list-score-{label}"].get_text()
        assert score == f"{row['score']:.1f}"
        place = _joined(fig, f"list-place-{label}")
        assert place == f"site #{row['rank']:.0f} · {row['municipality']}, {row['state']}"
    # no other site of a labelled metro is labelled or listed
    others = run.ranking[
        run.ranking["metro"].isin(top["metro"]) & ~run.ranking.index.isin(top.index)
    ]
    listed = set(_listed(fig).values())
    assert len(listed) == 8 and not listed & set(others["name"])
    assert len(labels) == 8
    header = _by_gid(fig, "top-header")["top-header"].get_text()
    assert header == STATIC_TEXT["top_header_metros"].format(n=8)
    subtitle = _by_gid(fig, "subtitle")["subtitle"].get_text()
    assert subtitle.startswith(STATIC_TEXT["subtitle_metros"].split("{")[0])


def test_ranking_without_metros_labels_the_best_sites(run):
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])
    fig = _map(run, ranking, top_n=5)
    top = ranking.sort_values("rank").head(5)
    assert sorted(_rank_labels(fig), key=int) == [f"{r:.0f}" for r in top["rank"]]
    header = _by_gid(fig, "top-header")["top-header"].get_text()
    assert header == STATIC_TEXT["top_header"].format(n=5)


def test_rank_labels_do_not_overlap(fig):
    fig.canvas.draw()
    boxes = [t.get_bbox_patch().get_window_extent() for t in _rank_labels(fig).values()]
    assert len(boxes) == 8
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            assert not a.overlaps(b)


def test_crowded_top_candidates_get_a_detail_inset(run):
    # labels by site rank (no metros): the five best are moved into one crowd
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])
    # move the five best to real spots of the Monterrey metro area, a few km apart
    spots = [
        (-100.31, 25.67),
        (-100.28, 25.69),
        (-100.20, 25.75),
        (-100.35, 25.65),
        (-100.25, 25.72),
    ]
    ranking.loc[:4, "geometry"] = gpd.points_from_xy(*zip(*spots, strict=True), crs="EPSG:4326")
    ranking.loc[5, "geometry"] = Point(-89.62, 20.97)  # Mérida, far from the group
    fig = _map(run, ranking, top_n=8)
    detail = _axes(fig, "detail-map")
    assert detail is not None
    in_detail = {t.get_gid() for t in detail.texts}
    assert {f"rank-label-{r}" for r in range(1, 6)} <= in_detail
    on_main = {t.get_gid() for t in _axes(fig, "map").texts}
    # every label is drawn once, in the inset or on the main map; Mérida (6) is far away
    assert not in_detail & on_main
    assert {f"rank-label-{r}" for r in range(1, 9)} <= in_detail | on_main
    assert "rank-label-6" in on_main
    (dx0, dx1), (dy0, dy1) = detail.get_xlim(), detail.get_ylim()
    assert dx1 - dx0 < 250_000  # a close-up (the main map spans ~3,500 km), in metres
    xy = ranking.head(5).to_crs("EPSG:6372").geometry.get_coordinates().to_numpy()
    assert ((xy[:, 0] > dx0) & (xy[:, 0] < dx1) & (xy[:, 1] > dy0) & (xy[:, 1] < dy1)).all()
    marker = next(p for p in _axes(fig, "map").patches if p.get_gid() == "detail-marker")
    assert marker.contains_point(_axes(fig, "map").transData.transform(xy.mean(axis=0)))


def test_two_crowds_get_two_lettered_insets(run):
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])  # labels by site rank
    monterrey = [(-100.31, 25.67), (-100.28, 25.69), (-100.25, 25.72)]
    merida = [(-89.62, 20.97), (-89.58, 21.0), (-89.65, 20.93)]
    ranking.loc[:5, "geometry"] = gpd.points_from_xy(
        *zip(*monterrey, *merida, strict=True), crs="EPSG:4326"
    )
    fig = _map(run, ranking, top_n=6)
    a, b = _axes(fig, "detail-map-A"), _axes(fig, "detail-map-B")
    assert a is not None and b is not None
    assert a.get_position().y0 > b.get_position().y1  # A (holding rank 1) above B
    assert {f"rank-label-{r}" for r in (1, 2, 3)} <= {t.get_gid() for t in a.texts}
    assert {f"rank-label-{r}" for r in (4, 5, 6)} <= {t.get_gid() for t in b.texts}
    titles = [t.get_text() for ax in (a, b) for t in ax.texts if t.get_gid() == "detail-title"]
    assert titles[0].startswith("A  ") and titles[1].startswith("B  ")
    tags = {
        t.get_text() for t in _axes(fig, "map").texts if "detail-marker-label" in str(t.get_gid())
    }
    assert tags == {"A", "B"}


def test_spread_top_candidates_need_no_inset(small_candidates):
    cities = run_scenario(load_scenario(), candidates=small_candidates)
    fig = _map(cities, top_n=8)
    assert _axes(fig, "detail-map") is None
    on_main = {t.get_gid() for t in _axes(fig, "map").texts}
    assert {f"rank-label-{r}" for r in range(1, 9)} <= on_main


def test_excluded_candidates_are_grey_and_never_ranked(run):
    ranking = run.ranking.copy()
    ranking["excluded"] = False
    ranking.loc[[0, 3], "excluded"] = True
    ranking.loc[[0, 3], "rank"] = np.nan
    fig = _map(run, ranking, top_n=5)
    ax = _axes(fig, "map")
    grey = next(c for c in ax.collections if c.get_gid() == "candidates-excluded")
    assert len(grey.get_offsets()) == 2
    assert to_hex(grey.get_facecolors()[0]) == EXCLUDED_COLOR
    listed = _listed(fig)
    assert len(listed) == 5
    assert " ".join(ranking.loc[0, "name"].split()) not in listed.values()
    assert "2 excluded" in _by_gid(fig, "subtitle")["subtitle"].get_text()
    # without the column nothing is grey
    assert not any(
        c.get_gid() == "candidates-excluded" for c in _axes(_map(run, top_n=2), "map").collections
    )


def test_dollar_signs_in_names_render_literally(run):
    ranking = run.ranking.copy()
    ranking.loc[0, "name"] = DOLLAR_NAME
    fig = _map(run, ranking, title="Costs in $ and $x$", top_n=3)
    fig.savefig(io.BytesIO(), format="png", dpi=40)  # mathtext would raise on "$x^$"
    listed = _by_gid(fig, "list-name-1")["list-name-1"]
    assert listed.get_text() == DOLLAR_NAME
    assert fig.get_suptitle() == "Costs in $ and $x$"
    renderer = fig.canvas.get_renderer()
    width, _, _ = renderer.get_text_width_height_descent(
        DOLLAR_NAME, listed.get_fontproperties(), ismath=False
    )
    assert listed.get_window_extent(renderer).width == pytest.approx(width, abs=1.0)


def test_user_rcparams_do_not_leak_into_the_map(run):
    with mpl.rc_context({"text.usetex": True, "font.family": "serif", "font.size": 30}):
        fig = _map(run, top_n=2)
    texts = [t for t in _texts(fig) if t.get_text()]
    assert not any(t.get_usetex() for t in texts)
    assert fig.get_suptitle() and _by_gid(fig, "title")["title"].get_fontname() == "DejaVu Sans"


def test_save_static_writes_png_and_pdf(run, fig, tmp_path):
    png, pdf = save_static(fig, tmp_path / "map.png", tmp_path / "map.pdf", dpi=40)
    assert (png, pdf) == (tmp_path / "map.png", tmp_path / "map.pdf")
    with Image.open(png) as im:
        assert im.size == (440, 340)  # 11 x 8.5 in at 40 dpi
        assert im.info["Title"] == fig.get_suptitle()
        assert (
            len(np.unique(np.asarray(im.convert("RGB")).reshape(-1, 3), axis=0)) > 50
        )  # not blank
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 20_000
    assert b"/Title (" + TEXT["title"].encode() + b")" in data
    assert (
        b"/FontFile2" in data and b"/Type3" not in data
    )  # TrueType (fonttype 42), text stays text
    assert b"DejaVuSans" in data
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.pdf", "map.png"]


def test_save_static_is_atomic(run, fig, tmp_path, monkeypatch):
    png, pdf = tmp_path / "map.png", tmp_path / "map.pdf"
    png.write_bytes(b"old png")
    real = Figure.savefig

    def failing(self, fname, *args, **kwargs):
        if kwargs.get("format") == "pdf":
            Path(fname).write_bytes(b"%PDF-1.4 half")
            raise OSError("disk full")
        return real(self, fname, *args, **kwargs)

    monkeypatch.setattr(Figure, "savefig", failing)
    with pytest.raises(OSError, match="disk full"):
        save_static(fig, png, pdf, dpi=20)
    assert png.read_bytes() == b"old png"  # untouched
    assert sorted(p.name for p in tmp_path.iterdir()) == ["map.png"]  # no pdf, no temp files


def test_invalid_inputs_are_reported_together(run, tmp_path):
    bad = dataclasses.replace(
        run,
        ranking=run.ranking.drop(columns=["score"]),
        layers={"states": run.layers["states"]},
        credits=[],
        notes=[],
    )
    with pytest.raises(ValueError, match="3 invalid") as err:
        static_map(bad, top_n=-1)
    assert "`result.ranking` lacks column(s) ['score']" in str(err.value)
    assert "`result.layers['crossings']`" in str(err.value) and "`top_n`" in str(err.value)
    # criteria are CriterionWeight records, not the dicts of run.json
    as_dicts = dataclasses.replace(run, criteria=[c.as_dict() for c in run.criteria])
    with pytest.raises(ValueError, match=r"`result.criteria\[0\]` must be a CriterionWeight"):
        static_map(as_dicts)
    # the old call with a ranking instead of a run
    with pytest.raises(ValueError, match="`result` must be a RunResult, received GeoDataFrame"):
        static_map(run.ranking)
    with pytest.raises(ValueError, match="3 invalid") as err:
        _map(run, page="A3", orientation="upright", lang="fr")
    assert "`page` was 'A3'" in str(err.value)
    assert "`orientation` was 'upright'" in str(err.value)
    assert "`lang` was 'fr' but is expected to be one of ['en', 'es']" in str(err.value)
    fig = _map(run, top_n=1)
    with pytest.raises(ValueError, match="does not exist"):
        save_static(fig, tmp_path / "nope" / "a.png", tmp_path / "a.pdf")


def test_empty_ranking_and_a4_page(run):
    fig = _map(run, run.ranking.iloc[:0], page="a4")
    assert tuple(fig.get_size_inches()) == pytest.approx(PAGE_SIZES["a4"])
    assert not _rank_labels(fig)
    fig.savefig(io.BytesIO(), format="png", dpi=20)


def test_no_pyplot_figures_are_created(run):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    _map(run, top_n=3)
    assert plt.get_fignums() == before


def test_every_credit_is_printed_whole_within_the_page(run):
    """All the run's credits (container ports, ENOE, CONASAMI... included), wrapped, never cut."""
    credits = list(run.credits)
    for source in ("CGPMM", "Port of Long Beach", "municipal", "ENOE", "CONASAMI", "Zona libre"):
        assert any(source in c for c in credits), source
    fig = _map(run, top_n=8)
    footer = _by_gid(fig, "footer-")
    text = " ".join(t.get_text() for t in footer.values())
    for credit in credits:
        assert credit in text or credit.replace(" ", "") in text.replace(" ", "")
    assert not any("…" in t.get_text() for t in footer.values())
    fig.canvas.draw()
    width = fig.get_window_extent().x1
    for t in footer.values():
        box = t.get_window_extent()
        assert box.x0 >= 0 and box.x1 <= width, t.get_text()
    assert min(t.get_window_extent().y0 for t in footer.values()) >= 0


def test_route_risk_key_says_state_rates(run, fig):
    crit = next(c for c in run.criteria if c.name == "route_risk")
    text = _joined(fig, "criterion-route_risk")
    assert "(state rates)" in crit.label and "(state rates)" in text


# --- language -------------------------------------------------------------------------------------


def _strings(fig: Figure) -> str:
    """Every text of the page (tick labels and the title included), one per line."""
    return "\n".join(t.get_text() for t in _texts(fig) if t.get_text())


@pytest.fixture(scope="module")
def fig_es(run):
    return _map(run, top_n=8, lang="es")


def test_spanish_page_takes_every_text_from_the_spanish_table(run, fig, fig_es):
    es, en = STATIC_TEXT_BY_LANG["es"], STATIC_TEXT
    assert fig_es.get_suptitle() == es["title"] != TEXT["title"] == en["title"]
    assert _by_gid(fig_es, "top-header")["top-header"].get_text() == es["top_header_metros"].format(
        n=8
    )
    assert _by_gid(fig_es, "subtitle")["subtitle"].get_text().startswith("Mejor sitio de cada")
    text_es, text_en = _strings(fig_es), _strings(fig)
    # the same keys, in Spanish on the Spanish page and in English on the English one
    for key in ("score_label", "criteria_header", "crossings_header", "top_site", "cost"):
        assert es[key] in text_es and en[key] not in text_es, key
        assert en[key] in text_en and es[key] not in text_en, key
    assert "Notas: " + run.notes_in("es")[0].split()[0] in text_es
    assert es["crs"] in text_es and "Proyección" not in text_en
    assert "site #" not in text_es and "sitio n.º " in text_es
    for crit in run.criteria:  # criteria labels in Spanish
        label = _joined(fig_es, f"criterion-{crit.name}")
        assert " ".join(label.split())[2:] == CRITERIA[crit.name].label_in("es") != crit.label
    # numbers as in Mexico: "1,000,000" (crossings key) and one decimal (scores)
    assert "1,000,000" in text_es.split("\n")
    for label, name in _listed(fig_es).items():
        row = run.ranking[run.ranking["metro_rank"] == float(label)].sort_values("rank").iloc[0]
        assert name == " ".join(row["name"].split())
        score = _by_gid(fig_es, f"list-score-{label}")[f"list-score-{label}"].get_text()
        assert score == format_number(row["score"], 1, lang="es")


def test_siting_run_lang_es_writes_a_spanish_print_map(run, tmp_path, monkeypatch):
    from siting.maps import interactive

    monkeypatch.setattr(siting.outputs, "PRINT_DPI", 20)  # keep the PNG small
    monkeypatch.setattr(interactive, "interactive_map", lambda result, lang: lang)
    monkeypatch.setattr(interactive, "save_map", lambda m, path, offline: Path(path).write_text(m))
    paths = siting.outputs.write_outputs(run, tmp_path, lang="es")
    with Image.open(paths["map.png"]) as im:
        assert im.info["Title"] == STATIC_TEXT_BY_LANG["es"]["title"]
    assert (tmp_path / "map.html").read_text() == "es"


# --- pages ----------------------------------------------------------------------------------------


def _extents(fig: Figure, artists) -> list:
    """Boxes (pixels) of ``artists`` as drawn by :func:`save_static` (under its settings).

    Shrunk a little: line boxes of adjacent lines may share their edge.
    """
    with mpl.rc_context(_RC):
        fig.canvas.draw()
        return [a.get_window_extent().shrunk(0.98, 0.9) for a in artists]


@pytest.mark.parametrize(
    ("page", "orientation", "lang"),
    [("letter", "portrait", "es"), ("tabloid", "landscape", "en"), ("a3", "portrait", "en")],
)
def test_pages_and_orientations_keep_every_text_on_the_page_and_off_the_map(
    run, page, orientation, lang
):
    fig = _map(run, top_n=8, page=page, orientation=orientation, lang=lang)
    width, height = page_size(page, orientation)
    assert tuple(fig.get_size_inches()) == pytest.approx((width, height))
    page_box = mpl.transforms.Bbox.from_bounds(0, 0, width * fig.dpi, height * fig.dpi)
    texts = [t for t in fig.texts if t.get_text()]  # title block, list, keys, footer
    assert len(texts) > 60
    boxes = _extents(fig, texts)
    for t, box in zip(texts, boxes, strict=True):
        assert page_box.containsx(box.x0) and page_box.containsx(box.x1), t.get_text()
        assert page_box.containsy(box.y0) and page_box.containsy(box.y1), t.get_text()
    # no page text overlaps the map frame, the colour bar or another page text
    ax, cax = _axes(fig, "map"), _axes(fig, "score-colorbar")
    with mpl.rc_context(_RC):
        frames = [ax.get_window_extent(), cax.get_tightbbox()]
    for t, box in zip(texts, boxes, strict=True):
        assert not any(box.overlaps(f) for f in frames), t.get_text()
    for i, (a, box) in enumerate(zip(texts, boxes, strict=True)):
        for b, other in zip(texts[i + 1 :], boxes[i + 1 :], strict=True):
            assert not box.overlaps(other), (a.get_text(), b.get_text())
    # all 8 rows listed, top to bottom, below the map (portrait) or right of it (landscape)
    firsts = [_pieces(fig, f"list-name-{r}")[0] for r in sorted(map(int, _listed(fig)))]
    rows = _extents(fig, firsts)
    assert len(rows) == 8 and [r.y1 for r in rows] == sorted((r.y1 for r in rows), reverse=True)
    if orientation == "portrait":
        assert rows[0].y1 < frames[0].y0
    else:
        assert min(r.x0 for r in rows) > frames[0].x1


# --- colour and markers ---------------------------------------------------------------------------


def test_scores_use_the_print_ramp_over_the_runs_range(run, fig):
    norm = print_norm(run.ranking.loc[ranked_mask(run.ranking), "score"])
    lo, hi = run.ranking["score"].min(), run.ranking["score"].max()
    assert norm.vmin <= lo < norm.vmin + 5 and norm.vmax - 5 < hi <= norm.vmax
    ax = _axes(fig, "map")
    for gid in ("candidates", "candidates-top"):
        coll = next(c for c in ax.collections if c.get_gid() == gid)
        assert (coll.norm.vmin, coll.norm.vmax) == (norm.vmin, norm.vmax)
        assert coll.get_cmap().name == "YlGnBu_print"
    cax = _axes(fig, "score-colorbar")
    assert cax.get_xlim() == (norm.vmin, norm.vmax)
    ticks = list(cax.get_xticks())
    assert ticks[0] == norm.vmin and ticks[-1] == norm.vmax and len(ticks) >= 3
    inner = ticks[1:-1]
    assert len(set(np.round(np.diff(inner), 6))) <= 1  # even steps between the ends
    labels = [t.get_text() for t in cax.get_xticklabels()]
    assert labels == [format_number(t, 0, lang="en") for t in ticks]
    rng = _by_gid(fig, "score-range")["score-range"].get_text()
    assert f"{norm.vmin:.0f}–{norm.vmax:.0f}" in rng


def test_markers_are_visible_at_print_size(run):
    ranking = run.ranking.copy()
    ranking["excluded"] = False
    ranking.loc[[0, 3], "excluded"] = True
    ranking.loc[[0, 3], "rank"] = np.nan
    ax = _axes(_map(run, ranking, top_n=5), "map")
    coll = {c.get_gid(): c for c in ax.collections}
    sites, top, grey = coll["candidates"], coll["candidates-top"], coll["candidates-excluded"]
    assert sites.get_sizes().min() >= 20  # points², about 5 points across: 2.6 x the old size
    assert top.get_sizes().min() >= 2 * sites.get_sizes().max()
    assert (top.get_edgecolors()[:, :3] == 0).all() and top.get_linewidths().min() >= 0.8
    assert 10 <= grey.get_sizes().max() < sites.get_sizes().min()
    assert to_hex(grey.get_facecolors()[0]) == EXCLUDED_COLOR


# --- names are never cut --------------------------------------------------------------------------

LONG_NAMES = [
    "Parque Industrial y Logístico Intermodal del Corredor Automotriz Norte — Etapa II "
    "(Santa Catarina, Nuevo León, junto a la autopista Monterrey–Saltillo)",
    "Zona Franca " + "Supercalifragilisticoespialidoso" * 3 + " Sur",
    DOLLAR_NAME + " con un nombre todavía más largo que de costumbre para el listado",
]


@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_long_names_wrap_whole_and_are_never_cut(run, orientation):
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])  # rows by site rank
    best = ranking.sort_values("rank").index[:3]
    ranking.loc[best, "name"] = LONG_NAMES
    ranking.loc[best[0], "municipality"] = "San Pedro Tlaquepaque de los Muy Largos Nombres"
    fig = _map(run, ranking, top_n=10, orientation=orientation)
    listed = _listed(fig)
    for rank, name in zip(("1", "2", "3"), LONG_NAMES, strict=True):
        assert len(_pieces(fig, f"list-name-{rank}")) >= 2  # wrapped
        assert _squeezed(listed[rank]) == _squeezed(name)  # whole: every character, in order
    assert len(listed) == 10 and "list-more" not in _by_gid(fig, "list-")
    assert not any("…" in t.get_text() for t in _texts(fig) if str(t.get_gid()).startswith("list"))
    right = (fig.get_figwidth() - 0.4) * fig.dpi + 1  # the right margin
    items = list(_by_gid(fig, "list-").values())
    for t, box in zip(items, _extents(fig, items), strict=True):
        assert box.x1 <= right, t.get_text()


def test_a_list_too_long_for_the_page_says_how_many_more(run):
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])
    ranking["name"] = LONG_NAMES[0]
    fig = _map(run, ranking, top_n=20)
    listed = _listed(fig)
    assert 3 <= len(listed) < 20
    assert all(_squeezed(n) == _squeezed(LONG_NAMES[0]) for n in listed.values())
    more = _by_gid(fig, "list-more")["list-more"].get_text()
    assert more == STATIC_TEXT["more"].format(n=20 - len(listed))
    last = min(b.y0 for b in _extents(fig, _by_gid(fig, "list-").values()))
    keys = max(b.y1 for b in _extents(fig, _by_gid(fig, "score-legend").values()))
    assert last > keys  # the list stops above the keys


def test_inset_titles_wrap_rather_than_cut(run):
    ranking = run.ranking.drop(columns=["metro", "metro_rank"])
    spots = [(-100.31, 25.67), (-100.28, 25.69), (-100.20, 25.75), (-100.35, 25.65)]
    ranking.loc[:3, "geometry"] = gpd.points_from_xy(*zip(*spots, strict=True), crs="EPSG:4326")
    place = "Heroica Ciudad de Juchitán de Zaragoza"  # a long real name, as a stand-in
    ranking.loc[:3, ["municipality", "state"]] = [place, "Oaxaca"]
    fig = _map(run, ranking, top_n=6)
    title = next(t for t in _axes(fig, "detail-map").texts if t.get_gid() == "detail-title")
    assert "\n" in title.get_text() and "…" not in title.get_text()
    assert " ".join(title.get_text().split()) == f"Detail: {place}, Oaxaca"


def test_wrap_runs_never_loses_a_character():
    pg = _Page((11.0, 8.5))
    runs = [("Monterrey:", "bold"), ("Parque  Industrial " + "x" * 80 + " Norte", "normal")]
    lines = pg.wrap_runs(runs, 1.0, 8.0)
    assert len(lines) >= 4
    for line in lines:
        assert sum(pg.text_width(t, 8.0, w) for t, w in line) <= 1.0 + 1e-9
    flat = [(t, w) for line in lines for t, w in line]
    assert flat[0] == ("Monterrey:", "bold") and {w for _, w in flat[1:]} == {"normal"}
    assert _squeezed("".join(t for t, _ in flat)) == _squeezed("".join(t for t, _ in runs))
