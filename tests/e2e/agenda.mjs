#!/usr/bin/env node
// agenda.mjs — HTTP end-to-end tests of sessions and the agenda (issue 13):
// the public agenda with its filters and the demo's sessions, reports and
// links; the organiser's path (a draft with a preview, publishing, editing,
// cancelling, registrations, attendance, the attendee CSV, the report);
// the participant's path (register, the waitlist, cancel, automatic
// promotion with a notification); 200 concurrent registrations for 50
// places; moderation of submitted events; calendar files read back by a
// real iCalendar parser (python3-icalendar); the idea board (notes, dots,
// moves, the live stream, exports, authors for organisers only); the table
// conversation and its draft action point; and every bad input the issue
// names, with its exact answer.
//   node tests/e2e/agenda.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, fieldError, statusIs, db,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const HERE = path.dirname(fileURLToPath(import.meta.url));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-agenda-'));
const DB = path.join(TMP, 'agenda.db');
const PW = 'correct horse battery';
const DEMO_PW = 'demo-wachtwoord';
const ORGANISER = { email: 'agenda-organiser@e2e.example', name: 'Olga Organiser' };
const PART = { email: 'agenda-participant@e2e.example', name: 'Pim Participant' };
const OTHER = { email: 'agenda-other@e2e.example', name: 'Otto Other' };
const FOLLOWER = { email: 'agenda-follower@e2e.example', name: 'Fenna Follower' };
const ADMIN = { email: 'agenda-admin@e2e.example', name: 'Ada Admin' };
const PYTHON = '/usr/bin/python3';

let S, org, part, other;
const anon = () => new Client(S.base, { lang: 'en' });
const sessions = {}; // demo title -> id

async function signedIn(email, password) {
	const c = anon();
	await c.signin(email, password);
	return c;
}

// Local Amsterdam date "YYYY-MM-DD" n days from now.
function day(n) {
	const d = new Date(Date.now() + n * 86400000);
	return d.toLocaleDateString('sv-SE', { timeZone: 'Europe/Amsterdam' });
}

const baseSession = (over = {}) => ({
	title: 'E2E sessie', kind: 'thinkalong', description: 'Een **test**.', date: day(20),
	start_time: '14:00', end_time: '16:00', mode: 'online', meeting_url: 'https://meet.example/e2e',
	address: '', capacity: '', waitlist: '1', ...over,
});

// Creates and publishes a session as the organiser; returns its id.
async function createSession(over = {}, publish = true) {
	const r = await org.postc('/agenda/new', baseSession(over));
	statusIs(r, 303, 'create session');
	const id = Number(r.location.match(/\/sessions\/(\d+)/)[1]);
	if (publish) statusIs(await org.postc(`/sessions/${id}/publish`), 303, 'publish');
	return id;
}

function readIcal(text) {
	const r = spawnSync(PYTHON, [path.join(HERE, 'ical_read.py')], { input: text, encoding: 'utf8' });
	assert.equal(r.status, 0, `the iCalendar parser refused the file: ${r.stderr}`);
	return JSON.parse(r.stdout);
}

// ---------- the public ----------

async function public_agenda_with_filters_without_javascript() {
	const c = anon();
	let r = await c.get('/agenda');
	statusIs(r, 200, '/agenda');
	has(r.text, 'Volgende bijeenkomst stakeholderforum', 'upcoming forum');
	hasNot(r.text, 'Meedenksessie Open Inkoop', 'past sessions are not upcoming');
	hasNot(r.text, 'Meetup online participatie', 'a submitted event is not in the agenda');
	has(r.text, '<form class="op-agenda-filters" method="get" action="/agenda"');
	r = await c.get('/agenda?when=past');
	for (const t of ['Meedenksessie Open Inkoop', 'Meedenksessie Open Communicatie', 'Meedenksessie Open Justice',
		'Meedenksessie Open Organisatie', 'Meedenksessie Open Technologie (deel I)', 'Meedenksessie Open Technologie (deel II)',
		'Tafelgesprek Cultuur van Open Overheid', 'Online sneak preview van het nieuwe actieplan',
		'Stakeholderforum: blik op de toekomst', 'Actiehoudersbijeenkomst: voortgang'])
		has(r.text, t, 'past agenda');
	const themes = (await c.get('/api/v1/plan')).json().plan.themes;
	const inkoop = themes.find(t => t.name === 'Open Inkoop').id;
	r = await c.get(`/agenda?when=past&theme=${inkoop}`);
	has(r.text, 'Meedenksessie Open Inkoop');
	hasNot(r.text, 'Meedenksessie Open Communicatie', 'theme filter');
	has(r.text, `href="/agenda/themes/${inkoop}/calendar.ics"`, 'theme feed link');
	r = await c.get('/agenda?when=past&kind=table');
	has(r.text, 'Tafelgesprek Cultuur van Open Overheid');
	hasNot(r.text, 'Meedenksessie Open Inkoop', 'kind filter');
	r = await c.get('/agenda?when=past&mode=physical');
	has(r.text, 'Tafelgesprek Cultuur van Open Overheid');
	has(r.text, 'Actiehoudersbijeenkomst: voortgang', 'both counts as physical');
	hasNot(r.text, 'Meedenksessie Open Inkoop', 'mode filter');
	const j = (await c.get('/api/v1/sessions?when=past&mode=online')).json().sessions;
	assert.ok(j.length >= 8 && j.every(s => s.mode !== 'physical'), 'online filter as JSON');
	statusIs(await c.get('/agenda?kind=party'), 400, 'unknown kind');
	statusIs(await c.get('/agenda?theme=abc'), 400, 'theme not a number');
	statusIs(await c.get('/agenda?mode=moon'), 400, 'unknown mode');
}

