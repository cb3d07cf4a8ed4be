#!/usr/bin/env node
// HTTP end-to-end tests for openplan.
//   node tests/e2e/foundation.mjs PATH/TO/openplan
// Creates temporary databases, starts the server twice (normal IP limit and
// OPENPLAN_IP_LIMIT=3), runs every test, stops the servers with SIGTERM and
// fails when a server exits non-zero or its stderr shows a sanitizer report.
// Ends with exactly one line: "N passed, N failed".
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
	setBinary, baseEnv, SAN_RE, sanitizerReports, cli, mustCli, Server, Client, raw,
	esc, has, hasNot, fieldError, inputValue, statusIs,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-e2e-'));
const DB = path.join(TMP, 'main.db');         // init + users + demo plan
const DB_LIMIT = path.join(TMP, 'limit.db');  // init + one user, no plan
const DB_DEMO = path.join(TMP, 'demo.db');    // demo loaded twice (CLI test)

const PW = 'correct horse battery';
const ORGANISER = { email: 'organiser@e2e.example', name: 'Olga Organiser', password: PW };
const ADMIN = { email: 'admin@e2e.example', name: 'Ada Admin', password: PW };
const LOCKED = { email: 'locked@e2e.example', name: 'Lotte Locked', password: PW };
const ROLEUSER = { email: 'roleuser@e2e.example', name: 'Roel Role', password: PW };
const DEMO_TITLE = 'Actieplan Open Overheid 2020–2022';
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/;

// ---------- test state ----------

let S;       // main server
let SL;      // server with OPENPLAN_IP_LIMIT=3
const anon = () => new Client(S.base, { lang: 'en' });
let org, adm, participant; // signed-in clients
const PARTICIPANT = { email: `p${Date.now()}@e2e.example`, name: 'Pim Participant', password: PW };

// ---------- tests ----------

async function cli_help_and_usage() {
	for (const args of [['--help'], ['init', '--help'], ['demo', '--help'], ['serve', '--help'],
		['user', '--help'], ['user', 'add', '--help'], ['user', 'passwd', '--help']]) {
		const r = cli(args);
		assert.equal(r.code, 0, `openplan ${args.join(' ')} exit code`);
		assert.match(r.stdout, /^usage: openplan/, `openplan ${args.join(' ')} prints usage on stdout`);
	}
	for (const args of [[], ['frobnicate'], ['init', '--bogus'], ['demo', 'extra'], ['init', '--db'],
		['serve', '--listen', 'nonsense'], ['serve', '--threads', '0'], ['user'], ['user', 'frob'],
		['user', 'add', '--db', DB_DEMO, '--email', 'x@y.nl'],
		['user', 'add', '--db', DB_DEMO, '--email', 'x@y.nl', '--name', 'X', '--role', 'king']]) {
		const r = cli(args);
		assert.equal(r.code, 2, `openplan ${args.join(' ')} exit code`);
		assert.match(r.stderr, /usage: openplan/, `openplan ${args.join(' ')} prints usage on stderr`);
		assert.equal(r.stdout, '', `openplan ${args.join(' ')} prints nothing on stdout`);
	}
}

async function cli_init_bad_path() {
	const r = cli(['init', '--db', '/nonexistent-dir/x.db']);
	assert.equal(r.code, 1, 'exit code');
	const lines = r.stderr.split('\n').filter(Boolean);
	assert.equal(lines.length, 1, `one line on stderr, got: ${JSON.stringify(r.stderr)}`);
	assert.match(lines[0], /^openplan: .*\/nonexistent-dir\/x\.db/);
}

async function cli_demo_twice() {
	const a = cli(['demo', '--db', DB_DEMO]);
	assert.equal(a.code, 0, `first demo: ${a.stderr}`);
	has(a.stdout, 'demo plan loaded');
	const b = cli(['demo', '--db', DB_DEMO]);
	assert.equal(b.code, 1, 'second demo exit code');
	has(b.stderr, 'already loaded', 'stderr');
	has(b.stderr, 'nothing was changed', 'stderr');
}

async function cli_user_add() {
	const short = cli(['user', 'add', '--db', DB_DEMO, '--email', 'short@e2e.example', '--name', 'S', '--role', 'participant'], 'short\n');
	assert.equal(short.code, 2, 'short password exit code');
	has(short.stderr, 'at least 10 characters', 'stderr');
	const empty = cli(['user', 'add', '--db', DB_DEMO, '--email', 'short@e2e.example', '--name', 'S', '--role', 'participant'], '');
	assert.equal(empty.code, 2, 'no password exit code');
	const ok = cli(['user', 'add', '--db', DB_DEMO, '--email', 'Dup@E2E.example', '--name', 'D', '--role', 'participant'], PW + '\n');
	assert.equal(ok.code, 0, `user add: ${ok.stderr}`);
	has(ok.stdout, 'added dup@e2e.example (participant)');
	const dup = cli(['user', 'add', '--db', DB_DEMO, '--email', 'dup@e2e.example', '--name', 'D', '--role', 'participant'], PW + '\n');
	assert.equal(dup.code, 1, 'duplicate user exit code');
	has(dup.stderr, 'already a user');
	const pw = cli(['user', 'passwd', '--db', DB_DEMO, '--email', 'nobody@e2e.example'], PW + '\n');
	assert.equal(pw.code, 1, 'passwd of unknown user exit code');
}

