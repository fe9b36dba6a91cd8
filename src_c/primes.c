/* SPDX-License-Identifier: MIT */
/*
 * primes.c -- the two engines, the planner and the POSIX-thread dispatch.
 *
 * Everything here is static except the primes_* entry points declared in
 * primes.h.  A call keeps its whole state in a `struct task` on the caller's
 * stack plus heap blocks it frees before returning, so concurrent calls share
 * nothing.  See src_c/README.md for the algorithms.
 */
#define PRIMES_BUILDING 1
#include "primes.h"
#include "isprime.h"
#include "fault_injection.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

/* A thread is only worth starting for this many elements: starting and
 * joining one costs tens of microseconds. */
#define MIN_ELEMENTS_PER_THREAD ((size_t)32768)
/* Below this many elements the planner is skipped: the test is used. */
#define PLANNER_MIN_ELEMENTS ((size_t)4096)
/* Chunks handed out by the atomic counter hold between these many elements:
 * enough that the counter is touched rarely, few enough that threads finish
 * close together (larger values cost more, so static slices are unbalanced). */
#define CHUNK_MIN ((size_t)8192)
#define CHUNK_MAX ((size_t)65536)
/* Bytes of a sieve window (one byte per odd number), per thread: the window
 * covers 2 * WINDOW_BYTES consecutive integers and stays in the L2 cache. */
#define WINDOW_BYTES ((size_t)1 << 16)
#define WINDOW_SPAN ((uint64_t)2 * WINDOW_BYTES)
/* Upper bound on threads per call, whatever the caller asks for. */
#define MAX_THREADS 1024

#define TWO_POW_32 (UINT64_C(1) << 32)

enum element_kind { KIND_INT32, KIND_UINT32, KIND_INT64, KIND_UINT64 };

/* Each thread's partial count sits on its own cache line. */
struct thread_slot {
    _Alignas(64) uint64_t count;
    struct task *task;
    uint8_t *window;
    pthread_t handle;
};

struct task {
    const void *a;
    size_t n;
    uint8_t *out; /* NULL when counting */
    enum element_kind kind;
    int method;
    const int *cancel; /* may be NULL */
    size_t chunk;
    /* Phase of a bucketed sieve (see run_bucketed); 0 for the chunked path. */
    int phase;
    uint64_t sieve_lo;       /* bucketed: the first (odd) number sieved */
    size_t segments;         /* bucketed: number of segments */
    const size_t *bucket_start; /* bucketed: first index of each segment's bucket */
    const size_t *bucket_items; /* bucketed: element indices grouped by segment */
    atomic_size_t next;  /* first element (or segment) of the next chunk */
    atomic_int status;   /* PRIMES_OK, or why the call stops early */
    atomic_ullong min_small, max_small; /* phase 1 of a bucketed sieve */
    atomic_size_t small_count;          /* phase 1: values below 2^32 */
};

/* ---- sieving ---------------------------------------------------------- */

/* marks[i] = 1 if lo + 2i is prime, else 0, for i < count; lo odd and
 * lo + 2 (count - 1) < 65537^2, so the odd primes below 2^16 suffice. */
static void sieve_odd_window(uint64_t lo, size_t count, uint8_t *marks)
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