async function demo_sessions_reports_and_links() {
	const c = anon();
	const all = (await c.get('/api/v1/sessions?when=past')).json().sessions;
	for (const s of all) sessions[s.title] = s.id;
	const inkoop = (await c.get(`/api/v1/sessions/${sessions['Meedenksessie Open Inkoop']}`)).json();
	assert.ok(inkoop.action_points.some(a => a.title.startsWith('Contract Register')), 'Open Inkoop → Contract Register');
	assert.match(inkoop.report, /Direct Duidelijk Brigade/);
	assert.equal(inkoop.starts_at, '2020-10-14T10:00:00+02:00', 'summer time in October');
	assert.equal(inkoop.meeting_url, null, 'no meeting link for the public');
	assert.ok(Array.isArray(inkoop.board_ranking) && inkoop.board_ranking.length >= 5, 'ranked board in the report');
	const comm = (await c.get(`/api/v1/sessions/${sessions['Meedenksessie Open Communicatie']}`)).json();
	assert.ok(comm.action_points.some(a => a.title === 'Direct Duidelijk Brigade'), 'Open Communicatie → Direct Duidelijk Brigade');
	const preview = (await c.get(`/api/v1/sessions/${sessions['Online sneak preview van het nieuwe actieplan']}`)).json();
	assert.equal(preview.starts_at, '2020-12-01T15:00:00+01:00', 'winter time in December');
	assert.equal(preview.capacity, 12);
	assert.equal(preview.places_taken, 12);
	assert.equal(preview.waiting, 3, 'the sneak preview has a waitlist');
	const forum = (await c.get(`/api/v1/sessions/${sessions['Stakeholderforum: blik op de toekomst']}`)).json();
	assert.equal(forum.starts_at.slice(0, 10), '2021-03-18');
	assert.equal(forum.poll_reports.length, 1, 'the live poll report is attached');
	const forums = all.filter(s => s.kind === 'forum' && s.starts_at.startsWith('2021'));
	assert.equal(forums.length, 4, 'the forum meets four times a year');
	const table = (await c.get(`/api/v1/sessions/${sessions['Tafelgesprek Cultuur van Open Overheid']}`)).json();
	assert.equal(table.starts_at.slice(0, 10), '2020-06-17');
	assert.deepEqual(table.table.tasks.map(t => t.title), ['Versimpelen regels, informatie vinden', 'Burgers en bedrijven betrekken',
		'Ambassadeurschap', 'Overall visie', 'Verzamelen best practices', 'Know how: hoe krijg je openheid?']);
	const bp = table.table.tasks[4];
	assert.match(bp.minimal, /vijf interessante voorbeelden/);
	assert.match(bp.maximal, /escape-bus/);
	assert.equal(bp.needs, 'Sponsors');
	assert.match(bp.involve, /VNG/);
	assert.equal(bp.lead.name, 'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties');
	assert.equal(table.table.participants.length, 5, 'only people who consented are named');
	assert.equal(table.table.unnamed, 3);
	// The report shows on the action point it names, and on its theme.
	const cr = inkoop.action_points.find(a => a.title.startsWith('Contract Register')).id;
	let r = await c.get(`/actions/${cr}`);
	has(r.text, 'Sessions and reports', 'the action point page has the section');
	has(r.text, `href="/sessions/${inkoop.id}#report"`, 'the report on the action point');
	r = await c.get(`/agenda/themes/${inkoop.themes[0].id}`);
	has(r.text, 'Het Contract Register', 'the report on its theme page');
	r = await c.get('/');
	has(r.text, 'id="h-agenda"', 'upcoming sessions on the home page');
	has(r.text, 'Volgende bijeenkomst stakeholderforum');
}

async function session_page_says_the_registration_state_plainly() {
	const next = (await anon().get('/api/v1/sessions')).json().sessions.find(s => s.title === 'Volgende bijeenkomst stakeholderforum');
	let r = await anon().get(`/sessions/${next.id}`);
	has(r.text, 'You are not registered. There is a place for you.');
	has(r.text, `href="/signin?next=/sessions/${next.id}"`);
	const past = await anon().get(`/sessions/${sessions['Meedenksessie Open Inkoop']}`);
	has(past.text, 'This session is over.');
	// A demo person on the sneak preview's waitlist sees their place.
	const lotte = await signedIn('lotte.visser@openplan.example', DEMO_PW);
	r = await lotte.get(`/sessions/${sessions['Online sneak preview van het nieuwe actieplan']}`);
	has(r.text, 'You are registered for this session.');
	has(r.text, 'https://meet.openplan.example/', 'registered people see the meeting link');
	const zoe = await signedIn('zoe.vermeulen@openplan.example', DEMO_PW);
	r = await zoe.get(`/sessions/${sessions['Online sneak preview van het nieuwe actieplan']}`);
	has(r.text, 'You are on the waitlist, place 3.');
	hasNot(r.text, 'https://meet.openplan.example/', 'the waitlist does not see the link');
	// Cancelling after the start: refused, nothing changes.
	r = await lotte.postc(`/api/v1/sessions/${sessions['Online sneak preview van het nieuwe actieplan']}/unregister`);
	statusIs(r, 409, 'cancel after the start');
	assert.equal(r.json().error.message, 'The session has started; you can no longer cancel.');
	r = await lotte.postc(`/api/v1/sessions/${sessions['Meedenksessie Open Inkoop']}/register`);
	statusIs(r, 409, 'register for a past session');
	assert.equal(r.json().error.message, 'This session has already started; you can no longer register.');
}

// ---------- the organiser ----------

async function organiser_drafts_previews_publishes_and_edits() {
	const r0 = await org.postc('/agenda/new', baseSession({ title: 'Concept-sessie Open Data' }));
	statusIs(r0, 303);
	const id = Number(r0.location.match(/\/sessions\/(\d+)/)[1]);
	statusIs(await anon().get(`/sessions/${id}`), 404, 'a draft is hidden from the public');
	statusIs(await part.get(`/sessions/${id}`), 404, 'and from participants');
	assert.ok(!(await anon().get('/api/v1/sessions')).json().sessions.some(s => s.id === id), 'not in the agenda');
	let r = await org.get(`/sessions/${id}`);
	has(r.text, 'Preview: this session is a draft.');
	statusIs(await part.postc(`/sessions/${id}/publish`), 403, 'participants do not publish');
	statusIs(await org.postc(`/sessions/${id}/publish`), 303);
	r = await org.postc(`/sessions/${id}/publish`, {}, { json: true });
	statusIs(r, 409, 'publishing twice');
	assert.equal(r.json().error.message, 'Only a draft can be published.');
	r = await anon().get(`/api/v1/sessions/${id}`);
	statusIs(r, 200, 'published');
	assert.equal(r.json().sequence, 1);
	// Edit: themes, an action point, a place; SEQUENCE rises.
	const plan = (await anon().get('/api/v1/plan')).json().plan;
	const theme = plan.themes.find(t => t.name === 'Open Informatie').id;
	r = await org.postc(`/sessions/${id}/edit`, { ...baseSession({ title: 'Sessie Open Data', mode: 'both', address: 'Den Haag' }), theme });
	statusIs(r, 303, 'edit');
	const s = (await anon().get(`/api/v1/sessions/${id}`)).json();
	assert.equal(s.title, 'Sessie Open Data');
	assert.equal(s.sequence, 2);
	assert.deepEqual(s.themes.map(t => t.id), [theme]);
	// A theme of no plan: at the themes, nothing saved.
	r = await org.postc(`/sessions/${id}/edit`, { ...baseSession({ title: 'Kapot' }), theme: '999999' }, { json: true });
	statusIs(r, 422, 'unknown theme');
	assert.ok(r.json().error.fields.themes);
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().title, 'Sessie Open Data', 'nothing half-written');
}

