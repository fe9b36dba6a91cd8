# SPDX-License-Identifier: MIT
"""The CPU level cap: the environment variable ``PRIMES_CPU_LEVEL``.

The C library detects what the CPU and the operating system support and uses
the best kernels it has for them; ``PRIMES_CPU_LEVEL`` = ``baseline`` |
``avx2`` | ``avx512`` caps that level (unset or empty: no cap).  It is read at
every call, like ``PRIMES_NUM_THREADS``, so that tests and benchmarks can
force each path; an unknown value is an error before any work starts.
All levels give identical results.
"""

from __future__ import annotations

from . import _constants as C
from . import _env

__all__ = ["ENV_VAR", "LEVELS", "level_cap", "level_name"]

#: Environment variable capping the CPU level.
ENV_VAR = "PRIMES_CPU_LEVEL"

#: The levels by name, from the portable kernels up (PRIMES_CPU_* in primes.h).
LEVELS: dict[str, int] = {"baseline": C.CPU_BASELINE, "avx2": C.CPU_AVX2, "avx512": C.CPU_AVX512}

_NAMES = {number: name for name, number in LEVELS.items()}
_env_value = _env.reader(ENV_VAR)
# The last value seen and its level: parsing is skipped while it is unchanged.
_last: tuple[str, int] = ("", C.CPU_BEST)


def level_cap() -> int:
    """The cap that calls pass to C now: ``PRIMES_CPU_LEVEL``'s level, else PRIMES_CPU_BEST.

    Raises
    ------
    ValueError
        If ``PRIMES_CPU_LEVEL`` is set to anything but a level's name.
    """
    global _last
    raw = _env_value()
    seen, level = _last
    if raw == seen:
        return level
    text = raw.strip().lower()
    if not text:
        level = C.CPU_BEST
    elif text in LEVELS:
        level = LEVELS[text]
    else:
        allowed = ", ".join(repr(name) for name in LEVELS)
        raise ValueError(f"environment variable {ENV_VAR} must be one of {allowed} (or unset); got {raw!r}")
    _last = (raw, level)
    return level


def level_name(level: int) -> str:
    """The name of a PRIMES_CPU_* level."""
    return _NAMES[level]
