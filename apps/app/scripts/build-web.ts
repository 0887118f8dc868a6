import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import sharp from 'sharp';

/**
 * `npm run build:web`: exports the web build to apps/app/dist, unless the sources it is made
 * from are unchanged since the last export. `npm start` runs it first, so a fresh clone
 * serves the app at `/` with no other step, and later starts cost nothing. The installable
 * app's parts follow the export: icons made from assets/, and the service worker with this
 * build's file list and hash (public/ holds the manifest and the page template).
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
  'apps/app/babel.config.js',
  'apps/app/public',
  'apps/app/service-worker',
  'apps/app/scripts',
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

void main();

async function main(): Promise<void> {
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
    await writeIcons();
    await writeServiceWorker(digest);
    fs.writeFileSync(STAMP, digest);
    console.log('web app: built');
  }
}

/** The manifest's icons (public/manifest.webmanifest names them), from the app's own. */
async function writeIcons(): Promise<void> {
  const dir = path.join(DIST, 'icons');
  fs.mkdirSync(dir, { recursive: true });
  const icon = path.join(APP, 'assets/icon.png');
  for (const size of [192, 512])
    await sharp(icon)
      .resize(size, size)
      .png()
      .toFile(path.join(dir, `icon-${size}.png`));
  // Maskable: the launcher cuts its own shape, so the artwork must fill the square and keep to
  // the middle 80%; Android's adaptive foreground on the brand colour is exactly that.
  const { adaptiveIcon } = (JSON.parse(fs.readFileSync(path.join(APP, 'app.json'), 'utf8')) as AppJson).expo.android;
  await sharp(path.join(APP, adaptiveIcon.foregroundImage))
    .flatten({ background: adaptiveIcon.backgroundColor })
    .resize(512, 512)
    .png()
    .toFile(path.join(dir, 'maskable-512.png'));
}

interface AppJson {
  expo: { android: { adaptiveIcon: { foregroundImage: string; backgroundColor: string } } };
}

/** `dist/sw.js`, with every file of the build to keep for offline starts and the build's id. */
async function writeServiceWorker(buildId: string): Promise<void> {
  const skip = new Set(['.source-hash', 'metadata.json', 'sw.js']);
  const precache = [...filesOf(DIST)]
    .map((file) => `/${path.relative(DIST, file).split(path.sep).join('/')}`)
    .filter((file) => !skip.has(file.slice(1)))
    .sort();
  await build({
    entryPoints: [path.join(APP, 'service-worker/sw.ts')],
    outfile: path.join(DIST, 'sw.js'),
    bundle: true,
    minify: true,
    format: 'iife',
    target: 'es2022',
    define: { BUILD_ID: JSON.stringify(buildId.slice(0, 16)), PRECACHE: JSON.stringify(precache) },
    logLevel: 'warning',
  });
}