async function bad_session_input_is_said_at_the_field() {
	const cases = [
		[{ end_time: '13:00' }, 'end_time', 'The end must be after the start.'],
		[{ start_time: '25:00' }, 'start_time', 'Fill in a time like 14:00.'],
		[{ date: '2031-03-30', start_time: '02:30', end_time: '04:00' }, 'start_time',
			'This time does not exist in the Netherlands: the clocks go forward an hour that night. Choose another time.'],
		[{ meeting_url: '' }, 'meeting_url', 'Fill in the meeting link of an online session.'],
		[{ mode: 'physical', address: '' }, 'address', 'Fill in the address of a session on location.'],
		[{ capacity: 'veel' }, 'capacity', 'Fill in a whole number from 1 to 100000.'],
		[{ closes_date: day(25) }, 'closes_date', 'Registration must close before the session starts.'],
		[{ opens_date: day(10), closes_date: day(5) }, 'closes_date', 'Registration must close after it opens.'],
	];
	const before = (await org.get('/api/v1/sessions', { json: true })).json().sessions.length;
	for (const [over, field, msg] of cases) {
		const r = await org.postc('/agenda/new', baseSession(over));
		statusIs(r, 422, `${field}`);
		assert.equal(fieldError(r.text, `session-${field}`), msg.replace(/'/g, '&#39;'), `message at ${field}`);
	}
	assert.equal((await org.get('/api/v1/sessions', { json: true })).json().sessions.length, before, 'nothing saved');
	// The autumn's double hour is the first one (summer time).
	const id = await createSession({ date: '2031-10-26', start_time: '02:30', end_time: '04:00' });
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().starts_at, '2031-10-26T02:30:00+02:00');
}

// ---------- registrations ----------

async function two_hundred_register_at_once_for_fifty_places() {
	const id = await createSession({ title: 'Drukke sessie', capacity: '50' });
	const r = spawnSync(PYTHON, [path.join(HERE, 'agenda_people.py'), db(DB), '200', 'race'], { encoding: 'utf8' });
	assert.equal(r.status, 0, r.stderr);
	const people = r.stdout.trim().split('\n').map(l => JSON.parse(l));
	assert.equal(people.length, 200);
	// Each person's form token (bound to their session), from a page.
	for (const p of people) {
		const page = await (await fetch(`${S.base}/account`, { headers: { Cookie: `op_session=${p.token}` } })).text();
		p.csrf = page.match(/name="_csrf" value="([^"]*)"/)[1];
	}
	const post = (p, what) => fetch(`${S.base}/api/v1/sessions/${id}/${what}`, {
		method: 'POST',
		headers: { Cookie: `op_session=${p.token}; op_csrf=${p.csrf}`, 'Content-Type': 'application/x-www-form-urlencoded' },
		body: `_csrf=${encodeURIComponent(p.csrf)}`,
	});
	const answers = await Promise.all(people.map(p => post(p, 'register')
		.then(async res => ({ status: res.status, body: await res.json(), person: p }))));
	const bad = answers.filter(a => a.status !== 200);
	assert.deepEqual(bad.map(a => `${a.status} ${JSON.stringify(a.body)}`), [], 'every registration answered 200');
	const reg = answers.filter(a => a.body.registration.status === 'registered');
	const wait = answers.filter(a => a.body.registration.status === 'waitlist');
	assert.equal(reg.length, 50, 'exactly 50 places');
	assert.equal(wait.length, 150, 'exactly 150 on the waitlist');
	assert.deepEqual(wait.map(a => a.body.registration.place).sort((a, b) => a - b), Array.from({ length: 150 }, (_, i) => i + 1),
		'waitlist places 1..150, each once');
	// The organiser's view agrees, in arrival order.
	const list = (await org.get(`/sessions/${id}/registrations`, { json: true })).json();
	assert.equal(list.registered.length, 50);
	assert.equal(list.waitlist.length, 150);
	assert.deepEqual(list.waitlist.map(w => w.place), Array.from({ length: 150 }, (_, i) => i + 1));
	for (const a of wait) {
		const row = list.waitlist.find(w => w.email === a.person.email);
		assert.equal(row.place, a.body.registration.place, 'each person kept the place they were told');
	}
	const s = (await anon().get(`/api/v1/sessions/${id}`)).json();
	assert.equal(s.places_taken, 50);
	assert.equal(s.waiting, 150);
	// Registering twice: the same answer, one registration.
	const again = await post(reg[0].person, 'register');
	assert.equal(again.status, 200);
	assert.equal((await again.json()).registration.status, 'registered');
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().places_taken, 50, 'still one registration');
	// Lowering the capacity below the number registered: at the field.
	const low = await org.postc(`/sessions/${id}/edit`, baseSession({ title: 'Drukke sessie', capacity: '10' }));
	statusIs(low, 422, 'capacity below registrations');
	assert.equal(fieldError(low.text, 'session-capacity'), '50 people are registered already: the number of places cannot be lower.');
	has((await new Client(S.base, { lang: 'nl' }).get(`/sessions/${id}`)).text, '50 plaatsen, 0 vrij; 150 op de wachtlijst', 'counts in plural forms');
	// Cancelling moves the first on the waitlist up, who is told.
	const first = wait.find(a => a.body.registration.place === 1).person;
	const second = wait.find(a => a.body.registration.place === 2).person;
	const c = await post(reg[0].person, 'unregister');
	assert.equal(c.status, 200);
	assert.equal((await c.json()).registration.status, 'none');
	const mine = async (p) => (await (await fetch(`${S.base}/api/v1/sessions/${id}`, { headers: { Cookie: `op_session=${p.token}` } })).json()).registration;
	assert.deepEqual(await mine(first), { status: 'registered', place: 0 }, 'the first on the waitlist moved up');
	assert.deepEqual(await mine(second), { status: 'waitlist', place: 1 }, 'the next one is first now');
	const notes = await (await fetch(`${S.base}/api/v1/notifications`, { headers: { Cookie: `op_session=${first.token}` } })).json();
	assert.ok(JSON.stringify(notes).includes('Drukke sessie'), `the promoted person is told: ${JSON.stringify(notes).slice(0, 300)}`);
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().places_taken, 50, 'still exactly 50');
}

