# SPDX-License-Identifier: MIT
"""Write primes/_constants.py from the C header: the constants C and Python share.

Usage: python tools/gen_constants.py src_c/primes.h OUTPUT.py

meson.build runs it at build time (a custom_target), so the module exists in
the build tree and in every installed copy, never in the source tree.  Each
line of the header of the form ``#define PRIMES_<NAME> <integer>`` (decimal or
hex, optional U/L suffixes, optional trailing comment) becomes
``<NAME> = <integer>``; other lines, including other ``PRIMES_`` macros such as
``PRIMES_API``, are not constants and are skipped.  tests/test_constants.py
checks the result against what the C compiler makes of the header.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

DEFINE = re.compile(
    r"^\s*#\s*define\s+PRIMES_(?P<name>[A-Z0-9_]+)\s+(?P<value>0[xX][0-9a-fA-F]+|\d+)[uUlL]*"
    r"\s*(?:/\*.*?\*/\s*|//.*)?$"
)


def parse(header: str) -> dict[str, int]:
    """The ``PRIMES_<NAME> <integer>`` defines of ``header`` (its text), as {NAME: value}."""
    constants: dict[str, int] = {}
    for line in header.splitlines():
        match = DEFINE.match(line)
        if match:
            name = match["name"]
            if name in constants:
                raise ValueError(f"PRIMES_{name} is defined twice")
            constants[name] = int(match["value"], 0)
    return constants


def render(constants: dict[str, int], source: str) -> str:
    lines = [
        f'"""Constants shared with the C library, generated from {source} at build time',
        "by tools/gen_constants.py (do not edit: edit the header).",
        "",
        "Each ``#define PRIMES_<NAME> <integer>`` of the header is ``<NAME>`` here.",
        '"""',
        "",
    ]
    lines += [f"{name} = {value}" for name, value in constants.items()]
    lines += ["", "__all__ = [", *(f'    "{name}",' for name in constants), "]"]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__.split("\n\n")[1], file=sys.stderr)
        return 2
    header, output = Path(argv[0]), Path(argv[1])
    constants = parse(header.read_text(encoding="utf-8"))
    if "ABI_VERSION" not in constants:
        print(f"gen_constants.py: no PRIMES_ABI_VERSION in {header}", file=sys.stderr)
        return 1
    output.write_text(render(constants, f"src_c/{header.name}"), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
