#!/usr/bin/env node
// search.mjs — HTTP end-to-end tests of the search (issue 16) and the
// page per theme: one search over action points, consultations, live poll
// reports and themes with Dutch stemming (a singular finds the plural),
// results grouped by kind on a page that works without JavaScript and in
// /api/v1/search (checked against its OpenAPI description); only what is
// public is found, and the index follows every change made through the
// other features (drafts of action points and consultations, publishing,
// archiving, renaming, removing, attaching a poll's report, a session's
// report, approving an event) without them calling the search; counting answers
// or registering does not touch the index. The theme page shows the theme's action
// points and consultations, and its JSON answers the same.
//   node tests/e2e/search.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import assert from 'node:assert/strict';
import { setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, statusIs, sqlValue } from './lib.mjs';

const require = createRequire(import.meta.url);
const Ajv2020 = require('ajv/dist/2020').default;

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-search-'));
const DB = path.join(TMP, 'search.db');
const DEMO_PW = 'demo-wachtwoord';
const ORGANISER = 'sanne.devries@openplan.example';
const PART = 'search-participant@e2e.example';
const PW = 'correct horse battery';
let S, org;
const anon = (lang = 'en') => new Client(S.base, { lang });
const day = n => new Date(Date.now() + n * 86400e3).toISOString().slice(0, 10);

async function api(q, kind, c = anon()) {
	const u = `/api/v1/search?q=${encodeURIComponent(q)}${kind ? '&kind=' + kind : ''}`;
	const r = await c.get(u);
	statusIs(r, 200, u);
	return r.json();
}
const titles = (res, kind) => (res.groups.find(g => g.kind === kind)?.results || []).map(r => r.title);
const found = async (q, kind, title) => titles(await api(q), kind).includes(title);

async function themeIds() {
	return Object.fromEntries((await anon().get('/api/v1/plan', { json: true })).json().plan.themes.map(t => [t.name, t.id]));
}

// ---------- finding ----------

async function dutch_word_forms_find_each_other() {
	// "klacht" (one complaint) finds "Klachten openbaar maken"; "contracten"
	// finds "Contract Register"; "technologie" the theme Open Technologie.
	assert.ok(await found('klacht', 'action', 'Klachten openbaar maken'), 'klacht → Klachten');
	assert.ok(await found('contracten', 'action', 'Contract Register: open inkoopinformatie van het Rijk'), 'contracten → Contract');
	assert.ok(await found('technologie', 'theme', 'Open Technologie'));
	// Accents and capitals do not matter; stop words are not searched for.
	assert.deepEqual(await api('KLACHTEN'), await api('klachten').then(r => ({ ...r, query: 'KLACHTEN' })));
	const none = await api('de het een');
	assert.equal(none.total, 0);
	assert.deepEqual(none.groups, []);
	// The last word is also the start of a word, for a word typed halfway.
	assert.ok(await found('brig', 'action', 'Direct Duidelijk Brigade'), 'brig → Brigade');
	// Every word must be there.
	assert.equal((await api('klachten xyzzy')).total, 0);
}

async function results_are_grouped_by_kind() {
	const r = await api('open');
	const kinds = r.groups.map(g => g.kind);
	assert.ok(kinds.includes('action') && kinds.includes('theme') && kinds.includes('consultation'), `kinds: ${kinds}`);
	assert.equal(new Set(kinds).size, kinds.length, 'each kind once');
	for (const g of r.groups) {
		assert.ok(g.results.length <= 5, `${g.kind}: at most 5 without a kind`);
		assert.ok(g.total >= g.results.length);
		for (const x of g.results) assert.equal(x.kind, g.kind);
	}
	assert.equal(r.total, r.groups.reduce((n, g) => n + g.total, 0));
	const actions = r.groups.find(g => g.kind === 'action');
	assert.ok(actions.total > 5, `more than five action points mention "open" (${actions.total})`);
	// One kind: all of them.
	const only = await api('open', 'action');
	assert.equal(only.kind, 'action');
	assert.deepEqual(only.groups.map(g => g.kind), ['action']);
	assert.equal(only.groups[0].results.length, actions.total);
	// Links and excerpts.
	const cr = (await api('contracten')).groups[0].results[0];
	assert.match(cr.url, /^\/actions\/\d+$/);
	assert.match(cr.excerpt, /contracten/i);
	statusIs(await anon().get(cr.url), 200, 'the result\'s page');
}

