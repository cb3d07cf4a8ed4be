/* text.h — small text helpers shared by every layer: UTF-8 checks and
 * lengths (through utf8proc), trimming, percent-decoding, and dates.
 * Nothing here allocates except through the arena passed in.
 */
#ifndef OPENPLAN_TEXT_H
#define OPENPLAN_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "arena.h"

bool   text_utf8_valid(const char *s, size_t n);
size_t text_utf8_len(const char *s);            /* code points in a valid UTF-8 string */
char  *text_trim(arena *a, const char *s);       /* copy without surrounding white space */
/* Decodes %XX and (when plus_is_space) '+'. Returns NULL on a bad escape. */
char  *text_pct_decode(arena *a, const char *s, size_t n, bool plus_is_space);
/* A calendar date "YYYY-MM-DD" that exists; fills *ymd as y*10000+m*100+d. */
bool   text_parse_date(const char *s, int *ymd);
bool   text_parse_int(const char *s, long long min, long long max, long long *out);
void   text_ascii_lower(char *s);
/* Plausible e-mail address: one '@', a dot in the domain, no spaces. */
bool   text_email_valid(const char *s);
/* Holds a control character (other than tab, and newlines when allowed). */
bool   text_has_control(const char *s, bool allow_newlines);
/* A same-site path to send a browser to after sign-in or a language
 * switch: next itself when it starts with a single "/" and holds no
 * backslash, no control character (browsers drop tabs and newlines, so
 * "/\t/evil.example" would become "//evil.example") and no DEL; "/" for
 * anything else (NULL too). */
const char *text_local_path(const char *next);

#endif
