/* test_util.c — arena, string builder and text helpers (src/util). */
#include "unit.h"

#include <limits.h>

#include <stdatomic.h>
#include <unistd.h>

#include "util/arena.h"
#include "util/jobs.h"
#include "util/sb.h"
#include "util/text.h"

/* ---- arena ----------------------------------------------------------------- */

TEST(arena_alloc_is_16_byte_aligned)
{
	arena a;
	arena_init(&a, 0);
	for (size_t n = 0; n < 200; n++) {
		void *p = arena_alloc(&a, n % 37);
		assert_non_null(p);
		assert_int_equal((uintptr_t)p % 16, 0);
	}
	arena_free(&a);
}

TEST(arena_allocations_are_distinct_and_do_not_overlap)
{
	arena a;
	arena_init(&a, 0);
	unsigned char *p = arena_alloc(&a, 1);
	unsigned char *q = arena_alloc(&a, 1);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	/* Each allocation is rounded up to 16 bytes. */
	assert_true(q > p ? (size_t)(q - p) >= 16 : (size_t)(p - q) >= 16);
	assert_int_equal(a.total, 32);
	arena_free(&a);
}

TEST(arena_zero_size_alloc_returns_usable_pointer)
{
	arena a;
	arena_init(&a, 0);
	void *p = arena_alloc(&a, 0);
	void *q = arena_alloc(&a, 0);
	assert_non_null(p);
	assert_non_null(q);
	assert_ptr_not_equal(p, q);
	arena_free(&a);
}

TEST(arena_many_allocations_span_blocks_and_keep_contents)
{
	arena a;
	arena_init(&a, 0);
	enum { N = 2000, SZ = 100 };
	unsigned char *ptrs[N];
	for (int i = 0; i < N; i++) {
		ptrs[i] = arena_alloc(&a, SZ);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 16, 0);
		memset(ptrs[i], i & 0xff, SZ);
	}
	/* 2000 * 112 bytes is far more than the first 8 KiB block. */
	assert_int_equal(a.total, (size_t)N * 112);
	assert_non_null(a.head);
	for (int i = 0; i < N; i++)
		for (int k = 0; k < SZ; k++)
			assert_int_equal(ptrs[i][k], i & 0xff);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
}

TEST(arena_large_allocation_bigger_than_a_block)
{
	arena a;
	arena_init(&a, 0);
	assert_non_null(arena_alloc(&a, 10));
	unsigned char *big = arena_alloc(&a, 100000);
	assert_non_null(big);
	memset(big, 0xab, 100000);
	assert_int_equal(big[99999], 0xab);
	unsigned char *after = arena_alloc(&a, 10);
	assert_non_null(after);
	arena_free(&a);
}

TEST(arena_limit_makes_alloc_return_null)
{
	arena a;
	arena_init(&a, 1024);
	assert_non_null(arena_alloc(&a, 1000)); /* 1008 after rounding */
	assert_null(arena_alloc(&a, 32));       /* 1040 > 1024 */
	assert_int_equal(a.total, 1008);
	assert_non_null(arena_alloc(&a, 16)); /* exactly 1024 */
	assert_null(arena_alloc(&a, 1));
	assert_null(arena_strdup(&a, "x"));
	assert_null(arena_printf(&a, "%d", 1));
	assert_int_equal(a.total, 1024);
	arena_free(&a);
}

TEST(arena_limit_survives_free_and_arena_is_reusable)
{
	arena a;
	arena_init(&a, 64);
	assert_non_null(arena_alloc(&a, 64));
	assert_null(arena_alloc(&a, 1));
	arena_free(&a);
	assert_int_equal(a.limit, 64);
	assert_non_null(arena_alloc(&a, 48));
	assert_null(arena_alloc(&a, 17));
	arena_free(&a);
}

TEST(arena_alloc_huge_returns_null)
{
	arena a;
	arena_init(&a, 0);
	assert_null(arena_alloc(&a, SIZE_MAX));
	assert_null(arena_alloc(&a, SIZE_MAX / 2 + 1));
	assert_int_equal(a.total, 0);
	arena_free(&a);
}

