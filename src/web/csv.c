/* csv.c — the CSV writer behind csv.h. Cells are written straight into one
 * buffer that is handed to the sink whenever it passes 64 KiB; nothing is
 * kept per row or per file beyond that.
 */
#include "csv.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { CSV_FLUSH = 64 * 1024 };

void csv_init(csv_writer *w, char sep, bool bom, csv_sink sink, void *ctx)
{
	w->sink = sink;
	w->ctx = ctx;
	w->sep = sep == ';' ? ';' : ',';
	sb_init(&w->buf);
	w->cells = 0;
	w->failed = false;
	if (bom)
		sb_append(&w->buf, "\xEF\xBB\xBF", 3);
}

static void flush(csv_writer *w, size_t at_least)
{
	if (sb_failed(&w->buf))
		w->failed = true;
	if (w->failed || !w->sink || w->buf.len < at_least || w->buf.len == 0)
		return;
	if (w->sink(w->ctx, w->buf.data, w->buf.len) != 0)
		w->failed = true;
	w->buf.len = 0;
}

static void next_cell(csv_writer *w)
{
	if (w->cells++)
		sb_putc(&w->buf, w->sep);
}

void csv_cell_n(csv_writer *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	next_cell(w);
	if (!s) {
		s = "";
		n = 0;
	}
	/* A spreadsheet runs "=…", "+…", "-…", "@…" as a formula (and a
	 * leading tab or CR hides one): a leading apostrophe keeps it text. */
	bool inert = n > 0 && strchr("=+-@\t\r", s[0]);
	bool quote = inert || (n > 0 && (s[0] == ' ' || s[n - 1] == ' '));
	for (size_t i = 0; i < n && !quote; i++)
		quote = s[i] == w->sep || s[i] == '"' || s[i] == '\n' || s[i] == '\r';
	if (!quote) {
		sb_append(&w->buf, s, n);
		return;
	}
	sb_putc(&w->buf, '"');
	if (inert)
		sb_putc(&w->buf, '\'');
	size_t start = 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] == '"') {
			sb_append(&w->buf, s + start, i + 1 - start); /* the quote, doubled: */
			sb_putc(&w->buf, '"');
			start = i + 1;
		}
	sb_append(&w->buf, s + start, n - start);
	sb_putc(&w->buf, '"');
}

void csv_cell(csv_writer *w, const char *s) { csv_cell_n(w, s, s ? strlen(s) : 0); }

void csv_int(csv_writer *w, long long v)
{
	if (w->failed)
		return;
	next_cell(w);
	sb_printf(&w->buf, "%lld", v);
}

void csv_decimal(csv_writer *w, double v, int decimals)
{
	if (w->failed)
		return;
	next_cell(w);
	if (!isfinite(v))
		return; /* an empty cell rather than "nan" */
	if (decimals < 0 || decimals > 12)
		decimals = 2;
	char num[64];
	snprintf(num, sizeof num, "%.*f", decimals, v);
	if (w->sep == ';') {
		char *dot = strchr(num, '.');
		if (dot)
			*dot = ',';
	}
	sb_puts(&w->buf, num);
}

void csv_row_end(csv_writer *w)
{
	if (w->failed)
		return;
	sb_append(&w->buf, "\r\n", 2);
	w->cells = 0;
	flush(w, CSV_FLUSH);
}

int csv_finish(csv_writer *w)
{
	flush(w, 1);
	return w->failed ? -1 : 0;
}

void csv_free(csv_writer *w)
{
	sb_free(&w->buf);
}
