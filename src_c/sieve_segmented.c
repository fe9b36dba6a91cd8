/* SPDX-License-Identifier: MIT */
/*
 * sieve_segmented.c -- the segmented sieve of Eratosthenes for any window of
 * [0, 2^64): counting, stepped counting, masks, generation, windows.
 *
 * Layout: one byte per 30 integers, bit k of byte B for 30 B + R[k] with
 * R = {1, 7, 11, 13, 17, 19, 23, 29} (sieve_wheel.h); a segment is a power of
 * two of such bytes, sized to the L2 cache.  Each segment is
 *   1. filled from presieved patterns, which remove the multiples of the
 *      primes 7 .. presieve_max (the context's tables);
 *   2. crossed by the "small" sieving primes in L1-sized chunks, and by the
 *      "medium" ones over the whole segment, each walking its multiples p m
 *      with m prime to 30 (eight per turn of the wheel, unrolled);
 *   3. crossed by the "big" primes (p >= 15 x segment bytes, at most one
 *      multiple per segment): each waits in the bucket of the segment of its
 *      next multiple, so that it costs O(1) per segment it hits and nothing
 *      in the others.
 * Sieving primes come, in increasing order, from the context (stored once
 * per call when few enough) or from a second, small segmented sieve run by
 * the worker itself, so that memory stays far below pi(sqrt(2^64)) words.
 * A prime joins a piece's sieve at the segment that holds its square (or at
 * the start of the piece).  All positions are offsets from the piece's base
 * (a multiple of 30), so nothing overflows near 2^64.
 */
#define PRIMES_BUILDING 1
#include "primes.h"
#include "sieve_segmented.h"
#include "sieve_wheel.h"
#include "fault_injection.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

const uint8_t segsieve_residue[8] = {1, 7, 11, 13, 17, 19, 23, 29};
const uint8_t segsieve_bit_of_residue[30] = {0, 1,  0, 0, 0, 0, 0,  2, 0, 0, 0,  4, 0, 8,  0,
                                             0, 0, 16, 0, 32, 0, 0, 0, 64, 0, 0, 0, 0, 0, 128};

/* ---- tunables (measured on x86-64) ---------------------------------------- */

#define DEFAULT_L1_BYTES ((size_t)32 << 10)
#define DEFAULT_L2_BYTES ((size_t)512 << 10)
#define MIN_SEGMENT_LOG2 12
#define MAX_SEGMENT_LOG2 22 /* bucket entries keep offsets in 24 bits */
/* Sieving primes up to this are stored in the context (4 bytes each) rather
 * than made again for each piece: pi(2^24) = 1077871, about 4 MiB. */
#define STORE_SQRT_MAX (UINT64_C(1) << 24)
/* The second sieve that makes sieving primes uses segments of this size. */
#define GEN_SEGMENT_BYTES ((uint32_t)1 << 18)
/* Presieve tables are read in chunks of this many bytes; each table carries
 * this many bytes past its period so that a chunk never wraps. */
#define PRESIEVE_CHUNK ((uint32_t)1 << 13)
/* A bucket: a block of (prime, position) pairs, linked per segment. */
#define BUCKET_ENTRIES 254
/* Buckets are allocated this many at a time. */
#define BUCKETS_PER_SLAB 64
/* The cancel flag is read once per segment and every this many primes
 * placed at the start of a piece. */
#define CANCEL_PRIME_INTERVAL 65536u

/* The presieved primes, grouped so that each group's pattern (its period is
 * the product, in bytes) stays small. */
static const struct {
    unsigned primes[4];
    unsigned count;
} presieve_groups[] = {
    {{7, 11, 13, 0}, 3},   {{17, 19, 0, 0}, 2},  {{23, 29, 31, 0}, 3}, {{37, 41, 43, 0}, 3},
    {{47, 53, 0, 0}, 2},   {{59, 61, 0, 0}, 2},  {{67, 71, 0, 0}, 2},  {{73, 79, 0, 0}, 2},
    {{83, 89, 0, 0}, 2},   {{97, 101, 0, 0}, 2}, {{103, 107, 0, 0}, 2}, {{109, 113, 0, 0}, 2},
    {{127, 131, 0, 0}, 2}, {{137, 139, 0, 0}, 2}, {{149, 151, 0, 0}, 2}, {{157, 163, 0, 0}, 2},
};
#define PRESIEVE_GROUPS (sizeof presieve_groups / sizeof presieve_groups[0])

/* ---- portable bit operations ------------------------------------------- */

static inline uint64_t load64(const uint8_t *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    w = __builtin_bswap64(w); /* byte j of the bitmap in bits 8j .. 8j + 7 */
#endif
    return w;
}

static inline unsigned ctz64(uint64_t w) /* w != 0 */
{
#if defined(__GNUC__)
    return (unsigned)__builtin_ctzll(w);
#else
    unsigned n = 0;
    while (!(w & 1u)) {
        w >>= 1;
        n++;
    }
    return n;
#endif
}

/* Set bits of n bytes (n a multiple of 8), in 64-bit words; a portable SWAR
 * count that compilers vectorise (no POPCNT needed). */
static uint64_t popcount_bytes(const uint8_t *p, size_t n)
{
    uint64_t total = 0;
    for (size_t i = 0; i < n;) {
        /* Up to 31 words accumulate in byte lanes (8 bits per lane per word, at
         * most 31 * 8 = 248 < 256) before the lanes are summed. */
        uint64_t lanes = 0;
        size_t stop = n - i > 31 * 8 ? i + 31 * 8 : n;
        for (; i < stop; i += 8) {
            uint64_t w = load64(p + i);
            w = w - ((w >> 1) & UINT64_C(0x5555555555555555));
            w = (w & UINT64_C(0x3333333333333333)) + ((w >> 2) & UINT64_C(0x3333333333333333));
            w = (w + (w >> 4)) & UINT64_C(0x0f0f0f0f0f0f0f0f);
            lanes += w;
        }
        total += ((lanes & UINT64_C(0x00ff00ff00ff00ff)) + ((lanes >> 8) & UINT64_C(0x00ff00ff00ff00ff)))
                 * UINT64_C(0x0001000100010001) >> 48;
    }
    return total;
}

