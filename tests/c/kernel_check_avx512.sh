#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The AVX-512 kernels (src_c/test_avx512.c) against the portable ones and
# known facts, through tests/c/kernel_check_avx512.c (its comment lists the
# checks).  Built twice: emulated (SIMDe, Debian's libsimde-dev, plus the exact
# IFMA emulation of tests/c/avx512_emulation.h) and run on any AVX2 CPU; and
# native, with the kernel's own flags, run only where the CPU has AVX-512
# F/VL/DQ/BW and IFMA (otherwise it is only compiled, and the script says so).
#
# Usage: tests/c/kernel_check_avx512.sh [quick|ci|full] [emulated|native|both]
#   quick  a few seconds: shapes, the data files, samples of 2*10^5 values, the
#          vector strong tests against a plain exponentiation on 10^5 values
#          and the vector strong Lucas test against the baseline's on 5*10^4
#   ci     about 3 minutes: also every n < 10^8 (pi(10^8) checked), every n in
#          [2^32 - 2^25, 2^32), 2*10^6 32-bit and 2*10^6 64-bit random values,
#          the vector strong tests on 10^6 values, the Lucas test on 5*10^5
#   full   every n < 2^32 (pi(2^32) = 203280221 checked), 10^7 random uint64
#          and the vector strong tests on 10^7 values, Lucas on 5*10^6
#          (tens of minutes emulated; split over two processes)
set -euo pipefail
cd "$(dirname "$0")/../.."

level=${1:-ci}
which=${2:-both}
cc=${CC:-gcc}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

case $level in quick|ci|full) ;; *) echo "unknown level: $level" >&2; exit 2 ;; esac

common=(-std=c11 -O2 -Wall -Wextra -D_GNU_SOURCE -Isrc_c -Itests/c
        tests/c/kernel_check_avx512.c src_c/test_baseline.c src_c/tables.c)
avx512_flags=(-mavx512f -mavx512vl -mavx512dq -mavx512bw -mavx512ifma -mavx2 -mbmi2 -mfma)

# The known values, from tests/data: "n 0|1" with its primality where known.
python3 - "$work/values.txt" <<'EOF'
import json, sys
out = []
def listed(name):
    for line in open("tests/data/" + name):
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(f"{int(line)} 0")  # every list is of composites
for name in ("spsp2_below_2^32.txt", "spsp2_below_1e6.txt", "fermat_psp2_below_1e6.txt",
             "carmichael_below_1e6.txt", "strong_lucas_selfridge_psp_below_1e6.txt"):
    listed(name)
for entry in json.load(open("tests/data/edge_cases.json"))["values"]:
    if 0 <= entry["n"] < 2**64:
        out.append(f"{entry['n']} {int(entry['is_prime'])}")
for p in json.load(open("tests/data/edge_cases.json"))["sinclair_base_prime_factors"]:
    out.append(f"{p} 1")
for entry in json.load(open("tests/data/adversaries_64.json"))["values"]:
    out.append(f"{entry['n']} {int(entry['is_prime'])}")
for entry in json.load(open("tests/data/strong_pseudoprime_records.json"))["records"]:
    if 0 <= entry["n"] < 2**64:
        out.append(f"{entry['n']} 0")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
print(f"known values: {len(out)}")
EOF
# The base-2 strong pseudoprimes (and the adversaries) for the check of the
# vector strong tests themselves.
python3 - "$work/spsp.txt" <<'EOF'
import json, sys
out = [line.strip() for line in open("tests/data/spsp2_below_2^32.txt") if line.strip() and not line.startswith("#")]
out += [str(v["n"]) for v in json.load(open("tests/data/adversaries_64.json"))["values"]]
out += [str(v["n"]) for v in json.load(open("tests/data/strong_pseudoprime_records.json"))["records"] if v["n"] < 2**64]
open(sys.argv[1], "w").write("\n".join(out) + "\n")
EOF

cpu_has_avx512() {
  local flags
  flags=$(grep -m1 '^flags' /proc/cpuinfo 2>/dev/null || true)
  for f in avx512f avx512vl avx512dq avx512bw avx512ifma; do
    [[ " $flags " == *" $f "* ]] || return 1
  done
}

run_checks() { # binary
  local bin=$1
  "$bin" shapes
  "$bin" u64-file "$work/values.txt"
  case $level in
    quick)
      "$bin" sprp 100000 4 "$work/spsp.txt"
      "$bin" lucas 50000 5 "$work/spsp.txt" tests/data/strong_lucas_selfridge_psp_below_1e6.txt
      "$bin" u32-sample 200000 1
      "$bin" u64-sample 200000 2
      "$bin" u32-range 0 1000000 78498 ;;
    ci)
      "$bin" sprp 1000000 4 "$work/spsp.txt"
      "$bin" lucas 500000 5 "$work/spsp.txt" tests/data/strong_lucas_selfridge_psp_below_1e6.txt
      "$bin" u32-sample 2000000 1
      "$bin" u64-sample 2000000 2
      "$bin" u32-range 0 100000000 5761455
      "$bin" u32-range $(( (1 << 32) - (1 << 25) )) $(( 1 << 32 )) ;;
    full)
      # Two halves side by side; their counts add up to pi(2^32).
      "$bin" u32-range 0 2147483648 105097565 > "$work/low.txt" &
      low=$!
      "$bin" u32-range 2147483648 4294967296 > "$work/high.txt" || true
      wait "$low" || true
      cat "$work/low.txt" "$work/high.txt"
      high_count=$(sed -n 's/^range .*: \([0-9]*\) primes$/\1/p' "$work/high.txt")
      echo "pi(2^32) = 105097565 + $high_count = $((105097565 + high_count)) (known: 203280221)"
      grep -q ', 0 failed$' "$work/low.txt" && grep -q ', 0 failed$' "$work/high.txt" \
        && [ $((105097565 + high_count)) -eq 203280221 ]
      "$bin" sprp 10000000 4 "$work/spsp.txt"
      "$bin" lucas 5000000 5 "$work/spsp.txt" tests/data/strong_lucas_selfridge_psp_below_1e6.txt
      "$bin" u64-sample 10000000 3 ;;
  esac
}

if [[ $which == emulated || $which == both ]]; then
  if [ ! -f /usr/include/simde/x86/avx512.h ]; then
    echo "kernel_check_avx512: needs SIMDe (apt-get install -y libsimde-dev)" >&2
    exit 1
  fi
  echo "== emulated (SIMDe + IFMA emulation, -mavx2 -mbmi2 -mfma), level $level"
  "$cc" "${common[@]}" -DPRIMES_AVX512_EMULATED -mavx2 -mbmi2 -mfma -Wno-psabi -o "$work/check_emulated"
  run_checks "$work/check_emulated"
fi

if [[ $which == native || $which == both ]]; then
  echo "== native (${avx512_flags[*]}), level $level"
  "$cc" "${common[@]}" "${avx512_flags[@]}" -o "$work/check_native"
  if cpu_has_avx512; then
    run_checks "$work/check_native"
  else
    echo "native: compiled; not run: this CPU lacks AVX-512 F/VL/DQ/BW or IFMA (/proc/cpuinfo)"
  fi
fi
echo "kernel_check_avx512: level $level passed"
