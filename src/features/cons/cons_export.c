/* cons_export.c — every answer of a consultation for organisers, as CSV
 * (for Dutch Excel: UTF-8 with a byte order mark and ';', or ',' when asked
 * for) and as XLSX (libxlsxwriter, constant-memory mode): one row per
 * response, one column per question (and one for each "why"), column names
 * in the visitor's language, times in Europe/Amsterdam, yes/no translated;
 * in XLSX numbers and times are typed cells. Names and e-mail addresses
 * only with ?personal=1, asked for on purpose (then Cache-Control:
 * no-store); texts an organiser hid are left out otherwise.
 *
 * Neither is built in memory, nor on a request worker: the handler checks
 * and translates what it must, then a producer on the server's job pool
 * reads the answers row by row from the store and writes them into the
 * streamed body (http_body); memory does not grow with the number of rows.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../../web/csv.h"
#include "../../web/ical.h"
#include "cons.h"

/* The columns: per question one, a yes/no question two. */
typedef struct col { int64_t qid; const char *kind; bool why; } col;

/* What the producer needs (the request is gone by the time it runs): the
 * words in the visitor's language, and the rest it loads itself. */
typedef struct export_job {
	store      *db;
	int64_t     cons_id;
	bool        personal, xlsx;
	char        sep;
	/* translated */
	const char *h_response, *h_submitted, *h_changed, *h_name, *h_email, *h_why;
	const char *yes, *no, *hidden_text;
} export_job;

typedef struct exporter {
	const export_job   *job;
	arena              *a;
	consultation        c;
	col                *cols;
	size_t              ncols;
	sb                 *cells;     /* the current response's text cells */
	int64_t            *nums;      /* ... and its scale values (0: none) */
	int64_t             response;  /* 0 before the first row */
	sb                  name, email;
	int64_t             created, updated;
	bool                failed;    /* out of memory, or the client left: stop */
	/* output */
	csv_writer          csv;
	lxw_workbook       *wb;
	lxw_worksheet      *ws;
	lxw_format         *fmt_time;
	lxw_row_t           row;
} exporter;

/* ---- pure helpers (unit-tested) ---- */

void cons_export_time(int64_t utc, char out[20])
{
	time_t t = (time_t)(utc + ical_amsterdam_offset(utc));
	struct tm tm;
	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%d %H:%M:%S", &tm);
}

/* ---- the producer ---- */

static const char *option_label(const consultation *c, int64_t qid, int64_t oid)
{
	for (size_t i = 0; i < c->nquestions; i++)
		for (size_t k = 0; c->questions[i].id == qid && k < c->questions[i].noptions; k++)
			if (c->questions[i].options[k].id == oid)
				return c->questions[i].options[k].label;
	return "";
}

static void add(sb *cell, const char *sep, const char *s)
{
	if (cell->len)
		sb_puts(cell, sep);
	sb_puts(cell, s);
}

static void set(sb *b, const char *s)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
	sb_puts(b, s);
}

static void xlsx_text(exporter *x, lxw_col_t c, const char *s)
{
	if (*s && worksheet_write_string(x->ws, x->row, c, s, NULL) != LXW_NO_ERROR)
		x->failed = true;
}

static void xlsx_number(exporter *x, lxw_col_t c, double v)
{
	if (worksheet_write_number(x->ws, x->row, c, v, NULL) != LXW_NO_ERROR)
		x->failed = true;
}

static void xlsx_time(exporter *x, lxw_col_t c, int64_t utc)
{
	time_t t = (time_t)(utc + ical_amsterdam_offset(utc));
	struct tm tm;
	gmtime_r(&t, &tm);
	lxw_datetime dt = { tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
		            (double)tm.tm_sec };
	if (worksheet_write_datetime(x->ws, x->row, c, &dt, x->fmt_time) != LXW_NO_ERROR)
		x->failed = true;
}

/* Writes the current response's row; the buffers are reused for the next. */
static void flush(exporter *x)
{
	if (!x->response || x->failed)
		return;
	const export_job *j = x->job;
	if (j->xlsx) {
		lxw_col_t k = 0;
		xlsx_number(x, k++, (double)x->response);
		xlsx_time(x, k++, x->created);
		xlsx_time(x, k++, x->updated);
		if (j->personal) {
			xlsx_text(x, k++, sb_str(&x->name));
			xlsx_text(x, k++, sb_str(&x->email));
		}
		for (size_t i = 0; i < x->ncols; i++, k++) {
			if (x->nums[i])
				xlsx_number(x, k, (double)x->nums[i]);
			else
				xlsx_text(x, k, sb_str(&x->cells[i]));
		}
		x->row++;
	} else {
		char t[20];
		csv_int(&x->csv, x->response);
		cons_export_time(x->created, t);
		csv_cell(&x->csv, t);
		cons_export_time(x->updated, t);
		csv_cell(&x->csv, t);
		if (j->personal) {
			csv_cell(&x->csv, sb_str(&x->name));
			csv_cell(&x->csv, sb_str(&x->email));
		}
		for (size_t i = 0; i < x->ncols; i++) {
			if (x->nums[i])
				csv_int(&x->csv, x->nums[i]);
			else
				csv_cell(&x->csv, sb_str(&x->cells[i]));
		}
		csv_row_end(&x->csv);
		if (x->csv.failed)
			x->failed = true;
	}
	for (size_t i = 0; i < x->ncols; i++) {
		if (sb_failed(&x->cells[i]))
			x->failed = true;
		set(&x->cells[i], "");
		x->nums[i] = 0;
	}
}

