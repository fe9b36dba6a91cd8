/* SPDX-License-Identifier: MIT */
/*
 * test_cpu.c -- CPU detection (src_c/cpu.h), called directly.
 *
 *   cc -std=c11 -Isrc_c tests/c/test_cpu.c src_c/cpu.c -o test_cpu -pthread && ./test_cpu
 *
 * Checks the level derived from feature masks (pure) and that detection from
 * many threads at once gives one answer, then prints the features detected,
 * one line "features: <name> ..." (Linux /proc/cpuinfo spellings) and one
 * line "level: <n>", which tests/test_c_units.py compares with
 * /proc/cpuinfo.  Last line "cpu: N checks, F failed"; exit status 0 when
 * none failed.
 */
#include "check.h"
#include "cpu.h"
#include "primes.h"

#include <pthread.h>
#include <stdio.h>

#define THREADS 8
static uint32_t seen[THREADS];

static void *detect_in_thread(void *arg)
{
    uint32_t *out = arg;
    *out = cpu_features();
    return NULL;
}

int main(void)
{
    /* The levels from feature masks. */
    CHECK(cpu_level_of(0) == PRIMES_CPU_BASELINE);
    CHECK(cpu_level_of(CPU_SSE42 | CPU_AVX) == PRIMES_CPU_BASELINE);
    CHECK(cpu_level_of(CPU_AVX | CPU_AVX2 | CPU_BMI2) == PRIMES_CPU_BASELINE); /* no FMA */
    CHECK(cpu_level_of(CPU_AVX | CPU_AVX2 | CPU_BMI2 | CPU_FMA) == PRIMES_CPU_BASELINE); /* no POPCNT */
    CHECK(cpu_level_of(CPU_AVX | CPU_AVX2 | CPU_BMI2 | CPU_FMA | CPU_POPCNT) == PRIMES_CPU_AVX2);
    CHECK(cpu_level_of(CPU_LEVEL_AVX2_NEEDS | CPU_AVX512F | CPU_AVX512VL | CPU_AVX512DQ | CPU_AVX512BW)
          == PRIMES_CPU_AVX2); /* no IFMA */
    CHECK(cpu_level_of(CPU_LEVEL_AVX512_NEEDS) == PRIMES_CPU_AVX512);
    CHECK(cpu_level_of(CPU_LEVEL_AVX512_NEEDS & ~CPU_AVX2) == PRIMES_CPU_BASELINE);
    CHECK(cpu_level_of(UINT32_MAX) == PRIMES_CPU_AVX512);
    CHECK(cpu_feature_name(-1) == NULL && cpu_feature_name(CPU_FEATURE_COUNT) == NULL);

    /* Detection from several threads at once: one answer, cached. */
    pthread_t threads[THREADS];
    for (int i = 0; i < THREADS; i++)
        pthread_create(&threads[i], NULL, detect_in_thread, &seen[i]);
    for (int i = 0; i < THREADS; i++)
        pthread_join(threads[i], NULL);
    uint32_t features = cpu_features();
    for (int i = 0; i < THREADS; i++)
        CHECK(seen[i] == features);
    CHECK(features >> CPU_FEATURE_COUNT == 0);
    CHECK(cpu_best_level() == cpu_level_of(features));
#if !defined(__x86_64__)
    CHECK(features == 0 && cpu_best_level() == PRIMES_CPU_BASELINE);
#endif

    printf("features:");
    for (int bit = 0; bit < CPU_FEATURE_COUNT; bit++)
        if (features & (UINT32_C(1) << bit))
            printf(" %s", cpu_feature_name(bit));
    printf("\nlevel: %d\n", cpu_best_level());
    return check_report("cpu");
}
