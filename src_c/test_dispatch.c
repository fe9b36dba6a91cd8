/* SPDX-License-Identifier: MIT */
/*
 * test_dispatch.c -- the choice of the per-element test kernels for a call.
 *
 * Each level's kernels are compiled in their own files with their own
 * instruction-set flags (meson.build); this file is compiled for the
 * baseline, so nothing here executes an instruction the CPU may lack.  The
 * level used is the highest that the caller's cap allows, the CPU and the
 * operating system support (cpu.h, detected once) and this build has.
 */
#include "cpu.h"
#include "primes.h"
#include "test_kernels.h"

#include <stddef.h>

const struct test_kernels *test_kernels_for(int cap)
{
    if (cap < PRIMES_CPU_BASELINE || cap > PRIMES_CPU_BEST)
        return NULL;
    /* By level; a level this build has no kernels for falls to the next lower
     * one (NULL entries). */
    static const struct test_kernels *const by_level[PRIMES_CPU_BEST + 1] = {
        [PRIMES_CPU_BASELINE] = &test_kernels_baseline,
#ifdef PRIMES_HAVE_AVX512
        [PRIMES_CPU_AVX512] = &test_kernels_avx512, /* meson.build: built with its flags */
#endif
    };
    int level = cpu_best_level();
    if (level > cap)
        level = cap;
    while (by_level[level] == NULL)
        level--;
    return by_level[level];
}