async function registration_refusals_have_clear_answers() {
	const full = await createSession({ title: 'Kleine sessie zonder wachtlijst', capacity: '1', waitlist: '' });
	let r = await part.postc(`/api/v1/sessions/${full}/register`);
	assert.equal(r.json().registration.status, 'registered');
	r = await other.postc(`/api/v1/sessions/${full}/register`);
	statusIs(r, 409, 'full without a waitlist');
	assert.equal(r.json().error.message, 'This session is full and has no waitlist.');
	r = await other.postc(`/sessions/${full}/register`);
	statusIs(r, 409, 'the same on the page');
	has(r.text, 'This session is full and has no waitlist.');
	const later = await createSession({ title: 'Aanmelden later open', opens_date: day(10), opens_time: '09:00' });
	r = await part.postc(`/api/v1/sessions/${later}/register`);
	statusIs(r, 409, 'before the window');
	assert.equal(r.json().error.message, 'Registration for this session has not opened yet.');
	has((await part.get(`/sessions/${later}`)).text, 'Registration opens on');
	const closed = await createSession({ title: 'Aanmelden al dicht', closes_date: day(-1) });
	r = await part.postc(`/api/v1/sessions/${closed}/register`);
	statusIs(r, 409, 'after the window');
	assert.equal(r.json().error.message, 'Registration for this session is closed.');
	r = await part.postc(`/api/v1/sessions/${closed}/unregister`);
	statusIs(r, 409, 'cancelling what you do not have');
	assert.equal(r.json().error.message, 'You are not registered for this session.');
	statusIs(await anon().postc(`/api/v1/sessions/${full}/register`), 401, 'signed out');
	r = await part.post(`/api/v1/sessions/${full}/unregister`, { _csrf: 'nope'.repeat(10) });
	statusIs(r, 403, 'a replayed or forged form');
	assert.equal((await anon().get(`/api/v1/sessions/${full}`)).json().places_taken, 1, 'nothing changed');
}

async function attendee_list_consent_csv_and_attendance() {
	const id = await createSession({ title: 'Sessie met deelnemerslijst', attendees_public: '1' });
	statusIs(await part.postc(`/sessions/${id}/register`, { show_name: '1' }), 303);
	statusIs(await other.postc(`/sessions/${id}/register`), 303);
	let r = await anon().get(`/sessions/${id}`);
	has(r.text, PART.name, 'a consenting attendee is named');
	hasNot(r.text, OTHER.name, 'an attendee without consent is not');
	has(r.text, 'And 1 other person who did not want their name shown.');
	hasNot(r.text, PART.email, 'no e-mail addresses in public');
	r = await org.get(`/sessions/${id}/attendees.csv`);
	statusIs(r, 200, 'CSV');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	assert.match(r.headers.get('content-type'), /^text\/csv/);
	const lines = r.text.trim().split('\r\n');
	assert.equal(lines[0], 'name,email,status,waitlist_place,registered_at,attended,name_on_public_list');
	assert.ok(lines.some(l => l.startsWith(`${PART.name},${PART.email},registered`)), lines.join('\n'));
	statusIs(await part.get(`/sessions/${id}/attendees.csv`), 403, 'personal data for organisers only');
	statusIs(await anon().get(`/sessions/${id}/attendees.csv`), 303, 'signed out: sign in first');
	const list = (await org.get(`/sessions/${id}/registrations`, { json: true })).json();
	const row = list.registered.find(x => x.email === PART.email);
	statusIs(await org.postc(`/sessions/${id}/attendance`, { registration_id: row.id, attended: 'present' }), 303);
	r = await org.postc(`/sessions/${id}/attendance`, { registration_id: '999999', attended: 'present' }, { json: true });
	statusIs(r, 422, 'a registration of another session');
	assert.equal(r.json().error.fields.registration_id, 'Choose a registration of this session.');
	r = await org.get(`/sessions/${id}/attendees.csv`);
	assert.ok(r.text.includes(`${PART.email},registered,,`) && r.text.includes(',present,yes'), r.text);
}

async function organiser_cancels_and_everyone_is_told() {
	const id = await createSession({ title: 'Sessie die niet doorgaat' });
	statusIs(await part.postc(`/sessions/${id}/register`), 303);
	statusIs(await org.postc(`/sessions/${id}/cancel`), 303);
	const s = (await anon().get(`/api/v1/sessions/${id}`)).json();
	assert.equal(s.status, 'cancelled');
	const n = (await part.get('/api/v1/notifications', { json: true })).json();
	assert.ok(JSON.stringify(n).includes('Sessie die niet doorgaat'), 'the registered person is told');
	const cal = readIcal((await anon().get(`/sessions/${id}/calendar.ics`)).text);
	assert.equal(cal.events[0].status, 'CANCELLED');
	const r = await other.postc(`/api/v1/sessions/${id}/register`);
	statusIs(r, 404, 'no registrations on a cancelled session');
	assert.equal(r.json().error.message, 'This session does not take registrations.');
}

// ---------- following (issue 12) ----------

// The texts of a person's notifications, newest first.
async function notes(c) {
	return (await c.get('/api/v1/notifications', { json: true })).json().notifications;
}

