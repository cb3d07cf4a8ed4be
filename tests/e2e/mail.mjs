#!/usr/bin/env node
// mail.mjs — keeping people informed, end to end, with a real SMTP server
// (python3-aiosmtpd on a free local port): every assertion on mail is on a
// message that server received. Sign-up confirmation, sign-up with a known
// address, password reset (links followed from the mail), notifications by
// e-mail now and in a digest, following, one-click unsubscribe (RFC 8058),
// the newsletter from writing to the archive, header injection, malformed
// addresses, refusing and unreachable servers, the SMTP server killed with
// kill -9 while the outbox sends, openplan itself killed with kill -9 while
// sending, a person's own data and erasing an account.
//   node tests/e2e/mail.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { setBinary, mustCli, BIN, baseEnv, Server, Client, runSuite, stopChecked, statusIs, has, hasNot, fieldError } from './lib.mjs';
import { SmtpServer, freePort, readMails, waitMails, linkIn, decodeWords } from './mail/smtp.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-mail-'));
const DB = path.join(TMP, 'mail.db');
const MAILDIR = path.join(TMP, 'mail');
const PW = 'correct horse battery';
const ADMIN = { email: 'ada@mail.example', name: 'Ada Admin' };
const ORG = { email: 'olga@mail.example', name: 'Olga Organiser' };
const PART = { email: 'piet@mail.example', name: 'Piet Deelnemer' };
const FENNA = { email: 'fenna@mail.example', name: 'Fenna Volger' };
const GIJS = { email: 'gijs@mail.example', name: 'Gijs Planvolger' };
const HANNA = { email: 'hanna@mail.example', name: 'Hanna Anderthema' };
const IVO = { email: 'ivo@mail.example', name: 'Ivo Niemand' };
const JORIS = 'joris.bakker@openplan.example';
const DEMO_PW = 'demo-wachtwoord';
const MAIL_ENV = { OPENPLAN_FAULT_HEADER: '1', OPENPLAN_IP_LIMIT: '100000', OPENPLAN_MAIL_POLL_MS: '100', OPENPLAN_MAIL_RETRY: '1' };
let S, smtp, port, extra = [];

const anon = (lang = 'en') => new Client(S.base, { lang });
async function signedIn(email, pw = PW, lang = 'en') {
	const c = new Client(S.base, { lang });
	await c.signin(email, pw);
	return c;
}
const mailsTo = addr => readMails(MAILDIR).filter(m => m.envelopeTo === addr);
const waitFor = (addr, pred = () => true, what = `mail to ${addr}`, ms) =>
	waitMails(MAILDIR, all => all.some(m => m.envelopeTo === addr && pred(m)), what, ms)
		.then(all => all.filter(m => m.envelopeTo === addr && pred(m)).at(-1));
const path_ = url => { const u = new URL(url); return u.pathname + u.search; };

async function startServer(name, db, smtpUrl, p) {
	const args = ['--listen', `127.0.0.1:${p}`, '--base-url', `http://127.0.0.1:${p}`];
	if (smtpUrl) args.push('--smtp-url', smtpUrl);
	const s = new Server(name, db, MAIL_ENV, args);
	await s.start();
	return s;
}

// ---------- headers and parts ----------

function checkHeaders(m, { lang }) {
	assert.match(m.header('Date'), /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} \+0000$/, 'Date');
	assert.match(m.header('Message-ID'), /^<openplan\.[\w.]+@[\w.-]+>$/, 'Message-ID');
	assert.equal(m.header('MIME-Version'), '1.0');
	assert.match(m.header('Content-Type'), /^multipart\/alternative; boundary="=_openplan_[0-9a-f]+"$/);
	assert.equal(m.header('Auto-Submitted'), 'auto-generated');
	assert.equal(m.parts.length, 2, 'two parts');
	assert.match(m.parts[0].head, /Content-Type: text\/plain; charset=UTF-8/);
	assert.match(m.parts[1].head, /Content-Type: text\/html; charset=UTF-8/);
	assert.match(m.html, new RegExp(`<html lang="${lang}">`));
	// No line longer than SMTP allows, every line ends in CRLF.
	for (const l of m.raw.split('\r\n')) assert.ok(l.length <= 998, `line of ${l.length}`);
	assert.ok(!/[^\r]\n/.test(m.raw), 'bare LF in the message');
}

// ---------- tests ----------

async function signup_sends_a_confirmation_and_its_link_signs_in() {
	const c = anon('nl');
	await c.csrf('/signup');
	const email = 'jan.devries@mail.example';
	const r = await c.postc('/signup', { name: 'Jan de Vriës', email, password: PW });
	statusIs(r, 303, 'sign up');
	assert.equal(r.location, '/signup/sent');
	assert.ok(!c.jar.has('op_session'), 'not signed in before the address is confirmed');
	has((await c.get('/signup/sent')).text, 'Kijk in je e-mail');
	const m = await waitFor(email);
	checkHeaders(m, { lang: 'nl' });
	assert.equal(m.to, 'Jan de Vriës <jan.devries@mail.example>', 'To with a Dutch name (RFC 2047)');
	assert.match(m.header('To'), /^=\?UTF-8\?B\?/, 'the name is encoded');
	assert.equal(m.subject, 'Bevestig je e-mailadres voor openplan', 'subject in Dutch');
	assert.equal(m.header('List-Unsubscribe'), undefined, 'personal mail has no List-Unsubscribe');
	has(m.text, 'Hallo Jan de Vriës,');
	has(m.html, 'Hallo Jan de Vriës,');
	const link = linkIn(m.text, '/confirm/');
	assert.ok(link && link.startsWith(S.base), `confirm link ${link}`);
	has(m.html, `href="${link}"`, 'the HTML part has the same link');
	// Following the link shows a button; the POST confirms and signs in.
	const page = await c.get(path_(link));
	statusIs(page, 200, 'confirm page');
	has(page.text, 'Mijn e-mailadres bevestigen');
	assert.ok(!c.jar.has('op_session'), 'a GET changes nothing');
	const ok = await c.postc(path_(link), {});
	statusIs(ok, 303, 'confirm');
	assert.equal(ok.location, '/');
	has((await c.get('/')).text, 'Je e-mailadres is bevestigd');
	has((await c.get('/account')).text, email);
	// Used once: a second time says so.
	const again = await anon().postc(path_(link), {});
	statusIs(again, 410, 'link used twice');
	has(again.text, 'This link has been used already');
	statusIs(await anon().get(path_(link)), 410, 'GET of a used link');
	statusIs(await anon().get('/confirm/' + 'x'.repeat(43)), 404, 'a made-up link');
}

