/* fuzz_ical.c — libFuzzer harness: the iCalendar writer. The input is an
 * event's summary and description (split at the first 0x00) and its times.
 * Every line has at most 75 octets and no bare CR or LF; unfolding and
 * unescaping the SUMMARY gives back the input less the control characters
 * TEXT may not hold (CR LF and CR read as a newline); and when the input
 * is UTF-8, no line splits a character. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/text.h"
#include "web/ical.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 8)
		return 0;
	int64_t t;
	memcpy(&t, data, 8);
	t = (int64_t)((uint64_t)t % 4102444800u); /* 1970 … 2100 */
	char *s = malloc(size - 8 + 1);
	if (!s)
		return 0;
	memcpy(s, data + 8, size - 8);
	s[size - 8] = '\0';
	const char *desc = s + strlen(s) < s + size - 8 ? s + strlen(s) + 1 : "";
	sb o;
	sb_init(&o);
	ical_begin(&o, "-//openplan//fuzz", s);
	ical_event_add(&o, &(ical_event){ .uid = "u@fuzz", .dtstamp = t, .start = t, .end = t + 3600,
	                                  .summary = s, .description = desc, .url = s });
	ical_end(&o);
	const char *out = sb_str(&o);
	bool utf8 = text_utf8_valid(s, strlen(s)) && text_utf8_valid(desc, strlen(desc));
	/* Lines. */
	for (const char *p = out; *p; ) {
		const char *e = strstr(p, "\r\n");
		if (!e || e - p > 75 || memchr(p, '\n', (size_t)(e - p)) || memchr(p, '\r', (size_t)(e - p)))
			__builtin_trap();
		if (utf8 && !text_utf8_valid(p, (size_t)(e - p)))
			__builtin_trap();
		p = e + 2;
	}
	/* SUMMARY round trip: unfold, unescape, compare. */
	const char *sum = strstr(out, "\r\nSUMMARY:");
	if (!sum)
		__builtin_trap();
	sum += 10;
	sb line, un;
	sb_init(&line);
	sb_init(&un);
	for (const char *p = sum; *p; p++) { /* unfold first (a fold may split an escape) */
		if (p[0] == '\r' && p[1] == '\n') {
			if (p[2] != ' ')
				break;
			p += 2; /* a fold: CR LF space */
			continue;
		}
		sb_putc(&line, *p);
	}
	for (const char *p = sb_str(&line); *p; p++) { /* then unescape */
		if (*p == '\\' && p[1]) {
			p++;
			sb_putc(&un, *p == 'n' ? '\n' : *p);
			continue;
		}
		sb_putc(&un, *p);
	}
	sb_free(&line);
	sb want;
	sb_init(&want);
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r')
			sb_putc(&want, '\n'), p += p[1] == '\n';
		else if (c == '\n' || c == '\t' || (c >= 0x20 && c != 0x7F))
			sb_putc(&want, (char)c);
	}
	if (un.len != want.len || memcmp(sb_str(&un), sb_str(&want), un.len))
		__builtin_trap();
	sb_free(&un);
	sb_free(&want);
	sb_free(&o);
	free(s);
	return 0;
}
