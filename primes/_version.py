# SPDX-License-Identifier: MIT
"""The package version, from the installed metadata.

Imported first by ``primes/__init__.py``, so that every other module may
import ``__version__`` at module level.
"""

from importlib.metadata import PackageNotFoundError, version

__all__ = ["__version__"]

try:
    __version__ = version("primes")
except PackageNotFoundError:  # pragma: no cover - only without package metadata
    __version__ = "0+unknown"
