#!/usr/bin/env bash
# Runs scripts/plot.py in a virtual environment with the pinned requirements (created on first use).
set -euo pipefail
cd "$(dirname "$0")/.."
venv=.venv-plot
if [ ! -x "$venv/bin/python" ] || ! cmp -s scripts/requirements-plot.txt "$venv/requirements.txt"; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r scripts/requirements-plot.txt
    cp scripts/requirements-plot.txt "$venv/requirements.txt"
fi
MPLBACKEND=Agg exec "$venv/bin/python" scripts/plot.py "$@"
