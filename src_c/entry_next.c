/* SPDX-License-Identifier: MIT */
/*
 * entry_next.c -- the primes_next_prime_*, primes_prev_prime_* and
 * primes_count_rows_* entry points (primes.h): for each element the nearest
 * prime above (below) it, and the prime count of each row of a 2-D block.
 *
 * Two engines answer next/prev (src_c/README.md, "Next and previous primes"):
 *
 * - The lanes search, for any values.  Each element in flight holds a window
 *   of NEXT_WINDOW_BITS odd candidates beyond its value, sieved by the odd
 *   primes up to sieving_primes[NEXT_SIEVE_PRIMES - 1] (a bitmap: residues
 *   of the window's start, then the multiples crossed off).  Up to
 *   KERNEL_CALL_ELEMENTS elements are in flight at once; each round takes the
 *   nearest surviving candidate of every element and classifies them all in
 *   one call of the test kernels, so the kernels work on full batches and no
 *   candidate beyond an element's answer is ever tested.  An element that
 *   finds its prime leaves and the next element of the chunk takes its lane.
 * - The window sieve, for close values below 2^32 (sorted data, ranges): one
 *   sieve_window_of() per chunk covering every value and a margin beyond, and
 *   each element scans the marks from its value.  An element whose scan runs
 *   off the window is answered by the lanes search instead.
 *
 * The planner's choice per chunk is plan-free and local (next_chunk_engine),
 * priced by the COST_NEXT_* coefficients of config.h.
 *
 * An element whose answer does not exist or does not fit its type (prev of a
 * value below 3, next of a value >= the type's largest prime) is not written;
 * the smallest such index is stored in *first_missing (n when there is none).
 */
#define PRIMES_BUILDING 1
#include "primes.h"

#include <string.h>

#include "config.h"
#include "elements.h"
#include "plan.h"
#include "fault_injection.h"
#include "modarith.h"
#include "scheduler.h"
#include "sieve_segmented.h"
#include "sieve_window.h"
#include "tables.h"
#include "test_kernels.h"

/* The element types, as the entry points name them. */
enum next_kind { KIND_INT32, KIND_UINT32, KIND_INT64, KIND_UINT64 };

/* The largest prime each type holds: 2^31 - 1, 2^32 - 5, 2^63 - 25, 2^64 - 59. */
static const uint64_t largest_prime[4] = {
    UINT64_C(2147483647), UINT64_C(4294967291), UINT64_C(9223372036854775783), UINT64_C(18446744073709551557)};

/* Element i as the search sees it: negatives are below every prime, and 0
 * answers the same (next: 2; prev: none). */
static inline uint64_t load_value(enum next_kind kind, const void *a, size_t i)
{
    switch (kind) {
    case KIND_INT32: {
        int32_t x = ((const int32_t *)a)[i];
        return x < 0 ? 0 : (uint64_t)x;
    }
    case KIND_UINT32:
        return ((const uint32_t *)a)[i];
    case KIND_INT64: {
        int64_t x = ((const int64_t *)a)[i];
        return x < 0 ? 0 : (uint64_t)x;
    }
    default:
        return ((const uint64_t *)a)[i];
    }
}

/* The answer always fits the type: the search never passes largest_prime[kind]. */
static inline void store_value(enum next_kind kind, void *out, size_t i, uint64_t v)
{
    switch (kind) {
    case KIND_INT32:
        ((int32_t *)out)[i] = (int32_t)v;
        break;
    case KIND_UINT32:
        ((uint32_t *)out)[i] = (uint32_t)v;
        break;
    case KIND_INT64:
        ((int64_t *)out)[i] = (int64_t)v;
        break;
    default:
        ((uint64_t *)out)[i] = v;
        break;
    }
}

/* ---- the per-call tables of the lanes search ------------------------------------------ */

#define WINDOW_WORDS (NEXT_WINDOW_BITS / 64)

/* One sieving prime: p, Lemire's multiplier for x mod p (x < 2^32),
 * and for p < 64 the window pattern of bits 0, p, 2p, ... */
struct next_prime_info {
    uint32_t p;
    uint64_t fastmod;
    uint64_t pattern[WINDOW_WORDS];
};

/* Products of consecutive sieving primes below 2^32: one 64-bit division by
 * the product, then 32-bit remainders, costs far less than a 64-bit division
 * per prime. */
#define MAX_GROUPS NEXT_SIEVE_PRIMES

