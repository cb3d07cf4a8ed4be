/* sb.c — string builder and the HTML/URL escaping every page goes through. */
#include "sb.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(sb *b)
{
	b->data = NULL;
	b->len = b->cap = 0;
	b->failed = false;
}

void sb_free(sb *b)
{
	free(b->data);
	sb_init(b);
}

bool sb_reserve(sb *b, size_t extra)
{
	if (b->failed)
		return false;
	if (extra > SIZE_MAX / 2 - b->len) {
		b->failed = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void sb_append(sb *b, const char *s, size_t n)
{
	if (!sb_reserve(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void sb_puts(sb *b, const char *s)
{
	if (s)
		sb_append(b, s, strlen(s));
}

void sb_putc(sb *b, char c)
{
	sb_append(b, &c, 1);
}

void sb_printf(sb *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char tmp[256];
	int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = true;
		return;
	}
	if ((size_t)n < sizeof tmp) {
		sb_append(b, tmp, (size_t)n);
		return;
	}
	if (!sb_reserve(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void sb_html_n(sb *b, const char *s, size_t n)
{
	size_t start = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		switch (s[i]) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		sb_append(b, s + start, i - start);
		sb_puts(b, rep);
		start = i + 1;
	}
	sb_append(b, s + start, n - start);
}

void sb_html(sb *b, const char *s)
{
	if (s)
		sb_html_n(b, s, strlen(s));
}

void sb_urlenc(sb *b, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	for (const unsigned char *p = (const unsigned char *)s; p && *p; p++) {
		unsigned char c = *p;
		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
			sb_putc(b, (char)c);
		} else {
			char e[3] = { '%', hex[c >> 4], hex[c & 15] };
			sb_append(b, e, 3);
		}
	}
}

char *sb_take(sb *b)
{
	if (b->failed) {
		sb_free(b);
		return NULL;
	}
	if (!b->data) {
		if (!sb_reserve(b, 0))
			return NULL;
		b->data[0] = '\0';
	}
	char *p = b->data;
	sb_init(b);
	return p;
}
