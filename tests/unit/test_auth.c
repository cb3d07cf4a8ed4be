/* test_auth.c — src/app/auth.c beyond sessions: the password policy, the
 * sign-in throttle (driven by a fake clock: an attacker cannot lock the
 * owner out, guessing slows down per account, IP and pair), the bounded
 * hashing pool (busy instead of unbounded memory), and CSRF tokens bound
 * to the session (a planted cookie no longer passes). */
#include "unit.h"

#include <pthread.h>
#include <stdatomic.h>
#include <sodium.h>

#include "app/auth.h"

/* ---- password policy ---- */

TEST(policy_refuses_short_blank_common_and_own_words)
{
	assert_non_null(auth_password_problem("short", NULL, NULL));
	assert_non_null(auth_password_problem("          ", NULL, NULL));
	assert_non_null(auth_password_problem(" \t \t \t \t  ", NULL, NULL));
	assert_non_null(auth_password_problem("1234567890", NULL, NULL));
	assert_non_null(auth_password_problem("qwertyuiop", NULL, NULL));
	assert_non_null(auth_password_problem("Password123", NULL, NULL));   /* listed base + digits */
	assert_non_null(auth_password_problem("Welkom2024!!", NULL, NULL));
	assert_non_null(auth_password_problem("wachtwoord", NULL, NULL));
	assert_non_null(auth_password_problem("aaaaaaaaaaaa", NULL, NULL));
	assert_non_null(auth_password_problem("joris.dejong1", "joris.dejong@example.nl", "Joris"));
	assert_non_null(auth_password_problem("Joris de Jong", NULL, "Joris de Jong"));
	/* Good ones pass, also when they merely contain a listed word. */
	assert_null(auth_password_problem("correct horse battery", NULL, NULL));
	assert_null(auth_password_problem("Zonnebloem-Fiets-42", "joris@example.nl", "Joris"));
	assert_null(auth_password_problem("wachtwoord is geheim, echt", NULL, NULL));
	/* The message is a msgid the form shows. */
	assert_string_equal(auth_password_problem("          ", NULL, NULL),
	                    "A password of only spaces is not safe. Choose one with letters, digits or other characters.");
}

/* ---- sign-in throttle ---- */
static int64_t fake_now = 1700000000;
static int64_t fake_clock(void) { return fake_now; }

static int setup_throttle(void **state)
{
	(void)state;
	auth_signin_reset();
	auth_clock_set(fake_clock);
	return 0;
}

static int teardown_throttle(void **state)
{
	(void)state;
	auth_signin_reset();
	auth_clock_set(NULL);
	return 0;
}

TEST(attacker_cannot_lock_the_owner_out)
{
	const char *admin = "admin@example.nl";
	for (int i = 0; i < 5; i++) {
		assert_int_equal(auth_signin_allowed(admin, "203.0.113.66"), 0);
		auth_signin_failed(admin, "203.0.113.66");
		fake_now += 1;
	}
	/* The guessing IP now waits (the pair limit) ... */
	unsigned w = auth_signin_allowed(admin, "203.0.113.66");
	assert_true(w > 60 && w <= 900);
	/* ... but the owner, from an IP without failures, goes ahead. */
	assert_int_equal(auth_signin_allowed("ADMIN@example.nl", "198.51.100.1"), 0);
	auth_signin_succeeded(admin, "198.51.100.1");
	/* After the window the guesser may try again. */
	fake_now += 900;
	assert_int_equal(auth_signin_allowed(admin, "203.0.113.66"), 0);
}

