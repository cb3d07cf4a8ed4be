/* site_pages.c — the pages of the site as a whole: the accessibility
 * statement and the admin's privacy statement (what a Dutch government
 * site must have, linked from every page's footer; the privacy page is
 * the account feature's /privacy, which shows the statement as this
 * feature's section), and the admin's page where the site's name,
 * organisation, contact details, both statements and the logo are set.
 * The statements are the admin's Markdown.
 */
#include <string.h>

#include "../../util/text.h"
#include "site.h"

static const char *status_label(const char *code)
{
	for (size_t i = 0; site_a11y_statuses[i]; i++)
		if (!strcmp(site_a11y_statuses[i], code))
			return site_a11y_status_labels[i];
	return code;
}

/* md rendered as safe HTML (markdown.c), or "" */
static const char *markdown(app_req *q, const char *md)
{
	if (!md || !*md)
		return "";
	sb out;
	sb_init(&out);
	const char *html = "";
	if (web_markdown(&out, md) == 0 && !sb_failed(&out))
		html = arena_strdup(q->a, sb_str(&out));
	sb_free(&out);
	return html ? html : "";
}

static bool load(app_req *q, site_settings *st)
{
	store_rc rc = site_store_get(q->app->db, q->a, st);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return false;
	}
	return true;
}

/* The contact details as data (the API's shape: codes and plain values). */
static json_t *contact_data(const site_settings *st)
{
	return json_pack("{s:s,s:s,s:s,s:s}", "email", st->contact_email, "phone",
	                 st->contact_phone, "address", st->contact_address, "url", st->contact_url);
}

json_t *site_privacy_section(app_req *q, int64_t id)
{
	(void)id;
	site_settings st;
	if (site_store_get(q->app->db, q->a, &st) != STORE_OK || !*st.privacy)
		return NULL;
	if (q->want_json)
		return json_pack("{s:s,s:s}", "organisation", st.org_name, "text", st.privacy);
	const char *html = markdown(q, st.privacy);
	return *html ? json_pack("{s:s,s:s}", "organisation", st.org_name, "html", html) : NULL;
}

/* GET /accessibility */
void site_accessibility(app_req *q)
{
	site_settings st;
	if (!load(q, &st))
		return;
	if (q->want_json) {
		json_t *d = json_pack("{s:{s:s,s:s,s:s,s:o,s:s,s:o}}", "accessibility", "organisation",
		                      st.org_name, "site_name", st.site_name, "status", st.a11y_status,
		                      "checked_on", *st.a11y_checked_on ? json_string(st.a11y_checked_on)
		                                                        : json_null(),
		                      "statement", st.accessibility, "contact", contact_data(&st));
		app_json(q, 200, d);
		return;
	}
	json_t *m = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "title",
	                      app_t(q, "Accessibility statement"), "statement_html",
	                      markdown(q, st.accessibility), "org_name", st.org_name, "site_name",
	                      st.site_name, "status", st.a11y_status, "status_label",
	                      status_label(st.a11y_status), "checked_on", st.a11y_checked_on,
	                      "checked_label", app_date(q, st.a11y_checked_on));
	json_object_set_new(m, "is_full", json_boolean(!strcmp(st.a11y_status, "full")));
	if (st.updated_at) {
		char ymd[11];
		web_amsterdam_ymd(st.updated_at, ymd);
		json_object_set_new(m, "updated_on", json_string(ymd));
		json_object_set_new(m, "updated_label", json_string(app_date(q, ymd)));
	}
	app_page(q, 200, "site_accessibility", m);
}

/* ---- the admin's settings ---- */

/* Digits, spaces and + - ( ): a number people can dial. */
static const char *phone_ok(app_req *q, const char *v)
{
	(void)q;
	int digits = 0;
	for (const char *p = v; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digits++;
		else if (!strchr(" +-()", *p))
			return N_("Use only digits, spaces and + - ( ) in a telephone number.");
	}
	return digits >= 6 ? NULL : N_("Fill in a telephone number of at least 6 digits.");
}

static const char *not_future(app_req *q, const char *v)
{
	(void)q;
	int ymd;
	if (text_parse_date(v, &ymd) && ymd > web_amsterdam_today())
		return N_("The date of a check cannot be in the future.");
	return NULL;
}

/* A statement that says the site (mostly) complies rests on a check. */
static void check_settings(app_req *q)
{
	const char *st = form_text(q, "a11y_status");
	if ((!strcmp(st, "full") || !strcmp(st, "partial")) && !*form_text(q, "a11y_checked_on"))
		form_fail(q, "a11y_checked_on",
		          "Fill in the date of the check this status rests on.");
}

static void admin_reshow(app_req *q);