async function signin_before_confirming_sends_a_new_link() {
	const c = anon();
	await c.csrf('/signup');
	const email = 'late.confirmer@mail.example';
	statusIs(await c.postc('/signup', { name: 'Late Confirmer', email, password: PW }), 303);
	await waitFor(email);
	const r = await c.postc('/signin', { email, password: PW });
	statusIs(r, 422, 'sign-in before confirming');
	assert.equal(fieldError(r.text, 'email'), 'Confirm your e-mail address first: follow the link in the e-mail we sent you. We sent you a new one.');
	assert.ok(!c.jar.has('op_session'));
	await waitMails(MAILDIR, all => all.filter(m => m.envelopeTo === email).length === 2, 'a second confirmation');
	// A wrong password says nothing about the state of the account.
	const w = await c.postc('/signin', { email, password: 'wrong password here' });
	assert.equal(fieldError(w.text, 'password'), 'The e-mail address or the password is not right.');
}

async function signup_with_a_known_address_answers_the_same_and_mails_the_owner() {
	const before = mailsTo(PART.email).length;
	const a = anon(), b = anon();
	await a.csrf('/signup');
	await b.csrf('/signup');
	const known = await a.postc('/signup', { name: 'Someone Else', email: PART.email.toUpperCase(), password: 'another password' });
	const fresh = await b.postc('/signup', { name: 'Fresh Person', email: 'fresh.person@mail.example', password: PW });
	statusIs(known, 303, 'known address');
	statusIs(fresh, 303, 'new address');
	assert.equal(known.location, fresh.location);
	assert.deepEqual(known.setCookies.map(c => c.split('=')[0]), fresh.setCookies.map(c => c.split('=')[0]), 'the same cookies');
	assert.equal(known.text, fresh.text);
	// The owner reads it in their own language (Dutch until they sign in in English).
	const m = await waitFor(PART.email, m => /probeerde/.test(m.subject), 'the owner is told');
	assert.equal(mailsTo(PART.email).length, before + 1);
	assert.equal(m.subject, 'Iemand probeerde een openplan-account te maken met jouw adres');
	has(m.text, `${S.base}/password/forgot`);
	has(m.text, 'er is geen nieuw gemaakt');
	// The account is unchanged: the owner's password still works.
	await signedIn(PART.email);
}

async function password_reset_by_mail_works_once_and_tells_nothing() {
	const c = anon();
	await c.csrf('/password/forgot');
	const known = await c.postc('/password/forgot', { email: ORG.email });
	const unknown = await c.postc('/password/forgot', { email: 'nobody.here@mail.example' });
	statusIs(known, 303);
	statusIs(unknown, 303);
	assert.equal(known.location, '/password/sent');
	assert.equal(unknown.location, known.location, 'the same answer for an unknown address');
	has((await c.get('/password/sent')).text, 'If this address has an account');
	const m = await waitFor(ORG.email, m => /wachtwoord/.test(m.subject));
	checkHeaders(m, { lang: 'nl' });
	assert.equal(m.subject, 'Kies een nieuw wachtwoord voor openplan');
	assert.equal(readMails(MAILDIR).filter(x => x.envelopeTo === 'nobody.here@mail.example').length, 0);
	const old = await signedIn(ORG.email);
	const link = linkIn(m.text, '/password/reset/');
	const form = await c.get(path_(link));
	statusIs(form, 200, 'reset form');
	has(form.text, 'name="new_password"');
	const short = await c.postc(path_(link), { new_password: 'short' });
	statusIs(short, 422, 'too short');
	assert.equal(fieldError(short.text, 'new_password'), 'Choose a password of at least 10 characters.');
	const NEW = 'a brand new password';
	const ok = await c.postc(path_(link), { new_password: NEW });
	statusIs(ok, 303, 'reset');
	assert.ok(c.jar.has('op_session'), 'signed in after the reset');
	statusIs(await old.get('/account'), 303, 'the old session is signed out');
	const again = await anon().postc(path_(link), { new_password: 'yet another password' });
	statusIs(again, 410, 'reset link used twice');
	has(again.text, 'A link to choose a new password works once.');
	await signedIn(ORG.email, NEW);
	// Put it back for the other tests.
	mustCli(['user', 'passwd', '--db', DB, '--email', ORG.email], PW + '\n');
}

async function bad_addresses_and_header_injection_are_refused() {
	const c = anon();
	await c.csrf('/signup');
	for (const email of ['jan@localhost', 'jan@exa mple.org', 'jan@-bad.example', '"jan"@example.org']) {
		const r = await c.postc('/signup', { name: 'Jan', email, password: PW });
		statusIs(r, 422, email);
		assert.ok(fieldError(r.text, 'email'), `a message at the field for ${email}`);
	}
	const r = await c.postc('/signup', { name: 'Jan', email: 'jan@-bad.example', password: PW });
	assert.equal(fieldError(r.text, 'email'), 'This e-mail address cannot receive mail from us. Check it for typing errors.');
	// A name with CR LF through the form: refused.
	const inj = await c.postc('/signup', { name: 'Eve\r\nBcc: victim@mail.example', email: 'eve@mail.example', password: PW });
	statusIs(inj, 422, 'CR LF in a name');
	// One that got in another way (the command line) cannot start a header.
	mustCli(['user', 'add', '--db', DB, '--email', 'eve@mail.example', '--name', 'Eve\r\nBcc: victim@mail.example\r\nSubject: hacked', '--role', 'participant'], PW + '\n');
	await c.csrf('/password/forgot');
	statusIs(await c.postc('/password/forgot', { email: 'eve@mail.example' }), 303);
	const m = await waitFor('eve@mail.example');
	assert.equal(m.envelopeTo, 'eve@mail.example', 'one recipient');
	assert.equal(m.headers.get('bcc'), undefined, 'no Bcc header');
	assert.equal(m.headers.get('subject').length, 1, 'one Subject header');
	assert.ok(m.rawHeaderLines.every(l => !/^(Bcc|Subject: hacked)/i.test(l)));
	assert.equal(m.to, '"Eve Bcc: victim@mail.example Subject: hacked" <eve@mail.example>');
	assert.equal(readMails(MAILDIR).filter(x => x.envelopeTo.includes('victim')).length, 0);
}

