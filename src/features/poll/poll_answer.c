/* poll_answer.c — a participant's answer: read from the phone's form
 * (option=ID, rank_ID=PLACE, value, text) or from the JSON API, and checked
 * against its question into the counts it adds (poll_answer_check): an
 * option of this question, each once, one for a single choice, a ranking
 * with every option in its own place (and which two share one, in words),
 * a value on the scale, a text of the right length, word-cloud entries
 * that count. No store, no page: poll_vote.c does those.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

#define BUSY "The server is too busy right now. Please try again in a minute."

static const poll_option *find_option(const poll_question *q, int64_t id)
{
	for (size_t i = 0; i < q->noptions; i++)
		if (q->options[i].id == id)
			return &q->options[i];
	return NULL;
}

bool poll_answer_check(arena *a, const poll_question *q, const int64_t *opts, size_t nopts,
                       const char *text, long long value, bool has_value, poll_answer *out,
                       int *status, const char **field, const char **msgid)
{
	memset(out, 0, sizeof *out);
	*status = 422;
	*field = "options";
	const char *k = q->kind;
	bool rank = !strcmp(k, "ranking");
	if (!strcmp(k, "single") || !strcmp(k, "multiple") || rank) {
		if (nopts == 0) {
			*msgid = rank ? "Give every option its own place." : "Choose an answer.";
			return false;
		}
		if (nopts > 64 || (!strcmp(k, "single") && nopts != 1)) {
			*msgid = "Choose one answer.";
			return false;
		}
		sb ans;
		sb_init(&ans);
		for (size_t i = 0; i < nopts; i++) {
			const poll_option *o = find_option(q, opts[i]);
			bool dup = false;
			for (size_t j = 0; j < i; j++)
				dup |= opts[j] == opts[i];
			if (!o || dup) {
				sb_free(&ans);
				*msgid = !o ? "This answer is not one of the options of this question."
				       : rank ? "Give every option its own place."
				       : "Choose each answer only once.";
				return false;
			}
			int64_t pts = rank ? (int64_t)(q->noptions - i) : 0;
			const char *item = arena_printf(a, "o:%lld", (long long)o->id);
			if (!item) {
				sb_free(&ans);
				*status = 503;
				*msgid = BUSY;
				return false;
			}
			out->items[out->nitems++] = (poll_item){ item, o->label, pts };
			sb_printf(&ans, "%s%lld", i ? "," : "", (long long)o->id);
		}
		if (rank && nopts != q->noptions) {
			sb_free(&ans);
			*msgid = "Give every option its own place.";
			return false;
		}
		out->answer = sb_failed(&ans) ? NULL : arena_strdup(a, sb_str(&ans));
		sb_free(&ans);
	} else if (!strcmp(k, "scale")) {
		*field = "value";
		if (!has_value || value < q->scale_min || value > q->scale_max) {
			*msgid = "Choose a value on the scale.";
			return false;
		}
		out->answer = arena_printf(a, "%lld", value);
		const char *item = arena_printf(a, "s:%lld", value);
		out->items[0] = (poll_item){ item, out->answer, 0 };
		out->nitems = 1;
		if (!item)
			out->answer = NULL;
	} else {
		*field = "text";
		bool words = !strcmp(k, "words");
		const char *t = text_trim(a, text ? text : "");
		if (!t) {
			*status = 503;
			*msgid = BUSY;
			return false;
		}
		if (!*t) {
			*msgid = words ? "Write one or more words." : "Write an answer.";
			return false;
		}
		if (text_utf8_len(t) > (words ? POLL_WORDS_MAX : POLL_OPEN_MAX)) {
			*msgid = words ? "Your answer is too long: at most 100 characters."
			               : "Your answer is too long: at most 500 characters.";
			return false;
		}
		if (text_has_control(t, !words)) {
			*msgid = "Remove the invisible control characters from this field.";
			return false;
		}
		out->answer = t;
		if (words) {
			int n = poll_words(a, t, out->items, POLL_WORDS_PER_ANSWER, msgid);
			if (n <= 0) {
				*status = n < 0 ? 503 : 422;
				return false;
			}
			out->nitems = (size_t)n;
		}
	}
	if (!out->answer) {
		*status = 503;
		*msgid = BUSY;
		return false;
	}
	return true;
}

/* ---- the answer as posted ---- */

