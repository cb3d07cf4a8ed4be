#!/usr/bin/env node
// End-to-end tests of live polls (issues 6, 9, 10, 16, 17).
//   node tests/e2e/polls.mjs PATH/TO/openplan
// Every role's path: the organiser (a new poll, settings, questions, the
// controls, removing a draft, the presenter's screen, the QR code, the
// report as page, CSV and JSON, attaching it to the plan), the participant
// (join with the code, vote by form and JSON, change a vote, a ranking with
// a shared place, a question that moved on, a poll that ended) and the
// public (reports only when attached, never a draft's). Every form on its
// table: bad input comes back at its field with the exact message. The
// API answers are data. Live streams send only what changed: nothing to
// participants while results are hidden, only the current question's
// counts, bursts coalesced. The limits: wrong codes and new participants
// per address, votes per participant, participants per network and
// question (a script with fresh cookies stops at a room's worth; the hall
// of the presenter's screen, or one the organiser allows, does not). Word
// clouds keep "open source" whole and show the spelling typed most often.
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
const DB2 = path.join(TMP, 'limits.db');
const PW = 'correct horse battery';
const ORG = 'poll.organiser@e2e.example';
const PART = 'poll.participant@e2e.example';
const ORG2 = 'poll.other.organiser@e2e.example';

let S, L, P, org;
// The limits server runs with an https base address: __Host- cookies.
const anon = (srv = S) => new Client(srv.base, { lang: 'en', https: srv === L });
const pollCookie = c => c.jar.get('op_poll') ?? c.jar.get('__Host-op_poll');
const sleep = ms => new Promise(r => setTimeout(r, ms));

// ---------- helpers ----------

async function newPoll(title, mode = 'presenter', questions = [], c = org) {
	const r = await c.postc('/polls', { title, mode });
	statusIs(r, 303, 'create poll');
	const id = Number(r.location.match(/\/polls\/(\d+)$/)[1]);
	for (const q of questions) {
		const a = await c.postc(`/polls/${id}/questions`, q);
		statusIs(a, 303, `add question ${q.prompt}`);
	}
	const j = (await c.get(`/api/v1/polls/${id}`)).json();
	return { id, code: j.poll.code, questions: j.questions };
}

const control = (id, action, question, c = org) =>
	c.postc(`/polls/${id}/control`, question ? { action, question: String(question) } : { action });

// A participant: joins (gets the signed cookie) through the JSON API.
async function joinAs(code, srv = S) {
	const c = anon(srv);
	const r = await c.get(`/api/v1/p/${code}`);
	statusIs(r, 200, 'join');
	assert.ok(pollCookie(c), 'participant cookie set');
	return c;
}
function vote(c, code, body, headers = {}) {
	return c.req('POST', `/api/v1/p/${code}/vote`, {
		body: JSON.stringify(body),
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.token() || '', ...headers },
	});
}
const report = async id => (await org.get(`/api/v1/polls/${id}/report`)).json();

