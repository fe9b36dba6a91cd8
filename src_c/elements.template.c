/* SPDX-License-Identifier: MIT */
/*
 * elements.template.c -- the loops that read the input array (internal).
 *
 * Not compiled on its own: elements.c includes it once per element type,
 * after defining
 *   ELEMENT_NAME         the suffix of the names defined here (int32 ...)
 *   ELEMENT_TYPE         the element's C type (int32_t ...)
 *   ELEMENT_UTYPE        the unsigned type of the same width
 *   ELEMENT_SIGNED       1 if ELEMENT_TYPE is signed, else 0
 *   ELEMENT_KERNEL       the kernel that tests it: classify_u32 or classify_u64
 *   ELEMENT_KERNEL_TYPE  that kernel's value type: uint32_t or uint64_t
 *   ELEMENT_EXTREMES     the kernel of the same width for scan: extremes_u32 or extremes_u64
 *   ELEMENT_BYTESWAP     the kernel of the same width that swaps bytes: byteswap_u32 or byteswap_u64
 *   ELEMENT_SWAPPED      1 if the array's elements are in the other byte order
 *                        (a NumPy '>i4' array on a little-endian machine), else 0
 *   ELEMENT_NARROW       for 64-bit elements in this machine's byte order only: the
 *                        pass that narrows them to 32 bits, narrow_u64 or narrow_i64
 * Each inclusion defines static functions <name>_<ELEMENT_NAME> and the table
 * element_ops_<ELEMENT_NAME> (elements.h documents each function), then
 * undefines those macros.  There is no include guard on purpose.  Compiler
 * messages and debuggers point at the lines of this file.
 */
#include <string.h>

#include "config.h"
#include "elements.h"
#include "sieve_bucketed.h"
#include "sieve_segmented.h"

#define EL_JOIN2(name, suffix) name##_##suffix
#define EL_JOIN(name, suffix) EL_JOIN2(name, suffix)
/* EL(scan) is scan_int32 in the int32 inclusion, and so on. */
#define EL(name) EL_JOIN(name, ELEMENT_NAME)
#define EL_STRING2(suffix) #suffix
#define EL_STRING(suffix) EL_STRING2(suffix)

/* The value of an element as the engines see it: negatives are not prime,
 * and mapping them to 0 keeps one code path. */
static inline uint64_t EL(value)(ELEMENT_TYPE x)
{
#if ELEMENT_SIGNED
    return x < 0 ? UINT64_C(0) : (uint64_t)x;
#else
    return (uint64_t)x;
#endif
}

/* The value of an element as the test kernels get it: a negative one as
 * 2^w - 2 for the kernel's width w, an even number above every small-value
 * table, which each kernel rejects at its first step (as 0, negatives took
 * the small values' path one lane at a time: 10^6 int64 in [-2^31, 2^31)
 * cost 3.9x as much as the same count of values in [0, 2^31)). */
static inline ELEMENT_KERNEL_TYPE EL(kernel_value)(ELEMENT_TYPE x)
{
#if ELEMENT_SIGNED
    /* with a mask, not a conditional, which GCC made a branch: mispredicted
     * on every other element of data with random signs (2.6x the time) */
    ELEMENT_KERNEL_TYPE negative = (ELEMENT_KERNEL_TYPE)0 - (ELEMENT_KERNEL_TYPE)(x < 0);
    return ((ELEMENT_KERNEL_TYPE)x & (ELEMENT_KERNEL_TYPE)~negative) | (negative & (ELEMENT_KERNEL_TYPE)-2);
#else
    return (ELEMENT_KERNEL_TYPE)x;
#endif
}

/* The element at p, in this machine's byte order.  Reading a byte-swapped
 * array in place saves the pass that would convert it: a converted copy
 * cost as much memory traffic as the count itself. */
static inline ELEMENT_TYPE EL(load)(const ELEMENT_TYPE *p)
{
#if ELEMENT_SWAPPED
    ELEMENT_UTYPE u;
    memcpy(&u, p, sizeof u);
    return (ELEMENT_TYPE)(sizeof u == 4 ? (ELEMENT_UTYPE)__builtin_bswap32((uint32_t)u)
                                        : (ELEMENT_UTYPE)__builtin_bswap64((uint64_t)u));
#else
    return *p;
#endif
}

/* The sign bit for signed elements (x ^ it orders them as unsigned), else 0. */
static inline ELEMENT_UTYPE EL(sign_flip)(void)
{
    return ELEMENT_SIGNED ? (ELEMENT_UTYPE)((ELEMENT_UTYPE)1 << (sizeof(ELEMENT_UTYPE) * 8 - 1)) : 0;
}