TEST(guessing_from_many_ips_slows_down_per_account)
{
	const char *acc = "organiser@example.nl";
	char ip[32];
	/* Ten IPs, each one wrong guess: each first guess is allowed. */
	for (int i = 0; i < 10; i++) {
		snprintf(ip, sizeof ip, "192.0.2.%d", i + 1);
		assert_int_equal(auth_signin_allowed(acc, ip), 0);
		auth_signin_failed(acc, ip);
	}
	/* A second guess from one of them waits: 2^(10-5) = 32 s since the
	 * account's last failure. */
	unsigned w = auth_signin_allowed(acc, "192.0.2.3");
	assert_int_equal(w, 32);
	fake_now += 32;
	assert_int_equal(auth_signin_allowed(acc, "192.0.2.3"), 0);
	auth_signin_failed(acc, "192.0.2.3");
	/* The delay grows, up to a minute: a slowdown, never a lock. */
	assert_int_equal(auth_signin_allowed(acc, "192.0.2.4"), 60);
	/* A clean IP with the right password still goes ahead. */
	assert_int_equal(auth_signin_allowed(acc, "198.51.100.200"), 0);
}

TEST(one_ip_guessing_many_accounts_is_held_back)
{
	char acc[64];
	for (int i = 0; i < 30; i++) {
		snprintf(acc, sizeof acc, "user%d@example.nl", i);
		assert_int_equal(auth_signin_allowed(acc, "203.0.113.5"), 0);
		auth_signin_failed(acc, "203.0.113.5");
	}
	assert_true(auth_signin_allowed("someone.else@example.nl", "203.0.113.5") > 0);
	/* Another IP is not affected. */
	assert_int_equal(auth_signin_allowed("someone.else@example.nl", "203.0.113.6"), 0);
}

TEST(success_clears_the_pair)
{
	const char *acc = "p@example.nl";
	for (int i = 0; i < 4; i++)
		auth_signin_failed(acc, "198.51.100.9");
	auth_signin_succeeded(acc, "198.51.100.9");
	for (int i = 0; i < 4; i++)
		auth_signin_failed(acc, "198.51.100.9");
	/* Four failures since the success: not the pair limit of five (which
	 * would mean waiting out the window); only the account's slowdown. */
	fake_now += 60;
	assert_int_equal(auth_signin_allowed(acc, "198.51.100.9"), 0);
}

/* ---- the hashing pool ---- */
static char hash_good[128];
static atomic_int busy_seen, ok_seen;

static void *try_verify(void *arg)
{
	(void)arg;
	auth_rc rc = auth_verify_try(hash_good, "correct horse battery");
	atomic_fetch_add(rc == AUTH_BUSY ? &busy_seen : &ok_seen, 1);
	assert_true(rc == AUTH_OK || rc == AUTH_BUSY);
	return NULL;
}

static void *check(void *arg)
{
	(void)arg;
	atomic_fetch_add(&ok_seen, auth_check_password(hash_good, "correct horse battery"));
	return NULL;
}

static long hwm_kb(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long kb = 0;
	while (f && fgets(line, sizeof line, f))
		if (!strncmp(line, "VmHWM:", 6))
			kb = atol(line + 6);
	if (f)
		fclose(f);
	return kb;
}

TEST(hashing_pool_is_bounded_and_says_busy)
{
	assert_int_equal(auth_hash_password("correct horse battery", hash_good), 0);
	assert_int_equal(auth_verify_try(hash_good, "wrong horse battery"), AUTH_WRONG);
	/* Two workers: one may be inside, waiting at most 10 ms. */
	auth_hash_setup(2, 10);
	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		pthread_create(&t[i], NULL, try_verify, NULL);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	assert_true(atomic_load(&busy_seen) >= 1);
	assert_true(atomic_load(&ok_seen) >= 1);
	/* The waiting forms always get their turn, two at a time. */
	auth_hash_setup(8, 2000);
	atomic_store(&ok_seen, 0);
	long before = hwm_kb();
	pthread_t c[12];
	for (int i = 0; i < 12; i++)
		pthread_create(&c[i], NULL, check, NULL);
	for (int i = 0; i < 12; i++)
		pthread_join(c[i], NULL);
	assert_int_equal(atomic_load(&ok_seen), 12);
#ifndef __SANITIZE_ADDRESS__ /* ASan keeps freed memory in quarantine */
	long grew = hwm_kb() - before;
	print_message("12 simultaneous checks: peak memory grew %ld MiB\n", grew / 1024);
	assert_true(grew < 3 * 64 * 1024); /* two hashes of 64 MiB, never twelve */
#else
	(void)before;
#endif
	auth_hash_setup(0, 2000);
}

