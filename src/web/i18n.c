/* i18n.c — the interface language. Reads the GNU gettext catalogues
 * (web/po/nl.po, web/po/en.po, embedded) into hash tables at start-up;
 * msgids are English, Dutch is the default language. `make check` runs
 * msgfmt --check on the same files, so they stay valid gettext.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/embed.h"
#include "web.h"

typedef struct entry {
	char *id, *str;
	char *plural;  /* msgstr[1] of an entry with msgid_plural, else NULL */
} entry;

typedef struct catalog {
	const char *lang;
	entry      *slots;
	size_t      cap; /* power of two */
	size_t      n;
} catalog;

static catalog catalogs[] = { { "nl", NULL, 0, 0 }, { "en", NULL, 0, 0 } };
enum { NCAT = sizeof catalogs / sizeof *catalogs };

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

static int put(catalog *c, char *id, char *str, char *plural)
{
	if ((c->n + 1) * 2 > c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 256;
		entry *s = calloc(cap, sizeof *s);
		if (!s)
			return -1;
		for (size_t i = 0; i < c->cap; i++)
			if (c->slots[i].id) {
				size_t h = hash(c->slots[i].id) & (cap - 1);
				while (s[h].id)
					h = (h + 1) & (cap - 1);
				s[h] = c->slots[i];
			}
		free(c->slots);
		c->slots = s;
		c->cap = cap;
	}
	size_t h = hash(id) & (c->cap - 1);
	while (c->slots[h].id) {
		if (strcmp(c->slots[h].id, id) == 0) { /* duplicate: last wins */
			free(c->slots[h].id);
			free(c->slots[h].str);
			free(c->slots[h].plural);
			c->slots[h] = (entry){ id, str, plural };
			return 0;
		}
		h = (h + 1) & (c->cap - 1);
	}
	c->slots[h] = (entry){ id, str, plural };
	c->n++;
	return 0;
}

/* Appends the C-escaped contents of one "…" literal at p to buf. */
static const char *read_literal(const char *p, char **buf, size_t *len)
{
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p != '"')
		return NULL;
	p++;
	while (*p && *p != '"') {
		char c = *p++;
		if (c == '\\') {
			char e = *p++;
			c = e == 'n' ? '\n' : e == 't' ? '\t' : e == 'r' ? '\r' : e;
			if (!e)
				return NULL;
		}
		char *nb = realloc(*buf, *len + 2);
		if (!nb)
			return NULL;
		*buf = nb;
		nb[(*len)++] = c;
		nb[*len] = '\0';
	}
	return *p == '"' ? p + 1 : NULL;
}

/* Reads one .po file into c: msgid/msgstr pairs, and msgid/msgid_plural
 * with msgstr[0]/msgstr[1] (Dutch and English both have two forms, one
 * for n == 1 and one for every other n: load checks that the catalogue's
 * Plural-Forms says so). */
static int load_po(catalog *c, const char *text, char *err, size_t errlen)
{
	/* what the lines since the last msgid said: 0 msgid, 1 msgid_plural,
	 * 2 msgstr / msgstr[0], 3 msgstr[1] */
	char *parts[4] = { NULL, NULL, NULL, NULL };
	size_t lens[4] = { 0, 0, 0, 0 };
	int state = -1;
	int line = 0;
	const char *p = text;
	for (;;) {
		bool end = !*p;
		line++;
		const char *eol = end ? p : strchr(p, '\n');
		const char *next = end ? p : eol ? eol + 1 : p + strlen(p);
		const char *q = p;
		while (*q == ' ' || *q == '\t')
			q++;
		int key = -1;
		size_t skip = 0;
		if (!end && strncmp(q, "msgid_plural ", 13) == 0)
			key = 1, skip = 12;
		else if (!end && strncmp(q, "msgid ", 6) == 0)
			key = 0, skip = 5;
		else if (!end && strncmp(q, "msgstr[0] ", 10) == 0)
			key = 2, skip = 9;
		else if (!end && strncmp(q, "msgstr[1] ", 10) == 0)
			key = 3, skip = 9;
		else if (!end && strncmp(q, "msgstr ", 7) == 0)
			key = 2, skip = 6;
		if (end || key == 0) {
			/* the entry before is complete */
			if (parts[0] && parts[2]) {
				if (!strcmp(parts[0], "") && !strstr(parts[2], "plural=(n != 1)") &&
				    strstr(parts[2], "Plural-Forms")) {
					snprintf(err, errlen, "%s.po: Plural-Forms must be nplurals=2; plural=(n != 1);",
					         c->lang);
					goto fail;
				}
				if (put(c, parts[0], parts[2], parts[3]))
					goto oom;
				free(parts[1]);
				parts[0] = parts[1] = parts[2] = parts[3] = NULL;
			}
			for (int k = 0; k < 4; k++) {
				free(parts[k]);
				parts[k] = NULL;
				lens[k] = 0;
			}
			if (end)
				break;
		}
		const char *lit;
		if (key >= 0) {
			state = key;
			parts[key] = calloc(1, 1);
			if (!parts[key])
				goto oom;
			lens[key] = 0;
			lit = read_literal(q + skip, &parts[key], &lens[key]);
		} else if (*q == '"') {
			lit = state >= 0 ? read_literal(q, &parts[state], &lens[state]) : NULL;
		} else {
			lit = q; /* comments and blank lines */
		}
		if (!lit) {
			snprintf(err, errlen, "%s.po:%d: cannot read this line", c->lang, line);
			goto fail;
		}
		p = next;
	}
	return 0;
oom:
	snprintf(err, errlen, "out of memory");
fail:
	for (int k = 0; k < 4; k++)
		free(parts[k]);
	return -1;
}

