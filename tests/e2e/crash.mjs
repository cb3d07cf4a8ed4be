#!/usr/bin/env node
// Crash consistency (issue 17, "Keep it closed").
//   node tests/e2e/crash.mjs PATH/TO/openplan
// Concurrent writers over HTTP — anonymous consultation answers and live-
// poll votes — while the server is killed with SIGKILL at a random moment.
// After a restart: SQLite's integrity check says ok, and every write the
// server acknowledged (a 303 for an answer, a 2xx for a vote) is there.
// Twice, at different moments.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import { setBinary, mustCli, Server, Client, runSuite, statusIs, SAN_RE } from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-crash-'));
const DB = path.join(TMP, 'crash.db');
const PW = 'correct horse battery';
const ORG = 'crash.organiser@e2e.example';
// Every voter here is a new participant from one address: far more than
// the room's worth a network may add to a question (docs/polls-api.md).
const ENV = { OPENPLAN_IP_LIMIT: '1000000', OPENPLAN_POLL_NET_VOTERS: '1000000', OPENPLAN_POLL_JOIN_LIMIT: '1000000' };
const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);

let S, org, cid, qid, poll;
const acked = { answers: [], votes: [] };
let serial = 0;

async function start() {
	S = new Server('crash', DB, ENV);
	await S.start();
	org = new Client(S.base, { lang: 'en' });
	await org.signin(ORG, PW);
}

async function setup_consultation_and_poll() {
	let r = await org.postc('/plans/1/consultations/new', {
		title: 'Crash', intro: '', opens_on: day(-1), closes_on: day(30),
		results_public: 'while_open', allow_anonymous: '1',
	});
	statusIs(r, 303, 'create consultation');
	cid = Number(r.location.match(/\/consultations\/(\d+)\/edit$/)[1]);
	statusIs(await org.postc(`/consultations/${cid}/questions`, { kind: 'text', prompt: 'Idee', max_length: '200' }),
		303, 'question');
	// A new consultation is a draft until published (issue 16).
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'published' }), 303, 'publish');
	qid = (await org.get(`/api/v1/consultations/${cid}`)).json().questions[0].id;
	r = await org.postc('/polls', { title: 'Crash poll', mode: 'presenter' });
	statusIs(r, 303, 'create poll');
	const id = Number(r.location.match(/\/polls\/(\d+)$/)[1]);
	statusIs(await org.postc(`/polls/${id}/questions`, { kind: 'open', prompt: 'Wat vind je?' }), 303, 'poll question');
	statusIs(await org.postc(`/polls/${id}/control`, { action: 'open' }), 303, 'open poll');
	const j = (await org.get(`/api/v1/polls/${id}`)).json();
	poll = { id, code: j.poll.code, q: j.questions[0].id };
}

// One writer: answers the consultation as a new anonymous visitor, again
// and again, until the server is gone. Remembers what was acknowledged.
async function answerer(stop) {
	while (!stop.now) {
		const text = `answer-${process.pid}-${++serial}`;
		try {
			const c = new Client(S.base, { lang: 'en' });
			const page = await c.get(`/consultations/${cid}`);
			const token = page.text.match(/name="form_token" value="([^"]+)"/)[1];
			const body = new URLSearchParams([['_csrf', c.jar.get('op_csrf')], ['form_token', token], [`q${qid}`, text]]);
			const r = await c.req('POST', `/consultations/${cid}`, { body: body.toString() });
			if (r.status === 303) acked.answers.push(text);
		} catch { /* the server is gone */ }
	}
}

async function voter(stop) {
	while (!stop.now) {
		const text = `vote-${process.pid}-${++serial}`;
		try {
			const c = new Client(S.base, { lang: 'en' });
			const j = await c.get(`/api/v1/p/${poll.code}`);
			if (j.status !== 200) continue;
			const r = await c.req('POST', `/api/v1/p/${poll.code}/vote`, {
				body: JSON.stringify({ question: poll.q, text }),
				headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.jar.get('op_csrf') || '' },
			});
			if (r.status >= 200 && r.status < 300) acked.votes.push(text);
		} catch { /* the server is gone */ }
	}
}

async function crash_and_check(round) {
	const stop = { now: false };
	const before = { answers: acked.answers.length, votes: acked.votes.length };
	const writers = [...Array(3)].map(() => answerer(stop)).concat([...Array(3)].map(() => voter(stop)));
	// Let them write, then kill at a random moment.
	await new Promise(r => setTimeout(r, 1500 + Math.random() * 2000));
	S.proc.kill('SIGKILL');
	await S.exited;
	stop.now = true;
	await Promise.all(writers);
	assert.ok(acked.answers.length > before.answers, `round ${round}: some answers were acknowledged`);
	assert.ok(acked.votes.length > before.votes, `round ${round}: some votes were acknowledged`);
	// The database file as the kill left it.
	const ic = execFileSync('sqlite3', [DB, 'PRAGMA integrity_check;'], { encoding: 'utf8' }).trim();
	assert.equal(ic, 'ok', 'integrity check');
	// Restart: every acknowledged write is there.
	await start();
	const csv = await org.get(`/consultations/${cid}/export.csv`);
	statusIs(csv, 200, 'export');
	const lost = acked.answers.filter(a => !csv.text.includes(a));
	assert.deepEqual(lost, [], `round ${round}: acknowledged answers lost`);
	const rep = (await org.get(`/api/v1/polls/${poll.id}/report`)).json();
	const answers = new Set(rep.questions[0].answers);
	const lostVotes = acked.votes.filter(v => !answers.has(v));
	assert.deepEqual(lostVotes, [], `round ${round}: acknowledged votes lost`);
	console.log(`# round ${round}: ${acked.answers.length} answers and ${acked.votes.length} votes acknowledged, all present`);
}

async function kill_during_writes_loses_nothing_acknowledged() {
	await crash_and_check(1);
	await crash_and_check(2);
}

await runSuite([setup_consultation_and_poll, kill_during_writes_loses_nothing_acknowledged], {
	setup: async () => {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ORG, '--name', 'Crash Organiser', '--role', 'organiser'], PW + '\n');
		await start();
	},
	teardown: async () => {
		const r = await S.stop();
		fs.rmSync(TMP, { recursive: true, force: true });
		const san = SAN_RE.test(S.stderr);
		return [['server stops cleanly after the crashes', r.code === 0 && !san,
			`exit ${r.code} signal ${r.signal}${san ? '\n' + S.stderr : ''}`]];
	},
	timeoutMs: 120000,
});
