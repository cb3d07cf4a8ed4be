// lib.mjs — what every browser suite shares: a server on a fresh demo
// database, Debian's chromium through playwright-core, and check(): a
// full-page screenshot and an axe-core run (WCAG 2.1 A/AA) on every page.
//
//   runBrowserSuite('name', async ({ base, test, check, newPage, clickNav, signIn }) => { … })
//
// Prints "ok - name" / "not ok - name: reason" per test, then one line
// "N passed, N failed"; exits 1 when any test failed.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

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

export async function runBrowserSuite(suite, body) {
	const [binArg, shotArg] = process.argv.slice(2);
	if (!binArg || !shotArg) {
		console.error(`usage: node tests/browser/${suite}.mjs PATH/TO/openplan SCREENSHOT_DIR`);
		process.exit(2);
	}
	const BIN = resolve(binArg);
	const SHOTS = resolve(shotArg);
	mkdirSync(SHOTS, { recursive: true });
	// Screenshots of an earlier run would mix with this run's: remove ours only.
	const mine = new RegExp(`^${suite}-\\d\\d-[a-z0-9-]+\\.png$`);
	for (const f of readdirSync(SHOTS))
		if (mine.test(f)) rmSync(join(SHOTS, f), { force: true });

	let server, browser, tmp;
	let passed = 0, failed = 0;

	async function startServer() {
		tmp = mkdtempSync(join(tmpdir(), 'openplan-browser-'));
		const db = join(tmp, 'openplan.db');
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
	}

	async function newPage(ctx) {
		const page = await ctx.newPage();
		page.setDefaultTimeout(TIMEOUT);
		return page;
	}

	// Contexts bypass the Content-Security-Policy so check() can inject axe;
	// a test that checks the policy itself passes { csp: true }.
	async function test(name, fn, { csp = false } = {}) {
		const ctx = await browser.newContext({ bypassCSP: !csp, locale: 'nl-NL', viewport: { width: 1280, height: 800 } });
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
		await body({ base, test, check, newPage, clickNav, signIn });
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
