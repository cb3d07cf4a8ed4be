#!/usr/bin/env node
// HTTP end-to-end tests for consultations (issue 4).
//   node tests/e2e/consultations.mjs PATH/TO/openplan
// An organiser creates a consultation with every kind of question, three
// signed-in participants and two anonymous visitors answer it (one changes
// the answer), and the results page, JSON, CSV and XLSX show exactly the
// expected counts. Then every bad input: closed and not-yet-open, unknown
// options, too many choices, missing required answers (all answers kept),
// over-long text, a replayed form, participants editing questions, frozen
// questions, anonymous answers where not allowed, the per-IP rate limit.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, statusIs,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-cons-'));
const DB = path.join(TMP, 'main.db');
const DB_RL = path.join(TMP, 'ratelimit.db');
const PW = 'correct horse battery';
const DEMO_PW = 'demo-wachtwoord';
const ORG_EMAIL = 'sanne.devries@openplan.example';
const P = [1, 2, 3].map(i => ({ email: `p${i}@cons.example`, name: `Participant ${i}` }));

const day = (d) => new Date(Date.now() + d * 86400000).toISOString().slice(0, 10);
let S, SR;
let org;            // organiser client
let users = [];     // participant clients
let cid;            // the consultation with every kind
let Q = {};         // question ids by kind; options by label
let O = {};

const en = (base = S.base) => new Client(base, { lang: 'en' });

// GET the answer page and pull the form token.
async function openForm(c, id = cid) {
	const r = await c.get(`/consultations/${id}`);
	statusIs(r, 200, 'answer page');
	const m = r.text.match(/name="form_token" value="([^"]+)"/);
	assert.ok(m, 'form token on the answer page');
	return { page: r, token: m[1] };
}

// POST pairs (repeated names allowed) with CSRF and the form token.
async function send(c, pairs, { id = cid, token, api = false } = {}) {
	if (token === undefined) token = (await openForm(c, id)).token;
	const body = new URLSearchParams([['_csrf', c.jar.get('op_csrf')], ['form_token', token], ...pairs]);
	return c.req('POST', api ? `/api/v1/consultations/${id}/responses` : `/consultations/${id}`,
		{ body: body.toString(), json: api });
}

// Answer pairs from a short description.
function answer({ single, singleOther, multi = [], multiOther, text, yes, why, rank, scale }) {
	const p = [];
	if (single) p.push([`q${Q.single}`, single === 'other' ? 'other' : String(O[single])]);
	if (singleOther !== undefined) p.push([`q${Q.single}_other`, singleOther]);
	for (const m of multi) p.push([`q${Q.multiple}`, m === 'other' ? 'other' : String(O[m])]);
	if (multiOther !== undefined) p.push([`q${Q.multiple}_other`, multiOther]);
	if (text !== undefined) p.push([`q${Q.text}`, text]);
	if (yes !== undefined) p.push([`q${Q.yesno}`, yes ? 'yes' : 'no']);
	if (why !== undefined) p.push([`q${Q.yesno}_why`, why]);
	if (rank) for (const [label, place] of Object.entries(rank)) p.push([`q${Q.ranking}_o${O[label]}`, String(place)]);
	if (scale) p.push([`q${Q.scale}`, String(scale)]);
	return p;
}

async function newConsultation(fields) {
	const r = await org.postc('/plans/1/consultations/new', {
		title: 'Test', intro: '', opens_on: day(-1), closes_on: day(30),
		results_public: 'while_open', allow_anonymous: '1', ...fields,
	});
	statusIs(r, 303, 'create consultation');
	const m = r.location.match(/^\/consultations\/(\d+)\/edit$/);
	assert.ok(m, `redirect to the edit page, got ${r.location}`);
	return Number(m[1]);
}

// A new consultation is a draft (issue 16): it answers 404 to everyone but
// organisers until it is published, so the tests publish before answering.
async function publish(id) {
	const r = await org.postc(`/consultations/${id}/status`, { status: 'published' });
	statusIs(r, 303, `publish ${id}`);
	assert.equal(r.location, `/consultations/${id}/edit`);
}

async function addQuestion(id, fields, expect = 303) {
	const r = await org.postc(`/consultations/${id}/questions`, { kind: 'single', prompt: 'Q', ...fields });
	statusIs(r, expect, `add question ${fields.prompt}`);
	return r;
}

// ---------- tests ----------

