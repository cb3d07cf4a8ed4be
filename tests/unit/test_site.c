/* test_site.c — the site-wide pieces of issue 16 that need no server:
 * Amsterdam dates and times across both summer-time switches (web/date.c),
 * the {{@nl}} mark for Dutch content (web/template.c), the logo's content
 * check (features/site/site_logo.c), and the words, Dutch stems, queries
 * and excerpts of the search (features/search/search_text.c). */
#include "unit.h"

#include <time.h>

#include "features/search/search.h"
#include "features/site/site.h"
#include "web/web.h"

/* Seconds since the epoch of a UTC wall-clock time. */
static int64_t utc(int y, int mo, int d, int h, int mi)
{
	struct tm tm = { .tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi };
	return (int64_t)timegm(&tm);
}

/* ---- dates and times ---- */

TEST(times_are_amsterdam_with_summer_time)
{
	arena a;
	arena_init(&a, 0);
	/* Winter: UTC+1. */
	assert_string_equal(web_datetime(&a, "nl", utc(2024, 1, 15, 12, 5)), "15 januari 2024, 13.05 uur");
	assert_string_equal(web_datetime(&a, "en", utc(2024, 1, 15, 12, 5)), "15 January 2024, 13:05");
	/* The spring switch: 01:00 UTC on the last Sunday of March. */
	assert_string_equal(web_datetime(&a, "nl", utc(2024, 3, 31, 0, 59)), "31 maart 2024, 01.59 uur");
	assert_string_equal(web_datetime(&a, "nl", utc(2024, 3, 31, 1, 0)), "31 maart 2024, 03.00 uur");
	/* Summer: UTC+2; the autumn switch on the last Sunday of October. */
	assert_string_equal(web_datetime(&a, "nl", utc(2024, 10, 27, 0, 59)), "27 oktober 2024, 02.59 uur");
	assert_string_equal(web_datetime(&a, "nl", utc(2024, 10, 27, 1, 0)), "27 oktober 2024, 02.00 uur");
	/* Late in the evening in UTC is the next day in Amsterdam. */
	char ymd[11];
	web_amsterdam_ymd(utc(2025, 6, 30, 22, 30), ymd);
	assert_string_equal(ymd, "2025-07-01");
	web_amsterdam_ymd(utc(2025, 12, 31, 22, 59), ymd);
	assert_string_equal(ymd, "2025-12-31");
	web_amsterdam_ymd(utc(2025, 12, 31, 23, 0), ymd);
	assert_string_equal(ymd, "2026-01-01");
	assert_string_equal(web_datetime_iso(&a, utc(2024, 7, 1, 10, 0)), "2024-07-01T12:00:00+02:00");
	assert_string_equal(web_datetime_iso(&a, utc(2024, 12, 1, 10, 0)), "2024-12-01T11:00:00+01:00");
	arena_free(&a);
}

TEST(today_is_amsterdam_today)
{
	char ymd[11];
	web_amsterdam_ymd((int64_t)time(NULL), ymd);
	int y, m, d;
	assert_int_equal(sscanf(ymd, "%d-%d-%d", &y, &m, &d), 3);
	int today = web_amsterdam_today();
	/* Both read the clock: equal unless midnight passed in between. */
	assert_true(today == y * 10000 + m * 100 + d || today == y * 10000 + m * 100 + d + 1 ||
	            today / 100 != (y * 100 + m));
}

/* ---- {{@nl}} ---- */

static tpl_set *T_SET;

static int group_setup(void **state)
{
	(void)state;
	char err[256] = "";
	if (i18n_load(err, sizeof err) != 0 || tpl_load(&T_SET, err, sizeof err) != 0) {
		fprintf(stderr, "setup: %s\n", err);
		return -1;
	}
	return 0;
}

static int group_teardown(void **state)
{
	(void)state;
	tpl_free(T_SET);
	i18n_free();
	return 0;
}