async function the_page_works_without_javascript() {
	const c = anon('nl');
	const empty = await c.get('/search');
	statusIs(empty, 200);
	has(empty.text, '<form class="op-search-form" method="get" action="/search" role="search"');
	has(empty.text, '<label class="utrecht-form-label" for="search-q">Waar zoek je naar?</label>');
	hasNot(empty.text, 'role="status"');
	const r = await c.get('/search?q=open');
	statusIs(r, 200);
	assert.match(r.text, /<p class="nl-paragraph" role="status">\d+ resultaten voor “<span>open<\/span>”/);
	assert.match(r.text, /<h2 class="nl-heading nl-heading--level-2" id="results-action">Actiepunten \(\d+\)<\/h2>/);
	has(r.text, 'id="op-search-q" name="q" value="open"', 'the header box keeps the words');
	has(r.text, '<mark>', 'the matched words are marked');
	const more = r.text.match(/href="(\/search\?q=open&amp;kind=action)"/);
	assert.ok(more, 'a link to every action point found');
	const all = await c.get(more[1].replace(/&amp;/g, '&'));
	has(all.text, 'Actiepunten: ');
	has(all.text, '<a class="nl-link" href="/search?q=open">Resultaten van elke soort tonen</a>');
	const one = await c.get('/search?q=openbaarmakingen');
	assert.match(one.text, /1 resultaat voor “<span>openbaarmakingen<\/span>”/, 'one result, singular');
	has(one.text, '<mark>openbaarmaking</mark>', 'the singular marked');
	const nothing = await c.get('/search?q=xyzzy');
	has(nothing.text, 'Niets gevonden. Probeer een ander woord, of minder woorden.');
	// Words typed in are text, never markup.
	const nasty = await c.get('/search?q=' + encodeURIComponent('<script>alert(1)</script>'));
	statusIs(nasty, 200);
	hasNot(nasty.text, '<script>alert(1)</script>');
	has(nasty.text, '&lt;script&gt;alert(1)&lt;/script&gt;');
}

async function bad_queries_are_refused() {
	const c = anon();
	const cases = [
		['/api/v1/search', 'Fill in what to search for.'],
		['/api/v1/search?q=%20%20', 'Fill in what to search for.'],
		['/api/v1/search?q=' + 'a'.repeat(201), 'Use at most 200 characters, without control characters, to search.'],
		['/api/v1/search?q=a%07b', 'Use at most 200 characters, without control characters, to search.'],
		['/api/v1/search?q=open&kind=people', 'Choose one of the kinds of results: action points, consultations, live poll reports, sessions or themes.'],
	];
	for (const [u, msg] of cases) {
		const r = await c.get(u);
		statusIs(r, 422, u);
		assert.equal(r.json().error.fields.q, msg, u);
	}
	// Exactly 200 characters is fine; a page keeps what was typed and says why.
	statusIs(await c.get('/api/v1/search?q=' + 'a'.repeat(200)), 200, '200 characters');
	const page = await anon('nl').get('/search?q=open&kind=people');
	statusIs(page, 422);
	has(page.text, 'id="search-q-error">Kies een van de soorten resultaten');
	has(page.text, 'value="open"');
	statusIs(await c.get('/api/v1/search?q=%FF'), 400, 'not UTF-8');
}

async function answers_match_the_openapi_description() {
	const doc = (await anon().get('/api/v1/openapi.json')).json();
	const ajv = new Ajv2020({ strict: false, allErrors: true });
	ajv.addSchema({ $id: 'openapi.json', components: doc.components });
	const schema = JSON.parse(JSON.stringify(doc.paths['/api/v1/search'].get.responses['200'].content['application/json'].schema)
		.replaceAll('"#/components/', '"openapi.json#/components/'));
	const valid = ajv.compile(schema);
	for (const [q, kind] of [['open', null], ['open', 'action'], ['inkoop', null], ['xyzzy', null], ['stakeholderforum', 'poll']]) {
		const r = await api(q, kind);
		assert.ok(valid(r), `${q}/${kind}: ${JSON.stringify(valid.errors)}`);
	}
	assert.equal(valid({ query: 'x', kind: null, total: 0, groups: [{ kind: 'people', total: 1, results: [] }] }), false, 'the schema refuses an unknown kind');
	const theme = (await anon().get('/api/v1/themes/6')).json();
	const tv = ajv.compile(JSON.parse(JSON.stringify(doc.paths['/api/v1/themes/{id}'].get.responses['200'].content['application/json'].schema)
		.replaceAll('"#/components/', '"openapi.json#/components/')));
	assert.ok(tv(theme), JSON.stringify(tv.errors));
}

// ---------- the index follows every change ----------