async function organiser_creates_every_kind() {
	cid = await newConsultation({
		title: 'Every kind', results_public: 'while_open',
		intro: 'Hello **world**\n\n<script>alert(1)</script> <b>raw</b>',
	});
	// A draft: only organisers see it; publishing it without questions is refused at the field.
	statusIs(await en().get(`/consultations/${cid}`), 404, 'draft for the public');
	statusIs(await en().get(`/api/v1/consultations/${cid}`), 404, 'draft over the API');
	hasNot((await en().get('/plans/1')).text, `href="/consultations/${cid}"`, 'draft listed for the public');
	has((await org.get('/plans/1')).text, `href="/consultations/${cid}"`, 'draft listed for organisers');
	const preview = await org.get(`/consultations/${cid}`);
	statusIs(preview, 200, 'preview');
	has(preview.text, 'id="cons-preview"');
	hasNot(preview.text, 'name="form_token"', 'a preview cannot be sent');
	const empty = await org.postc(`/consultations/${cid}/status`, { status: 'published' });
	statusIs(empty, 422, 'publish without questions');
	has(empty.text, 'id="status-status-error">Add at least one question before you publish this consultation.</p>');
	const emptyApi = await org.postc(`/consultations/${cid}/status`, { status: 'published' }, { json: true });
	statusIs(emptyApi, 422, 'publish without questions, JSON');
	assert.equal(emptyApi.json().error.fields.status, 'Add at least one question before you publish this consultation.');
	assert.equal((await org.get(`/api/v1/consultations/${cid}`)).json().consultation.status, 'draft');
	await addQuestion(cid, { kind: 'single', prompt: 'Favourite season', options: 'Spring\nSummer\nAutumn', required: '1', allow_other: '1' });
	await addQuestion(cid, { kind: 'multiple', prompt: 'Which themes', options: 'Open Technologie\nOpen Informatie\nOpen Communicatie\nSomething else', max_choices: '2', allow_other: '1' });
	await addQuestion(cid, { kind: 'text', prompt: 'Ideas', max_length: '20' });
	await addQuestion(cid, { kind: 'yesno', prompt: 'Would you join', required: '1' });
	await addQuestion(cid, { kind: 'ranking', prompt: 'Order these', options: 'A\nB\nC' });
	await addQuestion(cid, { kind: 'scale', prompt: 'How satisfied', low_label: 'not at all', high_label: 'very' });
	// A choice question needs two options; the form comes back with a message.
	const bad = await addQuestion(cid, { kind: 'ranking', prompt: 'Lonely', options: 'Only one' }, 422);
	has(bad.text, 'Give at least two options, one per line.');
	has(bad.text, 'value="Lonely"', 're-shown prompt');
	await publish(cid);
	// The questionnaire as JSON: data, codes and no labels.
	const j = (await en().get(`/api/v1/consultations/${cid}`)).json();
	assert.equal(j.consultation.status, 'published');
	assert.equal(j.consultation.state, 'open');
	assert.equal(j.questions.length, 6);
	for (const q of j.questions) Q[q.kind] = q.id;
	for (const q of j.questions) for (const o of q.options) O[o.label] = o.id;
	assert.deepEqual(j.questions.map(q => q.kind), ['single', 'multiple', 'text', 'yesno', 'ranking', 'scale']);
	// Options that name a theme are tied to it.
	const themes = j.questions[1].options.map(o => o.theme);
	assert.deepEqual(themes, ['Open Technologie', 'Open Informatie', 'Open Communicatie', '']);
	// The intro is Markdown; raw HTML is not passed through.
	const page = await en().get(`/consultations/${cid}`);
	has(page.text, '<strong>world</strong>');
	hasNot(page.text, '<script>alert(1)');
	hasNot(page.text, '<b>raw</b>');
	// Listed on the plan's page.
	const home = await en().get('/plans/1');
	has(home.text, `href="/consultations/${cid}">Every kind</a>`);
	// Before any answer, settings of a question may change too.
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Ideas', settings: '1', max_length: '25' }), 303);
	assert.equal((await en().get(`/api/v1/consultations/${cid}`)).json().questions[2].max_length, 25);
	const badset = await org.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Ideas', settings: '1', max_length: '0' });
	statusIs(badset, 422, 'max length 0');
	has(badset.text, `id="eq${Q.text}-max_length-error">Fill in a whole number in the allowed range.</p>`);
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Ideas', settings: '1', max_length: '20' }), 303);
	assert.equal((await en().get(`/api/v1/consultations/${cid}`)).json().questions[2].max_length, 20);
	// Reorder: move the scale question up and back down.
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.scale}/move`, { direction: 'up' }), 303);
	let order = (await en().get(`/api/v1/consultations/${cid}`)).json().questions.map(q => q.kind);
	assert.deepEqual(order.slice(4), ['scale', 'ranking']);
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.scale}/move`, { direction: 'down' }), 303);
	order = (await en().get(`/api/v1/consultations/${cid}`)).json().questions.map(q => q.kind);
	assert.deepEqual(order.slice(4), ['ranking', 'scale']);
}

async function participants_and_visitors_answer() {
	users = [];
	for (const p of P) {
		const c = en();
		await c.signin(p.email, PW);
		users.push(c);
	}
	const [p1, p2, p3] = users;
	statusIs(await send(p1, answer({ single: 'Spring', multi: ['Open Technologie', 'Open Informatie'], text: 'Open source!', yes: true, why: 'sharing', rank: { A: 1, B: 2, C: 3 }, scale: 4 })), 303, 'p1');
	statusIs(await send(p2, answer({ single: 'other', singleOther: 'Winter  ', multi: ['Open Technologie', 'other'], multiOther: '  open loket ', text: '', yes: false, why: 'no time', rank: { A: 1, C: 2, B: 3 }, scale: 5 })), 303, 'p2');
	const r3 = await send(p3, answer({ single: 'Summer', multi: ['Open Informatie'], yes: true, rank: { B: 1, A: 2, C: 3 }, scale: 4 }));
	statusIs(r3, 303, 'p3');
	assert.equal(r3.location, `/consultations/${cid}/thanks`);
	const thanks = await p3.get(r3.location);
	statusIs(thanks, 200);
	has(thanks.text, 'Thank you! Your answer is saved.');
	// p3 sees the answer and changes it: the second replaces the first.
	const { page } = await openForm(p3);
	has(page.text, 'You answered on');
	assert.match(page.text, new RegExp(`value="${O.Summer}" checked`));
	const c3 = await send(p3, answer({ single: 'Spring', multi: ['Open Informatie'], yes: true, rank: { B: 1, A: 2, C: 3 }, scale: 4 }));
	statusIs(c3, 303, 'p3 changes');
	assert.equal(c3.location, `/consultations/${cid}/thanks?changed=1`);
	has((await p3.get(c3.location)).text, 'Your answer is changed.');
	// Two anonymous visitors (one over the API).
	const a1 = en();
	statusIs(await send(a1, answer({ single: 'other', singleOther: 'winter', multi: ['other'], multiOther: 'Open Loket', yes: true, scale: 2 })), 303, 'anon 1');
	const a2 = en();
	const { token } = await openForm(a2);
	const api = await send(a2, answer({ single: 'Spring', multi: ['Open Communicatie', 'other'], multiOther: 'Open data', yes: false, why: 'club', rank: { A: 1, B: 2, C: 3 } }), { token, api: true });
	statusIs(api, 201, 'anon 2 over the API');
	assert.equal(api.json().ok, true);
	// Data, as src/features/cons/openapi.json describes it (ResponseSaved).
	assert.deepEqual(api.json(), { ok: true, replaced: false, location: `/consultations/${cid}/thanks` });
}