/* The least and greatest of a[i] ^ flip (as ELEMENT_UTYPE), lo <= i < hi,
 * lo < hi, from the level's kernel; a byte-swapped array through a small
 * buffer in this machine's order. */
static void EL(extremes)(const ELEMENT_TYPE *a, size_t lo, size_t hi, ELEMENT_UTYPE flip,
                         const struct test_kernels *kernels, ELEMENT_UTYPE *least, ELEMENT_UTYPE *greatest)
{
#if ELEMENT_SWAPPED
    enum { SWAP_BLOCK = 1024 };
    ELEMENT_UTYPE buffer[SWAP_BLOCK];
    *least = (ELEMENT_UTYPE)~(ELEMENT_UTYPE)0;
    *greatest = 0;
    for (size_t start = lo; start < hi; start += SWAP_BLOCK) {
        size_t m = hi - start < SWAP_BLOCK ? hi - start : SWAP_BLOCK;
        kernels->ELEMENT_BYTESWAP((const ELEMENT_UTYPE *)(const void *)(a + start), buffer, m);
        ELEMENT_UTYPE l, g;
        kernels->ELEMENT_EXTREMES(buffer, m, flip, &l, &g);
        *least = l < *least ? l : *least;
        *greatest = g > *greatest ? g : *greatest;
    }
#else
    kernels->ELEMENT_EXTREMES((const ELEMENT_UTYPE *)(const void *)(a + lo), hi - lo, flip, least, greatest);
#endif
}

static int EL(scan)(const void *array, size_t lo, size_t hi, uint64_t *min, uint64_t *max,
                    const struct test_kernels *kernels)
{
    const ELEMENT_TYPE *a = array;
    /* First the cheap check for a run first, first + 1, ... (in unsigned
     * arithmetic, so a run that wraps around is caught by first > last),
     * block by block: data that is not a run stops in its first.  In this
     * machine's byte order the level's kernel checks a block (passes.h, in
     * that level's vectors). */
    enum { RUN_CHECK_BLOCK = 1024 };
    ELEMENT_UTYPE first = (ELEMENT_UTYPE)EL(load)(a + lo);
    size_t start = lo;
    for (; start < hi; start += RUN_CHECK_BLOCK) {
        size_t end = hi - start < RUN_CHECK_BLOCK ? hi : start + RUN_CHECK_BLOCK;
#if ELEMENT_SWAPPED
        ELEMENT_UTYPE mismatch = 0;
        for (size_t i = start; i < end; i++)
            mismatch |= (ELEMENT_UTYPE)EL(load)(a + i) ^ (ELEMENT_UTYPE)(first + (ELEMENT_UTYPE)(i - lo));
#else
        ELEMENT_UTYPE mismatch = kernels->ELEMENT_RUN_MISMATCH((const ELEMENT_UTYPE *)(const void *)(a + start),
                                                               end - start,
                                                               (ELEMENT_UTYPE)(first + (ELEMENT_UTYPE)(start - lo)));
#endif
        if (mismatch)
            break;
    }
    if (start >= hi && EL(load)(a + lo) <= EL(load)(a + hi - 1)) {
        *min = EL(value)(EL(load)(a + lo));
        *max = EL(value)(EL(load)(a + hi - 1));
        return 1;
    }
    /* Signed elements are ordered as unsigned ones with the sign bit flipped;
     * the level's kernel finds the extremes with this file's types' width. */
    const ELEMENT_UTYPE flip = EL(sign_flip)();
    ELEMENT_UTYPE least, greatest;
    EL(extremes)(a, lo, hi, flip, kernels, &least, &greatest);
    *min = EL(value)((ELEMENT_TYPE)(least ^ flip));
    *max = EL(value)((ELEMENT_TYPE)(greatest ^ flip));
    return 0;
}

