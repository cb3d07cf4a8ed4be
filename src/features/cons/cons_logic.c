/* consultations_logic.c — what the consultation pages share: loading a
 * consultation, its state by date, who may see results, the intro rendered
 * from Markdown (md4c, no raw HTML), the server secret; and the pure
 * functions the unit tests cover: folding write-ins for grouping,
 * percentages, the SVG bar chart and signed tokens.
 */
#include <stdlib.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <utf8proc.h>

#include "../../util/text.h"
#include "cons.h"

bool cons_load(app_req *q, consultation *c)
{
	int64_t id = app_param_id(q, "cid");
	store_rc rc = id ? cons_store_get(q->app->db, q->a, id, c) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

bool cons_visible(const app_req *q, const consultation *c)
{
	return cons_is_organiser(q) || strcmp(c->status, "draft") != 0;
}

bool cons_load_visible(app_req *q, consultation *c)
{
	if (!cons_load(q, c))
		return false;
	if (!cons_visible(q, c)) {
		app_store_error(q, STORE_NOTFOUND);
		return false;
	}
	return true;
}

bool cons_accepting(const consultation *c)
{
	return !strcmp(c->status, "published") && !strcmp(cons_state(c), "open");
}

void cons_oom(app_req *q)
{
	app_error(q, 503, "The server is too busy right now. Please try again in a minute.");
}

void cons_page(app_req *q, int status, const char *tpl, json_t *model)
{
	if (!model || q->a->nfailed > 0) {
		/* Some part of the page could not be made: never show it half. */
		json_decref(model);
		cons_oom(q);
		return;
	}
	app_page(q, status, tpl, model);
}

void cons_json(app_req *q, int status, json_t *model)
{
	if (!model || q->a->nfailed > 0) {
		json_decref(model);
		cons_oom(q);
		return;
	}
	app_json(q, status, model);
}

const char *cons_state(const consultation *c)
{
	if (!strcmp(c->status, "archived"))
		return "closed";
	time_t t = time(NULL);
	struct tm tm;
	gmtime_r(&t, &tm);
	char today[16];
	strftime(today, sizeof today, "%Y-%m-%d", &tm);
	if (strcmp(today, c->opens_on) < 0)
		return "upcoming";
	if (strcmp(today, c->closes_on) > 0)
		return "closed";
	return "open";
}

bool cons_is_organiser(const app_req *q)
{
	return q->me && q->me->role >= ROLE_ORGANISER;
}

bool cons_results_visible(const app_req *q, const consultation *c)
{
	if (cons_is_organiser(q))
		return true;
	if (!strcmp(c->status, "draft"))
		return false;
	const char *st = cons_state(c);
	if (!strcmp(st, "closed"))
		return true;
	return !strcmp(st, "open") && !strcmp(c->results_public, "while_open");
}

const char *cons_kind_label(const char *kind)
{
	static const char *const k[][2] = {
		{ "single", "Single choice" }, { "multiple", "Multiple choice" },
		{ "text", "Open text" }, { "yesno", "Yes or no, and why" },
		{ "ranking", "Ranking" }, { "scale", "Scale from 1 to 5" },
	};
	for (size_t i = 0; i < sizeof k / sizeof *k; i++)
		if (!strcmp(k[i][0], kind))
			return k[i][1];
	return kind;
}

json_t *cons_data(const app_req *q, const consultation *c)
{
	/* data: codes and dates, no labels or page flags */
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:b,s:s,s:s,s:I,s:s,s:b}",
	                 "id", (json_int_t)c->id, "plan_id", (json_int_t)c->plan_id,
	                 "title", c->title, "intro", c->intro,
	                 "opens_on", c->opens_on, "closes_on", c->closes_on,
	                 "allow_anonymous", c->allow_anonymous, "results_public", c->results_public,
	                 "status", c->status, "respondents", (json_int_t)c->responses,
	                 "state", cons_state(c), "results_visible", cons_results_visible(q, c));
}

