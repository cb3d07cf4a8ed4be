#!/usr/bin/env node
// End-to-end tests of live polls (issue 6).
//   node tests/e2e/polls.mjs PATH/TO/openplan
// The presenter's path (create, questions, open, present, QR, lock, show
// results, reset, report as page/CSV/JSON, attach to the plan) and the
// participant's (join with the code, vote, change a vote, JSON API), live
// results over Server-Sent Events, N concurrent voters counted exactly,
// and every bad input: wrong/closed/unopened codes, votes on a question
// that is not open or locked, an option of another question, too long
// answers, flooding, forged cookies, malformed votes and abandoned streams.
// The server is stopped with SIGTERM while 100 streams are open: it must
// exit 0 without sanitizer reports.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, has, hasNot, statusIs, fieldError, runSuite, stopChecked,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-polls-'));
const DB = path.join(TMP, 'polls.db');
const PW = 'correct horse battery';
const ORG = 'poll.organiser@e2e.example';
const PART = 'poll.participant@e2e.example';

let S, org;
const anon = () => new Client(S.base, { lang: 'en' });

// ---------- helpers ----------

async function newPoll(title, mode = 'presenter', questions = []) {
	const r = await org.postc('/polls', { title, mode });
	statusIs(r, 303, 'create poll');
	const id = Number(r.location.match(/\/polls\/(\d+)$/)[1]);
	for (const q of questions) {
		const a = await org.postc(`/polls/${id}/questions`, q);
		statusIs(a, 303, `add question ${q.prompt}`);
	}
	const j = (await org.get(`/api/v1/polls/${id}`)).json();
	return { id, code: j.poll.code, questions: j.questions };
}

const control = (id, action, question) =>
	org.postc(`/polls/${id}/control`, question ? { action, question: String(question) } : { action });

// A participant: joins (gets the signed cookie), votes through the JSON API.
async function joinAs(code) {
	const c = anon();
	const r = await c.get(`/api/v1/p/${code}`);
	statusIs(r, 200, 'join');
	assert.ok(c.jar.get('op_poll'), 'participant cookie set');
	return c;
}
function vote(c, code, body, headers = {}) {
	return c.req('POST', `/api/v1/p/${code}/vote`, {
		body: JSON.stringify(body),
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.jar.get('op_csrf') || '', ...headers },
	});
}

// Opens an event stream; resolves with an object collecting its events.
function stream(p, cookie = '') {
	return new Promise((resolve, reject) => {
		const req = http.get(S.base + p, { headers: { Accept: 'text/event-stream', Cookie: cookie } }, res => {
			const s = { res, status: res.statusCode, headers: res.headers, events: [], buf: '', waiters: [] };
			res.setEncoding('utf8');
			res.on('data', d => {
				s.buf += d;
				let i;
				while ((i = s.buf.indexOf('\n\n')) >= 0) {
					const block = s.buf.slice(0, i);
					s.buf = s.buf.slice(i + 2);
					const data = block.split('\n').filter(l => l.startsWith('data: ')).map(l => l.slice(6)).join('\n');
					if (data) s.events.push(JSON.parse(data));
					s.waiters = s.waiters.filter(w => !w());
				}
			});
			res.on('error', () => {});
			s.close = () => { req.destroy(); };
			s.until = (pred, ms = 3000) => new Promise((ok, ko) => {
				const t = setTimeout(() => ko(new Error(`no matching event in ${ms} ms; last: ${JSON.stringify(s.events.at(-1))?.slice(0, 300)}`)), ms);
				const check = () => { const e = s.events.find(pred); if (e) { clearTimeout(t); ok(e); return true; } return false; };
				if (!check()) s.waiters.push(check);
			});
			resolve(s);
		});
		req.on('error', reject);
	});
}
const orgCookie = () => org.cookieHeader();

// ---------- tests ----------

