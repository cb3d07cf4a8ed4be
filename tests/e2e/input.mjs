#!/usr/bin/env node
// input.mjs — HTTP end-to-end tests of input and the reasoned response
// (issue 14): the demo as the seed reports it; the public page "What we
// did with your input" with its chart, search, paging, JSON and CSV; a
// participant who shares an idea, sees it answered with every version,
// deletes it; organisers who triage (theme, status, links, duplicates,
// groups, bulk), answer a group once for all its members, and look for red
// threads; input that arrives on a session board is in the inbox at once;
// "My input" and the notifications when a status, a response or a linked
// action point changes (the action plan's own events reach the people
// whose input led to it); and every refusal: a response without a status,
// a link to an action point of another plan, a group or red thread merged
// into itself, a merge or duplicate across plans, a participant who
// triages, another person's input that is not public, deleting twice.
//   node tests/e2e/input.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, fieldError, statusIs, esc,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-input-'));
const DB = path.join(TMP, 'input.db');
const PW = 'correct horse battery';
const DEMO_PW = 'demo-wachtwoord';
const ORGANISER = { email: 'input-organiser@e2e.example', name: 'Olga Organiser' };
const PART = { email: 'input-participant@e2e.example', name: 'Pim Participant' };
const OTHER = { email: 'input-other@e2e.example', name: 'Olaf Other' };
const LOTTE = 'lotte.visser@openplan.example';   // demo: shared ideas, notes on boards
const JORIS = 'joris.bakker@openplan.example';   // demo: a contact of a holder of Contract Register
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/;

let S, org, part, other;
const anon = (lang = 'nl') => new Client(S.base, { lang });
const json = async (c, p) => {
	const r = await c.get(p, { json: true });
	statusIs(r, 200, p);
	return r.json();
};
async function signedIn(email, password, lang = 'nl') {
	const c = anon(lang);
	await c.signin(email, password);
	return c;
}
const actions = {}; // title fragment → id
const actionId = frag => {
	const a = Object.entries(actions).find(([t]) => t.startsWith(frag));
	assert.ok(a, `action point ${frag} in the demo`);
	return a[1];
};
// The id an answer's redirect points at: /input/items/12 → 12
const idIn = (loc, what) => {
	const m = (loc || '').match(new RegExp(`/input/${what}/(\\d+)`));
	assert.ok(m, `a redirect to an input ${what}: ${loc}`);
	return Number(m[1]);
};
async function unread(c) {
	return (await json(c, '/api/v1/notifications')).notifications.filter(n => !n.read);
}

