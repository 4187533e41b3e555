"""CBP Border Wait Times: parsing, per-port minimum, cache, offline error, waits CSV.

Never touches the network: ``siting.waits._http_get`` is replaced in every fetch test. The
payload is ``tests/data/cbp_bwt_fixture.json``, a test fixture in the real feed format with
invented values (see ``tests/data/README.md``).
"""

from __future__ import annotations

import json
import math
import urllib.error
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from siting import waits
from siting._errors import InputError, SitingError
from siting.waits import WaitsUnavailableError

FIXTURE = Path(__file__).parent / "data" / "cbp_bwt_fixture.json"
FETCHED = datetime(2025, 1, 15, 19, 5, 30, tzinfo=UTC)


@pytest.fixture(scope="module")
def body() -> bytes:
    return FIXTURE.read_bytes()


@pytest.fixture(scope="module")
def rows(body) -> pd.DataFrame:
    return waits.parse_cbp_bwt(body, fetched_at=FETCHED)


@pytest.fixture
def getter(monkeypatch, body):
    """Replace the HTTP getter: returns the fixture and counts calls."""
    calls: list[str] = []

    def fake_get(url: str, *, timeout: float) -> bytes:
        calls.append(url)
        return body

    monkeypatch.setattr(waits, "_http_get", fake_get)
    return calls


def _set_clock(monkeypatch, moment: datetime) -> None:
    monkeypatch.setattr(waits, "_utcnow", lambda: moment)


# --- parsing --------------------------------------------------------------------------------


def test_parse_fixture_rows_and_values(rows):
    assert list(rows.columns) == list(waits.CROSSING_COLUMNS)
    got = {
        (r.port_code, r.crossing_name): (r.standard_min, r.fast_min)
        for r in rows.itertuples(index=False)
    }
    nan = math.nan
    expected = {
        ("2304", "Colombia Solidarity Bridge"): (45.0, 20.0),
        ("2304", "World Trade Bridge"): (35.0, 50.0),
        ("2305", "Pharr International Bridge"): (0.0, nan),  # FAST "Update Pending"
        ("2505", "Tecate"): (nan, nan),  # "Lanes Closed" and "N/A"
        ("2506", "Commercial"): (60.0, 15.0),
    }
    assert got.keys() == expected.keys()
    for key, (standard, fast) in expected.items():
        assert got[key][0] == pytest.approx(standard, nan_ok=True), key
        assert got[key][1] == pytest.approx(fast, nan_ok=True), key
    laredo = rows[rows["crossing_name"] == "World Trade Bridge"].iloc[0]
    assert laredo["port_name"] == "Laredo"
    assert laredo["updated"] == "2025-01-15T13:05:12"
    assert laredo["fetched_at"] == "2025-01-15T19:05:30Z"
    assert laredo["standard_status"] == "delay"
    assert rows["standard_min"].dtype == float and rows["fast_min"].dtype == float


def test_canadian_and_passenger_only_crossings_are_skipped(rows):
    assert "Detroit" not in set(rows["port_name"])
    assert not any(rows["port_code"].str.startswith("38"))
    # Laredo "Gateway to the Americas" and Otay Mesa "Passenger" have no commercial lanes
    assert "Gateway to the Americas Bridge" not in set(rows["crossing_name"])
    assert "Passenger" not in set(rows["crossing_name"])


def test_closed_lanes_give_nan(rows):
    tecate = rows[rows["port_code"] == "2505"].iloc[0]
    assert math.isnan(tecate["standard_min"]) and math.isnan(tecate["fast_min"])
    assert tecate["standard_status"] == "Lanes Closed"


def test_parse_accepts_decoded_list_and_text(body, rows):
    decoded = waits.parse_cbp_bwt(json.loads(body), fetched_at=FETCHED)
    text = waits.parse_cbp_bwt(body.decode(), fetched_at=FETCHED)
    pd.testing.assert_frame_equal(decoded, rows)
    pd.testing.assert_frame_equal(text, rows)


def test_parse_is_defensive_about_odd_values():
    feed = [
        {
            "port_number": "240201",
            "border": "Mexican Border",
            "port_name": "El Paso",
            "crossing_name": "Bridge of the Americas (BOTA)",
            "commercial_vehicle_lanes": {
                "maximum_lanes": "6",
                "standard_lanes": {"operational_status": "delay", "delay_minutes": "abc"},
                # FAST_lanes missing
            },
        },
        {"port_number": "2402", "border": "Mexican Border", "commercial_vehicle_lanes": {}},
        {"port_number": "240202", "border": "Mexican Border"},  # no commercial section
        "not an object",
    ]
    out = waits.parse_cbp_bwt(feed, fetched_at=FETCHED)
    assert out["port_code"].tolist() == ["2402"]
    assert math.isnan(out.loc[0, "standard_min"]) and math.isnan(out.loc[0, "fast_min"])
    assert out.loc[0, "updated"] == ""


