/* act_export.c — the action plan as open data people open in a
 * spreadsheet: the published action points (CSV and XLSX) and their
 * milestones (CSV). CSV is written for Dutch Excel: UTF-8 with a byte-order
 * mark, ';' between fields, CR LF, column names and values (status, OGP
 * values, yes/no) in the interface language, dates as YYYY-MM-DD (which
 * Excel reads as dates), and a cell that starts with = + - @ made inert.
 * XLSX has typed cells: numbers, dates with a date format, text that is
 * never a formula. Rows are written one at a time through a sheet; no
 * personal data (contact persons, authors) is in either.
 */
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "../../util/text.h"
#include "act.h"

typedef struct sheet {
	app_req       *q;
	sb            *csv;       /* CSV: where rows go */
	sb             line;      /* CSV: the row being written */
	bool           first;     /* CSV: no separator before this cell */
	lxw_worksheet *ws;        /* XLSX */
	lxw_format    *date_fmt, *head_fmt;
	lxw_row_t      row;
	lxw_col_t      col;
	bool           failed;
} sheet;

static void cell_text(sheet *x, const char *s)
{
	if (x->ws) {
		if (*s && worksheet_write_string(x->ws, x->row, x->col, s, x->row ? NULL : x->head_fmt)
		          != LXW_NO_ERROR)
			x->failed = true;
		x->col++;
		return;
	}
	if (!x->first)
		sb_putc(&x->line, ';');
	x->first = false;
	act_csv_field(&x->line, s);
}

static void cell_int(sheet *x, long long v)
{
	if (x->ws) {
		if (worksheet_write_number(x->ws, x->row, x->col++, (double)v, NULL) != LXW_NO_ERROR)
			x->failed = true;
		return;
	}
	char b[24];
	snprintf(b, sizeof b, "%lld", v);
	cell_text(x, b);
}

/* A "YYYY-MM-DD" date; empty stays empty. */
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
		return;
	}
	sb_puts(&x->line, "\r\n");
	sb_append(x->csv, x->line.data ? x->line.data : "", x->line.len);
	if (sb_failed(&x->line) || sb_failed(x->csv))
		x->failed = true;
	x->line.len = 0;
	x->first = true;
}

static void heads(sheet *x, const char *const *h)
{
	for (; *h; h++)
		cell_text(x, app_t(x->q, *h));
	row_end(x);
}

/* The OGP values of a point as labels ("Toegang tot informatie, …"). */
static const char *ogp_text(app_req *q, sb *b, const char *codes)
{
	b->len = 0;
	for (int i = 0; act_ogp_codes[i]; i++)
		if (act_has_code(codes, act_ogp_codes[i])) {
			if (b->len)
				sb_puts(b, ", ");
			sb_puts(b, app_t(q, act_ogp_labels[i]));
		}
	return sb_str(b);
}

static const char *const point_heads[] = {
	"ID", "Theme", "Title", "Status", "Reason for stopping", "Lead holder", "Partners",
	"OGP values", "Start date", "End date", "Progress (%)", "Milestones", "Milestones done",
	"The problem", "The status quo", "What the action point will do",
	"How that helps solve the problem", "Ambition", "Minimal variant", "Maximal variant",
	"Still needed", NULL
};

