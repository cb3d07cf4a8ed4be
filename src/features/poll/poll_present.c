/* poll_present.c — the presenter's screen: a projector screen, not a web
 * page. No site menu, account name or flash messages; the full joining
 * address, the code in large type and a QR code (SVG from libqrencode);
 * the current question as a chart readable from the back of a room (bars
 * for choices, ranking as ordered bars with the average place, a scale's
 * average and distribution, a word cloud sized by count, the latest open
 * answers); the previous and next question by keyboard (poll.js) or the
 * buttons; live through its stream. Opening it from a network makes that
 * network the hall (see poll_limit.c). Also the chart view that the
 * participant's phone shows when results are shown.
 */
#include <qrencode.h>
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

/* "3,8" in Dutch, "3.8" in English. */
static const char *decimal(app_req *q, double v)
{
	char *s = arena_printf(q->a, "%.1f", v);
	if (s && !strcmp(q->lang, "nl"))
		for (char *c = s; *c; c++)
			if (*c == '.')
				*c = ',';
	return s ? s : "";
}

/* The view of a question's results: what a chart draws, with its labels. */
json_t *poll_chart(app_req *q, const poll_question *pq, bool presenter)
{
	/* "12 answers", and both forms for the page's script to count on */
	const char *one = app_tn(q, "%lld answer", "%lld answers", 1);
	const char *other = app_tn(q, "%lld answer", "%lld answers", 2);
	const char *voters = arena_printf(q->a, app_tn(q, "%lld answer", "%lld answers", pq->voters),
	                                  (long long)pq->voters);
	json_t *c = json_pack("{s:I,s:s,s:I,s:s,s:s,s:s}", "id", (json_int_t)pq->id, "kind", pq->kind,
	                      "voters", (json_int_t)pq->voters, "voters_text", voters, "plural_one",
	                      one, "plural_other", other);
	if (!c)
		return NULL;
	const char *k = pq->kind;
	if (!strcmp(k, "open") || !strcmp(k, "words")) {
		/* "2 answers are not shown" (hidden as personal data), both forms
		 * for the script, empty while none is hidden */
		const char *fmt = "%lld answer is not shown", *fmts = "%lld answers are not shown";
		const char *h = pq->hidden > 0
		                ? arena_printf(q->a, app_tn(q, fmt, fmts, pq->hidden), (long long)pq->hidden)
		                : "";
		if (!h || json_object_set_new(c, "hidden", json_integer((json_int_t)pq->hidden)) ||
		    json_object_set_new(c, "hidden_text", json_string(h)) ||
		    json_object_set_new(c, "hidden_one", json_string(app_tn(q, fmt, fmts, 1))) ||
		    json_object_set_new(c, "hidden_other", json_string(app_tn(q, fmt, fmts, 2))) ||
		    json_object_set_new(c, "has_hidden_line", json_true()))
			return NULL;
	}
	bool rank = !strcmp(k, "ranking");
	if (!strcmp(k, "single") || !strcmp(k, "multiple") || rank) {
		int64_t n[POLL_OPTIONS_MAX], max = 1;
		int pct[POLL_OPTIONS_MAX];
		size_t no = pq->noptions < POLL_OPTIONS_MAX ? pq->noptions : POLL_OPTIONS_MAX;
		size_t order[POLL_OPTIONS_MAX];
		for (size_t i = 0; i < no; i++) {
			n[i] = pq->options[i].n;
			order[i] = i;
			int64_t v = rank ? pq->options[i].points : n[i];
			if (v > max)
				max = v;
		}
		poll_shares(n, no, pq->voters, pct);
		/* A ranking: most points first (the earlier option of equals). */
		for (size_t i = 1; rank && i < no; i++)
			for (size_t j = i; j > 0 && pq->options[order[j]].points > pq->options[order[j - 1]].points; j--) {
				size_t t = order[j];
				order[j] = order[j - 1];
				order[j - 1] = t;
			}
		json_t *bars = json_array();
		for (size_t r = 0; bars && r < no; r++) {
			size_t i = order[r];
			const poll_option *o = &pq->options[i];
			int64_t v = rank ? o->points : o->n;
			json_t *b = json_pack("{s:I,s:s,s:I,s:i,s:I}", "id", (json_int_t)o->id, "label",
			                      o->label, "n", (json_int_t)o->n, "pct", pct[i], "width",
			                      (json_int_t)(100 * v / max));
			if (b && rank) {
				json_object_set_new(b, "points", json_integer(o->points));
				json_object_set_new(b, "place", json_integer((json_int_t)r + 1));
				json_object_set_new(b, "avg_place", json_string(pq->voters
					? decimal(q, (double)(pq->noptions + 1) - (double)o->points / (double)pq->voters)
					: "–"));
			}
			if (json_array_append_new(bars, b))
				bars = NULL;
		}
		if (json_object_set_new(c, rank ? "ranking" : "bars", bars))
			return NULL;
		json_object_set_new(c, "several", json_boolean(!strcmp(k, "multiple")));
	} else if (!strcmp(k, "scale")) {
		int64_t n[16], max = 1, cnt = 0;
		int pct[16];
		int span = pq->scale_max - pq->scale_min + 1;
		if (span > 16)
			span = 16;
		for (int i = 0; i < span; i++) {
			n[i] = poll_scale_count(pq, pq->scale_min + i);
			cnt += n[i];
			if (n[i] > max)
				max = n[i];
		}
		poll_shares(n, (size_t)span, cnt, pct);
		json_t *cols = json_array();
		for (int i = 0; cols && i < span; i++)
			if (json_array_append_new(cols, json_pack("{s:i,s:I,s:i,s:I,s:I}", "value",
			                                          pq->scale_min + i, "n", (json_int_t)n[i],
			                                          "pct", pct[i], "height",
			                                          (json_int_t)(100 * n[i] / max), "y",
			                                          (json_int_t)(100 - 100 * n[i] / max))))
				cols = NULL;
		double avg = poll_scale_average(pq, NULL);
		if (json_object_set_new(c, "scale", cols) ||
		    json_object_set_new(c, "average", json_string(cnt ? decimal(q, avg) : "–")) ||
		    json_object_set_new(c, "average_pos", json_integer(cnt && pq->scale_max > pq->scale_min
		        ? (json_int_t)(100 * (avg - pq->scale_min) / (pq->scale_max - pq->scale_min)) : 0)))
			return NULL;
		json_object_set_new(c, "scale_min", json_integer(pq->scale_min));
		json_object_set_new(c, "scale_max", json_integer(pq->scale_max));
	} else if (!strcmp(k, "words")) {
		json_t *words = json_array();
		if (presenter) {
			poll_cloud_word cw[POLL_CLOUD_WORDS];
			size_t nc = poll_cloud(pq->tallies, pq->ntallies, cw, POLL_CLOUD_WORDS);
			for (size_t i = 0; words && i < nc; i++)
				if (json_array_append_new(words, json_pack("{s:s,s:I,s:i,s:i,s:i,s:i}", "word",
				                                           cw[i].word, "n", (json_int_t)cw[i].n,
				                                           "x", cw[i].x, "y", cw[i].y, "size",
				                                           cw[i].size, "tone", cw[i].tone)))
					words = NULL;
			json_object_set_new(c, "cloud_w", json_integer(POLL_CLOUD_W));
			json_object_set_new(c, "cloud_h", json_integer(POLL_CLOUD_H));
		} else {
			int64_t top = pq->ntallies ? pq->tallies[0].n : 1;
			for (size_t i = 0; words && i < pq->ntallies && i < 20; i++)
				/* five type sizes, by the count's share of the top one */
				if (json_array_append_new(words, json_pack("{s:s,s:I,s:i}", "word",
				                                           pq->tallies[i].label, "n",
				                                           (json_int_t)pq->tallies[i].n, "step",
				                                           (int)(1 + 4 * pq->tallies[i].n / (top ? top : 1)))))
					words = NULL;
		}
		if (json_object_set_new(c, "words", words))
			return NULL;
	} else if (!strcmp(k, "open")) {
		const char **ans = NULL;
		size_t na = 0;
		if (poll_store_answers(q->app->db, q->a, pq->id, presenter ? 12 : 5, &ans, &na) != STORE_OK)
			return NULL;
		json_t *ja = json_array();
		for (size_t i = 0; ja && i < na; i++)
			if (json_array_append_new(ja, json_string(ans[i])))
				ja = NULL;
		if (json_object_set_new(c, "answers", ja))
			return NULL;
	}
	return c;
}

