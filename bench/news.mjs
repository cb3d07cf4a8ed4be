#!/usr/bin/env node
// news.mjs — the newsletter benchmark: an issue sent to N subscribers
// through a real local SMTP server (tests/e2e/mail/smtp_server.py in its
// count-only mode, Debian's python3-aiosmtpd), for each N in SIZES.
// Prints, per size: messages per second (from "send" to the last message
// accepted by the server) and openplan's peak memory (VmHWM); then whether
// memory grew with the number of subscribers (it should not: the sender
// fans out in batches and builds each message when it sends it).
//   node bench/news.mjs PATH/TO/openplan [SIZES, default 10000,100000]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SmtpServer, freePort, PYTHON } from '../tests/e2e/mail/smtp.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const BIN = path.resolve(process.argv[2] || 'build/openplan');
const SIZES = (process.argv[3] || '10000,100000').split(',').map(Number);
const PW = 'bench password 1';
const env = { ...process.env, OPENPLAN_QUIET: '1', OPENPLAN_IP_LIMIT: '100000', OPENPLAN_MAIL_POLL_MS: '200' };

function run(args, input) {
	const r = spawnSync(BIN, args, { env, input: input ?? '', encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`openplan ${args.join(' ')}: ${r.stderr}`);
}

// Subscribers straight into the database (the sign-up path is measured
// by the tests, not here): N confirmed addresses.
function addSubscribers(db, n) {
	const py = `
import sqlite3, sys
c = sqlite3.connect(sys.argv[1]); n = int(sys.argv[2])
c.executemany("INSERT INTO news_subscribers (email, lang, status, created_at, confirmed_at) VALUES (?, ?, 'active', 0, 0)",
              (("lezer%d@bench.example" % i, "nl" if i % 3 else "en") for i in range(n)))
c.commit()`;
	const r = spawnSync(PYTHON, ['-c', py, db, String(n)], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`adding subscribers: ${r.stderr}`);
}

function hwm(pid) {
	const m = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmHWM:\s+(\d+) kB/m);
	return m ? Number(m[1]) : 0;
}

class Jar {
	constructor(base) { this.base = base; this.c = new Map(); }
	async req(method, p, form) {
		const h = { Cookie: [...this.c].map(([k, v]) => `${k}=${v}`).join('; '), Accept: 'application/json' };
		let body;
		if (form) { body = new URLSearchParams({ _csrf: this.c.get('op_csrf') || '', ...form }).toString(); h['Content-Type'] = 'application/x-www-form-urlencoded'; }
		const r = await fetch(this.base + p, { method, headers: h, body, redirect: 'manual' });
		for (const sc of r.headers.getSetCookie()) { const [nv] = sc.split(';'); const i = nv.indexOf('='); this.c.set(nv.slice(0, i), nv.slice(i + 1)); }
		return { status: r.status, location: r.headers.get('location'), json: r.status === 200 ? await r.json().catch(() => null) : (await r.text(), null) };
	}
}

async function one(n) {
	const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-news-bench-'));
	const db = path.join(tmp, 'bench.db'), dir = path.join(tmp, 'mail');
	const smtp = new SmtpServer(dir, { countOnly: true });
	let op;
	try {
		run(['init', '--db', db]);
		run(['user', 'add', '--db', db, '--email', 'olga@bench.example', '--name', 'Olga', '--role', 'organiser'], PW + '\n');
		addSubscribers(db, n);
		await smtp.start();
		const port = await freePort();
		op = spawn(BIN, ['serve', '--db', db, '--listen', `127.0.0.1:${port}`, '--base-url', `http://127.0.0.1:${port}`,
			'--smtp-url', smtp.url], { env, stdio: ['ignore', 'ignore', 'pipe'] });
		await new Promise((ok, ko) => {
			let buf = '';
			op.stderr.on('data', d => { buf += d; if (/serving/.test(buf)) ok(); });
			op.on('exit', c => ko(new Error(`openplan exited ${c}: ${buf}`)));
		});
		const j = new Jar(`http://127.0.0.1:${port}`);
		await j.req('GET', '/signin');
		if ((await j.req('POST', '/signin', { email: 'olga@bench.example', password: PW })).status !== 200)
			throw new Error('could not sign in');
		const cr = await j.req('POST', '/news/issues', { subject: 'Nieuwsbrief Open Overheid — benchmark', body: '# Nieuws\n\nDe **meedenksessies** zijn klaar. Lees [het verslag](https://open-overheid.example/verslag).\n\n' + 'Een alinea tekst over het actieplan. '.repeat(20) });
		const issue = cr.json.location;
		const t0 = process.hrtime.bigint();
		await j.req('POST', issue + '/send', {});
		let st;
		for (;;) {
			await new Promise(r => setTimeout(r, 500));
			st = (await j.req('GET', issue)).json.issue;
			if (st.status === 'sent') break;
		}
		const secs = Number(process.hrtime.bigint() - t0) / 1e9;
		const peak = hwm(op.pid);
		await smtp.kill('SIGTERM');
		const counted = Number(fs.readFileSync(path.join(dir, 'count'), 'utf8'));
		const p = st.progress;
		console.log(`newsletter to ${n} subscribers: ${p.delivered} delivered, ${p.failed} failed, ` +
			`server received ${counted}; ${(p.delivered / secs).toFixed(0)} messages/s; openplan peak RSS ${(peak / 1024).toFixed(1)} MB`);
		return { n, peak, ok: p.delivered === n && counted >= n };
	} finally {
		if (op && op.exitCode === null) { op.kill('SIGTERM'); await new Promise(r => op.once('exit', r)); }
		await smtp.kill('SIGTERM');
		fs.rmSync(tmp, { recursive: true, force: true });
	}
}

const results = [];
for (const n of SIZES) results.push(await one(n));
const small = results[0], big = results[results.length - 1];
const grew = big.peak > small.peak * 1.25 + 8 * 1024;
console.log(`peak memory ${(small.peak / 1024).toFixed(1)} MB at ${small.n} subscribers, ${(big.peak / 1024).toFixed(1)} MB at ${big.n}: ` +
	(grew ? 'it GREW with the number of subscribers' : 'it does not grow with the number of subscribers'));
process.exit(results.every(r => r.ok) && !grew ? 0 : 1);
