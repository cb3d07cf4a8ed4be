// actions.mjs — browser tests of the action plan, clicked like a person:
// the public finds the action points from the menu and filters them
// without JavaScript; a participant adopts an action point (after first
// forgetting the message) and sees the answer on her account page after
// the organiser accepts; a holder posts a progress update and changes a
// milestone. axe-core runs on every page.
//
//   node tests/browser/actions.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const HOLDER = 'joris.bakker@openplan.example';   // Open State Foundation, Contract Register
const OFFERER = 'amira.elhaddad@openplan.example'; // Netwerk Democratie

await runBrowserSuite('actions', async ({ base, test, check, newPage, clickNav, signIn }) => {
	await test('the public finds, filters and reads the action points', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'home');
		await clickNav(page, page.locator('header a[href="/actions"]'));
		await check(page, 'plan');
		assert(await page.locator('h1').innerText() === 'Actiepunten', 'h1 of the action plan');
		assert(await page.locator('.op-act-card').count() === 9, 'want nine action points');
		assert(await page.locator('.op-act-card progress').count() === 9, 'each has a progress bar');
		// Filter on status, without JavaScript: a GET form.
		await page.locator('#f-status').selectOption('seeking');
		await clickNav(page, page.getByRole('button', { name: 'Tonen' }));
		await check(page, 'plan-filtered');
		assert(new URL(page.url()).searchParams.get('status') === 'seeking', `filter url ${page.url()}`);
		assert(await page.locator('.op-act-card').count() === 2, 'want two action points that seek a holder');
		await clickNav(page, page.getByRole('link', { name: 'Open Raadsinformatie', exact: true }));
		await check(page, 'action-point-seeking');
		assert(await page.getByRole('link', { name: 'Adopteer dit actiepunt' }).count() === 1, 'no adopt link');
		await page.goto(base + '/actions');
		await clickNav(page, page.getByRole('link', { name: /^Contract Register/ }));
		await check(page, 'action-point');
		assert(await page.locator('.op-act-ms--late').count() >= 1, 'no late milestone highlighted');
		assert(await page.locator('.op-act-md strong').count() >= 1, 'Markdown not rendered');
		await clickNav(page, page.getByRole('link', { name: 'Alle actiepunten' }).first());
		await clickNav(page, page.getByRole('link', { name: 'De stand van alle actiepunten' }));
		await check(page, 'state');
		assert(await page.locator('.op-act-late-row').count() >= 2, 'late milestones not highlighted');
		await page.goto(base + '/actions/document');
		await check(page, 'document');
		await page.emulateMedia({ media: 'print' });
		assert(await page.locator('header nav').isHidden(), 'the menu is printed');
		await page.emulateMedia({ media: 'screen' });
	});

	await test('a participant adopts an action point; the organiser accepts', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, OFFERER, DEMO_PASSWORD);
		await page.goto(base + '/actions?status=seeking');
		await clickNav(page, page.getByRole('link', { name: 'Klachten openbaar maken', exact: true }));
		await check(page, 'seeking-point');
		await clickNav(page, page.getByRole('link', { name: 'Adopteer dit actiepunt' }));
		await check(page, 'adopt-form');
		// Forget the organisation, and type only spaces as the message.
		await page.locator('#ad-message').fill('   ');
		await clickNav(page, page.getByRole('button', { name: 'Aanbod versturen' }));
		await check(page, 'adopt-errors');
		assert(await page.locator('#ad-message-error').count() === 1, 'no message at the message field');
		assert(await page.locator('#ad-message').getAttribute('aria-invalid') === 'true', 'message not marked invalid');
		await page.locator('#ad-org_id').selectOption({ label: 'Netwerk Democratie' });
		await page.locator('#ad-role').selectOption('partner');
		await page.locator('#ad-message').fill('Netwerk Democratie wil meedenken over hoe je klachten leesbaar publiceert.');
		await clickNav(page, page.getByRole('button', { name: 'Aanbod versturen' }));
		await check(page, 'account-offer-open');
		assert(new URL(page.url()).pathname === '/account', `after the offer at ${page.url()}`);
		const offers = await page.locator('.op-act-offers').innerText();
		assert(/Klachten openbaar maken/.test(offers) && /Wacht op antwoord/.test(offers), `offers: ${offers}`);

		const ctx2 = await page.context().browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			const op = await newPage(ctx2);
			await signIn(op, base, ORGANISER, DEMO_PASSWORD);
			await op.goto(base + '/actions?status=seeking');
			await clickNav(op, op.getByRole('link', { name: 'Klachten openbaar maken', exact: true }));
			await clickNav(op, op.getByRole('link', { name: 'Actiepunt wijzigen' }));
			await check(op, 'organiser-edit');
			const card = op.locator('#offers li', { hasText: 'Netwerk Democratie' });
			assert(await card.count() === 1, 'the offer is not on the edit page');
			await clickNav(op, card.getByRole('button', { name: 'Aanbod accepteren' }));
			await check(op, 'organiser-accepted');
			assert(/Geaccepteerd/.test(await op.locator('#offers').innerText()), 'offer not shown as accepted');
		} finally {
			await ctx2.close();
		}
		await page.goto(base + '/account');
		await check(page, 'account-offer-accepted');
		assert(/Geaccepteerd/.test(await page.locator('.op-act-offers').innerText()), 'the offerer does not see the outcome');
	});

	await test('a holder posts a progress update and changes a milestone', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, HOLDER, DEMO_PASSWORD);
		await page.goto(base + '/actions');
		await clickNav(page, page.getByRole('link', { name: /^Contract Register/ }));
		await check(page, 'holder-action-point');
		await page.locator('#upd-percent').fill('55');
		await page.locator('#upd-body').fill('We hebben het prototype **getest** met tien gebruikers.\n\n- zoeken werkt\n- filteren nog niet');
		await page.locator('#upd-evidence_url').fill('ftp://example.nl/verslag');
		await clickNav(page, page.getByRole('button', { name: 'Voortgang plaatsen' }));
		await check(page, 'holder-update-error');
		assert(await page.locator('#upd-evidence_url-error').count() === 1, 'no message at the evidence link');
		await page.locator('#upd-evidence_url').fill('https://example.nl/verslag');
		await clickNav(page, page.getByRole('button', { name: 'Voortgang plaatsen' }));
		await check(page, 'holder-update-posted');
		const first = page.locator('.op-act-updates > li').first();
		assert(/getest/.test(await first.locator('strong').innerText()), 'the update is not shown first, rendered');
		assert(await first.getByRole('link', { name: 'Bewijs' }).getAttribute('href') === 'https://example.nl/verslag', 'evidence link');
		// Mark the late milestone as done.
		const late = page.locator('.op-act-ms--late').first();
		const title = await late.locator('h3').innerText();
		await late.locator('summary').click();
		await late.locator('input[name="done_on"]').fill('2022-04-01');
		await clickNav(page, late.getByRole('button', { name: 'Mijlpaal opslaan' }));
		await check(page, 'holder-milestone-done');
		const ms = page.locator('.op-act-ms', { hasText: title });
		assert(await ms.getAttribute('class') === 'op-act-ms op-act-ms--done', `milestone "${title}" not done`);
	});
});
