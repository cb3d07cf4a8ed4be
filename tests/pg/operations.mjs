#!/usr/bin/env node
// Running openplan on PostgreSQL: moving, backing up, restoring, and what
// goes wrong on the way.
//   OPENPLAN_TEST_PG=postgresql://… node tests/pg/operations.mjs PATH/TO/openplan
// - openplan copy moves a SQLite deployment (the demo, with answers and
//   votes) into PostgreSQL: row counts checked, and both servers give the
//   same JSON and the same byte-for-byte export; new rows get new ids;
//   copying into a database that has data is refused unless --force.
// - openplan backup copies a SQLite file while a server writes to it; the
//   copy serves; PostgreSQL's backup is pg_dump, restored with pg_restore
//   into a new database that then serves the same data (docs/deploy.md).
// - Bad input: an unreachable server and a wrong password at start are one
//   line each, exit 1, no password; the database going away while serving
//   gives 503 with a clear page, and the node recovers when it is back,
//   without a restart (on a cluster of this test's own).
import { spawnSync, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
	setBinary, Server, Client, has, hasNot, statusIs, runSuite, stopChecked, sqliteFile, BACKEND, SAN_RE,
} from '../e2e/lib.mjs';
import { PG } from './target.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
if (BACKEND !== 'postgresql') {
	console.error('operations.mjs needs OPENPLAN_TEST_PG');
	process.exit(2);
}
const here = path.dirname(new URL(import.meta.url).pathname);
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-ops-'));
fs.chmodSync(TMP, 0o755);
const SRC = sqliteFile(path.join(TMP, 'source.db')); // a SQLite deployment
const PASSWORD = new URL(PG).password;
const RUN = `${process.pid}`;
const url = name => `${PG}/${name === 'postgres' ? name : `${name}_${RUN}`}`;
const ORGANISER = 'sanne.devries@openplan.example', DEMO_PW = 'demo-wachtwoord';
const servers = [];

// openplan with a database that must stay as given (no mapping).
function raw(args, input) {
	const r = spawnSync(path.resolve(process.argv[2] || 'build/san/openplan'), args,
		{ env: { ...process.env, OPENPLAN_QUIET: '1' }, input: input ?? '', encoding: 'utf8', timeout: 60000 });
	if (SAN_RE.test(r.stderr || '')) throw new Error(`sanitizer report: ${r.stderr}`);
	if (r.status === 0 && (r.stderr || '').includes('msg="database:'))
		throw new Error(`openplan ${args[0]} logged a database error: ${r.stderr}`);
	return { code: r.status, stdout: r.stdout || '', stderr: r.stderr || '' };
}
function oneLine(r, what) {
	const lines = r.stderr.split('\n').filter(Boolean);
	assert.equal(lines.length, 1, `${what}: one line on stderr, got ${JSON.stringify(r.stderr)}`);
	assert.ok(!r.stderr.includes(PASSWORD) && !r.stdout.includes(PASSWORD), `${what}: the password is not shown`);
	return lines[0];
}
async function serve(name, db) {
	const s = await new Server(name, db, { OPENPLAN_IP_LIMIT: '100000' }).start();
	servers.push(s);
	return s;
}
// What a visitor and an organiser see, as data.
async function views(base) {
	const anon = new Client(base, { lang: 'en' });
	const org = new Client(base, { lang: 'en' });
	await org.signin(ORGANISER, DEMO_PW);
	const out = {};
	for (const p of ['/api/v1/plan', '/api/v1/organisations', '/api/v1/action-points',
		'/api/v1/action-points/1', '/api/v1/consultations/1/results', '/api/v1/monitor',
		'/api/v1/input/plans/1'])
		out[p] = (await anon.get(p)).text;
	for (const p of ['/consultations/1/export.csv', '/api/v1/polls/1/report', '/actions/milestones.csv',
		'/api/v1/input/plans/1/inbox'])
		out[p] = (await org.get(p)).text;
	return out;
}

// ---------- tests ----------