/* Writes the published action points to x; false when something failed. */
static bool write_points(sheet *x)
{
	app_req *q = x->q;
	plan pl;
	act_point *ps;
	act_holder *hs;
	size_t np, nh;
	store_rc rc = store_plan_main(q->app->db, q->a, &pl);
	if (rc == STORE_OK)
		rc = act_store_list(q->app->db, q->a, pl.id, ACT_PUBLISHED, &ps, &np);
	if (rc == STORE_OK)
		rc = act_store_holders(q->app->db, q->a, 0, pl.id, ACT_PUBLISHED, &hs, &nh);
	if (rc != STORE_OK)
		return false;
	heads(x, point_heads);
	sb partners, values;
	sb_init(&partners);
	sb_init(&values);
	for (size_t i = 0; i < np && !x->failed; i++) {
		const act_point *p = &ps[i];
		partners.len = 0;
		for (size_t k = 0; k < nh; k++)
			if (hs[k].action_id == p->id && !strcmp(hs[k].role, "partner")) {
				if (partners.len)
					sb_puts(&partners, ", ");
				sb_puts(&partners, hs[k].org_name);
			}
		cell_int(x, p->id);
		cell_text(x, p->theme_name);
		cell_text(x, p->title);
		cell_text(x, app_t(q, act_status_label(p->status)));
		cell_text(x, p->stop_reason);
		cell_text(x, p->lead_name);
		cell_text(x, sb_str(&partners));
		cell_text(x, ogp_text(q, &values, p->ogp_values));
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
		if (sb_failed(&partners) || sb_failed(&values))
			x->failed = true;
	}
	sb_free(&partners);
	sb_free(&values);
	return !x->failed;
}

static const char *const milestone_heads[] = {
	"ID", "Action point ID", "Action point", "Milestone", "Expected output", "Due date",
	"Date done", "Late", NULL
};

static bool write_milestones(sheet *x)
{
	app_req *q = x->q;
	plan pl;
	act_milestone *ms;
	size_t nm;
	store_rc rc = store_plan_main(q->app->db, q->a, &pl);
	if (rc == STORE_OK)
		rc = act_store_milestones(q->app->db, q->a, 0, pl.id, ACT_PUBLISHED, &ms, &nm);
	if (rc != STORE_OK)
		return false;
	int today = act_today();
	heads(x, milestone_heads);
	for (size_t i = 0; i < nm && !x->failed; i++) {
		cell_int(x, ms[i].id);
		cell_int(x, ms[i].action_id);
		cell_text(x, ms[i].action_title);
		cell_text(x, ms[i].title);
		cell_text(x, ms[i].output);
		cell_date(x, ms[i].due_on);
		cell_date(x, ms[i].done_on);
		cell_text(x, app_t(q, act_milestone_late(ms[i].due_on, ms[i].done_on, today) ? "yes"
		                                                                            : "no"));
		row_end(x);
	}
	return !x->failed;
}

static void csv_answer(app_req *q, bool (*write)(sheet *), const char *name)
{
	sheet x = { .q = q, .csv = &q->s->body, .first = true };
	sb_init(&x.line);
	sb_puts(&q->s->body, "\xEF\xBB\xBF"); /* the byte-order mark: Excel reads UTF-8 */
	bool ok = write(&x);
	sb_free(&x.line);
	if (!ok || sb_failed(&q->s->body)) {
		sb_free(&q->s->body);
		sb_init(&q->s->body);
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 arena_printf(q->a, "attachment; filename=\"%s\"", name));
}

void act_csv_points(app_req *q)
{
	csv_answer(q, write_points, "action-points.csv");
}

void act_csv_milestones(app_req *q)
{
	csv_answer(q, write_milestones, "milestones.csv");
}

void act_xlsx_points(app_req *q)
{
	char path[] = "/tmp/openplan-act-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		app_store_error(q, STORE_ERROR);
		return;
	}
	close(fd);
	lxw_workbook_options opt = { .constant_memory = LXW_TRUE, .tmpdir = "/tmp" };
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	sheet x = { .q = q };
	if (wb) {
		x.ws = workbook_add_worksheet(wb, app_t(q, "Action points"));
		x.date_fmt = workbook_add_format(wb);
		x.head_fmt = workbook_add_format(wb);
		format_set_num_format(x.date_fmt, "d-m-yyyy");
		format_set_bold(x.head_fmt);
	}
	bool ok = x.ws && write_points(&x);
	ok = wb && workbook_close(wb) == LXW_NO_ERROR && ok;
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
		sb_free(&q->s->body);
		sb_init(&q->s->body);
		app_store_error(q, STORE_ERROR);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	http_resp_header(q->r, q->s, "Content-Disposition",
	                 "attachment; filename=\"action-points.xlsx\"");
}
