/* poll_report.c — a poll's report: every question with its counts, shares
 * that add up, a ranking's order and average places, a scale's average
 * and distribution, every word named and every open answer; as a
 * printable page, as CSV and as JSON (the Report resource). Public once an
 * organiser attached it to the plan (never a draft's); organisers see it
 * always. Also the plan page's list of public reports.
 */
#include <stdio.h>
#include <string.h>

#include "poll.h"

static bool load_report(app_req *q, poll *p)
{
	if (!poll_load(q, POLL_COUNTS_ALL, p))
		return false;
	if (!poll_report_public(p) && !(q->me && q->me->role >= ROLE_ORGANISER)) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return false;
	}
	return true;
}

void poll_report(app_req *q)
{
	poll p;
	if (!load_report(q, &p))
		return;
	json_t *qs = json_array();
	for (size_t i = 0; qs && i < p.nquestions; i++)
		if (json_array_append_new(qs, poll_question_data(q->app->db, q->a, &p.questions[i],
		                                                 POLL_R_REPORT)))
			qs = NULL;
	json_t *pd = poll_data(&p);
	if (!qs || !pd) {
		poll_busy(q);
		return;
	}
	if (q->want_json) {
		app_json(q, 200, json_pack("{s:o,s:o}", "poll", pd, "questions", qs));
		return;
	}
	size_t i;
	json_t *jq;
	json_array_foreach(qs, i, jq) {
		const poll_question *pq = &p.questions[i];
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "poll_id", json_integer((json_int_t)p.id));
		json_object_set_new(jq, "kind_label", json_string(app_t(q, poll_kind_label(pq->kind))));
		json_t *chart = poll_chart(q, pq, false);
		if (!chart || json_object_set_new(jq, "chart", chart)) {
			poll_busy(q);
			return;
		}
		if (!strcmp(pq->kind, "open") || !strcmp(pq->kind, "words"))
			json_object_set_new(jq, "has_list", json_true());
	}
	json_t *m = json_pack("{s:s,s:o,s:o,s:b}", "title", p.title, "poll", pd, "questions", qs,
	                      "can_edit", q->me && q->me->role >= ROLE_ORGANISER);
	if (!m) {
		poll_busy(q);
		return;
	}
	app_page(q, 200, "poll_report", m);
}

static void csv_field(sb *o, const char *s)
{
	sb_putc(o, '"');
	/* A leading = + - @ would be a formula in a spreadsheet. */
	if (s && (*s == '=' || *s == '+' || *s == '-' || *s == '@'))
		sb_putc(o, '\'');
	for (; s && *s; s++) {
		if (*s == '"')
			sb_putc(o, '"');
		sb_putc(o, *s);
	}
	sb_putc(o, '"');
}

static void csv_row(sb *o, int number, const poll_question *pq, const char *item, int64_t n,
                    int64_t points)
{
	sb_printf(o, "%d,", number);
	csv_field(o, pq->prompt);
	sb_printf(o, ",%s,", pq->kind);
	csv_field(o, item);
	sb_printf(o, ",%lld,%lld\r\n", (long long)n, (long long)points);
}

void poll_report_csv(app_req *q)
{
	poll p;
	if (!load_report(q, &p))
		return;
	sb *o = &q->s->body;
	sb_puts(o, "question_number,question,kind,answer,count,points\r\n");
	for (size_t i = 0; i < p.nquestions; i++) {
		const poll_question *pq = &p.questions[i];
		int num = (int)i + 1;
		if (pq->noptions) {
			for (size_t k = 0; k < pq->noptions; k++)
				csv_row(o, num, pq, pq->options[k].label, pq->options[k].n, pq->options[k].points);
		} else if (!strcmp(pq->kind, "open")) {
			const char **ans = NULL;
			size_t na = 0;
			if (poll_store_answers(q->app->db, q->a, pq->id, 100000, &ans, &na) != STORE_OK) {
				sb_free(o);
				poll_busy(q);
				return;
			}
			for (size_t t = 0; t < na; t++)
				csv_row(o, num, pq, ans[t], 1, 0);
		} else if (!strcmp(pq->kind, "scale")) {
			for (int v = pq->scale_min; v <= pq->scale_max; v++) {
				char val[16];
				snprintf(val, sizeof val, "%d", v);
				csv_row(o, num, pq, val, poll_scale_count(pq, v), 0);
			}
		} else {
			for (size_t t = 0; t < pq->ntallies; t++)
				csv_row(o, num, pq, pq->tallies[t].label, pq->tallies[t].n, 0);
		}
		/* Answers hidden as personal data: how many, never their text. */
		if (pq->hidden > 0)
			csv_row(o, num, pq, app_t(q, "(not shown: personal data)"), pq->hidden, 0);
	}
	const char *disp = arena_printf(q->a, "attachment; filename=\"poll-%lld.csv\"", (long long)p.id);
	if (sb_failed(o) || !disp) {
		sb_free(o);
		poll_busy(q);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "text/csv; charset=utf-8";
	http_resp_header(q->r, q->s, "Content-Disposition", disp);
}

json_t *poll_plan_reports(app_req *q, int64_t plan_id)
{
	poll *ps = NULL;
	size_t n = 0;
	json_t *list = json_array();
	if (poll_store_list_plan(q->app->db, q->a, plan_id, &ps, &n) == STORE_OK)
		for (size_t i = 0; list && i < n; i++)
			if (json_array_append_new(list, json_pack("{s:I,s:s}", "id", (json_int_t)ps[i].id,
			                                          "title", ps[i].title)))
				list = NULL;
	return list;
}