TEST(dutch_content_is_marked_on_other_pages_only)
{
	json_t *c = json_pack("{s:{s:i,s:i,s:s,s:s,s:s},s:[{s:i,s:s,s:b}]}", "theme", "id", 3, "plan_id",
	                      1, "name", "Open Inkoop", "description", "Wat de overheid <inkoopt>",
	                      "plan_title", "Actieplan", "themes", "id", 3, "name", "Open Inkoop",
	                      "current", 1);
	sb en, nl;
	sb_init(&en);
	sb_init(&nl);
	assert_int_equal(tpl_render(T_SET, "theme_show", c, "en", &en), 0);
	assert_int_equal(tpl_render(T_SET, "theme_show", c, "nl", &nl), 0);
	assert_contains(sb_str(&en), "<h1 class=\"nl-heading nl-heading--level-1\" lang=\"nl\">Open Inkoop</h1>");
	assert_contains(sb_str(&en), "<p class=\"nl-paragraph op-theme-lead\" lang=\"nl\">Wat de overheid &lt;inkoopt&gt;</p>");
	assert_contains(sb_str(&nl), "<h1 class=\"nl-heading nl-heading--level-1\">Open Inkoop</h1>");
	assert_int_equal(count_occurrences(sb_str(&nl), " lang=\"nl\""), 0);
	sb_free(&en);
	sb_free(&nl);
	json_decref(c);
}

/* ---- the logo ---- */

static uint32_t crc(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

static size_t put_chunk(unsigned char *out, const char *type, const unsigned char *data, uint32_t n)
{
	out[0] = (unsigned char)(n >> 24);
	out[1] = (unsigned char)(n >> 16);
	out[2] = (unsigned char)(n >> 8);
	out[3] = (unsigned char)n;
	memcpy(out + 4, type, 4);
	if (n)
		memcpy(out + 8, data, n);
	uint32_t c = crc(out + 4, n + 4);
	out[8 + n] = (unsigned char)(c >> 24);
	out[9 + n] = (unsigned char)(c >> 16);
	out[10 + n] = (unsigned char)(c >> 8);
	out[11 + n] = (unsigned char)c;
	return 12 + n;
}

/* A structurally whole PNG of w × h (the IDAT's bytes are not inflated by
 * the check: it reads the container, not the pixels). */
static size_t make_png(unsigned char *out, uint32_t w, uint32_t h)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	memcpy(out, sig, 8);
	unsigned char ihdr[13] = { (unsigned char)(w >> 24), (unsigned char)(w >> 16), (unsigned char)(w >> 8),
		                   (unsigned char)w, (unsigned char)(h >> 24), (unsigned char)(h >> 16),
		                   (unsigned char)(h >> 8), (unsigned char)h, 8, 2, 0, 0, 0 };
	static const unsigned char idat[] = { 0x78, 0x9C, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 };
	size_t n = 8;
	n += put_chunk(out + n, "IHDR", ihdr, 13);
	n += put_chunk(out + n, "IDAT", idat, sizeof idat);
	n += put_chunk(out + n, "IEND", NULL, 0);
	return n;
}

TEST(logo_png_is_checked_by_its_structure)
{
	unsigned char p[128];
	size_t n = make_png(p, 64, 32);
	const char *type = NULL;
	assert_null(site_logo_check((const char *)p, n, &type));
	assert_string_equal(type, "image/png");
	/* Cut short, a changed byte (its CRC no longer fits), bytes after IEND. */
	assert_non_null(site_logo_check((const char *)p, n - 1, &type));
	assert_null(type);
	p[20] ^= 1;
	assert_non_null(site_logo_check((const char *)p, n, &type));
	p[20] ^= 1;
	p[n] = 0;
	assert_non_null(site_logo_check((const char *)p, n + 1, &type));
	/* Too large a picture, or none at all. */
	n = make_png(p, 4097, 10);
	assert_string_equal(site_logo_check((const char *)p, n, &type),
	                    "The image is too large: at most 4096 by 4096 pixels.");
	n = make_png(p, 0, 10);
	assert_non_null(site_logo_check((const char *)p, n, &type));
	n = make_png(p, 4096, 4096);
	assert_null(site_logo_check((const char *)p, n, &type));
	/* A chunk whose length runs past the end. */
	n = make_png(p, 10, 10);
	p[8 + 12 + 13 + 3] = 0xFF; /* IDAT's length */
	assert_non_null(site_logo_check((const char *)p, n, &type));
}

