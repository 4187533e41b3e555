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

from siting import layers
from siting.maps.static import PAGE_SIZES, save_static, static_map
from siting.maps.style import EXCLUDED_COLOR
from siting.maps.text import STATIC_TEXT, TEXT
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
        text = _by_gid(fig, f"criterion-{crit.name}")[f"criterion-{crit.name}"].get_text()
        arrow = "↓" if crit.direction == "cost" else "↑"
        assert f"{arrow} {crit.label}".startswith(text.removesuffix("…"))
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
        name = _by_gid(fig, f"list-name-{label}")[f"list-name-{label}"].get_text()
        assert row["name"].startswith(name.removesuffix("…"))
        metro = _by_gid(fig, f"list-metro-{label}")[f"list-metro-{label}"].get_text()
        assert f"{row['metro']}: ".startswith(metro.removesuffix("…"))
        score = _by_gid(fig, f"list-score-{label}")[f"list-score-{label}"].get_text()
        assert score == f"{row['score']:.1f}"
    # no other site of a labelled metro is labelled or listed
    others = run.ranking[
        run.ranking["metro"].isin(top["metro"]) & ~run.ranking.index.isin(top.index)
    ]
    listed = {t.get_text() for t in _by_gid(fig, "list-name-").values()}
    assert not listed & set(others["name"])
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
    listed = [t.get_text() for gid, t in _by_gid(fig, "list-name-").items()]
    assert len(listed) == 5
    assert ranking.loc[0, "name"] not in listed
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
    with pytest.raises(ValueError, match="`page` was 'A3'"):
        _map(run, page="A3")
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
    text = _by_gid(fig, "criterion-route_risk")["criterion-route_risk"].get_text()
    assert "(state rates)" in crit.label and "(state rates)" in text