// SQL for what no page makes: a second plan (to try links and merges
// across plans). SQLite here; PostgreSQL when the suite runs there.
async function sql(statement) {
	const pg = process.env.OPENPLAN_TEST_PG;
	if (pg) {
		const { dbTarget } = await import('../pg/target.mjs');
		const r = spawnSync('psql', ['-q', '-v', 'ON_ERROR_STOP=1', dbTarget(DB), '-c', statement], { encoding: 'utf8' });
		assert.equal(r.status, 0, r.stderr);
		return;
	}
	const r = spawnSync('sqlite3', ['-cmd', '.timeout 5000', DB, statement], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
}

// ---------- the demo, as the seed reports it ----------

async function demo_answers_the_themes_named_once() {
	const d = await json(anon(), '/api/v1/input/consultations/1');
	const justice = d.groups.find(g => g.title.startsWith('Open Wetsontwerp en Open Rechtspraak'));
	assert.ok(justice, 'a group for Open Wetsontwerp and Open Rechtspraak');
	assert.equal(justice.status, 'considering');
	assert.equal(justice.members, 2);
	assert.match(justice.response.body, /Open Justice/);
	assert.ok(justice.links.some(l => l.title === 'Klachten openbaar maken'), 'explored under Open Justice: led to Klachten openbaar maken');
	const once = d.groups.find(g => g.title === "Thema's die één keer genoemd zijn");
	assert.equal(once.status, 'not_taken_up');
	assert.equal(once.members, 8);
	assert.match(once.response.body, /geen eigen/);
	// The Alliance answers: red threads like the seed's six, each answered.
	const threads = d.groups.filter(g => ['Het netwerk maken we samen', 'Goed luisteren', 'Van elkaar leren',
		'Samen aan concrete opgaven', 'Een balans tussen', 'Ruimte voor kleinere'].some(t => g.title.startsWith(t)));
	assert.equal(threads.length, 6);
	for (const t of threads) assert.ok(t.response && t.members >= 2, `${t.title} answered with members`);
	// Open answers linked to the action points they led to.
	const contracts = d.items.find(i => i.text === 'Laat zien welke contracten de overheid sluit en met wie.');
	assert.equal(contracts.status, 'taken_up');
	assert.ok(contracts.links.some(l => l.title.startsWith('Contract Register')));
	// Nobody's name, no e-mail address.
	assert.ok(!EMAIL_RE.test(JSON.stringify(d)), 'no e-mail address');
	assert.ok(!/Lotte|Visser|Sanne/.test(JSON.stringify(d)), 'no names');
}

async function demo_links_the_open_inkoop_board_to_contract_register() {
	const sessions = (await json(anon(), '/api/v1/sessions?when=past')).sessions;
	const inkoop = sessions.find(s => s.title === 'Meedenksessie Open Inkoop');
	const d = await json(anon(), `/api/v1/input/sessions/${inkoop.id}`);
	assert.equal(d.session.title, 'Meedenksessie Open Inkoop');
	const g = d.groups.find(x => x.title.startsWith('Meedenksessie Open Inkoop'));
	assert.ok(g.links.some(l => l.title.startsWith('Contract Register')), 'the notes led to the Contract Register');
	assert.ok(d.items.length >= 5 && d.items.every(i => i.source === 'board' && i.kind === 'note'));
	// The Contract Register's page shows the input that led to it.
	const page = await anon().get(`/actions/${actionId('Contract Register')}`);
	has(page.text, 'De inbreng die ertoe leidde');
	has(page.text, 'Meedenksessie Open Inkoop: wat deelnemers meegaven');
}

async function demo_participant_sees_a_changed_status_and_was_told() {
	const lotte = await signedIn(LOTTE, DEMO_PW);
	const mine = (await json(lotte, '/api/v1/input/mine')).items;
	const idea = mine.find(i => i.text && i.text.startsWith('Zet de verslagen van alle meedenksessies'));
	assert.equal(idea.status, 'taken_up');
	assert.equal(idea.response.version, 2);
	const item = await json(lotte, `/api/v1/input/items/${idea.id}`);
	assert.deepEqual(item.history.map(h => h.status), ['taken_up', 'considering'], 'every version, newest first');
	const notes = (await json(lotte, '/api/v1/notifications')).notifications;
	assert.ok(notes.filter(n => n.kind === 'input.response' && n.url === `/input/items/${idea.id}`).length >= 2, 'told of both versions');
	// Her notes on the Open Inkoop board are hers too.
	assert.ok(mine.some(i => i.source === 'board'), 'board notes in My input');
	const page = await lotte.get('/input/mine');
	has(page.text, 'Mijn inbreng');
	has(page.text, 'Overgenomen');
}

// ---------- the public page ----------

async function public_page_chart_table_and_threads() {
	const r = await anon().get('/input/plans/1');
	statusIs(r, 200, 'public page');
	has(r.text, 'Wat we met je inbreng deden');
	has(r.text, '<svg class="op-chart"');
	const d = await json(anon(), '/api/v1/input/plans/1');
	const sum = d.counts.by_status.reduce((a, x) => a + x.count, 0);
	assert.equal(sum, d.counts.total);
	// The numbers in the table are the counts.
	for (const s of d.counts.by_status)
		assert.match(r.text, new RegExp(`>${s.count}</td>`));
	assert.ok(d.items.length === 50 && d.next_before, 'a page of 50 with more after it');
	const next = await json(anon(), `/api/v1/input/plans/1?before=${d.next_before}`);
	assert.ok(next.items.length > 0 && next.items.every(i => i.id < d.next_before), 'keyset: older items');
	assert.ok(!next.items.some(i => d.items.some(j => j.id === i.id)), 'no item twice');
}

async function public_search_with_dutch_stems() {
	// "contracten" finds "contract", "contracten" and "contractdata" alike.
	const d = await json(anon(), '/api/v1/input/plans/1?q=contracten');
	assert.ok(d.items.length >= 4, `found ${d.items.length}`);
	for (const i of d.items) assert.match(i.text.toLowerCase(), /contract/);
	assert.ok(d.items.some(i => /contractdata/.test(i.text)) && d.items.some(i => / contract /.test(i.text)));
	const w = await json(anon(), '/api/v1/input/plans/1?q=' + encodeURIComponent('workshop organiseren'));
	assert.ok(w.items.some(i => /workshop/i.test(i.text) && /organise/i.test(i.text)), 'every word, stemmed');
	// Stop words alone find nothing; quotes and operators are just characters.
	const none = await json(anon(), '/api/v1/input/plans/1?q=de%20het%20een');
	assert.equal(none.items.length, 0);
	const odd = await json(anon(), '/api/v1/input/plans/1?q=' + encodeURIComponent('"contract* OR NEAR(:'));
	assert.ok(odd.items.every(i => /contract/i.test(i.text)));
	const page = await anon().get('/input/plans/1?q=contracten');
	has(page.text, 'value="contracten"');
}

async function public_csv_for_dutch_excel() {
	const r = await fetch(S.base + '/input/plans/1/items.csv');
	assert.equal(r.status, 200);
	assert.match(r.headers.get('content-type'), /text\/csv/);
	const buf = Buffer.from(await r.arrayBuffer());
	assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'byte order mark');
	const text = buf.toString('utf8').slice(1);
	const lines = text.split('\r\n').filter(Boolean);
	assert.match(lines[0], /^ID;Bron;Soort;Waar;Vraag;Tekst;/);
	const d = await json(anon(), '/api/v1/input/plans/1');
	assert.ok(lines.length - 1 >= d.items.length, 'every public item');
	has(text, 'Contract Register');
	assert.ok(!EMAIL_RE.test(text));
}

// ---------- a participant's idea, triage and responses ----------

let idea; // the participant's idea id

