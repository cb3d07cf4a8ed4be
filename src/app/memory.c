/* memory.c — where a request's JSON lives. jansson builds every view model
 * and API answer; while a request runs on a thread, jansson allocates from
 * that request's arena, so a view model is released with the request (the
 * nginx pool idea) and no handler frees a JSON tree itself; json_decref on
 * such a tree costs nothing. Outside a request (start-up, the live-poll
 * broadcaster, the command line) jansson uses malloc as usual.
 *
 * Each block carries a 16-byte header saying where it came from, so free
 * knows what to do with a value whatever thread releases it.
 */
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "app.h"

enum { HEADER = 16 };
static const uint32_t FROM_MALLOC = 0x6d616c6cu, FROM_ARENA = 0x6172656eu;
static _Thread_local arena *current;

static void *json_alloc(size_t n)
{
	if (n > SIZE_MAX - HEADER)
		return NULL;
	unsigned char *p = current ? arena_alloc(current, n + HEADER) : malloc(n + HEADER);
	if (!p)
		return NULL;
	*(uint32_t *)p = current ? FROM_ARENA : FROM_MALLOC;
	return p + HEADER;
}

static void json_release(void *ptr)
{
	if (!ptr)
		return;
	unsigned char *p = (unsigned char *)ptr - HEADER;
	if (*(uint32_t *)p == FROM_MALLOC)
		free(p);
	/* FROM_ARENA: freed with the request's arena */
}

void app_memory_init(void)
{
	json_set_alloc_funcs(json_alloc, json_release);
}

arena *app_memory_use(arena *a)
{
	arena *before = current;
	current = a;
	return before;
}

void app_json_free(void *p)
{
	json_malloc_t m;
	json_free_t f;
	json_get_alloc_funcs(&m, &f);
	if (f == json_release)
		json_release(p);
	else if (f)
		f(p);
	else
		free(p);
}
