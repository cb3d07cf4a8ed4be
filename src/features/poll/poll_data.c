/* poll_data.c — live polls as data: one builder per resource of the API
 * (a Poll, a Question with as much of its results as asked), codes and
 * numbers only, never interface labels (features/poll/openapi.json
 * describes them); and the arithmetic that screens share: percentages that
 * add up, a scale's average, and the layout of a word cloud. Pages add
 * their labels on top of these; they never change what the API says.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

json_t *poll_data(const poll *p)
{
	json_t *d = json_pack("{s:I,s:s,s:s,s:s,s:s,s:b,s:b,s:b}", "id", (json_int_t)p->id,
	                      "title", p->title, "code", p->code, "mode", p->mode, "status", p->status,
	                      "show_results", p->show_results, "shared_network", p->shared_network,
	                      "attached", p->attached);
	if (!d)
		return NULL;
	if (json_object_set_new(d, "plan_id", p->plan_id ? json_integer((json_int_t)p->plan_id)
	                                                 : json_null()) ||
	    json_object_set_new(d, "current_question_id",
	                        p->current_question ? json_integer((json_int_t)p->current_question)
	                                            : json_null()))
		return NULL;
	return d;
}

int64_t poll_scale_count(const poll_question *q, int value)
{
	char item[32];
	snprintf(item, sizeof item, "s:%d", value);
	for (size_t t = 0; t < q->ntallies; t++)
		if (!strcmp(q->tallies[t].item, item))
			return q->tallies[t].n;
	return 0;
}

double poll_scale_average(const poll_question *q, int64_t *count)
{
	int64_t sum = 0, cnt = 0;
	for (int v = q->scale_min; v <= q->scale_max; v++) {
		int64_t n = poll_scale_count(q, v);
		sum += n * v;
		cnt += n;
	}
	if (count)
		*count = cnt;
	return cnt ? (double)sum / (double)cnt : 0;
}

void poll_shares(const int64_t *n, size_t k, int64_t total, int *pct)
{
	int64_t sum = 0;
	for (size_t i = 0; i < k; i++)
		sum += n[i];
	if (total <= 0) {
		for (size_t i = 0; i < k; i++)
			pct[i] = 0;
		return;
	}
	if (sum != total) {
		/* Several answers each: every share on its own, half up. */
		for (size_t i = 0; i < k; i++)
			pct[i] = (int)((n[i] * 200 + total) / (2 * total));
		return;
	}
	/* Largest remainders: floors first, then one point each to the largest
	 * remainders (the earlier option of equals) until they make 100. */
	int given = 0;
	for (size_t i = 0; i < k; i++) {
		pct[i] = (int)(n[i] * 100 / total);
		given += pct[i];
	}
	while (given < 100) {
		size_t best = k;
		int64_t best_rem = -1;
		for (size_t i = 0; i < k; i++) {
			int64_t rem = n[i] * 100 % total;
			/* one point per option at most: a floor that was raised has no
			 * remainder left */
			if (rem > best_rem && (int64_t)pct[i] * total < n[i] * 100) {
				best = i;
				best_rem = rem;
			}
		}
		if (best == k)
			break;
		pct[best]++;
		given++;
	}
}

/* The question's options with their counts, shares when asked. */
static json_t *options_data(const poll_question *q, bool results)
{
	json_t *opts = json_array();
	for (size_t k = 0; opts && k < q->noptions; k++) {
		json_t *o = json_pack("{s:I,s:s}", "id", (json_int_t)q->options[k].id, "label",
		                      q->options[k].label);
		if (o && results) {
			json_object_set_new(o, "n", json_integer(q->options[k].n));
			json_object_set_new(o, "points", json_integer(q->options[k].points));
		}
		if (json_array_append_new(opts, o))
			return NULL;
	}
	return opts;
}

json_t *poll_question_data(store *s, arena *a, const poll_question *q, poll_results r)
{
	bool results = r != POLL_R_NONE && q->counted;
	json_t *jq = json_pack("{s:I,s:i,s:s,s:s,s:b,s:o}", "id", (json_int_t)q->id, "position",
	                       q->position, "kind", q->kind, "prompt", q->prompt, "locked", q->locked,
	                       "options", options_data(q, results));
	if (!jq)
		return NULL;
	bool scale = !strcmp(q->kind, "scale");
	if (scale) {
		json_object_set_new(jq, "scale_min", json_integer(q->scale_min));
		json_object_set_new(jq, "scale_max", json_integer(q->scale_max));
	}
	if (!results)
		return jq;
	if (json_object_set_new(jq, "voters", json_integer(q->voters)))
		return NULL;
	if (scale) {
		json_t *sc = json_array();
		for (int v = q->scale_min; sc && v <= q->scale_max; v++)
			if (json_array_append_new(sc, json_pack("{s:i,s:I}", "value", v, "n",
			                                        (json_int_t)poll_scale_count(q, v))))
				sc = NULL;
		int64_t cnt = 0;
		double avg = poll_scale_average(q, &cnt);
		if (json_object_set_new(jq, "scale", sc) ||
		    json_object_set_new(jq, "average", cnt ? json_real(avg) : json_null()))
			return NULL;
	}
	/* Typed answers hidden as personal data: counted, never shown. */
	if ((!strcmp(q->kind, "words") || !strcmp(q->kind, "open")) &&
	    json_object_set_new(jq, "hidden", json_integer((json_int_t)q->hidden)))
		return NULL;
	if (!strcmp(q->kind, "words")) {
		size_t max = r == POLL_R_REPORT ? q->ntallies : POLL_CLOUD_WORDS;
		json_t *w = json_array();
		for (size_t t = 0; w && t < q->ntallies && t < max; t++)
			if (json_array_append_new(w, json_pack("{s:s,s:I}", "word", q->tallies[t].label,
			                                       "n", (json_int_t)q->tallies[t].n)))
				w = NULL;
		if (json_object_set_new(jq, "words", w))
			return NULL;
	}
	if (!strcmp(q->kind, "open") && s) {
		const char **ans = NULL;
		size_t na = 0;
		if (poll_store_answers(s, a, q->id, r == POLL_R_REPORT ? 10000 : 20, &ans, &na) != STORE_OK)
			return NULL;
		json_t *ja = json_array();
		for (size_t t = 0; ja && t < na; t++)
			if (json_array_append_new(ja, json_string(ans[t])))
				ja = NULL;
		if (json_object_set_new(jq, "answers", ja))
			return NULL;
	}
	return jq;
}

