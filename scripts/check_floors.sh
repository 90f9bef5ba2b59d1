#!/usr/bin/env bash
# Run the test suite against the lowest declared versions of the runtime dependencies
# (.ci/floors.txt), in a fresh virtual environment. Not in .ci/run: it doubles CI's time.
# Run it when a dependency's floor changes in pyproject.toml.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"${PYTHON:-python3}" -m venv "$work/venv"
. "$work/venv/bin/activate"
python -m pip install -q --upgrade pip
python -m pip install -q -c .ci/floors.txt -e '.[test]'
python -m pip install -q -r .ci/floors.txt
python -m pip list 2>/dev/null | grep -iE '^(typer|pydantic|jinja2|pyyaml|rich|markdown-it-py) '
python -m pytest -q -m "not slow" -p no:cacheprovider