async function presenter_creates_poll_with_every_kind() {
	const bad = await org.postc('/polls', { title: '', mode: 'presenter' });
	statusIs(bad, 422, 'empty title');
	assert.equal(fieldError(bad.text, 'title'), 'Fill in this field.');
	const p = await newPoll('Stakeholderforum test', 'presenter', [
		{ kind: 'single', prompt: 'Hoe vaak?', options: 'Vaak\nSoms\nNooit' },
		{ kind: 'multiple', prompt: 'Welke?', options: 'A\nB\nC' },
		{ kind: 'open', prompt: 'Wat vind je?' },
		{ kind: 'words', prompt: 'In één woord?' },
		{ kind: 'ranking', prompt: 'Volgorde?', options: 'X\nY\nZ' },
		{ kind: 'scale', prompt: 'Hoe tevreden?', scale_min: '1', scale_max: '5' },
	]);
	assert.equal(p.questions.length, 6);
	assert.match(p.code, /^\d{6}$/);
	assert.deepEqual(p.questions.map(q => q.kind), ['single', 'multiple', 'open', 'words', 'ranking', 'scale']);
	// Bad questions are re-shown with a message at the field.
	let r = await org.postc(`/polls/${p.id}/questions`, { kind: 'single', prompt: 'Eén optie', options: 'Alleen' });
	statusIs(r, 422, 'one option');
	assert.equal(fieldError(r.text, 'options'), 'Give at least two options, one per line.');
	r = await org.postc(`/polls/${p.id}/questions`, { kind: 'scale', prompt: 'Schaal', scale_min: '5', scale_max: '2' });
	statusIs(r, 422, 'bad scale');
	r = await org.postc(`/polls/${p.id}/questions`, { kind: 'nonsense', prompt: 'X' });
	statusIs(r, 422, 'bad kind');
	// Participants cannot join before it opens.
	r = await anon().get(`/p/${p.code}`);
	statusIs(r, 409, 'draft poll');
	has(r.text, 'This poll has not started yet. Wait until the presenter opens it.');
	statusIs(await control(p.id, 'open'), 303, 'open');
	const j = (await org.get(`/api/v1/polls/${p.id}`)).json();
	assert.equal(j.poll.status, 'open');
	assert.equal(j.poll.current, p.questions[0].id, 'the first question opens');
	// Presenter view: code, QR image, results table; QR is an SVG with a title.
	r = await org.get(`/polls/${p.id}/present`);
	statusIs(r, 200, 'present');
	has(r.text, `${p.code.slice(0, 3)} ${p.code.slice(3)}`);
	has(r.text, `src="/polls/${p.id}/qr.svg"`);
	has(r.text, 'data-poll-stream=');
	has(r.text, '<noscript><meta http-equiv="refresh" content="3"></noscript>');
	r = await org.get(`/polls/${p.id}/qr.svg`);
	statusIs(r, 200, 'qr');
	assert.equal(r.headers.get('content-type'), 'image/svg+xml');
	assert.match(r.text, /^<svg [^>]*role="img"/);
	has(r.text, `<title id="qr-title">QR code to join the poll</title>`);
	has(r.text, `/p?code=${p.code}`);
	// Only organisers run polls.
	statusIs(await anon().get(`/polls/${p.id}`), 303, 'anonymous redirected to sign in');
	const part = new Client(S.base, { lang: 'en' });
	await part.signin(PART, PW);
	statusIs(await part.get(`/polls/${p.id}`), 403, 'participant account');
	statusIs(await part.get(`/polls/${p.id}/stream`), 403, 'participant account stream');
}

async function participant_joins_votes_and_changes_vote() {
	const p = await newPoll('Deelnemer', 'presenter', [{ kind: 'single', prompt: 'Kleur?', options: 'Rood\nBlauw' }]);
	await control(p.id, 'open');
	const c = anon();
	let r = await c.get('/p');
	statusIs(r, 200, '/p');
	has(r.text, 'Code of the poll (6 digits)');
	await c.csrf('/p');
	r = await c.postc('/p', { code: `${p.code.slice(0, 3)} ${p.code.slice(3)}` });
	statusIs(r, 303, 'join with spaced code');
	assert.equal(r.location, `/p/${p.code}`);
	r = await c.get(`/p/${p.code}`);
	statusIs(r, 200, 'participant page');
	assert.ok(c.jar.get('op_poll'), 'participant cookie');
	has(r.text, 'Kleur?');
	has(r.text, `action="/p/${p.code}/vote"`);
	const [rood, blauw] = p.questions[0].options;
	r = await c.postc(`/p/${p.code}/vote`, { question: String(p.questions[0].id), option: String(rood.id) });
	statusIs(r, 303, 'form vote');
	r = await c.get(`/p/${p.code}`);
	has(r.text, 'Your answer is saved. You can change it.');
	assert.match(r.text, new RegExp(`id="o${rood.id}" name="option" value="${rood.id}" checked`));
	// Change of mind: replaces, not adds.
	r = await c.postc(`/p/${p.code}/vote`, { question: String(p.questions[0].id), option: String(blauw.id) });
	statusIs(r, 303, 'changed vote');
	const rep = (await org.get(`/api/v1/polls/${p.id}/report`)).json();
	assert.equal(rep.questions[0].voters, 1);
	assert.deepEqual(rep.questions[0].options.map(o => o.n), [0, 1]);
	// The JSON API says whether it replaced.
	r = await vote(c, p.code, { question: p.questions[0].id, options: [rood.id] });
	statusIs(r, 200, 'api vote');
	assert.deepEqual(r.json(), { ok: true, question: p.questions[0].id, replaced: true });
}

