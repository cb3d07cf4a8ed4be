/* markdown.c — Markdown to HTML for texts people write (introductions,
 * progress updates), through md4c with raw HTML switched off; links and
 * images that point anywhere but http(s), mailto or this site become "#".
 * The one place where user text becomes HTML that templates print raw.
 */
#include <md4c-html.h>
#include <string.h>
#include <strings.h>

#include "web.h"

static void md_out(const MD_CHAR *text, MD_SIZE size, void *ud)
{
	sb_append(ud, text, size);
}

/* Is the (HTML-escaped) address a safe target? */
static bool safe_target(const char *v, size_t n)
{
	static const char *const ok[] = { "http://", "https://", "mailto:", NULL };
	if (n == 0 || v[0] == '#' || (v[0] == '/' && (n < 2 || v[1] != '/')))
		return true;
	for (int i = 0; ok[i]; i++)
		if (n >= strlen(ok[i]) && !strncasecmp(v, ok[i], strlen(ok[i])))
			return true;
	/* A relative path without a scheme ("report.pdf") is harmless too. */
	for (size_t i = 0; i < n; i++) {
		if (v[i] == ':')
			return false;
		if (v[i] == '/' || v[i] == '?' || v[i] == '#')
			return true;
	}
	return true;
}

int web_markdown(sb *out, const char *md)
{
	sb raw;
	sb_init(&raw);
	if (md_html(md, (MD_SIZE)strlen(md), md_out, &raw, MD_FLAG_NOHTML | MD_FLAG_STRIKETHROUGH |
	            MD_FLAG_TABLES | MD_FLAG_PERMISSIVEURLAUTOLINKS, 0) != 0 || sb_failed(&raw)) {
		sb_free(&raw);
		return -1;
	}
	/* Copy, replacing unsafe href="…" and src="…" values with "#". */
	const char *p = sb_str(&raw);
	for (;;) {
		const char *h = strstr(p, "href=\"");
		const char *s = strstr(p, "src=\"");
		const char *at = h && (!s || h < s) ? h : s;
		if (!at)
			break;
		const char *v = strchr(at, '"') + 1;
		const char *e = strchr(v, '"');
		if (!e)
			break;
		sb_append(out, p, (size_t)(v - p));
		if (safe_target(v, (size_t)(e - v)))
			sb_append(out, v, (size_t)(e - v));
		else
			sb_putc(out, '#');
		p = e;
	}
	sb_puts(out, p);
	sb_free(&raw);
	return sb_failed(out) ? -1 : 0;
}

