#!/usr/bin/env bash
# Install what the test suite needs and run it. This is the README's test command and what CI runs.
#   bash tests/run.sh [pytest args...]
# Needs: python3 (3.11+) with venv; Debian's chromium for the browser test (installed here if missing
# and we are root; otherwise the browser test is reported as skipped with the reason).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    echo "tests/run.sh: installing Debian chromium for the browser test"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
.venv/bin/python -m pip install -q -e '.[test]'
exec .venv/bin/python -m pytest "$@"