TEST(arena_calloc_zeroes)
{
	arena a;
	arena_init(&a, 0);
	/* Dirty the block first so calloc has to clear reused bytes. */
	unsigned char *d = arena_alloc(&a, 256);
	memset(d, 0xff, 256);
	int *p = arena_calloc(&a, 64, sizeof(int));
	assert_non_null(p);
	for (int i = 0; i < 64; i++)
		assert_int_equal(p[i], 0);
	arena_free(&a);
}

TEST(arena_calloc_overflow_returns_null)
{
	arena a;
	arena_init(&a, 0);
	assert_null(arena_calloc(&a, SIZE_MAX / 2 + 1, 2));
	assert_null(arena_calloc(&a, SIZE_MAX, SIZE_MAX));
	assert_null(arena_calloc(&a, (SIZE_MAX >> 16) + 1, 1u << 16));
	assert_int_equal(a.total, 0);
	assert_non_null(arena_calloc(&a, 0, 8));
	arena_free(&a);
}

TEST(arena_strdup_copies)
{
	arena a;
	arena_init(&a, 0);
	char buf[] = "hello";
	char *s = arena_strdup(&a, buf);
	assert_non_null(s);
	assert_ptr_not_equal(s, buf);
	buf[0] = 'j';
	assert_string_equal(s, "hello");
	assert_null(arena_strdup(&a, NULL));
	assert_string_equal(arena_strdup(&a, ""), "");
	arena_free(&a);
}

TEST(arena_strndup_truncates_and_terminates)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(arena_strndup(&a, "hello", 3), "hel");
	assert_string_equal(arena_strndup(&a, "hello", 0), "");
	char *s = arena_strndup(&a, "a\0b", 3);
	assert_non_null(s);
	assert_memory_equal(s, "a\0b", 4);
	arena_free(&a);
}

TEST(arena_printf_formats)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(arena_printf(&a, "%d-%s-%05.1f", 42, "x", 3.14159), "42-x-003.1");
	assert_string_equal(arena_printf(&a, "%s", ""), "");
	arena_free(&a);
}

TEST(arena_printf_long_output)
{
	arena a;
	arena_init(&a, 0);
	char *big = malloc(20001);
	assert_non_null(big);
	memset(big, 'z', 20000);
	big[20000] = '\0';
	char *s = arena_printf(&a, "<%s>", big);
	assert_non_null(s);
	assert_int_equal(strlen(s), 20002);
	assert_int_equal(s[0], '<');
	assert_int_equal(s[20001], '>');
	assert_int_equal(s[10000], 'z');
	free(big);
	arena_free(&a);
}

/* ---- sb -------------------------------------------------------------------- */

TEST(sb_empty_is_empty_string)
{
	sb b;
	sb_init(&b);
	assert_string_equal(sb_str(&b), "");
	assert_int_equal(b.len, 0);
	assert_false(sb_failed(&b));
	sb_free(&b);
}