async function wrong_closed_and_unopened_codes() {
	const c = anon();
	await c.csrf('/p');
	let r = await c.postc('/p', { code: '12345' });
	statusIs(r, 422, 'five digits');
	has(r.text, 'Type the 6 digits of the code.');
	// A code no poll has (codes are random: find one not in use).
	const list = (await org.get('/polls', { json: true })).json().polls.map(x => x.code);
	let unused = '000000';
	for (let i = 0; list.includes(unused); i++) unused = String(i).padStart(6, '0');
	r = await c.postc('/p', { code: unused });
	statusIs(r, 404, 'unknown code');
	has(r.text, 'There is no poll with this code. Check the code and try again.');
	r = await c.get(`/api/v1/p/${unused}`);
	statusIs(r, 404, 'unknown code api');
	assert.equal(r.json().error.message, 'There is no poll with this code. Check the code and try again.');
	statusIs(await c.get('/p/abcdef'), 404, 'not digits');
	const p = await newPoll('Gesloten', 'presenter', [{ kind: 'open', prompt: 'Iets?' }]);
	await control(p.id, 'open');
	const voter = await joinAs(p.code);
	await control(p.id, 'close');
	r = await c.get(`/p/${p.code}`);
	statusIs(r, 410, 'closed poll');
	has(r.text, 'This poll has ended. Thank you for taking part.');
	r = await vote(voter, p.code, { question: p.questions[0].id, text: 'te laat' });
	statusIs(r, 410, 'vote on closed poll');
	r = await c.postc('/p', { code: p.code });
	statusIs(r, 410, 'join closed poll');
}

async function votes_on_closed_or_locked_questions_and_foreign_options() {
	const p = await newPoll('Slot', 'presenter', [
		{ kind: 'single', prompt: 'Eerste', options: 'Ja\nNee' },
		{ kind: 'single', prompt: 'Tweede', options: 'Links\nRechts' },
	]);
	await control(p.id, 'open');
	const c = await joinAs(p.code);
	const [q1, q2] = p.questions;
	// The second question is not open yet.
	let r = await vote(c, p.code, { question: q2.id, options: [q2.options[0].id] });
	statusIs(r, 409, 'not the open question');
	assert.equal(r.json().error.message, 'This question is not open for voting now.');
	// An option of another question.
	r = await vote(c, p.code, { question: q1.id, options: [q2.options[0].id] });
	statusIs(r, 422, 'foreign option');
	assert.equal(r.json().error.message, 'This answer is not one of the options of this question.');
	r = await vote(c, p.code, { question: 999999, options: [1] });
	statusIs(r, 404, 'question of no poll');
	r = await vote(c, p.code, { question: q1.id, options: [q1.options[0].id, q1.options[1].id] });
	statusIs(r, 422, 'two answers to a single choice');
	// Locked: voting has stopped.
	statusIs(await control(p.id, 'lock', q1.id), 303, 'lock');
	r = await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] });
	statusIs(r, 409, 'locked');
	assert.equal(r.json().error.message, 'This question is locked: voting has stopped.');
	r = await c.get(`/p/${p.code}`);
	has(r.text, 'Voting on this question has stopped.');
	await control(p.id, 'unlock', q1.id);
	statusIs(await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] }), 200, 'after unlock');
	// Next question: now the second is open and the first is not.
	statusIs(await control(p.id, 'next'), 303, 'next');
	statusIs(await vote(c, p.code, { question: q1.id, options: [q1.options[1].id] }), 409, 'first closed now');
	statusIs(await vote(c, p.code, { question: q2.id, options: [q2.options[1].id] }), 200, 'second open');
	statusIs(await control(p.id, 'current', 424242), 404, 'current: unknown question');
}

