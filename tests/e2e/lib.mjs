// lib.mjs — what every end-to-end suite shares: running the openplan
// command, starting and stopping a server on a free port, an HTTP client
// with a cookie jar and CSRF handling, raw sockets, and small assertions.
// A suite calls setBinary(path) first, then runSuite(tests, {setup, teardown}).
// Databases are named by file paths; with OPENPLAN_TEST_PG set, each path is
// a fresh PostgreSQL database instead (../pg/target.mjs), made on first use.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import assert from 'node:assert/strict';
import { dbTarget, PG } from '../pg/target.mjs';
export { BACKEND } from '../pg/target.mjs';

export let BIN = null;
export const baseEnv = {
	...process.env,
	ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=0:halt_on_error=1',
	UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
	OPENPLAN_QUIET: '1',
};
delete baseEnv.OPENPLAN_DB;
delete baseEnv.OPENPLAN_LISTEN;
export const SAN_RE = /AddressSanitizer|LeakSanitizer|runtime error/;
export const sanitizerReports = [];

export function setBinary(p) {
	if (!p || !fs.existsSync(p)) {
		console.error(`usage: node SUITE.mjs PATH/TO/openplan (not found: ${p})`);
		process.exit(2);
	}
	BIN = p;
}

// The database a path stands for; on PostgreSQL it is created (empty, like
// a new SQLite file) the first time a path is used. A path passed through
// sqliteFile() stays a SQLite file on every backend (tests of copy, backup).
const made = new Set(), files = new Set();
export function sqliteFile(p) {
	files.add(p);
	return p;
}
export function db(p) {
	const t = files.has(p) ? p : dbTarget(p);
	if (t !== p && !made.has(t)) {
		made.add(t);
		const r = spawnSync(BIN, ['init', '--db', t], { env: baseEnv, encoding: 'utf8', timeout: 30000 });
		if (r.status !== 0) throw new Error(`cannot make the PostgreSQL database for ${p}: ${r.stderr}`);
	}
	return t;
}

// One value from the database a path stands for (sqlite3 on a file, psql on
// PostgreSQL), as text: for suites that check what is stored.
export function sqlValue(p, query) {
	const t = db(p);
	const r = /^postgres(ql)?:\/\//.test(t)
		? spawnSync('psql', ['-X', '-At', '-d', t, '-c', query], { encoding: 'utf8' })
		: spawnSync('sqlite3', [t, query], { encoding: 'utf8' });
	if (r.status !== 0) throw new Error(`${query}: ${r.stderr}`);
	return r.stdout.trim();
}

export function cli(args, input) {
	if (PG) args = args.map((a, i) => (i > 0 && args[i - 1] === '--db' ? db(a) : a));
	const r = spawnSync(BIN, args, { env: baseEnv, input: input ?? '', encoding: 'utf8', timeout: 30000 });
	if (SAN_RE.test(r.stderr || '')) sanitizerReports.push(`openplan ${args.join(' ')}:\n${r.stderr}`);
	// A database error logged by a command is a failure too (see stopChecked).
	if ((r.stderr || '').includes('msg="database:'))
		sanitizerReports.push(`openplan ${args.join(' ')} logged a database error:\n${r.stderr}`);
	return { code: r.status, stdout: r.stdout || '', stderr: r.stderr || '' };
}

