"""Robustness of the caches and of user road-network files: no traceback, no lost file.

Each case names what QA fed in and what must happen: a damaged routing cache is rebuilt with one
warning; a cache that cannot be written costs only the cache (one warning, no temporary file
left); temporary files of killed runs are removed by the next run; a truncated or malformed road
network file is one :class:`siting.InputError` naming the file and what to do. No network.
"""

from __future__ import annotations

import bz2
import errno
import logging
import os
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import networkx as nx
import numpy as np
import pytest

from siting._errors import InputError
from siting.layers import roads, settings
from siting.network import NetworkSettings, routing_network
from siting.routing import RoutingNetwork, cache

ATLIXCO = Path(__file__).parent / "data" / "atlixco_puebla_drive_2025-05-27.osm.bz2"


# -- helpers ------------------------------------------------------------------------------------


def small_graph() -> nx.MultiDiGraph:
    """Six nodes near Puebla with string ids, travel times, states and a parallel edge."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(6):
        G.add_node(f"n{i}", x=-98.2 + 0.01 * i, y=19.0 + 0.005 * (i % 2))
    for i in range(5):
        state = "21" if i < 3 else "29"
        G.add_edge(f"n{i}", f"n{i + 1}", travel_time=60.0 + i, cve_ent=state)
        G.add_edge(f"n{i + 1}", f"n{i}", travel_time=65.0 + i, cve_ent=state)
    G.add_edge("n0", "n1", travel_time=30.0, cve_ent="21")  # parallel: the minimum counts
    return G


def assert_same_network(a: RoutingNetwork, b: RoutingNetwork) -> None:
    np.testing.assert_array_equal(a.node_ids.astype(str), b.node_ids.astype(str))
    np.testing.assert_array_equal(a.xy, b.xy)
    for m, n in ((a.csr, b.csr), (a.csr_t, b.csr_t)):
        for attr in ("data", "indices", "indptr"):
            np.testing.assert_array_equal(getattr(m, attr), getattr(n, attr))
    np.testing.assert_array_equal(a.arc_state, b.arc_state)
    np.testing.assert_array_equal(a.node_state, b.node_state)
    assert a.states == b.states and a.key == b.key


def warnings_of(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.fixture
def user_graphml(tmp_path) -> Path:
    """A small osmnx GraphML road network (integer node ids, OSM highway and length)."""
    G = nx.MultiDiGraph(crs="EPSG:4326")
    for i in range(8):
        G.add_node(100 + i, x=-98.43 + 0.004 * i, y=18.90 + 0.002 * (i % 3))
    for i in range(7):
        for a, b in ((100 + i, 101 + i), (101 + i, 100 + i)):
            G.add_edge(a, b, highway="primary" if i < 4 else "secondary", length=450.0 + i)
    path = tmp_path / "user_roads.graphml"
    roads.save_graphml(G, path)
    return path


@pytest.fixture
def cached_file(tmp_path) -> tuple[Path, RoutingNetwork]:
    """A good routing cache of :func:`small_graph` in ``tmp_path``, and the fresh build."""
    net = RoutingNetwork.cached(small_graph(), cache_dir=tmp_path)
    assert not net.from_cache and net.cache_file is not None
    return Path(net.cache_file), RoutingNetwork.from_graph(small_graph())


def rebuilt_once(path: Path, fresh: RoutingNetwork, caplog, *, reason: str) -> None:
    """Assert: one warning naming ``path`` and ``reason``, a rebuild equal to ``fresh``, and the
    damaged file replaced by a good one (the next run reads it without a warning)."""
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="siting"):
        net = RoutingNetwork.cached(small_graph(), cache_dir=path.parent)
    messages = warnings_of(caplog)
    assert len(messages) == 1, messages
    assert str(path) in messages[0] and "rebuilding it" in messages[0]
    assert reason in messages[0]
    assert not net.from_cache and net.cache_file == str(path)
    assert_same_network(net, fresh)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="siting"):
        again = RoutingNetwork.cached(small_graph(), cache_dir=path.parent)
    assert again.from_cache and warnings_of(caplog) == []
    assert_same_network(again, fresh)
    assert temp_files(path.parent) == []


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def member_data_offset(path: Path, member: str) -> tuple[int, int]:
    """Return (offset, size) of the stored bytes of ``member`` in the zip file ``path``."""
    with zipfile.ZipFile(path) as z:
        info = z.getinfo(member)
    raw = path.read_bytes()
    h = info.header_offset
    name_len = int.from_bytes(raw[h + 26 : h + 28], "little")
    extra_len = int.from_bytes(raw[h + 28 : h + 30], "little")
    return h + 30 + name_len + extra_len, info.compress_size


def dead_pid() -> int:
    """The id of a process that has just ended."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


