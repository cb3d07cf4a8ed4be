/* monitor_assess.c — the OGP's assessment of an action point in its own
 * terms, written in several voices: the holder's self-assessment (the
 * holders' contact persons), each forum member's review (current members
 * of the plan's forum), the organiser's final text and the independent
 * reviewer's finding (organisers enter it), and the holder's reaction to
 * that finding. Also the concerns that forum members flag: a holder
 * answers, an organiser closes. One form table serves every voice; the
 * handler checks who may write which voice on this action point.
 */
#include <stdio.h>
#include <string.h>

#include "../../util/text.h"
#include "monitor.h"

static void assessment_check(app_req *q);

static const form_field assessment_fields[] = {
	{ "verifiable", F_CHOICE, false, 3, monitor_yes_no, .label = "Is it verifiable?",
	  .choice_labels = monitor_yes_no_labels,
	  .help = "Can one check afterwards whether it was done?" },
	{ "lens", F_CHOICE, false, 3, monitor_yes_no, .label = "Does it have an open-government lens?",
	  .choice_labels = monitor_yes_no_labels,
	  .help = "Does it make government more transparent, participatory or accountable?" },
	/* every checked value is checked by assessment_check; this is the first */
	{ "ogp_values", F_TEXT, false, 200, .label = "OGP values it serves" },
	{ "potential", F_CHOICE, false, 12, monitor_potentials, .label = "Potential for results",
	  .choice_labels = monitor_potential_labels },
	{ "design_note", F_MULTILINE, false, 5000, .label = "Explanation of the assessment at design" },
	{ "completion", F_CHOICE, false, 12, monitor_completions, .label = "Completion",
	  .choice_labels = monitor_completion_labels },
	{ "opened", F_CHOICE, false, 15, monitor_openings, .label = "Did it open government?",
	  .choice_labels = monitor_opening_labels },
	{ "end_note", F_MULTILINE, false, 5000, .label = "Explanation of the assessment at the end" },
};
const form_def monitor_assessment_form = FORM_DEF("assessment", assessment_fields,
                                                  assessment_check, monitor_point_reshow);
const form_def monitor_review_form = FORM_DEF("review", assessment_fields, assessment_check,
                                              monitor_point_reshow);

static const form_field reaction_fields[] = {
	{ "body", F_MULTILINE, true, 5000, .label = "Your reaction to the finding",
	  .help = "Where the finding is wrong or incomplete, say so and show where it can be "
	          "checked." },
};
const form_def monitor_reaction_form = FORM_DEF("reaction", reaction_fields, NULL,
                                                monitor_point_reshow);

static const form_field concern_fields[] = {
	{ "body", F_MULTILINE, true, 2000, .label = "Your concern",
	  .help = "What worries you about this action point? Everybody can read it." },
};
const form_def monitor_concern_form = FORM_DEF("concern", concern_fields, NULL,
                                               monitor_point_reshow);

static const form_field answer_fields[] = {
	{ "answer", F_MULTILINE, true, 2000, .label = "Answer of the holder" },
};
const form_def monitor_answer_form = FORM_DEF("answer", answer_fields, NULL, monitor_point_reshow);

static const form_field close_fields[] = {
	{ "note", F_MULTILINE, false, 1000, .label = "Closing note (optional)" },
};
const form_def monitor_close_form = FORM_DEF("close", close_fields, NULL, monitor_point_reshow);

/* The checked OGP values ("ogp_values", several) as codes in their fixed
 * order; false when one posted is not an OGP value. */
static bool ogp_codes(app_req *q, const char **out)
{
	sb b;
	sb_init(&b);
	bool good = true;
	for (size_t i = 0; i < q->r->form.len; i++)
		if (!strcmp(q->r->form.items[i].key, "ogp_values")) {
			bool known = false;
			for (int k = 0; act_ogp_codes[k]; k++)
				known = known || !strcmp(q->r->form.items[i].value, act_ogp_codes[k]);
			good = good && known;
		}
	for (int k = 0; act_ogp_codes[k]; k++)
		for (size_t i = 0; i < q->r->form.len; i++)
			if (!strcmp(q->r->form.items[i].key, "ogp_values") &&
			    !strcmp(q->r->form.items[i].value, act_ogp_codes[k])) {
				if (b.len)
					sb_putc(&b, ',');
				sb_puts(&b, act_ogp_codes[k]);
				break;
			}
	*out = sb_failed(&b) ? NULL : arena_strdup(q->a, sb_str(&b));
	sb_free(&b);
	return good && *out;
}

/* Across the fields: known OGP values (kept as codes for the handler and
 * the re-shown form), something filled in, and an explanation with every
 * level given — the OGP asks for the reasons, not only the verdict. */
