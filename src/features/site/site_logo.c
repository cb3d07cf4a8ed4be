/* site_logo.c — the site's logo: what an admin may upload (a PNG or an
 * SVG of at most 256 kB, checked by its content, never by its name or the
 * type the browser claims) and serving it at an address that names its
 * hash, so browsers may keep it for a year. An SVG is served with a policy
 * that runs nothing in it, on top of the check that refused scripts.
 */
#include <ctype.h>
#include <sodium.h>
#include <string.h>

#include "../../util/text.h"
#include "site.h"

/* ---- PNG ---- */

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* CRC-32 (ISO 3309, as PNG uses it) of n bytes. */
static uint32_t crc32_of(const unsigned char *p, size_t n)
{
	uint32_t c = 0xFFFFFFFFu;
	for (size_t i = 0; i < n; i++) {
		c ^= p[i];
		for (int k = 0; k < 8; k++)
			c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
	}
	return c ^ 0xFFFFFFFFu;
}

static const char *png_check(const unsigned char *p, size_t len)
{
	const char *bad = N_("This is not a complete PNG image. Save it again as PNG or SVG and upload that file.");
	size_t at = 8;
	bool first = true, idat = false, end = false;
	while (at < len && !end) {
		if (len - at < 12)
			return bad;
		uint32_t n = be32(p + at);
		const unsigned char *type = p + at + 4;
		if (n > len - at - 12)
			return bad;
		for (int k = 0; k < 4; k++)
			if (!isalpha(type[k]))
				return bad;
		if (be32(p + at + 8 + n) != crc32_of(type, (size_t)n + 4))
			return bad;
		if (first) {
			if (memcmp(type, "IHDR", 4) || n != 13)
				return bad;
			uint32_t w = be32(p + at + 8), h = be32(p + at + 12);
			if (w == 0 || h == 0 || w > 4096 || h > 4096)
				return N_("The image is too large: at most 4096 by 4096 pixels.");
			first = false;
		} else if (!memcmp(type, "IDAT", 4)) {
			idat = true;
		} else if (!memcmp(type, "IEND", 4)) {
			end = true;
		}
		at += 12 + (size_t)n;
	}
	return end && idat && at == len ? NULL : bad;
}

/* ---- SVG ---- */

/* The first occurrence of needle in the lowercase text, or NULL. */
static const char *find(const char *lower, const char *needle)
{
	return strstr(lower, needle);
}

/* Skips white space, an XML declaration and comments before the root. */
static const char *skip_prolog(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')
			s++;
		if (!strncmp(s, "<?xml", 5)) {
			const char *e = strstr(s, "?>");
			if (!e)
				return NULL;
			s = e + 2;
		} else if (!strncmp(s, "<!--", 4)) {
			const char *e = strstr(s + 4, "-->");
			if (!e)
				return NULL;
			s = e + 3;
		} else {
			return s;
		}
	}
}

/* An attribute whose name starts with "on" (onload=, onclick= …): white
 * space, "on", letters, optional white space, "=". */
static bool has_event_handler(const char *lower)
{
	for (const char *p = lower; *p; p++) {
		if (!(p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r' || p[0] == '/') ||
		    p[1] != 'o' || p[2] != 'n')
			continue;
		const char *q = p + 3;
		if (!isalpha((unsigned char)*q))
			continue;
		while (isalpha((unsigned char)*q) || *q == '-')
			q++;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q == '=')
			return true;
	}
	return false;
}

/* Every reference (href=, xlink:href=, url(…)) points inside the file ("#…"). */
static bool references_inside(const char *lower)
{
	for (const char *p = strstr(lower, "href"); p; p = strstr(p + 4, "href")) {
		const char *q = p + 4;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q != '=')
			continue;
		q++;
		while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
			q++;
		if (*q == '"' || *q == '\'')
			q++;
		if (*q != '#')
			return false;
	}
	for (const char *p = strstr(lower, "url("); p; p = strstr(p + 4, "url(")) {
		const char *q = p + 4;
		while (*q == ' ' || *q == '"' || *q == '\'')
			q++;
		if (*q != '#')
			return false;
	}
	return true;
}

