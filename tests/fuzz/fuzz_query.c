/* fuzz_query.c — libFuzzer harness: what is done with query strings and
 * request headers before a handler sees them: a query string taken apart
 * (http_parse_urlencoded, as for forms), its values decoded and read as
 * numbers and dates (text_pct_decode, text_parse_int, text_parse_date),
 * and the client address from X-Forwarded-For (http_forwarded_for), which
 * must be an address or nothing. */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/http.h"
#include "util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	arena a;
	arena_init(&a, 1 << 20);
	http_kvlist l = { 0 };
	if (http_parse_urlencoded(&a, s, strlen(s), &l) == 0)
		for (size_t i = 0; i < l.len; i++) {
			long long v;
			int ymd;
			if (text_parse_int(l.items[i].value, -1000, 1000, &v) && (v < -1000 || v > 1000))
				__builtin_trap();
			if (text_parse_date(l.items[i].value, &ymd) && (ymd < 10000 || ymd > 99991231))
				__builtin_trap();
		}
	(void)text_pct_decode(&a, s, strlen(s), false);
	char out[64];
	unsigned char bin[16];
	if (http_forwarded_for(s, "127.0.0.1", out, sizeof out) &&
	    inet_pton(AF_INET, out, bin) != 1 && inet_pton(AF_INET6, out, bin) != 1)
		__builtin_trap();
	if (http_forwarded_for(s, "::1", out, sizeof out) && strcmp(out, "::1") == 0)
		__builtin_trap();
	arena_free(&a);
	free(s);
	return 0;
}