async function participant_shares_an_idea_that_arrives_in_the_inbox() {
	const form = await part.get('/input/plans/1/ideas');
	statusIs(form, 200, 'idea form');
	has(form.text, 'Deel een idee');
	const r = await part.postc('/input/plans/1/ideas', { text: 'Publiceer alle klachten over de gemeente als open data.' });
	statusIs(r, 303, 'share');
	idea = idIn(r.location, 'items');
	const inbox = await json(org, '/api/v1/input/plans/1/inbox?source=idea');
	assert.equal(inbox.items[0].id, idea, 'newest first, at once');
	assert.equal(inbox.items[0].status, 'new');
	const mine = await json(part, '/api/v1/input/mine');
	assert.equal(mine.items[0].id, idea);
	// Searchable at once.
	const found = await json(org, '/api/v1/input/plans/1/inbox?q=gemeente%20klachten');
	assert.ok(found.items.some(i => i.id === idea));
}

async function idea_form_refuses_bad_input() {
	let r = await part.postc('/input/plans/1/ideas', { text: '' });
	statusIs(r, 422, 'empty');
	assert.equal(fieldError(r.text, 'idea-text'), 'Vul dit veld in.');
	r = await part.postc('/input/plans/1/ideas', { text: 'x'.repeat(2001) });
	statusIs(r, 422, 'too long');
	assert.match(fieldError(r.text, 'idea-text'), /2000/);
	r = await part.postc('/input/plans/1/ideas', { text: 'Goed idee', theme: '999999' });
	statusIs(r, 422, 'a theme of no plan');
	assert.equal(fieldError(r.text, 'idea-theme'), 'Kies een van de thema&#39;s.');
	r = await anon().postc('/input/plans/1/ideas', { text: 'anoniem' });
	statusIs(r, 401, 'signed out');
	r = await part.postc('/input/plans/999999/ideas', { text: 'Goed idee' });
	statusIs(r, 404, 'no such plan');
}

async function triage_and_a_response_with_history() {
	const before = (await unread(part)).length;
	const plan = await json(anon(), '/api/v1/plans/1');
	const justice = plan.plan.themes.find(t => t.name === 'Open Justice').id;
	let r = await org.postc(`/input/items/${idea}/triage`, { theme: String(justice), status: 'considering' });
	statusIs(r, 303, 'triage');
	r = await org.postc(`/input/items/${idea}/response`, { status: 'partly', body: 'We nemen dit **deels** mee: eerst voor het Rijk.' });
	statusIs(r, 303, 'respond');
	r = await org.postc(`/input/items/${idea}/response`, { status: 'taken_up', body: 'Klachten worden open data in het actiepunt *Klachten openbaar maken*.' });
	statusIs(r, 303, 'respond again');
	const item = await json(part, `/api/v1/input/items/${idea}`);
	assert.equal(item.item.status, 'taken_up');
	assert.equal(item.item.theme_id, justice);
	assert.deepEqual(item.history.map(h => [h.version, h.status]), [[2, 'taken_up'], [1, 'partly']]);
	// The public sees the history, with the organiser's name but no author.
	const page = await anon().get(`/input/items/${idea}`);
	has(page.text, 'Alle versies van het antwoord');
	has(page.text, '<strong>deels</strong>');
	has(page.text, ORGANISER.name);
	hasNot(page.text, PART.name);
	// The participant was told three times: status, two responses.
	const now = await unread(part);
	assert.equal(now.length - before, 3);
	assert.deepEqual(now.slice(0, 3).map(n => n.kind).sort(), ['input.response', 'input.response', 'input.status']);
	has(now[0].text, 'Je inbreng');
}

async function response_without_a_status_is_refused() {
	let r = await org.postc(`/input/items/${idea}/response`, { body: 'Een antwoord zonder status.' });
	statusIs(r, 422, 'no status');
	assert.equal(fieldError(r.text, 'respond-status'), 'Een antwoord heeft een status nodig: kies wat er met deze inbreng gebeurt.');
	r = await org.postc(`/input/items/${idea}/response`, { status: 'new', body: 'Nog niets.' });
	statusIs(r, 422, 'status new');
	assert.equal(fieldError(r.text, 'respond-status'), 'Een antwoord heeft een status nodig: kies wat er met deze inbreng gebeurt.');
	r = await org.postc(`/input/items/${idea}/response`, { status: 'taken_up' }, { json: true });
	statusIs(r, 422, 'no body');
	assert.ok(r.json().error.fields.body, 'a message at the body');
	r = await org.postc(`/input/items/${idea}/response`, { status: 'taken_up', body: 'x'.repeat(10001) });
	statusIs(r, 422, 'too long');
	const item = await json(org, `/api/v1/input/items/${idea}`);
	assert.equal(item.history.length, 2, 'nothing saved');
}

async function only_organisers_triage() {
	for (const [path, form] of [[`/input/items/${idea}/triage`, { status: 'taken_up' }],
		[`/input/items/${idea}/response`, { status: 'taken_up', body: 'mag niet' }],
		[`/input/items/${idea}/hide`, { hidden: '1' }], ['/input/plans/1/inbox', { action: 'hide', item: String(idea) }]]) {
		statusIs(await part.postc(path, form), 403, `participant ${path}`);
		statusIs(await anon().postc(path, form), 401, `anonymous ${path}`);
	}
	statusIs(await part.get('/input/plans/1/inbox'), 403, 'the inbox');
	statusIs(await part.get('/api/v1/input/plans/1/threads'), 403, 'red threads');
	// A form from another site: refused, nothing saved.
	const r = await org.post(`/input/items/${idea}/triage`, { status: 'new', _csrf: 'nope' });
	statusIs(r, 403, 'no CSRF token');
	assert.equal((await json(org, `/api/v1/input/items/${idea}`)).item.status, 'taken_up');
}