async function action_points_are_found_once_public_and_while_listed() {
	const th = await themeIds();
	const r = await org.postc('/actions/new', { title: 'Openbare aanbestedingen van gemeenten', theme_id: String(th['Open Inkoop']),
		status: 'seeking', starts_on: '2021-01-01', ends_on: '2030-12-31', problem: 'Gemeenten publiceren hun aanbestedingen elk op hun eigen manier.' });
	statusIs(r, 303, 'create');
	const id = Number(r.location.split('/')[2]);
	const title = 'Openbare aanbestedingen van gemeenten';
	assert.equal(await found('aanbesteding', 'action', title), false, 'a draft is not found');
	assert.ok(!(await anon().get(`/api/v1/themes/${th['Open Inkoop']}`)).json().linked.groups[0].items.some(i => i.id === id), 'nor on its theme page');
	statusIs(await org.postc(`/actions/${id}/publish`), 303, 'publish');
	assert.ok(await found('aanbesteding', 'action', title), 'published: found by the singular');
	assert.ok(await found('gemeente', 'action', title));
	const linked = (await anon().get(`/api/v1/themes/${th['Open Inkoop']}`)).json().linked;
	assert.ok(linked.groups.find(g => g.kind === 'action').items.some(i => i.id === id && i.url === `/actions/${id}`), 'on its theme page');
	// A new title: the old words are gone, the new ones found.
	const edit = { title: 'Inkoopkalender voor provincies', theme_id: String(th['Open Inkoop']), starts_on: '2021-01-01',
		ends_on: '2030-12-31', problem: 'Provincies publiceren hun inkoop elk op hun eigen manier.' };
	statusIs(await org.postc(`/actions/${id}/edit`, edit), 303, 'edit');
	assert.equal(await found('aanbesteding', 'action', title), false, 'the old title');
	assert.ok(await found('provincie', 'action', 'Inkoopkalender voor provincies'), 'the new title');
	// Another theme: it moves on the theme pages too.
	statusIs(await org.postc(`/actions/${id}/edit`, { ...edit, theme_id: String(th['Open Informatie']) }), 303, 'other theme');
	const inkoop = (await anon().get(`/api/v1/themes/${th['Open Inkoop']}`)).json().linked;
	assert.ok(!inkoop.groups.flatMap(g => g.items).some(i => i.id === id && i.kind === 'action'), 'off its old theme');
	const info = (await anon().get(`/api/v1/themes/${th['Open Informatie']}`)).json().linked;
	assert.ok(info.groups.flatMap(g => g.items).some(i => i.id === id && i.kind === 'action'), 'on its new theme');
	// A holder's name finds it.
	const orgs = (await anon().get('/api/v1/organisations', { json: true })).json().organisations;
	const vng = orgs.find(o => o.name === 'Vereniging van Nederlandse Gemeenten');
	statusIs(await org.postc(`/actions/${id}/holders`, { org_id: String(vng.id), role: 'lead' }), 303, 'holder');
	assert.ok(await found('vereniging', 'action', 'Inkoopkalender voor provincies'), 'by its holder');
	// Archived: no longer listed, so not found; restored: found again.
	statusIs(await org.postc(`/actions/${id}/archive`), 303, 'archive');
	assert.equal(await found('provincie', 'action', 'Inkoopkalender voor provincies'), false, 'archived');
	statusIs(await org.postc(`/actions/${id}/restore`), 303, 'restore');
	assert.ok(await found('provincie', 'action', 'Inkoopkalender voor provincies'), 'restored');
	// A draft that is deleted leaves nothing behind.
	const d = await org.postc('/actions/new', { title: 'Kladversie zonder toekomst', theme_id: String(th['Open Inkoop']),
		status: 'idea', starts_on: '2021-01-01', ends_on: '2030-12-31' });
	const did = Number(d.location.split('/')[2]);
	statusIs(await org.postc(`/actions/${did}/publish`), 303, 'publish draft');
	assert.ok(await found('kladversie', 'action', 'Kladversie zonder toekomst'));
}

