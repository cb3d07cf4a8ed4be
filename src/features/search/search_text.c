/* search_text.c — the words of the search index and of a query: split on
 * anything that is not a letter, mark or digit (utf8proc), case folded
 * (NFC), Dutch stop words left out, each word as its Dutch stem (Snowball
 * through libstemmer), so "aanbestedingen" finds "aanbesteding". Also the
 * excerpt under a result, cut around the first word that matched.
 * Nothing here touches the store.
 */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "search.h"

/* Snowball's Dutch stop words (the same list as the word clouds'), sorted. */
static const char *const stop_words[] = {
	"aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
	"der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er",
	"ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier",
	"hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon",
	"kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet",
	"niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds",
	"te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van", "veel", "voor", "want",
	"waren", "was", "wat", "werd", "wezen", "wie", "wil", "worden", "wordt", "zal", "ze",
	"zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
};

static bool stop_word(const char *w)
{
	size_t lo = 0, hi = sizeof stop_words / sizeof *stop_words;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = strcmp(w, stop_words[mid]);
		if (c == 0)
			return true;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return false;
}

static bool word_char(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) ||
	       c == UTF8PROC_CATEGORY_ND;
}

typedef struct word {
	size_t      at, len;  /* where it is in the text */
	const char *fold;     /* case folded, NFC */
	const char *stem;
	bool        stop;
} word;

/* Every word of text, in order, into *out (arena); false when out of
 * memory. Words of one letter are left out (not digits); at most max. */
static bool split(arena *a, struct sb_stemmer *st, const char *text, size_t max, word **out,
                  size_t *n)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	const utf8proc_uint8_t *p = (const utf8proc_uint8_t *)text;
	utf8proc_ssize_t len = (utf8proc_ssize_t)strlen(text), i = 0;
	while (i < len && *n < max) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(p + i, len - i, &cp);
		if (k <= 0)
			break;
		if (!word_char(cp)) {
			i += k;
			continue;
		}
		utf8proc_ssize_t start = i, chars = 0;
		bool digit = utf8proc_category(cp) == UTF8PROC_CATEGORY_ND;
		while (i < len) {
			k = utf8proc_iterate(p + i, len - i, &cp);
			if (k <= 0 || !word_char(cp))
				break;
			i += k;
			chars++;
		}
		if ((chars < 2 && !digit) || i - start > 80)
			continue;
		utf8proc_uint8_t *f = NULL;
		utf8proc_ssize_t fl = utf8proc_map(p + start, i - start, &f,
		                                   UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_CASEFOLD);
		if (fl < 0)
			continue;
		char *fold = arena_strndup(a, (const char *)f, (size_t)fl);
		free(f);
		if (!fold)
			return false;
		const sb_symbol *sm = sb_stemmer_stem(st, (const sb_symbol *)fold, (int)fl);
		const char *stem = sm ? arena_strndup(a, (const char *)sm, (size_t)sb_stemmer_length(st))
		                      : fold;
		if (!stem)
			return false;
		if (*n == cap) {
			size_t nc = cap ? cap * 2 : 32;
			word *w = arena_alloc(a, nc * sizeof *w);
			if (!w)
				return false;
			if (*n)
				memcpy(w, *out, *n * sizeof *w);
			*out = w;
			cap = nc;
		}
		(*out)[(*n)++] = (word){ (size_t)start, (size_t)(i - start), fold, stem, stop_word(fold) };
	}
	return true;
}

const char *search_words(arena *a, const char *text, bool stem)
{
	struct sb_stemmer *st = sb_stemmer_new("dutch", "UTF_8");
	if (!st)
		return NULL;
	word *w;
	size_t n;
	const char *out = NULL;
	if (split(a, st, text ? text : "", 100000, &w, &n)) {
		sb b;
		sb_init(&b);
		for (size_t i = 0; i < n; i++)
			if (!w[i].stop)
				sb_printf(&b, "%s%s", b.len ? " " : "", stem ? w[i].stem : w[i].fold);
		out = sb_failed(&b) ? NULL : arena_strdup(a, sb_str(&b));
		sb_free(&b);
	}
	sb_stemmer_delete(st);
	return out;
}

const char *search_query_expr(arena *a, const char *typed, bool stem, const char ***stems,
                              size_t *nstems)
{
	*stems = NULL;
	*nstems = 0;
	struct sb_stemmer *st = sb_stemmer_new("dutch", "UTF_8");
	if (!st)
		return NULL;
	word *w;
	size_t n;
	const char *out = NULL;
	if (!split(a, st, typed ? typed : "", 12, &w, &n))
		goto done;
	const char **sv = arena_alloc(a, (n ? n : 1) * sizeof *sv);
	if (!sv)
		goto done;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (!w[i].stop)
			sv[k++] = w[i].stem;
	if (!k)
		goto done;
	sb b;
	sb_init(&b);
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i].stop)
			continue;
		/* Words hold only letters, marks and digits: quoting cannot be
		 * broken out of. The last one is also a prefix (typing on). */
		j++;
		sb_printf(&b, "%s\"%s\"%s", j > 1 ? " " : "", stem ? w[i].stem : w[i].fold,
		          j == k ? "*" : "");
	}
	out = sb_failed(&b) ? NULL : arena_strdup(a, sb_str(&b));
	sb_free(&b);
	*stems = sv;
	*nstems = k;
