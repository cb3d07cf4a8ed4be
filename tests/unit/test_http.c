/* test_http.c — url-encoded forms, cookie headers and the router
 * (src/http/parse.c), driven with hand-made requests (conn = NULL). */
#include "unit.h"

#include "http/http.h"

static arena A;

static int setup(void **state)
{
	(void)state;
	arena_init(&A, 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	arena_free(&A);
	return 0;
}

static http_kvlist kv_empty(void) { return (http_kvlist){ NULL, 0, 0 }; }

static int form(const char *body, http_kvlist *l)
{
	*l = kv_empty();
	return http_parse_urlencoded(&A, body, strlen(body), l);
}

static int cookies(const char *h, http_kvlist *l)
{
	*l = kv_empty();
	return http_parse_cookies(&A, h, l);
}

/* ---- key/value lists --------------------------------------------------------- */

TEST(kv_add_and_get)
{
	http_kvlist l = kv_empty();
	assert_int_equal(http_kv_add(&A, &l, "a", "1", 1), 0);
	assert_int_equal(http_kv_add(&A, &l, "b", "22", 2), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "22");
	assert_null(http_kv_get(&l, "c"));
	assert_null(http_kv_get(&l, "A")); /* case-sensitive */
}

TEST(kv_get_on_empty_list)
{
	http_kvlist l = kv_empty();
	assert_null(http_kv_get(&l, "a"));
}

TEST(kv_add_grows_keeping_items)
{
	http_kvlist l = kv_empty();
	char *keys[100];
	for (int i = 0; i < 100; i++) {
		keys[i] = arena_printf(&A, "k%d", i);
		assert_int_equal(http_kv_add(&A, &l, keys[i], keys[i], strlen(keys[i])), 0);
	}
	assert_int_equal(l.len, 100);
	assert_true(l.cap >= 100);
	assert_string_equal(http_kv_get(&l, "k0"), "k0");
	assert_string_equal(http_kv_get(&l, "k57"), "k57");
	assert_string_equal(http_kv_get(&l, "k99"), "k99");
}

/* ---- url-encoded --------------------------------------------------------------- */

TEST(urlenc_two_pairs)
{
	http_kvlist l;
	assert_int_equal(form("a=1&b=2", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[0].value, "1");
	assert_int_equal(l.items[0].value_len, 1);
	assert_string_equal(l.items[1].key, "b");
	assert_string_equal(http_kv_get(&l, "b"), "2");
}

TEST(urlenc_empty_body)
{
	http_kvlist l;
	assert_int_equal(form("", &l), 0);
	assert_int_equal(l.len, 0);
}

TEST(urlenc_empty_values)
{
	http_kvlist l;
	assert_int_equal(form("a=&b=", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "");
	assert_string_equal(http_kv_get(&l, "b"), "");
	assert_int_equal(l.items[0].value_len, 0);
}

TEST(urlenc_missing_equals_is_empty_value)
{
	http_kvlist l;
	assert_int_equal(form("flag&x=1", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(l.items[0].key, "flag");
	assert_string_equal(l.items[0].value, "");
	assert_int_equal(l.items[0].value_len, 0);
	assert_string_equal(http_kv_get(&l, "x"), "1");
}

TEST(urlenc_empty_fragments_skipped)
{
	http_kvlist l;
	assert_int_equal(form("&&a=1&&&b=2&", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "2");
}

TEST(urlenc_repeated_keys_first_wins)
{
	http_kvlist l;
	assert_int_equal(form("a=1&a=2&a=3", &l), 0);
	assert_int_equal(l.len, 3);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(l.items[2].value, "3");
}

TEST(urlenc_value_with_equals_sign)
{
	http_kvlist l;
	assert_int_equal(form("a=b=c", &l), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(http_kv_get(&l, "a"), "b=c");
}

TEST(urlenc_percent_decoding_key_and_value)
{
	http_kvlist l;
	assert_int_equal(form("na%6De=J%C3%A9r%C3%B4me&k%20ey=%26%3D", &l), 0);
	assert_string_equal(http_kv_get(&l, "name"), "J\xc3\xa9r\xc3\xb4me");
	assert_int_equal(l.items[0].value_len, strlen("J\xc3\xa9r\xc3\xb4me"));
	assert_string_equal(http_kv_get(&l, "k ey"), "&=");
	assert_int_equal(l.items[1].value_len, 2);
}

TEST(urlenc_plus_is_space)
{
	http_kvlist l;
	assert_int_equal(form("q=a+b%2Bc&x+y=1", &l), 0);
	assert_string_equal(http_kv_get(&l, "q"), "a b+c");
	assert_int_equal(l.items[0].value_len, 5);
	assert_string_equal(http_kv_get(&l, "x y"), "1");
}

TEST(urlenc_bad_escape_in_value)
{
	http_kvlist l;
	assert_int_equal(form("a=%zz", &l), -1);
	assert_int_equal(form("a=1&b=%4", &l), -1);
	assert_int_equal(form("a=1%", &l), -1);
}

TEST(urlenc_bad_escape_in_key)
{
	http_kvlist l;
	assert_int_equal(form("a%=1", &l), -1);
	assert_int_equal(form("%g1=1", &l), -1);
	assert_int_equal(form("ok=1&%", &l), -1);
}

TEST(urlenc_value_len_counts_nul)
{
	http_kvlist l;
	assert_int_equal(form("v=a%00b&w=x", &l), 0);
	assert_int_equal(l.items[0].value_len, 3);
	assert_int_equal(strlen(l.items[0].value), 1); /* C string stops at the NUL */
	assert_memory_equal(l.items[0].value, "a\0b", 4);
	assert_int_equal(l.items[1].value_len, 1);
}

TEST(urlenc_respects_body_length)
{
	http_kvlist l = kv_empty();
	const char *body = "a=1&b=2";
	assert_int_equal(http_parse_urlencoded(&A, body, 3, &l), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_null(http_kv_get(&l, "b"));
}

TEST(urlenc_body_not_nul_terminated)
{
	char body[5] = { 'x', '=', 'a', 'b', 'c' };
	http_kvlist l = kv_empty();
	assert_int_equal(http_parse_urlencoded(&A, body, sizeof body, &l), 0);
	assert_string_equal(http_kv_get(&l, "x"), "abc");
	assert_int_equal(l.items[0].value_len, 3);
}

TEST(urlenc_field_limit)
{
	sb b;
	sb_init(&b);
	for (int i = 0; i < 4096; i++)
		sb_puts(&b, "a=1&");
	http_kvlist l = kv_empty();
	assert_int_equal(http_parse_urlencoded(&A, sb_str(&b), b.len, &l), 0);
	assert_int_equal(l.len, 4096);
	sb_puts(&b, "z=9");
	l = kv_empty();
	assert_int_equal(http_parse_urlencoded(&A, sb_str(&b), b.len, &l), -1);
	sb_free(&b);
}

/* ---- cookies -------------------------------------------------------------------- */

TEST(cookies_simple)
{
	http_kvlist l;
	assert_int_equal(cookies("a=1; b=two", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "two");
	assert_int_equal(l.items[1].value_len, 3);
}

TEST(cookies_spaces_and_tabs)
{
	http_kvlist l;
	assert_int_equal(cookies("  a=1 ;\tb=2\t;;  c=3  ", &l), 0);
	assert_int_equal(l.len, 3);
	assert_string_equal(http_kv_get(&l, "a"), "1");
	assert_string_equal(http_kv_get(&l, "b"), "2");
	assert_string_equal(http_kv_get(&l, "c"), "3");
	assert_int_equal(l.items[2].value_len, 1);
}

TEST(cookies_name_trailing_space_trimmed)
{
	http_kvlist l;
	assert_int_equal(cookies("sid =x", &l), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(l.items[0].key, "sid");
}

TEST(cookies_quoted_value)
{
	http_kvlist l;
	assert_int_equal(cookies("sid=\"abc def\"; q=\"\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "sid"), "abc def");
	assert_int_equal(l.items[0].value_len, 7);
	assert_string_equal(http_kv_get(&l, "q"), "");
	assert_int_equal(l.items[1].value_len, 0);
}

TEST(cookies_lone_quote_kept)
{
	http_kvlist l;
	assert_int_equal(cookies("a=\"", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "\"");
}

TEST(cookies_empty_and_null_header)
{
	http_kvlist l;
	assert_int_equal(cookies("", &l), 0);
	assert_int_equal(l.len, 0);
	assert_int_equal(cookies(NULL, &l), 0);
	assert_int_equal(l.len, 0);
	assert_int_equal(cookies(" ; ;  ", &l), 0);
	assert_int_equal(l.len, 0);
}

TEST(cookies_empty_value)
{
	http_kvlist l;
	assert_int_equal(cookies("a=; b=1", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "");
	assert_int_equal(l.items[0].value_len, 0);
}

TEST(cookies_fragments_without_equals_skipped)
{
	http_kvlist l;
	assert_int_equal(cookies("foo; a=1; bar ;b=2; baz", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(l.items[0].key, "a");
	assert_string_equal(l.items[1].key, "b");
	assert_null(http_kv_get(&l, "foo"));
	assert_null(http_kv_get(&l, "baz"));
}

TEST(cookies_nameless_skipped)
{
	http_kvlist l;
	assert_int_equal(cookies("=v; a=1;  =w", &l), 0);
	assert_int_equal(l.len, 1);
	assert_string_equal(http_kv_get(&l, "a"), "1");
}

TEST(cookies_value_with_equals)
{
	http_kvlist l;
	assert_int_equal(cookies("tok=abc==; x=1", &l), 0);
	assert_string_equal(http_kv_get(&l, "tok"), "abc==");
	assert_string_equal(http_kv_get(&l, "x"), "1");
}

TEST(cookies_not_percent_decoded)
{
	http_kvlist l;
	assert_int_equal(cookies("a=%41+b", &l), 0);
	assert_string_equal(http_kv_get(&l, "a"), "%41+b");
}

TEST(cookies_repeated_first_wins)
{
	http_kvlist l;
	assert_int_equal(cookies("a=1; a=2", &l), 0);
	assert_int_equal(l.len, 2);
	assert_string_equal(http_kv_get(&l, "a"), "1");
}

/* ---- router ----------------------------------------------------------------------- */

static const http_route_pattern routes[] = {
	{ HTTP_GET, "/" },                              /* 0 */
	{ HTTP_GET | HTTP_POST, "/plans/{id}" },        /* 1 */
	{ HTTP_POST, "/plans/{id}/edit" },              /* 2 */
	{ HTTP_GET, "/plans/new" },                     /* 3: shadowed by 1 */
	{ HTTP_GET, "/organisations" },                 /* 4 */
	{ HTTP_POST, "/signout" },                      /* 5 */
	{ HTTP_GET, "/orgs/{org}/members/{user}" },     /* 6 */
	{ HTTP_GET, "/x" },                             /* 7 */
	{ HTTP_POST, "/x" },                            /* 8 */
};

static http_req req(int method, const char *path)
{
	return (http_req){ .a = &A, .conn = NULL, .method = method, .path = path, .route = -1 };
}

static int route(http_req *r, int *allowed)
{
	return http_route_match(routes, ARRAY_LEN(routes), r, allowed);
}

TEST(route_root)
{
	http_req r = req(HTTP_GET, "/");
	int allowed = -1;
	assert_int_equal(route(&r, &allowed), 0);
	assert_int_equal(r.nparams, 0);
}

TEST(route_literal)
{
	http_req r = req(HTTP_GET, "/organisations");
	assert_int_equal(route(&r, NULL), 4);
	assert_int_equal(r.nparams, 0);
}

TEST(route_param)
{
	http_req r = req(HTTP_GET, "/plans/42");
	assert_int_equal(route(&r, NULL), 1);
	assert_int_equal(r.nparams, 1);
	assert_string_equal(http_param(&r, "id"), "42");
	assert_null(http_param(&r, "other"));
}

TEST(route_param_post)
{
	http_req r = req(HTTP_POST, "/plans/7/edit");
	assert_int_equal(route(&r, NULL), 2);
	assert_string_equal(http_param(&r, "id"), "7");
}

TEST(route_two_params)
{
	http_req r = req(HTTP_GET, "/orgs/12/members/34");
	assert_int_equal(route(&r, NULL), 6);
	assert_int_equal(r.nparams, 2);
	assert_string_equal(http_param(&r, "org"), "12");
	assert_string_equal(http_param(&r, "user"), "34");
	assert_string_equal(r.param_names[0], "org");
	assert_string_equal(r.params[1], "34");
}

TEST(route_param_kept_raw)
{
	http_req r = req(HTTP_GET, "/plans/a%20b");
	assert_int_equal(route(&r, NULL), 1);
	assert_string_equal(http_param(&r, "id"), "a%20b");
}

TEST(route_trailing_slash_does_not_match)
{
	http_req r = req(HTTP_GET, "/organisations/");
	int allowed = -1;
	assert_int_equal(route(&r, &allowed), -1);
	assert_int_equal(allowed, 0);
	r = req(HTTP_GET, "/plans/42/");
	assert_int_equal(route(&r, NULL), -1);
}

TEST(route_empty_param_does_not_match)
{
	http_req r = req(HTTP_GET, "/plans/");
	assert_int_equal(route(&r, NULL), -1);
	r = req(HTTP_POST, "/plans//edit");
	assert_int_equal(route(&r, NULL), -1);
}

TEST(route_not_found)
{
	const char *paths[] = { "/nothing", "/plans", "/plansx/1", "/Organisations", "",
		                "/organisations/extra", "/plans/1/edit/more", "//" };
	for (size_t i = 0; i < ARRAY_LEN(paths); i++) {
		http_req r = req(HTTP_GET, paths[i]);
		int allowed = -1;
		int rc = route(&r, &allowed);
		if (rc != -1)
			fail_msg("path '%s' gave %d, expected -1", paths[i], rc);
		assert_int_equal(allowed, 0);
		assert_int_equal(r.nparams, 0);
	}
}

TEST(route_method_not_allowed)
{
	http_req r = req(HTTP_GET, "/signout");
	int allowed = 0;
	assert_int_equal(route(&r, &allowed), -2);
	assert_int_equal(allowed, HTTP_POST);
}

TEST(route_method_not_allowed_get_route_lists_head)
{
	http_req r = req(HTTP_POST, "/organisations");
	int allowed = 0;
	assert_int_equal(route(&r, &allowed), -2);
	assert_int_equal(allowed, HTTP_GET | HTTP_HEAD);
}

TEST(route_method_not_allowed_with_params_clears_them)
{
	http_req r = req(HTTP_GET, "/plans/9/edit");
	int allowed = 0;
	assert_int_equal(route(&r, &allowed), -2);
	assert_int_equal(allowed, HTTP_POST);
	assert_int_equal(r.nparams, 0);
	assert_null(http_param(&r, "id"));
}

TEST(route_allowed_accumulates_across_routes)
{
	http_req r = req(HTTP_OTHER, "/x");
	int allowed = 0;
	assert_int_equal(route(&r, &allowed), -2);
	assert_int_equal(allowed, HTTP_GET | HTTP_HEAD | HTTP_POST);
	r = req(HTTP_POST, "/x");
	assert_int_equal(route(&r, NULL), 8);
}

TEST(route_405_with_null_allowed)
{
	http_req r = req(HTTP_OTHER, "/");
	assert_int_equal(route(&r, NULL), -2);
}

TEST(route_get_implies_head)
{
	http_req r = req(HTTP_HEAD, "/organisations");
	assert_int_equal(route(&r, NULL), 4);
	r = req(HTTP_HEAD, "/plans/5");
	assert_int_equal(route(&r, NULL), 1);
	assert_string_equal(http_param(&r, "id"), "5");
}

TEST(route_head_not_implied_by_post)
{
	http_req r = req(HTTP_HEAD, "/signout");
	int allowed = 0;
	assert_int_equal(route(&r, &allowed), -2);
	assert_int_equal(allowed, HTTP_POST);
}

TEST(route_first_match_wins)
{
	http_req r = req(HTTP_GET, "/plans/new");
	assert_int_equal(route(&r, NULL), 1);
	assert_string_equal(http_param(&r, "id"), "new");

	static const http_route_pattern lit_first[] = {
		{ HTTP_GET, "/plans/new" },
		{ HTTP_GET, "/plans/{id}" },
	};
	r = req(HTTP_GET, "/plans/new");
	assert_int_equal(http_route_match(lit_first, 2, &r, NULL), 0);
	assert_int_equal(r.nparams, 0);
	r = req(HTTP_GET, "/plans/3");
	assert_int_equal(http_route_match(lit_first, 2, &r, NULL), 1);
	assert_string_equal(http_param(&r, "id"), "3");
}

TEST(route_first_matching_method_wins_over_earlier_pattern)
{
	/* a pattern match with the wrong method does not stop the search */
	static const http_route_pattern rs[] = {
		{ HTTP_POST, "/a/{id}" },
		{ HTTP_GET, "/a/{key}" },
	};
	http_req r = req(HTTP_GET, "/a/1");
	assert_int_equal(http_route_match(rs, 2, &r, NULL), 1);
	assert_int_equal(r.nparams, 1);
	assert_string_equal(http_param(&r, "key"), "1");
	assert_null(http_param(&r, "id"));
}

TEST(route_no_routes)
{
	http_req r = req(HTTP_GET, "/");
	int allowed = 5;
	assert_int_equal(http_route_match(routes, 0, &r, &allowed), -1);
	assert_int_equal(allowed, 0);
}

/* ---- request accessors and responses --------------------------------------------- */

TEST(req_accessors_read_lists)
{
	http_req r = req(HTTP_POST, "/");
	assert_int_equal(http_parse_urlencoded(&A, "q=1", 3, &r.query), 0);
	assert_int_equal(http_parse_urlencoded(&A, "f=2", 3, &r.form), 0);
	assert_int_equal(http_parse_cookies(&A, "c=3", &r.cookies), 0);
	assert_string_equal(http_query(&r, "q"), "1");
	assert_string_equal(http_form(&r, "f"), "2");
	assert_string_equal(http_cookie(&r, "c"), "3");
	assert_null(http_query(&r, "f"));
	assert_null(http_form(&r, "q"));
	assert_null(http_cookie(&r, "q"));
}

TEST(redirect_sets_303_and_location)
{
	http_req r = req(HTTP_POST, "/");
	http_resp s = { .status = 200 };
	sb_init(&s.body);
	http_redirect(&r, &s, "/plans/1");
	assert_int_equal(s.status, 303);
	assert_string_equal(http_kv_get(&s.headers, "Location"), "/plans/1");
	sb_free(&s.body);
}

TEST(set_cookie_attributes)
{
	http_req r = req(HTTP_GET, "/");
	http_resp s = { .status = 200 };
	sb_init(&s.body);
	http_set_cookie(&r, &s, "sid", "abc", 3600, false);
	http_set_cookie(&r, &s, "x", "", 0, true);
	assert_int_equal(s.headers.len, 2);
	const char *c1 = s.headers.items[0].value;
	assert_string_equal(s.headers.items[0].key, "Set-Cookie");
	assert_contains(c1, "sid=abc");
	assert_contains(c1, "Path=/");
	assert_contains(c1, "Max-Age=3600");
	assert_contains(c1, "HttpOnly");
	assert_contains(c1, "SameSite=Lax");
	assert_not_contains(c1, "Secure");
	assert_contains(s.headers.items[1].value, "; Secure");
	assert_contains(s.headers.items[1].value, "Max-Age=0");
	sb_free(&s.body);
}

TEST(status_texts)
{
	assert_string_equal(http_status_text(200), "OK");
	assert_string_equal(http_status_text(404), "Not Found");
	assert_string_equal(http_status_text(405), "Method Not Allowed");
	assert_string_equal(http_status_text(303), "See Other");
	assert_string_equal(http_status_text(999), "");
}

/* ---- X-Forwarded-For and out-of-memory codes ---------------------------------- */

TEST(forwarded_for_takes_the_right_most_address_that_is_not_the_proxy)
{
	char out[64];
	assert_true(http_forwarded_for("203.0.113.9", "127.0.0.1", out, sizeof out));
	assert_string_equal(out, "203.0.113.9");
	/* A client can write anything left of what the proxy appends. */
	assert_true(http_forwarded_for("6.6.6.6, 203.0.113.9", "127.0.0.1", out, sizeof out));
	assert_string_equal(out, "203.0.113.9");
	/* The proxy's own address at the end is skipped; spaces trimmed. */
	assert_true(http_forwarded_for(" 198.51.100.7 ,127.0.0.1 ", "127.0.0.1", out, sizeof out));
	assert_string_equal(out, "198.51.100.7");
	/* IPv6, bracketed or not, normalised. */
	assert_true(http_forwarded_for("[2001:DB8:0:0::1]", "::1", out, sizeof out));
	assert_string_equal(out, "2001:db8::1");
	/* Garbage at the right: believe nothing (the peer stays the client). */
	assert_false(http_forwarded_for("203.0.113.9, evil", "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for("1.2.3.4:80", "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for("", "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for(" , ,", "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for("127.0.0.1", "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for(NULL, "127.0.0.1", out, sizeof out));
	assert_false(http_forwarded_for("203.0.113.9", "not an address", out, sizeof out));
	/* Too small an output buffer: refused, not truncated. */
	assert_false(http_forwarded_for("203.0.113.9", "127.0.0.1", out, 5));
}

TEST(parsers_tell_out_of_memory_from_malformed)
{
	http_kvlist l = kv_empty();
	assert_int_equal(http_parse_urlencoded(&A, "a=%zz", 5, &l), -1);
	arena tiny;
	arena_init(&tiny, 64);
	l = kv_empty();
	assert_int_equal(http_parse_urlencoded(&tiny, "aaaaaaaaaaaaaaaaaaaa=bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb&c=d&e=f",
	                                       58, &l), HTTP_NOMEM);
	l = kv_empty();
	assert_int_equal(http_parse_cookies(&tiny, "x=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", &l),
	                 HTTP_NOMEM);
	arena_free(&tiny);
	assert_string_equal(http_status_text(414), "URI Too Long");
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(kv_add_and_get),
		T(forwarded_for_takes_the_right_most_address_that_is_not_the_proxy),
		T(parsers_tell_out_of_memory_from_malformed),
		T(kv_get_on_empty_list),
		T(kv_add_grows_keeping_items),
		T(urlenc_two_pairs),
		T(urlenc_empty_body),
		T(urlenc_empty_values),
		T(urlenc_missing_equals_is_empty_value),
		T(urlenc_empty_fragments_skipped),
		T(urlenc_repeated_keys_first_wins),
		T(urlenc_value_with_equals_sign),
		T(urlenc_percent_decoding_key_and_value),
		T(urlenc_plus_is_space),
		T(urlenc_bad_escape_in_value),
		T(urlenc_bad_escape_in_key),
		T(urlenc_value_len_counts_nul),
		T(urlenc_respects_body_length),
		T(urlenc_body_not_nul_terminated),
		T(urlenc_field_limit),
		T(cookies_simple),
		T(cookies_spaces_and_tabs),
		T(cookies_name_trailing_space_trimmed),
		T(cookies_quoted_value),
		T(cookies_lone_quote_kept),
		T(cookies_empty_and_null_header),
		T(cookies_empty_value),
		T(cookies_fragments_without_equals_skipped),
		T(cookies_nameless_skipped),
		T(cookies_value_with_equals),
		T(cookies_not_percent_decoded),
		T(cookies_repeated_first_wins),
		T(route_root),
		T(route_literal),
		T(route_param),
		T(route_param_post),
		T(route_two_params),
		T(route_param_kept_raw),
		T(route_trailing_slash_does_not_match),
		T(route_empty_param_does_not_match),
		T(route_not_found),
		T(route_method_not_allowed),
		T(route_method_not_allowed_get_route_lists_head),
		T(route_method_not_allowed_with_params_clears_them),
		T(route_allowed_accumulates_across_routes),
		T(route_405_with_null_allowed),
		T(route_get_implies_head),
		T(route_head_not_implied_by_post),
		T(route_first_match_wins),
		T(route_first_matching_method_wins_over_earlier_pattern),
		T(route_no_routes),
		T(req_accessors_read_lists),
		T(redirect_sets_303_and_location),
		T(set_cookie_attributes),
		T(status_texts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