// ---------- links to action points, and their changes reach the contributors ----------

async function linked_action_point_changes_reach_the_contributor() {
	const cr = actionId('Contract Register');
	let r = await org.postc(`/input/items/${idea}/links`, { action: String(cr) });
	statusIs(r, 303, 'link');
	let item = await json(part, `/api/v1/input/items/${idea}`);
	assert.ok(item.links.some(l => l.action_id === cr && l.status === 'in_progress'));
	let notes = await unread(part);
	assert.equal(notes[0].kind, 'input.linked');
	has(notes[0].text, 'Contract Register');
	// The action point moves on: a holder posts progress, an organiser
	// changes its status. Both reach the participant, who follows it now.
	const joris = await signedIn(JORIS, DEMO_PW);
	r = await joris.postc(`/actions/${cr}/updates`, { posted_on: '2022-03-01', percent: '80', body: 'Het prototype staat online.' });
	statusIs(r, 303, 'progress update');
	notes = await unread(part);
	assert.equal(notes[0].kind, 'act.update');
	r = await org.postc(`/actions/${cr}/status`, { status: 'completed' });
	statusIs(r, 303, 'status change');
	notes = await unread(part);
	assert.equal(notes[0].kind, 'act.status');
	item = await json(part, `/api/v1/input/items/${idea}`);
	assert.deepEqual(item.links.find(l => l.action_id === cr), { action_id: cr, title: item.links.find(l => l.action_id === cr).title, status: 'completed', progress: 100 });
	const mine = await part.get('/input/mine');
	has(mine.text, 'Contract Register');
	has(mine.text, 'Afgerond');
	// Unlink; twice is 404.
	statusIs(await org.postc(`/input/items/${idea}/links/${cr}/delete`), 303, 'unlink');
	statusIs(await org.postc(`/input/items/${idea}/links/${cr}/delete`), 404, 'unlink twice');
	statusIs(await org.postc(`/input/items/${idea}/links`, { action: String(cr) }), 303, 'link again');
}

let plan2 = {};
async function second_plan() {
	// A plan made before the demo's, so the home page keeps the demo's.
	await sql("INSERT INTO plans (title, period_start, period_end, status, created_at, updated_at) VALUES ('Gemeentelijk plan', '2021-01-01', '2022-12-31', 'draft', 1, 1)");
	await sql("INSERT INTO themes (plan_id, name, position) SELECT id, 'Open Wijk', 1 FROM plans WHERE title = 'Gemeentelijk plan'");
	await sql("INSERT INTO action_points (plan_id, theme_id, title, status, created_at, updated_at, published_at) SELECT p.id, t.id, 'Wijkbudget', 'idea', 1, 1, 1 FROM plans p, themes t WHERE p.title = 'Gemeentelijk plan' AND t.plan_id = p.id");
	await sql("INSERT INTO input_groups (plan_id, title, created_at, updated_at) SELECT id, 'Groep van een ander plan', 1, 1 FROM plans WHERE title = 'Gemeentelijk plan'");
	await sql("INSERT INTO input_items (plan_id, source, kind, text, created_at, updated_at) SELECT id, 'idea', 'idea', 'Een idee voor de wijk', 1, 1 FROM plans WHERE title = 'Gemeentelijk plan'");
	const plans = await json(anon(), '/api/v1/plan');
	assert.equal(plans.plan.id, 1, 'the home page keeps the demo plan');
	const other = await json(anon(), '/api/v1/input/plans/2');
	plan2.item = other.items[0].id;
	plan2.group = other.groups[0].id;
	// The other plan's action point, offered on its item's page.
	const page = await org.get(`/input/items/${plan2.item}`);
	const m = page.text.match(/<option value="(\d+)">Wijkbudget<\/option>/);
	assert.ok(m, 'the other plan offers its own action point');
	plan2.action = Number(m[1]);
}

async function link_to_an_action_point_of_another_plan_is_refused() {
	let r = await org.postc(`/input/items/${idea}/links`, { action: String(plan2.action) });
	statusIs(r, 422, 'another plan');
	assert.equal(fieldError(r.text, 'link-action'), 'Dit actiepunt hoort bij een ander plan. Koppel inbreng alleen aan actiepunten van het eigen plan.');
	r = await org.postc(`/input/items/${idea}/links`, { action: '999999' });
	statusIs(r, 422, 'no such action point');
	assert.equal(fieldError(r.text, 'link-action'), 'Kies een van de actiepunten.');
	r = await org.postc(`/input/items/${idea}/links`, { action: 'abc' });
	statusIs(r, 422, 'not a number');
	const groups = (await json(org, '/api/v1/input/plans/1')).groups;
	r = await org.postc(`/input/groups/${groups[0].id}/links`, { action: String(plan2.action) });
	statusIs(r, 422, 'a group too');
	assert.equal(fieldError(r.text, 'glink-action'), 'Dit actiepunt hoort bij een ander plan. Koppel inbreng alleen aan actiepunten van het eigen plan.');
	assert.ok(!(await json(org, `/api/v1/input/items/${idea}`)).links.some(l => l.action_id === plan2.action));
}