static uint64_t EL(test)(const void *array, uint8_t *out, size_t lo, size_t hi,
                         const struct test_kernels *kernels)
{
    const ELEMENT_TYPE *a = array;
    /* Elements per kernel call: as many as the buffers below hold in
     * KERNEL_CALL_STACK_BYTES (config.h), a multiple of 64. */
    enum {
        BYTES_PER_ELEMENT = 1
#ifdef ELEMENT_NARROW
                            + (ELEMENT_SIGNED ? sizeof(ELEMENT_KERNEL_TYPE) : sizeof(uint32_t)),
#else
                            + ((ELEMENT_SIGNED || ELEMENT_SWAPPED) ? sizeof(ELEMENT_KERNEL_TYPE) : 0)
                            + (sizeof(ELEMENT_KERNEL_TYPE) == 8 ? sizeof(uint32_t) : 0),
#endif
        BY_STACK = KERNEL_CALL_STACK_BYTES / BYTES_PER_ELEMENT / 64 * 64,
        CALL = BY_STACK < KERNEL_CALL_MAX_ELEMENTS ? BY_STACK : KERNEL_CALL_MAX_ELEMENTS
    };
    uint8_t result[CALL];
    uint64_t count = 0;
#ifdef ELEMENT_NARROW
    /* 64-bit elements in this machine's byte order.  A block whose values all
     * lie below 2^32 (int64 data of 32-bit numbers: NumPy's default integer)
     * takes the 32-bit kernel, which costs 40% less than the 64-bit one
     * sorting them out value by value, narrowed by the level's pass
     * (passes.h).  That pass is tried only when the block's first value
     * suggests it: random uint64 was 4% slower with a pass of its own over
     * memory on every block.  Other blocks go to the 64-bit kernel: unsigned
     * ones from the array itself, signed ones through a copy of their
     * kernel values (EL(kernel_value)), in the same buffer. */
    union {
        uint32_t narrow[CALL];
#if ELEMENT_SIGNED
        ELEMENT_KERNEL_TYPE values[CALL];
#endif
    } buffer;
    for (size_t start = lo; start < hi; start += CALL) {
        size_t m = hi - start < CALL ? hi - start : CALL;
        uint8_t *res = out ? out + start : result;
        if (EL(value)(a[start]) >> 31 >> 1 == 0 && kernels->ELEMENT_NARROW(a + start, m, buffer.narrow) == 0) {
            kernels->classify_u32(buffer.narrow, m, res);
        } else {
#if ELEMENT_SIGNED
            for (size_t k = 0; k < m; k++)
                buffer.values[k] = EL(kernel_value)(a[start + k]);
            kernels->ELEMENT_KERNEL(buffer.values, m, res);
#else
            kernels->ELEMENT_KERNEL(a + start, m, res);
#endif
        }
        count += elements_ones(res, m);
    }
#else
#if ELEMENT_SIGNED || ELEMENT_SWAPPED
    ELEMENT_KERNEL_TYPE values[CALL];
#endif
    /* Swapped 64-bit blocks of values below 2^32 take the 32-bit kernel too. */
    uint32_t narrow[sizeof(ELEMENT_KERNEL_TYPE) == 8 ? CALL : 1];
    for (size_t start = lo; start < hi; start += CALL) {
        size_t m = hi - start < CALL ? hi - start : CALL;
        ELEMENT_KERNEL_TYPE high = 0;
#if ELEMENT_SWAPPED
        /* the byte order made this machine's (the level's vector shuffle),
         * then the kernel values (EL(kernel_value)), in a cache-resident
         * buffer; the high halves are those of EL(value), so that a negative
         * one leaves the block narrow (2^64 - 2 narrows to 2^32 - 2) */
        kernels->ELEMENT_BYTESWAP((const ELEMENT_UTYPE *)(const void *)(a + start), values, m);
        for (size_t k = 0; k < m; k++) {
            ELEMENT_TYPE x = (ELEMENT_TYPE)values[k];
            values[k] = EL(kernel_value)(x);
            high |= (ELEMENT_KERNEL_TYPE)EL(value)(x);
        }
        const ELEMENT_KERNEL_TYPE *v = values;
#elif ELEMENT_SIGNED
        /* (int32 here.)  A block with no negative value goes to the kernel
         * from the array itself (the bits of a non-negative int32 are those of
         * the uint32), one read of the signs instead of a copy; another block
         * through a copy of its kernel values (EL(kernel_value)), in a
         * cache-resident buffer. */
        ELEMENT_UTYPE signs = 0;
        for (size_t k = 0; k < m; k++)
            signs |= (ELEMENT_UTYPE)a[start + k];
        const ELEMENT_KERNEL_TYPE *v = (const ELEMENT_KERNEL_TYPE *)(const void *)(a + start);
        if (signs >> (8 * sizeof(ELEMENT_UTYPE) - 1)) {
            for (size_t k = 0; k < m; k++)
                values[k] = EL(kernel_value)(a[start + k]);
            v = values;
        }
#else
        const ELEMENT_KERNEL_TYPE *v = a + start; /* the kernel reads the array itself */
#endif
        uint8_t *res = out ? out + start : result;
        if (sizeof(ELEMENT_KERNEL_TYPE) == 8 && (uint64_t)high >> 31 >> 1 == 0) {
            for (size_t k = 0; k < m; k++)
                narrow[k] = (uint32_t)v[k];
            kernels->classify_u32(narrow, m, res);
        } else {
            kernels->ELEMENT_KERNEL(v, m, res);
        }
        count += elements_ones(res, m);
    }
#endif
    return count;
}