TEST(sb_append_grows_past_256)
{
	sb b;
	sb_init(&b);
	for (int i = 0; i < 1000; i++)
		sb_putc(&b, (char)('a' + i % 26));
	assert_false(sb_failed(&b));
	assert_int_equal(b.len, 1000);
	assert_true(b.cap > 1000);
	assert_int_equal(strlen(sb_str(&b)), 1000);
	assert_int_equal(sb_str(&b)[999], 'a' + 999 % 26);
	assert_int_equal(sb_str(&b)[256], 'a' + 256 % 26);
	sb_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

TEST(sb_append_exact_bytes_and_puts)
{
	sb b;
	sb_init(&b);
	sb_append(&b, "abcdef", 3);
	sb_puts(&b, "XY");
	sb_puts(&b, NULL);
	sb_append(&b, "", 0);
	assert_string_equal(sb_str(&b), "abcXY");
	assert_int_equal(b.len, 5);
	sb_free(&b);
}

TEST(sb_printf_short)
{
	sb b;
	sb_init(&b);
	sb_puts(&b, "n=");
	sb_printf(&b, "%d,%s", -7, "ok");
	assert_string_equal(sb_str(&b), "n=-7,ok");
	sb_free(&b);
}

TEST(sb_printf_longer_than_256)
{
	sb b;
	sb_init(&b);
	char big[601];
	memset(big, 'q', 600);
	big[600] = '\0';
	sb_puts(&b, "start:");
	sb_printf(&b, "[%s]%d", big, 12345);
	assert_false(sb_failed(&b));
	assert_int_equal(b.len, 6 + 1 + 600 + 1 + 5);
	const char *s = sb_str(&b);
	assert_int_equal(strlen(s), b.len);
	assert_memory_equal(s, "start:[q", 8);
	assert_string_equal(s + 6 + 1 + 600, "]12345");
	/* and appending afterwards still works */
	sb_putc(&b, '!');
	assert_int_equal(sb_str(&b)[b.len - 1], '!');
	assert_int_equal(strlen(sb_str(&b)), b.len);
	sb_free(&b);
}

TEST(sb_printf_exactly_256)
{
	sb b;
	sb_init(&b);
	char s255[256];
	memset(s255, 'k', 255);
	s255[255] = '\0';
	sb_printf(&b, "%s", s255);
	assert_int_equal(b.len, 255);
	sb_printf(&b, "%s!", s255);
	assert_int_equal(b.len, 255 + 256);
	assert_int_equal(strlen(sb_str(&b)), 511);
	assert_int_equal(sb_str(&b)[510], '!');
	sb_free(&b);
}

TEST(sb_html_escapes_all_five)
{
	sb b;
	sb_init(&b);
	sb_html(&b, "a&b<c>d\"e'f");
	assert_string_equal(sb_str(&b), "a&amp;b&lt;c&gt;d&quot;e&#39;f");
	sb_free(&b);
}

TEST(sb_html_plain_text_unchanged)
{
	sb b;
	sb_init(&b);
	sb_html(&b, "plain text é 😀");
	sb_html(&b, NULL);
	sb_html(&b, "");
	assert_string_equal(sb_str(&b), "plain text é 😀");
	sb_free(&b);
}

TEST(sb_html_only_special_chars)
{
	sb b;
	sb_init(&b);
	sb_html(&b, "<<>>");
	assert_string_equal(sb_str(&b), "&lt;&lt;&gt;&gt;");
	sb_free(&b);
}

TEST(sb_html_n_respects_length)
{
	sb b;
	sb_init(&b);
	sb_html_n(&b, "<a>&tail", 3);
	assert_string_equal(sb_str(&b), "&lt;a&gt;");
	sb_free(&b);
}

TEST(sb_urlenc_encodes_reserved_and_utf8)
{
	sb b;
	sb_init(&b);
	sb_urlenc(&b, "a b&c=d/é~-_.?#+%");
	assert_string_equal(sb_str(&b), "a%20b%26c%3Dd%2F%C3%A9~-_.%3F%23%2B%25");
	sb_free(&b);
}

TEST(sb_urlenc_unreserved_unchanged)
{
	sb b;
	sb_init(&b);
	sb_urlenc(&b, "AZaz09-_.~");
	sb_urlenc(&b, NULL);
	assert_string_equal(sb_str(&b), "AZaz09-_.~");
	sb_free(&b);
}

TEST(sb_take_transfers_ownership)
{
	sb b;
	sb_init(&b);
	sb_puts(&b, "owned");
	char *p = sb_take(&b);
	assert_non_null(p);
	assert_string_equal(p, "owned");
	assert_null(b.data);
	assert_int_equal(b.len, 0);
	assert_int_equal(b.cap, 0);
	/* b is reusable and independent of p */
	sb_puts(&b, "new");
	assert_string_equal(sb_str(&b), "new");
	assert_string_equal(p, "owned");
	free(p);
	sb_free(&b);
}

/* Regression (fixed in src/util/sb.c sb_take): sb_take on a builder that never had
 * anything appended allocates through sb_reserve(b, 0), which does not write
 * the terminating NUL, so the caller gets an uninitialised buffer instead of
 * "". Under AddressSanitizer (malloc fills with 0xbe) this test fails. */
TEST(sb_take_empty_returns_empty_string)
{
	sb b;
	sb_init(&b);
	char *p = sb_take(&b);
	assert_non_null(p);
	/* Only the first byte is read: the buffer may have no NUL at all. */
	char first = p[0];
	free(p);
	assert_int_equal(first, '\0');
}

TEST(sb_reserve_overflow_sets_failed_and_take_returns_null)
{
	sb b;
	sb_init(&b);
	sb_puts(&b, "x");
	assert_false(sb_reserve(&b, SIZE_MAX));
	assert_true(sb_failed(&b));
	sb_puts(&b, "more");
	assert_int_equal(b.len, 1);
	assert_null(sb_take(&b));
	assert_null(b.data);
}

/* ---- text: UTF-8 ----------------------------------------------------------- */

static bool valid(const char *s) { return text_utf8_valid(s, strlen(s)); }

TEST(utf8_valid_ascii_and_multibyte)
{
	assert_true(valid("hello"));
	assert_true(valid("h\xc3\xa9llo"));          /* é */
	assert_true(valid("\xe2\x82\xac"));          /* € */
	assert_true(valid("\xf0\x9f\x98\x80"));      /* 😀 */
	assert_true(valid("\xf4\x8f\xbf\xbf"));      /* U+10FFFF */
	assert_true(valid("\xed\x9f\xbf"));          /* U+D7FF, just below surrogates */
	assert_true(text_utf8_valid("", 0));
}

TEST(utf8_invalid_sequences)
{
	assert_false(valid("\xc3\x28"));             /* bad continuation */
	assert_false(valid("\x80"));                 /* stray continuation */
	assert_false(valid("\xe2\x82"));             /* truncated */
	assert_false(valid("abc\xf0\x9f\x98"));      /* truncated at end */
	assert_false(valid("\xf4\x90\x80\x80"));     /* above U+10FFFF */
	assert_false(valid("\xff"));
	assert_false(valid("\xfe"));
}

TEST(utf8_overlong_rejected)
{
	assert_false(valid("\xc0\xaf"));             /* overlong '/' */
	assert_false(valid("\xc1\xbf"));
	assert_false(valid("\xe0\x80\xaf"));         /* 3-byte overlong */
	assert_false(valid("\xf0\x80\x80\xaf"));     /* 4-byte overlong */
	assert_false(valid("\xc0\x80"));             /* overlong NUL */
}

TEST(utf8_surrogates_rejected)
{
	assert_false(valid("\xed\xa0\x80"));         /* U+D800 */
	assert_false(valid("\xed\xbf\xbf"));         /* U+DFFF */
	assert_false(valid("\xed\xa0\xbd\xed\xb8\x80")); /* CESU-8 pair */
}

TEST(utf8_embedded_nul_rejected)
{
	assert_false(text_utf8_valid("a\0b", 3));
	assert_false(text_utf8_valid("\0", 1));
	assert_true(text_utf8_valid("a\0b", 1)); /* only the first byte is checked */
}

TEST(utf8_len_counts_code_points)
{
	assert_int_equal(text_utf8_len(""), 0);
	assert_int_equal(text_utf8_len("abc"), 3);
	assert_int_equal(text_utf8_len("h\xc3\xa9llo"), 5);
	assert_int_equal(text_utf8_len("\xe2\x82\xac"), 1);
	assert_int_equal(text_utf8_len("\xf0\x9f\x98\x80" "a"), 2);
	assert_int_equal(text_utf8_len("\xc3\xa9\xc3\xa9\xc3\xa9"), 3);
}

/* ---- text: trim, lower ----------------------------------------------------- */

TEST(trim_removes_surrounding_white_space)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(text_trim(&a, "  a b \t\n"), "a b");
	assert_string_equal(text_trim(&a, "\r\n\v\fx\f"), "x");
	assert_string_equal(text_trim(&a, "   "), "");
	assert_string_equal(text_trim(&a, ""), "");
	assert_string_equal(text_trim(&a, "inner  space"), "inner  space");
	assert_null(text_trim(&a, NULL));
	arena_free(&a);
}