// Opens an event stream; resolves with an object collecting its events.
function stream(p, cookie = '', base = S.base) {
	return new Promise((resolve, reject) => {
		const req = http.get(base + p, { headers: { Accept: 'text/event-stream', Cookie: cookie } }, res => {
			const s = { res, status: res.statusCode, headers: res.headers, events: [], raw: '', buf: '', waiters: [], ended: false };
			res.setEncoding('utf8');
			res.on('data', d => {
				s.raw += d;
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
			res.on('end', () => { s.ended = true; });
			res.on('close', () => { s.ended = true; });
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

// ---------- the organiser ----------

async function organiser_makes_a_poll_on_the_form_contract() {
	let r = await org.postc('/polls', { title: '', mode: 'presenter' });
	statusIs(r, 422, 'empty title');
	assert.equal(fieldError(r.text, 'new-title'), 'Fill in this field.');
	r = await org.postc('/polls', { title: 'x'.repeat(201), mode: 'presenter' });
	statusIs(r, 422, 'long title');
	assert.equal(fieldError(r.text, 'new-title'), 'Use at most 200 characters; now there are 201.');
	has(r.text, 'value="' + 'x'.repeat(201) + '"', 'the title as typed');
	r = await org.postc('/polls', { title: 'Modus', mode: 'both' });
	statusIs(r, 422, 'bad mode');
	assert.equal(fieldError(r.text, 'new-mode'), 'Choose one of the options.');
	r = await org.postc('/polls', { title: 'Plan', mode: 'self', plan_id: '999999' });
	statusIs(r, 422, 'unknown plan');
	assert.equal(fieldError(r.text, 'new-plan_id'), 'Choose one of the options.');
	// A JSON client of the same form gets the message per field.
	r = await org.postc('/polls', { title: '', mode: 'presenter' }, { json: true });
	statusIs(r, 422, 'json');
	assert.deepEqual(r.json().error.fields, { title: 'Fill in this field.' });

	const p = await newPoll('Stakeholderforum test', 'presenter', [
		{ kind: 'single', prompt: 'Hoe vaak?', options: 'Vaak\nSoms\nNooit' },
		{ kind: 'multiple', prompt: 'Welke?', options: 'A\nB\nC' },
		{ kind: 'open', prompt: 'Wat vind je?' },
		{ kind: 'words', prompt: 'In één woord?' },
		{ kind: 'ranking', prompt: 'Volgorde?', options: 'X\nY\nZ' },
		{ kind: 'scale', prompt: 'Hoe tevreden?', scale_min: '1', scale_max: '5' },
	]);
	assert.match(p.code, /^\d{6}$/);
	assert.deepEqual(p.questions.map(q => q.kind), ['single', 'multiple', 'open', 'words', 'ranking', 'scale']);
	// Bad questions come back with a message at the field.
	const bad = [
		[{ kind: 'single', prompt: 'Eén optie', options: 'Alleen' }, 'question-options', 'Give at least two options, one per line.'],
		[{ kind: 'single', prompt: 'Dubbel', options: 'Ja\nJa' }, 'question-options', 'Give every option only once.'],
		[{ kind: 'ranking', prompt: 'Veel', options: Array.from({ length: 21 }, (_, i) => `Keuze ${i}`).join('\n') }, 'question-options', 'Give at most 20 options.'],
		[{ kind: 'multiple', prompt: 'Lang', options: 'a\n' + 'b'.repeat(121) }, 'question-options', 'Keep each option to at most 120 characters.'],
		[{ kind: 'scale', prompt: 'Schaal', scale_min: '5', scale_max: '2' }, 'question-scale_max', 'The scale must end higher than it starts.'],
		[{ kind: 'scale', prompt: 'Schaal', scale_min: '0', scale_max: '11' }, 'question-scale_max', 'Fill in a whole number from 1 to 10.'],
		[{ kind: 'nonsense', prompt: 'X' }, 'question-kind', 'Choose one of the options.'],
		[{ kind: 'open', prompt: '' }, 'question-prompt', 'Fill in this field.'],
	];
	for (const [form, field, msg] of bad) {
		r = await org.postc(`/polls/${p.id}/questions`, form);
		statusIs(r, 422, `${field} ${msg}`);
		assert.equal(fieldError(r.text, field), msg, JSON.stringify(form).slice(0, 60));
	}
	assert.equal((await org.get(`/api/v1/polls/${p.id}`)).json().questions.length, 6, 'nothing added');
	// Settings: a new title and the other mode; a plan that does not exist is refused.
	r = await org.postc(`/polls/${p.id}/settings`, { title: 'Stakeholderforum maart', mode: 'self', plan_id: '999999' });
	statusIs(r, 422, 'settings with an unknown plan');
	assert.equal(fieldError(r.text, 'settings-plan_id'), 'Choose one of the options.');
	statusIs(await org.postc(`/polls/${p.id}/settings`, { title: 'Stakeholderforum maart', mode: 'presenter', plan_id: '1' }), 303, 'settings');
	let j = (await org.get(`/api/v1/polls/${p.id}`)).json();
	assert.equal(j.poll.title, 'Stakeholderforum maart');
	assert.equal(j.poll.plan_id, 1);
	// A draft: only organisers see it; participants are told to wait.
	assert.equal(j.poll.status, 'draft');
	r = await anon().get(`/p/${p.code}`);
	statusIs(r, 409, 'draft poll');
	assert.equal(fieldError(r.text, 'join-code'), 'This poll has not started yet. Wait until the presenter opens it.');
	statusIs(await anon().get(`/polls/${p.id}/report`), 404, 'a draft report is not public');
	r = await control(p.id, 'attach');
	statusIs(r, 422, 'attach a draft');
	has(r.text, 'Open the poll first: the report of a poll that never opened cannot be published.');
	// Opening shows the first question.
	statusIs(await control(p.id, 'open'), 303, 'open');
	j = (await org.get(`/api/v1/polls/${p.id}`)).json();
	assert.equal(j.poll.status, 'open');
	assert.equal(j.poll.current_question_id, p.questions[0].id, 'the first question opens');
	// Only organisers run polls.
	statusIs(await anon().get(`/polls/${p.id}`), 303, 'anonymous redirected to sign in');
	statusIs(await anon().get(`/api/v1/polls/${p.id}`), 401, 'anonymous API');
	const part = new Client(S.base, { lang: 'en' });
	await part.signin(PART, PW);
	statusIs(await part.get(`/polls/${p.id}`), 403, 'participant account');
	statusIs(await part.get(`/api/v1/polls`), 403, 'participant account: the list');
	statusIs(await part.get(`/polls/${p.id}/stream`), 403, 'participant account stream');
	statusIs(await part.postc(`/polls/${p.id}/control`, { action: 'close' }), 403, 'participant account control');
}

async function the_controls_refuse_what_cannot_be_done_at_the_field() {
	const empty = await newPoll('Leeg');
	let r = await control(empty.id, 'open');
	statusIs(r, 422, 'open without questions');
	has(r.text, 'Add a question before you open the poll.');
	assert.equal((await org.get(`/api/v1/polls/${empty.id}`)).json().poll.status, 'draft');
	r = await control(empty.id, 'lock');
	statusIs(r, 422, 'lock without a question');
	has(r.text, 'Choose a question.');
	r = await control(empty.id, 'teleport');
	statusIs(r, 422, 'unknown action');
	has(r.text, 'Choose one of the options.');
	r = await control(empty.id, 'current', 424242);
	statusIs(r, 404, 'current: a question of no poll');
	// Removing: a draft nobody answered goes; one with answers stays.
	statusIs(await org.postc(`/polls/${empty.id}/delete`), 303, 'delete a draft');
	statusIs(await org.get(`/polls/${empty.id}`), 404, 'gone');
	const p = await newPoll('Blijft', 'presenter', [{ kind: 'open', prompt: 'Iets?' }]);
	await control(p.id, 'open');
	const c = await joinAs(p.code);
	statusIs(await vote(c, p.code, { question: p.questions[0].id, text: 'ja' }), 200, 'answer');
	r = await org.postc(`/polls/${p.id}/delete`);
	statusIs(r, 409, 'delete a poll with answers');
	has(r.text, 'People answered this poll, so it stays: close it instead. Its report keeps what they said.');
	statusIs(await org.postc('/polls/999999/delete'), 404, 'delete a poll that does not exist');
	r = await org.postc(`/polls/${p.id}/questions/${p.questions[0].id}/delete`);
	statusIs(r, 409, 'delete an answered question');
	has(r.text, 'People answered this question, so it stays in the report. If this was a test run, reset the poll first.');
	hasNot((await org.get(`/polls/${p.id}`)).text, `/questions/${p.questions[0].id}/delete`, 'no delete button for it');
	// The question on the screen is removed: the next one shows.
	const three = await newPoll('Drie', 'presenter', [
		{ kind: 'open', prompt: 'Een?' }, { kind: 'open', prompt: 'Twee?' }, { kind: 'open', prompt: 'Drie?' }]);
	await control(three.id, 'open');
	statusIs(await org.postc(`/polls/${three.id}/questions/${three.questions[0].id}/delete`), 303, 'remove the open question');
	assert.equal((await org.get(`/api/v1/polls/${three.id}`)).json().poll.current_question_id, three.questions[1].id);
	statusIs(await org.postc(`/polls/${three.id}/questions/${three.questions[0].id}/delete`), 404, 'remove it twice');
}

// ---------- the participant ----------

async function participant_joins_votes_and_changes_vote() {
	const p = await newPoll('Deelnemer', 'presenter', [{ kind: 'single', prompt: 'Kleur?', options: 'Rood\nBlauw' }]);
	await control(p.id, 'open');
	const c = anon();
	let r = await c.get('/p');
	statusIs(r, 200, '/p');
	has(r.text, 'Code of the poll (6 digits)');
	hasNot(r.text, 'class="op-nav"', 'no site menu on the phone');
	await c.csrf('/p');
	r = await c.postc('/p', { code: `${p.code.slice(0, 3)} ${p.code.slice(3)}` });
	statusIs(r, 303, 'join with a spaced code');
	assert.equal(r.location, `/p/${p.code}`);
	r = await c.get(`/p/${p.code}`);
	statusIs(r, 200, 'participant page');
	assert.ok(c.jar.get('op_poll'), 'participant cookie');
	has(r.text, 'Kleur?');
	hasNot(r.text, 'class="op-nav"', 'only the poll');
	hasNot(r.text, 'Your account', 'no account link');
	has(r.text, `action="/p/${p.code}/vote"`);
	const [rood, blauw] = p.questions[0].options;
	r = await c.postc(`/p/${p.code}/vote`, { question: String(p.questions[0].id), option: String(rood.id) });
	statusIs(r, 303, 'form vote');
	r = await c.get(`/p/${p.code}`);
	has(r.text, 'Your answer is saved. You can change it.');
	assert.match(r.text, new RegExp(`id="o${rood.id}" name="option" value="${rood.id}" checked`));
	// Change of mind: replaces, not adds.
	statusIs(await c.postc(`/p/${p.code}/vote`, { question: String(p.questions[0].id), option: String(blauw.id) }), 303, 'changed vote');
	const rep = await report(p.id);
	assert.equal(rep.questions[0].voters, 1);
	assert.deepEqual(rep.questions[0].options.map(o => o.n), [0, 1]);
	// The JSON API says whether it replaced, and shows my answer as data.
	r = await vote(c, p.code, { question: p.questions[0].id, options: [rood.id] });
	statusIs(r, 200, 'api vote');
	assert.deepEqual(r.json(), { ok: true, question: p.questions[0].id, replaced: true });
	const me = (await c.get(`/api/v1/p/${p.code}`)).json();
	assert.deepEqual(me.questions.map(q => [q.id, q.my_answer]), [[p.questions[0].id, { options: [rood.id] }]]);
	assert.equal(me.poll.current_question_id, p.questions[0].id);
	assert.equal(me.questions[0].voters, undefined, 'no counts while results are hidden');
	assert.equal(JSON.stringify(me).includes('_label') || JSON.stringify(me).includes('"is_'), false, 'no view fields');
}

async function a_bad_vote_comes_back_at_its_field() {
	const p = await newPoll('Velden', 'self', [
		{ kind: 'ranking', prompt: 'Volgorde?', options: 'Workshops\nNieuwsbrief\nPodcast' },
		{ kind: 'single', prompt: 'Eén?', options: 'Ja\nNee' },
		{ kind: 'open', prompt: 'Open?' },
		{ kind: 'scale', prompt: 'Schaal?', scale_min: '1', scale_max: '5' },
	]);
	await control(p.id, 'open');
	const [rank, single, open, scale] = p.questions;
	const [w, n, pc] = rank.options.map(o => o.id);
	const c = anon();
	await c.get(`/p/${p.code}`);
	// Two options in one place: said at the ranking, with their names, the places kept.
	let r = await c.postc(`/p/${p.code}/vote`, { question: String(rank.id), [`rank_${w}`]: '2', [`rank_${n}`]: '2', [`rank_${pc}`]: '1' });
	statusIs(r, 422, 'a shared place');
	assert.equal(fieldError(r.text, `q${rank.id}`), '“Workshops” and “Nieuwsbrief” both have place 2. Give each option its own place.');
	assert.match(r.text, new RegExp(`name="rank_${w}" aria-invalid="true"><option value="1">1</option><option value="2" selected>`));
	has(r.text, 'Your answer is not saved: look at the message at the question.');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(rank.id), [`rank_${w}`]: '1', [`rank_${n}`]: '3' });
	statusIs(r, 422, 'a ranking without every option');
	assert.equal(fieldError(r.text, `q${rank.id}`), 'Give every option its own place.');
	statusIs(await c.postc(`/p/${p.code}/vote`, { question: String(rank.id), [`rank_${w}`]: '3', [`rank_${n}`]: '1', [`rank_${pc}`]: '2' }), 303, 'a good ranking');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(single.id) });
	statusIs(r, 422, 'no choice');
	assert.equal(fieldError(r.text, `q${single.id}`), 'Choose an answer.');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(single.id), option: String(w) });
	statusIs(r, 422, 'an option of another question');
	assert.equal(fieldError(r.text, `q${single.id}`), 'This answer is not one of the options of this question.');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(open.id), text: 'x'.repeat(501) });
	statusIs(r, 422, 'too long, stopped by the form table');
	assert.equal(fieldError(r.text, `q${open.id}`), 'Use at most 500 characters; now there are 501.');
	has(r.text, '>' + 'x'.repeat(501) + '</textarea>', 'the text as typed');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(scale.id), value: '11' });
	statusIs(r, 422, 'off every scale, stopped by the form table');
	assert.equal(fieldError(r.text, `q${scale.id}`), 'Fill in a whole number from 0 to 10.');
	r = await c.postc(`/p/${p.code}/vote`, { question: String(scale.id), value: '7' });
	statusIs(r, 422, 'off this scale');
	assert.equal(fieldError(r.text, `q${scale.id}`), 'Choose a value on the scale.');
	r = await c.postc(`/p/${p.code}/vote`, { question: 'abc' });
	statusIs(r, 422, 'a question that is not a number');
	// The ranking through the JSON API: the same rule, said at "options".
	const a = await joinAs(p.code);
	r = await vote(a, p.code, { question: rank.id, options: [w, w, n] });
	statusIs(r, 422, 'api: a shared place');
	assert.deepEqual(r.json(), { error: { status: 422, message: 'Give every option its own place.', fields: { options: 'Give every option its own place.' } } });
	const rep = await report(p.id);
	assert.deepEqual(rep.questions[0].options.map(o => o.points), [1, 3, 2], 'one good ranking counted');
}