# -- 1. a damaged routing cache is rebuilt, with one warning -----------------------------------


def test_C01_truncated_routing_cache_is_rebuilt(cached_file, caplog):
    path, fresh = cached_file
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    rebuilt_once(path, fresh, caplog, reason="BadZipFile")


def test_C02_empty_routing_cache_is_rebuilt(cached_file, caplog):
    path, fresh = cached_file
    path.write_bytes(b"")
    rebuilt_once(path, fresh, caplog, reason="an empty file")


def test_C03_crc_damaged_routing_cache_is_rebuilt(cached_file, caplog):
    path, fresh = cached_file
    offset, size = member_data_offset(path, "data.npy")
    raw = bytearray(path.read_bytes())
    raw[offset + size - 3] ^= 0xFF  # inside the travel times, after the .npy header
    path.write_bytes(bytes(raw))
    rebuilt_once(path, fresh, caplog, reason="Bad CRC-32")


def test_C04_garbage_routing_cache_is_rebuilt(cached_file, caplog):
    path, fresh = cached_file
    path.write_bytes(np.random.default_rng(0).bytes(5000))
    rebuilt_once(path, fresh, caplog, reason="not a zip archive")


def test_C05_routing_cache_of_another_format_is_rebuilt(cached_file, caplog):
    path, fresh = cached_file
    with np.load(path) as z:
        members = {name: z[name] for name in z.files}
    members["fmt"] = np.asarray(cache.CACHE_FORMAT - 1)
    with open(path, "wb") as f:
        np.savez(f, **members)
    rebuilt_once(path, fresh, caplog, reason=f"expected {cache.CACHE_FORMAT}")


def test_C06_routing_cache_failing_its_checksum_is_rebuilt(cached_file, caplog):
    """A valid zip whose arrays were altered (re-saved with the old checksum)."""
    path, fresh = cached_file
    with np.load(path) as z:
        members = {name: z[name] for name in z.files}
    members["data"] = members["data"] * 2.0  # every travel time doubled: a valid, wrong cache
    with open(path, "wb") as f:
        np.savez(f, **members)
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None  # the zip itself is sound
    rebuilt_once(path, fresh, caplog, reason="SHA-256 checksum")


def test_C07_routing_cache_holding_another_key_is_rebuilt(tmp_path, caplog):
    """A cache file renamed (or copied) onto another network's name."""
    other = small_graph()
    other.add_edge("n5", "n0", travel_time=999.0, cve_ent="29")
    other_file = Path(RoutingNetwork.cached(other, cache_dir=tmp_path).cache_file)
    fresh = RoutingNetwork.from_graph(small_graph())
    path = tmp_path / f"routing_{fresh.key}.npz"
    os.replace(other_file, path)
    rebuilt_once(path, fresh, caplog, reason=f"expected {fresh.key!r}")


def test_C08_damaged_cache_of_a_user_network_is_rebuilt_in_a_run(
    tmp_path, monkeypatch, caplog, user_graphml
):
    """Through :func:`siting.network.routing_network` (cache keyed on the file: source_key)."""
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    net_settings = NetworkSettings(source=str(user_graphml))
    first, info = routing_network(net_settings)
    path = Path(info["cache_file"])
    path.write_bytes(path.read_bytes()[:1000])
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="siting"):
        again, info = routing_network(net_settings)
    assert len(warnings_of(caplog)) == 1 and "rebuilding it" in warnings_of(caplog)[0]
    assert not info["from_cache"] and info["cache_file"] == str(path)
    assert_same_network(again, first)
    assert routing_network(net_settings)[1]["from_cache"]


# -- 2. a cache that cannot be written costs only the cache ------------------------------------


def write_fails_once(caplog, reason: str, **cached_kwargs) -> RoutingNetwork:
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="siting"):
        net = RoutingNetwork.cached(small_graph(), **cached_kwargs)
    messages = warnings_of(caplog)
    assert len(messages) == 1, messages
    assert messages[0].startswith("could not write the routing cache")
    assert reason in messages[0] and "continuing without it" in messages[0]
    assert not net.from_cache and net.cache_file is None
    assert_same_network(net, RoutingNetwork.from_graph(small_graph()))
    return net


def test_C09_read_only_cache_folder_runs_in_memory(tmp_path, caplog):
    folder = tmp_path / "routing"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        probe = folder / "probe"
        try:
            probe.write_bytes(b"")
        except PermissionError:
            pass
        else:
            probe.unlink()
            pytest.skip("permissions are not enforced (running as root); see C12, C13")
        write_fails_once(caplog, "Permission denied", cache_dir=folder)
        assert list(folder.iterdir()) == []
    finally:
        folder.chmod(0o700)