/* Is `name` a catalogue for lang: web/po/LANG.po or features/F/po/LANG.po? */
static bool is_catalogue(const char *name, const char *lang)
{
	char tail[16];
	snprintf(tail, sizeof tail, "/po/%s.po", lang);
	size_t nl = strlen(name), tl = strlen(tail);
	if (nl <= tl || strcmp(name + nl - tl, tail) != 0)
		return false;
	if (strncmp(name, "web/po/", 7) == 0)
		return nl == 7 + tl - 4;
	if (strncmp(name, "features/", 9) != 0)
		return false;
	const char *slash = strchr(name + 9, '/');
	return slash && slash == name + nl - tl;
}

int i18n_load(char *err, size_t errlen)
{
	/* The shared catalogue (web/po) and each feature's (features/F/po)
	 * fill one table per language. */
	for (size_t i = 0; i < NCAT; i++) {
		size_t found = 0;
		for (size_t k = 0; k < embed_count; k++) {
			const embed_file *f = &embed_files[k];
			if (!is_catalogue(f->name, catalogs[i].lang))
				continue;
			if (load_po(&catalogs[i], (const char *)f->data, err, errlen))
				return -1;
			found++;
		}
		if (!found) {
			snprintf(err, errlen, "no %s catalogue is built in", catalogs[i].lang);
			return -1;
		}
	}
	return 0;
}

void i18n_free(void)
{
	for (size_t i = 0; i < NCAT; i++) {
		for (size_t k = 0; k < catalogs[i].cap; k++) {
			free(catalogs[i].slots[k].id);
			free(catalogs[i].slots[k].str);
			free(catalogs[i].slots[k].plural);
		}
		free(catalogs[i].slots);
		catalogs[i].slots = NULL;
		catalogs[i].cap = catalogs[i].n = 0;
	}
}

static const entry *find(const char *lang, const char *msgid)
{
	for (size_t i = 0; i < NCAT; i++) {
		catalog *c = &catalogs[i];
		if (strcmp(c->lang, lang) != 0 || !c->cap)
			continue;
		size_t h = hash(msgid) & (c->cap - 1);
		while (c->slots[h].id) {
			if (strcmp(c->slots[h].id, msgid) == 0)
				return &c->slots[h];
			h = (h + 1) & (c->cap - 1);
		}
	}
	return NULL;
}

const char *i18n_get(const char *lang, const char *msgid)
{
	const entry *e = find(lang ? lang : "nl", msgid);
	return e && e->str[0] ? e->str : msgid;
}

const char *i18n_nget(const char *lang, const char *msgid, const char *plural, long long n)
{
	const entry *e = find(lang ? lang : "nl", msgid);
	if (e && e->str[0] && e->plural && e->plural[0])
		return n == 1 ? e->str : e->plural;
	return n == 1 ? msgid : plural;
}

bool i18n_has(const char *lang, const char *msgid)
{
	const entry *e = find(lang, msgid);
	return e && e->str[0];
}

bool i18n_lang_valid(const char *lang)
{
	for (size_t i = 0; i < NCAT; i++)
		if (lang && strcmp(catalogs[i].lang, lang) == 0)
			return true;
	return false;
}
