#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The AVX-512 kernels checked under emulation (the CI machines have no
# AVX-512): tests/c/kernel_check_avx512.sh at its `ci` level, about 3 minutes
# (every n < 10^8 and the top 2^25 values below 2^32, the data files, 2*10^6
# random 32-bit and 64-bit values, every count and alignment), emulated with
# SIMDe, and natively as well where the CPU has AVX-512.  The exhaustive check
# of every n < 2^32 is `bash tests/c/kernel_check_avx512.sh full` (tens of
# minutes emulated).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -f /usr/include/simde/x86/avx512.h ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get > /dev/null; then
    echo "== avx512_emulated: installing libsimde-dev"
    apt-get install -y -q libsimde-dev > /dev/null || { apt-get update -q > /dev/null && apt-get install -y -q libsimde-dev > /dev/null; }
  else
    echo "avx512_emulated: needs SIMDe (Debian: apt-get install libsimde-dev)" >&2
    exit 1
  fi
fi
nice bash tests/c/kernel_check_avx512.sh ci both
