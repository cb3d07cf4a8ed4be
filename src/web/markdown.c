/* markdown.c — Markdown to HTML for texts people write (introductions,
 * progress updates). md4c parses (md_parse, with raw HTML switched off) and
 * calls back per block, span and text; the HTML is built here, escaping
 * every piece of text and every attribute. Link and image addresses are
 * checked where md4c hands them over, after decoding their entities as a
 * browser would: only http, https, mailto (links) and relative addresses
 * pass; any other becomes "#". Rendered HTML is never scanned afterwards.
 * The one place where user text becomes HTML that templates print raw.
 */
#include <md4c.h>
#include <string.h>
#include <strings.h>

#include "web.h"

typedef struct mdr {
	sb  *out;
	int  img;     /* > 0 inside an image: its text is the alt attribute */
} mdr;

static void put(mdr *m, const char *s) { sb_puts(m->out, s); }

/* ---- entities and addresses ---- */

static void put_utf8(sb *b, unsigned cp)
{
	if (cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		cp = 0xFFFD;
	char u[4];
	if (cp < 0x80) {
		sb_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		u[0] = (char)(0xC0 | cp >> 6);
		u[1] = (char)(0x80 | (cp & 0x3F));
		sb_append(b, u, 2);
	} else if (cp < 0x10000) {
		u[0] = (char)(0xE0 | cp >> 12);
		u[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[2] = (char)(0x80 | (cp & 0x3F));
		sb_append(b, u, 3);
	} else {
		u[0] = (char)(0xF0 | cp >> 18);
		u[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		u[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
		u[3] = (char)(0x80 | (cp & 0x3F));
		sb_append(b, u, 4);
	}
}

/* Named entities a browser would turn into characters that matter in an
 * address. Others stay as written and are escaped on output ("&amp;x;"),
 * so the browser sees exactly the text that was checked. */
static const struct { const char *name; unsigned cp; } entities[] = {
	{ "amp", '&' },    { "lt", '<' },      { "gt", '>' },     { "quot", '"' },
	{ "apos", '\'' },  { "colon", ':' },   { "Tab", '\t' },   { "NewLine", '\n' },
	{ "sol", '/' },    { "bsol", '\\' },   { "period", '.' }, { "comma", ',' },
	{ "semi", ';' },   { "excl", '!' },    { "quest", '?' },  { "num", '#' },
	{ "percnt", '%' }, { "equals", '=' },  { "plus", '+' },   { "commat", '@' },
	{ "lowbar", '_' }, { "lpar", '(' },    { "rpar", ')' },   { "nbsp", 0xA0 },
	{ "dollar", '$' }, { "ast", '*' },     { "Hat", '^' },    { "grave", '`' },
	{ "lsqb", '[' },   { "rsqb", ']' },    { "lcub", '{' },   { "rcub", '}' },
	{ "verbar", '|' }, { "tilde", '~' },   { "midast", '*' }, { "hyphen", 0x2010 },
};

/* Appends the character entity e[0..n) ("&…;", as md4c recognised it)
 * decoded; a named entity not in the table above as written. */
static void put_entity(sb *b, const char *e, size_t n)
{
	if (n >= 4 && e[1] == '#') {
		unsigned long cp = 0;
		bool hex = e[2] == 'x' || e[2] == 'X';
		for (size_t i = hex ? 3 : 2; i + 1 < n; i++) {
			char c = e[i];
			int d = c >= '0' && c <= '9' ? c - '0'
			      : hex && c >= 'a' && c <= 'f' ? c - 'a' + 10
			      : hex && c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
			if (d < 0)
				break;
			cp = cp * (hex ? 16 : 10) + (unsigned long)d;
			if (cp > 0x10FFFF)
				cp = 0x110000;
		}
		put_utf8(b, (unsigned)cp);
		return;
	}
	for (size_t i = 0; i < sizeof entities / sizeof *entities; i++)
		if (n == strlen(entities[i].name) + 2 && !memcmp(e + 1, entities[i].name, n - 2)) {
			put_utf8(b, entities[i].cp);
			return;
		}
	sb_append(b, e, n);
}

/* The attribute's text with entities decoded (what the browser reads). */
static void attr_decode(sb *b, const MD_ATTRIBUTE *a)
{
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			put_entity(b, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			put_utf8(b, 0xFFFD);
		else
			sb_append(b, s, n);
	}
}

/* May u[0..n) be a link (image false) or image (true) address? Only
 * http, https and mailto (links only), or no scheme at all; nothing with
 * white space or a control character, which browsers strip or skip
 * before they read the scheme ("java\tscript:"). Strict: a ':' before the
 * first '/', '?' or '#' must end one of those schemes (a relative path may
 * not have a colon in its first segment anyway, RFC 3986 4.2). */
static bool url_ok(const char *u, size_t n, bool image)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)u[i];
		if (c <= 0x20 || c == 0x7F)
			return false;
	}
	size_t i = 0;
	while (i < n && u[i] != ':' && u[i] != '/' && u[i] != '?' && u[i] != '#')
		i++;
	if (i == n || u[i] != ':')
		return true; /* no scheme: a relative address */
	return (i == 4 && !strncasecmp(u, "http", 4)) || (i == 5 && !strncasecmp(u, "https", 5)) ||
	       (!image && i == 6 && !strncasecmp(u, "mailto", 6));
}

/* Writes name="address" for a link or image, "#" when not allowed. */
static void put_url_attr(mdr *m, const char *name, const MD_ATTRIBUTE *a, bool image)
{
	sb u;
	sb_init(&u);
	attr_decode(&u, a);
	sb_printf(m->out, " %s=\"", name);
	if (!sb_failed(&u) && url_ok(sb_str(&u), u.len, image))
		sb_html_n(m->out, sb_str(&u), u.len);
	else
		sb_putc(m->out, '#');
	sb_putc(m->out, '"');
	if (sb_failed(&u))
		m->out->failed = true;
	sb_free(&u);
}

/* Appends an entity of text (not of an address) as HTML: decoded and
 * escaped when known or numeric; else as written, which is safe: md4c only
 * reports "&" letters-and-digits ";" (checked again here), and the browser
 * shows it as the character it names ("&copy;"). */
static void put_entity_html(sb *out, const char *e, size_t n)
{
	bool plain = n >= 3 && e[0] == '&' && e[n - 1] == ';' && e[1] != '#';
	for (size_t i = 1; plain && i + 1 < n; i++)
		plain = (e[i] >= 'a' && e[i] <= 'z') || (e[i] >= 'A' && e[i] <= 'Z') ||
		        (e[i] >= '0' && e[i] <= '9');
	sb d;
	sb_init(&d);
	put_entity(&d, e, n);
	if (plain && d.len == n && !memcmp(sb_str(&d), e, n))
		sb_append(out, e, n); /* not in our table: the browser decodes it */
	else
		sb_html_n(out, sb_str(&d), d.len);
	if (sb_failed(&d))
		out->failed = true;
	sb_free(&d);
}

/* A text attribute (title, alt, a code block's language), escaped. */
static void put_attr_text(sb *out, const MD_ATTRIBUTE *a)
{
	for (int i = 0; a->substr_offsets[i] < a->size; i++) {
		const char *s = a->text + a->substr_offsets[i];
		size_t n = a->substr_offsets[i + 1] - a->substr_offsets[i];
		if (a->substr_types[i] == MD_TEXT_ENTITY)
			put_entity_html(out, s, n);
		else if (a->substr_types[i] == MD_TEXT_NULLCHAR)
			sb_puts(out, "\xEF\xBF\xBD");
		else
			sb_html_n(out, s, n);
	}
}

static void put_text_attr(mdr *m, const char *name, const MD_ATTRIBUTE *a)
{
	if (!a->text || a->size == 0)
		return;
	sb_printf(m->out, " %s=\"", name);
	put_attr_text(m->out, a);
	sb_putc(m->out, '"');
}

/* ---- md4c callbacks ---- */

static const char *align_attr(MD_ALIGN a)
{
	switch (a) {
	case MD_ALIGN_LEFT: return " align=\"left\"";
	case MD_ALIGN_CENTER: return " align=\"center\"";
	case MD_ALIGN_RIGHT: return " align=\"right\"";
	default: return "";
	}
}

static void img_force_close(mdr *m);

static int enter_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	mdr *m = ud;
	img_force_close(m);
	switch (type) {
	case MD_BLOCK_DOC: break;
	case MD_BLOCK_QUOTE: put(m, "<blockquote>\n"); break;
	case MD_BLOCK_UL: put(m, "<ul>\n"); break;
	case MD_BLOCK_OL: {
		const MD_BLOCK_OL_DETAIL *d = detail;
		if (d->start == 1)
			put(m, "<ol>\n");
		else
			sb_printf(m->out, "<ol start=\"%u\">\n", d->start);
		break;
	}
	case MD_BLOCK_LI: put(m, "<li>"); break;
	case MD_BLOCK_HR: put(m, "<hr>\n"); break;
	case MD_BLOCK_H: sb_printf(m->out, "<h%u>", ((const MD_BLOCK_H_DETAIL *)detail)->level); break;
	case MD_BLOCK_CODE: {
		const MD_BLOCK_CODE_DETAIL *d = detail;
		put(m, "<pre><code");
		if (d->lang.text && d->lang.size) {
			put(m, " class=\"language-");
			put_attr_text(m->out, &d->lang);
			put(m, "\"");
		}
		put(m, ">");
		break;
	}
	case MD_BLOCK_HTML: break; /* not produced with MD_FLAG_NOHTML */
	case MD_BLOCK_P: put(m, "<p>"); break;
	case MD_BLOCK_TABLE: put(m, "<table>\n"); break;
	case MD_BLOCK_THEAD: put(m, "<thead>\n"); break;
	case MD_BLOCK_TBODY: put(m, "<tbody>\n"); break;
	case MD_BLOCK_TR: put(m, "<tr>\n"); break;
	case MD_BLOCK_TH:
	case MD_BLOCK_TD:
		sb_printf(m->out, "<%s%s>", type == MD_BLOCK_TH ? "th" : "td",
		          align_attr(((const MD_BLOCK_TD_DETAIL *)detail)->align));
		break;
	}
	return sb_failed(m->out) ? -1 : 0;
}