def test_parse_rejects_non_json_and_naive_time():
    with pytest.raises(WaitsUnavailableError, match="not JSON"):
        waits.parse_cbp_bwt(b"<html>Service Unavailable</html>", fetched_at=FETCHED)
    with pytest.raises(WaitsUnavailableError, match="expected a JSON list"):
        waits.parse_cbp_bwt(b'{"error": "x"}', fetched_at=FETCHED)
    with pytest.raises(ValueError, match="timezone-aware"):
        waits.parse_cbp_bwt(b"[]", fetched_at=datetime(2025, 1, 15))


def test_empty_parse_keeps_columns():
    out = waits.parse_cbp_bwt(b"[]", fetched_at=FETCHED)
    assert out.empty and list(out.columns) == list(waits.CROSSING_COLUMNS)


# --- per port -------------------------------------------------------------------------------


def test_port_waits_takes_minimum_over_laredo_crossings(rows):
    table = waits.port_waits(rows)
    assert list(table.columns) == list(waits.WAITS_COLUMNS)
    assert table["port_code"].tolist() == ["2304", "2305", "2505", "2506"]
    laredo = table.set_index("port_code").loc["2304"]
    # standard from World Trade Bridge (35 < 45), FAST from Colombia (20 < 50)
    assert laredo["standard_min"] == 35.0 and laredo["fast_min"] == 20.0
    assert laredo["crossings"] == 2 and laredo["port_name"] == "Laredo"
    assert laredo["fetched_at"] == "2025-01-15T19:05:30Z"
    tecate = table.set_index("port_code").loc["2505"]
    assert math.isnan(tecate["standard_min"]) and tecate["crossings"] == 1


def test_port_waits_ignores_crossings_without_value():
    rows = pd.DataFrame(
        {
            "port_code": ["2304", "2304"],
            "port_name": ["Laredo", "Laredo"],
            "standard_min": [math.nan, 50.0],
            "fast_min": [math.nan, math.nan],
            "fetched_at": ["2025-01-15T19:05:30Z"] * 2,
        }
    )
    out = waits.port_waits(rows).iloc[0]
    assert out["standard_min"] == 50.0 and math.isnan(out["fast_min"]) and out["crossings"] == 2


def test_snapshot_label(rows):
    label = waits.snapshot_label(waits.port_waits(rows))
    assert "live snapshot" in label and "2025-01-15T19:05:30Z" in label and "not a typical" in label
    assert waits.snapshot_label(pd.DataFrame({"fetched_at": ["", ""]})) == (
        "typical waits given by hand"
    )


# --- fetch and cache ------------------------------------------------------------------------


def test_fetch_downloads_once_then_uses_cache(tmp_path, monkeypatch, getter, rows):
    _set_clock(monkeypatch, FETCHED)
    first = waits.fetch_cbp_waits(cache_dir=tmp_path)
    assert getter == [waits.CBP_BWT_URL]
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["cbp_bwt_20250115T190530Z.json"]
    assert (tmp_path / files[0]).read_bytes() == FIXTURE.read_bytes()
    pd.testing.assert_frame_equal(first, waits.port_waits(rows))

    _set_clock(monkeypatch, FETCHED + timedelta(minutes=10))
    second = waits.fetch_cbp_waits(cache_dir=tmp_path, max_age_minutes=15)
    assert len(getter) == 1  # from cache
    pd.testing.assert_frame_equal(second, first)  # fetched_at stays the download time


def test_fetch_refetches_when_cache_is_older_than_max_age(tmp_path, monkeypatch, getter):
    old = tmp_path / "cbp_bwt_20250115T180000Z.json"
    old.write_bytes(FIXTURE.read_bytes())
    _set_clock(monkeypatch, datetime(2025, 1, 15, 18, 20, tzinfo=UTC))
    table = waits.fetch_cbp_waits(cache_dir=tmp_path, max_age_minutes=15)
    assert len(getter) == 1
    assert set(table["fetched_at"]) == {"2025-01-15T18:20:00Z"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "cbp_bwt_20250115T180000Z.json",
        "cbp_bwt_20250115T182000Z.json",
    ]
    # max_age 0 always downloads
    _set_clock(monkeypatch, datetime(2025, 1, 15, 18, 21, tzinfo=UTC))
    waits.fetch_cbp_waits(cache_dir=tmp_path, max_age_minutes=0)
    assert len(getter) == 2


def test_fetch_default_cache_folder_is_under_settings(tmp_path, monkeypatch, getter):
    from siting.layers import settings

    monkeypatch.setattr(settings, "cache_folder", tmp_path)
    _set_clock(monkeypatch, FETCHED)
    waits.fetch_cbp_waits()
    assert [p.name for p in (tmp_path / "cbp_waits").iterdir()] == ["cbp_bwt_20250115T190530Z.json"]


@pytest.mark.parametrize(
    "failure",
    [
        urllib.error.URLError(OSError(-3, "Temporary failure in name resolution")),
        ConnectionRefusedError(111, "Connection refused"),
        TimeoutError("timed out"),
        urllib.error.HTTPError(waits.CBP_BWT_URL, 503, "Service Unavailable", None, None),
    ],
    ids=["dns", "refused", "timeout", "http503"],
)
def test_offline_raises_readable_error_and_caches_nothing(tmp_path, monkeypatch, failure):
    def offline(url: str, *, timeout: float) -> bytes:
        raise failure

    monkeypatch.setattr(waits, "_http_get", offline)
    with pytest.raises(WaitsUnavailableError, match="could not reach the US CBP") as info:
        waits.fetch_cbp_waits(cache_dir=tmp_path)
    message = str(info.value)
    assert waits.CBP_BWT_URL in message
    assert "optional" in message and "by hand in the scenario" in message
    assert isinstance(info.value, SitingError)  # the CLI shows it without a traceback
    assert list(tmp_path.iterdir()) == []