json_t *cons_summary_json(app_req *q, const consultation *c)
{
	json_t *d = cons_data(q, c);
	if (q->want_json || !d)
		return d;
	const char *st = cons_state(c);
	json_t *v = json_pack("{s:s,s:s,s:b,s:b,s:b,s:b,s:b,s:b,s:s}",
	                      "opens_label", app_date(q, c->opens_on),
	                      "closes_label", app_date(q, c->closes_on),
	                      "is_open", !strcmp(st, "open"), "is_upcoming", !strcmp(st, "upcoming"),
	                      "is_closed", !strcmp(st, "closed"),
	                      "is_draft", !strcmp(c->status, "draft"),
	                      "is_archived", !strcmp(c->status, "archived"),
	                      "accepting", cons_accepting(c),
	                      "status_label", app_t(q, cons_status_label(c->status)));
	if (!v || json_object_update(d, v)) {
		json_decref(v);
		json_decref(d);
		return NULL;
	}
	json_decref(v);
	return d;
}

char *cons_markdown(app_req *q, const char *md)
{
	sb out;
	sb_init(&out);
	if (web_markdown(&out, md) != 0) {
		sb_free(&out);
		return NULL;
	}
	char *r = arena_strdup(q->a, sb_str(&out));
	sb_free(&out);
	return r;
}

bool cons_secret(app_req *q, unsigned char key[32])
{
	const char *hex = NULL;
	store_rc rc = store_meta_get(q->app->db, q->a, "cons_secret", &hex);
	if (rc == STORE_NOTFOUND) {
		unsigned char raw[32];
		char fresh[65];
		randombytes_buf(raw, sizeof raw);
		sodium_bin2hex(fresh, sizeof fresh, raw, sizeof raw);
		/* Two first requests at once (on any node): the first one kept. */
		rc = store_meta_init(q->app->db, q->a, "cons_secret", fresh, &hex);
	}
	if (rc != STORE_OK || !hex || strlen(hex) != 64)
		return false;
	return sodium_hex2bin(key, 32, hex, 64, NULL, NULL, NULL) == 0;
}

/* ---- pure logic ---- */

char *cons_fold(arena *a, const char *text)
{
	/* Collapse white space first, then fold case and compatibility forms. */
	size_t n = strlen(text);
	char *tmp = arena_alloc(a, n + 1);
	if (!tmp)
		return NULL;
	size_t j = 0;
	bool space = false;
	for (const char *p = text; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
			space = j > 0;
			continue;
		}
		if (space)
			tmp[j++] = ' ';
		space = false;
		tmp[j++] = *p;
	}
	tmp[j] = '\0';
	if (!j)
		return arena_strdup(a, "");
	utf8proc_uint8_t *f = utf8proc_NFKC_Casefold((const utf8proc_uint8_t *)tmp);
	if (!f)
		return arena_strdup(a, tmp);
	char *r = arena_strdup(a, (const char *)f);
	free(f);
	return r;
}

int cons_percent(int64_t count, int64_t total)
{
	if (total <= 0)
		return 0;
	return (int)((count * 200 + total) / (total * 2));
}

static void mac_hex(const unsigned char key[32], const char *purpose, const char *nonce,
                    char out[65])
{
	crypto_auth_hmacsha256_state st;
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_init(&st, key, 32);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)purpose, strlen(purpose));
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)"|", 1);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)nonce, strlen(nonce));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(out, 65, mac, sizeof mac);
}

char *cons_token_make(arena *a, const unsigned char key[32], const char *purpose)
{
	unsigned char raw[16];
	char nonce[33], mac[65];
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(nonce, sizeof nonce, raw, sizeof raw);
	mac_hex(key, purpose, nonce, mac);
	return arena_printf(a, "%s.%s", nonce, mac);
}

char *cons_token_check(arena *a, const unsigned char key[32], const char *purpose,
                       const char *token)
{
	if (!token || strlen(token) != 32 + 1 + 64 || token[32] != '.')
		return NULL;
	char *nonce = arena_strndup(a, token, 32);
	if (!nonce)
		return NULL;
	for (const char *p = nonce; *p; p++)
		if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f')))
			return NULL;
	char mac[65];
	mac_hex(key, purpose, nonce, mac);
	return sodium_memcmp(mac, token + 33, 64) == 0 ? nonce : NULL;
}
