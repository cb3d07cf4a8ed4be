// monitor.mjs — browser tests of monitoring and accountability, clicked
// like a person: the public goes from the state of all action points to
// the dashboard, the forum, its rules and the end-of-term report; a holder
// records a measurement and sees the chart and its table gain the value
// (and first gets a wrong date back at the field); a forum member reviews
// an action point and flags a concern; an organiser keeps the criteria and
// the forum. axe-core runs on every page, every page of this feature is
// checked at 320 px wide for sideways scrolling (WCAG 1.4.10) and kept as
// a screenshot at 390 px (a phone) beside the 1280 px one.
//
//   node tests/browser/monitor.mjs PATH/TO/openplan SCREENSHOT_DIR
import fs from 'node:fs';
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const HOLDER = 'joris.bakker@openplan.example';  // Contract Register
const MEMBER = 'femke.visser@openplan.example';  // the forum, for Universiteit Utrecht

await runBrowserSuite('monitor', async ({ base, test, check: checkWide, newPage, clickNav, signIn }) => {
	const shots = process.argv[3];
	for (const f of fs.readdirSync(shots)) if (/^monitor-390-/.test(f)) fs.rmSync(`${shots}/${f}`);
	let phoneNo = 0;
	const ours = p => /^\/(monitor|forum|actions\/\d+(\/|$))/.test(p);
	async function check(page, step) {
		await checkWide(page, step);
		if (!ours(new URL(page.url()).pathname)) return;
		const size = page.viewportSize();
		await page.setViewportSize({ width: 320, height: 640 });
		const over = await page.evaluate(() => {
			const w = document.documentElement.clientWidth;
			const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
				.slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className.baseVal ?? e.className}`);
			return { scroll: document.documentElement.scrollWidth, w, wide };
		});
		assert(over.scroll <= over.w, `${step}: scrolls sideways at 320 px (${over.scroll} > ${over.w}): ${over.wide.join(', ')}`);
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: `${shots}/monitor-390-${String(++phoneNo).padStart(2, '0')}-${step}.png`, fullPage: true });
		await page.setViewportSize(size);
	}

	await test('the public reads the dashboard, the forum and the report', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/actions/state');
		await clickNav(page, page.getByRole('link', { name: 'Dashboard van het actieplan' }));
		await check(page, 'dashboard');
		assert(await page.locator('h1').innerText() === 'Dashboard van het actieplan', 'h1');
		assert(await page.locator('svg.op-chart').count() === 5, 'five charts');
		assert(await page.locator('svg.op-chart title').first().textContent() === 'Actiepunten per status', 'chart title');
		assert((await page.locator('.op-mon-kpis').innerText()).includes('1 indicator loopt achter'), 'the key figures');
		await clickNav(page, page.getByRole('link', { name: 'Stakeholderforum' }).first());
		await check(page, 'forum');
		const warn = await page.locator('.op-mon-warnings').innerText();
		assert(warn.includes('37% van de getelde leden komt van buiten de overheid'), `composition warning: ${warn}`);
		assert(warn.includes('2 leden houden toezicht en voeren ook een actiepunt uit'), `dual-role warning: ${warn}`);
		assert(warn.includes('elk half jaar') || warn.includes('half jaar'), `cadence warning: ${warn}`);
		await clickNav(page, page.getByRole('link', { name: 'Alle versies' }));
		await check(page, 'forum-rules');
		assert(await page.locator('article').count() === 2, 'two versions');
		await page.goto(base + '/monitor/report');
		await check(page, 'report');
		assert(await page.locator('svg.op-chart').count() === 2, 'completion and opening charts');
		await page.emulateMedia({ media: 'print' });
		assert(await page.locator('header nav').isHidden(), 'the menu is not printed');
		await page.emulateMedia({ media: 'screen' });
		await page.goto(base + '/actions');
		await clickNav(page, page.getByRole('link', { name: /^Contract Register/ }));
		await check(page, 'action-point-public');
		assert(await page.locator('#indicators svg.op-chart--line').count() === 1, 'the line chart');
		assert(await page.locator('#assessment .op-mon-voice').count() >= 4, 'the voices');
		assert(await page.getByText('Een meting vastleggen').count() === 0, 'no forms for the public');
	});

	await test('a holder records a measurement and the chart follows', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, HOLDER, DEMO_PASSWORD);
		await page.goto(base + '/actions');
		await clickNav(page, page.getByRole('link', { name: /^Contract Register/ }));
		await check(page, 'holder-action-point');
		const ind = page.locator('.op-mon-ind').first();
		const dots = async () => ind.locator('svg.op-chart--line circle.op-chart__dot[cx]').count();
		const rows = async () => ind.locator('tbody tr').count();
		const dots0 = await dots(), rows0 = await rows();
		// A date in the future first: refused at the field, the form open.
		await ind.locator('summary', { hasText: 'Een meting vastleggen' }).click();
		const future = new Date(Date.now() + 3 * 86400000).toISOString().slice(0, 10);
		await ind.getByLabel('Waarde', { exact: true }).fill('6');
		await ind.getByLabel('Datum van de meting').fill(future);
		await clickNav(page, ind.getByRole('button', { name: 'Meting opslaan' }));
		await check(page, 'holder-measurement-refused');
		const err = page.locator('.op-mon-measure .utrecht-form-field-error-message');
		assert(await err.count() === 1, 'one message');
		assert((await err.innerText()).includes('toekomst'), `message: ${await err.innerText()}`);
		assert(await page.locator('.op-mon-measure[open]').count() === 1, 'the form stays open');
		// Then the right date (the missing one of 30 June 2022).
		const again = page.locator('.op-mon-ind').first();
		await again.getByLabel('Datum van de meting').fill('2022-06-30');
		await again.getByLabel('Waarde', { exact: true }).fill('6,5');
		await clickNav(page, again.getByRole('button', { name: 'Meting opslaan' }));
		await check(page, 'holder-measured');
		assert((await page.locator('.op-flash').innerText()).includes('De meting is opgeslagen'), 'flash');
		const after = page.locator('.op-mon-ind').first();
		assert(await after.locator('svg.op-chart--line circle.op-chart__dot[cx]').count() === dots0 + 1, 'one more dot');
		assert(await after.locator('tbody tr').count() === rows0 + 1, 'one more row');
		assert((await after.locator('tbody').innerText()).includes('6,5'), 'the value in the table');
		assert(await after.locator('svg.op-chart--line title', { hasText: '30 juni 2022: 6,5' }).count() === 1, 'the dot says its value');
		assert(await after.getByText('Er ontbreekt een meting').count() === 0, 'nothing is missing any more');
	});

	await test('a forum member reviews and flags a concern', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, MEMBER, DEMO_PASSWORD);
		await page.goto(base + '/actions');
		await clickNav(page, page.getByRole('link', { name: /^Algoritmeregister/ }));
		await page.locator('summary', { hasText: 'Je beoordeling als forumlid schrijven' }).click();
		const form = page.locator('form[action$="/review"]');
		await form.getByLabel('Is het te controleren?').selectOption('yes');
		await form.getByLabel('Kans op resultaat').selectOption('substantial');
		await form.getByLabel('Toegang tot informatie').check();
		await form.getByLabel('Uitleg bij de beoordeling van het ontwerp').fill('Het register is openbaar en te controleren.');
		await clickNav(page, form.getByRole('button', { name: 'Beoordeling opslaan' }));
		await check(page, 'member-reviewed');
		assert((await page.locator('#assessment').innerText()).includes('Het register is openbaar en te controleren.'), 'the review');
		await page.getByLabel('Je zorg').fill('Welke gemeenten doen nog meer mee?');
		await clickNav(page, page.getByRole('button', { name: 'Zorg melden' }));
		await check(page, 'member-flagged');
		assert((await page.locator('#concerns').innerText()).includes('Welke gemeenten doen nog meer mee?'), 'the concern');
	});

	await test('an organiser keeps the criteria and the forum', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/monitor');
		await clickNav(page, page.getByRole('link', { name: 'Globale criteria' }).first());
		await check(page, 'criteria');
		await page.locator('#new-crit-title').fill('Meer mensen kunnen meelezen');
		await clickNav(page, page.getByRole('button', { name: 'Criterium toevoegen' }));
		await check(page, 'criteria-added');
		assert(await page.getByRole('heading', { name: 'Meer mensen kunnen meelezen' }).count() === 1, 'the new criterion');
		await page.goto(base + '/forum');
		await clickNav(page, page.getByRole('link', { name: 'Het forum beheren' }));
		await check(page, 'forum-edit');
		// A member whose term ends before it starts: the message at the field.
		const add = page.locator('form[action="/forum/members"]');
		await add.getByLabel('E-mailadres van de persoon').fill('ruben.jansen@openplan.example');
		await add.getByLabel('Organisatie').selectOption({ label: 'Netwerk Democratie' });
		await add.getByLabel('Lid vanaf').fill('2022-01-01');
		await add.getByLabel('Lid tot en met').fill('2021-06-30');
		await clickNav(page, add.getByRole('button', { name: 'Lid toevoegen' }));
		await check(page, 'forum-edit-refused');
		const msg = await page.locator('#new-mem-until_on-error').innerText();
		assert(msg.includes('einddatum'), `message: ${msg}`);
	});
});
