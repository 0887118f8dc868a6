const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

/**
 * A real Parley server for the Android component tests (SQLite in a temporary folder), as the
 * phone would reach it: the app's client finds it through EXPO_PUBLIC_PARLEY_SERVER.
 */
module.exports = async function startServer() {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-android-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: path.resolve(__dirname, '../../server'),
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => (errors += chunk));
  const url = `http://127.0.0.1:${port}`;
  const started = Date.now();
  for (;;) {
    if (child.exitCode !== null) throw new Error(`The Parley server for the Android tests exited: ${errors}`);
    if (
      await fetch(`${url}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (Date.now() - started > 60_000) throw new Error(`The Parley server did not answer in 60 s: ${errors}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  process.env.EXPO_PUBLIC_PARLEY_SERVER = url;
  globalThis.parleyServer = { child, dataDir };
};

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}
