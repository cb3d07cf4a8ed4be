/* fuzz_urlencoded.c — libFuzzer harness: application/x-www-form-urlencoded
 * bodies (http_parse_urlencoded). Every value it returns is NUL-terminated
 * and its value_len never runs past the allocation. */
#include <stdint.h>
#include <string.h>

#include "http/http.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	arena a;
	arena_init(&a, 1 << 20);
	http_kvlist l = { 0 };
	int rc = http_parse_urlencoded(&a, (const char *)data, size, &l);
	if (rc == 0)
		for (size_t i = 0; i < l.len; i++) {
			if (l.items[i].value_len > size || l.items[i].value[l.items[i].value_len] != '\0')
				__builtin_trap();
			(void)strlen(l.items[i].key);
		}
	arena_free(&a);
	return 0;
}