function expectResults(j) {
	assert.equal(j.respondents, 5);
	const q = Object.fromEntries(j.questions.map(x => [x.kind, x]));
	const opts = x => x.options.map(o => [o.label, o.count, o.percent]);
	// The API carries data, not interface labels (issue 9): the write-in
	// total is its own field instead of a translated "Other" option.
	assert.deepEqual(opts(q.single), [['Spring', 3, 60], ['Summer', 0, 0], ['Autumn', 0, 0]]);
	assert.deepEqual(q.single.other, { count: 2, percent: 40 });
	assert.deepEqual(q.single.writeins, [{ text: 'Winter', count: 2 }]);
	assert.deepEqual(q.single.named_once, []);
	assert.equal(q.multiple.answered, 5);
	assert.deepEqual(opts(q.multiple), [['Open Technologie', 2, 40], ['Open Informatie', 2, 40],
		['Open Communicatie', 1, 20], ['Something else', 0, 0]]);
	assert.deepEqual(q.multiple.other, { count: 3, percent: 60 });
	assert.deepEqual(q.multiple.writeins, [{ text: 'Open Loket', count: 1 + 1 }, { text: 'Open data', count: 1 }]);
	assert.deepEqual(q.multiple.named_once, ['Open data']);
	assert.equal(q.text.answered, 1);
	assert.equal(q.yesno.yes.count, 3);
	assert.equal(q.yesno.yes.percent, 60);
	assert.equal(q.yesno.no.count, 2);
	assert.deepEqual(q.yesno.yes.reasons.map(r => r.text), ['sharing']);
	assert.deepEqual(q.yesno.no.reasons.map(r => r.text), ['club', 'no time']);
	assert.deepEqual(q.ranking.options.map(o => [o.label, o.average_place, o.borda, o.distribution]),
		[['A', '1.25', 11, [3, 1, 0]], ['B', '2.00', 8, [1, 2, 1]], ['C', '2.75', 5, [0, 1, 3]]]);
	assert.deepEqual(q.scale.points.map(p => p.count), [0, 1, 0, 2, 1]);
	assert.equal(q.scale.average, '3.75');
	return q;
}

async function results_json_and_page() {
	const r = await en().get(`/api/v1/consultations/${cid}/results`);
	statusIs(r, 200, 'results JSON');
	const q = expectResults(r.json());
	assert.deepEqual(q.text.texts.map(t => t.text), ['Open source!']);
	assert.doesNotMatch(r.text, /@cons\.example/, 'no e-mail addresses in the JSON');
	hasNot(r.text, 'Participant 1');
	const h = await en().get(`/consultations/${cid}/results`);
	statusIs(h, 200, 'results page');
	has(h.text, '<strong class="op-cons-big">5</strong>');
	// A chart per choice question, with title and description, and the same numbers in a table.
	// The bar chart is shared (src/web/chart.c), so its class is op-chart.
	assert.equal((h.text.match(/<svg class="op-chart" role="img"/g) || []).length, 5);
	has(h.text, `<title id="chart-${Q.single}-title">Favourite season</title>`);
	has(h.text, 'Bar chart of 5 answers. Spring: 3. Other (written in): 2. Summer: 0. Autumn: 0.');
	assert.match(h.text, /<th class="utrecht-table__header-cell" scope="row">Spring<\/th><td[^>]*>3<\/td><td[^>]*>60%<\/td>/);
	has(h.text, '<li>Open Loket (2)</li>');
	assert.match(h.text, /Named once<\/h3>\s*<ul class="op-cons-once"><li>Open data<\/li><\/ul>/);
	has(h.text, 'Open source!');
	assert.match(h.text, /scope="row">1\. A<\/th><td[^>]*>1\.25<\/td><td[^>]*>11<\/td><td[^>]*>3<\/td><td[^>]*>1<\/td><td[^>]*>0<\/td>/);
	hasNot(h.text, '/export.csv', 'no export links for the public');
}

