// site.mjs — browser tests of the site as a whole (issue 16), clicked and
// typed like a person: the footer leads to the privacy and accessibility
// statements; a theme card leads to the theme's page and on to its action
// points; the search box in the header works without JavaScript and finds
// a word in another form; an admin sets the site's name and uploads a
// logo, and every page shows them; on English pages the Dutch content is
// marked as Dutch; an empty required text area does not look wrong before
// anything is sent; headings are smaller on a phone. axe-core runs on
// every page, and every page is checked at 320 px for sideways scrolling
// and kept as a screenshot at 390 px and 1280 px.
//
//   node tests/browser/site.mjs PATH/TO/openplan SCREENSHOT_DIR
import zlib from 'node:zlib';
import { runBrowserSuite, assert, DEMO_PASSWORD } from './lib.mjs';

const ADMIN = 'beheer@openplan.example';

// A small real PNG: blue, w × h.
function png(w, h) {
	const table = Array.from({ length: 256 }, (_, n) => { let c = n; for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1; return c >>> 0; });
	const crc = (b) => { let c = 0xFFFFFFFF; for (const x of b) c = table[(c ^ x) & 0xFF] ^ (c >>> 8); return (c ^ 0xFFFFFFFF) >>> 0; };
	const chunk = (t, d) => { const l = Buffer.alloc(4); l.writeUInt32BE(d.length); const td = Buffer.concat([Buffer.from(t), d]); const c = Buffer.alloc(4); c.writeUInt32BE(crc(td)); return Buffer.concat([l, td, c]); };
	const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4); ihdr[8] = 8; ihdr[9] = 2;
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [1, 104, 155]).flat())]);
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), chunk('IHDR', ihdr),
		chunk('IDAT', zlib.deflateSync(Buffer.concat(Array.from({ length: h }, () => row)))), chunk('IEND', Buffer.alloc(0))]);
}