async function wrong_closed_and_unopened_codes() {
	const c = anon();
	await c.csrf('/p');
	let r = await c.postc('/p', { code: '12345' });
	statusIs(r, 422, 'five digits');
	assert.equal(fieldError(r.text, 'join-code'), 'Type the 6 digits of the code.');
	r = await c.postc('/p', {});
	statusIs(r, 422, 'no code');
	assert.equal(fieldError(r.text, 'join-code'), 'Fill in this field.');
	// A code no poll has (codes are random: find one not in use).
	const list = (await org.get('/api/v1/polls')).json().polls.map(x => x.code);
	let unused = '000000';
	for (let i = 0; list.includes(unused); i++) unused = String(i).padStart(6, '0');
	r = await c.postc('/p', { code: unused });
	statusIs(r, 404, 'unknown code');
	assert.equal(fieldError(r.text, 'join-code'), 'There is no poll with this code. Check the code and try again.');
	r = await c.get(`/api/v1/p/${unused}`);
	statusIs(r, 404, 'unknown code api');
	assert.equal(r.json().error.message, 'There is no poll with this code. Check the code and try again.');
	statusIs(await c.get('/p/abcdef'), 404, 'not digits');
	// A poll that closes: the phone says it ended (never "something went
	// wrong") and, once the report is public, links to it.
	const p = await newPoll('Gesloten', 'presenter', [{ kind: 'open', prompt: 'Iets?' }]);
	await control(p.id, 'open');
	const voter = await joinAs(p.code);
	await control(p.id, 'close');
	r = await c.get(`/p/${p.code}`);
	statusIs(r, 410, 'closed poll');
	has(r.text, 'This poll has ended. Thank you for taking part.');
	hasNot(r.text, 'Something went wrong');
	hasNot(r.text, '/report', 'no report link before it is public');
	r = await vote(voter, p.code, { question: p.questions[0].id, text: 'te laat' });
	statusIs(r, 410, 'vote on a closed poll');
	assert.equal(r.json().error.message, 'This poll has ended. Thank you for taking part.');
	r = await c.postc('/p', { code: p.code });
	statusIs(r, 410, 'join a closed poll');
	has(r.text, 'This poll has ended. Thank you for taking part.');
	let j = (await c.get(`/api/v1/p/${p.code}`)).json();
	assert.deepEqual([j.poll.status, j.questions, j.report], ['closed', [], null]);
	statusIs(await control(p.id, 'attach'), 303, 'attach');
	r = await c.get(`/p/${p.code}`);
	statusIs(r, 410, 'closed poll, report public');
	has(r.text, `<a class="nl-link" href="/polls/${p.id}/report">See the results in the report</a>`);
	j = (await c.get(`/api/v1/p/${p.code}`)).json();
	assert.equal(j.report, `/api/v1/polls/${p.id}/report`);
}

async function votes_on_closed_or_locked_questions_and_foreign_options() {
	const p = await newPoll('Slot', 'presenter', [
		{ kind: 'single', prompt: 'Eerste', options: 'Ja\nNee' },
		{ kind: 'single', prompt: 'Tweede', options: 'Links\nRechts' },
	]);
	await control(p.id, 'open');
	const c = await joinAs(p.code);
	const [q1, q2] = p.questions;
	let r = await vote(c, p.code, { question: q2.id, options: [q2.options[0].id] });
	statusIs(r, 409, 'not the open question');
	assert.equal(r.json().error.message, 'This question is not open for voting now.');
	r = await vote(c, p.code, { question: q1.id, options: [q2.options[0].id] });
	statusIs(r, 422, 'foreign option');
	assert.deepEqual(r.json().error.fields, { options: 'This answer is not one of the options of this question.' });
	r = await vote(c, p.code, { question: 999999, options: [1] });
	statusIs(r, 404, 'question of no poll');
	r = await vote(c, p.code, { question: q1.id, options: [q1.options[0].id, q1.options[1].id] });
	statusIs(r, 422, 'two answers to a single choice');
	assert.equal(r.json().error.message, 'Choose one answer.');
	statusIs(await control(p.id, 'lock', q1.id), 303, 'lock');
	r = await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] });
	statusIs(r, 409, 'locked');
	assert.equal(r.json().error.message, 'This question is locked: voting has stopped.');
	r = await c.get(`/p/${p.code}`);
	has(r.text, 'Voting on this question has stopped.');
	await control(p.id, 'unlock', q1.id);
	statusIs(await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] }), 200, 'after unlock');
	// The presenter moves on while a phone still shows the first question:
	// its vote comes back with what happened, on the page of the new one.
	const f = anon();
	await f.get(`/p/${p.code}`);
	statusIs(await control(p.id, 'next'), 303, 'next');
	r = await f.postc(`/p/${p.code}/vote`, { question: String(q1.id), option: String(q1.options[0].id) });
	statusIs(r, 409, 'the question moved on');
	has(r.text, 'This question is not open for voting now.');
	has(r.text, 'Tweede');
	statusIs(await vote(c, p.code, { question: q2.id, options: [q2.options[1].id] }), 200, 'second open');
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
	assert.deepEqual(r.json().error.fields, { text: 'Your answer is too long: at most 500 characters.' });
	statusIs(await vote(c, p.code, { question: open.id, text: 'é'.repeat(500) }), 200, '500 characters');
	statusIs(await vote(c, p.code, { question: open.id, text: '   ' }), 422, 'empty');
	r = await vote(c, p.code, { question: words.id, text: 'w'.repeat(101) });
	statusIs(r, 422, 'words too long');
	assert.equal(r.json().error.message, 'Your answer is too long: at most 100 characters.');
	r = await vote(c, p.code, { question: words.id, text: 'de het een' });
	statusIs(r, 422, 'only stop words');
	assert.equal(r.json().error.message, "Write one or more words (common words like 'de' and 'het' do not count).");
	statusIs(await vote(c, p.code, { question: words.id, text: 'Workshops en een quiz' }), 200, 'words');
	const ids = rank.options.map(o => o.id);
	statusIs(await vote(c, p.code, { question: rank.id, options: [ids[2], ids[0], ids[1]] }), 200, 'ranking');
	r = await vote(c, p.code, { question: rank.id, options: [ids[2], ids[0]] });
	statusIs(r, 422, 'ranking incomplete');
	assert.equal(r.json().error.message, 'Give every option its own place.');
	r = await vote(c, p.code, { question: scale.id, value: 6 });
	statusIs(r, 422, 'scale out of range');
	assert.deepEqual(r.json().error.fields, { value: 'Choose a value on the scale.' });
	statusIs(await vote(c, p.code, { question: scale.id, value: 4 }), 200, 'scale');
	statusIs(await vote(c, p.code, { question: multi.id, options: multi.options.slice(0, 2).map(o => o.id) }), 200, 'multiple');
	for (const body of ['{', '[]', '{"question":"1"}', '{"question":1,"options":"x"}', '{"question":1,"value":"4"}', '{"question":1,"text":5}']) {
		r = await c.req('POST', `/api/v1/p/${p.code}/vote`, { body, headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.jar.get('op_csrf') } });
		statusIs(r, 400, `malformed ${body}`);
		assert.equal(r.json().error.message, 'Your vote could not be read. Answer from the poll\'s page.');
	}
	r = await vote(c, p.code, { question: scale.id, value: 3 }, { 'X-CSRF-Token': 'x'.repeat(43) });
	statusIs(r, 403, 'no csrf');
	const rep = await report(p.id);
	assert.deepEqual(rep.questions[2].options.map(o => o.points), [2, 1, 3], 'ranking points: Z, X, Y');
	assert.equal(rep.questions[3].average, 4);
	assert.deepEqual(rep.questions[4].options.map(o => o.n), [1, 1, 0]);
}