static uint64_t EL(window)(const void *array, uint8_t *out, size_t lo, size_t hi, uint64_t base,
                           const uint8_t *marks)
{
    const ELEMENT_TYPE *a = array;
    uint64_t count = 0;
    /* (v - base) / 2 indexes marks for every v of the window; an even v reads
     * some byte and masks it with v & 1. */
    if (out) {
        for (size_t i = lo; i < hi; i++) {
            uint64_t v = EL(value)(EL(load)(a + i));
            uint8_t p = (uint8_t)((marks[(v - base) >> 1] & (v & 1u)) | (v == 2));
            out[i] = p;
            count += p;
        }
    } else {
        for (size_t i = lo; i < hi; i++) {
            uint64_t v = EL(value)(EL(load)(a + i));
            count += (marks[(v - base) >> 1] & (v & 1u)) | (v == 2);
        }
    }
    return count;
}

static void EL(ranges)(const void *array, size_t lo, size_t hi, struct small_range *small,
                       struct small_range *large, const struct test_kernels *kernels)
{
    const ELEMENT_TYPE *a = array;
    if (sizeof(ELEMENT_TYPE) == 4) {
        /* Every value is below 2^32: the extremes from the level's kernel (the
         * loop below, with its branch per element, took 18% of a call of
         * method="sieve" on random uint32).  (value() is monotone.) */
        if (lo >= hi)
            return;
        const ELEMENT_UTYPE flip = EL(sign_flip)();
        ELEMENT_UTYPE least, greatest;
        EL(extremes)(a, lo, hi, flip, kernels, &least, &greatest);
        uint64_t mn = EL(value)((ELEMENT_TYPE)(least ^ flip)), mx = EL(value)((ELEMENT_TYPE)(greatest ^ flip));
        small->min = mn < small->min ? mn : small->min;
        small->max = mx > small->max ? mx : small->max;
        small->count += hi - lo;
        return;
    }
    uint64_t mn = small->min, mx = small->max, big_mn = large->min, big_mx = large->max;
    size_t below = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t v = EL(value)(EL(load)(a + i));
        if (v < TWO_POW_32) {
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            below++;
        } else {
            big_mn = v < big_mn ? v : big_mn;
            big_mx = v > big_mx ? v : big_mx;
        }
    }
    small->min = mn;
    small->max = mx;
    small->count += below;
    large->min = big_mn;
    large->max = big_mx;
    large->count += (hi - lo) - below;
}

/* Whether v lies in one of the layout's parts (an empty part has span 0). */
static inline int EL(in_small)(uint64_t v, const struct bucket_layout *layout)
{
    return v - layout->small_min < layout->small_span;
}

static inline int EL(in_large)(uint64_t v, const struct bucket_layout *layout)
{
    return v - layout->large_min < layout->large_span;
}

static uint64_t EL(test_unbucketed)(const void *array, uint8_t *out, size_t lo, size_t hi,
                                    const struct test_kernels *kernels, const struct bucket_layout *layout)
{
    const ELEMENT_TYPE *a = array;
    uint64_t values[KERNEL_CALL_ELEMENTS];
    size_t at[KERNEL_CALL_ELEMENTS];
    uint8_t result[KERNEL_CALL_ELEMENTS];
    uint64_t count = 0;
    /* Gather up to KERNEL_CALL_ELEMENTS values left out of the buckets, test
     * them together (classify_u64 hands values below 2^32 to the 32-bit
     * test itself). */
    for (size_t i = lo; i < hi;) {
        size_t m = 0;
        for (; i < hi && m < KERNEL_CALL_ELEMENTS; i++) {
            uint64_t v = EL(value)(EL(load)(a + i));
            if (!EL(in_small)(v, layout) && !EL(in_large)(v, layout)) {
                values[m] = v;
                at[m++] = i;
            }
        }
        if (m == 0)
            continue;
        kernels->classify_u64(values, m, result);
        for (size_t k = 0; k < m; k++) {
            if (out)
                out[at[k]] = result[k];
            count += result[k];
        }
    }
    return count;
}

