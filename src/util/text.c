/* text.c — UTF-8, trimming, percent-decoding and date parsing helpers. */
#include "text.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

bool text_utf8_valid(const char *s, size_t n)
{
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)s;
	utf8proc_ssize_t left = (utf8proc_ssize_t)n;
	while (left > 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p, left, &cp);
		if (k <= 0 || cp == 0)
			return false; /* invalid sequence, or an embedded NUL */
		p += k;
		left -= k;
	}
	return true;
}

size_t text_utf8_len(const char *s)
{
	size_t n = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p & 0xC0) != 0x80)
			n++;
	return n;
}

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

char *text_trim(arena *a, const char *s)
{
	if (!s)
		return NULL;
	while (is_space(*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && is_space(s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

char *text_pct_decode(arena *a, const char *s, size_t n, bool plus_is_space)
{
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			if (i + 2 >= n)
				return NULL;
			int hi = hexval(s[i + 1]), lo = hexval(s[i + 2]);
			if (hi < 0 || lo < 0)
				return NULL;
			out[j++] = (char)(hi * 16 + lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			out[j++] = ' ';
		} else {
			out[j++] = c;
		}
	}
	out[j] = '\0';
	return out;
}

bool text_parse_date(const char *s, int *ymd)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return false;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return false;
	int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1)
		return false;
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	int max = mdays[m - 1] + (m == 2 && leap);
	if (d > max)
		return false;
	if (ymd)
		*ymd = y * 10000 + m * 100 + d;
	return true;
}

bool text_parse_int(const char *s, long long min, long long max, long long *out)
{
	if (!s || !*s)
		return false;
	errno = 0;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (errno || *end || v < min || v > max || (*s != '-' && (*s < '0' || *s > '9')))
		return false;
	*out = v;
	return true;
}

void text_ascii_lower(char *s)
{
	for (; s && *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

bool text_email_valid(const char *s)
{
	const char *at = strchr(s, '@');
	if (!at || at == s || strchr(at + 1, '@'))
		return false;
	const char *dot = strrchr(at + 1, '.');
	if (!dot || dot == at + 1 || !dot[1])
		return false;
	for (const char *p = s; *p; p++)
		if (*p == ' ' || *p == '<' || *p == '>' || *p == ',' || *p == ';' || (unsigned char)*p < 32)
			return false;
	return true;
}

bool text_has_control(const char *s, bool allow_newlines)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\t' || (allow_newlines && (*p == '\n' || *p == '\r')))
			continue;
		if (*p < 32 || *p == 127)
			return true;
	}
	return false;
}

const char *text_local_path(const char *next)
{
	if (!next || next[0] != '/' || next[1] == '/' || next[1] == '\\')
		return "/";
	for (const unsigned char *p = (const unsigned char *)next; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '\\')
			return "/";
	return next;
}
