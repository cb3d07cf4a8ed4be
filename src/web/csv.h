/* csv.h — a streaming CSV writer for exports that spreadsheets open as
 * meant, Dutch Excel included: UTF-8 with a byte order mark, ';' (or ',')
 * between cells, CR LF after each row, cells quoted when they hold the
 * separator, a quote or a line break, and text cells that a spreadsheet
 * would run as a formula (starting with = + - @, a tab or CR) made inert
 * with a leading apostrophe. Rows go to a sink (http_body_sink for a
 * streamed body) every 64 KiB, so memory stays flat however many rows.
 */
#ifndef OPENPLAN_CSV_H
#define OPENPLAN_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "../util/sb.h"

/* Takes n bytes; returns 0, or -1 to stop (the client left). */
typedef int (*csv_sink)(void *ctx, const void *data, size_t n);

typedef struct csv_writer {
	csv_sink sink;     /* NULL: everything stays in buf */
	void    *ctx;
	char     sep;      /* ';' (Dutch and German Excel) or ',' */
	sb       buf;
	size_t   cells;    /* in the current row */
	bool     failed;   /* a sink refused or memory ran out: later calls do nothing */
} csv_writer;

/* Starts a file: the byte order mark when bom (Excel needs it to read
 * UTF-8). sep must be ';' or ','; anything else is taken as ','. */
void csv_init(csv_writer *w, char sep, bool bom, csv_sink sink, void *ctx);
/* A text cell (a C string; NULL is an empty cell). */
void csv_cell(csv_writer *w, const char *s);
void csv_cell_n(csv_writer *w, const char *s, size_t n);
/* A number cell, written as a number (not made inert: "-5" stays -5). */
void csv_int(csv_writer *w, long long v);
/* A decimal with `decimals` places; the decimal sign is ',' when the
 * separator is ';' (as Dutch Excel reads it), else '.'. */
void csv_decimal(csv_writer *w, double v, int decimals);
/* Ends the row (CR LF) and passes full buffers to the sink. */
void csv_row_end(csv_writer *w);
/* Passes what is left to the sink. 0, or -1 when anything failed. */
int  csv_finish(csv_writer *w);
void csv_free(csv_writer *w);

#endif