// ---------- notifications ----------

const idOf = async (title) => (await anon().get('/api/v1/action-points')).json().action_points.find(p => p.title.startsWith(title)).id;

async function following_and_notification_mail() {
	const org = await signedIn(ORG.email);
	const part = await signedIn(PART.email, PW, 'nl');
	const id = await idOf('Klachten openbaar maken');
	// Follow the action point, a theme, the plan; refuse what is not there.
	const page = await part.get(`/actions/${id}`);
	has(page.text, 'Blijf op de hoogte');
	statusIs(await part.postc('/follow', { type: 'action', id: String(id), follow: '1', next: `/actions/${id}` }), 303, 'follow');
	has((await part.get(`/actions/${id}`)).text, 'Niet meer volgen');
	statusIs(await part.postc('/follow', { type: 'action', id: '999999', follow: '1' }), 404, 'follow what is not there');
	statusIs(await part.postc('/follow', { type: 'planet', id: '1', follow: '1' }), 422, 'not a kind of thing to follow');
	statusIs(await anon().postc('/follow', { type: 'plan', id: '1', follow: '1' }), 401, 'anonymous');
	statusIs(await part.postc('/follow', { type: 'theme', id: '1', follow: '1', next: '//evil.example/' }), 303);
	// The plan page (cached per role) only points to the page where a person
	// follows the plan and its themes; that page shows their own state.
	const home = await part.get('/');
	has(home.text, 'href="/follow/plan/1"');
	hasNot(home.text, 'action="/follow"');
	const fp = await part.get('/follow/plan/1');
	statusIs(fp, 200);
	assert.equal((fp.text.match(/Niet meer volgen/g) || []).length, 1, 'one theme followed');
	statusIs(await anon().get('/follow/plan/1'), 303, 'anonymous: sign in first');
	statusIs(await part.get('/follow/plan/999999'), 404);
	const acc = await part.get('/account');
	has(acc.text, 'Wat je volgt');
	has(acc.text, `href="/actions/${id}"`);
	// Someone offers to adopt it and is accepted: the offerer is told at once
	// (named), the follower gets the follower text in the daily digest.
	const offerer = await signedIn('amira.elhaddad@openplan.example', DEMO_PW, 'nl');
	statusIs(await offerer.postc(`/actions/${id}/adopt`, { org_id: '', new_org_name: 'Stichting Meldpunt', new_org_sector: 'civil_society', role: 'partner', message: 'Wij doen mee.' }), 303, 'offer');
	// The offerer now follows it too (automatically, with a way out).
	has((await offerer.get('/account')).text, `href="/actions/${id}"`);
	const edit = await org.get(`/actions/${id}/edit`);
	const offerId = edit.text.match(new RegExp(`/actions/${id}/offers/(\\d+)/accept`))[1];
	statusIs(await org.postc(`/actions/${id}/offers/${offerId}/accept`, { role: 'partner' }), 303, 'accept');
	const m = await waitFor('amira.elhaddad@openplan.example', m => /Klachten/.test(m.subject), 'the offerer hears at once');
	checkHeaders(m, { lang: 'nl' });
	assert.match(m.subject, /^Je aanbod om “Klachten openbaar maken.*” te adopteren is aangenomen\.$/);
	assert.match(m.header('Subject'), /^=\?UTF-8\?B\?/, 'non-ASCII subject is RFC 2047 encoded');
	assert.match(m.header('List-Id'), /^<notifications\.[\w.-]+>$/);
	assert.match(m.header('List-Unsubscribe'), /^<http:\/\/127\.0\.0\.1:\d+\/notifications\/unsubscribe\?u=\d+&k=act\.offer_&m=[0-9a-f]{32}>$/);
	assert.equal(m.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
	const actionLink = linkIn(m.text, `/actions/${id}`);
	statusIs(await anon().get(path_(actionLink)), 200, 'the link in the mail works');
	// The follower's notification on the site, with the follower text.
	const notes = (await part.get('/api/v1/notifications')).json().notifications;
	assert.equal(notes[0].kind, 'act.offer_accepted');
	assert.match(notes[0].text, /^“Klachten openbaar maken.*” heeft een nieuwe trekker\.$/);
	// … and not yet by mail: that waits for the daily digest.
	assert.equal(mailsTo(PART.email).filter(x => /new holder|nieuwe trekker/.test(x.text || '')).length, 0);
	const adm = await signedIn(ADMIN.email);
	statusIs(await adm.postc('/admin/outbox/digest', { period: 'daily' }), 303, 'queue the daily digest now');
	const d = await waitFor(PART.email, m => /summary|overzicht/.test(m.subject), 'the daily digest');
	assert.equal(d.subject, 'Je dagelijkse overzicht van openplan: 1 melding');
	has(d.text, 'heeft een nieuwe trekker.');
	assert.match(d.header('List-Unsubscribe'), /k=%2A&m=/);
	// One click (RFC 8058): a POST without cookies or token.
	const unsub = d.header('List-Unsubscribe').slice(1, -1);
	const r = await fetch(unsub, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'List-Unsubscribe=One-Click', redirect: 'manual' });
	assert.equal(r.status, 200, 'one-click unsubscribe');
	const r2 = await fetch(unsub, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
	assert.equal(r2.status, 200, 'twice is fine');
	const settings = (await part.get('/notifications/settings', { json: true })).json().mail;
	assert.equal(settings['act.'], 'none');
	const bad = await fetch(unsub.replace(/m=[0-9a-f]+/, 'm=' + '0'.repeat(32)), { method: 'POST' });
	assert.equal(bad.status, 404, 'a forged link');
	// Mark the event read, read the settings page.
	const sp = await part.get('/notifications/settings');
	statusIs(sp, 200);
	has(sp.text, 'In het dagelijkse overzicht');
	has(sp.text, '<option value="none" selected>Geen e-mail</option>');
}

async function email_settings_choose_per_kind() {
	const part = await signedIn(PART.email);
	const form = { k0: 'now', k1: 'weekly', k2: 'standard', k3: 'daily', k4: 'none', k5: 'standard' };
	statusIs(await part.postc('/notifications/settings', form), 303);
	const s = (await part.get('/notifications/settings', { json: true })).json().mail;
	assert.deepEqual(s, { 'act.offer_': 'now', 'act.': 'weekly', 'agenda.': 'standard', 'input.': 'daily', 'cons.': 'none', 'plan.': 'standard' });
	const bad = await part.postc('/notifications/settings', { ...form, k1: 'hourly' });
	statusIs(bad, 422);
}

// ---------- newsletter ----------

async function subscribe(email, lang = 'en') {
	const c = anon(lang);
	await c.csrf('/news');
	const r = await c.postc('/news/subscribe', { email });
	statusIs(r, 303, `subscribe ${email}`);
	const m = await waitFor(email, m => /subscription|aanmelding/.test(m.subject));
	const link = linkIn(m.text, '/news/confirm/');
	statusIs(await c.get(path_(link)), 200);
	statusIs(await c.postc(path_(link), {}), 200, 'confirm subscription');
	return { c, m, link };
}

async function newsletter_from_subscribe_to_archive_and_unsubscribe() {
	const { m: conf, link } = await subscribe('lezer@mail.example', 'nl');
	checkHeaders(conf, { lang: 'nl' });
	assert.equal(conf.subject, 'Bevestig je aanmelding voor de nieuwsbrief van openplan');
	const used = await anon().postc(path_(link), {});
	statusIs(used, 410, 'a used subscription link');
	// Subscribing again while subscribed: the same answer, no mail.
	const n0 = mailsTo('lezer@mail.example').length;
	const c = anon();
	await c.csrf('/news');
	statusIs(await c.postc('/news/subscribe', { email: 'lezer@mail.example' }), 303);
	statusIs(await c.postc('/news/subscribe', { email: 'x@y' }), 422, 'malformed address');
	const org = await signedIn(ORG.email, PW, 'nl');
	// An empty body is refused.
	const empty = await org.postc('/news/issues', { subject: 'Leeg', body: '  \n ' });
	statusIs(empty, 422, 'empty newsletter');
	assert.equal(fieldError(empty.text, 'new-body'), 'Vul dit veld in.');
	const subject = 'Nieuwsbrief: één actieplan, vóór iedereen';
	const body = '# Nieuws\n\nDe **meedenksessies** zijn klaar. Lees [het verslag](https://open-overheid.example/verslag).\n';
	const cr = await org.postc('/news/issues', { subject, body });
	statusIs(cr, 303, 'draft');
	const issuePath = cr.location;
	const show = await org.get(issuePath);
	has(show.text, '<strong>meedenksessies</strong>', 'the preview renders the Markdown');
	statusIs(await org.postc(issuePath + '/test', {}), 303, 'test');
	const t = await waitFor(ORG.email, m => m.subject.startsWith('[Test]'));
	assert.equal(t.subject, `[Test] ${subject}`);
	assert.equal(t.header('List-Unsubscribe'), undefined, 'a test has no unsubscribe header');
	// The archive does not show a draft.
	hasNot((await anon().get('/news')).text, subject);
	statusIs(await anon().get(issuePath.replace('/issues', '')), 404, 'a draft is not public');
	statusIs(await org.postc(issuePath + '/send', {}), 303, 'send');
	statusIs(await org.postc(issuePath + '/send', {}), 409, 'send twice');
	statusIs(await org.postc(issuePath, { subject: 'x', body: 'y' }), 409, 'edit after sending');
	const m = await waitFor('lezer@mail.example', m => m.subject === subject, 'the newsletter');
	assert.equal(mailsTo('lezer@mail.example').length, n0 + 1, 'one newsletter, no extra confirmation');
	checkHeaders(m, { lang: 'nl' });
	assert.match(m.header('Subject'), /^=\?UTF-8\?B\?/);
	assert.equal(decodeWords(m.header('Subject')), subject);
	assert.match(m.header('List-Id'), /^<newsletter\.[\w.-]+>$/);
	assert.equal(m.header('Precedence'), 'bulk');
	assert.equal(m.header('List-Unsubscribe-Post'), 'List-Unsubscribe=One-Click');
	has(m.html, '<strong>meedenksessies</strong>');
	has(m.html, 'href="https://open-overheid.example/verslag"');
	has(m.text, 'De **meedenksessies** zijn klaar.');
	has(m.text, 'Je krijgt deze nieuwsbrief omdat je je ervoor hebt aangemeld');
	// Progress, then the counts.
	let j;
	for (let i = 0; i < 100; i++) {
		j = (await org.get(issuePath, { json: true })).json().issue;
		if (j.status === 'sent') break;
		await new Promise(r => setTimeout(r, 100));
	}
	assert.equal(j.status, 'sent');
	assert.equal(j.progress.recipients, 1);
	assert.equal(j.progress.delivered, 1);
	assert.equal(j.progress.failed, 0);
	has((await org.get(issuePath)).text, 'Verstuurd naar 1 abonnee: 1 ', 'one subscriber, in the singular');
	const arch = await anon().get('/news');
	has(arch.text, subject.replace('’', '&#39;'));
	const api = (await anon().get('/api/v1/newsletters')).json().newsletters;
	assert.ok(api.some(n => n.subject === subject));
	// The unsubscribe link in the mail: a page with a button, then one click.
	const ul = linkIn(m.text, '/news/unsubscribe');
	assert.equal(m.header('List-Unsubscribe'), `<${ul}>`);
	const up = await anon().get(path_(ul));
	statusIs(up, 200);
	has(up.text, 'Unsubscribe');
	const post = await fetch(ul, { method: 'POST', body: 'List-Unsubscribe=One-Click', headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
	assert.equal(post.status, 200);
	const twice = await fetch(ul, { method: 'POST', body: 'List-Unsubscribe=One-Click' });
	assert.equal(twice.status, 200, 'unsubscribing twice');
	has(await twice.text(), 'Je bent afgemeld');
	const forged = await fetch(ul.replace(/m=[0-9a-f]{4}/, 'm=ffff'), { method: 'POST' });
	assert.equal(forged.status, 404);
	// The next issue does not go to them.
	const cr2 = await org.postc('/news/issues', { subject: 'Tweede nummer', body: 'Kort.' });
	statusIs(await org.postc(cr2.location + '/send', {}), 303);
	for (let i = 0; i < 100; i++) {
		j = (await org.get(cr2.location, { json: true })).json().issue;
		if (j.status === 'sent') break;
		await new Promise(r => setTimeout(r, 100));
	}
	assert.equal(j.status, 'sent');
	assert.equal(j.progress.recipients, 0);
	assert.equal(mailsTo('lezer@mail.example').filter(x => x.subject === 'Tweede nummer').length, 0);
}

async function refused_recipients_fail_with_the_servers_answer() {
	// The test server refuses "reject…" for good (550) and "busy…" for now (451).
	for (const e of ['reject.me@mail.example', 'busy.box@mail.example'])
		mustCli(['user', 'add', '--db', DB, '--email', e, '--name', 'Refused', '--role', 'participant'], PW + '\n');
	const c = anon();
	await c.csrf('/password/forgot');
	statusIs(await c.postc('/password/forgot', { email: 'reject.me@mail.example' }), 303);
	statusIs(await c.postc('/password/forgot', { email: 'busy.box@mail.example' }), 303);
	const adm = await signedIn(ADMIN.email);
	let rows;
	for (let i = 0; i < 100; i++) {
		rows = (await adm.get('/admin/outbox?status=failed', { json: true })).json().messages;
		if (rows.some(r => r.to === 'reject.me@mail.example')) break;
		await new Promise(r => setTimeout(r, 100));
	}
	const rej = rows.find(r => r.to === 'reject.me@mail.example');
	assert.ok(rej, 'the refused message is failed');
	assert.match(rej.last_error, /^550 5\.1\.1 <reject\.me@mail\.example>: Recipient address rejected/);
	assert.equal(rej.attempts, 1, 'a permanent failure is not tried again');
	// A 451 is tried again later: still waiting, with the answer and a next try.
	let busy;
	for (let i = 0; i < 100; i++) {
		busy = (await adm.get('/admin/outbox?status=queued', { json: true })).json().messages.find(r => r.to === 'busy.box@mail.example');
		if (busy && busy.attempts >= 2) break;
		await new Promise(r => setTimeout(r, 100));
	}
	assert.ok(busy && busy.attempts >= 2, `busy mailbox retried: ${JSON.stringify(busy)}`);
	assert.match(busy.last_error, /^451 4\.3\.0/);
	assert.ok(busy.next_at > busy.created_at, 'a next try is planned');
	const page = await adm.get('/admin/outbox');
	has(page.text, 'Recipient address rejected');
	const one = (await adm.get(`/admin/outbox/${rej.id}`, { json: true })).json().message;
	assert.equal(one.raw, null, 'a failed message keeps no text');
	statusIs(await (await signedIn(PART.email)).get('/admin/outbox'), 403, 'participants may not read the outbox');
}

// ---------- failures of the server ----------

async function an_unreachable_server_delays_mail_but_not_the_page() {
	const p = await freePort(), sp = await freePort();
	const db = path.join(TMP, 'down.db');
	mustCli(['init', '--db', db]);
	const dir = path.join(TMP, 'down-mail');
	const s = await startServer('down', db, `smtp://127.0.0.1:${sp}`, p);
	extra.push(s);
	const c = new Client(s.base);
	await c.csrf('/signup');
	const t0 = Date.now();
	statusIs(await c.postc('/signup', { name: 'Wachtende', email: 'wacht@mail.example', password: PW }), 303);
	assert.ok(Date.now() - t0 < 3000, `the page answered in ${Date.now() - t0} ms`);
	await new Promise(r => setTimeout(r, 1500));
	mustCli(['user', 'add', '--db', db, '--email', 'root@mail.example', '--name', 'Root', '--role', 'admin'], PW + '\n');
	const adm = new Client(s.base);
	await adm.signin('root@mail.example', PW);
	const q = (await adm.get('/admin/outbox?status=queued', { json: true })).json().messages;
	assert.equal(q.length, 1, 'waiting in the outbox');
	assert.ok(q[0].attempts >= 1, 'tried');
	assert.match(q[0].last_error, /connect|Couldn't|refused/i);
	// The server comes: the mail arrives, without anyone doing anything.
	const late = new SmtpServer(dir, { port: sp });
	await late.start();
	try {
		const m = await waitMails(dir, all => all.length === 1, 'the delayed mail', 30000);
		assert.equal(m[0].envelopeTo, 'wacht@mail.example');
	} finally {
		await late.kill('SIGTERM');
	}
}

async function outbox_without_a_server_is_read_by_admins() {
	const p = await freePort();
	const db = path.join(TMP, 'nosmtp.db');
	mustCli(['init', '--db', db]);
	mustCli(['user', 'add', '--db', db, '--email', 'root@mail.example', '--name', 'Root', '--role', 'admin'], PW + '\n');
	const s = await startServer('nosmtp', db, null, p);
	extra.push(s);
	const c = new Client(s.base);
	await c.csrf('/password/forgot');
	statusIs(await c.postc('/password/forgot', { email: 'root@mail.example' }), 303);
	const adm = new Client(s.base, { lang: 'en' });
	await adm.signin('root@mail.example', PW);
	const page = await adm.get('/admin/outbox');
	has(page.text, 'No mail server is set up');
	const list = (await adm.get('/admin/outbox', { json: true })).json();
	assert.equal(list.smtp, false);
	assert.equal(list.counts.queued, 1);
	const one = (await adm.get(`/admin/outbox/${list.messages[0].id}`, { json: true })).json().message;
	assert.match(one.raw, /^From: "openplan" <openplan@/);
	const link = linkIn(one.text, '/password/reset/');
	assert.ok(link.startsWith(s.base), 'the link in the outbox works on this server');
	statusIs(await c.get(path_(link)), 200);
	const html = await adm.get(`/admin/outbox/${list.messages[0].id}`);
	has(html.text, 'Kies een nieuw wachtwoord');
	// The only admin may not erase themselves.
	statusIs(await adm.postc('/account/erase', { password: PW, understood: '1' }), 409, 'the last admin');
}

async function kill_9_of_the_smtp_server_while_sending_loses_nothing() {
	const dir = path.join(TMP, 'kill-mail');
	const slow = new SmtpServer(dir, { delay: 0.15 });
	await slow.start();
	const p = await freePort();
	const db = path.join(TMP, 'kill.db');
	mustCli(['init', '--db', db]);
	mustCli(['user', 'add', '--db', db, '--email', 'olga@mail.example', '--name', 'Olga', '--role', 'organiser'], PW + '\n');
	const s = await startServer('kill', db, slow.url, p);
	extra.push(s);
	const N = 25, emails = Array.from({ length: N }, (_, i) => `lezer${i}@mail.example`);
	// Subscribers, confirmed through their links.
	for (const e of emails) {
		const c = new Client(s.base);
		await c.csrf('/news');
		statusIs(await c.postc('/news/subscribe', { email: e }), 303);
	}
	const confs = await waitMails(dir, all => all.length === N, 'confirmations', 30000);
	for (const m of confs) {
		const c = new Client(s.base);
		await c.csrf('/news');
		statusIs(await c.postc(path_(linkIn(m.text, '/news/confirm/')), {}), 200);
	}
	const org = new Client(s.base);
	await org.signin('olga@mail.example', PW);
	const cr = await org.postc('/news/issues', { subject: 'Onderbroken', body: 'Komt toch aan.' });
	statusIs(await org.postc(cr.location + '/send', {}), 303);
	// Some arrive; then the server dies mid-stream.
	await waitMails(dir, all => all.filter(m => m.subject === 'Onderbroken').length >= 5, 'the first ones', 30000);
	await slow.kill('SIGKILL');
	const got = readMails(dir).filter(m => m.subject === 'Onderbroken').length;
	assert.ok(got < N, `killed while sending (${got} of ${N} arrived)`);
	await new Promise(r => setTimeout(r, 1000));
	const again = new SmtpServer(dir, { port: slow.port });
	await again.start();
	try {
		const all = await waitMails(dir, all => new Set(all.filter(m => m.subject === 'Onderbroken').map(m => m.envelopeTo)).size === N, 'every newsletter after the restart', 60000);
		const mine = all.filter(m => m.subject === 'Onderbroken');
		// A message the server took just before it died may come twice, with
		// the same Message-ID so the reader's program shows it once.
		const ids = new Map();
		for (const m of mine) {
			const prev = ids.get(m.envelopeTo);
			if (prev) assert.equal(prev, m.header('Message-ID'), 'a repeat keeps its Message-ID');
			ids.set(m.envelopeTo, m.header('Message-ID'));
		}
		assert.ok(mine.length <= N + 1, `${mine.length} messages for ${N} subscribers`);
		let j;
		for (let i = 0; i < 100; i++) {
			j = (await org.get(cr.location, { json: true })).json().issue;
			if (j.status === 'sent') break;
			await new Promise(r => setTimeout(r, 100));
		}
		assert.equal(j.progress.delivered, N);
	} finally {
		await again.kill('SIGTERM');
	}
}

async function kill_9_of_openplan_while_sending_loses_nothing() {
	const dir = path.join(TMP, 'crash-mail');
	const slow = new SmtpServer(dir, { delay: 0.1 });
	await slow.start();
	const p = await freePort();
	const db = path.join(TMP, 'crash.db');
	mustCli(['init', '--db', db]);
	mustCli(['user', 'add', '--db', db, '--email', 'olga@mail.example', '--name', 'Olga', '--role', 'organiser'], PW + '\n');
	let s = await startServer('crash', db, slow.url, p);
	const N = 20;
	for (let i = 0; i < N; i++) {
		const c = new Client(s.base);
		await c.csrf('/news');
		statusIs(await c.postc('/news/subscribe', { email: `crash${i}@mail.example` }), 303);
	}
	const confs = await waitMails(dir, all => all.length === N, 'confirmations', 30000);
	for (const m of confs) {
		const c = new Client(s.base);
		await c.csrf('/news');
		statusIs(await c.postc(path_(linkIn(m.text, '/news/confirm/')), {}), 200);
	}
	const org = new Client(s.base);
	await org.signin('olga@mail.example', PW);
	const cr = await org.postc('/news/issues', { subject: 'Na de crash', body: 'Alles komt aan.' });
	statusIs(await org.postc(cr.location + '/send', {}), 303);
	await waitMails(dir, all => all.filter(m => m.subject === 'Na de crash').length >= 4, 'the first ones', 30000);
	s.proc.kill('SIGKILL');
	await s.exited;
	const got = readMails(dir).filter(m => m.subject === 'Na de crash').length;
	assert.ok(got < N, `killed while sending (${got} of ${N})`);
	s = await startServer('crash-again', db, slow.url, p);
	extra.push(s);
	try {
		const all = await waitMails(dir, all => new Set(all.filter(m => m.subject === 'Na de crash').map(m => m.envelopeTo)).size === N, 'all after the restart', 60000);
		const mine = all.filter(m => m.subject === 'Na de crash');
		assert.ok(mine.length <= N + 1, `${mine.length} messages for ${N}: at most the one in flight again`);
		const ids = new Map();
		for (const m of mine) {
			const prev = ids.get(m.envelopeTo);
			if (prev) assert.equal(prev, m.header('Message-ID'), 'the one sent again keeps its Message-ID');
			ids.set(m.envelopeTo, m.header('Message-ID'));
		}
	} finally {
		await slow.kill('SIGTERM');
	}
}

// ---------- a new consultation reaches the followers of its theme and plan ----------

async function a_published_consultation_reaches_its_themes_and_plans_followers() {
	const org = await signedIn(ORG.email);
	const plan = (await anon().get('/api/v1/plans/1')).json();
	const themes = (plan.plan || plan).themes;
	const info = themes.find(t => t.name === 'Open Informatie');
	assert.ok(info, 'the demo plan has the theme Open Informatie');
	// Fenna follows the theme and wants plan news at once; Gijs follows the
	// plan with the standard setting (the daily digest); Hanna follows
	// another theme only; Ivo follows nothing.
	const fenna = await signedIn(FENNA.email, PW, 'nl');
	statusIs(await fenna.postc('/follow', { type: 'theme', id: String(info.id), follow: '1' }), 303);
	statusIs(await fenna.postc('/notifications/settings', { k0: 'standard', k1: 'standard', k2: 'standard', k3: 'standard', k4: 'standard', k5: 'now' }), 303);
	const gijs = await signedIn(GIJS.email);
	statusIs(await gijs.postc('/follow', { type: 'plan', id: '1', follow: '1' }), 303);
	const hanna = await signedIn(HANNA.email);
	const other = themes.find(t => t.id !== info.id);
	statusIs(await hanna.postc('/follow', { type: 'theme', id: String(other.id), follow: '1' }), 303);
	const ivo = await signedIn(IVO.email);
	const kinds = async c => (await c.get('/api/v1/notifications')).json().notifications
		.filter(n => n.kind === 'plan.consultation');
	// A draft tells nobody, also when its questions name the theme.
	const r = await org.postc('/plans/1/consultations/new', {
		title: 'Wat wil jij weten over open informatie?', intro: '', opens_on: '2020-01-01',
		closes_on: '2099-12-31', results_public: 'while_open', allow_anonymous: '1' });
	statusIs(r, 303, 'a draft consultation');
	const cid = Number(r.location.match(/^\/consultations\/(\d+)\/edit$/)[1]);
	statusIs(await org.postc(`/consultations/${cid}/questions`, { kind: 'single', prompt: 'Welk thema?', options: 'Open Informatie\nIets anders' }), 303);
	for (const c of [fenna, gijs, hanna, ivo]) assert.deepEqual(await kinds(c), [], 'a draft notifies nobody');
	// Published: the theme's and the plan's followers hear of it.
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'published' }), 303, 'publish');
	const [f] = await kinds(fenna);
	assert.ok(f, 'the theme follower is told');
	assert.equal(f.text, 'Er is een nieuwe consultatie: “Wat wil jij weten over open informatie?”. Geef je mening.');
	assert.equal(f.url, `/consultations/${cid}`);
	const [g] = await kinds(gijs);
	assert.ok(g, 'the plan follower is told');
	assert.equal(g.text, 'There is a new consultation: “Wat wil jij weten over open informatie?”. Give your opinion.');
	assert.deepEqual(await kinds(hanna), [], 'another theme: nothing');
	assert.deepEqual(await kinds(ivo), [], 'not following: nothing');
	assert.deepEqual(await kinds(org), [], 'the organiser who published is not told');
	// Fenna chose "at once": the e-mail; its link opens the consultation.
	const m = await waitFor(FENNA.email, m => /consultatie/.test(m.subject), 'the theme follower gets an e-mail');
	checkHeaders(m, { lang: 'nl' });
	assert.equal(m.subject, 'Er is een nieuwe consultatie: “Wat wil jij weten over open informatie?”. Geef je mening.');
	assert.match(m.header('List-Unsubscribe'), /k=plan\.&m=/);
	statusIs(await fenna.get(path_(linkIn(m.text, `/consultations/${cid}`))), 200, 'the link in the mail works');
	// Gijs has the standard (the daily digest): no e-mail now.
	await new Promise(res => setTimeout(res, 500));
	assert.equal(mailsTo(GIJS.email).length, 0, 'a follower with the standard setting waits for the digest');
	assert.equal(mailsTo(HANNA.email).length + mailsTo(IVO.email).length, 0, 'the others get no mail');
	// A draft again and published once more: nobody hears twice.
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'draft' }), 303);
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'published' }), 303);
	assert.equal((await kinds(fenna)).length, 1, 'told once');
	assert.equal((await kinds(gijs)).length, 1, 'told once');
}