struct next_tables {
    struct next_prime_info primes[NEXT_SIEVE_PRIMES];
    uint32_t group_product[MAX_GROUPS];
    primes_u128 group_fastmod[MAX_GROUPS]; /* ceil(2^128 / product) */
    uint16_t group_end[MAX_GROUPS]; /* primes[group_end[g - 1] .. group_end[g]) make group g */
    size_t groups;
    /* How many of the primes sieve a window below 2^32 and above: fewer with
     * faster test kernels (config.h, NEXT_SIEVE_PRIMES_32_SIMD). */
    size_t sieve_primes_32, sieve_primes_64;
};

static inline uint32_t fastmod32(uint32_t x, uint64_t multiplier, uint32_t p)
{
    /* Lemire, Kaser and Kurz (2019): exact for every x < 2^32 and p < 2^32. */
    uint64_t low = multiplier * x;
    return (uint32_t)(((primes_u128)low * p) >> 64);
}

static void next_tables_init(struct next_tables *t, int kernel_level)
{
    uint64_t product = 1;
    t->groups = 0;
    t->sieve_primes_32 = kernel_level >= PRIMES_CPU_AVX2 ? NEXT_SIEVE_PRIMES_32_SIMD : NEXT_SIEVE_PRIMES_32;
    t->sieve_primes_64 = NEXT_SIEVE_PRIMES;
    for (size_t k = 0; k < NEXT_SIEVE_PRIMES; k++) {
        struct next_prime_info *info = &t->primes[k];
        uint32_t p = sieving_primes[k];
        info->p = p;
        info->fastmod = UINT64_MAX / p + 1;
        memset(info->pattern, 0, sizeof info->pattern);
        if (p < 64)
            for (uint32_t j = 0; j < NEXT_WINDOW_BITS; j += p)
                info->pattern[j / 64] |= UINT64_C(1) << (j % 64);
        if (product * p > UINT32_MAX) {
            t->group_fastmod[t->groups] = ~(primes_u128)0 / product + 1;
            t->group_product[t->groups] = (uint32_t)product;
            t->group_end[t->groups++] = (uint16_t)k;
            product = 1;
        }
        product *= p;
    }
    t->group_fastmod[t->groups] = ~(primes_u128)0 / product + 1;
    t->group_product[t->groups] = (uint32_t)product;
    t->group_end[t->groups++] = (uint16_t)NEXT_SIEVE_PRIMES;
}

/* ---- the lanes search ------------------------------------------------------------------ */

struct lane {
    size_t index;  /* the element */
    uint64_t start; /* candidate j of the window is start + 2j (next) or start - 2j (prev) */
    uint64_t bits[WINDOW_WORDS]; /* bit j: candidate j survived the sieve */
};

/* x mod q for any 64-bit x and q < 2^32, by Lemire, Kaser and Kurz's
 * remainder with F = 128 (exact since 2^128 >= q 2^64): four multiplications
 * instead of a 64-bit division (tens of cycles). */
static inline uint32_t fastmod64(uint64_t x, primes_u128 multiplier, uint32_t q)
{
    primes_u128 low = multiplier * x; /* mod 2^128 */
    primes_u128 top = (primes_u128)(uint64_t)(low >> 64) * q;
    primes_u128 carry = ((primes_u128)(uint64_t)low * q) >> 64;
    return (uint32_t)((top + carry) >> 64);
}

/* j with start + 2j = 0 (up) or start - 2j = 0 (down) mod p, from r = start
 * mod p: -r/2 or r/2, halving mod p as (t + p (t odd)) / 2, no division. */
static inline uint32_t first_multiple(uint32_t r, uint32_t p, int up)
{
    uint32_t t = up ? (r ? p - r : 0) : r;
    return (t + (p & (0u - (t & 1u)))) >> 1;
}

/* Clears bit j (if j < 128) of the window (lo, hi), without a branch: the
 * one or two multiples of a prime above 64 fall at random places, which
 * a branch would mispredict about once per prime. */
static inline void clear_candidate(uint64_t *lo, uint64_t *hi, uint32_t j)
{
    uint64_t in_lo = (uint64_t)(j < 64), in_hi = (uint64_t)(j - 64 < 64);
    *lo &= ~(in_lo << (j & 63));
    *hi &= ~(in_hi << (j & 63));
}

_Static_assert(NEXT_WINDOW_BITS == 128, "the window is two 64-bit words");
_Static_assert(NEXT_SIEVE_PRIMES_32 <= NEXT_SIEVE_PRIMES && NEXT_SIEVE_PRIMES_32_SIMD <= NEXT_SIEVE_PRIMES
                   && NEXT_SIEVE_PRIMES <= SIEVING_PRIME_COUNT,
               "sieving primes");

