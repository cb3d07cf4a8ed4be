/* words.h — Dutch words of a short text, for what several features count
 * or compare: the live polls' word cloud and the red threads and search of
 * input (src/features/input). A text is normalised (Unicode NFC, case
 * folded, accents kept: Dutch "één" and "een" differ), split into words of
 * letters, marks and digits (a hyphen or any other character ends a word),
 * and each word that is not a Dutch stop word is given with its Dutch stem
 * (Snowball via libstemmer), so "workshops" and "workshop" meet.
 *
 * It does not decide what an entry or an answer is; callers do.
 */
#ifndef OPENPLAN_WORDS_H
#define OPENPLAN_WORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Is w (case folded, NFC) one of Snowball's Dutch stop words or a few
 * pronouns more? */
bool words_stop(const char *w);

/* Does code point cp belong in a word (a letter, a mark or a digit)? */
bool words_char(int32_t cp);

/* A Dutch stemmer. Not thread-safe: one per thread or per job. */
typedef struct words_stemmer words_stemmer;
words_stemmer *words_stemmer_new(void);            /* NULL when out of memory */
void           words_stemmer_free(words_stemmer *st);
/* The stem of word w (n bytes, case folded); valid until the next call on
 * st. *len gets its length. NULL when out of memory. */
const char    *words_stem(words_stemmer *st, const char *w, size_t n, size_t *len);

/* Called for each word: the word as written (case folded, NFC) and its
 * stem, neither NUL-terminated. A non-zero return stops the walk. */
typedef int (*words_fn)(void *ctx, const char *word, size_t wlen, const char *stem,
                        size_t slen);

/* Walks text's words of at least two characters and at most 60 bytes that
 * are not stop words, in order, calling fn for each (a word that occurs
 * twice is given twice). Returns 0; -1 when text is not valid UTF-8 or
 * memory ran out; or fn's non-zero value. */
int words_each(words_stemmer *st, const char *text, words_fn fn, void *ctx);

#endif
