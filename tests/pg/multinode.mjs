#!/usr/bin/env node
// Two openplan nodes on one PostgreSQL database, behind HAProxy (Debian's
// haproxy, roundrobin, each answer marked with the node that gave it).
//   OPENPLAN_TEST_PG=postgresql://… node tests/pg/multinode.mjs PATH/TO/openplan
// What a user must not notice when another node answers: a session made on
// one node is valid on the other, a form's CSRF token from one node is
// accepted by the other, a live-poll participant's cookie signed by one node
// is accepted by the other, a vote on node A reaches a presenter's stream on
// node B within a second (and a note on a session's idea board likewise),
// a write on one node refreshes the other node's page cache, and with both
// nodes sending mail every message is sent once.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import net from 'node:net';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, has, statusIs, runSuite, stopChecked, BACKEND,
} from '../e2e/lib.mjs';
import { SmtpServer, readMails, waitMails } from '../e2e/mail/smtp.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
if (BACKEND !== 'postgresql') {
	console.error('multinode.mjs needs OPENPLAN_TEST_PG (several nodes share a PostgreSQL database)');
	process.exit(2);
}
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-multinode-'));
const DB = path.join(TMP, 'shared.db'); // stands for one PostgreSQL database
const PW = 'correct horse battery';
const ORG = 'multi.organiser@e2e.example';
let A, B, lb, lbBase, lbLog = '', smtp;
const MAILDIR = path.join(TMP, 'mail');

function freePort() {
	return new Promise((ok, ko) => {
		const s = net.createServer();
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => ok(p)); });
		s.on('error', ko);
	});
}

async function startHaproxy() {
	const port = await freePort();
	const cfg = path.join(TMP, 'haproxy.cfg');
	fs.writeFileSync(cfg, `global
  maxconn 4000
defaults
  mode http
  timeout connect 2s
  timeout client 30s
  timeout server 30s
  timeout tunnel 1h
frontend web
  bind 127.0.0.1:${port}
  default_backend nodes
backend nodes
  balance roundrobin
  option httpchk GET /healthz
  http-check expect status 200
  http-response set-header X-Node %[srv_name]
  server a 127.0.0.1:${A.port} check inter 500ms
  server b 127.0.0.1:${B.port} check inter 500ms
`);
	lb = spawn('haproxy', ['-db', '-f', cfg], { stdio: ['ignore', 'pipe', 'pipe'] });
	lb.stdout.on('data', d => { lbLog += d; });
	lb.stderr.on('data', d => { lbLog += d; });
	lbBase = `http://127.0.0.1:${port}`;
	// Up when both nodes answer through it.
	const seen = new Set();
	for (let i = 0; i < 100 && seen.size < 2; i++) {
		try {
			const r = await fetch(lbBase + '/healthz');
			if (r.status === 200) seen.add(r.headers.get('x-node'));
		} catch { /* not yet */ }
		await new Promise(r => setTimeout(r, 100));
	}
	if (seen.size < 2) throw new Error(`haproxy does not reach both nodes: ${lbLog}`);
}

// A client of one base address that shares its cookie jar with another.
function sameJar(c, base) {
	const d = new Client(base, { lang: 'en' });
	d.jar = c.jar;
	return d;
}

// Opens an event stream; collects its events (as tests/e2e/polls.mjs).
function stream(base, p, cookie = '') {
	return new Promise((resolve, reject) => {
		const req = http.get(base + p, { headers: { Accept: 'text/event-stream', Cookie: cookie } }, res => {
			const s = { status: res.statusCode, events: [], buf: '', waiters: [] };
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
			s.close = () => req.destroy();
			s.until = (pred, ms) => new Promise((ok, ko) => {
				const t = setTimeout(() => ko(new Error(`no matching event in ${ms} ms; last: ${JSON.stringify(s.events.at(-1))?.slice(0, 300)}`)), ms);
				const check = () => { const e = s.events.find(pred); if (e) { clearTimeout(t); ok(e); return true; } return false; };
				if (!check()) s.waiters.push(check);
			});
			resolve(s);
		});
		req.on('error', reject);
	});
}

