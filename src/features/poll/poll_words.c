/* polls_words.c — word-cloud answers: split a short answer into words,
 * normalise each (Unicode NFC, case folded, accents kept: Dutch "één" and
 * "een" differ), leave out Dutch stop words, and count each word once per
 * answer by its Dutch stem (Snowball via libstemmer), so "workshops" and
 * "workshop" make one word in the cloud. The stop-word list lives in
 * src/util/words.c.
 */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../../util/words.h"
#include "poll.h"

/* The Dutch stop words are shared with input's red threads and search
 * (src/util/words.c). */
bool poll_stop_word(const char *w)
{
	return words_stop(w);
}

static bool word_char(utf8proc_int32_t cp)
{
	utf8proc_category_t c = utf8proc_category(cp);
	return (c >= UTF8PROC_CATEGORY_LU && c <= UTF8PROC_CATEGORY_LO) ||
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) ||
	       c == UTF8PROC_CATEGORY_ND || cp == '-';
}

size_t poll_words(arena *a, const char *text, poll_item *out, size_t max)
{
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)text, 0, &norm,
	                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                                    UTF8PROC_CASEFOLD);
	if (len < 0)
		return 0;
	struct sb_stemmer *stem = sb_stemmer_new("dutch", "UTF_8");
	if (!stem) {
		free(norm);
		return 0;
	}
	size_t n = 0;
	utf8proc_ssize_t i = 0;
	while (i < len && n < max) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(norm + i, len - i, &cp);
		if (k <= 0)
			break;
		if (!word_char(cp) || cp == '-') {
			i += k;
			continue;
		}
		utf8proc_ssize_t start = i, chars = 0;
		while (i < len) {
			k = utf8proc_iterate(norm + i, len - i, &cp);
			if (k <= 0 || !word_char(cp))
				break;
			i += k;
			chars++;
		}
		size_t wl = (size_t)(i - start);
		/* Trailing hyphens ("bijeenkomst-") are not part of the word. */
		while (wl > 0 && norm[start + (utf8proc_ssize_t)wl - 1] == '-') {
			wl--;
			chars--;
		}
		if (chars < 2 || wl > 60)
			continue;
		char *w = arena_strndup(a, (const char *)norm + start, wl);
		if (!w || poll_stop_word(w))
			continue;
		const sb_symbol *st = sb_stemmer_stem(stem, (const sb_symbol *)w, (int)wl);
		if (!st)
			continue;
		char *item = arena_printf(a, "w:%.*s", sb_stemmer_length(stem), (const char *)st);
		if (!item)
			continue;
		bool dup = false;
		for (size_t j = 0; j < n && !dup; j++)
			dup = strcmp(out[j].item, item) == 0;
		if (dup)
			continue;
		out[n++] = (poll_item){ item, w, 0 };
	}
	sb_stemmer_delete(stem);
	free(norm);
	return n;
}