/* The segment of v (bucket_layout), or SIZE_MAX when it is in no part;
 * *code receives the item that answers v (bucket_code_*, sieve_bucketed.h)
 * and *keep whether it needs one: 0 when its residue alone proves it
 * composite (an even v but 2 below 2^32, a v sharing a factor with 30
 * above, so 11 in 15 of a dense range's values above 2^32 never reach the
 * buckets).  *keep is a value, not a branch: random input would mispredict
 * it a third of the time.  The divisors are constants (a power of two, 30),
 * so a shift and a multiplication. */
static inline __attribute__((always_inline)) size_t EL(segment_of)(uint64_t v, const struct bucket_layout *layout,
                                                                  uint32_t *code, size_t *keep)
{
    if (EL(in_small)(v, layout)) {
        size_t s = v < layout->small_lo ? 0 : (size_t)((v - layout->small_lo) / WINDOW_SPAN);
        *keep = (size_t)((v & 1u) | (v == 2));
        *code = bucket_code_window(v, layout->small_lo + s * WINDOW_SPAN);
        return s;
    }
    if (EL(in_large)(v, layout)) {
        uint64_t byte = (v - layout->large_base) / 30;
        uint8_t bit = segsieve_bit_of_residue[(v - layout->large_base) - 30 * byte];
        *keep = bit != 0;
        *code = bucket_code_wheel(byte & ((UINT64_C(1) << layout->large_log2) - 1), bit);
        return layout->small_segments + (size_t)(byte >> layout->large_log2);
    }
    return SIZE_MAX;
}

static void EL(bucket_count)(const void *array, size_t n, const struct bucket_layout *layout, size_t *counts)
{
    const ELEMENT_TYPE *a = array;
    uint32_t code;
    size_t keep;
    for (size_t i = 0; i < n; i++) {
        size_t s = EL(segment_of)(EL(value)(EL(load)(a + i)), layout, &code, &keep);
        if (s != SIZE_MAX)
            counts[s + 1] += keep;
    }
}

/* One loop for a count (indices NULL) and a mask, specialised by inlining. */
static inline __attribute__((always_inline)) void EL(place)(const void *array, size_t n,
                                                           const struct bucket_layout *layout, size_t *fill,
                                                           uint32_t *codes, uint64_t *indices, uint8_t *out,
                                                           size_t spare)
{
    const ELEMENT_TYPE *a = array;
    uint32_t code;
    size_t keep;
    for (size_t i = 0; i < n; i++) {
        size_t s = EL(segment_of)(EL(value)(EL(load)(a + i)), layout, &code, &keep);
        if (s == SIZE_MAX)
            continue;
        /* a value left out is written to the spare slot past the buckets,
         * so that no branch depends on it; a mask gets its 0 here, in order */
        size_t at = keep ? fill[s] : spare;
        codes[at] = code;
        if (indices) {
            indices[at] = (uint64_t)i;
            out[i] = 0;
        }
        fill[s] += keep;
    }
}

static void EL(bucket_place)(const void *array, size_t n, const struct bucket_layout *layout, size_t *fill,
                             uint32_t *codes, uint64_t *indices, uint8_t *out, size_t spare)
{
    if (indices)
        EL(place)(array, n, layout, fill, codes, indices, out, spare);
    else
        EL(place)(array, n, layout, fill, codes, NULL, NULL, spare);
}

const struct element_ops EL(element_ops) = {
    .name = EL_STRING(ELEMENT_NAME),
    .scan = EL(scan),
    .test = EL(test),
    .window = EL(window),
    .ranges = EL(ranges),
    .test_unbucketed = EL(test_unbucketed),
    .bucket_count = EL(bucket_count),
    .bucket_place = EL(bucket_place),
};

#undef EL
#undef EL_STRING
#undef EL_STRING2
#undef EL_JOIN
#undef EL_JOIN2
#undef ELEMENT_NAME
#undef ELEMENT_TYPE
#undef ELEMENT_UTYPE
#undef ELEMENT_SIGNED
#undef ELEMENT_KERNEL
#undef ELEMENT_KERNEL_TYPE
#undef ELEMENT_EXTREMES
#undef ELEMENT_SWAPPED
#undef ELEMENT_BYTESWAP
#undef ELEMENT_RUN_MISMATCH
#undef ELEMENT_NARROW
