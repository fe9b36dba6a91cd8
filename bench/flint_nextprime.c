/* SPDX-License-Identifier: MIT */
/*
 * flint_nextprime.c -- the FLINT side of targets N1 and N2 (bench/targets_next.py):
 * n_nextprime in a plain C loop on one core, the way a C user of FLINT would
 * call it per element.  FLINT has no n_prevprime: "prev" walks down the
 * numbers prime to 6 with n_is_probabprime, FLINT's own test (as n_nextprime
 * walks up the wheel of 30 with it).
 *
 *   flint_nextprime next|prev VALUES.u64 ROUNDS
 *
 * VALUES.u64: native-endian uint64 values.  Prints the best of ROUNDS, in
 * nanoseconds per element of wall time and of this process's CPU time (the
 * fairer figure per core on a loaded machine), and a checksum of the answers (the sum mod 2^64)
 * so that the caller can check them against the primes package's.
 * Built by targets_next.py against the libflint bundled in python-flint's
 * wheel, with the headers of the system's FLINT (Debian libflint-dev).
 */
#include <flint/ulong_extras.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* The largest prime below n (n >= 3). */
static ulong prev_prime(ulong n)
{
    if (n <= 3)
        return 2;
    if (n <= 5)
        return 3;
    ulong c = n - 1;
    while (c % 6 != 1 && c % 6 != 5)
        c--;
    for (;;) {
        if (n_is_probabprime(c))
            return c;
        c -= c % 6 == 1 ? 2 : 4;
    }
}

static double now(clockid_t clock)
{
    struct timespec t;
    clock_gettime(clock, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int main(int argc, char **argv)
{
    if (argc != 4)
        return 2;
    int up = strcmp(argv[1], "next") == 0;
    FILE *f = fopen(argv[2], "rb");
    if (!f)
        return 2;
    fseek(f, 0, SEEK_END);
    long bytes = ftell(f);
    fseek(f, 0, SEEK_SET);
    size_t n = (size_t)bytes / 8;
    uint64_t *v = malloc(n * 8 + 8);
    if (!v || fread(v, 8, n, f) != n)
        return 2;
    fclose(f);
    int rounds = atoi(argv[3]);
    double best = 1e30, best_cpu = 1e30;
    uint64_t checksum = 0;
    for (int r = 0; r < rounds; r++) {
        uint64_t sum = 0;
        double start = now(CLOCK_MONOTONIC), start_cpu = now(CLOCK_PROCESS_CPUTIME_ID);
        for (size_t i = 0; i < n; i++)
            sum += up ? n_nextprime(v[i], 0) : prev_prime(v[i]);
        double t = now(CLOCK_MONOTONIC) - start, t_cpu = now(CLOCK_PROCESS_CPUTIME_ID) - start_cpu;
        best = t < best ? t : best;
        best_cpu = t_cpu < best_cpu ? t_cpu : best_cpu;
        checksum = sum;
    }
    printf("%.3f %.3f %llu\n", 1e9 * best / (double)n, 1e9 * best_cpu / (double)n, (unsigned long long)checksum);
    free(v);
    return 0;
}
