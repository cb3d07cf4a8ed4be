/* fuzz_markdown.c — libFuzzer harness: the Markdown renderer
 * (web_markdown) with the independent check of html_check.h: only the
 * tags and attributes Markdown makes, and no href or src with a scheme
 * other than http, https or mailto. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "html_check.h"
#include "web/web.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *md = malloc(size + 1);
	if (!md)
		return 0;
	memcpy(md, data, size);
	md[size] = '\0';
	sb out;
	sb_init(&out);
	if (web_markdown(&out, md) == 0) {
		const char *why = html_check(sb_str(&out));
		if (why) {
			fprintf(stderr, "html_check: %s\n--- in ---\n%s\n--- out ---\n%s\n", why, md, sb_str(&out));
			__builtin_trap();
		}
	}
	sb_free(&out);
	free(md);
	return 0;
}
