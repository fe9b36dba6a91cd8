# SPDX-License-Identifier: MIT
# Type stub for the module meson.build generates from _build_info.py.in (it does
# not exist in the source tree, so mypy needs this to check primes/_config.py).
COMPILER_ID: str
COMPILER_VERSION: str
LINKER_ID: str
BUILDTYPE: str
OPTIMIZATION: str
DEBUG: str
B_NDEBUG: str
C_STD: str
PROJECT_C_ARGS: str
USER_C_ARGS: str
HOST_CPU_FAMILY: str
HOST_SYSTEM: str
SIMD: str
USER_C_LINK_ARGS: str
GLIBC: str
TOOLCHAIN: str
