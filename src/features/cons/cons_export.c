/* consultations_export.c — every answer of a consultation for organisers, as
 * CSV and as XLSX (libxlsxwriter, constant-memory mode): one row per
 * response, one column per question (and one for each "why"). Names and
 * e-mail addresses of respondents only with ?personal=1, asked for on purpose.
 * Rows stream from the store response by response.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "cons.h"

/* The columns: per question one, a yes/no question two. */
typedef struct col { int64_t qid; bool why; const char *head; } col;

typedef struct exporter {
	app_req            *q;
	const consultation *c;
	bool                personal;
	col                *cols;
	size_t              ncols, fixed;
	sb                 *cells;     /* the current response's cells */
	const char        **vals;      /* one row's values, set up once */
	int64_t             response;  /* 0 before the first row */
	sb                  name, email;
	int64_t             created, updated;
	bool                failed;    /* out of memory: the export stops */
	const char         *hidden_text; /* said instead of a hidden text */
	/* output */
	sb                 *csv;
	lxw_worksheet      *ws;
	lxw_row_t           row;
} exporter;

static const char *option_label(const consultation *c, int64_t qid, int64_t oid)
{
	for (size_t i = 0; i < c->nquestions; i++)
		for (size_t k = 0; c->questions[i].id == qid && k < c->questions[i].noptions; k++)
			if (c->questions[i].options[k].id == oid)
				return c->questions[i].options[k].label;
	return "";
}

static const char *kind_of(const consultation *c, int64_t qid)
{
	for (size_t i = 0; i < c->nquestions; i++)
		if (c->questions[i].id == qid)
			return c->questions[i].kind;
	return "";
}

static void csv_cell(sb *o, const char *s, bool first)
{
	if (!first)
		sb_putc(o, ',');
	/* Cells that a spreadsheet would run as a formula get a leading quote. */
	bool formula = *s == '=' || *s == '+' || *s == '-' || *s == '@';
	sb_putc(o, '"');
	if (formula)
		sb_putc(o, '\'');
	for (; *s; s++) {
		if (*s == '"')
			sb_putc(o, '"');
		sb_putc(o, *s);
	}
	sb_putc(o, '"');
}

static void when(char buf[32], int64_t t)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static void emit(exporter *x, const char *const *vals, size_t n)
{
	if (x->csv) {
		for (size_t i = 0; i < n; i++)
			csv_cell(x->csv, vals[i] ? vals[i] : "", i == 0);
		sb_puts(x->csv, "\r\n");
		if (sb_failed(x->csv))
			x->failed = true;
	} else {
		for (size_t i = 0; i < n; i++)
			if (worksheet_write_string(x->ws, x->row, (lxw_col_t)i, vals[i] ? vals[i] : "",
			                           NULL) != LXW_NO_ERROR)
				x->failed = true;
		x->row++;
	}
}

/* Writes the current response's row; the buffers are reused for the next. */
static void flush(exporter *x)
{
	if (!x->response)
		return;
	char id[24], created[32], updated[32];
	snprintf(id, sizeof id, "%lld", (long long)x->response);
	when(created, x->created);
	when(updated, x->updated);
	size_t k = 0;
	x->vals[k++] = id;
	x->vals[k++] = created;
	x->vals[k++] = updated;
	if (x->personal) {
		x->vals[k++] = sb_str(&x->name);
		x->vals[k++] = sb_str(&x->email);
	}
	for (size_t i = 0; i < x->ncols; i++) {
		if (sb_failed(&x->cells[i]))
			x->failed = true;
		x->vals[k++] = sb_str(&x->cells[i]);
	}
	emit(x, x->vals, k);
	for (size_t i = 0; i < x->ncols; i++) {
		x->cells[i].len = 0;
		if (x->cells[i].data)
			x->cells[i].data[0] = '\0';
	}
}

static void set(sb *b, const char *s)
{
	b->len = 0;
	sb_puts(b, s);
}

static void add(sb *cell, const char *sep, const char *s)
{
	if (cell->len)
		sb_puts(cell, sep);
	sb_puts(cell, s);
}

static store_rc export_row(const cons_export_row *r, void *ctx)
{
	exporter *x = ctx;
	if (r->response_id != x->response) {
		flush(x);
		x->response = r->response_id;
		set(&x->name, r->user_name);
		set(&x->email, r->user_email);
		if (sb_failed(&x->name) || sb_failed(&x->email))
			x->failed = true;
		x->created = r->created_at;
		x->updated = r->updated_at;
	}
	const char *kind = kind_of(x->c, r->question_id);
	/* A text an organiser hid (personal data) stays out, unless the
	 * organiser asked for personal data on purpose. */
	const char *text = r->hidden && !x->personal ? x->hidden_text : r->text;
	for (size_t i = 0; i < x->ncols; i++) {
		if (x->cols[i].qid != r->question_id)
			continue;
		sb *cell = &x->cells[i];
		if (x->cols[i].why) {
			add(cell, " ", text);
		} else if (!strcmp(kind, "yesno")) {
			add(cell, " ", r->value ? "yes" : "no");
		} else if (!strcmp(kind, "scale")) {
			char b[8];
			snprintf(b, sizeof b, "%lld", (long long)r->value);
			add(cell, " ", b);
		} else if (!strcmp(kind, "ranking")) {
			add(cell, " > ", option_label(x->c, r->question_id, r->option_id));
		} else if (r->option_id) {
			add(cell, "; ", option_label(x->c, r->question_id, r->option_id));
		} else {
			add(cell, "; ", text);
		}
	}
	return x->failed ? STORE_ERROR : STORE_OK;
}

