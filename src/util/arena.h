/* arena.h — a per-request memory arena.
 *
 * Everything a request allocates comes from its arena and is freed at once
 * when the request ends (the nginx pool idea). Blocks grow geometrically;
 * nothing is freed individually. Allocation failure returns NULL and the
 * caller reports it; the arena never aborts.
 */
#ifndef OPENPLAN_ARENA_H
#define OPENPLAN_ARENA_H

#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct arena {
	arena_block *head;   /* newest block first */
	size_t       total;  /* bytes handed out, for limits and metrics */
	size_t       limit;  /* 0 = unlimited; otherwise allocations beyond fail */
	unsigned long nallocs; /* allocations asked for since arena_init (fault hook) */
	unsigned long nfailed; /* of those, how many returned NULL */
	unsigned long fail_at; /* test hook for this arena alone: allocation N fails … */
	int           fail_on; /* … and, when set, every one after it (arena_fault_arena) */
} arena;

void   arena_init(arena *a, size_t limit);
/* Test hook for one arena (a request's, from a test header; see
 * http_config.fault_header): allocation n fails, and every later one when
 * sticky. 0 turns it off. */
void   arena_fault_arena(arena *a, unsigned long n, int sticky);
void   arena_free(arena *a);                 /* frees every block; a is reusable */
void  *arena_alloc(arena *a, size_t n);       /* 16-byte aligned, uninitialised */
void  *arena_calloc(arena *a, size_t count, size_t size);
char  *arena_strdup(arena *a, const char *s);
char  *arena_strndup(arena *a, const char *s, size_t n);
char  *arena_printf(arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Test hook: fault injection. With OPENPLAN_FAULT_ARENA=N in the
 * environment (read once, at the first allocation), allocation number N of
 * every arena fails (counted from arena_init, 1-based); "N+" makes N and
 * every later one fail, as when a request's budget runs out. The tests use
 * it to prove that running out of request memory is an error answer, never
 * a crash. arena_fault_set does the same from a unit test (n = 0: off). Not
 * for production use. */
void   arena_fault_set(unsigned long n, int sticky);

#endif