// ---------- duplicates and groups ----------

async function duplicates() {
	const r0 = await other.postc('/input/plans/1/ideas', { text: 'Klachten over de gemeente als open data publiceren.' });
	statusIs(r0, 303, 'another idea');
	const dup = idIn(r0.location, 'items');
	let r = await org.postc(`/input/items/${dup}/duplicate`, { of: String(dup) });
	statusIs(r, 422, 'of itself');
	assert.equal(fieldError(r.text, 'duplicate-of'), 'Inbreng kan geen dubbel van zichzelf zijn.');
	r = await org.postc(`/input/items/${dup}/duplicate`, { of: String(plan2.item) });
	statusIs(r, 422, 'across plans');
	assert.equal(fieldError(r.text, 'duplicate-of'), 'Het origineel hoort bij een ander plan: dubbels blijven binnen één plan.');
	r = await org.postc(`/input/items/${dup}/duplicate`, { of: '999999' });
	statusIs(r, 422, 'no such input');
	assert.equal(fieldError(r.text, 'duplicate-of'), 'Er is geen inbreng met dit nummer.');
	r = await org.postc(`/input/items/${dup}/duplicate`, { of: String(idea) });
	statusIs(r, 303, 'a duplicate');
	const d = await json(other, `/api/v1/input/items/${dup}`);
	assert.equal(d.item.duplicate_of, idea);
	assert.equal(d.item.status, 'taken_up', 'it follows its original');
	assert.equal(d.item.response.version, 2, "the original's response answers it");
	assert.ok(d.links.some(l => l.title.startsWith('Contract Register')), "and its original's links");
	// Its author follows the original's action points and was told.
	assert.equal((await unread(other))[0].kind, 'input.status');
	// The original cannot become a duplicate of its duplicate (a loop).
	r = await org.postc(`/input/items/${idea}/duplicate`, { of: String(dup) });
	statusIs(r, 422, 'a loop');
	assert.equal(fieldError(r.text, 'duplicate-of'), 'Inbreng kan geen dubbel van zichzelf zijn.');
}

let grp;
async function bulk_into_a_new_group_and_one_response_for_all() {
	const a = idIn((await part.postc('/input/plans/1/ideas', { text: 'Meer meedenksessies in de avond, voor werkende mensen.' })).location, 'items');
	const b = idIn((await other.postc('/input/plans/1/ideas', { text: 'Meedenksessies ook op zaterdag organiseren.' })).location, 'items');
	// Bad bulk input first: nothing chosen, an action without its value, an item of another plan.
	let r = await org.postc('/input/plans/1/inbox', { action: 'new_group', title: 'Sessies buiten kantoortijd' });
	statusIs(r, 422, 'nothing chosen');
	has(r.text, 'id="bulk-item-error">Kies een van de mogelijkheden.');
	r = await org.postc('/input/plans/1/inbox', { action: 'new_group', item: String(a) });
	statusIs(r, 422, 'no name');
	assert.equal(fieldError(r.text, 'bulk-title'), 'Geef de nieuwe groep een naam.');
	r = await org.post('/input/plans/1/inbox', `_csrf=${org.token()}&action=new_group&title=x&item=${a}&item=${plan2.item}`);
	statusIs(r, 422, 'an item of another plan');
	has(r.text, "Iets wat je koos hoort bij een ander plan: de inbreng van één plan blijft bij elkaar.");
	r = await org.post('/input/plans/1/inbox', `_csrf=${org.token()}&action=group&group=${plan2.group}&item=${a}`);
	statusIs(r, 422, "another plan's group");
	assert.equal(fieldError(r.text, 'bulk-group'), 'Deze groep hoort bij een ander plan: een groep bevat inbreng van één plan.');
	// Now for real: both into a new group.
	r = await org.post('/input/plans/1/inbox', `_csrf=${org.token()}&action=new_group&title=${encodeURIComponent('Sessies buiten kantoortijd')}&item=${a}&item=${b}`);
	statusIs(r, 303, 'new group');
	grp = idIn(r.location, 'groups');
	const before = [(await unread(part)).length, (await unread(other)).length];
	r = await org.postc(`/input/groups/${grp}/response`, { status: 'considering', body: 'We plannen de volgende sessies ook in de avond.' });
	statusIs(r, 303, 'one response');
	for (const [c, id] of [[part, a], [other, b]]) {
		const it = await json(c, `/api/v1/input/items/${id}`);
		assert.equal(it.item.group_id, grp);
		assert.equal(it.item.status, 'considering');
		assert.equal(it.item.response.of_group, true);
		assert.match(it.item.response.body, /avond/);
	}
	assert.equal((await unread(part)).length, before[0] + 1, 'the first author told once');
	assert.equal((await unread(other)).length, before[1] + 1, 'the second author told once');
	// A grouped item answers through its group: its own response is refused.
	r = await org.postc(`/input/items/${a}/response`, { status: 'taken_up', body: 'los' });
	statusIs(r, 422, 'respond on the group');
	has(fieldError(r.text, 'respond-body'), 'antwoord bij de groep');
	// The group's status and the response again: versions kept.
	statusIs(await org.postc(`/input/groups/${grp}/response`, { status: 'taken_up', body: 'Vanaf maart ook sessies in de avond.' }), 303, 'v2');
	const g = await json(anon(), `/api/v1/input/groups/${grp}`);
	assert.deepEqual(g.history.map(h => h.version), [2, 1]);
	assert.equal(g.group.members, 2);
}

