/* polls_vote.c — the participant's side of a live poll: the short address
 * /p where a 6-digit code is typed, the phone page with the open question
 * (or every question when participants go at their own pace), voting (also
 * as JSON under /api/v1/p/{code}), and the participant's stream. No
 * account: a participant is a random id in a cookie signed with HMAC-SHA256
 * under a server secret kept in the meta table; forged cookies are refused.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

#define COOKIE "op_poll"

/* ---- participant cookie ---- */

static pthread_mutex_t secret_mu = PTHREAD_MUTEX_INITIALIZER;
static unsigned char   secret[crypto_auth_hmacsha256_KEYBYTES];
static bool            have_secret;

static bool load_secret(app *ap)
{
	pthread_mutex_lock(&secret_mu);
	if (!have_secret) {
		arena a;
		arena_init(&a, 1u << 16);
		const char *hex = NULL;
		store_rc rc = store_meta_get(ap->db, &a, "poll_secret", &hex);
		if (rc == STORE_OK && hex && strlen(hex) == 2 * sizeof secret) {
			have_secret = sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, NULL,
			                             NULL) == 0;
		} else if (rc == STORE_NOTFOUND) {
			/* Nodes that start together keep the first one made. */
			char buf[2 * sizeof secret + 1];
			randombytes_buf(secret, sizeof secret);
			sodium_bin2hex(buf, sizeof buf, secret, sizeof secret);
			have_secret = store_meta_init(ap->db, &a, "poll_secret", buf, &hex) == STORE_OK &&
			              strlen(hex) == 2 * sizeof secret &&
			              sodium_hex2bin(secret, sizeof secret, hex, strlen(hex), NULL, NULL,
			                             NULL) == 0;
		}
		arena_free(&a);
	}
	bool ok = have_secret;
	pthread_mutex_unlock(&secret_mu);
	return ok;
}

