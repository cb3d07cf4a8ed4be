/* mail_msg.c — building an e-mail message (RFC 5322 with MIME): header
 * values cleaned and RFC 2047-encoded, addresses checked, the date in the
 * fixed English form, and a multipart/alternative body of a text and an
 * HTML part in quoted-printable. Pure functions over a string builder; it
 * neither reads the store nor sends anything.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "mail.h"

bool mail_addr_valid(const char *addr)
{
	if (!addr)
		return false;
	size_t n = strlen(addr);
	const char *at = strchr(addr, '@');
	if (n < 3 || n > 254 || !at || strchr(at + 1, '@') || at == addr || (size_t)(at - addr) > 64)
		return false;
	/* The local part: letters, digits and the usual atext, dots between. */
	for (const char *p = addr; p < at; p++) {
		unsigned char c = (unsigned char)*p;
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          strchr("!#$%&'*+/=?^_`{|}~-.", c);
		if (!ok || (c == '.' && (p == addr || p + 1 == at || p[1] == '.')))
			return false;
	}
	/* The domain: labels of letters, digits and inner hyphens, a dot. */
	const char *d = at + 1;
	size_t label = 0, labels = 0;
	for (const char *p = d;; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.' || c == '\0') {
			if (label == 0 || label > 63 || p[-1] == '-')
				return false;
			labels++;
			label = 0;
			if (c == '\0')
				break;
			continue;
		}
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		          (c == '-' && label > 0);
		if (!ok)
			return false;
		label++;
	}
	return labels >= 2;
}

/* A copy of s with every control character (CR and LF among them) as a
 * space and runs of white space as one: a header value cannot hold a line
 * break of its own. */
static char *clean(const char *s)
{
	size_t n = strlen(s);
	char *c = malloc(n + 1);
	if (!c)
		return NULL;
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (ch < 32 || ch == 127)
			ch = ' ';
		if (ch == ' ' && (j == 0 || c[j - 1] == ' '))
			continue;
		c[j++] = (char)ch;
	}
	while (j && c[j - 1] == ' ')
		j--;
	c[j] = '\0';
	return c;
}

static bool plain_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 127)
			return false;
	return true;
}

/* RFC 2047 B encoded-words of at most 64 characters (39 bytes each, cut
 * at UTF-8 character boundaries), one per line after the first, so every
 * line of the header stays under 76 characters. */
static void encoded_words(sb *out, const char *s)
{
	size_t n = strlen(s), i = 0;
	while (i < n) {
		size_t take = n - i > 39 ? 39 : n - i;
		/* Do not split a UTF-8 sequence: back off to its first byte. */
		while (take < n - i && take > 1 && ((unsigned char)s[i + take] & 0xC0) == 0x80)
			take--;
		char b64[64];
		sodium_bin2base64(b64, sizeof b64, (const unsigned char *)s + i, take,
		                  sodium_base64_VARIANT_ORIGINAL);
		sb_printf(out, "%s=?UTF-8?B?%s?=", i ? "\r\n " : "", b64);
		i += take;
	}
}

void mail_header_value(sb *out, const char *value)
{
	char *v = clean(value ? value : "");
	if (!v) {
		out->failed = true;
		return;
	}
	if (plain_ascii(v) && !strstr(v, "=?") && strlen(v) <= 900)
		sb_puts(out, v);
	else
		encoded_words(out, v);
	free(v);
}

/* A display name and address: "Name" <addr>, the name quoted, or encoded
 * when it is not plain ASCII. */
static void mailbox(sb *out, const char *name, const char *addr)
{
	char *v = clean(name ? name : "");
	if (!v) {
		out->failed = true;
		return;
	}
	if (!*v) {
		sb_puts(out, addr);
	} else if (plain_ascii(v) && !strstr(v, "=?")) {
		sb_putc(out, '"');
		for (const char *p = v; *p; p++) {
			if (*p == '"' || *p == '\\')
				sb_putc(out, '\\');
			sb_putc(out, *p);
		}
		sb_printf(out, "\" <%s>", addr);
	} else {
		encoded_words(out, v);
		sb_printf(out, " <%s>", addr);
	}
	free(v);
}

