/* act_export.c — the action plan as open data people open in a
 * spreadsheet: the published action points (CSV and XLSX) and their
 * milestones (CSV). The handler only answers the headers; the body is
 * written by a producer on the server's job pool (http_body_*), rows read
 * from a store cursor one at a time (act_store_each_*) and passed on in
 * pieces, so neither a request worker nor memory grows with the export.
 * CSV is written for Dutch Excel (src/web/csv.h): UTF-8 with a byte-order
 * mark, ';', column names and values (status, OGP values, yes/no) in the
 * interface language, dates as YYYY-MM-DD (which Excel reads as dates),
 * formula-like cells made inert. XLSX (libxlsxwriter, constant memory,
 * sent from its file) has typed cells: numbers, dates with a date format,
 * text that is never a formula. No personal data is in either.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../../util/text.h"
#include "../../web/csv.h"
#include "act.h"

enum { EXPORT_POINTS, EXPORT_MILESTONES };

/* What a producer needs; it lives in the body's arena (the request's is
 * gone by the time it runs). */
typedef struct export_job {
	store      *db;
	const char *lang;
	int         what;
	bool        xlsx;
} export_job;

/* One export being written: to CSV or to an XLSX worksheet. */
typedef struct sheet {
	const char    *lang;
	csv_writer     csv;
	lxw_worksheet *ws;
	lxw_format    *date_fmt, *head_fmt;
	lxw_row_t      row;
	lxw_col_t      col;
	bool           failed;
	const act_holder *hs;   /* points: holders, for the partners column */
	size_t         nh;
	sb             scratch;
	int            today;
} sheet;

static const char *tr(const sheet *x, const char *msgid)
{
	return i18n_get(x->lang, msgid);
}

static void cell_text(sheet *x, const char *s)
{
	if (!x->ws) {
		csv_cell(&x->csv, s);
		return;
	}
	if (s && *s &&
	    worksheet_write_string(x->ws, x->row, x->col, s, x->row ? NULL : x->head_fmt) != LXW_NO_ERROR)
		x->failed = true;
	x->col++;
}

static void cell_int(sheet *x, long long v)
{
	if (!x->ws) {
		csv_int(&x->csv, v);
		return;
	}
	if (worksheet_write_number(x->ws, x->row, x->col++, (double)v, NULL) != LXW_NO_ERROR)
		x->failed = true;
}

/* A "YYYY-MM-DD" date: a date cell in XLSX; in CSV as written (Excel
 * reads it as a date). Empty stays empty. */
static void cell_date(sheet *x, const char *ymd)
{
	int d;
	if (!x->ws || !text_parse_date(ymd, &d)) {
		cell_text(x, ymd);
		return;
	}
	lxw_datetime dt = { .year = d / 10000, .month = d / 100 % 100, .day = d % 100 };
	if (worksheet_write_datetime(x->ws, x->row, x->col++, &dt, x->date_fmt) != LXW_NO_ERROR)
		x->failed = true;
}

static void row_end(sheet *x)
{
	if (x->ws) {
		x->row++;
		x->col = 0;
	} else {
		csv_row_end(&x->csv);
		x->failed = x->failed || x->csv.failed;
	}
}

static void heads(sheet *x, const char *const *h)
{
	for (; *h; h++)
		cell_text(x, tr(x, *h));
	row_end(x);
}

static const char *const point_heads[] = {
	"ID", "Theme", "Title", "Status", "Reason for stopping", "Lead holder", "Partners",
	"OGP values", "Start date", "End date", "Progress (%)", "Milestones", "Milestones done",
	"The problem", "The status quo", "What the action point will do",
	"How that helps solve the problem", "Ambition", "Minimal variant", "Maximal variant",
	"Still needed", NULL
};

static store_rc point_row(const act_point *p, void *ctx)
{
	sheet *x = ctx;
	sb *b = &x->scratch;
	cell_int(x, p->id);
	cell_text(x, p->theme_name);
	cell_text(x, p->title);
	cell_text(x, tr(x, act_status_label(p->status)));
	cell_text(x, p->stop_reason);
	cell_text(x, p->lead_name);
	b->len = 0;
	for (size_t k = 0; k < x->nh; k++)
		if (x->hs[k].action_id == p->id && !strcmp(x->hs[k].role, "partner")) {
			if (b->len)
				sb_puts(b, ", ");
			sb_puts(b, x->hs[k].org_name);
		}
	cell_text(x, sb_str(b));
	b->len = 0;
	for (int i = 0; act_ogp_codes[i]; i++)
		if (act_has_code(p->ogp_values, act_ogp_codes[i])) {
			if (b->len)
				sb_puts(b, ", ");
			sb_puts(b, tr(x, act_ogp_labels[i]));
		}
	cell_text(x, sb_str(b));
	cell_date(x, p->starts_on);
	cell_date(x, p->ends_on);
	cell_int(x, act_progress(p->status, p->percent, p->milestones, p->milestones_done));
	cell_int(x, p->milestones);
	cell_int(x, p->milestones_done);
	const char *texts[] = { p->problem, p->status_quo, p->what, p->how_helps, p->ambition,
		                p->minimal, p->maximal, p->needs };
	for (size_t k = 0; k < sizeof texts / sizeof *texts; k++)
		cell_text(x, texts[k]);
	row_end(x);
	return x->failed || sb_failed(b) ? STORE_ERROR : STORE_OK;
}

