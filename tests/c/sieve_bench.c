/* SPDX-License-Identifier: MIT */
/*
 * sieve_bench.c -- times the segmented sieve engine side by side with
 * primesieve's C library, in one run, each measurement in a child process
 * (so that each peak RSS is its own).  From the repository root:
 *
 *   gcc -O3 -std=c11 -D_GNU_SOURCE -Isrc_c -Itests/c src_c/sieve_segmented.c src_c/test_baseline.c \
 *       src_c/tables.c tests/c/sieve_bench.c -o build/sieve_bench -pthread -lprimesieve -lm
 *   build/sieve_bench [repeats]      # targets S2, S3 and S5 (bench/targets_sieve.py)
 *   build/sieve_bench --costs        # the planner's coefficients
 *
 * Times are the best of `repeats` (default 3), ours and primesieve's taken
 * alternately, so that a loaded machine affects both alike.
 */
#include "sieve_segmented.h"
#include "sieve_threads.h"
#include "test_kernels.h"

/* Values per call of the test kernel in the cost measurement. */
#define BATCH 256

#include <primesieve.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

struct result {
    double seconds;
    uint64_t answer;
    long rss_kib; /* the child's peak RSS */
    double cpu;   /* the child's user + system CPU seconds */
};

enum job { OURS_COUNT, THEIRS_COUNT, OURS_GENERATE, THEIRS_GENERATE };

/* Runs one job in a child process; the child writes its time and answer to
 * a pipe, the parent adds the child's peak RSS. */
static int forced_split;