/* Sieve the window of `lane`: candidates start +- 2j for j < count (every
 * candidate > the largest sieving prime, so a multiple of one is composite).
 * The bitmap lives in locals: through the lane's memory every prime's update
 * would wait for the previous one's store. */
static void sieve_lane(const struct next_tables *t, struct lane *lane, int up, size_t count)
{
    uint64_t lo = count >= 64 ? UINT64_MAX : (UINT64_C(1) << count) - 1;
    uint64_t hi = count >= 128 ? UINT64_MAX : count > 64 ? (UINT64_C(1) << (count - 64)) - 1 : 0;
    uint64_t s = lane->start;
    size_t k = 0, stop = s < TWO_POW_32 ? t->sieve_primes_32 : t->sieve_primes_64;
    for (size_t g = 0; g < t->groups && k < stop; g++) {
        /* Below 2^32 the start itself is the 32-bit residue the primes reduce. */
        uint32_t rq = s < TWO_POW_32 ? (uint32_t)s : fastmod64(s, t->group_fastmod[g], t->group_product[g]);
        size_t end = t->group_end[g] < stop ? t->group_end[g] : stop;
        for (; k < end; k++) {
            const struct next_prime_info *info = &t->primes[k];
            uint32_t p = info->p;
            uint32_t j = first_multiple(fastmod32(rq, info->fastmod, p), p, up);
            if (p < 64) {
                /* Bits j, j + p, ...: the pattern shifted left by j (< 64). */
                uint64_t plo = info->pattern[0], phi = info->pattern[1];
                lo &= ~(plo << j);
                hi &= ~(j ? (phi << j) | (plo >> (64 - j)) : phi);
            } else {
                clear_candidate(&lo, &hi, j);
                if (p < 128)
                    clear_candidate(&lo, &hi, j + p);
            }
        }
    }
    lane->bits[0] = lo;
    lane->bits[1] = hi;
}

/* Place the window that follows lane->start's (or the first one, start
 * already set) and sieve it; returns 0 when the search has no candidate left
 * within the type (never, for values the entry points pass). */
static int fill_window(const struct next_tables *t, struct lane *lane, int up, uint64_t limit)
{
    size_t count = NEXT_WINDOW_BITS;
    if (up) {
        if (lane->start > limit)
            return 0;
        uint64_t room = (limit - lane->start) / 2 + 1;
        if (room < count)
            count = (size_t)room;
    } else {
        if (lane->start < 3)
            return 0;
        uint64_t room = (lane->start - 3) / 2 + 1;
        if (room < count)
            count = (size_t)room;
    }
    sieve_lane(t, lane, up, count);
    return 1;
}

/* Pops the lane's nearest surviving candidate into *candidate, sieving
 * further windows as needed; 0 when there is none within the type. */
static int next_candidate(const struct next_tables *t, struct lane *lane, int up, uint64_t limit,
                          uint64_t *candidate)
{
    for (;;) {
        for (size_t w = 0; w < WINDOW_WORDS; w++) {
            if (lane->bits[w]) {
                unsigned j = (unsigned)__builtin_ctzll(lane->bits[w]);
                lane->bits[w] &= lane->bits[w] - 1;
                uint64_t offset = 2 * (64 * (uint64_t)w + j);
                *candidate = up ? lane->start + offset : lane->start - offset;
                return 1;
            }
        }
        /* The window is used up: the next one, 2 * NEXT_WINDOW_BITS further. */
        uint64_t step = 2 * (uint64_t)NEXT_WINDOW_BITS;
        if (up) {
            if (lane->start > limit || limit - lane->start < step)
                return 0;
            lane->start += step;
        } else {
            if (lane->start < step + 3)
                return 0;
            lane->start -= step;
        }
        if (!fill_window(t, lane, up, limit))
            return 0;
    }
}

/* The answer for a small value from the bit table of the odd primes below
 * 2^16 (up: v < 65521, the largest of them; down: 3 <= v <= SMALL_LIMIT). */
static uint64_t small_answer(uint64_t v, int up)
{
    if (up) {
        if (v < 2)
            return 2;
        for (uint64_t c = (v + 1) | 1;; c += 2)
            if ((small_odd_prime_bits[c >> 4] >> ((c >> 1) & 7)) & 1)
                return c;
    }
    if (v == 3)
        return 2;
    for (uint64_t c = (v - 2) | 1;; c -= 2)
        if ((small_odd_prime_bits[c >> 4] >> ((c >> 1) & 7)) & 1)
            return c;
}

