/* poll_words.c — word-cloud answers. An answer holds one or a few entries,
 * separated by commas, semicolons or line breaks; an entry of several words
 * stays whole ("open source" is one entry, not "open" and "source"). Each
 * entry is counted under a key made of its words — Unicode NFC, case
 * folded, split at spaces and hyphens, Dutch stop words left out, each
 * word reduced to its Dutch stem (Snowball, libstemmer) — so "Workshops",
 * "workshop" and "de workshops" count together and "open-source" meets
 * "Open source". The spelling people typed is kept beside the count: the
 * cloud shows the one typed most often, never a stem. The Dutch stop-word
 * list lives in src/util/words.c.
 */
#include <libstemmer.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "../../util/sb.h"
#include "../../util/words.h"
#include "poll.h"

enum { ENTRY_MAX = 100 };

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
	       (c >= UTF8PROC_CATEGORY_MN && c <= UTF8PROC_CATEGORY_ME) || c == UTF8PROC_CATEGORY_ND;
}

static bool separator(utf8proc_int32_t cp)
{
	return cp == ',' || cp == ';' || cp == '\n' || cp == '\r' || cp == '|';
}

/* The entry as shown: spaces collapsed, trimmed, and punctuation around it
 * ("Workshops!", "'quiz'") left off. NULL when out of memory; "" when
 * nothing is left. */
static char *entry_label(arena *a, const utf8proc_uint8_t *s, utf8proc_ssize_t len)
{
	sb b;
	sb_init(&b);
	bool space = false;
	for (utf8proc_ssize_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(s + i, len - i, &cp);
		if (k <= 0)
			break;
		utf8proc_category_t c = utf8proc_category(cp);
		if (c == UTF8PROC_CATEGORY_ZS || cp == '\t') {
			space = true;
		} else {
			if (space && b.len)
				sb_putc(&b, ' ');
			space = false;
			sb_append(&b, (const char *)s + i, (size_t)k);
		}
		i += k;
	}
	if (sb_failed(&b)) {
		sb_free(&b);
		return NULL;
	}
	/* Punctuation around the entry: from the start up to the first letter or
	 * digit, and after the last one. */
	const utf8proc_uint8_t *t = (const utf8proc_uint8_t *)sb_str(&b);
	utf8proc_ssize_t tl = (utf8proc_ssize_t)b.len, first = -1, last = 0;
	for (utf8proc_ssize_t i = 0; i < tl;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(t + i, tl - i, &cp);
		if (k <= 0)
			break;
		if (word_char(cp)) {
			if (first < 0)
				first = i;
			last = i + k;
		}
		i += k;
	}
	char *out = first < 0 ? arena_strdup(a, "")
	                      : arena_strndup(a, (const char *)t + first, (size_t)(last - first));
	sb_free(&b);
	return out;
}

/* The key of an entry: its words' stems, stop words left out. NULL when out
 * of memory; "" when no word counts. */
static char *entry_key(arena *a, struct sb_stemmer *stem, const char *label)
{
	utf8proc_uint8_t *fold = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)label, 0, &fold,
	                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE |
	                                    UTF8PROC_CASEFOLD);
	if (len < 0)
		return arena_strdup(a, "");
	sb key;
	sb_init(&key);
	for (utf8proc_ssize_t i = 0; i < len;) {
		utf8proc_int32_t cp;
		utf8proc_ssize_t k = utf8proc_iterate(fold + i, len - i, &cp);
		if (k <= 0)
			break;
		if (!word_char(cp)) {
			i += k;
			continue;
		}
		utf8proc_ssize_t start = i;
		while (i < len) {
			k = utf8proc_iterate(fold + i, len - i, &cp);
			if (k <= 0 || !word_char(cp))
				break;
			i += k;
		}
		size_t wl = (size_t)(i - start);
		char w[4 * ENTRY_MAX + 1];
		if (wl >= sizeof w)
			continue;
		memcpy(w, fold + start, wl);
		w[wl] = '\0';
		if (poll_stop_word(w))
			continue;
		const sb_symbol *st = sb_stemmer_stem(stem, (const sb_symbol *)w, (int)wl);
		if (key.len)
			sb_putc(&key, ' ');
		if (st)
			sb_append(&key, (const char *)st, (size_t)sb_stemmer_length(stem));
		else
			sb_append(&key, w, wl);
	}
	free(fold);
	char *out = sb_failed(&key) ? NULL : arena_strdup(a, sb_str(&key));
	sb_free(&key);
	return out;
}

int poll_words(arena *a, const char *text, poll_item *out, size_t max, const char **msgid)
{
	*msgid = "Write one or more words (common words like 'de' and 'het' do not count).";
	utf8proc_uint8_t *norm = NULL;
	utf8proc_ssize_t len = utf8proc_map((const utf8proc_uint8_t *)text, 0, &norm,
	                                    UTF8PROC_NULLTERM | UTF8PROC_STABLE | UTF8PROC_COMPOSE);
	if (len < 0)
		return 0;
	struct sb_stemmer *stem = sb_stemmer_new("dutch", "UTF_8");
	if (!stem) {
		free(norm);
		return -1;
	}
	int n = 0;
	bool oom = false;
	for (utf8proc_ssize_t i = 0; i <= len && (size_t)n < max && !oom;) {
		utf8proc_ssize_t start = i;
		utf8proc_int32_t cp = 0;
		while (i < len) {
			utf8proc_ssize_t k = utf8proc_iterate(norm + i, len - i, &cp);
			if (k <= 0) {
				i = len;
				break;
			}
			if (separator(cp))
				break;
			i += k;
		}
		utf8proc_ssize_t end = i;
		i++; /* past the separator (all are one byte), or past the end */
		char *label = entry_label(a, norm + start, end - start);
		char *key = label && *label ? entry_key(a, stem, label) : label;
		if (!label || !key) {
			oom = true;
			break;
		}
		if (!*key)
			continue;
		char *item = arena_printf(a, "w:%s", key);
		if (!item) {
			oom = true;
			break;
		}
		bool dup = false;
		for (int j = 0; j < n && !dup; j++)
			dup = strcmp(out[j].item, item) == 0;
		if (!dup)
			out[n++] = (poll_item){ item, label, 0 };
	}
	sb_stemmer_delete(stem);
	free(norm);
	if (oom) {
		*msgid = "The server is too busy right now. Please try again in a minute.";
		return -1;
	}
	return n;
}
