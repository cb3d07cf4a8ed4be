// lib.mjs — what every browser suite shares: a server on a fresh demo
// database, Debian's chromium through playwright-core, check(): a
// full-page screenshot and an axe-core run (WCAG 2.1 A/AA) on every page,
// and reflow(): the page at 320 CSS px wide must not scroll sideways
// (WCAG 1.4.10), kept as a phone screenshot at 390 px.
//
//   runBrowserSuite('name', async ({ base, test, check, reflow, newPage, clickNav, signIn }) => { … })
//   runBrowserSuite('name', body, { reflow: true })   check() also runs reflow()
//
// Prints "ok - name" / "not ok - name: reason" per test, then one line
// "N passed, N failed"; exits 1 when any test failed.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { dbTarget } from '../pg/target.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
export const DEMO_PASSWORD = 'demo-wachtwoord';
export const ORGANISER = 'sanne.devries@openplan.example';
export const PLAN_TITLE = 'Actieplan Open Overheid 2020–2022';
const AXE = readFileSync(join(root, 'node_modules/axe-core/axe.min.js'), 'utf8');
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
// Generous: a loaded machine renders slowly; a timeout here never measures speed.
const TIMEOUT = 30_000;

export function fail(msg) { throw new Error(msg); }
export function assert(cond, msg) { if (!cond) fail(msg); }