/* Sets up the columns and the header row. */
static bool start(exporter *x)
{
	const consultation *c = x->c;
	x->cols = arena_calloc(x->q->a, c->nquestions * 2 + 1, sizeof *x->cols);
	x->cells = arena_calloc(x->q->a, c->nquestions * 2 + 1, sizeof *x->cells);
	if (!x->cols || !x->cells)
		return false;
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		x->cols[x->ncols++] = (col){ qn->id, false,
		                             arena_printf(x->q->a, "%zu. %s", i + 1, qn->prompt) };
		if (!strcmp(qn->kind, "yesno"))
			x->cols[x->ncols++] = (col){ qn->id, true,
			                             arena_printf(x->q->a, "%zu. %s", i + 1,
			                                          app_t(x->q, "Why?")) };
	}
	for (size_t i = 0; i < x->ncols; i++)
		sb_init(&x->cells[i]);
	x->fixed = x->personal ? 5 : 3;
	sb_init(&x->name);
	sb_init(&x->email);
	const char **h = arena_calloc(x->q->a, x->fixed + x->ncols, sizeof *h);
	x->vals = arena_calloc(x->q->a, x->fixed + x->ncols, sizeof *x->vals);
	if (!h || !x->vals)
		return false;
	for (size_t i = 0; i < x->ncols; i++)
		if (!x->cols[i].head)
			return false;
	size_t k = 0;
	h[k++] = "response";
	h[k++] = "submitted";
	h[k++] = "changed";
	if (x->personal) {
		h[k++] = "name";
		h[k++] = "email";
	}
	for (size_t i = 0; i < x->ncols; i++)
		h[k++] = x->cols[i].head;
	emit(x, h, k);
	return true;
}

static void finish_cells(exporter *x)
{
	for (size_t i = 0; x->cells && i < x->ncols; i++)
		sb_free(&x->cells[i]);
	sb_free(&x->name);
	sb_free(&x->email);
}

static bool personal(app_req *q)
{
	const char *p = http_query(q->r, "personal");
	return p && !strcmp(p, "1");
}

void cons_export_csv(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	exporter x = { .q = q, .c = &c, .personal = personal(q),
	               .hidden_text = app_t(q, "(hidden: personal data)"), .csv = &q->s->body };
	store_rc rc = start(&x) ? cons_store_export(q->app->db, c.id, export_row, &x)
	                        : STORE_ERROR;
	if (rc == STORE_OK)
		flush(&x);
	if (x.failed)
		rc = STORE_ERROR;
	finish_cells(&x);
	if (rc != STORE_OK || sb_failed(&q->s->body)) {
		q->s->body.len = 0;
		app_store_error(q, rc == STORE_OK ? STORE_ERROR : rc);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"consultation-%lld.csv\"",
	                              (long long)c.id));
}

void cons_export_xlsx(app_req *q)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	char path[] = "/tmp/openplan-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	close(fd);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_worksheet *ws = wb ? workbook_add_worksheet(wb, "Answers") : NULL;
	exporter x = { .q = q, .c = &c, .personal = personal(q),
	               .hidden_text = app_t(q, "(hidden: personal data)"), .ws = ws };
	store_rc rc = ws && start(&x) ? cons_store_export(q->app->db, c.id, export_row, &x)
	                              : STORE_ERROR;
	if (rc == STORE_OK)
		flush(&x);
	if (x.failed)
		rc = STORE_ERROR;
	finish_cells(&x);
	bool ok = wb && workbook_close(wb) == LXW_NO_ERROR && rc == STORE_OK;
	FILE *f = ok ? fopen(path, "rb") : NULL;
	if (f) {
		char buf[16384];
		size_t n;
		while ((n = fread(buf, 1, sizeof buf, f)) > 0)
			sb_append(&q->s->body, buf, n);
		ok = !ferror(f) && !sb_failed(&q->s->body);
		fclose(f);
	} else {
		ok = false;
	}
	unlink(path);
	if (!ok) {
		q->s->body.len = 0;
		app_store_error(q, STORE_ERROR);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"consultation-%lld.xlsx\"",
	                              (long long)c.id));
}
