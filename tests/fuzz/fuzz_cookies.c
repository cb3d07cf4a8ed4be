/* fuzz_cookies.c — libFuzzer harness: Cookie headers (http_parse_cookies).
 * Names are never empty and never hold ';'; values never hold ';'. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *h = malloc(size + 1);
	if (!h)
		return 0;
	memcpy(h, data, size);
	h[size] = '\0';
	arena a;
	arena_init(&a, 1 << 20);
	http_kvlist l = { 0 };
	if (http_parse_cookies(&a, h, &l) == 0)
		for (size_t i = 0; i < l.len; i++)
			if (!l.items[i].key[0] || strchr(l.items[i].key, ';') || strchr(l.items[i].value, ';') ||
			    strlen(l.items[i].value) != l.items[i].value_len)
				__builtin_trap();
	arena_free(&a);
	free(h);
	return 0;
}