// ---------- running out of request memory (issue 10) ----------

// One request with the request's arena failing from allocation n on.
function faulty(c, method, p, n, form, json) {
	const headers = { 'X-Openplan-Fault-Arena': `${n}+` };
	if (json) headers.Accept = 'application/json';
	return method === 'GET' ? c.get(p, { headers }) : c.post(p, { _csrf: c.token() || '', ...form }, { headers });
}

// Every page and change of mail, news and notify with real data (faults.mjs
// tries only id 1 and empty forms): from N = 1 until the request no longer
// runs out, each answer that ran out is the busy page or JSON (a saved
// change may keep its redirect), never a crash; the server keeps serving.
async function mail_news_and_notify_survive_running_out_of_memory() {
	const adm = await signedIn(ADMIN.email);
	const org = await signedIn(ORG.email);
	const fenna = await signedIn(FENNA.email, PW, 'nl');
	const visitor = anon();
	await visitor.csrf('/news');
	const msgs = (await adm.get('/admin/outbox', { json: true })).json().messages;
	assert.ok(msgs.length > 5, 'the outbox has messages');
	const notes = (await fenna.get('/api/v1/notifications')).json().notifications;
	assert.ok(notes.length >= 1, 'Fenna has a notification');
	const unsub = mailsTo(FENNA.email).at(-1).header('List-Unsubscribe').slice(1, -1);
	const made = await org.postc('/news/issues', { subject: 'Concept', body: 'Nog niet klaar.' });
	statusIs(made, 303, 'a draft newsletter');
	const issues = (await org.get('/news/issues', { json: true })).json().issues;
	const sent = issues.find(i => i.status === 'sent'), draft = issues.find(i => i.status === 'draft');
	assert.ok(sent && draft, 'a sent newsletter and a draft');
	const newsUnsub = readMails(MAILDIR).find(m => /\/news\/unsubscribe/.test(m.header('List-Unsubscribe') || ''));
	assert.ok(newsUnsub, 'a newsletter mail with its unsubscribe link');
	const nu = path_(newsUnsub.header('List-Unsubscribe').slice(1, -1));
	const settings = { k0: 'standard', k1: 'standard', k2: 'standard', k3: 'standard', k4: 'standard', k5: 'now' };
	const cases = [
		[adm, 'GET', '/admin/outbox'], [adm, 'GET', '/admin/outbox?status=sent'],
		[adm, 'GET', `/admin/outbox/${msgs[0].id}`], [adm, 'GET', `/admin/outbox/${msgs.at(-1).id}`, null, true],
		[adm, 'POST', '/admin/outbox/retry', {}], [adm, 'POST', '/admin/outbox/digest', { period: 'weekly' }],
		[fenna, 'GET', '/notifications'], [fenna, 'GET', '/api/v1/notifications', null, true],
		[fenna, 'POST', '/notifications/read', { upto: String(notes[0].id) }],
		[fenna, 'GET', '/notifications/settings'], [fenna, 'GET', '/notifications/settings', null, true],
		[fenna, 'POST', '/notifications/settings', settings],
		[fenna, 'POST', '/follow', { type: 'plan', id: '1', follow: '1', next: '/plans/1' }],
		[fenna, 'GET', '/follow/plan/1'], [fenna, 'GET', '/account'], [fenna, 'GET', '/account/data'],
		[visitor, 'GET', path_(unsub)], [visitor, 'POST', path_(unsub), {}],
		[visitor, 'GET', '/news'], [visitor, 'GET', '/api/v1/newsletters', null, true],
		[visitor, 'GET', `/news/${sent.id}`], [visitor, 'GET', `/api/v1/newsletters/${sent.id}`, null, true],
		[visitor, 'POST', '/news/subscribe', { email: 'geheugen@mail.example' }],
		[visitor, 'GET', nu], [visitor, 'POST', nu, {}],
		[org, 'GET', '/news/issues'], [org, 'GET', `/news/issues/${draft.id}`], [org, 'GET', `/news/issues/${sent.id}`],
		[org, 'POST', '/news/issues', { subject: 'Geheugen', body: 'Een **korte** tekst.' }],
		[org, 'POST', `/news/issues/${draft.id}`, { subject: draft.subject, body: 'Nieuwe tekst met [een link](https://example.org).' }],
		[org, 'POST', `/news/issues/${draft.id}/test`, {}],
	];
	const wrong = [];
	let ranOut = 0;
	for (const [c, method, p, form, json] of cases) {
		// Every N at first, then in growing steps: big pages take thousands.
		let n = 1;
		for (; n <= 50000; n += n < 300 ? 1 : Math.ceil(n / 20)) {
			const r = await faulty(c, method, p, n, form, json);
			if (!Number(r.headers.get('x-openplan-arena-failed') || 0)) {
				if (r.status >= 500) wrong.push(`${method} ${p}: ${r.status} without running out`);
				break;
			}
			ranOut++;
			if (method === 'POST' && r.status === 303) continue;
			if (r.status !== 503 || !/too busy right now|te druk/.test(r.text))
				wrong.push(`${method} ${p}, N=${n}: ${r.status} after running out`);
		}
		if (n > 50000) wrong.push(`${method} ${p}: still running out at N=50000`);
	}
	assert.deepEqual(wrong, []);
	assert.ok(ranOut > 100, `only ${ranOut} requests ran out`);
	statusIs(await anon().get('/healthz'), 200, 'still serving');
	statusIs(await fenna.get('/notifications'), 200, 'still serving pages');
}

