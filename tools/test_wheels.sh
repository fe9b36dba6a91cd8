#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Install each release wheel into a real Debian system of its kind and run the
# smoke suite there (tests/scripts/wheel_smoke.py):
#   x86_64:  Debian 11 "bullseye" amd64 (glibc 2.31): its python3.9 and pip
#            (20.3), a venv, NumPy from the package index;
#   aarch64: Debian 12 "bookworm" arm64 (glibc 2.36) run by qemu-user-static:
#            its python3 and python3-numpy, a venv that sees them, and the
#            exhaustive check of [0, 2^24) against a sieve on top.
# Each wheel is pip-installed as a user would (pip refuses a wheel whose tags
# the system's pip does not accept) and used from another folder.
#
# Usage: bash tools/test_wheels.sh [DIR]
#   DIR      the folder with the wheels (default dist/, from tools/build_dist.sh)
#   TEST_WHEEL_ARCHS="x86_64 aarch64"   the wheels to test (default both)
#   EXHAUSTIVE_BITS=24                  the arm64 exhaustive range [0, 2^B)
#   PRIMES_TEST_WHEELS_CACHE=DIR        where the systems are kept (default
#       ${XDG_CACHE_HOME:-$HOME/.cache}/primes-test-wheels)
#
# Needs root (debootstrap, chroot, mounting /proc in the systems), debootstrap,
# and for arm64 on another machine qemu-user-static with binfmt_misc (the
# Debian packages are installed if missing): the script mounts binfmt_misc
# and registers Debian's qemu-aarch64 entry (with the F flag, so the emulator
# works inside the chroot) when neither is there.
# The systems are made once by debootstrap (from Debian's default mirror, or
# $DEBIAN_MIRROR) and kept in the cache with pip's cache and a pristine venv,
# so that later runs only install and test: see tests/README.md for the cost
# of each.  Each run works in a fresh folder under the system's /tmp (a copy
# of that venv, the wheel, tests/) and removes it; the kept systems are not
# changed otherwise.  A system is made again when its
# recipe (suite, architecture, packages) changes; delete the cache to force it.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$PWD
started=$SECONDS

dist=${1:-dist}
archs=${TEST_WHEEL_ARCHS:-x86_64 aarch64}
exhaustive_bits=${EXHAUSTIVE_BITS:-24}
cache=${PRIMES_TEST_WHEELS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/primes-test-wheels}
step_timeout=${TEST_WHEELS_STEP_TIMEOUT:-1800}  # seconds for one debootstrap or one suite

die() { echo "test_wheels.sh: $*" >&2; exit 1; }
[ "$(id -u)" -eq 0 ] || die "needs root (debootstrap, chroot, mount)"
if ! command -v debootstrap >/dev/null || { [ "$(uname -m)" != aarch64 ] && [ ! -f /usr/lib/binfmt.d/qemu-aarch64.conf ]; }; then
  echo "== installing debootstrap and qemu-user-static (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq debootstrap qemu-user-static >/dev/null
fi
dist=$(cd "$dist" && pwd) || die "no folder $1"
mkdir -p "$cache"
cache=$(cd "$cache" && pwd)

# One run at a time per cache: two would make or mount the same systems.
exec 9>"$cache/.lock"
flock 9

mounted=()
in_chroot_tmp=()
cleanup() {
  local path
  for path in "${in_chroot_tmp[@]}"; do rm -rf --one-file-system "$path"; done
  for path in "${mounted[@]}"; do umount "$path" 2>/dev/null || umount -l "$path" || true; done
}
trap cleanup EXIT

# The host's CA bundle, for pip in the systems (machines whose TLS traffic goes
# through a proxy with its own certificate authority need it).
host_ca=${PIP_CERT:-${SSL_CERT_FILE:-/etc/ssl/certs/ca-certificates.crt}}

# --- arm64 programs on another machine: qemu-user through binfmt_misc ---------------------

# 0200b700 in the ELF header: ET_DYN/ET_EXEC (masked), EM_AARCH64.
aarch64_magic=7f454c460201010000000000000000000200b700
binfmt=/proc/sys/fs/binfmt_misc

binfmt_aarch64_entry() {  # prints the enabled aarch64 entry's file, if any
  local entry
  for entry in "$binfmt"/*; do
    [ -f "$entry" ] && [ "${entry##*/}" != status ] && [ "${entry##*/}" != register ] || continue
    grep -qx enabled "$entry" && grep -qx "magic $aarch64_magic" "$entry" && { echo "$entry"; return 0; }
  done
  return 1
}