function vote(c, code, body) {
	return c.req('POST', `/api/v1/p/${code}/vote`, {
		body: JSON.stringify(body),
		headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': c.jar.get('op_csrf') || '' },
	});
}

// ---------- tests ----------

async function session_made_on_one_node_is_valid_on_the_other() {
	const onA = new Client(A.base, { lang: 'en' });
	await onA.signin(ORG, PW);
	const onB = sameJar(onA, B.base);
	const r = await onB.get('/account');
	statusIs(r, 200, 'account page on node B with the session made on A');
	has(r.text, 'Olga Organiser');
	// Through the balancer: every answer signed in, and both nodes answered.
	const lbc = new Client(lbBase, { lang: 'en' });
	await lbc.signin(ORG, PW);
	const nodes = new Set();
	for (let i = 0; i < 6; i++) {
		const x = await lbc.get('/account');
		statusIs(x, 200, `account through haproxy (${i})`);
		has(x.text, 'Olga Organiser');
		nodes.add(x.headers.get('x-node'));
	}
	assert.deepEqual([...nodes].sort(), ['a', 'b'], 'both nodes answered');
}

async function csrf_token_from_one_node_is_accepted_by_the_other() {
	const onA = new Client(A.base, { lang: 'en' });
	await onA.signin(ORG, PW);
	await onA.csrf('/organisations/new');
	const onB = sameJar(onA, B.base);
	const r = await onB.postc('/organisations/new', { name: 'Made on B with A\'s token', sector: 'other' });
	statusIs(r, 303, 'form posted to B with the token A gave');
	// And through the balancer, alternating nodes.
	const lbc = new Client(lbBase, { lang: 'en' });
	await lbc.signin(ORG, PW);
	const nodes = new Set();
	for (let i = 0; i < 4; i++) {
		const x = await lbc.postc('/organisations/new', { name: `Through haproxy ${i}`, sector: 'other' });
		statusIs(x, 303, `post ${i} through haproxy`);
		nodes.add(x.headers.get('x-node'));
	}
	assert.equal(nodes.size, 2, 'both nodes took a post');
}

async function vote_on_a_reaches_presenter_on_b_within_a_second() {
	const org = new Client(A.base, { lang: 'en' });
	await org.signin(ORG, PW);
	let r = await org.postc('/polls', { title: 'Twee nodes', mode: 'presenter' });
	statusIs(r, 303, 'create poll');
	const id = Number(r.location.match(/\/polls\/(\d+)$/)[1]);
	statusIs(await org.postc(`/polls/${id}/questions`, { kind: 'single', prompt: 'Welke node?', options: 'A\nB' }), 303, 'question');
	statusIs(await org.postc(`/polls/${id}/control`, { action: 'open' }), 303, 'open');
	const j = (await org.get(`/api/v1/polls/${id}`)).json();
	const code = j.poll.code, q = j.questions[0];
	// The presenter watches on node B (with the session made on A) ...
	const presenter = await stream(B.base, `/polls/${id}/stream`, org.cookieHeader());
	assert.equal(presenter.status, 200, 'presenter stream on B');
	await presenter.until(e => e.question?.voters === 0, 3000);
	// ... a participant joins and votes on node A.
	const p = new Client(A.base, { lang: 'en' });
	statusIs(await p.get(`/api/v1/p/${code}`), 200, 'join on A');
	assert.ok(p.jar.get('op_poll'), 'participant cookie from A');
	const t0 = Date.now();
	r = await vote(p, code, { question: q.id, options: [q.options[0].id] });
	statusIs(r, 200, 'vote on A');
	const seen = await presenter.until(e => e.question?.voters === 1, 1000);
	const ms = Date.now() - t0;
	assert.equal(seen.question.options[0].n, 1);
	console.log(`# vote on node A on the presenter's screen on node B after ${ms} ms`);
	assert.ok(ms < 1000, `vote-to-screen across nodes ${ms} ms`);
	// The participant's cookie, signed on A, is good on B: the vote is replaced.
	const onB = sameJar(p, B.base);
	const watchA = await stream(A.base, `/polls/${id}/stream`, org.cookieHeader());
	r = await vote(onB, code, { question: q.id, options: [q.options[1].id] });
	statusIs(r, 200, 'vote on B with the cookie from A');
	assert.equal(r.json().replaced, true, 'the same participant on both nodes');
	await watchA.until(e => e.question?.options?.[1]?.n === 1 && e.question.options[0].n === 0 && e.question.voters === 1, 1000);
	presenter.close();
	watchA.close();
	// Many participants through the balancer: every vote counted once.
	const lbWatch = await stream(lbBase, `/polls/${id}/stream`, org.cookieHeader());
	const voters = [];
	for (let i = 0; i < 20; i++) {
		const c = new Client(lbBase, { lang: 'en' });
		statusIs(await c.get(`/api/v1/p/${code}`), 200, `join ${i}`);
		voters.push(c);
	}
	await Promise.all(voters.map((c, i) => vote(c, code, { question: q.id, options: [q.options[i % 2].id] })
		.then(x => statusIs(x, 200, `vote ${i} through haproxy`))));
	await lbWatch.until(e => e.question?.voters === 21 &&
		e.question.options[0].n === 10 && e.question.options[1].n === 11, 2000);
	lbWatch.close();
}

