/* poll_answers.c — what participants typed into open and word-cloud
 * questions, as the poll's maker reviews it: every answer of a question,
 * newest first, a page at a time, each hidden as personal data or shown
 * again. A hidden answer leaves every screen, report and export (its
 * word-cloud entries leave the counts) and they all say how many are not
 * shown; input items made from it are hidden too (input's trigger). It
 * does not edit or delete answers.
 */
#include <string.h>

#include "../../util/text.h"
#include "poll.h"

enum { ANSWERS_PAGE = 50 };

static const char *const on_off[] = { "1", "0", NULL };
static const form_field hide_fields[] = {
	{ "hidden", F_CHOICE, true, 5, on_off, .label = "Hide this answer" },
	{ "before", F_ID, false, 20, .label = "Page" },
};
const form_def poll_hide_form = FORM_DEF("hide", hide_fields, NULL, poll_answers_reshow);

bool poll_holds(app_req *q, const poll *p)
{
	return q->me && (q->me->role >= ROLE_ADMIN || (p->created_by && p->created_by == q->me->id));
}

/* Loads the poll and checks that the visitor holds it; answers 404/403/503
 * itself. */
static bool load_held(app_req *q, poll *p)
{
	if (!poll_load(q, POLL_COUNTS_NONE, p))
		return false;
	if (!poll_holds(q, p)) {
		app_error(q, 403, "Only the organiser who made this poll, and administrators, may do this.");
		return false;
	}
	return true;
}

static const poll_question *typed_question(const poll *p, int64_t id)
{
	const poll_question *pq = poll_question_of(p, id);
	return pq && (!strcmp(pq->kind, "open") || !strcmp(pq->kind, "words")) ? pq : NULL;
}

static void not_found(app_req *q)
{
	app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
}

/* The page of one question's typed answers from before (0: the newest).
 * failed: the answer whose form came back with a message (0: none). */
static void answers_page(app_req *q, int status, const poll *p, const poll_question *pq,
                         int64_t before, int64_t failed)
{
	poll_text *t = NULL;
	size_t n = 0;
	store_rc rc = poll_store_texts(q->app->db, q->a, pq->id, before, ANSWERS_PAGE, &t, &n);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	json_t *form = form_view(q, &poll_hide_form, "hide", NULL, true);
	json_t *err = json_object_get(json_object_get(json_object_get(form, "f"), "hidden"), "error");
	json_t *texts = json_array();
	for (size_t i = 0; texts && i < n; i++) {
		const char *when = web_datetime(q->a, q->lang, t[i].created_at);
		const char *iso = web_datetime_iso(q->a, t[i].created_at);
		json_t *o = json_pack("{s:I,s:s,s:b,s:s,s:s}", "id", (json_int_t)t[i].id, "text",
		                      t[i].text, "hidden", t[i].hidden, "when", when ? when : "", "iso",
		                      iso ? iso : "");
		if (o && failed == t[i].id && err)
			json_object_set(o, "error", err);
		if (json_array_append_new(texts, o))
			texts = NULL;
	}
	const char *fmt = "%lld answer is not shown", *fmts = "%lld answers are not shown";
	const char *hidden = pq->hidden > 0 ? arena_printf(q->a, app_tn(q, fmt, fmts, pq->hidden),
	                                                   (long long)pq->hidden) : "";
	json_t *m = json_pack("{s:s,s:o,s:s,s:I,s:s,s:o,s:s,s:I,s:b}", "title", p->title, "poll",
	                      poll_data(p), "prompt", pq->prompt, "question_id", (json_int_t)pq->id,
	                      "kind_label", app_t(q, poll_kind_label(pq->kind)), "texts", texts,
	                      "hidden_text", hidden ? hidden : "", "before", (json_int_t)before,
	                      "has_errors", failed != 0);
	if (!m || !texts || !hidden) {
		json_decref(m);
		poll_busy(q);
		return;
	}
	if (n == ANSWERS_PAGE)
		json_object_set_new(m, "next_before", json_integer((json_int_t)t[n - 1].id));
	app_page(q, status, "poll_answers", m);
}

void poll_answers_page(app_req *q)
{
	poll p;
	if (!load_held(q, &p))
		return;
	long long qid = 0, before = 0;
	const char *qs = http_query(q->r, "question"), *bs = http_query(q->r, "before");
	const poll_question *pq = NULL;
	if (qs && text_parse_int(qs, 1, INT64_MAX, &qid))
		pq = typed_question(&p, qid);
	if (!pq || (bs && !text_parse_int(bs, 1, INT64_MAX, &before))) {
		not_found(q);
		return;
	}
	answers_page(q, 200, &p, pq, before, 0);
}

void poll_answers_reshow(app_req *q)
{
	poll p;
	if (!load_held(q, &p))
		return;
	int64_t aid = app_param_id(q, "aid"), qid = 0;
	store_rc rc = aid ? poll_store_text_question(q->app->db, p.id, aid, &qid) : STORE_OK;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	const poll_question *pq = typed_question(&p, qid);
	if (!pq) {
		not_found(q);
		return;
	}
	answers_page(q, 422, &p, pq, 0, aid);
}

/* POST /polls/{id}/answers/{aid}/hide with hidden=1 (hide) or 0 (show
 * again); back to the page of answers it was on. */
void poll_answer_hide(app_req *q)
{
	poll p;
	if (!load_held(q, &p))
		return;
	bool hide = !strcmp(form_text(q, "hidden"), "1");
	int64_t aid = app_param_id(q, "aid"), qid = 0;
	store_rc rc = aid ? poll_store_hide(q->app->db, p.id, aid, hide, &qid) : STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	/* Screens and streams show the answers and counts without it now. */
	poll_live_changed(q->app, p.id);
	long long before = form_int(q, "before");
	const char *to = arena_printf(q->a, "/polls/%lld/answers?question=%lld%s#a-%lld",
	                              (long long)p.id, (long long)qid,
	                              before ? arena_printf(q->a, "&before=%lld", before) : "",
	                              (long long)aid);
	if (!to) {
		poll_busy(q);
		return;
	}
	app_redirect(q, to, hide ? "poll_answer_hidden" : "poll_answer_shown");
}
