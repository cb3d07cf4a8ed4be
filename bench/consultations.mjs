#!/usr/bin/env node
// bench/consultations.mjs — the load driver of bench/consultations.sh.
//   node bench/consultations.mjs BASE_URL RESPONSES CONCURRENCY
// Signs in as the demo organiser, creates an open consultation with every
// kind of question, then submits RESPONSES anonymous responses, CONCURRENCY
// at a time; each is a fresh browser: GET the form (CSRF cookie, browser
// token, one-time form token), then POST the answers. Prints three lines:
//   consultation <id>
//   cookie <the organiser's cookies, for the export benchmark>
//   responses <n> seconds <s> per_second <r> errors <e>
const [base, nArg, cArg] = process.argv.slice(2);
const N = Number(nArg || 10000), C = Number(cArg || 32);

function jar(res, cookies) {
	for (const sc of res.headers.getSetCookie()) {
		const [nv] = sc.split(';');
		const i = nv.indexOf('=');
		cookies[nv.slice(0, i)] = nv.slice(i + 1);
	}
}
const header = c => Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ');
async function post(path, cookies, pairs) {
	const res = await fetch(base + path, {
		method: 'POST', redirect: 'manual',
		headers: { Cookie: header(cookies), 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(pairs).toString(),
	});
	jar(res, cookies);
	await res.arrayBuffer();
	return res;
}

const org = {};
let r = await fetch(base + '/signin', { redirect: 'manual' });
jar(r, org);
await r.arrayBuffer();
r = await post('/signin', org, [['_csrf', org.op_csrf], ['email', 'sanne.devries@openplan.example'], ['password', 'demo-wachtwoord']]);
if (r.status !== 303) throw new Error(`sign in: ${r.status}`);
const day = d => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
r = await post('/plans/1/consultations/new', org, [['_csrf', org.op_csrf], ['title', 'Benchmark'], ['intro', ''],
	['opens_on', day(-1)], ['closes_on', day(30)], ['results_public', 'while_open'], ['allow_anonymous', '1']]);
const id = Number((r.headers.get('location') || '').match(/(\d+)/)?.[1]);
if (!id) throw new Error(`create: ${r.status}`);
const questions = [
	{ kind: 'multiple', prompt: 'Themes', options: 'Open Technologie\nOpen Informatie\nOpen Communicatie\nOpen Democratie\nOpen Inkoop', allow_other: '1' },
	{ kind: 'single', prompt: 'Role', options: 'Government\nCivil society\nBusiness\nResearch' },
	{ kind: 'text', prompt: 'Ideas' },
	{ kind: 'yesno', prompt: 'Join the Alliance?' },
	{ kind: 'ranking', prompt: 'Order', options: 'A\nB\nC\nD' },
	{ kind: 'scale', prompt: 'Satisfied', low_label: 'no', high_label: 'yes' },
];
for (const q of questions) {
	r = await post(`/consultations/${id}/questions`, org, [['_csrf', org.op_csrf], ...Object.entries(q)]);
	if (r.status !== 303) throw new Error(`question: ${r.status}`);
}
// A new consultation is a draft: publish it before anyone can answer.
r = await post(`/consultations/${id}/status`, org, [['_csrf', org.op_csrf], ['status', 'published']]);
if (r.status !== 303) throw new Error(`publish: ${r.status}`);
const qj = await (await fetch(`${base}/api/v1/consultations/${id}`)).json();
const Q = qj.questions;
console.log(`consultation ${id}`);
console.log(`cookie ${header(org)}`);

function answers(i) {
	const p = [];
	const [m, s, t, y, rk, sc] = Q;
	for (let k = 0; k < m.options.length; k++) if ((i * 7 + k * 3) % 5 < 2) p.push([`q${m.id}`, String(m.options[k].id)]);
	if (i % 10 === 0) p.push([`q${m.id}`, 'other'], [`q${m.id}_other`, `Thema ${i % 50}`]);
	p.push([`q${s.id}`, String(s.options[i % s.options.length].id)]);
	if (i % 3 === 0) p.push([`q${t.id}`, `Idee nummer ${i}: meer open data.`]);
	p.push([`q${y.id}`, i % 4 ? 'yes' : 'no'], [`q${y.id}_why`, i % 6 === 0 ? 'Kennis delen.' : '']);
	const order = [0, 1, 2, 3].sort((a, b) => ((a * 5 + i) % 4) - ((b * 5 + i) % 4));
	order.forEach((o, place) => p.push([`q${rk.id}_o${rk.options[o].id}`, String(place + 1)]));
	p.push([`q${sc.id}`, String(1 + (i % 5))]);
	return p;
}

let next = 0, errors = 0;
const t0 = process.hrtime.bigint();
async function worker() {
	for (;;) {
		const i = next++;
		if (i >= N) return;
		const c = {};
		const g = await fetch(`${base}/consultations/${id}`);
		jar(g, c);
		const html = await g.text();
		const tok = html.match(/name="form_token" value="([^"]+)"/);
		if (!tok) { errors++; continue; }
		const res = await post(`/consultations/${id}`, c, [['_csrf', c.op_csrf], ['form_token', tok[1]], ...answers(i)]);
		if (res.status !== 303) errors++;
	}
}
await Promise.all(Array.from({ length: C }, worker));
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
console.log(`responses ${N} seconds ${secs.toFixed(2)} per_second ${(N / secs).toFixed(0)} errors ${errors}`);
