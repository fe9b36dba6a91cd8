#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Sanitizer runs (tests/README.md explains them):
#  1. the package built with AddressSanitizer + UndefinedBehaviorSanitizer into
#     its own venv, and the quick test suite run against it with the runtimes
#     preloaded into Python (CPython itself is not instrumented); the Dask and
#     notebook tests are left out here (they exercise the same C calls through
#     other processes, and double the time);
#     The suite runs at the best CPU level the machine has; a second run
#     of the value tests caps it at the baseline, so both kernels run
#     instrumented inside the library;
#  2. ThreadSanitizer on a C driver that calls the library from many threads,
#     under every CPU level cap, and on the scheduler's unit test
#     (tests/c/test_scheduler.c);
#  3. the kernel check (tests/c/kernel_check.c: each level's kernels against
#     the baseline's, value by value) under ASan + UBSan.
# Any report stops the run with a non-zero status (halt_on_error).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== sanitizers: ASan + UBSan build"
"$python" -m venv "$work/asan-venv"
# shellcheck disable=SC1091
. "$work/asan-venv/bin/activate"
python -m pip install --quiet --upgrade pip
pip install --quiet '.[test]' \
  -Csetup-args=-Db_sanitize=address,undefined \
  -Csetup-args=-Db_lundef=false \
  -Csetup-args=-Dc_args=-fno-sanitize-recover=all \
  -Cbuild-dir="$work/asan-build"
# Found without importing primes: loading the instrumented library needs the preload.
library=$(cd "$work" && python -c 'import importlib.util, os; print(os.path.join(importlib.util.find_spec("primes").submodule_search_locations[0], "libprimes.so"))')
# (nm's output is captured first: with pipefail, `nm | grep -q` fails when grep
# quits at the first match and nm, still writing, dies of SIGPIPE.)
symbols=$( [ -n "$library" ] && nm -D "$library" || true)
if ! grep -q __asan_ <<<"$symbols"; then
  echo "sanitizers: the installed library is not instrumented ($library)" >&2
  exit 1
fi
asan_runtime=$(gcc -print-file-name=libasan.so)
ubsan_runtime=$(gcc -print-file-name=libubsan.so)
(
  cd "$work"  # not the repository root: it would import the source folder
  # Leak checking is off: CPython does not free everything at exit.  A failed
  # allocation returns NULL (NumPy turns it into MemoryError) rather than aborting.
  LD_PRELOAD="$asan_runtime $ubsan_runtime" \
  ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    python -m pytest "$OLDPWD/tests" -p no:cacheprovider -q -m "not slow" \
      --ignore "$OLDPWD/tests/test_dask.py" --ignore "$OLDPWD/tests/test_notebook.py"
  LD_PRELOAD="$asan_runtime $ubsan_runtime" PRIMES_CPU_LEVEL=baseline \
  ASAN_OPTIONS=detect_leaks=0:halt_on_error=1:abort_on_error=1:allocator_may_return_null=1 \
  UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    python -m pytest -p no:cacheprovider -q -m "not slow" "$OLDPWD/tests/test_known_values.py" \
      "$OLDPWD/tests/test_vectors.py" "$OLDPWD/tests/test_edge_arrays.py" "$OLDPWD/tests/test_engines.py"
)
deactivate

echo "== sanitizers: ThreadSanitizer concurrency driver"
# The library's sources, each with its own flags (the per-level kernel files
# with their instruction sets): tools/c_sources.py, the list every build uses.
mapfile -t objects < <("$python" tools/c_sources.py objects gcc "$work/tsan-obj" -g -O1 -fsanitize=thread)
gcc -g -O1 -fsanitize=thread -Isrc_c "${objects[@]}" tests/c/concurrency_driver.c \
  -o "$work/concurrency_driver" -pthread
TSAN_OPTIONS=halt_on_error=1 "$work/concurrency_driver"
gcc -g -O1 -fsanitize=thread -D_GNU_SOURCE -DPRIMES_FAULT_INJECTION -Isrc_c tests/c/test_scheduler.c \
  src_c/scheduler.c src_c/fault_injection.c -o "$work/test_scheduler" -pthread
TSAN_OPTIONS=halt_on_error=1 "$work/test_scheduler"

echo "== sanitizers: ASan + UBSan kernel check (each level's kernels against the baseline's)"
mapfile -t objects < <("$python" tools/c_sources.py objects gcc "$work/asan-obj" -g -O1 -D_GNU_SOURCE \
  -fsanitize=address,undefined -fno-sanitize-recover=all)
gcc -g -O1 -fsanitize=address,undefined -fno-sanitize-recover=all -Isrc_c "${objects[@]}" \
  tests/c/kernel_check.c -o "$work/kernel_check" -pthread -lm
ASAN_OPTIONS=halt_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  "$work/kernel_check" quick "tests/data/spsp2_below_2^32.txt"