TEST(trim_returns_copy)
{
	arena a;
	arena_init(&a, 0);
	const char *in = "same";
	char *out = text_trim(&a, in);
	assert_ptr_not_equal(out, in);
	assert_string_equal(out, "same");
	arena_free(&a);
}

TEST(ascii_lower_only_touches_ascii)
{
	char s[] = "HeLLo-\xc3\x89-XYZ";
	text_ascii_lower(s);
	assert_string_equal(s, "hello-\xc3\x89-xyz");
	text_ascii_lower(NULL);
}

/* ---- text: percent-decoding ----------------------------------------------- */

static char *dec(arena *a, const char *s, bool plus) { return text_pct_decode(a, s, strlen(s), plus); }

TEST(pct_decode_basic)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(dec(&a, "a%20b", false), "a b");
	assert_string_equal(dec(&a, "%41%42", false), "AB");
	assert_string_equal(dec(&a, "%c3%a9", false), "\xc3\xa9");
	assert_string_equal(dec(&a, "%C3%A9", false), "\xc3\xa9");
	assert_string_equal(dec(&a, "", false), "");
	assert_string_equal(dec(&a, "plain", true), "plain");
	assert_string_equal(dec(&a, "%25", false), "%");
	arena_free(&a);
}

TEST(pct_decode_bad_escapes_return_null)
{
	arena a;
	arena_init(&a, 0);
	assert_null(dec(&a, "%", false));
	assert_null(dec(&a, "%4", false));
	assert_null(dec(&a, "%zz", false));
	assert_null(dec(&a, "%g0", false));
	assert_null(dec(&a, "%0g", false));
	assert_null(dec(&a, "ab%", true));
	assert_null(dec(&a, "ab%4", true));
	assert_null(dec(&a, "%41%", true));
	arena_free(&a);
}

