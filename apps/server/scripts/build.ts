import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/**
 * The production server: `src/main.ts` and the workspace packages it uses, compiled into one
 * file, `dist/main.js`. npm packages stay outside it (native addons, files they read beside
 * themselves) and load from node_modules as usual. Run with `--enable-source-maps` so a stack
 * trace names the TypeScript line. Started this way the server is up in about half the time
 * tsx takes and holds ~50 MiB less (docs/performance.md, "Cold start").
 */
const SERVER_DIR = fileURLToPath(new URL('..', import.meta.url));
export const BUILT_ENTRY = `${SERVER_DIR}dist/main.js`;

export async function buildServer(): Promise<string> {
  const result = await build({
    entryPoints: [`${SERVER_DIR}src/main.ts`],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    write: false,
    outfile: BUILT_ENTRY,
    logLevel: 'warning',
    plugins: [
      {
        name: 'npm-packages-outside',
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, ({ path }) =>
            path.startsWith('@parley/') ? undefined : { path, external: true },
          );
        },
      },
    ],
  });
  // Written whole and then renamed: a server starting meanwhile (or a second build) never reads half a file.
  for (const file of result.outputFiles) {
    fs.mkdirSync(`${SERVER_DIR}dist`, { recursive: true });
    const partial = `${file.path}.${process.pid}.partial`;
    fs.writeFileSync(partial, file.contents);
    fs.renameSync(partial, file.path);
  }
  return BUILT_ENTRY;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) await buildServer();
