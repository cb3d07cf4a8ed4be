#!/usr/bin/env node
// site.mjs — HTTP end-to-end tests of what a Dutch government site must
// have (issue 16): every page's footer names the organisation, its
// contact details and links to the privacy and accessibility statements;
// an admin sets the site's name, organisation, contact details, both
// statements (with the status and the date of the last accessibility
// check) and the logo (an uploaded PNG or SVG, checked by its content and
// served by the site); bad input gets a message at its field and nothing
// is saved; nobody else may change any of it. Also: success messages on
// the core pages say what happened, Dutch content is marked lang="nl" on
// English pages, and times are shown in Europe/Amsterdam.
//   node tests/e2e/site.mjs PATH/TO/openplan
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import assert from 'node:assert/strict';
import {
	setBinary, mustCli, Server, Client, runSuite, stopChecked, has, hasNot, fieldError, statusIs,
} from './lib.mjs';

setBinary(path.resolve(process.argv[2] || 'build/san/openplan'));
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'openplan-site-'));
const DB = path.join(TMP, 'site.db');
const PW = 'correct horse battery';
const DEMO_PW = 'demo-wachtwoord';
const ADMIN = 'beheer@openplan.example';
const ORGANISER = 'sanne.devries@openplan.example';
const JORIS = 'joris.bakker@openplan.example';   // member of Open State Foundation
const PART = { email: 'site-participant@e2e.example', name: 'Pieter Post' };
let S;
const anon = (lang = 'en') => new Client(S.base, { lang });
async function signedIn(email, password, lang = 'en') {
	const c = anon(lang);
	await c.signin(email, password);
	return c;
}

// The Amsterdam date N days ago, as the demo computed it.
function amsterdamYmd(msAgo = 0) {
	return new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Amsterdam', year: 'numeric', month: '2-digit', day: '2-digit' })
		.format(new Date(Date.now() - msAgo));
}

