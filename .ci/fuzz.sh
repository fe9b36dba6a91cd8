#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Fuzz the C entry points with libFuzzer for a bounded time (FUZZ_SECONDS,
# default 60) under AddressSanitizer and UndefinedBehaviorSanitizer.  clang
# and its fuzzer runtime come from Debian's packages.  A crash, a sanitizer
# report or a wrong answer (the target aborts) fails the run.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v clang >/dev/null || ! compgen -G "/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-*.a" >/dev/null; then
  echo "== fuzz: installing clang and its runtime (Debian packages)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq clang libclang-rt-dev >/dev/null 2>&1 \
    || apt-get install -y -qq clang libclang-rt-14-dev >/dev/null
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The library's sources, each with its own flags (the per-level kernel files
# with their instruction sets): tools/c_sources.py, the list every build uses.
# The target calls every engine under every CPU level cap and compares them.
mapfile -t objects < <(python3 tools/c_sources.py objects clang "$work/obj" -g -O1 \
  -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all)
clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
  -Isrc_c "${objects[@]}" tests/fuzz/fuzz_primes.c -o "$work/fuzz_primes" -pthread
mkdir -p "$work/corpus"
echo "== fuzz: ${FUZZ_SECONDS:-60} s"
status=0
"$work/fuzz_primes" -max_total_time="${FUZZ_SECONDS:-60}" -print_final_stats=1 \
  -rss_limit_mb=4096 "$work/corpus" > "$work/fuzz.log" 2>&1 || status=$?
grep -E "^(stat::|Done|==[0-9]+==|SUMMARY|INFO: Seed)" "$work/fuzz.log" || true
if [ "$status" -ne 0 ]; then
  tail -n 60 "$work/fuzz.log" >&2
  echo "fuzz: the fuzzer failed (status $status)" >&2
fi
exit "$status"
