# SPDX-License-Identifier: MIT
# Type stub for the module meson.build generates from src_c/primes.h with
# tools/gen_constants.py (it does not exist in the source tree).  Every name
# it defines is an int; which names exist is the header's business, checked by
# tests/test_constants.py, so the stub does not repeat them.
def __getattr__(name: str) -> int: ...