static uint64_t isqrt64(uint64_t n)
{
    uint64_t r = 0;
    /* Bit by bit: exact for every n, no floating point. */
    for (uint64_t bit = UINT64_C(1) << 62; bit; bit >>= 2) {
        if (n >= r + bit) {
            n -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
    }
    return r;
}

/* Each prime's own bit: the bit of v in byte v / 30 (v prime to 30). */
static inline uint8_t bit_of(uint64_t v)
{
    return wheel_bit_of_residue[v % 30];
}

/* ---- the context -------------------------------------------------------- */

struct presieve_table {
    const uint8_t *bytes; /* period + PRESIEVE_CHUNK bytes */
    uint32_t period;
};

struct segsieve_context {
    uint64_t max_last;
    uint64_t sqrt_max; /* isqrt(max_last): the largest sieving prime needed */
    const int *cancel;
    uint32_t segment_bytes, log2_segment;
    uint32_t chunk_bytes;   /* small primes cross the segment in chunks of this */
    uint32_t small_max;     /* primes <= small_max: chunked walk */
    uint32_t medium_max;    /* primes <= medium_max: walk per segment; above: buckets */
    unsigned presieve_max;  /* largest presieved prime */
    unsigned tables;        /* presieve tables used */
    struct presieve_table table[PRESIEVE_GROUPS];
    uint8_t *table_block;
    size_t table_bytes;
    /* The primes from presieve_max (exclusive) to isqrt(sqrt_max): the
     * sieving primes of the second sieve that makes the others. */
    uint32_t *tiny;
    size_t tiny_count;
    /* When stored: every prime from presieve_max (exclusive) to sqrt_max. */
    uint32_t *stored;
    size_t stored_count;
};

/* ---- a walk: one sieving prime crossing off its multiples --------------- */

/* A small or medium sieving prime: p = 30 a + R[index >> 3]; its next
 * multiple p m (m mod 30 == R[index & 7]) is in byte `offset` of the current
 * segment (possibly past its end). */
struct walk {
    uint32_t a;
    uint32_t offset;
};

/* Walks of one class (p mod 30), in a growable array. */
struct walk_list {
    struct walk *w;
    uint8_t *index; /* wheel index (0..7) of each walk's next multiple */
    size_t n, cap;
};

/* One multiple of a walk at wheel index k, unless it is at or past `end`:
 * then the walk stops there (a helper of walk_cross, for readability). */
#define WALK_STEP(k)                                                                         \
    do {                                                                                     \
        if (off >= end) {                                                                    \
            w = k;                                                                           \
            goto done;                                                                       \
        }                                                                                    \
        seg[off] &= (uint8_t)~wheel_steps[8 * c + k].bit;                                    \
        off += a * wheel_steps[8 * c + k].factor + wheel_steps[8 * c + k].carry;             \
    } while (0)

/* Crosses off the multiples of one walk below `end`, then leaves it at its
 * first multiple at or past `end`, less `rebase`.  `c` is a constant in every
 * caller (the class), so every bit and factor is an immediate.  The walk
 * enters the wheel at its index (a jump into the sequence of steps), runs
 * whole turns (eight multiples at fixed distances, then p bytes on) while
 * they fit, and finishes the last turn step by step. */
static inline __attribute__((always_inline)) void walk_cross(uint8_t *seg, uint32_t end, uint32_t rebase,
                                                             struct walk *wk, uint8_t *windex,
                                                             const unsigned c)
{
    const uint32_t a = wk->a;
    uint32_t off = wk->offset;
    unsigned w = *windex;
    switch (w) {
    case 1:
        WALK_STEP(1);
        /* fall through */
    case 2:
        WALK_STEP(2);
        /* fall through */
    case 3:
        WALK_STEP(3);
        /* fall through */
    case 4:
        WALK_STEP(4);
        /* fall through */
    case 5:
        WALK_STEP(5);
        /* fall through */
    case 6:
        WALK_STEP(6);
        /* fall through */
    case 7:
        WALK_STEP(7);
        /* fall through */
    default:
        break;
    }
    {
        const uint32_t p = 30 * a + wheel_residue[c];
        const uint32_t d1 = 6 * a + wheel_turn[c][1], d2 = 10 * a + wheel_turn[c][2];
        const uint32_t d3 = 12 * a + wheel_turn[c][3], d4 = 16 * a + wheel_turn[c][4];
        const uint32_t d5 = 18 * a + wheel_turn[c][5], d6 = 22 * a + wheel_turn[c][6];
        const uint32_t d7 = 28 * a + wheel_turn[c][7];
        if (end > d7) {
            const uint32_t limit = end - d7;
            for (; off < limit; off += p) {
                uint8_t *q = seg + off;
                q[0] &= (uint8_t)~wheel_steps[8 * c + 0].bit;
                q[d1] &= (uint8_t)~wheel_steps[8 * c + 1].bit;
                q[d2] &= (uint8_t)~wheel_steps[8 * c + 2].bit;
                q[d3] &= (uint8_t)~wheel_steps[8 * c + 3].bit;
                q[d4] &= (uint8_t)~wheel_steps[8 * c + 4].bit;
                q[d5] &= (uint8_t)~wheel_steps[8 * c + 5].bit;
                q[d6] &= (uint8_t)~wheel_steps[8 * c + 6].bit;
                q[d7] &= (uint8_t)~wheel_steps[8 * c + 7].bit;
            }
        }
    }
    /* the last turn: it ends before its eighth multiple */
    WALK_STEP(0);
    WALK_STEP(1);
    WALK_STEP(2);
    WALK_STEP(3);
    WALK_STEP(4);
    WALK_STEP(5);
    WALK_STEP(6);
    WALK_STEP(7);
    w = 0;
done:
    wk->offset = off - rebase;
    *windex = (uint8_t)w;
}
#undef WALK_STEP

static inline __attribute__((always_inline)) void cross_class(uint8_t *seg, uint32_t end, uint32_t rebase,
                                                              struct walk_list *list, const unsigned c)
{
    struct walk *w = list->w;
    uint8_t *index = list->index;
    for (size_t i = 0, n = list->n; i < n; i++)
        walk_cross(seg, end, rebase, &w[i], &index[i], c);
}

/* Every walk of the 8 lists, below `end`; offsets then drop by `rebase`. */
static void cross_lists(uint8_t *seg, uint32_t end, uint32_t rebase, struct walk_list *lists)
{
    cross_class(seg, end, rebase, &lists[0], 0);
    cross_class(seg, end, rebase, &lists[1], 1);
    cross_class(seg, end, rebase, &lists[2], 2);
    cross_class(seg, end, rebase, &lists[3], 3);
    cross_class(seg, end, rebase, &lists[4], 4);
    cross_class(seg, end, rebase, &lists[5], 5);
    cross_class(seg, end, rebase, &lists[6], 6);
    cross_class(seg, end, rebase, &lists[7], 7);
}

/* One walk run to `end` and dropped: the last segment's new primes. */
static void cross_now(uint8_t *seg, uint32_t end, uint32_t a, uint32_t offset, unsigned windex, unsigned c)
{
    struct walk wk = {a, offset};
    uint8_t index = (uint8_t)windex;
    switch (c) { /* a constant class in each call of walk_cross */
    case 0:
        walk_cross(seg, end, 0, &wk, &index, 0);
        break;
    case 1:
        walk_cross(seg, end, 0, &wk, &index, 1);
        break;
    case 2:
        walk_cross(seg, end, 0, &wk, &index, 2);
        break;
    case 3:
        walk_cross(seg, end, 0, &wk, &index, 3);
        break;
    case 4:
        walk_cross(seg, end, 0, &wk, &index, 4);
        break;
    case 5:
        walk_cross(seg, end, 0, &wk, &index, 5);
        break;
    case 6:
        walk_cross(seg, end, 0, &wk, &index, 6);
        break;
    default:
        walk_cross(seg, end, 0, &wk, &index, 7);
        break;
    }
}

static int walk_push(struct walk_list *list, uint32_t a, uint32_t offset, unsigned windex)
{
    if (list->n == list->cap) {
        size_t cap = list->cap ? 2 * list->cap : 256;
        struct walk *w = PRIMES_MALLOC(cap * sizeof *w);
        uint8_t *index = PRIMES_MALLOC(cap);
        if (!w || !index) {
            PRIMES_FREE(w);
            PRIMES_FREE(index);
            return PRIMES_ENOMEM;
        }
        if (list->n) {
            memcpy(w, list->w, list->n * sizeof *w);
            memcpy(index, list->index, list->n);
        }
        PRIMES_FREE(list->w);
        PRIMES_FREE(list->index);
        list->w = w;
        list->index = index;
        list->cap = cap;
    }
    list->w[list->n].a = a;
    list->w[list->n].offset = offset;
    list->index[list->n] = (uint8_t)windex;
    list->n++;
    return PRIMES_OK;
}

static void walk_lists_free(struct walk_list *lists)
{
    for (int c = 0; c < 8; c++) {
        PRIMES_FREE(lists[c].w);
        PRIMES_FREE(lists[c].index);
        lists[c].w = NULL;
        lists[c].index = NULL;
        lists[c].n = lists[c].cap = 0;
    }
}

/* ---- buckets: the big sieving primes ------------------------------------ */

/* A big prime waiting for a segment: a = p / 30 and, packed, the byte of its
 * next multiple in that segment (low 24 bits) and its wheel entry 8 c + w. */
struct big_entry {
    uint32_t a;
    uint32_t packed;
};

struct bucket {
    struct bucket *next;
    uint32_t n;
    uint32_t unused;
    struct big_entry e[BUCKET_ENTRIES];
};

struct slab {
    struct slab *next;
    struct bucket b[BUCKETS_PER_SLAB];
};

struct buckets {
    struct bucket **slot; /* slot[s & mask]: the buckets of segment s */
    size_t mask;
    struct bucket *free;
    struct slab *slabs;
    size_t slab_count;
};

static struct bucket *bucket_take(struct buckets *bk)
{
    if (!bk->free) {
        struct slab *s = PRIMES_MALLOC(sizeof *s);
        if (!s)
            return NULL;
        s->next = bk->slabs;
        bk->slabs = s;
        bk->slab_count++;
        for (int i = 0; i < BUCKETS_PER_SLAB; i++) {
            s->b[i].next = bk->free;
            bk->free = &s->b[i];
        }
    }
    struct bucket *b = bk->free;
    bk->free = b->next;
    b->n = 0;
    return b;
}

static inline int bucket_push(struct buckets *bk, uint64_t segment, uint32_t a, uint32_t packed)
{
    struct bucket **head = &bk->slot[segment & bk->mask];
    struct bucket *b = *head;
    if (!b || b->n == BUCKET_ENTRIES) {
        struct bucket *fresh = bucket_take(bk);
        if (!fresh)
            return PRIMES_ENOMEM;
        fresh->next = b;
        *head = b = fresh;
    }
    b->e[b->n].a = a;
    b->e[b->n].packed = packed;
    b->n++;
    return PRIMES_OK;
}

/* Returns every bucket to the free list (a new piece starts). */
static void buckets_clear(struct buckets *bk)
{
    if (!bk->slot)
        return;
    for (size_t s = 0; s <= bk->mask; s++) {
        struct bucket *b = bk->slot[s];
        while (b) {
            struct bucket *next = b->next;
            b->next = bk->free;
            bk->free = b;
            b = next;
        }
        bk->slot[s] = NULL;
    }
}

static void buckets_free(struct buckets *bk)
{
    while (bk->slabs) {
        struct slab *next = bk->slabs->next;
        PRIMES_FREE(bk->slabs);
        bk->slabs = next;
    }
    PRIMES_FREE(bk->slot);
    bk->slot = NULL;
    bk->free = NULL;
    bk->slab_count = 0;
}

/* ---- one segmented sieve in progress: the "core" ------------------------ */

struct prime_gen;

struct core {
    const struct segsieve_context *ctx;
    uint8_t *seg; /* segment_bytes + 8 bytes, zero padded past the length */
    uint32_t segment_bytes, log2_segment, chunk_bytes;
    uint32_t small_max, medium_max;
    /* the piece */
    uint64_t first, last;
    uint64_t base;      /* first rounded down to a multiple of 30 */
    uint64_t last_off;  /* last - base */
    uint64_t nbytes;    /* bytes of the piece: last_off / 30 + 1 */
    uint64_t segment;   /* index of the next segment */
    uint64_t last_segment;
    struct walk_list small[8], medium[8];
    struct buckets big; /* only when the piece needs big primes */
    int use_buckets;
    /* where the sieving primes come from */
    int src_is_array;
    const uint32_t *src;    /* an array (the context's stored or tiny primes) */
    size_t src_count, src_pos;
    struct prime_gen *gen;  /* or the second sieve */
    uint64_t pending;       /* a prime taken from the source, not yet used (0: none) */
    int exhausted;
    /* While the piece's last segment adds its sieving primes: that
     * segment's length in bytes, and each new prime crosses its multiples
     * there at once instead of joining a list (see core_next); else 0. */
    uint32_t direct_end;
};

/* The second sieve: the primes of [0, sqrt_max] for the main one, one at a
 * time, from its own segments. */
struct prime_gen {
    struct core core;
    uint64_t word_value; /* value of bit 0 of the current word */
    size_t word, words;  /* current word, words in the current segment */
    uint64_t bits;       /* the current word's bits not yet handed out */
    int status;          /* PRIMES_OK, or why the primes ended early */
};

static void presieve(const struct segsieve_context *ctx, uint8_t *seg, uint64_t abs_byte, uint32_t len)
{
    for (uint32_t pos = 0; pos < len; pos += PRESIEVE_CHUNK) {
        uint32_t n = len - pos < PRESIEVE_CHUNK ? len - pos : PRESIEVE_CHUNK;
        uint8_t *dst = seg + pos;
        uint64_t at = abs_byte + pos;
        unsigned t = 0;
        /* Four tables per pass: each pass reads its sources once. */
        for (; t < ctx->tables; t += 4) {
            const uint8_t *s[4];
            unsigned k = 0;
            for (; k < 4 && t + k < ctx->tables; k++)
                s[k] = ctx->table[t + k].bytes + (size_t)(at % ctx->table[t + k].period);
            for (; k < 4; k++)
                s[k] = s[0];
            const uint8_t *s0 = s[0], *s1 = s[1], *s2 = s[2], *s3 = s[3];
            if (t == 0) {
                for (uint32_t i = 0; i < n; i++)
                    dst[i] = (uint8_t)(s0[i] & s1[i] & s2[i] & s3[i]);
            } else {
                for (uint32_t i = 0; i < n; i++)
                    dst[i] &= (uint8_t)(s0[i] & s1[i] & s2[i] & s3[i]);
            }
        }
    }
    if (abs_byte <= ctx->presieve_max / 30) {
        /* The patterns also removed the presieved primes themselves, and
         * bit 0 of byte 0 stands for 1. */
        for (unsigned g = 0; g < ctx->tables; g++)
            for (unsigned k = 0; k < presieve_groups[g].count; k++) {
                unsigned p = presieve_groups[g].primes[k];
                if (p / 30 >= abs_byte && p / 30 - abs_byte < len)
                    seg[p / 30 - abs_byte] |= bit_of(p);
            }
        if (abs_byte == 0)
            seg[0] &= (uint8_t)~1u;
    }
}

/* The first multiple p m >= max(p^2, base) with m prime to 30, as a byte
 * offset from base and the wheel index of m; returns 0 if it lies past
 * last_off.  base_d is (double)base. */
static inline int first_multiple(uint64_t p, uint64_t base, double base_d, uint64_t last_off, uint64_t *byte,
                                 unsigned *windex)
{
    uint64_t off, m30;
    uint64_t square = p * p; /* p < 2^32 */
    if (square >= base) {
        off = square - base;
        m30 = p % 30;
    } else {
        uint64_t q, r;
        if (p >= 65536) {
            /* A 64-bit division costs tens of cycles and this runs once per
             * sieving prime per piece (2 x 10^8 times near 2^64): a double
             * quotient is within 2 of the true one for p >= 2^16 (relative
             * error 2^-52, base / p < 2^48), and the remainder then fixes it. */
            /* (signed conversions: both values are below 2^63, and x86-64
             * converts unsigned ones with a branch) */
            q = (uint64_t)(int64_t)(base_d / (double)(int64_t)p);
            int64_t rr = (int64_t)(base - q * p);
            while (rr < 0) {
                rr += (int64_t)p;
                q--;
            }
            while (rr >= (int64_t)p) {
                rr -= (int64_t)p;
                q++;
            }
            r = (uint64_t)rr;
        } else {
            q = base / p;
            r = base - q * p;
        }
        if (r) {
            q++;
            off = p - r;
        } else {
            off = 0;
        }
        if (off > last_off)
            return 0; /* the usual case for p far above the piece's width */
        m30 = q % 30;
        unsigned adv = wheel_advance[m30];
        off += adv * p;
        m30 += adv;
        if (m30 >= 30)
            m30 -= 30;
    }
    if (off > last_off)
        return 0;
    *byte = off / 30;
    *windex = wheel_index[m30];
    return 1;
}

static int core_add_prime(struct core *cr, uint64_t p, double base_d)
{
    uint64_t byte;
    unsigned w;
    if (!first_multiple(p, cr->base, base_d, cr->last_off, &byte, &w))
        return PRIMES_OK; /* no multiple in the piece */
    unsigned c = wheel_index[p % 30];
    uint32_t a = (uint32_t)(p / 30);
    uint64_t rel = byte - cr->segment * cr->segment_bytes; /* from the current segment */
    if (p <= cr->medium_max) {
        if (cr->direct_end) {
            /* The last segment: every multiple left in the piece is in it.
             * (The big primes keep their buckets: a bucket entry costs less
             * than a walk's entry and exit for their one multiple or none.) */
            cross_now(cr->seg, cr->direct_end, a, (uint32_t)rel, w, c);
            return PRIMES_OK;
        }
        struct walk_list *list = p <= cr->small_max ? &cr->small[c] : &cr->medium[c];
        return walk_push(list, a, (uint32_t)rel, w);
    }
    uint64_t target = cr->segment + (rel >> cr->log2_segment);
    uint32_t packed = (uint32_t)(rel & (cr->segment_bytes - 1)) | (uint32_t)((8 * c + w) << 24);
    return bucket_push(&cr->big, target, a, packed);
}

static inline int gen_next(struct prime_gen *g, uint64_t *p);

/* The next sieving prime from the core's source, or 0 when none is left. */
static inline int core_source_next(struct core *cr, uint64_t *p)
{
    if (cr->src_is_array) {
        if (cr->src_pos == cr->src_count)
            return 0;
        *p = cr->src[cr->src_pos++];
        return 1;
    }
    return gen_next(cr->gen, p);
}

static int cancelled(const struct segsieve_context *ctx)
{
    return ctx->cancel && __atomic_load_n(ctx->cancel, __ATOMIC_RELAXED);
}

/* Adds every sieving prime p with p^2 <= high not yet added. */
static int core_add_primes(struct core *cr, uint64_t high)
{
    unsigned since_check = 0;
    const double base_d = (double)cr->base;
    for (;;) {
        uint64_t p = cr->pending;
        if (!p) {
            if (cr->exhausted || !core_source_next(cr, &p)) {
                cr->exhausted = 1;
                return cr->gen ? cr->gen->status : PRIMES_OK;
            }
            /* A prime above sqrt(max_last) is never needed. */
            if (p > cr->ctx->sqrt_max) {
                cr->exhausted = 1;
                return PRIMES_OK;
            }
        }
        if (p * p > high) {
            cr->pending = p;
            return PRIMES_OK;
        }
        cr->pending = 0;
        if (p > cr->ctx->presieve_max) {
            int status = core_add_prime(cr, p, base_d);
            if (status != PRIMES_OK)
                return status;
        }
        if (++since_check == CANCEL_PRIME_INTERVAL) {
            since_check = 0;
            if (cancelled(cr->ctx))
                return PRIMES_ECANCELLED;
        }
    }
}

static int gen_restart(struct prime_gen *g);

/* Starts a piece [first, last]. */
static int core_begin(struct core *cr, uint64_t first, uint64_t last)
{
    cr->first = first;
    cr->last = last;
    cr->base = first - first % 30;
    cr->last_off = last - cr->base;
    cr->nbytes = cr->last_off / 30 + 1;
    cr->segment = 0;
    cr->last_segment = (cr->nbytes - 1) >> cr->log2_segment;
    for (int c = 0; c < 8; c++)
        cr->small[c].n = cr->medium[c].n = 0;
    buckets_clear(&cr->big);
    cr->pending = 0;
    cr->exhausted = 0;
    cr->src_pos = 0;
    cr->use_buckets = isqrt64(last) > cr->medium_max;
    if (cr->use_buckets && !cr->big.slot) {
        /* Enough slots that a big prime's next multiple never laps them. */
        uint64_t a_max = cr->ctx->sqrt_max / 30;
        uint64_t ahead = (cr->segment_bytes - 1 + 6 * a_max + 6) >> cr->log2_segment;
        size_t slots = 1;
        while (slots <= ahead)
            slots <<= 1;
        cr->big.slot = PRIMES_CALLOC(slots, sizeof *cr->big.slot);
        if (!cr->big.slot)
            return PRIMES_ENOMEM;
        cr->big.mask = slots - 1;
    }
    if (cr->gen)
        return gen_restart(cr->gen);
    return PRIMES_OK;
}

/* Sieves the next segment of the piece into cr->seg: bits outside
 * [first, last] cleared, bytes [len, len + 8) zero.  Stores its length in
 * bytes in *len (0 at the end of the piece). */
static int core_next(struct core *cr, uint32_t *len)
{
    *len = 0;
    if (cr->segment > cr->last_segment)
        return PRIMES_OK;
    const struct segsieve_context *ctx = cr->ctx;
    if (cancelled(ctx))
        return PRIMES_ECANCELLED;
    uint64_t start = cr->segment << cr->log2_segment;
    uint32_t n = cr->nbytes - start < cr->segment_bytes ? (uint32_t)(cr->nbytes - start) : cr->segment_bytes;
    /* The largest value of this segment in the piece. */
    uint64_t high_off = 30 * (start + n) - 1;
    if (high_off > cr->last_off)
        high_off = cr->last_off;
    uint8_t *seg = cr->seg;
    presieve(ctx, seg, cr->base / 30 + start, n);
    memset(seg + n, 0, 8);
    /* The piece's last segment crosses its new primes as it adds them: a
     * piece of one segment (a window of up to a few times 10^7 integers) then
     * keeps no list of walks, and its working set is the segment and the
     * sieving primes read in order. */
    cr->direct_end = cr->segment == cr->last_segment ? n : 0;
    int status = core_add_primes(cr, cr->base + high_off);
    cr->direct_end = 0;
    if (status != PRIMES_OK)
        return status;
    /* Small primes chunk by chunk (each chunk stays in L1), then medium. */
    for (uint32_t end = cr->chunk_bytes; end < n; end += cr->chunk_bytes)
        cross_lists(seg, end, 0, cr->small);
    cross_lists(seg, n, cr->segment_bytes, cr->small);
    cross_lists(seg, n, cr->segment_bytes, cr->medium);
    if (cr->use_buckets) {
        struct buckets *bk = &cr->big;
        struct bucket *b = bk->slot[cr->segment & bk->mask];
        bk->slot[cr->segment & bk->mask] = NULL;
        const uint32_t mask = cr->segment_bytes - 1;
        const unsigned shift = cr->log2_segment;
        while (b) {
            for (uint32_t i = 0; i < b->n; i++) {
                uint32_t a = b->e[i].a, packed = b->e[i].packed;
                uint32_t off = packed & 0xffffffu;
                unsigned idx = packed >> 24;
                const struct wheel_step *st = &wheel_steps[idx];
                seg[off] &= (uint8_t)~st->bit;
                uint64_t next = (uint64_t)off + (uint64_t)a * st->factor + st->carry;
                uint64_t target = cr->segment + (next >> shift);
                if ((cr->segment << shift) + next < cr->nbytes) { /* still in the piece */
                    unsigned nidx = (idx & 56u) | ((idx + 1) & 7u);
                    if (bucket_push(bk, target, a, (uint32_t)(next & mask) | (nidx << 24)) != PRIMES_OK) {
                        /* return what is left of this list to the free list */
                        while (b) {
                            struct bucket *nb = b->next;
                            b->next = bk->free;
                            bk->free = b;
                            b = nb;
                        }
                        return PRIMES_ENOMEM;
                    }
                }
            }
            struct bucket *next = b->next;
            b->next = bk->free;
            bk->free = b;
            b = next;
        }
    }
    /* Clip to [first, last]: only the piece's first and last bytes can hold
     * values outside it. */
    if (start == 0) {
        unsigned below = (unsigned)(cr->first - cr->base); /* 0 .. 29 */
        for (int k = 0; k < 8; k++)
            if (wheel_residue[k] < below)
                seg[0] &= (uint8_t)~(1u << k);
    }
    if (cr->segment == cr->last_segment) {
        unsigned top = (unsigned)(cr->last_off % 30);
        uint32_t lb = (uint32_t)(cr->last_off / 30 - start);
        for (int k = 0; k < 8; k++)
            if (wheel_residue[k] > top)
                seg[lb] &= (uint8_t)~(1u << k);
    }
    cr->segment++;
    *len = n;
    return PRIMES_OK;
}

static void core_free(struct core *cr)
{
    walk_lists_free(cr->small);
    walk_lists_free(cr->medium);
    buckets_free(&cr->big);
    PRIMES_FREE(cr->seg);
    cr->seg = NULL;
}

static int core_init(struct core *cr, const struct segsieve_context *ctx, uint32_t segment_bytes,
                     uint32_t log2_segment)
{
    memset(cr, 0, sizeof *cr);
    cr->ctx = ctx;
    cr->segment_bytes = segment_bytes;
    cr->log2_segment = log2_segment;
    cr->chunk_bytes = ctx->chunk_bytes < segment_bytes ? ctx->chunk_bytes : segment_bytes;
    cr->small_max = ctx->small_max;
    cr->medium_max = ctx->medium_max;
    cr->seg = PRIMES_MALLOC((size_t)segment_bytes + 8);
    return cr->seg ? PRIMES_OK : PRIMES_ENOMEM;
}

/* ---- the second sieve ---------------------------------------------------- */

static int gen_restart(struct prime_gen *g)
{
    g->word = g->words = 0;
    g->bits = 0;
    g->status = PRIMES_OK;
    return core_begin(&g->core, 0, g->core.ctx->sqrt_max);
}

static int gen_refill(struct prime_gen *g)
{
    uint32_t len;
    uint64_t segment = g->core.segment;
    int status = core_next(&g->core, &len);
    if (status != PRIMES_OK) {
        g->status = status;
        return 0;
    }
    if (len == 0)
        return 0;
    g->word_value = 30 * (segment << g->core.log2_segment);
    g->word = 0;
    g->words = (len + 7) / 8;
    g->bits = load64(g->core.seg);
    return 1;
}

/* The next prime of [0, sqrt_max] (from 7 on); 0 at the end, or on a
 * failure, whose status is then left in g->status. */
static inline int gen_next(struct prime_gen *g, uint64_t *p)
{
    while (!g->bits) {
        if (++g->word >= g->words) {
            if (!gen_refill(g)) {
                g->words = 0;
                g->word = 0;
                return 0;
            }
            continue;
        }
        g->bits = load64(g->core.seg + 8 * g->word);
    }
    *p = g->word_value + 240 * g->word + bit_value[ctz64(g->bits)];
    g->bits &= g->bits - 1;
    return 1;
}

/* ---- context ------------------------------------------------------------- */

/* The size of the level-1 data cache (level 1) or of the L2 cache (level 2)
 * of one core, or 0 if unknown. */
static size_t read_cache_size(int level)
{
#if defined(_SC_LEVEL1_DCACHE_SIZE) && defined(_SC_LEVEL2_CACHE_SIZE)
    long v = sysconf(level == 1 ? _SC_LEVEL1_DCACHE_SIZE : _SC_LEVEL2_CACHE_SIZE);
    if (v > 0)
        return (size_t)v;
#endif
    /* Linux without the sysconf names, or where they answer 0 (aarch64
     * glibc): index0 is the L1 data cache and index2 the unified L2 on
     * x86-64 and arm64 kernels alike. */
    FILE *f = fopen(level == 1 ? "/sys/devices/system/cpu/cpu0/cache/index0/size"
                               : "/sys/devices/system/cpu/cpu0/cache/index2/size",
                    "r");
    if (!f)
        return 0;
    unsigned long kib = 0;
    char unit = 0;
    int got = fscanf(f, "%lu%c", &kib, &unit);
    fclose(f);
    if (got < 1)
        return 0;
    return unit == 'M' ? (size_t)kib << 20 : (size_t)kib << 10;
}

static unsigned floor_log2(size_t x)
{
    unsigned r = 0;
    while (x >>= 1)
        r++;
    return r;
}

static int build_presieve(struct segsieve_context *ctx)
{
    size_t total = 0;
    for (unsigned g = 0; g < ctx->tables; g++) {
        uint32_t period = 1;
        for (unsigned k = 0; k < presieve_groups[g].count; k++)
            period *= presieve_groups[g].primes[k];
        ctx->table[g].period = period;
        total += period + PRESIEVE_CHUNK;
    }
    uint8_t *block = PRIMES_MALLOC(total ? total : 1);
    if (!block)
        return PRIMES_ENOMEM;
    ctx->table_block = block;
    ctx->table_bytes = total;
    memset(block, 0xff, total);
    for (unsigned g = 0; g < ctx->tables; g++) {
        uint8_t *t = block;
        size_t size = ctx->table[g].period + (size_t)PRESIEVE_CHUNK;
        for (unsigned k = 0; k < presieve_groups[g].count; k++) {
            unsigned p = presieve_groups[g].primes[k];
            for (unsigned bit = 0; bit < 8; bit++) {
                /* bytes B with p | 30 B + R[bit] */
                unsigned b0 = 0;
                while ((30 * b0 + wheel_residue[bit]) % p)
                    b0++;
                for (size_t b = b0; b < size; b += p)
                    t[b] &= (uint8_t)~(1u << bit);
            }
        }
        ctx->table[g].bytes = t;
        block += size;
    }
    return PRIMES_OK;
}

/* The primes in (lo, hi] for small hi (<= 2^16), by a plain sieve. */
static int small_primes(unsigned lo, unsigned hi, uint32_t **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    if (hi <= lo)
        return PRIMES_OK;
    uint8_t *composite = PRIMES_CALLOC((size_t)hi + 1, 1);
    if (!composite)
        return PRIMES_ENOMEM;
    size_t n = 0;
    for (unsigned i = 2; i <= hi; i++) {
        if (composite[i])
            continue;
        if (i > lo)
            n++;
        for (unsigned j = i * i; j <= hi; j += i)
            composite[j] = 1;
    }
    uint32_t *list = PRIMES_MALLOC((n ? n : 1) * sizeof *list);
    if (!list) {
        PRIMES_FREE(composite);
        return PRIMES_ENOMEM;
    }
    n = 0;
    for (unsigned i = lo + 1; i <= hi; i++)
        if (i >= 2 && !composite[i])
            list[n++] = i;
    PRIMES_FREE(composite);
    *out = list;
    *count = n;
    return PRIMES_OK;
}

static int gen_create(const struct segsieve_context *ctx, struct prime_gen **out);
static void gen_destroy(struct prime_gen *g);

void segsieve_context_destroy(struct segsieve_context *ctx)
{
    if (!ctx)
        return;
    PRIMES_FREE(ctx->table_block);
    PRIMES_FREE(ctx->tiny);
    PRIMES_FREE(ctx->stored);
    PRIMES_FREE(ctx);
}

int segsieve_context_create(uint64_t max_last, const struct segsieve_options *options, const int *cancel,
                            struct segsieve_context **out)
{
    struct segsieve_options opt = {0};
    if (options)
        opt = *options;
    *out = NULL;
    struct segsieve_context *ctx = PRIMES_CALLOC(1, sizeof *ctx);
    if (!ctx)
        return PRIMES_ENOMEM;
    ctx->max_last = max_last;
    ctx->sqrt_max = isqrt64(max_last);
    ctx->cancel = cancel;

    size_t l2 = opt.l2_bytes ? opt.l2_bytes : read_cache_size(2);
    if (!l2)
        l2 = DEFAULT_L2_BYTES;
    size_t l1 = opt.l1_bytes ? opt.l1_bytes : read_cache_size(1);
    if (!l1)
        l1 = DEFAULT_L1_BYTES;
    /* Half the L2 cache, so that the segment and the walks' state stay in
     * it, with the small primes crossing it in chunks of the L1 cache (each
     * prime then pays its wheel entry and exit once per chunk, but its
     * crossings hit L1).  Measured on an Intel Xeon (Sapphire Rapids class,
     * 48 KiB L1d, 2 MiB L2), primes / primesieve on 2 threads, against the
     * earlier rule (no chunks, segments growing to 4x the L2 for tall calls):
     * [0, 10^10) 1.96x -> 1.27x, [2^40, 2^40 + 10^9) 1.55x -> 1.19x,
     * [2^63, 2^63 + 10^8) 1.32x -> 1.19x, [10^12, 10^12 + 10^10) 1.52x ->
     * 1.13x; with chunks, a segment of the whole L2 was slower at 2^40
     * (1.75x) and no better elsewhere. */
    unsigned log2 = floor_log2(l2) - 1;
    /* ... but no more than twice the bitmap of the whole call */
    while (opt.width_hint && log2 > MIN_SEGMENT_LOG2 && (UINT64_C(1) << (log2 - 1)) * 30 > opt.width_hint)
        log2--;
    if (opt.segment_bytes)
        log2 = floor_log2(opt.segment_bytes);
    if (log2 < MIN_SEGMENT_LOG2)
        log2 = MIN_SEGMENT_LOG2;
    if (log2 > MAX_SEGMENT_LOG2)
        log2 = MAX_SEGMENT_LOG2;
    ctx->log2_segment = log2;
    ctx->segment_bytes = (uint32_t)1 << log2;
    /* A chunk as large as the segment (l1_bytes >= segment_bytes) crosses
     * the small primes over the whole segment at once. */
    ctx->chunk_bytes = (uint32_t)1 << floor_log2(l1);
    if (ctx->chunk_bytes > ctx->segment_bytes)
        ctx->chunk_bytes = ctx->segment_bytes;
    ctx->small_max = ctx->chunk_bytes;
    ctx->medium_max = 15 * ctx->segment_bytes;

    /* Presieve: all 16 tables for large calls, fewer for small ones, whose
     * table building would cost more than it saves. */
    unsigned pmax = opt.presieve_max;
    if (!pmax) {
        uint64_t width = opt.width_hint ? opt.width_hint : UINT64_MAX;
        pmax = width < UINT64_C(1) << 22 ? 19 : width < UINT64_C(1) << 27 ? 53 : 163;
    }
    ctx->tables = 0;
    ctx->presieve_max = 5;
    for (unsigned g = 0; g < PRESIEVE_GROUPS; g++) {
        unsigned top = presieve_groups[g].primes[presieve_groups[g].count - 1];
        if (top > pmax && g > 0)
            break;
        ctx->tables = g + 1;
        ctx->presieve_max = top;
    }
    int status = build_presieve(ctx);
    if (status == PRIMES_OK)
        status = small_primes(ctx->presieve_max, (unsigned)isqrt64(ctx->sqrt_max), &ctx->tiny, &ctx->tiny_count);
    int store = opt.store_primes > 0 || (opt.store_primes == 0 && ctx->sqrt_max <= STORE_SQRT_MAX);
    if (status == PRIMES_OK && store && ctx->sqrt_max > ctx->presieve_max) {
        /* Make the sieving primes once with the second sieve. */
        struct prime_gen *g;
        status = gen_create(ctx, &g);
        if (status == PRIMES_OK) {
            /* pi(x) < 1.25506 x / ln x (Rosser and Schoenfeld), with
             * ln x >= floor(log2 x) ln 2 */
            double x = (double)ctx->sqrt_max;
            unsigned lg = floor_log2((size_t)ctx->sqrt_max);
            size_t cap = (lg >= 2 ? (size_t)(1.25506 * x / (0.6931 * lg)) : 0) + 64;
            ctx->stored = PRIMES_MALLOC(cap * sizeof *ctx->stored);
            if (!ctx->stored)
                status = PRIMES_ENOMEM;
            else
                status = gen_restart(g);
            size_t n = 0;
            uint64_t p;
            while (status == PRIMES_OK && gen_next(g, &p)) {
                if (p <= ctx->presieve_max)
                    continue;
                if (p > ctx->sqrt_max)
                    break;
                if (n == cap) { /* cannot happen with the bound above */
                    status = PRIMES_EINVAL;
                    break;
                }
                ctx->stored[n++] = (uint32_t)p;
            }
            if (status == PRIMES_OK)
                status = g->status;
            ctx->stored_count = n;
            gen_destroy(g);
        }
    }
    if (status != PRIMES_OK) {
        segsieve_context_destroy(ctx);
        return status;
    }
    *out = ctx;
    return PRIMES_OK;
}

size_t segsieve_context_bytes(const struct segsieve_context *ctx)
{
    return sizeof *ctx + ctx->table_bytes + (ctx->tiny_count + ctx->stored_count) * sizeof(uint32_t);
}

size_t segsieve_segment_bytes(const struct segsieve_context *ctx)
{
    return ctx->segment_bytes;
}

static int gen_create(const struct segsieve_context *ctx, struct prime_gen **out)
{
    struct prime_gen *g = PRIMES_MALLOC(sizeof *g);
    *out = NULL;
    if (!g)
        return PRIMES_ENOMEM;
    uint32_t bytes = GEN_SEGMENT_BYTES;
    int status = core_init(&g->core, ctx, bytes, floor_log2(bytes));
    if (status != PRIMES_OK) {
        PRIMES_FREE(g);
        return status;
    }
    /* The second sieve's own primes are all below 2^16: walks only. */
    g->core.small_max = g->core.medium_max = UINT32_MAX;
    g->core.src_is_array = 1;
    g->core.src = ctx->tiny;
    g->core.src_count = ctx->tiny_count;
    g->word = g->words = 0;
    g->bits = 0;
    *out = g;
    return PRIMES_OK;
}

static void gen_destroy(struct prime_gen *g)
{
    if (!g)
        return;
    core_free(&g->core);
    PRIMES_FREE(g);
}

/* ---- workers ------------------------------------------------------------- */

struct segsieve_worker {
    struct core core;
    struct prime_gen *gen;
};

int segsieve_worker_create(const struct segsieve_context *ctx, struct segsieve_worker **out)
{
    *out = NULL;
    struct segsieve_worker *w = PRIMES_CALLOC(1, sizeof *w);
    if (!w)
        return PRIMES_ENOMEM;
    int status = core_init(&w->core, ctx, ctx->segment_bytes, ctx->log2_segment);
    if (status == PRIMES_OK) {
        if (ctx->stored || ctx->sqrt_max <= ctx->presieve_max) {
            w->core.src_is_array = 1; /* no sieving prime at all in the second case */
            w->core.src = ctx->stored;
            w->core.src_count = ctx->stored ? ctx->stored_count : 0;
        } else {
            status = gen_create(ctx, &w->gen);
            w->core.gen = w->gen;
        }
    }
    if (status != PRIMES_OK) {
        segsieve_worker_destroy(w);
        return status;
    }
    *out = w;
    return PRIMES_OK;
}

void segsieve_worker_destroy(struct segsieve_worker *w)
{
    if (!w)
        return;
    core_free(&w->core);
    gen_destroy(w->gen);
    PRIMES_FREE(w);
}

static size_t walk_bytes(const struct walk_list *lists)
{
    size_t total = 0;
    for (int c = 0; c < 8; c++)
        total += lists[c].cap * (sizeof(struct walk) + 1);
    return total;
}

static size_t core_bytes(const struct core *cr)
{
    return cr->segment_bytes + 8 + walk_bytes(cr->small) + walk_bytes(cr->medium)
           + cr->big.slab_count * sizeof(struct slab) + (cr->big.slot ? (cr->big.mask + 1) * sizeof(void *) : 0);
}

size_t segsieve_worker_bytes(const struct segsieve_worker *w)
{
    return sizeof *w + core_bytes(&w->core) + (w->gen ? core_bytes(&w->gen->core) : 0);
}

/* Starts a piece; a failure of the second sieve (seen as a status left in
 * its `pending`) is reported by worker_next. */
static int worker_begin(struct segsieve_worker *w, uint64_t first, uint64_t last)
{
    if (first > last || last > w->core.ctx->max_last)
        return PRIMES_EINVAL;
    return core_begin(&w->core, first, last);
}

/* The next segment of the piece: its first byte (from the piece's base) in
 * *start, its length in *len (0 at the end). */
static int worker_next(struct segsieve_worker *w, uint64_t *start, uint32_t *len)
{
    *start = w->core.segment << w->core.log2_segment;
    return core_next(&w->core, len);
}

/* The primes 2, 3, 5 in [first, last] (the bitmap has no bit for them). */
static unsigned tiny_in(uint64_t first, uint64_t last)
{
    unsigned n = 0;
    for (uint64_t p = 2; p <= 5; p += (p == 2 ? 1 : 2))
        n += first <= p && p <= last;
    return n;
}

int segsieve_count(struct segsieve_worker *w, uint64_t first, uint64_t last, uint64_t *count)
{
    if (first > last) { /* the empty range */
        *count = 0;
        return PRIMES_OK;
    }
    int status = worker_begin(w, first, last);
    uint64_t total = tiny_in(first, last), seg_start;
    uint32_t len;
    while (status == PRIMES_OK && (status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len)
        total += popcount_bytes(w->core.seg, (len + 7) & ~(uint32_t)7);
    if (status == PRIMES_OK)
        *count = total;
    return status;
}

/* Residues r < x prime to 30, for each x < 30: the low bits of a byte that
 * lie below residue x (the bits go up with the residue). */
static const uint8_t residues_below[30] = {0, 0, 1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 4,
                                           4, 4, 4, 5, 5, 6, 6, 6, 6, 7, 7, 7, 7, 7, 7};

static inline unsigned bits_in_byte(unsigned b)
{
    b = b - ((b >> 1) & 0x55u);
    b = (b & 0x33u) + ((b >> 2) & 0x33u);
    return (b + (b >> 4)) & 0x0fu;
}

/* Set bits of bytes [from, to) of p (no alignment needed). */
static uint64_t popcount_range(const uint8_t *p, size_t from, size_t to)
{
    size_t whole = (to - from) & ~(size_t)7;
    uint64_t total = popcount_bytes(p + from, whole);
    for (from += whole; from < to; from++)
        total += bits_in_byte(p[from]);
    return total;
}

/* The primes of the segment's integers base + d, d0 <= d < d1 (offsets from
 * the piece's base, within the segment that starts at byte seg_start). */
static uint64_t count_between(const uint8_t *seg, uint64_t seg_start, uint64_t d0, uint64_t d1)
{
    size_t i0 = (size_t)(d0 / 30 - seg_start), i1 = (size_t)(d1 / 30 - seg_start);
    unsigned x0 = (unsigned)(d0 % 30), x1 = (unsigned)(d1 % 30);
    /* Whole bytes [i0, i1), less the bits of byte i0 below d0, plus those of
     * byte i1 below d1 (never read when d1 starts a byte: it may be past the
     * segment).  The sum is never negative; the wrap of the subtraction
     * cancels. */
    uint64_t n = popcount_range(seg, i0, i1) - bits_in_byte(seg[i0] & ((1u << residues_below[x0]) - 1));
    if (x1)
        n += bits_in_byte(seg[i1] & ((1u << residues_below[x1]) - 1));
    return n;
}

int segsieve_count_bins(struct segsieve_worker *w, uint64_t first, uint64_t last, uint64_t origin,
                        uint64_t width, uint64_t *bins)
{
    if (first > last)
        return PRIMES_OK;
    if (origin > first || width == 0)
        return PRIMES_EINVAL;
    int status = worker_begin(w, first, last);
    if (status != PRIMES_OK)
        return status;
    for (uint64_t p = 2; p <= 5; p += (p == 2 ? 1 : 2))
        if (first <= p && p <= last)
            __atomic_fetch_add(&bins[(p - origin) / width], 1, __ATOMIC_RELAXED);
    const struct core *cr = &w->core;
    uint64_t seg_start, last_d = last - cr->base;
    uint32_t len;
    while ((status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len) {
        /* Offsets from the base: the segment holds [30 seg_start, d_end);
         * the bits outside [first, last] are clear. */
        uint64_t d = 30 * seg_start, d_end = d + 30 * (uint64_t)len;
        if (d < first - cr->base)
            d = first - cr->base;
        while (d < d_end && d <= last_d) {
            uint64_t rel = cr->base + d - origin, bin = rel / width, left = width - rel % width;
            uint64_t d_next = d_end - d < left ? d_end : d + left;
            __atomic_fetch_add(&bins[bin], count_between(cr->seg, seg_start, d, d_next), __ATOMIC_RELAXED);
            d = d_next;
        }
    }
    return status;
}

static uint64_t gcd64(uint64_t a, uint64_t b)
{
    while (b) {
        uint64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

static int small_is_prime(uint64_t v) /* v < 30 */
{
    return v == 2 || v == 3 || v == 5 || (v < 30 && bit_of(v) && v != 1);
}

/* The elements that a common factor with 30 leaves: when gcd(first, gcd(step,
 * 30)) > 1 every element shares a prime factor q <= 5, so only q itself (one
 * of the first three elements) can be prime.  Returns 1 with the answer
 * (in *count, and in out[] when out is not NULL); 0 when the sieve is needed. */
static int step_ruled_out(uint64_t first, uint64_t step, uint64_t n, uint8_t *out, uint64_t *count)
{
    uint64_t g = gcd64(step, 30);
    if (g == 1 || gcd64(first % g, g) == 1)
        return 0;
    uint64_t c = 0;
    if (out)
        memset(out, 0, (size_t)n);
    for (uint64_t j = 0; j < n && j < 3; j++) {
        uint64_t v = first + j * step;
        if (v <= 5 && small_is_prime(v)) {
            c++;
            if (out)
                out[j] = 1;
        }
    }
    *count = c;
    return 1;
}

/* Visits the elements first + j step of the piece, segment by segment:
 * counts them (out == NULL) or writes out[j]. */
static int step_sieve(struct segsieve_worker *w, uint64_t first, uint64_t step, uint64_t n, uint8_t *out,
                      uint64_t *count)
{
    uint64_t last = first + (n - 1) * step;
    int status = worker_begin(w, first, last);
    if (status != PRIMES_OK)
        return status;
    const struct core *cr = &w->core;
    uint64_t total = 0, j = 0;
    /* The next element as an offset from base, kept as (byte, residue). */
    uint64_t off = first - cr->base;
    uint64_t byte = off / 30;
    unsigned res = (unsigned)(off % 30);
    const uint64_t step_bytes = step / 30;
    const unsigned step_res = (unsigned)(step % 30);
    /* Elements below 7 are not in the bitmap. */
    while (j < n && first + j * step < 7) {
        uint8_t p = (uint8_t)small_is_prime(first + j * step);
        total += p;
        if (out)
            out[j] = p;
        j++;
        res += step_res;
        byte += step_bytes;
        if (res >= 30) {
            res -= 30;
            byte++;
        }
    }
    uint32_t len;
    uint64_t seg_start;
    while ((status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len) {
        const uint8_t *seg = cr->seg;
        uint64_t seg_end = seg_start + len;
        if (out) {
            for (; j < n && byte < seg_end; j++) {
                uint8_t p = (uint8_t)((seg[byte - seg_start] & wheel_bit_of_residue[res]) != 0);
                out[j] = p;
                total += p;
                res += step_res;
                byte += step_bytes;
                if (res >= 30) {
                    res -= 30;
                    byte++;
                }
            }
        } else {
            for (; j < n && byte < seg_end; j++) {
                total += (seg[byte - seg_start] & wheel_bit_of_residue[res]) != 0;
                res += step_res;
                byte += step_bytes;
                if (res >= 30) {
                    res -= 30;
                    byte++;
                }
            }
        }
    }
    if (status == PRIMES_OK)
        *count = total;
    return status;
}

int segsieve_count_step(struct segsieve_worker *w, uint64_t first, uint64_t step, uint64_t n, uint64_t *count)
{
    if (n == 0 && step) {
        *count = 0;
        return PRIMES_OK;
    }
    if (step == 0 || n == 0 || first > w->core.ctx->max_last || (n - 1) > (w->core.ctx->max_last - first) / step)
        return PRIMES_EINVAL;
    if (step == 1)
        return segsieve_count(w, first, first + (n - 1), count);
    if (step_ruled_out(first, step, n, NULL, count))
        return PRIMES_OK;
    return step_sieve(w, first, step, n, NULL, count);
}

int segsieve_mask(struct segsieve_worker *w, uint64_t first, uint64_t step, size_t n, uint8_t *out)
{
    uint64_t count;
    if (n == 0 && step)
        return PRIMES_OK;
    if (step == 0 || first > w->core.ctx->max_last || (n - 1) > (w->core.ctx->max_last - first) / step)
        return PRIMES_EINVAL;
    if (step_ruled_out(first, step, n, out, &count))
        return PRIMES_OK;
    if (step > 1)
        return step_sieve(w, first, step, n, out, &count);
    /* Consecutive: zero the output, then set the primes (they are sparse). */
    uint64_t last = first + (n - 1);
    int status = worker_begin(w, first, last);
    if (status != PRIMES_OK)
        return status;
    memset(out, 0, n);
    for (uint64_t v = 2; v <= 5; v++)
        if (first <= v && v <= last && v != 4)
            out[v - first] = 1;
    const struct core *cr = &w->core;
    uint32_t len;
    uint64_t seg_start;
    while ((status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len) {
        /* value - first = base - first + 30 byte + R[bit]; base <= first */
        uint64_t shift = first - cr->base;
        for (uint32_t i = 0; i < len; i += 8) {
            uint64_t bits = load64(cr->seg + i);
            uint64_t at = 30 * (seg_start + i) - shift;
            while (bits) {
                out[at + bit_value[ctz64(bits)]] = 1;
                bits &= bits - 1;
            }
        }
    }
    return status;
}

/* Generation into an array of either width: written once as a function of
 * the element size (the stores are the only difference). */
static inline __attribute__((always_inline)) int primes_out(struct segsieve_worker *w, uint64_t first,
                                                            uint64_t last, void *out_void, size_t capacity,
                                                            size_t *written, const int wide)
{
    uint64_t *out64 = out_void;
    uint32_t *out32 = out_void;
    size_t n = 0;
    *written = 0;
    if (first > last)
        return PRIMES_OK; /* the empty range */
    int status = worker_begin(w, first, last);
    if (status != PRIMES_OK)
        return status;
    for (uint64_t v = 2; v <= 5; v++) {
        if (first <= v && v <= last && v != 4) {
            if (n == capacity)
                return SEGSIEVE_FULL;
            if (wide)
                out64[n++] = v;
            else
                out32[n++] = (uint32_t)v;
        }
    }
    const struct core *cr = &w->core;
    uint32_t len;
    uint64_t seg_start;
    while ((status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len) {
        uint64_t value = cr->base + 30 * seg_start;
        for (uint32_t i = 0; i < len; i += 8, value += 240) {
            uint64_t bits = load64(cr->seg + i);
            /* near the end of the output, a word may hold more primes than fit */
            int full = capacity - n < 64 && popcount_bytes(cr->seg + i, 8) > capacity - n;
            while (bits && n < capacity) {
                uint64_t v = value + bit_value[ctz64(bits)];
                bits &= bits - 1;
                if (wide)
                    out64[n++] = v;
                else
                    out32[n++] = (uint32_t)v;
            }
            if (full) {
                *written = n;
                return SEGSIEVE_FULL;
            }
        }
    }
    *written = n;
    return status;
}

int segsieve_primes_u64(struct segsieve_worker *w, uint64_t first, uint64_t last, uint64_t *out,
                        size_t capacity, size_t *written)
{
    return primes_out(w, first, last, out, capacity, written, 1);
}

int segsieve_primes_u32(struct segsieve_worker *w, uint64_t first, uint64_t last, uint32_t *out,
                        size_t capacity, size_t *written)
{
    if (last > UINT32_MAX) {
        *written = 0;
        return PRIMES_EINVAL;
    }
    return primes_out(w, first, last, out, capacity, written, 0);
}

int segsieve_begin(struct segsieve_worker *w, uint64_t first, uint64_t last)
{
    return worker_begin(w, first, last);
}

int segsieve_next(struct segsieve_worker *w, uint64_t *byte, const uint8_t **bits, uint32_t *len)
{
    int status = worker_next(w, byte, len);
    *bits = w->core.seg;
    if (status != PRIMES_OK)
        *len = 0;
    return status;
}

size_t segsieve_window_bytes(uint64_t first, uint64_t last)
{
    return (size_t)((last - (first - first % 30)) / 30 + 1);
}

int segsieve_window(struct segsieve_worker *w, uint64_t first, uint64_t last, uint8_t *bits, size_t nbytes)
{
    if (first > last || nbytes < segsieve_window_bytes(first, last))
        return PRIMES_EINVAL;
    int status = worker_begin(w, first, last);
    const struct core *cr = &w->core;
    uint32_t len;
    uint64_t seg_start;
    while (status == PRIMES_OK && (status = worker_next(w, &seg_start, &len)) == PRIMES_OK && len)
        memcpy(bits + seg_start, cr->seg, len);
    return status;
}

uint64_t segsieve_window_next(const uint8_t *bits, uint64_t first, uint64_t last, uint64_t v)
{
    for (uint64_t p = 2; p <= 5; p++)
        if (p != 4 && v <= p && first <= p && p <= last)
            return p;
    if (v < 7)
        v = 7;
    if (v > last)
        return 0;
    uint64_t base = first - first % 30;
    uint64_t off = v - base, byte = off / 30, last_byte = (last - base) / 30;
    /* bits of the first byte at or above v's residue */
    uint8_t b = bits[byte];
    unsigned r = (unsigned)(off % 30);
    for (int k = 0; k < 8; k++)
        if (wheel_residue[k] < r)
            b &= (uint8_t)~(1u << k);
    while (!b) {
        if (++byte > last_byte)
            return 0;
        b = bits[byte];
    }
    return base + 30 * byte + wheel_residue[ctz64(b)];
}

uint64_t segsieve_window_prev(const uint8_t *bits, uint64_t first, uint64_t last, uint64_t v)
{
    uint64_t base = first - first % 30;
    if (v >= 7 && v >= first) {
        uint64_t off = v - base, byte = off / 30;
        uint8_t b = bits[byte];
        unsigned r = (unsigned)(off % 30);
        for (int k = 0; k < 8; k++)
            if (wheel_residue[k] > r)
                b &= (uint8_t)~(1u << k);
        for (;;) {
            if (b) {
                int k = 7;
                while (!(b & (1u << k)))
                    k--;
                return base + 30 * byte + wheel_residue[k];
            }
            if (byte == 0)
                break;
            b = bits[--byte];
        }
    }
    for (uint64_t p = 5; p >= 2; p--)
        if (p != 4 && p <= v && first <= p && p <= last)
            return p;
    return 0;
}