/* The largest value a small_answer() handles, either way. */
#define NEXT_TABLE_LIMIT UINT64_C(65520)

/* What one call's threads share. */
struct next_call {
    enum next_kind kind;
    const void *a;
    void *out;
    size_t n;
    int up; /* 1: next_prime, 0: prev_prime */
    int method;
    uint64_t limit; /* largest_prime[kind] */
    const struct test_kernels *kernels;
    struct next_tables tables;
    size_t chunk;
    uint8_t *windows; /* WINDOW_BYTES per thread; NULL for method TEST */
    size_t first_missing; /* updated atomically */
};

static void note_missing(struct next_call *c, size_t i)
{
    size_t seen = __atomic_load_n(&c->first_missing, __ATOMIC_RELAXED);
    while (i < seen && !__atomic_compare_exchange_n(&c->first_missing, &seen, i, 1, __ATOMIC_RELAXED,
                                                     __ATOMIC_RELAXED)) {
    }
}

/* Element i answered without a search (small, or no answer), else 0. */
static int answer_directly(struct next_call *c, size_t i, uint64_t v)
{
    if (c->up ? v >= c->limit : v < 3) {
        note_missing(c, i);
        return 1;
    }
    if (c->up ? v < NEXT_TABLE_LIMIT : v <= NEXT_TABLE_LIMIT + 1) {
        store_value(c->kind, c->out, i, small_answer(v, c->up));
        return 1;
    }
    return 0;
}

/* The lanes search over the elements idx[0 .. count) (or, idx NULL, the
 * indices lo .. lo + count). */
static void search_lanes(struct next_call *c, size_t lo, const size_t *idx, size_t count)
{
    struct lane lanes[KERNEL_CALL_ELEMENTS];
    uint64_t candidates[KERNEL_CALL_ELEMENTS];
    uint32_t candidates32[KERNEL_CALL_ELEMENTS];
    uint8_t result[KERNEL_CALL_ELEMENTS];
    size_t active = 0, next = 0;
    int up = c->up;
    while (active > 0 || next < count) {
        /* Fill the free lanes with the next elements. */
        while (active < KERNEL_CALL_ELEMENTS && next < count) {
            size_t i = idx ? idx[next] : lo + next;
            next++;
            uint64_t v = load_value(c->kind, c->a, i);
            if (answer_directly(c, i, v))
                continue;
            struct lane *lane = &lanes[active];
            lane->index = i;
            lane->start = up ? (v + 1) | 1 : (v - 2) | 1; /* the nearest odd candidate beyond v */
            if (!fill_window(&c->tables, lane, up, c->limit)) {
                note_missing(c, i);
                continue;
            }
            active++;
        }
        /* One candidate per lane; a lane with none left has no answer. */
        uint64_t top = 0;
        for (size_t k = 0; k < active;) {
            if (!next_candidate(&c->tables, &lanes[k], up, c->limit, &candidates[k])) {
                note_missing(c, lanes[k].index);
                lanes[k] = lanes[--active];
                continue;
            }
            top = candidates[k] > top ? candidates[k] : top;
            k++;
        }
        if (active == 0)
            continue;
        if (top < TWO_POW_32) {
            for (size_t k = 0; k < active; k++)
                candidates32[k] = (uint32_t)candidates[k];
            c->kernels->classify_u32(candidates32, active, result);
        } else {
            c->kernels->classify_u64(candidates, active, result);
        }
        /* Answered lanes leave; the last lane takes the place (its result too). */
        for (size_t k = 0; k < active;) {
            if (result[k]) {
                store_value(c->kind, c->out, lanes[k].index, candidates[k]);
                --active;
                lanes[k] = lanes[active];
                candidates[k] = candidates[active];
                result[k] = result[active];
            } else {
                k++;
            }
        }
    }
}

/* ---- the window sieve ------------------------------------------------------------------ */

/* Answers the elements of [lo, hi), all in [min, max], from one sieved window
 * around them; the indices it cannot answer go to *rest (returned count). */