static const char *svg_check(arena *a, const char *bytes, size_t len)
{
	const char *unsafe = N_("This SVG holds scripts, links to other files or other active content. Export it as a plain SVG (or PNG) and upload that file.");
	if (!text_utf8_valid(bytes, len) || memchr(bytes, '\0', len))
		return N_("This is not an SVG or PNG image.");
	char *lower = arena_strndup(a, bytes, len);
	if (!lower)
		return N_("The server is too busy right now. Please try again in a minute.");
	for (char *p = lower; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	/* What could run or load something is refused first, wherever it is. */
	if (find(lower, "<!doctype") || find(lower, "<!entity") || find(lower, "<script") ||
	    find(lower, "<foreignobject") || find(lower, "<iframe") || find(lower, "<embed") ||
	    find(lower, "<object") || find(lower, "<?xml-stylesheet") || find(lower, "@import") ||
	    find(lower, "javascript:") || find(lower, "<![cdata[") || has_event_handler(lower) ||
	    !references_inside(lower))
		return unsafe;
	const char *s = lower;
	if (!strncmp(s, "\xef\xbb\xbf", 3))
		s += 3;
	s = skip_prolog(s);
	if (!s || strncmp(s, "<svg", 4) || !(s[4] == ' ' || s[4] == '>' || s[4] == '\n' ||
	                                     s[4] == '\t' || s[4] == '\r'))
		return N_("This is not an SVG or PNG image.");
	if (!find(s, "</svg>"))
		return N_("This is not a complete SVG image. Save it again and upload that file.");
	return NULL;
}

const char *site_logo_check(const char *bytes, size_t len, const char **type)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' };
	*type = NULL;
	if (len >= 8 && !memcmp(bytes, sig, 8)) {
		const char *msg = png_check((const unsigned char *)bytes, len);
		if (!msg)
			*type = "image/png";
		return msg;
	}
	arena a;
	arena_init(&a, 0);
	const char *msg = svg_check(&a, bytes, len);
	arena_free(&a);
	if (!msg)
		*type = "image/svg+xml";
	return msg;
}

store_rc site_logo_save(store *s, arena *a, const char *bytes, size_t len, const char *type,
                        int64_t user_id, int64_t *version)
{
	unsigned char h[12];
	char hash[sizeof h * 2 + 1];
	crypto_generichash(h, sizeof h, (const unsigned char *)bytes, len, NULL, 0);
	sodium_bin2hex(hash, sizeof hash, h, sizeof h);
	size_t b64len = sodium_base64_ENCODED_LEN(len, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = arena_alloc(a, b64len);
	if (!b64)
		return STORE_ERROR;
	sodium_bin2base64(b64, b64len, (const unsigned char *)bytes, len,
	                  sodium_base64_VARIANT_ORIGINAL);
	return site_store_logo_set(s, type, b64, hash, user_id, version);
}

/* GET /site/logo/{file}: file is the logo's hash and extension
 * ("3f…9a.png"); any other name is gone (404), since the address changes
 * with the logo. */
void site_logo_serve(app_req *q)
{
	const char *file = http_param(q->r, "file");
	const char *type, *b64, *hash;
	store_rc rc = site_store_logo(q->app->db, q->a, &type, &b64, &hash);
	if (rc != STORE_OK) {
		app_store_error(q, rc);
		return;
	}
	const char *ext = !strcmp(type, "image/png") ? ".png" : ".svg";
	size_t hl = strlen(hash);
	if (!*type || !file || !hl || strncmp(file, hash, hl) || strcmp(file + hl, ext)) {
		app_error(q, 404, "This page does not exist (any more). Check the address or start at the home page.");
		return;
	}
	size_t cap = strlen(b64) / 4 * 3 + 3, n = 0;
	unsigned char *bin = arena_alloc(q->a, cap);
	if (!bin || sodium_base642bin(bin, cap, b64, strlen(b64), NULL, &n, NULL,
	                              sodium_base64_VARIANT_ORIGINAL) != 0) {
		app_error(q, 500, "Something went wrong on our side. Please try again later.");
		return;
	}
	q->s->status = 200;
	q->s->content_type = type;
	sb_append(&q->s->body, (const char *)bin, n);
	http_resp_header(q->r, q->s, "Cache-Control", "public, max-age=31536000, immutable");
	/* Opened on its own, an SVG still runs nothing and loads nothing. */
	http_resp_header(q->r, q->s, "Content-Security-Policy",
	                 "default-src 'none'; style-src 'unsafe-inline'; sandbox");
}
