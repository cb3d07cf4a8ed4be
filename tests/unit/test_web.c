/* test_web.c — the interface language (i18n) and the embedded templates
 * (src/web), rendered with models shaped like the ones src/app/app.c
 * chrome() and src/features/plan.c plan_json() build. */
#include "unit.h"

#include "web/web.h"

static tpl_set *T_SET;

static int group_setup(void **state)
{
	(void)state;
	char err[256] = "";
	if (i18n_load(err, sizeof err) != 0) {
		fprintf(stderr, "i18n_load: %s\n", err);
		return -1;
	}
	if (tpl_load(&T_SET, err, sizeof err) != 0) {
		fprintf(stderr, "tpl_load: %s\n", err);
		i18n_free();
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tpl_free(T_SET);
	T_SET = NULL;
	i18n_free();
	return 0;
}

/* The page chrome every page gets (see chrome() in src/app/app.c). */
static json_t *chrome(const char *lang, const char *title)
{
	bool nl = strcmp(lang, "nl") == 0;
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "page_title", title, "css",
	                 "/static/app.css", "lang", lang, "other_lang", nl ? "en" : "nl",
	                 "other_lang_name", nl ? "English" : "Nederlands", "here", "%2F", "csrf",
	                 "csrf-token-1");
}

/* Renders into a fresh builder; returns the rc and leaves the text in *out. */
static int render(const char *name, json_t *ctx, const char *lang, sb *out)
{
	sb_init(out);
	return tpl_render(T_SET, name, ctx, lang, out);
}

static json_t *phase_j(int id, int number, const char *name, const char *starts,
                       const char *starts_label, bool current, bool done)
{
	const char *state = current ? "current" : done ? "done" : "upcoming";
	return json_pack("{s:i,s:i,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s}", "id", id, "number", number,
	                 "name", name, "starts_on", starts, "ends_on", "", "starts_label",
	                 starts_label, "ends_label", "", "current", current, "done", done, "state",
	                 state);
}

/* A home-page model: chrome, then {title, plan:{…}} over it (as render() does). */
static json_t *home_model(json_t *phases, json_t *themes, const char *description)
{
	json_t *c = chrome("en", "Action plan 2025");
	json_t *plan = json_pack("{s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o}", "id", 3, "title",
	                         "Action plan 2025", "description", description, "period_start",
	                         "2025-01-01", "period_end", "2026-12-31", "period_start_label",
	                         "1 January 2025", "period_end_label", "31 December 2026",
	                         "status", "cocreation", "status_label", "Co-creation", "phases",
	                         phases, "themes", themes);
	json_object_set_new(c, "title", json_string("Action plan 2025"));
	json_object_set_new(c, "plan", plan);
	return c;
}

static json_t *sample_home(void)
{
	json_t *phases = json_array();
	json_array_append_new(phases, phase_j(11, 1, "Alpha", "2025-01-01", "1 January 2025", false, true));
	json_array_append_new(phases, phase_j(12, 2, "Beta", "2025-03-01", "1 March 2025", true, false));
	json_array_append_new(phases, phase_j(13, 3, "Gamma", "", "", false, false));
	json_t *themes = json_array();
	json_array_append_new(themes, json_pack("{s:i,s:s,s:s}", "id", 1, "name",
	                                        "<script>alert(1)</script>", "description",
	                                        "Open & honest"));
	json_array_append_new(themes, json_pack("{s:i,s:s,s:s}", "id", 2, "name", "Climate",
	                                        "description", ""));
	return home_model(phases, themes, "About the <plan>");
}

/* ---- i18n ------------------------------------------------------------------------ */

TEST(i18n_languages)
{
	assert_true(i18n_lang_valid("nl"));
	assert_true(i18n_lang_valid("en"));
	assert_false(i18n_lang_valid("de"));
	assert_false(i18n_lang_valid(""));
	assert_false(i18n_lang_valid("NL"));
	assert_false(i18n_lang_valid(NULL));
}

TEST(i18n_unknown_msgid_returns_msgid_itself)
{
	const char *id = "No such message, surely 8c1f";
	assert_ptr_equal(i18n_get("en", id), id);
	assert_ptr_equal(i18n_get("nl", id), id);
	assert_ptr_equal(i18n_get("xx", id), id); /* unknown language */
	assert_ptr_equal(i18n_get(NULL, id), id);  /* default language */
	assert_false(i18n_has("en", id));
	assert_false(i18n_has("nl", id));
	assert_false(i18n_has("xx", id));
}

