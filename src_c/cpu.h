/* SPDX-License-Identifier: MIT */
/*
 * cpu.h -- what the CPU and the operating system support (internal).
 *
 * cpu_features() runs CPUID (leaves 1 and 7) and XGETBV once per process and
 * caches the result (the one mutable global of the library: written once,
 * atomically, to the same value by whichever thread gets there first).  A
 * vector feature counts only if the OS saves its registers on a context
 * switch (XGETBV: XMM and YMM state for AVX/AVX2/FMA, also opmask and ZMM
 * state for AVX-512).  On other architectures nothing is detected and the
 * level is PRIMES_CPU_BASELINE.
 *
 * test_dispatch.c picks a call's struct test_kernels from min(the caller's
 * cap, cpu_best_level()); a level's needs below are the instruction sets its
 * files are compiled for (tools/c_sources.py).
 */
#ifndef PRIMES_CPU_H
#define PRIMES_CPU_H

#include <stdint.h>

/* Feature bits of cpu_features(). */
#define CPU_SSE42 (UINT32_C(1) << 0)
#define CPU_AVX (UINT32_C(1) << 1)
#define CPU_AVX2 (UINT32_C(1) << 2)
#define CPU_BMI2 (UINT32_C(1) << 3)
#define CPU_FMA (UINT32_C(1) << 4)
#define CPU_AVX512F (UINT32_C(1) << 5)
#define CPU_AVX512VL (UINT32_C(1) << 6)
#define CPU_AVX512DQ (UINT32_C(1) << 7)
#define CPU_AVX512BW (UINT32_C(1) << 8)
#define CPU_AVX512IFMA (UINT32_C(1) << 9)
#define CPU_AVX512VBMI2 (UINT32_C(1) << 10)
#define CPU_AVX512VPOPCNTDQ (UINT32_C(1) << 11)
#define CPU_POPCNT (UINT32_C(1) << 12)
#define CPU_FEATURE_COUNT 13

/* What each level's kernels may use (primes.h, PRIMES_CPU_*). */
#define CPU_LEVEL_AVX2_NEEDS (CPU_AVX | CPU_AVX2 | CPU_BMI2 | CPU_FMA | CPU_POPCNT)
#define CPU_LEVEL_AVX512_NEEDS \
    (CPU_LEVEL_AVX2_NEEDS | CPU_AVX512F | CPU_AVX512VL | CPU_AVX512DQ | CPU_AVX512BW | CPU_AVX512IFMA)

/* The features of this CPU and OS (detected on the first call). */
uint32_t cpu_features(void);

/* The best PRIMES_CPU_* level whose needs `features` meet (pure). */
int cpu_level_of(uint32_t features);

/* cpu_level_of(cpu_features()). */
int cpu_best_level(void);

/* The name of feature bit `bit` (0 <= bit < CPU_FEATURE_COUNT), as Linux's
 * /proc/cpuinfo spells it ("sse4_2", "avx512ifma" ...), or NULL. */
const char *cpu_feature_name(int bit);

#endif /* PRIMES_CPU_H */