async function copy_moves_a_sqlite_deployment() {
	const target = url('copied');
	const r = raw(['copy', '--from', SRC, '--to', target]);
	assert.equal(r.code, 0, `copy: ${r.stderr}`);
	has(r.stdout, 'every table has the same number of rows');
	assert.match(r.stdout, /cons_answers\s+\d+ rows\s+\d+ copied\s+ok/);
	for (const t of ['poll_votes', 'input_items', 'input_counts', 'search_dirty']) {
		const m = r.stdout.match(new RegExp(`\\b${t}\\s+(\\d+) rows\\s+(\\d+) copied\\s+ok`));
		assert.ok(m && Number(m[1]) > 0 && m[1] === m[2], `${t} copied whole`);
	}
	hasNot(r.stdout, 'DIFFERENT');
	hasNot(r.stdout + r.stderr, PASSWORD);
	// The same answers from both, to the byte.
	const a = await serve('sqlite', SRC), b = await serve('copied', target);
	const va = await views(a.base), vb = await views(b.base);
	for (const k of Object.keys(va)) {
		assert.ok(va[k].length > 50, `${k} has content`);
		assert.equal(vb[k], va[k], `${k} is the same on SQLite and on the copy in PostgreSQL`);
	}
	// Each backend keeps its own search index (FTS5 on SQLite, tsvector on
	// PostgreSQL; their rankings differ): the copy rebuilds it, and what
	// SQLite finds the copy finds by its title.
	const found = async (base, q) => {
		const j = (await new Client(base, { lang: 'en' }).get(`/api/v1/search?q=${encodeURIComponent(q)}`)).json();
		return j.groups.flatMap(g => g.results.map(x => `${g.kind} ${x.title}`));
	};
	const some = await found(a.base, 'open');
	assert.ok(some.length >= 5, 'SQLite finds things');
	for (const t of some) {
		const title = t.slice(t.indexOf(' ') + 1);
		assert.ok((await found(b.base, title)).includes(t), `the copy finds ${t}`);
	}
	// The site's settings and statements came along.
	const acc = (await new Client(b.base, { lang: 'en' }).get('/accessibility')).text;
	assert.equal(acc, (await new Client(a.base, { lang: 'en' }).get('/accessibility')).text, 'the accessibility statement');
	// New rows after the copy get ids past the copied ones.
	const org = new Client(b.base, { lang: 'en' });
	await org.signin(ORGANISER, DEMO_PW);
	const n = (await org.get('/api/v1/organisations')).json().organisations.length;
	statusIs(await org.postc('/organisations/new', { name: 'Na de kopie', sector: 'other' }), 303, 'new organisation after the copy');
	assert.equal((await org.get('/api/v1/organisations')).json().organisations.length, n + 1);
}

async function copy_into_a_database_with_data_is_refused() {
	const target = url('copied_twice');
	assert.equal(raw(['copy', '--from', SRC, '--to', target]).code, 0, 'first copy');
	const again = raw(['copy', '--from', SRC, '--to', target]);
	assert.equal(again.code, 1, 'second copy refused');
	assert.match(oneLine(again, 'refused copy'), /has data already .*--force/);
	const forced = raw(['copy', '--from', SRC, '--to', target, '--force']);
	assert.equal(forced.code, 0, `forced copy: ${forced.stderr}`);
	has(forced.stdout, 'every table has the same number of rows');
	// Bad usage and a source that is not there.
	assert.equal(raw(['copy', '--from', SRC]).code, 2, 'no --to');
	assert.equal(raw(['copy', '--from', target, '--to', target]).code, 2, 'a URL as source');
	const missing = raw(['copy', '--from', path.join(TMP, 'nope.db'), '--to', target]);
	assert.equal(missing.code, 1);
	oneLine(missing, 'missing source');
}