async function note_on_a_reaches_a_board_on_b_within_a_second() {
	const org = new Client(A.base, { lang: 'en' });
	await org.signin(ORG, PW);
	const day = new Date(Date.now() + 20 * 86400000).toISOString().slice(0, 10);
	let r = await org.postc('/agenda/new', {
		title: 'Bord over twee nodes', kind: 'thinkalong', description: 'Test.', date: day,
		start_time: '14:00', end_time: '16:00', mode: 'online', meeting_url: 'https://meet.example/x',
		address: '', capacity: '', waitlist: '1',
	});
	statusIs(r, 303, 'create session');
	const id = Number(r.location.match(/\/sessions\/(\d+)/)[1]);
	statusIs(await org.postc(`/sessions/${id}/publish`), 303, 'publish');
	statusIs(await org.postc(`/sessions/${id}/board`, { dots: '2', columns: 'Kansen\nRisico' }), 303, 'board');
	const b = (await new Client(B.base).get(`/api/v1/sessions/${id}/board`)).json().board;
	// The screen watches the board on node B …
	const screen = await stream(B.base, `/sessions/${id}/board/stream?since=${b.version}`);
	assert.equal(screen.status, 200, 'board stream on B');
	await new Promise(res => setTimeout(res, 300));
	// … a participant adds a note on node A.
	const t0 = Date.now();
	r = await org.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'Notitie via node A', column_id: b.columns[0].id });
	statusIs(r, 200, 'note on A');
	await screen.until(e => (e.notes || []).some(n => n.text === 'Notitie via node A'), 1000);
	console.log(`# note on node A on the board screen on node B after ${Date.now() - t0} ms`);
	screen.close();
}

async function write_on_one_node_refreshes_the_page_cache_of_the_other() {
	const anonB = new Client(B.base, { lang: 'en' });
	const before = await anonB.get('/');
	statusIs(before, 200, 'home on B');
	await anonB.get('/'); // now served from B's cache
	const org = new Client(A.base, { lang: 'en' });
	await org.signin(ORG, PW);
	const p = (await org.get('/api/v1/plans/1')).json().plan;
	const mark = `Bijgewerkt op node A ${Date.now()}`;
	const t0 = Date.now();
	const r = await org.postc('/plans/1/edit', {
		title: p.title, description: mark, period_start: p.period_start, period_end: p.period_end,
		status: p.status, current_phase: String(p.phases.find(x => x.current)?.id ?? ''),
	});
	statusIs(r, 303, 'plan edited on A');
	let ms = -1;
	for (let i = 0; i < 100; i++) {
		const x = await anonB.get('/');
		if (x.text.includes(mark)) { ms = Date.now() - t0; break; }
		await new Promise(res => setTimeout(res, 20));
	}
	assert.ok(ms >= 0, 'node B shows the change');
	console.log(`# node B's cached home page refreshed ${ms} ms after the write on node A`);
	assert.ok(ms < 1000, `refreshed after ${ms} ms`);
}