static store_rc export_row(const cons_export_row *r, void *ctx)
{
	exporter *x = ctx;
	const export_job *j = x->job;
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
	/* A text an organiser hid (personal data) stays out, unless personal
	 * data was asked for on purpose. */
	const char *text = r->hidden && !j->personal ? j->hidden_text : r->text;
	for (size_t i = 0; i < x->ncols; i++) {
		if (x->cols[i].qid != r->question_id)
			continue;
		const char *kind = x->cols[i].kind;
		sb *cell = &x->cells[i];
		if (x->cols[i].why)
			add(cell, " ", text);
		else if (!strcmp(kind, "yesno"))
			add(cell, " ", r->value ? j->yes : j->no);
		else if (!strcmp(kind, "scale"))
			x->nums[i] = r->value;
		else if (!strcmp(kind, "ranking"))
			add(cell, " > ", option_label(&x->c, r->question_id, r->option_id));
		else if (r->option_id)
			add(cell, "; ", option_label(&x->c, r->question_id, r->option_id));
		else
			add(cell, "; ", text);
	}
	return x->failed ? STORE_ERROR : STORE_OK;
}

/* Sets up the columns and writes the header row. */
static bool start(exporter *x)
{
	const export_job *j = x->job;
	const consultation *c = &x->c;
	x->cols = arena_calloc(x->a, c->nquestions * 2 + 1, sizeof *x->cols);
	x->cells = arena_calloc(x->a, c->nquestions * 2 + 1, sizeof *x->cells);
	x->nums = arena_calloc(x->a, c->nquestions * 2 + 1, sizeof *x->nums);
	const char **h = arena_calloc(x->a, c->nquestions * 2 + 6, sizeof *h);
	if (!x->cols || !x->cells || !x->nums || !h)
		return false;
	size_t k = 0;
	h[k++] = j->h_response;
	h[k++] = j->h_submitted;
	h[k++] = j->h_changed;
	if (j->personal) {
		h[k++] = j->h_name;
		h[k++] = j->h_email;
	}
	for (size_t i = 0; i < c->nquestions; i++) {
		const cons_question *qn = &c->questions[i];
		x->cols[x->ncols++] = (col){ qn->id, qn->kind, false };
		if (!(h[k++] = arena_printf(x->a, "%zu. %s", i + 1, qn->prompt)))
			return false;
		if (!strcmp(qn->kind, "yesno")) {
			x->cols[x->ncols++] = (col){ qn->id, qn->kind, true };
			if (!(h[k++] = arena_printf(x->a, "%zu. %s", i + 1, j->h_why)))
				return false;
		}
	}
	for (size_t i = 0; i < x->ncols; i++)
		sb_init(&x->cells[i]);
	if (j->xlsx) {
		for (size_t i = 0; i < k; i++)
			xlsx_text(x, (lxw_col_t)i, h[i]);
		x->row++;
	} else {
		for (size_t i = 0; i < k; i++)
			csv_cell(&x->csv, h[i]);
		csv_row_end(&x->csv);
	}
	return !x->failed && !x->csv.failed;
}

static void finish_cells(exporter *x)
{
	for (size_t i = 0; x->cells && i < x->ncols; i++)
		sb_free(&x->cells[i]);
	sb_free(&x->name);
	sb_free(&x->email);
}

/* Reads every answer into the writer (CSV or the worksheet). */
static bool write_all(exporter *x)
{
	store_rc rc = start(x) ? cons_store_export(x->job->db, x->job->cons_id, export_row, x)
	                       : STORE_ERROR;
	if (rc == STORE_OK)
		flush(x);
	return rc == STORE_OK && !x->failed;
}

static bool produce_csv(http_body *b, void *arg)
{
	const export_job *j = arg;
	exporter x = { .job = j, .a = http_body_arena(b) };
	sb_init(&x.name);
	sb_init(&x.email);
	if (cons_store_get(j->db, x.a, j->cons_id, &x.c) != STORE_OK)
		return false;
	csv_init(&x.csv, j->sep, true, http_body_sink, b);
	bool ok = write_all(&x);
	ok = csv_finish(&x.csv) == 0 && ok;
	csv_free(&x.csv);
	finish_cells(&x);
	return ok;
}