async function backup_of_a_sqlite_file_in_use_and_its_restore() {
	const live = sqliteFile(path.join(TMP, 'live.db')), copy = sqliteFile(path.join(TMP, 'backup.db'));
	fs.copyFileSync(SRC, live);
	const s = await serve('live', live);
	const org = new Client(s.base, { lang: 'en' });
	await org.signin(ORGANISER, DEMO_PW);
	// Writes go on while the backup runs.
	let writing = true, made = 0;
	const writer = (async () => {
		while (writing) {
			const r = await org.postc('/organisations/new', { name: `Tijdens de backup ${made}`, sector: 'other' });
			if (r.status === 303) made++;
		}
	})();
	await new Promise(r => setTimeout(r, 100));
	const b = raw(['backup', '--db', live, '--to', copy]);
	writing = false;
	await writer;
	assert.equal(b.code, 0, `backup: ${b.stderr}`);
	has(b.stdout, 'backup of');
	assert.ok(made > 0, 'writes went on during the backup');
	// The restore: the backup file serves (integrity checked by SQLite).
	const check = execFileSync('sqlite3', [copy, 'PRAGMA integrity_check;'], { encoding: 'utf8' });
	assert.equal(check.trim(), 'ok');
	const restored = await serve('restored', copy);
	const names = (await new Client(restored.base).get('/api/v1/organisations')).json().organisations.map(o => o.name);
	assert.ok(names.includes('Open State Foundation'), 'demo data in the restored copy');
	// Refused: an existing file, and PostgreSQL (pg_dump is the way there).
	const exists = raw(['backup', '--db', live, '--to', copy]);
	assert.equal(exists.code, 1);
	assert.match(oneLine(exists, 'backup onto a file'), /must not exist/);
	const onPg = raw(['backup', '--db', url('copied'), '--to', path.join(TMP, 'x.db')]);
	assert.equal(onPg.code, 1);
	assert.match(oneLine(onPg, 'backup of PostgreSQL'), /pg_dump/);
}

async function postgresql_backup_with_pg_dump_and_restore() {
	const dump = path.join(TMP, 'openplan.dump');
	const src = url('copied');
	execFileSync('pg_dump', ['--format=custom', '--no-owner', `--file=${dump}`, `--dbname=${src}`]);
	// A new, empty database with openplan's settings, then pg_restore.
	execFileSync('psql', [`--dbname=${url('postgres')}`, '-q', '-v', 'ON_ERROR_STOP=1', '-c',
		`CREATE DATABASE restored_${RUN} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'`]);
	execFileSync('pg_restore', ['--no-owner', '--exit-on-error', `--dbname=${url('restored')}`, dump]);
	const init = raw(['init', '--db', url('restored')]);
	assert.equal(init.code, 0, `init after restore: ${init.stderr}`);
	const a = servers.find(s => s.name === 'copied') || await serve('copied-again', src);
	const b = await serve('pg-restored', url('restored'));
	const va = await views(a.base), vb = await views(b.base);
	for (const k of Object.keys(va)) assert.equal(vb[k], va[k], `${k} is the same after pg_dump and pg_restore`);
	// And it takes new rows (sequences restored too).
	const org = new Client(b.base, { lang: 'en' });
	await org.signin(ORGANISER, DEMO_PW);
	statusIs(await org.postc('/organisations/new', { name: 'Na het terugzetten', sector: 'other' }), 303, 'write after restore');
}

async function unreachable_database_and_wrong_password_at_start() {
	for (const cmd of [['init'], ['serve', '--listen', '127.0.0.1:0']]) {
		const down = raw([...cmd, '--db', `postgresql://openplan:${PASSWORD}@127.0.0.1:1/x`]);
		assert.equal(down.code, 1, `${cmd[0]} with nothing listening`);
		assert.match(oneLine(down, `${cmd[0]} unreachable`), /^openplan: cannot connect to PostgreSQL: .*refused/);
		const wrong = 'Wr0ng-' + PASSWORD;
		const bad = raw([...cmd, '--db', `${PG.replace(PASSWORD, wrong)}/copied`]);
		assert.equal(bad.code, 1, `${cmd[0]} with a wrong password`);
		const line = oneLine(bad, `${cmd[0]} wrong password`);
		assert.match(line, /password authentication failed/);
		assert.ok(!line.includes(wrong), 'the wrong password is not shown either');
	}
	// A database with another collation is refused with the way out.
	execFileSync('psql', [`--dbname=${url('postgres')}`, '-q', '-c',
		`CREATE DATABASE not_c_${RUN} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'`]);
	const nc = raw(['init', '--db', url('not_c')]);
	assert.equal(nc.code, 1);
	assert.match(oneLine(nc, 'wrong collation'), /collation C\.UTF-8; openplan needs "C"/);
}

