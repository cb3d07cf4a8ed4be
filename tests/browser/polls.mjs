// polls.mjs — browser tests of live polls, clicked and typed like a person:
// the organiser makes a poll and opens the presenter view; in the same
// browser a participant (another context: no shared cookies) joins with
// the code on a phone-sized page and votes; the presenter view shows the
// vote without loading again (EventSource). Also the report and the demo
// poll's report on the plan page.
//
//   node tests/browser/polls.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

await runBrowserSuite('polls', async ({ base, test, check, newPage, clickNav, signIn }) => {
	await test('a participant votes and the presenter view shows it live', async (ctx) => {
		const pres = await newPage(ctx);
		await signIn(pres, base, ORGANISER, DEMO_PASSWORD);
		await pres.goto(base + '/polls');
		await check(pres, 'polls-list');
		await pres.locator('#title').fill('Bijeenkomst browsertest');
		await clickNav(pres, pres.getByRole('button', { name: 'Peiling maken' }));
		await check(pres, 'poll-new');
		await pres.locator('#kind').selectOption('single');
		await pres.locator('#prompt').fill('Hoe houden we actiehouders betrokken?');
		await pres.locator('#options').fill('Workshops\nResultaten delen\nNieuwsbrief');
		await clickNav(pres, pres.getByRole('button', { name: 'Vraag toevoegen' }));
		await clickNav(pres, pres.getByRole('button', { name: 'Open de peiling', exact: true }));
		await check(pres, 'poll-open');
		const code = (await pres.locator('.op-poll-code').innerText()).trim();
		assert(/^\d{6}$/.test(code), `code "${code}"`);
		await clickNav(pres, pres.getByRole('link', { name: 'Presentatiescherm' }));
		await check(pres, 'presenter');
		const qr = await pres.locator('img.op-poll-qr').evaluate((img) => img.complete && img.naturalWidth > 0);
		assert(qr, 'the QR code image did not load');
		// Marks the document: a reload would lose the mark.
		await pres.evaluate(() => { window.__stillHere = true; });
		const cell = pres.locator('tr', { hasText: 'Resultaten delen' }).locator('.op-poll-n');
		assert((await cell.innerText()).trim() === '0', 'count starts at 0');

		// The participant: another context in the same browser, phone-sized.
		const pctx = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 375, height: 740 } });
		try {
			const part = await newPage(pctx);
			await part.goto(base + '/p');
			await check(part, 'join');
			await part.locator('#code').fill(code.slice(0, 3) + ' ' + code.slice(3));
			await clickNav(part, part.getByRole('button', { name: 'Meedoen' }));
			await check(part, 'participant');
			await part.getByLabel('Resultaten delen').check();
			const t0 = Date.now();
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			// The presenter's page shows it without loading again, within a second.
			await cell.filter({ hasText: '1' }).waitFor({ timeout: 3000 });
			const ms = Date.now() - t0;
			assert(ms < 1000, `the vote took ${ms} ms to reach the presenter view`);
			await check(part, 'participant-voted');
			assert(await part.getByText('Je antwoord is bewaard.').count() === 1, 'no confirmation for the participant');
			assert(await pres.evaluate(() => window.__stillHere === true), 'the presenter view was reloaded');
			assert((await pres.locator('.op-poll-voters-n').first().innerText()).trim() === '1', 'voters not 1');
			await check(pres, 'presenter-live');
			console.log(`# vote reached the presenter view in ${ms} ms`);

			// Results shown to participants: the participant page reloads by itself.
			await pres.goto(base + '/polls');
			await clickNav(pres, pres.getByRole('link', { name: 'Bijeenkomst browsertest' }));
			await clickNav(pres, pres.getByRole('button', { name: 'Laat de uitslag aan deelnemers zien' }));
			await part.getByRole('heading', { name: 'Uitslag tot nu toe' }).waitFor({ timeout: 5000 });
			await check(part, 'participant-results');
		} finally {
			await pctx.close();
		}

		await clickNav(pres, pres.getByRole('link', { name: 'Verslag', exact: true }));
		await check(pres, 'report');
		assert(await pres.getByRole('row', { name: /Resultaten delen 1 100%/ }).count() === 1, 'report row');
	});

	await test('the demo poll report is on the plan page', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		const link = page.getByRole('link', { name: /Stakeholderforum 18 maart 2021/ });
		assert(await link.count() === 1, 'no link to the demo poll report on the plan page');
		await clickNav(page, link);
		await check(page, 'demo-report');
		assert(await page.getByRole('heading', { name: /Welke ideeën hebben jullie voor het meten van impact/ }).count() === 1, 'third question missing');
		assert(await page.getByRole('row', { name: /quiz 2/ }).count() === 1, 'word cloud count missing');
	});
});
