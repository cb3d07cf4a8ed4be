/* parse.c — key/value lists, url-encoded form and cookie header parsing,
 * the X-Forwarded-For client address, and path routing. Pure functions
 * over an arena: no I/O, no libmicrohttpd, so the unit tests and fuzzers
 * drive them directly. Multipart bodies are parsed by libmicrohttpd's post
 * processor in server.c.
 */
#include "http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "../util/text.h"

int http_kv_add(arena *a, http_kvlist *l, const char *k, const char *v, size_t vlen)
{
	if (l->len == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 8;
		if (cap > 4096)
			return -1; /* more fields than any of our forms has: refuse */
		http_kv *items = arena_alloc(a, cap * sizeof *items);
		if (!items)
			return HTTP_NOMEM;
		if (l->len)
			memcpy(items, l->items, l->len * sizeof *items);
		l->items = items;
		l->cap = cap;
	}
	l->items[l->len++] = (http_kv){ .key = k, .value = v, .value_len = vlen };
	return 0;
}

const char *http_kv_get(const http_kvlist *l, const char *key)
{
	for (size_t i = 0; i < l->len; i++)
		if (strcmp(l->items[i].key, key) == 0)
			return l->items[i].value;
	return NULL;
}

/* Does s[0..n) hold a '%' not followed by two hex digits? */
static bool bad_escape(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '%')
			continue;
		if (i + 2 >= n || !isxdigit((unsigned char)s[i + 1]) || !isxdigit((unsigned char)s[i + 2]))
			return true;
	}
	return false;
}

int http_parse_urlencoded(arena *a, const char *body, size_t len, http_kvlist *out)
{
	size_t i = 0;
	while (i < len) {
		size_t end = i;
		while (end < len && body[end] != '&')
			end++;
		if (end > i) {
			size_t eq = i;
			while (eq < end && body[eq] != '=')
				eq++;
			char *k = text_pct_decode(a, body + i, eq - i, true);
			const char *vs = eq < end ? body + eq + 1 : body + end;
			size_t vn = eq < end ? end - eq - 1 : 0;
			char *v = k ? text_pct_decode(a, vs, vn, true) : NULL;
			if (!k || !v)
				return bad_escape(body + i, end - i) ? -1 : HTTP_NOMEM;
			/* The decoded value may hold a NUL; the caller's UTF-8 check sees
			 * the true length through value_len. */
			size_t vlen = 0;
			for (size_t j = 0; j < vn; j++) {
				if (vs[j] == '%')
					j += 2;
				vlen++;
			}
			int rc = http_kv_add(a, out, k, v, vlen);
			if (rc != 0)
				return rc;
		}
		i = end + 1;
	}
	return 0;
}

int http_parse_cookies(arena *a, const char *h, http_kvlist *out)
{
	if (!h)
		return 0;
	const char *p = h;
	while (*p) {
		while (*p == ' ' || *p == '\t' || *p == ';')
			p++;
		if (!*p)
			break;
		const char *name = p;
		while (*p && *p != '=' && *p != ';')
			p++;
		if (*p != '=') { /* a nameless or valueless fragment: skip it */
			while (*p && *p != ';')
				p++;
			continue;
		}
		size_t nlen = (size_t)(p - name);
		while (nlen > 0 && (name[nlen - 1] == ' ' || name[nlen - 1] == '\t'))
			nlen--;
		p++;
		while (*p == ' ' || *p == '\t')
			p++;
		const char *val = p;
		while (*p && *p != ';')
			p++;
		size_t vlen = (size_t)(p - val);
		while (vlen > 0 && (val[vlen - 1] == ' ' || val[vlen - 1] == '\t'))
			vlen--;
		if (vlen >= 2 && val[0] == '"' && val[vlen - 1] == '"') {
			val++;
			vlen -= 2;
		}
		if (nlen == 0)
			continue;
		char *k = arena_strndup(a, name, nlen);
		char *v = arena_strndup(a, val, vlen);
		if (!k || !v)
			return HTTP_NOMEM;
		int rc = http_kv_add(a, out, k, v, vlen);
		if (rc != 0)
			return rc;
	}
	return 0;
}

/* Parses one X-Forwarded-For entry s[0..n) (spaces trimmed, "[v6]"
 * allowed) into its normalised text; false when it is no address. */
static bool xff_entry(const char *s, size_t n, char *out, size_t outlen)
{
	while (n && (*s == ' ' || *s == '\t')) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		s++;
		n -= 2;
	}
	char buf[INET6_ADDRSTRLEN];
	if (n == 0 || n >= sizeof buf)
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	unsigned char bin[16];
	if (inet_pton(AF_INET, buf, bin) == 1)
		return inet_ntop(AF_INET, bin, out, (socklen_t)outlen) != NULL;
	if (inet_pton(AF_INET6, buf, bin) == 1)
		return inet_ntop(AF_INET6, bin, out, (socklen_t)outlen) != NULL;
	return false;
}

