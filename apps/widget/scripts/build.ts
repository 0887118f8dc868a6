import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { WIDGET_BUNDLES } from './widget-bundles';

/** `npm run build -w @parley/widget`: dist/widget.js and dist/app.js, which the server serves. */
const DIST = fileURLToPath(new URL('../dist/', import.meta.url));

fs.mkdirSync(DIST, { recursive: true });
for (const [name, options] of Object.entries(WIDGET_BUNDLES)) {
  const { outputFiles } = await build(options);
  const code = outputFiles![0]!.contents;
  fs.writeFileSync(path.join(DIST, name), code);
  console.log(`widget: dist/${name} ${code.length} bytes, ${gzipSync(code).length} gzipped`);
}