// ---------- a person's own data ----------

async function my_data_download_and_erasure() {
	const joris = await signedIn(JORIS, DEMO_PW, 'nl');
	const r = await joris.get('/account/data');
	statusIs(r, 200);
	assert.match(r.headers.get('content-disposition'), /attachment; filename="openplan-my-data.json"/);
	const d = r.json();
	assert.equal(d.account.email, JORIS);
	assert.ok(Array.isArray(d.account.memberships) && d.account.memberships.length >= 1);
	assert.ok(Array.isArray(d.adoption_offers) && d.adoption_offers.length >= 1, 'offers');
	assert.ok(Array.isArray(d.notifications.notifications));
	assert.ok(Array.isArray(d.consultation_responses));
	assert.equal(d.newsletter.subscribed, false);
	assert.ok(!r.text.includes(PART.email), 'nobody else in it');
	// What Joris contributed stays when he goes.
	const cr = await idOf('Contract Register');
	const before = (await anon().get(`/api/v1/action-points/${cr}`)).json().point;
	const nUpdates = before.updates.length;
	assert.ok(nUpdates >= 1);
	const page = await joris.get('/account/erase');
	statusIs(page, 200);
	has(page.text, 'Download je gegevens');
	const wrong = await joris.postc('/account/erase', { password: 'not my password', understood: '1' });
	statusIs(wrong, 422);
	assert.ok(fieldError(wrong.text, 'password'), 'a message at the password');
	const unticked = await joris.postc('/account/erase', { password: DEMO_PW });
	statusIs(unticked, 422);
	assert.equal(fieldError(unticked.text, 'understood'), 'Vink dit vakje aan als je je account wilt wissen.');
	const ok = await joris.postc('/account/erase', { password: DEMO_PW, understood: '1' });
	statusIs(ok, 303, 'erased');
	assert.ok(!joris.jar.has('op_session'), 'signed out');
	const m = await waitFor(JORIS, m => /erased|gewist/.test(m.subject));
	assert.equal(m.subject, 'Je openplan-account is gewist');
	const si = await anon().postc('/signin', { email: JORIS, password: DEMO_PW });
	statusIs(si, 422, 'the account is gone');
	const after = (await anon().get(`/api/v1/action-points/${cr}`)).json().point;
	assert.equal(after.updates.length, nUpdates, 'progress updates stay');
	const html = (await anon().get(`/actions/${cr}`)).text;
	hasNot(html, 'Joris Bakker');
	const priv = await anon().get('/privacy');
	statusIs(priv, 200);
	has(priv.text, 'What we keep and for how long');
}

