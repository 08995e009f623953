import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

/**
 * The command-line tools run from their TypeScript through tsx, with no build before them (a full
 * build took 18-30 s on every `npm run call`), and each answers --help with its usage.
 */
const root = path.join(__dirname, '../..');
const scripts = (JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
const TOOLS = ['demo', 'call', 'seed', 'flow:lint', 'flow:replay', 'rollups:rebuild', 'store:import', 'store:backup', 'audit:verify', 'users:add'];

test.each(TOOLS)('npm run %s starts from its source without a build, and answers --help', (tool) => {
  expect(scripts[tool]).toMatch(/^node --import tsx scripts\/[a-z-]+\.ts$/);
  const out = execFileSync('npm', ['run', '-s', tool, '--', '--help'], { cwd: root, encoding: 'utf8' });
  expect(out).toContain(`npm run ${tool}`);
}, 30_000);