static size_t answer_from_window(struct next_call *c, size_t lo, size_t hi, uint64_t min, uint64_t max,
                                 uint8_t *marks, size_t *rest)
{
    uint64_t wlo, whi;
    if (c->up) {
        wlo = min + 1;
        whi = max + NEXT_WINDOW_MARGIN;
    } else {
        wlo = min > NEXT_WINDOW_MARGIN ? min - NEXT_WINDOW_MARGIN : 0;
        whi = max - 1;
    }
    uint64_t base = sieve_window_of(wlo, whi, marks);
    /* marks[j]: base + 2j + 1 is prime, for base + 2j + 1 <= whi. */
    size_t last = (size_t)((whi - base - 1) / 2);
    size_t missed = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t v = load_value(c->kind, c->a, i);
        if (answer_directly(c, i, v))
            continue;
        uint64_t answer = 0;
        if (c->up) {
            for (size_t j = (size_t)((((v + 1) | 1) - base - 1) / 2); j <= last; j++) {
                if (marks[j]) {
                    answer = base + 2 * (uint64_t)j + 1;
                    break;
                }
            }
        } else {
            uint64_t first = (v - 2) | 1;
            if (first > base) {
                for (size_t j = (size_t)((first - base - 1) / 2) + 1; j-- > 0;) {
                    if (marks[j]) {
                        answer = base + 2 * (uint64_t)j + 1;
                        break;
                    }
                }
            }
        }
        if (answer)
            store_value(c->kind, c->out, i, answer);
        else
            rest[missed++] = i;
    }
    return missed;
}

