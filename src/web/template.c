/* template.c — compiles the embedded templates into node lists once at
 * start-up and renders them against a jansson value. Output is escaped
 * unless a template says {{raw …}}; a missing value renders as nothing.
 * Plain-text templates (NAME.txt, known by that name: the text part of an
 * e-mail) render nothing escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../util/embed.h"
#include "web.h"

typedef enum { N_TEXT, N_VAR, N_RAW, N_SECTION, N_INVERTED, N_PARTIAL, N_DPARTIAL, N_TRANS,
	       N_TRANSVAR, N_PLURAL, N_LANG } nkind;

typedef struct node node;
struct node {
	nkind       kind;
	const char *text;   /* N_TEXT: the bytes; others: path, partial name or msgid */
	size_t      len;
	node       *child;  /* sections */
	size_t      nchild;
	char       *plural; /* N_PLURAL: the plural msgid; text is the singular */
	char       *path;   /* N_PLURAL: the value that holds the number */
};

typedef struct tpl {
	char  *name;
	node  *nodes;
	size_t n;
} tpl;

struct tpl_set {
	tpl   *items;
	size_t n;
};

typedef struct parser {
	const char *src, *p, *end, *file;
	char       *err;
	size_t      errlen;
} parser;

static int line_of(const parser *ps)
{
	int line = 1;
	for (const char *q = ps->src; q < ps->p; q++)
		line += *q == '\n';
	return line;
}

static void free_nodes(node *n, size_t cnt)
{
	for (size_t i = 0; i < cnt; i++) {
		if (n[i].kind != N_TEXT)
			free((char *)n[i].text);
		free(n[i].plural);
		free(n[i].path);
		free_nodes(n[i].child, n[i].nchild);
	}
	free(n);
}

static int push(node **arr, size_t *n, size_t *cap, node nd)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		node *p = realloc(*arr, c * sizeof *p);
		if (!p)
			return -1;
		*arr = p;
		*cap = c;
	}
	(*arr)[(*n)++] = nd;
	return 0;
}

static char *trimdup(const char *s, size_t n)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	char *p = malloc(n + 1);
	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Parses until the end or the closing tag {{/close}}; fills out/nout. */
