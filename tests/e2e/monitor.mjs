#!/usr/bin/env node
// monitor.mjs — HTTP end-to-end tests of monitoring and accountability
// (issue 15): the public's dashboard, report and forum on the demo (and no
// personal data in them); the organiser's criteria, forum members, forum
// rules and settings; the holder's indicators and measurements, with the
// on-track computation checked against the straight path; every bad input
// the issue names, refused at its field with nothing saved; who may do
// what (holders, forum members, organisers, nobody on an archived action
// point); the OGP's assessment in its voices with the reviewer's finding
// and the holder's reaction; concerns flagged, answered and closed, with
// the events they cause; the composition and cadence warnings; and the
// watcher that tells holders about a missing measurement, once.
//   node tests/e2e/monitor.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, fieldError, statusIs,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-monitor-'));
const DB = path.join(TMP, 'monitor.db');
const PW = 'correct horse battery';
const DEMO_PW = 'demo-wachtwoord';
const ORGANISER = { email: 'mon-organiser@e2e.example', name: 'Olga Organiser' };
const PART = { email: 'mon-participant@e2e.example', name: 'Piet Participant' };
const JORIS = 'joris.bakker@openplan.example';   // holder of Contract Register, forum member
const AMIRA = 'amira.elhaddad@openplan.example'; // holder of Pioniersnetwerk, forum member
const FEMKE = 'femke.visser@openplan.example';   // forum member (academia), holds nothing
const EMAIL_RE = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+\.[A-Za-z0-9.-]+/;

let S;
const anon = () => new Client(S.base, { lang: 'en' });
let org, part, joris, amira, femke;
const ids = {};

