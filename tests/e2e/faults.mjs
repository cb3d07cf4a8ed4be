#!/usr/bin/env node
// faults.mjs — running out of a request's memory is never a crash (issue
// 10). The server runs with its test hook on (OPENPLAN_FAULT_HEADER=1): a
// request that carries X-Openplan-Fault-Arena: N+ has every allocation of
// its arena from the Nth on fail. Every route of the program (`openplan
// routes --json`), as a visitor and as an admin, with N from 1 upwards until
// the request no longer runs out: each answer that ran out must be the clear
// 503 page or JSON error (a saved change may keep its redirect), the server
// must keep answering, and the sanitizer build must report nothing when it
// stops.
//   node tests/e2e/faults.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { setBinary, mustCli, programRoutes, Server, Client, runSuite, stopChecked } from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-faults-'));
const DB = path.join(TMP, 'faults.db');
const PW = 'correct horse battery';
const ADMIN = 'admin@faults.example';
const MAXN = Number(process.env.FAULTS_MAXN || 400);
let S;

const PARAM = { code: '210318' };
// Features whose handlers are still being made safe, and why; their routes
// are not tried (a crash would stop the server for every other route).
// Empty this list: a feature not named here is tried.
const PENDING = new Map([
]);
const fill = p => p.replace(/\{(\w+)\}/g, (_, n) => PARAM[n] ?? '1');

async function once(c, method, url, n, json) {
	const ctl = new AbortController();
	const t = setTimeout(() => ctl.abort(), 5000);
	try {
		const headers = { 'X-Openplan-Fault-Arena': `${n}+` };
		if (json) headers.Accept = 'application/json';
		if (c.jar.size) headers.Cookie = c.cookieHeader();
		let body;
		if (method === 'POST') {
			headers['Content-Type'] = 'application/x-www-form-urlencoded';
			body = new URLSearchParams({ _csrf: c.token() || '' }).toString();
		}
		const res = await fetch(S.base + url, { method, headers, body, redirect: 'manual', signal: ctl.signal });
		const text = url.endsWith('/stream') ? '' : await res.text();
		return { status: res.status, failed: Number(res.headers.get('x-openplan-arena-failed') || 0), text,
			type: res.headers.get('content-type') || '' };
	} finally {
		clearTimeout(t);
	}
}

async function every_route_survives_running_out_of_memory() {
	const anon = new Client(S.base, { lang: 'en' });
	await anon.csrf('/signin');
	const adm = new Client(S.base, { lang: 'en' });
	await adm.signin(ADMIN, PW);
	const wrong = [];
	let requests = 0, ranOut = 0;
	for (const r of programRoutes()) {
		if (r.pattern.endsWith('/stream')) continue; // event streams: tested by their own suites
		if (PENDING.has(r.feature)) continue;
		const url = fill(r.pattern);
		for (const method of r.methods) {
			if (method === 'POST' && !r.flags.includes('csrf')) continue;
			for (const [who, c] of [['visitor', anon], ['admin', adm]]) {
				for (let n = 1; n <= MAXN; n++) {
					let a;
					try {
						a = await once(c, method, url, n, r.flags.includes('api'));
					} catch (e) {
						wrong.push(`${method} ${url} as ${who}, N=${n}: no answer (${e.message})`);
						break;
					}
					requests++;
					if (!a.failed) break; // the request no longer runs out: done with this route
					ranOut++;
					const kept = method === 'POST' && a.status === 303;
					if (!kept && a.status !== 503)
						wrong.push(`${method} ${url} as ${who}, N=${n}: ${a.status} after running out`);
					else if (!kept && !/too busy right now|te druk/.test(a.text))
						wrong.push(`${method} ${url} as ${who}, N=${n}: 503 without the busy message`);
					if (wrong.length > 20) break;
				}
			}
		}
	}
	assert.deepEqual(wrong, [], 'answers after running out of memory');
	assert.ok(ranOut > 200, `only ${ranOut} requests ran out`);
	// The server still serves normally.
	assert.equal((await new Client(S.base).get('/healthz')).status, 200);
	console.log(`# ${requests} requests, ${ranOut} ran out of memory`);
}

await runSuite([every_route_survives_running_out_of_memory], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ADMIN, '--name', 'Ada', '--role', 'admin'], PW + '\n');
		S = new Server('faults', DB, { OPENPLAN_FAULT_HEADER: '1', OPENPLAN_IP_LIMIT: '1000000', OPENPLAN_QUIET: '1' });
		await S.start();
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
	timeoutMs: 600000,
});