async function home_page() {
	const c = new Client(S.base);
	const r = await c.get('/');
	statusIs(r, 200);
	assert.match(r.headers.get('content-type'), /^text\/html; charset=utf-8/);
	has(r.text, '<html lang="nl">');
	has(r.text, `<h1 class="nl-heading nl-heading--level-1">${DEMO_TITLE}</h1>`);
	has(r.text, `<title>${DEMO_TITLE} · openplan</title>`);
	// Phases as steps, the current one marked.
	const steps = [...r.text.matchAll(/<li class="op-step op-step--(\w+)"( aria-current="step")?>\s*<span class="op-step__name">(\d+)\. ([^<]*)</g)];
	assert.equal(steps.length, 6, 'six phases');
	const cur = steps.filter(s => s[2]);
	assert.equal(cur.length, 1, 'exactly one aria-current="step"');
	assert.equal(cur[0][4], 'Uitvoeren');
	assert.equal(cur[0][1], 'current');
	assert.deepEqual(steps.map(s => s[1]), ['done', 'done', 'done', 'done', 'current', 'upcoming']);
	// Each theme card leads to the theme's page (issue 16).
	const cards = [...r.text.matchAll(/<li class="op-card op-theme-card"><h3 class="nl-heading nl-heading--level-3"><a class="nl-link op-card__link" href="\/themes\/(\d+)">([^<]*)</g)];
	assert.deepEqual(cards.map(m => m[2]), ['Open Democratie', 'Open Informatie', 'Open Communicatie', 'Open Technologie',
		'Open Organisatie', 'Open Inkoop', 'Open Justice']);
	for (const [, id, name] of cards)
		has((await c.get(`/themes/${id}`)).text, `<h1 class="nl-heading nl-heading--level-1">${name}</h1>`, `theme page ${id}`);
	has(r.text, '<time datetime="2020-08-01">1 augustus 2020</time>');
	// Security headers.
	const csp = r.headers.get('content-security-policy') || '';
	has(csp, "frame-ancestors 'none'", 'CSP');
	hasNot(csp, 'unsafe-inline', 'CSP');
	hasNot(csp, 'unsafe-eval', 'CSP');
	assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
	assert.ok(r.headers.get('referrer-policy'), 'Referrer-Policy present');
	assert.equal(r.headers.get('x-frame-options'), 'DENY');
	has(r.headers.get('cache-control') || '', 'no-store', 'Cache-Control of a page');
	// No inline scripts or styles, which the CSP would block anyway.
	assert.doesNotMatch(r.text, /<script|style="/);
	// The stylesheet.
	const m = r.text.match(/<link rel="stylesheet" href="(\/static\/app-[0-9a-f]{16}\.css)">/);
	assert.ok(m, 'stylesheet link /static/app-<hex>.css');
	const css = await c.get(m[1]);
	statusIs(css, 200, 'css');
	assert.match(css.headers.get('content-type'), /^text\/css/);
	has(css.headers.get('cache-control') || '', 'immutable', 'css Cache-Control');
	assert.ok(css.text.length > 1000, 'stylesheet has content');
	const head = await c.req('HEAD', m[1]);
	statusIs(head, 200, 'HEAD css');
	const stale = await c.get('/static/app-0000000000000000.css');
	statusIs(stale, 404, 'unknown stylesheet');
}

// A public page is cached per role; each signed-in person still gets their
// own header (name, sign-out form with their token), and a role's page never
// leaks into another role's (the organiser's edit link).
async function cached_page_keeps_the_personal_header() {
	const a = await anon().get('/');
	hasNot(a.text, 'Edit the plan');
	const o1 = await org.get('/'), o2 = await org.get('/');
	has(o1.text, `Your account (${ORGANISER.name})`);
	has(o2.text, 'Edit the plan', 'organiser, from the cache');
	has(o2.text, `name="_csrf" value="${org.jar.get('op_csrf')}"`, 'own token in the sign-out form');
	hasNot(o2.text, '<!--op:me-->');
	const ad = await adm.get('/');
	has(ad.text, `Your account (${ADMIN.name})`, 'another person of another role');
	const p1 = await participant.get('/'), p2 = await participant.get('/');
	has(p2.text, `Your account (${PARTICIPANT.name})`);
	hasNot(p2.text, 'Edit the plan', 'participant after the organiser filled the cache');
	hasNot(p1.text, ORGANISER.name);
	hasNot(p2.text, 'op_csrf');
	// A change shows at once, for every role.
	const name = `Cachethema ${Date.now()}`;
	statusIs(await org.postc('/plans/1/themes', { name, description: '' }), 303, 'add a theme');
	has((await participant.get('/')).text, name, 'participant sees the new theme');
	has((await org.get('/')).text, name, 'organiser sees the new theme');
	const th = (await org.get('/api/v1/plan')).json().plan.themes.find(t => t.name === name);
	statusIs(await org.postc(`/plans/1/themes/${th.id}/delete`, {}), 303, 'remove it again');
}

async function empty_site_says_no_plan() {
	const c = new Client(SL.base, { lang: 'en', https: true });
	const r = await c.get('/');
	statusIs(r, 200);
	has(r.text, 'No plan yet');
	const j = await c.get('/api/v1/plan');
	statusIs(j, 200);
	assert.equal(j.json().plan, null);
	const p = await c.get('/plans/1');
	statusIs(p, 404, '/plans/1 on an empty site');
}

async function json_plan() {
	const c = anon();
	const a = await c.get('/api/v1/plan');
	statusIs(a, 200);
	assert.match(a.headers.get('content-type'), /^application\/json/);
	const b = await c.get('/', { json: true });
	statusIs(b, 200);
	assert.match(b.headers.get('content-type'), /^application\/json/);
	const pa = a.json().plan, pb = b.json().plan;
	assert.deepEqual(pa, pb, 'same plan object');
	assert.equal(pa.id, 1);
	assert.equal(pa.title, DEMO_TITLE);
	assert.equal(pa.status, 'implementation');
	assert.equal(pa.period_start, '2020-08-01');
	assert.equal(pa.phases.length, 6);
	// The API gives each phase's state as a code (done, current, upcoming), not
	// the page's flags.
	assert.equal(pa.phases.filter(p => p.state === 'current').length, 1);
	assert.equal(pa.phases.find(p => p.state === 'current').name, 'Uitvoeren');
	assert.equal(pa.current_phase_id, pa.phases.find(p => p.state === 'current').id, 'chosen by the organiser');
	for (const k of ['status_label', 'period_start_label']) assert.ok(!(k in pa), `no view field ${k}`);
	assert.equal(pa.themes.length, 7);
	assert.equal(pa.themes[0].name, 'Open Democratie');
	const c2 = await c.get('/api/v1/plans/1');
	assert.deepEqual(c2.json().plan, pa, '/api/v1/plans/1 is the same plan');
	// Accept order: text/html first wins.
	const h = await c.get('/', { headers: { Accept: 'text/html, application/json' } });
	assert.match(h.headers.get('content-type'), /^text\/html/);
	for (const t of [a.text, b.text]) assert.doesNotMatch(t, EMAIL_RE, 'no e-mail addresses in JSON');
	const o = await c.get('/api/v1/organisations');
	statusIs(o, 200);
	assert.doesNotMatch(o.text, EMAIL_RE);
	const orgs = o.json().organisations;
	assert.equal(orgs.length >= 7, true, 'demo organisations listed');
	const one = await c.get(`/api/v1/organisations/${orgs[0].id}`);
	statusIs(one, 200);
	assert.doesNotMatch(one.text, EMAIL_RE);
	const nf = await c.get('/api/v1/plans/999');
	statusIs(nf, 404);
	assert.equal(nf.json().error.status, 404);
}

// The link of the newest message of `kind` to `email` in the outbox (this
// server has no mail server: mail waits there and admins read it).
async function outboxLink(email, kind, part) {
	const list = (await adm.get('/admin/outbox', { json: true })).json().messages;
	const row = list.find(m => m.to === email && m.kind === kind);
	assert.ok(row, `a ${kind} message to ${email} in the outbox`);
	const msg = (await adm.get(`/admin/outbox/${row.id}`, { json: true })).json().message;
	const m = msg.text.match(new RegExp(`https?://\\S+?(${part}\\S*)`));
	assert.ok(m, `a ${part} link in the message`);
	return m[1];
}

async function signup_account_signout() {
	const c = anon();
	await c.csrf('/signup');
	const r0 = await c.postc('/signup', { name: PARTICIPANT.name, email: PARTICIPANT.email, password: PARTICIPANT.password });
	statusIs(r0, 303, 'sign up');
	assert.equal(r0.location, '/signup/sent');
	assert.ok(!r0.setCookies.some(s => s.startsWith('op_session=')), 'no session before the address is confirmed');
	has((await c.get('/signup/sent')).text, 'Check your e-mail');
	// The link in the confirmation mail signs in.
	const link = await outboxLink(PARTICIPANT.email, 'account.confirm', '/confirm/');
	const r = await c.postc(link, {});
	statusIs(r, 303, 'confirm');
	assert.equal(r.location, '/');
	const sc = r.setCookies.find(s => s.startsWith('op_session='));
	assert.ok(sc, 'op_session cookie set');
	has(sc, 'HttpOnly', 'op_session cookie');
	has(sc, 'SameSite=Lax', 'op_session cookie');
	has(sc, 'Path=/', 'op_session cookie');
	const home = await c.get('/');
	has(home.text, 'Your e-mail address is confirmed. Welcome: you are signed in.', 'flash');
	const acc = await c.get('/account');
	statusIs(acc, 200, '/account');
	has(acc.text, PARTICIPANT.name);
	has(acc.text, PARTICIPANT.email);
	// Same e-mail again: the same answer as for a new address (nothing tells
	// that the address has an account), and its owner gets a mail instead.
	const d = anon();
	await d.csrf('/signup');
	const dup = await d.postc('/signup', { name: 'Other', email: PARTICIPANT.email.toUpperCase(), password: PW });
	statusIs(dup, 303, 'duplicate sign up');
	assert.equal(dup.location, '/signup/sent');
	assert.ok(!d.jar.has('op_session'));
	await outboxLink(PARTICIPANT.email, 'account.exists', '/password/forgot');
	// Sign-up form checks.
	const bad = await d.postc('/signup', { name: '', email: 'not-an-email', password: 'short' });
	statusIs(bad, 422, 'bad sign up');
	assert.equal(fieldError(bad.text, 'name'), 'Fill in this field.');
	assert.equal(fieldError(bad.text, 'email'), 'Fill in an e-mail address, like name@example.nl.');
	assert.equal(fieldError(bad.text, 'password'), 'Choose a password of at least 10 characters.');
	assert.equal(inputValue(bad.text, 'email'), 'not-an-email');
	// Sign out.
	const so = await c.postc('/signout', {});
	statusIs(so, 303, 'sign out');
	assert.equal(so.location, '/');
	assert.ok(!c.jar.has('op_session'), 'session cookie cleared');
	const after = await c.get('/account');
	statusIs(after, 303, '/account after sign out');
	assert.equal(after.location, '/signin?next=%2Faccount');
	// The old session token no longer works even when replayed.
	const replay = new Client(S.base);
	replay.jar.set('op_session', sc.split(';')[0].split('=')[1]);
	const rr = await replay.get('/account');
	statusIs(rr, 303, 'replayed signed-out session');
	// Keep a signed-in participant for later tests; next= is followed.
	participant = anon();
	await participant.csrf('/signin?next=%2Faccount');
	const si = await participant.postc('/signin', { email: PARTICIPANT.email, password: PW, next: '/account' });
	statusIs(si, 303, 'sign in');
	assert.equal(si.location, '/account');
}

async function signin_wrong_password_no_enumeration() {
	const c = anon();
	const a = await c.signin(ORGANISER.email, 'wrong password!!', 422);
	assert.equal(fieldError(a.text, 'password'), 'The e-mail address or the password is not right.');
	assert.equal(inputValue(a.text, 'email'), ORGANISER.email, 'e-mail kept');
	hasNot(a.text, 'wrong password!!', 'password is never re-shown');
	const b = await c.signin('nobody-here@e2e.example', 'wrong password!!', 422);
	assert.equal(fieldError(b.text, 'password'), 'The e-mail address or the password is not right.');
	const strip = t => t.replace(/value="[^"]*"/g, '');
	assert.equal(strip(a.text), strip(b.text), 'same page for unknown e-mail and wrong password');
	const empty = await c.postc('/signin', { email: '', password: '' });
	statusIs(empty, 422);
	assert.equal(fieldError(empty.text, 'email'), 'Fill in this field.');
	// Only local next= targets.
	const ev = await c.postc('/signin', { email: ORGANISER.email, password: PW, next: '//evil.example/' });
	statusIs(ev, 303);
	assert.equal(ev.location, '/');
	org = c; // signed in as organiser now
}

async function change_password() {
	const u = { email: `pw${Date.now()}@e2e.example`, password: PW };
	mustCli(['user', 'add', '--db', DB, '--email', u.email, '--name', 'Pia Password', '--role', 'participant'], PW + '\n');
	const a = anon(), b = anon();
	await a.signin(u.email, PW);
	await b.signin(u.email, PW);
	const wrong = await a.postc('/account/password', { current_password: 'not my password', new_password: 'a new password 1' });
	statusIs(wrong, 422, 'wrong current password');
	assert.equal(fieldError(wrong.text, 'current_password'), 'This is not your current password.');
	const short = await a.postc('/account/password', { current_password: PW, new_password: 'short' });
	statusIs(short, 422, 'short new password');
	assert.equal(fieldError(short.text, 'new_password'), 'Choose a password of at least 10 characters.');
	const NEW = 'a brand new password';
	const ok = await a.postc('/account/password', { current_password: PW, new_password: NEW });
	statusIs(ok, 303, 'change password');
	assert.equal(ok.location, '/account');
	const acc = await a.get('/account');
	statusIs(acc, 200, 'this session stays signed in');
	has(acc.text, 'Your password is changed. Other sessions are signed out.');
	const other = await b.get('/account');
	statusIs(other, 303, 'other session signed out');
	const c = anon();
	const old = await c.signin(u.email, PW, 422);
	assert.equal(fieldError(old.text, 'password'), 'The e-mail address or the password is not right.');
	await c.signin(u.email, NEW, 303);
}

// Guessing an account's password is slowed down, but the owner is never
// locked out: a right password from an address without failures gets in,
// even while someone elsewhere guesses (issue 17; before, five wrong
// passwords locked the account for everyone for 15 minutes).
async function account_lockout() {
	const from = ip => ({ 'X-Forwarded-For': ip });
	const attacker = anon();
	await attacker.csrf('/signin');
	for (let i = 1; i <= 5; i++) {
		const r = await attacker.postc('/signin', { email: LOCKED.email, password: `wrong password ${i}` }, { headers: from('203.0.113.5') });
		statusIs(r, 422, `failed attempt ${i}`);
	}
	// The guesser is held back, even with the right password, and told how long.
	const r = await attacker.postc('/signin', { email: LOCKED.email, password: LOCKED.password }, { headers: from('203.0.113.5') });
	statusIs(r, 429, '6th attempt from the guessing address');
	has(r.text, 'Too many attempts. Wait a quarter of an hour and try again.');
	assert.ok(Number(r.headers.get('retry-after')) > 0, 'Retry-After');
	// Also in other letter case from the same address.
	const r2 = await attacker.postc('/signin', { email: LOCKED.email.toUpperCase(), password: LOCKED.password }, { headers: from('203.0.113.5') });
	statusIs(r2, 429, 'same address, other case');
	// The owner, from their own address, signs in at once.
	const owner = anon();
	await owner.csrf('/signin');
	const o = await owner.postc('/signin', { email: LOCKED.email, password: LOCKED.password }, { headers: from('198.51.100.7') });
	statusIs(o, 303, 'the owner from another address');
	// A wrong guess from yet another address is slowed down (the account has
	// many failures), not refused for good.
	const third = anon();
	await third.csrf('/signin');
	const t = await third.postc('/signin', { email: LOCKED.email, password: 'nog een gok 123' }, { headers: from('192.0.2.9') });
	statusIs(t, 422, 'first guess from a new address');
	const t2 = await third.postc('/signin', { email: LOCKED.email, password: 'nog een gok 456' }, { headers: from('192.0.2.9') });
	statusIs(t2, 429, 'the next one waits');
	assert.ok(Number(t2.headers.get('retry-after')) <= 60, 'a short wait, not a lock');
	// Other accounts are not affected.
	const e = anon();
	await e.signin(ROLEUSER.email, ROLEUSER.password, 303);
}

// The password policy: length is not enough (issue 17).
async function password_policy() {
	const c = anon();
	await c.csrf('/signup');
	const tries = [
		['1234567890', 'This password is on the list of passwords that are tried first. Choose another one.'],
		['          ', 'A password of only spaces is not safe. Choose one with letters, digits or other characters.'],
		['wachtwoord2024', 'This password is on the list of passwords that are tried first. Choose another one.'],
		['short', 'Choose a password of at least 10 characters.'],
	];
	for (const [pw, msg] of tries) {
		const r = await c.postc('/signup', { name: 'Paula Policy', email: 'paula@e2e.example', password: pw });
		statusIs(r, 422, `password ${JSON.stringify(pw)}`);
		assert.equal(fieldError(r.text, 'password'), msg, JSON.stringify(pw));
	}
	const own = await c.postc('/signup', { name: 'Paula Policy', email: 'paulapolicy@e2e.example', password: 'paulapolicy1' });
	assert.equal(fieldError(own.text, 'password'), 'Your password may not be (mostly) your name or e-mail address.');
	// Changing a password follows the same rules.
	const ch = await participant.postc('/account/password', { current_password: PARTICIPANT.password, new_password: '1234567890' });
	statusIs(ch, 422, 'change to a common password');
	assert.equal(fieldError(ch.text, 'new_password'), 'This password is on the list of passwords that are tried first. Choose another one.');
}

async function ip_limit() {
	const c = new Client(SL.base, { lang: 'en', https: true });
	await c.csrf('/signin');
	for (let i = 1; i <= 3; i++) {
		const r = await c.postc('/signin', { email: `x${i}@e2e.example`, password: 'wrong password' });
		statusIs(r, 422, `attempt ${i}`);
	}
	const r = await c.postc('/signin', { email: 'x4@e2e.example', password: 'wrong password' });
	statusIs(r, 429, '4th sign-in from one IP');
	has(r.text, 'Too many attempts. Wait a quarter of an hour and try again.');
	const j = await c.postc('/signin', { email: 'x5@e2e.example', password: 'wrong password' }, { json: true });
	statusIs(j, 429, 'JSON');
	assert.equal(j.json().error.message, 'Too many attempts. Wait a quarter of an hour and try again.');
	// Viewing pages is not limited.
	statusIs(await c.get('/signin'), 200, 'GET /signin');
	// Sign-up has its own count per IP: three tries (invalid ones count too), then 429.
	await c.csrf('/signup');
	for (let i = 1; i <= 3; i++)
		statusIs(await c.postc('/signup', { name: '', email: 'bad', password: 'x' }), 422, `sign-up attempt ${i}`);
	const su = await c.postc('/signup', { name: 'Late', email: 'late@e2e.example', password: PW });
	statusIs(su, 429, '4th sign-up from one IP');
	has(su.text, 'Too many attempts. Wait a quarter of an hour and try again.');
}

// Over HTTPS cookies are Secure and __Host- prefixed (no sibling subdomain
// can plant them; an unprefixed one is ignored) and pages send HSTS.
async function https_base_url_sets_secure_cookies() {
	const c = new Client(SL.base);
	const r = await c.get('/signin');
	const sc = r.setCookies.find(s => s.startsWith('__Host-op_csrf='));
	assert.ok(sc, '__Host-op_csrf set');
	assert.match(sc, /; Path=\/; .*HttpOnly; SameSite=Lax; Secure$/);
	assert.ok(!r.setCookies.some(s => s.startsWith('op_csrf=')), 'no unprefixed cookie');
	assert.match(r.headers.get('strict-transport-security') || '', /^max-age=31536000/);
	const l = await c.get('/lang/en?next=/');
	assert.match(l.setCookies.find(s => s.startsWith('__Host-op_lang=')), /; Secure/);
	// An unprefixed language cookie (planted) is ignored over HTTPS.
	const planted = new Client(SL.base);
	planted.jar.set('op_lang', 'en');
	has((await planted.get('/signin')).text, '<html lang="nl">', 'planted cookie ignored');
	const m = await new Client(S.base).get('/signin');
	const plain = m.setCookies.find(s => s.startsWith('op_csrf='));
	assert.ok(plain && !/Secure/.test(plain), 'plain HTTP server: no Secure flag');
	assert.equal(m.headers.get('strict-transport-security'), null, 'no HSTS without --https');
}

function planForm(p, over = {}) {
	return {
		title: p.title, description: p.description, period_start: p.period_start, period_end: p.period_end,
		status: p.status, current_phase: String(p.current_phase_id ?? ''), ...over,
	};
}
async function getPlan(c = org) {
	const r = await c.get('/api/v1/plans/1');
	statusIs(r, 200, 'plan JSON');
	return r.json().plan;
}

async function plan_edit_valid() {
	const p = await getPlan();
	const page = await org.get('/plans/1/edit');
	statusIs(page, 200, 'edit page');
	assert.equal(inputValue(page.text, 'plan-title'), esc(p.title));
	const home0 = await org.get('/');
	has(home0.text, 'href="/plans/1/edit"', 'organiser sees the edit link');
	const r = await org.postc('/plans/1/edit', planForm(p, { description: 'Bijgewerkt door de e2e-test.', status: 'evaluation' }));
	statusIs(r, 303, 'save plan');
	assert.equal(r.location, '/plans/1/edit');
	const home = await org.get('/');
	has(home.text, 'Bijgewerkt door de e2e-test.');
	has(home.text, '<span class="utrecht-badge-status">Evaluation</span>');
	const q = await getPlan();
	assert.equal(q.status, 'evaluation');
	const back = await org.postc('/plans/1/edit', planForm(p));
	statusIs(back, 303, 'restore plan');
	assert.deepEqual(await getPlan(), p, 'plan restored');
	// Anonymous visitors see no edit link.
	hasNot((await anon().get('/')).text, '/plans/1/edit');
}

async function plan_edit_invalid() {
	const p = await getPlan();
	const cases = [
		[{ title: '', description: 'kept description' }, 'plan-title', 'Fill in this field.'],
		[{ period_start: '2022-01-01', period_end: '2021-12-31' }, 'plan-period_end', 'The end date must be on or after the start date.'],
		[{ period_start: '2020-02-30' }, 'plan-period_start', 'Fill in a date that exists, like 2020-09-01.'],
		[{ period_end: 'next year' }, 'plan-period_end', 'Fill in a date that exists, like 2020-09-01.'],
		[{ status: 'abandoned' }, 'plan-status', 'Choose one of the options.'],
		[{ current_phase: '999999' }, 'plan-current_phase', 'Choose one of the options.'],
		[{ title: 'x'.repeat(201) }, 'plan-title', 'Use at most 200 characters; now there are 201.'],
		[{ title: 'é'.repeat(201) }, 'plan-title', 'Use at most 200 characters; now there are 201.'],
	];
	for (const [over, field, msg] of cases) {
		const f = planForm(p, { title: 'Changed title that must not be saved', ...over });
		const r = await org.postc('/plans/1/edit', f);
		const what = JSON.stringify(over).slice(0, 60);
		statusIs(r, 422, what);
		assert.equal(fieldError(r.text, field), msg, `${what}: message at ${field}`);
		has(r.text, 'aria-invalid="true" aria-describedby="' + field + '-error"', what);
		has(r.text, 'Not everything is filled in correctly. Look at the messages at the fields.', what);
		// The values entered are shown again.
		assert.equal(inputValue(r.text, 'plan-title'), esc(f.title), `${what}: title kept`);
		assert.equal(inputValue(r.text, 'plan-period_start'), esc(f.period_start), `${what}: start kept`);
		assert.equal(inputValue(r.text, 'plan-period_end'), esc(f.period_end), `${what}: end kept`);
		has(r.text, `>${esc(f.description)}</textarea>`, `${what}: description kept`);
	}
	assert.deepEqual(await getPlan(), p, 'nothing was saved');
	// 200 characters is fine (and multi-byte characters count as one).
	const ok = await org.postc('/plans/1/edit', planForm(p, { title: 'é'.repeat(200) }));
	statusIs(ok, 303, '200 characters');
	assert.equal((await getPlan()).title, 'é'.repeat(200));
	statusIs(await org.postc('/plans/1/edit', planForm(p)), 303, 'restore');
	// Unknown plan.
	statusIs(await org.get('/plans/999/edit'), 404, 'unknown plan');
	statusIs(await org.postc('/plans/abc/edit', planForm(p)), 404, 'non-numeric plan id');
}

async function plan_phases() {
	const p0 = await getPlan();
	const add = await org.postc('/plans/1/phases', { name: 'E2E fase', starts_on: '2023-07-01', ends_on: '2023-08-01' });
	statusIs(add, 303, 'add phase');
	assert.equal(add.location, '/plans/1/edit');
	let p = await getPlan();
	assert.equal(p.phases.length, p0.phases.length + 1);
	const ph = p.phases.at(-1);
	assert.equal(ph.name, 'E2E fase');
	assert.equal(ph.starts_on, '2023-07-01');
	has((await org.get('/')).text, 'E2E fase');
	// Invalid phase: end before start.
	const bad = await org.postc('/plans/1/phases', { name: 'Kapot', starts_on: '2023-07-02', ends_on: '2023-07-01' });
	statusIs(bad, 422, 'bad phase');
	assert.equal(fieldError(bad.text, 'new-phase-ends_on'), 'The end date must be on or after the start date.');
	assert.equal(inputValue(bad.text, 'new-phase-name'), 'Kapot');
	const badUpd = await org.postc(`/plans/1/phases/${ph.id}`, { name: '', starts_on: '', ends_on: '' });
	statusIs(badUpd, 422, 'bad phase update');
	assert.equal(fieldError(badUpd.text, `phase-${ph.id}-name`), 'Fill in this field.');
	// Rename.
	statusIs(await org.postc(`/plans/1/phases/${ph.id}`, { name: 'E2E fase hernoemd', starts_on: '2023-07-01', ends_on: '2023-08-01' }), 303, 'update phase');
	// Move up.
	const mv = await org.postc(`/plans/1/phases/${ph.id}/move`, { direction: 'up' });
	statusIs(mv, 303, 'move up');
	p = await getPlan();
	assert.equal(p.phases.at(-2).id, ph.id, 'moved one place up');
	assert.equal(p.phases.at(-2).name, 'E2E fase hernoemd');
	assert.equal(p.phases.at(-2).position, p.phases.length - 1);
	const badDir = await org.postc(`/plans/1/phases/${ph.id}/move`, { direction: 'sideways' });
	statusIs(badDir, 400, 'bad direction');
	has(badDir.text, 'Choose whether to move the phase up or down.');
	statusIs(await org.postc(`/plans/1/phases/${ph.id}/move`, { direction: 'down' }), 303, 'move down');
	assert.equal((await getPlan()).phases.at(-1).id, ph.id, 'moved back down');
	// Delete.
	const del = await org.postc(`/plans/1/phases/${ph.id}/delete`, {});
	statusIs(del, 303, 'delete phase');
	assert.deepEqual(await getPlan(), p0, 'back to the original plan');
	statusIs(await org.postc(`/plans/1/phases/${ph.id}/delete`, {}), 404, 'delete again');
}

async function plan_themes() {
	const p0 = await getPlan();
	const add = await org.postc('/plans/1/themes', { name: 'Open E2E', description: 'Een thema van de test.' });
	statusIs(add, 303, 'add theme');
	let p = await getPlan();
	const th = p.themes.find(t => t.name === 'Open E2E');
	assert.ok(th, 'theme added');
	has((await org.get('/')).text, 'Een thema van de test.');
	const dup = await org.postc('/plans/1/themes', { name: 'Open Democratie', description: 'dubbel' });
	statusIs(dup, 422, 'duplicate theme');
	assert.equal(fieldError(dup.text, 'new-theme-name'), 'This plan already has a theme with this name.');
	assert.equal(inputValue(dup.text, 'new-theme-name'), 'Open Democratie');
	has(dup.text, '>dubbel</textarea>');
	const dupUpd = await org.postc(`/plans/1/themes/${th.id}`, { name: 'Open Justice', description: '' });
	statusIs(dupUpd, 422, 'rename to a duplicate');
	assert.equal(fieldError(dupUpd.text, `theme-${th.id}-name`), 'This plan already has a theme with this name.');
	const long = await org.postc('/plans/1/themes', { name: 'n'.repeat(81) });
	statusIs(long, 422, 'long theme name');
	assert.equal(fieldError(long.text, 'new-theme-name'), 'Use at most 80 characters; now there are 81.');
	const del = await org.postc(`/plans/1/themes/${th.id}/delete`, {});
	statusIs(del, 303, 'delete theme');
	assert.deepEqual(await getPlan(), p0, 'back to the original plan');
}

async function control_characters_refused() {
	const p0 = await getPlan();
	const r = await org.postc('/plans/1/themes', { name: 'Open\u0001Stuur', description: 'regel 1\nregel 2' });
	statusIs(r, 422, 'control character in a one-line field');
	assert.equal(fieldError(r.text, 'new-theme-name'), 'Remove the invisible control characters from this field.');
	const d = await org.postc('/plans/1/themes', { name: 'Open Stuur', description: 'tab\there\u000bmidden' });
	statusIs(d, 422, 'vertical tab in a text area');
	assert.equal(fieldError(d.text, 'new-theme-description'), 'Remove the invisible control characters from this field.');
	assert.deepEqual(await getPlan(), p0, 'nothing saved');
}

async function phase_dates() {
	const p0 = await getPlan();
	// Leap days: 2024-02-29 and 2000-02-29 exist, 2100-02-29 does not.
	const leap = await org.postc('/plans/1/phases', { name: 'Schrikkel', starts_on: '2000-02-29', ends_on: '2024-02-29' });
	statusIs(leap, 303, 'leap days');
	const bad = await org.postc('/plans/1/phases', { name: 'Geen schrikkel', starts_on: '2024-02-29', ends_on: '2100-02-29' });
	statusIs(bad, 422, '2100-02-29');
	assert.equal(fieldError(bad.text, 'new-phase-ends_on'), 'Fill in a date that exists, like 2020-09-01.');
	for (const d of ['2023-13-01', '2023-00-10', '2023-04-31', '23-04-01', '2023-4-1', '2023/04/01', '01-04-2023', '2023-04-1x']) {
		const r = await org.postc('/plans/1/phases', { name: 'Datum', starts_on: d });
		statusIs(r, 422, `date ${d}`);
		assert.equal(fieldError(r.text, 'new-phase-starts_on'), 'Fill in a date that exists, like 2020-09-01.', d);
	}
	const long = await org.postc('/plans/1/phases', { name: 'Datum', starts_on: '2023-04-01T00:00' });
	statusIs(long, 422, 'date with a time');
	assert.equal(fieldError(long.text, 'new-phase-starts_on'), 'Use at most 10 characters; now there are 16.');
	const added = (await getPlan()).phases.find(x => x.name === 'Schrikkel');
	statusIs(await org.postc(`/plans/1/phases/${added.id}/delete`, {}), 303, 'delete leap phase');
	assert.deepEqual(await getPlan(), p0);
}

async function automatic_phase_marks_past_phases_done() {
	const p0 = await getPlan();
	// With the current phase left to the dates ("By the dates of the phases"):
	// every demo phase ended by 2023-06-30, so none is current and all are done.
	const r = await org.postc('/plans/1/edit', planForm(p0, { current_phase: '' }));
	statusIs(r, 303, 'automatic current phase');
	try {
		const p = await getPlan();
		const today = new Date().toISOString().slice(0, 10);
		assert.ok(today > '2023-06-30');
		assert.equal(p.phases.filter(x => x.state === 'current').length, 0, 'no current phase');
		assert.deepEqual(p.phases.map(x => x.state), p.phases.map(() => 'done'),
			'phases that ended before today are "done", not "upcoming"');
		const home = await anon().get('/');
		assert.doesNotMatch(home.text, /aria-current="step"/);
	} finally {
		statusIs(await org.postc('/plans/1/edit', planForm(p0)), 303, 'restore current phase');
	}
}

async function delete_current_phase() {
	const p0 = await getPlan();
	// Deleting the current phase clears the organiser's choice.
	const add = await org.postc('/plans/1/phases', { name: 'Tijdelijk', starts_on: '2024-01-01', ends_on: '2024-01-02' });
	statusIs(add, 303);
	const tmp = (await getPlan()).phases.at(-1);
	statusIs(await org.postc('/plans/1/edit', planForm(p0, { current_phase: String(tmp.id) })), 303, 'make it current');
	assert.equal((await getPlan()).phases.find(x => x.state === 'current').id, tmp.id);
	statusIs(await org.postc(`/plans/1/phases/${tmp.id}/delete`, {}), 303, 'delete current phase');
	const after = await getPlan();
	assert.equal(after.phases.length, p0.phases.length);
	statusIs(await org.get('/plans/1/edit'), 200, 'edit page after deleting the current phase');
	statusIs(await org.postc('/plans/1/edit', planForm(p0)), 303, 'restore');
	assert.deepEqual(await getPlan(), p0);
}

async function plan_edit_access() {
	const g = await participant.get('/plans/1/edit');
	statusIs(g, 403, 'participant GET');
	has(g.text, 'Your account may not do this');
	const p = await participant.postc('/plans/1/edit', { title: 'Hijacked', period_start: '2020-01-01', period_end: '2020-01-02', status: 'draft' });
	statusIs(p, 403, 'participant POST');
	statusIs(await participant.postc('/plans/1/themes', { name: 'Hijack' }), 403, 'participant add theme');
	const a = anon();
	await a.csrf('/signin');
	const ap = await a.postc('/plans/1/edit', { title: 'Hijacked', period_start: '2020-01-01', period_end: '2020-01-02', status: 'draft' });
	statusIs(ap, 401, 'anonymous POST');
	has(ap.text, 'Sign in first to do this.');
	const ag = await a.get('/plans/1/edit');
	statusIs(ag, 303, 'anonymous GET');
	assert.equal(ag.location, '/signin?next=%2Fplans%2F1%2Fedit');
	const aj = await a.get('/plans/1/edit', { json: true });
	statusIs(aj, 401, 'anonymous JSON GET');
	assert.equal(aj.json().error.status, 401);
	assert.equal((await getPlan(anon())).title, DEMO_TITLE, 'nothing changed');
	// The sign-in page carries next=, and signing in goes there.
	const si = await a.get(ag.location);
	has(si.text, 'name="next" value="/plans/1/edit"');
	const r = await a.postc('/signin', { email: ORGANISER.email, password: PW, next: '/plans/1/edit' });
	statusIs(r, 303);
	assert.equal(r.location, '/plans/1/edit');
}

async function sql_and_html_values() {
	const p = await getPlan();
	const nasty = `<script>alert(1)</script> '; DROP TABLE plans;-- "quoted" & more`;
	const r = await org.postc('/plans/1/edit', planForm(p, { title: nasty, description: `Robert'); DROP TABLE users;--\n<b>bold</b>` }));
	statusIs(r, 303, 'save');
	const home = await anon().get('/');
	statusIs(home, 200);
	hasNot(home.text, '<script>alert(1)</script>');
	hasNot(home.text, '<b>bold</b>');
	has(home.text, '&lt;script&gt;alert(1)&lt;/script&gt;');
	has(home.text, '&lt;b&gt;bold&lt;/b&gt;');
	assert.match(home.text, /<h1 class="nl-heading nl-heading--level-1"(?: lang="nl")?>&lt;script&gt;alert\(1\)&lt;\/script&gt; &#39;; DROP TABLE plans;-- &quot;quoted&quot; &amp; more<\/h1>/);
	const edit = await org.get('/plans/1/edit');
	const v = inputValue(edit.text, 'plan-title');
	assert.ok(v && !v.includes('"') && !v.includes('<'), `attribute value is escaped: ${v}`);
	const j = await getPlan(anon());
	assert.equal(j.title, nasty, 'JSON shows the raw string');
	assert.equal(j.description, `Robert'); DROP TABLE users;--\n<b>bold</b>`);
	// Tables are all still there.
	statusIs(await anon().get('/api/v1/organisations'), 200);
	statusIs(await org.get('/account'), 200);
	// HTML in a theme name and an organisation too.
	const t = await org.postc('/plans/1/themes', { name: `<img src=x onerror=alert(1)>`, description: `"); DELETE FROM themes;--` });
	statusIs(t, 303, 'theme');
	const home2 = await anon().get('/');
	hasNot(home2.text, '<img src=x');
	has(home2.text, '&lt;img src=x onerror=alert(1)&gt;');
	const th = (await getPlan()).themes.find(x => x.name === `<img src=x onerror=alert(1)>`);
	assert.ok(th, 'theme stored exactly');
	assert.equal(th.description, `"); DELETE FROM themes;--`);
	statusIs(await org.postc(`/plans/1/themes/${th.id}/delete`, {}), 303);
	statusIs(await org.postc('/plans/1/edit', planForm(p)), 303, 'restore');
	assert.equal((await getPlan()).title, DEMO_TITLE);
}

async function not_found_page() {
	const c = anon();
	const r = await c.get('/no/such/page');
	statusIs(r, 404);
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.match(r.text, /<link rel="stylesheet" href="\/static\/app-[0-9a-f]{16}\.css">/);
	has(r.text, 'Page not found');
	has(r.text, '<html lang="en">');
	has(r.text, 'This page does not exist (any more).');
	const j = await c.get('/api/v1/nope');
	statusIs(j, 404);
	assert.equal(j.json().error.status, 404);
	statusIs(await c.get('/plans/0'), 404, '/plans/0');
	statusIs(await c.get('/plans/-1'), 404, '/plans/-1');
	statusIs(await c.get('/plans/99999999999999999999999'), 404, 'huge id');
	statusIs(await c.get('/organisations/424242'), 404, 'unknown organisation');
	const lang = await c.get('/lang/xx');
	statusIs(lang, 404, 'unknown language');
	has(lang.text, 'This language is not available.');
}

async function wrong_method() {
	const c = anon();
	const put = await c.req('PUT', '/', { body: 'x=1' });
	statusIs(put, 405, 'PUT /');
	assert.equal(put.headers.get('allow'), 'GET, HEAD');
	has(put.text, 'This address does not take this kind of request.');
	const post = await c.postc('/', {});
	statusIs(post, 405, 'POST /');
	assert.equal(post.headers.get('allow'), 'GET, HEAD');
	const del = await c.req('DELETE', '/signin');
	statusIs(del, 405, 'DELETE /signin');
	assert.equal(del.headers.get('allow'), 'GET, HEAD, POST');
	const g = await c.get('/signout');
	statusIs(g, 405, 'GET /signout');
	assert.equal(g.headers.get('allow'), 'POST');
}

async function csrf_checks() {
	const c = anon();
	await c.csrf('/signin');
	const missing = await c.post('/signin', { email: ORGANISER.email, password: PW });
	statusIs(missing, 403, 'missing CSRF');
	has(missing.text, 'This form has expired');
	const wrong = await c.post('/signin', { _csrf: 'A'.repeat(c.jar.get('op_csrf').length), email: ORGANISER.email, password: PW });
	statusIs(wrong, 403, 'wrong CSRF');
	has(wrong.text, 'This form has expired');
	const short = await c.post('/signin', { _csrf: 'abc', email: ORGANISER.email, password: PW });
	statusIs(short, 403, 'short CSRF');
	// Token but no cookie (a cross-site form).
	const tok = c.jar.get('op_csrf');
	const nocookie = new Client(S.base, { lang: 'en' });
	statusIs(await nocookie.post('/signin', { _csrf: tok, email: ORGANISER.email, password: PW }), 403, 'no cookie');
	// The header form works for scripts.
	const hdr = await c.req('POST', '/signin', { form: { email: 'nobody@e2e.example', password: 'x'.repeat(12) }, headers: { 'X-CSRF-Token': tok } });
	statusIs(hdr, 422, 'X-CSRF-Token header accepted');
	// A signed-in organiser's change without the token is refused and nothing is saved.
	const r = await org.post('/plans/1/themes', { name: 'Zonder token' });
	statusIs(r, 403, 'organiser without token');
	assert.ok(!(await getPlan()).themes.some(t => t.name === 'Zonder token'));
	const so = await org.post('/signout', {});
	statusIs(so, 403, 'sign out without token');
	statusIs(await org.get('/account'), 200, 'still signed in');
	// The token is bound to the session: a planted op_csrf cookie with the
	// same value in the form no longer passes (it did with double-submit).
	const planted = 'P'.repeat(43);
	const pc = new Client(S.base, { lang: 'en' });
	pc.jar = new Map([...org.jar, ['op_csrf', planted]]);
	statusIs(await pc.post('/plans/1/themes', { _csrf: planted, name: 'Geplant' }), 403, 'planted cookie');
	// Another session's token does not pass either, nor a signed-out one.
	const other = new Client(S.base, { lang: 'en' });
	await other.signin(ADMIN.email, PW);
	const otherTok = other.jar.get('op_csrf');
	assert.notEqual(otherTok, org.jar.get('op_csrf'), 'each session its own token');
	statusIs(await org.post('/plans/1/themes', { _csrf: otherTok, name: 'Geleend' }), 403, 'another session\'s token');
	statusIs(await org.post('/plans/1/themes', { _csrf: tok, name: 'Anoniem' }), 403, 'a signed-out token');
	assert.ok(!(await getPlan()).themes.some(t => ['Geplant', 'Geleend', 'Anoniem'].includes(t.name)));
	// Signing in gives a new token; the one from before signing in stops working.
	const fresh = anon();
	await fresh.csrf('/signin');
	const before = fresh.jar.get('op_csrf');
	await fresh.signin(ORGANISER.email, PW);
	assert.notEqual(fresh.jar.get('op_csrf'), before, 'a new token after signing in');
	statusIs(await fresh.post('/plans/1/themes', { _csrf: before, name: 'Oud token' }), 403, 'the pre-sign-in token');
}

async function body_too_large() {
	const c = anon();
	await c.csrf('/signin');
	const big = 'x=' + 'a'.repeat(2 * 1024 * 1024 - 2);
	const r = await c.req('POST', '/signin', { body: big });
	statusIs(r, 413, '2 MiB body');
	assert.match(r.headers.get('content-type'), /^text\/html/);
	assert.match(r.text, /<link rel="stylesheet" href="\/static\/app-[0-9a-f]{16}\.css">/);
	const j = await c.req('POST', '/signin', { body: big, json: true });
	statusIs(j, 413, '2 MiB body, JSON');
	assert.equal(j.json().error.message, 'What you sent is larger than this site accepts. Make it shorter, or send it in parts.');
	// Content-Length alone over the limit (body not sent in full) over a raw socket.
	const rr = await raw(S.port, `POST /signin HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${2 * 1024 * 1024}\r\nConnection: close\r\n\r\nx=1`, 3000);
	assert.ok(rr.out === '' || /^HTTP\/1\.1 413/.test(rr.out), `raw oversize: ${rr.out.slice(0, 80)}`);
	statusIs(await c.get('/healthz'), 200, 'still healthy');
}

// The 413 page should be in the language the visitor chose (op_lang=en).
async function error_413_page_in_chosen_language() {
	const c = anon();
	const r = await c.req('POST', '/signin', { body: 'x=' + 'a'.repeat(2 * 1024 * 1024) });
	statusIs(r, 413);
	has(r.text, '<html lang="en">', '413 page with op_lang=en');
	has(r.text, 'What you sent is larger than this site accepts.');
}

async function not_utf8() {
	const c = anon();
	await c.csrf('/signin');
	const r = await c.req('POST', '/signin', { body: `_csrf=${c.jar.get('op_csrf')}&email=%FF%FE&password=x` });
	statusIs(r, 400, 'non-UTF-8 form');
	has(r.text, 'What you sent contains characters that are not valid text (UTF-8).');
	const q = await c.get('/?name=%FF%FE');
	statusIs(q, 400, 'non-UTF-8 query');
	const p = await c.get('/plans/%C0%AF');
	statusIs(p, 400, 'overlong UTF-8 in path');
	const n = await c.req('POST', '/signin', { body: `_csrf=${c.jar.get('op_csrf')}&email=a%00b%40c.nl&password=xxxxxxxxxxxx` });
	assert.ok([400, 422].includes(n.status), `NUL in a form value: ${n.status}`);
}

async function malformed_requests() {
	for (const data of ['GARBAGE\r\n\r\n', 'GET\r\n\r\n', 'GET / HTTP/9.9\r\n\r\n', 'GET / HTTP/1.1\r\nNoColonHeader\r\n\r\n',
		'\x00\x01\x02\xff\r\n\r\n', 'GET /' + 'a'.repeat(20000) + ' HTTP/1.1\r\nHost: x\r\n\r\n',
		'GET / HTTP/1.1\r\nHost: x\r\nCookie: op_session=%ZZ; ' + 'a=b; '.repeat(2000) + '\r\n\r\n',
		'POST /signin HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\nZZZ\r\n\r\n']) {
		const r = await raw(S.port, data, 3000);
		if (r.out) assert.match(r.out, /^HTTP\/1\.[01] [45]\d\d /, `answer to ${JSON.stringify(data.slice(0, 30))}: ${r.out.slice(0, 60)}`);
	}
	const r = await raw(S.port, 'GARBAGE\r\n\r\n', 3000);
	assert.ok(r.out === '' || /^HTTP\/1\.[01] 400 /.test(r.out), `GARBAGE: ${r.out.slice(0, 60)}`);
	const h = await anon().get('/healthz');
	statusIs(h, 200, 'healthz after garbage');
}

async function organisations() {
	const name = `E2E Stichting ${Date.now()}`;
	const nw = await org.get('/organisations/new');
	statusIs(nw, 200, 'new organisation form');
	const bad = await org.postc('/organisations/new', { name: '', sector: 'pirates' });
	statusIs(bad, 422, 'bad organisation');
	assert.equal(fieldError(bad.text, 'name'), 'Fill in this field.');
	assert.equal(fieldError(bad.text, 'sector'), 'Choose one of the options.');
	const r = await org.postc('/organisations/new', { name, sector: 'civil_society' });
	statusIs(r, 303, 'create');
	const m = r.location.match(/^\/organisations\/(\d+)$/);
	assert.ok(m, `location ${r.location}`);
	const id = m[1];
	const dup = await org.postc('/organisations/new', { name, sector: 'business' });
	statusIs(dup, 422, 'duplicate');
	assert.equal(fieldError(dup.text, 'name'), 'There is already an organisation with this name.');
	assert.equal(inputValue(dup.text, 'name'), esc(name));
	has(dup.text, '<option value="business" selected>', 'sector kept');
	// Participant may not.
	statusIs(await participant.get('/organisations/new'), 403, 'participant GET new');
	statusIs(await participant.postc('/organisations/new', { name: 'Nope', sector: 'other' }), 403, 'participant POST new');
	statusIs(await participant.postc(`/organisations/${id}/members`, { email: PARTICIPANT.email }), 403, 'participant add member');
	// Add a member by e-mail (case does not matter).
	const add = await org.postc(`/organisations/${id}/members`, { email: PARTICIPANT.email.toUpperCase() });
	statusIs(add, 303, 'add member');
	assert.equal(add.location, `/organisations/${id}`);
	const again = await org.postc(`/organisations/${id}/members`, { email: PARTICIPANT.email });
	statusIs(again, 422, 'add member twice');
	assert.equal(fieldError(again.text, 'member-email'), 'This person is already a member.');
	const nobody = await org.postc(`/organisations/${id}/members`, { email: 'nobody-at-all@e2e.example' });
	statusIs(nobody, 422, 'unknown member');
	assert.equal(fieldError(nobody.text, 'member-email'), 'Nobody has an account with this e-mail address yet. Ask them to create one first.');
	// Organisers see members; the public sees only the count.
	const seen = await org.get(`/organisations/${id}`);
	has(seen.text, PARTICIPANT.name, 'organiser view');
	const pub = await anon().get(`/organisations/${id}`);
	statusIs(pub, 200, 'public page');
	has(pub.text, esc(name));
	hasNot(pub.text, PARTICIPANT.name, 'public page');
	hasNot(pub.text, PARTICIPANT.email, 'public page');
	hasNot((await participant.get(`/organisations/${id}`)).text, 'Pim Participant</li>', 'participant view');
	const pj = await anon().get(`/api/v1/organisations/${id}`);
	assert.equal(pj.json().organisation.members, 1);
	assert.equal(pj.json().manage, undefined, 'no member list in public JSON');
	assert.doesNotMatch(pj.text, EMAIL_RE);
	const oj = await org.get(`/api/v1/organisations/${id}`);
	assert.doesNotMatch(oj.text, EMAIL_RE, 'no e-mail addresses even for organisers');
	// The member sees it on their account page.
	has((await participant.get('/account')).text, `href="/organisations/${id}"`);
	// Rename, then remove the member.
	statusIs(await org.postc(`/organisations/${id}`, { name: name + ' (nieuw)', sector: 'academia' }), 303, 'update');
	const list = await anon().get('/api/v1/organisations');
	assert.ok(list.json().organisations.some(o => o.name === name + ' (nieuw)' && o.sector === 'academia'));
	const uid = (await participant.get('/account', { json: true })).json().account.id;
	statusIs(await org.postc(`/organisations/${id}/members/${uid}/delete`, {}), 303, 'remove member');
	assert.equal((await anon().get(`/api/v1/organisations/${id}`)).json().organisation.members, 0);
}

async function admin_roles() {
	const u = anon();
	await u.signin(ROLEUSER.email, ROLEUSER.password);
	const uid = (await u.get('/account', { json: true })).json().account.id;
	assert.ok(uid > 0);
	statusIs(await u.get('/organisations/new'), 403, 'participant before');
	const list = await adm.get('/admin/users');
	statusIs(list, 200, 'admin list');
	has(list.text, ROLEUSER.email);
	has(list.text, `action="/admin/users/${uid}/role"`);
	const lj = await adm.get('/admin/users', { json: true });
	statusIs(lj, 200, 'admin list JSON');
	assert.ok(lj.json().users.some(x => x.id === uid && x.role === 'participant'));
	assert.doesNotMatch(lj.text, /argon2|password_hash/i, 'no password hashes');
	assert.doesNotMatch((await u.get('/account', { json: true })).text, /argon2|password_hash/i, 'no hash on /account');
	// Organisers and participants may not.
	statusIs(await org.get('/admin/users'), 403, 'organiser list');
	statusIs(await org.postc(`/admin/users/${uid}/role`, { role: 'admin' }), 403, 'organiser changes role');
	statusIs(await participant.postc(`/admin/users/${uid}/role`, { role: 'admin' }), 403, 'participant changes role');
	statusIs(await anon().get('/admin/users'), 303, 'anonymous list');
	// The admin changes the role.
	const r = await adm.postc(`/admin/users/${uid}/role`, { role: 'organiser' });
	statusIs(r, 303, 'change role');
	assert.equal(r.location, '/admin/users');
	has((await adm.get('/admin/users')).text, 'The role is changed: it counts from the person&#39;s next page.');
	statusIs(await u.get('/organisations/new'), 200, 'organiser after');
	const bad = await adm.postc(`/admin/users/${uid}/role`, { role: 'emperor' });
	// The role is checked against the form's table before the handler, and a
	// bad one shows the list again with the message (422, was 400).
	statusIs(bad, 422, 'unknown role');
	has(bad.text, 'Choose one of the roles: participant, organiser or admin.');
	statusIs(await adm.postc('/admin/users/999999/role', { role: 'organiser' }), 404, 'unknown user');
	const selfId = (await adm.get('/account', { json: true })).json().account.id;
	const self = await adm.postc(`/admin/users/${selfId}/role`, { role: 'participant' });
	statusIs(self, 409, 'admin demotes self');
	has(self.text, 'You cannot take away your own admin role.');
	statusIs(await adm.postc(`/admin/users/${uid}/role`, { role: 'participant' }), 303, 'change back');
	statusIs(await u.get('/organisations/new'), 403, 'participant again');
}

// /metrics tells how busy the site is: for admins on the site's address
// (issue 17: it was public), and for Prometheus on --metrics-listen.
async function healthz_and_metrics() {
	const c = new Client(S.base);
	const h = await c.get('/healthz');
	statusIs(h, 200);
	assert.equal(h.text.trim(), 'ok');
	statusIs(await c.get('/metrics'), 303, 'anonymous: sign in first');
	statusIs(await participant.get('/metrics'), 403, 'participant');
	statusIs(await org.get('/metrics'), 403, 'organiser');
	const m = await adm.get('/metrics');
	statusIs(m, 200);
	assert.match(m.headers.get('content-type'), /^text\/plain/);
	has(m.text, 'openplan_requests_total{route="/",status="200"}');
	has(m.text, 'openplan_requests_total{route="/healthz",status="200"}');
	has(m.text, 'openplan_request_duration_seconds_bucket{le="+Inf"}');
	assert.match(m.text, /^openplan_db_errors_total \d+$/m);
	assert.match(m.text, /^openplan_request_duration_seconds_count \d+$/m);
	assert.doesNotMatch(m.text, EMAIL_RE);
	// A separate address serves only /metrics, without signing in.
	const M = new Server('metrics', DB, {}, ['--metrics-listen', '127.0.0.1:0']);
	await M.start();
	try {
		const port = Number(M.stderr.match(/metrics on http:\/\/127\.0\.0\.1:(\d+)\/metrics/)[1]);
		const mc = new Client(`http://127.0.0.1:${port}`);
		const mm = await mc.get('/metrics');
		statusIs(mm, 200, 'metrics address');
		has(mm.text, 'openplan_request_duration_seconds_count');
		statusIs(await mc.get('/'), 404, 'nothing else there');
		statusIs(await mc.get('/healthz'), 404, 'nothing else there');
	} finally {
		const st = await M.stop();
		assert.equal(st.code, 0, 'metrics server stops cleanly');
	}
}

async function language_switch() {
	const c = new Client(S.base);
	const r = await c.get('/lang/en?next=/');
	statusIs(r, 303);
	assert.equal(r.location, '/');
	const sc = r.setCookies.find(s => s.startsWith('op_lang='));
	assert.ok(sc && sc.startsWith('op_lang=en;'), `Set-Cookie ${sc}`);
	const home = await c.get('/');
	has(home.text, '<html lang="en">');
	has(home.text, '>Phases</h2>');
	has(home.text, '<time datetime="2020-08-01">1 August 2020</time>');
	has(home.text, 'href="/lang/nl?next=%2F"', 'link back to Dutch');
	// Already URL-encoded next= values; the last decodes to a CR LF header injection.
	// A tab or other control character, which browsers drop ("/\t/evil.example/"
	// would become "//evil.example/"), a backslash anywhere: all go home.
	for (const evil of ['//evil.example', '%2F%2Fevil.example', '/%5Cevil.example', 'https%3A%2F%2Fevil.example%2F', 'evil.example', '/%0d%0aSet-Cookie:x=y',
		'/%09/evil.example/', '/%0A/evil.example/', '/x%5C..%5C%5Cevil.example', '/%7F/evil', '%20//evil.example']) {
		const e = await c.get(`/lang/en?next=${evil}`);
		statusIs(e, 303, evil);
		assert.equal(e.location, '/', `no open redirect for ${evil}`);
	}
	// Sign-in follows the same rule.
	const si = new Client(S.base, { lang: 'en' });
	await si.csrf('/signin');
	const sr = await si.postc('/signin', { email: ROLEUSER.email, password: ROLEUSER.password, next: '/\t/evil.example/' });
	statusIs(sr, 303, 'sign in with a tab in next');
	assert.equal(sr.location, '/', 'sign-in next with a tab goes home');
	const p = await c.get('/lang/nl?next=%2Forganisations');
	assert.equal(p.location, '/organisations');
	has((await c.get('/organisations')).text, '<html lang="nl">');
	// An unknown op_lang cookie falls back to Dutch.
	const x = new Client(S.base, { lang: 'fr' });
	has((await x.get('/')).text, '<html lang="nl">');
}

async function session_cookie_tampering() {
	for (const v of ['', 'x', 'A'.repeat(43), 'A'.repeat(300), '../../etc/passwd', "' OR 1=1 --"]) {
		const c = new Client(S.base, { lang: 'en' });
		c.jar.set('op_session', encodeURIComponent(v));
		const r = await c.get('/account');
		statusIs(r, 303, `op_session=${v.slice(0, 20)}`);
	}
}

// ---------- runner ----------

const tests = [
	cli_help_and_usage, cli_init_bad_path, cli_demo_twice, cli_user_add,
	home_page, empty_site_says_no_plan, json_plan,
	signup_account_signout, signin_wrong_password_no_enumeration, change_password,
	account_lockout, password_policy, ip_limit, https_base_url_sets_secure_cookies, cached_page_keeps_the_personal_header,
	plan_edit_valid, plan_edit_invalid, plan_phases, plan_themes, control_characters_refused, phase_dates, automatic_phase_marks_past_phases_done, delete_current_phase, plan_edit_access, sql_and_html_values,
	not_found_page, wrong_method, csrf_checks, body_too_large, error_413_page_in_chosen_language, not_utf8, malformed_requests,
	organisations, admin_roles, healthz_and_metrics, language_switch, session_cookie_tampering,
];

let passed = 0, failed = 0;
function ok(name) { passed++; console.log(`ok - ${name}`); }
function notOk(name, why) { failed++; console.log(`not ok - ${name}: ${String(why).replace(/\n/g, '\n    ')}`); }

function withTimeout(p, ms, name) {
	let t;
	return Promise.race([p, new Promise((_, rej) => { t = setTimeout(() => rej(new Error(`${name} timed out after ${ms} ms`)), ms); })])
		.finally(() => clearTimeout(t));
}

async function main() {
	const t0 = Date.now();
	const servers = [];
	try {
		mustCli(['init', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ORGANISER.email, '--name', ORGANISER.name, '--role', 'organiser'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', ADMIN.email, '--name', ADMIN.name, '--role', 'admin'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', LOCKED.email, '--name', LOCKED.name, '--role', 'participant'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', ROLEUSER.email, '--name', ROLEUSER.name, '--role', 'participant'], PW + '\n');
		mustCli(['demo', '--db', DB]);
		mustCli(['init', '--db', DB]); // migrating again is harmless
		mustCli(['init', '--db', DB_LIMIT]);
		mustCli(['init', '--db', DB_DEMO]);
		// Behind a "proxy" on 127.0.0.1, so tests can speak from several addresses.
		S = new Server('main', DB, { OPENPLAN_IP_LIMIT: '10000' }, ['--trusted-proxy', '127.0.0.1']);
		SL = new Server('ip-limit', DB_LIMIT, { OPENPLAN_IP_LIMIT: '3' }, ['--base-url', 'https://openplan.example.nl', '--threads', '2']);
		servers.push(S, SL);
		await Promise.all([S.start(), SL.start()]);
		adm = anon();
		await adm.signin(ADMIN.email, PW);
		org = anon();
		await org.signin(ORGANISER.email, PW);
	} catch (e) {
		notOk('setup', e.stack || e);
	}
	if (!failed) {
		for (const t of tests) {
			try {
				await withTimeout(t(), 30000, t.name);
				ok(t.name);
			} catch (e) {
				notOk(t.name, e && e.message ? e.message : e);
			}
			if (S.proc.exitCode !== null || S.proc.signalCode !== null) {
				notOk('main server died', `exit ${S.proc.exitCode} ${S.proc.signalCode}\n${S.stderr.slice(-4000)}`);
				break;
			}
		}
	}
	for (const s of servers) {
		const r = await s.stop();
		const name = `server ${s.name} stops cleanly`;
		if (r.code !== 0) notOk(name, `exit code ${r.code} signal ${r.signal}\n${s.stderr.slice(-4000)}`);
		else if (SAN_RE.test(s.stderr)) notOk(name, `sanitizer report:\n${s.stderr.slice(-6000)}`);
		else if (!/openplan: stopped/.test(s.stderr)) notOk(name, `no "stopped" line:\n${s.stderr.slice(-2000)}`);
		else ok(name);
	}
	if (sanitizerReports.length) notOk('CLI sanitizer reports', sanitizerReports.join('\n').slice(-6000));
	if (failed === 0 || process.env.E2E_KEEP !== '1') fs.rmSync(TMP, { recursive: true, force: true });
	else console.log(`# kept ${TMP}`);
	console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

main();