async function database_going_away_while_serving() {
	// A cluster of this test's own: stopping it disturbs nobody.
	const dir = path.join(TMP, 'outage-cluster');
	const base = execFileSync(path.join(here, 'cluster.sh'), ['start', dir], { encoding: 'utf8' }).trim();
	try {
		const db = `${base}/outage`;
		assert.equal(raw(['init', '--db', db]).code, 0);
		assert.equal(raw(['demo', '--db', db]).code, 0);
		const s = await new Server('outage', db, { OPENPLAN_IP_LIMIT: '100000' }).start();
		try {
			const c = new Client(s.base, { lang: 'en' });
			const org = new Client(s.base, { lang: 'en' });
			await org.signin(ORGANISER, DEMO_PW);
			statusIs(await c.get('/actions?fresh=1'), 200, 'before');
			execFileSync(path.join(here, 'cluster.sh'), ['pause', dir]);
			// (a query string skips the page cache, which has nothing to ask)
			for (const p of ['/actions?fresh=1', '/', '/api/v1/plan']) {
				const r = await c.get(p);
				statusIs(r, 503, `${p} while the database is away`);
				assert.equal(r.headers.get('retry-after'), '10', `${p}: one Retry-After`);
			}
			const page = await c.get('/actions?fresh=1');
			has(page.text, 'The database cannot be reached right now. Nothing was lost; please try again in a minute.');
			has(page.text, 'Temporarily unavailable');
			const json = await c.get('/api/v1/action-points');
			statusIs(json, 503, 'API');
			assert.equal(json.json().error.status, 503);
			statusIs(await new Client(s.base).get('/healthz'), 503, 'health check');
			const post = await org.postc('/organisations/new', { name: 'Tijdens de storing', sector: 'other' });
			statusIs(post, 503, 'a form while the database is away');
			execFileSync(path.join(here, 'cluster.sh'), ['resume', dir]);
			// Back without a restart (a reconnect is tried at most once a second).
			let ok = false;
			for (let i = 0; i < 50 && !ok; i++) {
				ok = (await c.get('/actions?fresh=1')).status === 200;
				if (!ok) await new Promise(r => setTimeout(r, 100));
			}
			assert.ok(ok, 'pages again after the database came back');
			statusIs(await new Client(s.base).get('/healthz'), 200, 'healthy again');
			statusIs(await org.postc('/organisations/new', { name: 'Na de storing', sector: 'other' }), 303, 'forms again');
		} finally {
			const r = await s.stop();
			assert.equal(r.code, 0, 'the node stops cleanly after the outage');
			assert.ok(!SAN_RE.test(s.stderr), `no sanitizer report: ${s.stderr}`);
			// What it logged: the outage once, not once per request, and never the password.
			const lost = s.stderr.split('\n').filter(l => /connection lost|cannot connect/.test(l));
			assert.ok(lost.length >= 1 && lost.length <= 8, `the outage is logged a few times, not per request: ${lost.length}`);
			assert.ok(!s.stderr.includes(PASSWORD), 'no password in the log');
		}
	} finally {
		execFileSync(path.join(here, 'cluster.sh'), ['stop', dir]);
	}
}

runSuite([
	copy_moves_a_sqlite_deployment,
	copy_into_a_database_with_data_is_refused,
	backup_of_a_sqlite_file_in_use_and_its_restore,
	postgresql_backup_with_pg_dump_and_restore,
	unreachable_database_and_wrong_password_at_start,
	database_going_away_while_serving,
], {
	timeoutMs: 120000,
	async setup() {
		// The SQLite deployment to move: the demo (with answers and votes).
		assert.equal(raw(['init', '--db', SRC]).code, 0);
		assert.equal(raw(['demo', '--db', SRC]).code, 0);
	},
	async teardown() {
		const out = [];
		for (const s of servers) out.push(await stopChecked(s));
		fs.rmSync(TMP, { recursive: true, force: true });
		return out;
	},
});
