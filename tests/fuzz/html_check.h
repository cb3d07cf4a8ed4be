/* html_check.h — an independent check of the HTML that web_markdown
 * writes, shared by the Markdown fuzzer and the unit tests: every tag is
 * one of the few Markdown produces, every attribute is a known one with a
 * double-quoted value holding no raw '"' or '<', and every href and src,
 * with its entities decoded, has no scheme other than http, https or
 * mailto (nor white space or control characters a browser would skip).
 * Returns NULL when the HTML passes, else what is wrong.
 */
#ifndef OPENPLAN_HTML_CHECK_H
#define OPENPLAN_HTML_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

static const char *const html_check_tags[] = {
	"p", "em", "strong", "code", "pre", "del", "u", "a", "img", "br", "hr", "ul", "ol",
	"li", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "table", "thead", "tbody",
	"tr", "th", "td", NULL,
};
static const char *const html_check_attrs[] = {
	"href", "src", "alt", "title", "class", "align", "start", NULL,
};

static bool html_check_in(const char *const *list, const char *s, size_t n)
{
	for (int i = 0; list[i]; i++)
		if (strlen(list[i]) == n && !memcmp(list[i], s, n))
			return true;
	return false;
}

/* Is the attribute value v[0..n) (as written in the HTML) a safe address? */
static const char *html_check_url(const char *v, size_t n)
{
	char u[4096];
	size_t k = 0;
	for (size_t i = 0; i < n && k < sizeof u - 1; i++) {
		if (v[i] != '&') {
			u[k++] = v[i];
			continue;
		}
		static const char *const ent[][2] = {
			{ "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" },
		};
		size_t j = 0;
		for (; j < 5; j++)
			if (!strncmp(v + i, ent[j][0], strlen(ent[j][0])))
				break;
		if (j == 5)
			return "an entity other than the five escapes in an address";
		u[k++] = ent[j][1][0];
		i += strlen(ent[j][0]) - 1;
	}
	u[k] = '\0';
	for (size_t i = 0; i < k; i++)
		if ((unsigned char)u[i] <= 0x20 || u[i] == 0x7f)
			return "white space or a control character in an address";
	const char *colon = strchr(u, ':');
	if (!colon)
		return NULL;
	size_t sl = (size_t)(colon - u);
	if (strcspn(u, "/?#") < sl)
		return NULL; /* the colon is in the path: no scheme */
	if ((sl == 4 && !strncasecmp(u, "http", 4)) || (sl == 5 && !strncasecmp(u, "https", 5)) ||
	    (sl == 6 && !strncasecmp(u, "mailto", 6)))
		return NULL;
	return "an address with a scheme other than http, https or mailto";
}

static const char *html_check(const char *h)
{
	for (const char *p = h; (p = strchr(p, '<')); ) {
		p++;
		if (*p == '/')
			p++;
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyz0123456789");
		if (!html_check_in(html_check_tags, p, n))
			return "a tag Markdown does not make";
		p += n;
		for (;;) {
			if (*p == '>')
				break;
			if (*p != ' ')
				return "a tag not closed by '>'";
			p++;
			size_t an = strspn(p, "abcdefghijklmnopqrstuvwxyz");
			if (!html_check_in(html_check_attrs, p, an))
				return "an attribute Markdown does not make";
			const char *name = p;
			p += an;
			if (p[0] != '=' || p[1] != '"')
				return "an attribute without a quoted value";
			p += 2;
			const char *v = p;
			while (*p && *p != '"' && *p != '<')
				p++;
			if (*p != '"')
				return "an attribute value that is not closed";
			if ((an == 4 && !memcmp(name, "href", 4)) || (an == 3 && !memcmp(name, "src", 3))) {
				const char *why = html_check_url(v, (size_t)(p - v));
				if (why)
					return why;
			}
			p++;
		}
	}
	return NULL;
}

#endif