static void check_translation(const char *msgid, void *ctx)
{
	int *n = ctx;
	(*n)++;
	const char *nl = i18n_get("nl", msgid);
	assert_non_null(nl);
	/* Either a non-empty translation, or the msgid itself. */
	if (i18n_has("nl", msgid)) {
		assert_true(nl[0] != '\0');
	} else {
		assert_ptr_equal(nl, msgid);
	}
	const char *en = i18n_get("en", msgid);
	assert_non_null(en);
	assert_true(en[0] != '\0');
}

TEST(i18n_every_template_msgid_resolves)
{
	int n = 0;
	int count = tpl_each_msgid(T_SET, check_translation, &n);
	assert_int_equal(n, count);
	assert_true(n > 20);
}

TEST(i18n_known_msgid_nl)
{
	const char *id = "Go to the home page";
	const char *nl = i18n_get("nl", id);
	assert_non_null(nl);
	if (i18n_has("nl", id))
		assert_string_not_equal(nl, "");
	else
		assert_ptr_equal(nl, id);
	/* English msgids are English: "en" never changes the meaning to empty */
	assert_true(strlen(i18n_get("en", id)) > 0);
}

TEST(i18n_reload_and_free_is_clean)
{
	char err[256] = "";
	/* A second load on top of the first replaces entries without leaking. */
	assert_int_equal(i18n_load(err, sizeof err), 0);
	assert_ptr_equal(i18n_get("en", "zz-unknown"), i18n_get("en", "zz-unknown"));
	i18n_free();
	const char *id = "Sign in";
	assert_ptr_equal(i18n_get("nl", id), id); /* freed: falls back to the msgid */
	assert_false(i18n_has("nl", id));
	assert_int_equal(i18n_load(err, sizeof err), 0); /* restore for later tests */
}

/* ---- templates: loading ------------------------------------------------------------ */

TEST(tpl_load_succeeds)
{
	char err[256] = "";
	tpl_set *t = NULL;
	assert_int_equal(tpl_load(&t, err, sizeof err), 0);
	assert_non_null(t);
	assert_string_equal(err, "");
	tpl_free(t);
	tpl_free(NULL);
}

typedef struct msgid_seen {
	int  n;
	bool home_link, skip, phases;
} msgid_seen;

static void collect_msgid(const char *msgid, void *ctx)
{
	msgid_seen *s = ctx;
	s->n++;
	assert_non_null(msgid);
	assert_true(msgid[0] != '\0');
	if (strcmp(msgid, "Go to the home page") == 0)
		s->home_link = true;
	if (strcmp(msgid, "Skip to content") == 0)
		s->skip = true;
	if (strcmp(msgid, "Phases of the plan") == 0)
		s->phases = true;
}

TEST(tpl_each_msgid_reports_many)
{
	msgid_seen s = { 0 };
	int count = tpl_each_msgid(T_SET, collect_msgid, &s);
	assert_true(count > 20);
	assert_int_equal(count, s.n);
	assert_true(s.home_link);
	assert_true(s.skip);
	assert_true(s.phases);
}

/* ---- templates: error page ------------------------------------------------------------ */

static json_t *error_model(const char *message)
{
	json_t *c = chrome("en", "Page not found");
	json_object_set_new(c, "status", json_integer(404));
	json_object_set_new(c, "message", json_string(message));
	json_object_set_new(c, "heading", json_string("Page not found"));
	return c;
}

TEST(tpl_error_escapes_message)
{
	json_t *c = error_model("<b>&\"'");
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "&lt;b&gt;&amp;&quot;&#39;");
	assert_not_contains(h, "<b>");
	assert_contains(h, "<h1 class=\"nl-heading nl-heading--level-1\">Page not found</h1>");
	assert_contains(h, "role=\"alert\"");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_error_is_a_whole_page)
{
	json_t *c = error_model("Gone.");
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_true(strncmp(h, "<!DOCTYPE html>", 15) == 0);
	assert_contains(h, "<html lang=\"en\">");
	assert_contains(h, "<title>Page not found · openplan</title>");
	assert_contains(h, "href=\"/static/app.css\"");
	assert_contains(h, "Go to the home page");
	assert_contains(h, "<p class=\"utrecht-alert__message nl-paragraph\">Gone.</p>");
	assert_contains(h, "</html>");
	assert_int_equal(count_occurrences(h, "<html"), 1);
	assert_int_equal(count_occurrences(h, "</main>"), 1);
	/* the language switch points at the other language */
	assert_contains(h, "href=\"/lang/nl?next=%2F\"");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_error_escapes_heading_and_title)
{
	json_t *c = error_model("m");
	json_object_set_new(c, "heading", json_string("<i>h</i>"));
	json_object_set_new(c, "page_title", json_string("a\"b"));
	sb out;
	assert_int_equal(render("error", c, "nl", &out), 0);
	assert_contains(sb_str(&out), "&lt;i&gt;h&lt;/i&gt;");
	assert_contains(sb_str(&out), "<title>a&quot;b · openplan</title>");
	assert_not_contains(sb_str(&out), "<i>");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_missing_values_render_as_nothing)
{
	json_t *c = json_object();
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	assert_contains(sb_str(&out), "<html lang=\"\">");
	assert_contains(sb_str(&out), "<p class=\"utrecht-alert__message nl-paragraph\"></p>");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_null_context_renders)
{
	sb out;
	assert_int_equal(render("error", NULL, "en", &out), 0);
	assert_contains(sb_str(&out), "<html lang=\"\">");
	assert_contains(sb_str(&out), "href=\"/signin\"");
	sb_free(&out);
}

