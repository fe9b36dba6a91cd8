/* SPDX-License-Identifier: MIT */
/*
 * avx512_emulation.h -- the AVX-512 intrinsics of src_c/test_avx512.c on a CPU
 * without AVX-512, for the emulated check (tests/c/kernel_check_avx512.c).
 * Test-only: the library never includes it.
 *
 * SIMDe (Debian's libsimde-dev) implements the AVX-512 F/VL/DQ/BW intrinsics
 * with the instructions this CPU has; with SIMDE_ENABLE_NATIVE_ALIASES the
 * kernel's `_mm512_*` names and `__m512i` types map to its versions, so the
 * kernel source compiles unchanged.  An intrinsic that SIMDe lacks falls
 * through to GCC's own, which fails to compile here ("target specific option
 * mismatch"): nothing can silently run a native AVX-512 instruction.
 *
 * SIMDe 0.7.4 has no IFMA (AVX512IFMA52).  The two IFMA intrinsics are written
 * here, lane by lane, exactly as Intel's pseudocode defines them:
 *
 *   VPMADD52LUQ dst, a, b, c:  dst = a + low 52 bits of  (b[51:0] * c[51:0])
 *   VPMADD52HUQ dst, a, b, c:  dst = a + bits 103..52 of (b[51:0] * c[51:0])
 *
 * (a 104-bit product of the low 52 bits of each operand; the addition is a
 * plain 64-bit one that wraps, and bits 52..63 of b and c are ignored).
 * The double <-> float conversions, which it lacks too, below.
 */
#ifndef PRIMES_TESTS_AVX512_EMULATION_H
#define PRIMES_TESTS_AVX512_EMULATION_H

#define SIMDE_ENABLE_NATIVE_ALIASES
#include <simde/x86/avx512.h>

#include <stdint.h>

/* SIMDe 0.7.4's aliases of the masked unsigned comparisons take four
 * arguments (its functions, rightly, take three: mask, a, b). */
#undef _mm512_mask_cmpge_epu32_mask
#define _mm512_mask_cmpge_epu32_mask(k, a, b) simde_mm512_mask_cmpge_epu32_mask((k), (a), (b))
#undef _mm512_mask_cmpge_epu64_mask
#define _mm512_mask_cmpge_epu64_mask(k, a, b) simde_mm512_mask_cmpge_epu64_mask((k), (a), (b))

#define AVX512_EMULATION_LOW52 ((UINT64_C(1) << 52) - 1)

static inline __m512i avx512_emulated_madd52(__m512i a, __m512i b, __m512i c, int high)
{
    uint64_t av[8], bv[8], cv[8];
    _mm512_storeu_si512((void *)av, a);
    _mm512_storeu_si512((void *)bv, b);
    _mm512_storeu_si512((void *)cv, c);
    for (int k = 0; k < 8; k++) {
        unsigned __int128 t = (unsigned __int128)(bv[k] & AVX512_EMULATION_LOW52) * (cv[k] & AVX512_EMULATION_LOW52);
        uint64_t part = high ? (uint64_t)(t >> 52) & AVX512_EMULATION_LOW52 : (uint64_t)t & AVX512_EMULATION_LOW52;
        av[k] += part;
    }
    return _mm512_loadu_si512((const void *)av);
}

#if defined(_mm512_madd52lo_epu64) || defined(_mm512_madd52hi_epu64)
#error "this SIMDe has its own IFMA aliases: drop the emulation here and use them"
#endif
#define _mm512_madd52lo_epu64(a, b, c) avx512_emulated_madd52((a), (b), (c), 0)
#define _mm512_madd52hi_epu64(a, b, c) avx512_emulated_madd52((a), (b), (c), 1)

/* SIMDe 0.7.4 also lacks the conversions between 8 doubles and 8 floats
 * (VCVTPD2PS rounds to nearest under the default MXCSR, as a C cast does;
 * VCVTPS2PD is exact). */
#if defined(_mm512_cvtpd_ps) || defined(_mm512_cvtps_pd)
#error "this SIMDe has its own double <-> float conversions: drop the emulation here and use them"
#endif
static inline __m256 avx512_emulated_cvtpd_ps(__m512d a)
{
    double in[8];
    float out[8];
    _mm512_storeu_pd(in, a);
    for (int k = 0; k < 8; k++)
        out[k] = (float)in[k];
    return _mm256_loadu_ps(out);
}

static inline __m512d avx512_emulated_cvtps_pd(__m256 a)
{
    float in[8];
    double out[8];
    _mm256_storeu_ps(in, a);
    for (int k = 0; k < 8; k++)
        out[k] = (double)in[k];
    return _mm512_loadu_pd(out);
}
#define _mm512_cvtpd_ps(a) avx512_emulated_cvtpd_ps(a)
#define _mm512_cvtps_pd(a) avx512_emulated_cvtps_pd(a)

#endif /* PRIMES_TESTS_AVX512_EMULATION_H */
