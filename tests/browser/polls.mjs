// polls.mjs — browser tests of live polls, clicked and typed like a person:
// the organiser makes a poll and opens the presenter's screen at
// 1920×1080 (a projector: no site menu, the full address, the code in
// large type, the QR code, charts readable from the back of the room, the
// next question by keyboard); a participant (another context: no shared
// cookies) joins with the code on a 390 px phone and votes, and sees the
// choice made; the presenter's screen shows it without loading again; a
// ranking keeps one option per place (and, without JavaScript, says so at
// the field); the word cloud's words do not overlap in real type; a poll
// that closes tells the phone it has ended and links to the report. Every
// page is checked with axe and for sideways scrolling at 320 px; the
// screenshots are kept in the screenshot folder.
//
//   node tests/browser/polls.mjs PATH/TO/openplan SCREENSHOT_DIR
import { runBrowserSuite, assert, DEMO_PASSWORD, ORGANISER } from './lib.mjs';

const PHONE = { width: 390, height: 844 };
const PROJECTOR = { width: 1920, height: 1080 };

await runBrowserSuite('polls', async ({ base, test, check, newPage, clickNav, signIn }) => {
	// No sideways scrolling at 320 CSS pixels (WCAG 1.4.10); a screenshot too.
	async function reflow(page, step) {
		const was = page.viewportSize();
		await page.setViewportSize({ width: 320, height: 720 });
		await page.waitForTimeout(100);
		const [sw, cw] = await page.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
		await check(page, `${step}-320`);
		await page.setViewportSize(was);
		assert(sw <= cw, `${step}: ${sw} px wide at 320 px`);
	}
	const px = (page, sel) => page.locator(sel).first().evaluate(el => parseFloat(getComputedStyle(el).fontSize));

	// Makes a poll through the API of the organiser's session: questions of every kind.
	async function makePoll(page, title, questions, mode = 'presenter') {
		return page.evaluate(async ({ title, questions, mode }) => {
			const csrf = document.querySelector('input[name="_csrf"]').value;
			const post = (url, form) => fetch(url, { method: 'POST', headers: { Accept: 'application/json' }, body: new URLSearchParams({ _csrf: csrf, ...form }) });
			const r = await (await post('/polls', { title, mode })).json();
			const id = Number(r.location.split('/').pop());
			for (const q of questions) await post(`/polls/${id}/questions`, q);
			await post(`/polls/${id}/control`, { action: 'open' });
			return (await (await fetch(`/api/v1/polls/${id}`)).json());
		}, { title, questions, mode });
	}

	await test('the presenter runs a poll on a projector, a participant votes on a phone', async (ctx) => {
		const pres = await newPage(ctx);
		await pres.setViewportSize({ width: 1280, height: 800 });
		await signIn(pres, base, ORGANISER, DEMO_PASSWORD);
		await pres.goto(base + '/polls');
		await check(pres, 'polls-list');
		await reflow(pres, 'polls-list');
		await pres.locator('#new-title').fill('Bijeenkomst browsertest');
		await clickNav(pres, pres.getByRole('button', { name: 'Peiling maken' }));
		await check(pres, 'poll-new');
		await pres.locator('#question-kind').selectOption('single');
		await pres.locator('#question-prompt').fill('Welk thema vind je het belangrijkst?');
		await pres.locator('#question-options').fill('Open Technologie\nOpen Informatie\nOpen Communicatie');
		await clickNav(pres, pres.getByRole('button', { name: 'Vraag toevoegen' }));
		await pres.locator('#question-kind').selectOption('ranking');
		await pres.locator('#question-prompt').fill('Zet de thema\'s in volgorde');
		await pres.locator('#question-options').fill('Open Technologie\nOpen Informatie\nOpen Communicatie');
		await clickNav(pres, pres.getByRole('button', { name: 'Vraag toevoegen' }));
		await clickNav(pres, pres.getByRole('button', { name: 'Open de peiling', exact: true }));
		await check(pres, 'poll-open');
		await reflow(pres, 'poll-open');
		const code = (await pres.locator('.op-poll-code').innerText()).trim();
		assert(/^\d{6}$/.test(code), `code "${code}"`);

		// The projector screen.
		await pres.setViewportSize(PROJECTOR);
		await clickNav(pres, pres.getByRole('link', { name: 'Presentatiescherm' }));
		await check(pres, 'presenter');
		assert(await pres.locator('.op-nav').count() === 0, 'a site menu on the projector');
		assert(await pres.getByText('Sanne').count() === 0, 'the account name on the projector');
		const url = (await pres.locator('.op-poll-present-url').innerText()).trim();
		assert(url === base.replace(/^https:\/\//, '') + '/p', `joining address "${url}"`);
		assert((await pres.locator('.op-poll-present-code').innerText()).replace(/\D/g, '') === code, 'code on screen');
		assert(await px(pres, '.op-poll-present-code') >= 80, 'the code is not in large type');
		assert(await px(pres, '.op-poll-present-prompt') >= 56, 'the question is too small for a room');
		assert(await px(pres, '.op-poll-cbar') >= 40, 'the answers are too small for a room');
		const qr = await pres.locator('img.op-poll-present-qr').evaluate(img => img.complete && img.naturalWidth > 0 && img.getBoundingClientRect().width);
		assert(qr >= 250, `the QR code is ${qr} px wide`);
		const fits = await pres.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1 && document.documentElement.scrollWidth <= window.innerWidth);
		assert(fits, 'the projector screen scrolls');
		await pres.evaluate(() => { window.__stillHere = true; });
		const cell = pres.locator('li', { hasText: 'Open Informatie' }).locator('.op-poll-n');
		assert((await cell.innerText()).trim() === '0', 'count starts at 0');

		// The participant: another context, phone-sized.
		const pctx = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: PHONE });
		try {
			const part = await newPage(pctx);
			await part.goto(base + '/p');
			await check(part, 'join');
			await reflow(part, 'join');
			assert(await part.locator('.op-nav').count() === 0, 'the site menu on the phone');
			await part.locator('#join-code').fill(code.slice(0, 3) + ' ' + code.slice(3));
			await clickNav(part, part.getByRole('button', { name: 'Meedoen' }));
			await check(part, 'participant');
			await reflow(part, 'participant');
			// A choice shows it is chosen (issue 16): not only the tiny dot.
			const choice = part.locator('.op-poll-phone-choice', { hasText: 'Open Informatie' });
			const other = part.locator('.op-poll-phone-choice', { hasText: 'Open Technologie' });
			await choice.locator('input').check();
			const look = l => l.evaluate(el => { const s = getComputedStyle(el); return `${s.borderColor} ${s.backgroundColor} ${s.fontWeight}`; });
			assert(await look(choice) !== await look(other), 'a checked choice looks like an empty one');
			const t0 = Date.now();
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			await cell.filter({ hasText: /^1$/ }).waitFor({ timeout: 3000 });
			const ms = Date.now() - t0;
			assert(ms < 1000, `the vote took ${ms} ms to reach the presenter's screen`);
			assert(await pres.evaluate(() => window.__stillHere === true), 'the presenter screen was reloaded');
			assert((await pres.locator('.op-poll-pct').nth(1).innerText()).trim() === '100%', 'the share');
			await check(part, 'participant-voted');
			assert(await part.getByText('Je antwoord is bewaard.').count() === 1, 'no confirmation for the participant');
			// After a reload the choice is still shown as chosen.
			assert(await part.locator('.op-poll-phone-choice', { hasText: 'Open Informatie' }).locator('input').isChecked(), 'the choice after reload');
			await check(pres, 'presenter-live');
			console.log(`# vote reached the presenter's screen in ${ms} ms`);

			// The next question by keyboard; the phone follows by itself.
			await Promise.all([pres.waitForNavigation({ waitUntil: 'load' }), pres.keyboard.press('ArrowRight')]);
			assert((await pres.locator('.op-poll-present-count').innerText()).includes('2 / 2'), 'the next question by keyboard');
			await check(pres, 'presenter-ranking');
			await part.getByRole('heading', { name: 'Zet de thema\'s in volgorde' }).waitFor({ timeout: 5000 });
			// Giving an option a place another has: the two swap.
			const sel = n => part.locator('.op-poll-phone-rank', { hasText: n }).locator('select');
			await sel('Open Communicatie').selectOption('1');
			assert(await sel('Open Technologie').inputValue() === '3', 'the places did not swap');
			await check(part, 'participant-ranking');
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			await pres.locator('li', { hasText: 'Open Communicatie' }).locator('.op-poll-place', { hasText: '1.' }).waitFor({ timeout: 3000 });
			await Promise.all([pres.waitForNavigation({ waitUntil: 'load' }), pres.keyboard.press('ArrowLeft')]);
			assert((await pres.locator('.op-poll-present-count').innerText()).includes('1 / 2'), 'the previous question by keyboard');
			await reflow(pres, 'presenter');

			// The poll closes: the phone says so and links to the report.
			await pres.goto(base + '/polls');
			await clickNav(pres, pres.getByRole('link', { name: 'Bijeenkomst browsertest' }));
			await clickNav(pres, pres.getByRole('button', { name: 'Zet het verslag bij het plan' }));
			await clickNav(pres, pres.getByRole('button', { name: 'Sluit de peiling' }));
			await part.getByText('Deze peiling is afgelopen. Bedankt voor het meedoen.').waitFor({ timeout: 5000 });
			assert(await part.getByText('Er ging iets mis').count() === 0, '"something went wrong" on the phone');
			await check(part, 'participant-ended');
			await reflow(part, 'participant-ended');
			await clickNav(part, part.getByRole('link', { name: 'Bekijk de uitslag in het verslag' }));
			await check(part, 'report-public');
		} finally {
			await pctx.close();
		}
		await pres.setViewportSize({ width: 1280, height: 800 });
		await clickNav(pres, pres.getByRole('link', { name: 'Verslag', exact: true }));
		await check(pres, 'report');
		await reflow(pres, 'report');
		assert(await pres.getByRole('row', { name: /Open Informatie 1 100%/ }).count() === 1, 'report row');
	});

	await test('every chart on the projector: ranking, scale, word cloud, open answers', async (ctx) => {
		const pres = await newPage(ctx);
		await signIn(pres, base, ORGANISER, DEMO_PASSWORD);
		const poll = await makePoll(pres, 'Forum: alle soorten', [
			{ kind: 'scale', prompt: 'Hoe tevreden ben je over het actieplan?', scale_min: '1', scale_max: '5' },
			{ kind: 'words', prompt: 'Wat betekent open overheid voor jou?' },
			{ kind: 'open', prompt: 'Welke ideeën heb je voor het meten van impact?' },
			{ kind: 'multiple', prompt: 'Welke kanalen volg je?', options: 'Nieuwsbrief\nLinkedIn\nWebsite\nBijeenkomsten' },
		], 'self');
		const { code } = poll.poll;
		const [scale, words, open, multi] = poll.questions;
		// A room answers through the JSON API (another context: other cookies).
		const room = await ctx.browser().newContext();
		try {
			const phrases = ['open source', 'Open source', 'transparantie', 'open data, transparantie', 'meedoen',
				'vertrouwen', 'inspraak', 'Woo', 'open-source', 'samenwerken', 'participatie', 'eerlijk'];
			for (let i = 0; i < 12; i++) {
				const r = await room.request.get(`${base}/api/v1/p/${code}`);
				const jar = (await room.storageState()).cookies;
				const csrf = jar.find(c => c.name === 'op_csrf').value;
				const vote = body => room.request.post(`${base}/api/v1/p/${code}/vote`, { headers: { 'X-CSRF-Token': csrf }, data: body });
				await vote({ question: scale.id, value: [4, 5, 3, 4][i % 4] });
				await vote({ question: words.id, text: phrases[i] });
				await vote({ question: open.id, text: `Vraag het de doelgroep, idee ${i + 1}` });
				await vote({ question: multi.id, options: [multi.options[i % 4].id, multi.options[(i + 1) % 4].id] });
				await room.clearCookies();
				void r;
			}
		} finally {
			await room.close();
		}
		await pres.setViewportSize(PROJECTOR);
		await pres.goto(`${base}/polls/${poll.poll.id}/present`);
		// The scale: its average, and a distribution that adds up.
		await check(pres, 'presenter-scale');
		assert((await pres.locator('.op-poll-cscale-avg-n').innerText()).trim() === '4,0', 'the scale average');
		const dist = await pres.locator('.op-poll-cscale-pct').allInnerTexts();
		assert(dist.reduce((a, b) => a + parseInt(b, 10), 0) === 100, `the distribution: ${dist}`);
		assert(await px(pres, '.op-poll-cscale-avg-n') >= 120, 'the average is not big enough for a room');
		const fitsNow = () => pres.evaluate(() => document.documentElement.scrollHeight <= window.innerHeight + 1);
		assert(await fitsNow(), 'the scale screen scrolls');
		// The word cloud in real type: no two words overlap, all inside, the
		// most named the biggest. A clicker's Page Down goes on.
		await Promise.all([pres.waitForNavigation({ waitUntil: 'load' }), pres.keyboard.press('PageDown')]);
		await check(pres, 'presenter-cloud');
		assert(await fitsNow(), 'the cloud screen scrolls');
		const boxes = await pres.locator('svg.op-poll-cloud text').evaluateAll(ts => ts.map(t => {
			const b = t.getBBox();
			return { w: t.textContent, x: b.x, y: b.y, r: b.x + b.width, b: b.y + b.height, s: Number(t.getAttribute('font-size')) };
		}));
		assert(boxes.length >= 9, `${boxes.length} words in the cloud`);
		assert(boxes[0].w === 'open source', `first word ${boxes[0].w}`);
		assert(boxes.every(b => b.s <= boxes[0].s), 'the most named word is not the biggest');
		for (let i = 0; i < boxes.length; i++) {
			const a = boxes[i];
			assert(a.x >= 0 && a.y >= 0 && a.r <= 1600 && a.b <= 800, `${a.w} outside the cloud`);
			for (let j = 0; j < i; j++) {
				const b = boxes[j];
				const apart = a.r <= b.x + 1 || b.r <= a.x + 1 || a.b <= b.y + 1 || b.b <= a.y + 1;
				assert(apart, `"${a.w}" overlaps "${b.w}"`);
			}
		}
		// A new word arrives while the screen is up: it appears without a reload.
		await pres.evaluate(() => { window.__stillHere = true; });
		const late = await ctx.browser().newContext();
		try {
			await late.request.get(`${base}/api/v1/p/${code}`);
			const csrf = (await late.storageState()).cookies.find(c => c.name === 'op_csrf').value;
			await late.request.post(`${base}/api/v1/p/${code}/vote`, { headers: { 'X-CSRF-Token': csrf }, data: { question: words.id, text: 'wendbaar' } });
		} finally {
			await late.close();
		}
		await pres.locator('svg.op-poll-cloud text', { hasText: 'wendbaar' }).waitFor({ timeout: 3000 });
		assert(await pres.evaluate(() => window.__stillHere === true), 'the cloud loaded the page again');
		await reflow(pres, 'presenter-cloud');
		for (const shot of ['presenter-open', 'presenter-multiple']) {
			await Promise.all([pres.waitForNavigation({ waitUntil: 'load' }), pres.keyboard.press('ArrowRight')]);
			await check(pres, shot);
			assert(await fitsNow(), `${shot}: the projector screen scrolls`);
		}
		const shares = await pres.locator('.op-poll-pct').allInnerTexts();
		assert(shares.join(' ') === '50% 50% 50% 50%', `several answers each: ${shares}`);
	});

	await test('without JavaScript a ranking with a shared place is explained at the field', async (ctx) => {
		const org = await newPage(ctx);
		await signIn(org, base, ORGANISER, DEMO_PASSWORD);
		const poll = await makePoll(org, 'Rangorde zonder script', [
			{ kind: 'ranking', prompt: 'Wat moet eerst?', options: 'Contract Register\nOpen source toolbox\nDirect Duidelijk Brigade' },
		]);
		const nojs = await ctx.browser().newContext({ bypassCSP: true, javaScriptEnabled: false, locale: 'nl-NL', viewport: PHONE });
		try {
			const part = await newPage(nojs);
			await part.goto(`${base}/p/${poll.poll.code}`);
			const sel = n => part.locator('.op-poll-phone-rank', { hasText: n }).locator('select');
			await sel('Open source toolbox').selectOption('1');
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			// Without scripts axe cannot run in this page: the same page with
			// scripts is checked below; here a screenshot and the reflow.
			await part.screenshot({ path: `${process.argv[3]}/polls-nojs-ranking-tie.png`, fullPage: true });
			const [sw, cw] = await part.evaluate(() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]);
			assert(sw <= cw, `${sw} px wide on a phone`);
			const msg = await part.locator('.op-poll-phone-ranking .utrecht-form-field-error-message').innerText();
			assert(msg === '“Contract Register” en “Open source toolbox” hebben allebei plaats 1. Geef elke keuze een eigen plaats.', `message: ${msg}`);
			assert(await sel('Open source toolbox').inputValue() === '1', 'the place as chosen');
			assert(await sel('Contract Register').getAttribute('aria-invalid') === 'true', 'the field is not marked invalid');
			await sel('Contract Register').selectOption('2');
			await sel('Direct Duidelijk Brigade').selectOption('3');
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			assert(await part.getByText('Je antwoord is bewaard.').count() === 1, 'the ranking was not saved');
		} finally {
			await nojs.close();
		}
		// The page with the message, as a browser with scripts gets it: axe.
		const jsctx = await ctx.browser().newContext({ bypassCSP: true, locale: 'nl-NL', viewport: PHONE });
		try {
			const part = await newPage(jsctx);
			await part.goto(`${base}/p/${poll.poll.code}`);
			await part.evaluate(() => {
				for (const s of document.querySelectorAll('.op-poll-phone-ranking select')) s.replaceWith(s.cloneNode(true));
				document.querySelectorAll('.op-poll-phone-ranking select')[1].value = '1';
			});
			await clickNav(part, part.getByRole('button', { name: 'Versturen' }));
			await check(part, 'participant-ranking-tie');
			await reflow(part, 'participant-ranking-tie');
		} finally {
			await jsctx.close();
		}
	});

	await test('the organiser hides an open answer with personal data', async (ctx) => {
		const org = await newPage(ctx);
		await org.setViewportSize({ width: 1280, height: 800 });
		await signIn(org, base, ORGANISER, DEMO_PASSWORD);
		const poll = await makePoll(org, 'Terugblik werksessie', [
			{ kind: 'open', prompt: 'Wat neem je mee uit deze sessie?' },
		], 'self');
		const { code } = poll.poll;
		const open = poll.questions[0];
		const room = await ctx.browser().newContext();
		try {
			for (const text of ['Meer ruimte voor vragen uit de zaal', 'Bel mij: Henk Jansen, 06-11223344']) {
				const c = await ctx.browser().newContext();
				await c.request.get(`${base}/api/v1/p/${code}`);
				const csrf = (await c.storageState()).cookies.find(k => k.name === 'op_csrf').value;
				await c.request.post(`${base}/api/v1/p/${code}/vote`, { headers: { 'X-CSRF-Token': csrf }, data: { question: open.id, text } });
				await c.close();
			}
		} finally {
			await room.close();
		}
		await org.goto(`${base}/polls/${poll.poll.id}`);
		await clickNav(org, org.getByRole('link', { name: /Getypte antwoorden nakijken/ }));
		await check(org, 'poll-answers');
		await reflow(org, 'poll-answers');
		// Back at the same page, at the answer (#a-ID).
		await Promise.all([org.waitForURL(/\/answers\?question=\d+#a-\d+$/, { waitUntil: 'load' }),
			org.locator('li.op-poll-text', { hasText: 'Henk Jansen' }).getByRole('button', { name: /^Verbergen/ }).click()]);
		await check(org, 'poll-answers-hidden');
		await reflow(org, 'poll-answers-hidden');
		assert(await org.getByText('1 antwoord wordt niet getoond').count() === 1, 'the count of hidden answers is missing');
		assert(await org.locator('li.op-poll-text', { hasText: 'Henk Jansen' }).getByRole('button', { name: /^Weer tonen/ }).count() === 1, 'no way to show it again');
		await org.goto(`${base}/polls/${poll.poll.id}/report`);
		assert(await org.getByText('Henk Jansen').count() === 0, 'the hidden answer is in the report');
		assert(await org.getByText('1 antwoord wordt niet getoond').count() === 1, 'the report does not say one answer is not shown');
		await check(org, 'poll-report-hidden');
	});

	await test('the demo poll report is on the plan page', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		const link = page.getByRole('link', { name: /Stakeholderforum 18 maart 2021/ });
		assert(await link.count() === 1, 'no link to the demo poll report on the plan page');
		await clickNav(page, link);
		await check(page, 'demo-report');
		await reflow(page, 'demo-report');
		assert(await page.getByRole('heading', { name: /Welke ideeën hebben jullie voor het meten van impact/ }).count() === 1, 'third question missing');
		assert(await page.getByRole('row', { name: /quiz 2/ }).count() === 1, 'word cloud count missing');
	});
});
