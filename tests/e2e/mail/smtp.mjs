// smtp.mjs — what the mail suites share: a real SMTP server
// (tests/e2e/mail/smtp_server.py on Debian's python3-aiosmtpd) started on a
// free port and killed or restarted at will, and a reader of the messages
// it received: headers (unfolded, RFC 2047 decoded), the envelope, and the
// text and HTML parts (quoted-printable decoded).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const PYTHON = fs.existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

// A port nobody listens on now.
export function freePort() {
	return new Promise((resolve, reject) => {
		const s = net.createServer();
		s.on('error', reject);
		s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
	});
}

export class SmtpServer {
	constructor(dir, { port = 0, delay = 0, countOnly = false } = {}) {
		this.dir = dir;
		this.port = port;
		this.delay = delay;
		this.countOnly = countOnly;
	}
	start() {
		return new Promise((resolve, reject) => {
			const args = [path.join(HERE, 'smtp_server.py'), '--dir', this.dir, '--port', String(this.port)];
			if (this.delay) args.push('--delay', String(this.delay));
			if (this.countOnly) args.push('--count-only');
			const p = spawn(PYTHON, args, { stdio: ['ignore', 'pipe', 'pipe'] });
			this.proc = p;
			this.exited = new Promise(res => p.on('exit', (code, signal) => res({ code, signal })));
			let out = '', err = '';
			const t = setTimeout(() => reject(new Error(`smtp server did not start: ${err}`)), 15000);
			p.stderr.on('data', d => { err += d; });
			p.stdout.on('data', d => {
				out += d;
				const m = out.match(/listening (\d+)/);
				if (m) { clearTimeout(t); this.port = Number(m[1]); resolve(this); }
			});
			p.on('exit', code => { clearTimeout(t); if (!this.port) reject(new Error(`smtp server exited ${code}: ${err}`)); });
		});
	}
	async kill(signal = 'SIGKILL') {
		if (!this.proc || this.proc.exitCode !== null || this.proc.signalCode !== null) return;
		this.proc.kill(signal);
		await this.exited;
	}
	get url() { return `smtp://127.0.0.1:${this.port}`; }
}

function qpDecode(s) {
	const bytes = [];
	const text = s.replace(/=\r?\n/g, '');
	for (let i = 0; i < text.length; i++) {
		if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(text.slice(i + 1, i + 3))) {
			bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
			i += 2;
		} else {
			bytes.push(...Buffer.from(text[i], 'latin1'));
		}
	}
	return Buffer.from(bytes).toString('utf8').replace(/\r\n/g, '\n');
}

// =?UTF-8?B?…?= and =?UTF-8?Q?…?= words, with the white space between
// adjacent words dropped (RFC 2047 §6.2).
export function decodeWords(v) {
	return v.replace(/\?=\s+=\?/g, '?==?').replace(/=\?([^?]+)\?([BbQq])\?([^?]*)\?=/g, (_, cs, enc, data) => {
		const buf = enc.toUpperCase() === 'B' ? Buffer.from(data, 'base64')
			: Buffer.from(data.replace(/_/g, ' ').replace(/=([0-9A-F]{2})/gi, (m, h) => String.fromCharCode(parseInt(h, 16))), 'latin1');
		return buf.toString('utf8');
	});
}

// One received message: { file, raw, envelopeTo, headers: Map(lower name → [values]),
// header(name), subject, to, text, html, rawHeaderLines }.
export function parseMail(raw, file = '') {
	const split = raw.indexOf('\r\n\r\n');
	const head = raw.slice(0, split), body = raw.slice(split + 4);
	const lines = head.split('\r\n');
	const unfolded = [];
	for (const l of lines) {
		if (/^[ \t]/.test(l) && unfolded.length) unfolded[unfolded.length - 1] += l;
		else unfolded.push(l);
	}
	const headers = new Map();
	for (const l of unfolded) {
		const i = l.indexOf(':');
		const k = l.slice(0, i).toLowerCase(), v = l.slice(i + 1).trim();
		if (!headers.has(k)) headers.set(k, []);
		headers.get(k).push(v);
	}
	const header = n => (headers.get(n.toLowerCase()) || [])[0];
	const m = { file, raw, headers, header, rawHeaderLines: lines };
	m.envelopeTo = header('X-Envelope-To');
	m.subject = decodeWords(header('Subject') || '');
	m.to = decodeWords(header('To') || '');
	const ct = header('Content-Type') || '';
	const bm = ct.match(/boundary="([^"]+)"/);
	if (bm) {
		for (const part of body.split('--' + bm[1]).slice(1)) {
			if (part.startsWith('--')) break;
			const ps = part.indexOf('\r\n\r\n');
			const ph = part.slice(0, ps), pb = part.slice(ps + 4);
			const decoded = /quoted-printable/i.test(ph) ? qpDecode(pb) : pb;
			if (/text\/plain/i.test(ph)) m.text = decoded;
			if (/text\/html/i.test(ph)) m.html = decoded;
			(m.parts ||= []).push({ head: ph, body: decoded });
		}
	}
	return m;
}

export function readMails(dir) {
	if (!fs.existsSync(dir)) return [];
	return fs.readdirSync(dir).filter(f => f.endsWith('.eml')).sort()
		.map(f => parseMail(fs.readFileSync(path.join(dir, f), 'latin1').toString(), f));
}

// Waits until pred(all messages) is true; returns the messages then.
export async function waitMails(dir, pred, what, timeoutMs = 20000) {
	const end = Date.now() + timeoutMs;
	for (;;) {
		const all = readMails(dir);
		if (pred(all)) return all;
		if (Date.now() > end) throw new Error(`timed out waiting for ${what}; have ${all.length} messages: ${all.map(m => `${m.envelopeTo}: ${m.subject}`).join(' | ')}`);
		await new Promise(r => setTimeout(r, 100));
	}
}

// The first http(s) link in a text part that contains `part`.
export function linkIn(text, part) {
	const re = /https?:\/\/\S+/g;
	for (const m of text.matchAll(re)) if (m[0].includes(part)) return m[0];
	return null;
}