/* ---- the presenter's screen ---- */

void poll_present(app_req *q)
{
	int status = q->s->status == 422 ? 422 : 200; /* a control that failed comes back here */
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	const poll_question *cur = poll_current(&p);
	if (cur && poll_store_get(q->app->db, q->a, p.id, cur->id, &p) != STORE_OK) {
		poll_busy(q);
		return;
	}
	cur = poll_current(&p);
	/* This screen is in the room: its network is the hall's. */
	const char *net = poll_net(q->app, q->a, q->r->client_ip);
	if (net && strcmp(net, p.hall_net))
		poll_store_set_hall(q->app->db, p.id, net);
	const char *base = poll_join_base(q, true), *sig = poll_sig(q->a, &p, true);
	json_t *m = json_pack("{s:s,s:{s:I,s:s,s:b,s:b,s:b,s:b},s:s,s:s,s:s,s:s}",
	                      "title", p.title,
	                      "poll", "id", (json_int_t)p.id, "title", p.title,
	                      "is_open", !strcmp(p.status, "open"), "is_draft", !strcmp(p.status, "draft"),
	                      "is_closed", !strcmp(p.status, "closed"), "show_results", p.show_results,
	                      "join_base", base ? base : "",
	                      "code_spaced", arena_printf(q->a, "%.3s %.3s", p.code, p.code + 3),
	                      "stream", arena_printf(q->a, "/polls/%lld/stream", (long long)p.id),
	                      "sig", sig ? sig : "");
	if (!m || !base || !sig) {
		poll_busy(q);
		return;
	}
	if (cur) {
		size_t at = (size_t)(cur - p.questions);
		json_t *chart = poll_chart(q, cur, true);
		json_t *jq = json_pack("{s:I,s:s,s:s,s:b,s:i,s:i,s:o}", "id", (json_int_t)cur->id,
		                       "prompt", cur->prompt, "kind", cur->kind, "locked", cur->locked,
		                       "number", (int)at + 1, "count", (int)p.nquestions, "chart", chart);
		if (!jq || json_object_set_new(m, "question", jq)) {
			poll_busy(q);
			return;
		}
		json_object_set_new(m, "has_previous", json_boolean(at > 0));
		json_object_set_new(m, "has_next", json_boolean(at + 1 < p.nquestions));
	} else if (p.nquestions && strcmp(p.status, "draft")) {
		json_object_set_new(m, "has_next", json_true()); /* to the first question */
		json_object_set_new(m, "none_shown", json_true());
	}
	if (form_failed(q))
		json_object_set_new(m, "error", json_string(json_string_value(
			json_object_iter_value(json_object_iter(q->form->errors)))));
	app_page(q, status, "poll_present", m);
}

