# SPDX-License-Identifier: MIT
"""``python -m primes``: the command-line experiment (see :mod:`primes.cli`)."""

from primes.cli import main

raise SystemExit(main())