/* The number of sieving primes p with p * p <= x (x < 2^32). */
static size_t sieving_primes_up_to_root(uint64_t x)
{
    size_t lo = 0, hi = SIEVING_PRIME_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if ((uint64_t)sieving_primes[mid] * sieving_primes[mid] <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* Sieve the chunk's window (1) or search each element (0): the sieve costs a
 * pass over the window's integers and its sieving primes, the search a few
 * kernel tests per element. */
static int window_pays(const struct next_call *c, size_t elements, uint64_t min, uint64_t max)
{
    if (c->method == PRIMES_METHOD_TEST || c->windows == NULL)
        return 0;
    if (c->up ? max >= largest_prime[KIND_UINT32] - NEXT_WINDOW_MARGIN : max >= TWO_POW_32)
        return 0; /* the window and its margin must stay below 2^32 */
    if (max - min >= WINDOW_SPAN - 2 * NEXT_WINDOW_MARGIN - 4)
        return 0;
    if (c->method == PRIMES_METHOD_SIEVE)
        return 1;
    double span = (double)(max - min) + NEXT_WINDOW_MARGIN;
    double sieve = COST_WINDOW_NS_PER_SIEVING_PRIME * (double)sieving_primes_up_to_root(max + NEXT_WINDOW_MARGIN)
                   + COST_WINDOW_NS_PER_INTEGER * span + COST_NEXT_NS_PER_WINDOW_ELEMENT * (double)elements;
    return sieve < COST_NEXT_NS_PER_SEARCH_ELEMENT * (double)elements;
}

static void next_chunk(struct next_call *c, size_t lo, size_t hi, uint8_t *marks)
{
    if (marks) {
        uint64_t min = UINT64_MAX, max = 0;
        for (size_t i = lo; i < hi; i++) {
            uint64_t v = load_value(c->kind, c->a, i);
            min = v < min ? v : min;
            max = v > max ? v : max;
        }
        if (window_pays(c, hi - lo, min, max) && (c->up || max >= 3)) {
            size_t rest[NEXT_CHUNK_MAX];
            size_t missed = answer_from_window(c, lo, hi, min < 3 && !c->up ? 3 : min, max, marks, rest);
            if (missed)
                search_lanes(c, 0, rest, missed);
            return;
        }
    }
    search_lanes(c, lo, NULL, hi - lo);
}

static void next_region(struct sched_worker *w, void *arg)
{
    struct next_call *c = arg;
    uint8_t *marks = c->windows ? c->windows + WINDOW_BYTES * (size_t)sched_thread_id(w) : NULL;
    size_t lo, hi;
    while (sched_next_chunk(w, c->n, c->chunk, &lo, &hi))
        next_chunk(c, lo, hi, marks);
}

static int next_call_run(enum next_kind kind, const void *a, size_t n, int threads, int method, int cpu_level,
                         const int *cancel, void *out, size_t *first_missing, int up)
{
    const struct test_kernels *kernels = test_kernels_for(cpu_level);
    if (threads < 1 || method < PRIMES_METHOD_AUTO || method > PRIMES_METHOD_TEST || kernels == NULL
        || first_missing == NULL || (n > 0 && (a == NULL || out == NULL)))
        return PRIMES_EINVAL;
    if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        return PRIMES_ECANCELLED;
    struct next_call c = {
        .kind = kind, .a = a, .out = out, .n = n, .up = up, .method = method,
        .limit = largest_prime[kind], .kernels = kernels, .first_missing = n,
    };
    next_tables_init(&c.tables, kernels->level);
    size_t useful = n / NEXT_MIN_ELEMENTS_PER_THREAD;
    int nthreads = threads > PRIMES_MAX_THREADS ? PRIMES_MAX_THREADS : threads;
    if (useful < (size_t)nthreads)
        nthreads = useful < 1 ? 1 : (int)useful;
    size_t chunk = n / ((size_t)nthreads * CHUNKS_PER_THREAD);
    c.chunk = chunk < NEXT_CHUNK_MIN ? NEXT_CHUNK_MIN : chunk > NEXT_CHUNK_MAX ? NEXT_CHUNK_MAX : chunk;
    if (method != PRIMES_METHOD_TEST && n > 0) {
        c.windows = PRIMES_MALLOC(WINDOW_BYTES * (size_t)nthreads);
        if (!c.windows)
            return PRIMES_ENOMEM;
    }
    int status = sched_run(nthreads, cancel, next_region, &c, NULL);
    PRIMES_FREE(c.windows);
    if (status == PRIMES_OK)
        *first_missing = c.first_missing;
    return status;
}

/* ---- counts per row --------------------------------------------------------------------- */

struct rows_call {
    const struct element_ops *ops;
    enum next_kind kind;
    const struct test_kernels *kernels;
    const void *a;
    size_t rows, cols, n, chunk;
    int method;
    uint8_t *windows;
    uint64_t *counts;
    /* When the flat array looks like one run (the planner's PLAN_RUNS, as
     * in primes_count_*): the segmented sieve's context for [0, last] and
     * one worker per thread. */
    struct segsieve_context *runs;
    uint64_t first;
    struct segsieve_worker **run_workers;
    size_t piece, next_piece, next_check;
    int runs_broken;
};

/* One chunk [lo, hi) of the flat array, which may cross rows: one engine for
 * the whole chunk (as primes_count_* chooses it), its counts added row by row. */
static void rows_chunk(struct rows_call *c, size_t lo, size_t hi, uint8_t *window)
{
    uint64_t min, max;
    int consecutive = c->ops->scan(c->a, lo, hi, &min, &max, c->kernels);
    enum chunk_engine engine = plan_chunk(c->method, hi - lo, min, max, consecutive, 1);
    uint64_t base = 0;
    if (engine != CHUNK_TEST)
        base = sieve_window_of(min, max, window);
    for (size_t start = lo; start < hi;) {
        size_t row = start / c->cols, end = (row + 1) * c->cols;
        end = end < hi ? end : hi;
        uint64_t found;
        if (engine == CHUNK_WINDOW_RUN) {
            uint64_t first = load_value(c->kind, c->a, start), last = load_value(c->kind, c->a, end - 1);
            uint64_t first_base = first & ~UINT64_C(1);
            found = count_run(first, last, first_base, window + (first_base - base) / 2);
        } else if (engine == CHUNK_WINDOW) {
            found = c->ops->window(c->a, NULL, start, end, base, window);
        } else {
            found = c->ops->test(c->a, NULL, start, end, c->kernels);
        }
        __atomic_fetch_add(&c->counts[row], found, __ATOMIC_RELAXED);
        start = end;
    }
}

/* The runs path takes the flat array for the run [first, last] (its first
 * chunk and last element say it may be) and splits the work, as
 * primes_count_*'s PLAN_RUNS path does (entry.c, run_item), into items of
 * two kinds: a piece's values counted by the segmented sieve into the
 * rows they fall in (compute, with no mask), and a check that
 * RUN_CHECK_ELEMENTS elements are those values (memory).  The first thread takes the pieces and the others the checks,
 * each turning to the other kind when its own runs out, so that one thread
 * reads memory while another sieves (two reading at once go no faster than
 * one).  A failed check marks the counts void; rows_call_run then counts
 * again by the chunk engines. */
static int rows_run_item(struct rows_call *c, struct segsieve_worker *worker, int sieve, size_t item)
{
    size_t lo = item * (sieve ? c->piece : RUN_CHECK_ELEMENTS);
    size_t hi = c->n - lo < (sieve ? c->piece : RUN_CHECK_ELEMENTS) ? c->n : lo + (sieve ? c->piece : RUN_CHECK_ELEMENTS);
    if (!sieve) {
        if (!elements_are_run(c->ops, c->a, lo, hi, c->first, c->kernels))
            __atomic_store_n(&c->runs_broken, 1, __ATOMIC_RELAXED);
        return PRIMES_OK;
    }
    return segsieve_count_bins(worker, c->first + lo, c->first + (hi - 1), c->first, c->cols, c->counts);
}

/* The next item of kind `sieve` (1: pieces, 0: checks), or 0 when none is left. */
static int rows_take(struct rows_call *c, int sieve, size_t *item)
{
    size_t *next = sieve ? &c->next_piece : &c->next_check;
    size_t total = sieve ? (c->n + c->piece - 1) / c->piece : (c->n + RUN_CHECK_ELEMENTS - 1) / RUN_CHECK_ELEMENTS;
    *item = __atomic_fetch_add(next, 1, __ATOMIC_RELAXED);
    return *item < total;
}

static void rows_region(struct sched_worker *w, void *arg)
{
    struct rows_call *c = arg;
    int id = sched_thread_id(w);
    uint8_t *window = c->windows + WINDOW_BYTES * (size_t)id;
    size_t lo, hi;
    if (!c->runs) {
        while (sched_next_chunk(w, c->n, c->chunk, &lo, &hi))
            rows_chunk(c, lo, hi, window);
        return;
    }
    int status = segsieve_worker_create(c->runs, &c->run_workers[id]);
    size_t tickets = (c->n + c->piece - 1) / c->piece + (c->n + RUN_CHECK_ELEMENTS - 1) / RUN_CHECK_ELEMENTS;
    /* One scheduler ticket per item (it stops the loop on a failure or a
     * cancel); the ticket's item is of this thread's kind while any is left. */
    while (status == PRIMES_OK && sched_next_chunk(w, tickets, 1, &lo, &hi)) {
        int sieve = id == 0;
        size_t item;
        if (!rows_take(c, sieve, &item)) {
            sieve = !sieve;
            if (!rows_take(c, sieve, &item))
                break;
        }
        status = rows_run_item(c, c->run_workers[id], sieve, item);
    }
    if (status != PRIMES_OK)
        sched_fail(w, status);
}

static int rows_call_run(const struct element_ops *ops, enum next_kind kind, const void *a, size_t rows,
                         size_t cols, int threads, int method, int cpu_level, const int *cancel,
                         uint64_t *counts)
{
    const struct test_kernels *kernels = test_kernels_for(cpu_level);
    if (threads < 1 || method < PRIMES_METHOD_AUTO || method > PRIMES_METHOD_TEST || kernels == NULL
        || (rows > 0 && counts == NULL) || (cols > 0 && rows > SIZE_MAX / cols))
        return PRIMES_EINVAL;
    size_t n = rows * cols;
    if (n > 0 && a == NULL)
        return PRIMES_EINVAL;
    if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        return PRIMES_ECANCELLED;
    for (size_t r = 0; r < rows; r++)
        counts[r] = 0;
    if (n == 0)
        return PRIMES_OK;
    /* The threads and chunks of primes_count_* for the same n. */
    struct plan_facts facts = {.n = n, .threads = threads, .method = method, .kernel_level = kernels->level};
    struct plan plan = plan_make(&facts);
    struct rows_call c = {
        .ops = ops, .kind = kind, .kernels = kernels, .a = a, .rows = rows, .cols = cols, .n = n,
        .chunk = plan.chunk < CHUNK_MIN ? CHUNK_MIN : plan.chunk > CHUNK_MAX ? CHUNK_MAX : plan.chunk, .method = method, .counts = counts,
    };
    if (plan.path == PLAN_NEED_FIRST_CHUNK) {
        /* Whether the flat array looks like one run, as primes_count_* asks:
         * then pieces of it (the flat count's, a chunk each) are counted
         * row by row by the segmented sieve, each checked to be a run, as
         * fast as the flat count. */
        plan_look_at_first_chunk(&facts, ops, a, plan.chunk, kernels);
        struct plan runs_plan = plan_make(&facts);
        if (runs_plan.path == PLAN_RUNS) {
            struct segsieve_options options = {0};
            options.width_hint = (uint64_t)n;
            int status = segsieve_context_create(facts.last_value, &options, cancel, &c.runs);
            if (status != PRIMES_OK)
                return status;
            c.first = facts.first_min;
            /* the flat count's pieces (the range plan's), not the chunks */
            c.piece = runs_plan.chunk < n ? runs_plan.chunk : n;
            c.run_workers = PRIMES_CALLOC((size_t)plan.threads, sizeof *c.run_workers);
        }
    }
    c.windows = PRIMES_MALLOC(WINDOW_BYTES * (size_t)plan.threads);
    int status = PRIMES_ENOMEM;
    if (c.windows && (!c.runs || c.run_workers))
        status = sched_run(plan.threads, cancel, rows_region, &c, NULL);
    if (status == PRIMES_OK && c.runs && c.runs_broken) {
        /* Not one run after all: the counts again, by the chunk engines. */
        for (size_t r = 0; r < rows; r++)
            counts[r] = 0;
        for (int t = 0; t < plan.threads; t++) { /* workers before their context */
            segsieve_worker_destroy(c.run_workers[t]);
            c.run_workers[t] = NULL;
        }
        segsieve_context_destroy(c.runs);
        c.runs = NULL;
        status = sched_run(plan.threads, cancel, rows_region, &c, NULL);
    }
    if (c.run_workers)
        for (int t = 0; t < plan.threads; t++)
            segsieve_worker_destroy(c.run_workers[t]);
    PRIMES_FREE(c.run_workers);
    segsieve_context_destroy(c.runs);
    PRIMES_FREE(c.windows);
    return status;
}

/* ---- the entry points ------------------------------------------------------------------- */

PRIMES_API int primes_next_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int32_t *out, size_t *first_missing)
{
    return next_call_run(KIND_INT32, a, n, threads, method, cpu_level, cancel, out, first_missing, 1);
}

PRIMES_API int primes_next_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint32_t *out, size_t *first_missing)
{
    return next_call_run(KIND_UINT32, a, n, threads, method, cpu_level, cancel, out, first_missing, 1);
}

