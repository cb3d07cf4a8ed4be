// consultations.mjs — browser tests of consultations, clicked like a person:
// the organiser reopens the demo consultation of September 2020, a visitor
// answers it by clicking (after first forgetting a required question), and
// the results page — chart, tables, named-once list, quotes — passes axe.
// An organiser makes a draft, previews and publishes it; a participant
// sees which choice is selected (the computed style of a checked radio
// button or checkbox differs from an empty one), after a reload and when
// changing the answer. Every page visited is checked with axe, reflows at
// 320 CSS pixels without sideways scrolling, and is kept as a screenshot at
// 1280 and at 390 pixels wide.
//
//   node tests/browser/consultations.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

await runBrowserSuite('consultations', async ({ base, test, check: axeCheck, newPage, clickNav, signIn: libSignIn }) => {
	// axe and a screenshot (lib.mjs), then WCAG 1.4.10: at 320 CSS pixels
	// nothing scrolls sideways; and a screenshot at phone width (390).
	async function check(page, step) {
		await axeCheck(page, step);
		const size = page.viewportSize();
		try {
			await page.setViewportSize({ width: 320, height: 800 });
			const wide = await page.evaluate(() => {
				const d = document.documentElement;
				if (d.scrollWidth <= d.clientWidth) return null;
				const out = [];
				for (const el of document.querySelectorAll('body *')) {
					const r = el.getBoundingClientRect();
					if (r.right > d.clientWidth + 1 && getComputedStyle(el).position !== 'fixed' && !el.closest('[data-scroll], .op-table-scroll'))
						out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}.${[...el.classList].join('.')} (${Math.round(r.right)}px)`);
				}
				return `${d.scrollWidth}px wide: ${out.slice(0, 5).join(', ')}`;
			});
			if (wide) throw new Error(`${step} scrolls sideways at 320 px: ${wide}`);
			await page.setViewportSize({ width: 390, height: 844 });
			const shot = process.argv[3];
			await page.screenshot({ path: `${shot}/consultations-${step}-390.png`, fullPage: true });
		} finally {
			await page.setViewportSize(size);
		}
	}
	async function signIn(page, b, email, password) {
		await libSignIn(page, b, email, password);
		await check(page, 'signed-in');
	}
	// The computed look of a control: what differs between checked and not.
	const look = (loc) => loc.evaluate((el) => {
		const c = getComputedStyle(el);
		return [c.backgroundColor, c.backgroundImage, c.borderColor].join(' | ');
	});

	await test('the plan page lists the demo consultation and its results', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'home');
		const link = page.getByRole('link', { name: 'Online consultatie Actieplan Open Overheid' });
		assert(await link.count() === 1, 'the demo consultation is not listed on the plan page');
		await clickNav(page, link);
		await check(page, 'closed-consultation');
		assert(await page.locator('#cons-state').count() === 1, 'no "closed" message');
		assert(await page.locator('form.op-cons-form').count() === 0, 'a closed consultation shows a form');
		await clickNav(page, page.getByRole('link', { name: 'Bekijk de uitkomsten' }));
		await check(page, 'demo-results');
		const n = (await page.locator('#cons-respondents strong').innerText()).trim();
		assert(n === '48', `respondents ${n}, want 48`);
		const first = await page.locator('#result-1 table tbody tr th').allInnerTexts();
		assert(first[0] === 'Open Technologie' && first[1] === 'Open Informatie' && first[2] === 'Open Communicatie',
		       `order of themes: ${first.slice(0, 3).join(', ')}`);
		assert(await page.locator('#result-1 svg title').count() === 1, 'the chart has no <title>');
		assert(await page.locator('.op-cons-once li').count() === 10, 'want ten themes named once');
		assert(await page.locator('.op-cons-quote').count() === 1, 'want one quote');
		await page.emulateMedia({ media: 'print' });
		await check(page, 'demo-results-print');
		assert(!(await page.locator('header.op-header').isVisible()), 'the header is printed');
	});

	await test('organiser reopens the demo consultation', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/consultations/1/edit');
		await check(page, 'edit-frozen');
		assert(await page.locator('#cons-frozen').count() === 1, 'no "frozen" notice');
		await page.locator('#cons-closes_on').fill('2099-12-31');
		await page.locator('#cons-results_public').selectOption('while_open');
		await clickNav(page, page.getByRole('button', { name: 'Opslaan', exact: true }).first());
		await check(page, 'edit-saved');
		assert(await page.locator('#cons-closes_on').inputValue() === '2099-12-31', 'closing date not saved');
	});

	await test('organiser creates a consultation and adds questions', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/');
		await clickNav(page, page.getByRole('link', { name: 'Nieuwe consultatie' }));
		await check(page, 'new-consultation');
		await page.locator('#cons-title').fill('Consultatie over open inkoop');
		await page.locator('#cons-intro').fill('Wat vind **jij** belangrijk?');
		await page.locator('#cons-opens_on').fill('2020-01-01');
		await page.locator('#cons-closes_on').fill('2099-01-01');
		await clickNav(page, page.getByRole('button', { name: 'Consultatie maken' }));
		await check(page, 'new-consultation-edit');
		await page.locator('#nq-kind').selectOption('ranking');
		await page.locator('#nq-prompt').fill('Zet deze thema\'s in volgorde');
		await page.locator('#nq-options').fill('Open Inkoop\nOpen Informatie\nOpen Technologie');
		await page.locator('#nq-required').check();
		await clickNav(page, page.getByRole('button', { name: 'Vraag toevoegen' }));
		await check(page, 'question-added');
		assert(await page.locator('.op-cons-edit-question').count() === 1, 'the question is not there');
		assert(await page.getByText('Thema: Open Inkoop').count() === 1, 'the option is not tied to its theme');
		// A question without a prompt comes back with a message.
		await page.locator('#nq-kind').selectOption('scale');
		await clickNav(page, page.getByRole('button', { name: 'Vraag toevoegen' }));
		await check(page, 'question-error');
		assert(await page.locator('#nq-prompt-error').count() === 1, 'no message at the empty question');
		// A new consultation is a draft (issue 16): the link leads to its preview.
		await clickNav(page, page.getByRole('link', { name: 'Bekijk het voorbeeld' }));
		await check(page, 'new-consultation-form');
		assert(await page.locator('select[name^="q"]').count() === 3, 'want a place to choose for each of three options');
	});

	await test('a visitor answers the demo consultation by clicking', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await clickNav(page, page.getByRole('link', { name: 'Online consultatie Actieplan Open Overheid' }));
		await check(page, 'answer-form');
		// First forget the required questions: the form comes back with messages.
		const ideas = page.locator('fieldset', { hasText: 'Welke ideeën heb je voor het nieuwe actieplan?' }).getByRole('textbox');
		await ideas.fill('Meer open source bij gemeenten.');
		await clickNav(page, page.getByRole('button', { name: 'Mijn antwoorden versturen' }));
		await check(page, 'answer-errors');
		assert(await page.locator('.utrecht-form-field-error-message').count() === 2, 'want two messages');
		const kept = await ideas.inputValue();
		assert(kept === 'Meer open source bij gemeenten.', `the open answer was not kept: "${kept}"`);
		// Now answer everything.
		await page.getByLabel('Open Technologie', { exact: true }).check();
		await page.getByLabel('Open Informatie', { exact: true }).check();
		await page.getByRole('checkbox', { name: 'Anders, namelijk:' }).check();
		await page.getByRole('textbox', { name: 'Anders, namelijk:' }).fill('Open Archieven');
		await page.getByLabel('Ja', { exact: true }).check();
		await page.getByLabel('Waarom (niet)?').fill('Om kennis te delen met andere gemeenten.');
		await clickNav(page, page.getByRole('button', { name: 'Mijn antwoorden versturen' }));
		await check(page, 'thanks');
		assert(await page.locator('#cons-thanks').count() === 1, 'no thank-you message');
		await clickNav(page, page.getByRole('link', { name: 'Bekijk de uitkomsten' }));
		await check(page, 'results-after-answer');
		const n = (await page.locator('#cons-respondents strong').innerText()).trim();
		assert(n === '49', `respondents ${n}, want 49`);
		const row = page.locator('#result-1 table tbody tr').filter({ hasText: 'Open Technologie' });
		const count = (await row.locator('td').first().innerText()).trim();
		assert(count === '32', `Open Technologie counted ${count}, want 32`);
		assert(await page.locator('.op-cons-once li', { hasText: 'Open Archieven' }).count() === 1, 'the write-in is not named once');
	});

	await test('organiser picks a quote on the results page', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/consultations/1/results');
		await check(page, 'organiser-results');
		const before = await page.locator('.op-cons-quote').count();
		await clickNav(page, page.getByRole('button', { name: 'Kiezen als citaat' }).first());
		await check(page, 'organiser-quoted');
		const after = await page.locator('.op-cons-quote').count();
		assert(after === before + 1, `quotes ${before} → ${after}`);
	});

	await test('an organiser drafts, previews and publishes; choices show their state', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ORGANISER, DEMO_PASSWORD);
		await page.goto(base + '/plans/1/consultations/new');
		await check(page, 'draft-new');
		await page.locator('#cons-title').fill('Hoe reis je naar de meedenksessie?');
		await page.locator('#cons-opens_on').fill('2020-01-01');
		await page.locator('#cons-closes_on').fill('2099-01-01');
		await clickNav(page, page.getByRole('button', { name: 'Consultatie maken' }));
		await check(page, 'draft-created');
		// Publishing without questions is refused with a message at the button.
		await clickNav(page, page.getByRole('button', { name: 'Publiceren' }));
		await check(page, 'draft-publish-refused');
		const msg = await page.locator('#status-status-error').innerText();
		assert(msg.includes('Voeg minstens één vraag toe'), `message: ${msg}`);
		const add = async (kind, prompt, options) => {
			await page.locator('#nq-kind').selectOption(kind);
			await page.locator('#nq-prompt').fill(prompt);
			if (options) await page.locator('#nq-options').fill(options);
			await clickNav(page, page.getByRole('button', { name: 'Vraag toevoegen' }));
		};
		await add('single', 'Hoe kom je?', 'Fiets\nTrein\nAuto');
		await add('multiple', 'Wat neem je mee?', 'Laptop\nLunch\nParaplu');
		await add('yesno', 'Blijf je lunchen?');
		await add('scale', 'Hoe ver is het voor je?');
		await check(page, 'draft-questions');
		// The preview: the questions as people will see them, nothing to send.
		await clickNav(page, page.getByRole('link', { name: 'Bekijk het voorbeeld' }));
		await check(page, 'draft-preview');
		assert(await page.locator('#cons-preview').count() === 1, 'no preview notice');
		assert(await page.getByRole('button', { name: 'Mijn antwoorden versturen' }).count() === 0, 'a preview can be sent');
		const url = page.url();
		await page.goBack();
		await clickNav(page, page.getByRole('button', { name: 'Publiceren' }));
		await check(page, 'published');
		assert((await page.locator('#h-status').innerText()).includes('Gepubliceerd'), 'not published');

		// A participant answers; the chosen controls look chosen.
		const other = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			const p = await newPage(other);
			await signIn(p, base, 'joris.bakker@openplan.example', DEMO_PASSWORD);
			await p.goto(url);
			await check(p, 'choices-empty');
			const trein = p.getByLabel('Trein', { exact: true }), fiets = p.getByLabel('Fiets', { exact: true });
			const empty = await look(fiets);
			await trein.check();
			assert(await look(trein) !== empty, `a checked radio button looks like an empty one: ${empty}`);
			await p.getByLabel('Lunch', { exact: true }).check();
			assert(await look(p.getByLabel('Lunch', { exact: true })) !== await look(p.getByLabel('Laptop', { exact: true })), 'a checked checkbox looks like an empty one');
			await p.getByLabel('Ja', { exact: true }).check();
			assert(await look(p.getByLabel('Ja', { exact: true })) !== await look(p.getByLabel('Nee', { exact: true })), 'yes looks like no');
			await p.getByLabel('4', { exact: true }).check();
			assert(await look(p.getByLabel('4', { exact: true })) !== await look(p.getByLabel('3', { exact: true })), 'a chosen scale point looks empty');
			await check(p, 'choices-chosen');
			await clickNav(p, p.getByRole('button', { name: 'Mijn antwoorden versturen' }));
			await check(p, 'choices-sent');
			// After a reload the saved answer still shows as chosen.
			await p.goto(url);
			await check(p, 'choices-reloaded');
			assert(await trein.isChecked(), 'the saved choice is not checked after a reload');
			assert(await look(trein) !== await look(fiets), 'after a reload the chosen radio button looks empty');
			assert(await look(p.getByLabel('4', { exact: true })) !== await look(p.getByLabel('5', { exact: true })), 'after a reload the scale looks empty');
			// Changing the answer moves the look with it.
			await fiets.check();
			assert(await look(fiets) !== await look(trein), 'changing the answer does not change the look');
			assert(await look(trein) === empty, 'the old choice still looks chosen');
		} finally {
			await other.close();
		}
	});
});
