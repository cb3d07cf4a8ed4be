// actions.mjs — browser tests of the action plan, clicked like a person:
// the public finds the action points from the menu and filters them
// without JavaScript; a participant adopts an action point (after first
// forgetting the message) and sees the answer on her account page after
// the organiser accepts; a holder posts a progress update and changes a
// milestone; an organiser writes a draft, previews and publishes it; a
// participant offers on behalf of an organisation she is not a member of,
// a member confirms it, and the organiser answers from the inbox of open
// offers. axe-core runs on every page, and every page is checked at 320 px
// wide for sideways scrolling (WCAG 1.4.10) and kept as a screenshot at
// 390 px (a phone) beside the 1280 px one.
//
//   node tests/browser/actions.mjs PATH/TO/openplan SCREENSHOT_DIR
import fs from 'node:fs';
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const HOLDER = 'joris.bakker@openplan.example';   // Open State Foundation, Contract Register
const OFFERER = 'amira.elhaddad@openplan.example'; // Netwerk Democratie

await runBrowserSuite('actions', async ({ base, test, check: checkWide, newPage, clickNav, signIn }) => {
	// Every page: axe and a screenshot at 1280 px, then at 320 px nothing
	// may scroll sideways, then a screenshot at 390 px. The reflow check is
	// this feature's own pages' (/actions…); the account, notification and
	// sign-in pages belong to other suites.
	const shots = process.argv[3];
	for (const f of fs.readdirSync(shots)) if (/^actions-390-/.test(f)) fs.rmSync(`${shots}/${f}`);
	let phoneNo = 0;
	async function check(page, step) {
		await checkWide(page, step);
		if (!new URL(page.url()).pathname.startsWith('/actions')) return;
		const size = page.viewportSize();
		await page.setViewportSize({ width: 320, height: 640 });
		const over = await page.evaluate(() => {
			const w = document.documentElement.clientWidth;
			const wide = [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 1)
				.slice(0, 3).map(e => `${e.tagName.toLowerCase()}.${e.className}`);
			return { scroll: document.documentElement.scrollWidth, w, wide };
		});
		assert(over.scroll <= over.w, `${step}: scrolls sideways at 320 px (${over.scroll} > ${over.w}): ${over.wide.join(', ')}`);
		await page.setViewportSize({ width: 390, height: 844 });
		await page.screenshot({ path: `${shots}/actions-390-${String(++phoneNo).padStart(2, '0')}-${step}.png`, fullPage: true });
		await page.setViewportSize(size);
	}
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

	await test('an organiser writes a draft, previews it and publishes it', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/actions');
		await check(page, 'organiser-plan');
		await clickNav(page, page.getByRole('link', { name: 'Nieuw actiepunt' }));
		await check(page, 'new-draft');
		await page.locator('#ap-title').fill('Open vergaderen in de gemeenteraad');
		await page.locator('#ap-theme_id').selectOption({ label: 'Open Democratie' });
		await page.locator('#ap-ogp-participation').check();
		await page.locator('#ap-starts_on').fill('2021-09-01');
		await page.locator('#ap-ends_on').fill('2021-01-01');
		await clickNav(page, page.getByRole('button', { name: 'Opslaan als concept' }));
		await check(page, 'new-draft-error');
		assert(await page.locator('#ap-ends_on-error').count() === 1, 'no message at the end date');
		assert(await page.locator('#ap-ogp-participation').isChecked(), 'the checked OGP value is lost');
		await page.locator('#ap-ends_on').fill('2022-06-30');
		await clickNav(page, page.getByRole('button', { name: 'Opslaan als concept' }));
		await check(page, 'draft-preview');
		assert(/Voorbeeld van een concept/.test(await page.locator('main').innerText()), 'no preview banner');
		await clickNav(page, page.getByRole('button', { name: 'Publiceren' }));
		await check(page, 'draft-published');
		assert(/iedereen kan het nu zien/.test(await page.locator('main').innerText()), 'no message that says what happened');
		await clickNav(page, page.getByRole('link', { name: 'Actiepunt wijzigen' }));
		await check(page, 'organiser-edit-published');
		assert(await page.locator('#st-status').inputValue() === 'seeking' || await page.locator('#st-status').inputValue() === 'idea', 'the status control does not keep the current status');
	});

	await test('an offer for another organisation: a member confirms, the organiser answers from the inbox', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, HOLDER, DEMO_PASSWORD); // Joris: no member of Netwerk Democratie
		await page.goto(base + '/actions?status=seeking');
		await clickNav(page, page.getByRole('link', { name: 'Open Raadsinformatie', exact: true }));
		await clickNav(page, page.getByRole('link', { name: 'Adopteer dit actiepunt' }));
		await page.locator('#ad-org_id').selectOption({ label: 'Netwerk Democratie' });
		await page.locator('#ad-role').selectOption('partner');
		await page.locator('#ad-message').fill('Samen met Netwerk Democratie testen we de zoekfunctie met raadsleden.');
		await clickNav(page, page.getByRole('button', { name: 'Aanbod versturen' }));
		await check(page, 'offer-to-confirm-sent');
		assert(/Eerst bevestigt een lid van de organisatie/.test(await page.locator('main').innerText()), 'the flash does not say what happens next');

		const ctx2 = await page.context().browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			const member = await newPage(ctx2);
			await signIn(member, base, OFFERER, DEMO_PASSWORD); // Amira: member of Netwerk Democratie
			await member.goto(base + '/notifications');
			await check(member, 'member-notifications');
			await clickNav(member, member.getByRole('link', { name: /Bevestig het aanbod/ }).first());
			await check(member, 'member-confirm-page');
			await clickNav(member, member.getByRole('button', { name: 'Aanbod bevestigen' }));
			await check(member, 'member-confirmed');
		} finally {
			await ctx2.close();
		}
		const ctx3 = await page.context().browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			const op = await newPage(ctx3);
			await signIn(op, base, ORGANISER, DEMO_PASSWORD);
			await op.goto(base + '/actions');
			await clickNav(op, op.getByRole('link', { name: /open aanb/ }));
			await check(op, 'inbox');
			const card = op.locator('.op-act-inbox li', { hasText: 'Netwerk Democratie' });
			assert(await card.count() === 1, 'the confirmed offer is not in the inbox to answer');
			await clickNav(op, card.getByRole('button', { name: /Aanbod aannemen|Aanbod accepteren/ }));
			await check(op, 'inbox-accepted');
			assert(new URL(op.url()).pathname === '/actions/offers', `after accepting at ${op.url()}`);
		} finally {
			await ctx3.close();
		}
	});
});
