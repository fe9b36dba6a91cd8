/*
 * primes.c -- array kernels and their POSIX-thread dispatch.
 *
 * Everything here is static except the primes_* entry points declared in
 * primes.h.  A call keeps its whole state in a `struct task` on the caller's
 * stack (plus one heap block for the per-thread slots), so concurrent calls
 * share nothing.
 */
#define PRIMES_BUILDING 1
#include "primes.h"
#include "isprime.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Elements handed out per atomic fetch: large enough that the counter is
 * touched rarely, small enough that threads finish within a few hundred
 * microseconds of each other (larger values cost more, so static slices
 * would leave threads idle). */
#define CHUNK_ELEMENTS ((size_t)8192)
/* A thread is only worth starting for at least this many elements: starting
 * and joining one costs tens of microseconds. */
#define MIN_ELEMENTS_PER_THREAD ((size_t)32768)
/* Upper bound on threads per call, whatever the caller asks for. */
#define MAX_THREADS 1024

enum element_kind { KIND_INT32, KIND_UINT32, KIND_INT64, KIND_UINT64 };

/* Each thread's partial count sits on its own cache line so that threads
 * never write to a line another thread is using. */
struct thread_slot {
    _Alignas(64) uint64_t count;
    struct task *task;
    pthread_t handle;
};

struct task {
    const void *a;
    size_t n;
    uint8_t *out; /* NULL when counting */
    enum element_kind kind;
    atomic_size_t next; /* first element of the next chunk to hand out */
    atomic_int abort;   /* set when the call fails half-way */
};

/* Classifies a[lo, hi); writes out[] when the task has one; returns the number
 * of primes.  One loop per element kind so that each compiles tightly. */
#define DEFINE_RANGE_KERNEL(NAME, TYPE, TO_U64)                                   \
    static uint64_t NAME(const TYPE *a, uint8_t *out, size_t lo, size_t hi)      \
    {                                                                            \
        uint64_t count = 0;                                                      \
        if (out) {                                                               \
            for (size_t i = lo; i < hi; i++) {                                   \
                int p = is_prime_u64(TO_U64(a[i]));                              \
                out[i] = (uint8_t)p;                                             \
                count += (uint64_t)p;                                            \
            }                                                                    \
        } else {                                                                 \
            for (size_t i = lo; i < hi; i++)                                     \
                count += (uint64_t)is_prime_u64(TO_U64(a[i]));                   \
        }                                                                        \
        return count;                                                            \
    }

/* Negative values are not prime; mapping them to 0 keeps one test. */
#define SIGNED_TO_U64(x) ((x) < 0 ? UINT64_C(0) : (uint64_t)(x))
#define UNSIGNED_TO_U64(x) ((uint64_t)(x))

DEFINE_RANGE_KERNEL(range_int32, int32_t, SIGNED_TO_U64)
DEFINE_RANGE_KERNEL(range_uint32, uint32_t, UNSIGNED_TO_U64)
DEFINE_RANGE_KERNEL(range_int64, int64_t, SIGNED_TO_U64)
DEFINE_RANGE_KERNEL(range_uint64, uint64_t, UNSIGNED_TO_U64)

static uint64_t run_range(const struct task *t, size_t lo, size_t hi)
{
    switch (t->kind) {
    case KIND_INT32:
        return range_int32((const int32_t *)t->a, t->out, lo, hi);
    case KIND_UINT32:
        return range_uint32((const uint32_t *)t->a, t->out, lo, hi);
    case KIND_INT64:
        return range_int64((const int64_t *)t->a, t->out, lo, hi);
    case KIND_UINT64:
        return range_uint64((const uint64_t *)t->a, t->out, lo, hi);
    }
    return 0;
}

/* Takes chunks from the shared counter until none is left. */
static void *worker(void *arg)
{
    struct thread_slot *slot = arg;
    struct task *t = slot->task;
    uint64_t count = 0;
    for (;;) {
        if (atomic_load_explicit(&t->abort, memory_order_relaxed))
            break;
        size_t lo = atomic_fetch_add_explicit(&t->next, CHUNK_ELEMENTS, memory_order_relaxed);
        if (lo >= t->n)
            break;
        size_t hi = t->n - lo < CHUNK_ELEMENTS ? t->n : lo + CHUNK_ELEMENTS;
        count += run_range(t, lo, hi);
    }
    slot->count = count;
    return NULL;
}

static int threads_for(size_t n, int threads)
{
    size_t useful = n / MIN_ELEMENTS_PER_THREAD;
    size_t cap = threads > MAX_THREADS ? MAX_THREADS : (size_t)threads;
    if (useful < 1)
        useful = 1;
    return (int)(useful < cap ? useful : cap);
}

static int run_task(const void *a, size_t n, int threads, enum element_kind kind,
                    uint8_t *out, uint64_t *count)
{
    if (threads < 1 || (n > 0 && (a == NULL || (out == NULL && count == NULL))))
        return PRIMES_EINVAL;

    struct task t = {.a = a, .n = n, .out = out, .kind = kind};
    atomic_init(&t.next, 0);
    atomic_init(&t.abort, 0);

    int nthreads = threads_for(n, threads);
    if (nthreads == 1) {
        uint64_t c = run_range(&t, 0, n);
        if (count)
            *count = c;
        return PRIMES_OK;
    }

    struct thread_slot *slots = aligned_alloc(64, sizeof(struct thread_slot) * (size_t)nthreads);
    if (!slots)
        return PRIMES_ENOMEM;

    /* Workers inherit the signal mask: block everything so that signals such
     * as SIGINT are delivered to the caller's thread, never to ours. */
    sigset_t all, previous;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &previous);
    int started = 1; /* slot 0 is the calling thread */
    int status = PRIMES_OK;
    for (int i = 1; i < nthreads; i++) {
        slots[i].task = &t;
        slots[i].count = 0;
        if (pthread_create(&slots[i].handle, NULL, worker, &slots[i]) != 0) {
            status = PRIMES_ETHREAD;
            atomic_store(&t.abort, 1);
            break;
        }
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &previous, NULL);

    slots[0].task = &t;
    worker(&slots[0]);
    uint64_t total = slots[0].count;
    for (int i = 1; i < started; i++) {
        pthread_join(slots[i].handle, NULL);
        total += slots[i].count;
    }
    free(slots);
    if (status == PRIMES_OK && count)
        *count = total;
    return status;
}

PRIMES_API int primes_abi_version(void)
{
    return PRIMES_ABI_VERSION;
}

#define DEFINE_ENTRY_POINTS(SUFFIX, TYPE, KIND)                                          \
    PRIMES_API int primes_count_##SUFFIX(const TYPE *a, size_t n, int threads,           \
                                         uint64_t *count)                               \
    {                                                                                   \
        if (count == NULL)                                                              \
            return PRIMES_EINVAL;                                                       \
        return run_task(a, n, threads, KIND, NULL, count);                              \
    }                                                                                   \
    PRIMES_API int primes_is_prime_##SUFFIX(const TYPE *a, size_t n, int threads,        \
                                            uint8_t *out)                               \
    {                                                                                   \
        if (out == NULL && n > 0)                                                       \
            return PRIMES_EINVAL;                                                       \
        return run_task(a, n, threads, KIND, out, NULL);                                \
    }

DEFINE_ENTRY_POINTS(int32, int32_t, KIND_INT32)
DEFINE_ENTRY_POINTS(uint32, uint32_t, KIND_UINT32)
DEFINE_ENTRY_POINTS(int64, int64_t, KIND_INT64)
DEFINE_ENTRY_POINTS(uint64, uint64_t, KIND_UINT64)
