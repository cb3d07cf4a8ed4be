#!/usr/bin/env node
// bench/monitor.mjs — the load driver of bench/monitor.sh: makes the demo
// plan the size the dashboard is measured at.
//   node bench/monitor.mjs BASE_URL POINTS MEASUREMENTS
// Signs in as the demo organiser, adds and publishes action points until
// there are POINTS published ones, gives every action point an indicator,
// and records monthly measurements until the plan holds MEASUREMENTS in
// all (the demo's included). Prints one line:
//   points <n> indicators <n> measurements <n> seconds <s>
const [base, pArg, mArg] = process.argv.slice(2);
const POINTS = Number(pArg || 15), MEASUREMENTS = Number(mArg || 200);

function jar(res, cookies) {
	for (const sc of res.headers.getSetCookie()) {
		const [nv] = sc.split(';');
		const i = nv.indexOf('=');
		cookies[nv.slice(0, i)] = nv.slice(i + 1);
	}
}
const header = c => Object.entries(c).map(([k, v]) => `${k}=${v}`).join('; ');
const org = {};
async function post(path, pairs, want = 303) {
	const res = await fetch(base + path, {
		method: 'POST', redirect: 'manual',
		headers: { Cookie: header(org), 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams([['_csrf', org.op_csrf], ...Object.entries(pairs)]).toString(),
	});
	jar(res, org);
	const text = await res.text();
	if (res.status !== want) throw new Error(`POST ${path}: ${res.status} ${text.slice(0, 200)}`);
	return res;
}
const get = async p => (await fetch(base + p, { headers: { Accept: 'application/json' } })).json();

const t0 = Date.now();
let r = await fetch(base + '/signin', { redirect: 'manual' });
jar(r, org);
await r.arrayBuffer();
await post('/signin', { email: 'sanne.devries@openplan.example', password: 'demo-wachtwoord' });

const plan = (await get('/api/v1/plan')).plan;
let points = (await get('/api/v1/action-points')).action_points.filter(p => !p.draft && !p.archived);
for (let i = points.length; i < POINTS; i++) {
	const res = await post('/actions/new', {
		title: `Benchmark-actiepunt ${i + 1}`, theme_id: String(plan.themes[i % plan.themes.length].id),
		status: 'idea', problem: 'Meten hoe snel het dashboard is.', starts_on: '2015-01-01', ends_on: '2030-12-31',
	});
	const id = Number(res.headers.get('location').match(/\/actions\/(\d+)/)[1]);
	await post(`/actions/${id}/publish`, {});
}
points = (await get('/api/v1/action-points')).action_points.filter(p => !p.draft && !p.archived);
const criterion = (await get('/api/v1/monitor')).criteria[0].id;
let total = (await get('/api/v1/monitor')).indicators.items.reduce((a, x) => a + x.measurement_count, 0);
const perPoint = Math.ceil((MEASUREMENTS - total) / points.length);
let indicators = 0;
for (const p of points) {
	const res = await post(`/actions/${p.id}/indicators`, {
		criterion_id: String(criterion), title: 'Gepubliceerde documenten', unit: 'documenten', direction: 'higher',
		baseline_value: '0', baseline_on: '2015-01-01', baseline_source: 'Telling', target_value: '1000',
		target_on: '2030-12-31', frequency: 'monthly',
	});
	const iid = Number(res.headers.get('location').match(/#indicator-(\d+)/)[1]);
	indicators++;
	for (let k = 1; k <= perPoint && total < MEASUREMENTS; k++, total++) {
		const d = new Date(Date.UTC(2015, k, 1)).toISOString().slice(0, 10);
		await post(`/actions/${p.id}/indicators/${iid}/measurements`, { value: String(k * 7), measured_on: d });
	}
}
const d = await get('/api/v1/monitor');
const measured = d.indicators.items.reduce((a, x) => a + x.measurement_count, 0);
console.log(`points ${d.action_points} indicators ${d.indicators.total} measurements ${measured} seconds ${((Date.now() - t0) / 1000).toFixed(1)}`);