static struct result run(enum job job, uint64_t first, uint64_t last, int threads)
{
    int fd[2];
    struct result r = {0};
    if (pipe(fd) != 0)
        exit(2);
    pid_t pid = fork();
    if (pid == 0) {
        close(fd[0]);
        double t = now();
        uint64_t answer = 0;
        if (job == OURS_COUNT) {
            struct segsieve_options opt = {.width_hint = last - first};
            struct segsieve_context *ctx;
            if (segsieve_context_create(last, &opt, NULL, &ctx) != PRIMES_OK)
                _exit(3);
            /* Pieces as the planner will size them: about 16 per thread, but
             * each at least 2^27 integers and wide enough that placing its
             * pi(sqrt(last)) sieving primes (~15 ns each) costs at most an
             * eighth of sieving it (~0.25 ns per integer): 500 pi(sqrt(last)).
             * So a window narrow for its height runs as one piece, on one
             * thread, as primesieve also decides.  forced_split: one piece
             * per thread whatever the cost. */
            uint64_t width = last - first, piece = width / (16 * (uint64_t)threads) + 1;
            double sq = __builtin_sqrt((double)last), pis = sq / __builtin_log(sq > 3 ? sq : 3);
            uint64_t floor_piece = (uint64_t)(500.0 * pis);
            if (floor_piece < (UINT64_C(1) << 27))
                floor_piece = UINT64_C(1) << 27;
            if (piece < floor_piece)
                piece = floor_piece;
            if (forced_split)
                piece = width / (uint64_t)threads + 1;
            if (drive_count(ctx, first, last, threads, piece, &answer) != PRIMES_OK)
                _exit(3);
            segsieve_context_destroy(ctx);
        } else if (job == THEIRS_COUNT) {
            primesieve_set_num_threads(threads);
            answer = primesieve_count_primes(first, last);
        } else if (job == OURS_GENERATE) {
            /* as the integrator will: Dusart's bound pi(x) <= x / ln x (1 +
             * 1.2762 / ln x) for x > 1, an array of that size, then a shrink */
            double x = (double)last, lx = __builtin_log(x);
            size_t cap = (size_t)(x / lx * (1 + 1.2762 / lx)) + 16;
            uint64_t *out = malloc(cap * sizeof *out);
            struct segsieve_options opt = {.width_hint = last - first};
            struct segsieve_context *ctx;
            struct segsieve_worker *w;
            size_t n;
            if (!out || segsieve_context_create(last, &opt, NULL, &ctx) != PRIMES_OK
                || segsieve_worker_create(ctx, &w) != PRIMES_OK || segsieve_primes_u64(w, first, last, out, cap, &n) != PRIMES_OK)
                _exit(3);
            segsieve_worker_destroy(w);
            segsieve_context_destroy(ctx);
            out = realloc(out, n * sizeof *out);
            answer = n + (out[n - 1] & 0); /* touch the result */
            free(out);
        } else {
            size_t n;
            uint64_t *out = primesieve_generate_primes(first, last, &n, UINT64_PRIMES);
            answer = n + (out[n - 1] & 0);
            primesieve_free(out);
        }
        double seconds = now() - t;
        if (write(fd[1], &seconds, sizeof seconds) != sizeof seconds || write(fd[1], &answer, 8) != 8)
            _exit(4);
        _exit(0);
    }
    close(fd[1]);
    if (read(fd[0], &r.seconds, sizeof r.seconds) != sizeof r.seconds || read(fd[0], &r.answer, 8) != 8)
        r.seconds = -1;
    close(fd[0]);
    int status;
    struct rusage ru;
    wait4(pid, &status, 0, &ru);
    r.rss_kib = ru.ru_maxrss;
    r.cpu = (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec
            + 1e-6 * (double)ru.ru_stime.tv_usec;
    return r;
}

static void compare(const char *label, enum job ours_job, uint64_t first, uint64_t last, int threads, int repeats,
                    double target)
{
    struct result best_ours = {1e30, 0, 0, 1e30}, best_theirs = {1e30, 0, 0, 1e30};
    double cpu_ours = 1e30, cpu_theirs = 1e30;
    for (int i = 0; i < repeats; i++) {
        struct result a = run(ours_job, first, last, threads);
        struct result b = run(ours_job == OURS_COUNT ? THEIRS_COUNT : THEIRS_GENERATE, first, last, threads);
        if (a.answer != b.answer)
            printf("  MISMATCH: %llu vs primesieve %llu\n", (unsigned long long)a.answer,
                   (unsigned long long)b.answer);
        if (a.seconds < best_ours.seconds)
            best_ours = a;
        if (b.seconds < best_theirs.seconds)
            best_theirs = b;
        cpu_ours = a.cpu < cpu_ours ? a.cpu : cpu_ours;
        cpu_theirs = b.cpu < cpu_theirs ? b.cpu : cpu_theirs;
    }
    double ratio = best_ours.seconds / best_theirs.seconds;
    printf("%-38s t=%d ours %6.3f s (cpu %6.3f) %7ld KiB | primesieve %6.3f s (cpu %6.3f) %7ld KiB | "
           "ratio %.2f, cpu %.2f (target <= %.1f) %s\n",
           label, threads, best_ours.seconds, cpu_ours, best_ours.rss_kib, best_theirs.seconds, cpu_theirs,
           best_theirs.rss_kib, ratio, cpu_ours / cpu_theirs, target, ratio <= target ? "met" : "NOT MET");
}

static double cpu_now(void) /* this thread's CPU time: steadier than the wall clock on a loaded machine */
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* The planner's coefficients, in CPU time of one thread: the time of a
 * narrow window at a height is dominated by placing pi(sqrt) primes; a wide
 * one by sieving. */
static void costs(void)
{
    static const int heights[] = {20, 30, 32, 36, 40, 44, 48, 53, 56, 60, 63, 64};
    printf("%-7s %12s %10s %11s %14s %14s %12s\n", "height", "pi(sqrt)", "ns/prime", "ns/integer", "sieve 1e6 ms",
           "test ns/value", "test 1e6 ms");
    for (size_t i = 0; i < sizeof heights / sizeof heights[0]; i++) {
        uint64_t h = heights[i] == 64 ? UINT64_MAX - (UINT64_C(1) << 32) : UINT64_C(1) << heights[i];
        struct segsieve_context *ctx;
        struct segsieve_worker *w;
        uint64_t c;
        uint64_t top = h + (UINT64_C(1) << 31) < h ? UINT64_MAX : h + (UINT64_C(1) << 31);
        if (segsieve_context_create(top, NULL, NULL, &ctx) != PRIMES_OK || segsieve_worker_create(ctx, &w) != PRIMES_OK)
            exit(3);
        double t0 = cpu_now();
        segsieve_count(w, h, h + 1000, &c); /* placement only, one segment */
        double narrow = cpu_now() - t0;
        t0 = cpu_now();
        segsieve_count(w, h, h + 999999, &c);
        double window = cpu_now() - t0;
        uint64_t wide = heights[i] >= 56 ? UINT64_C(1) << 28 : UINT64_C(1) << 30;
        t0 = cpu_now();
        segsieve_count(w, h, h + wide - 1, &c);
        double big = cpu_now() - t0;
        uint64_t sq = (uint64_t)__builtin_sqrt((double)(h + wide));
        uint64_t pis = primesieve_count_primes(0, sq);
        /* the per-element test (today's batched kernel) on the same consecutive values */
        uint64_t values[BATCH];
        uint8_t res[BATCH];
        uint64_t found = 0;
        t0 = cpu_now();
        for (uint64_t v = h; v < h + 100 * BATCH; v += BATCH) {
            for (int k = 0; k < BATCH; k++)
                values[k] = v + (uint64_t)k;
            classify_u64_baseline(values, BATCH, res);
            for (int k = 0; k < BATCH; k++)
                found += res[k];
        }
        double test = (cpu_now() - t0) / (100.0 * BATCH);
        printf("2^%-5d %12llu %10.2f %11.3f %14.3f %14.2f %12.1f\n", heights[i], (unsigned long long)pis,
               1e9 * narrow / (double)(pis ? pis : 1), 1e9 * (big - narrow) / (double)wide, 1e3 * window,
               1e9 * test + 0 * (double)found, 1e3 * test * 1e6);
        segsieve_worker_destroy(w);
        segsieve_context_destroy(ctx);
    }
}

int main(int argc, char **argv)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    if (argc > 1 && strcmp(argv[1], "--costs") == 0) {
        costs();
        return 0;
    }
    int repeats = argc > 1 ? atoi(argv[1]) : 3;
    const uint64_t p40 = UINT64_C(1) << 40, p63 = UINT64_C(1) << 63;
    compare("S2 count [0, 10^10)", OURS_COUNT, 0, UINT64_C(9999999999), 2, repeats, 1.5);
    compare("   count [0, 10^10)", OURS_COUNT, 0, UINT64_C(9999999999), 1, repeats, 1.5);
    compare("S3 count [2^40, 2^40 + 10^9)", OURS_COUNT, p40, p40 + UINT64_C(999999999), 2, repeats, 1.5);
    compare("S3 count [2^63, 2^63 + 10^8)", OURS_COUNT, p63, p63 + UINT64_C(99999999), 2, repeats, 1.5);
    forced_split = 1;
    compare("   same, forced into 2 pieces", OURS_COUNT, p63, p63 + UINT64_C(99999999), 2, repeats, 1.5);
    forced_split = 0;
    compare("S5 generate [0, 10^9) into an array", OURS_GENERATE, 0, UINT64_C(999999999), 1, repeats, 2.0);
    return 0;
}