// The sheet's XML of an XLSX (a zip), with Debian's unzip.
function xlsxXml(buf) {
	const f = path.join(TMP, `x-${Date.now()}-raw.xlsx`);
	fs.writeFileSync(f, buf);
	return execFileSync('unzip', ['-p', f, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
}

// Reads an XLSX (a zip) with Debian's unzip.
function xlsxSheet(buf) {
	const f = path.join(TMP, `x-${Date.now()}.xlsx`);
	fs.writeFileSync(f, buf);
	const files = execFileSync('unzip', ['-Z1', f], { encoding: 'utf8' }).split('\n');
	assert.ok(files.includes('xl/worksheets/sheet1.xml'), 'sheet1.xml in the xlsx');
	const sheet = execFileSync('unzip', ['-p', f, 'xl/worksheets/sheet1.xml'], { encoding: 'utf8' });
	const shared = files.includes('xl/sharedStrings.xml') ? execFileSync('unzip', ['-p', f, 'xl/sharedStrings.xml'], { encoding: 'utf8' }) : '';
	const strings = [...shared.matchAll(/<t[^>]*>([^<]*)<\/t>/g)].map(m => m[1]);
	const rows = [...sheet.matchAll(/<row[^>]*>(.*?)<\/row>/g)].map(m =>
		[...m[1].matchAll(/<c ([^>]*)>(.*?)<\/c>/g)].map(c => {
			const v = c[2].match(/<v>([^<]*)<\/v>/), t = c[2].match(/<t[^>]*>([^<]*)<\/t>/);
			if (/t="s"/.test(c[1])) return strings[Number(v[1])];
			return t ? t[1] : v ? v[1] : '';
		}));
	return rows;
}

// Reads CSV as Dutch Excel does: cells separated by sep, quoted when they
// hold a separator, quote or line break, rows ended by CR LF.
function parseCsv(text, sep = ';') {
	const rows = [];
	let row = [], cell = '', quoted = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (quoted) {
			if (ch === '"' && text[i + 1] === '"') { cell += '"'; i++; }
			else if (ch === '"') quoted = false;
			else cell += ch;
		} else if (ch === '"') quoted = true;
		else if (ch === sep) { row.push(cell); cell = ''; }
		else if (ch === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i++; }
		else cell += ch;
	}
	if (cell || row.length) { row.push(cell); rows.push(row); }
	return rows;
}

async function rawGet(url) {
	const r = await fetch(`${S.base}${url}`, { headers: { Cookie: org.cookieHeader() } });
	const bytes = Buffer.from(await r.arrayBuffer());
	return { status: r.status, headers: r.headers, bytes, text: bytes.toString('utf8') };
}

// Europe/Amsterdam wall-clock time of t, as the exports write it.
const amsterdam = (t) => new Date(t).toLocaleString('sv-SE', { timeZone: 'Europe/Amsterdam' });

// Issue 16: CSV opens correctly in Dutch Excel (a byte order mark and ';',
// or ',' when asked for), column names in the interface language, times in
// Europe/Amsterdam, yes/no translated; XLSX has typed numbers and times.

async function exports_csv_and_xlsx() {
	const raw = await rawGet(`/consultations/${cid}/export.csv`);
	statusIs(raw, 200, 'CSV');
	assert.match(raw.headers.get('content-type'), /^text\/csv/);
	assert.deepEqual([...raw.bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'a UTF-8 byte order mark');
	assert.equal(raw.headers.get('cache-control'), 'private, no-cache');
	const text = raw.bytes.subarray(3).toString('utf8');
	const rows = parseCsv(text);
	assert.equal(rows.length, 6, 'header and five responses');
	assert.deepEqual(rows[0].slice(0, 3), ['Response', 'Submitted', 'Changed']);
	assert.equal(rows[0][3], '1. Favourite season');
	assert.doesNotMatch(text, /@cons\.example|Participant 1/, 'no personal data unless asked');
	const col = rows[0].indexOf('1. Favourite season');
	assert.deepEqual(rows.slice(1).map(r => r[col]).sort(), ['Spring', 'Spring', 'Spring', 'Winter', 'winter']);
	const mcol = rows[0].indexOf('2. Which themes');
	assert.equal(rows[1][mcol], 'Open Technologie; Open Informatie');
	const rcol = rows[0].indexOf('5. Order these');
	assert.equal(rows[2][rcol], 'A > C > B');
	const why = rows[0].indexOf('4. Why?');
	assert.equal(rows[2][why], 'no time');
	const yes = rows[0].indexOf('4. Would you join');
	assert.deepEqual(rows.slice(1).map(r => r[yes]).sort(), ['No', 'No', 'Yes', 'Yes', 'Yes']);
	const scale = rows[0].indexOf('6. How satisfied');
	assert.deepEqual(rows.slice(1).map(r => r[scale]), ['4', '5', '4', '2', ''], 'scale values as numbers');
	for (const r of rows.slice(1)) assert.match(r[1], /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/, 'a time Excel reads');
	// In Dutch: column names and yes/no translated.
	const nl = new Client(S.base);
	await nl.signin(ORG_EMAIL, DEMO_PW);
	const nrows = parseCsv((await nl.get(`/consultations/${cid}/export.csv`)).text.replace(/^\uFEFF/, ''));
	assert.deepEqual(nrows[0].slice(0, 3), ['Inzending', 'Ingestuurd', 'Gewijzigd']);
	assert.deepEqual(nrows.slice(1).map(r => r[yes]).sort(), ['Ja', 'Ja', 'Ja', 'Nee', 'Nee']);
	// Commas, offered and named plainly beside the Excel one.
	const comma = await org.get(`/consultations/${cid}/export.csv?sep=comma`);
	assert.deepEqual(parseCsv(comma.text.replace(/^\uFEFF/, ''), ',')[0].slice(0, 3), ['Response', 'Submitted', 'Changed']);
	has((await org.get(`/consultations/${cid}/results`)).text, 'export.csv?sep=comma">All answers (CSV with commas)</a>');
	// Personal data only when asked for, and never kept in a cache.
	const personal = await org.get(`/consultations/${cid}/export.csv?personal=1`);
	assert.equal(personal.headers.get('cache-control'), 'no-store');
	const prow = parseCsv(personal.text.replace(/^\uFEFF/, ''));
	assert.deepEqual(prow[0].slice(3, 5), ['Name', 'E-mail address']);
	assert.deepEqual(prow[1].slice(3, 5), ['Participant 1', 'p1@cons.example']);
	// XLSX: the same table, numbers and times typed.
	const x = await rawGet(`/consultations/${cid}/export.xlsx`);
	assert.equal(x.status, 200);
	assert.match(x.headers.get('content-type'), /spreadsheetml/);
	const sheet = xlsxSheet(x.bytes);
	assert.equal(sheet.length, 6, 'xlsx rows');
	assert.deepEqual(sheet[0].slice(0, 3), ['Response', 'Submitted', 'Changed']);
	assert.equal(sheet[0][3], '1. Favourite season');
	assert.deepEqual(sheet.slice(1).map(r => r[3]).sort(), ['Spring', 'Spring', 'Spring', 'Winter', 'winter']);
	assert.equal(sheet[1][4], 'Open Technologie; Open Informatie');
	const xml = xlsxXml(x.bytes);
	const a2 = xml.match(/<c r="A2"([^>]*)><v>([^<]*)<\/v><\/c>/), b2 = xml.match(/<c r="B2"([^>]*)><v>([^<]*)<\/v><\/c>/);
	assert.ok(a2 && !/t="/.test(a2[1]), `the response number is a number cell: ${a2 && a2[0]}`);
	assert.ok(b2 && /s="\d+"/.test(b2[1]) && !/t="/.test(b2[1]) && Number(b2[2]) > 40000, `the time is a date cell: ${b2 && b2[0]}`);
	const scaleCol = String.fromCharCode(65 + scale);
	assert.match(xml, new RegExp(`<c r="${scaleCol}2"(?![^>]*t=")[^>]*><v>4</v></c>`), 'the scale value is a number cell');
	const xp = await rawGet(`/consultations/${cid}/export.xlsx?personal=1`);
	assert.equal(xp.headers.get('cache-control'), 'no-store');
	// Participants may not export.
	statusIs(await users[0].get(`/consultations/${cid}/export.csv`), 403, 'participant CSV');
}

// Cells that begin with = + - @ never run as formulas; the time is the
// Amsterdam wall-clock time of the answer.
async function export_cells_cannot_run_and_times_are_local() {
	const id = await newConsultation({ title: 'Formulas' });
	await addQuestion(id, { kind: 'text', prompt: 'Anything' });
	await publish(id);
	const qid = (await en().get(`/api/v1/consultations/${id}`)).json().questions[0].id;
	const texts = ['=HYPERLINK("http://evil.example","x")', '+31 6 1234', '-5', '@SUM(A1)', 'plain; with "quotes"'];
	const before = Date.now();
	for (const t of texts) statusIs(await send(en(), [[`q${qid}`, t]], { id }), 303, `answer ${t}`);
	const after = Date.now();
	const rows = parseCsv((await org.get(`/consultations/${id}/export.csv`)).text.replace(/^\uFEFF/, ''));
	assert.deepEqual(rows.slice(1).map(r => r[3]), ['\'=HYPERLINK("http://evil.example","x")', '\'+31 6 1234', '\'-5', '\'@SUM(A1)', 'plain; with "quotes"']);
	const t = rows[1][1];
	assert.ok(t >= amsterdam(before - 1000) && t <= amsterdam(after + 1000), `submitted ${t}, want Amsterdam time between ${amsterdam(before)} and ${amsterdam(after)}`);
}

async function organiser_hides_and_quotes() {
	const j = (await org.get(`/api/v1/consultations/${cid}/results`)).json();
	const q = Object.fromEntries(j.questions.map(x => [x.kind, x]));
	const idea = q.text.texts[0].id, reason = q.yesno.yes.reasons[0].id;
	statusIs(await org.postc(`/consultations/${cid}/answers/${idea}/hide`, { on: '1' }), 303, 'hide');
	statusIs(await org.postc(`/consultations/${cid}/answers/${reason}/quote`, { on: '1' }), 303, 'quote');
	const pub = await en().get(`/consultations/${cid}/results`);
	hasNot(pub.text, 'Open source!', 'hidden answer on the public page');
	assert.match(pub.text, /<blockquote class="utrecht-blockquote op-cons-quote"><p class="nl-paragraph">sharing<\/p><\/blockquote>/);
	const mine = await org.get(`/consultations/${cid}/results`);
	has(mine.text, 'Open source!', 'organisers still see it');
	has(mine.text, 'Show again');
	statusIs(await users[0].postc(`/consultations/${cid}/answers/${idea}/hide`, { on: '0' }), 403, 'participant hides');
	// Every written answer of a question, page by page, for organisers.
	const all = await org.get(`/consultations/${cid}/answers?question=${Q.yesno}`);
	statusIs(all, 200, 'all answers page');
	for (const t of ['sharing', 'no time', 'club']) has(all.text, `<p class="nl-paragraph">${t}</p>`);
	const back = `/consultations/${cid}/answers?question=${Q.yesno}`;
	has(all.text, `name="back" value="${back.replace(/&/g, '&amp;')}"`);
	const hid = await org.postc(`/consultations/${cid}/answers/${q.yesno.no.reasons[0].id}/hide`, { on: '1', back });
	statusIs(hid, 303, 'hide from the answers page');
	assert.equal(hid.location, back);
	const evil = await org.postc(`/consultations/${cid}/answers/${q.yesno.no.reasons[0].id}/hide`, { on: '0', back: 'https://evil.example/' });
	assert.equal(evil.location, `/consultations/${cid}/results`, 'no open redirect');
	statusIs(await users[0].get(back), 403, 'participant reads all answers');
	// Issue 16: write-ins are written answers too, so a choice question with
	// "other" has this page now; a scale question has none.
	statusIs(await org.get(`/consultations/${cid}/answers?question=${Q.scale}`), 404, 'no written answers');
	const pub2 = await en().get(`/consultations/${cid}/results`);
	has(pub2.text, `id="hidden-${Q.text}">1 written answer is not shown because it holds personal data.</p>`);
	assert.equal((await en().get(`/api/v1/consultations/${cid}/results`)).json().questions.find(x => x.kind === 'text').hidden, 1);
	statusIs(await org.get(`/consultations/${cid}/answers?question=${Q.yesno}&before=x`), 404, 'bad page');
	statusIs(await org.postc(`/consultations/${cid}/answers/${idea}/hide`, { on: 'maybe' }), 400);
}

// Issue 16: any text a person typed can be hidden, write-ins included;
// a hidden text stays out of the public page, the JSON and the exports
// (unless the organiser asks for personal data on purpose), and the
// public page says how many are not shown.
async function organiser_hides_writeins_everywhere() {
	const page = await org.get(`/consultations/${cid}/answers?question=${Q.multiple}`, { json: true });
	statusIs(page, 200, 'write-ins of the multiple choice question');
	const byText = Object.fromEntries(page.json().texts.map(t => [t.text, t.id]));
	assert.deepEqual(Object.keys(byText).sort(), ['Open Loket', 'Open data', 'open loket']);
	statusIs(await org.postc(`/consultations/${cid}/answers/${byText['Open data']}/hide`, { on: '1' }), 303, 'hide a write-in');
	// Hiding twice counts once.
	statusIs(await org.postc(`/consultations/${cid}/answers/${byText['Open data']}/hide`, { on: '1' }), 303, 'hide again');
	let j = (await en().get(`/api/v1/consultations/${cid}/results`)).json();
	let m = j.questions.find(x => x.kind === 'multiple');
	assert.deepEqual(m.writeins, [{ text: 'Open Loket', count: 2 }]);
	assert.deepEqual(m.named_once, []);
	assert.equal(m.hidden, 1);
	assert.deepEqual(m.other, { count: 3, percent: 60 }, 'the count of people who wrote in stays');
	hasNot(JSON.stringify(j), 'Open data', 'hidden write-in in the JSON');
	const html = await en().get(`/consultations/${cid}/results`);
	hasNot(html.text, '<li>Open data</li>', 'hidden write-in on the public page');
	has(html.text, `id="hidden-${Q.multiple}">1 written answer is not shown because it holds personal data.</p>`);
	const nl = await new Client(S.base).get(`/consultations/${cid}/results`);
	has(nl.text, `id="hidden-${Q.multiple}">1 geschreven antwoord staat er niet bij, omdat er persoonsgegevens in staan.</p>`);
	// One spelling of a group hidden: the group keeps the spelling still shown.
	statusIs(await org.postc(`/consultations/${cid}/answers/${byText['Open Loket']}/hide`, { on: '1' }), 303);
	m = (await en().get(`/api/v1/consultations/${cid}/results`)).json().questions.find(x => x.kind === 'multiple');
	assert.deepEqual(m.writeins, [{ text: 'open loket', count: 1 }]);
	assert.deepEqual(m.named_once, ['open loket']);
	has((await en().get(`/consultations/${cid}/results`)).text, '2 written answers are not shown because they hold personal data.');
	statusIs(await org.postc(`/consultations/${cid}/answers/${byText['Open Loket']}/hide`, { on: '0' }), 303, 'show again');
	m = (await en().get(`/api/v1/consultations/${cid}/results`)).json().questions.find(x => x.kind === 'multiple');
	assert.deepEqual(m.writeins, [{ text: 'Open Loket', count: 2 }]);
	// Exports: hidden texts only with ?personal=1.
	const csv = await org.get(`/consultations/${cid}/export.csv`);
	hasNot(csv.text, 'Open data', 'hidden write-in in the CSV');
	hasNot(csv.text, 'Open source!', 'hidden open answer in the CSV');
	has(csv.text, '(hidden: personal data)');
	const personal = await org.get(`/consultations/${cid}/export.csv?personal=1`);
	has(personal.text, 'Open data');
	const x = await fetch(`${S.base}/consultations/${cid}/export.xlsx`, { headers: { Cookie: org.cookieHeader() } });
	const rows = xlsxSheet(Buffer.from(await x.arrayBuffer()));
	assert.ok(!JSON.stringify(rows).includes('Open data'), 'hidden write-in in the XLSX');
	// Participants cannot hide.
	statusIs(await users[0].postc(`/consultations/${cid}/answers/${byText['Open data']}/hide`, { on: '0' }), 403);
}

// Issue 16: a draft can be deleted; one with answers cannot, nor become a
// draft again: it is archived, takes no more answers, and its results stay.
async function drafts_deleted_answered_archived() {
	const id = await newConsultation({ title: 'Scratch' });
	const edit = await org.get(`/consultations/${id}/edit`);
	has(edit.text, 'Delete this consultation');
	const del = await org.postc(`/consultations/${id}/delete`, {});
	statusIs(del, 303, 'delete a draft');
	assert.equal(del.location, '/plans/1');
	statusIs(await org.get(`/consultations/${id}`), 404, 'deleted');
	statusIs(await users[0].postc(`/consultations/${cid}/delete`, {}), 403, 'participant deletes');
	statusIs(await users[0].postc(`/consultations/${cid}/status`, { status: 'archived' }), 403, 'participant archives');
	const refused = await org.postc(`/consultations/${cid}/delete`, {});
	statusIs(refused, 409, 'delete one with answers');
	has(refused.text, 'Archive it instead');
	const back = await org.postc(`/consultations/${cid}/status`, { status: 'draft' });
	statusIs(back, 422, 'draft again with answers');
	has(back.text, 'id="status-status-error">People have answered this consultation, so it cannot become a draft again.');
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'archived' }), 303, 'archive');
	const anon = en();
	const p = await anon.get(`/consultations/${cid}`);
	statusIs(p, 200, 'an archived consultation stays at its address');
	hasNot(p.text, 'name="form_token"');
	statusIs(await send(anon, answer({ single: 'Spring', yes: true }), { token: 'x' }), 410, 'answer an archived one');
	statusIs(await anon.get(`/consultations/${cid}/results`), 200, 'results stay public');
	assert.equal((await anon.get(`/api/v1/consultations/${cid}`)).json().consultation.status, 'archived');
	const plan = await anon.get('/plans/1');
	assert.match(plan.text, new RegExp(`op-cons-card--archived"><h3[^>]*><a class="nl-link" href="/consultations/${cid}">`));
	const pj = (await anon.get('/api/v1/plans/1')).json();
	assert.equal(pj.consultations.find(x => x.id === cid).status, 'archived');
	await publish(cid);
	const r = await send(anon, answer({ single: 'Spring', yes: true }));
	statusIs(r, 303, 'published again: answers are taken');
}

async function questions_frozen_after_first_answer() {
	const r = await org.postc(`/consultations/${cid}/questions`, { kind: 'text', prompt: 'Late question' });
	statusIs(r, 409, 'add after answers');
	has(r.text, 'Only wording can be fixed.');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}/delete`, {}), 409, 'delete');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}/move`, { direction: 'up' }), 409, 'move');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.single}/options`, { label: 'Winter' }), 409, 'add option');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.single}/options/${O.Autumn}/delete`, {}), 409, 'delete option');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Ideas', settings: '1', max_length: '500' }), 409, 'change the meaning');
	// Wording fixes are fine.
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Your ideas' }), 303, 'wording');
	statusIs(await org.postc(`/consultations/${cid}/questions/${Q.single}/options/${O.Autumn}`, { label: 'Fall' }), 303, 'option wording');
	const j = (await en().get(`/api/v1/consultations/${cid}`)).json();
	assert.equal(j.questions[2].prompt, 'Your ideas');
	has((await org.get(`/consultations/${cid}/edit`)).text, 'People have answered already.');
}

