/* SPDX-License-Identifier: MIT */
/*
 * sieve_window.h -- the window sieve (internal): a sieve of Eratosthenes of
 * one short interval below 2^32, one byte per odd number.
 */
#ifndef PRIMES_SIEVE_WINDOW_H
#define PRIMES_SIEVE_WINDOW_H

#include <stddef.h>
#include <stdint.h>

/* marks[i] = 1 if lo + 2i is prime, else 0, for i < count; lo odd and
 * lo + 2 (count - 1) < 65537^2, so the odd primes below 2^16 suffice.
 * Multiples of 3, 5, 7, 11 and 13 come from copies of the presieve pattern
 * (tables.h); the other sieving primes cross off their odd multiples. */
void sieve_odd_window(uint64_t lo, size_t count, uint8_t *marks);

/* The sum of n bytes that are each 0 or 1 (marks, masks), eight at a time. */
uint64_t sum_of_flags(const uint8_t *flags, size_t n);

/* The number of primes among the consecutive integers min..max, from marks
 * sieved by sieve_odd_window(base + 1, ...) with base = min rounded down to
 * even, covering max. */
uint64_t count_run(uint64_t min, uint64_t max, uint64_t base, const uint8_t *marks);

/* Sieves the window [min rounded down to even, max] (max - min < WINDOW_SPAN
 * - 2, max < 2^32) into `marks` (WINDOW_BYTES bytes) and returns its base,
 * the even number that marks[j] = is base + 2j + 1 prime counts from. */
uint64_t sieve_window_of(uint64_t min, uint64_t max, uint8_t *marks);

#endif /* PRIMES_SIEVE_WINDOW_H */