void mail_date(sb *out, int64_t t)
{
	static const char *const days[] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
	static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
		                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	sb_printf(out, "%s, %02d %s %04d %02d:%02d:%02d +0000", days[tm.tm_wday], tm.tm_mday,
	          months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

void mail_qp(sb *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t col = 0;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\r' && p[1] == '\n')
			continue;
		if (c == '\n') {
			sb_puts(out, "\r\n");
			col = 0;
			continue;
		}
		bool eol = p[1] == '\n' || p[1] == '\0' || (p[1] == '\r' && p[2] == '\n');
		bool literal = (c >= 33 && c <= 126 && c != '=') || ((c == ' ' || c == '\t') && !eol);
		/* A line that starts with a dot or "From " is encoded: no transport
		 * can mistake it. */
		if (col == 0 && (c == '.' || (c == 'F' && !strncmp(p, "From ", 5))))
			literal = false;
		size_t w = literal ? 1 : 3;
		if (col + w > 75) {
			sb_puts(out, "=\r\n");
			col = 0;
		}
		if (literal) {
			sb_putc(out, (char)c);
		} else {
			sb_putc(out, '=');
			sb_putc(out, hex[c >> 4]);
			sb_putc(out, hex[c & 15]);
		}
		col += w;
	}
}

int mail_compose(sb *out, const mail_head *h, const char *text, const char *html)
{
	if (!mail_addr_valid(h->from_addr) || !mail_addr_valid(h->to_addr) || !h->message_id ||
	    strpbrk(h->message_id, "\r\n") || (h->unsubscribe && strpbrk(h->unsubscribe, "\r\n <>")) ||
	    (h->list_id && strpbrk(h->list_id, "\r\n")))
		return -1;
	unsigned char rnd[12];
	randombytes_buf(rnd, sizeof rnd);
	char boundary[48] = "=_openplan_";
	sodium_bin2hex(boundary + 11, sizeof boundary - 11, rnd, sizeof rnd);

	sb_puts(out, "From: ");
	mailbox(out, h->from_name, h->from_addr);
	sb_puts(out, "\r\nTo: ");
	mailbox(out, h->to_name, h->to_addr);
	sb_puts(out, "\r\nSubject: ");
	mail_header_value(out, h->subject);
	sb_puts(out, "\r\nDate: ");
	mail_date(out, h->date);
	sb_printf(out, "\r\nMessage-ID: %s\r\nMIME-Version: 1.0\r\n", h->message_id);
	if (h->list_id)
		sb_printf(out, "List-Id: %s\r\n", h->list_id);
	if (h->unsubscribe)
		sb_printf(out, "List-Unsubscribe: <%s>\r\n"
		               "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n", h->unsubscribe);
	sb_puts(out, "Auto-Submitted: auto-generated\r\n");
	if (h->bulk)
		sb_puts(out, "Precedence: bulk\r\n");
	sb_printf(out, "Content-Type: multipart/alternative; boundary=\"%s\"\r\n\r\n"
	               "This is a message in two forms: plain text and HTML.\r\n\r\n", boundary);
	sb_printf(out, "--%s\r\nContent-Type: text/plain; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
	mail_qp(out, text);
	sb_printf(out, "\r\n--%s\r\nContent-Type: text/html; charset=UTF-8\r\n"
	               "Content-Transfer-Encoding: quoted-printable\r\n\r\n", boundary);
	mail_qp(out, html);
	sb_printf(out, "\r\n--%s--\r\n", boundary);
	return sb_failed(out) ? -1 : 0;
}

/* The decoded text/plain part of a message built by mail_compose (what
 * the admin reads); "" when there is none. */
void mail_text_part(sb *out, const char *msg)
{
	const char *p = strstr(msg, "Content-Type: text/plain");
	const char *body = p ? strstr(p, "\r\n\r\n") : NULL;
	if (!body)
		return;
	body += 4;
	const char *end = strstr(body, "\r\n--=_openplan_");
	if (!end)
		end = body + strlen(body);
	for (const char *c = body; c < end; c++) {
		if (*c == '\r')
			continue;
		if (*c == '=' && c + 1 < end && (c[1] == '\r' || c[1] == '\n')) {
			c += c[1] == '\r' ? 2 : 1; /* a soft line break */
			continue;
		}
		if (*c == '=' && c + 2 < end) {
			char hx[3] = { c[1], c[2], 0 };
			sb_putc(out, (char)strtol(hx, NULL, 16));
			c += 2;
			continue;
		}
		sb_putc(out, *c);
	}
}
