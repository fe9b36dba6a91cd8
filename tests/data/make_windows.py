# SPDX-License-Identifier: MIT
"""Compute the expected prime counts of the test windows and write windows.json.

Each window is 10**6 consecutive integers [lo, hi) next to a word-size
boundary (2^31, 2^32, 2^63, 2^64), where modular arithmetic that is written
for the wrong word size overflows.  The counts are computed with GMP through
gmpy2, independently of the `primes` package, in two ways that must agree:

1. ``gmpy2.is_prime(n)`` on every n in the window (GMP's mpz_probab_prime_p:
   trial division, a Baillie-PSW test and further Miller-Rabin rounds; BPSW
   has no counterexample below 2^64, so this is exact here);
2. walking the window with ``gmpy2.next_prime`` (GMP's mpz_nextprime, which
   sieves before testing).

Run it with the dev environment (``pip install gmpy2``) from any folder::

    python tests/data/make_windows.py

It rewrites ``windows.json`` next to this file.  It takes a few seconds.
"""

from __future__ import annotations

import json
import pathlib

import gmpy2

SIZE = 10**6

# name -> (lo, hi): 10**6 consecutive integers lo, lo + 1, ..., hi - 1.
WINDOWS = {
    "below_2^31": (2**31 - SIZE, 2**31),
    "below_2^32": (2**32 - SIZE, 2**32),
    "below_2^63": (2**63 - SIZE, 2**63),
    "above_2^63": (2**63, 2**63 + SIZE),
    "below_2^64": (2**64 - SIZE, 2**64),
}

METHOD = (
    "gmpy2 {gmpy2} ({gmp}): gmpy2.is_prime on every element (mpz_probab_prime_p: "
    "Baillie-PSW + Miller-Rabin, exact below 2^64), cross-checked by walking the window "
    "with gmpy2.next_prime; both must agree"
)


def count_by_is_prime(lo: int, hi: int) -> tuple[int, int, int]:
    """Return (count, first prime, last prime) in [lo, hi) by testing every element."""
    found = [n for n in range(lo, hi) if gmpy2.is_prime(n)]
    return len(found), found[0], found[-1]


def count_by_next_prime(lo: int, hi: int) -> int:
    """Return the number of primes in [lo, hi) by jumping from prime to prime."""
    total = 0
    p = gmpy2.next_prime(lo - 1)  # the smallest prime >= lo
    while p < hi:
        total += 1
        p = gmpy2.next_prime(p)
    return total


def main() -> None:
    windows = []
    for name, (lo, hi) in WINDOWS.items():
        assert hi - lo == SIZE
        count, first, last = count_by_is_prime(lo, hi)
        walked = count_by_next_prime(lo, hi)
        if walked != count:
            raise SystemExit(f"{name}: is_prime counts {count} but next_prime walks {walked}")
        windows.append(
            {
                "name": name,
                "lo": lo,
                "hi": hi,
                "size": SIZE,
                "count": count,
                "first_prime": int(first),
                "last_prime": int(last),
            }
        )
        print(f"{name:>12}: [{lo}, {hi}) has {count} primes ({first} .. {last})")
    document = {
        "description": (
            "Prime counts of windows of 10**6 consecutive integers [lo, hi) next to the "
            "2^31, 2^32, 2^63 and 2^64 boundaries. Values above 2^53 are exact JSON integers."
        ),
        "generated_by": "tests/data/make_windows.py",
        "method": METHOD.format(gmpy2=gmpy2.version(), gmp=gmpy2.mp_version()),
        "windows": windows,
    }
    path = pathlib.Path(__file__).with_name("windows.json")
    path.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
