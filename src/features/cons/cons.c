/* cons.c — the consultations feature as openplan sees it: its addresses
 * (who may call them, which change state) and its section on the plan's
 * page. The handlers live in the other cons_*.c files.
 */
#include "cons.h"

static const app_route routes[] = {
	{ HTTP_GET | HTTP_POST, "/plans/{id}/consultations/new", cons_new, ROLE_ORGANISER, false, R_CSRF, &cons_new_form },
	{ HTTP_GET | HTTP_POST, "/consultations/{cid}/edit", cons_edit, ROLE_ORGANISER, false, R_CSRF, &cons_settings_form },
	{ HTTP_POST, "/consultations/{cid}/status", cons_status, ROLE_ORGANISER, false, R_CSRF, &cons_status_form },
	{ HTTP_POST, "/consultations/{cid}/delete", cons_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions", cons_question_add, ROLE_ORGANISER, false, R_CSRF, &cons_question_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}", cons_question_update, ROLE_ORGANISER, false, R_CSRF, &cons_question_update_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/move", cons_question_move, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/delete", cons_question_delete, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options", cons_option_add, ROLE_ORGANISER, false, R_CSRF, &cons_new_option_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options/{oid}", cons_option_update, ROLE_ORGANISER, false, R_CSRF, &cons_option_form },
	{ HTTP_POST, "/consultations/{cid}/questions/{qid}/options/{oid}/delete", cons_option_delete, ROLE_ORGANISER, false, R_CSRF },
	/* Answering: one page with a question per field of varying kinds; its
	 * checks are built from the consultation's questions (cons_answer.c),
	 * before anything is stored. */
	{ HTTP_GET | HTTP_POST, "/consultations/{cid}", cons_show, ROLE_PARTICIPANT, true, R_CSRF },
	{ HTTP_GET, "/api/v1/consultations/{cid}", cons_show, ROLE_PARTICIPANT, true, R_API },
	{ HTTP_POST, "/api/v1/consultations/{cid}/responses", cons_show, ROLE_PARTICIPANT, true, R_API | R_CSRF },
	{ HTTP_GET, "/consultations/{cid}/thanks", cons_thanks, ROLE_PARTICIPANT, true, 0 },
	{ HTTP_GET, "/consultations/{cid}/results", cons_results_page, ROLE_PARTICIPANT, true, R_CACHE },
	{ HTTP_GET, "/api/v1/consultations/{cid}/results", cons_results_page, ROLE_PARTICIPANT, true, R_API | R_CACHE },
	{ HTTP_GET, "/consultations/{cid}/answers", cons_answers_page, ROLE_ORGANISER, false, 0 },
	{ HTTP_POST, "/consultations/{cid}/answers/{aid}/hide", cons_answer_hide, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_POST, "/consultations/{cid}/answers/{aid}/quote", cons_answer_quote, ROLE_ORGANISER, false, R_CSRF },
	{ HTTP_GET, "/consultations/{cid}/export.csv", cons_export_csv, ROLE_ORGANISER, false, 0 },
	{ HTTP_GET, "/consultations/{cid}/export.xlsx", cons_export_xlsx, ROLE_ORGANISER, false, 0 },
};

/* What the redirects of this feature may say on the next page. */
static const app_flash flashes[] = {
	{ "cons_created", "The consultation is made as a draft. Add questions, then publish it." },
	{ "cons_published", "The consultation is published: everyone can see it now." },
	{ "cons_draft", "The consultation is a draft again: only organisers see it." },
	{ "cons_archived", "The consultation is archived: it takes no more answers; its results stay available." },
	{ "cons_deleted", "The consultation is deleted." },
};
/* A person's own data ("mydata"): their responses, each with its answers
 * (question and option ids, values, texts). */
static json_t *cons_mydata(app_req *q, int64_t user_id)
{
	cons_mine *ms;
	size_t n;
	if (cons_store_mine(q->app->db, q->a, user_id, &ms, &n) != STORE_OK)
		return NULL;
	json_t *list = json_array();
	for (size_t i = 0; i < n; i++) {
		cons_answer_in *as;
		size_t na;
		int64_t upd;
		json_t *aj = json_array();
		if (cons_store_my_answers(q->app->db, q->a, ms[i].id, user_id, NULL, &as, &na, &upd) ==
		    STORE_OK)
			for (size_t k = 0; k < na; k++) {
				json_t *o = json_pack("{s:I,s:s}", "question_id", (json_int_t)as[k].question_id,
				                      "text", as[k].text);
				if (as[k].option_id)
					json_object_set_new(o, "option_id", json_integer((json_int_t)as[k].option_id));
				if (as[k].has_value)
					json_object_set_new(o, "value", json_integer((json_int_t)as[k].value));
				json_array_append_new(aj, o);
			}
		json_array_append_new(list, json_pack("{s:I,s:s,s:I,s:I,s:o}", "consultation_id",
		                                      (json_int_t)ms[i].id, "title", ms[i].title,
		                                      "created_at", (json_int_t)ms[i].created_at,
		                                      "updated_at", (json_int_t)ms[i].updated_at,
		                                      "answers", aj));
	}
	return list;
}

static const app_section sections[] = {
	{ "plan", "consultations", "cons_plan_section", cons_plan_summary },
	{ "mydata", "consultation_responses", NULL, cons_mydata },
};

const app_feature cons_feature = {
	.name = "cons",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.sections = sections,
	.nsections = sizeof sections / sizeof *sections,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.demo = cons_demo,
};
