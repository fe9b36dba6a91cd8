# SPDX-License-Identifier: MIT
"""Generate tests/data/adversaries_64.json: 64-bit composites built to fool
Miller-Rabin, and primes at the top of the int64/uint64 ranges.

Usage: python tests/data/make_adversaries.py > tests/data/adversaries_64.json

Every value is classified here by sympy.isprime (deterministic below 2^64) and
the composites are also checked to have the factors they were built from; the
test re-checks each value with sympy and with the package's pure-Python
reference.  Families:
- strong pseudoprimes to base 2 of the form p(2p - 1) near 2^63..2^64: with p
  and q = 2p - 1 prime and q = +-1 (mod 8), 2 is a square mod q, so its order
  divides p - 1 and n - 1; those that pass the strong test are kept;
- Carmichael numbers (6m + 1)(12m + 1)(18m + 1) with all three factors prime,
  the largest below 2^64;
- products of two primes just below 2^32 (and squares of such primes);
- primes just below 2^63 and 2^64.
"""

from __future__ import annotations

import json
import sys

import sympy

from primes.reference import _strong_probable_prime as strong_probable_prime


def spsp2_p_2p_minus_1(count: int) -> list:
    found = []
    p = sympy.prevprime(int((2**64 // 2) ** 0.5))
    while len(found) < count:
        q = 2 * p - 1
        n = p * q
        if n < 2**64 and q % 8 in (1, 7) and sympy.isprime(q) and strong_probable_prime(n, 2):
            found.append({"n": n, "factors": [p, q], "family": "spsp2 p(2p-1)"})
        p = sympy.prevprime(p)
    return found


def carmichael_6m_12m_18m(count: int) -> list:
    found = []
    m = int((2**64 / 1296) ** (1 / 3)) + 1
    while len(found) < count:
        a, b, c = 6 * m + 1, 12 * m + 1, 18 * m + 1
        if a * b * c < 2**64 and sympy.isprime(a) and sympy.isprime(b) and sympy.isprime(c):
            found.append({"n": a * b * c, "factors": [a, b, c], "family": "Carmichael (6m+1)(12m+1)(18m+1)"})
        m -= 1
    return found


def two_32_bit_primes(count: int) -> list:
    ps = [sympy.prevprime(2**32)]
    while len(ps) < count + 1:
        ps.append(sympy.prevprime(ps[-1]))
    products = [{"n": ps[i] * ps[i + 1], "factors": [ps[i], ps[i + 1]], "family": "product of two 32-bit primes"}
                for i in range(count)]
    squares = [{"n": p * p, "factors": [p, p], "family": "square of a 32-bit prime"} for p in ps[:count]]
    return products + squares


def top_primes(count: int) -> list:
    found = []
    for top in (2**63, 2**64):
        p = top
        for _ in range(count):
            p = sympy.prevprime(p)
            found.append({"n": p, "factors": [p], "family": f"prime below 2^{top.bit_length() - 1}"})
    return found


def main() -> None:
    values = spsp2_p_2p_minus_1(12) + carmichael_6m_12m_18m(6) + two_32_bit_primes(10) + top_primes(10)
    for item in values:
        product = 1
        for f in item["factors"]:
            product *= f
        assert product == item["n"] and item["n"] < 2**64
        item["is_prime"] = bool(sympy.isprime(item["n"]))
        assert item["is_prime"] == (len(item["factors"]) == 1)
    json.dump({"generator": "tests/data/make_adversaries.py (sympy.isprime)", "values": values}, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
