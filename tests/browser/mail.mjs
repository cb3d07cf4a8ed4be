// mail.mjs — browser tests of keeping people informed, clicked like a
// person: following an action point and reading the notification when it
// gets a new holder; choosing what comes by e-mail; the newsletter's
// archive, subscribing with a wrong address, an organiser writing an issue
// and seeing its preview; the privacy statement, downloading one's data
// and the erase page. axe on every page; 320 px wide without sideways
// scrolling on the pages people read on a phone.
//
//   node tests/browser/mail.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const JORIS = 'joris.bakker@openplan.example';
const AMIRA = 'amira.elhaddad@openplan.example';

async function narrow(page, check, step) {
	await page.setViewportSize({ width: 320, height: 640 });
	await check(page, step);
	const sw = await page.evaluate(() => document.documentElement.scrollWidth);
	assert(sw <= 320, `${step}: the page is ${sw}px wide at 320px (sideways scrolling)`);
	await page.setViewportSize({ width: 1280, height: 800 });
}

await runBrowserSuite('mail', async ({ base, test, check, newPage, clickNav, signIn }) => {
	let actionUrl;

	await test('follow an action point, then read the notification when it gets a new holder', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, JORIS, DEMO_PASSWORD);
		await page.goto(base + '/actions');
		await check(page, 'actions');
		await clickNav(page, page.getByRole('link', { name: /^Klachten openbaar maken/ }).first());
		actionUrl = new URL(page.url()).pathname;
		await check(page, 'action-not-followed');
		const section = page.locator('section.op-follow-section');
		assert(await section.count() === 1, 'no follow section on the action point');
		await clickNav(page, section.getByRole('button', { name: /^Volgen/ }));
		await check(page, 'action-followed');
		assert(new URL(page.url()).pathname === actionUrl, `after following at ${page.url()}`);
		assert((await page.locator('.op-flash').innerText()).includes('Je volgt dit nu'), 'no flash after following');
		assert(await section.getByRole('button', { name: /^Niet meer volgen/ }).count() === 1, 'no way out');
		// The account page lists it, with a way out.
		await page.goto(base + '/account');
		await check(page, 'account-following');
		await narrow(page, check, 'account-following-narrow');
		assert(await page.locator('#following ~ ul a[href="' + actionUrl + '"]').count() === 1, 'not listed on the account page');

		// Another person offers to co-hold it; the organiser accepts.
		const other = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL' });
		const ap = await newPage(other);
		await signIn(ap, base, AMIRA, DEMO_PASSWORD);
		await ap.goto(base + actionUrl + '/adopt');
		await check(ap, 'adopt');
		await ap.locator('#ad-new_org_name').fill('Stichting Meldpunt');
		await ap.locator('#ad-new_org_sector').selectOption('civil_society');
		await ap.locator('#ad-role').selectOption('partner');
		await ap.locator('#ad-message').fill('Wij helpen met het openbaar maken van klachten.');
		await clickNav(ap, ap.locator('main form').getByRole('button'));
		await other.close();
		const org = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL' });
		const op = await newPage(org);
		await signIn(op, base, ORGANISER, DEMO_PASSWORD);
		await op.goto(base + actionUrl + '/edit');
		await clickNav(op, op.locator(`form[action*="/offers/"][action$="/accept"]`).first().getByRole('button'));
		await org.close();

		// Joris sees it: the unread count in the header, the text for followers.
		await page.goto(base + '/');
		await check(page, 'home-unread');
		const badge = page.locator('header .op-badge');
		assert(await badge.count() === 1, 'no unread count in the header');
		await clickNav(page, page.locator('header a[href="/notifications"]'));
		await check(page, 'notifications');
		const note = page.locator('li.op-note--unread').first();
		const text = await note.innerText();
		assert(/Klachten openbaar maken.*heeft een nieuwe trekker\./.test(text), `notification says "${text}"`);
		await narrow(page, check, 'notifications-narrow');
		await clickNav(page, page.getByRole('button', { name: 'Markeer alles als gelezen' }));
		await check(page, 'notifications-read');
		assert(await page.locator('header .op-badge').count() === 0, 'still unread after marking read');
		await clickNav(page, page.locator('li.op-note').first().getByRole('link'));
		assert(new URL(page.url()).pathname === actionUrl, `the notification links to ${page.url()}`);
	});

	await test('follow a theme from the plan page', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, AMIRA, DEMO_PASSWORD);
		await clickNav(page, page.locator('section.op-follow-section a[href^="/follow/plan/"]'));
		await check(page, 'follow-plan');
		const row = page.locator('ul.op-follow-list li', { hasText: 'Open Justice' });
		await clickNav(page, row.getByRole('button', { name: /^Volgen/ }));
		await check(page, 'follow-plan-theme');
		assert(await page.locator('ul.op-follow-list li', { hasText: 'Open Justice' }).getByRole('button', { name: /^Niet meer volgen/ }).count() === 1,
		       'the theme is not followed');
		await narrow(page, check, 'follow-plan-narrow');
	});

	await test('choose what comes by e-mail', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, JORIS, DEMO_PASSWORD);
		await page.goto(base + '/notifications/settings');
		await check(page, 'settings');
		const sel = page.locator('select').nth(1);
		await sel.selectOption('weekly');
		await clickNav(page, page.locator('main form').getByRole('button', { name: 'Opslaan' }));
		await check(page, 'settings-saved');
		assert(await page.locator('select').nth(1).inputValue() === 'weekly', 'the choice is not kept');
		assert(await page.locator('.op-flash').count() === 1, 'no flash after saving');
		await narrow(page, check, 'settings-narrow');
	});

	await test('newsletter: archive, a wrong address, an issue', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await clickNav(page, page.locator('footer a[href="/news"]'));
		await check(page, 'news-archive');
		await page.locator('#sub-email').fill('iemand@localhost');
		await clickNav(page, page.locator('main form').getByRole('button', { name: 'Aanmelden' }));
		await check(page, 'news-subscribe-error');
		const err = page.locator('#sub-email-error');
		assert(await err.count() === 1, 'no message at the address');
		assert(await page.locator('#sub-email').getAttribute('aria-invalid') === 'true', 'the field is not aria-invalid');
		await page.locator('#sub-email').fill('iemand@voorbeeld.nl');
		await clickNav(page, page.locator('main form').getByRole('button', { name: 'Aanmelden' }));
		await check(page, 'news-subscribed');
		assert((await page.locator('.op-flash').innerText()).includes('Kijk in je e-mail'), 'no check-your-mail message');
		await clickNav(page, page.getByRole('link', { name: /oktober 2020/ }));
		await check(page, 'news-issue');
		assert(await page.locator('article h2').count() >= 2, 'the Markdown headings are not shown');
		await narrow(page, check, 'news-issue-narrow');
	});

	await test('an organiser writes a newsletter and sees the preview', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await clickNav(page, page.locator('header a[href="/news/issues"]'));
		await check(page, 'news-issues');
		await page.locator('#new-subject').fill('Nieuwsbrief november 2020');
		// An empty text: the browser itself asks for it (required).
		assert(await page.locator('#new-body').getAttribute('required') !== null, 'the text is not required');
		await page.locator('#new-body').fill('## De acties\n\nDe actiehouders werken de ideeën uit. *Binnenkort* meer.');
		await clickNav(page, page.getByRole('button', { name: 'Opslaan als concept' }));
		await check(page, 'news-draft');
		assert(await page.locator('.op-preview h2').innerText() === 'De acties', 'no rendered preview');
		assert(await page.locator('.op-preview em').count() === 1, 'emphasis not rendered');
		assert(await page.getByRole('button', { name: /Verstuur naar alle abonnees/ }).count() === 1, 'no send button');
		await narrow(page, check, 'news-draft-narrow');
	});

	await test('privacy statement, own data and the erase page', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await clickNav(page, page.locator('footer a[href="/privacy"]'));
		await check(page, 'privacy');
		assert(await page.locator('table caption').count() === 1, 'the table has no caption');
		await narrow(page, check, 'privacy-narrow');
		await signIn(page, base, AMIRA, DEMO_PASSWORD);
		await page.goto(base + '/account');
		await check(page, 'account');
		const [download] = await Promise.all([page.waitForEvent('download'), page.locator('a[href="/account/data"]').first().click()]);
		assert(download.suggestedFilename() === 'openplan-my-data.json', `download is ${download.suggestedFilename()}`);
		await clickNav(page, page.locator('main a[href="/account/erase"]').first());
		await check(page, 'erase');
		await page.locator('#password').fill('niet mijn wachtwoord');
		await clickNav(page, page.getByRole('button', { name: 'Mijn account wissen' }));
		await check(page, 'erase-error');
		assert(await page.locator('[role="alert"]').count() === 1, 'no error summary');
		assert(await page.locator('#understood-error').count() === 1, 'no message at the check box');
		await narrow(page, check, 'erase-narrow');
	});
});