PRIMES_API int primes_next_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int64_t *out, size_t *first_missing)
{
    return next_call_run(KIND_INT64, a, n, threads, method, cpu_level, cancel, out, first_missing, 1);
}

PRIMES_API int primes_next_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint64_t *out, size_t *first_missing)
{
    return next_call_run(KIND_UINT64, a, n, threads, method, cpu_level, cancel, out, first_missing, 1);
}

PRIMES_API int primes_prev_prime_int32(const int32_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int32_t *out, size_t *first_missing)
{
    return next_call_run(KIND_INT32, a, n, threads, method, cpu_level, cancel, out, first_missing, 0);
}

PRIMES_API int primes_prev_prime_uint32(const uint32_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint32_t *out, size_t *first_missing)
{
    return next_call_run(KIND_UINT32, a, n, threads, method, cpu_level, cancel, out, first_missing, 0);
}

PRIMES_API int primes_prev_prime_int64(const int64_t *a, size_t n, int threads, int method, int cpu_level,
                                       const int *cancel, int64_t *out, size_t *first_missing)
{
    return next_call_run(KIND_INT64, a, n, threads, method, cpu_level, cancel, out, first_missing, 0);
}

PRIMES_API int primes_prev_prime_uint64(const uint64_t *a, size_t n, int threads, int method, int cpu_level,
                                        const int *cancel, uint64_t *out, size_t *first_missing)
{
    return next_call_run(KIND_UINT64, a, n, threads, method, cpu_level, cancel, out, first_missing, 0);
}