TEST(tpl_unknown_template_fails)
{
	json_t *c = json_object();
	sb out;
	assert_int_equal(render("no-such-template", c, "en", &out), -1);
	assert_int_equal(out.len, 0);
	sb_free(&out);
	assert_int_equal(render("", c, "en", &out), -1);
	sb_free(&out);
	assert_int_equal(render("error.html", c, "en", &out), -1); /* names have no suffix */
	sb_free(&out);
	json_decref(c);
}

/* Plural forms: "1 deelnemer", "2 deelnemers", "0 deelnemers" (gettext
 * msgid_plural; Dutch and English: one form for 1, another for the rest). */
TEST(i18n_plural_forms)
{
	assert_string_equal(i18n_nget("nl", "%d respondent", "%d respondents", 1), "%d deelnemer");
	assert_string_equal(i18n_nget("nl", "%d respondent", "%d respondents", 2), "%d deelnemers");
	assert_string_equal(i18n_nget("nl", "%d respondent", "%d respondents", 0), "%d deelnemers");
	assert_string_equal(i18n_nget("en", "%d respondent", "%d respondents", 1), "%d respondent");
	assert_string_equal(i18n_nget("nl", "%d unknown", "%d unknowns", 3), "%d unknowns");
	json_t *c = json_pack("{s:[{s:i,s:s,s:s,s:s}]}", "consultations", "respondents", 1, "title",
	                      "Peiling", "opens_label", "1 maart", "closes_label", "2 maart");
	sb out;
	assert_int_equal(render("cons_plan_section", c, "nl", &out), 0);
	assert_contains(sb_str(&out), "· 1 deelnemer");
	assert_not_contains(sb_str(&out), "1 deelnemers");
	sb_free(&out);
	json_object_set_new(json_array_get(json_object_get(c, "consultations"), 0), "respondents",
	                    json_integer(48));
	assert_int_equal(render("cons_plan_section", c, "nl", &out), 0);
	assert_contains(sb_str(&out), "· 48 deelnemers");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_render_appends_to_existing_output)
{
	json_t *c = error_model("x");
	sb out;
	sb_init(&out);
	sb_puts(&out, "PREFIX");
	assert_int_equal(tpl_render(T_SET, "error", c, "en", &out), 0);
	assert_true(strncmp(sb_str(&out), "PREFIX<!DOCTYPE html>", 21) == 0);
	sb_free(&out);
	json_decref(c);
}

/* ---- templates: page chrome ----------------------------------------------------------- */

TEST(tpl_head_signed_out)
{
	json_t *c = error_model("m");
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	assert_contains(sb_str(&out), "href=\"/signin\"");
	assert_not_contains(sb_str(&out), "action=\"/signout\"");
	assert_not_contains(sb_str(&out), "/admin/users");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_head_signed_in_admin)
{
	json_t *c = error_model("m");
	json_object_set_new(c, "me", json_pack("{s:s,s:b,s:b}", "name", "Ann <A>", "is_organiser", 1,
	                                       "is_admin", 1));
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "action=\"/signout\"");
	assert_contains(h, "name=\"_csrf\" value=\"csrf-token-1\"");
	assert_contains(h, "(Ann &lt;A&gt;)");
	assert_contains(h, "href=\"/admin/users\"");
	assert_not_contains(h, "href=\"/signin\"");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_head_signed_in_not_admin)
{
	json_t *c = error_model("m");
	json_object_set_new(c, "me", json_pack("{s:s,s:b,s:b}", "name", "Bob", "is_organiser", 0,
	                                       "is_admin", 0));
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	assert_contains(sb_str(&out), "action=\"/signout\"");
	assert_not_contains(sb_str(&out), "/admin/users");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_flash_escaped)
{
	json_t *c = error_model("m");
	json_object_set_new(c, "flash", json_string("Saved <ok>"));
	sb out;
	assert_int_equal(render("error", c, "en", &out), 0);
	assert_contains(sb_str(&out), "role=\"status\"");
	assert_contains(sb_str(&out), "Saved &lt;ok&gt;");
	sb_free(&out);
	json_decref(c);
	c = error_model("m");
	assert_int_equal(render("error", c, "en", &out), 0);
	assert_not_contains(sb_str(&out), "role=\"status\"");
	sb_free(&out);
	json_decref(c);
}

