# SPDX-License-Identifier: MIT
"""Fast reads of the package's environment variables (read on every call).

``os.environ.get`` encodes the key on every call (about 1 us, a tenth of a
small call's budget); on POSIX, ``os.environ`` keeps its encoded items in the
dict ``_data``, which it updates on every change, so a lookup there with a key
encoded once is equivalent.
"""

from __future__ import annotations

import os
from typing import Callable

__all__ = ["reader"]

_ENVIRON_DATA = getattr(os.environ, "_data", None)


def reader(name: str) -> Callable[[], str]:
    """Return a function giving the current value of the variable ``name`` ("" when unset)."""
    key = os.fsencode(name) if os.name == "posix" else name

    def value() -> str:
        if isinstance(_ENVIRON_DATA, dict):
            raw = _ENVIRON_DATA.get(key)
            if raw is None:
                return ""
            return os.fsdecode(raw) if isinstance(raw, bytes) else str(raw)
        return os.environ.get(name, "")

    return value
