#!/usr/bin/env node
// deletes.mjs — every delete route of the program (`openplan routes
// --json`: POST routes ending in /delete), tried on an object that other
// data still refers to. The answer is never a 500: either the removal is
// refused with 409 and a plain message and nothing changes, or it is allowed
// and what referred to it stays consistent. A delete route without a
// scenario here fails the test: add one when you add the route.
//   node tests/e2e/deletes.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { setBinary, mustCli, programRoutes, Server, Client, runSuite, stopChecked, has, statusIs } from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-deletes-'));
const DB = path.join(TMP, 'deletes.db');
const PW = 'correct horse battery';
const ORG = 'organiser@deletes.example';
const PART = 'participant@deletes.example';
let S, org, part;

const json = async p => (await org.get(p, { json: true })).json();

// pattern → async () => { the request and what must hold }
const scenarios = {
	'/sessions/{id}/report/polls/{pid}/delete': async () => {
		// The live poll whose report the forum's report shows: only the
		// link goes; the poll and its report stay.
		const past = (await json('/api/v1/sessions?when=past')).sessions;
		const forum = await json(`/api/v1/sessions/${past.find(x => x.title === 'Stakeholderforum: blik op de toekomst').id}`);
		const poll = forum.poll_reports[0].id;
		statusIs(await org.postc(`/sessions/${forum.id}/report/polls/${poll}/delete`), 303, 'detach the poll report');
		assert.equal((await json(`/api/v1/sessions/${forum.id}`)).poll_reports.length, 0);
		statusIs(await org.get(`/api/v1/polls/${poll}/report`, { json: true }), 200, 'the poll report is still there');
		statusIs(await org.postc(`/sessions/${forum.id}/report/polls/${poll}/delete`), 404, 'twice: gone');
	},
	'/sessions/{id}/table/people/{pid}/delete': async () => {
		// Someone at the table of a conversation whose tasks stay as they are.
		const past = (await json('/api/v1/sessions?when=past')).sessions;
		const table = past.find(x => x.kind === 'table');
		const page = await org.get(`/sessions/${table.id}/table`);
		const pid = Number(page.text.match(new RegExp(`/sessions/${table.id}/table/people/(\\d+)/delete`))[1]);
		const before = (await json(`/api/v1/sessions/${table.id}`)).table;
		statusIs(await org.postc(`/sessions/${table.id}/table/people/${pid}/delete`), 303, 'remove a participant');
		const after = (await json(`/api/v1/sessions/${table.id}`)).table;
		assert.equal(after.participants.length + after.unnamed, before.participants.length + before.unnamed - 1);
		assert.equal(after.tasks.length, before.tasks.length, 'the tasks stay');
	},
	'/plans/{id}/phases/{pid}/delete': async () => {
		// The current phase, which the plan refers to.
		const plan = (await json('/api/v1/plans/1')).plan;
		const cur = plan.current_phase_id;
		assert.ok(cur, 'the demo plan has a current phase');
		statusIs(await org.postc(`/plans/1/phases/${cur}/delete`), 303, 'remove the current phase');
		const after = (await json('/api/v1/plans/1')).plan;
		assert.equal(after.current_phase_id, null, 'the plan falls back to dates');
		assert.ok(!after.phases.some(p => p.id === cur));
	},
	'/plans/{id}/themes/{tid}/delete': async () => {
		// A theme that action points use.
		const plan = (await json('/api/v1/plans/1')).plan;
		const th = plan.themes.find(t => t.name === 'Open Inkoop');
		const r = await org.postc(`/plans/1/themes/${th.id}/delete`);
		statusIs(r, 409, 'theme with action points');
		has(r.text, 'This theme still has action points.');
		assert.ok((await json('/api/v1/plans/1')).plan.themes.some(t => t.id === th.id), 'still there');
	},
	'/organisations/{id}/members/{uid}/delete': async () => {
		// A member who is the contact person of a holder of an action point.
		const orgs = (await json('/api/v1/organisations')).organisations;
		const osf = orgs.find(o => o.name === 'Open State Foundation');
		const page = await org.get(`/organisations/${osf.id}`);
		const uid = Number(page.text.match(new RegExp(`/organisations/${osf.id}/members/(\\d+)/delete`))[1]);
		const r = await org.postc(`/organisations/${osf.id}/members/${uid}/delete`);
		assert.ok([303, 409].includes(r.status), `member removal: ${r.status}`);
	},
	'/consultations/{cid}/delete': async () => {
		// A consultation people answered: refused, archive it instead (issue 16).
		const r = await org.postc('/consultations/1/delete');
		statusIs(r, 409, 'consultation with answers');
		has(r.text, 'Archive it instead');
		assert.equal((await json('/api/v1/consultations/1')).consultation.respondents, 48, 'still there, answers and all');
	},
	'/admin/site/logo/delete': async () => {
		// The logo every page shows (nothing else refers to it): removed, the
		// header shows the site's name alone, its old address is gone, and
		// removing it again changes nothing.
		const adm = new Client(S.base, { lang: 'en' });
		await adm.signin('beheer@openplan.example', 'demo-wachtwoord');
		const before = (await adm.get('/')).text.match(/src="(\/site\/logo\/[^"]+)"/);
		assert.ok(before, 'the demo has a logo');
		statusIs(await adm.get(before[1]), 200, 'the logo before');
		statusIs(await adm.postc('/admin/site/logo/delete'), 303, 'remove the logo');
		const home = await adm.get('/');
		assert.ok(!home.text.includes('op-brand__logo'), 'no logo in the header');
		assert.match(home.text, /<span class="op-brand__name"[^>]*>openplan<\/span>/, 'the name in the header');
		statusIs(await adm.get(before[1]), 404, 'the old logo address');
		statusIs(await adm.postc('/admin/site/logo/delete'), 303, 'removing no logo');
	},
	'/consultations/{cid}/questions/{qid}/delete': async () => {
		// A question with answers: the consultation's questions are frozen.
		const r = await org.postc('/consultations/1/questions/1/delete');
		statusIs(r, 409, 'question with answers');
	},
	'/consultations/{cid}/questions/{qid}/options/{oid}/delete': async () => {
		// An option people chose (the page hides the button; the route refuses).
		const c = await json('/api/v1/consultations/1');
		const q = c.questions.find(x => (x.options || []).length);
		const r = await org.postc(`/consultations/1/questions/${q.id}/options/${q.options[0].id}/delete`);
		statusIs(r, 409, 'option that was chosen');
	},
	'/actions/{id}/delete': async () => {
		// A published action point with holders and updates: archived, not deleted.
		const list = (await json('/api/v1/action-points')).action_points;
		const p = list.find(x => x.status === 'in_progress');
		const r = await org.postc(`/actions/${p.id}/delete`);
		statusIs(r, 409, 'an action point with history');
		statusIs(await org.get(`/api/v1/action-points/${p.id}`, { json: true }), 200, 'still there');
	},
	'/actions/{id}/holders/{oid}/delete': async () => {
		// The lead holder of an action point in progress.
		const list = (await json('/api/v1/action-points')).action_points;
		const p = list.find(x => x.status === 'in_progress');
		const full = await json(`/api/v1/action-points/${p.id}`);
		const lead = (full.point || full).holders.find(h => h.role === 'lead');
		const r = await org.postc(`/actions/${p.id}/holders/${lead.org_id}/delete`);
		assert.ok([303, 409, 422].includes(r.status), `lead holder removal: ${r.status}`);
	},
	'/actions/{id}/links/{lid}/delete': async () => {
		const list = (await json('/api/v1/action-points')).action_points;
		for (const p of list) {
			const page = await org.get(`/actions/${p.id}/edit`);
			const m = page.text.match(new RegExp(`/actions/${p.id}/links/(\\d+)/delete`));
			if (!m) continue;
			statusIs(await org.postc(`/actions/${p.id}/links/${m[1]}/delete`), 303, 'a link');
			return;
		}
		assert.fail('no linked action points in the demo');
	},
	'/actions/{id}/milestones/{mid}/delete': async () => {
		const list = (await json('/api/v1/action-points')).action_points;
		const p = list.find(x => x.status === 'in_progress');
		const page = await org.get(`/actions/${p.id}`);
		const m = page.text.match(new RegExp(`/actions/${p.id}/milestones/(\\d+)/delete`));
		assert.ok(m, 'a milestone with a delete button');
		statusIs(await org.postc(`/actions/${p.id}/milestones/${m[1]}/delete`), 303, 'a milestone');
	},
	// monitoring (issue 15)
	'/monitor/criteria/{cid}/delete': async () => {
		// A criterion that indicators use: refused, nothing changes.
		const d = await json('/api/v1/monitor');
		const c = d.criteria.find(x => x.indicators > 0);
		const r = await org.postc(`/monitor/criteria/${c.id}/delete`);
		statusIs(r, 409, 'criterion in use');
		has(r.text, 'Indicators still use this criterion.');
		assert.ok((await json('/api/v1/monitor')).criteria.some(x => x.id === c.id), 'still there');
	},
	'/forum/members/{mid}/delete': async () => {
		// A member who reviewed and flagged concerns: the membership goes, what
		// they wrote stays (it belongs to the forum's record).
		const f = await json('/api/v1/forum');
		const academia = f.members.find(m => m.organisation.sector === 'academia');
		const cr = (await json('/api/v1/action-points')).action_points.find(p => p.title.startsWith('Contract Register'));
		const before = await json(`/api/v1/action-points/${cr.id}/monitoring`);
		statusIs(await org.postc(`/forum/members/${academia.id}/delete`), 303, 'membership removed');
		const after = await json(`/api/v1/action-points/${cr.id}/monitoring`);
		assert.ok(!(await json('/api/v1/forum')).members.some(m => m.id === academia.id), 'gone from the forum');
		assert.equal(after.assessment.forum.length, before.assessment.forum.length, 'reviews stay');
		assert.equal(after.concerns.length, before.concerns.length, 'concerns stay');
	},
	'/actions/{id}/indicators/{iid}/measurements/{mid}/delete': async () => {
		// The latest measurement: the indicator falls back to the one before.
		const d = await json('/api/v1/monitor');
		const ind = d.indicators.items.find(x => x.measurement_count > 1);
		const full = (await json(`/api/v1/action-points/${ind.action_id}/monitoring`)).indicators.find(x => x.id === ind.id);
		const last = full.measurements[full.measurements.length - 1], prev = full.measurements[full.measurements.length - 2];
		statusIs(await org.postc(`/actions/${ind.action_id}/indicators/${ind.id}/measurements/${last.id}/delete`), 303, 'a measurement');
		const now = (await json(`/api/v1/action-points/${ind.action_id}/monitoring`)).indicators.find(x => x.id === ind.id);
		assert.equal(now.measurement_count, full.measurement_count - 1);
		assert.deepEqual(now.latest, { value: prev.value, on: prev.on });
	},
	'/actions/{id}/indicators/{iid}/delete': async () => {
		// An indicator with measurements: it goes with them, the dashboard counts one less.
		const d = await json('/api/v1/monitor');
		const ind = d.indicators.items.find(x => x.measurement_count > 0);
		statusIs(await org.postc(`/actions/${ind.action_id}/indicators/${ind.id}/delete`), 303, 'an indicator');
		const after = await json('/api/v1/monitor');
		assert.equal(after.indicators.total, d.indicators.total - 1);
		assert.ok(!after.indicators.items.some(x => x.id === ind.id));
	},
	'/input/items/{iid}/delete': async () => {
		// Input its author deletes after it was answered and linked: its text
		// goes, it keeps its place (and count), its response and links.
		const r0 = await part.postc('/input/plans/1/ideas', { text: 'Een idee dat ik weer intrek.' });
		statusIs(r0, 303, 'an idea');
		const id = Number(r0.location.match(/\/input\/items\/(\d+)/)[1]);
		const cr = (await json('/api/v1/action-points')).action_points.find(p => p.title.startsWith('Contract Register')).id;
		statusIs(await org.postc(`/input/items/${id}/response`, { status: 'taken_up', body: 'Mooi.' }), 303, 'answered');
		statusIs(await org.postc(`/input/items/${id}/links`, { action: String(cr) }), 303, 'linked');
		const total = (await json('/api/v1/input/plans/1')).counts.total;
		statusIs(await part.postc(`/input/items/${id}/delete`), 303, 'deleted by its author');
		const it = await json(`/api/v1/input/items/${id}`);
		assert.equal(it.item.text, null);
		assert.equal(it.item.removed, true);
		assert.equal(it.history.length, 1, 'the response stays');
		assert.equal(it.links.length, 1, 'the link stays');
		assert.equal((await json('/api/v1/input/plans/1')).counts.total, total, 'the count stays');
		statusIs(await part.postc(`/input/items/${id}/delete`), 409, 'twice');
	},
	'/input/groups/{gid}/delete': async () => {
		// A group with a response stays (409); its members keep their answer.
		const g = (await json('/api/v1/input/plans/1')).groups.find(x => x.response);
		const r = await org.postc(`/input/groups/${g.id}/delete`);
		statusIs(r, 409, 'an answered group');
		has(r.text, 'has a response');
		assert.equal((await json(`/api/v1/input/groups/${g.id}`)).group.members, g.members);
	},
	'/input/items/{iid}/links/{aid}/delete': async () => {
		// A link that made the item's author follow the action point: the
		// link goes, the follow stays (they took part).
		const d = await json('/api/v1/input/plans/1');
		const it = d.items.find(i => i.links && i.links.length && !i.group_id);
		const aid = it.links[0].action_id;
		statusIs(await org.postc(`/input/items/${it.id}/links/${aid}/delete`), 303, 'unlink');
		assert.ok(!(await json(`/api/v1/input/items/${it.id}`)).links.some(l => l.action_id === aid));
		statusIs(await org.postc(`/input/items/${it.id}/links/${aid}/delete`), 404, 'twice');
	},
	'/input/groups/{gid}/links/{aid}/delete': async () => {
		// The link of a group (the Open Inkoop board) to the Contract Register.
		const g = (await json('/api/v1/input/plans/1')).groups.find(x => x.links && x.links.length);
		const aid = g.links[0].action_id;
		statusIs(await org.postc(`/input/groups/${g.id}/links/${aid}/delete`), 303, 'unlink');
		assert.equal((await json(`/api/v1/input/groups/${g.id}`)).links.length, g.links.length - 1);
		// The action point itself is untouched.
		statusIs(await org.get(`/api/v1/action-points/${aid}`, { json: true }), 200, 'the action point stays');
	},
	'/polls/{id}/questions/{qid}/delete': async () => {
		// An answered question of the demo poll (its report is on the plan's
		// page): it stays (the page hides the button; the route refuses).
		const q = (await json('/api/v1/polls/1')).questions[0];
		assert.ok(q.voters > 0, 'the demo question has answers');
		const r = await org.postc(`/polls/1/questions/${q.id}/delete`);
		statusIs(r, 409, 'answered poll question');
		has(r.text, 'People answered this question, so it stays in the report.');
		assert.equal((await json('/api/v1/polls/1')).questions[0].id, q.id, 'still there');
	},
	'/polls/{id}/delete': async () => {
		// The demo poll: answered, its report on the plan's page.
		const r = await org.postc('/polls/1/delete');
		statusIs(r, 409, 'answered poll');
		has(r.text, 'People answered this poll, so it stays: close it instead.');
		assert.equal((await json('/api/v1/polls/1')).poll.id, 1, 'still there');
	},
};