TEST(pct_decode_plus_handling)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(dec(&a, "a+b+", true), "a b ");
	assert_string_equal(dec(&a, "a+b", false), "a+b");
	assert_string_equal(dec(&a, "%2B", true), "+");
	assert_string_equal(dec(&a, "%2b+%2B", true), "+ +");
	arena_free(&a);
}

TEST(pct_decode_respects_length)
{
	arena a;
	arena_init(&a, 0);
	assert_string_equal(text_pct_decode(&a, "abc%41", 3, false), "abc");
	/* the escape is cut by the length: a bad escape */
	assert_null(text_pct_decode(&a, "ab%41", 4, false));
	arena_free(&a);
}

TEST(pct_decode_nul_byte)
{
	arena a;
	arena_init(&a, 0);
	char *s = dec(&a, "x%00y", false);
	assert_non_null(s);
	assert_memory_equal(s, "x\0y", 4);
	arena_free(&a);
}

/* ---- text: dates ------------------------------------------------------------ */

TEST(parse_date_valid)
{
	int ymd = 0;
	assert_true(text_parse_date("2020-02-29", &ymd));
	assert_int_equal(ymd, 20200229);
	assert_true(text_parse_date("2024-12-31", &ymd));
	assert_int_equal(ymd, 20241231);
	assert_true(text_parse_date("2000-02-29", &ymd)); /* divisible by 400 */
	assert_int_equal(ymd, 20000229);
	assert_true(text_parse_date("2021-01-01", NULL));
	assert_true(text_parse_date("2021-04-30", NULL));
}

TEST(parse_date_nonexistent_days)
{
	int ymd = 12345;
	assert_false(text_parse_date("2021-02-29", &ymd));
	assert_int_equal(ymd, 12345); /* untouched on failure */
	assert_false(text_parse_date("2020-13-01", &ymd));
	assert_false(text_parse_date("2020-00-10", &ymd));
	assert_false(text_parse_date("2020-01-00", &ymd));
	assert_false(text_parse_date("2020-01-32", &ymd));
	assert_false(text_parse_date("2020-04-31", &ymd));
	assert_false(text_parse_date("1900-02-29", &ymd)); /* century, not leap */
	assert_false(text_parse_date("2020-02-30", &ymd));
}

TEST(parse_date_wrong_formats)
{
	int ymd;
	assert_false(text_parse_date(NULL, &ymd));
	assert_false(text_parse_date("", &ymd));
	assert_false(text_parse_date("2020-1-01", &ymd));
	assert_false(text_parse_date("2020-01-1", &ymd));
	assert_false(text_parse_date("20200101", &ymd));
	assert_false(text_parse_date("2020/01/01", &ymd));
	assert_false(text_parse_date("2020-01-01x", &ymd));
	assert_false(text_parse_date(" 2020-01-01", &ymd));
	assert_false(text_parse_date("01-01-2020", &ymd));
	assert_false(text_parse_date("abcd-ef-gh", &ymd));
	assert_false(text_parse_date("2020-0a-01", &ymd));
	assert_false(text_parse_date("+020-01-01", &ymd));
	assert_false(text_parse_date("2020-+1-01", &ymd));
}

TEST(parse_date_year_range)
{
	assert_false(text_parse_date("1899-12-31", NULL));
	assert_true(text_parse_date("1900-01-01", NULL));
	assert_true(text_parse_date("2999-12-31", NULL));
	assert_false(text_parse_date("3000-01-01", NULL));
}