/* md4c 0.4.8 may leave an image span unclosed (nested images through
 * reference links): close its alt attribute and tag before anything else. */
static void img_force_close(mdr *m)
{
	if (m->img > 0) {
		put(m, "\">");
		m->img = 0;
	}
}

static int leave_block(MD_BLOCKTYPE type, void *detail, void *ud)
{
	mdr *m = ud;
	img_force_close(m);
	switch (type) {
	case MD_BLOCK_DOC: break;
	case MD_BLOCK_QUOTE: put(m, "</blockquote>\n"); break;
	case MD_BLOCK_UL: put(m, "</ul>\n"); break;
	case MD_BLOCK_OL: put(m, "</ol>\n"); break;
	case MD_BLOCK_LI: put(m, "</li>\n"); break;
	case MD_BLOCK_HR: break;
	case MD_BLOCK_H: sb_printf(m->out, "</h%u>\n", ((const MD_BLOCK_H_DETAIL *)detail)->level); break;
	case MD_BLOCK_CODE: put(m, "</code></pre>\n"); break;
	case MD_BLOCK_HTML: break;
	case MD_BLOCK_P: put(m, "</p>\n"); break;
	case MD_BLOCK_TABLE: put(m, "</table>\n"); break;
	case MD_BLOCK_THEAD: put(m, "</thead>\n"); break;
	case MD_BLOCK_TBODY: put(m, "</tbody>\n"); break;
	case MD_BLOCK_TR: put(m, "</tr>\n"); break;
	case MD_BLOCK_TH: put(m, "</th>\n"); break;
	case MD_BLOCK_TD: put(m, "</td>\n"); break;
	}
	return sb_failed(m->out) ? -1 : 0;
}

