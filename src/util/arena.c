/* arena.c — block-chained bump allocator behind arena.h, and its
 * fault-injection test hook (OPENPLAN_FAULT_ARENA).
 * Not thread-safe: one arena belongs to one request at a time.
 */
#include "arena.h"

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

struct arena_block {
	arena_block *next;
	size_t       size; /* usable bytes in data */
	size_t       used;
	_Alignas(16) unsigned char data[];
};

enum { ARENA_MIN_BLOCK = 8192 };

/* ---- fault hook: set once from the environment, or by a unit test ---- */
static atomic_ulong   fault_at;      /* 0 = off */
static atomic_int     fault_sticky;
static pthread_once_t fault_once = PTHREAD_ONCE_INIT;

static void fault_from_env(void)
{
	const char *s = getenv("OPENPLAN_FAULT_ARENA");
	if (!s || !*s)
		return;
	char *end;
	unsigned long n = strtoul(s, &end, 10);
	if (n == 0 || (*end && strcmp(end, "+") != 0))
		return;
	atomic_store(&fault_sticky, *end == '+');
	atomic_store(&fault_at, n);
	fprintf(stderr, "level=warn msg=\"test hook: arena allocation %lu%s of every request fails "
	        "(OPENPLAN_FAULT_ARENA)\"\n", n, *end ? " and later" : "");
}

void arena_fault_set(unsigned long n, int sticky)
{
	pthread_once(&fault_once, fault_from_env);
	atomic_store(&fault_sticky, sticky != 0);
	atomic_store(&fault_at, n);
}

/* Does this allocation (the arena's nallocs-th) fail by the test hook?
 * Only arenas with a budget (a request's) take part; the unlimited ones of
 * start-up and the command line do not, so the server can start. */
static bool fault_hit(const arena *a)
{
	if (a->limit == 0)
		return false;
	if (a->fail_at)
		return a->nallocs == a->fail_at || (a->nallocs > a->fail_at && a->fail_on);
	pthread_once(&fault_once, fault_from_env);
	unsigned long at = atomic_load_explicit(&fault_at, memory_order_relaxed);
	if (at == 0)
		return false;
	return a->nallocs == at || (a->nallocs > at && atomic_load(&fault_sticky));
}

void arena_init(arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
	a->nallocs = 0;
	a->nfailed = 0;
	a->fail_at = 0;
	a->fail_on = 0;
}

void arena_fault_arena(arena *a, unsigned long n, int sticky)
{
	a->fail_at = n;
	a->fail_on = sticky;
}

void arena_free(arena *a)
{
	arena_block *b = a->head;
	while (b) {
		arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
	a->total = 0;
	a->nallocs = 0;
	a->nfailed = 0;
}

static void *alloc(arena *a, size_t n);

void *arena_alloc(arena *a, size_t n)
{
	void *p = alloc(a, n);
	if (!p)
		a->nfailed++;
	return p;
}

static void *alloc(arena *a, size_t n)
{
	a->nallocs++;
	if (fault_hit(a))
		return NULL;
	if (n == 0)
		n = 1;
	if (n > SIZE_MAX / 2)
		return NULL;
	size_t need = (n + 15) & ~(size_t)15;
	if (a->limit && a->total + need > a->limit)
		return NULL;
	arena_block *b = a->head;
	if (!b || b->size - b->used < need) {
		size_t size = b ? b->size * 2 : ARENA_MIN_BLOCK;
		if (size < need)
			size = need;
		if (size > 1u << 24 && need <= 1u << 24)
			size = 1u << 24; /* cap block growth at 16 MiB */
		b = malloc(sizeof *b + size);
		if (!b)
			return NULL;
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += need;
	a->total += need;
	return p;
}

void *arena_calloc(arena *a, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		return NULL;
	void *p = arena_alloc(a, count * size);
	if (p)
		memset(p, 0, count * size);
	return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}
