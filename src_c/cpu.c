/* SPDX-License-Identifier: MIT */
/*
 * cpu.c -- CPU feature detection: CPUID and XGETBV on x86-64 (cpu.h).
 */
#include "cpu.h"

#include <stdatomic.h>
#include <stddef.h>

#include "primes.h"

#if defined(__x86_64__)
#include <cpuid.h>

/* XCR0 bits: the state components the OS saves and restores. */
#define XCR0_SSE (UINT64_C(1) << 1)
#define XCR0_AVX (UINT64_C(1) << 2)
#define XCR0_OPMASK (UINT64_C(1) << 5)
#define XCR0_ZMM_HI256 (UINT64_C(1) << 6)
#define XCR0_HI16_ZMM (UINT64_C(1) << 7)

/* XGETBV with ECX = 0, as a plain instruction: the intrinsic would need
 * -mxsave on the whole file.  Only run when CPUID says OSXSAVE. */
static uint64_t xcr0(void)
{
    uint32_t lo, hi;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return ((uint64_t)hi << 32) | lo;
}

static uint32_t detect(void)
{
    unsigned eax, ebx, ecx, edx;
    uint32_t f = 0;
    if (!__get_cpuid(1, &eax, &ebx, &ecx, &edx))
        return 0;
    if (ecx & bit_SSE4_2)
        f |= CPU_SSE42;
    if (ecx & bit_POPCNT)
        f |= CPU_POPCNT;
    /* Leaf 1, ECX: bit 12 FMA, bit 27 OSXSAVE, bit 28 AVX. */
    int fma = (ecx >> 12) & 1u, osxsave = (ecx >> 27) & 1u, avx = (ecx >> 28) & 1u;
    uint64_t xcr = osxsave ? xcr0() : 0;
    int ymm_state = (xcr & (XCR0_SSE | XCR0_AVX)) == (XCR0_SSE | XCR0_AVX);
    uint64_t zmm_bits = XCR0_OPMASK | XCR0_ZMM_HI256 | XCR0_HI16_ZMM;
    int zmm_state = ymm_state && (xcr & zmm_bits) == zmm_bits;
    if (avx && ymm_state)
        f |= CPU_AVX;
    if (fma && ymm_state)
        f |= CPU_FMA;

    if (__get_cpuid_max(0, NULL) < 7)
        return f;
    __cpuid_count(7, 0, eax, ebx, ecx, edx);
    /* Leaf 7, EBX: bit 5 AVX2, 8 BMI2, 16 AVX512F, 17 AVX512DQ, 21 AVX512IFMA,
     * 30 AVX512BW, 31 AVX512VL; ECX: bit 6 AVX512_VBMI2, 14 AVX512_VPOPCNTDQ. */
    if (ebx & (1u << 8))
        f |= CPU_BMI2;
    if ((ebx & (1u << 5)) && ymm_state)
        f |= CPU_AVX2;
    if (zmm_state) {
        static const struct { unsigned reg_bit; int in_ecx; uint32_t feature; } avx512[] = {
            {16, 0, CPU_AVX512F}, {17, 0, CPU_AVX512DQ}, {21, 0, CPU_AVX512IFMA}, {30, 0, CPU_AVX512BW},
            {31, 0, CPU_AVX512VL}, {6, 1, CPU_AVX512VBMI2}, {14, 1, CPU_AVX512VPOPCNTDQ},
        };
        for (size_t k = 0; k < sizeof avx512 / sizeof avx512[0]; k++)
            if (((avx512[k].in_ecx ? ecx : ebx) >> avx512[k].reg_bit) & 1u)
                f |= avx512[k].feature;
    }
    return f;
}

#else

static uint32_t detect(void)
{
    return 0; /* not x86-64: the portable kernels only */
}

#endif

/* Bit 31 marks the cache as filled (no feature uses it). */
#define DETECTED (UINT32_C(1) << 31)

uint32_t cpu_features(void)
{
    static atomic_uint_least32_t cache = 0;
    uint32_t seen = (uint32_t)atomic_load_explicit(&cache, memory_order_acquire);
    if (!(seen & DETECTED)) {
        /* Two threads may both detect: they store the same value. */
        seen = detect() | DETECTED;
        atomic_store_explicit(&cache, seen, memory_order_release);
    }
    return seen & ~DETECTED;
}

int cpu_level_of(uint32_t features)
{
    if ((features & CPU_LEVEL_AVX512_NEEDS) == CPU_LEVEL_AVX512_NEEDS)
        return PRIMES_CPU_AVX512;
    if ((features & CPU_LEVEL_AVX2_NEEDS) == CPU_LEVEL_AVX2_NEEDS)
        return PRIMES_CPU_AVX2;
    return PRIMES_CPU_BASELINE;
}

int cpu_best_level(void)
{
    return cpu_level_of(cpu_features());
}

const char *cpu_feature_name(int bit)
{
    static const char *const names[CPU_FEATURE_COUNT] = {
        "sse4_2",  "avx",        "avx2",       "bmi2",       "fma",          "avx512f",
        "avx512vl", "avx512dq",  "avx512bw",   "avx512ifma", "avx512_vbmi2", "avx512_vpopcntdq",
        "popcnt",
    };
    return bit >= 0 && bit < CPU_FEATURE_COUNT ? names[bit] : NULL;
}
