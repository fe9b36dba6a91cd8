# SPDX-License-Identifier: MIT
"""The C library's sources and the flags of its per-instruction-set files.

The one list that every build of ``src_c/`` uses: Meson asks it for each
level's flags (``meson.build``, the ISA section), and the builds outside Meson
(the sanitizer, TSan and fuzz builds of ``.ci/``, the fault-injection library of
``tests/test_faults.py``, the C checks of ``tests/test_c_units.py``) compile
through it, so that a kernel file for a level gets that level's flags and no
other file does: the dispatch code and everything else stay baseline, and a
CPU without AVX never meets an AVX instruction outside the kernels it cannot
be dispatched to.

A source belongs to a level by its name: ``*_avx2.c`` and ``*_avx512.c``
(``src_c/test_avx2.c``, ``src_c/test_avx512.c``).  Include-templates
(``*.template.c``) are not sources.  On other architectures than x86-64 the
per-level files are left out and only the portable kernels are built.

Usage::

    python tools/c_sources.py flags avx2        # the level's compiler flags, one line
    python tools/c_sources.py objects CC OUTDIR [FLAG ...]
        # compiles every source to OUTDIR/<name>.o with FLAG ... plus its
        # level's flags and the PRIMES_HAVE_<LEVEL> defines; prints the objects
"""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Dict, List, Optional, Sequence, Tuple

SRC = Path(__file__).resolve().parents[1] / "src_c"

#: The instruction sets each level's files may use (CPU_LEVEL_*_NEEDS in
#: src_c/cpu.h is what the run-time check requires before dispatching to them).
LEVEL_FLAGS: Dict[str, List[str]] = {
    "avx2": ["-mavx2", "-mbmi2", "-mfma", "-mpopcnt"],
}
LEVEL_FLAGS["avx512"] = ["-mavx512f", "-mavx512vl", "-mavx512dq", "-mavx512bw", "-mavx512ifma",
                         *LEVEL_FLAGS["avx2"]]


def level_of(path: Path) -> Optional[str]:
    """The level whose flags ``path`` is compiled with, or None (baseline)."""
    for level in LEVEL_FLAGS:
        if path.name.endswith(f"_{level}.c"):
            return level
    return None


def x86_64(machine: Optional[str] = None) -> bool:
    return (machine or platform.machine()).lower() in ("x86_64", "amd64")


def portable_sources() -> List[Path]:
    """The sources of a portable build (no per-level file): these compile together in
    one command with any flags, and give the baseline kernels only."""
    return sorted(p for p in SRC.glob("*.c") if not p.name.endswith(".template.c") and level_of(p) is None)


def sources(machine: Optional[str] = None) -> List[Tuple[Path, List[str]]]:
    """Every library source with its own flags: ``[(path, flags)]``.

    The per-level files only on x86-64; every file then also gets
    ``-DPRIMES_HAVE_<LEVEL>=1`` for each level that has files (what Meson
    defines), so that the dispatch table names their kernels.
    """
    files = sorted(p for p in SRC.glob("*.c") if not p.name.endswith(".template.c"))
    if not x86_64(machine):
        return [(p, []) for p in files if level_of(p) is None]
    levels = sorted({level for level in map(level_of, files) if level is not None})
    defines = [f"-DPRIMES_HAVE_{level.upper()}=1" for level in levels]
    result = []
    for path in files:
        level = level_of(path)
        result.append((path, defines + (LEVEL_FLAGS[level] if level else [])))
    return result


def compile_objects(compiler: str, outdir: Path, flags: Sequence[str],
                    names: Optional[Sequence[str]] = None) -> List[Path]:
    """Compiles every source (or those of ``names``, e.g. ``["cpu.c"]``, that this
    architecture builds) into ``outdir``: ``flags`` first, then the file's own."""
    outdir.mkdir(parents=True, exist_ok=True)
    jobs = [(path, own, outdir / (path.stem + ".o")) for path, own in sources()
            if names is None or path.name in names]

    def build(job: Tuple[Path, List[str], Path]) -> Path:
        path, own, obj = job
        subprocess.run([compiler, *flags, f"-I{SRC}", *own, "-c", str(path), "-o", str(obj)], check=True)
        return obj

    # One compiler per CPU at a time: the files are independent.
    with ThreadPoolExecutor(max_workers=max(1, min(len(jobs), os.cpu_count() or 1))) as pool:
        return list(pool.map(build, jobs))


def main(argv: Sequence[str]) -> int:
    if len(argv) == 2 and argv[0] == "flags" and argv[1] in LEVEL_FLAGS:
        print(" ".join(LEVEL_FLAGS[argv[1]]))
        return 0
    if len(argv) >= 3 and argv[0] == "objects":
        for obj in compile_objects(argv[1], Path(argv[2]), argv[3:]):
            print(obj)
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