export function mustCli(args, input) {
	const r = cli(args, input);
	if (r.code !== 0) throw new Error(`openplan ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
	return r;
}

// Every route of the running program (`openplan routes --json`): feature,
// methods, pattern, role, public, flags. Tests walk this, not the sources.
export function programRoutes() {
	return JSON.parse(mustCli(['routes', '--json']).stdout);
}

export class Server {
	constructor(name, dbPath, env, args = []) {
		this.name = name;
		this.args = args;
		this.db = db(dbPath);
		this.env = env;
		this.stderr = '';
	}
	start() {
		return new Promise((resolve, reject) => {
			const p = spawn(BIN, ['serve', '--db', this.db, '--listen', '127.0.0.1:0', ...this.args],
				{ env: { ...baseEnv, ...this.env }, stdio: ['ignore', 'ignore', 'pipe'] });
			this.proc = p;
			this.exited = new Promise(res => p.on('exit', (code, signal) => res({ code, signal })));
			const timer = setTimeout(() => reject(new Error(`${this.name}: no "serving" line in 20 s; stderr: ${this.stderr}`)), 20000);
			p.stderr.setEncoding('utf8');
			p.stderr.on('data', d => {
				this.stderr += d;
				const m = this.stderr.match(/openplan: serving .* on http:\/\/127\.0\.0\.1:(\d+)\//);
				if (m && !this.port) {
					this.port = Number(m[1]);
					this.base = `http://127.0.0.1:${this.port}`;
					clearTimeout(timer);
					resolve(this);
				}
			});
			p.on('exit', code => {
				if (!this.port) {
					clearTimeout(timer);
					reject(new Error(`${this.name}: exited ${code} before serving: ${this.stderr}`));
				}
			});
		});
	}
	async stop() {
		if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null)
			return this.exited ? await this.exited : { code: null, signal: 'not started' };
		this.proc.kill('SIGTERM');
		const t = setTimeout(() => this.proc.kill('SIGKILL'), 20000);
		const r = await this.exited;
		clearTimeout(t);
		return r;
	}
}

// ---------- HTTP client with a cookie jar ----------

export class Client {
	// https: the server runs with --https, so its cookies are __Host- named.
	constructor(base, { lang, https = false } = {}) {
		this.base = base;
		this.jar = new Map();
		if (lang) this.jar.set(https ? '__Host-op_lang' : 'op_lang', lang);
	}
	cookieHeader() {
		return [...this.jar].map(([k, v]) => `${k}=${v}`).join('; ');
	}
	async req(method, p, { form, body, headers = {}, json = false } = {}) {
		const h = { ...headers };
		if (this.jar.size && !('Cookie' in h)) h.Cookie = this.cookieHeader();
		if (json) h.Accept = 'application/json';
		let b = body;
		if (form) {
			b = new URLSearchParams(form).toString();
			h['Content-Type'] = 'application/x-www-form-urlencoded';
		} else if (typeof body === 'string' && !h['Content-Type']) {
			h['Content-Type'] = 'application/x-www-form-urlencoded';
		}
		const res = await fetch(this.base + p, { method, headers: h, body: b, redirect: 'manual' });
		const text = await res.text();
		const setCookies = res.headers.getSetCookie();
		for (const sc of setCookies) {
			const [nv, ...attrs] = sc.split(';');
			const i = nv.indexOf('=');
			const name = nv.slice(0, i).trim(), value = nv.slice(i + 1).trim();
			const maxAge = attrs.map(a => a.trim()).find(a => /^max-age=/i.test(a));
			if (value === '' || (maxAge && Number(maxAge.split('=')[1]) <= 0)) this.jar.delete(name);
			else this.jar.set(name, value);
		}
		return { status: res.status, headers: res.headers, text, setCookies, location: res.headers.get('location'),
			json() { return JSON.parse(text); } };
	}
	get(p, o) { return this.req('GET', p, o); }
	post(p, form, o = {}) { return this.req('POST', p, { ...o, form }); }
	// The current form token: the op_csrf cookie mirrors it (__Host-op_csrf
	// when the server runs with --https). The server never trusts the cookie.
	token() { return this.jar.get('op_csrf') ?? this.jar.get('__Host-op_csrf'); }
	// GET a page, pull the _csrf hidden value; the op_csrf cookie mirrors it.
	async csrf(p = '/signin') {
		const r = await this.get(p);
		const m = r.text.match(/name="_csrf" value="([^"]*)"/);
		if (!m) throw new Error(`no _csrf field on ${p} (status ${r.status})`);
		assert.equal(this.token(), m[1], 'op_csrf cookie equals the _csrf field');
		return m[1];
	}
	// POST a form with the current CSRF token.
	async postc(p, form = {}, o) {
		if (!this.token()) await this.csrf('/signin');
		return this.post(p, { _csrf: this.token(), ...form }, o);
	}
	async signin(email, password, expect = 303) {
		await this.csrf('/signin');
		const r = await this.postc('/signin', { email, password });
		if (expect !== null) assert.equal(r.status, expect, `sign in ${email}: status`);
		return r;
	}
}

