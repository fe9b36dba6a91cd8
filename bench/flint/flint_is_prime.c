/* SPDX-License-Identifier: MIT */
/*
 * flint_is_prime.c -- FLINT's n_is_prime on an array, timed per core: the
 * scalar anchor of the E targets (bench/targets_engine.py builds it and
 * calls it through ctypes, in the bench's own process).
 *
 *   cc -O2 -shared -fPIC flint_is_prime.c -o libflint_is_prime.so -L DIR -l:libflint.so... -Wl,-rpath,DIR
 *
 * flint_harness_count(values, n) calls n_is_prime on every value in order,
 * on the calling thread, and returns the primes counted; *seconds gets the
 * process's CPU time for the loop, the clock the bench reads around
 * primes.count (on a shared machine, wall time also counts the time other
 * processes hold the core).  In the bench's
 * process the loop reads the same values as primes.count (a uint64 copy),
 * the two called in turn, with no file in between.  (Measured, 10^6 random
 * uint32: primes' call takes about 2.4 ms after a pause of 20 ms of any kind,
 * FLINT's pass, a sleep or a Python loop, and 2.2 ms right after a call of
 * its own: the vector units' warm-up, which a user's call meets too.)
 *
 * The prototype is declared here rather than taken from a header:
 * `int n_is_prime(ulong)` is the same in FLINT 2.9 and 3.x (ulong is
 * unsigned long, 64 bits on Linux), so the bench can link the FLINT 3
 * library that python-flint's wheel bundles without FLINT 3's headers.
 */
#include <stddef.h>
#include <stdint.h>
#include <time.h>

int n_is_prime(unsigned long n);
extern char flint_version[];

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

const char *flint_harness_version(void)
{
    return flint_version;
}

unsigned long flint_harness_count(const uint64_t *values, size_t n, double *seconds)
{
    double start = cpu_seconds();
    unsigned long count = 0;
    for (size_t i = 0; i < n; i++)
        count += (unsigned long)n_is_prime((unsigned long)values[i]);
    *seconds = cpu_seconds() - start;
    return count;
}
