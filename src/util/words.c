/* words.c — Dutch words of a short text (see words.h): the stop-word list
 * shared by the live polls and input's red threads and search, the word
 * splitter and the Snowball stemmer behind one small interface.
 */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "words.h"

/* Snowball's Dutch stop-word list, with a few pronouns more; sorted for
 * the binary search (byte order). */
static const char *const stop_words[] = {
	"aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
	"der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er",
	"ge", "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier",
	"hij", "hoe", "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "jij", "jou", "jouw",
	"jullie", "kan", "kon", "kunnen", "maar", "me", "meer", "men", "met", "mij", "mijn", "moet",
	"na", "naar", "niet", "niets", "nog", "nu", "of", "om", "omdat", "onder", "ons", "onze",
	"ook", "op", "over", "reeds", "te", "tegen", "toch", "toen", "tot", "u", "uit", "uw", "van",
	"veel", "voor", "want", "waren", "was", "wat", "we", "werd", "wezen", "wie", "wij", "wil",
	"worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder", "zou",
};

bool words_stop(const char *w)
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

bool words_char(int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND;
}

struct words_stemmer {
	struct sb_stemmer *sb;
};

words_stemmer *words_stemmer_new(void)
{
	words_stemmer *st = malloc(sizeof *st);
	if (!st)
		return NULL;
	st->sb = sb_stemmer_new("dutch", "UTF_8");
	if (!st->sb) {
		free(st);
		return NULL;
	}
	return st;
}

void words_stemmer_free(words_stemmer *st)
{
	if (!st)
		return;
	sb_stemmer_delete(st->sb);
	free(st);
}

const char *words_stem(words_stemmer *st, const char *w, size_t n, size_t *len)
{
	const sb_symbol *s = sb_stemmer_stem(st->sb, (const sb_symbol *)w, (int)n);
	if (!s)
		return NULL;
	*len = (size_t)sb_stemmer_length(st->sb);
	return (const char *)s;
}

enum { WORD_MAX = 60 };

int words_each(words_stemmer *st, const char *text, words_fn fn, void *ctx)
{
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)text, 0, &norm,
	                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                                    UTF8PROC_CASEFOLD);
	if (len < 0)
		return -1;
	int rc = 0;
	utf8proc_ssize_t i = 0;
	while (i < len && rc == 0) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(norm + i, len - i, &cp);
		if (k <= 0)
			break;
		if (!words_char(cp)) {
			i += k;
			continue;
		}
		utf8proc_ssize_t start = i, chars = 0;
		while (i < len) {
			k = utf8proc_iterate(norm + i, len - i, &cp);
			if (k <= 0 || !words_char(cp))
				break;
			i += k;
			chars++;
		}
		size_t wl = (size_t)(i - start);
		if (chars < 2 || wl > WORD_MAX)
			continue;
		char w[WORD_MAX + 1];
		memcpy(w, norm + start, wl);
		w[wl] = '\0';
		if (words_stop(w))
			continue;
		size_t sl = 0;
		const char *stem = words_stem(st, w, wl, &sl);
		if (!stem) {
			rc = -1;
			break;
		}
		rc = fn(ctx, w, wl, stem, sl);
	}
	free(norm);
	return rc;
}
