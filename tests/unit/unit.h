/* unit.h — shared includes and helpers for the cmocka unit tests. */
#ifndef OPENPLAN_UNIT_H
#define OPENPLAN_UNIT_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A cmocka test function; state is unused unless a fixture sets it. */
#define TEST(name) static void name(void **state __attribute__((unused)))

#define ARRAY_LEN(a) (sizeof(a) / sizeof *(a))

/* Asserts that haystack contains needle, printing both when it does not. */
#define assert_contains(hay, needle)                                                   \
	do {                                                                           \
		const char *h_ = (hay), *n_ = (needle);                                \
		if (!h_ || !strstr(h_, n_))                                            \
			fail_msg("expected to find \"%s\" in output:\n%.2000s", n_,    \
			         h_ ? h_ : "(null)");                                  \
	} while (0)

#define assert_not_contains(hay, needle)                                               \
	do {                                                                           \
		const char *h_ = (hay), *n_ = (needle);                                \
		if (h_ && strstr(h_, n_))                                              \
			fail_msg("did not expect \"%s\" in output:\n%.2000s", n_, h_); \
	} while (0)

/* Counts non-overlapping occurrences of needle in hay. */
static inline int count_occurrences(const char *hay, const char *needle)
{
	int n = 0;
	size_t nl = strlen(needle);
	for (const char *p = hay; nl && (p = strstr(p, needle)); p += nl)
		n++;
	return n;
}

#endif
