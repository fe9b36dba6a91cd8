#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Static checks: ruff and mypy --strict on the package, as configured in
# pyproject.toml ([tool.ruff], [tool.mypy]; mypy also checks the typed uses of
# the public API in tests/typing/).  Run from the repository root in a venv
# where `pip install '.[test]'` was done (mypy needs NumPy's and Dask's type
# information); installs the pinned checkers itself.
set -euo pipefail
cd "$(dirname "$0")/.."

python -m pip install --quiet --disable-pip-version-check "mypy==2.4.1" "ruff==0.17.6"

# Both checkers run, so that one report shows every problem; either failing fails the script.
status=0
echo "== ruff $(ruff --version | cut -d' ' -f2): ruff check primes/"
ruff check primes/ || status=1

echo "== mypy $(mypy --version | cut -d' ' -f2): mypy (strict)"
mypy || status=1
exit "$status"