const tests = [
	signup_sends_a_confirmation_and_its_link_signs_in, signin_before_confirming_sends_a_new_link,
	signup_with_a_known_address_answers_the_same_and_mails_the_owner,
	password_reset_by_mail_works_once_and_tells_nothing, bad_addresses_and_header_injection_are_refused,
	following_and_notification_mail, email_settings_choose_per_kind,
	newsletter_from_subscribe_to_archive_and_unsubscribe, refused_recipients_fail_with_the_servers_answer,
	an_unreachable_server_delays_mail_but_not_the_page, outbox_without_a_server_is_read_by_admins,
	kill_9_of_the_smtp_server_while_sending_loses_nothing, kill_9_of_openplan_while_sending_loses_nothing,
	a_published_consultation_reaches_its_themes_and_plans_followers,
	mail_news_and_notify_survive_running_out_of_memory, my_data_download_and_erasure,
];

await runSuite(tests, {
	timeoutMs: 120000,
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		for (const [u, role] of [[ADMIN, 'admin'], [ORG, 'organiser'], [PART, 'participant'],
		                          [FENNA, 'participant'], [GIJS, 'participant'], [HANNA, 'participant'], [IVO, 'participant']])
			mustCli(['user', 'add', '--db', DB, '--email', u.email, '--name', u.name, '--role', role], PW + '\n');
		smtp = new SmtpServer(MAILDIR);
		await smtp.start();
		port = await freePort();
		S = await startServer('mail', DB, smtp.url, port);
	},
	async teardown() {
		const r = [await stopChecked(S)];
		for (const s of extra) r.push(await stopChecked(s));
		await smtp.kill('SIGTERM');
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