static void assessment_check(app_req *q)
{
	const char *codes = "";
	if (!ogp_codes(q, &codes))
		form_fail(q, "ogp_values", "Choose one of the options.");
	else
		json_object_set_new(q->form->values, "ogp_values", json_string(codes));
	bool design = *form_text(q, "verifiable") || *form_text(q, "lens") || *codes ||
	              *form_text(q, "potential");
	bool end = *form_text(q, "completion") || *form_text(q, "opened");
	if (!design && !end && !*form_text(q, "design_note") && !*form_text(q, "end_note"))
		form_fail(q, "verifiable", "Fill in at least one part of the assessment.");
	if (design && !*form_text(q, "design_note"))
		form_fail(q, "design_note", "Explain the assessment at design.");
	if (end && !*form_text(q, "end_note"))
		form_fail(q, "end_note", "Explain the assessment at the end.");
}

static void assessment_from_form(app_req *q, monitor_assessment *x)
{
	x->verifiable = form_text(q, "verifiable");
	x->lens = form_text(q, "lens");
	x->ogp_values = form_text(q, "ogp_values");
	x->potential = form_text(q, "potential");
	x->design_note = form_text(q, "design_note");
	x->completion = form_text(q, "completion");
	x->opened = form_text(q, "opened");
	x->end_note = form_text(q, "end_note");
}

/* The action point, open for work, and the signed-in person's rights on it. */
static bool load(app_req *q, act_point *p, monitor_rights *r)
{
	if (!monitor_load_point(q, p, true))
		return false;
	monitor_rights_of(q, p, r);
	return true;
}

void monitor_assessment_save(app_req *q)
{
	const char *voice = http_param(q->r, "voice");
	if (!voice || (strcmp(voice, "holder") && strcmp(voice, "organiser") && strcmp(voice, "irm"))) {
		app_error(q, 404, "Page not found");
		return;
	}
	act_point p;
	monitor_rights r;
	if (!load(q, &p, &r))
		return;
	bool holder = !strcmp(voice, "holder");
	if (holder && !r.holder) {
		app_error(q, 403, "Only the holders of this action point write its self-assessment.");
		return;
	}
	if (!holder && !r.organiser) {
		app_error(q, 403, "Only organisers write the final text and enter the reviewer's "
		                  "finding.");
		return;
	}
	monitor_assessment x = { .action_id = p.id, .voice = voice };
	assessment_from_form(q, &x);
	monitor_done(q, p.id, monitor_store_assessment_set(q->app->db, &x, q->me->id), "#assessment",
	             "monitor_assessed");
}

void monitor_review_save(app_req *q)
{
	act_point p;
	monitor_rights r;
	if (!load(q, &p, &r))
		return;
	if (!r.member) {
		app_error(q, 403, "Only members of the stakeholder forum may do this.");
		return;
	}
	if (r.holder) {
		app_error(q, 403, "You hold this action point, so you do not review it for the forum: "
		                  "your voice is the holder's self-assessment.");
		return;
	}
	monitor_assessment x = { .action_id = p.id, .voice = "forum", .reviewer_id = q->me->id,
		                 .org_id = r.member_org };
	assessment_from_form(q, &x);
	monitor_done(q, p.id, monitor_store_assessment_set(q->app->db, &x, q->me->id), "#assessment",
	             "monitor_reviewed");
}

void monitor_reaction_save(app_req *q)
{
	act_point p;
	monitor_rights r;
	if (!load(q, &p, &r))
		return;
	if (!r.holder) {
		app_error(q, 403, "Only the holders of this action point may react to the finding.");
		return;
	}
	monitor_assessment *as;
	size_t n;
	store_rc rc = monitor_store_assessments(q->app->db, q->a, p.id, 0, &as, &n);
	bool finding = false;
	for (size_t i = 0; rc == STORE_OK && i < n; i++)
		finding = finding || !strcmp(as[i].voice, "irm");
	if (rc == STORE_OK && !finding) {
		app_error(q, 409, "There is no finding of the independent reviewer to react to yet.");
		return;
	}
	if (rc == STORE_OK)
		rc = monitor_store_reaction_set(q->app->db, p.id, form_text(q, "body"), q->me->id);
	monitor_done(q, p.id, rc, "#assessment", "monitor_reacted");
}

void monitor_concern_add(app_req *q)
{
	act_point p;
	monitor_rights r;
	if (!load(q, &p, &r))
		return;
	if (!r.member) {
		app_error(q, 403, "Only members of the stakeholder forum may do this.");
		return;
	}
	monitor_concern c = { .action_id = p.id, .author_id = q->me->id, .org_id = r.member_org,
		              .body = form_text(q, "body") };
	monitor_done(q, p.id, monitor_store_concern_add(q->app->db, &c, NULL), "#concerns",
	             "monitor_concern_flagged");
}

/* The concern of {cid} on this action point, not closed; answers itself. */
static bool load_concern(app_req *q, const act_point *p, monitor_concern *c)
{
	int64_t cid = app_param_id(q, "cid");
	store_rc rc = cid ? monitor_store_concern_get(q->app->db, q->a, cid, c) : STORE_NOTFOUND;
	if (rc == STORE_OK && c->action_id != p->id)
		rc = STORE_NOTFOUND;
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	if (!strcmp(c->status, "closed")) {
		app_error(q, 409, "This concern is closed.");
		return false;
	}
	return true;
}