async function following_sessions_themes_and_plans() {
	const fol = await signedIn(FOLLOWER.email, PW);
	const adm = await signedIn(ADMIN.email, PW);
	// The session's page has the follow button for a signed-in person…
	const id = await createSession({ title: 'Volgbare sessie', capacity: '10' });
	let r = await fol.get(`/sessions/${id}`);
	has(r.text, '<input type="hidden" name="type" value="session">', 'the follow form names the session');
	has(r.text, `<input type="hidden" name="id" value="${id}">`);
	has(r.text, 'Follow<span class="rhc-visually-hidden">: Volgbare sessie</span>');
	has((await anon().get(`/sessions/${id}`)).text, 'Sign in to follow this', 'a visitor is asked to sign in');
	const draft = await createSession({ title: 'Nog een concept' }, false);
	hasNot((await org.get(`/sessions/${draft}`)).text, 'action="/follow"', 'a draft is not followed');
	// …and registering follows it (with the way out on the same page).
	statusIs(await fol.postc(`/sessions/${id}/register`), 303, 'register');
	r = await fol.get(`/sessions/${id}`);
	has(r.text, 'Stop following<span class="rhc-visually-hidden">: Volgbare sessie</span>');
	let follows = (await fol.get('/account', { json: true })).json().following;
	assert.deepEqual(follows.find(f => f.type === 'session' && f.id === id),
		{ type: 'session', id, title: 'Volgbare sessie', automatic: true }, 'followed automatically, with its title');
	// A changed time reaches the registered follower; a changed description does not.
	statusIs(await org.postc(`/sessions/${id}/edit`, baseSession({ title: 'Volgbare sessie', capacity: '10', description: 'Nieuwe tekst.' })), 303);
	assert.ok(!(await notes(fol)).some(n => n.kind === 'agenda.changed'), 'only the text changed');
	statusIs(await org.postc(`/sessions/${id}/edit`, baseSession({ title: 'Volgbare sessie', capacity: '10', start_time: '15:00' })), 303);
	let n = await notes(fol);
	assert.equal(n[0].kind, 'agenda.changed');
	assert.equal(n[0].text, '“Volgbare sessie” has changed: check its date, time and place.');
	assert.equal(n[0].url, `/sessions/${id}`);

	// Following a theme and the plan: a new session in them is told, on the
	// site and (with "now" for plans and themes) by e-mail at once.
	const plan = (await anon().get('/api/v1/plan')).json().plan;
	const theme = plan.themes.find(t => t.name === 'Open Inkoop').id;
	statusIs(await fol.postc('/follow', { type: 'theme', id: String(theme), follow: '1' }), 303, 'follow the theme');
	statusIs(await fol.postc('/notifications/settings', { k0: 'standard', k1: 'standard', k2: 'standard', k3: 'standard', k4: 'standard', k5: 'now' }), 303);
	const tid = await createSession({ title: 'Inkoopsessie voor volgers', theme: String(theme) }, false);
	assert.ok(!(await notes(fol)).some(x => /Inkoopsessie voor volgers/.test(x.text)), 'a draft is not told');
	statusIs(await org.postc(`/sessions/${tid}/publish`), 303);
	n = await notes(fol);
	assert.equal(n[0].kind, 'plan.session');
	assert.equal(n[0].text, 'New in the agenda: “Inkoopsessie voor volgers”.');
	assert.equal(n[0].url, `/sessions/${tid}`);
	const box = (await adm.get('/admin/outbox', { json: true })).json().messages;
	const row = box.find(m => m.to === FOLLOWER.email && m.kind === 'notify.event');
	assert.ok(row, 'an e-mail to the follower waits in the outbox');
	const msg = (await adm.get(`/admin/outbox/${row.id}`, { json: true })).json().message;
	has(msg.text, 'Inkoopsessie voor volgers', 'the mail names the session');
	has(msg.text, `/sessions/${tid}`, 'and links to it');
	// The organiser who published it is not told of their own change.
	assert.ok(!(await notes(org)).some(x => x.kind === 'plan.session' && /Inkoopsessie voor volgers/.test(x.text)));

	// A submitted event: nothing while it waits for moderation, told once approved.
	statusIs(await fol.postc('/follow', { type: 'plan', id: String(plan.id), follow: '1' }), 303, 'follow the plan');
	statusIs(await other.postc('/agenda/submit', { title: 'Inkoopcafé van volgers', date: day(14), start_time: '19:00', end_time: '21:00',
		address: 'Zwolle', organiser_name: 'PIANOo', description: 'Praten over open inkoop.' }), 303);
	assert.ok(!(await notes(fol)).some(x => /Inkoopcafé van volgers/.test(x.text)), 'not while it waits');
	const sub = (await other.get('/account', { json: true })).json().agenda.submissions.find(x => x.title === 'Inkoopcafé van volgers');
	statusIs(await org.postc(`/sessions/${sub.session_id}/approve`), 303);
	n = await notes(fol);
	assert.equal(n[0].text, 'New in the agenda: “Inkoopcafé van volgers”.', 'told when approved');

	// Stop following the theme and the plan: a new session there is not told.
	statusIs(await fol.postc('/follow', { type: 'theme', id: String(theme) }), 303, 'stop following the theme');
	statusIs(await fol.postc('/follow', { type: 'plan', id: String(plan.id) }), 303, 'stop following the plan');
	await createSession({ title: 'Inkoopsessie zonder volgers', theme: String(theme) });
	assert.ok(!(await notes(fol)).some(x => /Inkoopsessie zonder volgers/.test(x.text)), 'unfollowed: not told');
	// Stop following the session: its cancellation is still told (registered), but
	// a follower who is not registered and stopped is not.
	statusIs(await part.postc('/follow', { type: 'session', id: String(id), follow: '1' }), 303, 'follow without registering');
	statusIs(await part.postc('/follow', { type: 'session', id: String(id) }), 303, 'and stop again');
	statusIs(await other.postc('/follow', { type: 'session', id: String(id), follow: '1' }), 303, 'another follows');
	statusIs(await org.postc(`/sessions/${id}/cancel`), 303);
	assert.equal((await notes(fol))[0].text, '“Volgbare sessie” is cancelled.', 'the registered person is told');
	assert.equal((await notes(other))[0].text, '“Volgbare sessie” is cancelled.', 'the follower is told');
	assert.ok(!(await notes(part)).some(x => x.text === '“Volgbare sessie” is cancelled.'), 'who stopped following is not');
}

// ---------- moderation ----------

async function submitted_events_are_moderated() {
	let r = await part.postc('/agenda/submit', { title: 'Open data café', date: day(-3), start_time: '19:00', end_time: '21:00',
		address: 'Utrecht', organiser_name: 'Open Data Utrecht', description: 'Een avond over open data.' });
	statusIs(r, 422, 'a date in the past');
	assert.equal(fieldError(r.text, 'submit-date'), 'This date is in the past. Submit events that are still to come.');
	r = await part.postc('/agenda/submit', { title: 'Zonder plaats', date: day(9), start_time: '19:00', end_time: '21:00',
		organiser_name: 'X', description: 'Y' }, { json: true });
	statusIs(r, 422, 'no place and no link');
	assert.equal(r.json().error.fields.address, 'Fill in the place, the link, or both.');
	statusIs(await anon().postc('/agenda/submit', {}), 401, 'signed out');
	r = await part.postc('/agenda/submit', { title: 'Open data café', date: day(12), start_time: '19:00', end_time: '21:00',
		address: 'Utrecht', organiser_name: 'Open Data Utrecht', description: 'Een avond over open data.' });
	statusIs(r, 303);
	r = await part.postc('/agenda/submit', { title: 'Reclameavond', date: day(13), start_time: '19:00', end_time: '21:00',
		meeting_url: 'https://example.com/x', organiser_name: 'Verkoop BV', description: 'Koop onze software.' });
	statusIs(r, 303);
	const mod = await org.get('/agenda/moderation');
	has(mod.text, 'Open data café');
	has(mod.text, 'Meetup online participatie', 'the demo submission waits');
	statusIs(await part.get('/agenda/moderation'), 403);
	const subs = (await part.get('/account', { json: true })).json().agenda.submissions;
	const cafe = subs.find(s => s.title === 'Open data café'), ads = subs.find(s => s.title === 'Reclameavond');
	assert.equal(cafe.status, 'submitted');
	statusIs(await anon().get(`/sessions/${cafe.session_id}`), 404, 'not public before approval');
	statusIs(await part.get(`/sessions/${cafe.session_id}`), 200, 'the submitter sees their own');
	statusIs(await org.postc(`/sessions/${cafe.session_id}/approve`), 303);
	assert.ok((await anon().get('/api/v1/sessions')).json().sessions.some(s => s.id === cafe.session_id), 'approved: in the agenda');
	r = await org.postc(`/sessions/${ads.session_id}/reject`, { reason: '' });
	statusIs(r, 422, 'a rejection needs a reason');
	assert.equal(fieldError(r.text, `reject-${ads.session_id}-reason`), 'Fill in this field.');
	statusIs(await org.postc(`/sessions/${ads.session_id}/reject`, { reason: 'Dit gaat niet over open overheid.' }), 303);
	r = await part.get('/account');
	has(r.text, 'Dit gaat niet over open overheid.', 'the submitter sees the reason');
	const n = JSON.stringify((await part.get('/api/v1/notifications', { json: true })).json());
	assert.ok(n.includes('Reclameavond') && n.includes('Open data café'), 'the submitter is told both outcomes');
	r = await org.postc(`/sessions/${ads.session_id}/approve`, {}, { json: true });
	statusIs(r, 409, 'a decided event');
	assert.equal(r.json().error.message, 'This event is not waiting for moderation.');
}