async function participant_may_not_edit_questions() {
	const p = users[0];
	statusIs(await p.get(`/consultations/${cid}/edit`), 403, 'edit page');
	statusIs(await p.postc(`/consultations/${cid}/questions`, { kind: 'text', prompt: 'Mine' }), 403, 'add');
	statusIs(await p.postc(`/consultations/${cid}/questions/${Q.text}`, { prompt: 'Hacked' }), 403, 'update');
	statusIs(await p.postc(`/consultations/${cid}/questions/${Q.text}/delete`, {}), 403, 'delete');
	statusIs(await p.postc('/plans/1/consultations/new', { title: 'x' }), 403, 'create');
	const anon = en();
	statusIs(await anon.postc(`/consultations/${cid}/questions`, { kind: 'text', prompt: 'Mine' }), 401, 'anonymous add');
}

async function closed_and_not_yet_open() {
	// The demo consultation closed on 30 September 2020.
	const c = en();
	const page = await c.get('/consultations/1');
	statusIs(page, 200);
	has(page.text, 'This consultation is closed. No more answers are accepted.');
	hasNot(page.text, 'name="form_token"');
	const r = await send(c, [['q1', '1']], { id: 1, token: 'x' });
	statusIs(r, 410, 'closed HTML');
	has(r.text, 'does not accept answers now');
	const api = await send(c, [['q1', '1']], { id: 1, token: 'x', api: true });
	statusIs(api, 410, 'closed API');
	assert.equal(api.json().error.status, 410);
	const later = await newConsultation({ title: 'Later', opens_on: day(10), closes_on: day(20) });
	await addQuestion(later, { kind: 'yesno', prompt: 'Later?' });
	await publish(later);
	const lp = await c.get(`/consultations/${later}`);
	has(lp.text, 'This consultation is not open yet.');
	statusIs(await send(c, [['q1', 'yes']], { id: later, token: 'x' }), 410, 'not yet open');
	statusIs(await send(c, [['q1', 'yes']], { id: later, token: 'x', api: true }), 410, 'not yet open API');
	statusIs(await c.get('/consultations/999999'), 404);
}