/* Reads the form's answer: option=ID (choices) or rank_ID=PLACE (ranking,
 * ordered by place). False when a value is not a number (what could be
 * read is in *in all the same, to show again). */
bool poll_posted_form(app_req *q, poll_posted *in)
{
	memset(in, 0, sizeof *in);
	long long v;
	bool ok = true;
	in->question = form_int(q, "question");
	in->text = form_text(q, "text");
	if (*form_text(q, "value")) {
		in->value = form_int(q, "value");
		in->has_value = true;
	}
	for (size_t i = 0; i < q->r->form.len; i++) {
		const http_kv *kv = &q->r->form.items[i];
		if (!strcmp(kv->key, "option") && in->nopts < 64) {
			if (text_parse_int(kv->value, 1, INT64_MAX, &v))
				in->opts[in->nopts++] = v;
			else
				ok = false;
		} else if (!strncmp(kv->key, "rank_", 5) && in->nopts < 64) {
			long long place;
			if (text_parse_int(kv->key + 5, 1, INT64_MAX, &v) &&
			    text_parse_int(kv->value, 1, 64, &place)) {
				in->places[in->nopts] = (int)place;
				in->opts[in->nopts++] = v;
				in->ranked = true;
			} else {
				ok = false;
			}
		}
	}
	/* by place, the order of the form among equals */
	for (size_t i = 1; in->ranked && i < in->nopts; i++)
		for (size_t j = i; j > 0 && in->places[j - 1] > in->places[j]; j--) {
			int tp = in->places[j];
			in->places[j] = in->places[j - 1];
			in->places[j - 1] = tp;
			int64_t to = in->opts[j];
			in->opts[j] = in->opts[j - 1];
			in->opts[j - 1] = to;
		}
	return ok;
}

/* A ranking that gives two options one place: which, in words. */
const char *poll_ranking_tie(app_req *q, const poll_question *pq, const poll_posted *in)
{
	for (size_t i = 1; i < in->nopts; i++)
		if (in->places[i] == in->places[i - 1]) {
			const poll_option *a = find_option(pq, in->opts[i - 1]), *b = find_option(pq, in->opts[i]);
			if (!a || !b)
				return NULL;
			const char *msg = arena_printf(q->a, app_t(q, "“%s” and “%s” both have place %d. Give each option its own place."),
			                               a->label, b->label, in->places[i]);
			return msg ? msg : BUSY;
		}
	return NULL;
}

/* Reads a JSON vote: {"question":ID, "options":[ID…], "value":N,
 * "text":"…"}. False when it cannot be read. */
bool poll_posted_json(app_req *q, poll_posted *in)
{
	memset(in, 0, sizeof *in);
	json_error_t err;
	json_t *body = json_loadb(q->r->body ? q->r->body : "", q->r->body_len, 0, &err);
	if (!json_is_object(body))
		return false;
	json_t *jq = json_object_get(body, "question");
	if (!json_is_integer(jq))
		return false;
	in->question = json_integer_value(jq);
	json_t *o = json_object_get(body, "options");
	if (o && !json_is_array(o))
		return false;
	size_t i;
	json_t *v;
	json_array_foreach(o, i, v) {
		if (!json_is_integer(v) || in->nopts >= 64)
			return false;
		in->opts[in->nopts++] = json_integer_value(v);
	}
	json_t *t = json_object_get(body, "text");
	if (t && !json_is_string(t))
		return false;
	in->text = t ? arena_strdup(q->a, json_string_value(t)) : NULL;
	if (t && !in->text)
		return false;
	json_t *val = json_object_get(body, "value");
	if (val && !json_is_integer(val))
		return false;
	if (val) {
		in->value = json_integer_value(val);
		in->has_value = true;
	}
	return true;
}