done:
	sb_stemmer_delete(st);
	return out;
}

/* Appends text[0..n) to the pieces with runs of white space as one space;
 * a piece of the same kind as the last one is joined to it. */
static void piece(arena *a, json_t *arr, const char *text, size_t n, bool hit)
{
	if (!n)
		return;
	char *t = arena_alloc(a, n + 1);
	if (!t)
		return;
	size_t o = 0;
	for (size_t i = 0; i < n; i++) {
		char c = text[i];
		bool space = c == ' ' || c == '\n' || c == '\r' || c == '\t';
		if (space && o && t[o - 1] == ' ')
			continue;
		t[o++] = space ? ' ' : c;
	}
	t[o] = '\0';
	size_t last = json_array_size(arr);
	json_t *prev = last ? json_array_get(arr, last - 1) : NULL;
	if (prev && json_is_true(json_object_get(prev, "hit")) == hit) {
		const char *pt = json_string_value(json_object_get(prev, "text"));
		const char *joined = arena_printf(a, "%s%s", pt ? pt : "", t);
		if (joined)
			json_object_set_new(prev, "text", json_string(joined));
		return;
	}
	json_array_append_new(arr, json_pack("{s:s,s:b}", "text", t, "hit", hit));
}

static bool matches(const word *w, const char *const *stems, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w->stem, stems[i]) ||
		    (i + 1 == n && !strncmp(w->fold, stems[i], strlen(stems[i]))))
			return true;
	return false;
}

json_t *search_excerpt(arena *a, const char *body, const char *const *stems, size_t nstems,
                       size_t words)
{
	json_t *arr = json_array();
	struct sb_stemmer *st = sb_stemmer_new("dutch", "UTF_8");
	word *w = NULL;
	size_t n = 0;
	if (!st || !body || !split(a, st, body, 100000, &w, &n) || n == 0) {
		if (st)
			sb_stemmer_delete(st);
		return arr;
	}
	sb_stemmer_delete(st);
	size_t first = n;
	for (size_t i = 0; i < n && first == n; i++)
		if (!w[i].stop && matches(&w[i], stems, nstems))
			first = i;
	size_t from = first == n || first < words / 3 ? 0 : first - words / 3;
	size_t to = from + words < n ? from + words : n;
	if (from > 0)
		piece(a, arr, "… ", 4, false);
	for (size_t i = from; i < to; i++) {
		bool hit = !w[i].stop && matches(&w[i], stems, nstems);
		piece(a, arr, body + w[i].at, w[i].len, hit);
		if (i + 1 < to) /* what lies between two words, as it is */
			piece(a, arr, body + w[i].at + w[i].len, w[i + 1].at - w[i].at - w[i].len, false);
	}
	/* A sentence's full stop after the last word shown. */
	size_t end = w[to - 1].at + w[to - 1].len;
	if (to == n)
		piece(a, arr, body + end, strcspn(body + end, " \n\r\t"), false);
	else
		piece(a, arr, " …", 4, false);
	return arr;
}

/* Markdown's marks that are not words: at a line's start headings (#),
 * quotes (>) and list bullets; emphasis (* _ ~) and code (`) anywhere
 * but inside a word; a link [text](address) keeps its text. */
const char *search_plain(arena *a, const char *md)
{
	if (!md)
		return "";
	size_t n = strlen(md);
	char *out = arena_alloc(a, n + 1);
	if (!out)
		return NULL;
	size_t o = 0;
	bool line_start = true;
	for (size_t i = 0; i < n; i++) {
		char c = md[i];
		if (line_start) {
			size_t j = i;
			while (j < n && (md[j] == ' ' || md[j] == '\t'))
				j++;
			size_t k = j;
			while (j < n && (md[j] == '#' || md[j] == '>'))
				j++;
			if (j + 1 < n && (md[j] == '-' || md[j] == '*' || md[j] == '+') && md[j + 1] == ' ')
				j++;
			if (j > k) /* a mark: the spaces after it go too */
				while (j < n && (md[j] == ' ' || md[j] == '\t'))
					j++;
			else
				j = i; /* only indentation: keep it */
			if (j > i) {
				i = j - 1;
				line_start = false;
				continue;
			}
		}
		line_start = c == '\n';
		if (c == '*' || c == '`' || c == '~' ||
		    (c == '_' && !(o && i + 1 < n && (unsigned char)out[o - 1] > ' ' &&
		                   (unsigned char)md[i + 1] > ' ')))
			continue;
		if (c == '!' && i + 1 < n && md[i + 1] == '[')
			continue;
		if (c == ']' && i + 1 < n && md[i + 1] == '(') {
			const char *close = memchr(md + i, ')', n - i);
			if (close) {
				i = (size_t)(close - md);
				continue;
			}
		}
		if (c == '[')
			continue;
		out[o++] = c;
	}
	out[o] = '\0';
	return out;
}

const char *search_snippet(arena *a, const char *body, size_t words)
{
	json_t *pieces = search_excerpt(a, body, NULL, 0, words);
	sb b;
	sb_init(&b);
	size_t i;
	json_t *p;
	json_array_foreach(pieces, i, p)
		sb_puts(&b, json_string_value(json_object_get(p, "text")));
	const char *out = sb_failed(&b) ? "" : arena_strdup(a, sb_str(&b));
	sb_free(&b);
	json_decref(pieces);
	return out ? out : "";
}