static int enter_span(MD_SPANTYPE type, void *detail, void *ud)
{
	mdr *m = ud;
	if (m->img > 0) { /* inside an image's alt text: only text counts */
		if (type == MD_SPAN_IMG)
			m->img++;
		return 0;
	}
	switch (type) {
	case MD_SPAN_EM: put(m, "<em>"); break;
	case MD_SPAN_STRONG: put(m, "<strong>"); break;
	case MD_SPAN_U: put(m, "<u>"); break;
	case MD_SPAN_DEL: put(m, "<del>"); break;
	case MD_SPAN_CODE: put(m, "<code>"); break;
	case MD_SPAN_A: {
		const MD_SPAN_A_DETAIL *d = detail;
		put(m, "<a");
		put_url_attr(m, "href", &d->href, false);
		put_text_attr(m, "title", &d->title);
		put(m, ">");
		break;
	}
	case MD_SPAN_IMG: {
		const MD_SPAN_IMG_DETAIL *d = detail;
		put(m, "<img");
		put_url_attr(m, "src", &d->src, true);
		put(m, " alt=\"");
		m->img = 1;
		break;
	}
	default: break; /* LaTeX and wiki links are not switched on */
	}
	return sb_failed(m->out) ? -1 : 0;
}

static int leave_span(MD_SPANTYPE type, void *detail, void *ud)
{
	mdr *m = ud;
	if (m->img > 0) {
		if (type == MD_SPAN_IMG && --m->img == 0) {
			put(m, "\"");
			put_text_attr(m, "title", &((const MD_SPAN_IMG_DETAIL *)detail)->title);
			put(m, ">");
		}
		return sb_failed(m->out) ? -1 : 0;
	}
	switch (type) {
	case MD_SPAN_EM: put(m, "</em>"); break;
	case MD_SPAN_STRONG: put(m, "</strong>"); break;
	case MD_SPAN_U: put(m, "</u>"); break;
	case MD_SPAN_DEL: put(m, "</del>"); break;
	case MD_SPAN_CODE: put(m, "</code>"); break;
	case MD_SPAN_A: put(m, "</a>"); break;
	default: break;
	}
	return sb_failed(m->out) ? -1 : 0;
}

