/* fuzz_csv.c — libFuzzer harness: the CSV writer. The input is split into
 * cells (byte 0x1F) and rows (byte 0x1E); what the writer makes is read
 * back by a small RFC 4180 reader here, and each cell must come back as
 * written, apart from the apostrophe that makes a formula inert; no cell
 * may start with = + - @ tab or CR unquoted and unprotected. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "web/csv.h"

/* Reads the next cell from *p into out; returns 1 at the end of a row,
 * 0 at the end of a cell, -1 at the end of the input. */
static int read_cell(const char **p, const char *end, sb *out, bool *quoted)
{
	out->len = 0;
	*quoted = false;
	if (*p >= end)
		return -1;
	if (**p == '"') {
		*quoted = true;
		(*p)++;
		for (;;) {
			if (*p >= end)
				__builtin_trap(); /* unterminated quote */
			if (**p == '"') {
				if (*p + 1 < end && (*p)[1] == '"') {
					sb_putc(out, '"');
					*p += 2;
					continue;
				}
				(*p)++;
				break;
			}
			sb_putc(out, **p);
			(*p)++;
		}
	} else {
		while (*p < end && **p != ';' && **p != '\r')
			sb_putc(out, *(*p)++);
	}
	if (*p < end && **p == ';') {
		(*p)++;
		return 0;
	}
	if (*p + 1 < end && (*p)[0] == '\r' && (*p)[1] == '\n') {
		*p += 2;
		return 1;
	}
	__builtin_trap(); /* a cell not followed by ; or CR LF */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csv_writer w;
	csv_init(&w, ';', true, NULL, NULL);
	const char *s = (const char *)data, *end = s + size;
	/* Write: cells split at 0x1F, rows at 0x1E (a row always ends). */
	const char *c = s;
	for (const char *p = s; p <= end; p++) {
		if (p == end || *p == 0x1F || *p == 0x1E) {
			csv_cell_n(&w, c, (size_t)(p - c));
			if (p == end || *p == 0x1E)
				csv_row_end(&w);
			c = p + 1;
		}
	}
	if (csv_finish(&w) != 0)
		__builtin_trap();
	/* Read back and compare. */
	const char *r = w.buf.data + 3, *rend = w.buf.data + w.buf.len;
	if (memcmp(w.buf.data, "\xEF\xBB\xBF", 3))
		__builtin_trap();
	sb cell;
	sb_init(&cell);
	c = s;
	for (const char *p = s; p <= end; p++) {
		if (!(p == end || *p == 0x1F || *p == 0x1E))
			continue;
		bool quoted;
		int k = read_cell(&r, rend, &cell, &quoted);
		bool row_end = p == end || *p == 0x1E;
		if (k != (row_end ? 1 : 0))
			__builtin_trap();
		size_t n = (size_t)(p - c);
		const char *got = sb_str(&cell);
		size_t glen = cell.len;
		if (n > 0 && strchr("=+-@\t\r", c[0])) {
			if (!quoted || glen == 0 || got[0] != '\'')
				__builtin_trap(); /* a live formula */
			got++;
			glen--;
		}
		if (glen != n || memcmp(got, c, n))
			__builtin_trap();
		c = p + 1;
	}
	if (r != rend)
		__builtin_trap();
	sb_free(&cell);
	csv_free(&w);
	return 0;
}
