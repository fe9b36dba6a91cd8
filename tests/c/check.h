/* SPDX-License-Identifier: MIT */
/*
 * check.h -- the few lines the C unit tests in tests/c share: CHECK(c) counts
 * a check and prints the failed ones; check_report(name) prints the last line
 * "<name>: N checks, F failed" that tests/test_c_units.py reads and returns
 * the exit status (0 when none failed).
 */
#ifndef PRIMES_TESTS_CHECK_H
#define PRIMES_TESTS_CHECK_H

#include <stdio.h>

static int checks_run, checks_failed;

static void check_at(int ok, const char *what, int line)
{
    checks_run++;
    if (!ok) {
        checks_failed++;
        printf("FAIL line %d: %s\n", line, what);
        fflush(stdout);
    }
}
#define CHECK(condition) check_at((condition), #condition, __LINE__)

static int check_report(const char *name)
{
    printf("%s: %d checks, %d failed\n", name, checks_run, checks_failed);
    return checks_failed != 0;
}

#endif /* PRIMES_TESTS_CHECK_H */
