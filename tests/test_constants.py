# SPDX-License-Identifier: MIT
"""The constants C and Python share are written once, and both sides agree on them.

They are ``#define PRIMES_<NAME> <integer>`` lines of ``src_c/primes.h``;
``tools/gen_constants.py`` writes ``primes/_constants.py`` from the header
when the package is built.  Checked here: the C compiler's own reading of the
header in the source tree (its preprocessor lists the macros, and a program
compiled against it prints their values) gives exactly the installed module's
names and values; the library reports the same ABI version; the Python side
uses the generated values, not copies.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

import primes
from primes import _coerce, _constants, _lib, _modes

HEADER = Path(__file__).resolve().parents[1] / "src_c" / "primes.h"
INTEGER = re.compile(r"(0[xX][0-9a-fA-F]+|\d+)[uUlL]*")


@pytest.fixture(scope="module")
def compiler():
    found = shutil.which("cc") or shutil.which("gcc")
    if found is None:
        pytest.skip("no C compiler to read the header with")
    return found


def header_constants(compiler, tmp_path) -> dict:
    """{NAME: value} for every PRIMES_<NAME> macro whose definition is an integer
    literal, as the C compiler sees src_c/primes.h (values printed by a compiled program)."""
    macros = subprocess.run([compiler, "-dM", "-E", str(HEADER)], capture_output=True, text=True, check=True)
    names = []
    for line in macros.stdout.splitlines():
        match = re.fullmatch(r"#define PRIMES_(\w+) (.*)", line)
        if match and INTEGER.fullmatch(match[2].strip()):
            names.append(match[1])
    assert "ABI_VERSION" in names, macros.stdout
    program = tmp_path / "print_constants.c"
    program.write_text(
        f'#include <stdio.h>\n#include "{HEADER}"\nint main(void) {{\n'
        + "".join(f'    printf("{name} %lld\\n", (long long)(PRIMES_{name}));\n' for name in names)
        + "    return 0;\n}\n"
    )
    executable = tmp_path / "print_constants"
    subprocess.run([compiler, "-std=c11", "-Wall", "-Werror", str(program), "-o", str(executable)], check=True)
    printed = subprocess.run([str(executable)], capture_output=True, text=True, check=True).stdout
    return {name: int(value) for name, value in (line.split() for line in printed.splitlines())}


def test_generated_module_is_what_c_sees_in_the_header(compiler, tmp_path):
    in_c = header_constants(compiler, tmp_path)
    in_python = {name: getattr(_constants, name) for name in _constants.__all__}
    assert in_python == in_c
    # The two limits the engine work relies on are among them.
    assert {"MAX_THREADS", "MIN_ELEMENTS_PER_THREAD", "OK", "METHOD_AUTO"} <= set(in_python)


def test_library_reports_the_generated_abi_version():
    assert _lib._LIB.primes_abi_version() == _constants.ABI_VERSION == _lib.ABI_VERSION
    assert primes.show_config(mode="dicts")["library"]["abi_version"] == _constants.ABI_VERSION


def test_python_uses_the_generated_values():
    assert _lib.METHODS == {
        "auto": _constants.METHOD_AUTO, "sieve": _constants.METHOD_SIEVE, "test": _constants.METHOD_TEST
    }
    assert tuple(_lib.METHODS) == _coerce.METHODS == primes.METHODS
    assert _modes._MIN_ELEMENTS_PER_THREAD == _constants.MIN_ELEMENTS_PER_THREAD
    for status, exception in [(_constants.ENOMEM, MemoryError), (_constants.ETHREAD, RuntimeError),
                              (_constants.EINVAL, ValueError), (_constants.ECANCELLED, KeyboardInterrupt)]:
        with pytest.raises(exception):
            _lib.check_status(status, "test")
    _lib.check_status(_constants.OK, "test")


def test_threads_reaching_c_are_capped_at_the_limit(threads_reaching_c):
    """The thread limit the Python side applies is the C library's PRIMES_MAX_THREADS."""
    assert primes.count(np.arange(1000), threads=10**9) == 168
    assert primes.count(np.arange(1000), threads=_constants.MAX_THREADS - 1) == 168
    assert threads_reaching_c == [_constants.MAX_THREADS, _constants.MAX_THREADS - 1]


def test_generator_reads_only_integer_defines(tmp_path):
    """The generator's rule (integer literals, optional suffix and comment) on a made-up header."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("gen_constants", HEADER.parents[1] / "tools" / "gen_constants.py")
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    text = (
        "#define PRIMES_ABI_VERSION 3\n"
        "#define PRIMES_HEX 0x10u /* sixteen */\n"
        "  #  define PRIMES_SPACED 7 // spaced\n"
        "#define PRIMES_API __attribute__((visibility(\"default\")))\n"
        "#define PRIMES_EXPR (1 << 4)\n"
        "#define OTHER 5\n"
    )
    assert generator.parse(text) == {"ABI_VERSION": 3, "HEX": 16, "SPACED": 7}
    with pytest.raises(ValueError, match="twice"):
        generator.parse("#define PRIMES_A 1\n#define PRIMES_A 2\n")
    namespace: dict = {}
    exec(generator.render({"ABI_VERSION": 3, "HEX": 16}, "src_c/primes.h"), namespace)
    assert (namespace["ABI_VERSION"], namespace["HEX"], namespace["__all__"]) == (3, 16, ["ABI_VERSION", "HEX"])