static int parse(parser *ps, const char *close, node **out, size_t *nout)
{
	node *arr = NULL;
	size_t n = 0, cap = 0;
	while (ps->p < ps->end) {
		const char *open = strstr(ps->p, "{{");
		if (!open || open >= ps->end)
			open = ps->end;
		if (open > ps->p) {
			if (push(&arr, &n, &cap, (node){ N_TEXT, ps->p, (size_t)(open - ps->p), NULL, 0 }))
				goto oom;
		}
		ps->p = open;
		if (open == ps->end)
			break;
		const char *tag = open + 2;
		const char *shut = strstr(tag, "}}");
		if (!shut) {
			snprintf(ps->err, ps->errlen, "%s:%d: '{{' without '}}'", ps->file, line_of(ps));
			goto fail;
		}
		ps->p = shut + 2;
		char c = *tag;
		node nd = { 0 };
		if (c == '/') {
			char *name = trimdup(tag + 1, (size_t)(shut - tag - 1));
			bool ok = name && close && strcmp(name, close) == 0;
			free(name);
			if (!ok) {
				snprintf(ps->err, ps->errlen, "%s:%d: unexpected closing tag", ps->file,
				         line_of(ps));
				goto fail;
			}
			*out = arr;
			*nout = n;
			return 1; /* closed */
		}
		if (c == '#' || c == '^') {
			nd.kind = c == '#' ? N_SECTION : N_INVERTED;
			nd.text = trimdup(tag + 1, (size_t)(shut - tag - 1));
			if (!nd.text)
				goto oom;
			int r = parse(ps, nd.text, &nd.child, &nd.nchild);
			if (r != 1) {
				if (r == 0) {
					snprintf(ps->err, ps->errlen, "%s: section '%s' is not closed", ps->file,
					         nd.text);
					free_nodes(nd.child, nd.nchild); /* what was read of it */
				}
				free((char *)nd.text);
				goto fail;
			}
		} else if (c == '>' && tag[1] == '*') {
			/* {{>* name}}: the partial whose name is the value of name */
			nd.kind = N_DPARTIAL;
			nd.text = trimdup(tag + 2, (size_t)(shut - tag - 2));
		} else if (c == '>') {
			nd.kind = N_PARTIAL;
			nd.text = trimdup(tag + 1, (size_t)(shut - tag - 1));
		} else if (c == 'n' && tag[1] == '_' && tag[2] == ' ') {
			/* {{n_ "%d thing" "%d things" path}} */
			const char *q1 = memchr(tag, '"', (size_t)(shut - tag));
			const char *q2 = q1 ? memchr(q1 + 1, '"', (size_t)(shut - q1 - 1)) : NULL;
			const char *q3 = q2 ? memchr(q2 + 1, '"', (size_t)(shut - q2 - 1)) : NULL;
			const char *q4 = q3 ? memchr(q3 + 1, '"', (size_t)(shut - q3 - 1)) : NULL;
			if (!q4) {
				snprintf(ps->err, ps->errlen, "%s:%d: {{n_ needs two quoted texts and a value",
				         ps->file, line_of(ps));
				goto fail;
			}
			nd.kind = N_PLURAL;
			nd.text = trimdup(q1 + 1, (size_t)(q2 - q1 - 1));
			nd.plural = trimdup(q3 + 1, (size_t)(q4 - q3 - 1));
			nd.path = trimdup(q4 + 1, (size_t)(shut - q4 - 1));
			if (!nd.plural || !nd.path || !*nd.path) {
				free((char *)nd.text);
				free(nd.plural);
				free(nd.path);
				snprintf(ps->err, ps->errlen, "%s:%d: {{n_ needs a value after its texts",
				         ps->file, line_of(ps));
				goto fail;
			}
		} else if (c == '_') {
			const char *q1 = memchr(tag, '"', (size_t)(shut - tag));
			const char *q2 = q1 ? memchr(q1 + 1, '"', (size_t)(shut - q1 - 1)) : NULL;
			if (!q2) {
				snprintf(ps->err, ps->errlen, "%s:%d: {{_ needs a quoted text", ps->file,
				         line_of(ps));
				goto fail;
			}
			nd.kind = N_TRANS;
			nd.text = trimdup(q1 + 1, (size_t)(q2 - q1 - 1));
		} else if (c == '@') {
			/* {{@nl}}: content in that language (see web.h) */
			nd.kind = N_LANG;
			nd.text = trimdup(tag + 1, (size_t)(shut - tag - 1));
			size_t ll = nd.text ? strlen(nd.text) : 0;
			bool ok = ll >= 2 && ll <= 3;
			for (size_t k = 0; ok && k < ll; k++)
				ok = nd.text[k] >= 'a' && nd.text[k] <= 'z';
			if (nd.text && !ok) {
				free((char *)nd.text);
				snprintf(ps->err, ps->errlen, "%s:%d: {{@ needs a language code, like {{@nl}}",
				         ps->file, line_of(ps));
				goto fail;
			}
		} else if (strncmp(tag, "raw ", 4) == 0) {
			nd.kind = N_RAW;
			nd.text = trimdup(tag + 4, (size_t)(shut - tag - 4));
		} else if (strncmp(tag, "t ", 2) == 0) {
			nd.kind = N_TRANSVAR;
			nd.text = trimdup(tag + 2, (size_t)(shut - tag - 2));
		} else {
			nd.kind = N_VAR;
			nd.text = trimdup(tag, (size_t)(shut - tag));
		}
		if (!nd.text)
			goto oom;
		if (push(&arr, &n, &cap, nd)) {
			free((char *)nd.text);
			free_nodes(nd.child, nd.nchild);
			goto oom;
		}
	}
	*out = arr;
	*nout = n;
	return 0;
oom:
	snprintf(ps->err, ps->errlen, "%s: out of memory", ps->file);
fail:
	free_nodes(arr, n);
	return -1;
}

static const tpl *find(const tpl_set *t, const char *name);

