// consultations.mjs — browser tests of consultations, clicked like a person:
// the organiser reopens the demo consultation of September 2020, a visitor
// answers it by clicking (after first forgetting a required question), and
// the results page — chart, tables, named-once list, quotes — passes axe.
//
//   node tests/browser/consultations.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

await runBrowserSuite('consultations', async ({ base, test, check, newPage, clickNav, signIn }) => {
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
		await clickNav(page, page.getByRole('link', { name: 'Bekijk de consultatie' }));
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
});
