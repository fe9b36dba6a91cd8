#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The documentation site: install the docs extra, build the site with the
# documented command (warnings are errors), then open the built pages in
# headless Chromium and check them (tests/test_docs_site.py).  The site is
# left in docs/_build/html and the screenshots in docs/_build/screenshots
# (git-ignored; CI keeps them as artefacts).  Run from the repository root in
# a venv where the package is installed (`pip install '.[test]'`).
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium (headless browser for the page checks)"
  if [ "$(id -u)" -eq 0 ]; then sudo=""; else sudo="sudo"; fi
  flock /tmp/apt.lock $sudo apt-get update -qq
  flock /tmp/apt.lock $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

echo "== pip install '.[docs]'"
python -m pip install --quiet --disable-pip-version-check '.[docs]'

echo "== sphinx-build -W --keep-going -b html docs docs/_build/html"
rm -rf docs/_build/html docs/generated
sphinx-build -W --keep-going -b html docs docs/_build/html

echo "== pytest tests/test_docs_site.py (headless Chromium)"
PRIMES_DOCS_HTML="$PWD/docs/_build/html" pytest -p no:cacheprovider --run-slow tests/test_docs_site.py
echo "docs: docs/_build/html/index.html; screenshots in docs/_build/screenshots/"