// ---------- calendar ----------

async function calendar_feeds_read_back_by_a_real_parser() {
	const c = anon();
	const all = readIcal((await c.get('/agenda/calendar.ics')).text);
	assert.equal(all.version, '2.0');
	assert.deepEqual(all.timezones, ['Europe/Amsterdam']);
	assert.equal(all.name, 'Agenda');
	const inkoop = all.events.find(e => e.summary === 'Meedenksessie Open Inkoop');
	assert.equal(inkoop.start.tzid, 'Europe/Amsterdam');
	assert.equal(inkoop.start.utc, '2020-10-14T08:00:00Z', '10:00 summer time is 08:00 UTC');
	assert.equal(inkoop.end.utc, '2020-10-14T10:00:00Z');
	const preview = all.events.find(e => e.summary === 'Online sneak preview van het nieuwe actieplan');
	assert.equal(preview.start.utc, '2020-12-01T14:00:00Z', '15:00 winter time is 14:00 UTC');
	assert.match(inkoop.uid, new RegExp(`^session-${sessions['Meedenksessie Open Inkoop']}@`));
	assert.equal(new Set(all.events.map(e => e.uid)).size, all.events.length, 'UIDs are unique');
	assert.ok(!all.events.some(e => e.summary === 'Meetup online participatie'), 'no submitted event');
	assert.ok(!all.events.some(e => /meet\.openplan\.example/.test(e.description + e.location + e.url)), 'no meeting links in feeds');
	assert.match(inkoop.url, /^http:\/\/127\.0\.0\.1:\d+\/sessions\/\d+$/);
	// One theme's feed.
	const themes = (await c.get('/api/v1/plan')).json().plan.themes;
	const comm = themes.find(t => t.name === 'Open Communicatie').id;
	const tf = readIcal((await c.get(`/agenda/themes/${comm}/calendar.ics`)).text);
	assert.deepEqual(tf.events.map(e => e.summary), ['Meedenksessie Open Communicatie']);
	// An update keeps the UID and raises SEQUENCE.
	const id = await createSession({ title: 'Kalendersessie' });
	const one = readIcal((await c.get(`/sessions/${id}/calendar.ics`)).text).events[0];
	statusIs(await org.postc(`/sessions/${id}/edit`, baseSession({ title: 'Kalendersessie (verzet)', start_time: '15:00', end_time: '17:00' })), 303);
	const two = readIcal((await c.get(`/sessions/${id}/calendar.ics`)).text).events[0];
	assert.equal(two.uid, one.uid, 'the UID stays');
	assert.equal(two.sequence, one.sequence + 1, 'SEQUENCE rises');
	assert.equal(two.summary, 'Kalendersessie (verzet)');
	assert.equal(Date.parse(two.start.utc) - Date.parse(one.start.utc), 3600000, 'an hour later');
	const r = await c.get(`/sessions/${id}/calendar.ics`);
	assert.match(r.headers.get('content-type'), /^text\/calendar/);
	assert.ok(r.text.split('\r\n').every(l => Buffer.byteLength(l) <= 75), 'lines folded at 75 octets');
	const draft = await createSession({ title: 'Nog geheim' }, false);
	statusIs(await c.get(`/sessions/${draft}/calendar.ics`), 404, 'no calendar file of a draft');
}

// ---------- the board ----------

function readStream(url, until, timeoutMs = 5000) {
	return new Promise((resolve, reject) => {
		let buf = '';
		const req = http.get(url, res => {
			res.setEncoding('utf8');
			res.on('data', d => {
				buf += d;
				const events = buf.split('\n\n').filter(b => b.includes('data: ')).map(b => JSON.parse(b.slice(b.indexOf('data: ') + 6)));
				if (until(events)) { req.destroy(); resolve(events); }
			});
		});
		req.on('error', () => {});
		setTimeout(() => { req.destroy(); reject(new Error(`stream: no match in ${timeoutMs} ms: ${buf.slice(0, 500)}`)); }, timeoutMs);
	});
}