async function every_delete_route_has_a_scenario() {
	const routes = programRoutes().filter(r => r.methods.includes('POST') && r.pattern.endsWith('/delete'));
	const missing = routes.map(r => r.pattern).filter(p => !scenarios[p]);
	assert.deepEqual(missing, [], 'delete routes without a scenario in deletes.mjs (add one)');
	const stale = Object.keys(scenarios).filter(p => !routes.some(r => r.pattern === p));
	assert.deepEqual(stale, [], 'scenarios for routes that no longer exist');
}

async function no_delete_answers_500() {
	const wrong = [];
	for (const [pattern, run] of Object.entries(scenarios)) {
		try { await run(); } catch (e) { wrong.push(`${pattern}: ${e.message.split('\n')[0]}`); }
	}
	assert.deepEqual(wrong, [], 'delete routes on referenced objects');
}

await runSuite([every_delete_route_has_a_scenario, no_delete_answers_500], {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', ORG, '--name', 'Olga', '--role', 'organiser'], PW + '\n');
		mustCli(['user', 'add', '--db', DB, '--email', PART, '--name', 'Pim', '--role', 'participant'], PW + '\n');
		S = new Server('deletes', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
		org = new Client(S.base, { lang: 'en' });
		await org.signin(ORG, PW);
		part = new Client(S.base, { lang: 'en' });
		await part.signin(PART, PW);
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
