# SPDX-License-Identifier: MIT
"""The one boundary between Python and the C library.

This module loads ``libprimes.so`` once, checks its ABI version, declares the
``argtypes`` and ``restype`` of every C function in one table, and maps the
status codes the C functions return to Python exceptions.  Nothing else in the
package touches ctypes.
"""

from __future__ import annotations

import ctypes
import importlib.resources
import os
from typing import Any, Callable, Literal, Optional

import numpy as np
from numpy.ctypeslib import ndpointer

__all__ = ["LIBRARY_PATH", "ABI_VERSION", "KERNEL_DTYPES", "METHODS", "COUNT_KERNELS", "CancelFlag", "check_status", "count_kernel", "is_prime_kernel"]

#: The ABI version this module was written for (PRIMES_ABI_VERSION in primes.h).
ABI_VERSION = 2

# Status codes from primes.h.
_OK, _ENOMEM, _ETHREAD, _EINVAL, _ECANCELLED = 0, 1, 2, 3, 4

#: The engines, by the ``method`` keyword: PRIMES_METHOD_* in primes.h.
METHODS: dict[str, int] = {"auto": 0, "sieve": 1, "test": 2}

_LIBRARY_NAME = "libprimes.so"

#: The element types the C kernels take, by the suffix of their C names.
KERNEL_DTYPES: dict[str, np.dtype[Any]] = {
    "int32": np.dtype(np.int32),
    "uint32": np.dtype(np.uint32),
    "int64": np.dtype(np.int64),
    "uint64": np.dtype(np.uint64),
}

_ArrayFlag = Literal["C_CONTIGUOUS", "ALIGNED", "WRITEABLE"]
_IN_FLAGS: tuple[_ArrayFlag, ...] = ("C_CONTIGUOUS", "ALIGNED")
_OUT_FLAGS: tuple[_ArrayFlag, ...] = ("C_CONTIGUOUS", "ALIGNED", "WRITEABLE")


def _in_array(dtype: np.dtype[Any]) -> Any:
    return ndpointer(dtype=dtype, ndim=1, flags=_IN_FLAGS)


_OUT_BOOL = ndpointer(dtype=np.bool_, ndim=1, flags=_OUT_FLAGS)
_SIZE = ctypes.c_size_t
_THREADS = ctypes.c_int
_METHOD = ctypes.c_int
_CANCEL = ctypes.POINTER(ctypes.c_int)
_COUNT_OUT = ctypes.POINTER(ctypes.c_uint64)

# Every C function: name -> (restype, argtypes).
_SIGNATURES: dict[str, Any] = {"primes_abi_version": (ctypes.c_int, [])}
for _suffix, _dtype in KERNEL_DTYPES.items():
    _SIGNATURES["primes_count_" + _suffix] = (ctypes.c_int, [_in_array(_dtype), _SIZE, _THREADS, _METHOD, _CANCEL, _COUNT_OUT])
    _SIGNATURES["primes_is_prime_" + _suffix] = (ctypes.c_int, [_in_array(_dtype), _SIZE, _THREADS, _METHOD, _CANCEL, _OUT_BOOL])


#: Developers only: load this library file instead of the installed one (the
#: sanitizer and fault-injection builds of tests/README.md).  It must still
#: pass the ABI check.
LIBRARY_ENV_VAR = "PRIMES_LIBRARY"


def _locate() -> str:
    """Return the path of the compiled library inside the installed package."""
    override = os.environ.get(LIBRARY_ENV_VAR)
    if override:
        if not os.path.isfile(override):
            raise ImportError(f"primes: {LIBRARY_ENV_VAR}={override!r} is not a file")
        return override
    candidate = importlib.resources.files("primes") / _LIBRARY_NAME
    if not candidate.is_file():
        raise ImportError(
            f"primes: the compiled C library {_LIBRARY_NAME} was not found next to the package "
            f"({importlib.resources.files('primes')}). This usually means Python imported the "
            "source folder of a repository checkout rather than an installed copy. Install the "
            "package with `pip install .`, or for development `pip install --no-build-isolation -e .` "
            "(after `pip install meson-python meson ninja`), or run Python from another folder."
        )
    return os.fspath(candidate)  # type: ignore[call-overload,no-any-return]