/* ---- word cloud ---- */

typedef struct box { double x0, y0, x1, y1; } box;

static bool overlaps(const box *a, const box *b)
{
	return a->x0 < b->x1 && b->x0 < a->x1 && a->y0 < b->y1 && b->y0 < a->y1;
}

/* A word's box at size sz around (x, y): an estimate of a bold sans-serif
 * line (0.68 em per character on average, a wide font's) with a little air around it. */
static box word_box(size_t chars, double sz, double x, double y)
{
	double w = (double)chars * sz * 0.68 + sz * 0.4, h = sz * 1.3;
	return (box){ x - w / 2, y - h / 2, x + w / 2, y + h / 2 };
}

size_t poll_cloud(const poll_tally *t, size_t n, poll_cloud_word *out, size_t max)
{
	enum { BIG = 130, SMALL = 36, MIN = 26, STEPS = 6000 };
	if (n > max)
		n = max;
	if (n == 0)
		return 0;
	int64_t hi = t[0].n, lo = t[0].n;
	for (size_t i = 1; i < n; i++) {
		if (t[i].n > hi)
			hi = t[i].n;
		if (t[i].n < lo)
			lo = t[i].n;
	}
	/* Type sizes by count, then all smaller together until the words need
	 * at most 40% of the box: room to place them. */
	double sizes[POLL_CLOUD_WORDS], need = 0;
	size_t chars[POLL_CLOUD_WORDS];
	if (n > POLL_CLOUD_WORDS)
		n = POLL_CLOUD_WORDS;
	for (size_t i = 0; i < n; i++) {
		chars[i] = text_utf8_len(t[i].label);
		double f = hi > lo ? pow((double)(t[i].n - lo) / (double)(hi - lo), 0.75)
		                   : (n == 1 ? 1 : 0.55);
		sizes[i] = SMALL + (BIG - SMALL) * f;
		box b = word_box(chars[i], sizes[i], 0, 0);
		need += (b.x1 - b.x0) * (b.y1 - b.y0);
	}
	double fit = need > 0.4 * POLL_CLOUD_W * POLL_CLOUD_H
	             ? sqrt(0.4 * POLL_CLOUD_W * POLL_CLOUD_H / need) : 1;
	box placed[POLL_CLOUD_WORDS];
	size_t got = 0;
	const double cx = POLL_CLOUD_W / 2.0, cy = POLL_CLOUD_H / 2.0;
	for (size_t i = 0; i < n; i++) {
		if (!chars[i])
			continue;
		double sz = sizes[i] * fit;
		if (sz < MIN)
			sz = MIN;
		/* A long entry must fit across. */
		while (sz > MIN && word_box(chars[i], sz, 0, 0).x1 * 2 > POLL_CLOUD_W - 20)
			sz *= 0.9;
		bool ok = false;
		box b = { 0 };
		double x = cx, y = cy;
		for (int shrink = 0; shrink < 3 && !ok; shrink++, sz *= 0.8) {
			/* An Archimedean spiral out from the middle, stretched to the
			 * box's shape, in steps of about the same length. */
			double th = 0;
			for (int s = 0; s < STEPS && !ok; s++) {
				double r = 4 * th;
				th += 14 / (r + 14);
				x = cx + r * cos(th) * (POLL_CLOUD_W / (double)POLL_CLOUD_H);
				y = cy + r * sin(th);
				b = word_box(chars[i], sz, x, y);
				if (b.x0 < 8 || b.y0 < 8 || b.x1 > POLL_CLOUD_W - 8 || b.y1 > POLL_CLOUD_H - 8)
					continue;
				ok = true;
				for (size_t j = 0; j < got && ok; j++)
					ok = !overlaps(&b, &placed[j]);
			}
			if (ok)
				break;
		}
		if (!ok)
			continue;
		placed[got] = b;
		out[got] = (poll_cloud_word){ t[i].label, t[i].n, (int)lround(x), (int)lround(y),
		                              (int)lround(sz), (int)(i % 4) };
		got++;
	}
	return got;
}