static bool produce_xlsx(http_body *b, void *arg)
{
	const export_job *j = arg;
	exporter x = { .job = j, .a = http_body_arena(b) };
	sb_init(&x.name);
	sb_init(&x.email);
	if (cons_store_get(j->db, x.a, j->cons_id, &x.c) != STORE_OK)
		return false;
	char path[] = "/tmp/openplan-xlsx-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
	x.wb = workbook_new_opt(path, &opt);
	x.ws = x.wb ? workbook_add_worksheet(x.wb, "Answers") : NULL;
	x.fmt_time = x.wb ? workbook_add_format(x.wb) : NULL;
	bool ok = x.ws && x.fmt_time;
	if (ok) {
		format_set_num_format(x.fmt_time, "yyyy-mm-dd hh:mm:ss");
		worksheet_set_column(x.ws, 1, 2, 19, NULL);
		ok = write_all(&x);
	}
	finish_cells(&x);
	if (x.wb && workbook_close(x.wb) != LXW_NO_ERROR)
		ok = false;
	/* The file is complete only now; then it goes out in pieces. */
	if (ok)
		ok = lseek(fd, 0, SEEK_SET) == 0 && http_body_send_fd(b, fd) == 0;
	close(fd);
	unlink(path);
	return ok;
}

/* ---- the handlers ---- */

/* The job in one malloc'd block with its words after it: made before the
 * body is opened (a body once opened must be started), freed by the
 * producer when it ends, or here when the pool refuses it. */
static export_job *job_new(app_req *q)
{
	static const char *const ids[] = { "Response", "Submitted", "Changed", "Name",
		                           "E-mail address", "Why?", "Yes", "No",
		                           "(hidden: personal data)" };
	enum { N = sizeof ids / sizeof *ids };
	const char *t[N];
	size_t total = sizeof(export_job);
	for (size_t i = 0; i < N; i++) {
		t[i] = app_t(q, ids[i]);
		total += strlen(t[i]) + 1;
	}
	export_job *j = calloc(1, total);
	if (!j)
		return NULL;
	char *p = (char *)(j + 1);
	const char **slot[N] = { &j->h_response, &j->h_submitted, &j->h_changed, &j->h_name,
		                 &j->h_email, &j->h_why, &j->yes, &j->no, &j->hidden_text };
	for (size_t i = 0; i < N; i++) {
		size_t n = strlen(t[i]) + 1;
		memcpy(p, t[i], n);
		*slot[i] = p;
		p += n;
	}
	return j;
}

static bool produce(http_body *b, void *arg)
{
	export_job *j = arg;
	bool ok = j->xlsx ? produce_xlsx(b, j) : produce_csv(b, j);
	free(j);
	return ok;
}

static void export(app_req *q, bool xlsx)
{
	consultation c;
	if (!cons_load(q, &c))
		return;
	const char *p = http_query(q->r, "personal"), *sep = http_query(q->r, "sep");
	bool personal = p && !strcmp(p, "1");
	char *name = arena_printf(q->a, "attachment; filename=\"consultation-%lld%s.%s\"",
	                          (long long)c.id, personal ? "-personal" : "",
	                          xlsx ? "xlsx" : "csv");
	/* The headers first: a personal export never goes out without
	 * no-store, so a header that could not be added stops it here. */
	size_t nh = q->s->headers.len;
	if (name) {
		http_resp_header(q->r, q->s, "Content-Disposition", name);
		/* Personal data is never kept by a browser or proxy cache. */
		http_resp_header(q->r, q->s, "Cache-Control",
		                 personal ? "no-store" : "private, no-cache");
	}
	export_job *j = q->s->headers.len == nh + 2 ? job_new(q) : NULL;
	http_body *b = j ? http_body_open(q->r, q->s) : NULL;
	if (!b) {
		free(j);
		q->s->headers.len = nh;
		cons_oom(q);
		return;
	}
	j->db = q->app->db;
	j->cons_id = c.id;
	j->personal = personal;
	j->xlsx = xlsx;
	j->sep = sep && !strcmp(sep, "comma") ? ',' : ';';
	if (http_body_start(b, produce, j) != 0) {
		free(j);
		q->s->headers.len = nh;
		app_error(q, 503, "Many exports are running right now. Try again in a minute.");
		return;
	}
	q->s->status = 200;
	q->s->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	                          : "text/csv; charset=utf-8";
}

void cons_export_csv(app_req *q) { export(q, false); }
void cons_export_xlsx(app_req *q) { export(q, true); }