async function themes_consultations_and_reports_follow_too() {
	const th = await themeIds();
	// A theme renamed: found by its new name, its page says it.
	const tid = th['Open Justice'];
	statusIs(await org.postc(`/plans/1/themes/${tid}`, { name: 'Open Rechtspraak', description: 'Uitspraken zijn voor iedereen te lezen.' }), 303, 'rename');
	assert.ok(await found('rechtspraak', 'theme', 'Open Rechtspraak'));
	assert.equal(await found('justice', 'theme', 'Open Justice'), false, 'the old name');
	// A new theme, then removed: gone from the index.
	statusIs(await org.postc('/plans/1/themes', { name: 'Open Zorg', description: 'Zorginstellingen werken open.' }), 303, 'add theme');
	assert.ok(await found('zorginstelling', 'theme', 'Open Zorg'));
	const zid = (await themeIds())['Open Zorg'];
	statusIs(await org.postc(`/plans/1/themes/${zid}/delete`), 303, 'remove theme');
	assert.equal(await found('zorg', 'theme', 'Open Zorg'), false, 'removed');
	statusIs(await anon().get(`/themes/${zid}`), 404, 'its page is gone');
	// A consultation and its questions and options: each is found.
	const r = await org.postc('/plans/1/consultations/new', { title: 'Raadpleging over wijkbudgetten', intro: 'Hoe verdelen we het geld van de wijk?',
		opens_on: day(-1), closes_on: day(30), results_public: 'while_open', allow_anonymous: '1' });
	statusIs(r, 303, 'new consultation');
	const cid = Number(r.location.match(/\/consultations\/(\d+)\/edit/)[1]);
	statusIs(await org.postc(`/consultations/${cid}/questions`, { kind: 'single', prompt: 'Welke speeltuinen wil je opknappen?',
		options: 'Noord\nZuid' }), 303, 'a question');
	assert.equal(await found('wijkbudget', 'consultation', 'Raadpleging over wijkbudgetten'), false, 'a draft is not found');
	statusIs(await org.postc(`/consultations/${cid}/status`, { status: 'published' }), 303, 'publish');
	assert.ok(await found('wijkbudget', 'consultation', 'Raadpleging over wijkbudgetten'), 'published');
	assert.ok(await found('speeltuin', 'consultation', 'Raadpleging over wijkbudgetten'), 'by a question');
	// An option that names a theme is tied to it: the consultation is then
	// on that theme's page.
	assert.ok(!((await anon().get(`/api/v1/themes/${th['Open Democratie']}`)).json().linked.groups
		.find(g => g.kind === 'consultation')?.items || []).some(i => i.id === cid), 'not on the theme page yet');
	statusIs(await org.postc(`/consultations/${cid}/questions`, { kind: 'single', prompt: 'Welk thema past hierbij?',
		options: 'Open Democratie\nIets anders' }), 303, 'a question with a theme');
	const q = (await anon().get(`/api/v1/consultations/${cid}`)).json().questions[0];
	const dem = (await anon().get(`/api/v1/themes/${th['Open Democratie']}`)).json().linked;
	const tied = dem.groups.find(g => g.kind === 'consultation')?.items || [];
	assert.ok(tied.some(i => i.id === cid), `on the theme page (${JSON.stringify(dem)})`);
	// A live poll's report: found only while attached to the plan.
	assert.ok(await found('stakeholderforum', 'poll', 'Stakeholderforum 18 maart 2021: betrokkenheid en impact'));
	statusIs(await org.postc('/polls/1/control', { action: 'detach' }), 303, 'detach');
	assert.equal(await found('stakeholderforum', 'poll', 'Stakeholderforum 18 maart 2021: betrokkenheid en impact'), false, 'detached');
	statusIs(await org.postc('/polls/1/control', { action: 'attach' }), 303, 'attach');
	assert.ok(await found('stakeholderforum', 'poll', 'Stakeholderforum 18 maart 2021: betrokkenheid en impact'), 'attached again');
	// Answers only count: they leave no note for the index to follow.
	await api('open'); // the index is current
	const c = anon();
	const page = await c.get(`/consultations/${cid}`);
	const token = page.text.match(/name="form_token" value="([^"]+)"/)[1];
	const body = new URLSearchParams([['_csrf', c.jar.get('op_csrf')], ['form_token', token], [`q${q.id}`, String(q.options[1].id)]]);
	const sent = await c.req('POST', `/consultations/${cid}`, { body: body.toString() });
	statusIs(sent, 303, 'an answer');
	assert.equal((await anon().get(`/api/v1/consultations/${cid}`)).json().consultation.respondents, 1, 'the answer counted');
	assert.equal(sqlValue(DB, 'SELECT COUNT(*) FROM search_dirty'), '0', 'no notes after an answer');
}