async function word_clouds_keep_phrases_whole_and_show_what_people_typed() {
	const p = await newPoll('Woordwolk', 'presenter', [{ kind: 'words', prompt: 'Wat is open overheid?' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const answers = ['Open source, transparantie', 'open source', 'Open-source', 'Open source', 'de transparantie',
		'transparantie; open data', 'Open source, open source'];
	for (const a of answers)
		statusIs(await vote(await joinAs(p.code), p.code, { question: q.id, text: a }), 200, a);
	// "Open source" typed three times (the last answer counts it once),
	// "open source" and "Open-source" once: one entry, shown as typed most
	// often; "de transparantie" counts with "transparantie".
	assert.deepEqual((await report(p.id)).questions[0].words, [
		{ word: 'Open source', n: 5 }, { word: 'transparantie', n: 3 }, { word: 'open data', n: 1 },
	]);
	// A changed answer takes its words back.
	const c = await joinAs(p.code);
	await vote(c, p.code, { question: q.id, text: 'inspraak' });
	await vote(c, p.code, { question: q.id, text: 'open data' });
	const after = (await report(p.id)).questions[0].words;
	assert.deepEqual(after.find(w => w.word === 'open data'), { word: 'open data', n: 2 });
	assert.equal(after.find(w => w.word === 'inspraak'), undefined, 'taken back');
	// The presenter's cloud: every word an SVG text, sized by count, the
	// numbers for screen readers beside it.
	const r = await org.get(`/polls/${p.id}/present`);
	assert.match(r.text, /<text x="\d+" y="\d+" font-size="(\d+)" class="op-poll-cloud-t0" text-anchor="middle" dominant-baseline="central">Open source<\/text>/);
	const sizes = Object.fromEntries([...r.text.matchAll(/font-size="(\d+)"[^>]*>([^<]+)<\/text>/g)].map(m => [m[2], Number(m[1])]));
	assert.ok(sizes['Open source'] > sizes['transparantie'] && sizes['transparantie'] > sizes['open data'], JSON.stringify(sizes));
	has(r.text, '<li>Open source: 5</li>');
}

async function forged_and_missing_cookies() {
	const p = await newPoll('Koekjes', 'presenter', [{ kind: 'single', prompt: 'Ja?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	const q = p.questions[0];
	const c = await joinAs(p.code);
	const real = c.jar.get('op_poll');
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
	c.jar.set('op_poll', forged[0]);
	await c.get(`/p/${p.code}`);
	assert.notEqual(c.jar.get('op_poll'), forged[0]);
	statusIs(await vote(c, p.code, { question: q.id, options: [q.options[0].id] }), 200, 'with the new cookie');
	assert.equal((await report(p.id)).questions[0].voters, 1);
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
	const d = await joinAs(p.code);
	statusIs(await vote(d, p.code, { question: q.id, options: [q.options[0].id] }), 200, 'other participant');
	assert.equal((await report(p.id)).questions[0].voters, 2);
}

// One address mints fresh participants: a room's worth (60) counts per
// question, the rest is refused; changing an answer still works. The
// organiser allows a shared connection, or opens the presenter's screen
// from that network: a hall.
async function one_network_counts_for_a_room_unless_it_is_the_hall() {
	const p = await newPoll('Zaal', 'presenter', [
		{ kind: 'single', prompt: 'Eerste?', options: 'Ja\nNee' },
		{ kind: 'single', prompt: 'Tweede?', options: 'Ja\nNee' },
	]);
	await control(p.id, 'open');
	const [q1, q2] = p.questions;
	const voters = await Promise.all(Array.from({ length: 75 }, () => joinAs(p.code)));
	const res = [];
	for (const c of voters) res.push(await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] }));
	assert.deepEqual([res.filter(r => r.status === 200).length, res.filter(r => r.status === 429).length], [60, 15]);
	const refused = res.find(r => r.status === 429);
	assert.equal(refused.json().error.message, 'Too many answers to this question came from your network. In a hall where everyone shares the Wi-Fi, the presenter can allow that on the poll\'s page.');
	assert.equal(refused.headers.get('retry-after'), '60');
	assert.equal((await report(p.id)).questions[0].voters, 60, 'not hundreds');
	statusIs(await vote(voters[0], p.code, { question: q1.id, options: [q1.options[1].id] }), 200, 'a change of mind is no new voter');
	// On the phone: the message on top of the page.
	const f = anon();
	await f.get(`/p/${p.code}`);
	let r = await f.postc(`/p/${p.code}/vote`, { question: String(q1.id), option: String(q1.options[0].id) });
	statusIs(r, 429, 'form vote over the limit');
	has(r.text, 'Too many answers to this question came from your network.');
	// The organiser: many participants share one connection.
	r = await org.postc(`/polls/${p.id}/settings`, { title: 'Zaal', mode: 'presenter', shared_network: '1' });
	statusIs(r, 303, 'allow a shared connection');
	assert.equal((await org.get(`/api/v1/polls/${p.id}`)).json().poll.shared_network, true);
	for (const c of voters.slice(60)) statusIs(await vote(c, p.code, { question: q1.id, options: [q1.options[0].id] }), 200, 'the hall');
	assert.equal((await report(p.id)).questions[0].voters, 75);
	// Without it again, but the presenter's screen is on this network.
	await org.postc(`/polls/${p.id}/settings`, { title: 'Zaal', mode: 'presenter' });
	await control(p.id, 'next');
	statusIs(await org.get(`/polls/${p.id}/present`), 200, 'the presenter screen');
	for (const c of voters) statusIs(await vote(c, p.code, { question: q2.id, options: [q2.options[0].id] }), 200, 'the hall of the presenter');
	assert.equal((await report(p.id)).questions[1].voters, 75);
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
	const rep = await report(p.id);
	assert.equal(rep.questions[0].voters, N);
	assert.deepEqual(rep.questions[0].options.map(o => o.n), [N / 2, N / 2, N / 2]);
}

// ---------- live streams ----------

async function streams_send_only_what_changed() {
	const p = await newPoll('Live', 'presenter', [
		{ kind: 'single', prompt: 'Live?', options: 'Ja\nNee\nMisschien' },
		{ kind: 'single', prompt: 'Daarna?', options: 'A\nB' },
	]);
	await control(p.id, 'open');
	const [q, q2] = p.questions;
	const pres = await stream(`/polls/${p.id}/stream`, orgCookie());
	assert.equal(pres.status, 200);
	assert.match(pres.headers['content-type'], /^text\/event-stream/);
	assert.equal(pres.headers['cache-control'], 'no-store');
	const first = await pres.until(e => e.poll === p.id && e.question);
	assert.equal(first.question.id, q.id, 'only the current question');
	assert.equal(first.question.voters, 0);
	const part = await stream(`/p/${p.code}/stream`);
	assert.equal(part.status, 200);
	assert.ok((part.headers['set-cookie'] || []).some(s => s.startsWith('op_poll=')), 'the stream joins');
	const pfirst = await part.until(e => e.poll === p.id);
	assert.equal(pfirst.question, undefined, 'results hidden from participants');
	assert.equal(pfirst.current_question_id, q.id);
	// A vote: the presenter sees it within a second; the participants, who
	// may not see counts, get nothing at all.
	await sleep(400);
	const partBefore = part.raw.length;
	const c = await joinAs(p.code);
	const t0 = Date.now();
	statusIs(await vote(c, p.code, { question: q.id, options: [q.options[1].id] }), 200, 'vote');
	const ev = await pres.until(e => e.question && e.question.voters === 1, 1000);
	assert.deepEqual(ev.question.options.map(o => [o.n, o.pct]), [[0, 0], [1, 100], [0, 0]]);
	assert.ok(Date.now() - t0 < 1000, 'within one second');
	await sleep(700);
	assert.equal(part.raw.slice(partBefore), '', 'nothing sent to participants for a vote they cannot see');
	// A burst of votes is coalesced: fewer events than votes.
	const before = pres.events.length;
	const burst = await Promise.all(Array.from({ length: 20 }, () => joinAs(p.code)));
	await Promise.all(burst.map((b, i) => vote(b, p.code, { question: q.id, options: [q.options[i % 3].id] })));
	await pres.until(e => e.question && e.question.voters === 21, 2000);
	assert.ok(pres.events.length - before < 20, `coalesced: ${pres.events.length - before} events for 20 votes`);
	const last = pres.events.at(-1).question.options.map(o => o.pct);
	assert.equal(last.reduce((a, b) => a + b, 0), 100, `shares add up: ${last}`);
	// Results shown: participants get the current question's counts.
	statusIs(await control(p.id, 'show'), 303, 'show');
	const shown = await part.until(e => e.show_results === true && e.question, 2000);
	assert.equal(shown.question.voters, 21);
	assert.deepEqual(Object.keys(shown.question).sort(), ['id', 'options', 'voters']);
	assert.notEqual(shown.sig, pfirst.sig, 'a new state: pages load again');
	// The next question: its counts, not the first one's.
	statusIs(await control(p.id, 'next'), 303, 'next');
	const nxt = await part.until(e => e.current_question_id === q2.id && e.question, 2000);
	assert.equal(nxt.question.id, q2.id);
	assert.equal(nxt.question.voters, 0);
	// Closing ends the streams after telling them.
	statusIs(await control(p.id, 'close'), 303, 'close');
	await part.until(e => e.status === 'closed', 2000);
	await pres.until(e => e.status === 'closed', 2000);
	for (let i = 0; i < 20 && !(part.ended && pres.ended); i++) await sleep(100);
	assert.ok(part.ended && pres.ended, 'the server ended both streams');
	// The presenter may still show a closed poll's results: its stream stays.
	const after = await stream(`/polls/${p.id}/stream`, orgCookie());
	await after.until(e => e.status === 'closed');
	statusIs(await control(p.id, 'hide'), 303, 'a change to the closed poll');
	await after.until(e => e.show_results === false, 2000);
	await sleep(300);
	assert.equal(after.ended, false, 'the presenter stream of a closed poll ended');
	after.close();
	statusIs(await anon().get('/p/999999/stream'), 404, 'stream of no poll');
	statusIs(await anon().req('POST', `/p/${p.code}/stream`), 405, 'POST to a stream');
	statusIs(await anon().get(`/p/${p.code}/stream`), 410, 'stream of a closed poll');
}

async function at_their_own_pace_the_presenter_does_not_reload_phones() {
	const p = await newPoll('Eigen tempo', 'self', [
		{ kind: 'single', prompt: 'Een?', options: 'A\nB' },
		{ kind: 'single', prompt: 'Twee?', options: 'C\nD' },
	]);
	await control(p.id, 'open');
	const part = await stream(`/p/${p.code}/stream`);
	const pres = await stream(`/polls/${p.id}/stream`, orgCookie());
	const a = await part.until(e => e.poll === p.id);
	await pres.until(e => e.question);
	statusIs(await control(p.id, 'next'), 303, 'the presenter shows the second question');
	const b = await pres.until(e => e.question && e.question.id === p.questions[1].id, 2000);
	assert.ok(b, 'the presenter follows');
	await sleep(500);
	assert.ok(part.events.every(e => e.sig === a.sig), 'the phones keep their page');
	pres.close();
	part.close();
}

async function abandoned_and_malformed_streams_are_freed() {
	const p = await newPoll('Verlaten', 'presenter', [{ kind: 'single', prompt: 'Weg?', options: 'Ja\nNee' }]);
	await control(p.id, 'open');
	await control(p.id, 'show');
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
	await sleep(300);
	const c = await joinAs(p.code);
	statusIs(await vote(c, p.code, { question: p.questions[0].id, options: [p.questions[0].options[0].id] }), 200, 'vote');
	await sleep(600);
	statusIs(await anon().get('/healthz'), 200, 'server still healthy');
}

// ---------- the presenter's screen ----------

async function presenter_screen_is_a_projector_screen() {
	const p = await newPoll('Scherm', 'presenter', [
		{ kind: 'single', prompt: 'Welk thema?', options: 'Open Technologie\nOpen Informatie\nOpen Communicatie' },
		{ kind: 'ranking', prompt: 'Volgorde?', options: 'Technologie\nInformatie\nCommunicatie' },
		{ kind: 'scale', prompt: 'Tevreden?', scale_min: '1', scale_max: '5' },
	]);
	let r = await org.get(`/polls/${p.id}/present`);
	statusIs(r, 200, 'a draft on the screen');
	has(r.text, 'The poll is not open yet. Open it to show its first question.');
	await control(p.id, 'open');
	const [single, rank, scale] = p.questions;
	for (const [i, o] of [[0, 0], [1, 1], [2, 2]]) {
		const c = await joinAs(p.code);
		await vote(c, p.code, { question: single.id, options: [single.options[o].id] });
		void i;
	}
	r = await org.get(`/polls/${p.id}/present`);
	statusIs(r, 200, 'present');
	// Not a web page: no site menu, no account name, no flash message.
	hasNot(r.text, 'class="op-nav"');
	hasNot(r.text, 'Petra Presenter');
	hasNot(r.text, 'op-flash');
	// The full address to join (from the Host: no --base-url here), the code, the QR code.
	has(r.text, `<p class="op-poll-present-url">http://127.0.0.1:${S.port}/p</p>`);
	has(r.text, `${p.code.slice(0, 3)} ${p.code.slice(3)}`);
	has(r.text, `src="/polls/${p.id}/qr.svg"`);
	has(r.text, 'data-poll-stream=');
	has(r.text, '<noscript><meta http-equiv="refresh" content="3"></noscript>');
	// Three equal thirds round to shares that add up to 100.
	const pcts = [...r.text.matchAll(/<span class="op-poll-pct">(\d+)%<\/span>/g)].map(m => Number(m[1]));
	assert.deepEqual(pcts, [34, 33, 33]);
	// Next and previous: buttons the keys press.
	has(r.text, 'data-poll-key="next"');
	hasNot(r.text, 'data-poll-key="previous"', 'no previous on the first question');
	r = await org.postc(`/polls/${p.id}/control`, { action: 'next', back: 'present' });
	statusIs(r, 303, 'next from the screen');
	assert.equal(r.location, `/polls/${p.id}/present`);
	assert.equal(r.setCookies.some(s => s.startsWith('op_flash=')), false, 'no flash for the screen');
	// A ranking: ordered bars with the average place.
	for (const order of [[2, 0, 1], [2, 1, 0]]) {
		const c = await joinAs(p.code);
		statusIs(await vote(c, p.code, { question: rank.id, options: order.map(k => rank.options[k].id) }), 200, 'rank');
	}
	r = await org.get(`/polls/${p.id}/present`);
	const order = [...r.text.matchAll(/<span class="op-poll-place">(\d)\.<\/span> ([A-Za-z]+)<\/span>.*?Ø <span class="op-poll-avg">([\d.]+)<\/span>/g)].map(m => [m[1], m[2], m[3]]);
	assert.deepEqual(order, [['1', 'Communicatie', '1.0'], ['2', 'Technologie', '2.5'], ['3', 'Informatie', '2.5']]);
	has(r.text, 'data-poll-key="previous"');
	// A scale: the average and the distribution.
	await org.postc(`/polls/${p.id}/control`, { action: 'next', back: 'present' });
	for (const v of [4, 5, 4]) await vote(await joinAs(p.code), p.code, { question: scale.id, value: v });
	r = await org.get(`/polls/${p.id}/present`);
	has(r.text, '<span class="op-poll-cscale-avg-n">4.3</span>');
	const dist = [...r.text.matchAll(/data-value="(\d)"><span class="op-poll-cscale-pct"><span class="op-poll-pct">(\d+)%/g)].map(m => Number(m[2]));
	assert.deepEqual(dist, [0, 0, 0, 67, 33]);
	const nl = new Client(S.base, { lang: 'nl' });
	nl.jar = new Map([...org.jar, ['op_lang', 'nl']]);
	has((await nl.get(`/polls/${p.id}/present`)).text, '<span class="op-poll-cscale-avg-n">4,3</span>', 'a Dutch decimal comma');
	// A control that fails on the screen comes back to the screen.
	r = await org.postc(`/polls/${p.id}/control`, { action: 'lock', back: 'present' });
	statusIs(r, 422, 'lock without a question');
	has(r.text, 'op-poll-present-controls');
	has(r.text, 'Choose a question.');
	// The QR code: the address with the code.
	r = await org.get(`/polls/${p.id}/qr.svg`);
	statusIs(r, 200, 'qr');
	assert.equal(r.headers.get('content-type'), 'image/svg+xml');
	assert.match(r.text, /^<svg [^>]*role="img"/);
	has(r.text, '<title id="qr-title">QR code to join the poll</title>');
	has(r.text, `<desc id="qr-desc">http://127.0.0.1:${S.port}/p/${p.code}</desc>`);
}

async function with_a_base_url_the_screen_shows_it() {
	const c = new Client(L.base, { lang: 'en', https: true });
	await c.signin(ORG, PW);
	const p = await newPoll('Basis', 'presenter', [{ kind: 'open', prompt: 'Iets?' }], c);
	const r = await c.get(`/polls/${p.id}/present`);
	has(r.text, '<p class="op-poll-present-url">openplan.example/p</p>');
	has((await c.get(`/polls/${p.id}/qr.svg`)).text, `<desc id="qr-desc">https://openplan.example/p/${p.code}</desc>`);
}

// ---------- limits per address (a server with small limits) ----------

async function codes_cannot_be_guessed() {
	const c = new Client(L.base, { lang: 'en', https: true });
	await c.signin(ORG, PW);
	const p = await newPoll('Raden', 'presenter', [{ kind: 'open', prompt: 'Iets?' }], c);
	await control(p.id, 'open', null, c);
	const guesser = anon(L);
	await guesser.csrf('/p');
	const wrong = [];
	for (let i = 0; wrong.length < 5; i++) {
		const code = String(100000 + i);
		if (code === p.code) continue;
		wrong.push((await guesser.get(`/api/v1/p/${code}`)).status);
	}
	assert.deepEqual(wrong, [404, 404, 404, 404, 404]);
	// Five wrong codes: now even the right one is not looked up.
	let r = await guesser.get(`/api/v1/p/${p.code}`);
	statusIs(r, 429, 'the right code after five wrong ones');
	assert.equal(r.json().error.message, 'Too many wrong codes came from your network. Wait ten minutes and try again.');
	assert.equal(r.headers.get('retry-after'), '600');
	r = await guesser.postc('/p', { code: p.code });
	statusIs(r, 429, 'the form');
	has(r.text, 'Too many wrong codes came from your network. Wait ten minutes and try again.');
	statusIs(await guesser.get(`/p/${p.code}/stream`), 429, 'the stream');
}

async function new_participants_per_address_are_limited() {
	const c = new Client(L.base, { lang: 'en', https: true });
	await c.signin(ORG, PW);
	const p = await newPoll('Nieuwkomers', 'presenter', [{ kind: 'open', prompt: 'Iets?' }], c);
	await control(p.id, 'open', null, c);
	// This server lets 4 new participants join from one address per window.
	const joined = [];
	for (let i = 0; i < 4; i++) joined.push(await joinAs(p.code, L));
	let r = await anon(L).get(`/api/v1/p/${p.code}`);
	statusIs(r, 429, 'the fifth new participant');
	assert.equal(r.json().error.message, 'Very many people joined from your network just now. Wait a minute and try again.');
	assert.equal(r.headers.get('retry-after'), '60');
	r = await anon(L).get(`/p/${p.code}/stream`);
	statusIs(r, 429, 'a stream that would mint a participant');
	// Those who joined carry on.
	r = await joined[0].get(`/p/${p.code}`);
	statusIs(r, 200, 'a participant who joined before');
	statusIs(await vote(joined[0], p.code, { question: p.questions[0].id, text: 'nog steeds' }), 200, 'and votes');
}

// Behind a reverse proxy (--trusted-proxy), each client's own address
// counts: one network's allowance does not take another's; the addresses
// of one IPv6 /64 are one network.
async function behind_a_proxy_every_network_has_its_own_allowance() {
	const c = new Client(P.base, { lang: 'en' });
	await c.signin(ORG, PW);
	const p = await newPoll('Achter de proxy', 'presenter', [{ kind: 'single', prompt: 'Ja?', options: 'Ja\nNee' }], c);
	await control(p.id, 'open', null, c);
	const q = p.questions[0];
	async function voteFrom(xff) {
		const v = anon(P);
		const r = await v.get(`/api/v1/p/${p.code}`, { headers: { 'X-Forwarded-For': xff } });
		statusIs(r, 200, `join from ${xff}`);
		return (await vote(v, p.code, { question: q.id, options: [q.options[0].id] }, { 'X-Forwarded-For': xff })).status;
	}
	const a = [];
	for (let i = 0; i < 61; i++) a.push(await voteFrom('203.0.113.7'));
	assert.deepEqual([a.filter(s => s === 200).length, a.at(-1)], [60, 429], 'one address: a room');
	statusIs({ status: await voteFrom('203.0.113.8'), text: '' }, 200, 'the next address has its own');
	const six = [];
	for (let i = 0; i < 61; i++) six.push(await voteFrom(`2001:db8:7:7::${(i + 1).toString(16)}`));
	assert.deepEqual([six.filter(s => s === 200).length, six.at(-1)], [60, 429], 'one /64: one network');
	statusIs({ status: await voteFrom('2001:db8:7:8::1'), text: '' }, 200, 'another /64');
	assert.equal((await c.get(`/api/v1/polls/${p.id}/report`)).json().questions[0].voters, 122);
}

// Running out of request memory at any point of a poll's handlers is an
// answer (often 503), never a crash: servers on the same database whose
// arenas fail at the Nth allocation (or from it on) walk the poll routes.
async function out_of_memory_is_an_answer_not_a_crash() {
	const p = await newPoll('Geheugen', 'presenter', [
		{ kind: 'single', prompt: 'Keuze?', options: 'A\nB\nC' },
		{ kind: 'words', prompt: 'Woorden?' },
	]);
	await control(p.id, 'open');
	await control(p.id, 'show');
	const voter = await joinAs(p.code);
	await vote(voter, p.code, { question: p.questions[0].id, options: [p.questions[0].options[1].id] });
	const seen = new Set();
	for (const n of ['3', '9', '17', '31', '52', '80', '120', '200', '20+', '60+', '150+']) {
		const F = new Server(`fault-${n}`, DB, { OPENPLAN_FAULT_ARENA: n });
		await F.start();
		try {
			const o = new Client(F.base, { lang: 'en' });
			o.jar = new Map(org.jar);
			const v = new Client(F.base, { lang: 'en' });
			v.jar = new Map(voter.jar);
			const tries = [
				() => o.get('/polls'), () => o.get(`/polls/${p.id}`), () => o.get(`/api/v1/polls/${p.id}`),
				() => o.get(`/polls/${p.id}/present`), () => o.get(`/polls/${p.id}/qr.svg`),
				() => o.get(`/polls/${p.id}/report`), () => o.get(`/polls/${p.id}/report.csv`),
				() => o.postc(`/polls/${p.id}/control`, { action: 'next' }),
				() => o.postc(`/polls/${p.id}/questions`, { kind: 'single', prompt: 'Nog een?', options: 'Ja\nNee' }),
				() => v.get('/p'), () => v.get(`/p/${p.code}`), () => v.get(`/api/v1/p/${p.code}`),
				() => vote(v, p.code, { question: p.questions[1].id, text: 'open source, transparantie' }),
				() => v.postc(`/p/${p.code}/vote`, { question: String(p.questions[1].id), text: 'inspraak' }),
			];
			for (const t of tries) {
				const r = await t();
				seen.add(r.status);
				// an answer: the page, a refusal, or 503; never 500 (a NULL used)
				// and never a dropped connection (fetch would throw)
				assert.ok(r.status < 500 || r.status === 503, `FAULT_ARENA=${n}: status ${r.status}: ${r.text.slice(0, 200)}`);
			}
		} finally {
			const [name, good, why] = await stopChecked(F);
			assert.ok(good, `${name}: ${why}`);
		}
	}
	assert.ok(seen.has(503), `no 503 among ${[...seen]}`);
	assert.ok(seen.has(200), `no page at all among ${[...seen]}`);
}

// ---------- reports ----------

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
	await vote(a, p.code, { question: wd.id, text: 'workshops, bijeenkomsten' });
	await vote(b, p.code, { question: wd.id, text: 'Workshop' }); // one each: the first spelling shows
	let r = await org.get(`/polls/${p.id}/report`);
	statusIs(r, 200, 'report page');
	has(r.text, 'Download as CSV');
	has(r.text, '=SOM(A1) &quot;quote&quot;');
	r = await org.get(`/api/v1/polls/${p.id}/report`);
	const j = r.json();
	assert.deepEqual(j.questions[2].words, [{ word: 'workshops', n: 2 }, { word: 'bijeenkomsten', n: 1 }]);
	assert.deepEqual(j.questions[1].answers, ['=SOM(A1) "quote"']);
	assert.deepEqual(Object.keys(j.poll).sort(), ['attached', 'code', 'current_question_id', 'id', 'mode', 'plan_id', 'shared_network', 'show_results', 'status', 'title']);
	r = await org.get(`/polls/${p.id}/report.csv`);
	statusIs(r, 200, 'csv');
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	const lines = r.text.trim().split('\r\n');
	assert.equal(lines[0], 'question_number,question,kind,answer,count,points');
	assert.ok(lines.includes('1,"Keuze",single,"Workshops",1,0'));
	assert.ok(lines.includes(`2,"Open vraag",open,"'=SOM(A1) ""quote""",1,0`), 'formula neutralised, quotes doubled');
	assert.ok(lines.includes('3,"Woordwolk",words,"workshops",2,0'));
	statusIs(await anon().get(`/polls/${p.id}/report`), 404, 'unattached report hidden');
	statusIs(await anon().get(`/api/v1/polls/${p.id}/report`), 404, 'unattached report hidden (API)');
	statusIs(await control(p.id, 'attach'), 303, 'attach');
	statusIs(await anon().get(`/polls/${p.id}/report`), 200, 'attached report public');
	const home = await anon().get('/');
	has(home.text, `<a class="nl-link" href="/polls/${p.id}/report">Rapport</a>`);
	const planJson = (await anon().get('/api/v1/plan')).json();
	assert.deepEqual(planJson.polls.find(x => x.id === p.id), { id: p.id, title: 'Rapport' });
	const unconfirmed = await control(p.id, 'reset');
	statusIs(unconfirmed, 422, 'reset without confirmation');
	assert.equal(fieldError(unconfirmed.text, 'control-confirm'), 'Tick the box to confirm that all answers may be removed. Nothing was removed.');
	assert.notDeepEqual((await report(p.id)).questions.map(q => q.voters), [0, 0, 0], 'answers kept');
	statusIs(await org.postc(`/polls/${p.id}/control`, { action: 'reset', confirm: 'yes' }), 303, 'reset');
	const after = await report(p.id);
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
// ---------- hiding what participants typed (issue 16) ----------

// The answer ids on an organiser's page of typed answers, by text.
async function typedAnswers(id, question, c = org) {
	const r = await c.get(`/polls/${id}/answers?question=${question}`);
	statusIs(r, 200, 'answers page');
	const out = {};
	for (const m of r.text.matchAll(/<li class="op-poll-text[^"]*" id="a-(\d+)">\s*<p class="nl-paragraph op-poll-text-body"[^>]*>([^<]*)<\/p>/g))
		out[m[2].replace(/&#39;/g, "'")] = Number(m[1]);
	return { page: r, ids: out };
}

async function organiser_hides_typed_answers_everywhere() {
	let r = await org.postc('/polls', { title: 'Persoonsgegevens', mode: 'self', plan_id: '1' });
	statusIs(r, 303, 'create with plan');
	const id = Number(r.location.match(/\/polls\/(\d+)$/)[1]);
	for (const q of [{ kind: 'open', prompt: 'Wat wil je kwijt?' }, { kind: 'words', prompt: 'Eén woord?' }])
		statusIs(await org.postc(`/polls/${id}/questions`, q), 303, 'question');
	const pj = (await org.get(`/api/v1/polls/${id}`)).json();
	const [open, words] = pj.questions, code = pj.poll.code;
	for (const a of ['open', 'show', 'attach'])
		statusIs(await control(id, a), 303, a);
	statusIs(await control(id, 'current', open.id), 303, 'show the open question');
	const said = [
		['Bel Jan de Vries op 06-12345678', 'Jan de Vries, inspraak'],
		['Meer inspraak bij het begin', 'inspraak'],
		['Mijn buurvrouw Klaasje weet ervan', 'Klaasje'],
	];
	const phones = [];
	for (const [o, w] of said) {
		const c = await joinAs(code);
		statusIs(await vote(c, code, { question: open.id, text: o }), 200, o);
		statusIs(await vote(c, code, { question: words.id, text: w }), 200, w);
		phones.push(c);
	}
	const { ids } = await typedAnswers(id, open.id);
	assert.deepEqual(Object.keys(ids).sort(), said.map(x => x[0]).sort(), 'every open answer listed');
	const wordIds = (await typedAnswers(id, words.id)).ids;
	const pres = await stream(`/polls/${id}/stream`, orgCookie());
	await pres.until(e => e.question && e.question.id === open.id);

	// Hiding an open answer and a word-cloud answer.
	r = await org.postc(`/polls/${id}/answers/${ids[said[0][0]]}/hide`, { hidden: '1' });
	statusIs(r, 303, 'hide open');
	assert.equal(r.location, `/polls/${id}/answers?question=${open.id}#a-${ids[said[0][0]]}`);
	statusIs(await org.postc(`/polls/${id}/answers/${wordIds[said[0][1]]}/hide`, { hidden: '1' }), 303, 'hide words');
	statusIs(await org.postc(`/polls/${id}/answers/${ids[said[2][0]]}/hide`, { hidden: '1' }), 303, 'hide a second');
	statusIs(await org.postc(`/polls/${id}/answers/${ids[said[2][0]]}/hide`, { hidden: '1' }), 303, 'hiding twice changes nothing');
	let rep = (await anon().get(`/api/v1/polls/${id}/report`)).json();
	assert.deepEqual(rep.questions[0].answers, [said[1][0]], 'report JSON: only what is shown');
	assert.equal(rep.questions[0].hidden, 2);
	assert.equal(rep.questions[0].voters, 3, 'everyone who answered still counts');
	assert.deepEqual(rep.questions[1].words, [{ word: 'inspraak', n: 1 }, { word: 'Klaasje', n: 1 }], 'the cloud without the hidden entries');
	assert.equal(rep.questions[1].hidden, 1);
	const html = (await anon().get(`/polls/${id}/report`)).text;
	hasNot(html, 'Jan de Vries', 'report page');
	hasNot(html, 'Klaasje weet', 'report page');
	has(html, '2 answers are not shown');
	has(html, '1 answer is not shown');
	const nl = new Client(S.base, { lang: 'nl' });
	const nlHtml = (await nl.get(`/polls/${id}/report`)).text;
	has(nlHtml, '2 antwoorden worden niet getoond');
	has(nlHtml, '1 antwoord wordt niet getoond');
	const csv = (await anon().get(`/polls/${id}/report.csv`)).text;
	hasNot(csv, 'Jan de Vries', 'CSV');
	has(csv, `1,"Wat wil je kwijt?",open,"(not shown: personal data)",2,0\r\n`);
	has(csv, `2,"Eén woord?",words,"(not shown: personal data)",1,0\r\n`);
	// The presenter's stream: the counts and answers without them.
	const ev = await pres.until(e => e.question && e.question.id === open.id && e.question.hidden === 2);
	assert.deepEqual(ev.question.answers, [said[1][0]], 'stream: only what is shown');
	const screen = (await org.get(`/polls/${id}/present`)).text;
	hasNot(screen, 'Jan de Vries', 'presenter screen');
	has(screen, '2 answers are not shown');
	// Participants' results view.
	const mine = await phones[1].get(`/p/${code}`);
	hasNot(mine.text, 'Jan de Vries', 'participant results');
	has(mine.text, '2 answers are not shown');
	const pdata = (await phones[1].get(`/api/v1/p/${code}`)).text;
	hasNot(pdata, 'Jan de Vries', 'participant JSON');
	// Input items made from the answers are hidden too.
	const inbox = (await org.get('/api/v1/input/plans/1/inbox?source=poll')).json();
	const items = inbox.items.filter(i => i.container_id === id);
	const byText = t => items.find(i => i.text === t);
	assert.equal(byText(said[0][0]).hidden, true, 'open answer hidden as input');
	assert.equal(byText(said[0][1]).hidden, true, 'word-cloud answer hidden as input');
	assert.equal(byText(said[1][0]).hidden, false, 'a shown answer stays shown');
	const pub = (await anon().get(`/api/v1/input/items/${byText(said[0][0]).id}`));
	hasNot(pub.text, 'Jan de Vries', 'public input item');
	// The organiser's page marks them and says how many.
	const page = (await typedAnswers(id, open.id)).page.text;
	has(page, '2 answers are not shown');
	has(page, 'Hidden: not shown anywhere');

	// Shown again: everything is back.
	statusIs(await org.postc(`/polls/${id}/answers/${ids[said[0][0]]}/hide`, { hidden: '0' }), 303, 'show open');
	statusIs(await org.postc(`/polls/${id}/answers/${wordIds[said[0][1]]}/hide`, { hidden: '0' }), 303, 'show words');
	rep = (await anon().get(`/api/v1/polls/${id}/report`)).json();
	assert.deepEqual(rep.questions[0].answers.slice().sort(), [said[0][0], said[1][0]].sort());
	assert.equal(rep.questions[0].hidden, 1);
	assert.deepEqual(rep.questions[1].words, [{ word: 'inspraak', n: 2 }, { word: 'Jan de Vries', n: 1 }, { word: 'Klaasje', n: 1 }]);
	assert.equal(rep.questions[1].hidden, 0);
	const back = (await anon().get(`/polls/${id}/report`)).text;
	has(back, 'Bel Jan de Vries');
	has(back, '1 answer is not shown');
	hasNot(back, '2 answers are not shown');
	const again = (await org.get('/api/v1/input/plans/1/inbox?source=poll')).json().items.filter(i => i.container_id === id);
	assert.equal(again.find(i => i.text === said[0][0]).hidden, false, 'input item shown again');
	await pres.until(e => e.question && e.question.id === open.id && e.question.hidden === 1);
	pres.close();

	// A hidden answer the participant changes: the new text is shown, the
	// old one's counts are not taken back twice.
	statusIs(await org.postc(`/polls/${id}/answers/${wordIds.Klaasje}/hide`, { hidden: '1' }), 303, 'hide Klaasje');
	statusIs(await vote(phones[2], code, { question: words.id, text: 'inspraak' }), 200, 'changed answer');
	rep = (await anon().get(`/api/v1/polls/${id}/report`)).json();
	assert.deepEqual(rep.questions[1].words, [{ word: 'inspraak', n: 3 }, { word: 'Jan de Vries', n: 1 }]);
	assert.equal(rep.questions[1].hidden, 0, 'a new answer is shown until hidden');

	// Who may: the poll's maker (and admins); nobody else.
	const part = new Client(S.base, { lang: 'en' });
	await part.signin(PART, PW);
	statusIs(await part.get(`/polls/${id}/answers?question=${open.id}`), 403, 'participant: page');
	statusIs(await part.postc(`/polls/${id}/answers/${ids[said[1][0]]}/hide`, { hidden: '1' }), 403, 'participant: hide');
	const other = new Client(S.base, { lang: 'en' });
	await other.signin(ORG2, PW);
	r = await other.get(`/polls/${id}/answers?question=${open.id}`);
	statusIs(r, 403, 'another organiser: page');
	has(r.text, 'Only the organiser who made this poll, and administrators, may do this.');
	statusIs(await other.postc(`/polls/${id}/answers/${ids[said[1][0]]}/hide`, { hidden: '1' }), 403, 'another organiser: hide');
	assert.equal((await report(id)).questions[0].hidden, 1, 'nothing changed');

	// Bad input.
	statusIs(await org.postc(`/polls/${id}/answers/99999999/hide`, { hidden: '1' }), 404, 'unknown answer');
	statusIs(await org.postc(`/polls/${id + 1000}/answers/${ids[said[1][0]]}/hide`, { hidden: '1' }), 404, 'unknown poll');
	statusIs(await org.get(`/polls/${id}/answers?question=99999999`), 404, 'unknown question');
	statusIs(await org.get(`/polls/${id}/answers`), 404, 'no question');
	statusIs(await org.get(`/polls/${id}/answers?question=${open.id}&before=x`), 404, 'bad page');
	r = await org.postc(`/polls/${id}/answers/${ids[said[1][0]]}/hide`, {});
	statusIs(r, 422, 'missing field');
	assert.equal(fieldError(r.text, 'hide-hidden'), 'Choose one of the options.');
	has(r.text, `id="a-${ids[said[1][0]]}"`);
	r = await org.postc(`/polls/${id}/answers/${ids[said[1][0]]}/hide`, { hidden: 'yes' });
	statusIs(r, 422, 'not a choice');
	assert.equal(fieldError(r.text, 'hide-hidden'), 'Choose one of the options.');
	r = await org.post(`/polls/${id}/answers/${ids[said[1][0]]}/hide`, { _csrf: other.token(), hidden: '1' });
	statusIs(r, 403, 'a replayed form (another session\'s token)');
	assert.equal((await report(id)).questions[0].hidden, 1, 'nothing changed');
	// A choice question has nothing typed to hide.
	const p2 = await newPoll('Keuze', 'presenter', [{ kind: 'single', prompt: 'Ja?', options: 'Ja\nNee' }]);
	statusIs(await org.get(`/polls/${p2.id}/answers?question=${p2.questions[0].id}`), 404, 'choice question');
}

// ---------- the suite ----------

runSuite([
	organiser_makes_a_poll_on_the_form_contract,
	the_controls_refuse_what_cannot_be_done_at_the_field,
	participant_joins_votes_and_changes_vote,
	a_bad_vote_comes_back_at_its_field,
	wrong_closed_and_unopened_codes,
	votes_on_closed_or_locked_questions_and_foreign_options,
	answers_too_long_malformed_and_every_kind,
	word_clouds_keep_phrases_whole_and_show_what_people_typed,
	forged_and_missing_cookies,
	flooding_is_rate_limited,
	one_network_counts_for_a_room_unless_it_is_the_hall,
	concurrent_voters_all_counted,
	streams_send_only_what_changed,
	at_their_own_pace_the_presenter_does_not_reload_phones,
	abandoned_and_malformed_streams_are_freed,
	presenter_screen_is_a_projector_screen,
	with_a_base_url_the_screen_shows_it,
	new_participants_per_address_are_limited,
	codes_cannot_be_guessed,
	behind_a_proxy_every_network_has_its_own_allowance,
	out_of_memory_is_an_answer_not_a_crash,
	reset_report_csv_and_attach_to_plan,
	participant_page_without_js_refreshes_while_waiting,
	organiser_hides_typed_answers_everywhere,
], {
	async setup() {
		for (const db of [DB, DB2]) {
			mustCli(['init', '--db', db]);
			mustCli(['demo', '--db', db]);
			mustCli(['user', 'add', '--db', db, '--email', ORG, '--name', 'Petra Presenter', '--role', 'organiser'], PW + '\n');
			mustCli(['user', 'add', '--db', db, '--email', PART, '--name', 'Piet Participant', '--role', 'participant'], PW + '\n');
			mustCli(['user', 'add', '--db', db, '--email', ORG2, '--name', 'Olga Organisator', '--role', 'organiser'], PW + '\n');
		}
		S = await new Server('polls', DB, { OPENPLAN_IP_LIMIT: '10000' }).start();
		L = await new Server('limits', DB2, { OPENPLAN_IP_LIMIT: '10000', OPENPLAN_POLL_CODE_LIMIT: '5', OPENPLAN_POLL_JOIN_LIMIT: '4' },
			['--base-url', 'https://openplan.example']).start();
		P = await new Server('proxy', DB2, { OPENPLAN_IP_LIMIT: '10000' }, ['--trusted-proxy', '127.0.0.1']).start();
		org = new Client(S.base, { lang: 'en' });
		await org.signin(ORG, PW);
	},
	async teardown() {
		const p = await newPoll('Stop', 'presenter', [{ kind: 'single', prompt: 'Stop?', options: 'Ja\nNee' }]);
		await control(p.id, 'open');
		held = await Promise.all(Array.from({ length: 100 }, (_, i) =>
			i % 10 ? stream(`/p/${p.code}/stream`) : stream(`/polls/${p.id}/stream`, orgCookie())));
		const open = held.filter(s => s.status === 200).length;
		const res = [['100 streams open before stopping', open === 100, `${open} open`]];
		const ended = Promise.all(held.map(s => new Promise(r => { s.res.on('end', r); s.res.on('close', r); })));
		res.push(await stopChecked(S));
		res.push(await stopChecked(L));
		res.push(await stopChecked(P));
		const all = await Promise.race([ended.then(() => true), new Promise(r => setTimeout(() => r(false), 5000))]);
		res.push(['every stream ended by the server', all, 'some streams stayed open']);
		fs.rmSync(TMP, { recursive: true, force: true });
		return res;
	},
});
