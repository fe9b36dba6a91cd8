/* SPDX-License-Identifier: MIT */
/*
 * fuzz_primes.c -- libFuzzer target for the C entry points.
 *
 * Build and run (see tests/README.md; .ci/fuzz.sh does this):
 *   python3 tools/c_sources.py objects clang build/fuzz-obj -g -O1 \
 *         -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
 *         -Isrc_c OBJECTS tests/fuzz/fuzz_primes.c -o build/fuzz_primes -pthread
 *   build/fuzz_primes -max_total_time=60
 * where OBJECTS are the object files the first command prints
 * (tools/c_sources.py compiles every library source with its own flags: the
 * per-level kernel files with their instruction sets).
 *
 * The first input byte picks the element type and the thread count; the rest
 * is the array, classified by every engine under every CPU level cap
 * (baseline, avx2, avx512: the levels' kernels compared with each other).
 * Every call must return PRIMES_OK, count and is_prime must agree, all
 * engines, levels and thread counts must agree, the byte-swapped array
 * through the *_swapped entry points must give the same answers, and every
 * element must match an independent test written here (trial division below
 * 2^32, Miller-Rabin with the first twelve prime bases in plain 128-bit
 * arithmetic above).  Any difference aborts, which libFuzzer reports.
 */
#include "primes.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int reference_is_prime(uint64_t n)
{
    if (n < 2)
        return 0;
    if (n < 4)
        return 1;
    if (n % 2 == 0 || n % 3 == 0)
        return 0;
    if (n < (UINT64_C(1) << 32)) {
        for (uint64_t d = 5; d * d <= n; d += 6)
            if (n % d == 0 || n % (d + 2) == 0)
                return 0;
        return 1;
    }
    static const uint64_t bases[12] = {2, 3, 5, 7, 11, 13, 17, 19, 23, 29, 31, 37};
    uint64_t d = n - 1;
    int s = 0;
    while (!(d & 1)) {
        d >>= 1;
        s++;
    }
    for (int i = 0; i < 12; i++) {
        unsigned __int128 x = 1, b = bases[i] % n;
        for (uint64_t e = d; e; e >>= 1) {
            if (e & 1)
                x = x * b % n;
            b = b * b % n;
        }
        if (x == 1 || x == n - 1)
            continue;
        int witness = 1;
        for (int r = 1; r < s; r++) {
            x = x * x % n;
            if (x == n - 1) {
                witness = 0;
                break;
            }
        }
        if (witness)
            return 0;
    }
    return 1;
}

static uint64_t value_at(const uint8_t *data, size_t i, int kind)
{
    switch (kind) {
    case 0: { int32_t v; memcpy(&v, data + 4 * i, 4); return v < 0 ? 0 : (uint64_t)v; }
    case 1: { uint32_t v; memcpy(&v, data + 4 * i, 4); return v; }
    case 2: { int64_t v; memcpy(&v, data + 8 * i, 8); return v < 0 ? 0 : (uint64_t)v; }
    default: { uint64_t v; memcpy(&v, data + 8 * i, 8); return v; }
    }
}

static int classify(int kind, const void *a, size_t n, int threads, int method, int level, uint8_t *out,
                    uint64_t *count)
{
    int status;
    switch (kind) {
    case 0:
        status = primes_is_prime_int32(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_int32(a, n, threads, method, level, NULL, count);
    case 1:
        status = primes_is_prime_uint32(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_uint32(a, n, threads, method, level, NULL, count);
    case 2:
        status = primes_is_prime_int64(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_int64(a, n, threads, method, level, NULL, count);
    default:
        status = primes_is_prime_uint64(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_uint64(a, n, threads, method, level, NULL, count);
    }
}

/* The same through the entry points for arrays in the other byte order. */
static int classify_swapped(int kind, const void *a, size_t n, int threads, int method, uint8_t *out,
                            uint64_t *count)
{
    int status, level = PRIMES_CPU_BEST;
    switch (kind) {
    case 0:
        status = primes_is_prime_int32_swapped(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_int32_swapped(a, n, threads, method, level, NULL, count);
    case 1:
        status = primes_is_prime_uint32_swapped(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_uint32_swapped(a, n, threads, method, level, NULL, count);
    case 2:
        status = primes_is_prime_int64_swapped(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_int64_swapped(a, n, threads, method, level, NULL, count);
    default:
        status = primes_is_prime_uint64_swapped(a, n, threads, method, level, NULL, out);
        return status ? status : primes_count_uint64_swapped(a, n, threads, method, level, NULL, count);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    int kind = data[0] & 3;
    int threads = 1 + ((data[0] >> 2) & 3);
    size_t width = kind < 2 ? 4 : 8;
    size_t n = (size - 1) / width;
    /* Repeat the input so that the threaded and sieving paths are reached. */
    size_t copies = (data[0] & 0x40) ? 4096 / (n ? n : 1) + 1 : 1;
    size_t total = n * copies;
    uint8_t *array = malloc(total * width + 1);
    uint8_t *out = malloc(total + 1);
    uint8_t *first = malloc(total + 1);
    if (!array || !out || !first)
        abort();
    for (size_t c = 0; c < copies; c++)
        memcpy(array + c * n * width, data + 1, n * width);

    uint64_t first_count = 0;
    /* Every engine under every CPU level cap (a level the CPU lacks runs the
     * best one below it), each compared with the first call. */
    for (int run = 0; run < 3 * (PRIMES_CPU_BEST + 1); run++) {
        int method = run % 3, level = run / 3;
        uint64_t count = 0;
        if (classify(kind, array, total, threads, method, level, out, &count) != PRIMES_OK)
            abort();
        uint64_t sum = 0;
        for (size_t i = 0; i < total; i++)
            sum += out[i];
        if (sum != count)
            abort();
        if (run == 0) {
            memcpy(first, out, total);
            first_count = count;
            for (size_t i = 0; i < n; i++)
                if (out[i] != reference_is_prime(value_at(array, i, kind)))
                    abort();
        } else if (count != first_count || memcmp(first, out, total) != 0) {
            abort();
        }
    }
    /* The array byte-swapped in place, through the swapped entry points:
     * the same answers, with every engine. */
    for (size_t i = 0; i < total; i++) {
        uint8_t *e = array + i * width;
        for (size_t lo = 0, hi = width - 1; lo < hi; lo++, hi--) {
            uint8_t t = e[lo];
            e[lo] = e[hi];
            e[hi] = t;
        }
    }
    for (int method = 0; method < 3; method++) {
        uint64_t count = 0;
        if (classify_swapped(kind, array, total, threads, method, out, &count) != PRIMES_OK)
            abort();
        if (count != first_count || memcmp(first, out, total) != 0)
            abort();
    }
    free(first);
    free(out);
    free(array);
    return 0;
}
