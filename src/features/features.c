/* features.c — openplan's features, in order. A feature is a folder in
 * src/features/ that declares one app_feature (its routes, the sections it
 * adds to other pages, its demo data and its background work); adding one
 * is adding its line here. The order matters twice: routes are matched in
 * this order, and demo data is loaded in it (the plan first: the others
 * build on it).
 */
#include "features.h"

#include "account/account.h"
#include "act/act.h"
#include "admin/admin.h"
#include "agenda/agenda.h"
#include "cons/cons.h"
#include "input/input.h"
#include "mail/mail.h"
#include "monitor/monitor.h"
#include "news/news.h"
#include "notify/notify.h"
#include "org/org.h"
#include "plan/plan.h"
#include "poll/poll.h"
#include "search/search.h"
#include "site/site.h"
#include "theme/theme.h"

const app_feature *const features_all[] = {
	&plan_feature,    /* the plan, its phases and themes; the demo's base */
	&account_feature, /* signing up and in, the account page */
	&org_feature,     /* organisations and their members */
	&cons_feature,    /* consultations */
	&act_feature,     /* the action plan */
	&monitor_feature, /* monitoring: indicators, assessment, the forum, the dashboard */
	&poll_feature,    /* live polls */
	&agenda_feature,  /* sessions, the agenda, boards, table conversations */
	&input_feature,   /* input and the reasoned response (after its sources) */
	&notify_feature,  /* a person's notifications, following, e-mail choices */
	&news_feature,    /* the newsletter */
	&mail_feature,    /* the outbox and its sender (e-mail of the others) */
	&admin_feature,   /* roles */
	&theme_feature,   /* a page per theme */
	&search_feature,  /* search, and what is linked to a theme */
	&site_feature,    /* name, logo, footer, statements; language, health, metrics */
};
const size_t features_count = sizeof features_all / sizeof *features_all;
