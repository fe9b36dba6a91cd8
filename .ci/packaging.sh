#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Packaging checks: build the sdist and the py3-none manylinux2014 wheels for
# x86-64 and aarch64 with the documented command (tools/build_dist.sh, into
# dist/), then run tests/test_packaging.py on exactly those files: the wheels'
# tags, contents, ELF headers, linked libraries and glibc symbol versions, the
# x86-64 wheel installed into a fresh venv of every CPython 3.9-3.13 found on
# the machine, and the sdist built and installed in a fresh venv.  Run from
# the repository root in a venv where `pip install '.[test]'` was done.  A
# later `pytest` in the same shell can reuse the files through PRIMES_WHEEL,
# PRIMES_WHEEL_AARCH64 and PRIMES_SDIST instead of building them again, and
# `bash tools/test_wheels.sh` installs them on Debian systems of their kind.
set -euo pipefail
cd "$(dirname "$0")/.."

bash tools/build_dist.sh

wheels=(dist/primes-*_x86_64.whl)
wheels_aarch64=(dist/primes-*_aarch64.whl)
sdists=(dist/primes-*.tar.gz)
PRIMES_WHEEL="$PWD/${wheels[0]}"
PRIMES_WHEEL_AARCH64="$PWD/${wheels_aarch64[0]}"
PRIMES_SDIST="$PWD/${sdists[0]}"
export PRIMES_WHEEL PRIMES_WHEEL_AARCH64 PRIMES_SDIST

echo "== pytest tests/test_packaging.py (wheels: ${wheels[0]##*/}, ${wheels_aarch64[0]##*/})"
# Plain `pytest`, not `python -m pytest`: the latter puts the repository root on
# sys.path, and `import primes` would find the source folder, which has no library.
pytest -p no:cacheprovider -m slow tests/test_packaging.py