def _load() -> ctypes.CDLL:
    path = _locate()
    try:
        lib = ctypes.CDLL(path)
    except OSError as exc:
        raise ImportError(f"primes: could not load the C library {path}: {exc}") from exc
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(lib, name)
        function.restype = restype
        function.argtypes = argtypes
    found = lib.primes_abi_version()
    if found != ABI_VERSION:
        raise ImportError(
            f"primes: the C library {path} has ABI version {found} but this Python package expects "
            f"{ABI_VERSION}; reinstall the package so that both come from the same build."
        )
    return lib


_LIB = _load()
LIBRARY_PATH: str = _LIB._name


def check_status(status: int, function: str) -> None:
    """Raise the exception that a C status code stands for (nothing for success)."""
    if status == _OK:
        return
    if status == _ENOMEM:
        raise MemoryError(f"{function}: the C library could not allocate memory")
    if status == _ETHREAD:
        raise RuntimeError(f"{function}: a worker thread could not be started")
    if status == _EINVAL:
        raise ValueError(f"{function}: invalid argument passed to the C library")
    if status == _ECANCELLED:
        raise KeyboardInterrupt(f"{function}: cancelled")
    raise RuntimeError(f"{function}: unexpected status {status} from the C library")


def _bind(prefix: str) -> dict[np.dtype[Any], Callable[..., int]]:
    # Keyed by every native dtype with the kernel's kind and size: on LP64,
    # 'l' and 'q' are distinct dtypes that are both int64.  A dict lookup by
    # dtype is far cheaper than building dtype.name on every call.
    table: dict[np.dtype[Any], Callable[..., int]] = {}
    for char in "bhilqpBHILQP":
        dtype = np.dtype(char)
        suffix = f"{'int' if dtype.kind == 'i' else 'uint'}{8 * dtype.itemsize}"
        if suffix in KERNEL_DTYPES:
            table[dtype] = getattr(_LIB, prefix + suffix)
    return table


_COUNT = _bind("primes_count_")
_IS_PRIME = _bind("primes_is_prime_")
#: The native dtypes that reach a C kernel without conversion.
COUNT_KERNELS = frozenset(_COUNT)


class CancelFlag:
    """A flag that any thread may set to stop a running C call early.

    The C kernels read it between chunks; a call that sees it set returns
    PRIMES_ECANCELLED, which :func:`check_status` raises as KeyboardInterrupt.
    """

    __slots__ = ("_value",)

    def __init__(self) -> None:
        self._value = ctypes.c_int(0)

    def set(self) -> None:
        self._value.value = 1

    def is_set(self) -> bool:
        return bool(self._value.value)

    def _as_parameter(self) -> Any:
        return ctypes.byref(self._value)


def count_kernel(
    values: np.ndarray, threads: int, method: int = 0, cancel: Optional[CancelFlag] = None
) -> int:
    """Count primes in a 1-D, C-contiguous, aligned, native kernel-dtype array.

    ``method`` is a value of :data:`METHODS`; ``cancel`` may stop the call.
    """
    result = ctypes.c_uint64(0)
    flag = None if cancel is None else cancel._as_parameter()
    status = _COUNT[values.dtype](values, values.size, threads, method, flag, ctypes.byref(result))
    check_status(status, "count")
    return int(result.value)


def is_prime_kernel(
    values: np.ndarray, out: np.ndarray, threads: int, method: int = 0, cancel: Optional[CancelFlag] = None
) -> None:
    """Fill the bool array ``out`` (same length as ``values``) with the primality mask."""
    flag = None if cancel is None else cancel._as_parameter()
    check_status(_IS_PRIME[values.dtype](values, values.size, threads, method, flag, out), "is_prime")

