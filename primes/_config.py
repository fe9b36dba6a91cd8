# SPDX-License-Identifier: MIT
""":func:`show_config`: what this installation of primes is and how it was built."""

from __future__ import annotations

import os
import platform
import sys
from typing import Any, Literal, Optional, overload

import numpy as np

from . import _build_info, _cpu, _lib, _threads
from ._version import __version__

__all__ = ["show_config"]


def _config() -> dict[str, dict[str, Any]]:
    try:
        default_threads: Any = _threads.get_threads()
    except ValueError as exc:  # show_config is for diagnosing problems: report, don't raise
        default_threads = f"error: {exc}"
    environment_value = os.environ.get(_threads.ENV_VAR)
    features, best = _lib.cpu_features()
    level_env = os.environ.get(_cpu.ENV_VAR)
    try:
        in_use: Any = _cpu.level_name(_lib.cpu_level(_cpu.level_cap()))
    except ValueError as exc:  # an invalid PRIMES_CPU_LEVEL: report, don't raise
        in_use = f"error: {exc}"
    return {
        "primes": {"version": __version__, "location": os.path.dirname(os.path.abspath(__file__))},
        "python": {
            "version": platform.python_version(),
            "implementation": platform.python_implementation(),
            "numpy": np.__version__,
            "executable": sys.executable,
        },
        "library": {
            "path": _lib.LIBRARY_PATH,
            "abi_version": _lib.ABI_VERSION,
        },
        "build": {
            "compiler": f"{_build_info.COMPILER_ID} {_build_info.COMPILER_VERSION}",
            "linker": _build_info.LINKER_ID,
            "buildtype": _build_info.BUILDTYPE,
            "optimization": _build_info.OPTIMIZATION,
            "debug": _build_info.DEBUG,
            "b_ndebug": _build_info.B_NDEBUG,
            "c_std": _build_info.C_STD,
            "c_args": _build_info.PROJECT_C_ARGS,
            "user_c_args": _build_info.USER_C_ARGS,
            "user_c_link_args": _build_info.USER_C_LINK_ARGS,
            "glibc": _build_info.GLIBC,
            "toolchain": _build_info.TOOLCHAIN,
            "host": f"{_build_info.HOST_SYSTEM} {_build_info.HOST_CPU_FAMILY}",
            "simd": _build_info.SIMD,
        },
        "cpu": {
            "features": features,
            "best_level": _cpu.level_name(best),
            "levels_built": [name for name, level in _cpu.LEVELS.items() if _lib.cpu_level(level) == level],
            _cpu.ENV_VAR: level_env,
            "level_in_use": in_use,
        },
        "threads": {
            "default": default_threads,
            "default_from": _threads.default_source(),
            "cpus_available": _threads.available_cpus(),
            _threads.ENV_VAR: environment_value,
            "threadpoolctl_limit": _threads.process_limit(),
        },
    }


def _format(config: dict[str, dict[str, Any]]) -> str:
    build = config["build"]
    threads = config["threads"]
    python = config["python"]
    cpu = config["cpu"]
    level_env = cpu[_cpu.ENV_VAR]
    environment_value = threads[_threads.ENV_VAR]
    lines = [
        f"primes {config['primes']['version']} ({config['primes']['location']})",
        f"  Python {python['version']} ({python['implementation']}), NumPy {python['numpy']}",
        "library:",
        f"  path: {config['library']['path']}",
        f"  ABI version: {config['library']['abi_version']}",
        "build:",
        f"  compiler: {build['compiler']} (linker {build['linker']})",
        f"  toolchain: {build['toolchain'] or 'the system compiler'}",
        f"  glibc headers: {build['glibc'] or 'none (another C library)'}",
        f"  build type: {build['buildtype']}, optimization -O{build['optimization']}, "
        f"debug {build['debug']}, NDEBUG {build['b_ndebug']}, C standard {build['c_std']}",
        f"  C arguments: {build['c_args'] or 'none'}",
        f"  C arguments from CFLAGS or -Dc_args: {build['user_c_args'] or 'none'}",
        f"  link arguments from LDFLAGS, -Dc_link_args or a machine file: "
        f"{build['user_c_link_args'] or 'none'}",
        f"  host: {build['host']}",
        f"  SIMD: {build['simd']}",
        "cpu:",
        f"  features detected: {', '.join(cpu['features']) or 'none'}",
        f"  best level the CPU supports: {cpu['best_level']}",
        f"  levels with kernels usable here: {', '.join(cpu['levels_built'])}",
        f"  {_cpu.ENV_VAR}: {'not set' if level_env is None else repr(level_env)}",
        f"  level in use: {cpu['level_in_use']}",
        "threads:",
        f"  default: {threads['default']} (from {threads['default_from']})",
        f"  CPUs available: {threads['cpus_available']}",
        f"  {_threads.ENV_VAR}: {'not set' if environment_value is None else repr(environment_value)}",
    ]
    return "\n".join(lines)


@overload
def show_config(mode: Literal["stdout"] = ...) -> None: ...


@overload
def show_config(mode: Literal["dicts"]) -> dict[str, dict[str, Any]]: ...


def show_config(mode: Literal["stdout", "dicts"] = "stdout") -> Optional[dict[str, dict[str, Any]]]:
    """Show the version, the C library and its build, and the default thread count.

    Include its output in bug reports.  As for :func:`numpy.show_config`,
    the information is printed, or returned as a dict.

    Parameters
    ----------
    mode : {"stdout", "dicts"}, optional
        ``"stdout"`` (default) prints a short report; ``"dicts"`` returns
        the same information as a dict of dicts (keys ``"primes"``,
        ``"python"``, ``"library"``, ``"build"``, ``"cpu"``, ``"threads"``).

    Returns
    -------
    dict or None
        The information for ``mode="dicts"``; None otherwise.

    Raises
    ------
    ValueError
        If ``mode`` is neither ``"stdout"`` nor ``"dicts"``.

    Notes
    -----
    The compiler, its flags and the SIMD instruction sets come from
    ``primes/_build_info.py``, which Meson writes when the package is built,
    not from guesses made at run time.  The library is built for the
    baseline of its architecture (on x86-64: SSE2, no ``-march`` flags) unless
    whoever built it passed other flags; the C code uses no intrinsics.  The
    default thread count is :func:`primes.get_threads` on the calling thread;
    an invalid ``PRIMES_NUM_THREADS`` is reported instead of raised.

    Examples
    --------
    >>> import primes
    >>> primes.show_config()  # doctest: +ELLIPSIS
    primes ...
    library:
      path: .../libprimes.so
    ...
    threads:
      default: ...
    >>> config = primes.show_config(mode="dicts")
    >>> sorted(config)
    ['build', 'cpu', 'library', 'primes', 'python', 'threads']
    >>> config["library"]["abi_version"]
    5
    """
    if mode not in ("stdout", "dicts"):
        raise ValueError(f"mode must be 'stdout' or 'dicts'; got {mode!r}")
    config = _config()
    if mode == "dicts":
        return config
    print(_format(config))
    return None