// The site's name is in every page's frame, which each node keeps a copy of:
// a change on node A shows on node B's (cached) pages within a second, and
// stays shown (B does not cache a page with its old copy).
async function site_settings_saved_on_a_show_on_b_within_a_second() {
	const anonB = new Client(B.base, { lang: 'en' });
	statusIs(await anonB.get('/'), 200, 'home on B');
	await anonB.get('/'); // B's cache and B's copy of the frame
	const adm = new Client(A.base, { lang: 'en' });
	await adm.signin('beheer@openplan.example', 'demo-wachtwoord');
	const name = `Open Overheid Noord ${Date.now() % 100000}`;
	const t0 = Date.now();
	statusIs(await adm.postc('/admin/site', {
		site_name: name, org_name: 'Gemeente Noord', contact_email: 'open@noord.example', contact_phone: '',
		contact_address: '', contact_url: '', privacy: '', a11y_status: 'partial', a11y_checked_on: '2026-06-15',
		accessibility: '',
	}), 303, 'site settings saved on A');
	let ms = -1;
	for (let i = 0; i < 100; i++) {
		const x = await anonB.get('/');
		if (x.text.includes(`<span class="op-brand__name" lang="nl">${name}</span>`)) { ms = Date.now() - t0; break; }
		await new Promise(res => setTimeout(res, 20));
	}
	assert.ok(ms >= 0 && ms < 1000, `node B shows the new site name after ${ms} ms`);
	console.log(`# site name saved on node A on node B's pages after ${ms} ms`);
	// Later pages on B, from its cache or not, keep the new name.
	await new Promise(res => setTimeout(res, 3500));
	for (const p of ['/', '/', '/accessibility'])
		has((await anonB.get(p)).text, name);
}

// Both nodes have the SMTP server: every queued message goes out once, not
// once per node (one sender at a time per database).
async function mail_queued_on_both_nodes_is_sent_once() {
	const N = 24;
	for (let i = 0; i < N; i++) {
		const c = new Client(lbBase, { lang: 'en' });
		await c.csrf('/news');
		statusIs(await c.postc('/news/subscribe', { email: `twice${i}@mail.example` }), 303, `subscribe ${i}`);
	}
	const want = new Set(Array.from({ length: N }, (_, i) => `twice${i}@mail.example`));
	await waitMails(MAILDIR, all => all.filter(m => want.has(m.envelopeTo)).length >= N, 'the confirmations', 30000);
	await new Promise(res => setTimeout(res, 1500)); // time for a second copy to arrive
	const mine = readMails(MAILDIR).filter(m => want.has(m.envelopeTo));
	const per = {};
	for (const m of mine) per[m.envelopeTo] = (per[m.envelopeTo] || 0) + 1;
	assert.deepEqual(Object.entries(per).filter(([, n]) => n !== 1), [], 'one message per address');
	assert.equal(mine.length, N);
}

runSuite([
	session_made_on_one_node_is_valid_on_the_other,
	site_settings_saved_on_a_show_on_b_within_a_second,
	csrf_token_from_one_node_is_accepted_by_the_other,
	vote_on_a_reaches_presenter_on_b_within_a_second,
	note_on_a_reaches_a_board_on_b_within_a_second,
	write_on_one_node_refreshes_the_page_cache_of_the_other,
	mail_queued_on_both_nodes_is_sent_once,
], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ORG, '--name', 'Olga Organiser', '--role', 'organiser'], PW + '\n');
		smtp = new SmtpServer(MAILDIR, { delay: 0.02 });
		await smtp.start();
		const env = { OPENPLAN_IP_LIMIT: '100000', OPENPLAN_MAIL_POLL_MS: '50' };
		A = await new Server('a', DB, env, ['--smtp-url', smtp.url]).start();
		B = await new Server('b', DB, env, ['--smtp-url', smtp.url]).start();
		await startHaproxy();
	},
	async teardown() {
		const out = [];
		if (lb) {
			lb.kill('SIGTERM');
			await new Promise(r => { lb.once('exit', r); setTimeout(r, 3000); });
		}
		for (const s of [A, B]) if (s) out.push(await stopChecked(s));
		if (smtp) await smtp.kill('SIGTERM');
		fs.rmSync(TMP, { recursive: true, force: true });
		return out;
	},
});
