"""Check that two ``siting run`` output folders hold the same results.

    python tools/compare_outputs.py BEFORE_DIR AFTER_DIR

Used to show that a refactor changes nothing a user gets: run ``siting run --out BEFORE_DIR``
on the old code and ``siting run --out AFTER_DIR`` on the new one, then compare. Per file:

- ``ranking.csv``, ``sites.geojson``, ``map.png``, ``map.pdf``: byte for byte;
- ``map.html``: byte for byte after renumbering folium's random element ids
  (``map_3f84…``, 32 hex digits, new on every run) in order of first appearance; a difference
  is listed as the changed runs of lines (where, how many, the first line) and the count of
  unchanged lines, so a change of the page's own code can be told from a change of its data;
- ``run.json``: equal after dropping what differs between any two runs: ``created_utc``,
  ``command`` (the output folder), and the routing timing and cache state
  (``road_network.seconds``, ``from_cache``, ``built_utc``); the path of the bundled default
  scenario counts as the same wherever siting is installed.

Exits 0 when everything matches, 1 otherwise, listing each difference.
"""

from __future__ import annotations

import difflib
import json
import re
import sys
from pathlib import Path

BYTES = ("ranking.csv", "sites.geojson", "map.png", "map.pdf")
#: Fields of ``run.json`` that change from run to run (time, folder, cache state).
VOLATILE = ("created_utc", "command")
VOLATILE_NETWORK = ("seconds", "from_cache", "built_utc")
#: The bundled default scenario, wherever siting is installed.
BUNDLED_SCENARIO = "siting/data/default.toml"
_FOLIUM_ID = re.compile(r"_[0-9a-f]{32}(?![0-9a-f])")


def normalized_html(text: str) -> str:
    """Return ``text`` with folium's random element ids renumbered by first appearance."""
    ids: dict[str, str] = {}
    return _FOLIUM_ID.sub(lambda m: ids.setdefault(m.group(0), f"_id{len(ids)}"), text)


def html_changes(before: str, after: str) -> list[str]:
    """Return each changed run of lines of two pages: where, how long, and its first line."""
    a, b = before.splitlines(), after.splitlines()
    matcher = difflib.SequenceMatcher(None, a, b, autojunk=False)
    changes = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            first = (a[i1] if i1 < i2 else b[j1]).strip()[:70]
            changes.append(
                f"lines {i1 + 1}-{i2} ({i2 - i1}) became {j1 + 1}-{j2} ({j2 - j1}): {first!r}"
            )
    unchanged = sum(size for *_, size in matcher.get_matching_blocks())
    changes.append(f"{unchanged:,} of {len(a):,} lines unchanged")
    return changes


def normalized_record(text: str) -> dict:
    """Return ``run.json`` without the fields that differ between any two runs."""
    record = json.loads(text)
    for key in VOLATILE:
        record.pop(key, None)
    for key in VOLATILE_NETWORK:
        record.get("road_network", {}).pop(key, None)
    scenario = record.get("scenario", {})
    if str(scenario.get("path", "")).replace("\\", "/").endswith(BUNDLED_SCENARIO):
        scenario["path"] = BUNDLED_SCENARIO  # the same file, in another installation
    return record


def compare(before: Path, after: Path) -> list[str]:
    """Return the differences between two output folders (empty: the same results)."""
    problems = []
    for name in (*BYTES, "map.html", "run.json"):
        a, b = before / name, after / name
        if not a.exists() or not b.exists():
            problems.append(f"{name}: missing in {before if not a.exists() else after}")
        elif name in BYTES:
            if a.read_bytes() != b.read_bytes():
                problems.append(f"{name}: bytes differ")
        elif name == "map.html":
            ta, tb = (normalized_html(p.read_text(encoding="utf-8")) for p in (a, b))
            if ta != tb:
                problems += [f"{name}: {change}" for change in html_changes(ta, tb)]
        else:
            ra, rb = (normalized_record(p.read_text(encoding="utf-8")) for p in (a, b))
            for key in sorted(set(ra) | set(rb)):
                if ra.get(key) != rb.get(key):
                    problems.append(f"{name}: {key!r} differs")
    return problems


def main(argv: list[str]) -> int:
    """Compare the two folders named in ``argv``; return the exit status."""
    if len(argv) != 2:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    problems = compare(Path(argv[0]), Path(argv[1]))
    for p in problems:
        print(p)
    if not problems:
        print(f"same results: {', '.join((*BYTES, 'map.html', 'run.json'))}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