async function signedIn(email, password) {
	const c = anon();
	await c.signin(email, password);
	return c;
}
const json = async (c, p) => {
	const r = await c.get(p, { json: true });
	statusIs(r, 200, p);
	return r.json();
};
const day = (offset = 0) => new Date(Date.now() + offset * 86400000).toISOString().slice(0, 10);
// y-m-d plus n months, the day kept within the month (31 Jan + 1 = 28/29 Feb)
function addMonths(ymd, n) {
	const [y, m, d] = ymd.split('-').map(Number);
	const t = y * 12 + (m - 1) + n, ny = Math.floor(t / 12), nm = t % 12 + 1;
	const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
	return `${ny}-${String(nm).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}
const monitoring = id => json(anon(), `/api/v1/action-points/${id}/monitoring`);
const indicator = async (id, iid) => (await monitoring(id)).indicators.find(x => x.id === iid);

// A valid indicator form, changed by `over`.
function indicatorForm(over = {}) {
	return {
		criterion_id: String(ids.criterion), title: 'Datasets gepubliceerd', unit: 'datasets', direction: 'higher',
		baseline_value: '0', baseline_on: day(-365), baseline_source: 'Telling', target_value: '100',
		target_on: day(365), frequency: 'quarterly', ...over,
	};
}
async function addIndicator(c, actionId, over) {
	const r = await c.postc(`/actions/${actionId}/indicators`, indicatorForm(over));
	statusIs(r, 303, 'add indicator');
	const m = r.location.match(/#indicator-(\d+)$/);
	assert.ok(m, `redirect to the indicator: ${r.location}`);
	return Number(m[1]);
}

// ---------- the public ----------

// The watcher ran when the server started: the demo's missing measurements
// are history, not news.
async function demo_history_is_not_news() {
	await new Promise(r => setTimeout(r, 1500));
	const n = (await json(joris, '/api/v1/notifications')).notifications;
	assert.deepEqual(n.filter(x => x.kind.startsWith('monitor.')), []);
}

async function public_dashboard_shows_the_demo() {
	const c = anon();
	const d = await json(c, '/api/v1/monitor');
	assert.equal(d.action_points, 9);
	assert.equal(d.by_status.reduce((a, x) => a + x.count, 0), 9);
	assert.equal(d.by_theme.reduce((a, x) => a + x.count, 0), 9);
	assert.equal(d.progress.reduce((a, x) => a + x.count, 0), 9);
	assert.equal(d.late_by_theme.reduce((a, x) => a + x.count, 0), d.late_milestones);
	const st = Object.fromEntries(d.indicators.by_state.map(x => [x.state, x.count]));
	// Contract Register behind its path; Open Raadsinformatie on it; the
	// Direct Duidelijk Brigade and the Pioniersnetwerk reached their targets.
	assert.deepEqual(st, { not_measured: 0, on_track: 1, off_track: 1, achieved: 2 });
	const cr = d.indicators.items.find(x => x.action_id === ids.cr);
	assert.equal(cr.state, 'off_track');
	assert.equal(cr.expected, 9.99, 'the straight path from 0 (4 Jan 2021) to 12 (30 Jun 2022) on 31 Mar 2022');
	assert.equal(cr.overdue, true, 'its measurement of 30 June 2022 is missing');
	assert.equal(d.indicators.overdue, 2);
	assert.equal(d.concerns.open, 1);
	assert.equal(d.concerns.answered, 1);
	assert.equal(d.criteria.length, 4);
	const page = await c.get('/monitor');
	statusIs(page, 200, '/monitor');
	assert.equal((page.text.match(/<svg class="op-chart"/g) || []).length, 5, 'five charts');
	has(page.text, 'Action points per status');
	has(page.text, '1 indicator off track');
	has(page.text, '<a class="nl-link" href="/api/v1/monitor">/api/v1/monitor</a>');
	// every chart has its numbers in a table
	assert.equal((page.text.match(/id="cap-chart-/g) || []).length, 5);
	// linked from the plan's page
	const home = await c.get('/');
	has(home.text, 'href="/monitor"');
	has(home.text, 'href="/forum"');
	assert.deepEqual((await json(c, '/api/v1/plan')).monitoring, { indicators: 4, on_track: 3, off_track: 1 });
}

async function public_report_and_forum() {
	const c = anon();
	const r = await json(c, '/api/v1/monitor/report');
	const completion = Object.fromEntries(r.completion.map(x => [x.level, x.count]));
	assert.equal(completion.limited, 1);
	assert.equal(completion.complete, 2);
	assert.equal(completion.null, 6, 'not assessed yet');
	const crp = r.action_points.find(p => p.id === ids.cr);
	assert.equal(crp.assessment.holder.end.completion, 'limited');
	assert.equal(crp.assessment.irm.end.opened, 'did_not_change');
	assert.equal(crp.assessment.forum.length, 1);
	assert.equal(crp.assessment.forum[0].organisation.name, 'Universiteit Utrecht');
	assert.match(crp.reaction.body, /vijf/);
	const page = await c.get('/monitor/report');
	statusIs(page, 200);
	has(page.text, 'End-of-term self-assessment');
	has(page.text, "The independent reviewer&#39;s finding");
	assert.equal((page.text.match(/<svg class="op-chart"/g) || []).length, 2);

	const f = await json(c, '/api/v1/forum');
	assert.deepEqual(f.composition, { counted: 8, government: 5, non_government: 3, non_government_pct: 37, rule_broken: true });
	assert.deepEqual(f.dual_role.map(x => x.organisation.name).sort(), ['Netwerk Democratie', 'Open State Foundation']);
	assert.deepEqual(f.dual_role.find(x => x.organisation.name === 'Open State Foundation').action_points.map(p => p.id), [ids.cr]);
	assert.equal(f.members.find(m => m.role === 'observer').current, true);
	assert.equal(f.members.filter(m => !m.current).length, 1, 'a member who left');
	assert.equal(f.rules.version, 2);
	const fp = await c.get('/forum');
	has(fp.text, 'The composition breaks the forum&#39;s own rule: 37% of the counted members come from outside government, the rule asks for at least 50%.');
	has(fp.text, '2 members supervise and also hold an action point.');
	has(fp.text, 'Open State Foundation');
	const rules = await json(c, '/api/v1/forum/rules');
	assert.deepEqual(rules.versions.map(v => v.version), [2, 1]);
}

const SITE_CONTACT = 'openoverheid@openplan.example';

async function the_public_sees_no_personal_data() {
	const c = anon();
	for (const p of ['/api/v1/monitor', '/api/v1/monitor/report', '/api/v1/forum', '/api/v1/forum/rules',
		`/api/v1/action-points/${ids.cr}/monitoring`, '/monitor', '/monitor/report', '/forum', `/actions/${ids.cr}`]) {
		const r = await c.get(p);
		statusIs(r, 200, p);
		for (const name of ['Femke Visser', 'Marloes Dijkstra', 'Thomas Mulder'])
			hasNot(r.text, name, p);
		// The site's own contact address in the footer is public on purpose
		// (the organisation's, set by an admin); no person's address is.
		const text = r.text.replace(/https?:\/\/\S+/g, '').replaceAll(SITE_CONTACT, '');
		assert.ok(!EMAIL_RE.test(text), `${p}: an e-mail address`);
	}
	// Signed in, a person sees the members' names.
	has((await part.get('/forum')).text, 'Femke Visser');
}

// ---------- organisers: criteria ----------

async function organiser_keeps_the_criteria() {
	const empty = await org.postc('/monitor/criteria', { title: '', explanation: 'x' });
	statusIs(empty, 422);
	assert.equal(fieldError(empty.text, 'new-crit-title'), 'Fill in this field.');
	const r = await org.postc('/monitor/criteria', { title: 'Meer open data', explanation: 'Datasets die iedereen mag gebruiken.' });
	statusIs(r, 303);
	assert.equal(r.location, '/monitor/criteria');
	const d = await json(anon(), '/api/v1/monitor');
	const c = d.criteria.find(x => x.title === 'Meer open data');
	assert.ok(c);
	ids.criterion = c.id;
	statusIs(await org.postc(`/monitor/criteria/${c.id}`, { title: 'Meer open data, vooraf', explanation: '' }), 303);
	assert.ok((await json(anon(), '/api/v1/monitor')).criteria.some(x => x.title === 'Meer open data, vooraf'));
	// A criterion nobody uses can go; one in use cannot.
	statusIs(await org.postc('/monitor/criteria', { title: 'Weg ermee' }), 303);
	const gone = (await json(anon(), '/api/v1/monitor')).criteria.find(x => x.title === 'Weg ermee');
	statusIs(await org.postc(`/monitor/criteria/${gone.id}/delete`), 303);
	assert.ok(!(await json(anon(), '/api/v1/monitor')).criteria.some(x => x.id === gone.id));
	// Holders and the public do not reach the page.
	statusIs(await joris.get('/monitor/criteria'), 403);
	const a = await anon().get('/monitor/criteria');
	statusIs(a, 303, 'the public is asked to sign in');
	assert.match(a.location, /^\/signin/);
	statusIs(await org.get('/monitor/criteria'), 200);
}

// ---------- holders: indicators and measurements ----------

async function holder_defines_an_indicator_and_measures_it() {
	const iid = await addIndicator(joris, ids.cr);
	ids.ind = iid;
	let x = await indicator(ids.cr, iid);
	assert.equal(x.state, 'not_measured');
	assert.equal(x.baseline.value, 0);
	assert.equal(x.target.value, 100);
	assert.equal(x.next_due, addMonths(day(-365), 3));
	assert.equal(x.overdue, true, 'three months after a baseline of a year ago');
	// The straight path expects 25 a quarter of the way: 30 is on track.
	const quarter = day(-183);
	let r = await joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`,
		{ value: '30', measured_on: quarter, source_url: 'https://data.overheid.nl/', note: 'Eerste telling' });
	statusIs(r, 303);
	assert.equal(r.location, `/actions/${ids.cr}#indicator-${iid}`);
	x = await indicator(ids.cr, iid);
	assert.equal(x.state, 'on_track');
	assert.ok(Math.abs(x.expected - 100 * 182 / 730) < 0.01, `expected ${x.expected}`);
	assert.deepEqual(x.latest, { value: 30, on: quarter });
	// Half way the path expects 50: 40,5 (a Dutch decimal comma) is behind.
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, { value: '40,5', measured_on: day(-1) }), 303);
	x = await indicator(ids.cr, iid);
	assert.equal(x.state, 'off_track');
	assert.equal(x.latest.value, 40.5);
	assert.equal(x.measurements.length, 2);
	// Reaching the target early: achieved.
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, { value: '100', measured_on: day(0) }), 303);
	assert.equal((await indicator(ids.cr, iid)).state, 'achieved');
	// The page: a line chart with three dots, baseline and target, and the table.
	const page = await anon().get(`/actions/${ids.cr}`);
	const art = page.text.slice(page.text.indexOf(`id="indicator-${iid}"`));
	has(art, '<svg class="op-chart op-chart--line"');
	assert.equal((art.slice(0, art.indexOf('</svg>')).match(/<circle class="op-chart__dot" cx=/g) || []).length, 3 + 1, 'three values and the legend');
	has(art, 'op-chart__path');
	has(art, '40.5</td>');
	has(art, 'Target reached');
	hasNot(page.text, 'Record a measurement', 'the public has no forms');
	// Lower is better works the other way round.
	const low = await addIndicator(joris, ids.cr, { title: 'Dagen tot publicatie', unit: 'dagen', direction: 'lower',
		baseline_value: '40', target_value: '10' });
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${low}/measurements`, { value: '20', measured_on: day(0) }), 303);
	assert.equal((await indicator(ids.cr, low)).state, 'on_track', '20 days where the path expects 25');
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${low}/measurements`, { value: '30', measured_on: day(-1) }), 303);
	assert.equal((await indicator(ids.cr, low)).state, 'on_track', 'the latest by date counts, not the last entered');
	// The holder changes the indicator (same unit) and may remove it.
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${low}`, indicatorForm({ title: 'Dagen tot openbaar', unit: 'dagen',
		direction: 'lower', baseline_value: '40', target_value: '5' })), 303);
	assert.equal((await indicator(ids.cr, low)).target.value, 5);
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${low}/delete`), 303);
	assert.equal(await indicator(ids.cr, low), undefined);
	// The dashboard counts it (the page cache is not stale after a change).
	const d = await json(anon(), '/api/v1/monitor');
	assert.ok(d.indicators.items.some(x => x.id === iid && x.state === 'achieved'));
}