static int text(MD_TEXTTYPE type, const MD_CHAR *s, MD_SIZE n, void *ud)
{
	mdr *m = ud;
	switch (type) {
	case MD_TEXT_NULLCHAR: put(m, "\xEF\xBF\xBD"); break;
	case MD_TEXT_BR: put(m, m->img ? " " : "<br>\n"); break;
	case MD_TEXT_SOFTBR: put(m, m->img ? " " : "\n"); break;
	case MD_TEXT_ENTITY: put_entity_html(m->out, s, n); break;
	default: /* normal text, code, and raw HTML (shown as text) */
		sb_html_n(m->out, s, n);
		break;
	}
	return sb_failed(m->out) ? -1 : 0;
}

int web_markdown(sb *out, const char *md)
{
	mdr m = { .out = out };
	const MD_PARSER p = {
		.abi_version = 0,
		.flags = MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH | MD_FLAG_TABLES |
		         MD_FLAG_PERMISSIVEURLAUTOLINKS,
		.enter_block = enter_block,
		.leave_block = leave_block,
		.enter_span = enter_span,
		.leave_span = leave_span,
		.text = text,
	};
	if (md_parse(md, (MD_SIZE)strlen(md), &p, &m) != 0)
		return -1;
	img_force_close(&m);
	if (sb_failed(out))
		return -1;
	return 0;
}