export async function runBrowserSuite(suite, body, { reflow: reflowEveryCheck = false } = {}) {
	const [binArg, shotArg] = process.argv.slice(2);
	if (!binArg || !shotArg) {
		console.error(`usage: node tests/browser/${suite}.mjs PATH/TO/openplan SCREENSHOT_DIR`);
		process.exit(2);
	}
	const BIN = resolve(binArg);
	const SHOTS = resolve(shotArg);
	mkdirSync(SHOTS, { recursive: true });
	// Screenshots of an earlier run would mix with this run's: remove ours only.
	const mine = new RegExp(`^${suite}-(390-)?\\d\\d-[a-z0-9-]+\\.png$`);
	for (const f of readdirSync(SHOTS))
		if (mine.test(f)) rmSync(join(SHOTS, f), { force: true });

	let server, browser, tmp;
	let passed = 0, failed = 0;

	async function startServer() {
		tmp = mkdtempSync(join(tmpdir(), 'openplan-browser-'));
		// A file, or with OPENPLAN_TEST_PG a fresh PostgreSQL database.
		const db = dbTarget(join(tmp, 'openplan.db'));
		const env = { ...process.env, OPENPLAN_QUIET: '1', OPENPLAN_IP_LIMIT: '10000' };
		execFileSync(BIN, ['init', '--db', db], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		execFileSync(BIN, ['demo', '--db', db], { env, stdio: ['ignore', 'ignore', 'inherit'] });
		server = spawn(BIN, ['serve', '--db', db, '--listen', '127.0.0.1:0'],
		               { env, stdio: ['ignore', 'ignore', 'pipe'] });
		return await new Promise((ok, ko) => {
			let buf = '';
			const timer = setTimeout(() => ko(new Error('server did not start in 10 s: ' + buf)), 10_000);
			server.stderr.setEncoding('utf8');
			server.stderr.on('data', (d) => {
				buf += d;
				const m = buf.match(/openplan: serving \S+ on (http:\/\/127\.0\.0\.1:\d+\/)/);
				if (m) { clearTimeout(timer); ok(m[1].replace(/\/$/, '')); }
			});
			server.on('exit', (code) => { clearTimeout(timer); ko(new Error(`server exited (${code}): ${buf}`)); });
		});
	}

	// Every page visited gets a screenshot and an axe run. Tests call check()
	// after each navigation; the step name names the screenshot.
	let stepNo = 0;
	async function check(page, step) {
		await page.waitForLoadState('load');
		stepNo++;
		const file = join(SHOTS, `${suite}-${String(stepNo).padStart(2, '0')}-${step}.png`);
		await page.screenshot({ path: file, fullPage: true });
		await page.addScriptTag({ content: AXE });
		const res = await page.evaluate(async (tags) => {
			const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags } });
			return r.violations.map((v) => ({
				id: v.id, impact: v.impact, help: v.help,
				nodes: v.nodes.map((n) => n.target.join(' ') + (n.failureSummary ? ' — ' + n.failureSummary.replace(/\s+/g, ' ') : '')),
			}));
		}, AXE_TAGS);
		if (res.length) {
			const lines = res.map((v) => `  [${v.id}] (${v.impact}) ${v.help}\n` +
			                             v.nodes.map((n) => `      ${n}`).join('\n'));
			fail(`axe: ${res.length} violation(s) on ${step} (${page.url()}):\n${lines.join('\n')}`);
		}
		if (reflowEveryCheck) await reflow(page, step);
	}

	// WCAG 1.4.10 (reflow): at 320 CSS px wide the page must not scroll
	// sideways. Fails naming the elements and texts that stick out; then
	// keeps a full-page screenshot at 390 px (a phone) as
	// SUITE-390-NN-step.png, and puts the viewport back.
	let phoneNo = 0;
	async function reflow(page, step) {
		const size = page.viewportSize();
		await page.setViewportSize({ width: 320, height: 640 });
		try {
			const over = await page.evaluate(() => {
				const w = document.documentElement.clientWidth;
				const sticking = [];
				for (const e of document.querySelectorAll('body *')) {
					const r = e.getBoundingClientRect();
					if (r.width && r.right > w + 1) {
						const inScroll = e.parentElement && e.parentElement.closest('.op-scroll, .utrecht-table-container, [role="region"]');
						if (!inScroll) sticking.push(`<${e.tagName.toLowerCase()} class="${e.className}"> ${Math.round(r.right)}px`);
					}
				}
				const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
				for (let n; (n = walker.nextNode());) {
					const range = document.createRange();
					range.selectNodeContents(n);
					const r = range.getBoundingClientRect();
					if (r.width && r.right > w + 1 && !n.parentElement.closest('.op-scroll, .utrecht-table-container, [role="region"]'))
						sticking.push(`text "${n.textContent.trim().slice(0, 40)}" in <${n.parentElement.tagName.toLowerCase()}> ${Math.round(r.right)}px`);
				}
				// What scrolls by itself (a wide table) must be reachable by
				// keyboard and say what it is: tabindex="0", a label.
				const closed = [];
				for (const e of document.querySelectorAll('body *')) {
					const ox = getComputedStyle(e).overflowX;
					if ((ox === 'auto' || ox === 'scroll') && e.scrollWidth > e.clientWidth + 1 &&
					    !(e.tabIndex >= 0 && (e.getAttribute('aria-label') || e.getAttribute('aria-labelledby'))))
						closed.push(`<${e.tagName.toLowerCase()} class="${e.className}">`);
				}
				return { scroll: document.documentElement.scrollWidth, w, sticking: sticking.slice(0, 6), closed };
			});
			if (over.closed.length)
				fail(`reflow: ${step} (${page.url()}) scrolls sideways inside ${over.closed.join(', ')} at 320px, without tabindex="0" and a label (aria-label or aria-labelledby)`);
			if (over.scroll > over.w)
				fail(`reflow: ${step} (${page.url()}) is ${over.scroll}px wide at a ${over.w}px viewport (sideways scrolling): ${over.sticking.join('; ') || 'no single element'}`);
			await page.setViewportSize({ width: 390, height: 844 });
			const file = join(SHOTS, `${suite}-390-${String(++phoneNo).padStart(2, '0')}-${step}.png`);
			await page.screenshot({ path: file, fullPage: true });
		} finally {
			await page.setViewportSize(size);
		}
	}

	async function newPage(ctx) {
		const page = await ctx.newPage();
		page.setDefaultTimeout(TIMEOUT);
		return page;
	}

	// Contexts bypass the Content-Security-Policy so check() can inject axe;
	// a test that checks the policy itself passes { csp: true }. A test of
	// pages without JavaScript passes { js: false } (check() cannot run axe
	// there; reflow() works).
	async function test(name, fn, { csp = false, js = true } = {}) {
		const ctx = await browser.newContext({ bypassCSP: !csp, javaScriptEnabled: js, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
		try {
			await fn(ctx);
			passed++;
			console.log(`ok - ${name}`);
		} catch (e) {
			failed++;
			console.log(`not ok - ${name}: ${e && e.message ? e.message : e}`);
		} finally {
			await ctx.close().catch(() => {});
		}
	}

	// Clicks and waits for the navigation that the click starts.
	async function clickNav(page, locator) {
		await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), locator.click()]);
	}

	async function signIn(page, base, email, password) {
		await page.goto(base + '/');
		await check(page, 'home-signed-out');
		await clickNav(page, page.locator('header a[href="/signin"]'));
		await check(page, 'signin');
		await page.locator('#email').fill(email);
		await page.locator('#password').fill(password);
		await clickNav(page, page.locator('main form').getByRole('button'));
	}

	try {
		const base = await startServer();
		browser = await chromium.launch({
			executablePath: '/usr/bin/chromium',
			headless: true,
			args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
			       '--disable-background-networking', '--disable-component-update', '--disable-sync'],
		});
		await body({ base, test, check, reflow, newPage, clickNav, signIn });
	} catch (e) {
		failed++;
		console.log(`not ok - setup: ${e && e.message ? e.message : e}`);
	} finally {
		if (browser) await browser.close().catch(() => {});
		if (server && server.exitCode === null) {
			server.removeAllListeners('exit');
			server.kill('SIGTERM');
			await new Promise((ok) => { const t = setTimeout(() => { server.kill('SIGKILL'); ok(); }, 3000); server.once('exit', () => { clearTimeout(t); ok(); }); });
		}
		if (tmp) rmSync(tmp, { recursive: true, force: true });
		console.log(`${passed} passed, ${failed} failed`);
		process.exit(failed ? 1 : 0);
	}
}