def test_bad_answer_is_not_cached(tmp_path, monkeypatch):
    monkeypatch.setattr(waits, "_http_get", lambda url, *, timeout: b"<html>maintenance</html>")
    with pytest.raises(WaitsUnavailableError, match=r"not JSON.*optional"):
        waits.fetch_cbp_waits(cache_dir=tmp_path)
    monkeypatch.setattr(waits, "_http_get", lambda url, *, timeout: b"[]")
    with pytest.raises(WaitsUnavailableError, match="no Mexican-border crossing"):
        waits.fetch_cbp_waits(cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_unreadable_cached_answer_is_refetched(tmp_path, monkeypatch, getter):
    (tmp_path / "cbp_bwt_20250115T190000Z.json").write_text("garbage")
    _set_clock(monkeypatch, FETCHED)
    waits.fetch_cbp_waits(cache_dir=tmp_path)
    assert len(getter) == 1


# --- waits CSV ------------------------------------------------------------------------------


def test_csv_round_trip(tmp_path, rows):
    table = waits.port_waits(rows)
    path = waits.write_waits_csv(table, tmp_path / "waits.csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "port_code,port_name,standard_min,fast_min,crossings,fetched_at"
    assert lines[1] == "2304,Laredo,35,20,2,2025-01-15T19:05:30Z"
    assert "2505,Tecate,,,1," in lines[3]
    back = waits.read_waits_csv(path)
    assert list(back.columns) == list(waits.WAITS_COLUMNS)
    pd.testing.assert_frame_equal(
        back.drop(columns="crossings"), table.drop(columns="crossings"), check_dtype=False
    )
    assert back["crossings"].tolist() == table["crossings"].tolist()


def test_csv_by_hand_with_only_required_columns(tmp_path):
    path = tmp_path / "typical.csv"
    path.write_text("port_code,standard_min,fast_min\n2304,90,40\n2506,75,\n", encoding="utf-8")
    table = waits.read_waits_csv(path)
    assert table["port_code"].tolist() == ["2304", "2506"]
    assert table["standard_min"].tolist() == [90.0, 75.0] and math.isnan(table["fast_min"][1])
    assert waits.snapshot_label(table) == "typical waits given by hand"


def test_csv_bad_rows_name_file_row_and_field(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        "port_code,port_name,standard_min,fast_min\n"
        "2304,Laredo,45,20\n"
        "2506,Otay Mesa,abc,15\n"
        "2305,Hidalgo,30,-5\n"
        "23O4,Laredo typo,10,\n",
        encoding="utf-8",
    )
    with pytest.raises(InputError) as info:
        waits.read_waits_csv(path)
    message = str(info.value)
    assert repr(str(path)) in message and "3 problems" in message
    assert "row 3, field standard_min: expected minutes as a number ≥ 0" in message
    assert "got 'abc'" in message
    assert "row 4, field fast_min" in message and "got '-5'" in message
    assert "row 5, field port_code: expected a 4-digit CBP port code" in message


def test_csv_single_problem_and_missing_columns(tmp_path):
    one = tmp_path / "one.csv"
    one.write_text("port_code,standard_min,fast_min\n2304,45,x\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"one\.csv', row 2, field fast_min: expected"):
        waits.read_waits_csv(one)
    cols = tmp_path / "cols.csv"
    cols.write_text("port,standard_min\n2304,45\n", encoding="utf-8")
    with pytest.raises(InputError, match=r"header \(row 1\) lacks column\(s\) port_code, fast_min"):
        waits.read_waits_csv(cols)
    dup = tmp_path / "dup.csv"
    dup.write_text("port_code,standard_min,fast_min\n2304,1,\n2304,2,\n", encoding="utf-8")
    with pytest.raises(InputError, match="row 3, field port_code: 2304 already given in row 2"):
        waits.read_waits_csv(dup)
    with pytest.raises(InputError, match="not found"):
        waits.read_waits_csv(tmp_path / "absent.csv")


def test_atomic_write_leaves_no_temp_file(tmp_path, rows, monkeypatch):
    table = waits.port_waits(rows)
    target = tmp_path / "waits.csv"
    waits.write_waits_csv(table, target)
    assert [p.name for p in tmp_path.iterdir()] == ["waits.csv"]

    # a failure while replacing keeps the old file and removes the temporary one
    before = target.read_bytes()

    def broken_replace(src, dst):
        raise OSError("disk full")

    monkeypatch.setattr(waits.os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk full"):
        waits.write_waits_csv(table.iloc[:1], target)
    assert [p.name for p in tmp_path.iterdir()] == ["waits.csv"]
    assert target.read_bytes() == before
