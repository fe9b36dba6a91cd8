/* SPDX-License-Identifier: MIT */
/*
 * flint_is_prime.c -- FLINT's n_is_prime on an array, timed per core: the
 * scalar anchor of the E targets (bench/targets_engine.py builds and runs it).
 *
 *   cc -O2 flint_is_prime.c -o flint_is_prime -L DIR -l:libflint.so... -Wl,-rpath,DIR
 *   ./flint_is_prime VALUES.u64 REPEATS
 *
 * VALUES.u64 holds the values as native uint64.  Each repeat calls
 * n_is_prime on every value in order, on this one thread; prints the FLINT
 * version, the primes counted and the best repeat's CPU seconds (the
 * process's CPU time: on a shared machine, wall time also counts the time
 * other processes hold the core):
 *   flint 3.6.0 primes 47667 seconds 0.0351
 *
 * The prototype is declared here rather than taken from a header:
 * `int n_is_prime(ulong)` is the same in FLINT 2.9 and 3.x (ulong is
 * unsigned long, 64 bits on Linux), so the bench can link the FLINT 3
 * library that python-flint's wheel bundles without FLINT 3's headers.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

int n_is_prime(unsigned long n);
extern char flint_version[];

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s VALUES.u64 REPEATS\n", argv[0]);
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    if (!f || fseek(f, 0, SEEK_END) != 0) {
        perror(argv[1]);
        return 2;
    }
    long bytes = ftell(f);
    rewind(f);
    size_t n = (size_t)bytes / sizeof(uint64_t);
    uint64_t *values = malloc(n * sizeof *values + 1);
    if (!values || fread(values, sizeof *values, n, f) != n) {
        perror("read");
        return 2;
    }
    fclose(f);
    int repeats = atoi(argv[2]);
    double best = -1;
    unsigned long count = 0;
    for (int r = 0; r < (repeats > 0 ? repeats : 1); r++) {
        double start = now();
        unsigned long c = 0;
        for (size_t i = 0; i < n; i++)
            c += (unsigned long)n_is_prime((unsigned long)values[i]);
        double seconds = now() - start;
        if (best < 0 || seconds < best)
            best = seconds;
        count = c;
    }
    printf("flint %s primes %lu seconds %.9f\n", flint_version, count, best);
    free(values);
    return 0;
}
