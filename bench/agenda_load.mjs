#!/usr/bin/env node
// agenda_load.mjs — load tool for the live idea board (make bench, through
// bench/agenda.sh). One process, Node's event loop:
//   1. signs in as an organiser, makes a published session with a board
//      (enough dots per person for the run);
//   2. opens one event stream per participant (N signed-in people, their
//      session tokens read from a file made by tests/e2e/agenda_people.py);
//   3. for S seconds, participants add notes (NOTES/s) and give dots
//      (VOTES/s) over the JSON API, on a pool of keep-alive connections;
//   4. measures note-to-screen delay: from sending a note until each open
//      stream shows it (every stream, every note); a stream that reports a
//      gap loads the board's JSON, as the page's script does;
//   5. reads the board afterwards: every note and dot answered 200 must be
//      on it, and every stream must have seen every note.
// Ends with one line:
//   participants=N notes_sent=N notes_counted=N votes_sent=N votes_counted=N
//   seen=N/N p50_ms=X p99_ms=X rss_mb=X
// and exits 1 when anything was lost (or refused), 2 on bad usage or setup.
//   node bench/agenda_load.mjs --url URL --email E --password P --people FILE
//        [--seconds 60] [--notes 20] [--votes 40] [--server-pid PID]
import fs from 'node:fs';
import http from 'node:http';

