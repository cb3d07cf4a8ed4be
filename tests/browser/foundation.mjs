// foundation.mjs — browser tests of the foundation's main paths, clicked
// and typed like a person: the home page, the language switch, signing up,
// out and in, a form error, the organiser editing the plan, the keyboard.
// Every page visited is also checked at 320 px wide for sideways
// scrolling (lib.mjs reflow(), WCAG 1.4.10) and kept at 390 px.
//
//   node tests/browser/foundation.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, fail, DEMO_PASSWORD, ORGANISER, PLAN_TITLE } from './lib.mjs';

await runBrowserSuite('foundation', async ({ base, test, check, reflow, newPage, clickNav, signIn }) => {
	await test('home page shows the plan, its phases and themes', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'home');
		assert(await page.locator('html').getAttribute('lang') === 'nl', 'html lang is not "nl"');
		const h1 = (await page.locator('h1').innerText()).trim();
		assert(h1 === PLAN_TITLE, `h1 is "${h1}", want "${PLAN_TITLE}"`);
		const steps = page.locator('ol.op-steps > li');
		const n = await steps.count();
		assert(n === 6, `want 6 phases, got ${n}`);
		const cur = page.locator('ol.op-steps > li[aria-current="step"]');
		assert(await cur.count() === 1, 'want exactly one phase with aria-current="step"');
		const curText = await cur.innerText();
		assert(/Uitvoeren/.test(curText), `current phase is "${curText}", want Uitvoeren`);
		const themes = page.locator('ul.op-themes > li');
		assert(await themes.count() === 7, `want 7 themes, got ${await themes.count()}`);
		for (const t of ['Open Democratie', 'Open Informatie', 'Open Justice'])
			assert(await page.getByRole('heading', { name: t, level: 3 }).count() === 1, `theme ${t} missing`);
		// Small screen (320 CSS px wide, WCAG 1.4.10 reflow): no sideways scrolling.
		await page.setViewportSize({ width: 320, height: 640 });
		await check(page, 'home-narrow');
		const sw = await page.evaluate(() => document.documentElement.scrollWidth);
		assert(sw <= 320, `page is ${sw}px wide at a 320px viewport (sideways scrolling)`);
	});

	await test('language switch to English and back', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'lang-nl');
		await clickNav(page, page.getByRole('link', { name: 'English', exact: true }));
		await check(page, 'lang-en');
		assert(await page.locator('html').getAttribute('lang') === 'en', 'html lang is not "en" after switching');
		assert(new URL(page.url()).pathname === '/', `after switching, at ${page.url()}, want /`);
		const back = page.getByRole('link', { name: 'Nederlands', exact: true });
		assert(await back.count() === 1, 'no "Nederlands" link on the English page');
		assert(await back.getAttribute('lang') === 'nl', 'the "Nederlands" link has no lang="nl"');
		// The choice sticks on the next page.
		await clickNav(page, page.locator('header a[href="/organisations"]'));
		await check(page, 'lang-en-organisations');
		assert(await page.locator('html').getAttribute('lang') === 'en', 'lang not kept on the next page');
		await clickNav(page, page.getByRole('link', { name: 'Nederlands', exact: true }));
		await check(page, 'lang-back-nl');
		assert(await page.locator('html').getAttribute('lang') === 'nl', 'html lang is not "nl" after switching back');
		assert(new URL(page.url()).pathname === '/organisations', `switching back went to ${page.url()}, want /organisations`);
		assert(await page.getByRole('link', { name: 'English', exact: true }).count() === 1, 'no "English" link after switching back');
	});

	const user = { name: 'Test Deelnemer', email: `deelnemer.${Date.now()}@example.org`, password: 'een-lang-wachtwoord' };

	await test('sign up, sign out, sign in again', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'signup-home');
		await clickNav(page, page.locator('header a[href="/signup"]'));
		assert(new URL(page.url()).pathname === '/signup', `signup link went to ${page.url()}`);
		await check(page, 'signup');
		await page.locator('#name').fill(user.name);
		await page.locator('#email').fill(user.email);
		await page.locator('#password').fill(user.password);
		await clickNav(page, page.locator('main form').getByRole('button'));
		await check(page, 'signup-sent');
		assert(new URL(page.url()).pathname === '/signup/sent', `after sign-up at ${page.url()}`);
		assert(!(await page.locator('header').innerText()).includes(user.name), 'signed in before confirming');
		// No mail server here: the confirmation waits in the outbox, where an
		// admin reads it; its link is followed like from the mail.
		const actx = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		const adm = await newPage(actx);
		await signIn(adm, base, 'beheer@openplan.example', DEMO_PASSWORD);
		await adm.goto(base + '/admin/outbox');
		await check(adm, 'outbox');
		await clickNav(adm, adm.locator('main table a').first());
		await check(adm, 'outbox-message');
		const text = await adm.locator('pre.op-raw').first().innerText();
		const link = text.match(/https?:\/\/\S+(\/confirm\/\S+)/);
		assert(link, 'no confirmation link in the message');
		await actx.close();
		await page.goto(base + link[1]);
		await check(page, 'confirm');
		await clickNav(page, page.locator('main form').getByRole('button'));
		await check(page, 'signup-done');
		const header = page.locator('header');
		assert((await header.innerText()).includes(user.name), 'header does not show the new name after sign-up');
		assert(await page.locator('.op-flash').count() === 1, 'no flash message after confirming');
		// Sign out with the header button.
		await clickNav(page, header.locator('form[action="/signout"] button'));
		await check(page, 'signed-out');
		assert(!(await header.innerText()).includes(user.name), 'header still shows the name after sign-out');
		assert(await page.locator('.op-flash').count() === 1, 'no flash message after sign-out');
		// Sign in again.
		await clickNav(page, header.locator('a[href="/signin"]'));
		await check(page, 'signin-again');
		await page.locator('#email').fill(user.email);
		await page.locator('#password').fill(user.password);
		await clickNav(page, page.locator('main form').getByRole('button'));
		await check(page, 'signed-in-again');
		assert((await header.innerText()).includes(user.name), 'header does not show the name after sign-in');
		assert(new URL(page.url()).pathname === '/', `after sign-in at ${page.url()}, want /`);
	});

	await test('sign-up with a too-short password shows the error at the field and keeps input', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/signup');
		await check(page, 'signup-short-form');
		const name = 'Kort Wachtwoord', email = `kort.${Date.now()}@example.org`;
		await page.locator('#name').fill(name);
		await page.locator('#email').fill(email);
		await page.locator('#password').fill('kort');
		await clickNav(page, page.locator('main form').getByRole('button'));
		await check(page, 'signup-short-error');
		assert(await page.locator('[role="alert"]').count() === 1, 'no error summary (role=alert)');
		const pw = page.locator('#password');
		assert(await pw.getAttribute('aria-invalid') === 'true', 'password field not aria-invalid');
		const err = page.locator('#password-error');
		assert(await err.count() === 1 && (await err.innerText()).trim().length > 0, 'no error message at the password field');
		assert(/\b10\b/.test(await err.innerText()), `error message does not mention 10: "${await err.innerText()}"`);
		assert(((await pw.getAttribute('aria-describedby')) || '').split(' ').includes('password-error'),
		       'password field not described by its error');
		assert(await page.locator('#name').inputValue() === name, 'name not kept');
		assert(await page.locator('#email').inputValue() === email, 'e-mail not kept');
		assert(await pw.inputValue() === '', 'password should not be sent back');
		assert((await page.locator('header').innerText()).includes(name) === false, 'signed in despite the error');
	});

	await test('organiser edits the plan title', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await check(page, 'organiser-home');
		assert((await page.locator('header').innerText()).includes('Sanne de Vries'), 'organiser not signed in');
		await clickNav(page, page.locator('main a[href$="/edit"]'));
		await check(page, 'plan-edit');
		const title = page.locator('#plan-title');
		assert(await title.inputValue() === PLAN_TITLE, `title field has "${await title.inputValue()}"`);
		const newTitle = 'Actieplan Open Overheid 2020–2022 (herzien)';
		await title.fill(newTitle);
		await clickNav(page, page.locator('section[aria-labelledby="h-plan"] form button[type="submit"]'));
		await check(page, 'plan-saved');
		const flash = page.locator('.op-flash');
		assert(await flash.count() === 1, 'no flash message after saving');
		assert(await flash.getAttribute('role') === 'status', 'flash message is not role=status');
		assert(await page.locator('#plan-title').inputValue() === newTitle, 'edit form does not show the new title');
		await clickNav(page, page.locator('header nav a[href="/"]'));
		await check(page, 'home-new-title');
		const h1 = (await page.locator('h1').innerText()).trim();
		assert(h1 === newTitle, `home h1 is "${h1}", want "${newTitle}"`);
		assert(await page.locator('.op-flash').count() === 0, 'flash message shown a second time');
	});

	await test('pages keep to the Content-Security-Policy (no inline script or style is refused)', async (ctx) => {
		const refused = [];
		const page = await newPage(ctx);
		page.on('console', (m) => { if (/Content Security Policy|Refused to/i.test(m.text())) refused.push(`${page.url()}: ${m.text()}`); });
		await page.addInitScript(() => {
			document.addEventListener('securitypolicyviolation', (e) => {
				console.error(`Refused to load: ${e.violatedDirective} ${e.blockedURI}`);
			});
		});
		const visit = async (path) => {
			const r = await page.goto(base + path);
			assert(r && r.status() < 400, `${path} answered ${r && r.status()}`);
			await page.waitForLoadState('load');
			if (!path.endsWith('/present')) /* a projector screen, not a page for phones */
				await reflow(page, 'csp-' + (path.replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'home'));
		};
		for (const path of ['/', '/actions', '/actions/state', '/actions/document', '/organisations',
		                    '/consultations/1', '/consultations/1/results', '/p', '/signin'])
			await visit(path);
		// The organiser's pages, with the live presenter view (EventSource, poll.js).
		await page.locator('#email').fill(ORGANISER);
		await page.locator('#password').fill(DEMO_PASSWORD);
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.locator('main form').getByRole('button').click()]);
		for (const path of ['/plans/1/edit', '/polls', '/polls/1', '/consultations/1/edit', '/polls/1/present'])
			await visit(path);
		// poll.js adds the full-screen button: proof that the script ran.
		await page.locator('.op-poll-fullscreen').waitFor({ timeout: 5000 });
		assert(refused.length === 0, `the policy refused:\n${refused.join('\n')}`);
	}, { csp: true });

	await test('the account page, the organisations and the admin pages reflow at 320 px', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, 'beheer@openplan.example', DEMO_PASSWORD);
		for (const [path, step] of [['/account', 'account'], ['/organisations', 'organisations'],
		                            ['/organisations/1', 'organisation'], ['/organisations/new', 'organisation-new'],
		                            ['/admin/users', 'admin-users'], ['/notifications', 'notifications'],
		                            ['/plans/1/edit', 'plan-edit-admin']]) {
			await page.goto(base + path);
			await check(page, step);
		}
		// The e-mail address in the account's data list wraps instead of widening the page.
		await page.setViewportSize({ width: 320, height: 640 });
		await page.goto(base + '/account');
		const dd = await page.locator('.utrecht-data-list__item-value').nth(1).boundingBox();
		assert(dd && dd.x + dd.width <= 320, `the e-mail address ends at ${dd && dd.x + dd.width}px`);
	});

	await test('keyboard: the skip link is the first focusable element', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'keyboard-home');
		await page.keyboard.press('Tab');
		const f = await page.evaluate(() => ({
			href: document.activeElement.getAttribute('href'),
			text: document.activeElement.textContent.trim(),
			tag: document.activeElement.tagName,
		}));
		assert(f.tag === 'A' && f.href === '#main', `first Tab focuses ${f.tag} href=${f.href} "${f.text}"`);
		assert(/inhoud|content/i.test(f.text), `skip link text is "${f.text}"`);
		const box = await page.locator('a[href="#main"]').boundingBox();
		assert(box && box.width > 1 && box.height > 1, 'focused skip link is not visible');
		await page.keyboard.press('Enter');
		const went = await page.waitForFunction(() => location.hash === '#main', null, { timeout: 3000 })
			.then(() => true, () => false);
		assert(went, 'Enter on the skip link does not go to #main');
		await check(page, 'keyboard-skip-followed');
	});
}, { reflow: true });
