const fs = require('node:fs');

module.exports = async function stopServer() {
  const { child, dataDir } = globalThis.parleyServer ?? {};
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
};
