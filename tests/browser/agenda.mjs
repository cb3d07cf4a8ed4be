#!/usr/bin/env node
// agenda.mjs — browser tests of sessions and the agenda: the agenda with
// its filters (no JavaScript needed), a session page with the registration
// state, registering; the idea board live in two browser contexts (a note
// added in one shows in the other without a reload, over the event stream);
// the organiser's pages (new session, registrations, report, moderation,
// table conversation). axe-core on every page; each page at 320 px wide
// has no sideways scrolling; screenshots in the screenshot folder.
//   node tests/browser/agenda.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const PARTICIPANT = 'lotte.visser@openplan.example';

await runBrowserSuite('agenda', async ({ base, test, check, newPage, clickNav, signIn }) => {
	// The page fits 320 CSS px (WCAG 1.4.10), then back to the desktop width.
	async function reflow(page, step) {
		await page.setViewportSize({ width: 320, height: 640 });
		const sw = await page.evaluate(() => document.documentElement.scrollWidth);
		const wide = sw <= 320 ? [] : await page.evaluate(() => [...document.querySelectorAll('body *')]
			.filter((e) => e.getBoundingClientRect().right > 321).slice(-4)
			.map((e) => `${e.tagName}.${e.className} ${Math.round(e.getBoundingClientRect().right)}`));
		assert(sw <= 320, `${step}: ${sw}px wide at a 320px viewport (sideways scrolling): ${wide.join(', ')}`);
		await check(page, `${step}-320`);
		await page.setViewportSize({ width: 1280, height: 800 });
	}

	let nextForum = 0;
	await test('the agenda, its filters and a session page without signing in', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/agenda');
		nextForum = Number((await page.getByRole('link', { name: 'Volgende bijeenkomst stakeholderforum' }).getAttribute('href')).split('/').pop());
		await page.goto(base + '/');
		await clickNav(page, page.locator('header a[href="/agenda"]'));
		await check(page, 'agenda');
		await reflow(page, 'agenda');
		await page.locator('#f-when').selectOption('past');
		await page.locator('#f-kind').selectOption('thinkalong');
		await clickNav(page, page.locator('.op-agenda-filters button'));
		assert(page.url().includes('kind=thinkalong') && page.url().includes('when=past'), `filter URL: ${page.url()}`);
		const titles = await page.locator('.op-agenda-item__title').allTextContents();
		assert(titles.length === 6 && titles.every((t) => t.startsWith('Meedenksessie')), `think-along sessions: ${titles}`);
		await check(page, 'agenda-past-filtered');
		await clickNav(page, page.getByRole('link', { name: 'Meedenksessie Open Inkoop' }));
		await check(page, 'session-report');
		await reflow(page, 'session-report');
		assert(await page.getByRole('heading', { name: 'Verslag', exact: true }).count() === 1, 'the report shows');
		assert(await page.getByText('Deze bijeenkomst is voorbij.').count() === 1, 'past: said plainly');
		await clickNav(page, page.locator('.op-agenda-tag').first());
		await check(page, 'theme');
	});

	await test('a participant registers and sees it said plainly', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, 'zoe.vermeulen@openplan.example', DEMO_PASSWORD);
		await page.goto(`${base}/sessions/${nextForum}`);
		await check(page, 'session-not-registered');
		assert(await page.getByText('Je bent niet aangemeld. Er is plaats voor je.').count() === 1, 'can register');
		await clickNav(page, page.getByRole('button', { name: 'Meld me aan' }));
		await check(page, 'session-registered');
		assert(await page.getByText('Je bent aangemeld voor deze bijeenkomst.').count() === 1, 'registered');
		await reflow(page, 'session-registered');
		await page.goto(base + '/account');
		await check(page, 'account-sessions');
	});

	await test('a note added in one browser shows on the board in another without a reload', async (ctx) => {
		const other = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			const watcher = await newPage(other);
			await watcher.goto(`${base}/sessions/${nextForum}/board`);
			await check(watcher, 'board-public');
			const page = await newPage(ctx);
			await signIn(page, base, PARTICIPANT, DEMO_PASSWORD);
			await page.goto(`${base}/sessions/${nextForum}/board`);
			await check(page, 'board-participant');
			await reflow(page, 'board-participant');
			const text = `Live briefje ${Date.now()}`;
			await page.locator('#note-body').fill(text);
			const t0 = Date.now();
			await clickNav(page, page.getByRole('button', { name: 'Zet het briefje op het bord' }));
			await watcher.getByText(text).waitFor({ timeout: 3000 });
			const ms = Date.now() - t0;
			assert(ms < 2000, `the note reached the other browser in ${ms} ms`);
			assert(await watcher.evaluate(() => performance.getEntriesByType('navigation').length) === 1, 'no reload');
			await check(watcher, 'board-live');
			// A dot given in one browser updates the count in the other.
			const note = page.locator('.op-board-note', { hasText: text });
			await clickNav(page, note.getByRole('button', { name: /\+1 stip/ }));
			await watcher.locator('.op-board-note', { hasText: text }).locator('[data-votes]', { hasText: '1' }).waitFor({ timeout: 3000 });
		} finally {
			await other.close();
		}
	});

	await test('the facilitator\'s board takes a new note live, and can move and group it at once', async (ctx) => {
		const other = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 390, height: 844 } });
		try {
			const fac = await newPage(ctx);
			await signIn(fac, base, ORGANISER, DEMO_PASSWORD);
			await fac.goto(`${base}/sessions/${nextForum}/board`);
			await check(fac, 'board-facilitator');
			const part = await newPage(other);
			await signIn(part, base, 'zoe.vermeulen@openplan.example', DEMO_PASSWORD);
			await part.goto(`${base}/sessions/${nextForum}/board`);
			await check(part, 'board-participant-390');
			const text = `Facilitatorbriefje ${Date.now()}`;
			await part.locator('#note-body').fill(text);
			const t0 = Date.now();
			await clickNav(part, part.getByRole('button', { name: 'Zet het briefje op het bord' }));
			const textEl = fac.locator('.op-board-note__text', { hasText: text });
			await textEl.waitFor({ timeout: 3000 });
			const ms = Date.now() - t0;
			assert(ms < 2000, `the note reached the facilitator in ${ms} ms`);
			assert(await fac.evaluate(() => performance.getEntriesByType('navigation').length) === 1, 'no reload');
			const id = await textEl.evaluate((e) => e.closest('[data-note]').getAttribute('data-note'));
			const live = fac.locator(`#note-${id}`);
			assert(await live.locator('.op-board-note__author').count() === 1, 'the facilitator sees the author');
			// Its controls are there without a refresh, and the other notes can now be grouped with it.
			await live.locator(':scope > details > summary').click();
			await check(fac, 'board-facilitator-live');
			const target = await fac.locator('select[name="group_id"]').first().evaluate((s) => s.id);
			assert(target !== `move-${id}-group_id`, 'another note first');
			assert(await fac.locator(`#${target} option[value="${id}"]`).count() === 1, 'the new note is a choice to group with');
			const lead = await fac.locator(`#move-${id}-group_id option`).nth(1).getAttribute('value');
			await fac.locator(`#move-${id}-group_id`).selectOption(lead);
			await clickNav(fac, live.locator(':scope > details').getByRole('button', { name: 'Verplaats', exact: true }));
			assert(await fac.locator(`#note-${lead} .op-board-group #note-${id}`).count() === 1, 'grouped under the chosen note');
			// The participant's copy follows the group live too.
			await part.locator(`#note-${lead} .op-board-group #note-${id}`).waitFor({ timeout: 3000 });
			await check(part, 'board-participant-grouped-390');
		} finally {
			await other.close();
		}
	});

	await test('the organiser: new session, registrations, report, moderation, board and table', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/agenda/new');
		await check(page, 'new-session');
		await reflow(page, 'new-session');
		await page.locator('#session-title').fill('Browsersessie');
		await page.locator('#session-date').fill('2031-05-14');
		await page.locator('#session-start_time').fill('14:00');
		await page.locator('#session-end_time').fill('13:00');
		await page.locator('#session-meeting_url').fill('https://meet.example/b');
		await page.locator('#session-capacity').fill('20');
		await clickNav(page, page.getByRole('button', { name: 'Opslaan als concept' }));
		await check(page, 'new-session-error');
		assert(await page.locator('#session-end_time-error').textContent() === 'Het einde moet na het begin liggen.', 'message at the end time');
		await page.locator('#session-end_time').fill('16:00');
		await page.locator('label', { hasText: 'Open Technologie' }).click();
		await clickNav(page, page.getByRole('button', { name: 'Opslaan als concept' }));
		await check(page, 'draft-preview');
		assert(await page.getByText('Voorbeeld: deze bijeenkomst is een concept.').count() === 1, 'draft preview');
		await clickNav(page, page.getByRole('button', { name: 'Publiceren' }));
		await check(page, 'published');
		const id = page.url().match(/\/sessions\/(\d+)/)[1];
		await page.goto(`${base}/sessions/${id}/board`);
		await check(page, 'board-create');
		await clickNav(page, page.getByRole('button', { name: 'Maak het bord' }));
		await check(page, 'board-organiser');
		await page.goto(`${base}/sessions/${nextForum}/registrations`);
		await check(page, 'registrations');
		await reflow(page, 'registrations');
		await page.goto(`${base}/sessions/${id}/report`);
		await check(page, 'report-form');
		await page.goto(base + '/agenda/moderation');
		await check(page, 'moderation');
		await reflow(page, 'moderation');
		await page.goto(base + '/agenda/submit');
		await check(page, 'submit');
		const table = await page.evaluate(async (b) => (await (await fetch(b + '/api/v1/sessions?when=past&kind=table')).json()).sessions[0].id, base);
		await page.goto(`${base}/sessions/${table}`);
		await check(page, 'table-public');
		await page.goto(`${base}/sessions/${table}/table`);
		await check(page, 'table-organiser');
		await reflow(page, 'table-organiser');
	});
});