// Every bad input the issue names: a message at the field, nothing saved.
async function bad_input_is_refused_at_the_field() {
	const iid = ids.ind;
	const before = (await indicator(ids.cr, iid)).measurement_count;
	const measure = form => joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, form);
	const expect = async (r, field, msg, what) => {
		statusIs(r, 422, what);
		assert.equal(fieldError(r.text, field), msg, what);
		has(r.text, 'aria-invalid="true"', what);
	};
	const p = `meas-${iid}`;
	await expect(await measure({ value: '5', measured_on: day(-400) }), `${p}-measured_on`,
		'The date cannot be before the baseline date of this indicator.', 'before the baseline');
	await expect(await measure({ value: '5', measured_on: day(2) }), `${p}-measured_on`, 'The date cannot be in the future.', 'in the future');
	await expect(await measure({ value: 'veel', measured_on: day(-2) }), `${p}-value`,
		'Fill in a number, like 120 or 12,5 (no thousands separator).', 'not a number');
	await expect(await measure({ value: '1.000,5', measured_on: day(-2) }), `${p}-value`,
		'Fill in a number, like 120 or 12,5 (no thousands separator).', 'thousands separator');
	await expect(await measure({ value: '1'.repeat(25), measured_on: day(-2) }), `${p}-value`,
		'Use at most 24 characters; now there are 25.', 'too long');
	await expect(await measure({ value: '7', measured_on: day(0) }), `${p}-measured_on`,
		'There is already a measurement on this date. Remove it first to correct it.', 'a replay of the same day');
	await expect(await measure({ value: '7', measured_on: day(-2), source_url: 'javascript:alert(1)' }), `${p}-source_url`,
		'Fill in a web address that starts with https:// or http://.', 'not a web address');
	// The failed form is shown again open, with the value as typed.
	const again = await measure({ value: 'veel', measured_on: day(-2) });
	has(again.text, `<details class="op-act-edit op-mon-measure" open>`);
	has(again.text, `id="${p}-value" name="value" value="veel"`);
	// The same as JSON.
	const j = await joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, { value: 'x', measured_on: day(-2) }, { json: true });
	statusIs(j, 422);
	assert.ok(j.json().error.fields.value);
	assert.equal((await indicator(ids.cr, iid)).measurement_count, before, 'nothing saved');

	const edit = form => joris.postc(`/actions/${ids.cr}/indicators/${iid}`, indicatorForm(form));
	const e = `ind-${iid}`;
	await expect(await edit({ target_value: '0' }), `${e}-target_value`, 'The target must differ from the baseline.', 'target equals baseline');
	await expect(await edit({ baseline_value: '1', target_value: '1,0' }), `${e}-target_value`,
		'The target must differ from the baseline.', 'equal written differently');
	await expect(await edit({ unit: 'bestanden' }), `${e}-unit`,
		'The unit cannot change once there are measurements. Add a new indicator for the new unit.', 'unit change');
	await expect(await edit({ target_value: '-5' }), `${e}-target_value`,
		'Higher is better: the target must be above the baseline.', 'the wrong direction');
	await expect(await edit({ baseline_on: day(-10) }), `${e}-baseline_on`,
		'There is a measurement before this date. The baseline comes first.', 'baseline after a measurement');
	await expect(await edit({ baseline_on: day(3), target_on: day(400) }), `${e}-baseline_on`,
		'The baseline date cannot be in the future.', 'baseline in the future');
	await expect(await edit({ target_on: day(-365) }), `${e}-target_on`,
		'The target date must be after the baseline date.', 'target date not after the baseline');
	await expect(await edit({ baseline_value: 'nul' }), `${e}-baseline_value`,
		'Fill in a number, like 120 or 12,5 (no thousands separator).', 'baseline not a number');
	await expect(await edit({ criterion_id: '999999' }), `${e}-criterion_id`, 'Choose one of the options.', 'no such criterion');
	const x = await indicator(ids.cr, iid);
	assert.equal(x.unit, 'datasets');
	assert.equal(x.target.value, 100);
	// A new indicator: the target equal to the baseline is refused too.
	const n = await joris.postc(`/actions/${ids.cr}/indicators`, indicatorForm({ baseline_value: '3', target_value: '3' }));
	await expect(n, 'new-ind-target_value', 'The target must differ from the baseline.', 'new: target equals baseline');

	// A member with until before from.
	const m = await org.postc('/forum/members', { email: PART.email, org_id: String(ids.osfOrg), role: 'member', from_on: '2022-01-01', until_on: '2021-12-31' });
	await expect(m, 'new-mem-until_on', 'The end date cannot be before the start date.', 'member until before from');
	assert.ok(!(await json(anon(), '/api/v1/forum')).members.some(x => x.from === '2022-01-01'), 'no member saved');
}