export function raw(port, data, timeoutMs = 5000) {
	return new Promise((resolve) => {
		const s = net.connect(port, '127.0.0.1');
		let out = '';
		const t = setTimeout(() => { s.destroy(); resolve({ out, timedOut: true }); }, timeoutMs);
		s.on('connect', () => s.write(data));
		s.on('data', d => { out += d.toString('latin1'); });
		s.on('error', () => {});
		s.on('close', () => { clearTimeout(t); resolve({ out, timedOut: false }); });
	});
}

export const esc = s => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
export const has = (text, needle, what) => assert.ok(text.includes(needle), `${what || 'body'} should contain ${JSON.stringify(needle)}`);
export const hasNot = (text, needle, what) => assert.ok(!text.includes(needle), `${what || 'body'} should not contain ${JSON.stringify(needle)}`);
// The message written at a field of a form: <p ... id="ID-error">MSG</p>
export function fieldError(html, id) {
	const m = html.match(new RegExp(`id="${id}-error">([^<]*)</p>`));
	return m ? m[1] : null;
}
export function inputValue(html, id) {
	const m = html.match(new RegExp(`id="${id}" name="[^"]*" value="([^"]*)"`));
	return m ? m[1] : null;
}
export function statusIs(r, code, what = '') {
	assert.equal(r.status, code, `${what} status ${r.status} (expected ${code}); body: ${r.text.slice(0, 300).replace(/\s+/g, ' ')}`);
}


// Runs tests in order; prints "ok - name" / "not ok - name: why" and one
// closing line "N passed, N failed"; exits 1 when anything failed.
export async function runSuite(tests, { setup, teardown, timeoutMs = 60000 } = {}) {
	let passed = 0, failed = 0;
	const ok = name => { passed++; console.log(`ok - ${name}`); };
	const notOk = (name, why) => { failed++; console.log(`not ok - ${name}: ${String(why && why.stack || why).replace(/\n/g, '\n    ')}`); };
	const t0 = Date.now();
	try {
		if (setup) await setup();
		for (const t of tests) {
			let timer;
			try {
				await Promise.race([t(), new Promise((_, rej) => { timer = setTimeout(() => rej(new Error(`timed out after ${timeoutMs} ms`)), timeoutMs); })]);
				ok(t.name);
			} catch (e) {
				notOk(t.name, e && e.message ? e.message : e);
			} finally {
				clearTimeout(timer);
			}
		}
	} catch (e) {
		notOk('setup', e && e.message ? e.message : e);
	}
	if (teardown) {
		try {
			for (const [name, good, why] of await teardown()) good ? ok(name) : notOk(name, why);
		} catch (e) {
			notOk('teardown', e && e.message ? e.message : e);
		}
	}
	if (sanitizerReports.length) notOk('sanitizers', sanitizerReports.join('\n'));
	console.log(`# ${((Date.now() - t0) / 1000).toFixed(1)} s`);
	console.log(`${passed} passed, ${failed} failed`);
	process.exit(failed ? 1 : 0);
}

// Stops a server and reports whether it stopped cleanly and without
// sanitizer findings: [name, good, why].
// A database error in the server's log is a failure too: the suites run the
// same on SQLite and PostgreSQL, and neither should ever log one.
export async function stopChecked(server) {
	const r = await server.stop();
	const san = SAN_RE.test(server.stderr);
	const dbErrors = server.stderr.split('\n').filter(l => l.includes('msg="database:'));
	const good = r.code === 0 && !san && dbErrors.length === 0;
	return [`server ${server.name} stops cleanly`, good,
		`exit ${r.code} signal ${r.signal}${san ? '; sanitizer report:\n' + server.stderr : ''}` +
		(dbErrors.length ? `; database errors:\n${dbErrors.slice(0, 10).join('\n')}` : '')];
}