async function sessions_and_their_reports_are_found() {
	// A word only in a session's published report finds the session.
	const r = await api('inclusie');
	const sessions = r.groups.find(g => g.kind === 'session');
	assert.ok(sessions, `a session (${JSON.stringify(r)})`);
	const hit = sessions.results.find(x => x.title === 'Meedenksessie Open Communicatie');
	assert.ok(hit, 'the think-along session on Open Communicatie');
	assert.equal(hit.url, `/sessions/${hit.id}`);
	assert.match(hit.excerpt, /inclusie/);
	statusIs(await anon().get(hit.url), 200, 'its page');
	// Its report taken back: the report's words no longer find it; its title still does.
	const id = hit.id;
	const page = await org.get(`/sessions/${id}/report`);
	const text = page.text.match(/<textarea[^>]*name="report"[^>]*>([^<]*)<\/textarea>/)[1]
		.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
	statusIs(await org.postc(`/sessions/${id}/report`, { report: text }), 303, 'report unpublished');
	assert.equal(await found('inclusie', 'session', 'Meedenksessie Open Communicatie'), false, 'an unpublished report');
	assert.ok(await found('meedenksessie communicatie', 'session', 'Meedenksessie Open Communicatie'), 'by its title');
	statusIs(await org.postc(`/sessions/${id}/report`, { report: text, published: '1' }), 303, 'report published');
	assert.ok(await found('inclusie', 'session', 'Meedenksessie Open Communicatie'), 'published again');
	// A submitted event is found once an organiser approves it.
	assert.equal(await found('meetup', 'session', 'Meetup online participatie'), false, 'submitted');
	const subId = (await org.get('/agenda/moderation')).text.match(/\/sessions\/(\d+)\/approve/)[1];
	statusIs(await org.postc(`/sessions/${subId}/approve`), 303, 'approve');
	assert.ok(await found('meetup', 'session', 'Meetup online participatie'), 'approved');
	// A session's themes put it on their theme pages.
	const th = await themeIds();
	const linked = (await anon().get(`/api/v1/themes/${th['Open Communicatie']}`)).json().linked;
	assert.ok((linked.groups.find(g => g.kind === 'session')?.items || []).some(i => i.id === id), 'on the theme page');
	// Registering only counts places: it leaves no note for the index.
	await api('open');
	const part = anon();
	await part.signin(PART, PW);
	const upcoming = (await anon().get('/agenda')).text.match(/href="\/sessions\/(\d+)"/g).map(m => m.match(/\d+/)[0]);
	let registered = false;
	for (const sid of upcoming) {
		const rr = await part.postc(`/sessions/${sid}/register`, {});
		if (rr.status === 303) { registered = true; break; }
	}
	assert.ok(registered, 'registered for an upcoming session');
	assert.equal(sqlValue(DB, 'SELECT COUNT(*) FROM search_dirty'), '0', 'no notes after a registration');
}

async function the_theme_page() {
	const th = await themeIds();
	const c = anon('nl');
	const r = await c.get(`/themes/${th['Open Inkoop']}`);
	statusIs(r, 200);
	has(r.text, '<h1 class="nl-heading nl-heading--level-1">Open Inkoop</h1>');
	has(r.text, '<a class="nl-link" href="/plans/1">Actieplan Open Overheid 2020–2022</a>');
	assert.match(r.text, /<h2 class="nl-heading nl-heading--level-2" id="theme-linked-action">Actiepunten \(\d+\)<\/h2>/);
	has(r.text, '<a class="nl-link op-card__link" href="/actions/1">Contract Register: open inkoopinformatie van het Rijk</a>');
	assert.match(r.text, /<li lang="nl"><span aria-current="page">Open Inkoop<\/span><\/li>|<li><span aria-current="page">Open Inkoop<\/span><\/li>/);
	// Every theme card of the plan leads to a page that answers.
	for (const id of Object.values(th)) statusIs(await c.get(`/themes/${id}`), 200, `/themes/${id}`);
	statusIs(await c.get('/themes/999999'), 404, 'no such theme');
	statusIs(await c.get('/themes/abc'), 404, 'not an id');
	statusIs(await anon().get('/api/v1/themes/999999'), 404, 'no such theme (JSON)');
	const j = (await anon().get(`/api/v1/themes/${th['Open Inkoop']}`)).json();
	assert.equal(j.theme.name, 'Open Inkoop');
	assert.equal(j.theme.plan_id, 1);
	assert.ok(j.linked.groups.every(g => g.items.every(i => !('snippet' in i))), 'data, no page text');
}

const tests = [
	dutch_word_forms_find_each_other, results_are_grouped_by_kind, the_page_works_without_javascript,
	bad_queries_are_refused, answers_match_the_openapi_description, the_theme_page,
	action_points_are_found_once_public_and_while_listed, themes_consultations_and_reports_follow_too,
	sessions_and_their_reports_are_found,
];

await runSuite(tests, {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', PART, '--name', 'Sam Zoeker', '--role', 'participant'], PW + '\n');
		S = new Server('search', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
		org = anon();
		await org.signin(ORGANISER, DEMO_PW);
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