// Two people (or one impatient person) sending the same day's measurement
// at once: one is saved, the others are told at the field.
async function concurrent_measurements_of_one_day() {
	const iid = ids.ind;
	const before = (await indicator(ids.cr, iid)).measurement_count;
	const d = day(-50);
	const rs = await Promise.all([joris, org, joris, org, joris].map((c, i) =>
		c.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, { value: String(60 + i), measured_on: d })));
	const codes = rs.map(r => r.status).sort();
	assert.deepEqual(codes, [303, 422, 422, 422, 422], `statuses ${codes}`);
	for (const r of rs.filter(r => r.status === 422))
		assert.match(r.text, /There is already a measurement on this date/);
	const x = await indicator(ids.cr, iid);
	assert.equal(x.measurement_count, before + 1);
	assert.equal(x.measurements.filter(m => m.on === d).length, 1);
}

async function only_holders_and_organisers_keep_indicators() {
	const iid = ids.ind;
	const count = async () => (await indicator(ids.cr, iid)).measurement_count;
	const before = await count();
	const form = { value: '3', measured_on: day(-3) };
	statusIs(await anon().postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, form), 401, 'anonymous');
	for (const [who, c] of [['a participant', part], ['the holder of another action point', amira], ['a forum member', femke]]) {
		const r = await c.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, form);
		statusIs(r, 403, who);
		has(r.text, 'Only the holders of this action point and organisers may do this.');
		statusIs(await c.postc(`/actions/${ids.cr}/indicators`, indicatorForm()), 403, `${who}: new indicator`);
		statusIs(await c.postc(`/actions/${ids.cr}/indicators/${iid}/delete`), 403, `${who}: delete`);
	}
	assert.equal(await count(), before);
	// Another action point's indicator through this one's address: not found.
	const ddb = (await monitoring(ids.ddb)).indicators[0];
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${ddb.id}/measurements`, form), 404, 'indicator of another action point');
	statusIs(await joris.postc(`/actions/${ids.ddb}/indicators/${ddb.id}/measurements`, form), 403, 'not his action point');
	// Organisers may, on any action point (Open Raadsinformatie has no holder).
	const ori = (await monitoring(ids.ori)).indicators[0];
	statusIs(await org.postc(`/actions/${ids.ori}/indicators/${ori.id}/measurements`, { value: '152', measured_on: '2022-12-31' }), 303);
	assert.equal((await indicator(ids.ori, ori.id)).state, 'achieved');
	// Holders see the forms; others do not.
	has((await joris.get(`/actions/${ids.cr}`)).text, 'Record a measurement');
	hasNot((await femke.get(`/actions/${ids.cr}`)).text, 'Record a measurement');
	hasNot((await amira.get(`/actions/${ids.cr}`)).text, 'Add an indicator');
	// Nobody works on an archived action point.
	statusIs(await org.postc(`/actions/${ids.klachten}/archive`), 303);
	const r = await org.postc(`/actions/${ids.klachten}/indicators`, indicatorForm());
	statusIs(r, 409, 'archived');
	statusIs(await org.postc(`/actions/${ids.klachten}/restore`), 303);
}

// ---------- the assessment ----------

async function assessment_in_every_voice() {
	const design = { verifiable: 'yes', lens: 'yes', ogp_values: 'information', potential: 'modest', design_note: 'Te controleren.' };
	const end = { completion: 'substantial', opened: 'marginal', end_note: 'Bijna af.' };
	const url = v => `/actions/${ids.ddb}/assessments/${v}`;
	// Femke reviews for the forum; she may not write the holder's voice.
	statusIs(await femke.postc(`/actions/${ids.ddb}/review`, { ...design, ...end }), 303);
	statusIs(await femke.postc(url('holder'), design), 403, 'a member is not the holder');
	// The Direct Duidelijk Brigade's contact person is an organiser in the demo;
	// Joris holds Contract Register and writes its self-assessment.
	statusIs(await joris.postc(`/actions/${ids.cr}/assessments/holder`, { ...design, ...end }), 303);
	statusIs(await joris.postc(`/actions/${ids.cr}/assessments/organiser`, design), 403, 'a holder is not the organiser');
	statusIs(await joris.postc(`/actions/${ids.cr}/assessments/irm`, design), 403);
	statusIs(await part.postc(`/actions/${ids.cr}/review`, design), 403, 'only forum members review');
	// A member who holds the action point does not review it for the forum.
	const dual = await joris.postc(`/actions/${ids.cr}/review`, design);
	statusIs(dual, 403, 'dual role');
	has(dual.text, 'You hold this action point');
	statusIs(await org.postc(url('organiser'), { ...design, ...end, completion: 'complete' }), 303);
	statusIs(await org.postc(url('irm'), { ...design, potential: 'unclear' }), 303);
	statusIs(await org.postc(url('nobody'), design), 404);
	const a = (await monitoring(ids.ddb)).assessment;
	assert.equal(a.organiser.end.completion, 'complete');
	assert.equal(a.irm.design.potential, 'unclear');
	assert.equal(a.irm.end.completion, null);
	assert.ok(a.forum.some(x => x.organisation?.name === 'Universiteit Utrecht' && x.end.completion === 'substantial'));
	const holder = (await monitoring(ids.cr)).assessment.holder;
	assert.deepEqual(holder.design.ogp_values, ['information']);
	assert.equal(holder.end.opened, 'marginal');
	// The report follows the organiser's final text.
	const r = await json(anon(), '/api/v1/monitor/report');
	assert.equal(r.completion.find(x => x.level === 'complete').count, 2, 'the DDB was complete already');
	// Bad input: a level without its explanation, an unknown OGP value, nothing at all.
	const v = await org.postc(url('organiser'), { completion: 'limited' });
	statusIs(v, 422);
	assert.equal(fieldError(v.text, 'as-organiser-end_note'), 'Explain the assessment at the end.');
	const w = await org.postc(url('organiser'), { ogp_values: 'magic', potential: 'modest', design_note: 'x' });
	statusIs(w, 422);
	assert.equal(fieldError(w.text, 'as-organiser-ogp_values'), 'Choose one of the options.');
	const e = await femke.postc(`/actions/${ids.ddb}/review`, {});
	statusIs(e, 422);
	assert.equal(fieldError(e.text, 'as-review-verifiable'), 'Fill in at least one part of the assessment.');
	const bad = await org.postc(url('organiser'), { completion: 'finished', end_note: 'x' });
	statusIs(bad, 422);
	assert.equal((await monitoring(ids.ddb)).assessment.organiser.end.completion, 'complete', 'nothing saved');
	// The holder reacts to the finding; where there is none, that is refused.
	statusIs(await joris.postc(`/actions/${ids.cr}/reaction`, { body: 'Het zijn er vijf, niet twee.' }), 303);
	assert.equal((await monitoring(ids.cr)).reaction.body, 'Het zijn er vijf, niet twee.');
	const none = await amira.postc(`/actions/${ids.pionier}/reaction`, { body: 'Reactie' });
	statusIs(none, 409);
	has(none.text, 'There is no finding of the independent reviewer to react to yet.');
	statusIs(await femke.postc(`/actions/${ids.cr}/reaction`, { body: 'x' }), 403, 'not the holder');
	// The holders hear of the reviewer's finding on their action point.
	const told = (await json(joris, '/api/v1/notifications')).notifications;
	assert.ok(!told.some(n => n.kind === 'monitor.finding'), 'no finding on Contract Register was entered');
	statusIs(await org.postc(`/actions/${ids.cr}/assessments/irm`, { ...design, ...end }), 303);
	const told2 = (await json(joris, '/api/v1/notifications')).notifications;
	assert.equal(told2.filter(n => n.kind === 'monitor.finding').length, 1);
}

// ---------- concerns ----------

async function concerns_flagged_answered_closed() {
	const body = 'Wanneer komt het register zelf? Het prototype is al twee keer uitgesteld.';
	statusIs(await part.postc(`/actions/${ids.cr}/concerns`, { body }), 403, 'only forum members flag');
	statusIs(await femke.postc(`/actions/${ids.cr}/concerns`, { body: '' }), 422);
	const r = await femke.postc(`/actions/${ids.cr}/concerns`, { body });
	statusIs(r, 303);
	assert.equal(r.location, `/actions/${ids.cr}#concerns`);
	const c = (await monitoring(ids.cr)).concerns.find(x => x.body === body);
	assert.equal(c.status, 'open');
	assert.equal(c.organisation.name, 'Universiteit Utrecht');
	// visible on the action point, for everyone
	has((await anon().get(`/actions/${ids.cr}`)).text, 'Wanneer komt het register zelf?');
	// the holder and the organisers are told, not the member herself
	assert.ok((await json(joris, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern'));
	assert.ok((await json(org, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern'));
	assert.ok(!(await json(femke, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern'));
	// only a holder of this action point answers
	statusIs(await amira.postc(`/actions/${ids.cr}/concerns/${c.id}/answer`, { answer: 'x' }), 403);
	statusIs(await femke.postc(`/actions/${ids.cr}/concerns/${c.id}/answer`, { answer: 'x' }), 403);
	statusIs(await joris.postc(`/actions/${ids.cr}/concerns/${c.id}/answer`, { answer: 'In het voorjaar.' }), 303);
	statusIs(await joris.postc(`/actions/${ids.ddb}/concerns/${c.id}/answer`, { answer: 'x' }), 403, 'wrong action point');
	let now = (await monitoring(ids.cr)).concerns.find(x => x.id === c.id);
	assert.equal(now.status, 'answered');
	assert.equal(now.answer, 'In het voorjaar.');
	assert.ok((await json(femke, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern_answered'));
	// only an organiser closes; then it stays closed
	statusIs(await joris.postc(`/actions/${ids.cr}/concerns/${c.id}/close`, { note: '' }), 403);
	statusIs(await org.postc(`/actions/${ids.cr}/concerns/${c.id}/close`, { note: 'Besproken in het forum.' }), 303);
	now = (await monitoring(ids.cr)).concerns.find(x => x.id === c.id);
	assert.equal(now.status, 'closed');
	assert.ok(now.closed_at > 0);
	const again = await org.postc(`/actions/${ids.cr}/concerns/${c.id}/close`, { note: '' });
	statusIs(again, 409, 'closed twice');
	has(again.text, 'This concern is closed.');
	statusIs(await joris.postc(`/actions/${ids.cr}/concerns/${c.id}/answer`, { answer: 'Nog iets' }), 409, 'answer a closed one');
	assert.ok((await json(femke, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern_closed'));
	assert.ok((await json(joris, '/api/v1/notifications')).notifications.some(n => n.kind === 'monitor.concern_closed'));
	// the dashboard lists only concerns that are not closed
	assert.ok(!(await json(anon(), '/api/v1/monitor')).concerns.items.some(x => x.id === c.id));
}

// ---------- the forum ----------

async function organiser_keeps_the_forum_and_the_warnings_follow() {
	const f0 = await json(anon(), '/api/v1/forum');
	assert.equal(f0.composition.rule_broken, true);
	// Add a member from outside government.
	const bad = await org.postc('/forum/members', { email: 'nobody@e2e.example', org_id: String(ids.osfOrg), role: 'member', from_on: day(0) });
	statusIs(bad, 422);
	assert.equal(fieldError(bad.text, 'new-mem-email'), 'Nobody has an account with this e-mail address yet. Ask the person to sign up first.');
	statusIs(await org.postc('/forum/members', { email: PART.email, org_id: String(ids.osfOrg), role: 'member', from_on: day(0) }), 303);
	const f1 = await json(anon(), '/api/v1/forum');
	assert.deepEqual(f1.composition, { counted: 9, government: 5, non_government: 4, non_government_pct: 44, rule_broken: true });
	// Twice in the same period: refused at the start date.
	const twice = await org.postc('/forum/members', { email: PART.email, org_id: String(ids.osfOrg), role: 'observer', from_on: day(-10) });
	statusIs(twice, 422);
	assert.equal(fieldError(twice.text, 'new-mem-from_on'), 'This person is already a member of the forum in this period.');
	// The new member may flag a concern now.
	statusIs(await part.postc(`/actions/${ids.cr}/concerns`, { body: 'Een vraag van een nieuw lid.' }), 303);
	// An observer does not count; a member whose term ended neither.
	const mid = f1.members.find(m => m.from === day(0)).id;
	statusIs(await org.postc(`/forum/members/${mid}`, { org_id: String(ids.osfOrg), role: 'observer', from_on: day(0), until_on: '' }), 303);
	assert.equal((await json(anon(), '/api/v1/forum')).composition.counted, 8);
	const until = await org.postc(`/forum/members/${mid}`, { org_id: String(ids.osfOrg), role: 'member', from_on: day(0), until_on: day(-1) });
	statusIs(until, 422);
	assert.equal(fieldError(until.text, `mem-${mid}-until_on`), 'The end date cannot be before the start date.');
	// The rule itself is the forum's to set: at least 35% makes 3 of 8 enough.
	statusIs(await org.postc('/forum/settings', { min_nongov: '35', meetings_per_year: '4' }), 303);
	const f2 = await json(anon(), '/api/v1/forum');
	assert.equal(f2.composition.rule_broken, false);
	hasNot((await anon().get('/forum')).text, 'The composition breaks the forum');
	const s = await org.postc('/forum/settings', { min_nongov: '50', meetings_per_year: '1' });
	statusIs(s, 422);
	assert.equal(fieldError(s.text, 'fs-meetings_per_year'), 'Fill in a whole number from 2 to 12.');
	// The cadence: four a year means at most 92 days apart.
	assert.equal(f2.cadence.rule_days, 92);
	statusIs(await org.postc('/forum/settings', { min_nongov: '50', meetings_per_year: '2' }), 303);
	assert.equal((await json(anon(), '/api/v1/forum')).cadence.rule_days, 183);
	// Removing the membership: the person can no longer flag.
	statusIs(await org.postc(`/forum/members/${mid}/delete`), 303);
	statusIs(await part.postc(`/actions/${ids.cr}/concerns`, { body: 'Nog een vraag.' }), 403);
	// Rules of procedure: a new version, the old ones stay.
	const r = await org.postc('/forum/rules/publish', { body: '## Taak\n\nToezicht houden.', note: 'Korter.' });
	statusIs(r, 303);
	const rules = await json(anon(), '/api/v1/forum/rules');
	assert.deepEqual(rules.versions.map(v => v.version), [3, 2, 1]);
	assert.equal((await json(anon(), '/api/v1/forum')).rules.version, 3);
	has((await anon().get('/forum')).text, '<h2>Taak</h2>');
	statusIs(await joris.postc('/forum/rules/publish', { body: 'x' }), 403);
	statusIs(await org.postc('/forum/rules/publish', { body: '' }), 422);
}

const daysBetween = (a, b) => Math.round((Date.parse(b) - Date.parse(a)) / 86400000);

// The forum's meetings are the agenda's sessions of kind "forum": the
// warnings follow what organisers plan and cancel there.
async function cadence_follows_the_forum_meetings() {
	const forum = () => json(anon(), '/api/v1/forum');
	let f = await forum();
	// The demo: four meetings in 2021 (the first with its report), the next a month from now.
	assert.deepEqual(f.meetings.past.map(m => m.on), ['2021-12-09', '2021-09-16', '2021-06-17', '2021-03-18']);
	assert.deepEqual(f.meetings.past.map(m => m.report), [false, false, false, true]);
	assert.equal(f.meetings.next.length, 1);
	const next = f.meetings.next[0];
	const gap = daysBetween('2021-12-09', next.on);
	assert.deepEqual(f.cadence, { no_meetings: false, rule_days: 92, none_planned: false, gap_days: gap, ogp_max_days: 184,
		rule_broken: true, ogp_broken: true });
	let page = (await anon().get('/forum')).text;
	has(page, `The next meeting is ${gap} days after the last one: longer than the forum&#39;s own rule of 4 meetings a year (at most 92 days apart).`);
	has(page, 'That is also longer than the OGP&#39;s minimum of a meeting every six months (184 days).');
	has(page, `href="/sessions/${f.meetings.past[3].session_id}#report"`);
	// An organiser adds the meeting held 20 days ago: 50 days to the next one.
	const meeting = async (on, title) => {
		const r = await org.postc('/agenda/new', { title, kind: 'forum', date: on, start_time: '14:00', end_time: '16:00', mode: 'online', meeting_url: 'https://meet.example.nl/forum' });
		statusIs(r, 303, 'new session');
		const id = Number(r.location.match(/\/sessions\/(\d+)/)[1]);
		statusIs(await org.postc(`/sessions/${id}/publish`), 303, 'publish');
		return id;
	};
	await meeting(day(-20), 'Forum, ingehaald');
	f = await forum();
	assert.equal(f.cadence.gap_days, daysBetween(day(-20), next.on));
	assert.equal(f.cadence.rule_broken, false);
	assert.equal(f.cadence.ogp_broken, false);
	hasNot((await anon().get('/forum')).text, 'days after the last one');
	// The next one cancelled: nothing planned, 20 days since the last is still within the rule.
	statusIs(await org.postc(`/sessions/${next.session_id}/cancel`), 303);
	f = await forum();
	assert.equal(f.cadence.none_planned, true);
	assert.equal(f.cadence.rule_broken, false);
	assert.ok(f.meetings.next.some(m => m.session_id === next.session_id && m.cancelled), 'shown as cancelled');
	has((await anon().get('/forum')).text, 'No next meeting of the forum is planned.');
	// Planned 120 days from now: the forum's own rule is broken, the OGP's is not.
	const in120 = await meeting(day(120), 'Forum, laat');
	f = await forum();
	assert.equal(f.cadence.gap_days, 140);
	assert.equal(f.cadence.rule_broken, true);
	assert.equal(f.cadence.ogp_broken, false);
	page = (await anon().get('/forum')).text;
	has(page, 'The next meeting is 140 days after the last one');
	hasNot(page, 'That is also longer than the OGP');
	// Only one 200 days from now: both.
	await meeting(day(200), 'Forum, te laat');
	statusIs(await org.postc(`/sessions/${in120}/cancel`), 303);
	f = await forum();
	assert.equal(f.cadence.gap_days, 220);
	assert.equal(f.cadence.rule_broken && f.cadence.ogp_broken, true);
}

// ---------- the watcher ----------

async function a_missing_measurement_is_told_to_the_holder_once() {
	const kinds = async () => (await json(joris, '/api/v1/notifications')).notifications.filter(n => n.kind === 'monitor.measurement_due');
	// Measured monthly from 100 days ago, never measured: due 70 days ago.
	const iid = await addIndicator(joris, ids.cr, { title: 'Bezoekers van het register', unit: 'bezoekers', frequency: 'monthly',
		baseline_on: day(-100), target_on: day(300) });
	let told = [];
	for (let i = 0; i < 50 && !told.length; i++) {
		await new Promise(r => setTimeout(r, 200));
		told = (await kinds()).filter(n => n.url.endsWith(`#indicator-${iid}`));
	}
	assert.equal(told.length, 1, 'told within ten seconds');
	assert.match(told[0].text, /A measurement is due and missing: “Bezoekers van het register — Contract Register/);
	await new Promise(r => setTimeout(r, 2500)); // two more rounds of the watcher
	assert.equal((await kinds()).filter(n => n.url.endsWith(`#indicator-${iid}`)).length, 1, 'told once');
	assert.equal((await indicator(ids.cr, iid)).overdue, true);
	// A measurement of today: nothing is due now.
	statusIs(await joris.postc(`/actions/${ids.cr}/indicators/${iid}/measurements`, { value: '12', measured_on: day(0) }), 303);
	assert.equal((await indicator(ids.cr, iid)).overdue, false);
}

// ---------- a person's own data ----------

async function own_data_and_erasure() {
	const r = await femke.get('/account/data');
	statusIs(r, 200);
	const d = r.json().monitoring;
	assert.equal(d.forum_memberships.length, 1);
	assert.equal(d.forum_memberships[0].organisation.name, 'Universiteit Utrecht');
	assert.ok(d.reviews.length >= 2, 'her reviews');
	assert.ok(d.concerns.some(c => c.flagged_by_you), 'her concerns');
	assert.ok(!r.text.includes(JORIS), 'nobody else in it');
	const jd = (await (await joris.get('/account/data')).json()).monitoring;
	assert.ok(jd.measurements.some(m => m.indicator === 'Datasets gepubliceerd'), 'what he measured');
	assert.ok(jd.concerns.some(c => !c.flagged_by_you && c.answer), 'what he answered');
	// Erased: the membership goes, the forum's record stays, anonymous.
	const cr = await monitoring(ids.cr);
	statusIs(await femke.postc('/account/erase', { password: DEMO_PW, understood: '1' }), 303);
	const f = await json(anon(), '/api/v1/forum');
	assert.ok(!f.members.some(m => m.organisation.name === 'Universiteit Utrecht'), 'membership gone');
	const after = await monitoring(ids.cr);
	assert.equal(after.assessment.forum.length, cr.assessment.forum.length, 'reviews stay');
	assert.equal(after.concerns.length, cr.concerns.length, 'concerns stay');
	hasNot((await org.get(`/actions/${ids.cr}`)).text, 'Femke Visser');
}

const tests = [
	demo_history_is_not_news, public_dashboard_shows_the_demo, public_report_and_forum, the_public_sees_no_personal_data,
	organiser_keeps_the_criteria, holder_defines_an_indicator_and_measures_it, bad_input_is_refused_at_the_field,
	concurrent_measurements_of_one_day, only_holders_and_organisers_keep_indicators, assessment_in_every_voice, concerns_flagged_answered_closed,
	cadence_follows_the_forum_meetings, organiser_keeps_the_forum_and_the_warnings_follow,
	a_missing_measurement_is_told_to_the_holder_once, own_data_and_erasure,
];

await runSuite(tests, {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		for (const [u, role] of [[ORGANISER, 'organiser'], [PART, 'participant']])
			mustCli(['user', 'add', '--db', DB, '--email', u.email, '--name', u.name, '--role', role], PW + '\n');
		S = new Server('monitor', DB, { OPENPLAN_IP_LIMIT: '100000', OPENPLAN_MONITOR_CHECK_SECONDS: '1' });
		await S.start();
		org = await signedIn(ORGANISER.email, PW);
		part = await signedIn(PART.email, PW);
		joris = await signedIn(JORIS, DEMO_PW);
		amira = await signedIn(AMIRA, DEMO_PW);
		femke = await signedIn(FEMKE, DEMO_PW);
		const list = (await anon().get('/api/v1/action-points')).json().action_points;
		const find = frag => { const p = list.find(x => x.title.startsWith(frag)); assert.ok(p, frag); return p.id; };
		ids.cr = find('Contract Register');
		ids.ddb = find('Direct Duidelijk Brigade');
		ids.ori = find('Open Raadsinformatie');
		ids.pionier = find('Pioniersnetwerk');
		ids.klachten = find('Klachten openbaar maken');
		const orgs = (await anon().get('/api/v1/organisations')).json().organisations;
		ids.osfOrg = orgs.find(o => o.name === 'Open State Foundation').id;
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