async function group_rules() {
	let r = await org.postc(`/input/groups/${grp}/merge`, { into: String(grp) });
	statusIs(r, 422, 'into itself');
	assert.equal(fieldError(r.text, 'merge-into'), 'Een groep kan niet in zichzelf opgaan: een groep kan zichzelf niet bevatten.');
	r = await org.postc(`/input/groups/${grp}/merge`, { into: String(plan2.group) });
	statusIs(r, 422, 'across plans');
	// A group with a response is not merged away (its answer would be lost).
	const other = (await json(org, '/api/v1/input/plans/1')).groups.find(x => x.id !== grp);
	r = await org.postc(`/input/groups/${grp}/merge`, { into: String(other.id) });
	statusIs(r, 422, 'answered group');
	assert.equal(fieldError(r.text, 'merge-into'), 'Deze groep heeft al een antwoord: voeg liever de andere groep bij deze.');
	// Put an item of another plan in a group: refused at the field.
	r = await org.postc(`/input/items/${plan2.item}/group`, { group: String(grp) });
	statusIs(r, 422, 'item of another plan');
	assert.equal(fieldError(r.text, 'group-group'), 'Deze groep hoort bij een ander plan: een groep bevat inbreng van één plan.');
	// Dissolve: refused with a response; an unanswered one goes, its input stays.
	statusIs(await org.postc(`/input/groups/${grp}/delete`), 409, 'answered group stays');
	const x = idIn((await part.postc('/input/plans/1/ideas', { text: 'Een los idee om te groeperen.' })).location, 'items');
	r = await org.post('/input/plans/1/inbox', `_csrf=${org.token()}&action=new_group&title=Tijdelijk&item=${x}`);
	const tmp = idIn(r.location, 'groups');
	statusIs(await org.postc(`/input/groups/${tmp}/merge`, { into: String(grp) }), 303, 'merge an unanswered group');
	const it = await json(org, `/api/v1/input/items/${x}`);
	assert.equal(it.item.group_id, grp);
	assert.equal(it.item.status, 'taken_up', "it takes the group's status");
	statusIs(await anon().get(`/api/v1/input/groups/${tmp}`, { json: true }), 404, 'the merged group is gone');
	statusIs(await org.postc(`/input/groups/${tmp}/delete`), 404, 'gone');
}

// ---------- hidden, deleted, and what a participant sees ----------

async function hidden_input_stays_hidden_everywhere() {
	const h = idIn((await part.postc('/input/plans/1/ideas', { text: 'Bel mij op 06-12345678, ik ben Piet van nummer 4.' })).location, 'items');
	const before = (await json(anon(), '/api/v1/input/plans/1')).counts.total;
	statusIs(await org.postc(`/input/items/${h}/hide`, { hidden: '1' }), 303, 'hide');
	statusIs(await anon().get(`/api/v1/input/items/${h}`, { json: true }), 404, 'not for the public');
	statusIs(await other.get(`/api/v1/input/items/${h}`, { json: true }), 404, 'not for another participant');
	const own = await json(part, `/api/v1/input/items/${h}`);
	assert.match(own.item.text, /Piet/, 'its author sees it');
	const pub = await json(anon(), '/api/v1/input/plans/1');
	assert.ok(!pub.items.some(i => i.id === h), 'not listed');
	assert.equal(pub.counts.total, before, 'still counted');
	const search = await json(anon(), '/api/v1/input/plans/1?q=piet');
	assert.equal(search.items.length, 0, 'not found by search');
	const csv = await (await fetch(S.base + '/input/plans/1/items.csv')).text();
	hasNot(csv, '06-12345678');
	// Hidden at its source: a consultation's answer the consultation hides.
	const c = (await json(anon(), '/api/v1/input/consultations/1')).items.find(i => i.kind === 'open');
	const answers = await org.get(`/consultations/1/answers?question=${c.question_id}`);
	const at = answers.text.indexOf(`<p class="nl-paragraph">${esc(c.text)}</p>`);
	assert.ok(at >= 0, 'the answer on the consultation page');
	const aid = Number(answers.text.slice(at).match(/answers\/(\d+)\/hide/)[1]);
	statusIs(await org.postc(`/consultations/1/answers/${aid}/hide`, { on: '1' }), 303, 'hidden at the consultation');
	statusIs(await anon().get(`/api/v1/input/items/${c.id}`, { json: true }), 404, 'hidden here too');
	assert.ok(!(await json(anon(), '/api/v1/input/consultations/1')).items.some(i => i.id === c.id));
	assert.equal((await json(org, `/api/v1/input/items/${c.id}`)).item.hidden, true, 'organisers see why');
}