static const char *const milestone_heads[] = {
	"ID", "Action point ID", "Action point", "Milestone", "Expected output", "Due date",
	"Date done", "Late", NULL
};

static store_rc milestone_row(const act_milestone *m, void *ctx)
{
	sheet *x = ctx;
	cell_int(x, m->id);
	cell_int(x, m->action_id);
	cell_text(x, m->action_title);
	cell_text(x, m->title);
	cell_text(x, m->output);
	cell_date(x, m->due_on);
	cell_date(x, m->done_on);
	cell_text(x, tr(x, act_milestone_late(m->due_on, m->done_on, x->today) ? "yes" : "no"));
	row_end(x);
	return x->failed ? STORE_ERROR : STORE_OK;
}

/* Writes the export's rows, read from one snapshot of the store. */
static bool write_rows(sheet *x, const export_job *j)
{
	arena a;
	arena_init(&a, 0);
	plan pl;
	act_holder *hs = NULL;
	size_t nh = 0;
	store_read_begin(j->db);
	store_rc rc = store_plan_main(j->db, &a, &pl);
	if (rc == STORE_OK && j->what == EXPORT_POINTS)
		rc = act_store_holders(j->db, &a, 0, pl.id, ACT_PUBLISHED, &hs, &nh);
	x->hs = hs;
	x->nh = nh;
	x->today = act_today();
	if (rc == STORE_OK && j->what == EXPORT_POINTS) {
		heads(x, point_heads);
		rc = act_store_each_point(j->db, pl.id, ACT_PUBLISHED, point_row, x);
	} else if (rc == STORE_OK) {
		heads(x, milestone_heads);
		rc = act_store_each_milestone(j->db, pl.id, ACT_PUBLISHED, milestone_row, x);
	}
	store_read_end(j->db);
	arena_free(&a);
	return rc == STORE_OK && !x->failed;
}

/* On a job thread. */
static bool produce_csv(http_body *b, void *arg)
{
	const export_job *j = arg;
	sheet x = { .lang = j->lang };
	sb_init(&x.scratch);
	csv_init(&x.csv, ';', true, http_body_sink, b);
	bool ok = write_rows(&x, j);
	ok = csv_finish(&x.csv) == 0 && ok;
	csv_free(&x.csv);
	sb_free(&x.scratch);
	return ok;
}

/* On a job thread: the workbook goes to a temporary file in constant
 * memory, then from the file to the client. */
static bool produce_xlsx(http_body *b, void *arg)
{
	const export_job *j = arg;
	char path[] = "/tmp/openplan-act-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return false;
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	sheet x = { .lang = j->lang };
	sb_init(&x.scratch);
	if (wb) {
		x.ws = workbook_add_worksheet(wb, i18n_get(j->lang, "Action points"));
		x.date_fmt = workbook_add_format(wb);
		x.head_fmt = workbook_add_format(wb);
		format_set_num_format(x.date_fmt, "d-m-yyyy");
		format_set_bold(x.head_fmt);
	}
	bool ok = x.ws && write_rows(&x, j);
	ok = wb && workbook_close(wb) == LXW_NO_ERROR && ok;
	sb_free(&x.scratch);
	ok = ok && lseek(fd, 0, SEEK_SET) == 0 && http_body_send_fd(b, fd) == 0;
	close(fd);
	unlink(path);
	return ok;
}

/* A producer that only fails: ends a body whose job could not be set up. */
static bool produce_nothing(http_body *b, void *arg)
{
	(void)b;
	(void)arg;
	return false;
}

static void start(app_req *q, int what, bool xlsx, const char *name)
{
	http_body *b = http_body_open(q->r, q->s);
	export_job *j = b ? arena_calloc(http_body_arena(b), 1, sizeof *j) : NULL;
	if (j) {
		*j = (export_job){ q->app->db, arena_strdup(http_body_arena(b), q->lang), what, xlsx };
		q->s->status = 200;
		q->s->content_type = xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		                          : "text/csv; charset=utf-8";
		http_resp_header(q->r, q->s, "Content-Disposition",
		                 arena_printf(q->a, "attachment; filename=\"%s\"", name));
	}
	if (b && (!j || !j->lang)) {
		/* Out of memory: release the body through its own path. */
		if (http_body_start(b, produce_nothing, NULL) == 0)
			return;
		b = NULL;
	}
	if (!b || http_body_start(b, xlsx ? produce_xlsx : produce_csv, j) != 0)
		app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

void act_csv_points(app_req *q)
{
	start(q, EXPORT_POINTS, false, "action-points.csv");
}

void act_csv_milestones(app_req *q)
{
	start(q, EXPORT_MILESTONES, false, "milestones.csv");
}

void act_xlsx_points(app_req *q)
{
	start(q, EXPORT_POINTS, true, "action-points.xlsx");
}
