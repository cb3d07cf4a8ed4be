/* fuzz_router.c — libFuzzer harness: the router (http_route_match) over
 * every feature's real routes (features_all). The first byte picks the method,
 * the rest is the path. A match has every {param} filled with a non-empty
 * segment without '/'; a 405 names the methods that would match. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "features/features.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static http_route_pattern pat[1024];
	static size_t npat;
	if (!npat)
		for (size_t f = 0; f < features_count; f++)
			for (size_t i = 0; i < features_all[f]->nroutes && npat < 1024; i++, npat++)
				pat[npat] = (http_route_pattern){ features_all[f]->routes[i].methods,
				                                  features_all[f]->routes[i].pattern };
	if (size < 1)
		return 0;
	static const int methods[] = { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_OTHER };
	char *path = malloc(size);
	if (!path)
		return 0;
	memcpy(path, data + 1, size - 1);
	path[size - 1] = '\0';
	arena a;
	arena_init(&a, 1 << 20);
	http_req r = { .a = &a, .path = path, .method = methods[data[0] % 4] };
	int allowed = 0;
	int i = http_route_match(pat, npat, &r, &allowed);
	if (i >= 0) {
		for (int k = 0; k < r.nparams; k++)
			if (!r.params[k][0] || strchr(r.params[k], '/'))
				__builtin_trap();
	} else if (i == -2 && (allowed & r.method)) {
		__builtin_trap();
	} else if (i != -1 && i != -2) {
		__builtin_trap();
	}
	arena_free(&a);
	free(path);
	return 0;
}