TEST(logo_svg_runs_and_loads_nothing)
{
	static const char ok[] = "<?xml version=\"1.0\"?>\n<!-- logo -->\n<svg xmlns=\"http://www.w3.org/2000/svg\" "
	                         "viewBox=\"0 0 1 1\"><defs><linearGradient id=\"g\"/></defs>"
	                         "<rect fill=\"url(#g)\" width=\"1\" height=\"1\"/><use href=\"#g\"/></svg>";
	const char *type = NULL;
	assert_null(site_logo_check(ok, strlen(ok), &type));
	assert_string_equal(type, "image/svg+xml");
	static const char *const bad[] = {
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><script>alert(1)</script></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><SCRIPT>alert(1)</SCRIPT></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\" onload=\"alert(1)\"></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect\nonclick = \"x()\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><a href=\"javascript:alert(1)\"><rect/></a></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"https://tracker.example/p.png\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><use xlink:href='other.svg#a'/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><rect fill=\"url(https://x.example/a)\"/></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><style>@import 'x.css';</style></svg>",
		"<svg xmlns=\"http://www.w3.org/2000/svg\"><foreignObject><p>x</p></foreignObject></svg>",
		"<!DOCTYPE svg [<!ENTITY x \"y\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>",
		"<?xml-stylesheet href=\"x.css\"?><svg xmlns=\"http://www.w3.org/2000/svg\"></svg>",
	};
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		const char *msg = site_logo_check(bad[i], strlen(bad[i]), &type);
		if (!msg || !strstr(msg, "scripts"))
			fail_msg("accepted or misnamed: %s (%s)", bad[i], msg ? msg : "accepted");
		assert_null(type);
	}
	/* Not an SVG, not whole, not text. */
	assert_string_equal(site_logo_check("<html></html>", 13, &type), "This is not an SVG or PNG image.");
	assert_string_equal(site_logo_check("<svgx/>", 7, &type), "This is not an SVG or PNG image.");
	assert_non_null(site_logo_check("<svg xmlns=\"x\"><rect", 20, &type));
	assert_non_null(site_logo_check("<svg>\xff</svg>", 11, &type));
	assert_non_null(site_logo_check("", 0, &type));
	/* "onion" is not an event handler; "ongoing" text outside tags is fine. */
	static const char words[] = "<svg xmlns=\"http://www.w3.org/2000/svg\"><title>ongoing onion</title></svg>";
	assert_null(site_logo_check(words, strlen(words), &type));
}

/* ---- search words ---- */

TEST(search_words_are_dutch_stems)
{
	arena a;
	arena_init(&a, 0);
	/* Case, accents as the stemmer treats them, stop words left out. */
	assert_string_equal(search_words(&a, "De Aanbestedingen van het Rijk", true), "aanbested rijk");
	assert_string_equal(search_words(&a, "aanbesteding", true), "aanbested");
	assert_string_equal(search_words(&a, "Ideeën, ideeen!", true), "ideeen ideeen");
	assert_string_equal(search_words(&a, "open-source 2020 x", false), "open source 2020");
	assert_string_equal(search_words(&a, "", true), "");
	assert_string_equal(search_words(&a, "de het een", true), "");
	arena_free(&a);
}

