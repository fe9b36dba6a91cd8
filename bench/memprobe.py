# SPDX-License-Identifier: MIT
"""Peak-memory probe for target T6, run by bench/run.py in a fresh process per call.

    python bench/memprobe.py {count|is_prime} N

Makes ``np.arange(N)`` (int64) first, then measures how much the peak resident
set size (VmHWM in /proc/self/status) grows during one call of
``primes.count`` or ``primes.is_prime`` on it, and prints one JSON line.

A fresh process per call, so that nothing a previous measurement allocated (and
the allocator kept) hides or inflates this one.  Before the call the peak is
reset to the current RSS by writing "5" to /proc/self/clear_refs (Linux >= 4.0),
so the growth is measured from the RSS with the array already in memory; if the
reset is not allowed, the growth is measured from the peak so far.
"""

from __future__ import annotations

import json
import sys
from typing import Dict

import numpy as np

import primes

MIB = 2**20


def _status_kib() -> Dict[str, int]:
    """VmRSS and VmHWM of this process, in KiB."""
    values = {}
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values[key] = int(rest.split()[0])
    return values


def _reset_peak() -> bool:
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as clear_refs:
            clear_refs.write("5")
        return True
    except OSError:
        return False


def probe(what: str, n: int) -> Dict[str, object]:
    """Measure the peak-RSS growth of one ``primes.<what>`` call on arange(n)."""
    function = {"count": primes.count, "is_prime": primes.is_prime}[what]
    function(np.arange(1000))  # load and exercise the library before measuring
    array = np.arange(n, dtype=np.int64)  # every page written: resident
    reset = _reset_peak()
    before = _status_kib()
    baseline_kib = before["VmRSS"] if reset else max(before["VmRSS"], before["VmHWM"])
    result = function(array)
    after = _status_kib()
    output_bytes = result.nbytes if isinstance(result, np.ndarray) else 0
    count = int(result) if what == "count" else int(np.count_nonzero(result))
    growth_mib = (after["VmHWM"] - baseline_kib) / 1024
    return {
        "what": what,
        "n": n,
        "count": count,
        "array_mib": array.nbytes / MIB,
        "output_mib": output_bytes / MIB,
        "rss_before_mib": baseline_kib / 1024,
        "peak_after_mib": after["VmHWM"] / 1024,
        "growth_mib": growth_mib,
        "extra_mib": growth_mib - output_bytes / MIB,
        "peak_reset": reset,
    }


def main() -> None:
    if len(sys.argv) != 3 or sys.argv[1] not in ("count", "is_prime"):
        sys.exit(__doc__)
    print(json.dumps(probe(sys.argv[1], int(sys.argv[2]))))


if __name__ == "__main__":
    main()