void poll_qr(app_req *q)
{
	poll p;
	if (!poll_load(q, POLL_COUNTS_NONE, &p))
		return;
	const char *base = poll_join_base(q, false);
	const char *url = base ? arena_printf(q->a, "%s/%s", base, p.code) : NULL;
	QRcode *qr = url ? QRcode_encodeString(url, 0, QR_ECLEVEL_M, QR_MODE_8, 1) : NULL;
	if (!qr) {
		poll_busy(q);
		return;
	}
	int w = qr->width, size = w + 8;
	sb *o = &q->s->body;
	sb_printf(o, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	             "shape-rendering=\"crispEdges\" role=\"img\" aria-labelledby=\"qr-title qr-desc\">"
	             "<title id=\"qr-title\">", size, size);
	sb_html(o, app_t(q, "QR code to join the poll"));
	sb_puts(o, "</title><desc id=\"qr-desc\">");
	sb_html(o, url);
	sb_printf(o, "</desc><rect width=\"%d\" height=\"%d\" fill=\"#fff\"/><path fill=\"#000\" d=\"",
	          size, size);
	for (int y = 0; y < w; y++)
		for (int x = 0; x < w; x++)
			if (qr->data[y * w + x] & 1)
				sb_printf(o, "M%d %dh1v1h-1z", x + 4, y + 4);
	sb_puts(o, "\"/></svg>\n");
	QRcode_free(qr);
	if (sb_failed(o)) {
		sb_free(o);
		poll_busy(q);
		return;
	}
	q->s->status = 200;
	q->s->content_type = "image/svg+xml";
}

void poll_stream(app_req *q)
{
	poll p;
	if (poll_load(q, POLL_COUNTS_NONE, &p))
		poll_live_stream(q, &p, true);
}