const args = Object.fromEntries(process.argv.slice(2).reduce((a, v, i, all) => (i % 2 ? a : [...a, [v.replace(/^--/, ''), all[i + 1]]]), []));
const URLS = new URL(args.url || 'http://127.0.0.1:8080');
const SECONDS = Number(args.seconds || 60), NOTES = Number(args.notes || 20), VOTES = Number(args.votes || 40);
if (!args.email || !args.password || !args.people) { console.error('usage: see the comment at the top'); process.exit(2); }
const people = fs.readFileSync(args.people, 'utf8').trim().split('\n').map(l => JSON.parse(l));
const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function request(method, path, { cookie = '', form, json = true } = {}) {
	return new Promise((resolve, reject) => {
		const body = form ? new URLSearchParams(form).toString() : undefined;
		const req = http.request({ host: URLS.hostname, port: URLS.port, method, path, agent,
			headers: { Cookie: cookie, ...(json ? { Accept: 'application/json' } : {}),
				...(body ? { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': Buffer.byteLength(body) } : {}) } },
		res => {
			let data = '';
			res.setEncoding('utf8');
			res.on('data', d => { data += d; });
			res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: data }));
		});
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}
const die = (m) => { console.error(`agenda_load: ${m}`); process.exit(2); };

// 1. The organiser's session and board.
// A page's form token (bound to the session or the pre-session cookie).
const tokenIn = text => /name="_csrf" value="([^"]*)"/.exec(text)?.[1];
const cookiesOf = res => (res.headers['set-cookie'] || []).map(c => c.split(';')[0]).join('; ');
let r = await request('GET', '/signin', { json: false });
const csrf0 = tokenIn(r.text);
r = await request('POST', '/signin', { cookie: cookiesOf(r), form: { _csrf: csrf0, email: args.email, password: args.password }, json: false });
const sess = /op_session=([^;]+)/.exec((r.headers['set-cookie'] || []).join(';'))?.[1];
if (r.status !== 303 || !sess) die(`sign-in failed (${r.status})`);
const CSRF = tokenIn((await request('GET', '/account', { cookie: `op_session=${sess}`, json: false })).text);
if (!CSRF) die('no form token on /account');
const orgCookie = `op_session=${sess}; op_csrf=${CSRF}`;
const day = new Date(Date.now() + 20 * 86400000).toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
r = await request('POST', '/agenda/new', { cookie: orgCookie, json: false, form: { _csrf: CSRF, title: 'Benchmark', kind: 'thinkalong',
	date: day, start_time: '10:00', end_time: '12:00', mode: 'online', meeting_url: 'https://meet.example/b', waitlist: '1' } });
const sid = Number(/\/sessions\/(\d+)/.exec(r.headers.location || '')?.[1]);
if (!sid) die(`could not make a session (${r.status})`);
await request('POST', `/sessions/${sid}/publish`, { cookie: orgCookie, form: { _csrf: CSRF }, json: false });
r = await request('POST', `/sessions/${sid}/board`, { cookie: orgCookie, json: false,
	form: { _csrf: CSRF, dots: '50', columns: 'Kansen\nRisico\'s\nOplossingen' } });
if (r.status !== 303) die(`could not make the board (${r.status})`);
const board = JSON.parse((await request('GET', `/api/v1/sessions/${sid}/board`)).text).board;
const columns = board.columns.map(c => c.id);

// Each participant's form token.
for (let i = 0; i < people.length; i += 50)
	await Promise.all(people.slice(i, i + 50).map(async p => {
		p.csrf = tokenIn((await request('GET', '/account', { cookie: `op_session=${p.token}`, json: false })).text);
		if (!p.csrf) die('no form token for a participant');
	}));

// 2. One stream per participant.
const sentAt = new Map();   // note id -> time sent (ms)
const delays = [];
let gaps = 0;
function openStream(p) {
	return new Promise((resolve, reject) => {
		const s = { seen: new Set(), version: 0, buf: '' };
		const req = http.get({ host: URLS.hostname, port: URLS.port, path: `/sessions/${sid}/board/stream?since=${board.version}`,
			headers: { Cookie: `op_session=${p.token}` } }, res => {
			if (res.statusCode !== 200) { reject(new Error(`stream ${res.statusCode}`)); return; }
			res.setEncoding('utf8');
			resolve(s);
			res.on('data', d => {
				s.buf += d;
				let i;
				while ((i = s.buf.indexOf('\n\n')) >= 0) {
					const block = s.buf.slice(0, i);
					s.buf = s.buf.slice(i + 2);
					const at = block.indexOf('data: ');
					if (at < 0) continue;
					const m = JSON.parse(block.slice(at + 6));
					if (m.from > s.version && s.version) { gaps++; reload(s); }
					take(s, m.notes);
					if (m.version > s.version) s.version = m.version;
				}
			});
		});
		req.on('error', reject);
		s.req = req;
	});
}
function take(s, notes) {
	const t = performance.now();
	for (const n of notes) {
		if (s.seen.has(n.id)) continue;
		s.seen.add(n.id);
		const t0 = sentAt.get(n.id);
		if (t0 !== undefined) delays.push(t - t0);
	}
}
async function reload(s) {
	if (s.reloading) return;
	s.reloading = true;
	const b = JSON.parse((await request('GET', `/api/v1/sessions/${sid}/board`)).text).board;
	take(s, b.notes);
	if (b.version > s.version) s.version = b.version;
	s.reloading = false;
}
const streams = [];
for (let i = 0; i < people.length; i += 50)
	streams.push(...await Promise.all(people.slice(i, i + 50).map(openStream)));

// 3. Notes and dots for S seconds.
let notesSent = 0, notesOk = 0, votesSent = 0, votesOk = 0, refused = 0;
const noteIds = [];
const cookieOf = p => `op_session=${p.token}; op_csrf=${p.csrf}`;
async function addNote(k) {
	const p = people[k % people.length];
	notesSent++;
	const t0 = performance.now();
	const res = await request('POST', `/api/v1/sessions/${sid}/board/notes`, { cookie: cookieOf(p),
		form: { _csrf: p.csrf, body: `Idee ${k} van ${p.email.split('@')[0]}`, column_id: String(columns[k % columns.length]) } });
	if (res.status !== 200) { refused++; return; }
	notesOk++;
	const id = JSON.parse(res.text).note.id;
	sentAt.set(id, t0);
	noteIds.push(id);
	for (const s of streams) if (s.seen.has(id)) delays.push(0); // seen before the answer came: ~0
}
async function vote(k) {
	if (!noteIds.length) return;
	const p = people[(k * 7) % people.length];
	votesSent++;
	const res = await request('POST', `/api/v1/sessions/${sid}/board/notes/${noteIds[(k * 13) % noteIds.length]}/vote`,
		{ cookie: cookieOf(p), form: { _csrf: p.csrf, dot: 'add' } });
	if (res.status === 200) votesOk++; else refused++;
}
const pending = [];
const start = performance.now();
let nk = 0, vk = 0;
await new Promise(resolve => {
	const timer = setInterval(() => {
		const el = (performance.now() - start) / 1000;
		if (el >= SECONDS) { clearInterval(timer); resolve(); return; }
		while (nk < el * NOTES) pending.push(addNote(nk++));
		while (vk < el * VOTES) pending.push(vote(vk++));
	}, 10);
});
await Promise.all(pending);
await new Promise(r2 => setTimeout(r2, 2000));

// 4. What the board holds, and what every screen saw.
const final = JSON.parse((await request('GET', `/api/v1/sessions/${sid}/board`)).text).board;
const notesCounted = final.notes.length;
const votesCounted = final.notes.reduce((a, n) => a + n.votes, 0);
let seen = 0;
for (const s of streams) for (const id of noteIds) if (s.seen.has(id)) seen++;
for (const s of streams) s.req.destroy();
agent.destroy();
delays.sort((a, b) => a - b);
const pct = q => delays.length ? delays[Math.min(delays.length - 1, Math.floor(q * delays.length))].toFixed(1) : 'n/a';
let rss = 'unknown';
if (args['server-pid']) {
	try { rss = (Number(/VmHWM:\s+(\d+)/.exec(fs.readFileSync(`/proc/${args['server-pid']}/status`, 'utf8'))[1]) / 1024).toFixed(1); } catch { /* gone */ }
}
const expected = noteIds.length * streams.length;
console.log(`participants=${streams.length} notes_sent=${notesSent} notes_counted=${notesCounted} votes_sent=${votesSent} ` +
	`votes_counted=${votesCounted} seen=${seen}/${expected} gaps=${gaps} p50_ms=${pct(0.5)} p99_ms=${pct(0.99)} rss_mb=${rss}`);
const lost = refused || notesCounted !== notesOk || votesCounted !== votesOk || seen !== expected;
process.exit(lost ? 1 : 0);