int tpl_load(tpl_set **out, char *err, size_t errlen)
{
	tpl_set *t = calloc(1, sizeof *t);
	if (!t)
		return -1;
	t->items = calloc(embed_count + 1, sizeof *t->items);
	if (!t->items) {
		free(t);
		return -1;
	}
	/* web/templates/NAME.html (shared) and features/F/templates/NAME.html;
	 * a template is known by NAME alone, so names must be unique. */
	for (size_t i = 0; i < embed_count; i++) {
		const embed_file *f = &embed_files[i];
		const char *dir = strstr(f->name, "/templates/");
		bool shared = strncmp(f->name, "web/templates/", 14) == 0;
		bool feature = false;
		if (strncmp(f->name, "features/", 9) == 0) {
			const char *slash = strchr(f->name + 9, '/');
			feature = slash && slash == dir;
		}
		if (!shared && !feature)
			continue;
		const char *base = dir + 11;
		size_t nl = strlen(base);
		bool text = nl >= 5 && strcmp(base + nl - 4, ".txt") == 0;
		if (strchr(base, '/') || nl < 5 || (!text && (nl < 6 || strcmp(base + nl - 5, ".html"))))
			continue;
		parser ps = { (const char *)f->data, (const char *)f->data,
			      (const char *)f->data + f->len, f->name, err, errlen };
		tpl *tp = &t->items[t->n];
		tp->name = trimdup(base, text ? nl : nl - 5); /* "x.txt" keeps its suffix */
		if (tp->name && find(t, tp->name)) {
			snprintf(err, errlen, "%s: another template is also called '%s'", f->name,
			         tp->name);
			free(tp->name);
			tpl_free(t);
			return -1;
		}
		int r = tp->name ? parse(&ps, NULL, &tp->nodes, &tp->n) : -1;
		if (r != 0) {
			if (r == 1)
				snprintf(err, errlen, "%s: unexpected closing tag", f->name);
			free(tp->name);
			tpl_free(t);
			return -1;
		}
		t->n++;
	}
	*out = t;
	return 0;
}

void tpl_free(tpl_set *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++) {
		free(t->items[i].name);
		free_nodes(t->items[i].nodes, t->items[i].n);
	}
	free(t->items);
	free(t);
}

static const tpl *find(const tpl_set *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (strcmp(t->items[i].name, name) == 0)
			return &t->items[i];
	return NULL;
}

enum { MAX_DEPTH = 32 };

typedef struct rctx {
	const tpl_set *t;
	const char    *lang;
	json_t        *stack[MAX_DEPTH];
	int            depth;
	int            partials;
	bool           text;   /* a .txt template: nothing is HTML-escaped */
	sb            *out;
} rctx;

/* Resolves "a.b.c" against the context stack, innermost first. */
static json_t *lookup(const rctx *r, const char *path)
{
	if (strcmp(path, ".") == 0)
		return r->depth ? r->stack[r->depth - 1] : NULL;
	char first[128];
	size_t fl = strcspn(path, ".");
	if (fl >= sizeof first)
		return NULL;
	memcpy(first, path, fl);
	first[fl] = '\0';
	json_t *v = NULL;
	for (int i = r->depth - 1; i >= 0 && !v; i--)
		if (json_is_object(r->stack[i]))
			v = json_object_get(r->stack[i], first);
	const char *rest = path + fl;
	while (v && *rest == '.') {
		rest++;
		size_t l = strcspn(rest, ".");
		if (l >= sizeof first)
			return NULL;
		memcpy(first, rest, l);
		first[l] = '\0';
		v = json_is_object(v) ? json_object_get(v, first) : NULL;
		rest += l;
	}
	return v;
}

static bool truthy(json_t *v)
{
	if (!v || json_is_null(v) || json_is_false(v))
		return false;
	if (json_is_string(v))
		return json_string_length(v) > 0;
	if (json_is_integer(v))
		return json_integer_value(v) != 0;
	if (json_is_real(v))
		return json_real_value(v) != 0;
	if (json_is_array(v))
		return json_array_size(v) > 0;
	if (json_is_object(v))
		return json_object_size(v) > 0;
	return true;
}

