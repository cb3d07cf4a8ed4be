/* features.h — the handlers of every feature, named by their file:
 * plan_* (plan.c), account_* (accounts.c), org_* (organisations.c),
 * admin_* (admin.c), site_* (site.c). The route table in app/routes.c
 * ties them to addresses and roles.
 */
#ifndef OPENPLAN_FEATURES_H
#define OPENPLAN_FEATURES_H

#include "../app/app.h"

/* plan.c */
void plan_home(app_req *q);
void plan_show(app_req *q);
void plan_edit(app_req *q);
void plan_phase_add(app_req *q);
void plan_phase_update(app_req *q);
void plan_phase_move(app_req *q);
void plan_phase_delete(app_req *q);
void plan_theme_add(app_req *q);
void plan_theme_update(app_req *q);
void plan_theme_delete(app_req *q);

/* accounts.c */
void account_signup(app_req *q);
void account_signin(app_req *q);
void account_signout(app_req *q);
void account_show(app_req *q);
void account_password(app_req *q);

/* organisations.c */
void org_list(app_req *q);
void org_new(app_req *q);
void org_show(app_req *q);
void org_update(app_req *q);
void org_member_add(app_req *q);
void org_member_remove(app_req *q);

/* admin.c */
void admin_users(app_req *q);
void admin_user_role(app_req *q);

/* site.c */
void site_lang(app_req *q);
void site_healthz(app_req *q);
void site_metrics(app_req *q);

/* actions.h: the action plan (act_*) */
#include "actions.h"

/* polls.c, polls_vote.c, polls_live.c — live polls */
void poll_list(app_req *q);
void poll_create(app_req *q);
void poll_show(app_req *q);
void poll_question_add(app_req *q);
void poll_question_delete(app_req *q);
void poll_control(app_req *q);
void poll_present(app_req *q);
void poll_qr(app_req *q);
void poll_stream(app_req *q);
void poll_report(app_req *q);
void poll_report_csv(app_req *q);
void poll_join(app_req *q);
void poll_participate(app_req *q);
void poll_vote(app_req *q);
void poll_part_stream(app_req *q);
/* The poll reports attached to a plan, for the plan's page ("polls"). */
json_t *poll_plan_reports(app_req *q, int64_t plan_id);
/* Stops the live broadcaster (app_free, before the store closes). */
void poll_live_stop(void);

/* consultations*.c — consultations (cons_*) */
void cons_new(app_req *q);
void cons_edit(app_req *q);
void cons_question_add(app_req *q);
void cons_question_update(app_req *q);
void cons_question_move(app_req *q);
void cons_question_delete(app_req *q);
void cons_option_add(app_req *q);
void cons_option_update(app_req *q);
void cons_option_delete(app_req *q);
void cons_show(app_req *q);
void cons_thanks(app_req *q);
void cons_results_page(app_req *q);
void cons_answers_page(app_req *q);
void cons_answer_hide(app_req *q);
void cons_answer_quote(app_req *q);
void cons_export_csv(app_req *q);
void cons_export_xlsx(app_req *q);
/* The plan's consultations for its page ("consultations"). */
json_t *cons_plan_summary(app_req *q, int64_t plan_id);

/* A date "YYYY-MM-DD" written out in the interface language. */
const char *feature_date(app_req *q, const char *ymd);

#endif