// ---------- PNG and SVG files ----------

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xEDB88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});
function crc32(buf) {
	let c = 0xFFFFFFFF;
	for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xFF] ^ (c >>> 8);
	return (c ^ 0xFFFFFFFF) >>> 0;
}
function chunk(type, data) {
	const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
	const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
	const crc = Buffer.alloc(4); crc.writeUInt32BE(crc32(td));
	return Buffer.concat([len, td, crc]);
}
// A real PNG of w × h pixels, blue (RGB, no interlace).
function png(w, h) {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(w, 0); ihdr.writeUInt32BE(h, 4);
	ihdr[8] = 8; ihdr[9] = 2; ihdr[10] = 0; ihdr[11] = 0; ihdr[12] = 0;
	const row = Buffer.concat([Buffer.from([0]), Buffer.from(Array.from({ length: w }, () => [1, 104, 155]).flat())]);
	const raw = Buffer.concat(Array.from({ length: h }, () => row));
	return Buffer.concat([Buffer.from([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
		chunk('IHDR', ihdr), chunk('IDAT', zlib.deflateSync(raw)), chunk('IEND', Buffer.alloc(0))]);
}
const SVG = '<?xml version="1.0" encoding="UTF-8"?>\n<!-- a test logo -->\n<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><defs><linearGradient id="g"><stop offset="0" stop-color="#01689b"/></linearGradient></defs><rect width="10" height="10" fill="url(#g)"/></svg>';

async function upload(c, name, bytes, { type = 'application/octet-stream', json = false, field = 'logo' } = {}) {
	const fd = new FormData();
	fd.append('_csrf', c.token());
	if (bytes !== null) fd.append(field, new Blob([bytes], { type }), name);
	return c.req('POST', '/admin/site/logo', { body: fd, json });
}

// ---------- the footer and the statements ----------

async function every_page_has_the_footer_and_the_statements() {
	const c = anon('nl');
	for (const p of ['/', '/actions', '/organisations', '/signin', '/themes/1', '/search?q=inkoop', '/nope']) {
		const r = await c.get(p);
		assert.ok([200, 404].includes(r.status), `${p}: ${r.status}`);
		const foot = r.text.slice(r.text.indexOf('<footer'));
		has(foot, 'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties', `${p} footer`);
		has(foot, '<a class="nl-link" href="mailto:openoverheid@openplan.example">openoverheid@openplan.example</a>', `${p} footer`);
		has(foot, 'Postbus 20011<br>2500 EA Den Haag<br>', `${p} footer`);
		has(foot, '<a class="nl-link" href="/privacy">Privacyverklaring</a>', `${p} footer`);
		has(foot, '<a class="nl-link" href="/accessibility">Toegankelijkheidsverklaring</a>', `${p} footer`);
	}
	const priv = await c.get('/privacy');
	statusIs(priv, 200, '/privacy');
	has(priv.text, '<h1 class="nl-heading nl-heading--level-1">Privacyverklaring</h1>');
	has(priv.text, '<h2>Waarvoor we uw gegevens gebruiken</h2>', 'the admin\'s Markdown, rendered');
	// …in front of what openplan keeps (the account feature's part), in
	// place of openplan's own opening words.
	assert.ok(priv.text.indexOf('Waarvoor we uw gegevens') < priv.text.indexOf('id="privacy-kept"'), 'the statement first');
	hasNot(priv.text, 'Op openplan maken overheid en samenleving');
	const acc = await c.get('/accessibility');
	statusIs(acc, 200, '/accessibility');
	has(acc.text, '<span class="op-site-status">B. Voldoet gedeeltelijk</span>');
	const checked = amsterdamYmd(45 * 86400e3);
	has(acc.text, `De site is het laatst onderzocht op <time datetime="${checked}">`);
	has(acc.text, 'WCAG 2.1');
	has(acc.text, 'Nationale ombudsman');
	// As data, for a client that asks for JSON.
	const j = (await c.get('/accessibility', { json: true })).json();
	assert.equal(j.accessibility.status, 'partial');
	assert.equal(j.accessibility.checked_on, checked);
	assert.equal(j.accessibility.organisation, 'Ministerie van Binnenlandse Zaken en Koninkrijksrelaties');
}

const GOOD = {
	site_name: 'Open Overheid Utrecht', org_name: 'Gemeente Utrecht', contact_email: 'openoverheid@utrecht.example',
	contact_phone: '+31 30 000 00 00', contact_address: 'Postbus 16200\n3500 CE Utrecht', contact_url: 'https://utrecht.example/contact',
	privacy: '## Wie wij zijn\n\nDe gemeente Utrecht. <script>alert(1)</script>', a11y_status: 'full',
	a11y_checked_on: '2026-06-15', accessibility: 'Onderzocht door **Stichting Toegankelijk**.',
};

async function admin_sets_the_site_and_every_page_shows_it() {
	const adm = await signedIn(ADMIN, DEMO_PW);
	const page = await adm.get('/admin/site');
	statusIs(page, 200, '/admin/site');
	has(page.text, 'value="openplan"');
	has(page.text, 'enctype="multipart/form-data"');
	const r = await adm.postc('/admin/site', GOOD);
	statusIs(r, 303, 'save');
	assert.equal(r.location, '/admin/site');
	const after = await adm.get('/admin/site');
	has(after.text, 'The site&#39;s settings are saved: every page shows them now.');
	has(after.text, 'value="Open Overheid Utrecht"');
	const home = await anon().get('/');
	has(home.text, '<title>Actieplan Open Overheid 2020–2022 · Open Overheid Utrecht</title>');
	has(home.text, '<span class="op-brand__name" lang="nl">Open Overheid Utrecht</span>');
	const foot = home.text.slice(home.text.indexOf('<footer'));
	has(foot, 'Gemeente Utrecht');
	has(foot, 'Postbus 16200<br>3500 CE Utrecht<br>');
	has(foot, '<a class="nl-link" href="tel:+31300000000">+31 30 000 00 00</a>');
	has(foot, '<a class="nl-link" href="https://utrecht.example/contact">Contact page</a>');
	hasNot(foot, 'Binnenlandse Zaken');
	const priv = await anon().get('/privacy');
	has(priv.text, '<h2>Wie wij zijn</h2>');
	hasNot(priv.text, '<script>alert(1)</script>');
	// Without a statement of its own, the page says what openplan does.
	statusIs(await adm.postc('/admin/site', { ...GOOD, privacy: '' }), 303, 'no statement');
	const plain = await anon().get('/privacy');
	hasNot(plain.text, 'Wie wij zijn');
	has(plain.text, 'openplan is where government and society make the Open Government action plan together.');
	statusIs(await adm.postc('/admin/site', GOOD), 303, 'the statement back');
	const acc = await anon().get('/accessibility');
	has(acc.text, '<span class="op-site-status">A. Fully compliant</span>');
	has(acc.text, '<time datetime="2026-06-15">15 June 2026</time>');
	has(acc.text, '<strong>Stichting Toegankelijk</strong>');
	has(acc.text, 'The site meets every requirement of the standard.');
	// The admin's JSON view is the settings as data.
	const j = (await adm.get('/admin/site', { json: true })).json();
	assert.equal(j.settings.org_name, 'Gemeente Utrecht');
	assert.equal(j.settings.a11y_status, 'full');
}

async function settings_refuse_bad_input_at_the_field() {
	const adm = await signedIn(ADMIN, DEMO_PW);
	const cases = [
		[{ site_name: '' }, 'site-site_name', 'Fill in this field.'],
		[{ site_name: 'x'.repeat(81) }, 'site-site_name', 'Use at most 80 characters; now there are 81.'],
		[{ contact_email: 'not an address' }, 'site-contact_email', 'Fill in an e-mail address, like name@example.nl.'],
		[{ contact_phone: '070-BEL-ONS' }, 'site-contact_phone', 'Use only digits, spaces and + - ( ) in a telephone number.'],
		[{ contact_phone: '112' }, 'site-contact_phone', 'Fill in a telephone number of at least 6 digits.'],
		[{ contact_url: 'javascript:alert(1)' }, 'site-contact_url', 'Fill in a web address that starts with https:// or http://.'],
		[{ a11y_status: 'perfect' }, 'site-a11y_status', 'Choose one of the options.'],
		[{ a11y_checked_on: '2999-01-01' }, 'site-a11y_checked_on', 'The date of a check cannot be in the future.'],
		[{ a11y_status: 'partial', a11y_checked_on: '' }, 'site-a11y_checked_on', 'Fill in the date of the check this status rests on.'],
	];
	for (const [change, id, msg] of cases) {
		const r = await adm.postc('/admin/site', { ...GOOD, site_name: 'Iets anders', ...change });
		statusIs(r, 422, JSON.stringify(change));
		assert.equal(fieldError(r.text, id), msg.replace(/'/g, '&#39;'), JSON.stringify(change));
		has(r.text, 'Nothing was saved.');
	}
	// No first-measures status needs a date.
	statusIs(await adm.postc('/admin/site', { ...GOOD, a11y_status: 'no_measures', a11y_checked_on: '' }), 303, 'D without a date');
	statusIs(await adm.postc('/admin/site', GOOD), 303, 'back');
	// JSON clients get the messages per field.
	const j = await adm.postc('/admin/site', { ...GOOD, org_name: '' }, { json: true });
	statusIs(j, 422, 'json');
	assert.equal(j.json().error.fields.org_name, 'Fill in this field.');
	// Nothing of the refused forms was saved.
	has((await anon().get('/')).text, '· Open Overheid Utrecht</title>');
	hasNot((await anon().get('/')).text, 'Iets anders');
}

async function only_admins_change_the_site() {
	const org = await signedIn(ORGANISER, DEMO_PW);
	const part = await signedIn(PART.email, PW);
	for (const [c, who] of [[org, 'organiser'], [part, 'participant']]) {
		statusIs(await c.get('/admin/site'), 403, `${who} sees the settings`);
		statusIs(await c.postc('/admin/site', { ...GOOD, site_name: 'Gekaapt' }), 403, `${who} saves`);
		statusIs(await upload(c, 'logo.svg', SVG), 403, `${who} uploads a logo`);
		statusIs(await c.postc('/admin/site/logo/delete'), 403, `${who} removes the logo`);
	}
	const a = anon();
	await a.csrf('/signin');
	statusIs(await a.postc('/admin/site', { ...GOOD, site_name: 'Gekaapt' }), 401, 'anonymous saves');
	// Without the form's token, not even an admin.
	const adm = await signedIn(ADMIN, DEMO_PW);
	statusIs(await adm.post('/admin/site', { ...GOOD, site_name: 'Gekaapt', _csrf: 'x'.repeat(43) }), 403, 'admin without a token');
	hasNot((await anon().get('/')).text, 'Gekaapt');
}

async function logo_png_and_svg_are_checked_and_served() {
	const adm = await signedIn(ADMIN, DEMO_PW);
	await adm.csrf('/admin/site');
	const image = png(64, 32);
	assert.throws(() => new TextDecoder('utf-8', { fatal: true }).decode(image), 'the PNG is not UTF-8 text');
	let r = await upload(adm, 'logo.png', image, { type: 'image/png' });
	statusIs(r, 303, 'a PNG');
	has((await adm.get('/admin/site')).text, 'The logo is saved: it is at the top of every page now.');
	let home = await anon().get('/');
	let m = home.text.match(/<img class="op-brand__logo" src="(\/site\/logo\/[0-9a-f]{24}\.png)" alt="">/);
	assert.ok(m, 'the header shows the PNG');
	const got = await fetch(S.base + m[1]);
	assert.equal(got.status, 200);
	assert.equal(got.headers.get('content-type'), 'image/png');
	assert.match(got.headers.get('cache-control'), /immutable/);
	assert.deepEqual(Buffer.from(await got.arrayBuffer()), image, 'the bytes as uploaded');
	// The same image from another address is not served.
	statusIs(await anon().get(m[1].replace('.png', '.svg')), 404, 'wrong extension');
	statusIs(await anon().get('/site/logo/' + '0'.repeat(24) + '.png'), 404, 'an old hash');
	// An SVG replaces it; its address changes.
	r = await upload(adm, 'logo.svg', SVG, { type: 'image/svg+xml' });
	statusIs(r, 303, 'an SVG');
	home = await anon().get('/');
	const m2 = home.text.match(/<img class="op-brand__logo" src="(\/site\/logo\/[0-9a-f]{24}\.svg)" alt="">/);
	assert.ok(m2, 'the header shows the SVG');
	statusIs(await anon().get(m[1]), 404, 'the PNG is gone');
	const svg = await fetch(S.base + m2[1]);
	assert.equal(svg.headers.get('content-type'), 'image/svg+xml');
	assert.match(svg.headers.get('content-security-policy') || '', /sandbox/);
	assert.equal(await svg.text(), SVG);
}

async function logo_uploads_that_are_refused() {
	const adm = await signedIn(ADMIN, DEMO_PW);
	await adm.csrf('/admin/site');
	const before = (await anon().get('/')).text.match(/src="(\/site\/logo\/[^"]+)"/)?.[1];
	const good = png(8, 8);
	const badCrc = Buffer.from(good); badCrc[30] ^= 0xFF;
	const cases = [
		['script.svg', SVG.replace('</svg>', '<script>alert(1)</script></svg>'), 'This SVG holds scripts, links to other files or other active content. Export it as a plain SVG (or PNG) and upload that file.'],
		['onload.svg', SVG.replace('<svg ', '<svg onload="alert(1)" '), 'This SVG holds scripts'],
		['link.svg', SVG.replace('</svg>', '<image href="https://tracker.example/p.png"/></svg>'), 'This SVG holds scripts'],
		['use.svg', SVG.replace('</svg>', '<use xlink:href="other.svg#x"/></svg>'), 'This SVG holds scripts'],
		['entity.svg', '<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x "y">]><svg xmlns="http://www.w3.org/2000/svg"></svg>', 'This SVG holds scripts'],
		['css.svg', SVG.replace('</svg>', '<style>@import url(https://x.example/a.css);</style></svg>'), 'This SVG holds scripts'],
		['half.svg', '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1"', 'This is not a complete SVG image.'],
		['notes.txt', 'Dit is geen plaatje.', 'This is not an SVG or PNG image.'],
		['photo.jpg', Buffer.from([0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 0x4A, 0x46, 0x49, 0x46, 0]), 'This is not an SVG or PNG image.'],
		['short.png', good.subarray(0, good.length - 12), 'This is not a complete PNG image.'],
		['crc.png', badCrc, 'This is not a complete PNG image.'],
		['huge.png', png(5000, 1), 'The image is too large: at most 4096 by 4096 pixels.'],
		['big.svg', SVG.replace('<rect', '<!--' + 'x'.repeat(270 * 1024) + '--><rect'), 'The file is too large: at most 256 kB; this one is 271 kB.'],
		['empty.svg', '', 'Choose a file on your computer to send.'],
	];
	for (const [name, bytes, msg] of cases) {
		const r = await upload(adm, name, bytes);
		statusIs(r, 422, name);
		const got = fieldError(r.text, 'logo-logo') || '';
		assert.ok(got.startsWith(msg.replace(/'/g, '&#39;')), `${name}: "${got}"`);
		has(r.text, 'The logo is not saved.');
		const j = await upload(adm, name, bytes, { json: true });
		assert.ok(j.json().error.fields.logo, `${name} as JSON`);
	}
	// No file at all, or text in its place.
	statusIs(await upload(adm, null, null), 422, 'no file');
	statusIs(await adm.postc('/admin/site/logo', { logo: 'PHN2Zz4=' }), 422, 'text instead of a file');
	// A file where a form takes none: refused before anything else.
	const fd = new FormData();
	fd.append('_csrf', adm.token());
	fd.append('name', new Blob([Buffer.from([0xC3, 0x28])]), 'name.txt');
	statusIs(await adm.req('POST', '/plans/1/themes', { body: fd }), 400, 'a file in the theme form');
	assert.equal((await anon().get('/')).text.match(/src="(\/site\/logo\/[^"]+)"/)?.[1], before, 'the logo did not change');
}

// ---------- success messages, language, times ----------

function flash(html) {
	const m = html.match(/<div class="utrecht-alert utrecht-alert--ok op-flash" role="status"><div class="utrecht-alert__content"><p class="utrecht-alert__message nl-paragraph">([^<]*)<\/p>/);
	return m ? m[1].replace(/&#39;/g, "'") : null;
}
async function follow(c, r) {
	assert.equal(r.status, 303, `redirect, got ${r.status}: ${r.text.slice(0, 200)}`);
	return flash((await c.get(r.location)).text);
}

async function success_messages_say_what_happened() {
	const org = await signedIn(ORGANISER, DEMO_PW, 'nl');
	const plan = (await org.get('/api/v1/plans/1', { json: true })).json().plan;
	const form = { title: plan.title, description: plan.description, period_start: plan.period_start,
		period_end: plan.period_end, status: plan.status, current_phase: String(plan.current_phase_id || '') };
	const said = [];
	said.push(await follow(org, await org.postc('/plans/1/edit', form)));
	said.push(await follow(org, await org.postc('/plans/1/phases', { name: 'Nazorg', starts_on: '', ends_on: '' })));
	const after = (await org.get('/api/v1/plans/1', { json: true })).json().plan;
	const ph = after.phases.find(p => p.name === 'Nazorg');
	said.push(await follow(org, await org.postc(`/plans/1/phases/${ph.id}/move`, { direction: 'up' })));
	said.push(await follow(org, await org.postc(`/plans/1/phases/${ph.id}`, { name: 'Nazorg en evaluatie', starts_on: '', ends_on: '' })));
	said.push(await follow(org, await org.postc(`/plans/1/phases/${ph.id}/delete`)));
	said.push(await follow(org, await org.postc('/plans/1/themes', { name: 'Open Data', description: 'Data die iedereen mag gebruiken.' })));
	const th = (await org.get('/api/v1/plans/1', { json: true })).json().plan.themes.find(t => t.name === 'Open Data');
	said.push(await follow(org, await org.postc(`/plans/1/themes/${th.id}`, { name: 'Open Data', description: 'Herzien.' })));
	said.push(await follow(org, await org.postc(`/plans/1/themes/${th.id}/delete`)));
	said.push(await follow(org, await org.postc('/organisations/new', { name: 'Stichting Duidelijke Taal', sector: 'civil_society' })));
	const o = (await org.get('/api/v1/organisations', { json: true })).json().organisations.find(x => x.name === 'Stichting Duidelijke Taal');
	said.push(await follow(org, await org.postc(`/organisations/${o.id}`, { name: 'Stichting Duidelijke Taal', sector: 'other' })));
	said.push(await follow(org, await org.postc(`/organisations/${o.id}/members`, { email: PART.email })));
	const page = await org.get(`/organisations/${o.id}`);
	const uid = page.text.match(new RegExp(`/organisations/${o.id}/members/(\\d+)/delete`))[1];
	said.push(await follow(org, await org.postc(`/organisations/${o.id}/members/${uid}/delete`)));
	assert.deepEqual(said, [
		'Het plan is opgeslagen: de pagina van het plan toont de nieuwe titel, periode en status.',
		'De fase is achteraan de stappen toegevoegd.',
		'De fase is een stap naar voren gezet.',
		'De fase is opgeslagen.',
		'De fase is uit de stappen verwijderd.',
		'Het thema is toegevoegd. Het heeft nu een eigen pagina.',
		'Het thema is opgeslagen.',
		'Het thema is verwijderd.',
		'De organisatie is toegevoegd. Voeg hier haar leden toe.',
		'De naam en de sector van de organisatie zijn opgeslagen.',
		'Het lid is toegevoegd en mag nu namens de organisatie optreden.',
		'Het lid is uit de organisatie verwijderd.',
	]);
	// The admin's role change and the site settings say what they did too.
	const adm = await signedIn(ADMIN, DEMO_PW, 'nl');
	const users = (await adm.get('/admin/users', { json: true })).json().users;
	const pid = users.find(u => u.email === PART.email).id;
	assert.equal(await follow(adm, await adm.postc(`/admin/users/${pid}/role`, { role: 'participant' })),
		'De rol is gewijzigd: die geldt vanaf de volgende pagina die de persoon opent.');
	assert.equal(await follow(adm, await adm.postc('/admin/site', GOOD)),
		'De instellingen van de site zijn opgeslagen: elke pagina toont ze nu.');
}

// Attributes lang="nl" in a page, except <html>'s own.
const nlMarks = html => (html.match(/<(?!html)[a-z0-9]+[^>]* lang="nl"/g) || []);

async function dutch_content_is_marked_on_english_pages() {
	const en = anon('en'), nl = anon('nl');
	const checks = [
		['/', [/<h1 class="nl-heading nl-heading--level-1" lang="nl">Actieplan Open Overheid 2020–2022<\/h1>/,
		       /<h3 class="nl-heading nl-heading--level-3" lang="nl"><a class="nl-link op-card__link" href="\/themes\/\d+">Open Democratie<\/a><\/h3>/,
		       /<span class="op-step__name" lang="nl">5\. Uitvoeren<\/span>/]],
		['/themes/6', [/<h1 class="nl-heading nl-heading--level-1" lang="nl">Open Inkoop<\/h1>/,
		               /<p class="nl-paragraph op-theme-lead" lang="nl">Wat de overheid inkoopt/]],
		['/organisations', [/<td class="utrecht-table__cell" lang="nl"><a class="nl-link" href="\/organisations\/\d+">Ministerie van Binnenlandse Zaken/]],
		['/organisations/1', [/<h1 class="nl-heading nl-heading--level-1" lang="nl">/]],
		['/search?q=inkoop', [/<h3 class="nl-heading nl-heading--level-3" lang="nl"><a class="nl-link" href="\/actions\/\d+">Contract Register/]],
		['/privacy', [/<div class="op-site-md op-site-privacy" lang="nl">/]],
	];
	for (const [p, patterns] of checks) {
		const e = await en.get(p);
		has(e.text, '<html lang="en">', p);
		for (const re of patterns) assert.match(e.text, re, `${p} in English`);
		// On a Dutch page nothing needs marking.
		const n = await nl.get(p);
		assert.deepEqual(nlMarks(n.text), [], `${p} in Dutch has no lang="nl" marks`);
	}
	// The account page: the names of one's organisations.
	const joris = await signedIn(JORIS, DEMO_PW, 'en');
	assert.match((await joris.get('/account')).text, /<li lang="nl"><a class="nl-link" href="\/organisations\/\d+">Open State Foundation<\/a><\/li>/);
}

async function times_are_shown_in_amsterdam() {
	// A participant offers to adopt an action point for Open State Foundation;
	// Joris, its member, is asked to confirm: a notification, with its time.
	const part = await signedIn(PART.email, PW, 'nl');
	const points = (await part.get('/api/v1/action-points', { json: true })).json();
	const list = points.action_points || points.points || [];
	// (Open State Foundation has an open offer for Open Raadsinformatie already.)
	const seek = list.find(p => p.status === 'seeking' && p.title === 'Klachten openbaar maken');
	assert.ok(seek, 'an action point that seeks a holder');
	const orgs = (await part.get('/api/v1/organisations', { json: true })).json().organisations;
	const osf = orgs.find(o => o.name === 'Open State Foundation');
	const sent = Date.now();
	const r = await part.postc(`/actions/${seek.id}/adopt`, { org_id: String(osf.id), role: 'partner', message: 'Wij helpen graag met de data.' });
	statusIs(r, 303, `offer (${[...r.text.matchAll(/-error">([^<]*)</g)].map(m => m[1]).join('; ')})`);
	const joris = await signedIn(JORIS, DEMO_PW, 'nl');
	const page = (await joris.get('/notifications')).text;
	const when = [...page.matchAll(/<span class="op-note__when">([^<]*)<\/span>/g)].map(m => m[1]);
	assert.ok(when.length >= 1, 'a notification with its time');
	const fmt = (t) => {
		const p = Object.fromEntries(new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', day: 'numeric', month: 'long',
			year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(t)).map(x => [x.type, x.value]));
		return `${p.day} ${p.month} ${p.year}, ${p.hour}.${p.minute} uur`;
	};
	const ok = [fmt(sent - 60e3), fmt(sent), fmt(sent + 60e3)];
	assert.ok(ok.includes(when[0]), `the newest notification says "${when[0]}", want one of ${ok.join(' / ')} (Amsterdam time)`);
}

const tests = [
	every_page_has_the_footer_and_the_statements, admin_sets_the_site_and_every_page_shows_it,
	settings_refuse_bad_input_at_the_field, only_admins_change_the_site, logo_png_and_svg_are_checked_and_served,
	logo_uploads_that_are_refused, success_messages_say_what_happened, dutch_content_is_marked_on_english_pages,
	times_are_shown_in_amsterdam,
];

await runSuite(tests, {
	async setup() {
		mustCli(['init', '--db', DB]);
		mustCli(['demo', '--db', DB]);
		mustCli(['user', 'add', '--db', DB, '--email', PART.email, '--name', PART.name, '--role', 'participant'], PW + '\n');
		S = new Server('site', DB, { OPENPLAN_IP_LIMIT: '100000' });
		await S.start();
	},
	async teardown() {
		const r = [await stopChecked(S)];
		fs.rmSync(TMP, { recursive: true, force: true });
		return r;
	},
});