static void put_value(sb *out, json_t *v, bool escape)
{
	if (json_is_string(v)) {
		if (escape)
			sb_html_n(out, json_string_value(v), json_string_length(v));
		else
			sb_append(out, json_string_value(v), json_string_length(v));
	} else if (json_is_integer(v)) {
		sb_printf(out, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		sb_printf(out, "%g", json_real_value(v));
	} else if (json_is_true(v)) {
		sb_puts(out, "true");
	}
}

static int render_nodes(rctx *r, const node *n, size_t cnt);

static int render_section(rctx *r, const node *nd)
{
	size_t tl = strlen(nd->text);
	if (tl > 1 && nd->text[tl - 1] == '?') {
		/* {{#list?}}: once when the value is truthy, without iterating. */
		char path[128];
		if (tl > sizeof path)
			return -1;
		memcpy(path, nd->text, tl - 1);
		path[tl - 1] = '\0';
		bool t = truthy(lookup(r, path));
		if (nd->kind == N_INVERTED ? t : !t)
			return 0;
		return render_nodes(r, nd->child, nd->nchild);
	}
	json_t *v = lookup(r, nd->text);
	if (nd->kind == N_INVERTED)
		return truthy(v) ? 0 : render_nodes(r, nd->child, nd->nchild);
	if (!truthy(v))
		return 0;
	if (r->depth == MAX_DEPTH)
		return -1;
	if (json_is_array(v)) {
		size_t i;
		json_t *item;
		json_array_foreach(v, i, item) {
			r->stack[r->depth++] = item;
			int rc = render_nodes(r, nd->child, nd->nchild);
			r->depth--;
			if (rc)
				return rc;
		}
		return 0;
	}
	r->stack[r->depth++] = v;
	int rc = render_nodes(r, nd->child, nd->nchild);
	r->depth--;
	return rc;
}

static int render_nodes(rctx *r, const node *n, size_t cnt)
{
	for (size_t i = 0; i < cnt; i++) {
		const node *nd = &n[i];
		switch (nd->kind) {
		case N_TEXT:
			sb_append(r->out, nd->text, nd->len);
			break;
		case N_VAR:
		case N_RAW: {
			json_t *v = lookup(r, nd->text);
			if (v)
				put_value(r->out, v, nd->kind == N_VAR && !r->text);
			break;
		}
		case N_TRANS:
			(r->text ? sb_puts : sb_html)(r->out, i18n_get(r->lang, nd->text));
			break;
		case N_PLURAL: {
			json_t *v = lookup(r, nd->path);
			long long num = json_is_integer(v) ? (long long)json_integer_value(v) : 0;
			const char *fmt = i18n_nget(r->lang, nd->text, nd->plural, num);
			for (const char *f = fmt; *f; f++) {
				if (f[0] == '%' && f[1] == 'd') {
					sb_printf(r->out, "%lld", num);
					f++;
				} else if (r->text) {
					sb_putc(r->out, *f);
				} else {
					sb_html_n(r->out, f, 1);
				}
			}
			break;
		}
		case N_TRANSVAR: {
			json_t *v = lookup(r, nd->text);
			if (json_is_string(v))
				(r->text ? sb_puts : sb_html)(r->out, i18n_get(r->lang, json_string_value(v)));
			break;
		}
		case N_LANG: /* an attribute: nothing in plain text */
			if (!r->text && (!r->lang || strcmp(r->lang, nd->text) != 0))
				sb_printf(r->out, " lang=\"%s\"", nd->text);
			break;
		case N_SECTION:
		case N_INVERTED:
			if (render_section(r, nd))
				return -1;
			break;
		case N_PARTIAL:
		case N_DPARTIAL: {
			/* Nesting depth, not count: a partial in a long loop is fine,
			 * a partial that includes itself is not. */
			const char *name = nd->text;
			if (nd->kind == N_DPARTIAL) {
				name = json_string_value(lookup(r, nd->text));
				if (!name)
					return -1;
			}
			const tpl *p = find(r->t, name);
			if (!p || r->partials >= 16)
				return -1;
			r->partials++;
			int rc = render_nodes(r, p->nodes, p->n);
			r->partials--;
			if (rc)
				return -1;
			break;
		}
		}
	}
	return sb_failed(r->out) ? -1 : 0;
}

int tpl_render(const tpl_set *t, const char *name, json_t *ctx, const char *lang, sb *out)
{
	const tpl *tp = find(t, name);
	if (!tp)
		return -1;
	size_t nl = strlen(name);
	rctx r = { .t = t, .lang = lang, .depth = 1, .out = out,
		   .text = nl > 4 && strcmp(name + nl - 4, ".txt") == 0 };
	r.stack[0] = ctx;
	return render_nodes(&r, tp->nodes, tp->n);
}

static int each_msgid(const node *n, size_t cnt, void (*fn)(const char *, void *), void *ctx)
{
	int count = 0;
	for (size_t i = 0; i < cnt; i++) {
		if (n[i].kind == N_TRANS) {
			fn(n[i].text, ctx);
			count++;
		}
		count += each_msgid(n[i].child, n[i].nchild, fn, ctx);
	}
	return count;
}

int tpl_each_msgid(const tpl_set *t, void (*fn)(const char *msgid, void *ctx), void *ctx)
{
	int count = 0;
	for (size_t i = 0; i < t->n; i++)
		count += each_msgid(t->items[i].nodes, t->items[i].n, fn, ctx);
	return count;
}