await runBrowserSuite('site', async ({ base, test, check, reflow, newPage, clickNav, signIn }) => {
	await test('the footer leads to the privacy and accessibility statements', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await check(page, 'home');
		const footer = page.locator('footer');
		assert((await footer.innerText()).includes('Ministerie van Binnenlandse Zaken en Koninkrijksrelaties'), 'the organisation in the footer');
		await clickNav(page, footer.getByRole('link', { name: 'Toegankelijkheidsverklaring' }));
		await check(page, 'accessibility');
		assert((await page.locator('h1').innerText()) === 'Toegankelijkheidsverklaring', 'h1 of the statement');
		assert(await page.locator('.op-site-status').innerText() === 'B. Voldoet gedeeltelijk', 'the status');
		assert(await page.locator('main time').first().getAttribute('datetime'), 'the date of the last check');
		await clickNav(page, page.locator('footer').getByRole('link', { name: 'Privacyverklaring' }));
		await check(page, 'privacy');
		assert(await page.getByRole('heading', { name: 'Waarvoor we uw gegevens gebruiken' }).count() === 1, 'the admin\'s statement');
	});

	await test('a theme card leads to the theme page and on to its action points', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await clickNav(page, page.locator('.op-themes').getByRole('link', { name: 'Open Inkoop' }));
		await check(page, 'theme');
		assert(new URL(page.url()).pathname.startsWith('/themes/'), `at ${page.url()}`);
		assert(await page.locator('h1').innerText() === 'Open Inkoop', 'h1 of the theme');
		assert(await page.getByRole('heading', { name: /^Actiepunten \(\d+\)$/ }).count() === 1, 'its action points');
		await clickNav(page, page.getByRole('link', { name: 'Contract Register: open inkoopinformatie van het Rijk' }));
		assert(new URL(page.url()).pathname.startsWith('/actions/'), `at ${page.url()}`);
		await page.goBack();
		await clickNav(page, page.locator('.op-theme-nav').getByRole('link', { name: 'Open Technologie' }));
		await check(page, 'theme-other');
		assert(await page.locator('h1').innerText() === 'Open Technologie', 'another theme');
	});

	await test('the search box works without JavaScript and finds a word in another form', async (ctx) => {
		// No JavaScript in this browser: axe needs it, so the pages here are
		// checked by axe in the English test below; reflow() still runs.
		const page = await newPage(ctx);
		await page.goto(base + '/actions');
		const box = page.getByRole('searchbox', { name: 'Zoeken op deze site' });
		assert(await box.count() === 1, 'one search box, labelled');
		await box.fill('openbaarmakingen');
		// (Without JavaScript, wait for the address, not for navigation events.)
		await box.press('Enter');
		await page.waitForURL(/\/search\?q=openbaarmakingen$/);
		await reflow(page, 'search-results');
		assert(new URL(page.url()).pathname === '/search', `at ${page.url()}`);
		assert(/1 resultaat voor/.test(await page.locator('[role="status"]').innerText()), 'one result');
		assert(await page.locator('mark').first().innerText() === 'openbaarmaking', 'the word found (singular) is marked');
		await page.getByRole('link', { name: /^Actieve openbaarmaking/ }).click();
		await page.waitForURL(/\/actions\/\d+$/);
		// A word found in many places: grouped by kind, each group a heading.
		await page.goto(base + '/search?q=open');
		await reflow(page, 'search-grouped');
		const groups = await page.locator('.op-search-page h2').allInnerTexts();
		assert(groups.length >= 3, `groups: ${groups}`);
		await page.getByRole('link', { name: /^Alle gevonden actiepunten tonen \(\d+\)$/ }).click();
		await page.waitForURL(/kind=action/);
		await reflow(page, 'search-one-kind');
		assert(new URL(page.url()).searchParams.get('kind') === 'action', 'only action points');
		await page.goto(base + '/search?q=xyzzy');
		await reflow(page, 'search-nothing');
		assert((await page.locator('main').innerText()).includes('Niets gevonden'), 'says nothing was found');
	}, { js: false });

	await test('the search pages pass axe', async (ctx) => {
		const page = await newPage(ctx);
		for (const [q, step] of [['openbaarmakingen', 'search-one'], ['open', 'search-grouped-js'], ['open&kind=action', 'search-kind-js'], ['xyzzy', 'search-none-js']]) {
			await page.goto(`${base}/search?q=${q}`);
			await check(page, step);
		}
		await page.goto(`${base}/search`);
		await check(page, 'search-empty');
	});

	await test('an admin names the site and uploads a logo; every page shows them', async (ctx) => {
		const page = await newPage(ctx);
		await signIn(page, base, ADMIN, DEMO_PASSWORD);
		await clickNav(page, page.locator('header').getByRole('link', { name: 'Instellingen van de site' }));
		await check(page, 'admin-site');
		await page.locator('#site-site_name').fill('Open Overheid');
		await page.locator('#site-org_name').fill('Ministerie van Binnenlandse Zaken en Koninkrijksrelaties');
		await page.locator('#site-contact_phone').fill('070 000 00 00');
		await clickNav(page, page.getByRole('button', { name: 'Instellingen opslaan' }));
		await check(page, 'admin-site-saved');
		assert((await page.locator('.op-flash').innerText()).includes('De instellingen van de site zijn opgeslagen'), 'says what happened');
		assert(await page.locator('.op-brand__name').innerText() === 'Open Overheid', 'the header shows the new name');
		assert((await page.title()).endsWith('· Open Overheid'), `the title: ${await page.title()}`);
		// A phone number with letters: the message at the field, nothing saved.
		await page.locator('#site-contact_phone').fill('bel ons');
		await clickNav(page, page.getByRole('button', { name: 'Instellingen opslaan' }));
		await check(page, 'admin-site-error');
		assert(await page.locator('#site-contact_phone').getAttribute('aria-invalid') === 'true', 'the field is marked');
		assert((await page.locator('#site-contact_phone-error').innerText()).includes('cijfers'), 'the message says why');
		await page.goto(base + '/admin/site');
		await page.locator('#logo-logo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png(120, 40) });
		await clickNav(page, page.getByRole('button', { name: 'Logo uploaden' }));
		await check(page, 'admin-logo-saved');
		assert((await page.locator('.op-flash').innerText()).includes('Het logo is opgeslagen'), 'says what happened');
		const logo = page.locator('header .op-brand__logo');
		assert(/\.png$/.test(await logo.getAttribute('src')), 'the header shows the PNG');
		const shown = await logo.evaluate((img) => img.complete && img.naturalWidth === 120 && img.getBoundingClientRect().height <= 41);
		assert(shown, 'the logo loads and is at most 40 px high');
		// A file that is no image: refused at the field.
		await page.locator('#logo-logo').setInputFiles({ name: 'logo.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg onload="alert(1)" xmlns="http://www.w3.org/2000/svg"></svg>') });
		await clickNav(page, page.getByRole('button', { name: 'Logo uploaden' }));
		await check(page, 'admin-logo-refused');
		assert((await page.locator('#logo-logo-error').innerText()).includes('scripts'), 'the message says why');
		await page.goto(base + '/organisations');
		assert(await page.locator('header .op-brand__logo').count() === 1, 'another page shows the logo too');
	});

	await test('on English pages the Dutch content is marked as Dutch', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		await clickNav(page, page.getByRole('link', { name: 'English', exact: true }));
		await check(page, 'home-en');
		assert(await page.locator('html').getAttribute('lang') === 'en', 'the page is English');
		assert(await page.locator('h1').getAttribute('lang') === 'nl', 'the plan\'s title is Dutch');
		assert(await page.locator('.op-themes h3').first().getAttribute('lang') === 'nl', 'the themes are Dutch');
		assert(await page.locator('footer #op-footer-org').getAttribute('lang') === 'nl', 'the organisation is Dutch');
		await page.goto(base + '/themes/1');
		await check(page, 'theme-en');
		assert(await page.locator('h1').getAttribute('lang') === 'nl', 'the theme\'s name is Dutch');
		await page.goto(base + '/search?q=inkoop');
		await check(page, 'search-en');
		assert(await page.locator('.op-search-result h3').first().getAttribute('lang') === 'nl', 'result titles are Dutch');
	});

	await test('an empty required text area looks like any other until the server says it is wrong', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/');
		const styles = await page.evaluate(() => {
			const main = document.querySelector('main');
			const make = (required, invalid) => {
				const t = document.createElement('textarea');
				t.className = 'utrecht-textarea utrecht-textarea--html-textarea';
				t.required = required;
				if (invalid) t.setAttribute('aria-invalid', 'true');
				main.append(t);
				const s = getComputedStyle(t);
				return { border: s.borderTopColor, width: s.borderTopWidth, bg: s.backgroundColor };
			};
			return { plain: make(false, false), required: make(true, false), wrong: make(true, true) };
		});
		assert(JSON.stringify(styles.required) === JSON.stringify(styles.plain),
		       `an empty required text area looks different: ${JSON.stringify(styles)}`);
		assert(JSON.stringify(styles.wrong) !== JSON.stringify(styles.plain),
		       `a text area the server marked wrong looks like any other: ${JSON.stringify(styles)}`);
	});

	await test('headings are smaller on a phone, long Dutch words hyphenate', async (ctx) => {
		const page = await newPage(ctx);
		await page.goto(base + '/accessibility');
		const wide = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
		await page.setViewportSize({ width: 320, height: 640 });
		const narrow = await page.locator('h1').evaluate((h) => parseFloat(getComputedStyle(h).fontSize));
		assert(narrow < wide * 0.7, `h1 is ${narrow}px on a phone and ${wide}px on a desktop`);
		const h = await page.locator('h1').evaluate((e) => ({ hyphens: getComputedStyle(e).hyphens, right: e.getBoundingClientRect().right, lang: e.closest('[lang]').lang }));
		assert(h.hyphens === 'auto' && h.lang === 'nl', `hyphens ${h.hyphens}, lang ${h.lang}`);
		assert(h.right <= 320, `"Toegankelijkheidsverklaring" ends at ${h.right}px`);
	});

}, { reflow: true });
