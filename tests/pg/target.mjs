// target.mjs — which database a test suite's "file" is. Suites name their
// databases by file paths (SQLite). When the runner sets OPENPLAN_TEST_PG
// (the admin URL of a throwaway PostgreSQL cluster, tests/pg/cluster.sh),
// every such path stands for a fresh PostgreSQL database of its own, named
// after the path, so the same suite with the same expected answers runs on
// PostgreSQL. A path in a folder that does not exist stays a path (the
// tests of a bad path expect SQLite's answer).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const PG = process.env.OPENPLAN_TEST_PG || '';
export const BACKEND = PG ? 'postgresql' : 'sqlite';

export function dbTarget(p) {
	if (!PG || !p || /^postgres(ql)?:\/\//.test(p) || !fs.existsSync(path.dirname(path.resolve(p))))
		return p;
	const h = crypto.createHash('sha1').update(path.resolve(p)).digest('hex').slice(0, 20);
	return `${PG}/t_${h}`;
}
