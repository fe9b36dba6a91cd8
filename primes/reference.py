# SPDX-License-Identifier: MIT
"""Pure-Python reference implementation: the blog experiment's baseline, made correct.

It is slow on purpose (one Python-level loop over the elements) and shares no
code with the C library, so the tests can compare the two.  Trial division by
6k +/- 1 below 2**32; above, Miller-Rabin with the first twelve prime bases,
which no composite below 3.3 * 10**24 passes.
"""

from __future__ import annotations

import math
import operator
from collections.abc import Iterable
from typing import Optional

__all__ = ["is_prime", "count", "primes", "next_prime", "prev_prime"]

_MILLER_RABIN_BASES = (2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37)
_TRIAL_DIVISION_LIMIT = 2**32


def _strong_probable_prime(n: int, base: int) -> bool:
    d, s = n - 1, 0
    while d % 2 == 0:
        d //= 2
        s += 1
    x = pow(base, d, n)
    if x in (1, n - 1):
        return True
    for _ in range(s - 1):
        x = x * x % n
        if x == n - 1:
            return True
    return False


def is_prime(n: int) -> bool:
    """Return True if the integer ``n`` is prime.

    Parameters
    ----------
    n : int
        Any integer (an ``int``, a NumPy integer or anything with
        ``__index__``), of any size.  0, 1 and negative values are not prime.

    Returns
    -------
    bool
        Whether ``n`` is prime.

    Raises
    ------
    TypeError
        If ``n`` is not an integer.

    See Also
    --------
    primes.is_prime : the fast, element-wise version for NumPy arrays.

    Notes
    -----
    Trial division by 6k +/- 1 below 2**32; above, strong probable-prime
    tests to the first twelve prime bases, which no composite below
    3.3 * 10**24 passes, so the answer is exact for every 64-bit value.

    Examples
    --------
    >>> from primes import reference
    >>> [n for n in range(-3, 20) if reference.is_prime(n)]
    [2, 3, 5, 7, 11, 13, 17, 19]
    >>> reference.is_prime(2**61 - 1)
    True
    """
    n = operator.index(n)
    if n < 2:
        return False
    if n < 4:
        return True
    if n % 2 == 0 or n % 3 == 0:
        return False
    if n < _TRIAL_DIVISION_LIMIT:
        limit = math.isqrt(n)
        divisor = 5
        while divisor <= limit:
            if n % divisor == 0 or n % (divisor + 2) == 0:
                return False
            divisor += 6
        return True
    return all(_strong_probable_prime(n, base) for base in _MILLER_RABIN_BASES if base % n)


def count(values: Iterable[int]) -> int:
    """Return how many of ``values`` are prime (each occurrence counts).

    Parameters
    ----------
    values : iterable of int
        The integers to test, one Python-level call of :func:`is_prime` each.

    Returns
    -------
    int
        The number of prime elements.

    See Also
    --------
    primes.count : the fast version for NumPy arrays.

    Examples
    --------
    >>> from primes import reference
    >>> reference.count(range(100))
    25
    """
    return sum(1 for value in values if is_prime(value))


def primes(start: int, stop: Optional[int] = None) -> list[int]:
    """Return the primes ``p`` with ``start <= p < stop`` (``primes(stop)``: below ``stop``), in order.

    The counterpart of :func:`primes.primes`: one :func:`is_prime` call per
    odd candidate, so use it on short intervals only.

    Parameters
    ----------
    start : int
        The first integer of the interval, or its end when ``stop`` is not
        given (the interval then starts at 0); any integer.
    stop : int, optional
        The end of the interval ``[start, stop)``, excluded.

    Returns
    -------
    list of int
        The primes, in increasing order.

    See Also
    --------
    primes.primes : the fast version, into a NumPy array.

    Examples
    --------
    >>> from primes import reference
    >>> reference.primes(20)
    [2, 3, 5, 7, 11, 13, 17, 19]
    >>> reference.primes(2**64 - 100, 2**64)
    [18446744073709551521, 18446744073709551533, 18446744073709551557]
    >>> found = reference.primes(10**4, 2 * 10**4)
    >>> reference.count(range(10**4, 2 * 10**4, 3)) == len([p for p in found if p % 3 == 1])
    True
    """
    if stop is None:
        start, stop = 0, start
    start, stop = operator.index(start), operator.index(stop)
    found = [2] if start <= 2 < stop else []
    first = max(start, 3)
    found.extend(n for n in range(first | 1, stop, 2) if is_prime(n))
    return found


def next_prime(n: int) -> int:
    """Return the smallest prime greater than the integer ``n``.

    Parameters
    ----------
    n : int
        Any integer (an ``int``, a NumPy integer or anything with
        ``__index__``), of any size; below 2 the answer is 2.

    Returns
    -------
    int
        The next prime, a Python int (it may not fit ``n``'s dtype).

    Raises
    ------
    TypeError
        If ``n`` is not an integer.

    See Also
    --------
    primes.next_prime : the fast, element-wise version for NumPy arrays.

    Examples
    --------
    >>> from primes import reference
    >>> [reference.next_prime(n) for n in (-3, 0, 2, 13, 2**64 - 59)]
    [2, 2, 3, 17, 18446744073709551629]
    """
    n = operator.index(n)
    if n < 2:
        return 2
    candidate = n + 1 + n % 2 if n > 2 else 3  # the next odd number
    while not is_prime(candidate):
        candidate += 2
    return candidate


def prev_prime(n: int) -> int:
    """Return the largest prime smaller than the integer ``n``.

    Parameters
    ----------
    n : int
        Any integer of at least 3 (an ``int``, a NumPy integer or anything
        with ``__index__``).

    Returns
    -------
    int
        The previous prime.

    Raises
    ------
    ValueError
        If ``n < 3``: there is no prime below 2.
    TypeError
        If ``n`` is not an integer.

    See Also
    --------
    primes.prev_prime : the fast, element-wise version for NumPy arrays.

    Examples
    --------
    >>> from primes import reference
    >>> [reference.prev_prime(n) for n in (3, 4, 100, 2**64)]
    [2, 3, 97, 18446744073709551557]
    """
    n = operator.index(n)
    if n < 3:
        raise ValueError(f"there is no prime below {n}")
    if n == 3:
        return 2
    candidate = n - 1 - n % 2  # the previous odd number
    while not is_prime(candidate):
        candidate -= 2
    return candidate