async function bad_answers_come_back_with_messages() {
	const c = en();
	const before = (await en().get(`/api/v1/consultations/${cid}/results`)).json().respondents;
	// Missing required answers: every answer kept, a message at each question.
	const { token } = await openForm(c);
	let r = await send(c, answer({ multi: ['Open Technologie'], text: 'kept text', rank: { A: 2, B: 1, C: 3 }, scale: 3 }), { token });
	statusIs(r, 422, 'missing required');
	has(r.text, `<p class="utrecht-form-field-error-message" id="q${Q.single}-error">Answer this question; it is required.</p>`);
	has(r.text, `<p class="utrecht-form-field-error-message" id="q${Q.yesno}-error">Answer this question; it is required.</p>`);
	has(r.text, 'kept text</textarea>');
	assert.match(r.text, new RegExp(`value="${O['Open Technologie']}" checked`));
	assert.match(r.text, new RegExp(`id="q${Q.scale}-s3" name="q${Q.scale}" value="3" checked`));
	assert.match(r.text, new RegExp(`name="q${Q.ranking}_o${O.B}"><option value="">–</option><option value="1" selected>`));
	has(r.text, `name="form_token" value="${token}"`, 'same token again');
	// Unknown option.
	r = await send(c, [[`q${Q.single}`, '999999'], [`q${Q.yesno}`, 'yes']], { token });
	statusIs(r, 422, 'unknown option');
	has(r.text, `id="q${Q.single}-error">Choose one of the options.</p>`);
	r = await send(c, [[`q${Q.single}`, String(O.Spring)], [`q${Q.yesno}`, 'maybe']], { token });
	has(r.text, `id="q${Q.yesno}-error">Choose one of the options.</p>`);
	// An option of another question.
	r = await send(c, [[`q${Q.single}`, String(O.A)], [`q${Q.yesno}`, 'yes']], { token });
	has(r.text, `id="q${Q.single}-error">Choose one of the options.</p>`);
	// Too many choices.
	r = await send(c, answer({ single: 'Spring', yes: true, multi: ['Open Technologie', 'Open Informatie', 'Open Communicatie'] }), { token });
	statusIs(r, 422, 'too many');
	has(r.text, `id="q${Q.multiple}-error">Choose at most 2 options.</p>`);
	// Over-long text: a message, never truncation.
	r = await send(c, answer({ single: 'Spring', yes: true, text: 'x'.repeat(21) }), { token });
	statusIs(r, 422, 'too long');
	has(r.text, `id="q${Q.text}-error">Use at most 20 characters; now there are 21.</p>`);
	has(r.text, `${'x'.repeat(21)}</textarea>`);
	// Ranking with the same place twice; "other" without text.
	r = await send(c, answer({ single: 'other', yes: true, rank: { A: 1, B: 1, C: 2 } }), { token });
	has(r.text, `id="q${Q.ranking}-error">Give each option a different place.</p>`);
	has(r.text, `id="q${Q.single}-error">Write what you mean by other, or untick it.</p>`);
	// Over the API: 422 with a message per question.
	const a = await send(c, answer({ yes: true }), { token, api: true });
	statusIs(a, 422, 'API missing required');
	assert.equal(a.json().error.fields[`q${Q.single}`], 'Answer this question; it is required.');
	// Nothing of this was saved.
	assert.equal((await en().get(`/api/v1/consultations/${cid}/results`)).json().respondents, before);
	// A forged form token: the answers come back, nothing saved.
	r = await send(c, answer({ single: 'Spring', yes: true }), { token: 'a'.repeat(32) + '.' + 'b'.repeat(64) });
	statusIs(r, 422, 'forged token');
	has(r.text, 'This form could not be checked.');
	assert.match(r.text, new RegExp(`value="${O.Spring}" checked`));
	assert.equal((await en().get(`/api/v1/consultations/${cid}/results`)).json().respondents, before);
}