/* Number of sieving primes p with p * p <= x, for x < 2^32. */
static size_t sieving_primes_needed(uint64_t x)
{
    size_t lo = 0, hi = SIEVING_PRIME_COUNT;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint64_t p = sieving_primes[mid];
        if (p * p <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

/* The cost model, in rough nanoseconds on one core: sieving a window costs a
 * division per sieving prime and a byte store per odd number crossed out; the
 * per-element test costs about 12 ns on average for 32-bit values (most are
 * rejected by the trial division, a prime costs about 100 ns). */
static int window_is_cheaper(size_t elements, uint64_t min, uint64_t max)
{
    uint64_t span = max - min + 1;
    double sieve = 6.0 * (double)sieving_primes_needed(max) + 0.6 * (double)span + 1.0 * (double)elements;
    double test = 12.0 * (double)elements;
    return sieve < test;
}

/* ---- per-kind kernels ---------------------------------------------------- */

/* Negative values are not prime; mapping them to 0 keeps one code path. */
#define SIGNED_TO_U64(x) ((x) < 0 ? UINT64_C(0) : (uint64_t)(x))
#define UNSIGNED_TO_U64(x) ((uint64_t)(x))

/* For each element kind: a scan for min, max and whether the values run
 * consecutively (a[i + 1] == a[i] + 1); the per-element test over a range in
 * batches; and answers from a sieved window.  The last two write out[] when
 * the task has one and return the number of primes. */
#define DEFINE_KIND_KERNELS(SUFFIX, TYPE, UTYPE, TO_U64)                                          \
    static int scan_##SUFFIX(const TYPE *a, size_t lo, size_t hi, uint64_t *min, uint64_t *max) \
    {                                                                                       \
        /* First the cheap, vectorisable check for a run first, first + 1, ... (in   */   \
        /* unsigned arithmetic, so a run that wraps around is caught by first > last). */ \
        UTYPE first = (UTYPE)a[lo], mismatch = 0;                                           \
        for (size_t i = lo; i < hi; i++)                                                    \
            mismatch |= (UTYPE)a[i] ^ (UTYPE)(first + (UTYPE)(i - lo));                     \
        if (mismatch == 0 && a[lo] <= a[hi - 1]) {                                          \
            *min = TO_U64(a[lo]);                                                           \
            *max = TO_U64(a[hi - 1]);                                                       \
            return 1;                                                                       \
        }                                                                                   \
        uint64_t mn = UINT64_MAX, mx = 0;                                                   \
        for (size_t i = lo; i < hi; i++) {                                                  \
            uint64_t v = TO_U64(a[i]);                                                      \
            mn = v < mn ? v : mn;                                                           \
            mx = v > mx ? v : mx;                                                           \
        }                                                                                   \
        *min = mn;                                                                          \
        *max = mx;                                                                          \
        return 0;                                                                           \
    }                                                                                       \
    static uint64_t test_##SUFFIX(const TYPE *a, uint8_t *out, size_t lo, size_t hi)         \
    {                                                                                       \
        uint64_t values[BATCH];                                                             \
        uint8_t result[BATCH];                                                              \
        uint64_t count = 0;                                                                 \
        for (size_t start = lo; start < hi; start += BATCH) {                               \
            size_t m = hi - start < BATCH ? hi - start : BATCH;                             \
            for (size_t k = 0; k < m; k++)                                                  \
                values[k] = TO_U64(a[start + k]);                                           \
            classify_batch(values, m, result);                                              \
            for (size_t k = 0; k < m; k++)                                                  \
                count += result[k];                                                         \
            if (out)                                                                        \
                memcpy(out + start, result, m);                                             \
        }                                                                                   \
        return count;                                                                       \
    }                                                                                       \
    /* marks[j] tells whether base + 2j + 1 is prime; base is even, every value lies in   \
     * [base, base + 2 * WINDOW_BYTES), so (v - base) / 2 indexes marks for any v. */      \
    static uint64_t window_##SUFFIX(const TYPE *a, uint8_t *out, size_t lo, size_t hi,        \
                                    uint64_t base, const uint8_t *marks)                    \
    {                                                                                       \
        uint64_t count = 0;                                                                 \
        if (out) {                                                                          \
            for (size_t i = lo; i < hi; i++) {                                              \
                uint64_t v = TO_U64(a[i]);                                                  \
                uint8_t p = (uint8_t)((marks[(v - base) >> 1] & (v & 1u)) | (v == 2));     \
                out[i] = p;                                                                 \
                count += p;                                                                 \
            }                                                                               \
        } else {                                                                            \
            for (size_t i = lo; i < hi; i++) {                                              \
                uint64_t v = TO_U64(a[i]);                                                  \
                count += (marks[(v - base) >> 1] & (v & 1u)) | (v == 2);                   \
            }                                                                               \
        }                                                                                   \
        return count;                                                                       \
    }

DEFINE_KIND_KERNELS(int32, int32_t, uint32_t, SIGNED_TO_U64)
DEFINE_KIND_KERNELS(uint32, uint32_t, uint32_t, UNSIGNED_TO_U64)
DEFINE_KIND_KERNELS(int64, int64_t, uint64_t, SIGNED_TO_U64)
DEFINE_KIND_KERNELS(uint64, uint64_t, uint64_t, UNSIGNED_TO_U64)

#define DISPATCH_KIND(t, NAME, ...)                                          \
    ((t)->kind == KIND_INT32    ? NAME##_int32((const int32_t *)(t)->a, __VA_ARGS__)   \
     : (t)->kind == KIND_UINT32 ? NAME##_uint32((const uint32_t *)(t)->a, __VA_ARGS__) \
     : (t)->kind == KIND_INT64  ? NAME##_int64((const int64_t *)(t)->a, __VA_ARGS__)   \
                                : NAME##_uint64((const uint64_t *)(t)->a, __VA_ARGS__))

static uint64_t element_value(const struct task *t, size_t i)
{
    switch (t->kind) {
    case KIND_INT32:
        return SIGNED_TO_U64(((const int32_t *)t->a)[i]);
    case KIND_UINT32:
        return ((const uint32_t *)t->a)[i];
    case KIND_INT64:
        return SIGNED_TO_U64(((const int64_t *)t->a)[i]);
    case KIND_UINT64:
        return ((const uint64_t *)t->a)[i];
    }
    return 0;
}

/* ---- the chunked path: each chunk picks the window sieve or the test ---- */

/* The number of primes among the consecutive integers min..max, from a window
 * sieved from base = min rounded down to even. */
static uint64_t count_run(uint64_t min, uint64_t max, uint64_t base, const uint8_t *marks)
{
    uint64_t count = min <= 2 && 2 <= max;
    if (max > base) {
        size_t end = (size_t)((max - base - 1) >> 1) + 1; /* past the last odd number <= max */
        size_t j = 0;
        /* Eight 0/1 bytes at a time: multiplying by 0x0101...01 adds them all
         * into the top byte (at most 8, so nothing carries out). */
        for (; j + 8 <= end; j += 8) {
            uint64_t word;
            memcpy(&word, marks + j, 8);
            count += (word * UINT64_C(0x0101010101010101)) >> 56;
        }
        for (; j < end; j++)
            count += marks[j];
    }
    return count;
}

static uint64_t process_chunk(const struct task *t, size_t lo, size_t hi, uint8_t *window)
{
    if (t->method != PRIMES_METHOD_TEST && window) {
        uint64_t min, max;
        int consecutive = DISPATCH_KIND(t, scan, lo, hi, &min, &max);
        if (max < TWO_POW_32 && max >= SMALL_LIMIT && max - min < WINDOW_SPAN - 2
            && (t->method == PRIMES_METHOD_SIEVE || window_is_cheaper(hi - lo, min, max))) {
            uint64_t base = min & ~UINT64_C(1);
            sieve_odd_window(base + 1, (size_t)((max - base) / 2 + 1), window);
            if (consecutive && !t->out)
                return count_run(min, max, base, window);
            return DISPATCH_KIND(t, window, t->out, lo, hi, base, window);
        }
    }
    return DISPATCH_KIND(t, test, t->out, lo, hi);
}

/* ---- the bucketed sieve: the elements below 2^32, grouped by segment ---- */

static int cancelled(const struct task *t)
{
    return t->cancel && __atomic_load_n(t->cancel, __ATOMIC_RELAXED);
}

/* Phase 1, per chunk: the min and max of the values below 2^32 (the sieve
 * never covers the others) and how many there are. */
static void bucketed_phase1(struct task *t, size_t lo, size_t hi)
{
    uint64_t mn = UINT64_MAX, mx = 0;
    size_t small = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t v = element_value(t, i);
        if (v < TWO_POW_32) {
            mn = v < mn ? v : mn;
            mx = v > mx ? v : mx;
            small++;
        }
    }
    atomic_fetch_add(&t->small_count, small);
    unsigned long long seen = atomic_load(&t->min_small);
    while (mn < seen && !atomic_compare_exchange_weak(&t->min_small, &seen, mn)) {
    }
    seen = atomic_load(&t->max_small);
    while (mx > seen && !atomic_compare_exchange_weak(&t->max_small, &seen, mx)) {
    }
}

/* Phase 3, per chunk: the per-element test for the values >= 2^32. */
static uint64_t bucketed_phase3(struct task *t, size_t lo, size_t hi)
{
    uint64_t count = 0;
    for (size_t i = lo; i < hi; i++) {
        uint64_t v = element_value(t, i);
        if (v >= TWO_POW_32) {
            int p = is_prime_u64(v);
            if (t->out)
                t->out[i] = (uint8_t)p;
            count += (uint64_t)p;
        }
    }
    return count;
}

/* Phase 2, per segment: sieve it, answer the elements of its bucket. */
static uint64_t bucketed_phase2(struct task *t, size_t segment, uint8_t *window)
{
    uint64_t seg_lo = t->sieve_lo + segment * WINDOW_SPAN;
    size_t first = t->bucket_start[segment], last = t->bucket_start[segment + 1];
    if (first == last)
        return 0;
    sieve_odd_window(seg_lo, WINDOW_BYTES, window);
    uint64_t count = 0;
    for (size_t k = first; k < last; k++) {
        size_t i = t->bucket_items[k];
        uint64_t v = element_value(t, i);
        int p;
        if (v < seg_lo) /* 0, 1 or 2 below an odd sieve_lo */
            p = v == 2;
        else
            p = (v & 1u) ? window[(v - seg_lo) >> 1] : (v == 2);
        if (t->out)
            t->out[i] = (uint8_t)p;
        count += (uint64_t)p;
    }
    return count;
}

/* ---- threads ----------------------------------------------------------- */

/* Takes chunks (or segments) from the shared counter until none is left. */
static void *worker(void *arg)
{
    struct thread_slot *slot = arg;
    struct task *t = slot->task;
    uint64_t count = 0;
    size_t total = t->phase == 2 ? t->segments : t->n;
    size_t step = t->phase == 2 ? 1 : t->chunk;
    for (;;) {
        if (atomic_load_explicit(&t->status, memory_order_relaxed) != PRIMES_OK)
            break;
        if (cancelled(t)) {
            atomic_store(&t->status, PRIMES_ECANCELLED);
            break;
        }
        size_t lo = atomic_fetch_add_explicit(&t->next, step, memory_order_relaxed);
        if (lo >= total)
            break;
        size_t hi = total - lo < step ? total : lo + step;
        if (t->phase == 1)
            bucketed_phase1(t, lo, hi);
        else if (t->phase == 3)
            count += bucketed_phase3(t, lo, hi);
        else if (t->phase == 2)
            count += bucketed_phase2(t, lo, slot->window);
        else
            count += process_chunk(t, lo, hi, slot->window);
    }
    slot->count += count;
    return NULL;
}

/* Runs the task's current phase on `nthreads` threads (the caller is one of
 * them); adds each thread's count to its slot. */
static void run_phase(struct task *t, struct thread_slot *slots, int nthreads)
{
    atomic_store(&t->next, 0);
    if (nthreads == 1) {
        worker(&slots[0]);
        return;
    }
    /* Workers inherit the signal mask: block everything so that signals such
     * as SIGINT reach the caller's thread, never ours. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int started = 1;
    for (int i = 1; i < nthreads; i++) {
        if (PRIMES_PTHREAD_CREATE(&slots[i].handle, NULL, worker, &slots[i]) != 0) {
            atomic_store(&t->status, PRIMES_ETHREAD);
            break;
        }
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);
    worker(&slots[0]);
    for (int i = 1; i < started; i++)
        pthread_join(slots[i].handle, NULL);
}

static int threads_for(size_t n, int threads)
{
    size_t useful = n / MIN_ELEMENTS_PER_THREAD;
    size_t cap = threads > MAX_THREADS ? MAX_THREADS : (size_t)threads;
    if (useful < 1)
        useful = 1;
    return (int)(useful < cap ? useful : cap);
}

/* The planner's global choice: group the elements by segment when the values
 * below 2^32 are dense in their range but not ordered (or when the caller
 * forces the sieve), so that each segment is sieved once. */
static int want_bucketed(const struct task *t, uint64_t min, uint64_t max, size_t small_elements)
{
    if (max < min || max < SMALL_LIMIT)
        return 0; /* nothing below 2^32, or the bit table answers everything */
    if (t->method == PRIMES_METHOD_SIEVE)
        return 1;
    uint64_t span = max - min + 1;
    /* sieving costs ~0.6 ns per integer plus ~6 ns per element for bucketing
     * and scattered reads; the test ~12 ns per element. */
    return 0.6 * (double)span + 6.0 * (double)small_elements < 12.0 * (double)small_elements;
}

static int run_bucketed(struct task *t, struct thread_slot *slots, int nthreads)
{
    uint64_t min = atomic_load(&t->min_small), max = atomic_load(&t->max_small);
    uint64_t sieve_lo = min | 1u;
    if (sieve_lo > max)
        sieve_lo = max | 1u; /* a single even value */
    t->sieve_lo = sieve_lo;
    t->segments = (size_t)((max - sieve_lo + 1) / WINDOW_SPAN + 1);
    size_t *start = PRIMES_CALLOC(t->segments + 1, sizeof(size_t));
    if (!start)
        return PRIMES_ENOMEM;
    /* Count, then place: a counting sort of the element indices by segment. */
    size_t small = 0;
    for (size_t i = 0; i < t->n; i++) {
        uint64_t v = element_value(t, i);
        if (v < TWO_POW_32) {
            size_t segment = v < sieve_lo ? 0 : (size_t)((v - sieve_lo) / WINDOW_SPAN);
            start[segment + 1]++;
            small++;
        }
    }
    size_t *items = PRIMES_MALLOC((small ? small : 1) * sizeof(size_t));
    if (!items) {
        PRIMES_FREE(start);
        return PRIMES_ENOMEM;
    }
    for (size_t s = 0; s < t->segments; s++)
        start[s + 1] += start[s];
    size_t *fill = PRIMES_MALLOC(t->segments * sizeof(size_t));
    if (!fill) {
        PRIMES_FREE(items);
        PRIMES_FREE(start);
        return PRIMES_ENOMEM;
    }
    memcpy(fill, start, t->segments * sizeof(size_t));
    for (size_t i = 0; i < t->n; i++) {
        uint64_t v = element_value(t, i);
        if (v < TWO_POW_32) {
            size_t segment = v < sieve_lo ? 0 : (size_t)((v - sieve_lo) / WINDOW_SPAN);
            items[fill[segment]++] = i;
        }
    }
    PRIMES_FREE(fill);
    t->bucket_start = start;
    t->bucket_items = items;
    if (small < t->n) {
        t->phase = 3;
        run_phase(t, slots, nthreads);
    }
    if (atomic_load(&t->status) == PRIMES_OK) {
        t->phase = 2;
        int used = t->segments < (size_t)nthreads ? (int)t->segments : nthreads;
        run_phase(t, slots, used);
    }
    PRIMES_FREE(items);
    PRIMES_FREE(start);
    return atomic_load(&t->status);
}

static int run_task(const void *a, size_t n, int threads, int method, const int *cancel,
                    enum element_kind kind, uint8_t *out, uint64_t *count)
{
    if (threads < 1 || method < PRIMES_METHOD_AUTO || method > PRIMES_METHOD_TEST
        || (n > 0 && a == NULL))
        return PRIMES_EINVAL;
    if (cancel && __atomic_load_n(cancel, __ATOMIC_RELAXED))
        return PRIMES_ECANCELLED;

    struct task t = {.a = a, .n = n, .out = out, .kind = kind, .method = method, .cancel = cancel};
    atomic_init(&t.next, 0);
    atomic_init(&t.status, PRIMES_OK);
    atomic_init(&t.min_small, UINT64_MAX);
    atomic_init(&t.max_small, 0);
    atomic_init(&t.small_count, 0);

    /* Small inputs: the test on this thread, no planning, no allocation. */
    if (n < PLANNER_MIN_ELEMENTS || (method == PRIMES_METHOD_TEST && threads == 1)) {
        uint64_t c = DISPATCH_KIND(&t, test, out, 0, n);
        if (count)
            *count = c;
        return PRIMES_OK;
    }

    int nthreads = threads_for(n, threads);
    /* About 32 chunks per thread: the last chunks to finish leave at most
     * 1/32 of the work unbalanced. */
    size_t chunk = n / ((size_t)nthreads * 32);
    t.chunk = chunk < CHUNK_MIN ? CHUNK_MIN : chunk > CHUNK_MAX ? CHUNK_MAX : chunk;

    struct thread_slot *slots = PRIMES_ALIGNED_ALLOC(64, sizeof(struct thread_slot) * (size_t)nthreads);
    uint8_t *windows = method == PRIMES_METHOD_TEST ? NULL : PRIMES_MALLOC(WINDOW_BYTES * (size_t)nthreads);
    if (!slots || (method != PRIMES_METHOD_TEST && !windows)) {
        PRIMES_FREE(slots);
        PRIMES_FREE(windows);
        return PRIMES_ENOMEM;
    }
    for (int i = 0; i < nthreads; i++) {
        slots[i].count = 0;
        slots[i].task = &t;
        slots[i].window = windows ? windows + WINDOW_BYTES * (size_t)i : NULL;
    }

    /* The planner: if the first chunk's values are close together the input
     * is locally dense (a range, sorted data) and each chunk decides for
     * itself; otherwise look at all values' min and max first. */
    int bucketed = 0;
    if (method != PRIMES_METHOD_TEST) {
        uint64_t min, max;
        DISPATCH_KIND(&t, scan, 0, t.chunk < n ? t.chunk : n, &min, &max);
        int locally_dense = max - min < WINDOW_SPAN - 1;
        /* A first chunk with no value below 2^32 (random 64-bit data) makes
         * the sieve hopeless in auto mode: skip the extra pass. */
        int all_large = min >= TWO_POW_32;
        if (!locally_dense && (method == PRIMES_METHOD_SIEVE || !all_large)) {
            t.phase = 1;
            run_phase(&t, slots, nthreads);
            bucketed = atomic_load(&t.status) == PRIMES_OK
                       && want_bucketed(&t, atomic_load(&t.min_small), atomic_load(&t.max_small),
                                        atomic_load(&t.small_count));
            t.phase = 0;
        }
    }
    int status = atomic_load(&t.status);
    if (status == PRIMES_OK) {
        if (bucketed)
            status = run_bucketed(&t, slots, nthreads);
        else {
            run_phase(&t, slots, nthreads);
            status = atomic_load(&t.status);
        }
    }
    uint64_t total = 0;
    for (int i = 0; i < nthreads; i++)
        total += slots[i].count;
    PRIMES_FREE(windows);
    PRIMES_FREE(slots);
    if (status == PRIMES_OK && count)
        *count = total;
    return status;
}

PRIMES_API int primes_abi_version(void)
{
    return PRIMES_ABI_VERSION;
}

#define DEFINE_ENTRY_POINTS(SUFFIX, TYPE, KIND)                                              \
    PRIMES_API int primes_count_##SUFFIX(const TYPE *a, size_t n, int threads, int method,   \
                                         const int *cancel, uint64_t *count)                \
    {                                                                                       \
        if (count == NULL)                                                                  \
            return PRIMES_EINVAL;                                                           \
        return run_task(a, n, threads, method, cancel, KIND, NULL, count);                  \
    }                                                                                       \
    PRIMES_API int primes_is_prime_##SUFFIX(const TYPE *a, size_t n, int threads, int method, \
                                            const int *cancel, uint8_t *out)                \
    {                                                                                       \
        if (out == NULL && n > 0)                                                           \
            return PRIMES_EINVAL;                                                           \
        return run_task(a, n, threads, method, cancel, KIND, out, NULL);                    \
    }

DEFINE_ENTRY_POINTS(int32, int32_t, KIND_INT32)
DEFINE_ENTRY_POINTS(uint32, uint32_t, KIND_UINT32)
DEFINE_ENTRY_POINTS(int64, int64_t, KIND_INT64)
DEFINE_ENTRY_POINTS(uint64, uint64_t, KIND_UINT64)
