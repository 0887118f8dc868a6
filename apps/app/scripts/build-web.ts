import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `npm run build:web`: exports the web build to apps/app/dist, unless the sources it is made
 * from are unchanged since the last export. `npm start` runs it first, so a fresh clone
 * serves the app at `/` with no other step, and later starts cost nothing.
 */
const APP = fileURLToPath(new URL('..', import.meta.url));
const ROOT = path.resolve(APP, '../..');
const DIST = path.join(APP, 'dist');
const STAMP = path.join(DIST, '.source-hash');
const SOURCES = [
  'apps/app/src',
  'apps/app/assets',
  'apps/app/index.ts',
  'apps/app/app.json',
  'apps/app/package.json',
  'packages/client/src',
  'packages/markdown/src',
  'packages/protocol/src',
  'package-lock.json',
];

function* filesOf(entry: string): Generator<string> {
  const stat = fs.statSync(entry);
  if (stat.isFile()) return yield entry;
  for (const name of fs.readdirSync(entry).sort()) {
    if (!name.endsWith('.test.ts') && !name.endsWith('.test.tsx')) yield* filesOf(path.join(entry, name));
  }
}

const hash = crypto.createHash('sha256');
for (const source of SOURCES) {
  for (const file of filesOf(path.join(ROOT, source)))
    hash.update(path.relative(ROOT, file)).update(fs.readFileSync(file));
}
const digest = hash.digest('hex');

if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8') === digest && !process.argv.includes('--force')) {
  console.log('web app: up to date (apps/app/dist)');
} else {
  console.log('web app: building apps/app/dist (expo export, about 20 s)…');
  fs.rmSync(DIST, { recursive: true, force: true });
  execFileSync('npx', ['expo', 'export', '--platform', 'web', '--output-dir', 'dist'], {
    cwd: APP,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXPO_OFFLINE: '1', CI: '1', EXPO_NO_TELEMETRY: '1' },
  });
  fs.writeFileSync(STAMP, digest);
  console.log('web app: built');
}
