#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The installed package on an older x86-64 CPU, emulated: qemu-user
# (Debian's qemu-user-static) runs this machine's Python with
# `-cpu SandyBridge`, a model with AVX but no AVX2, FMA, BMI2 or AVX-512, on
# which any instruction the model lacks faults (SIGILL).  So a stray AVX2
# instruction outside the kernels that the dispatch keeps from this CPU would
# fail the run, which the CPU level cap alone cannot show.
#
#   1. control: a program executing one AVX2 instruction faults under the model
#      (and runs under -cpu Haswell), so the emulator really checks;
#   2. show_config() under the model reports the features it has (avx, no
#      avx2) and the level in use: baseline;
#   3. the wheel smoke suite (tests/scripts/wheel_smoke.py: known counts, the
#      shared vectors, every dtype, mode and method) under the model.
#
# Usage: bash tests/scripts/old_cpu_smoke.sh   (Python: $PYTHON, else python3;
# `primes` must be installed for it, not imported from the checkout).
# x86-64 only (prints why and exits 0 elsewhere).  About a minute.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
python=$(command -v "${PYTHON:-python3}")
model=SandyBridge

if [ "$(uname -m)" != x86_64 ]; then
  echo "old CPU smoke: not an x86-64 machine ($(uname -m)), nothing to emulate"
  exit 0
fi
if ! command -v qemu-x86_64-static >/dev/null; then
  echo "== old CPU smoke: installing qemu-user-static (Debian package)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq qemu-user-static >/dev/null
fi
emulate() {
  # TCG warns about CPUID bits of the model it does not emulate (x2apic, ...).
  qemu-x86_64-static -cpu "$1" "${@:2}" 2> >(grep -v "TCG doesn't support requested feature" >&2)
}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"  # not the repository root: it would import the source folder

echo "== old CPU smoke: the emulator faults on AVX2 under $model"
cat >avx2_probe.c <<'C'
int main(void)
{
    __asm__ volatile("vpaddd %%ymm0, %%ymm0, %%ymm0" ::: "xmm0");
    return 0;
}
C
gcc avx2_probe.c -o avx2_probe
emulate Haswell ./avx2_probe
status=0
emulate "$model" ./avx2_probe 2>/dev/null || status=$?
if [ "$status" -ne 132 ]; then  # 128 + SIGILL
  echo "old CPU smoke: an AVX2 instruction under -cpu $model ended with status $status, not SIGILL" >&2
  exit 1
fi
echo "AVX2 probe: runs under Haswell, SIGILL under $model"

echo "== old CPU smoke: show_config() under $model"
emulate "$model" "$python" -c '
import primes
cpu = primes.show_config(mode="dicts")["cpu"]
print(cpu)
assert "avx" in cpu["features"] and "avx2" not in cpu["features"], cpu
assert cpu["best_level"] == "baseline" and cpu["level_in_use"] == "baseline", cpu
assert cpu["levels_built"] == ["baseline"], cpu
'

echo "== old CPU smoke: wheel smoke suite under $model"
started=$SECONDS
emulate "$model" "$python" "$repo/tests/scripts/wheel_smoke.py" --exhaustive-bits 20
echo "old CPU smoke: passed in $((SECONDS - started)) s under $model"
