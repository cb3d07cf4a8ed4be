/* sb.h — a growable string builder for output (pages, JSON, CSV, logs).
 *
 * Backed by malloc so a finished buffer can be handed to libmicrohttpd
 * (which frees it) without a copy. An allocation failure sets `failed`;
 * later appends become no-ops, and the caller checks sb_failed() once at
 * the end instead of after every append.
 */
#ifndef OPENPLAN_SB_H
#define OPENPLAN_SB_H

#include <stdbool.h>
#include <stddef.h>

typedef struct sb {
	char  *data;
	size_t len;
	size_t cap;
	bool   failed;
} sb;

void  sb_init(sb *b);
void  sb_free(sb *b);
bool  sb_reserve(sb *b, size_t extra);
void  sb_append(sb *b, const char *s, size_t n);
void  sb_puts(sb *b, const char *s);
void  sb_putc(sb *b, char c);
void  sb_printf(sb *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void  sb_html(sb *b, const char *s);          /* appends s HTML-escaped */
void  sb_html_n(sb *b, const char *s, size_t n);
void  sb_urlenc(sb *b, const char *s);         /* percent-encodes for a URL component */
char *sb_take(sb *b);                          /* caller owns the result; b is reset */
static inline bool sb_failed(const sb *b) { return b->failed; }
static inline const char *sb_str(const sb *b) { return b->data ? b->data : ""; }

#endif