TEST(search_queries_quote_their_words)
{
	arena a;
	arena_init(&a, 0);
	const char **stems;
	size_t n;
	/* ("openbaar" is "open" with a suffix, to the Dutch stemmer) */
	assert_string_equal(search_query_expr(&a, "Klachten openbaar", true, &stems, &n),
	                    "\"klacht\" \"open\"*");
	assert_int_equal(n, 2);
	assert_string_equal(stems[0], "klacht");
	/* Words as typed for a database that stems them itself. */
	assert_string_equal(search_query_expr(&a, "Klachten openbaar", false, &stems, &n),
	                    "\"klachten\" \"openbaar\"*");
	/* What FTS5 or tsquery would read as syntax is no part of a word. */
	assert_string_equal(search_query_expr(&a, "\"a\" OR b* NEAR(c) -d ^e 'f':* & g | !h", true, &stems, &n),
	                    "\"or\" \"near\"*");
	assert_null(search_query_expr(&a, "de van het", true, &stems, &n));
	assert_int_equal(n, 0);
	assert_null(search_query_expr(&a, "   ", true, &stems, &n));
	assert_null(search_query_expr(&a, "!!!", true, &stems, &n));
	arena_free(&a);
}

static char *joined(json_t *pieces, bool marks)
{
	sb b;
	sb_init(&b);
	size_t i;
	json_t *p;
	json_array_foreach(pieces, i, p) {
		bool hit = json_is_true(json_object_get(p, "hit"));
		sb_printf(&b, "%s%s%s", hit && marks ? "[" : "", json_string_value(json_object_get(p, "text")),
		          hit && marks ? "]" : "");
	}
	char *s = strdup(sb_str(&b));
	sb_free(&b);
	return s;
}

TEST(search_excerpts_mark_every_form_of_a_word)
{
	arena a;
	arena_init(&a, 0);
	const char **stems;
	size_t n;
	search_query_expr(&a, "aanbesteding gemeente", true, &stems, &n);
	json_t *x = search_excerpt(&a, "Gemeenten publiceren hun aanbestedingen\nelk op hun eigen manier.",
	                           stems, n, 28);
	char *s = joined(x, true);
	assert_string_equal(s, "[Gemeenten] publiceren hun [aanbestedingen] elk op hun eigen manier.");
	free(s);
	json_decref(x);
	/* A long text is cut around the first match, with "…" where it is cut. */
	sb long_text;
	sb_init(&long_text);
	for (int i = 0; i < 40; i++)
		sb_printf(&long_text, "woord%d ", i);
	sb_puts(&long_text, "aanbesteding ");
	for (int i = 40; i < 80; i++)
		sb_printf(&long_text, "woord%d ", i);
	x = search_excerpt(&a, sb_str(&long_text), stems, n, 10);
	s = joined(x, true);
	assert_true(strncmp(s, "… ", 4) == 0);
	assert_non_null(strstr(s, "[aanbesteding]"));
	assert_true(strcmp(s + strlen(s) - 4, " …") == 0);
	free(s);
	json_decref(x);
	sb_free(&long_text);
	/* Nothing matches: the text's start. */
	assert_string_equal(search_snippet(&a, "Een, twee; drie vier vijf.", 3), "Een, twee; drie …");
	assert_string_equal(search_snippet(&a, "Kort.", 30), "Kort.");
	arena_free(&a);
}

TEST(search_plain_drops_markdown_marks)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(search_plain(&a, "## Kop\n\nDit is **vet** en _schuin_ met `code`.\n"
	                                     "- een [link](https://x.example) in een lijst\n> citaat"),
	                    "Kop\n\nDit is vet en schuin met code.\neen link in een lijst\ncitaat");
	assert_string_equal(search_plain(&a, "snake_case blijft"), "snake_case blijft");
	assert_string_equal(search_plain(&a, "![logo](x.png) tekst"), "logo tekst");
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(times_are_amsterdam_with_summer_time),
		cmocka_unit_test(today_is_amsterdam_today),
		cmocka_unit_test(dutch_content_is_marked_on_other_pages_only),
		cmocka_unit_test(logo_png_is_checked_by_its_structure),
		cmocka_unit_test(logo_svg_runs_and_loads_nothing),
		cmocka_unit_test(search_words_are_dutch_stems),
		cmocka_unit_test(search_queries_quote_their_words),
		cmocka_unit_test(search_excerpts_mark_every_form_of_a_word),
		cmocka_unit_test(search_plain_drops_markdown_marks),
	};
	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