ensure_aarch64_binfmt() {
  [ "$(uname -m)" = aarch64 ] && return 0
  if [ ! -e "$binfmt/register" ]; then
    mount -t binfmt_misc binfmt_misc "$binfmt" ||
      die "binfmt_misc is not mounted and cannot be: arm64 programs cannot run here"
  fi
  if ! binfmt_aarch64_entry >/dev/null; then
    local conf=/usr/lib/binfmt.d/qemu-aarch64.conf
    [ -f "$conf" ] || die "no $conf: apt-get install qemu-user-static"
    echo "== registering $conf with binfmt_misc (as systemd-binfmt does at boot)"
    cat "$conf" >"$binfmt/register" || die "could not register qemu-aarch64 with binfmt_misc"
  fi
  local entry
  entry=$(binfmt_aarch64_entry) || die "no enabled aarch64 entry in binfmt_misc"
  echo "   binfmt_misc: ${entry##*/} -> $(sed -n 's/^interpreter //p' "$entry") (flags $(sed -n 's/^flags: //p' "$entry"))"
}

# Without the F flag the kernel looks for the emulator inside the chroot.
copy_emulator_if_needed() {  # root
  [ "$(uname -m)" = aarch64 ] && return 0
  local entry interpreter
  entry=$(binfmt_aarch64_entry)
  grep -q '^flags: .*F' "$entry" && return 0
  interpreter=$(sed -n 's/^interpreter //p' "$entry")
  mkdir -p "$1$(dirname "$interpreter")"
  cp -L "$interpreter" "$1$interpreter"
}

# --- the systems --------------------------------------------------------------------------

# make_system SUITE DEBIAN_ARCH PACKAGES: make $cache/SUITE-DEBIAN_ARCH unless it is kept.
make_system() {
  local suite=$1 arch=$2 packages=$3
  local root="$cache/$suite-$arch"
  local recipe="debootstrap --variant=minbase --arch=$arch --include=$packages $suite"
  if [ -f "$root/.primes-recipe" ] && [ "$(cat "$root/.primes-recipe")" = "$recipe" ]; then
    echo "== $suite $arch: kept system $root"
    return 0
  fi
  echo "== $suite $arch: $recipe (once; kept in $cache)"
  local partial="$root.partial"
  for dir in "$root" "$partial"; do
    mountpoint -q "$dir/proc" 2>/dev/null && umount "$dir/proc"
    rm -rf --one-file-system "$dir"
  done
  local debs="$cache/debs-$suite-$arch"  # one per system: they may be made at the same time
  mkdir -p "$debs"
  local begun=$SECONDS
  # debootstrap's own log is long: keep it, show its tail on failure.
  if ! timeout "$step_timeout" debootstrap --variant=minbase --arch="$arch" --include="$packages" \
      --cache-dir="$debs" "$suite" "$partial" ${DEBIAN_MIRROR:+"$DEBIAN_MIRROR"} \
      >"$cache/debootstrap-$suite-$arch.log" 2>&1; then
    tail -30 "$cache/debootstrap-$suite-$arch.log" >&2
    die "debootstrap of $suite $arch failed (log: $cache/debootstrap-$suite-$arch.log)"
  fi
  rm -f "$partial"/var/cache/apt/archives/*.deb  # a copy of what $debs keeps
  echo "$recipe" >"$partial/.primes-recipe"
  mv "$partial" "$root"
  echo "== $suite $arch: made in $((SECONDS - begun)) s"
}

# enter_system ROOT: /proc (Python and qemu read it), DNS and the CA bundle, for in_system.
pip_cert=()
enter_system() {
  local root=$1
  if ! mountpoint -q "$root/proc"; then
    mount -t proc proc "$root/proc"
    mounted+=("$root/proc")
  fi
  cp /etc/resolv.conf "$root/etc/resolv.conf"
  pip_cert=()
  if [ -f "$host_ca" ]; then
    cp "$host_ca" "$root/etc/primes-host-ca.crt"
    pip_cert=(PIP_CERT=/etc/primes-host-ca.crt)
  fi
}

# in_system ROOT COMMAND...: run in the system, with a clean environment.
in_system() {
  local root=$1
  shift
  timeout "$step_timeout" chroot "$root" /usr/bin/env -i \
    HOME=/root PATH=/usr/local/bin:/usr/bin:/bin LC_ALL=C.UTF-8 \
    PIP_CACHE_DIR=/var/cache/primes-pip PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_INPUT=1 \
    "${pip_cert[@]}" "$@"
}

# test_wheel ARCH SUITE DEBIAN_ARCH PACKAGES VENV_OPTIONS PIP_OPTIONS SMOKE_OPTIONS
test_wheel() {
  local arch=$1 suite=$2 debian_arch=$3 packages=$4 venv_options=$5 pip_options=$6 smoke_options=$7
  local wheels=("$dist"/primes-*-py3-none-manylinux2014_"$arch".*.whl)
  [ -f "${wheels[0]}" ] || die "no $arch wheel in $dist (run tools/build_dist.sh)"
  [ "${#wheels[@]}" -eq 1 ] || die "more than one $arch wheel in $dist"
  local wheel=${wheels[0]##*/}
  local begun=$SECONDS root="$cache/$suite-$debian_arch"  # made above by make_system
  [ -f "$root/.primes-recipe" ] || die "no system $root"
  [ "$arch" = x86_64 ] || copy_emulator_if_needed "$root"

  local work
  work=$(mktemp -d "$root/tmp/primes-test.XXXXXX")
  in_chroot_tmp+=("$work")
  local inside=/tmp/${work##*/}
  cp "$dist/$wheel" "$work/"
  mkdir -p "$work/tests/scripts" "$work/elsewhere"
  cp "$repo/tests/scripts/wheel_smoke.py" "$work/tests/scripts/"
  cp "$repo/tests/support.py" "$work/tests/"  # the shared test helpers (the reference sieve)
  cp -r "$repo/tests/data" "$work/tests/"
  enter_system "$root"

  echo "== $arch: $wheel on $suite $debian_arch: $(in_system "$root" /bin/sh -c \
    'ldd --version | head -n 1; python3 --version' | tr '\n' ' ')"
  # The venv is made once per kept system and copied for each run: ensurepip
  # installs and byte-compiles pip, which takes minutes under qemu.  A venv
  # finds its prefix from its pyvenv.cfg, so the copy is a venv of its own.
  local step=$SECONDS template=/opt/primes-venv
  if [ "$(cat "$root$template/.primes-options" 2>/dev/null)" != "python3 -m venv $venv_options" ]; then
    rm -rf --one-file-system "${root:?}$template"
    # shellcheck disable=SC2086  # the option strings are word lists
    in_system "$root" python3 -m venv $venv_options "$template"
    echo "python3 -m venv $venv_options" >"$root$template/.primes-options"
    echo "   made the venv $template in the system: $((SECONDS - step)) s"
    step=$SECONDS
  fi
  cp -a "$root$template" "$work/venv"
  # shellcheck disable=SC2086
  in_system "$root" "$inside/venv/bin/python" -m pip install --quiet $pip_options "$inside/$wheel"
  echo "   pip install: $((SECONDS - step)) s, with $(in_system "$root" "$inside/venv/bin/python" -m pip --version)"
  step=$SECONDS
  # shellcheck disable=SC2086
  in_system "$root" /bin/sh -c "cd '$inside/elsewhere' && exec '$inside/venv/bin/python' -I \
    '$inside/tests/scripts/wheel_smoke.py' --expect-machine $arch --expect-glibc 2.17 $smoke_options"
  echo "== $arch: passed in $((SECONDS - begun)) s (the smoke suite: $((SECONDS - step)) s)"
}