async function double_click_and_replay_give_one_response() {
	const c = en();
	const before = (await en().get(`/api/v1/consultations/${cid}/results`)).json().respondents;
	const { token } = await openForm(c);
	const pairs = answer({ single: 'Spring', yes: true });
	const [x, y] = await Promise.all([send(c, pairs, { token }), send(c, pairs, { token })]);
	const st = [x.status, y.status].sort();
	assert.deepEqual(st, [303, 409], `double click statuses ${st}`);
	const dup = x.status === 409 ? x : y;
	has(dup.text, 'This form was already sent. Your answer is saved once.');
	const replay = await send(c, pairs, { token, api: true });
	statusIs(replay, 409, 'replayed form over the API');
	assert.equal((await en().get(`/api/v1/consultations/${cid}/results`)).json().respondents, before + 1);
	// The same browser answering again with a fresh form replaces its answer.
	statusIs(await send(c, answer({ single: 'Summer', yes: false })), 303);
	const j = (await en().get(`/api/v1/consultations/${cid}/results`)).json();
	assert.equal(j.respondents, before + 1);
}

async function anonymous_not_allowed_and_hidden_results() {
	const id = await newConsultation({ title: 'Members only', allow_anonymous: '', results_public: 'after_close' });
	await addQuestion(id, { kind: 'yesno', prompt: 'Members?' });
	await publish(id);
	const anon = en();
	const page = await anon.get(`/consultations/${id}`);
	has(page.text, 'Sign in to answer this consultation.');
	hasNot(page.text, 'name="form_token"');
	statusIs(await send(anon, [['q1', 'yes']], { id, token: 'x' }), 401, 'anonymous answer');
	// Results only after close: not for the public, always for organisers.
	statusIs(await anon.get(`/consultations/${id}/results`), 403, 'results before close');
	statusIs(await anon.get(`/api/v1/consultations/${id}/results`), 403, 'results JSON before close');
	statusIs(await org.get(`/consultations/${id}/results`), 200, 'organiser sees results');
	// A signed-in participant may answer.
	const j = (await en().get(`/api/v1/consultations/${id}`)).json();
	statusIs(await send(users[1], [[`q${j.questions[0].id}`, 'yes']], { id }), 303);
	// Counts in the interface come in the right plural form (issue 16).
	const nl = await new Client(S.base);
	await nl.signin(ORG_EMAIL, DEMO_PW);
	const res = await nl.get(`/consultations/${id}/results`);
	has(res.text, '<strong class="op-cons-big">1</strong> persoon vulde deze consultatie in.');
	has(res.text, '1 persoon beantwoordde deze vraag');
	assert.match((await new Client(S.base).get('/plans/1')).text, new RegExp(`href="/consultations/${id}">Members only</a></h3><p class="nl-paragraph">[^<]* · 1 deelnemer</p>`));
}

async function organiser_form_errors() {
	const r = await org.postc('/plans/1/consultations/new', { title: '', opens_on: '2020-02-30', closes_on: day(1), results_public: 'sometimes' });
	statusIs(r, 422);
	has(r.text, 'id="cons-title-error">Fill in this field.</p>');
	has(r.text, 'id="cons-opens_on-error">Fill in a date that exists, like 2020-09-01.</p>');
	has(r.text, 'id="cons-results_public-error">Choose one of the options.</p>');
	const order = await org.postc('/plans/1/consultations/new', { title: 'Backwards', opens_on: day(5), closes_on: day(1), results_public: 'after_close' });
	statusIs(order, 422);
	has(order.text, 'id="cons-closes_on-error">The end date must be on or after the start date.</p>');
	has(order.text, 'value="Backwards"');
	const fresh = await newConsultation({ title: 'Fresh' });
	const q = await addQuestion(fresh, { kind: 'poll', prompt: '', max_length: 'lots' }, 422);
	has(q.text, 'id="nq-prompt-error">Fill in this field.</p>');
	has(q.text, 'id="nq-kind-error">Choose one of the options.</p>');
	has(q.text, 'id="nq-max_length-error">Fill in a whole number in the allowed range.</p>');
}

