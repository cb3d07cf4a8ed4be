#!/usr/bin/env node
// api.mjs — the API is what /api/v1/openapi.json says it is. Every GET
// route under /api/v1 that the program has (`openplan routes --json`) is
// described there; every described GET answers, on the demo plan, with a
// body that validates against its schema (ajv, JSON Schema 2020-12 as
// OpenAPI 3.1 uses it); answers carry codes, not interface labels, and no
// e-mail addresses. Routes of features that are still moving to data
// answers are listed in PENDING, each with its reason.
//   node tests/e2e/api.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { setBinary, mustCli, programRoutes, Server, Client, runSuite, stopChecked } from './lib.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-api-'));
const DB = path.join(TMP, 'api.db');
const PW = 'correct horse battery';
const USER = 'reader@api.example';
let S, doc;

// Routes not described yet, and why. Empty this list as features move.
const PENDING = new Map([
]);
// Concrete values for path parameters on the demo plan.
const PARAMS = { id: '1', cid: '1', code: '210318' };
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/;

function validatorFor(schema) {
	const ajv = new Ajv2020({ strict: false, allErrors: true });
	ajv.addSchema({ $id: 'openapi.json', components: doc.components });
	// Local refs (#/components/...) become refs into the registered document.
	const fix = s => JSON.parse(JSON.stringify(s).replaceAll('"#/components/', '"openapi.json#/components/'));
	return ajv.compile(fix(schema));
}

async function description_is_served_and_sound() {
	const r = await new Client(S.base).get('/api/v1/openapi.json');
	assert.equal(r.status, 200);
	doc = r.json();
	assert.equal(doc.openapi, '3.1.0');
	assert.ok(doc.paths['/api/v1/plan'], 'the plan is described');
	// Every $ref points at a schema that exists.
	const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map(m => m[1]);
	const missing = [...new Set(refs)].filter(n => !doc.components.schemas[n]);
	assert.deepEqual(missing, [], 'schemas referred to but not defined');
}

async function every_api_route_is_described() {
	const routes = programRoutes().filter(r => r.pattern.startsWith('/api/v1/') && r.methods.includes('GET'));
	const undescribed = routes.map(r => r.pattern).filter(p => !doc.paths[p]?.get && !PENDING.has(p));
	assert.deepEqual(undescribed, [], 'GET routes under /api/v1 without a description');
	const stale = [...PENDING.keys()].filter(p => doc.paths[p]?.get);
	assert.deepEqual(stale, [], 'described now: remove from PENDING');
	// A described path may be a POST (a consultation's responses): compare with every API route.
	const all = programRoutes().filter(r => r.pattern.startsWith('/api/v1/'));
	const gone = Object.keys(doc.paths).filter(p => !all.some(r => r.pattern === p));
	assert.deepEqual(gone, [], 'described paths the program does not have');
}

async function real_answers_match_their_schemas() {
	const c = new Client(S.base);
	await c.signin(USER, PW);
	const wrong = [];
	let checked = 0;
	for (const [p, item] of Object.entries(doc.paths)) {
		if (!item.get) continue;
		const url = p.replace(/\{(\w+)\}/g, (_, n) => PARAMS[n] ?? '1');
		const r = await c.get(url, { json: true });
		const spec = item.get.responses?.[String(r.status)];
		if (!spec) { wrong.push(`${url}: status ${r.status} is not described`); continue; }
		const schema = spec.content?.['application/json']?.schema;
		if (!schema) continue;
		const valid = validatorFor(schema);
		if (!valid(r.json())) wrong.push(`${url}: ${JSON.stringify(valid.errors.slice(0, 3))}`);
		if (EMAIL_RE.test(r.text) && !url.includes('notifications')) wrong.push(`${url}: an e-mail address`);
		if (/"[a-z_]*_label"/.test(r.text)) wrong.push(`${url}: an interface label`);
		checked++;
	}
	assert.deepEqual(wrong, [], 'answers that do not match the description');
	assert.ok(checked >= 5, `only ${checked} answers checked`);
}

// The check itself must fail on a wrong answer.
async function a_wrong_answer_fails_its_schema() {
	const valid = validatorFor(doc.paths['/api/v1/organisations'].get.responses['200'].content['application/json'].schema);
	assert.equal(valid({ organisations: [{ id: 1, name: 'X', sector: 'government', members: 0 }] }), true);
	assert.equal(valid({ organisations: [{ id: 1, name: 'X', sector: 'Government', members: 0 }] }), false, 'a label instead of a code');
	assert.equal(valid({ organisations: [{ id: 1, name: 'X', sector: 'government', members: 0, sector_label: 'x' }] }), false, 'a view field');
}

await runSuite([description_is_served_and_sound, every_api_route_is_described, real_answers_match_their_schemas,
	a_wrong_answer_fails_its_schema], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', USER, '--name', 'Rita Reader', '--role', 'participant'], PW + '\n');
		S = new Server('api', DB, {});
		await S.start();
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
