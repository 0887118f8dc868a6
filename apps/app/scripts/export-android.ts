import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The phone's JavaScript bundle, made as a release build makes it (`expo export --platform
 * android`, Hermes bytecode), so a break only Android has fails `npm test`: a module that does
 * not resolve there, syntax Hermes refuses, or the web's side of a platform file (`x.web.ts`)
 * bundled in place of the phone's (`x.native.ts`). No Android SDK is needed for this part.
 */
const APP = fileURLToPath(new URL('..', import.meta.url));
const out = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-android-bundle-'));

try {
  const started = Date.now();
  execFileSync('npx', ['expo', 'export', '--platform', 'android', '--output-dir', out], {
    cwd: APP,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, EXPO_OFFLINE: '1', CI: '1', EXPO_NO_TELEMETRY: '1' },
  });
  const dir = path.join(out, '_expo/static/js/android');
  const bundles = fs.existsSync(dir) ? fs.readdirSync(dir).filter((name) => name.endsWith('.hbc')) : [];
  if (bundles.length !== 1)
    throw new Error(`expected one Hermes bundle in ${dir}, found: ${bundles.join(', ') || 'none'}`);
  const bundle = fs.readFileSync(path.join(dir, bundles[0]!));
  // Each side of the push module keeps its device under its own storage key.
  if (!bundle.includes('parley.expoPush'))
    throw new Error("the Android bundle lacks the phone's push (device-push.native.ts)");
  if (bundle.includes('parley.webPush'))
    throw new Error("the Android bundle holds the web's push (device-push.web.ts)");
  const seconds = Math.round((Date.now() - started) / 1000);
  console.log(`android bundle: ${bundles[0]} (${(bundle.length / 1e6).toFixed(1)} MB, Hermes) built in ${seconds} s`);
} finally {
  fs.rmSync(out, { recursive: true, force: true });
}