async function answers_too_long_malformed_and_every_kind() {
	const p = await newPoll('Soorten', 'self', [
		{ kind: 'open', prompt: 'Open' },
		{ kind: 'words', prompt: 'Woorden' },
		{ kind: 'ranking', prompt: 'Rang', options: 'X\nY\nZ' },
		{ kind: 'scale', prompt: 'Schaal', scale_min: '1', scale_max: '5' },
		{ kind: 'multiple', prompt: 'Meer', options: 'A\nB\nC' },
	]);
	await control(p.id, 'open');
	const [open, words, rank, scale, multi] = p.questions;
	const c = await joinAs(p.code);
	let r = await vote(c, p.code, { question: open.id, text: 'x'.repeat(501) });
	statusIs(r, 422, 'open too long');
	assert.equal(r.json().error.message, 'Your answer is too long: at most 500 characters.');
	statusIs(await vote(c, p.code, { question: open.id, text: 'é'.repeat(500) }), 200, '500 characters');
	statusIs(await vote(c, p.code, { question: open.id, text: '   ' }), 422, 'empty');
	r = await vote(c, p.code, { question: words.id, text: 'w'.repeat(101) });
	statusIs(r, 422, 'words too long');
	assert.equal(r.json().error.message, 'Your answer is too long: at most 100 characters.');
	r = await vote(c, p.code, { question: words.id, text: 'de het een' });
	statusIs(r, 422, 'only stop words');
	statusIs(await vote(c, p.code, { question: words.id, text: 'Workshops en een quiz' }), 200, 'words');
	const ids = rank.options.map(o => o.id);
	statusIs(await vote(c, p.code, { question: rank.id, options: [ids[2], ids[0], ids[1]] }), 200, 'ranking');
	r = await vote(c, p.code, { question: rank.id, options: [ids[2], ids[0]] });
	statusIs(r, 422, 'ranking incomplete');
	assert.equal(r.json().error.message, 'Put every option in a different place.');
	statusIs(await vote(c, p.code, { question: scale.id, value: 6 }), 422, 'scale out of range');
	statusIs(await vote(c, p.code, { question: scale.id, value: 4 }), 200, 'scale');
	statusIs(await vote(c, p.code, { question: multi.id, options: multi.options.slice(0, 2).map(o => o.id) }), 200, 'multiple');
	// Malformed bodies.
	for (const body of ['{', '[]', '{"question":"1"}', '{"question":1,"options":"x"}', '{"question":1,"value":"4"}']) {
		r = await c.req('POST', `/api/v1/p/${p.code}/vote`, { body, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.jar.get('op_csrf') } });
		statusIs(r, 400, `malformed ${body}`);
		assert.equal(r.json().error.message, 'Your vote could not be read. Answer from the poll\'s page.');
	}
	// Without the CSRF token: refused.
	r = await vote(c, p.code, { question: scale.id, value: 3 }, { 'X-CSRF-Token': 'x'.repeat(43) });
	statusIs(r, 403, 'no csrf');
	// Ranking through the form (places), duplicates refused.
	const f = anon();
	await f.get(`/p/${p.code}`);
	r = await f.postc(`/p/${p.code}/vote`, { question: String(rank.id), [`rank_${ids[0]}`]: '1', [`rank_${ids[1]}`]: '2', [`rank_${ids[2]}`]: '3' });
	statusIs(r, 303, 'form ranking');
	r = await f.postc(`/p/${p.code}/vote`, { question: String(rank.id), [`rank_${ids[0]}`]: '1', [`rank_${ids[1]}`]: '1', [`rank_${ids[2]}`]: '3' });
	statusIs(r, 422, 'form ranking with a shared place');
	const rep = (await org.get(`/api/v1/polls/${p.id}/report`)).json();
	const rr = rep.questions[2];
	// API: Z, X, Y (3, 2, 1 points); form: X, Y, Z by place.
	assert.deepEqual(rr.options.map(o => o.points), [2 + 3, 1 + 2, 3 + 1], 'ranking points');
	assert.equal(rep.questions[3].average, 4);
}