bool http_forwarded_for(const char *xff, const char *proxy, char *out, size_t outlen)
{
	if (!xff || !proxy)
		return false;
	char me[INET6_ADDRSTRLEN];
	if (!xff_entry(proxy, strlen(proxy), me, sizeof me))
		return false;
	size_t end = strlen(xff);
	for (;;) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		char addr[INET6_ADDRSTRLEN];
		bool blank = true;
		for (size_t i = start; i < end; i++)
			blank = blank && (xff[i] == ' ' || xff[i] == '\t');
		if (!blank) {
			if (!xff_entry(xff + start, end - start, addr, sizeof addr))
				return false; /* not an address: believe nothing further left */
			if (strcmp(addr, me) != 0) {
				if (strlen(addr) >= outlen)
					return false;
				strcpy(out, addr);
				return true;
			}
		}
		if (start == 0)
			return false;
		end = start - 1;
	}
}

/* Matches one pattern against a path; on success fills r->params. */
static bool match_pattern(const char *pat, const char *path, http_req *r)
{
	int np = 0;
	const char *names[8], *vals[8];
	while (*pat && *path) {
		if (*pat != '/' || *path != '/')
			return false;
		pat++;
		path++;
		const char *pe = strchr(pat, '/');
		const char *se = strchr(path, '/');
		size_t pl = pe ? (size_t)(pe - pat) : strlen(pat);
		size_t sl = se ? (size_t)(se - path) : strlen(path);
		if (pl > 2 && pat[0] == '{' && pat[pl - 1] == '}') {
			if (sl == 0 || np == 8)
				return false;
			names[np] = arena_strndup(r->a, pat + 1, pl - 2);
			vals[np] = arena_strndup(r->a, path, sl);
			if (!names[np] || !vals[np])
				return false;
			np++;
		} else if (pl != sl || memcmp(pat, path, pl) != 0) {
			return false;
		}
		pat += pl;
		path += sl;
	}
	if (*pat || *path)
		return false;
	for (int i = 0; i < np; i++) {
		r->param_names[i] = names[i];
		r->params[i] = vals[i];
	}
	r->nparams = np;
	return true;
}

int http_route_match(const http_route_pattern *routes, size_t n, http_req *r, int *allowed)
{
	int allow = 0;
	for (size_t i = 0; i < n; i++) {
		if (!match_pattern(routes[i].pattern, r->path, r))
			continue;
		int m = routes[i].methods;
		if (m & HTTP_GET)
			m |= HTTP_HEAD;
		if (m & r->method)
			return (int)i;
		allow |= m;
	}
	r->nparams = 0;
	if (allowed)
		*allowed = allow;
	return allow ? -2 : -1;
}

const char *http_param(const http_req *r, const char *name)
{
	for (int i = 0; i < r->nparams; i++)
		if (strcmp(r->param_names[i], name) == 0)
			return r->params[i];
	return NULL;
}

const char *http_query(const http_req *r, const char *name) { return http_kv_get(&r->query, name); }
const char *http_form(const http_req *r, const char *name) { return http_kv_get(&r->form, name); }
const char *http_cookie(const http_req *r, const char *name)
{
	if (!r->secure_cookies)
		return http_kv_get(&r->cookies, name);
	/* Over HTTPS only the __Host- cookie counts: a plain one may have been
	 * planted by a sibling subdomain. */
	char full[80];
	if (snprintf(full, sizeof full, "__Host-%s", name) >= (int)sizeof full)
		return NULL;
	return http_kv_get(&r->cookies, full);
}

void http_resp_header(http_req *r, http_resp *s, const char *name, const char *value)
{
	char *v = arena_strdup(r->a, value);
	if (v)
		http_kv_add(r->a, &s->headers, name, v, strlen(v));
}

void http_resp_header_lit(http_req *r, http_resp *s, const char *name, const char *value)
{
	http_kv_add(r->a, &s->headers, name, value, strlen(value));
}

void http_redirect(http_req *r, http_resp *s, const char *location)
{
	s->status = 303;
	http_resp_header(r, s, "Location", location);
}

void http_set_cookie(http_req *r, http_resp *s, const char *name, const char *value,
                     long max_age, bool secure)
{
	char *c = arena_printf(r->a, "%s%s=%s; Path=/; Max-Age=%ld; HttpOnly; SameSite=Lax%s",
	                       secure ? "__Host-" : "", name, value, max_age,
	                       secure ? "; Secure" : "");
	if (c)
		http_kv_add(r->a, &s->headers, "Set-Cookie", c, strlen(c));
}

const char *http_status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 201: return "Created";
	case 204: return "No Content";
	case 303: return "See Other";
	case 304: return "Not Modified";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 410: return "Gone";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 422: return "Unprocessable Content";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 503: return "Service Unavailable";
	default: return "";
	}
}