static void concern_done(app_req *q, int64_t id, store_rc rc, const char *flash)
{
	if (rc == STORE_INVALID) {
		app_error(q, 409, "This concern is closed.");
		return;
	}
	monitor_done(q, id, rc, "#concerns", flash);
}

void monitor_concern_answer(app_req *q)
{
	act_point p;
	monitor_rights r;
	monitor_concern c;
	if (!load(q, &p, &r))
		return;
	if (!r.holder) {
		app_error(q, 403, "Only the holders of this action point may answer a concern.");
		return;
	}
	if (!load_concern(q, &p, &c))
		return;
	concern_done(q, p.id, monitor_store_concern_answer(q->app->db, p.id, c.id,
	                                                   form_text(q, "answer"), q->me->id, false),
	             "monitor_concern_answered");
}

void monitor_concern_close(app_req *q)
{
	act_point p;
	monitor_rights r;
	monitor_concern c;
	if (!load(q, &p, &r) || !load_concern(q, &p, &c))
		return;
	concern_done(q, p.id, monitor_store_concern_close(q->app->db, p.id, c.id,
	                                                  form_text(q, "note"), q->me->id),
	             "monitor_concern_closed");
}

/* ---- the forms on the action point's page ---- */

static json_t *assessment_values(const monitor_assessment *x)
{
	if (!x)
		return NULL;
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "verifiable", x->verifiable, "lens",
	                 x->lens, "ogp_values", x->ogp_values, "potential", x->potential,
	                 "design_note", x->design_note, "completion", x->completion, "opened",
	                 x->opened, "end_note", x->end_note);
}

/* An assessment form with the OGP values as checkboxes. */
static json_t *assessment_form(app_req *q, const form_def *def, const char *prefix,
                               const monitor_assessment *x, bool posted)
{
	json_t *f = form_view(q, def, prefix, assessment_values(x), posted);
	json_t *ov = json_object_get(json_object_get(f, "f"), "ogp_values");
	const char *codes = json_string_value(json_object_get(ov, "value"));
	json_object_set_new(ov, "choices", act_ogp_json(q, codes ? codes : "", true));
	json_object_set_new(f, "prefix", json_string(prefix));
	return f;
}

void monitor_assess_forms(app_req *q, json_t *sec, const act_point *p, const monitor_rights *r,
                          const monitor_assessment *as, size_t na, const char *reaction,
                          json_t *concerns)
{
	(void)p;
	if (!r->open)
		return;
	const monitor_assessment *mine[3] = { NULL, NULL, NULL }, *review = NULL;
	static const char *const voices[] = { "holder", "organiser", "irm" };
	for (size_t i = 0; i < na; i++) {
		for (int k = 0; k < 3; k++)
			if (!strcmp(as[i].voice, voices[k]))
				mine[k] = &as[i];
		if (q->me && !strcmp(as[i].voice, "forum") && as[i].reviewer_id == q->me->id)
			review = &as[i];
	}
	const char *posted = http_param(q->r, "voice");
	if (r->holder)
		json_object_set_new(sec, "holder_form", assessment_form(
			q, &monitor_assessment_form, "as-holder", mine[0],
			posted && !strcmp(posted, "holder")));
	if (r->organiser) {
		json_object_set_new(sec, "organiser_form", assessment_form(
			q, &monitor_assessment_form, "as-organiser", mine[1],
			posted && !strcmp(posted, "organiser")));
		json_object_set_new(sec, "irm_form", assessment_form(
			q, &monitor_assessment_form, "as-irm", mine[2], posted && !strcmp(posted, "irm")));
	}
	if (r->member && !r->holder)
		json_object_set_new(sec, "review_form", assessment_form(q, &monitor_review_form,
		                                                         "as-review", review, true));
	if (r->member)
		json_object_set_new(sec, "concern_form", form_view(q, &monitor_concern_form, "concern",
		                                                   NULL, true));
	if (r->holder && mine[2])
		json_object_set_new(sec, "reaction_form", form_view(
			q, &monitor_reaction_form, "reaction",
			reaction ? json_pack("{s:s}", "body", reaction) : NULL, true));
	int64_t cid = app_param_id(q, "cid");
	size_t i;
	json_t *o;
	json_array_foreach(concerns, i, o) {
		if (json_is_true(json_object_get(o, "is_closed")))
			continue;
		int64_t id = (int64_t)json_integer_value(json_object_get(o, "id"));
		if (r->holder)
			json_object_set_new(o, "answer_form", form_view(
				q, &monitor_answer_form, arena_printf(q->a, "answer-%lld", (long long)id),
				json_pack("{s:O}", "answer", json_object_get(o, "answer")), id == cid));
		if (r->organiser)
			json_object_set_new(o, "close_form", form_view(
				q, &monitor_close_form, arena_printf(q->a, "close-%lld", (long long)id), NULL,
				id == cid));
	}
}