/* ---- templates: home ---------------------------------------------------------------------- */

TEST(tpl_home_marks_current_phase)
{
	json_t *c = sample_home();
	sb out;
	assert_int_equal(render("plan_home", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_int_equal(count_occurrences(h, "aria-current=\"step\""), 1);
	/* (an English page: the plan's names are marked as Dutch) */
	assert_contains(h, "<li class=\"op-step op-step--current\" aria-current=\"step\">\n"
	                   "<span class=\"op-step__name\" lang=\"nl\">2. Beta</span>");
	assert_contains(h, "<li class=\"op-step op-step--done\">\n"
	                   "<span class=\"op-step__name\" lang=\"nl\">1. Alpha</span>");
	assert_contains(h, "<li class=\"op-step op-step--upcoming\">\n"
	                   "<span class=\"op-step__name\" lang=\"nl\">3. Gamma</span>");
	assert_int_equal(count_occurrences(h, "Current phase"), 1);
	assert_int_equal(count_occurrences(h, ">Done<"), 1);
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_escapes_theme_name)
{
	json_t *c = sample_home();
	sb out;
	assert_int_equal(render("plan_home", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "&lt;script&gt;alert(1)&lt;/script&gt;");
	assert_not_contains(h, "<script>");
	assert_contains(h, "<p class=\"nl-paragraph\" lang=\"nl\">Open &amp; honest</p>");
	assert_contains(h, ">Climate</a></h3></li>"); /* empty description: no paragraph */
	assert_int_equal(count_occurrences(h, "class=\"op-card op-theme-card\""), 2);
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_plan_details)
{
	json_t *c = sample_home();
	sb out;
	assert_int_equal(render("plan_home", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "<h1 class=\"nl-heading nl-heading--level-1\" lang=\"nl\">Action plan 2025</h1>");
	assert_contains(h, "<time datetime=\"2025-01-01\">1 January 2025</time>");
	assert_contains(h, "<time datetime=\"2026-12-31\">31 December 2026</time>");
	assert_contains(h, ">Co-creation</span>");
	assert_contains(h, "About the &lt;plan&gt;");
	assert_contains(h, "<ol class=\"op-steps\"");
	assert_contains(h, "<span class=\"op-step__dates\">1 March 2025</span>");
	assert_int_equal(count_occurrences(h, "op-step__dates"), 2); /* Gamma has no dates */
	assert_not_contains(h, "No phases yet.");
	assert_not_contains(h, "No themes yet.");
	assert_not_contains(h, "No plan yet");
	assert_not_contains(h, "/plans/3/edit"); /* no can_edit */
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_can_edit_link)
{
	json_t *c = sample_home();
	json_object_set_new(c, "can_edit", json_true());
	sb out;
	assert_int_equal(render("plan_home", c, "en", &out), 0);
	assert_contains(sb_str(&out), "href=\"/plans/3/edit\"");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_empty_plan)
{
	json_t *c = home_model(json_array(), json_array(), "");
	sb out;
	assert_int_equal(render("plan_home", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "No phases yet.");
	assert_contains(h, "No themes yet.");
	assert_not_contains(h, "<ol class=\"op-steps\"");
	assert_not_contains(h, "op-themes");
	assert_not_contains(h, "aria-current");
	/* an empty description renders no paragraph at all */
	assert_not_contains(h, "<p class=\"nl-paragraph\"></p>");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_without_plan)
{
	json_t *c = chrome("nl", "No plan yet");
	json_object_set_new(c, "plan", json_null());
	sb out;
	assert_int_equal(render("plan_home", c, "nl", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, i18n_get("nl", "No plan yet"));
	assert_contains(h, "<html lang=\"nl\">");
	assert_not_contains(h, "op-step");
	sb_free(&out);
	json_decref(c);
}

TEST(tpl_home_nl_uses_catalogue)
{
	json_t *c = sample_home();
	sb out;
	assert_int_equal(render("plan_home", c, "nl", &out), 0);
	const char *h = sb_str(&out);
	/* whatever the catalogue says (or the msgid), escaped */
	sb want;
	sb_init(&want);
	sb_html(&want, i18n_get("nl", "Current phase"));
	assert_contains(h, sb_str(&want));
	sb_free(&want);
	sb_free(&out);
	json_decref(c);
}

/* ---- templates: a form page ------------------------------------------------------------- */

/* The sign-in page draws its fields from the form's table through the
 * shared field partial (web/templates/field.html): the model is form_view's
 * {"f":{name:field},"failed":bool}. */
TEST(tpl_signin_field_errors)
{
	json_t *c = chrome("en", "Sign in");
	json_object_set_new(c, "form", json_pack(
		"{s:{s:{s:s,s:s,s:s,s:s,s:s,s:s,s:b},s:{s:s,s:s,s:s,s:s,s:s,s:b}},s:b}", "f",
		"email", "id", "email", "name", "email", "label", "E-mail address", "input", "email",
		"value", "a\"@b.nl", "error", "Bad <address>", "required", 1,
		"password", "id", "password", "name", "password", "label", "Password", "input",
		"password", "value", "", "required", 1, "failed", 1));
	json_object_set_new(json_object_get(json_object_get(json_object_get(c, "form"), "f"), "email"),
	                    "describedby", json_string("email-error"));
	sb out;
	assert_int_equal(render("account_signin", c, "en", &out), 0);
	const char *h = sb_str(&out);
	assert_contains(h, "value=\"a&quot;@b.nl\"");
	assert_contains(h, "id=\"email-error\">Bad &lt;address&gt;</p>");
	assert_contains(h, "aria-describedby=\"email-error\"");
	assert_not_contains(h, "password-error");
	assert_contains(h, "utrecht-alert--error");
	sb_free(&out);
	json_decref(c);

	c = chrome("en", "Sign in");
	json_object_set_new(c, "form", json_pack("{s:{s:{s:s,s:s,s:s,s:s,s:s}},s:b}", "f", "email",
	                                         "id", "email", "name", "email", "label",
	                                         "E-mail address", "input", "email", "value", "",
	                                         "failed", 0));
	assert_int_equal(render("account_signin", c, "en", &out), 0);
	assert_contains(sb_str(&out), "id=\"email\" name=\"email\" value=\"\"");
	assert_not_contains(sb_str(&out), "aria-invalid");
	assert_not_contains(sb_str(&out), "utrecht-alert--error");
	sb_free(&out);
	json_decref(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(i18n_languages),
		cmocka_unit_test(i18n_unknown_msgid_returns_msgid_itself),
		cmocka_unit_test(i18n_every_template_msgid_resolves),
		cmocka_unit_test(i18n_known_msgid_nl),
		cmocka_unit_test(i18n_reload_and_free_is_clean),
		cmocka_unit_test(tpl_load_succeeds),
		cmocka_unit_test(tpl_each_msgid_reports_many),
		cmocka_unit_test(tpl_error_escapes_message),
		cmocka_unit_test(tpl_error_is_a_whole_page),
		cmocka_unit_test(tpl_error_escapes_heading_and_title),
		cmocka_unit_test(tpl_missing_values_render_as_nothing),
		cmocka_unit_test(tpl_null_context_renders),
		cmocka_unit_test(tpl_unknown_template_fails),
		cmocka_unit_test(tpl_render_appends_to_existing_output),
		cmocka_unit_test(i18n_plural_forms),
		cmocka_unit_test(tpl_head_signed_out),
		cmocka_unit_test(tpl_head_signed_in_admin),
		cmocka_unit_test(tpl_head_signed_in_not_admin),
		cmocka_unit_test(tpl_flash_escaped),
		cmocka_unit_test(tpl_home_marks_current_phase),
		cmocka_unit_test(tpl_home_escapes_theme_name),
		cmocka_unit_test(tpl_home_plan_details),
		cmocka_unit_test(tpl_home_can_edit_link),
		cmocka_unit_test(tpl_home_empty_plan),
		cmocka_unit_test(tpl_home_without_plan),
		cmocka_unit_test(tpl_home_nl_uses_catalogue),
		cmocka_unit_test(tpl_signin_field_errors),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