# The system and the options for each wheel: ARCH SUITE DEBIAN_ARCH PACKAGES VENV PIP SMOKE.
# Debian 11's NumPy (1.19) is older than the package needs: pip takes a wheel
# from the index.  On arm64 NumPy is Debian's (python3-numpy): the venv sees
# the system's packages, and pip needs no index.
system_for() {
  case $1 in
    x86_64) echo bullseye amd64 python3,python3-venv ;;
    aarch64) echo bookworm arm64 python3,python3-venv,python3-numpy ;;
    *) die "unknown architecture '$1' in TEST_WHEEL_ARCHS (x86_64, aarch64)" ;;
  esac
}
for arch in $archs; do
  system_for "$arch" >/dev/null
  [ "$arch" = aarch64 ] && ensure_aarch64_binfmt
done

# Make the missing systems side by side: on an empty cache they are most of the cost.
makers=()
for arch in $archs; do
  # shellcheck disable=SC2046  # three words
  make_system $(system_for "$arch") &
  makers+=($!)
done
for pid in "${makers[@]}"; do wait "$pid" || die "could not make the test systems"; done

for arch in $archs; do
  # shellcheck disable=SC2046
  case $arch in
    x86_64) test_wheel x86_64 $(system_for x86_64) "" "--only-binary=:all:" "" ;;
    aarch64) test_wheel aarch64 $(system_for aarch64) --system-site-packages --no-index \
      "--exhaustive-bits $exhaustive_bits" ;;
  esac
done
echo "test_wheels.sh: all wheels passed in $((SECONDS - started)) s"