async function board_notes_dots_moves_live_and_exports() {
	const id = await createSession({ title: 'Sessie met bord' });
	const other_id = await createSession({ title: 'Andere sessie met bord' });
	statusIs(await part.postc(`/sessions/${id}/board`, { dots: '2', columns: 'Kansen\nRisico' }), 403, 'participants make no board');
	statusIs(await org.postc(`/sessions/${id}/board`, { dots: '2', columns: 'Kansen\nRisico\'s\n\nOplossingen' }), 303);
	statusIs(await org.postc(`/sessions/${other_id}/board`, { dots: '3', columns: 'Een' }), 303);
	let b = (await anon().get(`/api/v1/sessions/${id}/board`)).json().board;
	assert.deepEqual(b.columns.map(c => c.name), ['Kansen', 'Risico\'s', 'Oplossingen']);
	const ob = (await anon().get(`/api/v1/sessions/${other_id}/board`)).json().board;
	// Live: a stream sees a note added after it opened, within a second.
	const since = b.version;
	const watching = readStream(`${S.base}/sessions/${id}/board/stream?since=${since}`,
		evs => evs.some(e => e.notes.some(n => n.text === 'Meer open data')), 3000);
	await new Promise(r => setTimeout(r, 200));
	const t0 = Date.now();
	let r = await part.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'Meer open data', column_id: b.columns[0].id });
	statusIs(r, 200, 'note');
	const note = r.json().note.id;
	await watching;
	assert.ok(Date.now() - t0 < 1000, `note on the stream in ${Date.now() - t0} ms`);
	r = await other.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'Privacy bewaken', column_id: b.columns[1].id });
	const note2 = r.json().note.id;
	// Bad input.
	r = await part.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'x'.repeat(281), column_id: b.columns[0].id });
	statusIs(r, 422, 'note over the limit');
	assert.equal(r.json().error.fields.body, 'Use at most 280 characters; now there are 281.');
	r = await part.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'Verdwaald', column_id: ob.columns[0].id });
	statusIs(r, 422, 'a column of another board');
	assert.equal(r.json().error.fields.column_id, 'Choose a column of this board.');
	r = await part.postc(`/api/v1/sessions/${other_id}/board/notes/${note}/vote`, { dot: 'add' });
	statusIs(r, 404, 'a vote aimed at another session\'s board');
	assert.equal(r.json().error.message, 'This note is not on this board.');
	r = await org.postc(`/api/v1/sessions/${other_id}/board/notes/${note}/move`, { column_id: ob.columns[0].id });
	statusIs(r, 404, 'a move aimed at another session\'s board');
	// Dots: a budget of 2.
	statusIs(await part.postc(`/api/v1/sessions/${id}/board/notes/${note}/vote`, { dot: 'add' }), 200);
	r = await part.postc(`/api/v1/sessions/${id}/board/notes/${note2}/vote`, { dot: 'add' });
	assert.equal(r.json().dots_left, 0);
	r = await part.postc(`/api/v1/sessions/${id}/board/notes/${note}/vote`, { dot: 'add' });
	statusIs(r, 409, 'more dots than allowed');
	assert.equal(r.json().error.message, 'You have used all your dots. Take a dot back from another note first.');
	r = await part.postc(`/sessions/${id}/board/notes/${note}/vote`, { dot: 'add' });
	statusIs(r, 409, 'the same on the page');
	has(r.text, 'You have used all your dots.');
	statusIs(await other.postc(`/api/v1/sessions/${id}/board/notes/${note}/vote`, { dot: 'remove' }), 409, 'no dot to take back');
	statusIs(await part.postc(`/api/v1/sessions/${id}/board/notes/${note2}/vote`, { dot: 'remove' }), 200);
	statusIs(await part.postc(`/api/v1/sessions/${id}/board/notes/${note}/vote`, { dot: 'add' }), 200);
	// The facilitator moves and groups; participants may not.
	statusIs(await part.postc(`/api/v1/sessions/${id}/board/notes/${note2}/move`, { column_id: b.columns[2].id }), 403);
	statusIs(await org.postc(`/api/v1/sessions/${id}/board/notes/${note2}/move`, { column_id: b.columns[0].id, group_id: note }), 200);
	r = await org.postc(`/api/v1/sessions/${id}/board/notes/${note}/move`, { column_id: b.columns[0].id, group_id: note });
	statusIs(r, 422, 'a note grouped with itself');
	assert.equal(r.json().error.fields.group_id, 'Choose another note of this board to group with.');
	statusIs(await other.postc(`/api/v1/sessions/${id}/board/notes/${note2}/vote`, { dot: 'add' }), 200);
	// Counts in plural forms: "1 stip", "2 stippen".
	const nl = await new Client(S.base, { lang: 'nl' }).get(`/sessions/${id}/board`);
	has(nl.text, 'Iedere deelnemer heeft 2 stippen.');
	has(nl.text, '<span data-votes>2 stippen</span>');
	has(nl.text, '<span data-votes>1 stip</span>');
	has(nl.text, 'data-dots-one="%d stip" data-dots-many="%d stippen"', 'the forms for the live script');
	const en = await anon().get(`/sessions/${id}/board`);
	has(en.text, '<span data-votes>1 dot</span>');
	has(en.text, '<span data-votes>2 dots</span>');
	b = (await anon().get(`/api/v1/sessions/${id}/board`)).json().board;
	const n1 = b.notes.find(n => n.id === note), n2 = b.notes.find(n => n.id === note2);
	assert.equal(n1.votes, 2);
	assert.equal(n2.group_id, note);
	assert.equal(n2.column_id, b.columns[0].id);
	assert.ok(!('author' in n1), 'no authors for the public');
	const ob2 = (await org.get(`/api/v1/sessions/${id}/board`)).json().board;
	assert.equal(ob2.notes.find(n => n.id === note).author, PART.name, 'organisers see the author');
	// Exports.
	r = await anon().get(`/sessions/${id}/board.csv`);
	assert.equal(r.text.split('\r\n')[0], 'id,column,text,theme,dots,grouped_with');
	assert.ok(r.text.includes(`${note},Kansen,Meer open data,,2,`), r.text);
	hasNot(r.text, PART.name, 'no authors in the public CSV');
	r = await org.get(`/sessions/${id}/board.csv`);
	assert.equal(r.text.split('\r\n')[0], 'id,column,text,theme,dots,grouped_with,author');
	assert.equal(r.headers.get('cache-control'), 'no-store');
	// The page works without JavaScript: a form posts a note and comes back.
	r = await part.postc(`/sessions/${id}/board/notes`, { body: 'Via het formulier', column_id: b.columns[1].id });
	statusIs(r, 303, 'form');
	has((await part.get(`/sessions/${id}/board`)).text, 'Via het formulier');
	// The ranked list goes into the report.
	statusIs(await org.postc(`/sessions/${id}/report`, { report: '## Verslag\n\nGoed gesprek.', board: '1', published: '1' }), 303);
	const s = (await anon().get(`/api/v1/sessions/${id}`)).json();
	assert.equal(s.board_ranking[0].text, 'Meer open data');
	assert.equal(s.board_ranking[0].dots, 3, 'a group counts its notes\' dots together');
	assert.deepEqual(s.board_ranking[0].grouped, ['Privacy bewaken']);
	// A closed board takes nothing.
	statusIs(await org.postc(`/sessions/${id}/board/settings`, { dots: '2', open: '' }), 303);
	r = await part.postc(`/api/v1/sessions/${id}/board/notes`, { body: 'Te laat', column_id: b.columns[0].id });
	statusIs(r, 409, 'closed board');
	assert.equal(r.json().error.message, 'This board is closed: it takes no new notes.');
}