async function rate_limit_per_ip() {
	const o = en(SR.base);
	await o.signin(ORG_EMAIL, DEMO_PW);
	const r = await o.postc('/plans/1/consultations/new', { title: 'RL', intro: '', opens_on: day(-1), closes_on: day(1), results_public: 'while_open', allow_anonymous: '1' });
	const id = Number(r.location.match(/(\d+)/)[1]);
	statusIs(await o.postc(`/consultations/${id}/questions`, { kind: 'yesno', prompt: 'RL?' }), 303);
	statusIs(await o.postc(`/consultations/${id}/status`, { status: 'published' }), 303, 'publish');
	const qid = (await en(SR.base).get(`/api/v1/consultations/${id}`)).json().questions[0].id;
	for (let i = 0; i < 2; i++)
		statusIs(await send(en(SR.base), [[`q${qid}`, 'yes']], { id }), 303, `anonymous answer ${i + 1}`);
	const third = await send(en(SR.base), [[`q${qid}`, 'yes']], { id });
	statusIs(third, 429, 'third anonymous answer from one IP');
	has(third.text, 'Too many answers from your network');
	// Signed-in people are not limited this way.
	statusIs(await send(o, [[`q${qid}`, 'no']], { id }), 303);
}

async function demo_consultation_results() {
	const j = (await en().get('/api/v1/consultations/1/results')).json();
	assert.equal(j.respondents, 48);
	const themes = j.questions[0];
	assert.deepEqual(themes.options.slice(0, 3).map(o => o.label), ['Open Technologie', 'Open Informatie', 'Open Communicatie']);
	assert.equal(themes.named_once.length, 10);
	assert.ok(themes.named_once.includes('Open Wetsontwerp') && themes.named_once.includes('Open Rechtspraak'));
	const yn = j.questions.find(q => q.kind === 'yesno');
	assert.ok(yn.yes.count > yn.no.count, 'most would join');
	assert.equal(yn.yes.count + yn.no.count, 48);
	assert.equal(j.quotes.length, 1);
	const nl = await new Client(S.base).get('/consultations/1/results');
	has(nl.text, 'mensen vulden deze consultatie in.');
	has(nl.text, 'Eén keer genoemd');
}

// Issue 10: running out of request memory is a clear 503, never a crash,
// a sanitizer report or a page with a part missing. The arena fault hook
// (OPENPLAN_FAULT_ARENA=N) makes allocation N of every request fail; every
// consultation page, as the public and as an organiser, is asked for under
// a spread of N (and "N+": from N on, as when the budget runs out). A 303
// is the way to sign in: the pipeline treats a session it could not load
// for want of memory as no session.
async function out_of_memory_is_503_never_a_crash() {
	const cookie = org.cookieHeader();
	const urls = [`/consultations/${cid}`, `/api/v1/consultations/${cid}`, `/consultations/${cid}/results`,
		`/api/v1/consultations/${cid}/results`, `/consultations/${cid}/edit`, `/consultations/${cid}/answers?question=${Q.yesno}`,
		`/consultations/${cid}/export.csv`, `/consultations/${cid}/export.xlsx`, '/plans/1', `/consultations/${cid}/thanks`];
	const ns = ['1', '40+', '90+', '150+'];
	for (let n = 3; n <= 260; n += 11) ns.push(String(n));
	const wrong = [];
	for (const n of ns) {
		const F = await new Server(`fault-${n}`, DB, { OPENPLAN_FAULT_ARENA: n, OPENPLAN_IP_LIMIT: '1000' }).start();
		try {
			for (const u of urls) for (const auth of [true, false]) {
				const r = await fetch(F.base + u, { headers: auth ? { Cookie: cookie } : {}, redirect: 'manual' });
				const body = await r.text().catch(() => '');
				if (![200, 403, 404, 503, 303].includes(r.status)) wrong.push(`N=${n} ${u}${auth ? ' (organiser)' : ''}: ${r.status}`);
				// The busy page speaks the visitor's language (Dutch by default).
				if (r.status === 503 && /\/(export|api)/.test(u) === false && !/busy|te druk/.test(body)) wrong.push(`N=${n} ${u}: a 503 without its message`);
			}
		} finally {
			const [name, good, why] = await stopChecked(F);
			if (!good) wrong.push(`${name}: ${why.slice(0, 1500)}`);
		}
	}
	assert.deepEqual(wrong, [], 'answers under memory faults');
}

const tests = [
	organiser_creates_every_kind, participants_and_visitors_answer, results_json_and_page,
	exports_csv_and_xlsx, export_cells_cannot_run_and_times_are_local, organiser_hides_and_quotes, organiser_hides_writeins_everywhere,
	drafts_deleted_answered_archived, questions_frozen_after_first_answer,
	participant_may_not_edit_questions, closed_and_not_yet_open, bad_answers_come_back_with_messages,
	double_click_and_replay_give_one_response, anonymous_not_allowed_and_hidden_results,
	organiser_form_errors, rate_limit_per_ip, demo_consultation_results, out_of_memory_is_503_never_a_crash,
];

await runSuite(tests, {
	async setup() {
		for (const db of [DB, DB_RL]) {
			mustCli(['init', '--db', db]);
			mustCli(['demo', '--db', db]);
		}
		for (const p of P) mustCli(['user', 'add', '--db', DB, '--email', p.email, '--name', p.name, '--role', 'participant'], PW + '\n');
		S = await new Server('main', DB, { OPENPLAN_IP_LIMIT: '1000', OPENPLAN_CONS_IP_LIMIT: '1000' }).start();
		SR = await new Server('ratelimit', DB_RL, { OPENPLAN_IP_LIMIT: '1000', OPENPLAN_CONS_IP_LIMIT: '2' }).start();
		org = en();
		await org.signin(ORG_EMAIL, DEMO_PW);
	},
	async teardown() {
		const out = [];
		for (const s of [S, SR]) if (s) out.push(await stopChecked(s));
		fs.rmSync(TMP, { recursive: true, force: true });
		return out;
	},
});