/* ---- text: integers --------------------------------------------------------- */

TEST(parse_int_in_bounds)
{
	long long v = -1;
	assert_true(text_parse_int("42", 0, 100, &v));
	assert_int_equal(v, 42);
	assert_true(text_parse_int("-5", -10, 10, &v));
	assert_int_equal(v, -5);
	assert_true(text_parse_int("0", 0, 0, &v));
	assert_int_equal(v, 0);
	assert_true(text_parse_int("100", 0, 100, &v)); /* bounds are inclusive */
	assert_int_equal(v, 100);
	assert_true(text_parse_int("9223372036854775807", 0, LLONG_MAX, &v));
	assert_true(v == LLONG_MAX);
	assert_true(text_parse_int("-9223372036854775808", LLONG_MIN, 0, &v));
	assert_true(v == LLONG_MIN);
}

TEST(parse_int_out_of_bounds)
{
	long long v = 7;
	assert_false(text_parse_int("101", 0, 100, &v));
	assert_false(text_parse_int("-1", 0, 100, &v));
	assert_false(text_parse_int("-11", -10, 10, &v));
	assert_false(text_parse_int("9223372036854775808", 0, LLONG_MAX, &v)); /* overflow */
	assert_false(text_parse_int("-9223372036854775809", LLONG_MIN, 0, &v));
	assert_int_equal(v, 7);
}

TEST(parse_int_malformed)
{
	long long v = 7;
	assert_false(text_parse_int(NULL, 0, 100, &v));
	assert_false(text_parse_int("", 0, 100, &v));
	assert_false(text_parse_int("12a", 0, 100, &v));
	assert_false(text_parse_int("a12", 0, 100, &v));
	assert_false(text_parse_int(" 12", 0, 100, &v));
	assert_false(text_parse_int("12 ", 0, 100, &v));
	assert_false(text_parse_int("+5", 0, 100, &v));
	assert_false(text_parse_int("-", -10, 10, &v));
	assert_false(text_parse_int("1.5", 0, 100, &v));
	assert_false(text_parse_int("0x10", 0, 100, &v));
	assert_int_equal(v, 7);
}

/* ---- arena fault hook ---- */

TEST(arena_fault_hook_fails_the_nth_allocation)
{
	arena a;
	/* Only arenas with a budget (a request's) take part. */
	arena_init(&a, 0);
	arena_fault_set(1, 1);
	assert_non_null(arena_alloc(&a, 8));
	arena_free(&a);
	arena_init(&a, 1u << 20);
	arena_fault_set(3, 0);
	assert_non_null(arena_alloc(&a, 8));
	assert_non_null(arena_strdup(&a, "x"));
	assert_null(arena_alloc(&a, 8));      /* the third */
	assert_non_null(arena_alloc(&a, 8));  /* and only the third */
	arena_free(&a);                       /* counting starts again */
	assert_non_null(arena_alloc(&a, 8));
	assert_non_null(arena_alloc(&a, 8));
	assert_null(arena_alloc(&a, 8));
	arena_fault_set(2, 1);                /* "2+": from the second on */
	arena_free(&a);
	assert_non_null(arena_alloc(&a, 8));
	assert_null(arena_alloc(&a, 8));
	assert_null(arena_printf(&a, "%d", 1));
	arena_fault_set(0, 0);
	assert_non_null(arena_alloc(&a, 8));
	arena_free(&a);
}

/* ---- job pool ---- */
static atomic_int jobs_done, jobs_gate;

static void job_wait(void *arg)
{
	(void)arg;
	while (!atomic_load(&jobs_gate))
		usleep(1000);
	atomic_fetch_add(&jobs_done, 1);
}

TEST(jobs_bounded_threads_and_queue_refuse_when_full)
{
	atomic_store(&jobs_done, 0);
	atomic_store(&jobs_gate, 0);
	jobs *p = jobs_new(2, 3, 0);
	assert_non_null(p);
	for (int i = 0; i < 5; i++)
		assert_int_equal(jobs_submit(p, job_wait, NULL), 0);
	assert_int_equal(jobs_submit(p, job_wait, NULL), -1); /* 2 running + 3 waiting */
	assert_int_equal(jobs_pending(p), 5);
	atomic_store(&jobs_gate, 1);
	while (jobs_pending(p) > 0)
		usleep(1000);
	assert_int_equal(atomic_load(&jobs_done), 5);
	assert_int_equal(jobs_submit(p, job_wait, NULL), 0); /* room again */
	jobs_free(p); /* waits for it */
	assert_int_equal(atomic_load(&jobs_done), 6);
}