static const form_field settings_fields[] = {
	{ "site_name", F_TEXT, true, 80, .label = "Name of the site",
	  .help = "At the top of every page and in the browser's tab." },
	{ "org_name", F_TEXT, true, 200, .label = "Organisation",
	  .help = "The organisation responsible for this site. It is in the footer and in both statements." },
	{ "contact_email", F_EMAIL, false, 254, .label = "E-mail address for questions" },
	{ "contact_phone", F_TEXT, false, 30, .label = "Telephone number", .check = phone_ok },
	{ "contact_address", F_MULTILINE, false, 300, .label = "Postal address" },
	{ "contact_url", F_URL, false, 300, .label = "Contact page",
	  .help = "The address of a page with a contact form, when there is one." },
	{ "privacy", F_MULTILINE, false, 20000, .label = "Privacy statement",
	  .help = "In Markdown. Who is responsible for personal data, for what it is used and on what basis, how long it is kept, people's rights, and where to complain. Leave it empty to show openplan's standard statement." },
	{ "a11y_status", F_CHOICE, true, 20, site_a11y_statuses,
	  .label = "Status of the accessibility statement", .choice_labels = site_a11y_status_labels,
	  .help = "As in the model statement of the Dutch government: A when a check found that the site meets every WCAG 2.1 AA criterion, B when it meets some, C or D when no full check has been done yet." },
	{ "a11y_checked_on", F_DATE, false, 10, .label = "Date of the last accessibility check",
	  .check = not_future },
	{ "accessibility", F_MULTILINE, false, 20000, .label = "Findings and measures",
	  .help = "In Markdown. Who checked the site and how, what does not work yet, and when it will be fixed." },
};
const form_def site_settings_form = FORM_DEF("site", settings_fields, check_settings, admin_reshow);

static const char *const logo_types[] = { "image/png", "image/svg+xml", NULL };
static const form_field logo_fields[] = {
	{ "logo", F_FILE, true, 256 * 1024, logo_types, .label = "Logo",
	  .help = "A PNG or SVG file of at most 256 kB. It is shown 40 pixels high, beside the site's name." },
};
const form_def site_logo_form = FORM_DEF("logo", logo_fields, NULL, admin_reshow);

static void admin_page(app_req *q, int status)
{
	site_settings st;
	if (!load(q, &st))
		return;
	json_t *values = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "site_name",
	                           st.site_name, "org_name", st.org_name, "contact_email",
	                           st.contact_email, "contact_phone", st.contact_phone,
	                           "contact_address", st.contact_address, "contact_url",
	                           st.contact_url, "privacy", st.privacy, "a11y_status",
	                           st.a11y_status, "a11y_checked_on", st.a11y_checked_on,
	                           "accessibility", st.accessibility);
	if (q->want_json && !form_failed(q)) {
		json_t *d = json_pack("{s:o}", "settings", values);
		json_object_set_new(json_object_get(d, "settings"), "logo",
		                    *st.logo_type ? json_string(st.logo_type) : json_null());
		app_json(q, 200, d);
		return;
	}
	json_t *m = json_pack("{s:s,s:o,s:o}", "title", app_t(q, "Site settings"), "form",
	                      form_view(q, &site_settings_form, "site", values, true), "logo_form",
	                      form_view(q, &site_logo_form, "logo", NULL, true));
	if (*st.logo_type)
		json_object_set_new(m, "logo_url",
		                    json_string(arena_printf(q->a, "/site/logo/%s%s", st.logo_hash,
		                                             !strcmp(st.logo_type, "image/png") ? ".png"
		                                                                               : ".svg")));
	app_page(q, status, "site_admin", m);
}

static void admin_reshow(app_req *q)
{
	admin_page(q, 422);
}

/* GET, POST /admin/site */
void site_admin(app_req *q)
{
	if (q->r->method != HTTP_POST) {
		admin_page(q, 200);
		return;
	}
	site_settings st = {
		.site_name = form_text(q, "site_name"),
		.org_name = form_text(q, "org_name"),
		.contact_email = form_text(q, "contact_email"),
		.contact_phone = form_text(q, "contact_phone"),
		.contact_address = form_text(q, "contact_address"),
		.contact_url = form_text(q, "contact_url"),
		.privacy = form_text(q, "privacy"),
		.accessibility = form_text(q, "accessibility"),
		.a11y_status = form_text(q, "a11y_status"),
		.a11y_checked_on = form_text(q, "a11y_checked_on"),
	};
	int64_t version = 0;
	store_rc rc = site_store_save(q->app->db, &st, q->me->id, &version);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	site_frame_want(version);
	app_redirect(q, "/admin/site", "site_saved");
}

/* POST /admin/site/logo (multipart) */
void site_logo_upload(app_req *q)
{
	size_t len = 0;
	const char *bytes = form_file(q, "logo", &len);
	const char *type = NULL;
	const char *msg = site_logo_check(bytes, len, &type);
	if (msg) {
		form_fail(q, "logo", msg);
		form_reshow(q);
		return;
	}
	int64_t version = 0;
	store_rc rc = site_logo_save(q->app->db, q->a, bytes, len, type, q->me->id, &version);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	site_frame_want(version);
	app_redirect(q, "/admin/site", "site_logo");
}

/* POST /admin/site/logo/delete */
void site_logo_delete(app_req *q)
{
	int64_t version = 0;
	store_rc rc = site_store_logo_set(q->app->db, "", "", "", q->me->id, &version);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	site_frame_want(version);
	app_redirect(q, "/admin/site", "site_logo_removed");
}
