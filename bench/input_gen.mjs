// input_gen.mjs — SQL for the input benchmark (bench/input.sh): N ideas on
// plan 1, written from the 160 texts of tests/unit/input_fixture.h (eight
// known topics): each a new text of two halves of texts of one topic, so
// the clustering has real topics to find and the index real Dutch words.
// The first CLUSTER of them carry the theme with id THEME (the set that
// red threads are asked for); the rest have no theme.
//   node bench/input_gen.mjs N CLUSTER THEME > items.sql
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const [n, cluster, theme] = process.argv.slice(2).map(Number);
const here = path.dirname(fileURLToPath(import.meta.url));
const src = fs.readFileSync(path.join(here, '..', 'tests', 'unit', 'input_fixture.h'), 'utf8');
const texts = [...src.matchAll(/\{ (T_[A-Z]+), "((?:[^"\\]|\\.)*)" \}/g)].map(m => ({ topic: m[1], text: m[2] }));
if (texts.length < 150) throw new Error(`the fixture has ${texts.length} texts`);
const byTopic = {};
for (const t of texts) (byTopic[t.topic] ||= []).push(t.text);
const topics = Object.keys(byTopic);
// mulberry32: a small seeded generator in 32-bit integer arithmetic, so
// every run writes the same items.
let seed = 42;
const rnd = k => {
	seed = (seed + 0x6d2b79f5) | 0;
	let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
	t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
	return ((t ^ (t >>> 14)) >>> 0) % k;
};
const half = (s, first) => {
	let i = Math.floor(s.length / 2);
	while (i < s.length && s[i] !== ' ') i++;
	return first ? s.slice(0, i) : s.slice(i);
};
const q = s => `'${s.replaceAll("'", "''")}'`;
const out = ['BEGIN;'];
const t0 = 1600000000;
for (let i = 0; i < n; i++) {
	const list = byTopic[topics[rnd(topics.length)]];
	const text = half(list[rnd(list.length)], true) + half(list[rnd(list.length)], false);
	out.push(`INSERT INTO input_items (plan_id, source, kind, theme_id, text, created_at, updated_at) VALUES (1, 'idea', 'idea', ${i < cluster ? theme : 'NULL'}, ${q(text)}, ${t0 + i}, ${t0 + i});`);
}
out.push('COMMIT;');
process.stdout.write(out.join('\n') + '\n');
