"""The state atlas (siting.maps.atlas): state sheets, cover, classes, saving.

The sheets of all 32 states are drawn from the real default national run (``siting.run()``)
and its municipal surface (``siting.municipal.municipal_surface``); quick checks use the small
run of ``tests._maps_fixtures.make_run``. Figure comparisons against ``tests/baseline/`` (see
its README.md) pin the layout of two state sheets and the cover; regenerate them with
``SITING_REGEN_BASELINES=1``.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import string

import matplotlib as mpl
import numpy as np
import pandas as pd
import pytest
import shapely
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.testing.compare import compare_images
from matplotlib.text import Text

import siting
from siting.layers import CRS_METRIC
from siting.localize import format_date, format_number
from siting.maps import atlas
from siting.maps.atlas import (
    AtlasContext,
    atlas_context,
    cover_map,
    save_sheet,
    state_index,
    state_map,
    surface_classes,
    write_atlas_pdf,
)
from siting.maps.atlas._text import credit_of
from siting.maps.atlas.context import REMOTE_KM
from siting.maps.style import print_cmap, print_norm
from siting.maps.text import ATLAS_TEXT, ATLAS_TEXT_BY_LANG
from siting.metros import metro_leaders
from siting.municipal import municipal_surface, state_ranks
from tests._maps_fixtures import TEMPLATE_NAME, make_run

ES = ATLAS_TEXT_BY_LANG["es"]
BASELINE = os.path.join(os.path.dirname(__file__), "baseline")
#: Fixed date and run id of the pinned sheets.
DAY = dt.date(2026, 12, 1)
RUN_ID = "3f2a9c1b7e42"
#: RMS tolerance (0-255 grey levels) of the figure comparisons. Rendering here is exact (RMS 0
#: against a baseline drawn in another process); measured on the Nuevo León sheet: moving the map
#: frame by 0.05 in gives RMS 26, widening the side panel by 0.05 in 35, numbering one site
#: fewer 20, a slightly darker sea (#d0e4f2 for #dbe9f3, Baja California) 2.8; another
#: production date in the subtitle and footer 0.6 (text content is checked by the other tests).
TOLERANCE = 1.0
#: All 32 state codes.
CODES = [f"{i:02d}" for i in range(1, 33)]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def national():
    """The default national run, its municipal surface and an atlas context (about 15 s)."""
    run = siting.run()
    surface = municipal_surface(run)
    return run, surface, atlas_context(run, surface=surface)


@pytest.fixture(scope="module")
def quick():
    """The small 12-site run, its surface and context."""
    run = make_run(12)
    surface = municipal_surface(run)
    return run, surface, atlas_context(run, surface=surface)


def _texts(fig: Figure) -> list[Text]:
    return [t for t in fig.findobj(Text) if t.get_text()]


def _by_gid(fig: Figure, gid: str) -> list[Text]:
    return [t for t in _texts(fig) if t.get_gid() == gid]


def _gid_text(fig: Figure, gid: str) -> str:
    """The text drawn with ``gid`` (lines of a wrapped paragraph joined by a space)."""
    found = _by_gid(fig, gid)
    assert found, gid
    return " ".join(t.get_text() for t in found)


def _prefixed(fig: Figure, prefix: str) -> list[str]:
    return [t.get_text() for t in _texts(fig) if (t.get_gid() or "").startswith(prefix)]


def _words(text: str) -> str:
    return " ".join(text.split())


def _english_only() -> set[str]:
    """Fixed English pieces (6+ characters) of the atlas table that Spanish never uses."""
    spanish = " ".join(ES.values())
    pieces = set()
    for template in ATLAS_TEXT.values():
        for literal, *_ in string.Formatter().parse(template):
            for piece in re.split(r"[·:;,()“”«»]", literal):
                piece = piece.strip()
                if len(piece) >= 6 and piece not in spanish:
                    pieces.add(piece)
    return pieces


ENGLISH_ONLY = _english_only()


# --- classes of the surface ----------------------------------------------------------------------


def test_classes_are_natural_breaks_of_the_national_surface(national):
    run, surface, ctx = national
    classes = ctx.classes
    values = surface["best_score"].dropna().to_numpy()
    assert classes.k == 6
    assert sum(classes.counts) == len(values)
    assert classes.low[0] == values.min() and classes.high[-1] == values.max()
    assert list(classes.upper) == sorted(classes.upper)
    # the colour of a class is the national ramp at the middle of the class
    norm = print_norm(run.ranking["score"])
    mid = (classes.low[2] + classes.high[2]) / 2
    assert classes.colors[2] == mpl.colors.to_hex(print_cmap()(norm(mid)))
    # one state's rows get the national classes, not their own
    nl = surface[surface["CVE_ENT"] == "19"]
    own = surface_classes(nl)
    assert own.upper != classes.upper
    assert set(classes.classify(nl["best_score"])) - {-1} <= set(range(6))
    assert classes.labels("es")[-1] == (
        f"{format_number(classes.low[-1], lang='es')} – {format_number(values.max(), lang='es')}"
    )


def test_classes_with_few_values_and_bad_input():
    few = pd.DataFrame({"best_score": [50.0, 50.0, 70.0, np.nan]})
    classes = surface_classes(few, k=6)
    assert classes.k == 2 and classes.counts == (2, 1)
    assert classes.classify([np.nan, 50.0, 69.0, 99.0]).tolist() == [-1, 0, 1, 1]
    empty = surface_classes(pd.DataFrame({"best_score": [np.nan]}))
    assert empty.k == 0 and empty.classify([1.0]).tolist() == [-1]
    with pytest.raises(ValueError, match=r"`k` must be a positive integer, received 0") as err:
        surface_classes(pd.DataFrame({"x": [1.0]}), k=0)
    assert "`best_score` column" in str(err.value)


# --- one sheet per state (the real national run) ------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("code", CODES)
def test_state_sheet(national, code):
    run, _, ctx = national
    fig = state_map(run, code, context=ctx, day=DAY, run_id=RUN_ID)
    states = run.layers["states"]
    name = states.loc[states["CVE_ENT"] == code, "state"].iloc[0]

    # scores and ranks are the national run's: the state's best sites by national rank
    ranking = run.ranking.assign(state_rank=state_ranks(run.ranking))
    mine = ranking[(ranking["CVE_ENT"] == code) & ranking["state_rank"].notna()]
    expected = mine.sort_values("rank", kind="stable").head(10)
    assert len(expected), "every state has a ranked site in the default run"
    for _, row in expected.iterrows():
        label = format_number(row["state_rank"], 0, lang="es")
        assert _gid_text(fig, f"list-score-{label}") == format_number(row["score"], 1, lang="es")
        shown = " ".join(_prefixed(fig, f"list-name-{label}-"))
        assert _words(shown) == _words(str(row["name"]))  # the full name, wrapped, never cut
        details = " ".join(_prefixed(fig, f"list-details-{label}-"))
        assert ES["list_national"].format(rank=format_number(row["rank"], 0, lang="es")) in details
        assert _by_gid(fig, f"badge-{label}"), "numbered on the map too"
    assert _gid_text(fig, "list-header") == ES["list_header"]

    # the frame contains the state (without islands more than REMOTE_KM from its mainland)
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    geom = states[states["CVE_ENT"] == code].to_crs(CRS_METRIC).geometry.iloc[0]
    main = ctx.states.set_index("CVE_ENT").loc[code, "main"]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    bx0, by0, bx1, by1 = main.bounds
    assert x0 <= bx0 and bx1 <= x1 and y0 <= by0 and by1 <= y1
    footer = _words(" ".join(_prefixed(fig, "footer-")))
    remote = ES["remote_note"].format(km=format_number(REMOTE_KM, 0, lang="es"))
    if shapely.equals(main, geom):
        assert remote not in footer
    else:  # Colima's Revillagigedo islands: the sheet says they are outside the frame
        assert code == "06" and remote in footer

    # Spanish text from the table, no English-only text
    assert fig.get_suptitle() == ES["title"].format(state=name)
    assert _gid_text(fig, "legend-header") == ES["legend_header"]
    assert footer.startswith(ES["author_blank"])
    assert ES["run"].format(run_id=RUN_ID) in footer
    assert ES["made_on"].format(date=format_date(DAY, lang="es")) in footer
    # (the credits of the sources are data, some in English: "Border Crossing/Entry Data")
    texts = [t.get_text() for t in _texts(fig) if "sources" not in (t.get_gid() or "")]
    leaks = sorted({p for p in ENGLISH_ONLY for s in texts if p in s})
    assert leaks == []

    # the sheet names its sources
    assert ES["sources"] in footer
    for source in run.sources.values():
        assert _words(credit_of(source)) in footer


@pytest.mark.slow
def test_colours_mean_the_same_on_every_sheet(national):
    run, _, ctx = national
    swatches = []
    for code in ("19", "29"):
        fig = state_map(run, code, context=ctx, day=DAY)
        legend = [
            p.get_facecolor()
            for p in fig.findobj(Rectangle)
            if (p.get_gid() or "").startswith("class-")
        ]
        swatches.append([mpl.colors.to_hex(c) for c in legend])
        surface = next(c for c in fig.axes[0].collections if c.get_gid() == "surface")
        colours = {mpl.colors.to_hex(c) for c in surface.get_facecolors()}
        assert colours <= set(ctx.classes.colors)
    assert swatches[0] == swatches[1] == [*reversed(ctx.classes.colors), "#ffffff"]


@pytest.mark.slow
@pytest.mark.parametrize("page", ["letter", "tabloid", "a4", "a3"])
@pytest.mark.parametrize("orientation", ["landscape", "portrait"])
def test_every_page_size_keeps_the_sheet_on_the_page(national, page, orientation):
    run, _, ctx = national
    fig = state_map(run, "19", context=ctx, page=page, orientation=orientation, day=DAY)
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    w, h = fig.bbox.width, fig.bbox.height
    ax = next(a for a in fig.axes if a.get_gid() == "map")
    frame = ax.get_window_extent(renderer)
    for text in _texts(fig):
        box = text.get_window_extent(renderer)
        if text.axes is ax and text.get_clip_on():
            continue  # clipped by the frame
        assert box.x0 >= -0.5 and box.y0 >= -0.5 and box.x1 <= w + 0.5 and box.y1 <= h + 0.5, (
            text.get_gid(),
            text.get_text(),
        )
        if (text.get_gid() or "").startswith(("list-", "legend", "class-", "key-", "footer")):
            assert not box.overlaps(frame), (text.get_gid(), text.get_text())


# --- figure comparison ---------------------------------------------------------------------------


def _compare(fig: Figure, name: str, tmp_path) -> None:
    expected = os.path.join(BASELINE, f"{name}.png")
    if os.environ.get("SITING_REGEN_BASELINES"):
        save_sheet(fig, expected, fmt="png", dpi=70)
        pytest.skip(f"regenerated {expected}")
    actual = tmp_path / f"{name}.png"
    save_sheet(fig, actual, fmt="png", dpi=70)
    result = compare_images(expected, str(actual), tol=TOLERANCE)
    assert result is None, result


@pytest.mark.slow
@pytest.mark.parametrize("code", ["19", "02"])
def test_state_sheet_matches_its_baseline(national, code, tmp_path):
    run, _, ctx = national
    _compare(state_map(run, code, context=ctx, day=DAY, run_id=RUN_ID), f"state_{code}", tmp_path)


@pytest.mark.slow
def test_cover_matches_its_baseline(national, tmp_path):
    run, _, ctx = national
    _compare(cover_map(run, context=ctx, day=DAY, run_id=RUN_ID), "cover", tmp_path)


# --- cover ---------------------------------------------------------------------------------------


@pytest.mark.slow
def test_cover_indexes_the_states_by_best_score(national):
    run, _, ctx = national
    order = ["19", "02", "09"]
    fig = cover_map(run, context=ctx, states=order, day=DAY)
    index = state_index(ctx, order)
    assert list(index["CVE_ENT"]) == ["19", "02", "09"]  # by best score: 86.7, 76.4, 72.9
    assert list(index["page"]) == [2, 3, 4]  # the cover is page 1, the states follow in order
    ranking = run.ranking
    for _, row in index.iterrows():
        best = ranking[ranking["CVE_ENT"] == row["CVE_ENT"]].sort_values("rank").iloc[0]
        assert row["site"] == best["name"] and row["score"] == best["score"]
        code = row["CVE_ENT"]
        assert _gid_text(fig, f"index-{code}-0") == str(row["page"])
        assert _gid_text(fig, f"index-{code}-4") == format_number(best["score"], 1, lang="es")
    assert fig.get_suptitle() == ES["cover_title"]
    # the best site of each of the ten best metros, numbered by the metro's rank (as map.png)
    top = metro_leaders(ranking[ranking["rank"].notna()]).head(10)
    assert top["metro"].is_unique
    for i, (_, row) in enumerate(top.iterrows(), start=1):
        assert row["metro_rank"] == i
        assert _gid_text(fig, f"top-score-{i}") == format_number(row["score"], 1, lang="es")
        assert _by_gid(fig, f"badge-{i}")
    assert "Monterrey: Salinas Victoria, NL (seat)" in _words(" ".join(_prefixed(fig, "top-")))
    full = cover_map(run, context=ctx, day=DAY)
    assert len(_prefixed(full, "index-")) >= 32 * 5


# --- quick run: language, names, validation, saving -----------------------------------------------


def _template_state(run) -> str:
    return str(run.ranking.loc[run.ranking["name"] == TEMPLATE_NAME, "CVE_ENT"].iloc[0])


def test_english_edition_and_the_author_line(quick):
    run, surface, _ = quick
    code = _template_state(run)
    fig = state_map(run, code, surface=surface, lang="en", author="Lic. Ana Pérez", day=DAY)
    state = run.layers["states"].set_index("CVE_ENT").loc[code, "state"]
    assert fig.get_suptitle() == ATLAS_TEXT["title"].format(state=state)
    footer = _words(" ".join(_prefixed(fig, "footer-")))
    assert footer.startswith("Prepared by: Lic. Ana Pérez")
    assert "December 1, 2026" in footer and ATLAS_TEXT["run_blank"] in footer
    assert _gid_text(fig, "legend-header") == "Legend"


def test_names_with_dollar_signs_are_printed_literally(quick, tmp_path):
    run, _, ctx = quick
    code = _template_state(run)
    fig = state_map(run, code, context=ctx, title="Plan $1 $2", day=DAY)
    names = [t for t in _texts(fig) if (t.get_gid() or "").startswith("list-name-")]
    ranked = ctx.sites[ctx.sites["CVE_ENT"] == code].set_index("name")["state_rank"]
    label = format_number(ranked[TEMPLATE_NAME], 0, lang="es")
    assert _words(" ".join(_prefixed(fig, f"list-name-{label}-"))) == _words(TEMPLATE_NAME)
    assert fig.get_suptitle() == "Plan $1 $2"
    assert all(not t._parse_math for t in names)
    save_sheet(fig, tmp_path / "sheet.png", fmt="png", dpi=40)  # renders without mathtext errors


def test_a_state_without_ranked_sites_says_so(quick):
    run, _, ctx = quick
    ranked = set(ctx.sites["CVE_ENT"])
    code = next(c for c in CODES if c not in ranked)
    fig = state_map(run, code, context=ctx, day=DAY)
    assert _gid_text(fig, "list-empty") == ES["list_empty"]
    assert not _prefixed(fig, "list-score-")


def test_invalid_arguments_are_listed_together(quick):
    run, surface, ctx = quick
    with pytest.raises(ValueError, match="4 invalid input") as err:
        state_map(run, "99", surface=surface, lang="fr", page="legal", orientation="diagonal")
    message = str(err.value)
    assert "`state` was '99' but is expected to be a state code (CVE_ENT)" in message
    assert "`lang` was 'fr'" in message and "`page` was 'legal'" in message
    assert "`orientation` was 'diagonal'" in message
    with pytest.raises(ValueError, match="`top_n` must be a non-negative integer") as err:
        state_map(run, "19", context=ctx, top_n=-1, day="2026-12-01")
    assert "`day` must be a datetime.date" in str(err.value)
    with pytest.raises(ValueError, match="`surface` is required"):
        state_map(run, "19")
    with pytest.raises(ValueError, match="`surface` lacks column"):
        state_map(run, "19", surface=surface.drop(columns="best_score"))
    other = atlas_context(run, surface=surface.copy())
    with pytest.raises(ValueError, match="another surface"):
        state_map(run, "19", surface=surface, context=other)
    with pytest.raises(ValueError, match="another run"):
        state_map(make_run(12, constrained=False), "19", context=ctx)
    with pytest.raises(ValueError, match=r"(?s)unknown state code\(s\) \[.99.\].*repeats \[.19.\]"):
        cover_map(run, context=ctx, states=["19", "99", "19"])
    assert isinstance(ctx, AtlasContext)


def test_save_sheet_formats(quick, tmp_path):
    run, _, ctx = quick
    fig = state_map(run, "28", context=ctx, day=DAY)
    png = save_sheet(fig, tmp_path / "s.png", fmt="png", dpi=50)
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    from PIL import Image

    with Image.open(png) as image:
        assert image.size == (550, 425)  # letter landscape at 50 dpi
    svg = save_sheet(fig, tmp_path / "s.svg", fmt="svg").read_text(encoding="utf-8")
    assert "<svg" in svg and "Tamaulipas" in svg  # text stays text
    pdf = save_sheet(fig, tmp_path / "s.pdf").read_bytes()
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # TrueType embedded
    with pytest.raises(ValueError, match=r"`fmt` was 'jpg'.*`dpi` must be a positive") as err:
        save_sheet(fig, tmp_path / "missing" / "s.jpg", fmt="jpg", dpi=0)
    assert "does not exist" in str(err.value)


def test_save_sheet_leaves_no_file_when_it_fails(quick, tmp_path, monkeypatch):
    run, _, ctx = quick
    fig = state_map(run, "28", context=ctx, day=DAY)
    target = tmp_path / "sheet.pdf"
    target.write_bytes(b"old sheet")

    def broken(self, fname, **kwargs):
        with open(fname, "wb") as fh:
            fh.write(b"%PDF half")
        raise OSError("disk full")

    monkeypatch.setattr(Figure, "savefig", broken)
    with pytest.raises(OSError, match="disk full"):
        save_sheet(fig, target)
    assert target.read_bytes() == b"old sheet"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]
    with pytest.raises(OSError, match="disk full"):
        save_sheet(fig, tmp_path / "new.png", fmt="png")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sheet.pdf"]


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page\b", pdf))


def test_atlas_pdf_is_written_page_by_page(quick, tmp_path):
    run, _, ctx = quick
    codes = ["28", "05", "11"]
    made: list[Figure] = []

    def figures():
        for code in [None, *codes]:
            # the page before was written and cleared before this one is drawn
            assert not made or not made[-1].axes
            if code is None:
                fig = cover_map(run, context=ctx, states=codes, day=DAY)
            else:
                fig = state_map(run, code, context=ctx, day=DAY)
            made.append(fig)
            yield fig

    progress: list[int] = []
    path = tmp_path / "atlas.pdf"
    n = write_atlas_pdf(path, figures(), on_page=progress.append)
    assert n == 4 and progress == [1, 2, 3, 4]
    data = path.read_bytes()
    assert _pages(data) == 4
    assert ES["cover_title"].encode("utf-16-be") in data or b"Atlas" in data
    assert [p.name for p in tmp_path.iterdir()] == ["atlas.pdf"]


def test_atlas_pdf_is_atomic(quick, tmp_path):
    run, _, ctx = quick

    def figures():
        yield cover_map(run, context=ctx, day=DAY)
        yield "not a figure"

    path = tmp_path / "atlas.pdf"
    with pytest.raises(ValueError, match="page 2 is a str"):
        write_atlas_pdf(path, figures())
    assert list(tmp_path.iterdir()) == []


def test_atlas_text_and_context_builder(quick):
    run, surface, ctx = quick
    assert atlas.atlas_text()["legend_header"] == "Simbología"
    assert atlas.atlas_text("en")["progress"] == ATLAS_TEXT["progress"]
    with pytest.raises(ValueError, match="`lang` was 'fr'"):
        atlas.atlas_text("fr")
    built = AtlasContext.build(run, surface)
    assert built.classes == ctx.classes and built.state_codes() == CODES


def test_the_package_exports_its_api():
    assert set(atlas.__all__) >= {
        "state_map",
        "cover_map",
        "save_sheet",
        "write_atlas_pdf",
        "surface_classes",
        "atlas_context",
    }