async function deleting_ones_own_input() {
	const d = idIn((await part.postc('/input/plans/1/ideas', { text: 'Dit idee trek ik weer in.' })).location, 'items');
	const before = (await json(anon(), '/api/v1/input/plans/1')).counts.total;
	statusIs(await other.postc(`/input/items/${d}/delete`), 403, "someone else's");
	statusIs(await org.postc(`/input/items/${d}/delete`), 403, 'an organiser is not its author');
	const r = await part.postc(`/input/items/${d}/delete`);
	statusIs(r, 303, 'delete');
	assert.equal(r.location, '/input/mine');
	statusIs(await part.postc(`/input/items/${d}/delete`), 409, 'twice');
	const pub = await json(anon(), '/api/v1/input/plans/1');
	assert.equal(pub.counts.total, before, 'counts stay right');
	const it = pub.items.find(i => i.id === d);
	assert.equal(it.text, null);
	assert.equal(it.removed, true);
	const page = await anon().get('/input/plans/1');
	hasNot(page.text, 'Dit idee trek ik weer in.');
	has(page.text, 'Verwijderd door wie het schreef.');
	assert.equal((await json(part, `/api/v1/input/items/${d}`)).item.text, null, 'its author too: it is gone');
	statusIs(await part.postc('/input/items/999999/delete'), 404, 'no such item');
}

// ---------- input arrives ----------

async function a_board_note_is_in_the_inbox_at_once() {
	const lotte = await signedIn(LOTTE, DEMO_PW);
	const sessions = (await json(anon(), '/api/v1/sessions')).sessions;
	const open = sessions.find(s => s.title === 'Volgende bijeenkomst stakeholderforum');
	assert.ok(open, 'the next forum meeting');
	const board = await json(anon(), `/api/v1/sessions/${open.id}/board`);
	assert.equal(board.board.open, true, 'its board takes notes');
	const col = board.board.columns[0].id;
	const r = await lotte.postc(`/sessions/${open.id}/board/notes`, { column_id: String(col), body: 'Maak de verslagen van het forum doorzoekbaar.' });
	assert.ok([200, 303].includes(r.status), `note: ${r.status}`);
	const inbox = await json(org, `/api/v1/input/plans/1/inbox?source=board`);
	const it = inbox.items.find(i => i.text === 'Maak de verslagen van het forum doorzoekbaar.');
	assert.ok(it, 'in the inbox at once');
	assert.equal(it.container_id, open.id);
	assert.equal(it.anonymous, false);
	const mine = await json(lotte, '/api/v1/input/mine');
	assert.equal(mine.items[0].id, it.id, 'in her input');
}

async function inbox_filters_and_keyset_paging() {
	const all = await json(org, '/api/v1/input/plans/1/inbox');
	assert.equal(all.items.length, 50);
	const next = await json(org, `/api/v1/input/plans/1/inbox?before=${all.next_before}`);
	assert.ok(next.items.every(i => i.id < all.next_before));
	const poll = await json(org, '/api/v1/input/plans/1/inbox?source=poll');
	assert.ok(poll.items.length > 0 && poll.items.every(i => i.source === 'poll'));
	const nt = await json(org, '/api/v1/input/plans/1/inbox?status=not_taken_up');
	assert.ok(nt.items.length >= 8 && nt.items.every(i => i.status === 'not_taken_up'));
	const nothemes = await json(org, '/api/v1/input/plans/1/inbox?theme=-1');
	assert.ok(nothemes.items.every(i => i.theme_id === null));
	const g = await json(org, `/api/v1/input/plans/1/inbox?group=${grp}`);
	assert.ok(g.items.length >= 2 && g.items.every(i => i.group_id === grp));
	// A bad filter value filters nothing; a bad page number starts at the newest.
	const bad = await json(org, '/api/v1/input/plans/1/inbox?status=nope&source=x&before=abc');
	assert.deepEqual(bad.items.map(i => i.id), all.items.map(i => i.id));
	const page = await org.get('/input/plans/1/inbox');
	statusIs(page, 200, 'inbox page');
	has(page.text, 'Oudere inbreng');
	has(page.text, 'name="item"');
	// Bulk: a status for several.
	const ids = next.items.filter(i => !i.group_id && !i.duplicate_of && i.status === 'new').slice(0, 3).map(i => i.id);
	const r = await org.post('/input/plans/1/inbox', `_csrf=${org.token()}&action=status&status=out_of_scope&filters=${encodeURIComponent('source=poll')}&${ids.map(i => 'item=' + i).join('&')}`);
	statusIs(r, 303, 'bulk status');
	assert.equal(r.location, '/input/plans/1/inbox?source=poll', 'back to the same view');
	for (const id of ids) assert.equal((await json(org, `/api/v1/input/items/${id}`)).item.status, 'out_of_scope');
}

// ---------- red threads ----------