def test_C10_file_in_place_of_the_cache_folder_runs_in_memory(tmp_path, monkeypatch, caplog):
    """Works as root too: a plain file where the siting cache folder should be."""
    blocker = tmp_path / "cache"
    blocker.write_text("not a folder")
    monkeypatch.setattr(settings, "cache_folder", blocker)
    write_fails_once(caplog, "Not a directory")  # reading it was a plain miss: no warning
    assert blocker.read_text() == "not a folder"
    # a file where the routing/ sub-folder should be
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "c2")
    (tmp_path / "c2").mkdir()
    (tmp_path / "c2" / "routing").write_text("")
    write_fails_once(caplog, "File exists")


def test_C11_disk_full_while_writing_runs_in_memory(tmp_path, monkeypatch, caplog):
    def full(file, **_arrays):
        file.write(b"PK\x03\x04 partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(cache.np, "savez", full)
    write_fails_once(caplog, "No space left on device", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []  # no temporary file, no partial cache


@pytest.mark.parametrize(
    "failure",
    [
        PermissionError(errno.EACCES, "Permission denied"),
        OSError(errno.EDQUOT, "Disk quota exceeded"),
    ],
    ids=["permission", "quota"],
)
def test_C12_rename_failing_runs_in_memory(tmp_path, monkeypatch, caplog, failure):
    def fail(*_a):
        raise failure

    monkeypatch.setattr(cache.os, "replace", fail)
    write_fails_once(caplog, failure.strerror, cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_C13_temporary_file_not_creatable_runs_in_memory(tmp_path, monkeypatch, caplog):
    """Read-only folder simulated for root: creating the temporary file is refused."""

    def refused(target, kind):
        raise PermissionError(errno.EACCES, "Permission denied", str(target.parent))

    monkeypatch.setattr(settings, "cache_temp_file", refused)
    write_fails_once(caplog, "Permission denied", cache_dir=tmp_path)
    assert list(tmp_path.iterdir()) == []


# -- 3. temporary files: beside the target, removed on failure, stale ones swept ---------------


def test_C14_temporary_file_is_beside_the_target_and_named_with_the_pid(tmp_path, monkeypatch):
    seen = []
    real_replace = os.replace

    def spy(src, dst):
        seen.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(cache.os, "replace", spy)
    net = RoutingNetwork.cached(small_graph(), cache_dir=tmp_path)
    ((src, dst),) = seen
    assert dst == Path(net.cache_file) and src.parent == dst.parent
    assert src.name.startswith(f".routing_{os.getpid()}_") and src.name.endswith(".npz.tmp")
    assert [p.name for p in tmp_path.iterdir()] == [dst.name]


def test_C15_stale_temporary_files_are_removed_live_ones_kept(tmp_path):
    now = time.time()
    dead = tmp_path / f".routing_{dead_pid()}_abc123.npz.tmp"
    mine = tmp_path / f".routing_{os.getpid()}_def456.npz.tmp"
    parent = tmp_path / f".routing_{os.getppid()}_ghi789.npz.tmp"
    old_live = tmp_path / f".routing_{os.getppid()}_old000.npz.tmp"
    legacy_old = tmp_path / ".routing_k3j9x0ab.npz"  # an older siting's temporary name
    legacy_new = tmp_path / ".routing_q1w2e3r4.npz"
    keep = [tmp_path / "routing_s0123.npz", tmp_path / ".other_1_x.tmp", mine, parent, legacy_new]
    for p in [dead, old_live, legacy_old, *keep]:
        p.write_bytes(b"partial")
    for p in (old_live, legacy_old):
        os.utime(p, (now - 2 * 86400, now - 2 * 86400))
    RoutingNetwork.cached(small_graph(), cache_dir=tmp_path)
    left = {p.name for p in tmp_path.iterdir()}
    assert {p.name for p in keep} <= left
    assert not {dead.name, old_live.name, legacy_old.name} & left


def test_C16_temporary_file_of_a_killed_run_is_removed_by_the_next(tmp_path):
    """A run killed (SIGKILL) while writing the cache leaves its temporary file behind."""
    if not hasattr(os, "fork") or sys.platform == "win32":
        pytest.skip("needs POSIX signals")
    script = f"""
import os, signal
import networkx as nx
from siting.routing import RoutingNetwork, cache

def killed(file, **arrays):
    file.write(b"PK\\x03\\x04 half written")
    file.flush()
    os.kill(os.getpid(), signal.SIGKILL)

cache.np.savez = killed
G = nx.MultiDiGraph(crs="EPSG:4326")
G.add_node(1, x=-98.2, y=19.0)
G.add_node(2, x=-98.1, y=19.0)
G.add_edge(1, 2, travel_time=60.0)
RoutingNetwork.cached(G, cache_dir={str(tmp_path)!r})
"""
    child = subprocess.run([sys.executable, "-c", script], check=False, timeout=120)
    assert child.returncode == -9
    (left,) = tmp_path.iterdir()
    assert left.name.startswith(".routing_") and left.name.endswith(".npz.tmp")
    RoutingNetwork.cached(small_graph(), cache_dir=tmp_path)
    assert temp_files(tmp_path) == []


# -- 4. truncated or malformed road network files ------------------------------------------------


def run_network(tmp_path, monkeypatch, source: Path) -> InputError:
    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    with pytest.raises(InputError) as info:
        routing_network(NetworkSettings(source=str(source)))
    assert str(source) in str(info.value)
    assert "Traceback" not in str(info.value)
    return info.value


def test_C17_truncated_graphml_is_an_input_error(tmp_path, monkeypatch, user_graphml):
    path = tmp_path / "cut.graphml"
    data = user_graphml.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    err = run_network(tmp_path, monkeypatch, path)
    assert "is not valid GraphML: " in str(err) and "at line " in str(err)
    assert "looks truncated" in str(err) and "export it again" in str(err)


def test_C18_graphml_without_coordinates_or_lengths_is_an_input_error(tmp_path, monkeypatch):
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_edge(1, 2, highway="primary")
    G.add_edge(2, 1, highway="primary")
    path = tmp_path / "bare.graphml"
    roads.save_graphml(G, path)  # a real osmnx GraphML, lacking what siting needs
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "2 of 2 nodes lack coordinates 'x'/'y'" in err
    assert "2 of 2 edges lack 'length'" in err and "osmnx.save_graphml" in err


def test_C19_graphml_not_written_by_osmnx_is_an_input_error(tmp_path, monkeypatch):
    G = nx.MultiDiGraph(crs="EPSG:4326")
    G.add_node(1, x=-98.2, y=19.0)
    G.add_node(2, x=-98.1, y=19.0)
    G.add_edge(1, 2, length=900.0, highway="primary")
    path = tmp_path / "typed.graphml"
    nx.write_graphml(G, path)  # typed attributes (double), which osmnx cannot convert
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "is not an osmnx GraphML file" in err and "osmnx.save_graphml" in err


def test_C20_html_saved_as_graphml_is_an_input_error(tmp_path, monkeypatch):
    path = tmp_path / "download.graphml"
    path.write_text("<html><body>502 Bad Gateway</body></html>")
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "is not a valid GraphML file" in err


def test_C21_truncated_osm_bz2_is_an_input_error(tmp_path, monkeypatch):
    path = tmp_path / "cut.osm.bz2"
    data = ATLIXCO.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "is truncated" in err and "download or export the extract again" in err


def test_C22_truncated_osm_xml_is_an_input_error(tmp_path, monkeypatch):
    path = tmp_path / "cut.osm"
    text = bz2.decompress(ATLIXCO.read_bytes())
    path.write_bytes(text[: len(text) // 3])
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "is not valid OpenStreetMap XML: " in err and "at line " in err


def test_C23_osm_bz2_that_is_not_bz2_is_an_input_error(tmp_path, monkeypatch):
    path = tmp_path / "renamed.osm.bz2"
    path.write_bytes(b"<osm version='0.6'></osm>")  # plain XML under a .bz2 name
    err = str(run_network(tmp_path, monkeypatch, path))
    assert "is not valid .bz2 compressed data" in err


def test_C24_empty_or_roadless_osm_file_is_an_input_error(tmp_path, monkeypatch):
    empty = tmp_path / "empty.osm"
    empty.write_bytes(b"")
    assert "is empty (0 bytes)" in str(run_network(tmp_path, monkeypatch, empty))
    roadless = tmp_path / "roadless.osm"
    roadless.write_text('<?xml version="1.0"?><osm version="0.6"></osm>')
    err = str(run_network(tmp_path, monkeypatch, roadless))
    assert "contains no OpenStreetMap nodes or ways" in err


def test_C25_truncated_graphml_in_a_scenario_is_one_cli_error(tmp_path, monkeypatch, capsys):
    from siting.cli import main

    monkeypatch.setattr(settings, "cache_folder", tmp_path / "cache")
    net = tmp_path / "net.graphml"
    net.write_text('<?xml version="1.0"?>\n<graphml xmlns="http://graphml.graphdrawing.org/xmlns">')
    scenario = tmp_path / "s.toml"
    scenario.write_text(f'[weights]\nlabor_pool = 1\n[network]\nsource = "{net.as_posix()}"\n')
    assert main(["run", str(scenario), "--out", str(tmp_path / "o")]) == 2
    err = capsys.readouterr().err.split("\r")[-1]
    assert "Traceback" not in err
    (line,) = [s for s in err.splitlines() if s.startswith("siting: error:")]
    assert str(net) in line and "is not valid GraphML" in line and "at line 2" in line


# -- 5. the other caches: CBP answers, osmnx downloads -------------------------------------------


def test_C26_cbp_answer_cache_unwritable_continues(tmp_path, monkeypatch, caplog):
    from siting import waits

    body = (Path(__file__).parent / "data" / "cbp_bwt_fixture.json").read_bytes()
    monkeypatch.setattr(waits, "_http_get", lambda url, *, timeout: body)
    blocker = tmp_path / "cache"
    blocker.write_text("")
    monkeypatch.setattr(settings, "cache_folder", blocker)  # a file where the folder should be
    with caplog.at_level(logging.WARNING, logger="siting"):
        table = waits.fetch_cbp_waits()
    assert len(table) > 0
    (message,) = warnings_of(caplog)
    assert message.startswith("could not write the CBP answer cache")
    assert "continuing without it" in message

    # disk full while writing: no temporary file left
    folder = tmp_path / "cbp"
    caplog.clear()

    def full(self, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(Path, "write_bytes", full)
    with caplog.at_level(logging.WARNING, logger="siting"):
        waits.fetch_cbp_waits(cache_dir=folder)
    (message,) = warnings_of(caplog)
    assert "No space left on device" in message
    assert list(folder.iterdir()) == []


def test_C27_osmnx_cache_folder_blocked_downloads_without_cache(tmp_path, monkeypatch, caplog):
    import osmnx as ox

    seen = {}

    def fake(query, *, custom_filter=None, **kwargs):
        seen["use_cache"] = ox.settings.use_cache
        G = nx.MultiDiGraph(crs="EPSG:4326")
        G.add_node(1, x=-100.0, y=25.0)
        G.add_node(2, x=-100.01, y=25.0)
        G.add_edge(1, 2, highway="primary", length=1000.0, oneway=True)
        return G

    monkeypatch.setattr(ox, "graph_from_place", fake)
    monkeypatch.setattr(ox.settings, "use_cache", True)
    blocker = tmp_path / "cache"
    blocker.write_text("")
    monkeypatch.setattr(settings, "cache_folder", blocker)
    with caplog.at_level(logging.WARNING, logger="siting"):
        G = roads.graph_from_place("Atlixco, Puebla, México")
    assert G.number_of_edges() == 1 and seen["use_cache"] is False
    (message,) = warnings_of(caplog)
    assert "could not use the osmnx cache folder" in message and "without a cache" in message
    assert ox.settings.use_cache is True  # restored


def test_C28_osmnx_cache_damaged_or_unwritable(tmp_path, monkeypatch, caplog):
    """osmnx writes its cache in place: a truncated answer is removed and fetched again, and a
    failed write (disk full) is one warning, with no partial file left."""
    import osmnx as ox
    from osmnx import _http

    monkeypatch.setattr(settings, "cache_folder", tmp_path)
    url = "https://overpass.example/api/interpreter?data=x"
    with roads._osmnx_cache() as folder:
        assert folder == tmp_path / "osmnx"
        damaged = _http._resolve_cache_filepath(url)
        damaged.write_text('{"elements": [{"type": "node", "id"')  # killed mid-write
        with caplog.at_level(logging.WARNING, logger="siting"):
            assert _http._retrieve_from_cache(url) is None
        (message,) = warnings_of(caplog)
        assert str(damaged) in message and "downloading it again" in message
        assert not damaged.exists()

        caplog.clear()
        real_write = Path.write_text

        def full(self, text, *args, **kwargs):
            real_write(self, text[:10], *args, **kwargs)
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(Path, "write_text", full)
        with caplog.at_level(logging.WARNING, logger="siting"):
            _http._save_to_cache(url, {"elements": []}, True)
            _http._save_to_cache(url + "2", {"elements": []}, True)  # cache now off: silent
        (message,) = warnings_of(caplog)
        assert "could not write the osmnx cache" in message and "No space left" in message
        assert list(folder.iterdir()) == []
    assert _http._retrieve_from_cache.__name__ == "_retrieve_from_cache"  # restored
    assert ox.settings.cache_folder != str(tmp_path / "osmnx")
