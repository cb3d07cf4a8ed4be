#!/usr/bin/env node
// forms.mjs — bad input for every declared form, generated from the forms'
// own tables (`openplan routes --json` lists each route's form: its fields,
// types and limits). For every POST route with a form, as a person who may
// call it, each field gets what it must refuse — left out when required,
// longer than allowed, not of its type, not one of its choices, with a
// control character — and the answer must be 422 with a message at exactly
// that field (JSON: error.fields[name]), and nothing saved.
//   node tests/e2e/forms.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { setBinary, mustCli, programRoutes, Server, Client, runSuite, stopChecked } from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-forms-'));
const DB = path.join(TMP, 'forms.db');
const PW = 'correct horse battery';
const ADMIN = 'admin@forms.example';
const PARTICIPANT = 'participant@forms.example';
let S;

// An id for each path parameter that exists in the demo (the first of each
// kind); a form on a missing object answers 404 before its fields count.
const PARAM = { id: 1, pid: 1, tid: 1, cid: 1, qid: 1, oid: 1, uid: 1, mid: 1, lid: 1, aid: 1, code: '210318' };
const fill = pattern => pattern.replace(/\{(\w+)\}/g, (_, n) => String(PARAM[n] ?? 1));

// What each field must refuse, by its declared type and limits.
function badValues(f) {
	const out = [];
	if (f.required) out.push(['missing', undefined]);
	if (f.max_length) out.push(['too long', 'x'.repeat(f.max_length + 1)]);
	const wrong = {
		email: 'not-an-address', date: '2021-02-30', id: 'abc', int: '12abc', choice: 'no-such-choice',
		url: 'javascript:alert(1)', bool: 'maybe',
	}[f.type];
	if (wrong !== undefined) out.push(['wrong type', wrong]);
	if (f.type === 'int' && f.max_value !== undefined) out.push(['too large', String(f.max_value + 1)]);
	if (f.type === 'int' && f.min_value !== undefined) out.push(['too small', String(f.min_value - 1)]);
	if (!['password', 'choice', 'id', 'int', 'bool', 'date'].includes(f.type))
		out.push(['control character', 'a\u0007b']);
	return out;
}

async function clientFor(route) {
	const c = new Client(S.base, { lang: 'en' });
	if (route.role === 'public') { await c.csrf('/signin'); return c; }
	await c.signin(route.role === 'participant' ? PARTICIPANT : ADMIN, PW);
	return c;
}

async function every_form_refuses_bad_input_at_the_field() {
	const routes = programRoutes().filter(r => r.form && r.methods.includes('POST'));
	assert.ok(routes.length >= 10, `only ${routes.length} routes declare a form`);
	const wrong = [];
	let probes = 0;
	for (const route of routes) {
		const c = await clientFor(route);
		const where = fill(route.pattern);
		for (const f of route.form.fields) {
			for (const [what, value] of badValues(f)) {
				const form = {};
				if (value !== undefined) form[f.name] = value;
				const r = await c.postc(where, form, { json: true });
				probes++;
				const label = `${route.pattern} ${f.name} ${what}`;
				if (r.status !== 422) { wrong.push(`${label}: status ${r.status}`); continue; }
				const fields = r.json().error?.fields || {};
				if (typeof fields[f.name] !== 'string' || !fields[f.name])
					wrong.push(`${label}: no message at the field (${JSON.stringify(fields)})`);
			}
		}
	}
	assert.deepEqual(wrong, [], 'every bad value is refused at its field');
	assert.ok(probes >= 40, `only ${probes} probes`);
}

// The same failure as HTML: the page comes back with the message at the
// field and the value as typed.
async function html_form_is_shown_again_with_the_values() {
	const c = await clientFor({ role: 'organiser' });
	const r = await c.postc('/plans/1/themes', { name: 'x'.repeat(81), description: 'kept text' });
	assert.equal(r.status, 422);
	assert.match(r.text, /id="new-theme-name-error">Use at most 80 characters; now there are 81\.<\/p>/);
	assert.match(r.text, /<textarea[^>]*id="new-theme-description"[^>]*>kept text<\/textarea>/);
	assert.match(r.text, /aria-invalid="true" aria-describedby="new-theme-name-error"/);
}

// Nothing the probes above sent was saved.
async function nothing_was_saved() {
	const plan = (await new Client(S.base).get('/api/v1/plans/1', { json: true })).json();
	const themes = (plan.plan || plan).themes.map(t => t.name);
	assert.ok(!themes.some(n => n.startsWith('xxx') || n.includes('\u0007')), `themes: ${themes}`);
}

await runSuite([every_form_refuses_bad_input_at_the_field, html_form_is_shown_again_with_the_values,
	nothing_was_saved], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ADMIN, '--name', 'Ada Admin', '--role', 'admin'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', PARTICIPANT, '--name', 'Pim', '--role', 'participant'], PW + '\n');
		S = new Server('forms', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