TEST(jobs_free_runs_what_is_queued)
{
	atomic_store(&jobs_done, 0);
	atomic_store(&jobs_gate, 0);
	jobs *p = jobs_new(1, 4, 0);
	for (int i = 0; i < 5; i++)
		assert_int_equal(jobs_submit(p, job_wait, NULL), 0);
	atomic_store(&jobs_gate, 1);
	jobs_free(p);
	assert_int_equal(atomic_load(&jobs_done), 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(arena_fault_hook_fails_the_nth_allocation),
		cmocka_unit_test(jobs_bounded_threads_and_queue_refuse_when_full),
		cmocka_unit_test(jobs_free_runs_what_is_queued),
		cmocka_unit_test(arena_alloc_is_16_byte_aligned),
		cmocka_unit_test(arena_allocations_are_distinct_and_do_not_overlap),
		cmocka_unit_test(arena_zero_size_alloc_returns_usable_pointer),
		cmocka_unit_test(arena_many_allocations_span_blocks_and_keep_contents),
		cmocka_unit_test(arena_large_allocation_bigger_than_a_block),
		cmocka_unit_test(arena_limit_makes_alloc_return_null),
		cmocka_unit_test(arena_limit_survives_free_and_arena_is_reusable),
		cmocka_unit_test(arena_alloc_huge_returns_null),
		cmocka_unit_test(arena_calloc_zeroes),
		cmocka_unit_test(arena_calloc_overflow_returns_null),
		cmocka_unit_test(arena_strdup_copies),
		cmocka_unit_test(arena_strndup_truncates_and_terminates),
		cmocka_unit_test(arena_printf_formats),
		cmocka_unit_test(arena_printf_long_output),
		cmocka_unit_test(sb_empty_is_empty_string),
		cmocka_unit_test(sb_append_grows_past_256),
		cmocka_unit_test(sb_append_exact_bytes_and_puts),
		cmocka_unit_test(sb_printf_short),
		cmocka_unit_test(sb_printf_longer_than_256),
		cmocka_unit_test(sb_printf_exactly_256),
		cmocka_unit_test(sb_html_escapes_all_five),
		cmocka_unit_test(sb_html_plain_text_unchanged),
		cmocka_unit_test(sb_html_only_special_chars),
		cmocka_unit_test(sb_html_n_respects_length),
		cmocka_unit_test(sb_urlenc_encodes_reserved_and_utf8),
		cmocka_unit_test(sb_urlenc_unreserved_unchanged),
		cmocka_unit_test(sb_take_transfers_ownership),
		cmocka_unit_test(sb_take_empty_returns_empty_string),
		cmocka_unit_test(sb_reserve_overflow_sets_failed_and_take_returns_null),
		cmocka_unit_test(utf8_valid_ascii_and_multibyte),
		cmocka_unit_test(utf8_invalid_sequences),
		cmocka_unit_test(utf8_overlong_rejected),
		cmocka_unit_test(utf8_surrogates_rejected),
		cmocka_unit_test(utf8_embedded_nul_rejected),
		cmocka_unit_test(utf8_len_counts_code_points),
		cmocka_unit_test(trim_removes_surrounding_white_space),
		cmocka_unit_test(trim_returns_copy),
		cmocka_unit_test(ascii_lower_only_touches_ascii),
		cmocka_unit_test(pct_decode_basic),
		cmocka_unit_test(pct_decode_bad_escapes_return_null),
		cmocka_unit_test(pct_decode_plus_handling),
		cmocka_unit_test(pct_decode_respects_length),
		cmocka_unit_test(pct_decode_nul_byte),
		cmocka_unit_test(parse_date_valid),
		cmocka_unit_test(parse_date_nonexistent_days),
		cmocka_unit_test(parse_date_wrong_formats),
		cmocka_unit_test(parse_date_year_range),
		cmocka_unit_test(parse_int_in_bounds),
		cmocka_unit_test(parse_int_out_of_bounds),
		cmocka_unit_test(parse_int_malformed),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
