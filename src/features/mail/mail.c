/* mail.c — the mail feature as openplan sees it: its admin addresses (the
 * outbox), its start and stop hooks (the sender thread), and what other
 * features use to queue mail: the site's address for links, the sender's
 * address, the site secret for links that need no stored token, and
 * rendering a message's two parts from templates.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "mail.h"

static char from_addr[256] = "openplan@localhost";
static char host[200] = "localhost";
static unsigned char secret[32];
static bool smtp_on;
static char base_url[300];

const char *mail_base_url(const app *ap)
{
	(void)ap;
	return base_url;
}

const char *mail_from_addr(void) { return from_addr; }
const char *mail_host(void) { return host; }
bool mail_smtp_configured(void) { return smtp_on; }

void mail_mac(const char *what, char out[33])
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)what, strlen(what), secret,
	                   sizeof secret);
	sodium_bin2hex(out, 33, h, sizeof h);
}

bool mail_mac_ok(const char *what, const char *mac)
{
	char want[33];
	mail_mac(what, want);
	return mac && strlen(mac) == 32 && sodium_memcmp(want, mac, 32) == 0;
}

void mail_row_message_id(int64_t id, char *out, size_t n)
{
	char what[48], mac[33];
	snprintf(what, sizeof what, "message-id:%lld", (long long)id);
	mail_mac(what, mac);
	mac[16] = '\0';
	snprintf(out, n, "<openplan.%lld.%s@%s>", (long long)id, mac, host);
}

int mail_render(const app *ap, const char *tpl, json_t *model, const char *lang, sb *text,
                sb *html)
{
	char name[96];
	snprintf(name, sizeof name, "%s.txt", tpl);
	if (tpl_render(ap->tpl, name, model, lang, text) != 0)
		return -1;
	return tpl_render(ap->tpl, tpl, model, lang, html);
}

store_rc mail_queue(const app *ap, store *s, const mail_out *m)
{
	json_object_set_new(m->model, "base", json_string(base_url));
	json_object_set_new(m->model, "lang", json_string(m->lang));
	json_object_set_new(m->model, "subject", json_string(m->subject));
	sb text, html, msg;
	sb_init(&text);
	sb_init(&html);
	sb_init(&msg);
	store_rc rc = STORE_ERROR;
	unsigned char rnd[16];
	randombytes_buf(rnd, sizeof rnd);
	char hex[33], mid[300];
	sodium_bin2hex(hex, sizeof hex, rnd, sizeof rnd);
	snprintf(mid, sizeof mid, "<openplan.%s@%s>", hex, host);
	mail_head h = { .from_addr = from_addr, .from_name = "openplan", .to_addr = m->to_addr,
		        .to_name = m->to_name, .subject = m->subject, .message_id = mid,
		        .date = (int64_t)time(NULL), .list_id = m->list_id,
		        .unsubscribe = m->unsubscribe, .bulk = m->bulk };
	if (mail_render(ap, m->tpl, m->model, m->lang, &text, &html) != 0 ||
	    mail_compose(&msg, &h, sb_str(&text), sb_str(&html)) != 0)
		goto done;
	mail_row r = { .kind = m->kind, .user_id = m->user_id, .to_addr = m->to_addr,
		       .subject = m->subject, .message = sb_str(&msg) };
	rc = mail_store_insert(s, &r, NULL);
done:
	sb_free(&text);
	sb_free(&html);
	sb_free(&msg);
	return rc;
}

/* ---- start and stop ---- */

static int mail_start(app *ap, char *err, size_t errlen)
{
	const char *b = ap->cfg.base_url;
	if (b && *b)
		snprintf(base_url, sizeof base_url, "%s", b);
	else
		snprintf(base_url, sizeof base_url, "http://%s", ap->cfg.listen ? ap->cfg.listen
		                                                               : "127.0.0.1:8080");
	size_t bl = strlen(base_url);
	while (bl && base_url[bl - 1] == '/')
		base_url[--bl] = '\0';
	/* The host of the base URL names the site in Message-IDs and List-Ids. */
	const char *hs = strstr(base_url, "://");
	hs = hs ? hs + 3 : base_url;
	size_t hl = strcspn(hs, ":/");
	snprintf(host, sizeof host, "%.*s", (int)hl, hs);
	if (!strchr(host, '.') || strspn(host, "0123456789.") == strlen(host))
		snprintf(host, sizeof host, "openplan.localhost");
	if (ap->cfg.mail_from)
		snprintf(from_addr, sizeof from_addr, "%s", ap->cfg.mail_from);
	else
		snprintf(from_addr, sizeof from_addr, "openplan@%s", host);
	if (!mail_addr_valid(from_addr)) {
		snprintf(err, errlen, "--mail-from: '%s' is not an e-mail address this server can send from",
		         from_addr);
		return -1;
	}
	const char *at = strchr(from_addr, '@');
	snprintf(host, sizeof host, "%s", at + 1);
	/* The site's secret: made once, kept in the database. */
	arena a;
	arena_init(&a, 0);
	const char *hexs = NULL;
	store_rc rc = store_meta_get(ap->db, &a, "mail.secret", &hexs);
	if (rc == STORE_NOTFOUND) {
		unsigned char rnd[32];
		char hx[65];
		randombytes_buf(rnd, sizeof rnd);
		sodium_bin2hex(hx, sizeof hx, rnd, sizeof rnd);
		/* Nodes that start together keep the first one made. */
		rc = store_meta_init(ap->db, &a, "mail.secret", hx, &hexs);
	}
	size_t got = 0;
	if (rc != STORE_OK || !hexs ||
	    sodium_hex2bin(secret, sizeof secret, hexs, strlen(hexs), NULL, &got, NULL) != 0 ||
	    got != sizeof secret) {
		arena_free(&a);
		snprintf(err, errlen, "mail: could not read or make the site's secret");
		return -1;
	}
	arena_free(&a);
	smtp_on = ap->cfg.smtp_url != NULL;
	return mail_sender_start(ap, err, errlen);
}

static void mail_stop(app *ap)
{
	(void)ap;
	mail_sender_stop();
}

/* ---- the feature ---- */

static const app_route routes[] = {
	{ HTTP_GET, "/admin/outbox", mail_admin_outbox, ROLE_ADMIN, false, 0 },
	{ HTTP_GET, "/admin/outbox/{id}", mail_admin_message, ROLE_ADMIN, false, 0 },
	{ HTTP_POST, "/admin/outbox/retry", mail_admin_retry, ROLE_ADMIN, false, R_CSRF },
	{ HTTP_POST, "/admin/outbox/digest", mail_admin_digest, ROLE_ADMIN, false, R_CSRF,
	  &mail_digest_form },
};

static const app_flash flashes[] = {
	{ "outbox_retry", "Every waiting message will be tried again now." },
	{ "digest_queued", "The digests are queued." },
};

const app_feature mail_feature = {
	.name = "mail",
	.routes = routes,
	.nroutes = sizeof routes / sizeof *routes,
	.flashes = flashes,
	.nflashes = sizeof flashes / sizeof *flashes,
	.start = mail_start,
	.stop = mail_stop,
};
