/* SPDX-License-Identifier: MIT */
/*
 * sieve_window.c -- the window sieve, its presieve pattern and the count of
 * a consecutive run (src_c/README.md, "Window per chunk").
 */
#include "sieve_window.h"

#include <string.h>

#include "tables.h"

void sieve_odd_window(uint64_t lo, size_t count, uint8_t *marks)
{
    uint64_t hi = lo + 2 * (uint64_t)(count - 1);
    /* Multiples of 3, 5, 7, 11 and 13 come from copies of a periodic pattern. */
    size_t offset = (size_t)((lo >> 1) % PRESIEVE_PERIOD);
    for (size_t done = 0; done < count;) {
        size_t piece = PRESIEVE_PERIOD - offset;
        if (piece > count - done)
            piece = count - done;
        memcpy(marks + done, presieve_pattern + offset, piece);
        done += piece;
        offset = 0;
    }
    if (lo <= 13) { /* the pattern crossed off 3..13 themselves, and kept 1 */
        static const uint8_t tiny[7] = {0, 1, 1, 1, 0, 1, 1}; /* 1, 3, 5, 7, 9, 11, 13 */
        for (uint64_t v = lo; v <= 13 && v <= hi; v += 2)
            marks[(v - lo) >> 1] = tiny[v >> 1];
    }
    for (size_t k = 5; k < SIEVING_PRIME_COUNT; k++) { /* sieving_primes[5] == 17 */
        uint64_t p = sieving_primes[k];
        if (p * p > hi)
            break;
        uint64_t first = p * p;
        if (first < lo) {
            first = lo + (p - lo % p) % p; /* first multiple of p >= lo */
            if (!(first & 1u))
                first += p; /* odd multiples only */
        }
        uint8_t *mark = marks + ((first - lo) >> 1), *end = marks + count;
        size_t step = (size_t)p;
        /* Unrolled by four: the loop overhead is most of the cost of a store. */
        while (end - mark > (ptrdiff_t)(3 * step)) {
            mark[0] = 0;
            mark[step] = 0;
            mark[2 * step] = 0;
            mark[3 * step] = 0;
            mark += 4 * step;
        }
        for (; mark < end; mark += step)
            *mark = 0;
    }
}

uint64_t sum_of_flags(const uint8_t *flags, size_t n)
{
    uint64_t total = 0;
    size_t j = 0;
    /* Eight 0/1 bytes at a time: multiplying by 0x0101...01 adds them all
     * into the top byte (at most 8, so nothing carries out). */
    for (; j + 8 <= n; j += 8) {
        uint64_t word;
        memcpy(&word, flags + j, 8);
        total += (word * UINT64_C(0x0101010101010101)) >> 56;
    }
    for (; j < n; j++)
        total += flags[j];
    return total;
}

uint64_t count_run(uint64_t min, uint64_t max, uint64_t base, const uint8_t *marks)
{
    uint64_t count = min <= 2 && 2 <= max;
    if (max > base)
        count += sum_of_flags(marks, (size_t)((max - base - 1) >> 1) + 1); /* to the last odd number <= max */
    return count;
}

uint64_t sieve_window_of(uint64_t min, uint64_t max, uint8_t *marks)
{
    uint64_t base = min & ~UINT64_C(1);
    sieve_odd_window(base + 1, (size_t)((max - base) / 2 + 1), marks);
    return base;
}