/* ---- CSRF ---- */
static arena A;

static app_req *req_with(const char *cookie, const char *form_token, const char *session_hash)
{
	http_req *r = arena_calloc(&A, 1, sizeof *r);
	app_req *q = arena_calloc(&A, 1, sizeof *q);
	r->a = &A;
	q->r = r;
	q->a = &A;
	q->session_hash = session_hash;
	if (cookie)
		http_kv_add(&A, &r->cookies, "op_pre", cookie, strlen(cookie));
	if (form_token)
		http_kv_add(&A, &r->form, "_csrf", form_token, strlen(form_token));
	return q;
}

TEST(csrf_token_is_bound_to_the_session)
{
	arena_init(&A, 0);
	const char *pre = "Q2xvdWRzIGFyZSBncmVhdCBidXQgYWxzbyBub3QgYWx3YXlz";   /* pre-session cookie */
	const char *planted = "QXR0YWNrZXIgcGxhbnRlZCB0aGlzIGNvb2tpZSB2YWx1ZQ";
	/* The old double-submit accepted cookie == field: no longer. */
	assert_false(auth_csrf_check(req_with(planted, planted, NULL)));
	/* The right token is the server's HMAC of the binding. */
	char *tok = auth_csrf_token(req_with(pre, NULL, NULL));
	assert_non_null(tok);
	assert_true(strlen(tok) >= 43);
	assert_string_not_equal(tok, pre);
	assert_true(auth_csrf_check(req_with(pre, tok, NULL)));
	/* Not with another cookie, nor once signed in (bound to the session). */
	assert_false(auth_csrf_check(req_with(planted, tok, NULL)));
	const char *session = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
	assert_false(auth_csrf_check(req_with(pre, tok, session)));
	char *stok = auth_csrf_token(req_with(pre, NULL, session));
	assert_true(auth_csrf_check(req_with(NULL, stok, session)));
	/* Same length, one character off: refused. */
	char *bad = arena_strdup(&A, stok);
	bad[5] = bad[5] == 'A' ? 'B' : 'A';
	assert_false(auth_csrf_check(req_with(NULL, bad, session)));
	/* No binding, no token. */
	assert_null(auth_csrf_token(req_with(NULL, NULL, NULL)));
	assert_false(auth_csrf_check(req_with(NULL, "x", NULL)));
	/* A configured key makes tokens stable across processes. */
	auth_csrf_key_set((const unsigned char *)"a server secret", 15);
	char *k1 = auth_csrf_token_for(&A, pre);
	auth_csrf_key_set((const unsigned char *)"a server secret", 15);
	assert_string_equal(k1, auth_csrf_token_for(&A, pre));
	arena_free(&A);
}

int main(void)
{
	if (sodium_init() < 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(policy_refuses_short_blank_common_and_own_words),
		cmocka_unit_test_setup_teardown(attacker_cannot_lock_the_owner_out, setup_throttle, teardown_throttle),
		cmocka_unit_test_setup_teardown(guessing_from_many_ips_slows_down_per_account, setup_throttle, teardown_throttle),
		cmocka_unit_test_setup_teardown(one_ip_guessing_many_accounts_is_held_back, setup_throttle, teardown_throttle),
		cmocka_unit_test_setup_teardown(success_clears_the_pair, setup_throttle, teardown_throttle),
		cmocka_unit_test(hashing_pool_is_bounded_and_says_busy),
		cmocka_unit_test(csrf_token_is_bound_to_the_session),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