static void mac_hex(const char *id, char out[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256(mac, (const unsigned char *)id, strlen(id), secret);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

const char *poll_cookie_new(app *ap, arena *a)
{
	if (!load_secret(ap))
		return NULL;
	unsigned char raw[16];
	char id[33], mac[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(id, sizeof id, raw, sizeof raw);
	mac_hex(id, mac);
	return arena_printf(a, "%s.%s", id, mac);
}

const char *poll_cookie_check(app *ap, arena *a, const char *cookie)
{
	if (!cookie || strlen(cookie) != 32 + 1 + 64 || cookie[32] != '.' || !load_secret(ap))
		return NULL;
	char *id = arena_strndup(a, cookie, 32);
	if (!id)
		return NULL;
	for (int i = 0; i < 32; i++)
		if (!((id[i] >= '0' && id[i] <= '9') || (id[i] >= 'a' && id[i] <= 'f')))
			return NULL;
	char mac[65];
	mac_hex(id, mac);
	return sodium_memcmp(mac, cookie + 33, 64) == 0 ? id : NULL;
}

/* ---- answers ---- */

static const poll_option *find_option(const poll_question *q, int64_t id)
{
	for (size_t i = 0; i < q->noptions; i++)
		if (q->options[i].id == id)
			return &q->options[i];
	return NULL;
}

bool poll_answer_check(arena *a, const poll_question *q, const int64_t *opts, size_t nopts,
                       const char *text, long long value, bool has_value, poll_answer *out,
                       int *status, const char **msgid)
{
	memset(out, 0, sizeof *out);
	*status = 422;
	const char *k = q->kind;
	if (!strcmp(k, "single") || !strcmp(k, "multiple") || !strcmp(k, "ranking")) {
		if (nopts == 0) {
			*msgid = !strcmp(k, "ranking") ? "Put every option in a different place."
			                               : "Choose an answer.";
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
				       : !strcmp(k, "ranking") ? "Put every option in a different place."
				       : "Choose each answer only once.";
				return false;
			}
			int64_t pts = !strcmp(k, "ranking") ? (int64_t)(q->noptions - i) : 0;
			out->items[out->nitems++] = (poll_item){
				arena_printf(a, "o:%lld", (long long)o->id), o->label, pts };
			sb_printf(&ans, "%s%lld", i ? "," : "", (long long)o->id);
		}
		if (!strcmp(k, "ranking") && nopts != q->noptions) {
			sb_free(&ans);
			*msgid = "Put every option in a different place.";
			return false;
		}
		out->answer = arena_strdup(a, sb_str(&ans));
		sb_free(&ans);
	} else if (!strcmp(k, "scale")) {
		if (!has_value || value < q->scale_min || value > q->scale_max) {
			*msgid = "Choose a value on the scale.";
			return false;
		}
		out->answer = arena_printf(a, "%lld", value);
		out->items[0] = (poll_item){ arena_printf(a, "s:%lld", value), out->answer, 0 };
		out->nitems = 1;
	} else {
		bool words = !strcmp(k, "words");
		const char *t = text_trim(a, text ? text : "");
		if (!t || !*t) {
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
			out->nitems = poll_words(a, t, out->items, POLL_WORDS_PER_ANSWER);
			if (out->nitems == 0) {
				*msgid = "Write one or more words (common words like 'de' and 'het' do not count).";
				return false;
			}
		}
	}
	if (!out->answer) {
		*status = 500;
		*msgid = "Something went wrong on our side. Please try again later.";
		return false;
	}
	return true;
}

/* ---- loading a poll by its code ---- */

static bool code_valid(const char *c)
{
	if (!c || strlen(c) != 6)
		return false;
	for (int i = 0; i < 6; i++)
		if (c[i] < '0' || c[i] > '9')
			return false;
	return true;
}

/* Loads the open poll with this code, or answers with why not. */
static bool load_open(app_req *q, const char *code, bool counts, poll *p)
{
	store_rc rc = code_valid(code) ? poll_store_by_code(q->app->db, q->a, code, counts, p)
	                               : STORE_NOTFOUND;
	if (rc == STORE_NOTFOUND) {
		app_error(q, 404, "There is no poll with this code. Check the code and try again.");
		return false;
	}
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	if (!strcmp(p->status, "closed")) {
		app_error(q, 410, "This poll has ended. Thank you for taking part.");
		return false;
	}
	if (!strcmp(p->status, "draft")) {
		app_error(q, 409, "This poll has not started yet. Wait until the presenter opens it.");
		return false;
	}
	return true;
}

/* The participant id; a new one (with its cookie) when absent or not valid. */
static const char *participant(app_req *q, bool issue)
{
	const char *id = poll_cookie_check(q->app, q->a, http_cookie(q->r, COOKIE));
	if (id || !issue)
		return id;
	const char *c = poll_cookie_new(q->app, q->a);
	if (!c)
		return NULL;
	http_set_cookie(q->r, q->s, COOKIE, c, 86400, q->app->cfg.https);
	return arena_strndup(q->a, c, 32);
}

/* ---- /p ---- */

void poll_join(app_req *q)
{
	const char *code = q->r->method == HTTP_POST ? http_form(q->r, "code") : http_query(q->r, "code");
	json_t *m = json_pack("{s:s}", "title", app_t(q, "Join a poll"));
	if (!code) {
		app_page(q, 200, "poll_join", m);
		return;
	}
	char *c = text_trim(q->a, code);
	/* "123 456" and "123-456" are the same code. */
	size_t j = 0;
	for (size_t i = 0; c && c[i]; i++)
		if (c[i] != ' ' && c[i] != '-')
			c[j++] = c[i];
	if (c)
		c[j] = '\0';
	json_object_set_new(m, "code", json_string(code));
	poll p;
	if (!code_valid(c)) {
		json_object_set_new(m, "error", json_string(app_t(q, "Type the 6 digits of the code.")));
		app_page(q, 422, "poll_join", m);
		return;
	}
	store_rc rc = poll_store_by_code(q->app->db, q->a, c, false, &p);
	if (rc == STORE_OK && strcmp(p.status, "open")) {
		json_object_set_new(m, "error", json_string(app_t(q, !strcmp(p.status, "closed")
			? "This poll has ended. Thank you for taking part."
			: "This poll has not started yet. Wait until the presenter opens it.")));
		app_page(q, !strcmp(p.status, "closed") ? 410 : 409, "poll_join", m);
		return;
	}
	if (rc != STORE_OK) {
		json_object_set_new(m, "error", json_string(app_t(q, "There is no poll with this code. Check the code and try again.")));
		app_page(q, 404, "poll_join", m);
		return;
	}
	json_decref(m);
	app_redirect(q, arena_printf(q->a, "/p/%s", c), NULL);
}

/* My answer to question id, or NULL. */
static const char *mine(const int64_t *qids, const char **ans, size_t n, int64_t id)
{
	for (size_t i = 0; i < n; i++)
		if (qids[i] == id)
			return ans[i];
	return NULL;
}

static bool in_list(const char *list, int64_t id)
{
	char *end;
	for (const char *s = list; s && *s;) {
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		if (v == id)
			return true;
		s = *end == ',' ? end + 1 : end;
	}
	return false;
}

static int list_pos(const char *list, int64_t id)
{
	char *end;
	int pos = 1;
	for (const char *s = list; s && *s; pos++) {
		long long v = strtoll(s, &end, 10);
		if (end == s)
			break;
		if (v == id)
			return pos;
		s = *end == ',' ? end + 1 : end;
	}
	return 0;
}

void poll_participate(app_req *q)
{
	poll p;
	const char *code = http_param(q->r, "code");
	if (!load_open(q, code, true, &p))
		return;
	const char *me = participant(q, true);
	if (!me) {
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	int64_t *qids = NULL;
	const char **ans = NULL;
	size_t nans = 0;
	poll_store_my_answers(q->app->db, q->a, p.id, me, &qids, &ans, &nans);
	bool self = !strcmp(p.mode, "self");
	json_t *snap = poll_snapshot(&p, p.show_results, q->app->db, q->a);
	json_t *qs = json_object_get(snap, "questions");
	json_t *shown = json_array();
	bool waiting = true;
	size_t i;
	json_t *jq;
	json_array_foreach(qs, i, jq) {
		const poll_question *pq = &p.questions[i];
		if (!self && pq->id != p.current_question)
			continue;
		const char *my = mine(qids, ans, nans, pq->id);
		json_object_set_new(jq, "number", json_integer((json_int_t)i + 1));
		json_object_set_new(jq, "kind_" , json_string(pq->kind));
		json_object_set_new(jq, "is_single", json_boolean(!strcmp(pq->kind, "single")));
		json_object_set_new(jq, "is_multiple", json_boolean(!strcmp(pq->kind, "multiple")));
		json_object_set_new(jq, "is_ranking", json_boolean(!strcmp(pq->kind, "ranking")));
		json_object_set_new(jq, "is_scale", json_boolean(!strcmp(pq->kind, "scale")));
		json_object_set_new(jq, "is_open", json_boolean(!strcmp(pq->kind, "open")));
		json_object_set_new(jq, "is_words", json_boolean(!strcmp(pq->kind, "words")));
		json_object_set_new(jq, "answered", json_boolean(my != NULL));
		json_object_set_new(jq, "my_answer", my ? json_string(my) : json_null());
		json_object_set_new(jq, "text", json_string(my && (!strcmp(pq->kind, "open") ||
		                                                   !strcmp(pq->kind, "words")) ? my : ""));
		size_t k;
		json_t *o;
		json_t *ranks = json_array();
		for (size_t r = 1; r <= pq->noptions; r++)
			json_array_append_new(ranks, json_integer((json_int_t)r));
		json_array_foreach(json_object_get(jq, "options"), k, o) {
			int64_t oid = pq->options[k].id;
			json_object_set_new(o, "checked", json_boolean(my && in_list(my, oid)));
			int pos = my && !strcmp(pq->kind, "ranking") ? list_pos(my, oid) : (int)k + 1;
			json_t *rk = json_array();
			for (size_t r = 1; r <= pq->noptions; r++)
				json_array_append_new(rk, json_pack("{s:I,s:b}", "value", (json_int_t)r,
				                                    "selected", (int)r == pos));
			json_object_set_new(o, "ranks", rk);
			if (p.show_results && pq->voters > 0)
				json_object_set_new(o, "pct", json_integer((json_int_t)(100 * pq->options[k].n / pq->voters)));
		}
		json_decref(ranks);
		if (!strcmp(pq->kind, "scale")) {
			json_t *vals = json_array();
			for (int v = pq->scale_min; v <= pq->scale_max; v++)
				json_array_append_new(vals, json_pack("{s:i,s:b}", "value", v, "checked",
				                                      my && atoi(my) == v));
			json_object_set_new(jq, "values", vals);
		}
		json_object_set_new(jq, "can_vote", json_boolean(!pq->locked));
		json_object_set_new(jq, "is_ranking", json_boolean(!strcmp(pq->kind, "ranking")));
		if (p.show_results)
			poll_bars(jq, pq);
		if (!my && !pq->locked)
			waiting = false;
		json_array_append(shown, jq);
	}
	json_t *m = json_pack("{s:s,s:s,s:s,s:o,s:b,s:b,s:b,s:I}", "title", p.title, "code", p.code,
	                      "mode", p.mode, "questions", shown, "self", self, "show_results",
	                      p.show_results, "waiting", !self && waiting, "current",
	                      (json_int_t)p.current_question);
	json_object_set_new(m, "sig", json_incref(json_object_get(snap, "sig")));
	json_decref(snap);
	/* Without JavaScript the page looks again now and then, but not while
	 * someone may be typing an answer. */
	if (!self && waiting)
		json_object_set_new(m, "refresh", json_integer(5));
	json_object_set_new(m, "stream", json_string(arena_printf(q->a, "/p/%s/stream", p.code)));
	app_page(q, 200, "poll_participant", m);
}

/* Reads the answer from a JSON body or a form. */
static bool read_vote(app_req *q, json_t **body, int64_t *qid, int64_t *opts, size_t *nopts,
                      const char **text, long long *value, bool *has_value)
{
	*nopts = 0;
	*text = NULL;
	*has_value = false;
	const char *ct = q->r->content_type ? q->r->content_type : "";
	if (!strncmp(ct, "application/json", 16)) {
		json_error_t err;
		*body = json_loadb(q->r->body, q->r->body_len, 0, &err);
		if (!json_is_object(*body))
			return false;
		json_t *jq = json_object_get(*body, "question");
		if (!json_is_integer(jq))
			return false;
		*qid = json_integer_value(jq);
		json_t *o = json_object_get(*body, "options");
		if (o && !json_is_array(o))
			return false;
		size_t i;
		json_t *v;
		json_array_foreach(o, i, v) {
			if (!json_is_integer(v) || *nopts >= 64)
				return false;
			opts[(*nopts)++] = json_integer_value(v);
		}
		json_t *t = json_object_get(*body, "text");
		if (t && !json_is_string(t))
			return false;
		*text = json_string_value(t);
		json_t *val = json_object_get(*body, "value");
		if (val && !json_is_integer(val))
			return false;
		if (val) {
			*value = json_integer_value(val);
			*has_value = true;
		}
		return true;
	}
	long long v;
	const char *qs = http_form(q->r, "question");
	if (!qs || !text_parse_int(qs, 1, INT64_MAX, &v))
		return false;
	*qid = v;
	*text = http_form(q->r, "text");
	const char *val = http_form(q->r, "value");
	if (val && *val) {
		if (!text_parse_int(val, -1000000, 1000000, value))
			return false;
		*has_value = true;
	}
	/* option=ID (choices) or rank_ID=PLACE (ranking: ordered by place) */
	int places[64];
	for (size_t i = 0; i < q->r->form.len; i++) {
		const http_kv *kv = &q->r->form.items[i];
		if (!strcmp(kv->key, "option") && *nopts < 64) {
			if (!text_parse_int(kv->value, 1, INT64_MAX, &v))
				return false;
			places[*nopts] = 0;
			opts[(*nopts)++] = v;
		} else if (!strncmp(kv->key, "rank_", 5) && *nopts < 64) {
			long long place;
			if (!text_parse_int(kv->key + 5, 1, INT64_MAX, &v) ||
			    !text_parse_int(kv->value, 1, 64, &place))
				return false;
			places[*nopts] = (int)place;
			opts[(*nopts)++] = v;
		}
	}
	/* Sort by place; equal places make a duplicate the check refuses. */
	for (size_t i = 1; i < *nopts; i++)
		for (size_t j = i; j > 0 && places[j - 1] > places[j]; j--) {
			int tp = places[j]; places[j] = places[j - 1]; places[j - 1] = tp;
			int64_t to = opts[j]; opts[j] = opts[j - 1]; opts[j - 1] = to;
		}
	for (size_t i = 1; i < *nopts; i++)
		if (places[i] && places[i] == places[i - 1])
			opts[i] = opts[i - 1]; /* same place twice: refused as a duplicate */
	return true;
}

void poll_vote(app_req *q)
{
	poll p;
	const char *code = http_param(q->r, "code");
	if (!load_open(q, code, false, &p))
		return;
	const char *cookie = http_cookie(q->r, COOKIE);
	const char *me = poll_cookie_check(q->app, q->a, cookie);
	if (!me) {
		app_error(q, 403, cookie ? "Your participant cookie is not valid. Open the poll again with its code."
		                         : "Join the poll first: open it with its code.");
		return;
	}
	if (!ratelimit_hit(arena_printf(q->a, "pollvote:%s", me), POLL_VOTE_LIMIT, POLL_VOTE_WINDOW)) {
		http_resp_header(q->r, q->s, "Retry-After", "10");
		app_error(q, 429, "You are voting too fast. Wait a moment and try again.");
		return;
	}
	json_t *body = NULL;
	int64_t qid = 0, opts[64];
	size_t nopts = 0;
	const char *text = NULL;
	long long value = 0;
	bool has_value = false;
	if (!read_vote(q, &body, &qid, opts, &nopts, &text, &value, &has_value)) {
		json_decref(body);
		app_error(q, 400, "Your vote could not be read. Answer from the poll's page.");
		return;
	}
	const poll_question *pq = NULL;
	for (size_t i = 0; i < p.nquestions; i++)
		if (p.questions[i].id == qid)
			pq = &p.questions[i];
	if (!pq) {
		json_decref(body);
		app_error(q, 404, "This question is not part of this poll.");
		return;
	}
	if (strcmp(p.mode, "self") && pq->id != p.current_question) {
		json_decref(body);
		app_error(q, 409, "This question is not open for voting now.");
		return;
	}
	if (pq->locked) {
		json_decref(body);
		app_error(q, 409, "This question is locked: voting has stopped.");
		return;
	}
	poll_answer pa;
	int status = 0;
	const char *msgid = NULL;
	bool ok = poll_answer_check(q->a, pq, opts, nopts, text, value, has_value, &pa, &status, &msgid);
	json_decref(body);
	if (!ok) {
		app_error(q, status, msgid);
		return;
	}
	bool replaced = false;
	store_rc rc = poll_store_vote(q->app->db, pq->id, me, pa.answer, pa.items, pa.nitems, &replaced);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	poll_live_changed(q->app, p.id, false);
	if (q->want_json) {
		app_json(q, 200, json_pack("{s:b,s:I,s:b}", "ok", 1, "question", (json_int_t)pq->id,
		                           "replaced", replaced));
		return;
	}
	app_redirect(q, arena_printf(q->a, "/p/%s#q%lld", p.code, (long long)pq->id), NULL);
}

void poll_part_stream(app_req *q)
{
	poll p;
	if (!load_open(q, http_param(q->r, "code"), true, &p))
		return;
	/* Opening the stream also joins: a participant without a valid cookie
	 * gets one with the stream's headers. */
	if (!participant(q, true)) {
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	poll_live_stream(q, &p, false);
}
