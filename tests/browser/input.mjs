// input.mjs — browser tests of input and the reasoned response, clicked
// like a person: a participant shares an idea from the plan's page; an
// organiser finds it in the inbox, filters, gives it a theme and status,
// writes a response (Markdown) and looks for red threads; the participant
// sees the response under "My input" and in her notifications; the public
// reads what was done with the input (chart, red threads, search) and a
// group's page. axe-core runs on every page, every page is checked at
// 320 px wide for sideways scrolling (WCAG 1.4.10) and kept as a screenshot
// at 390 px (a phone) beside the 1280 px one.
//
//   node tests/browser/input.mjs PATH/TO/openplan SCREENSHOT_DIR
import fs from 'node:fs';
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const LOTTE = 'lotte.visser@openplan.example'; // demo participant

await runBrowserSuite('input', async ({ base, test, check: checkWide, newPage, clickNav, signIn }) => {
	const shots = process.argv[3];
	for (const f of fs.readdirSync(shots)) if (/^input-390-/.test(f)) fs.rmSync(`${shots}/${f}`);
	let phoneNo = 0;
	async function check(page, step) {
		await checkWide(page, step);
		const p = new URL(page.url()).pathname;
		if (!p.startsWith('/input') && !p.startsWith('/plans')) return;
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
		await page.screenshot({ path: `${shots}/input-390-${String(++phoneNo).padStart(2, '0')}-${step}.png`, fullPage: true });
		await page.setViewportSize(size);
	}

	const IDEA = 'Zet alle verslagen van het stakeholderforum op de website, met de presentaties erbij.';
	let ideaUrl;

	await test('a participant shares an idea from the plan page', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, LOTTE, DEMO_PASSWORD);
		await page.goto(base + '/plans/1');
		await check(page, 'plan-section');
		await clickNav(page, page.getByRole('link', { name: 'Deel een idee' }).first());
		await check(page, 'idea-form');
		// Sent empty first: the message is at the field, nothing is saved.
		await page.locator('#idea-text').fill('');
		await page.evaluate(() => document.querySelector('#idea-text').removeAttribute('required'));
		await clickNav(page, page.getByRole('button', { name: 'Mijn idee delen' }));
		await check(page, 'idea-form-error');
		assert(await page.locator('#idea-text-error').innerText() === 'Vul dit veld in.', 'message at the field');
		await page.locator('#idea-text').fill(IDEA);
		await page.locator('#idea-theme').selectOption({ label: 'Open Communicatie' });
		await clickNav(page, page.getByRole('button', { name: 'Mijn idee delen' }));
		await check(page, 'idea-shared');
		assert((await page.locator('.op-flash').innerText()).includes('Je idee is gedeeld'), 'thanked');
		assert((await page.locator('.op-input-text').first().innerText()).includes('verslagen van het stakeholderforum'), 'the idea shows');
		ideaUrl = new URL(page.url()).pathname;
	});

	await test('an organiser triages it and writes a response', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/plans/1');
		await clickNav(page, page.getByRole('link', { name: 'Inbox van de inbreng' }));
		await check(page, 'inbox');
		await page.locator('#f-source').selectOption('idea');
		await clickNav(page, page.getByRole('button', { name: 'Tonen' }));
		await check(page, 'inbox-ideas');
		assert(new URL(page.url()).searchParams.get('source') === 'idea', 'filtered by a GET form');
		const first = page.locator('.op-input-inbox li').first();
		assert((await first.innerText()).includes('verslagen van het stakeholderforum'), 'the newest idea first');
		await clickNav(page, first.getByRole('link', { name: /Beoordelen/ }));
		await check(page, 'item-organiser');
		await page.locator('#triage-status').selectOption('considering');
		await clickNav(page, page.getByRole('button', { name: 'Thema en status opslaan' }));
		await check(page, 'item-triaged');
		// A response without a status is refused at the field.
		await page.locator('#respond-status').selectOption('');
		await page.locator('#respond-body').fill('Goed idee!');
		await clickNav(page, page.getByRole('button', { name: 'Antwoord publiceren' }));
		await check(page, 'response-refused');
		assert((await page.locator('#respond-status-error').innerText()).includes('heeft een status nodig'), 'message at the status');
		assert(await page.locator('#respond-body').inputValue() === 'Goed idee!', 'what was typed stays');
		await page.locator('#respond-status').selectOption('taken_up');
		await page.locator('#respond-body').fill('De verslagen komen op de website, **met** de presentaties.');
		await clickNav(page, page.getByRole('button', { name: 'Antwoord publiceren' }));
		await check(page, 'response-published');
		assert(await page.locator('.op-input-answer strong').first().innerText() === 'Overgenomen', 'the status of the response');
		assert(await page.locator('.op-input-answer .op-act-md strong').count() === 1, 'Markdown rendered');
		// Red threads for the whole plan.
		await page.goto(base + '/input/plans/1/threads');
		await check(page, 'threads');
		await clickNav(page, page.getByRole('button', { name: 'Rode draden zoeken' }));
		for (let i = 0; i < 20 && await page.locator('[data-input-wait]').count(); i++)
			await page.waitForTimeout(500);
		await page.goto(page.url());
		await check(page, 'threads-proposed');
		assert(await page.locator('.op-input-thread').count() >= 1, 'red threads proposed');
		const name = page.locator('.op-input-thread input[name="title"]').first();
		await name.fill('Verslagen en presentaties');
		await clickNav(page, page.getByRole('button', { name: 'Aannemen als groep' }).first());
		await check(page, 'group-accepted');
		assert(await page.locator('h1').innerText() === 'Verslagen en presentaties', 'the group');
	});

	await test('the participant sees the response and was told', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, LOTTE, DEMO_PASSWORD);
		await page.goto(base + '/input/mine');
		await check(page, 'my-input');
		const mine = page.locator('.op-input-item').first();
		assert((await mine.innerText()).includes('De verslagen komen op de website'), 'the response under My input');
		await page.goto(base + '/notifications');
		await checkWide(page, 'notifications');
		assert((await page.locator('main').innerText()).includes('heeft een antwoord'), 'notified of the response');
		await page.goto(base + ideaUrl);
		await check(page, 'item-author');
		assert(await page.locator('#h-history').count() === 1, 'the history');
	});

	await test('the public reads what was done with the input', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/input/plans/1');
		await check(page, 'public');
		assert(await page.locator('svg.op-chart').count() === 1, 'the chart');
		assert(await page.locator('#c-counts').count() === 1, 'the numbers in a table');
		await page.locator('#s-q').fill('contracten');
		await clickNav(page, page.getByRole('search', { name: 'De inbreng doorzoeken' }).getByRole('button', { name: 'Zoeken' }));
		await check(page, 'public-search');
		assert(await page.locator('.op-input-item').count() >= 3, 'found by their stem');
		await clickNav(page, page.getByRole('link', { name: /^Open Wetsontwerp en Open Rechtspraak/ }).first());
		await check(page, 'group');
		assert((await page.locator('main').innerText()).includes('Open Justice'), 'its response');
		await page.goto(base + '/input/consultations/1');
		await check(page, 'public-consultation');
	});
});
