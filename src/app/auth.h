/* auth.h — what auth.c offers beyond app.h: password hashing in a bounded
 * pool with a "busy" answer, the password policy, the sign-in throttle and
 * CSRF tokens bound to the session. Handlers include it where they need it.
 */
#ifndef OPENPLAN_AUTH_H
#define OPENPLAN_AUTH_H

#include "app.h"

/* Password hashing runs in a small bounded pool (at most 2 argon2id hashes
 * of 64 MiB at once). Request handlers use the _try forms: AUTH_BUSY when
 * the pool stays full for a moment (answer 503, "busy, try again"); the
 * others wait as long as it takes (command line, demo). */
typedef enum { AUTH_OK = 0, AUTH_WRONG, AUTH_BUSY, AUTH_NOMEM } auth_rc;
auth_rc auth_hash_try(const char *password, char out[128]);
auth_rc auth_verify_try(const char *hash, const char *password);  /* OK, WRONG or BUSY */
/* (app.h's auth_hash_password and auth_check_password wait their turn in
 * the same pool without a time limit.) */
/* Sizes the pool for `workers` request workers (0 = cores): fewer than all
 * of them may be hashing or waiting; wait_ms is the longest wait. */
void  auth_hash_setup(unsigned workers, unsigned wait_ms);
/* NULL when the password is acceptable, else an English msgid saying why
 * (too short, only spaces, a common password or one with digits added, the
 * user's own name or e-mail address). email and name may be NULL. */
const char *auth_password_problem(const char *pw, const char *email, const char *name);
/* Sign-in throttle (see auth.c): before checking a password, ask; 0 means
 * go ahead, else the seconds to wait (answer 429 with Retry-After). Then
 * report the outcome. account is the e-mail address as typed. */
unsigned auth_signin_allowed(const char *account, const char *ip);
void  auth_signin_failed(const char *account, const char *ip);
void  auth_signin_succeeded(const char *account, const char *ip);
void  auth_signin_reset(void);                      /* forget all (tests) */
void  auth_clock_set(int64_t (*now)(void));         /* tests: a fake clock; NULL = time() */
/* CSRF token bound to the session (signed in) or to the pre-session cookie
 * op_csrf (signed out); NULL when neither exists yet. */
char *auth_csrf_token(app_req *q);
/* Makes sure the visitor has a binding (the op_pre cookie when signed
 * out) and sets q->csrf to the token forms must carry; the op_csrf cookie
 * mirrors it for clients that read it (it is never trusted). */
void  auth_csrf_ensure(app_req *q);
/* q->csrf becomes token, mirrored in the op_csrf cookie. */
void  auth_csrf_publish(app_req *q, const char *token);
bool  auth_csrf_check(app_req *q);                  /* the posted token, in constant time */
char *auth_csrf_token_for(arena *a, const char *binding);
void  auth_csrf_key_set(const unsigned char *key, size_t len);

#endif