async function forged_and_missing_cookies() {
	const p = await newPoll('Koekjes', 'presenter', [{ kind: 'single', prompt: 'Ja?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const c = await joinAs(p.code);
	const real = c.jar.get('op_poll');
	// Another id under the real signature, a changed signature, junk.
	const forged = [
		(real[0] === 'a' ? 'b' : 'a') + real.slice(1),
		real.slice(0, 40) + (real[40] === '0' ? '1' : '0') + real.slice(41),
		'nonsense',
		'0'.repeat(32) + '.' + '0'.repeat(64),
	];
	for (const f of forged) {
		c.jar.set('op_poll', f);
		const r = await vote(c, p.code, { question: q.id, options: [q.options[0].id] });
		statusIs(r, 403, `forged ${f.slice(0, 10)}`);
		assert.equal(r.json().error.message, 'Your participant cookie is not valid. Open the poll again with its code.');
	}
	c.jar.delete('op_poll');
	const r = await vote(c, p.code, { question: q.id, options: [q.options[0].id] });
	statusIs(r, 403, 'no cookie');
	assert.equal(r.json().error.message, 'Join the poll first: open it with its code.');
	// A forged cookie on the page gets a new, valid one.
	c.jar.set('op_poll', forged[0]);
	await c.get(`/p/${p.code}`);
	assert.notEqual(c.jar.get('op_poll'), forged[0]);
	statusIs(await vote(c, p.code, { question: q.id, options: [q.options[0].id] }), 200, 'with the new cookie');
	assert.equal((await org.get(`/api/v1/polls/${p.id}/report`)).json().questions[0].voters, 1);
}

async function flooding_is_rate_limited() {
	const p = await newPoll('Vloed', 'presenter', [{ kind: 'single', prompt: 'Snel?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const c = await joinAs(p.code);
	const codes = [];
	for (let i = 0; i < 30; i++)
		codes.push((await vote(c, p.code, { question: q.id, options: [q.options[i % 2].id] })).status);
	assert.equal(codes.filter(s => s === 200).length, 20, `20 votes pass: ${codes}`);
	assert.equal(codes.filter(s => s === 429).length, 10);
	const r = await vote(c, p.code, { question: q.id, options: [q.options[0].id] });
	statusIs(r, 429, 'still flooding');
	assert.equal(r.json().error.message, 'You are voting too fast. Wait a moment and try again.');
	assert.equal(r.headers.get('retry-after'), '10');
	// Another participant is not affected, and the count is one per person.
	const d = await joinAs(p.code);
	statusIs(await vote(d, p.code, { question: q.id, options: [q.options[0].id] }), 200, 'other participant');
	assert.equal((await org.get(`/api/v1/polls/${p.id}/report`)).json().questions[0].voters, 2);
}

async function concurrent_voters_all_counted() {
	const N = 60;
	const p = await newPoll('Drukte', 'presenter', [{ kind: 'multiple', prompt: 'Wat?', options: 'A\nB\nC' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const voters = await Promise.all(Array.from({ length: N }, () => joinAs(p.code)));
	const res = await Promise.all(voters.map((c, i) =>
		vote(c, p.code, { question: q.id, options: i % 2 ? [q.options[0].id, q.options[1].id] : [q.options[2].id] })));
	assert.deepEqual([...new Set(res.map(r => r.status))], [200]);
	const rep = (await org.get(`/api/v1/polls/${p.id}/report`)).json();
	assert.equal(rep.questions[0].voters, N);
	assert.deepEqual(rep.questions[0].options.map(o => o.n), [N / 2, N / 2, N / 2]);
}

async function sse_vote_reaches_listeners() {
	const p = await newPoll('Live', 'presenter', [{ kind: 'single', prompt: 'Live?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const pres = await stream(`/polls/${p.id}/stream`, orgCookie());
	assert.equal(pres.status, 200);
	assert.match(pres.headers['content-type'], /^text\/event-stream/);
	assert.equal(pres.headers['cache-control'], 'no-store');
	await pres.until(e => e.poll === p.id && e.results === true);
	const part = await stream(`/p/${p.code}/stream`);
	assert.equal(part.status, 200);
	const first = await part.until(e => e.poll === p.id);
	assert.equal(first.results, false, 'results hidden from participants');
	assert.equal(first.questions[0].options[0].n, undefined);
	const c = await joinAs(p.code);
	const t0 = Date.now();
	statusIs(await vote(c, p.code, { question: q.id, options: [q.options[1].id] }), 200, 'vote');
	const ev = await pres.until(e => e.questions[0].voters === 1, 1000);
	assert.equal(ev.questions[0].options[1].n, 1);
	assert.ok(Date.now() - t0 < 1000, 'within one second');
	// A burst of votes is coalesced: fewer events than votes.
	const before = pres.events.length;
	const burst = await Promise.all(Array.from({ length: 20 }, () => joinAs(p.code)));
	await Promise.all(burst.map(b => vote(b, p.code, { question: q.id, options: [q.options[0].id] })));
	await pres.until(e => e.questions[0].voters === 21, 2000);
	assert.ok(pres.events.length - before < 20, `coalesced: ${pres.events.length - before} events for 20 votes`);
	// Showing results reaches participants, with the counts.
	statusIs(await control(p.id, 'show'), 303, 'show');
	const shown = await part.until(e => e.show_results === true && e.results === true, 2000);
	assert.equal(shown.questions[0].voters, 21);
	// The participant's stream also joins: its response sets the cookie.
	assert.ok((part.headers['set-cookie'] || []).some(s => s.startsWith('op_poll=')));
	pres.close();
	part.close();
	statusIs(await anon().get('/p/999999/stream'), 404, 'stream of no poll');
	statusIs(await anon().req('POST', `/p/${p.code}/stream`), 405, 'POST to a stream');
}

async function abandoned_and_malformed_streams_are_freed() {
	const p = await newPoll('Verlaten', 'presenter', [{ kind: 'single', prompt: 'Weg?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	// 30 clients open a stream and vanish without a word; 10 send half a request.
	for (let i = 0; i < 30; i++) {
		const s = net.connect(S.port, '127.0.0.1');
		s.on('error', () => {});
		s.write(`GET /p/${p.code}/stream HTTP/1.1\r\nHost: x\r\n\r\n`);
		setTimeout(() => s.destroy(), 100);
	}
	for (let i = 0; i < 10; i++) {
		const s = net.connect(S.port, '127.0.0.1');
		s.on('error', () => {});
		s.write(`GET /p/${p.code}/str`);
		setTimeout(() => s.destroy(), 100);
	}
	await new Promise(r => setTimeout(r, 300));
	// A vote makes the broadcaster write to every stream: the gone ones close.
	const c = await joinAs(p.code);
	statusIs(await vote(c, p.code, { question: p.questions[0].id, options: [p.questions[0].options[0].id] }), 200, 'vote');
	await new Promise(r => setTimeout(r, 400));
	const r = await anon().get('/healthz');
	statusIs(r, 200, 'server still healthy');
}

async function reset_report_csv_and_attach_to_plan() {
	const p = await newPoll('Rapport', 'self', [
		{ kind: 'single', prompt: 'Keuze', options: 'Workshops\nNieuwsbrief' },
		{ kind: 'open', prompt: 'Open vraag' },
		{ kind: 'words', prompt: 'Woordwolk' },
	]);
	await control(p.id, 'open');
	const [ch, op, wd] = p.questions;
	const a = await joinAs(p.code), b = await joinAs(p.code);
	await vote(a, p.code, { question: ch.id, options: [ch.options[0].id] });
	await vote(a, p.code, { question: op.id, text: '=SOM(A1) "quote"' });
	await vote(a, p.code, { question: wd.id, text: 'Workshops, bijeenkomsten' });
	await vote(b, p.code, { question: wd.id, text: 'workshop' });
	let r = await org.get(`/polls/${p.id}/report`);
	statusIs(r, 200, 'report page');
	has(r.text, 'Download as CSV');
	has(r.text, '=SOM(A1) &quot;quote&quot;');
	r = await org.get(`/api/v1/polls/${p.id}/report`);
	const j = r.json();
	assert.deepEqual(j.questions[2].words, [{ word: 'workshops', n: 2 }, { word: 'bijeenkomsten', n: 1 }]);
	assert.deepEqual(j.questions[1].answers, ['=SOM(A1) "quote"']);
	r = await org.get(`/polls/${p.id}/report.csv`);
	statusIs(r, 200, 'csv');
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	const lines = r.text.trim().split('\r\n');
	assert.equal(lines[0], 'question_number,question,kind,answer,count,points');
	assert.ok(lines.includes('1,"Keuze",single,"Workshops",1,0'));
	assert.ok(lines.includes(`2,"Open vraag",open,"'=SOM(A1) ""quote""",1,0`), 'formula neutralised, quotes doubled');
	assert.ok(lines.includes('3,"Woordwolk",words,"workshops",2,0'));
	// Not attached: not public.
	statusIs(await anon().get(`/polls/${p.id}/report`), 404, 'unattached report hidden');
	statusIs(await control(p.id, 'attach'), 303, 'attach');
	statusIs(await anon().get(`/polls/${p.id}/report`), 200, 'attached report public');
	const home = await anon().get('/');
	has(home.text, `<a class="nl-link" href="/polls/${p.id}/report">Rapport</a>`);
	const planJson = (await anon().get('/api/v1/plan')).json();
	assert.ok(planJson.polls.some(x => x.id === p.id), 'plan JSON lists the report');
	// Reset a test run: refused without the confirmation box, then nothing counted any more.
	const unconfirmed = await control(p.id, 'reset');
	statusIs(unconfirmed, 422, 'reset without confirmation');
	has(unconfirmed.text, 'Tick the box to confirm that all answers may be removed. Nothing was removed.');
	assert.notDeepEqual((await org.get(`/api/v1/polls/${p.id}/report`)).json().questions.map(q => q.voters), [0, 0, 0], 'answers kept');
	statusIs(await org.postc(`/polls/${p.id}/control`, { action: 'reset', confirm: 'yes' }), 303, 'reset');
	const after = (await org.get(`/api/v1/polls/${p.id}/report`)).json();
	assert.deepEqual(after.questions.map(q => q.voters), [0, 0, 0]);
	assert.deepEqual(after.questions[2].words, []);
}

async function participant_page_without_js_refreshes_while_waiting() {
	const p = await newPoll('Wachten', 'presenter', [{ kind: 'single', prompt: 'Klaar?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	const c = anon();
	let r = await c.get(`/p/${p.code}`);
	hasNot(r.text, 'http-equiv="refresh"', 'a question to answer: no refresh');
	await c.postc(`/p/${p.code}/vote`, { question: String(p.questions[0].id), option: String(p.questions[0].options[0].id) });
	r = await c.get(`/p/${p.code}`);
	has(r.text, '<noscript><meta http-equiv="refresh" content="5"></noscript>');
	has(r.text, 'Thank you! Wait for the next question.');
	has(r.text, 'src="/static/poll-');
}

// ---------- run ----------

let held = [];
runSuite([
	presenter_creates_poll_with_every_kind,
	participant_joins_votes_and_changes_vote,
	wrong_closed_and_unopened_codes,
	votes_on_closed_or_locked_questions_and_foreign_options,
	answers_too_long_malformed_and_every_kind,
	forged_and_missing_cookies,
	flooding_is_rate_limited,
	concurrent_voters_all_counted,
	sse_vote_reaches_listeners,
	abandoned_and_malformed_streams_are_freed,
	reset_report_csv_and_attach_to_plan,
	participant_page_without_js_refreshes_while_waiting,
], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ORG, '--name', 'Petra Presenter', '--role', 'organiser'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', PART, '--name', 'Piet Participant', '--role', 'participant'], PW + '\n');
		S = await new Server('polls', DB, { OPENPLAN_IP_LIMIT: '10000' }).start();
		org = new Client(S.base, { lang: 'en' });
		await org.signin(ORG, PW);
	},
	async teardown() {
		// SIGTERM while 100 streams are open: a clean exit, nothing leaked.
		const p = await newPoll('Stop', 'presenter', [{ kind: 'single', prompt: 'Stop?', options: 'Ja\nNee' }]);
		await control(p.id, 'open');
		held = await Promise.all(Array.from({ length: 100 }, (_, i) =>
			i % 10 ? stream(`/p/${p.code}/stream`) : stream(`/polls/${p.id}/stream`, orgCookie())));
		const open = held.filter(s => s.status === 200).length;
		const res = [['100 streams open before stopping', open === 100, `${open} open`]];
		const ended = Promise.all(held.map(s => new Promise(r => { s.res.on('end', r); s.res.on('close', r); })));
		res.push(await stopChecked(S));
		const all = await Promise.race([ended.then(() => true), new Promise(r => setTimeout(() => r(false), 5000))]);
		res.push(['every stream ended by the server', all, 'some streams stayed open']);
		fs.rmSync(TMP, { recursive: true, force: true });
		return res;
	},
});