async function report_with_a_live_poll_attached() {
	const id = await createSession({ title: 'Sessie met verslag' });
	let r = await org.postc(`/sessions/${id}/report`, { report: '', published: '1' });
	statusIs(r, 422, 'publishing an empty report');
	assert.equal(fieldError(r.text, 'report-report'), 'Write the report before you publish it.');
	statusIs(await org.postc(`/sessions/${id}/report`, { report: '## Uitkomst\n\n- Eén\n- Twee <script>x</script>', published: '1' }), 303);
	r = await anon().get(`/sessions/${id}`);
	has(r.text, '<h2>Uitkomst</h2>');
	hasNot(r.text, '<script>x</script>', 'Markdown is rendered safely');
	r = await org.postc(`/sessions/${id}/report/polls`, { poll_id: '999999' }, { json: true });
	statusIs(r, 422, 'an unknown poll');
	assert.equal(r.json().error.fields.poll_id, 'Choose one of the options.');
	const forum = (await anon().get(`/api/v1/sessions/${sessions['Stakeholderforum: blik op de toekomst']}`)).json();
	const pollId = forum.poll_reports[0].id;
	statusIs(await org.postc(`/sessions/${id}/report/polls`, { poll_id: String(pollId) }), 303);
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().poll_reports[0].id, pollId);
	statusIs(await org.postc(`/sessions/${id}/report/polls/${pollId}/delete`), 303);
	assert.equal((await anon().get(`/api/v1/sessions/${id}`)).json().poll_reports.length, 0);
	statusIs(await part.postc(`/sessions/${id}/report`, { report: 'x' }), 403, 'participants write no reports');
}

async function table_task_becomes_a_draft_action_point() {
	const tid = sessions['Tafelgesprek Cultuur van Open Overheid'];
	const table = (await anon().get(`/api/v1/sessions/${tid}`)).json().table;
	const task = table.tasks[4];
	const plan = (await anon().get('/api/v1/plan')).json().plan;
	const theme = plan.themes.find(t => t.name === 'Open Organisatie').id;
	let r = await org.postc(`/sessions/${tid}/tasks/${task.id}/action`, { theme_id: '999999' });
	statusIs(r, 422, 'a theme of no plan');
	statusIs(await part.postc(`/sessions/${tid}/tasks/${task.id}/action`, { theme_id: String(theme) }), 403);
	r = await org.postc(`/sessions/${tid}/tasks/${task.id}/action`, { theme_id: String(theme) });
	statusIs(r, 303, 'draft action point');
	const aid = Number(r.location.match(/\/actions\/(\d+)/)[1]);
	statusIs(await anon().get(`/api/v1/action-points/${aid}`), 404, 'a draft is not public');
	const p = (await org.get(`/api/v1/action-points/${aid}`, { json: true })).json().point;
	assert.equal(p.title, 'Verzamelen best practices');
	assert.equal(p.status, 'idea');
	assert.equal(p.draft, true, 'a draft');
	assert.match(p.minimal, /vijf interessante voorbeelden/);
	assert.match(p.maximal, /escape-bus/);
	assert.match(p.needs, /Sponsors/);
	assert.match(p.needs, /Mogelijke trekker: Ministerie van Binnenlandse Zaken/);
	assert.match(p.needs, /Betrekken: KING, VNG/);
	// Both pages link to each other (the draft for organisers only).
	const t2 = (await org.get(`/api/v1/sessions/${tid}`, { json: true })).json().table.tasks[4];
	assert.equal(t2.action_point.id, aid);
	assert.equal((await anon().get(`/api/v1/sessions/${tid}`)).json().table.tasks[4].action_point, null, 'no draft for the public');
	has((await org.get(`/actions/${aid}`)).text, `href="/sessions/${tid}#task-${task.id}"`, 'the action point links back');
	r = await org.postc(`/sessions/${tid}/tasks/${task.id}/action`, { theme_id: String(theme) }, { json: true });
	statusIs(r, 409, 'twice');
	assert.equal(r.json().error.message, 'This task has an action point already.');
	// Participants and tasks.
	statusIs(await org.postc(`/sessions/${tid}/table/people`, { name: 'Nieuwe Gast', consent: '' }), 303);
	hasNot((await anon().get(`/sessions/${tid}`)).text, 'Nieuwe Gast', 'no consent, no name');
	r = await org.postc(`/sessions/${tid}/tasks`, { title: '' }, { json: true });
	statusIs(r, 422);
	assert.ok(r.json().error.fields.title);
	r = await org.postc(`/sessions/${tid}/tasks`, { title: 'Zevende opgave', lead_org_id: '999999' }, { json: true });
	statusIs(r, 422, 'an unknown lead');
	assert.equal(r.json().error.fields.lead_org_id, 'Choose one of the options.');
	statusIs(await org.postc(`/sessions/${tid}/tasks`, { title: 'Zevende opgave' }), 303);
	const last = (await anon().get(`/api/v1/sessions/${tid}`)).json().table.tasks.at(-1);
	statusIs(await org.postc(`/sessions/${tid}/tasks/${last.id}/move`, { direction: 'up' }), 303);
	const order = (await anon().get(`/api/v1/sessions/${tid}`)).json().table.tasks.map(t => t.title);
	assert.equal(order[5], 'Zevende opgave', 'moved up one place');
}

const tests = [
	public_agenda_with_filters_without_javascript, demo_sessions_reports_and_links,
	session_page_says_the_registration_state_plainly, organiser_drafts_previews_publishes_and_edits,
	bad_session_input_is_said_at_the_field, two_hundred_register_at_once_for_fifty_places,
	registration_refusals_have_clear_answers, attendee_list_consent_csv_and_attendance,
	organiser_cancels_and_everyone_is_told, submitted_events_are_moderated, calendar_feeds_read_back_by_a_real_parser,
	board_notes_dots_moves_live_and_exports, report_with_a_live_poll_attached, table_task_becomes_a_draft_action_point,
	following_sessions_themes_and_plans,
];

await runSuite(tests, {
	timeoutMs: 120000,
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		for (const [u, role] of [[ORGANISER, 'organiser'], [PART, 'participant'], [OTHER, 'participant'], [FOLLOWER, 'participant'], [ADMIN, 'admin']])
			mustCli(['user', 'add', '--db', DB, '--email', u.email, '--name', u.name, '--role', role], PW + '\n');
		S = new Server('agenda', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
		org = await signedIn(ORGANISER.email, PW);
		part = await signedIn(PART.email, PW);
		other = await signedIn(OTHER.email, PW);
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