async function red_threads_proposed_accepted_and_decided() {
	let r = await org.postc('/input/plans/1/threads', { scope: 'plan' });
	statusIs(r, 303, 'run');
	const run = Number(r.location.match(/run=(\d+)/)[1]);
	let d;
	for (let i = 0; i < 50; i++) {
		d = await json(org, `/api/v1/input/plans/1/threads?run=${run}`);
		if (d.run.status === 'done' || d.run.status === 'failed') break;
		await new Promise(ok => setTimeout(ok, 200));
	}
	assert.equal(d.run.status, 'done');
	assert.ok(d.threads.length >= 2, `threads: ${d.threads.length}`);
	const [t1, t2] = d.threads;
	// Bad decisions first.
	r = await org.postc(`/input/threads/${t1.id}/merge`, { into: String(t1.id) });
	statusIs(r, 422, 'into itself');
	has(r.text, 'Een rode draad kan niet in zichzelf opgaan.');
	r = await org.postc(`/input/threads/${t1.id}/accept`, { title: '' });
	statusIs(r, 422, 'no name');
	// Rename, merge, accept.
	statusIs(await org.postc(`/input/threads/${t2.id}/rename`, { title: 'Tweede draad' }), 303, 'rename');
	statusIs(await org.postc(`/input/threads/${t2.id}/merge`, { into: String(t1.id) }), 303, 'merge');
	r = await org.postc(`/input/threads/${t1.id}/accept`, { title: 'Een rode draad' });
	statusIs(r, 303, 'accept');
	const g = idIn(r.location, 'groups');
	const group = await json(org, `/api/v1/input/groups/${g}`);
	assert.equal(group.group.title, 'Een rode draad');
	assert.equal(group.group.members, t1.size + t2.size - 0 - (t1.size + t2.size - group.group.members), 'its members');
	assert.ok(group.group.members >= t1.size, 'both threads in the group');
	assert.ok(group.group.terms.length > 0);
	statusIs(await org.postc(`/input/threads/${t1.id}/dismiss`), 409, 'decided already');
	statusIs(await org.postc(`/input/threads/${t2.id}/accept`, { title: 'x' }), 409, 'merged already');
	// Split and dismiss what is left.
	d = await json(org, `/api/v1/input/plans/1/threads?run=${run}`);
	const rest = d.threads.filter(t => t.state === 'proposed');
	if (rest.length) {
		const big = rest.find(t => t.size >= 2);
		statusIs(await org.postc(`/input/threads/${big.id}/split`), 303, 'split');
		const after = await json(org, `/api/v1/input/plans/1/threads?run=${run}`);
		assert.equal(after.threads.find(t => t.id === big.id).state, 'split');
		assert.equal(after.threads.filter(t => t.state === 'proposed').length, rest.length + 1);
		const last = after.threads.filter(t => t.state === 'proposed').pop();
		statusIs(await org.postc(`/input/threads/${last.id}/dismiss`), 303, 'dismiss');
	}
	const page = await org.get(`/input/plans/1/threads?run=${run}`);
	statusIs(page, 200, 'threads page');
	has(page.text, 'Rode draden');
	// Items in a group are left out of the next run.
	r = await org.postc('/input/plans/1/threads', { scope: 'question:999999' });
	statusIs(r, 303, 'a question with no input');
	r = await org.postc('/input/plans/1/threads', { scope: 'nope:1' });
	statusIs(r, 422, 'no such scope');
	assert.equal(fieldError(r.text, 'run-scope'), 'Kies een van de mogelijkheden.');
}

// ---------- pages for everyone ----------

async function pages_render_for_every_role() {
	for (const [who, c] of [['anonymous', anon()], ['participant', part], ['organiser', org]]) {
		for (const p of ['/input/plans/1', '/input/consultations/1', `/input/items/${idea}`, `/input/groups/${grp}`, '/plans/1'])
			statusIs(await c.get(p), 200, `${who} ${p}`);
	}
	statusIs(await anon().get('/input/mine'), 303, 'My input needs an account');
	statusIs(await anon().get('/api/v1/input/mine', { json: true }), 401, 'My input needs an account (API)');
	statusIs(await anon().get('/input/items/999999'), 404, 'no such item');
	statusIs(await anon().get('/input/items/abc'), 404, 'not a number');
	statusIs(await anon().get('/input/consultations/999999'), 404, 'no such consultation');
	const plan = await anon().get('/plans/1');
	has(plan.text, 'Je inbreng en onze antwoorden');
	has(plan.text, 'href="/input/plans/1/ideas"');
	const account = await part.get('/account');
	has(account.text, 'Mijn inbreng');
	const data = await json(part, '/account/data');
	assert.ok(Array.isArray(data.input_items) && data.input_items.some(i => i.id === idea), 'own data: the input given');
}

const tests = [
	demo_answers_the_themes_named_once, demo_links_the_open_inkoop_board_to_contract_register,
	demo_participant_sees_a_changed_status_and_was_told, public_page_chart_table_and_threads,
	public_search_with_dutch_stems, public_csv_for_dutch_excel,
	participant_shares_an_idea_that_arrives_in_the_inbox, idea_form_refuses_bad_input,
	triage_and_a_response_with_history, response_without_a_status_is_refused, only_organisers_triage,
	linked_action_point_changes_reach_the_contributor, second_plan,
	link_to_an_action_point_of_another_plan_is_refused, duplicates,
	bulk_into_a_new_group_and_one_response_for_all, group_rules, hidden_input_stays_hidden_everywhere,
	deleting_ones_own_input, a_board_note_is_in_the_inbox_at_once, inbox_filters_and_keyset_paging,
	red_threads_proposed_accepted_and_decided, pages_render_for_every_role,
];

await runSuite(tests, {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		for (const [u, role] of [[ORGANISER, 'organiser'], [PART, 'participant'], [OTHER, 'participant']])
			mustCli(['user', 'add', '--db', DB, '--email', u.email, '--name', u.name, '--role', role], PW + '\n');
		S = new Server('input', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
		org = await signedIn(ORGANISER.email, PW);
		part = await signedIn(PART.email, PW);
		other = await signedIn(OTHER.email, PW);
		for (const p of (await json(anon(), '/api/v1/action-points')).action_points) actions[p.title] = p.id;
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