PRIMES_API int primes_count_rows_int32(const int32_t *a, size_t rows, size_t cols, int threads, int method,
                                       int cpu_level, const int *cancel, uint64_t *counts)
{
    return rows_call_run(&element_ops_int32, KIND_INT32, a, rows, cols, threads, method, cpu_level, cancel, counts);
}

PRIMES_API int primes_count_rows_uint32(const uint32_t *a, size_t rows, size_t cols, int threads, int method,
                                        int cpu_level, const int *cancel, uint64_t *counts)
{
    return rows_call_run(&element_ops_uint32, KIND_UINT32, a, rows, cols, threads, method, cpu_level, cancel,
                         counts);
}

PRIMES_API int primes_count_rows_int64(const int64_t *a, size_t rows, size_t cols, int threads, int method,
                                       int cpu_level, const int *cancel, uint64_t *counts)
{
    return rows_call_run(&element_ops_int64, KIND_INT64, a, rows, cols, threads, method, cpu_level, cancel, counts);
}

PRIMES_API int primes_count_rows_uint64(const uint64_t *a, size_t rows, size_t cols, int threads, int method,
                                        int cpu_level, const int *cancel, uint64_t *counts)
{
    return rows_call_run(&element_ops_uint64, KIND_UINT64, a, rows, cols, threads, method, cpu_level, cancel,
                         counts);
}
